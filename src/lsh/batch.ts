import { argArray, describeValue, invalid } from '../errors.js'
import { mix32 } from '../sketch/hash.js'
import type { BandKeys, IndexStore, StoreEntry } from './store.js'

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
  /** Buckets of more than `maxBucket` documents: not enumerated pair by pair, their members are passed to `floods` (or skipped without it). */
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
 * Returns pairs as a flat Uint32Array [a0, b0, a1, b1, …] with a < b, sorted. With `groups`,
 * only pairs of documents in different groups are returned (documents meant to pair with no one
 * should have no keys). With `floods`, the members of each bucket over `maxBucket` are pushed
 * to it (distinct, ascending) instead of being paired; the caller pairs them in linear time.
 */
export function batchCandidatePairs(
  keysPerDoc: readonly Float64Array[],
  maxBucket = 500,
  groups?: Int32Array,
  floods?: Uint32Array[],
): { pairs: Uint32Array; stats: BatchStats } {
  argArray('batchCandidatePairs', 'keysPerDoc', keysPerDoc, 'Float64Array band keys')
  keysPerDoc.forEach((k, i) => {
    if (!(k instanceof Float64Array))
      throw invalid(`batchCandidatePairs: keysPerDoc[${i}] must be a Float64Array of band keys, got ${describeValue(k)}`)
  })
  const n = keysPerDoc.length
  if (n > MAX_BATCH_DOCS) throw invalid(`batch: at most ${MAX_BATCH_DOCS} documents per batch, got ${n}`)
  // Count entries per slot (channel and band) so that each slot gets one contiguous range.
  // Slots are small integers (channel · 1024 + band): plain arrays index them faster than Maps.
  const slotCount: number[] = []
  let entries = 0
  for (const keys of keysPerDoc) {
    for (let i = 0; i < keys.length; i++) {
      const slot = Math.floor((keys[i] as number) / TWO_32)
      slotCount[slot] = (slotCount[slot] ?? 0) + 1
    }
    entries += keys.length
  }
  const slots: number[] = []
  const offset: number[] = []
  let at = 0
  slotCount.forEach((count, s) => {
    slots.push(s)
    offset[s] = at
    at += count
  })
  const packed = new Float64Array(entries)
  const fill = offset.slice()
  for (let d = 0; d < n; d++) {
    const keys = keysPerDoc[d] as Float64Array
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as number
      const slot = Math.floor(k / TWO_32)
      packed[fill[slot] as number] = (k - slot * TWO_32) * TWO_21 + d
      fill[slot] = (fill[slot] as number) + 1
    }
  }
  // Pair keys a·2^21 + b go into an open-addressing hash set of float64 (a Set costs about 40
  // bytes per pair and throws RangeError past 2^24 pairs): a pair sharing many bands is pushed
  // once per band, so deduplicating by sorting a growing array re-sorted it again and again.
  const seen = new PairSet()
  let sharedBuckets = 0
  let oversizedBuckets = 0
  for (const s of slots) {
    const start = offset[s] as number
    const range = packed.subarray(start, start + (slotCount[s] as number))
    range.sort()
    let i = 0
    while (i < range.length) {
      const h = Math.floor((range[i] as number) / TWO_21)
      let j = i + 1
      while (j < range.length && Math.floor((range[j] as number) / TWO_21) === h) j++
      const size = j - i
      if (size >= 2) {
        sharedBuckets++
        if (size > maxBucket) {
          oversizedBuckets++
          if (floods) {
            // Entries are sorted by hash then document: members come out ascending.
            const members: number[] = []
            for (let x = i; x < j; x++) {
              const d = (range[x] as number) % TWO_21
              if (members[members.length - 1] !== d) members.push(d)
            }
            floods.push(Uint32Array.from(members))
          }
        } else {
          for (let x = i; x < j; x++) {
            const a = (range[x] as number) % TWO_21
            for (let y = x + 1; y < j; y++) {
              const b = (range[y] as number) % TWO_21
              if (a === b) continue
              // With groups (languages), only pairs across two known, different groups.
              if (groups && (groups[a] as number) === (groups[b] as number)) continue
              seen.add(a < b ? a * TWO_21 + b : b * TWO_21 + a)
            }
          }
        }
      }
      i = j
    }
  }
  const keys = seen.sorted()
  const unique = keys.length
  const pairs = new Uint32Array(unique * 2)
  for (let i = 0; i < unique; i++) {
    const key = keys[i] as number
    pairs[2 * i] = Math.floor(key / TWO_21)
    pairs[2 * i + 1] = key % TWO_21
  }
  return {
    pairs,
    stats: {
      entries,
      sharedBuckets,
      oversizedBuckets,
      pairs: unique,
      bytes: packed.byteLength + seen.bytes + pairs.byteLength,
    },
  }
}

/** A set of positive integer float64 keys (below 2^53), open addressing with linear probing; 0 marks an empty slot. */
class PairSet {
  private table = new Float64Array(1 << 16)
  private mask = (1 << 16) - 1
  private size = 0

