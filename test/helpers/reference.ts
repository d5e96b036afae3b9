// Slow, obviously-correct reference implementations that the fast code is checked against.
// Hashes use BigInt arithmetic (no Math.imul, no int32 wrap-around tricks).
import type { Tile } from '../../src/compare/tiling.js'

const M32 = 0xffffffffn

/** MurmurHash3 fmix32 in BigInt arithmetic. */
export function fmix32Ref(h: number): number {
  let x = BigInt(h >>> 0)
  x ^= x >> 16n
  x = (x * 0x85ebca6bn) & M32
  x ^= x >> 13n
  x = (x * 0xc2b2ae35n) & M32
  x ^= x >> 16n
  return Number(x)
}

/** Plain 32-bit FNV-1a over UTF-16 code units, starting from `offset`. */
export function fnv1aRef(s: string, offset = 0x811c9dc5): number {
  let h = BigInt(offset >>> 0)
  for (let i = 0; i < s.length; i++) h = ((h ^ BigInt(s.charCodeAt(i))) * 0x01000193n) & M32
  return Number(h)
}

/** The library's documented string hash: seeded FNV-1a, then fmix32. */
export function hashStringRef(s: string, seed = 0): number {
  return fmix32Ref(fnv1aRef(s, (0x811c9dc5 ^ seed) >>> 0))
}

/** MurmurHash3-style mixing step (unsigned result). */
export function combineRef(h: number, v: number): number {
  let x = BigInt(h >>> 0) ^ ((BigInt(v >>> 0) * 0xcc9e2d51n) & M32)
  x = ((x << 13n) | (x >> 19n)) & M32
  return Number((x * 5n + 0xe6546b64n) & M32)
}

/** floor(x · k / 2^32) in exact integer arithmetic. */
export function binOf(x: number, k: number): number {
  return Number((BigInt(x >>> 0) * BigInt(k)) >> 32n)
}

/**
 * One-permutation hashing with optimal densification, written from the paper's description:
 * bin = floor(h·k/2^32), keep each bin's minimum; an empty bin takes the value of the first
 * non-empty bin on its probe sequence, which depends on (bin, attempt, seed) only.
 */
export function ophRef(hashes: ArrayLike<number>, k: number, seed: number): Uint32Array {
  const bins: (number | undefined)[] = new Array(k).fill(undefined)
  for (let i = 0; i < hashes.length; i++) {
    const x = fmix32Ref(((hashes[i] as number) ^ seed) >>> 0)
    const b = binOf(x, k)
    const cur = bins[b]
    if (cur === undefined || x < cur) bins[b] = x
  }
  const out = new Uint32Array(k).fill(0xffffffff)
  const filled = bins.filter((v) => v !== undefined).length
  if (filled === 0) return out
  for (let b = 0; b < k; b++) {
    const own = bins[b]
    if (own !== undefined) {
      out[b] = own
      continue
    }
    for (let attempt = 1; ; attempt++) {
      const a = (BigInt(b + 1) * 0x9e3779b1n) & M32
      const c = (BigInt(attempt) * 0x85ebca6bn) & M32
      const src = binOf(fmix32Ref(Number(a ^ c ^ BigInt(seed >>> 0))), k)
      const v = bins[src]
      if (v !== undefined) {
        out[b] = v
        break
      }
    }
  }
  return out
}

/** Classic MinHash: permutation j is x ↦ fmix32(a_j·x + b_j mod 2^32), a_j odd. */
export function kpermRef(hashes: ArrayLike<number>, k: number, seed: number): Uint32Array {
  const out = new Uint32Array(k).fill(0xffffffff)
  for (let j = 0; j < k; j++) {
    const a = BigInt(fmix32Ref((seed + 2 * j + 1) >>> 0) | 1) & M32
    const b = BigInt(fmix32Ref(Number(BigInt(seed >>> 0) ^ ((BigInt(j + 1) * 0x9e3779b1n) & M32))))
    for (let i = 0; i < hashes.length; i++) {
      const v = fmix32Ref(Number((a * BigInt((hashes[i] as number) >>> 0) + b) & M32))
      if (v < (out[j] as number)) out[j] = v
    }
  }
  return out
}

