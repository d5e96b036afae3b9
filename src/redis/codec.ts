// Binary formats exchanged with the Lua scripts and stored in Redis. Version 2 of the key layout;
// changing anything here changes what is stored, so bump LAYOUT_VERSION with it.

import { WiretraceError } from '../errors.js'
import { hashChars } from '../sketch/hash.js'

/**
 * 1: first layout. 2: postings travel as MessagePack arrays of fields and value indexes, bucket
 * hashes carry a marker field that keeps them hashtable-encoded, the record is written whole
 * before the postings (the commit no longer rewrites it), and SharedIndex tags anchor-channel
 * keys with the document's language.
 */
export const LAYOUT_VERSION = 2
const TWO_32 = 4294967296
/** Band keys are stored as 6-byte little-endian integers. */
export const MAX_BAND_KEY = 2 ** 48 - 1

/** The shard of a document id: the library's string hash (FNV-1a, then mix32), frozen with the layout. */
export function idHash(s: string): number {
  return hashChars(s)
}

/** The shard of a band key: its low 32 bits are the band hash, uniformly spread. */
export function keyShard(key: number, shards: number): number {
  // ToUint32 (`>>> 0`) of an integer below 2^53 is the integer mod 2^32: the low 32 bits.
  return (key >>> 0) % shards
}

