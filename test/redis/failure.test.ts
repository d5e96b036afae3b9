// A connection killed mid-ingest (CLIENT KILL from another connection) gives a clear error, and
// re-running the same add completes with no duplicates and nothing missing. Needs WIRETRACE_REDIS_URL.

import { type AddressInfo, connect, createServer, type Socket } from 'node:net'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { WiretraceError } from '../../src/errors.js'
import { MemoryStore, type StoreEntry } from '../../src/lsh/store.js'
import { splitIds } from '../../src/redis/codec.js'
import { RedisStore } from '../../src/redis/index.js'
import { MARKER_FIELD, MARKER_VALUE } from '../../src/redis/scripts.js'
import { namespaceKeys, REDIS_URL, redisOrSkip, sleep, uniqueNamespace } from './helpers.js'

const skip = await redisOrSkip('test/redis/failure.test.ts')

/** Synthetic entries with realistic key counts; every 10th document shares buckets with the one before. */
function entries(n: number): StoreEntry[] {
  let seed = 12345
  const rnd = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return seed
  }
  const out: StoreEntry[] = []
  for (let d = 0; d < n; d++) {
    const keys = new Float64Array(80)
    for (let i = 0; i < keys.length; i++) keys[i] = (i < 20 ? 0 : 2 ** 42) + (i % 20) * 2 ** 32 + rnd()
    if (d % 10 === 9) keys.set((out[d - 1] as StoreEntry).keys.subarray(0, 30))
    out.push({ id: `doc-${d}`, keys, payload: `payload of doc-${d}` })
  }
  return out
}

describe.skipIf(skip !== undefined)('RedisStore when the connection drops', () => {
  const cleanup: (() => Promise<unknown>)[] = []
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f().catch(() => {})
  })

  it('CLIENT KILL mid-ingest: a clear STORE_ERROR, then a rerun completes with no duplicates and none missing', async () => {
    const namespace = uniqueNamespace('kill')
    const store = await RedisStore.connect({ url: REDIS_URL, namespace, batchSize: 100, shards: 8 })
    cleanup.push(() => store.close())
    const admin = new Redis(REDIS_URL as string)
    cleanup.push(async () => admin.disconnect())
    // the store's connection, found by its name before any other connection of this namespace exists
    const list = (await admin.client('LIST')) as string
    const line = list.split('\n').find((l) => l.includes(` name=wiretrace:${namespace} `))
    const id = line && /^id=(\d+)/.exec(line)?.[1]
    expect(id, 'store connection in CLIENT LIST').toBeTruthy()
    const probe = await RedisStore.connect({ url: REDIS_URL, namespace, shards: 8 })
    cleanup.push(async () => {
      await probe.clear()
      await probe.close()
    })

    const docs = entries(4000)
    // The outcome is taken at once: the add can fail while KILL's own reply is awaited, and a
    // rejection with no handler yet is reported as unhandled (it made CI fail once).
    const adding = store.add(docs).then(
      () => undefined,
      (e) => e,
    )
    let committed = 0
    while (committed === 0) {
      await sleep(2)
      committed = await probe.size()
    }
    await admin.client('KILL', 'ID', id as string)
    const err = await adding
    expect(committed).toBeLessThan(docs.length)
    expect(err).toBeInstanceOf(WiretraceError)
    expect(err.code).toBe('STORE_ERROR')
    expect(err.message).toMatch(/add failed after committing \d+ of 4000 documents/)
    expect(err.message).toMatch(/lost the connection to Redis/)
    expect(err.message).toMatch(/calling add\(\) again with the same entries is safe/)
    expect(await probe.size()).toBeLessThan(docs.length)

    // the same call again: ioredis has reconnected, everything gets in exactly once
    await store.add(docs)
    expect(await probe.size()).toBe(docs.length)
    const mem = new MemoryStore()
    await mem.add(docs)
    const sample = docs.filter((_, i) => i % 7 === 0 || i % 10 === 9).map((d) => d.keys)
    expect(await probe.query(sample)).toEqual(await mem.query(sample))
    expect(await probe.payloads(docs.map((d) => d.id))).toEqual(docs.map((d) => d.payload))
    const r = new Redis(REDIS_URL as string)
    try {
      let buckets = 0
      for (const key of await namespaceKeys(namespace)) {
        if (!/:p:\d+$/.test(key)) continue
        for (const v of await r.hvals(key)) {
          if (v === MARKER_VALUE) continue // the field that keeps a bucket hash hashtable-encoded
          const ids = splitIds(v)
          expect(new Set(ids).size).toBe(ids.length)
        }
        buckets += (await r.hlen(key)) - ((await r.hexists(key, MARKER_FIELD)) ? 1 : 0)
      }
      // as many buckets as distinct keys: none missing, none left over
      expect(buckets).toBe(new Set(docs.flatMap((d) => [...d.keys])).size)
    } finally {
      r.disconnect()
    }
  })

  it('fails clearly, without hanging, when Redis does not come back', async () => {
    // a TCP proxy in front of the server, shut down mid-session
    const target = new URL(REDIS_URL as string)
    const sockets = new Set<Socket>()
    const proxy = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname)
      sockets.add(client).add(upstream)
      client.pipe(upstream).pipe(client)
      const drop = () => {
        client.destroy()
        upstream.destroy()
      }
      client.on('error', drop).on('close', drop)
      upstream.on('error', drop).on('close', drop)
    })
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
    const port = (proxy.address() as AddressInfo).port
    const url = new URL(REDIS_URL as string)
    url.host = `127.0.0.1:${port}`
    const store = await RedisStore.connect({
      url: url.toString(),
      namespace: uniqueNamespace('gone'),
      connectTimeoutMs: 500,
      shards: 2,
    })
    cleanup.push(() => store.close())
    await store.add([{ id: 'a', keys: Float64Array.from([1]) }])
    expect(await store.has('a')).toBe(true)

    proxy.close()
    for (const s of sockets) s.destroy()
    const t0 = Date.now()
    const err = await store.add([{ id: 'b', keys: Float64Array.from([2]) }]).catch((e) => e)
    expect(err).toBeInstanceOf(WiretraceError)
    expect(err.code).toBe('STORE_ERROR')
    expect(err.message).toMatch(/is unreachable|lost the connection to Redis/)
    expect(Date.now() - t0).toBeLessThan(5000)
    const q = await store.query([Float64Array.from([1])]).catch((e) => e)
    expect(q.code).toBe('STORE_ERROR')
  })
})
