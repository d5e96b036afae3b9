// RedisStore against a real server: the same answers as MemoryStore, idempotent adds,
// replacement, removal, payloads. Needs WIRETRACE_REDIS_URL (skips without, fails in CI).

import { Redis } from 'ioredis'
import { beforeAll, describe, expect, it } from 'vitest'
import { SharedIndex } from '../../src/lsh/lsh.js'
import { MemoryStore, type StoreEntry } from '../../src/lsh/store.js'
import { LAYOUT_VERSION, splitIds } from '../../src/redis/codec.js'
import { RedisStore } from '../../src/redis/index.js'
import { MARKER_FIELD, MARKER_VALUE } from '../../src/redis/scripts.js'
import { serializeFingerprint } from '../../src/sketch/serialize.js'
import { namespaceKeys, REDIS_URL, redisOrSkip, testCorpus } from './helpers.js'
import { suiteStores } from './suite.js'

const skip = await redisOrSkip('test/redis/parity.test.ts')

/** Every bucket value of a namespace, for checking that no id is stored twice. */
async function bucketValues(namespace: string): Promise<string[]> {
  const r = new Redis(REDIS_URL as string)
  try {
    const out: string[] = []
    for (const key of await namespaceKeys(namespace)) {
      if (!/:p:-?\d+$/.test(key)) continue
      // every bucket hash carries the marker that keeps it hashtable-encoded
      expect(await r.hget(key, MARKER_FIELD)).toBe(MARKER_VALUE)
      out.push(...(await r.hvals(key)).filter((v) => v !== MARKER_VALUE))
    }
    return out
  } finally {
    r.disconnect()
  }
}

