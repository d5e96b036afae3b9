// SharedIndex applies the batch path's anchor rule in the store: a pair found through anchors
// alone counts only when both languages are known and differ. In memory always; on Redis with
// WIRETRACE_REDIS_URL (skipped without, fails in CI).

import { describe, expect, it } from 'vitest'
import { analyze } from '../../src/analyze.js'
import { anchorPairCounts, LshIndex, SharedIndex } from '../../src/lsh/lsh.js'
import { MemoryStore } from '../../src/lsh/store.js'
import { RedisStore } from '../../src/redis/index.js'
import type { Fingerprint } from '../../src/sketch/fingerprint.js'
import { namespaceKeys, REDIS_URL, redisOrSkip, testCorpus, uniqueNamespace } from './helpers.js'
import { suiteStores } from './suite.js'

/** One company report: two English rewrites that share only names and figures, and a German version. */
const ANCHOR_ONLY = {
  en1: `Acme Corporation said on Tuesday that quarterly revenue rose 12.5 percent to 4.82 billion dollars, beating forecasts. Chief executive Maria Lindqvist told analysts in Frankfurt that orders from Brazil and Indonesia doubled.\n\nThe company expects 2024 earnings of 3.15 dollars a share and will cut 1,200 jobs at its Rotterdam plant by March.`,
  en2: `Revenue at Acme Corporation climbed 12.5 percent in the quarter, to 4.82 billion dollars, the group reported Tuesday. Speaking in Frankfurt, Maria Lindqvist pointed to Brazil and Indonesia, where demand doubled.\n\nFor 2024 the firm sees a profit of 3.15 dollars per share; 1,200 positions in Rotterdam will go by March.`,
  de1: `Die Acme Corporation meldete am Dienstag einen Umsatzanstieg um 12,5 Prozent auf 4,82 Milliarden Dollar im Quartal. Vorstandschefin Maria Lindqvist sagte in Frankfurt, die Bestellungen aus Brasilien und Indonesien hätten sich verdoppelt.\n\nFür 2024 erwartet das Unternehmen einen Gewinn von 3,15 Dollar je Aktie und will bis März 1.200 Stellen im Werk Rotterdam streichen.`,
}

function fixture(): Fingerprint[] {
  return Object.entries(ANCHOR_ONLY).map(([id, text]) => {
    const r = analyze({ id, text })
    if (r.status !== 'ok') throw new Error(`${id} did not analyse`)
    return r.fingerprint
  })
}

/** What the batch path counts: wording candidates, plus anchor candidates of another known language. */
function batchRule(fps: Fingerprint[]): string[][] {
  const index = new LshIndex()
  for (const fp of fps) index.insert(fp)
  const byId = new Map(fps.map((f) => [f.id, f]))
  return fps.map((fp) => {
    const out = new Set(index.query(fp, undefined, 'wording'))
    for (const id of index.query(fp, undefined, 'anchor')) if (anchorPairCounts(fp, byId.get(id) as Fingerprint)) out.add(id)
    return [...out].sort()
  })
}

