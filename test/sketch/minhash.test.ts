import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WiretraceError } from '../../src/errors.js'
import { fmix32 } from '../../src/sketch/hash.js'
import {
  containmentFromJaccard,
  estimateJaccard,
  kpermSignature,
  type MinHashScheme,
  minhash,
  ophSignature,
} from '../../src/sketch/minhash.js'
import { kpermRef, ophRef } from '../helpers/reference.js'
import { fcOptions, sample } from '../helpers/seed.js'
import { exactJaccard, makePair, type PairSpec, pairSpecArb } from '../helpers/sets.js'

const K = 128
type Signer = (set: Uint32Array, seed: number) => Uint32Array

const SCHEMES: Record<MinHashScheme, Signer> = {
  oph: (set, seed) => minhash(set, K, seed, 'oph'),
  kperm: (set, seed) => minhash(set, K, seed, 'kperm'),
}

// Deliberately broken estimators: the checks below must reject them, or they prove nothing.
const TWO_32 = 4294967296
function ophBins(set: Uint32Array, seed: number): { out: Uint32Array; filled: Uint8Array; nonEmpty: number } {
  const out = new Uint32Array(K).fill(0xffffffff)
  const filled = new Uint8Array(K)
  let nonEmpty = 0
  for (const h of set) {
    const x = fmix32(h ^ seed)
    const bin = Math.floor((x / TWO_32) * K)
    if (!filled[bin]) nonEmpty++
    filled[bin] = 1
    if (x < (out[bin] as number)) out[bin] = x
  }
  return { out, filled, nonEmpty }
}
const MUTANTS: Record<string, Signer> = {
  /** OPH with empty bins left empty: two small sets then "agree" on every bin they both lack. */
  'OPH without densification': (set, seed) => ophBins(set, seed).out,
  /** Densification whose probe sequence depends on the document: borrowed bins stop lining up. */
  'OPH with a document-dependent probe sequence': (set, seed) => {
    const { out, filled, nonEmpty } = ophBins(set, seed)
    if (nonEmpty === 0) return out
    for (let b = 0; b < K; b++) {
      if (filled[b]) continue
      for (let attempt = 1; ; attempt++) {
        const src = Math.floor(
          (fmix32(Math.imul(b + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca6b) ^ (seed + nonEmpty)) / TWO_32) * K,
        )
        if (filled[src]) {
          out[b] = out[src] as number
          break
        }
      }
    }
    return out
  },
}

interface Accuracy {
  pairs: number
  /** Pairs whose estimate is more than 3 SE (+ half a step of 1/k, the estimate's granularity) from J. */
  outside: number
  /** Mean of ((estimate − J) / SE)² over pairs with 0 < J < 1: ≈ 1 when the spread is that of k independent samples. */
  meanZ2: number
  /** Sum of errors over its standard deviation: |biasZ| ≫ 3 means a biased estimator. */
  biasZ: number
  /** Pairs with J = 0 or J = 1 whose estimate is not exactly J. */
  inexactExtremes: number
}

const accuracyCache = new Map<Signer, Accuracy>()

/** Accuracy of a signer over a list of pairs (memoised: several tests read the same report). */
function accuracy(sign: Signer, specs: PairSpec[]): Accuracy {
  const cached = accuracyCache.get(sign)
  if (cached && cached.pairs === specs.length) return cached
  const report = measureAccuracy(sign, specs)
  accuracyCache.set(sign, report)
  return report
}

function measureAccuracy(sign: Signer, specs: PairSpec[]): Accuracy {
  let outside = 0
  let z2 = 0
  let nz = 0
  let errSum = 0
  let varSum = 0
  let inexactExtremes = 0
  for (const spec of specs) {
    const { a, b, jaccard: j } = makePair(spec)
    const est = estimateJaccard(sign(a, 1), sign(b, 1))
    const se = Math.sqrt((j * (1 - j)) / K)
    if (Math.abs(est - j) > 3 * se + 0.5 / K) outside++
    if (se === 0) {
      if (est !== j) inexactExtremes++
      continue
    }
    z2 += ((est - j) / se) ** 2
    nz++
    errSum += est - j
    varSum += se * se
  }
  return { pairs: specs.length, outside, meanZ2: z2 / nz, biasZ: errSum / Math.sqrt(varSum), inexactExtremes }
}

