// Two processes ingest halves of a corpus into one namespace at the same time; the merged index
// answers exactly like a single-process one. Needs WIRETRACE_REDIS_URL.

import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { SharedIndex } from '../../src/lsh/lsh.js'
import { MemoryStore } from '../../src/lsh/store.js'
import { RedisStore } from '../../src/redis/index.js'
import { deserializeFingerprint } from '../../src/sketch/serialize.js'
import { REDIS_URL, redisOrSkip, testCorpus, uniqueNamespace } from './helpers.js'
import { suiteStores } from './suite.js'

const skip = await redisOrSkip('test/redis/processes.test.ts')
const REPO = fileURLToPath(new URL('../../', import.meta.url))
const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url))
const REUTERS = 300

function runWorker(namespace: string, part: number, parts: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', WORKER, REDIS_URL as string, namespace, String(REUTERS), String(part), String(parts)],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => {
      out += d
    })
    child.stderr.on('data', (d) => {
      err += d
    })
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`worker ${part} exited with ${code}: ${err}`))))
  })
}

describe.skipIf(skip !== undefined)('RedisStore shared by two processes', () => {
  const { stores } = suiteStores()

  it('two processes ingesting halves concurrently give the same index as one process', async () => {
    const fps = testCorpus(REUTERS)
    const namespace = uniqueNamespace('procs')
    const outputs = await Promise.all([runWorker(namespace, 0, 2), runWorker(namespace, 1, 2)])
    const inserted = outputs.map((o) => JSON.parse(o.trim()).inserted as number)
    expect(inserted[0]! + inserted[1]!).toBe(fps.length)

    const merged = await RedisStore.connect({ url: REDIS_URL, namespace })
    stores.push(merged)
    // the same corpus from one process, in Redis and in memory
    const single = await RedisStore.connect({ url: REDIS_URL, namespace: uniqueNamespace('single') })
    stores.push(single)
    await new SharedIndex(single).insert(fps.map((fingerprint) => ({ fingerprint })))
    const mem = new SharedIndex(new MemoryStore())
    await mem.insert(fps.map((fingerprint) => ({ fingerprint })))

    const got = await new SharedIndex(merged).query(fps)
    expect(got).toEqual(await new SharedIndex(single).query(fps))
    expect(got).toEqual(await mem.query(fps))
    // seeds were split across the processes (000, 002, 004 | 001, 003): cross-process matches exist
    expect(got[fps.findIndex((f) => f.id === '001')]).toContain('003')
    expect(await new SharedIndex(merged).size()).toBe(fps.length)

    // a process verifies candidates another one inserted, from the stored payloads
    const payloads = await merged.payloads(fps.map((f) => f.id))
    payloads.forEach((p, i) => {
      expect(p).toBeDefined()
      const fp = deserializeFingerprint(JSON.parse(p as string))
      expect(fp.id).toBe(fps[i]!.id)
      expect([...fp.signature]).toEqual([...fps[i]!.signature])
    })
  })
})
