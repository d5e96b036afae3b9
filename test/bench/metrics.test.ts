import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { adjustedRandIndex, bcubedScores, contingency, pairwiseScores, truthOf } from '../../bench/metrics.js'

/** Build maps from label arrays; `null` in predicted = the id is missing from the prediction. */
function maps(predicted: (number | null)[], truth: number[]): { p: Map<string, number>; t: Map<string, number> } {
  const p = new Map<string, number>()
  const t = new Map<string, number>()
  truth.forEach((label, i) => {
    t.set(`i${i}`, label)
    const q = predicted[i]
    if (q !== null && q !== undefined) p.set(`i${i}`, q)
  })
  return { p, t }
}

/** O(n²) references, straight from the definitions. */
function bruteForce(p: Map<string, number>, t: Map<string, number>) {
  const ids = [...t.keys()]
  let both = 0
  let predOnly = 0
  let truthOnly = 0
  let neither = 0
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i] as string
      const b = ids[j] as string
      const sameT = t.get(a) === t.get(b)
      const sameP = p.has(a) && p.has(b) && p.get(a) === p.get(b)
      if (sameT && sameP) both++
      else if (sameP) predOnly++
      else if (sameT) truthOnly++
      else neither++
    }
  }
  const predictedPairs = both + predOnly
  const truePairs = both + truthOnly
  const precision = predictedPairs === 0 ? 1 : both / predictedPairs
  const recall = truePairs === 0 ? 1 : both / truePairs
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  // ARI in pair-count form (Steinley 2004): 2(ad − bc) / ((a+b)(b+d) + (a+c)(c+d))
  const den = (both + predOnly) * (predOnly + neither) + (both + truthOnly) * (truthOnly + neither)
  const ari = den === 0 ? 1 : (2 * (both * neither - predOnly * truthOnly)) / den
  // B-cubed, item by item
  let bp = 0
  let br = 0
  for (const a of ids) {
    const predCluster = p.has(a) ? ids.filter((b) => p.has(b) && p.get(b) === p.get(a)) : [a]
    const trueCluster = ids.filter((b) => t.get(b) === t.get(a))
    const overlap = predCluster.filter((b) => t.get(b) === t.get(a)).length
    bp += overlap / predCluster.length
    br += overlap / trueCluster.length
  }
  const n = ids.length
  return {
    precision,
    recall,
    f1,
    truePairs,
    predictedPairs,
    agreedPairs: both,
    ari,
    bcubed: n === 0 ? { precision: 1, recall: 1 } : { precision: bp / n, recall: br / n },
  }
}

const labelling = fc.integer({ min: 0, max: 40 }).chain((n) =>
  fc.record({
    truth: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: n, maxLength: n }),
    predicted: fc.array(fc.option(fc.integer({ min: 0, max: 6 }), { freq: 8 }), { minLength: n, maxLength: n }),
  }),
)

describe('pairwiseScores', () => {
  it('matches the hand-computed example', () => {
    // truth {a,b,c} {d,e}; predicted {a,b} {c,d,e}
    const t = new Map(Object.entries({ a: 'T1', b: 'T1', c: 'T1', d: 'T2', e: 'T2' }))
    const p = new Map(Object.entries({ a: 'P1', b: 'P1', c: 'P2', d: 'P2', e: 'P2' }))
    const s = pairwiseScores(p, t)
    expect(s).toMatchObject({ truePairs: 4, predictedPairs: 4, agreedPairs: 2, n: 5, missing: 0, extra: 0 })
    expect(s.precision).toBe(0.5)
    expect(s.recall).toBe(0.5)
    expect(s.f1).toBe(0.5)
  })

  it('scores a perfect prediction 1 whatever the cluster names', () => {
    const t = new Map([
      ['a', 1],
      ['b', 1],
      ['c', 2],
    ])
    const p = new Map([
      ['a', 'x'],
      ['b', 'x'],
      ['c', 'y'],
    ])
    expect(pairwiseScores(p, t)).toMatchObject({ precision: 1, recall: 1, f1: 1 })
    expect(adjustedRandIndex(p, t)).toBe(1)
  })

  it('gives vacuous precision 1 and recall 0 to all singletons', () => {
    const t = new Map([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ])
    const p = new Map([
      ['a', 'a'],
      ['b', 'b'],
      ['c', 'c'],
    ])
    expect(pairwiseScores(p, t)).toMatchObject({ precision: 1, recall: 0, f1: 0, predictedPairs: 0, truePairs: 3 })
  })

  it('gives recall 1 and precision truePairs / C(n,2) to one big cluster', () => {
    const t = new Map(Object.entries({ a: 1, b: 1, c: 2, d: 3 }))
    const p = new Map(Object.entries({ a: 0, b: 0, c: 0, d: 0 }))
    const s = pairwiseScores(p, t)
    expect(s.recall).toBe(1)
    expect(s.precision).toBeCloseTo(1 / 6, 12)
  })

  it('treats ids missing from the prediction as singletons and ignores extra ids', () => {
    const t = new Map(Object.entries({ a: 1, b: 1, c: 1 }))
    const p = new Map(Object.entries({ a: 7, b: 7, z: 7 }))
    const s = pairwiseScores(p, t)
    expect(s).toMatchObject({ missing: 1, extra: 1, predictedPairs: 1, agreedPairs: 1, truePairs: 3, precision: 1 })
    expect(s.recall).toBeCloseTo(1 / 3, 12)
  })

  it('matches the O(n²) definition on random clusterings', () => {
    fc.assert(
      fc.property(labelling, ({ truth, predicted }) => {
        const { p, t } = maps(predicted, truth)
        const ref = bruteForce(p, t)
        const s = pairwiseScores(p, t)
        expect(s.truePairs).toBe(ref.truePairs)
        expect(s.predictedPairs).toBe(ref.predictedPairs)
        expect(s.agreedPairs).toBe(ref.agreedPairs)
        expect(s.precision).toBeCloseTo(ref.precision, 12)
        expect(s.recall).toBeCloseTo(ref.recall, 12)
        expect(s.f1).toBeCloseTo(ref.f1, 12)
      }),
      { numRuns: 300 },
    )
  })

  it('handles 200k items (2·10¹⁰ pairs) without enumerating pairs', () => {
    const t = new Map<string, number>()
    const p = new Map<string, number>()
    for (let i = 0; i < 200_000; i++) {
      t.set(`d${i}`, Math.floor(i / 5))
      p.set(`d${i}`, Math.floor(i / 10))
    }
    const started = performance.now()
    const s = pairwiseScores(p, t)
    expect(performance.now() - started).toBeLessThan(10_000)
    expect(s.truePairs).toBe(40_000 * 10)
    expect(s.predictedPairs).toBe(20_000 * 45)
    expect(s.recall).toBe(1)
    expect(s.precision).toBeCloseTo(400_000 / 900_000, 12)
  })
})

