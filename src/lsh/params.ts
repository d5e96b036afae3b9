import { argNumber, checkInteger, checkNumber, describeValue, invalid } from '../errors.js'

/**
 * Most bands an index can key: band keys pack the band number in 10 bits
 * (`channel · 2^42 + band · 2^32 + hash`), so a band number of 1024 would alias another channel.
 */
export const MAX_BANDS = 1023

/** Bands and rows of a banded LSH: `bands * rows` signature values are used. */
export interface LshParams {
  bands: number
  rows: number
}

/** Probability that two sets of Jaccard similarity `s` share at least one band. */
export function collisionProbability(s: number, params: LshParams): number {
  argNumber('collisionProbability', 's', s)
  if (!params || typeof params !== 'object')
    throw invalid(`collisionProbability: params must be { bands, rows }, got ${describeValue(params)}`)
  const bands = argNumber('collisionProbability', 'params.bands', params.bands)
  const rows = argNumber('collisionProbability', 'params.rows', params.rows)
  return 1 - (1 - s ** rows) ** bands
}

function integrate(f: (x: number) => number, a: number, b: number, steps = 200): number {
  if (b <= a) return 0
  // Simpson's rule; the curves are smooth polynomials, 200 steps is exact to ~1e-8.
  const h = (b - a) / steps
  let sum = f(a) + f(b)
  for (let i = 1; i < steps; i++) sum += f(a + i * h) * (i % 2 === 1 ? 4 : 2)
  return (sum * h) / 3
}

/** Area of the S-curve below the threshold (false positives) and above it (false negatives). */
export function errorAreas(threshold: number, params: LshParams): { falsePositive: number; falseNegative: number } {
  return {
    falsePositive: integrate((s) => collisionProbability(s, params), 0, threshold),
    falseNegative: integrate((s) => 1 - collisionProbability(s, params), threshold, 1),
  }
}

// The search integrates hundreds of curves: remember answers (an index is often built many times).
const memo = new Map<string, LshParams>()

/** How many choices {@link optimalParams} remembers on this thread (tests). */
export function memoizedParams(): number {
  return memo.size
}

/**
 * Choose bands and rows for a Jaccard threshold by minimising the weighted false positive and
 * false negative areas under the S-curve (the method datasketch uses), over all b·r ≤ numPerm
 * with b ≤ {@link MAX_BANDS}.
 *
 * @example optimalParams(0.5, 128) // { bands: 12, rows: 10 }-like: a steep curve centred near 0.5
 */
export function optimalParams(threshold: number, numPerm: number, weights: [number, number] = [0.5, 0.5]): LshParams {
  checkNumber('threshold', threshold, 0.01, 0.99)
  checkInteger('numPerm', numPerm, 1, 65535)
  if (!Array.isArray(weights) || weights.length !== 2 || weights.some((w) => !(w >= 0)) || weights[0] + weights[1] <= 0) {
    throw invalid(`weights must be two non-negative numbers [falsePositive, falseNegative], got ${JSON.stringify(weights)}`)
  }
  const key = `${threshold}:${numPerm}:${weights[0]}:${weights[1]}`
  const hit = memo.get(key)
  if (hit) return { ...hit }
  const [wfp, wfn] = weights
  let best: LshParams = { bands: 1, rows: numPerm }
  let bestErr = Number.POSITIVE_INFINITY
  for (let bands = 1; bands <= Math.min(numPerm, MAX_BANDS); bands++) {
    const maxRows = Math.floor(numPerm / bands)
    for (let rows = 1; rows <= maxRows; rows++) {
      const { falsePositive, falseNegative } = errorAreas(threshold, { bands, rows })
      const err = wfp * falsePositive + wfn * falseNegative
      if (err < bestErr - 1e-12) {
        bestErr = err
        best = { bands, rows }
      }
    }
  }
  memo.set(key, best)
  return { ...best }
}

export function checkParams(name: string, params: LshParams, numPerm: number): LshParams {
  checkInteger(`${name}.bands`, params.bands, 1, MAX_BANDS)
  checkInteger(`${name}.rows`, params.rows, 1, numPerm)
  if (params.bands * params.rows > numPerm) {
    throw invalid(`${name}: bands * rows (${params.bands} * ${params.rows}) must not exceed the ${numPerm} signature values`)
  }
  return params
}
