import { mix32 } from './hash.js'

/** Probe targets cached per bin: a bin needs about k / (non-empty bins) probes. */
const CACHED_PROBES = 32
/** Cache probes only for signatures up to this size (the table has CACHED_PROBES entries a bin). */
const MAX_CACHED_K = 2048

let filled = new Uint8Array(128)
let pending = new Uint16Array(128)
/** Probe tables by (k, seed): analyze alternates paragraph (32) and document (128) signatures. */
const tables = new Map<number, Uint16Array>()
const MAX_TABLES = 4
/** (k, seed) pairs met once: a table is built on the second call, not for a seed used once. */
const seenOnce = new Set<number>()

/**
 * `Math.floor((x / 2 ** 32) * k)` for a 32-bit `x` and `k` < 2^16, in integer arithmetic: with
 * x = hi·2^16 + lo, x·k / 2^32 = (hi·k + lo·k / 2^16) / 2^16, and both products fit in 32 bits.
 */
export function binOf(x: number, k: number): number {
  return (Math.imul(x >>> 16, k) + (Math.imul(x & 0xffff, k) >>> 16)) >>> 16
}

/** Bin of the `attempt`th probe for empty bin `b`: a seeded sequence, the same for every document. */
function probe(b: number, attempt: number, k: number, seed: number): number {
  return binOf(mix32(Math.imul(b + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca6b) ^ seed), k)
}

/**
 * The OPH signature of `hashes.subarray(0, n)` (what `ophSignature` in minhash.ts returns), made
 * for signing many small documents: it reuses its scratch arrays, avoids branches the CPU cannot
 * predict, and caches the probe sequences of the densification, which are the same for every
 * document (short texts leave most bins empty).
 */
export function ophInto(hashes: Uint32Array, n: number, k: number, seed: number, into?: Uint32Array): Uint32Array {
  // `into` (k values, overwritten): the caller's array, e.g. a view of a shared slab.
  const out = (into ?? new Uint32Array(k)).fill(0xffffffff)
  if (filled.length < k) filled = new Uint8Array(k)
  else filled.fill(0, 0, k)
  const f = filled
  // Branch-free: whether a bin is new, or its minimum falls, is a coin flip for the CPU.
  for (let i = 0; i < n; i++) {
    const x = mix32((hashes[i] as number) ^ seed)
    const bin = binOf(x, k)
    f[bin] = 1
    const o = out[bin] as number
    if (x < o) out[bin] = x
  }
  if (pending.length < k) pending = new Uint16Array(k)
  const empty = pending
  let e = 0
  for (let b = 0; b < k; b++) {
    empty[e] = b
    e += 1 - (f[b] as number)
  }
  if (e === 0 || e === k) return out
  const table = probes(k, seed)
  for (let i = 0; i < e; i++) {
    const b = empty[i] as number
    let attempt = 1
    if (table !== null) {
      const base = b * CACHED_PROBES - 1
      for (; attempt <= CACHED_PROBES; attempt++) {
        const src = table[base + attempt] as number
        if (f[src] === 1) {
          out[b] = out[src] as number
          break
        }
      }
      if (attempt <= CACHED_PROBES) continue
    }
    for (; ; attempt++) {
      const src = probe(b, attempt, k, seed)
      if (f[src] === 1) {
        out[b] = out[src] as number
        break
      }
    }
  }
  return out
}

/**
 * The probe table for (k, seed), built the second time they are used: building it takes
 * CACHED_PROBES probes a bin, which a caller that changes the seed every time would pay each time.
 */
function probes(k: number, seed: number): Uint16Array | null {
  if (k > MAX_CACHED_K) return null
  const key = k * 4294967296 + seed
  const cached = tables.get(key)
  if (cached) return cached
  if (!seenOnce.has(key)) {
    if (seenOnce.size >= 64) seenOnce.clear()
    seenOnce.add(key)
    return null
  }
  const t = new Uint16Array(k * CACHED_PROBES)
  for (let b = 0; b < k; b++) {
    for (let a = 1; a <= CACHED_PROBES; a++) t[b * CACHED_PROBES + a - 1] = probe(b, a, k, seed)
  }
  if (tables.size >= MAX_TABLES) tables.delete(tables.keys().next().value as number)
  tables.set(key, t)
  return t
}
