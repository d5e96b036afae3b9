import { argNumber, argNumbers, argString } from '../errors.js'
import { combine, mix32 } from './hash.js'

/**
 * Word k-gram hashes from token hashes, combined in order: no string is built per shingle.
 * A text shorter than k tokens gives one shingle of all its tokens, so short paragraphs still count.
 */
export function wordShingles(tokens: ArrayLike<number>, k: number, seed = 0): Uint32Array {
  argNumbers('wordShingles', 'tokens', tokens)
  argNumber('wordShingles', 'k', k)
  const n = tokens.length
  if (n === 0) return new Uint32Array(0)
  const count = n >= k ? n - k + 1 : 1
  const width = Math.min(k, n)
  const out = new Uint32Array(count)
  for (let i = 0; i < count; i++) {
    let h = seed ^ width
    for (let j = 0; j < width; j++) h = combine(h, tokens[i + j] as number)
    out[i] = mix32(h)
  }
  return out
}

/** Character k-gram hashes over a (normalised) string, by a rolling polynomial hash. */
export function charShingles(s: string, k: number, seed = 0): Uint32Array {
  argString('charShingles', 's', s)
  argNumber('charShingles', 'k', k)
  const n = s.length
  if (n === 0) return new Uint32Array(0)
  if (n < k) {
    let h = seed
    for (let i = 0; i < n; i++) h = combine(h, s.charCodeAt(i))
    return Uint32Array.of(mix32(h))
  }
  const out = new Uint32Array(n - k + 1)
  for (let i = 0; i + k <= n; i++) {
    let h = seed ^ 0x5bd1e995
    for (let j = 0; j < k; j++) h = combine(h, s.charCodeAt(i + j))
    out[i] = mix32(h)
  }
  return out
}

/** Sorted distinct values of a hash array (a set, for exact Jaccard and containment). */
export function toSortedSet(hashes: Uint32Array): Uint32Array {
  const n = hashes.length
  const a = hashes.slice()
  if (n < 2) return a
  // A sentence's figures or names are a handful: sorted in place, with no call into the engine's sort.
  if (n <= 16) {
    for (let i = 1; i < n; i++) {
      const x = a[i] as number
      let j = i - 1
      for (; j >= 0 && (a[j] as number) > x; j--) a[j + 1] = a[j] as number
      a[j + 1] = x
    }
  } else a.sort()
  let w = 1
  for (let i = 1; i < n; i++) if (a[i] !== a[w - 1]) a[w++] = a[i] as number
  return w === n ? a : a.slice(0, w)
}

/** Size of the intersection of two sorted sets. */
export function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  let i = 0
  let j = 0
  let n = 0
  while (i < a.length && j < b.length) {
    const x = a[i] as number
    const y = b[j] as number
    if (x === y) {
      n++
      i++
      j++
    } else if (x < y) i++
    else j++
  }
  return n
}

/** Union of sorted sets, sorted and distinct. */
export function unionOf(sets: Uint32Array[]): Uint32Array {
  let total = 0
  for (const s of sets) total += s.length
  const all = new Uint32Array(total)
  let o = 0
  for (const s of sets) {
    all.set(s, o)
    o += s.length
  }
  return toSortedSet(all)
}
