import { describeValue, WiretraceError } from '../errors.js'
import type { ParagraphKind } from '../text/segment.js'
import { describeParams, type Fingerprint, type ParagraphSketch, type SketchParams, sameParams } from './fingerprint.js'
import { crc32 } from './hash.js'

/**
 * A fingerprint as JSON: a format tag, a version and the compact binary form in base64.
 * Version 2 carries a CRC-32 of the binary payload; version 1 (no checksum) is still read.
 */
export interface SerializedFingerprint {
  format: 'wiretrace/fingerprint'
  version: 2
  id: string
  data: string
}

const MAGIC = 0x50465457 // 'WTFP' little-endian
/** The fingerprint format this build writes; it reads this one and 1 (written before checksums). */
export const FINGERPRINT_FORMAT_VERSION = 2
const KINDS: ParagraphKind[] = ['body', 'heading', 'dateline', 'byline']
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** Binary writer over a growable buffer. */
export class ByteWriter {
  private buf = new Uint8Array(256)
  private view = new DataView(this.buf.buffer)
  length = 0

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.length + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.length))
    this.buf = next
    this.view = new DataView(next.buffer)
  }
  u8(v: number): void {
    this.ensure(1)
    this.view.setUint8(this.length++, v)
  }
  u16(v: number): void {
    this.ensure(2)
    this.view.setUint16(this.length, v, true)
    this.length += 2
  }
  u32(v: number): void {
    this.ensure(4)
    this.view.setUint32(this.length, v >>> 0, true)
    this.length += 4
  }
  f64(v: number): void {
    this.ensure(8)
    this.view.setFloat64(this.length, v, true)
    this.length += 8
  }
  u32s(a: ArrayLike<number>): void {
    this.ensure(4 * a.length)
    for (let i = 0; i < a.length; i++) this.view.setUint32(this.length + 4 * i, a[i] as number, true)
    this.length += 4 * a.length
  }
  str(s: string): void {
    const b = encoder.encode(s)
    this.u32(b.length)
    this.raw(b)
  }
  raw(b: Uint8Array): void {
    this.ensure(b.length)
    this.buf.set(b, this.length)
    this.length += b.length
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length)
  }
}

