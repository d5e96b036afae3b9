// Binary formats exchanged with the Lua scripts and stored in Redis. Version 1 of the key layout;
// changing anything here changes what is stored, so bump LAYOUT_VERSION with it.

import { WiretraceError } from '../errors.js'

export const LAYOUT_VERSION = 1
const TWO_32 = 4294967296
/** Band keys are stored as 6-byte little-endian integers. */
export const MAX_BAND_KEY = 2 ** 48 - 1

/** FNV-1a over UTF-16 code units, then a murmur finaliser: the shard of a document id. Frozen with the layout. */
export function idHash(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** The shard of a band key: its low 32 bits are the band hash, uniformly spread. */
export function keyShard(key: number, shards: number): number {
  return (key % TWO_32) % shards
}

/** Write a band key as the 6-byte hash field it is stored under (little-endian). */
export function writeField(b: Uint8Array, o: number, key: number): void {
  const lo = key % TWO_32
  const hi = (key - lo) / TWO_32
  b[o] = lo & 0xff
  b[o + 1] = (lo >>> 8) & 0xff
  b[o + 2] = (lo >>> 16) & 0xff
  b[o + 3] = lo >>> 24
  b[o + 4] = hi & 0xff
  b[o + 5] = hi >>> 8
}

/**
 * Open-addressing map from band key to a non-negative int, much faster than a Map for keys above
 * 2^31 (which a Map boxes). The low 32 bits of a band key are a hash already.
 */
export class KeyTable {
  private keys: Float64Array
  private vals: Int32Array
  private mask: number
  size = 0
  constructor(expected: number) {
    let cap = 16
    while (cap < expected * 2) cap *= 2
    this.keys = new Float64Array(cap).fill(-1)
    this.vals = new Int32Array(cap)
    this.mask = cap - 1
  }
  /** The value of `key`, or -1. */
  get(key: number): number {
    const { keys, mask } = this
    let i = (key % TWO_32) & mask
    for (;;) {
      const k = keys[i] as number
      if (k === key) return this.vals[i] as number
      if (k === -1) return -1
      i = (i + 1) & mask
    }
  }
  /** Set `key` to `value` and return the previous value, or -1 if there was none. */
  set(key: number, value: number): number {
    if (this.size * 2 >= this.keys.length) this.grow()
    const { keys, mask } = this
    let i = (key % TWO_32) & mask
    for (;;) {
      const k = keys[i] as number
      if (k === key) {
        const prev = this.vals[i] as number
        this.vals[i] = value
        return prev
      }
      if (k === -1) {
        keys[i] = key
        this.vals[i] = value
        this.size++
        return -1
      }
      i = (i + 1) & mask
    }
  }
  private grow(): void {
    const { keys, vals } = this
    this.keys = new Float64Array(keys.length * 2).fill(-1)
    this.vals = new Int32Array(keys.length * 2)
    this.mask = keys.length * 2 - 1
    this.size = 0
    for (let i = 0; i < keys.length; i++) if ((keys[i] as number) !== -1) this.set(keys[i] as number, vals[i] as number)
  }
}

/**
 * Builds the argument of the posting scripts: groups of `[u32 valueLength][u32 count][value][count × 6-byte field]`,
 * where the value is `\0id\0` (or `\0id1\0id2\0…` for a bucket several documents of the batch share).
 */
export class PostingWriter {
  private buf: Buffer
  length = 0
  postings = 0
  constructor(initial = 1024) {
    this.buf = Buffer.allocUnsafe(initial)
  }
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.length + n) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.buf.copy(next, 0, 0, this.length)
    this.buf = next
  }
  /** Start a group of `count` fields that all get `value`; then call {@link field} `count` times. */
  group(value: Buffer, count: number): void {
    this.ensure(8 + value.length + 6 * count)
    this.buf.writeUInt32LE(value.length, this.length)
    this.buf.writeUInt32LE(count, this.length + 4)
    value.copy(this.buf, this.length + 8)
    this.length += 8 + value.length
  }
  field(key: number): void {
    writeField(this.buf, this.length, key)
    this.length += 6
    this.postings++
  }
  bytes(): Buffer {
    return this.buf.subarray(0, this.length)
  }
}

/** The band keys of one document that live in one time generation. */
export interface KeyGroup {
  gen: number
  keys: Float64Array
}

