// The store on a Redis Cluster. Runs when WIRETRACE_REDIS_CLUSTER lists seed nodes
// ("127.0.0.1:7000,127.0.0.1:7001"); skipped otherwise, unless WIRETRACE_REQUIRE_REDIS_CLUSTER=1
// (CI starts a three-primary cluster and sets both).

import { Cluster, Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { WiretraceError } from '../../src/errors.js'
import { SharedIndex } from '../../src/lsh/lsh.js'
import { MemoryStore, type StoreEntry } from '../../src/lsh/store.js'
import { RedisStore } from '../../src/redis/index.js'
import { serializeFingerprint } from '../../src/sketch/serialize.js'
import { sleep, testCorpus } from './helpers.js'
import { suiteStores } from './suite.js'

const NODES = process.env.WIRETRACE_REDIS_CLUSTER?.split(',').filter(Boolean)
if (!NODES && process.env.WIRETRACE_REQUIRE_REDIS_CLUSTER === '1') {
  throw new Error('test/redis/cluster.test.ts: WIRETRACE_REQUIRE_REDIS_CLUSTER=1 but WIRETRACE_REDIS_CLUSTER names no nodes')
}
if (!NODES) console.warn('[wiretrace] skipping test/redis/cluster.test.ts: WIRETRACE_REDIS_CLUSTER is not set')

describe.skipIf(!NODES)('RedisStore on a Redis Cluster', () => {
  const { open, stores } = suiteStores({ cluster: NODES })

  it('answers like MemoryStore, spreads its keys over every primary, and cleans up', async () => {
    const fps = testCorpus(200)
    const items = fps.map((fp) => ({ fingerprint: fp, payload: JSON.stringify(serializeFingerprint(fp)) }))
    const mem = new SharedIndex(new MemoryStore())
    await mem.insert(items)
    const store = await open('cluster', { batchSize: 50 })
    const index = new SharedIndex(store)
    await index.insert(items)
    await index.insert(items.slice(0, 30))
    const want = await mem.query(fps)
    expect(await index.query(fps)).toEqual(want)
    expect(await index.size()).toBe(fps.length)
    expect(await store.payloads(fps.map((f) => f.id))).toEqual(items.map((i) => i.payload))

    const admin = new Cluster(NODES as string[])
    try {
      const perNode = await Promise.all(
        admin.nodes('master').map(async (n) => {
          const [, keys] = await n.scan('0', 'MATCH', `{${store.namespace}:*`, 'COUNT', 100000)
          return keys.length
        }),
      )
      for (const n of perNode) expect(n).toBeGreaterThan(0)
      await store.remove(fps.slice(0, 10).map((f) => f.id))
      await mem.remove(fps.slice(0, 10).map((f) => f.id))
      expect(await index.query(fps)).toEqual(await mem.query(fps))
      await store.clear()
      const left = await Promise.all(
        admin.nodes('master').map(async (n) => (await n.scan('0', 'MATCH', `{${store.namespace}*`, 'COUNT', 100000))[1].length),
      )
      expect(left.reduce((a, b) => a + b, 0)).toBe(0)
    } finally {
      admin.disconnect()
    }
  })

  it('moves hot buckets to sets in the same slot', async () => {
    const store = await open('cluster-hot', { batchSize: 100 })
    const docs: StoreEntry[] = Array.from({ length: 200 }, (_, i) => ({ id: `h${i}`, keys: Float64Array.from([77, 500 + i]) }))
    await store.add(docs)
    await store.add(docs.slice(0, 20))
    expect((await store.query([Float64Array.from([77])]))[0]).toEqual(docs.map((d) => d.id).sort())
    await store.remove(docs.slice(0, 150).map((d) => d.id))
    expect((await store.query([Float64Array.from([77])]))[0]).toEqual(
      docs
        .slice(150)
        .map((d) => d.id)
        .sort(),
    )
  })

  it('expires documents with the window', async () => {
    const fps = testCorpus(0)
    const store = await open('cluster-window', { windowMs: 1500 })
    const index = new SharedIndex(store)
    const now = Date.now()
    await index.insert(fps.map((fingerprint, i) => ({ fingerprint, time: i % 2 === 0 ? now : now - 1000 })))
    expect(await index.size()).toBe(fps.length)
    await sleep(700)
    expect(await index.size()).toBe(fps.filter((_, i) => i % 2 === 0).length)
    const got = await index.query(fps)
    for (const ids of got) for (const id of ids) expect(fps.findIndex((f) => f.id === id) % 2).toBe(0)
  })

  it('killed node connections mid-ingest: a clear STORE_ERROR, then a rerun completes exactly', async () => {
    const store = await open('cluster-kill', { batchSize: 100, shards: 16 })
    const docs: StoreEntry[] = []
    for (let d = 0; d < 3000; d++) {
      const keys = new Float64Array(80)
      for (let i = 0; i < keys.length; i++)
        keys[i] = (i < 20 ? 0 : 2 ** 42) + (i % 20) * 2 ** 32 + ((d * 7919 + i * 104729) % 2 ** 32)
      docs.push({ id: `doc-${d}`, keys, payload: `p${d}` })
    }
    // Kill the store's connections while its commands are surely in flight: at the third commit
    // call, pause writes on every primary (scripts wait, reads go on), send it, kill, unpause.
    // Killing between two commands would not fail the add: the client reconnects in between.
    const admins = (NODES as string[]).map((n) => new Redis(`redis://${n}`))
    const inner = store as unknown as { run: (...a: unknown[]) => Promise<unknown> }
    const send = inner.run.bind(store)
    let commits = 0
    let killed = 0
    inner.run = (...a: unknown[]) => {
      if (a[0] !== 'wtCommit' || ++commits !== 3) return send(...a)
      return (async () => {
        await Promise.all(admins.map((x) => x.client('PAUSE', '5000', 'WRITE')))
        const sent = send(...a)
        sent.catch(() => {})
        await sleep(100)
        for (const x of admins) {
          for (const line of ((await x.client('LIST')) as string).split('\n')) {
            const m = line.includes(` name=wiretrace:${store.namespace} `) && /^id=(\d+)/.exec(line)
            if (m) killed += Number(await x.client('KILL', 'ID', m[1] as string).catch(() => 0))
          }
        }
        await Promise.all(admins.map((x) => x.client('UNPAUSE')))
        return sent
      })()
    }
    const adding = store.add(docs)
    const err = await adding.then(
      () => undefined,
      (e) => e,
    )
    for (const x of admins) x.disconnect()
    expect(killed).toBeGreaterThan(0)
    expect(err).toBeInstanceOf(WiretraceError)
    expect(err.code).toBe('STORE_ERROR')
    // a new connection (the kill took every connection of the namespace's name)
    const probe = await RedisStore.connect({ cluster: NODES, namespace: store.namespace, shards: 16 })
    stores.push(probe)
    expect(await probe.size()).toBeLessThan(docs.length)
    inner.run = send
    await store.add(docs)
    expect(await probe.size()).toBe(docs.length)
    const mem = new MemoryStore()
    await mem.add(docs)
    expect(await probe.query(docs.map((d) => d.keys))).toEqual(await mem.query(docs.map((d) => d.keys)))
  })
})
