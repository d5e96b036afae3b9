import { argNumber, argString } from '../errors.js'

// 32-bit hashing built on Math.imul so that every step stays in int32 arithmetic:
// no float products, no precision loss (the npm `minhash` package's (a*h+b) % p overflows 2^53).

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

/** MurmurHash3's finaliser: a bijection on 32 bits with full avalanche. Unchecked: the hot loops call it. */
export function mix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Seeded hash of a string's UTF-16 code units (FNV-1a, then mix32). Unchecked: the tokenizer calls it per token. */
export function hashChars(s: string, seed = 0): number {
  let h = (FNV_OFFSET ^ seed) >>> 0
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME)
  return mix32(h)
}

/** MurmurHash3's finaliser: a bijection on 32 bits with full avalanche (the public, checked {@link mix32}). */
export function fmix32(h: number): number {
  argNumber('fmix32', 'h', h)
  return mix32(h)
}

/** Seeded hash of a string's UTF-16 code units, FNV-1a then fmix32 (the public, checked {@link hashChars}). */
export function hashString(s: string, seed = 0): number {
  argString('hashString', 's', s)
  return hashChars(s, seed)
}

/** Incremental FNV-1a step, for scanners that hash characters as they read them. */
export function fnvStep(h: number, code: number): number {
  return Math.imul(h ^ code, FNV_PRIME)
}

export const FNV_SEED = FNV_OFFSET

/** Order-dependent combination of two 32-bit hashes (used to build shingle hashes from token hashes). */
export function combine(h: number, v: number): number {
  h ^= Math.imul(v, 0xcc9e2d51)
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) | 0
}

let crcTable: Uint32Array | undefined

/**
 * CRC-32 (IEEE 802.3, as zlib and gzip compute it) of `bytes`: the checksum of the serialized
 * formats. It detects every error burst up to 32 bits, so any one damaged base64 character (which
 * changes at most 6 bits over 2 bytes).
 */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      crcTable[n] = c >>> 0
    }
  }
  let c = 0xffffffff
  for (let i = 0; i < bytes.length; i++) c = (crcTable[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