/** What the store keeps per document (`{ns:s}:d:<id>`). */
export interface DocRecord {
  /** Publication time used for the window (clamped to the server's clock). */
  time: number
  /** When the document stops matching (epoch ms), or Infinity without a window. */
  expires: number
  /**
   * Every band key under which this id may have postings. A committed record has exactly one
   * group; a pending one (written before postings, or while replacing) may have more.
   */
  groups: KeyGroup[]
  payload: string | undefined
}

const RECORD_MAGIC = 0x57 // 'W'

export function encodeRecord(r: DocRecord): Buffer {
  let size = 1 + 1 + 8 + 8 + 2
  for (const g of r.groups) size += 8 + 4 + 6 * g.keys.length
  const payload = r.payload === undefined ? undefined : Buffer.from(r.payload, 'utf8')
  size += 1 + (payload?.length ?? 0)
  const b = Buffer.allocUnsafe(size)
  let o = 0
  b.writeUInt8(RECORD_MAGIC, o++)
  b.writeUInt8(LAYOUT_VERSION, o++)
  b.writeDoubleLE(r.time, o)
  b.writeDoubleLE(r.expires, o + 8)
  b.writeUInt16LE(r.groups.length, o + 16)
  o += 18
  for (const g of r.groups) {
    b.writeDoubleLE(g.gen, o)
    b.writeUInt32LE(g.keys.length, o + 8)
    o += 12
    for (const k of g.keys) {
      writeField(b, o, k)
      o += 6
    }
  }
  b.writeUInt8(payload ? 1 : 0, o++)
  if (payload) payload.copy(b, o)
  return b
}

export function decodeRecord(b: Buffer, id: string): DocRecord {
  const bad = (why: string) => new WiretraceError('CORRUPT_DATA', `redis store: record of "${id}" is unreadable (${why})`)
  if (b.length < 21 || b.readUInt8(0) !== RECORD_MAGIC) throw bad('not a wiretrace record')
  if (b.readUInt8(1) !== LAYOUT_VERSION) throw bad(`layout version ${b.readUInt8(1)}, this build reads ${LAYOUT_VERSION}`)
  const time = b.readDoubleLE(2)
  const expires = b.readDoubleLE(10)
  const n = b.readUInt16LE(18)
  let o = 20
  const groups: KeyGroup[] = []
  for (let i = 0; i < n; i++) {
    if (o + 12 > b.length) throw bad('truncated')
    const gen = b.readDoubleLE(o)
    const count = b.readUInt32LE(o + 8)
    o += 12
    if (o + 6 * count > b.length) throw bad('truncated')
    const keys = new Float64Array(count)
    for (let j = 0; j < count; j++, o += 6) keys[j] = b.readUInt32LE(o) + b.readUInt16LE(o + 4) * TWO_32
    groups.push({ gen, keys })
  }
  if (o >= b.length) throw bad('truncated')
  const hasPayload = b.readUInt8(o++) === 1
  return { time, expires, groups, payload: hasPayload ? b.toString('utf8', o) : undefined }
}

/** True when two records index exactly the same keys in the same generation. */
export function sameKeys(a: KeyGroup[], b: KeyGroup[]): boolean {
  if (a.length !== 1 || b.length !== 1) return false
  const x = a[0] as KeyGroup
  const y = b[0] as KeyGroup
  if (x.gen !== y.gen || x.keys.length !== y.keys.length) return false
  const p = Float64Array.from(x.keys).sort()
  const q = Float64Array.from(y.keys).sort()
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return false
  return true
}

/** Union of key groups, merging groups of the same generation. */
export function unionGroups(a: KeyGroup[], b: KeyGroup[]): KeyGroup[] {
  const byGen = new Map<number, Set<number>>()
  for (const g of [...a, ...b]) {
    let s = byGen.get(g.gen)
    if (!s) byGen.set(g.gen, (s = new Set()))
    for (const k of g.keys) s.add(k)
  }
  return [...byGen].map(([gen, s]) => ({ gen, keys: Float64Array.from(s) }))
}

/** Split a bucket value `\0a\0b\0` into its ids. */
export function splitIds(value: string): string[] {
  const out: string[] = []
  let start = 1
  for (let i = 1; i < value.length; i++) {
    if (value.charCodeAt(i) === 0) {
      if (i > start) out.push(value.slice(start, i))
      start = i + 1
    }
  }
  return out
}