  get bytes(): number {
    return this.table.byteLength
  }

  add(key: number): void {
    const t = this.table
    let i = slotOf(key) & this.mask
    for (;;) {
      const v = t[i] as number
      if (v === key) return
      if (v === 0) break
      i = (i + 1) & this.mask
    }
    t[i] = key
    if (++this.size * 2 > t.length) this.grow()
  }

  private grow(): void {
    const old = this.table
    this.table = new Float64Array(old.length * 2)
    this.mask = this.table.length - 1
    for (const key of old) {
      if (key === 0) continue
      let i = slotOf(key) & this.mask
      while (this.table[i] !== 0) i = (i + 1) & this.mask
      this.table[i] = key
    }
  }

  /** The keys, ascending. */
  sorted(): Float64Array {
    const out = new Float64Array(this.size)
    let n = 0
    for (const key of this.table) if (key !== 0) out[n++] = key
    return out.sort()
  }
}

function slotOf(key: number): number {
  const lo = key >>> 0
  const hi = (key / TWO_32) >>> 0
  return mix32(lo ^ Math.imul(hi, 0x9e3779b1))
}

/**
 * The batch path as an {@link IndexStore}: `add` only appends to typed arrays; the first query
 * sorts them (per band slot, `hash · 2^21 + doc` in one Float64Array) and later queries binary-search.
 * Memory per document is its band keys as float64s plus its id, with no Map entry per band.
 */
export class BatchStore implements IndexStore {
  readonly kind = 'batch'
  private ids: string[] = []
  private readonly index = new Map<string, number>()
  private keys: Float64Array[] = []
  private payload: (string | undefined)[] = []
  private removed = new Set<number>()
  private sorted: { slots: Map<number, Float64Array> } | null = null

  async add(entries: readonly StoreEntry[]): Promise<void> {
    for (const e of entries) {
      const existing = this.index.get(e.id)
      if (existing !== undefined) this.removed.add(existing)
      if (this.ids.length >= MAX_BATCH_DOCS) throw invalid(`batch store: at most ${MAX_BATCH_DOCS} documents`)
      this.index.set(e.id, this.ids.length)
      this.ids.push(e.id)
      this.keys.push(e.keys)
      this.payload.push(e.payload)
    }
    this.sorted = null
  }

  private build(): Map<number, Float64Array> {
    if (this.sorted) return this.sorted.slots
    const counts = new Map<number, number>()
    this.keys.forEach((ks, d) => {
      if (this.removed.has(d)) return
      for (const k of ks) {
        const slot = Math.floor(k / TWO_32)
        counts.set(slot, (counts.get(slot) ?? 0) + 1)
      }
    })
    const slots = new Map<number, Float64Array>()
    const fill = new Map<number, number>()
    for (const [slot, c] of counts) {
      slots.set(slot, new Float64Array(c))
      fill.set(slot, 0)
    }
    this.keys.forEach((ks, d) => {
      if (this.removed.has(d)) return
      for (const k of ks) {
        const slot = Math.floor(k / TWO_32)
        const pos = fill.get(slot) as number
        ;(slots.get(slot) as Float64Array)[pos] = (k - slot * TWO_32) * TWO_21 + d
        fill.set(slot, pos + 1)
      }
    })
    for (const arr of slots.values()) arr.sort()
    this.sorted = { slots }
    return slots
  }

  async query(keyLists: readonly BandKeys[]): Promise<string[][]> {
    const slots = this.build()
    return keyLists.map((keys) => {
      const out = new Set<string>()
      for (const k of keys) {
        const slot = Math.floor(k / TWO_32)
        const arr = slots.get(slot)
        if (!arr) continue
        const lo = (k - slot * TWO_32) * TWO_21
        for (let i = lowerBound(arr, lo); i < arr.length && (arr[i] as number) < lo + TWO_21; i++) {
          out.add(this.ids[(arr[i] as number) - lo] as string)
        }
      }
      return [...out].sort()
    })
  }

  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const d = this.index.get(id)
      if (d === undefined) continue
      this.index.delete(id)
      this.removed.add(d)
      this.sorted = null
    }
  }

  async has(id: string): Promise<boolean> {
    return this.index.has(id)
  }

  async size(): Promise<number> {
    return this.index.size
  }

  async payloads(ids: readonly string[]): Promise<(string | undefined)[]> {
    return ids.map((id) => {
      const d = this.index.get(id)
      return d === undefined ? undefined : this.payload[d]
    })
  }

  /** Bytes held by the typed arrays (band keys, and the sorted buckets once built). */
  bytes(): number {
    let n = 0
    for (const k of this.keys) n += k.byteLength
    if (this.sorted) for (const a of this.sorted.slots.values()) n += a.byteLength
    return n
  }
}

function lowerBound(arr: Float64Array, x: number): number {
  let lo = 0
  let hi = arr.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((arr[mid] as number) < x) lo = mid + 1
    else hi = mid
  }
  return lo
}