describe('SharedIndex: anchors count only across languages', () => {
  const fps = fixture()

  it('the fixture: an English pair shares anchors only, the German version shares them too', () => {
    expect(fps.map((f) => f.lang)).toEqual(['en', 'en', 'de'])
    const lsh = new LshIndex()
    for (const fp of fps) lsh.insert(fp)
    // the in-memory index returns the same-language anchor pair; the batch rule drops it
    expect(lsh.query(fps[0] as Fingerprint)).toEqual(['de1', 'en2'])
    expect(lsh.query(fps[0] as Fingerprint, undefined, 'wording')).toEqual([])
  })

  it("'counted' returns exactly what the batch rule counts; 'all' every channel, as LshIndex", async () => {
    const index = new SharedIndex(new MemoryStore())
    await index.insert(fps.map((fingerprint) => ({ fingerprint })))
    expect(await index.query(fps, 'counted')).toEqual([['de1'], ['de1'], ['en1', 'en2']])
    expect(await index.query(fps, 'counted')).toEqual(batchRule(fps))
    const lsh = new LshIndex()
    for (const fp of fps) lsh.insert(fp)
    expect(await index.query(fps)).toEqual(fps.map((fp) => lsh.query(fp)))
    expect(await index.query(fps, 'all')).toEqual([
      ['de1', 'en2'],
      ['de1', 'en1'],
      ['en1', 'en2'],
    ])
    expect(await index.query(fps, 'wording')).toEqual([[], [], []])
    expect(await index.query(fps, 'anchor')).toEqual(await index.query(fps, 'all'))
    await expect(index.query(fps, 'nope' as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
  })

  it('a document of unknown language has no anchor keys and finds no anchor-only pair', async () => {
    const index = new SharedIndex(new MemoryStore())
    const [en1, , de1] = fps as [Fingerprint, Fingerprint, Fingerprint]
    const nolang = { ...de1, id: 'nolang' }
    delete (nolang as { lang?: string }).lang
    expect(index.keys(nolang).length).toBeLessThan(index.keys(de1).length)
    await index.insert([{ fingerprint: en1 }, { fingerprint: nolang }])
    expect(await index.query([en1, nolang], 'counted')).toEqual([[], []])
    expect(await index.query([en1, nolang], 'all')).toEqual([[], []])
  })

  it('treats a language it cannot store as unknown: empty, over 64 characters, with NUL or a lone surrogate', () => {
    const index = new SharedIndex(new MemoryStore())
    const de1 = (fps as Fingerprint[])[2] as Fingerprint
    const nolang = { ...de1 }
    delete (nolang as { lang?: string }).lang
    const unknown = index.keys(nolang)
    expect(unknown.length).toBeLessThan(index.keys(de1).length)
    for (const lang of ['', 'x'.repeat(65), 'd\0e', 'd\uD800e', '\uDC00de']) {
      expect(index.keys({ ...de1, lang }), JSON.stringify(lang)).toEqual(unknown)
    }
    expect(index.keys({ ...de1, lang: 'x'.repeat(64) }).length).toBe(index.keys(de1).length)
    expect(index.keys({ ...de1, lang: 'd\uD83D\uDE00' }).length).toBe(index.keys(de1).length) // a surrogate pair is fine
  })

  it('keeps one registry entry per language, which size() leaves out', async () => {
    const store = new MemoryStore()
    const index = new SharedIndex(store)
    await index.insert(fps.map((fingerprint) => ({ fingerprint })))
    expect(await index.size()).toBe(3)
    expect(await store.size()).toBe(5) // en, de
    // registry entries never come back as candidates
    for (const channels of ['all', 'wording', 'anchor', 'counted'] as const) {
      for (const ids of await index.query(fps, channels)) for (const id of ids) expect(id.startsWith('\u0001')).toBe(false)
    }
  })

  it('finds cross-language anchor candidates stored by another SharedIndex on the same store', async () => {
    const store = new MemoryStore()
    await new SharedIndex(store).insert([{ fingerprint: fps[2] as Fingerprint }])
    expect(await new SharedIndex(store).query([fps[0] as Fingerprint], 'counted')).toEqual([['de1']])
  })
})

const skip = await redisOrSkip('test/redis/shared-index.test.ts')

describe.skipIf(skip !== undefined)('SharedIndex over Redis: the same rule', () => {
  const { stores } = suiteStores()

  it('answers like SharedIndex over MemoryStore on every channel', async () => {
    const corpus = [...testCorpus(150), ...fixture()]
    const store = await RedisStore.connect({ url: REDIS_URL, namespace: uniqueNamespace('rule'), batchSize: 40 })
    stores.push(store)
    const redis = new SharedIndex(store)
    const mem = new SharedIndex(new MemoryStore())
    await redis.insert(corpus.map((fingerprint) => ({ fingerprint })))
    await mem.insert(corpus.map((fingerprint) => ({ fingerprint })))
    for (const channels of ['all', 'wording', 'anchor', 'counted'] as const) {
      expect(await redis.query(corpus, channels)).toEqual(await mem.query(corpus, channels))
    }
    expect(await redis.query(fixture(), 'counted')).toEqual([['de1'], ['de1'], ['en1', 'en2']])
    expect(await redis.size()).toBe(corpus.length)
  })
})

/**
 * Two indexes over one store: the second keys documents otherwise and is refused before it
 * writes; once the store is emptied (`clear`), the second binds it, and the first is refused.
 */
async function refusesOtherKeying(
  a: SharedIndex,
  b: SharedIndex,
  keysOf: () => Promise<number>,
  empty: () => Promise<void>,
): Promise<void> {
  const [fp, other] = testCorpus(0) as [Fingerprint, Fingerprint]
  await a.insert([{ fingerprint: fp }])
  const before = await keysOf()
  const err = await b.insert([{ fingerprint: other }]).catch((e) => e)
  expect(err).toMatchObject({ code: 'PARAMS_MISMATCH' })
  expect(err.message).toMatch(/keyed with paragraph="10x3", but this index keys them with paragraph="off"; use the same/)
  expect(await keysOf()).toBe(before)
  await expect(b.query([fp])).rejects.toMatchObject({ code: 'PARAMS_MISMATCH' })
  // an index keyed alike goes on
  await a.insert([{ fingerprint: other }])
  expect(await a.size()).toBe(2)
  // emptied, the store takes the next keying, and holds the first index (the same object) to it
  await empty()
  expect(await keysOf()).toBe(0)
  await b.insert([{ fingerprint: other }])
  expect(await b.size()).toBe(1)
  await expect(a.insert([{ fingerprint: fp }])).rejects.toMatchObject({ code: 'PARAMS_MISMATCH' })
  expect(await b.size()).toBe(1)
}

describe('SharedIndex refuses a store keyed otherwise', () => {
  it('in memory', async () => {
    const store = new MemoryStore()
    const a = new SharedIndex(store)
    await refusesOtherKeying(
      a,
      new SharedIndex(store, { paragraphs: false }),
      async () => store.bucketCount(),
      async () => store.remove([...store.entries()].map((e) => e.id)),
    )
  })

  it.skipIf(skip !== undefined)('on Redis, across connections, also after the namespace is cleared', async () => {
    const namespace = uniqueNamespace('keying')
    const first = await RedisStore.connect({ url: REDIS_URL, namespace })
    const second = await RedisStore.connect({ url: REDIS_URL, namespace })
    try {
      await refusesOtherKeying(
        new SharedIndex(first),
        new SharedIndex(second, { paragraphs: false }),
        async () => (await namespaceKeys(namespace)).length,
        () => first.clear(),
      )
    } finally {
      await second.clear()
      await first.close()
      await second.close()
    }
  })
})