/** Binary reader that reports truncation as CORRUPT_DATA instead of a RangeError. */
export class ByteReader {
  private view: DataView
  pos = 0
  constructor(
    private readonly buf: Uint8Array,
    private readonly what: string,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  }
  private need(n: number): void {
    if (this.pos + n > this.buf.length) {
      throw new WiretraceError('CORRUPT_DATA', `${this.what} is truncated at byte ${this.pos} (needs ${n} more)`)
    }
  }
  u8(): number {
    this.need(1)
    return this.view.getUint8(this.pos++)
  }
  u16(): number {
    this.need(2)
    const v = this.view.getUint16(this.pos, true)
    this.pos += 2
    return v
  }
  u32(): number {
    this.need(4)
    const v = this.view.getUint32(this.pos, true)
    this.pos += 4
    return v
  }
  f64(): number {
    this.need(8)
    const v = this.view.getFloat64(this.pos, true)
    this.pos += 8
    return v
  }
  u32s(n: number): Uint32Array {
    this.need(4 * n)
    const out = new Uint32Array(n)
    for (let i = 0; i < n; i++) out[i] = this.view.getUint32(this.pos + 4 * i, true)
    this.pos += 4 * n
    return out
  }
  str(): string {
    const n = this.u32()
    this.need(n)
    let s: string
    try {
      s = decoder.decode(this.buf.subarray(this.pos, this.pos + n))
    } catch (cause) {
      throw new WiretraceError('CORRUPT_DATA', `${this.what} has an invalid UTF-8 string at byte ${this.pos}`, { cause })
    }
    this.pos += n
    return s
  }
  get done(): boolean {
    return this.pos === this.buf.length
  }
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`

/**
 * Start a checksummed frame (formats from version 2 on): after the caller's magic and version,
 * the payload's length and its CRC-32, both filled in by {@link closeFrame}.
 */
export function openFrame(w: ByteWriter): number {
  const at = w.length
  w.u32(0)
  w.u32(0)
  return at
}

/** Finish the frame opened at `at`: the payload is everything written since. */
export function closeFrame(w: ByteWriter, at: number): Uint8Array {
  const bytes = w.bytes()
  const view = new DataView(bytes.buffer)
  const payload = bytes.subarray(at + 8)
  view.setUint32(at, payload.length, true)
  view.setUint32(at + 4, crc32(payload), true)
  return bytes
}

/**
 * Read a frame's length and checksum and check the payload against them, so that damage is found
 * before any field is believed; leaves `r` at the payload. Truncation, trailing bytes and a
 * checksum that does not match are CORRUPT_DATA naming the byte range.
 */
export function checkFrame(r: ByteReader, bytes: Uint8Array, what: string): void {
  const length = r.u32()
  const stored = r.u32()
  const start = r.pos
  const end = start + length
  if (bytes.length < end)
    throw new WiretraceError(
      'CORRUPT_DATA',
      `${what} is damaged: truncated at byte ${bytes.length} (needs ${end - bytes.length} more)`,
    )
  if (bytes.length > end)
    throw new WiretraceError(
      'CORRUPT_DATA',
      `${what} is damaged: ${bytes.length - end} unexpected trailing bytes after byte ${end}`,
    )
  const computed = crc32(bytes.subarray(start, end))
  if (computed !== stored) {
    throw new WiretraceError(
      'CORRUPT_DATA',
      `${what} is damaged: the checksum of bytes ${start}-${end} does not match (stored ${hex(stored)}, computed ${hex(computed)})`,
    )
  }
}

export function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

export function fromBase64(data: string, what: string): Uint8Array {
  let s: string
  try {
    s = atob(data)
  } catch (cause) {
    throw new WiretraceError('CORRUPT_DATA', `${what}: data is not valid base64`, { cause })
  }
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}

export function writeParams(w: ByteWriter, p: SketchParams): void {
  w.u16(p.numPerm)
  w.u16(p.paragraphPerm)
  w.u32(p.seed)
  w.u8(p.shingleSize)
  w.u8(p.charShingleSize)
  w.u8(p.scheme === 'oph' ? 0 : 1)
}

export function readParams(r: ByteReader): SketchParams {
  const numPerm = r.u16()
  const paragraphPerm = r.u16()
  const seed = r.u32()
  const shingleSize = r.u8()
  const charShingleSize = r.u8()
  const scheme = r.u8()
  if (scheme > 1)
    throw new WiretraceError(
      'CORRUPT_DATA',
      `sketch parameters have an unknown MinHash scheme code ${scheme} (0 = oph, 1 = kperm)`,
    )
  return { numPerm, paragraphPerm, seed, shingleSize, charShingleSize, scheme: scheme === 0 ? 'oph' : 'kperm' }
}

/** Encode a fingerprint in its compact binary form. */
export function fingerprintToBytes(fp: Fingerprint): Uint8Array {
  const w = new ByteWriter()
  w.u32(MAGIC)
  w.u8(FINGERPRINT_FORMAT_VERSION)
  const frame = openFrame(w)
  writeParams(w, fp.params)
  w.str(fp.id)
  w.str(fp.lang ?? '')
  w.u32(fp.shingleCount)
  w.u32s(fp.signature)
  w.u32(fp.anchors.length)
  w.u32s(fp.anchors)
  w.u32(fp.paragraphs.length)
  for (const p of fp.paragraphs) {
    w.u32(p.start)
    w.u32(p.end)
    w.u8(KINDS.indexOf(p.kind))
    w.str(p.lang ?? '')
    w.u32(p.length)
    w.u32(p.shingleCount)
    w.u32s(p.signature)
    w.u32(p.anchors.length)
    w.u32s(p.anchors)
  }
  return closeFrame(w, frame)
}

/**
 * Decode a fingerprint. Refuses damaged data (version 2: a checksum that does not match), an
 * unknown version and, when `expected` is given, a fingerprint made with other sketch parameters.
 */
export function fingerprintFromBytes(bytes: Uint8Array, expected?: SketchParams): Fingerprint {
  const r = new ByteReader(bytes, 'fingerprint')
  if (r.u32() !== MAGIC) throw new WiretraceError('CORRUPT_DATA', 'fingerprint: not a wiretrace fingerprint (bad magic bytes)')
  const version = r.u8()
  if (version === FINGERPRINT_FORMAT_VERSION) checkFrame(r, bytes, 'fingerprint')
  else if (version !== 1)
    throw new WiretraceError(
      'UNSUPPORTED_VERSION',
      `fingerprint format version ${version} is not supported (this build reads 1 and ${FINGERPRINT_FORMAT_VERSION})`,
    )
  const params = readParams(r)
  if (expected && !sameParams(expected, params)) {
    throw new WiretraceError(
      'PARAMS_MISMATCH',
      `fingerprint was made with ${describeParams(params)}, expected ${describeParams(expected)}`,
    )
  }
  const id = r.str()
  const lang = r.str()
  const shingleCount = r.u32()
  const signature = r.u32s(params.numPerm)
  const anchors = r.u32s(r.u32())
  const count = r.u32()
  const paragraphs: ParagraphSketch[] = []
  for (let i = 0; i < count; i++) {
    const start = r.u32()
    const end = r.u32()
    const kind = KINDS[r.u8()]
    if (!kind) throw new WiretraceError('CORRUPT_DATA', `fingerprint "${id}": paragraph ${i} has an unknown kind`)
    const plang = r.str()
    const length = r.u32()
    const shingles = r.u32()
    const sig = r.u32s(params.paragraphPerm)
    const pa = r.u32s(r.u32())
    paragraphs.push({
      start,
      end,
      kind,
      length,
      shingleCount: shingles,
      signature: sig,
      anchors: pa,
      ...(plang ? { lang: plang } : {}),
    })
  }
  if (!r.done) throw new WiretraceError('CORRUPT_DATA', `fingerprint "${id}": ${bytes.length - r.pos} unexpected trailing bytes`)
  return { kind: 'fingerprint', version: 1, id, params, shingleCount, signature, paragraphs, anchors, ...(lang ? { lang } : {}) }
}

/** JSON-safe form of a fingerprint (binary in base64), for storage or transport. */
export function serializeFingerprint(fp: Fingerprint): SerializedFingerprint {
  if ((fp as Partial<Fingerprint> | null)?.kind !== 'fingerprint')
    throw new WiretraceError(
      'INVALID_ARGUMENT',
      `serializeFingerprint: fp must be a fingerprint (from analyze), got ${describeValue(fp)}`,
    )
  return {
    format: 'wiretrace/fingerprint',
    version: FINGERPRINT_FORMAT_VERSION,
    id: fp.id,
    data: toBase64(fingerprintToBytes(fp)),
  }
}

/**
 * Load a serialized fingerprint; refuses other formats, versions, damaged data and (optionally)
 * other parameters. Version 1 (before checksums) is read as it was.
 */
export function deserializeFingerprint(json: unknown, expected?: SketchParams): Fingerprint {
  const j = json as { format?: unknown; version?: unknown; data?: unknown } | null
  if (!j || typeof j !== 'object' || j.format !== 'wiretrace/fingerprint') {
    throw new WiretraceError('CORRUPT_DATA', `not a serialized wiretrace fingerprint: format is ${describeValue(j?.format)}`)
  }
  if (j.version !== 1 && j.version !== FINGERPRINT_FORMAT_VERSION)
    throw new WiretraceError(
      'UNSUPPORTED_VERSION',
      `fingerprint format version ${describeValue(j.version)} is not supported (this build reads 1 and ${FINGERPRINT_FORMAT_VERSION})`,
    )
  if (typeof j.data !== 'string') throw new WiretraceError('CORRUPT_DATA', 'serialized fingerprint has no data string')
  const bytes = fromBase64(j.data, 'fingerprint')
  // atob ignores the unused low bits of the last character: only the canonical spelling is ours.
  if (toBase64(bytes) !== j.data)
    throw new WiretraceError(
      'CORRUPT_DATA',
      'fingerprint is damaged: its base64 data is not in the canonical form wiretrace writes',
    )
  // The binary version must be the one the wrapper names: a damaged version byte must not skip the checksum.
  if (bytes.length > 4 && bytes[4] !== j.version)
    throw new WiretraceError(
      'CORRUPT_DATA',
      `fingerprint is damaged: the data holds format version ${bytes[4]}, the wrapper says ${j.version}`,
    )
  return fingerprintFromBytes(bytes, expected)
}