describe.skipIf(skip !== undefined)('RedisStore (parity with MemoryStore)', () => {
  const { open, stores } = suiteStores({ url: REDIS_URL })

  const fps = testCorpus(400)
  const items = fps.map((fp) => ({ fingerprint: fp, payload: JSON.stringify(serializeFingerprint(fp)) }))
  let memory: string[][]
  beforeAll(async () => {
    const mem = new SharedIndex(new MemoryStore())
    await mem.insert(items)
    memory = await mem.query(fps)
  })

  it('SharedIndex over Redis returns exactly the candidates SharedIndex over MemoryStore returns', async () => {
    const store = await open('parity', { batchSize: 37 })
    const index = new SharedIndex(store)
    await index.insert(items)
    const got = await index.query(fps)
    expect(got).toEqual(memory)
    // the seed ground truth: 001 (truncated copy) and 003 (fullest AFP text) find each other
    expect(got[fps.findIndex((f) => f.id === '001')]).toContain('003')
    expect(memory.filter((c) => c.length > 0).length).toBeGreaterThan(3)
    // the store also holds SharedIndex's language registry (one entry per language)
    expect(await index.size()).toBe(fps.length)
    // Reuters and the seeds are English: a fingerprint carries a language only when it is
    // identified with confidence, so the registry holds one entry (English), not the guesses
    // (fr, lv, vo) that tables used to get.
    const langs = new Set(fps.map((f) => f.lang).filter(Boolean)).size
    expect(langs).toBeGreaterThanOrEqual(1)
    expect(await store.size()).toBe(fps.length + langs)
    expect(await store.payloads(fps.map((f) => f.id))).toEqual(items.map((i) => i.payload))
    expect(await store.payloads(['no-such-id'])).toEqual([undefined])
  })

  it('is idempotent: adding everything again changes nothing and stores no id twice', async () => {
    const store = await open('idem', { batchSize: 50 })
    const index = new SharedIndex(store)
    await index.insert(items)
    await index.insert(items)
    await index.insert(items.slice(0, 20))
    expect(await index.query(fps)).toEqual(memory)
    expect(await index.size()).toBe(fps.length)
    for (const v of await bucketValues(store.namespace)) {
      const ids = splitIds(v)
      expect(new Set(ids).size).toBe(ids.length)
    }
  })

  it('gives the same answer whatever the batch size, in one big query batch or one by one', async () => {
    const store = await open('batches', { batchSize: 1000 })
    const index = new SharedIndex(store)
    await index.insert(items)
    expect(await index.query(fps)).toEqual(memory)
    const one: string[][] = []
    for (const fp of fps.slice(0, 25)) one.push(...(await index.query([fp])))
    expect(one).toEqual(memory.slice(0, 25))
  })

  it('replaces a document added again under other keys, and removes', async () => {
    const store = await open('replace', { batchSize: 4 })
    const a = Float64Array.from([1, 2, 3, 2 ** 42 + 7])
    const b = Float64Array.from([10, 11, 12])
    const entries: StoreEntry[] = [
      { id: 'x', keys: a, payload: 'v1' },
      { id: 'y', keys: Float64Array.from([3, 99]) },
      { id: 'z', keys: Float64Array.from([2 ** 48 - 1]) },
    ]
    await store.add(entries)
    expect(await store.query([a, b])).toEqual([['x', 'y'], []])
    await store.add([{ id: 'x', keys: b, payload: 'v2' }])
    expect(await store.query([a, b, Float64Array.from([2 ** 48 - 1])])).toEqual([['y'], ['x'], ['z']])
    expect(await store.payloads(['x', 'y'])).toEqual(['v2', undefined])
    // the last of duplicate ids in one call wins, as in MemoryStore
    await store.add([
      { id: 'w', keys: a },
      { id: 'w', keys: b },
    ])
    expect(await store.query([a, b])).toEqual([['y'], ['w', 'x']])
    await store.remove(['x', 'nope', 'x'])
    expect(await store.has('x')).toBe(false)
    expect(await store.has('y')).toBe(true)
    expect(await store.query([a, b])).toEqual([['y'], ['w']])
    expect(await store.size()).toBe(3)
    await store.remove(['w', 'y', 'z'])
    expect(await store.size()).toBe(0)
    // nothing left behind but the namespace's settings
    expect(await namespaceKeys(store.namespace)).toEqual([`{${store.namespace}}:meta`])
  })

  it('splits big script calls (one shard, batches of 25,000 postings)', async () => {
    const store = await open('split', { shards: 1, batchSize: 1000 })
    let x = 7
    const docs: StoreEntry[] = Array.from({ length: 250 }, (_, d) => {
      const keys = new Float64Array(100)
      for (let i = 0; i < 100; i++) keys[i] = (x = (Math.imul(x, 48271) >>> 0) % 2147483647) + (i % 10) * 2 ** 32
      if (d % 5 === 4) keys[0] = 424242 // a bucket shared across blobs
      return { id: `s${d}`, keys }
    })
    await store.add(docs)
    const mem = new MemoryStore()
    await mem.add(docs)
    const probe = docs.map((d) => d.keys)
    expect(await store.query(probe)).toEqual(await mem.query(probe))
  })

  it('moves a hot bucket to a set and answers the same', async () => {
    const store = await open('hot', { batchSize: 64 })
    const hot = 2 ** 43 + 12345
    const docs: StoreEntry[] = Array.from({ length: 300 }, (_, i) => ({
      id: `hot-${String(i).padStart(3, '0')}`,
      keys: Float64Array.from([hot, 1000 + i]),
    }))
    const mem = new MemoryStore()
    await mem.add(docs)
    await store.add(docs.slice(0, 10))
    await store.add(docs) // the bucket grows past the limit across calls and within one call
    await store.add(docs.slice(0, 50)) // idempotent on an overflowed bucket
    const probe = [Float64Array.from([hot]), Float64Array.from([1000, 1299])]
    expect(await store.query(probe)).toEqual(await mem.query(probe))
    const keys = await namespaceKeys(store.namespace)
    expect(keys.some((k) => /:p:0:o:[0-9a-f]{12}$/.test(k))).toBe(true)
    const gone = docs.filter((_, i) => i % 3 === 0).map((d) => d.id)
    await store.remove(gone)
    await mem.remove(gone)
    expect(await store.query(probe)).toEqual(await mem.query(probe))
    await store.remove(docs.map((d) => d.id))
    expect(await store.query(probe)).toEqual([[], []])
    expect(await namespaceKeys(store.namespace)).toEqual([`{${store.namespace}}:meta`])
  })

  it('keeps ids with any characters apart', async () => {
    const store = await open('ids', { batchSize: 3 })
    const ids = ['a', 'a b', 'é€😀', '{x}', 'x:y', '\n', 'longer-id-'.repeat(50)]
    const k = Float64Array.from([42])
    await store.add(ids.map((id) => ({ id, keys: k, payload: id })))
    expect(await store.query([k])).toEqual([[...ids].sort()])
    expect(await store.payloads(ids)).toEqual(ids)
  })

  it('refuses bad entries before writing anything', async () => {
    const store = await open('bad')
    const k = Float64Array.from([1])
    const bad: [unknown, RegExp][] = [
      [[{ id: '', keys: k }], /id must be a non-empty string/],
      [[{ id: 'a\0b', keys: k }], /NUL/],
      [[{ id: 'a\uD800b', keys: k }], /id "a\\ud800b" has an unpaired surrogate/i],
      [[{ id: 'a', keys: [1.5] }], /keys\[0\] must be an integer/],
      [[{ id: 'a', keys: Float64Array.from([2 ** 49]) }], /keys\[0\] must be an integer from 0 to 2\^48-1/],
      [[{ id: 'a', keys: k, time: Number.NaN }], /time must be epoch milliseconds/],
      [[{ id: 'a', keys: k, payload: 5 }], /payload must be a string/],
      ['nope', /add expects an array/],
    ]
    for (const [entries, msg] of bad) {
      const err = await store.add(entries as StoreEntry[]).catch((e) => e)
      expect(err.code).toBe('INVALID_ARGUMENT')
      expect(err.message).toMatch(msg)
    }
    expect(await store.size()).toBe(0)
  })

  it('refuses to open a namespace with other settings', async () => {
    const store = await open('meta', { shards: 8, windowMs: 60_000 })
    const err = await RedisStore.connect({ url: REDIS_URL, namespace: store.namespace, shards: 16 }).catch((e) => e)
    expect(err.code).toBe('INVALID_ARGUMENT')
    expect(err.message).toMatch(`already holds an index with layout=${LAYOUT_VERSION}, shards=8, windowMs=60000`)
    const same = await RedisStore.connect({ url: REDIS_URL, namespace: store.namespace, shards: 8, windowMs: 60_000 })
    await same.close()
  })

  it('fails clearly once closed', async () => {
    const store = await open('closed')
    await store.close()
    await expect(store.size()).rejects.toMatchObject({
      code: 'STORE_ERROR',
      message: expect.stringMatching(/the store is closed/),
    })
    stores.splice(stores.indexOf(store), 1)
  })
})
