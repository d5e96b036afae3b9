import { invalid } from '../errors.js'

const TWO_32 = 4294967296
const TWO_21 = 2097152
/** Documents per batch: a bucket entry packs hash · 2^21 + document into one float64. */
export const MAX_BATCH_DOCS = TWO_21

/** What batch candidate generation saw. */
export interface BatchStats {
  /** Band entries, over all documents and channels. */
  entries: number
  /** Buckets with two or more documents. */
  sharedBuckets: number
  /** Buckets skipped because more than `maxBucket` documents fell in them (too common to mean anything). */
  oversizedBuckets: number
  /** Distinct candidate pairs. */
  pairs: number
  /** Bytes held by the typed arrays while grouping. */
  bytes: number
}

/**
 * Candidate pairs of a batch of documents, by sorting band entries instead of keeping a Map
 * entry per band per document: per band slot, entries `hash · 2^21 + doc` go into one
 * Float64Array that is sorted natively, and runs of equal hash are the buckets.
 *
 * Returns pairs as a flat Uint32Array [a0, b0, a1, b1, …] with a < b, sorted.
 */
export function batchCandidatePairs(
  keysPerDoc: readonly Float64Array[],
  maxBucket = 500,
): { pairs: Uint32Array; stats: BatchStats } {
  const n = keysPerDoc.length
  if (n > MAX_BATCH_DOCS) throw invalid(`batch: at most ${MAX_BATCH_DOCS} documents per batch, got ${n}`)
  // Count entries per slot (channel and band) so that each slot gets one contiguous range.
  const slotCount = new Map<number, number>()
  let entries = 0
  for (const keys of keysPerDoc) {
    for (const k of keys) {
      const slot = Math.floor(k / TWO_32)
      slotCount.set(slot, (slotCount.get(slot) ?? 0) + 1)
      entries++
    }
  }
  const slots = [...slotCount.keys()].sort((a, b) => a - b)
  const offset = new Map<number, number>()
  let at = 0
  for (const s of slots) {
    offset.set(s, at)
    at += slotCount.get(s) as number
  }
  const packed = new Float64Array(entries)
  const fill = new Map(offset)
  for (let d = 0; d < n; d++) {
    for (const k of keysPerDoc[d] as Float64Array) {
      const slot = Math.floor(k / TWO_32)
      const pos = fill.get(slot) as number
      packed[pos] = (k - slot * TWO_32) * TWO_21 + d
      fill.set(slot, pos + 1)
    }
  }
  const seen = new Set<number>()
  const out: number[] = []
  let sharedBuckets = 0
  let oversizedBuckets = 0
  for (const s of slots) {
    const start = offset.get(s) as number
    const range = packed.subarray(start, start + (slotCount.get(s) as number))
    range.sort()
    let i = 0
    while (i < range.length) {
      const h = Math.floor((range[i] as number) / TWO_21)
      let j = i + 1
      while (j < range.length && Math.floor((range[j] as number) / TWO_21) === h) j++
      const size = j - i
      if (size >= 2) {
        sharedBuckets++
        if (size > maxBucket) oversizedBuckets++
        else {
          for (let x = i; x < j; x++) {
            const a = (range[x] as number) % TWO_21
            for (let y = x + 1; y < j; y++) {
              const b = (range[y] as number) % TWO_21
              if (a === b) continue
              const key = a < b ? a * TWO_21 + b : b * TWO_21 + a
              if (!seen.has(key)) {
                seen.add(key)
                out.push(key)
              }
            }
          }
        }
      }
      i = j
    }
  }
  out.sort((a, b) => a - b)
  const pairs = new Uint32Array(out.length * 2)
  for (let i = 0; i < out.length; i++) {
    const key = out[i] as number
    pairs[2 * i] = Math.floor(key / TWO_21)
    pairs[2 * i + 1] = key % TWO_21
  }
  return {
    pairs,
    stats: { entries, sharedBuckets, oversizedBuckets, pairs: out.length, bytes: packed.byteLength + pairs.byteLength },
  }
}
