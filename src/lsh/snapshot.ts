import { WiretraceError } from '../errors.js'
import type { Fingerprint } from '../sketch/fingerprint.js'
import {
  ByteReader,
  ByteWriter,
  checkFrame,
  closeFrame,
  fingerprintFromBytes,
  fingerprintToBytes,
  openFrame,
} from '../sketch/serialize.js'

const MAGIC = 0x58495457 // 'WTIX' little-endian
const VERSION = 2

/**
 * Index snapshot, version 2: magic, version, the payload's length and CRC-32, then the payload:
 * the index options as JSON, then each entry's time (NaN when none) and its fingerprint in the
 * fingerprint binary form. Version 1 (the same without length and checksum) is still read.
 */
export function writeIndexSnapshot(options: object, entries: readonly { fp: Fingerprint; time?: number }[]): Uint8Array {
  const w = new ByteWriter()
  w.u32(MAGIC)
  w.u8(VERSION)
  const frame = openFrame(w)
  w.str(JSON.stringify(options))
  w.u32(entries.length)
  for (const e of entries) {
    w.f64(e.time ?? Number.NaN)
    const bytes = fingerprintToBytes(e.fp)
    w.u32(bytes.length)
    w.raw(bytes)
  }
  return closeFrame(w, frame)
}

export function readIndexSnapshot(bytes: Uint8Array): {
  options: Record<string, unknown>
  entries: { fp: Fingerprint; time?: number }[]
} {
  if (!(bytes instanceof Uint8Array)) throw new WiretraceError('INVALID_ARGUMENT', 'index snapshot must be a Uint8Array')
  const r = new ByteReader(bytes, 'index snapshot')
  if (r.u32() !== MAGIC) throw new WiretraceError('CORRUPT_DATA', 'not a wiretrace index snapshot (bad magic bytes)')
  const version = r.u8()
  if (version === VERSION) checkFrame(r, bytes, 'index snapshot')
  else if (version !== 1) {
    throw new WiretraceError(
      'UNSUPPORTED_VERSION',
      `index snapshot version ${version} is not supported (this build reads 1 and ${VERSION})`,
    )
  }
  let options: Record<string, unknown>
  try {
    options = JSON.parse(r.str()) as Record<string, unknown>
  } catch (cause) {
    throw new WiretraceError('CORRUPT_DATA', 'index snapshot: options are not valid JSON', { cause })
  }
  const n = r.u32()
  const entries: { fp: Fingerprint; time?: number }[] = []
  let params: Fingerprint['params'] | undefined
  for (let i = 0; i < n; i++) {
    const time = r.f64()
    const len = r.u32()
    const chunk = new Uint8Array(len)
    for (let j = 0; j < len; j++) chunk[j] = r.u8()
    const fp = fingerprintFromBytes(chunk, params)
    params ??= fp.params
    entries.push(Number.isNaN(time) ? { fp } : { fp, time })
  }
  if (!r.done) throw new WiretraceError('CORRUPT_DATA', 'index snapshot has unexpected trailing bytes')
  return { options, entries }
}
