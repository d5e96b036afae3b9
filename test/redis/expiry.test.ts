// The time window: documents older than windowMs stop matching, and Redis deletes their keys by
// itself (key expiry), with no sweeper. Needs WIRETRACE_REDIS_URL.

import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { SharedIndex } from '../../src/lsh/lsh.js'
import { MemoryStore } from '../../src/lsh/store.js'
import { RedisStore } from '../../src/redis/index.js'
import type { Fingerprint } from '../../src/sketch/fingerprint.js'
import { fingerprints, loadSeeds, namespaceKeys, REDIS_URL, redisOrSkip, uniqueNamespace } from './helpers.js'
import { suiteStores } from './suite.js'

const skip = await redisOrSkip('test/redis/expiry.test.ts')
const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())))

describe.skipIf(skip !== undefined)('RedisStore time window', () => {
  const { stores } = suiteStores()

  it('articles older than the window stop matching, then their keys expire on their own', async () => {
    const W = 4000
    const store = await RedisStore.connect({ url: REDIS_URL, namespace: uniqueNamespace('window'), windowMs: W, shards: 4 })
    stores.push(store)
    const index = new SharedIndex(store)
    const fp = new Map<string, Fingerprint>(fingerprints(loadSeeds()).map((f) => [f.id, f]))
    const seed = (id: string) => fp.get(id) as Fingerprint
    // what 001 matches without a window: 003 (it is inside it) and the other AFP copies
    const mem = new SharedIndex(new MemoryStore())
    await mem.insert([seed('000'), seed('002'), seed('003')].map((fingerprint) => ({ fingerprint })))
    const all = (await mem.query([seed('001')]))[0] as string[]
    expect(all).toContain('003')

    const now = Date.now()
    await index.insert([
      { fingerprint: seed('003'), time: now - (W - 2000), payload: 'p3' }, // leaves the window at now + 2000
      { fingerprint: seed('000'), time: now, payload: 'p0' },
      { fingerprint: seed('002'), time: now + 60_000, payload: 'p2' }, // a future date counts as now
      { fingerprint: seed('004'), time: now - W - 1, payload: 'p4' }, // already outside: not indexed
    ])
    expect(await store.has('004')).toBe(false)
    expect(await index.size()).toBe(3)
    expect((await index.query([seed('001')]))[0]).toEqual(all)

    // every key but the namespace settings (layout and keying) carries an expiry set by Redis
    const r = new Redis(REDIS_URL as string)
    try {
      for (const key of await namespaceKeys(store.namespace)) {
        if (key.endsWith('}:meta') || key.endsWith('}:index')) continue
        const ttl = await r.pttl(key)
        expect(ttl, key).toBeGreaterThan(0)
        expect(ttl, key).toBeLessThanOrEqual(W + W / 4 + 1000)
      }
    } finally {
      r.disconnect()
    }

    await sleepUntil(now + 2000 + 150)
    expect((await index.query([seed('001')]))[0]).toEqual(all.filter((id) => id !== '003'))
    expect(await store.has('003')).toBe(false)
    expect(await store.payloads(['003', '000'])).toEqual([undefined, 'p0'])
    expect(await index.size()).toBe(2)

    // re-adding an expired article with a fresh time brings it back
    await index.insert([{ fingerprint: seed('003'), time: Date.now() }])
    expect((await index.query([seed('001')]))[0]).toContain('003')

    // once the window has passed for everything, Redis has deleted the index by itself
    const end = Date.now() + W + W / 4 + 300
    await sleepUntil(end)
    expect(await store.size()).toBe(0)
    expect((await index.query([seed('001')]))[0]).toEqual([])
    expect((await namespaceKeys(store.namespace)).sort()).toEqual([`{${store.namespace}}:index`, `{${store.namespace}}:meta`])
  })
})