describe('adjustedRandIndex', () => {
  it('matches scikit-learn documented values', () => {
    // adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1]) == 0.571428...
    const { p, t } = maps([0, 0, 1, 1], [0, 0, 1, 2])
    expect(adjustedRandIndex(p, t)).toBeCloseTo(4 / 7, 12)
    // all in one class vs all singletons: 0
    const q = maps([0, 1, 2, 3], [0, 0, 0, 0])
    expect(adjustedRandIndex(q.p, q.t)).toBe(0)
    // symmetric
    expect(adjustedRandIndex(t, p)).toBeCloseTo(4 / 7, 12)
  })

  it('matches the hand-computed example', () => {
    // truth {a,b,c} {d,e}; predicted {a,b} {c,d,e}: index 2, expected 4·4/10, max 4 → (2 − 1.6)/(4 − 1.6)
    const t = new Map(Object.entries({ a: 'T1', b: 'T1', c: 'T1', d: 'T2', e: 'T2' }))
    const p = new Map(Object.entries({ a: 'P1', b: 'P1', c: 'P2', d: 'P2', e: 'P2' }))
    expect(adjustedRandIndex(p, t)).toBeCloseTo(1 / 6, 12)
  })

  it('returns 1 for identical trivial partitions and tiny inputs', () => {
    expect(adjustedRandIndex(new Map(), new Map())).toBe(1)
    const one = maps([5], [3])
    expect(adjustedRandIndex(one.p, one.t)).toBe(1)
    const singles = maps([0, 1, 2], [0, 1, 2])
    expect(adjustedRandIndex(singles.p, singles.t)).toBe(1)
    const lump = maps([0, 0, 0], [4, 4, 4])
    expect(adjustedRandIndex(lump.p, lump.t)).toBe(1)
  })

  it('matches the pair-count form on random clusterings', () => {
    fc.assert(
      fc.property(labelling, ({ truth, predicted }) => {
        const { p, t } = maps(predicted, truth)
        expect(adjustedRandIndex(p, t)).toBeCloseTo(bruteForce(p, t).ari, 10)
      }),
      { numRuns: 300 },
    )
  })
})

describe('bcubedScores', () => {
  it('matches the hand-computed example', () => {
    const t = new Map(Object.entries({ a: 'T1', b: 'T1', c: 'T1', d: 'T2', e: 'T2' }))
    const p = new Map(Object.entries({ a: 'P1', b: 'P1', c: 'P2', d: 'P2', e: 'P2' }))
    const s = bcubedScores(p, t)
    expect(s.precision).toBeCloseTo(11 / 15, 12)
    expect(s.recall).toBeCloseTo(11 / 15, 12)
  })

  it('matches the item-by-item definition on random clusterings', () => {
    fc.assert(
      fc.property(labelling, ({ truth, predicted }) => {
        const { p, t } = maps(predicted, truth)
        const ref = bruteForce(p, t).bcubed
        const s = bcubedScores(p, t)
        expect(s.precision).toBeCloseTo(ref.precision, 12)
        expect(s.recall).toBeCloseTo(ref.recall, 12)
      }),
      { numRuns: 200 },
    )
  })
})

describe('contingency and truthOf', () => {
  it('counts cells, sizes, missing and extra ids', () => {
    const t = truthOf([
      { id: 'a', cluster: 'a' },
      { id: 'b', cluster: 'a' },
      { id: 'c', cluster: 'c' },
    ])
    const c = contingency(new Map(Object.entries({ a: 1, c: 1, x: 2 })), t)
    expect(c).toMatchObject({ n: 3, missing: 1, extra: 1 })
    expect(c.truthSizes.sort()).toEqual([1, 2])
    expect(c.predictedSizes.sort()).toEqual([1, 2])
    expect(c.cellSizes.sort()).toEqual([1, 1])
  })
})
