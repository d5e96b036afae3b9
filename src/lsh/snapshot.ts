import { WiretraceError } from '../errors.js'
import type { Fingerprint } from '../sketch/fingerprint.js'
import { ByteReader, ByteWriter, fingerprintFromBytes, fingerprintToBytes } from '../sketch/serialize.js'

const MAGIC = 0x58495457 // 'WTIX' little-endian
const VERSION = 1

/**
 * Index snapshot, version 1: magic, version, the index options as JSON, then each entry's time
 * (NaN when none) and its fingerprint in the fingerprint binary form.
 */
export function writeIndexSnapshot(options: object, entries: readonly { fp: Fingerprint; time?: number }[]): Uint8Array {
  const w = new ByteWriter()
  w.u32(MAGIC)
  w.u8(VERSION)
  w.str(JSON.stringify(options))
  w.u32(entries.length)
  for (const e of entries) {
    w.f64(e.time ?? Number.NaN)
    const bytes = fingerprintToBytes(e.fp)
    w.u32(bytes.length)
    for (const b of bytes) w.u8(b)
  }
  return w.bytes()
}

export function readIndexSnapshot(bytes: Uint8Array): {
  options: Record<string, unknown>
  entries: { fp: Fingerprint; time?: number }[]
} {
  if (!(bytes instanceof Uint8Array)) throw new WiretraceError('INVALID_ARGUMENT', 'index snapshot must be a Uint8Array')
  const r = new ByteReader(bytes, 'index snapshot')
  if (r.u32() !== MAGIC) throw new WiretraceError('CORRUPT_DATA', 'not a wiretrace index snapshot (bad magic bytes)')
  const version = r.u8()
  if (version !== VERSION) {
    throw new WiretraceError(
      'UNSUPPORTED_VERSION',
      `index snapshot version ${version} is not supported (this build reads ${VERSION})`,
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