/** Do two signatures agree on all rows of at least one band? (The definition of an LSH candidate.) */
export function shareBand(x: ArrayLike<number>, y: ArrayLike<number>, bands: number, rows: number): boolean {
  for (let b = 0; b < bands; b++) {
    let all = true
    for (let r = 0; r < rows && all; r++) all = x[b * rows + r] === y[b * rows + r]
    if (all) return true
  }
  return false
}

/** Adaptive Simpson quadrature to an absolute tolerance. */
export function integrateRef(f: (x: number) => number, a: number, b: number, tol = 1e-11): number {
  const simpson = (fa: number, fm: number, fb: number, w: number) => ((fa + 4 * fm + fb) * w) / 6
  const rec = (a: number, b: number, fa: number, fm: number, fb: number, whole: number, tol: number, depth: number): number => {
    const m = (a + b) / 2
    const lm = (a + m) / 2
    const rm = (m + b) / 2
    const flm = f(lm)
    const frm = f(rm)
    const left = simpson(fa, flm, fm, m - a)
    const right = simpson(fm, frm, fb, b - m)
    if (depth <= 0 || Math.abs(left + right - whole) <= 15 * tol) return left + right + (left + right - whole) / 15
    return rec(a, m, fa, flm, fm, left, tol / 2, depth - 1) + rec(m, b, fm, frm, fb, right, tol / 2, depth - 1)
  }
  if (b <= a) return 0
  // Start from 16 panels so that a narrow peak cannot hide between the first samples.
  let sum = 0
  const panels = 16
  for (let i = 0; i < panels; i++) {
    const x0 = a + ((b - a) * i) / panels
    const x1 = a + ((b - a) * (i + 1)) / panels
    const fa = f(x0)
    const fb = f(x1)
    const fm = f((x0 + x1) / 2)
    sum += rec(x0, x1, fa, fm, fb, simpson(fa, fm, fb, x1 - x0), tol / panels, 40)
  }
  return sum
}

/** Weighted S-curve error of a banding, by the reference quadrature. */
export function bandingErrorRef(threshold: number, bands: number, rows: number, weights: [number, number] = [0.5, 0.5]): number {
  const p = (s: number) => 1 - (1 - s ** rows) ** bands
  const fp = integrateRef(p, 0, threshold)
  const fn = integrateRef((s) => 1 - p(s), threshold, 1)
  return weights[0] * fp + weights[1] * fn
}

/** A number token's canonical text, from the documented rule: `,`/`.` before exactly 3 digits is a thousands separator. */
export function normalizeNumberRef(raw: string): string {
  const parts = raw.split(/[.,]/)
  let out = parts[0] as string
  for (const part of parts.slice(1)) out += (part.length === 3 ? '' : '.') + part
  return out
}

/**
 * Reference tokenizer for ASCII text, as regular expressions: a word is a letter followed by
 * letters and digits, with apostrophes kept between letters; a number is digits with `,`/`.`
 * kept between digits.
 */
export function tokenizeAsciiRef(s: string): { text: string; start: number; end: number }[] {
  const re = /[A-Za-z](?:[A-Za-z0-9]|'(?=[A-Za-z]))*|[0-9](?:[0-9]|[.,](?=[0-9]))*/g
  return [...s.matchAll(re)].map((m) => ({
    text: /^[0-9]/.test(m[0]) ? normalizeNumberRef(m[0]) : m[0],
    start: m.index,
    end: m.index + m[0].length,
  }))
}

/**
 * Textbook greedy string tiling (Wise 1993), by brute force: scan every (i, j), extend over
 * untiled equal tokens, keep the longest (strict > in i-then-j order keeps the smallest i, then j).
 */
export function greedyTilesRef(a: ArrayLike<number>, b: ArrayLike<number>, minLength: number): Tile[] {
  const usedA = new Uint8Array(a.length)
  const usedB = new Uint8Array(b.length)
  const out: Tile[] = []
  for (;;) {
    let best: Tile | null = null
    for (let i = 0; i < a.length; i++) {
      for (let j = 0; j < b.length; j++) {
        let len = 0
        while (i + len < a.length && j + len < b.length && !usedA[i + len] && !usedB[j + len] && a[i + len] === b[j + len]) len++
        if (len >= minLength && (!best || len > best.length)) best = { aStart: i, bStart: j, length: len }
      }
    }
    if (!best) return out
    out.push(best)
    usedA.fill(1, best.aStart, best.aStart + best.length)
    usedB.fill(1, best.bStart, best.bStart + best.length)
  }
}
