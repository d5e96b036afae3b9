import { describe, expect, it } from 'vitest'
import { LshIndex } from '../../src/lsh/lsh.js'
import { collisionProbability } from '../../src/lsh/params.js'
import type { MinHashScheme } from '../../src/sketch/minhash.js'
import { intersectionSize, toSortedSet } from '../../src/sketch/shingle.js'
import { fingerprintOfSet } from '../helpers/fingerprints.js'
import { shareBand } from '../helpers/reference.js'
import { rng, TEST_SEED } from '../helpers/seed.js'
import { makePair } from '../helpers/sets.js'

const SIMILARITIES = [0.2, 0.35, 0.5, 0.65, 0.8]
const PAIRS_PER_SIMILARITY = 200

/** Index-level options: document channel only (synthetic fingerprints have no paragraphs or anchors). */
const OPTIONS = { threshold: 0.5, paragraphParams: { bands: 8, rows: 4 }, anchors: false }

describe.each(['oph', 'kperm'] as const)('LshIndex candidate rate with %s signatures', (scheme: MinHashScheme) => {
  it('returns a pair at similarity s as a candidate at the rate of the S-curve (binomial bounds)', () => {
    const random = rng(TEST_SEED ^ (scheme === 'oph' ? 1 : 2))
    const index = new LshIndex(OPTIONS)
    const queries: { b: ReturnType<typeof fingerprintOfSet>; id: string; jaccard: number; s: number }[] = []
    SIMILARITIES.forEach((target, si) => {
      for (let i = 0; i < PAIRS_PER_SIMILARITY; i++) {
        const union = 100 + Math.floor(random() * 500)
        const pair = makePair({
          union,
          target,
          split: random(),
          elements: 'random',
          salt: (si * PAIRS_PER_SIMILARITY + i) * 1000,
        })
        const id = `${si}/${i}`
        index.insert(fingerprintOfSet(id, pair.a, 128, scheme))
        queries.push({ b: fingerprintOfSet(`q${id}`, pair.b, 128, scheme), id, jaccard: pair.jaccard, s: target })
      }
    })
    const params = index.config.doc
    expect(params).toEqual({ bands: 25, rows: 5 }) // optimalParams(0.5, 128)
    SIMILARITIES.forEach((s) => {
      const group = queries.filter((q) => q.s === s)
      let hits = 0
      let expected = 0
      let variance = 0
      let strangers = 0
      for (const q of group) {
        const found = index.query(q.b)
        if (found.includes(q.id)) hits++
        strangers += found.filter((x) => x !== q.id).length
        const p = collisionProbability(q.jaccard, params)
        expected += p
        variance += p * (1 - p)
      }
      const n = group.length
      // 4 standard errors, plus 2% for OPH's slightly dependent bins.
      expect(
        Math.abs(hits - expected) / n,
        `s=${s}: ${hits}/${n} candidates, S-curve expects ${expected.toFixed(1)}`,
      ).toBeLessThanOrEqual((4 * Math.sqrt(variance)) / n + 0.02)
      // Unrelated sets share no signature value; only a 32-bit band-hash collision can pair them
      // (1000 × 1000 documents × 25 bands / 2^32 ≈ 0.006 expected per run).
      expect(strangers, `s=${s}: unrelated documents returned`).toBeLessThanOrEqual(1)
    })
  })
})

describe('LshIndex against an exact all-pairs scan', () => {
  // 30 stories, 4 versions each: every version keeps a random share of the original's elements
  // and adds new ones, so pairs spread over the whole similarity range.
  const random = rng(TEST_SEED ^ 0xabc)
  let next = 1
  const docs: { id: string; set: Uint32Array }[] = []
  for (let story = 0; story < 30; story++) {
    const base = Array.from({ length: 80 + Math.floor(random() * 320) }, () => next++)
    for (let v = 0; v < 4; v++) {
      const edit = v === 0 ? 0 : random() * 0.6
      const kept = base.filter(() => random() >= edit)
      const added = Array.from({ length: Math.round(edit * base.length) }, () => next++)
      docs.push({ id: `${story}.${v}`, set: toSortedSet(Uint32Array.from([...kept, ...added])) })
    }
  }
  const fps = docs.map((d) => fingerprintOfSet(d.id, d.set))
  const index = new LshIndex(OPTIONS)
  for (const f of fps) index.insert(f)
  const { bands, rows } = index.config.doc

  const pairs: { a: number; b: number; jaccard: number; candidate: boolean; shares: boolean }[] = []
  for (let i = 0; i < docs.length; i++) {
    const found = new Set(index.query(fps[i]!))
    for (let j = i + 1; j < docs.length; j++) {
      const inter = intersectionSize(docs[i]!.set, docs[j]!.set)
      const jaccard = inter / (docs[i]!.set.length + docs[j]!.set.length - inter)
      const shares = shareBand(fps[i]!.signature, fps[j]!.signature, bands, rows)
      pairs.push({ a: i, b: j, jaccard, candidate: found.has(docs[j]!.id), shares })
    }
  }

  it('returns exactly the pairs whose signatures share a band (no lost or invented candidates)', () => {
    const wrong = pairs.filter((p) => p.candidate !== p.shares)
    expect(wrong).toEqual([])
  })

  it('returns candidates symmetrically', () => {
    for (const p of pairs.filter((x) => x.candidate).slice(0, 200)) {
      expect(index.query(fps[p.b]!)).toContain(docs[p.a]!.id)
    }
  })

  it('finds the pairs at or above the threshold at the rate the S-curve predicts (recall)', () => {
    const above = pairs.filter((p) => p.jaccard >= 0.5)
    expect(above.length).toBeGreaterThan(30)
    const found = above.filter((p) => p.candidate).length
    const expected = above.reduce((s, p) => s + collisionProbability(p.jaccard, { bands, rows }), 0)
    const sd = Math.sqrt(
      above.reduce(
        (s, p) => s + collisionProbability(p.jaccard, { bands, rows }) * (1 - collisionProbability(p.jaccard, { bands, rows })),
        0,
      ),
    )
    expect(Math.abs(found - expected), `recall ${found}/${above.length}, expected ${expected.toFixed(1)}`).toBeLessThanOrEqual(
      4 * sd + 0.02 * above.length,
    )
  })

  it('returns pairs below the threshold at the rate the S-curve predicts (false positives)', () => {
    const below = pairs.filter((p) => p.jaccard < 0.5)
    const found = below.filter((p) => p.candidate).length
    const ps = below.map((p) => collisionProbability(p.jaccard, { bands, rows }))
    const expected = ps.reduce((s, p) => s + p, 0)
    const sd = Math.sqrt(ps.reduce((s, p) => s + p * (1 - p), 0))
    expect(
      Math.abs(found - expected),
      `false positives ${found}/${below.length}, expected ${expected.toFixed(1)}`,
    ).toBeLessThanOrEqual(4 * sd + 0.005 * below.length)
  })
})