/**
 * Unbiasedness where OPH densifies: for small sets (|A∪B| < k/2), average the estimate over
 * many hash seeds and compare with J by a z-test with the empirical spread (OPH's spread on
 * tiny sets is wider than k-permutation's, because two elements can share a bin).
 */
function smallSetBias(sign: Signer, specs: PairSpec[], seeds: number): { z: number; meanError: number } {
  let n = 0
  let sum = 0
  let sum2 = 0
  for (const spec of specs) {
    const { a, b, jaccard } = makePair(spec)
    for (let seed = 1; seed <= seeds; seed++) {
      const e = estimateJaccard(sign(a, seed), sign(b, seed)) - jaccard
      sum += e
      sum2 += e * e
      n++
    }
  }
  const mean = sum / n
  const sd = Math.sqrt(Math.max(sum2 / n - mean * mean, 1e-12))
  return { z: mean / (sd / Math.sqrt(n)), meanError: mean }
}

// 600 pairs, |A∪B| log-uniform on 1..2000, J uniform on [0,1] plus exact 0s and 1s.
const PAIRS = sample(pairSpecArb, 600, 1)
const LARGE = PAIRS.filter((p) => p.union >= K / 2)
const SMALL = sample(
  pairSpecArb.filter((p) => p.union >= 2 && p.union < K / 2),
  40,
  2,
)

describe('minhash', () => {
  it('returns the same signature as a BigInt reference of OPH with optimal densification', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (xs, k, seed) => {
          expect([...minhash(xs, k, seed, 'oph')]).toEqual([...ophRef(xs, k, seed)])
        },
      ),
      fcOptions(150),
    )
  })

  it('returns the same signature as a BigInt reference of k affine permutations', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (xs, k, seed) => {
          expect([...minhash(xs, k, seed, 'kperm')]).toEqual([...kpermRef(xs, k, seed)])
        },
      ),
      fcOptions(100),
    )
  })

  it('returns a signature that depends on the set, not on element order or repetition', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 80 }), (xs) => {
        const shuffled = [...xs, ...xs].reverse()
        for (const scheme of ['oph', 'kperm'] as const) {
          expect([...minhash(shuffled, 32, 7, scheme)]).toEqual([...minhash(xs, 32, 7, scheme)])
        }
      }),
      fcOptions(100),
    )
  })
})

describe.each(['oph', 'kperm'] as const)('estimateJaccard of %s signatures vs exact Jaccard', (scheme) => {
  const sign = SCHEMES[scheme]
  // OPH with k bins and fewer than k/2 elements densifies: checked for bias separately below.
  const specs = scheme === 'oph' ? LARGE : PAIRS

  it('builds pairs whose Jaccard is what the brute-force count says', () => {
    for (const spec of PAIRS.slice(0, 50)) {
      const { a, b, jaccard } = makePair(spec)
      expect(exactJaccard(a, b)).toBeCloseTo(jaccard, 12)
    }
    expect(specs.length).toBeGreaterThan(200)
  })

  it('stays within 3 standard errors for more than 99% of random pairs', () => {
    const r = accuracy(sign, specs)
    expect(r.outside / r.pairs, JSON.stringify(r)).toBeLessThan(0.01)
  })

  it('returns exactly 1 for identical sets and exactly 0 for disjoint ones', () => {
    expect(accuracy(sign, specs).inexactExtremes).toBe(0)
  })

  it('returns an unbiased estimate: the summed error is within 4 standard deviations of 0', () => {
    const r = accuracy(sign, specs)
    expect(Math.abs(r.biasZ), JSON.stringify(r)).toBeLessThan(4)
  })

  it('returns estimates spread like k independent samples (mean squared z-score near 1)', () => {
    const r = accuracy(sign, specs)
    // OPH samples bins without replacement, so large sets spread less than 1/k (≈ 0.75 here).
    expect(r.meanZ2, JSON.stringify(r)).toBeGreaterThan(scheme === 'oph' ? 0.4 : 0.6)
    expect(r.meanZ2, JSON.stringify(r)).toBeLessThan(1.5)
  })

  it('returns an unbiased estimate for small sets, averaged over 100 seeds', () => {
    const { z, meanError } = smallSetBias(sign, SMALL, 100)
    expect(Math.abs(z), `mean error ${meanError}`).toBeLessThan(4)
    expect(Math.abs(meanError)).toBeLessThan(0.01)
  })
})

