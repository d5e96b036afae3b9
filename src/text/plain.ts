import { FNV_SEED, fnvStep, mix32 } from '../sketch/hash.js'

// Classes of the characters the plain scanner understands; OTHER sends the line to the general path
// (normalizeText + scanTokens). `,` and `.` are separators but for the number rule.
const OTHER = 0
const SEPARATOR = 1
const LETTER = 2
const DIGIT = 3
const APOSTROPHE = 4
const NEWLINE = 5
/** A byte ≥ 0x80, which leads a UTF-8 sequence: {@link wideAt} tells its class. */
const WIDE = 6

const classes = new Uint8Array(256).fill(WIDE)
classes.fill(SEPARATOR, 0, 128)
for (let c = 0x30; c <= 0x39; c++) classes[c] = DIGIT
for (let c = 0x41; c <= 0x5a; c++) classes[c] = LETTER
for (let c = 0x61; c <= 0x7a; c++) classes[c] = LETTER
classes[0x27] = APOSTROPHE
classes[0x60] = APOSTROPHE // backtick: normalizeText folds it to an apostrophe
classes[0x0a] = NEWLINE

/** What a byte adds to a word's hash when it is a letter or a digit (letters lower-cased), else 0. */
const wordCodes = new Uint8Array(256)
for (let c = 0x30; c <= 0x39; c++) wordCodes[c] = c
for (let c = 0x61; c <= 0x7a; c++) wordCodes[c] = wordCodes[c - 0x20] = c

/**
 * Class of a non-ASCII BMP character. Only those that normalizeText turns into an apostrophe or a
 * separator one for one, whatever surrounds them, are plain: its quote, dash and space sets. NFKC
 * leaves them alone or maps them to a space or a dash, and none composes with a neighbour.
 */
function wideClass(c: number): number {
  switch (c) {
    // SINGLE_QUOTES
    case 0x2018:
    case 0x2019:
    case 0x201a:
    case 0x201b:
    case 0x2032:
    case 0x02bc:
    case 0x00b4:
      return APOSTROPHE
    // DOUBLE_QUOTES
    case 0x201c:
    case 0x201d:
    case 0x201e:
    case 0x201f:
    case 0x2033:
    case 0x00ab:
    case 0x00bb:
    case 0x2039:
    case 0x203a:
    // DASHES
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0xfe58:
    case 0xfe63:
    case 0xff0d:
    // SPACES and the other non-ASCII \s
    case 0x00a0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
    case 0xfeff:
      return SEPARATOR
  }
  return c >= 0x2000 && c <= 0x200b ? SEPARATOR : OTHER
}

/** Class of the UTF-8 sequence led by byte `b` ≥ 0x80 at `i`; its length is `wideLength(b)`. */
function wideAt(u: Uint8Array, i: number, b: number): number {
  if (b >= 0xc2 && b <= 0xdf) return wideClass(((b & 0x1f) << 6) | ((u[i + 1] as number) & 0x3f))
  if (b >= 0xe0 && b <= 0xef) {
    return wideClass(((b & 0x0f) << 12) | (((u[i + 1] as number) & 0x3f) << 6) | ((u[i + 2] as number) & 0x3f))
  }
  return OTHER // four-byte sequences: nothing plain outside the BMP
}

function wideLength(b: number): number {
  return b >= 0xe0 ? 3 : 2
}

function isDigit(b: number): boolean {
  return (b - 0x30) >>> 0 < 10
}

function isLetter(b: number): boolean {
  return ((b | 0x20) - 0x61) >>> 0 < 26
}

/** Where {@link scanPlainLine} stopped. */
export interface PlainCursor {
  /** Index of the `\n` that ended the line. */
  end: number
}

/** {@link scanPlainLine}'s result for a line it cannot scan. */
export const NOT_PLAIN = -1
/** {@link scanPlainLine}'s result when `out` is too small for the line. */
export const OUT_FULL = -2

/**
 * Token hashes of one line of UTF-8 bytes (from `start` to the next `\n`, which must exist: put
 * one after the text), exactly as `scanTokens(normalizeText(line), …)` computes them from the
 * line's string, in one pass with no string built. A plain line (ASCII, and normalizeText's
 * typographic quotes, dashes and spaces) needs no NFKC, and folding case, quotes and spaces only
 * changes what the tokenizer skips.
 *
 * Writes the hashes to `out` and the index of the `\n` to `cursor.end`, and returns their number;
 * or returns {@link NOT_PLAIN} as soon as it meets any other character, or {@link OUT_FULL}.
 */
export function scanPlainLine(u: Uint8Array, start: number, out: Uint32Array, cursor: PlainCursor): number {
  // Locals: module-level constants are reloaded on every use in the loop (~8% slower).
  const cls = classes
  const codes = wordCodes
  const cap = out.length
  let n = 0
  let i = start
  for (;;) {
    const b = u[i] as number
    let k = cls[b] as number
    if (k === WIDE) k = wideAt(u, i, b)
    if (k === LETTER) {
      // A word: letters and digits, with apostrophes kept between letters.
      if (n === cap) return OUT_FULL
      let h = FNV_SEED
      for (;;) {
        const d = u[i] as number
        const w = codes[d] as number
        if (w !== 0) {
          h = fnvStep(h, w)
          i++
          continue
        }
        // Anything else ends the word, except an apostrophe followed by a letter.
        const dk = d < 128 ? (cls[d] as number) : wideAt(u, i, d)
        if (dk !== APOSTROPHE) break
        const next = d < 128 ? i + 1 : i + wideLength(d)
        if (!isLetter(u[next] as number)) break
        h = fnvStep(h, 0x27)
        i = next
      }
      out[n++] = mix32(h)
    } else if (k === DIGIT) {
      // A number: `,` or `.` before exactly three digits is a thousands separator, else a decimal point.
      if (n === cap) return OUT_FULL
      let h = FNV_SEED
      for (;;) {
        const d = u[i] as number
        if (isDigit(d)) {
          h = fnvStep(h, d)
          i++
        } else if ((d === 0x2c || d === 0x2e) && isDigit(u[i + 1] as number)) {
          let run = 1
          while (isDigit(u[i + 1 + run] as number)) run++
          if (run !== 3) h = fnvStep(h, 0x2e)
          i++
        } else break
      }
      out[n++] = mix32(h)
    } else if (k === NEWLINE) {
      cursor.end = i
      return n
    } else if (k === OTHER) {
      return NOT_PLAIN
    } else i += b < 128 ? 1 : wideLength(b)
  }
}
