import { argOptions, argString, checkInteger } from '../errors.js'
import { normalizeText } from '../text/normalize.js'
import { NOT_PLAIN, OUT_FULL, type PlainCursor, scanPlainLine } from '../text/plain.js'
import { scanTokens } from '../text/tokenize.js'
import { combine, mix32 } from './hash.js'
import { type MinHashScheme, minhash } from './minhash.js'
import { ophInto } from './oph.js'
import { capacity, grow, TokenBuffer } from './scratch.js'

/** Options for {@link signText}. */
export interface SignOptions {
  /** Values in the signature. @default 128 */
  numPerm?: number
  /** Hash seed. @default 1 */
  seed?: number
  /** Words per shingle. @default 3 */
  shingleSize?: number
  /** @default 'oph' */
  scheme?: MinHashScheme
}

/** A bare document signature. */
export interface TextSignature {
  kind: 'signature'
  signature: Uint32Array
  /** Distinct shingles: with the Jaccard estimate it gives containment. */
  shingleCount: number
}

// Buffers reused from call to call (signText allocates only the signature it returns).
const buffer = new TokenBuffer(4096)
let shingles: Uint32Array = new Uint32Array(4096)
let table: Uint32Array = new Uint32Array(8192)
let utf8: Uint8Array = new Uint8Array(1 << 16)
/** Buffers longer than this are dropped after the call rather than kept for the next. */
const KEEP = 1 << 22
const encoder = new TextEncoder()
const cursor: PlainCursor = { end: 0 }

/**
 * The fast path from raw text to a MinHash signature, for document-level deduplication when
 * paragraphs, boilerplate and diffs are not needed: normalise, hash tokens, shingle within each
 * line, sign. Reuses its buffers, so it allocates almost nothing per document. Its signatures
 * are not those of `analyze` (which removes boilerplate and joins hard-wrapped lines first).
 *
 * The result is that of `normalizeText` and `scanTokens` on each line; most lines take a one-pass
 * scanner that gives the same tokens without building strings (see `scanPlainLine`).
 *
 * @example signText('Rebels entered the city of Homs.').shingleCount // 4
 */
export function signText(text: string, options: SignOptions = {}): TextSignature {
  argOptions('signText', 'options', options)
  argString('signText', 'text', text)
  const numPerm = checkInteger('numPerm', options.numPerm ?? 128, 1, 65535)
  const seed = checkInteger('seed', options.seed ?? 1, 0, 0xffffffff)
  const k = checkInteger('shingleSize', options.shingleSize ?? 3, 1, 16)
  const scheme = options.scheme ?? 'oph'
  const count = shingleLines(text, k, seed)
  // MinHash keeps minima, so the distinct shingles give the signature of all of them.
  const distinct = dedupe(count)
  const signature =
    scheme === 'oph' ? ophInto(shingles, distinct, numPerm, seed) : minhash(shingles.subarray(0, distinct), numPerm, seed, scheme)
  release()
  return { kind: 'signature', signature, shingleCount: distinct }
}

/** Writes the shingle hashes of every line of `text` to `shingles` and returns their number. */
function shingleLines(text: string, k: number, seed: number): number {
  const len = text.length
  if (len === 0) return 0
  // The plain scanner reads UTF-8 (a typed array reads faster than charCodeAt) and stops at a '\n'.
  // At most 3 bytes a UTF-16 unit, and one for that '\n'.
  if (utf8.length <= 3 * len) utf8 = new Uint8Array(capacity(3 * len + 1))
  const u = utf8
  const size = encoder.encodeInto(text, u).written ?? 0
  u[size] = 0x0a
  // Pure ASCII: byte offsets are string offsets.
  const ascii = size === len
  let count = 0
  let pos = 0 // in u
  let at = 0 // in text
  while (pos < size) {
    let n = scanPlainLine(u, pos, buffer.values, cursor)
    if (n === OUT_FULL) {
      buffer.values = grow(buffer.values, 2 * buffer.values.length)
      continue
    }
    // Every ASCII line is plain, so the general path needs string offsets only when some byte is not.
    const end = n === NOT_PLAIN ? u.indexOf(0x0a, pos) : cursor.end
    const textEnd = ascii ? end : lineEnd(text, at)
    if (n === NOT_PLAIN) {
      buffer.count = 0
      scanTokens(normalizeText(text.slice(at, textEnd)), buffer.push)
      n = buffer.count
    }
    pos = end + 1
    at = textEnd + 1
    if (n === 0) continue
    const width = Math.min(k, n)
    const m = n >= k ? n - k + 1 : 1
    if (count + m > shingles.length) shingles = grow(shingles.subarray(0, count), count + m)
    const t = buffer.values
    const out = shingles
    for (let i = 0; i < m; i++) {
      let h = seed ^ width
      for (let j = 0; j < width; j++) h = combine(h, t[i + j] as number)
      out[count++] = mix32(h)
    }
  }
  return count
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from)
  return nl < 0 ? text.length : nl
}

/** Moves the distinct values of `shingles[0, n)` to its front and returns their number. */
function dedupe(n: number): number {
  if (n < 2) return n
  // Open addressing with linear probing, at most half full; 0 marks a free slot, so 0 itself is noted apart.
  const size = capacity(2 * n)
  if (table.length < size) table = new Uint32Array(size)
  else table.fill(0, 0, size)
  const mask = size - 1
  const a = shingles
  const t = table
  let zero = false
  let d = 0
  for (let i = 0; i < n; i++) {
    const h = a[i] as number
    if (h === 0) {
      if (!zero) a[d++] = 0
      zero = true
      continue
    }
    // Shingle hashes went through mix32: their low bits are as good as any.
    let slot = h & mask
    for (;;) {
      const v = t[slot] as number
      if (v === h) break
      if (v === 0) {
        t[slot] = h
        a[d++] = h
        break
      }
      slot = (slot + 1) & mask
    }
  }
  return d
}

function release(): void {
  if (buffer.values.length > KEEP) buffer.values = new Uint32Array(4096)
  if (shingles.length > KEEP) shingles = new Uint32Array(4096)
  if (table.length > KEEP) table = new Uint32Array(8192)
  if (utf8.length > KEEP) utf8 = new Uint8Array(1 << 16)
}
