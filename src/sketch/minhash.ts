import { argNumber, argNumbers, checkInteger } from '../errors.js'
import { mix32 } from './hash.js'
import { ophInto } from './oph.js'

/** `oph`: one-permutation hashing with optimal densification; `kperm`: classic k independent permutations. */
export type MinHashScheme = 'oph' | 'kperm'

/**
 * One-permutation hashing (Li et al. 2012) with optimal densification (Shrivastava, ICML 2017):
 * one hash per element splits the hash range into `k` bins and keeps each bin's minimum, so it
 * costs O(n + k) instead of O(n·k). Empty bins borrow from a non-empty bin chosen by a seeded
 * probe sequence that is the same for every document, which keeps the estimator unbiased.
 */
export function ophSignature(hashes: ArrayLike<number>, k: number, seed: number, out = new Uint32Array(k)): Uint32Array {
  // One implementation, with reused scratch space and cached probe sequences: oph.ts.
  const h = hashes instanceof Uint32Array ? hashes : Uint32Array.from(hashes)
  out.set(ophInto(h, h.length, k, seed))
  return out
}

/** Per-permutation multipliers and offsets for the classic scheme, derived from the seed. */
function permutations(k: number, seed: number): { a: Uint32Array; b: Uint32Array } {
  const a = new Uint32Array(k)
  const b = new Uint32Array(k)
  for (let i = 0; i < k; i++) {
    a[i] = (mix32(seed + 2 * i + 1) | 1) >>> 0 // odd, so x → a·x + b is a bijection mod 2^32
    b[i] = mix32(seed ^ Math.imul(i + 1, 0x9e3779b1))
  }
  return { a, b }
}

const permCache = new Map<string, { a: Uint32Array; b: Uint32Array }>()

/** Classic MinHash: k hash functions, each element hashed k times; O(n·k). */
export function kpermSignature(hashes: ArrayLike<number>, k: number, seed: number, out = new Uint32Array(k)): Uint32Array {
  const key = `${k}:${seed}`
  let perm = permCache.get(key)
  if (!perm) permCache.set(key, (perm = permutations(k, seed)))
  const { a, b } = perm
  out.fill(0xffffffff)
  const n = hashes.length
  for (let i = 0; i < n; i++) {
    const h = hashes[i] as number
    for (let j = 0; j < k; j++) {
      const v = mix32((Math.imul(h, a[j] as number) + (b[j] as number)) | 0)
      if (v < (out[j] as number)) out[j] = v
    }
  }
  return out
}

/** MinHash signature of a set of 32-bit element hashes. An empty set gives all 0xffffffff. */
export function minhash(hashes: ArrayLike<number>, numPerm: number, seed = 1, scheme: MinHashScheme = 'oph'): Uint32Array {
  argNumbers('minhash', 'hashes', hashes)
  argNumber('minhash', 'numPerm', numPerm)
  checkInteger('numPerm', numPerm, 1, 65535)
  return scheme === 'oph' ? ophSignature(hashes, numPerm, seed) : kpermSignature(hashes, numPerm, seed)
}

/** Positions where two signatures of one length hold equal values (values may be cut to 16 bits). */
export function equalCount(a: Uint32Array | Uint16Array, b: Uint32Array | Uint16Array): number {
  let eq = 0
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) eq++
  return eq
}

/** Fraction of equal positions: the MinHash estimate of Jaccard similarity. */
export function estimateJaccard(a: Uint32Array | Uint16Array, b: Uint32Array | Uint16Array): number {
  argNumbers('estimateJaccard', 'a', a)
  argNumbers('estimateJaccard', 'b', b)
  const n = a.length
  if (n === 0 || n !== b.length) return 0
  return equalCount(a, b) / n
}

/**
 * Containment of A in B (|A∩B| / |A|) from a Jaccard estimate and the two set sizes,
 * using |A∩B| = J(|A|+|B|)/(1+J).
 */
export function containmentFromJaccard(j: number, sizeA: number, sizeB: number): number {
  argNumber('containmentFromJaccard', 'j', j)
  argNumber('containmentFromJaccard', 'sizeA', sizeA)
  argNumber('containmentFromJaccard', 'sizeB', sizeB)
  if (sizeA === 0) return 0
  const inter = (j * (sizeA + sizeB)) / (1 + j)
  return Math.min(1, inter / sizeA)
}
