import { describe, expect, it } from 'vitest'
import { checkParams, collisionProbability, errorAreas, MAX_BANDS, optimalParams } from '../../src/lsh/params.js'
import { codeOf } from '../helpers/errors.js'
import { bandingErrorRef, integrateRef } from '../helpers/reference.js'
import { rng, TEST_SEED } from '../helpers/seed.js'

/** Brute force: every banding with b·r ≤ numPerm, scored by an independent adaptive quadrature. */
function bestBandingRef(threshold: number, numPerm: number, weights: [number, number]): { error: number } {
  let error = Number.POSITIVE_INFINITY
  for (let b = 1; b <= Math.min(numPerm, MAX_BANDS); b++) {
    for (let r = 1; b * r <= numPerm; r++) error = Math.min(error, bandingErrorRef(threshold, b, r, weights))
  }
  return { error }
}

describe('optimalParams', () => {
  const cases: [number, number, [number, number]][] = []
  for (const numPerm of [8, 32, 128]) for (const t of [0.1, 0.3, 0.5, 0.7, 0.9]) cases.push([t, numPerm, [0.5, 0.5]])
  cases.push([0.5, 64, [0.2, 0.8]], [0.5, 64, [0.9, 0.1]], [0.8, 100, [0.3, 0.7]])

  it.each(cases)('returns a banding as good as a brute-force search (threshold %s, numPerm %s, weights %j)', (t, numPerm, w) => {
    const p = optimalParams(t, numPerm, w)
    expect(p.bands * p.rows).toBeLessThanOrEqual(numPerm)
    const ref = bestBandingRef(t, numPerm, w)
    expect(bandingErrorRef(t, p.bands, p.rows, w) - ref.error).toBeLessThan(1e-9)
  })

  it('returns a curve centred near the threshold: P(threshold) between 0.2 and 0.8 for 128 values', () => {
    for (const t of [0.3, 0.5, 0.7, 0.9]) {
      const p = collisionProbability(t, optimalParams(t, 128))
      expect(p, `threshold ${t}`).toBeGreaterThan(0.2)
      expect(p, `threshold ${t}`).toBeLessThan(0.8)
    }
  })

  it('returns at most MAX_BANDS bands, so that band keys of different channels cannot alias', () => {
    // Regression: numPerm 2048 at threshold 0.03 chose 1024 bands × 2 rows.
    const p = optimalParams(0.03, 2048)
    expect(p.bands).toBeLessThanOrEqual(MAX_BANDS)
    expect(() => checkParams('params', p, 2048)).not.toThrow()
  })

  it('throws INVALID_ARGUMENT for a threshold outside [0.01, 0.99], a bad numPerm or bad weights', () => {
    expect(codeOf(() => optimalParams(0, 128))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => optimalParams(1, 128))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => optimalParams(Number.NaN, 128))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => optimalParams(0.5, 0))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => optimalParams(0.5, 128, [0, 0]))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => optimalParams(0.5, 128, [-1, 1]))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => optimalParams(0.5, 128, [1] as unknown as [number, number]))).toBe('INVALID_ARGUMENT')
  })
})

describe('collisionProbability', () => {
  it('returns the exact probability, by enumerating every row-agreement pattern of small bandings', () => {
    for (const [bands, rows] of [
      [1, 1],
      [2, 3],
      [3, 2],
      [4, 3],
      [6, 2],
    ] as const) {
      for (const s of [0, 0.1, 0.37, 0.5, 0.9, 1]) {
        let p = 0
        const n = bands * rows
        for (let mask = 0; mask < 1 << n; mask++) {
          let ones = 0
          for (let i = 0; i < n; i++) ones += (mask >> i) & 1
          let hit = false
          for (let b = 0; b < bands && !hit; b++) hit = ((mask >> (b * rows)) & ((1 << rows) - 1)) === (1 << rows) - 1
          if (hit) p += s ** ones * (1 - s) ** (n - ones)
        }
        expect(collisionProbability(s, { bands, rows })).toBeCloseTo(p, 12)
      }
    }
  })

  it('matches a Monte-Carlo simulation of banded agreement within 4 binomial standard errors', () => {
    const random = rng(TEST_SEED)
    const trials = 20_000
    for (const [bands, rows] of [
      [25, 5],
      [9, 13],
      [8, 4],
      [20, 1],
    ] as const) {
      for (const s of [0.2, 0.5, 0.7, 0.9]) {
        let hits = 0
        for (let t = 0; t < trials; t++) {
          let hit = false
          for (let b = 0; b < bands && !hit; b++) {
            let all = true
            for (let r = 0; r < rows && all; r++) all = random() < s
            hit = all
          }
          if (hit) hits++
        }
        const p = collisionProbability(s, { bands, rows })
        const se = Math.sqrt((p * (1 - p)) / trials)
        expect(Math.abs(hits / trials - p), `bands ${bands}, rows ${rows}, s ${s}`).toBeLessThanOrEqual(4 * se + 1e-4)
      }
    }
  })

  it('returns 0 at s = 0, 1 at s = 1 and increases in between', () => {
    const params = { bands: 25, rows: 5 }
    expect(collisionProbability(0, params)).toBe(0)
    expect(collisionProbability(1, params)).toBe(1)
    let last = 0
    for (let s = 0.01; s <= 1; s += 0.01) {
      const p = collisionProbability(s, params)
      expect(p).toBeGreaterThanOrEqual(last)
      last = p
    }
  })
})

describe('errorAreas', () => {
  // Simpson with 200 fixed steps: ~1e-5 for 128-value bandings (steeper curves, e.g. 512 bands of
  // 1 row, are off by ~2e-4; optimalParams still picks the brute-force optimum in the cases above).
  it('returns the areas an adaptive quadrature gives, to 1e-5 for bandings of up to 128 values', () => {
    for (const [bands, rows] of [
      [25, 5],
      [128, 1],
      [1, 128],
      [9, 13],
    ] as const) {
      for (const t of [0.05, 0.5, 0.95]) {
        const p = (s: number) => collisionProbability(s, { bands, rows })
        const { falsePositive, falseNegative } = errorAreas(t, { bands, rows })
        expect(Math.abs(falsePositive - integrateRef(p, 0, t))).toBeLessThan(1e-5)
        expect(Math.abs(falseNegative - integrateRef((s) => 1 - p(s), t, 1))).toBeLessThan(1e-5)
      }
    }
  })
})

describe('edge cases', () => {
  it('checkParams refuses more bands × rows than signature values, or non-integers, naming them', () => {
    expect(codeOf(() => checkParams('params', { bands: 20, rows: 7 }, 128))).toBe('INVALID_ARGUMENT')
    expect(() => checkParams('params', { bands: 20, rows: 7 }, 128)).toThrow(/20 \* 7/)
    expect(codeOf(() => checkParams('params', { bands: 1.5, rows: 2 }, 128))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => checkParams('params', { bands: MAX_BANDS + 1, rows: 1 }, 4096))).toBe('INVALID_ARGUMENT')
    expect(checkParams('params', { bands: 16, rows: 8 }, 128)).toEqual({ bands: 16, rows: 8 })
  })

  it('optimalParams returns a valid banding for the smallest signature', () => {
    expect(optimalParams(0.5, 1)).toEqual({ bands: 1, rows: 1 })
  })
})