/** Write a band key as the 6-byte hash field it is stored under (little-endian). */
export function writeField(b: Uint8Array, o: number, key: number): void {
  const lo = key >>> 0
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
  /** The slot holding `key`, or the empty slot where it would go. */
  private slot(key: number): number {
    const { keys, mask } = this
    let i = key & mask
    while (keys[i] !== key && keys[i] !== -1) i = (i + 1) & mask
    return i
  }
  /** The value of `key`, or -1. */
  get(key: number): number {
    const i = this.slot(key)
    return this.keys[i] === key ? (this.vals[i] as number) : -1
  }
  /** Set `key` to `value` and return the previous value, or -1 if there was none. */
  set(key: number, value: number): number {
    return this.put(key, value, true)
  }
  /** The value of `key` if it has one; else set it to `value` and return -1. */
  setIfAbsent(key: number, value: number): number {
    return this.put(key, value, false)
  }
  private put(key: number, value: number, replace: boolean): number {
    if (this.size * 2 >= this.keys.length) this.grow()
    const i = this.slot(key)
    if (this.keys[i] === key) {
      const prev = this.vals[i] as number
      if (replace) this.vals[i] = value
      return prev
    }
    this.keys[i] = key
    this.vals[i] = value
    this.size++
    return -1
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

/** Postings to add or remove: the band keys of one value (`\0id\0`) in one generation. */
export interface PostingSet {
  value: Buffer
  gen: number
  keys: ArrayLike<number>
}

/**
 * The postings of one bucket hash (shard and generation) in one script call, as two MessagePack
 * arrays that Lua's `cmsgpack.unpack` turns into tables in one C call (much cheaper than cutting
 * a blob with `string.sub` per posting): the 6-byte fields, and for each the 1-based index of its
 * value among the call's values.
 */
export interface PostingGroup {
  shard: number
  gen: number
  fields: Buffer
  values: Buffer
  count: number
}

/** One script call of the posting scripts: its groups and the values their postings refer to. */
export interface PostingCall {
  groups: PostingGroup[]
  values: Buffer[]
  postings: number
}

/** Most postings in one group: the script unpacks a group onto the Lua stack (about 8000 slots), as field and value pairs. */
export const MAX_GROUP = 3000

/** Start a MessagePack array of `n` elements (array 32) at `o`; returns the next offset. */
function mpArray(b: Buffer, o: number, n: number): number {
  b[o] = 0xdd
  b.writeUInt32BE(n, o + 1)
  return o + 5
}

/** Write a band key as a MessagePack 6-byte string (fixstr) at `o`; returns the next offset. */
function mpField(b: Buffer, o: number, key: number): number {
  b[o] = 0xa6
  writeField(b, o + 1, key)
  return o + 7
}

/** Band keys as a MessagePack array of 6-byte fields (the query script's argument). */
export function fieldArray(keys: ArrayLike<number>): Buffer {
  const b = Buffer.allocUnsafe(5 + 7 * keys.length)
  let o = mpArray(b, 0, keys.length)
  for (let i = 0; i < keys.length; i++) o = mpField(b, o, keys[i] as number)
  return b
}

/** Scratch arrays of planPostings, kept between calls (it runs once per batch, synchronously). */
const scratch = {
  /** Open-addressing table key → slot, valid where `tableStamp` is the current stamp. */
  tableKeys: new Float64Array(0),
  tableSlots: new Int32Array(0),
  tableStamp: new Int32Array(0),
  stamp: 0,
  slotKey: new Float64Array(0),
  slotVal: new Int32Array(0),
  slotShard: new Int32Array(0),
  order: new Int32Array(0),
}

function reserve(n: number): void {
  if (scratch.slotKey.length < n) {
    const size = Math.max(1024, 2 ** Math.ceil(Math.log2(n)))
    scratch.slotKey = new Float64Array(size)
    scratch.slotVal = new Int32Array(size)
    scratch.slotShard = new Int32Array(size)
    scratch.order = new Int32Array(size)
  }
  if (scratch.tableKeys.length < 2 * n) {
    const cap = Math.max(2048, 2 ** Math.ceil(Math.log2(2 * n)))
    scratch.tableKeys = new Float64Array(cap)
    scratch.tableSlots = new Int32Array(cap)
    scratch.tableStamp = new Int32Array(cap)
    scratch.stamp = 0
  }
  scratch.stamp++
  if (scratch.stamp === 0x7fffffff) {
    scratch.tableStamp.fill(0)
    scratch.stamp = 1
  }
}

/**
 * Lay postings out as script calls (see the layout in scripts.ts): per generation and shard, the
 * fields and value indexes of its postings, with a bucket that several sets share merged into one
 * posting whose value lists all their ids, and a key repeated within a set written once. A call
 * holds at most `maxPostings` postings (a shard's postings may be split over groups and calls, a
 * group holds at most MAX_GROUP), and only one group when `oneGroupPerCall` (Redis Cluster: one
 * slot per call). Typed arrays and two buffers per group: no object or string per posting.
 */
export function planPostings(
  sets: readonly PostingSet[],
  shards: number,
  maxPostings: number,
  oneGroupPerCall: boolean,
): PostingCall[] {
  if (maxPostings > 65535) throw new RangeError('planPostings: value indexes are 16-bit')
  const calls: PostingCall[] = []
  let call: PostingCall | undefined
  // Values by number: the sets' own, then merged ones. A call numbers the values it uses 1, 2, …
  // (`local`), remembered per call number (`seen`).
  const values: Buffer[] = sets.map((p) => p.value)
  let seen = new Int32Array(values.length + 16)
  let local = new Int32Array(values.length + 16)
  let callNo = 0
  const byGen = new Map<number, number[]>()
  sets.forEach((p, i) => {
    const l = byGen.get(p.gen)
    if (l) l.push(i)
    else byGen.set(p.gen, [i])
  })
  for (const [gen, members] of byGen) {
    let total = 0
    for (const i of members) total += (sets[i] as PostingSet).keys.length
    if (total === 0) continue
    reserve(total)
    const { tableKeys, tableSlots, tableStamp, stamp, slotKey, slotVal, slotShard, order } = scratch
    const mask = tableKeys.length - 1
    // One slot per distinct key: its key, shard and value (a set's number, or ~i for merged value i).
    const counts = new Int32Array(shards + 1)
    let n = 0
    let merged: number[][] | undefined
    for (const i of members) {
      const keys = (sets[i] as PostingSet).keys
      for (let j = 0; j < keys.length; j++) {
        const k = keys[j] as number
        let h = k & mask
        let slot = -1
        while (tableStamp[h] === stamp) {
          if (tableKeys[h] === k) {
            slot = tableSlots[h] as number
            break
          }
          h = (h + 1) & mask
        }
        if (slot < 0) {
          tableStamp[h] = stamp
          tableKeys[h] = k
          tableSlots[h] = n
          const s = (k >>> 0) % shards
          slotKey[n] = k
          slotVal[n] = i
          slotShard[n] = s
          counts[s + 1] = (counts[s + 1] as number) + 1
          n++
          continue
        }
        const v = slotVal[slot] as number
        if (v === i) continue // the same key twice in one set
        if (v >= 0) {
          merged ??= []
          slotVal[slot] = ~merged.length
          merged.push([v, i])
        } else {
          const owners = (merged as number[][])[~v] as number[]
          if (owners[owners.length - 1] !== i) owners.push(i)
        }
      }
    }
    // Merged values (the ids of every owner, in order), one per distinct owner list.
    const mergedValue = new Int32Array(merged?.length ?? 0)
    if (merged) {
      const bySig = new Map<string, number>()
      merged.forEach((owners, m) => {
        const sig = owners.join(',')
        let v = bySig.get(sig)
        if (v === undefined) {
          const parts = owners.map((o) => (sets[o] as PostingSet).value)
          v = values.length
          values.push(Buffer.concat([parts[0] as Buffer, ...parts.slice(1).map((b) => b.subarray(1))]))
          bySig.set(sig, v)
        }
        mergedValue[m] = v
      })
      if (seen.length < values.length) {
        const grown = new Int32Array(values.length * 2)
        grown.set(seen)
        seen = grown
        const l = new Int32Array(values.length * 2)
        l.set(local)
        local = l
      }
    }
    // Counting sort of the slots by shard.
    for (let s = 0; s < shards; s++) counts[s + 1] = (counts[s + 1] as number) + (counts[s] as number)
    const next = counts.slice(0, shards)
    for (let x = 0; x < n; x++) {
      const s = slotShard[x] as number
      const at = next[s] as number
      order[at] = x
      next[s] = at + 1
    }
    for (let s = 0; s < shards; s++) {
      let from = counts[s] as number
      const to = counts[s + 1] as number
      while (from < to) {
        if (!call || call.postings >= maxPostings || (oneGroupPerCall && call.groups.length > 0)) {
          call = { groups: [], values: [], postings: 0 }
          calls.push(call)
          callNo++
        }
        const count = Math.min(to - from, maxPostings - call.postings, MAX_GROUP)
        const fields = Buffer.allocUnsafe(5 + 7 * count)
        const idx = Buffer.allocUnsafe(5 + 3 * count)
        fields[0] = 0xdd
        fields.writeUInt32BE(count, 1)
        idx[0] = 0xdd
        idx.writeUInt32BE(count, 1)
        let fo = 5
        let io = 5
        const callValues = call.values
        for (let x = from; x < from + count; x++) {
          const slot = order[x] as number
          const sv = slotVal[slot] as number
          const v = sv >= 0 ? sv : (mergedValue[~sv] as number)
          if (seen[v] !== callNo) {
            seen[v] = callNo
            callValues.push(values[v] as Buffer)
            local[v] = callValues.length
          }
          // fixstr of 6 bytes: the band key, little-endian
          const key = slotKey[slot] as number
          const lo = key >>> 0
          const hi = (key - lo) / TWO_32
          fields[fo] = 0xa6
          fields[fo + 1] = lo & 0xff
          fields[fo + 2] = (lo >>> 8) & 0xff
          fields[fo + 3] = (lo >>> 16) & 0xff
          fields[fo + 4] = lo >>> 24
          fields[fo + 5] = hi & 0xff
          fields[fo + 6] = hi >>> 8
          fo += 7
          // positive fixint, uint8 or uint16
          const li = local[v] as number
          if (li < 0x80) idx[io++] = li
          else if (li < 0x100) {
            idx[io] = 0xcc
            idx[io + 1] = li
            io += 2
          } else {
            idx[io] = 0xcd
            idx[io + 1] = li >>> 8
            idx[io + 2] = li & 0xff
            io += 3
          }
        }
        call.groups.push({ shard: s, gen, fields, values: idx.subarray(0, io), count })
        call.postings += count
        from += count
      }
    }
  }
  return calls
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