describe('the accuracy checks themselves', () => {
  it.each(Object.keys(MUTANTS))('reject a broken estimator: %s', (name) => {
    const sign = MUTANTS[name] as Signer
    const all = accuracy(sign, PAIRS)
    const small = smallSetBias(sign, SMALL, 100)
    const rejected = all.outside / all.pairs >= 0.01 || Math.abs(all.biasZ) >= 4 || Math.abs(small.z) >= 4
    expect(rejected, JSON.stringify({ all, small })).toBe(true)
    expect(Math.abs(small.z)).toBeGreaterThan(4)
  })
})

describe('containmentFromJaccard', () => {
  it('returns |A∩B|/|A| when given the exact Jaccard and set sizes', () => {
    for (const spec of PAIRS.slice(0, 200)) {
      const { a, b, jaccard } = makePair(spec)
      const setB = new Set(b)
      const inter = [...a].filter((x) => setB.has(x)).length
      expect(containmentFromJaccard(jaccard, a.length, b.length)).toBeCloseTo(inter / a.length, 9)
    }
  })
})

describe('edge cases', () => {
  it('returns all 0xffffffff for an empty set, in both schemes', () => {
    for (const scheme of ['oph', 'kperm'] as const) expect(minhash([], 16, 1, scheme).every((v) => v === 0xffffffff)).toBe(true)
  })

  it('returns one value repeated k times for a one-element set under OPH (every bin borrows it)', () => {
    const sig = minhash([42], 64, 1, 'oph')
    expect(new Set(sig).size).toBe(1)
  })

  it('returns a signature for k = 1 and for k larger than the set', () => {
    expect(minhash([1, 2, 3], 1)).toHaveLength(1)
    expect(minhash([1, 2, 3], 4096)).toHaveLength(4096)
  })

  it('throws INVALID_ARGUMENT for a numPerm that is not an integer from 1 to 65535', () => {
    for (const bad of [0, -1, 1.5, 65536, Number.NaN]) {
      expect(() => minhash([1], bad)).toThrow(WiretraceError)
      try {
        minhash([1], bad)
      } catch (e) {
        expect((e as WiretraceError).code).toBe('INVALID_ARGUMENT')
        expect((e as WiretraceError).message).toContain('numPerm')
      }
    }
  })

  it('estimateJaccard returns 0 for signatures of different lengths or empty ones', () => {
    expect(estimateJaccard(new Uint32Array(4), new Uint32Array(5))).toBe(0)
    expect(estimateJaccard(new Uint32Array(0), new Uint32Array(0))).toBe(0)
  })

  it('containmentFromJaccard returns 0 for an empty A and never more than 1', () => {
    expect(containmentFromJaccard(0.5, 0, 10)).toBe(0)
    expect(containmentFromJaccard(1, 10, 30)).toBe(1)
  })

  it('reuses a caller-provided output buffer', () => {
    const out = new Uint32Array(8)
    expect(ophSignature([1, 2, 3], 8, 1, out)).toBe(out)
    expect(kpermSignature([1, 2, 3], 8, 1, out)).toBe(out)
  })
})
