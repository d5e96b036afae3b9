import { argString } from '../errors.js'
import { FNV_SEED, fnvStep, hashChars, mix32 } from '../sketch/hash.js'

// Character classes, computed once per UTF-16 code unit and cached.
const UNKNOWN = 0
const SEPARATOR = 1
const LETTER = 2
const DIGIT = 3
/** Scripts written without spaces between words: handed to Intl.Segmenter. */
const UNSPACED = 4
const SURROGATE = 5

const classes = new Uint8Array(65536)
const LETTER_RE = /[\p{L}\p{M}]/u
const DIGIT_RE = /\p{Nd}/u

function isUnspaced(c: number): boolean {
  return (
    (c >= 0x0e00 && c <= 0x0eff) || // Thai, Lao
    (c >= 0x1000 && c <= 0x109f) || // Myanmar
    (c >= 0x1780 && c <= 0x17ff) || // Khmer
    (c >= 0x3040 && c <= 0x30ff) || // Hiragana, Katakana
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xf900 && c <= 0xfaff)
  )
}

function classify(c: number): number {
  let k = classes[c] as number
  if (k !== UNKNOWN) return k
  // Digits before UNSPACED: Thai, Lao, Khmer and Myanmar digits are numbers, not words to segment.
  if (c >= 0xd800 && c <= 0xdfff) k = SURROGATE
  else if (DIGIT_RE.test(String.fromCharCode(c))) k = DIGIT
  else if (isUnspaced(c)) k = UNSPACED
  else k = LETTER_RE.test(String.fromCharCode(c)) ? LETTER : SEPARATOR
  classes[c] = k
  return k
}

let segmenter: Intl.Segmenter | undefined

/** A sink receives each token as its hash and its span in the scanned string. */
export type TokenSink = (hash: number, start: number, end: number) => void

const APOSTROPHE = 0x27
const DOT = 0x2e
const COMMA = 0x2c

const digitValues = new Int8Array(65536).fill(-1)

/** ASCII code of the digit `c` stands for: Unicode decimal digits come in blocks of ten, 0 first. */
function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c
  let v = digitValues[c] as number
  if (v < 0) {
    v = 0
    while (v < 9 && c - v - 1 >= 0 && DIGIT_RE.test(String.fromCharCode(c - v - 1))) v++
    digitValues[c] = v
  }
  return 0x30 + v
}

/**
 * Scan `s` (normally the output of normalizeText) into word and number tokens, calling `sink`
 * with each token's hash. No string is built per token, except inside unspaced scripts.
 *
 * Numbers are normalised: a `,` or `.` followed by exactly three digits is a thousands separator
 * and dropped (`3,500` = `3.500` = `3500`); any other separator between digits is a decimal point.
 */
export function scanTokens(s: string, sink: TokenSink, seed = 0): number {
  const n = s.length
  let count = 0
  let i = 0
  const start0 = (FNV_SEED ^ seed) >>> 0
  while (i < n) {
    const c = s.charCodeAt(i)
    const k = c < 128 ? asciiClass(c) : classify(c)
    if (k === SEPARATOR) {
      i++
      continue
    }
    if (k === DIGIT) {
      let h = start0
      const start = i
      while (i < n) {
        const d = s.charCodeAt(i)
        const dk = d < 128 ? asciiClass(d) : classify(d)
        if (dk === DIGIT) {
          h = fnvStep(h, digitValue(d))
          i++
          continue
        }
        if ((d === COMMA || d === DOT) && i + 1 < n && isDigitAt(s, i + 1)) {
          let run = 0
          while (i + 1 + run < n && isDigitAt(s, i + 1 + run)) run++
          if (run === 3) {
            i++ // thousands separator: skip it
          } else {
            h = fnvStep(h, DOT)
            i++
          }
          continue
        }
        break
      }
      sink(mix32(h), start, i)
      count++
      continue
    }
    if (k === UNSPACED) {
      const start = i
      while (i < n && classify(s.charCodeAt(i)) === UNSPACED) i++
      count += segmentUnspaced(s, start, i, sink, seed)
      continue
    }
    if (k === SURROGATE) {
      const cp = s.codePointAt(i) as number
      const width = cp > 0xffff ? 2 : 1
      if (cp >= 0x20000 && cp <= 0x3ffff) {
        // Supplementary ideographs: one token per character.
        sink(hashChars(s.slice(i, i + width), seed), i, i + width)
        count++
        i += width
        continue
      }
      if (!LETTER_RE.test(String.fromCodePoint(cp))) {
        i += width
        continue
      }
    }
    // A word: letters and marks, with apostrophes kept between letters ("syria's").
    let h = start0
    const start = i
    while (i < n) {
      const d = s.charCodeAt(i)
      const dk = d < 128 ? asciiClass(d) : classify(d)
      if (dk === LETTER || dk === DIGIT || dk === SURROGATE) {
        h = fnvStep(h, d)
        i++
      } else if (d === APOSTROPHE && i + 1 < n && i > start && isLetterAt(s, i + 1)) {
        h = fnvStep(h, d)
        i++
      } else break
    }
    if (i === start) {
      i++
      continue
    }
    sink(mix32(h), start, i)
    count++
  }
  return count
}

function asciiClass(c: number): number {
  if (c >= 0x61 && c <= 0x7a) return LETTER
  if (c >= 0x30 && c <= 0x39) return DIGIT
  if (c >= 0x41 && c <= 0x5a) return LETTER
  return SEPARATOR
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i)
  return (c < 128 ? asciiClass(c) : classify(c)) === DIGIT
}

function isLetterAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i)
  return (c < 128 ? asciiClass(c) : classify(c)) === LETTER
}

function segmentUnspaced(s: string, start: number, end: number, sink: TokenSink, seed: number): number {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' })
  let count = 0
  for (const seg of segmenter.segment(s.slice(start, end))) {
    if (!seg.isWordLike) continue
    sink(hashChars(seg.segment, seed), start + seg.index, start + seg.index + seg.segment.length)
    count++
  }
  return count
}

/** Token hashes of `s` in order, as a Uint32Array. */
export function hashTokens(s: string, seed = 0): Uint32Array {
  argString('hashTokens', 's', s)
  const out: number[] = []
  scanTokens(s, (h) => out.push(h), seed)
  return Uint32Array.from(out)
}

/** A token with its span in the scanned string; `text` has numbers normalised. */
export interface Token {
  text: string
  start: number
  end: number
}

const THOUSANDS = /[.,](?=\d{3}(?!\d))/g

/** A number token's canonical text: ASCII digits, no thousands separators, `.` as decimal point. */
export function normalizeNumber(raw: string): string {
  argString('normalizeNumber', 'raw', raw)
  let ascii = ''
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    ascii += c === COMMA || c === DOT ? raw[i] : String.fromCharCode(digitValue(c))
  }
  return ascii.replace(THOUSANDS, '').replace(/,/g, '.')
}

/**
 * Word and number tokens of `s`, as strings, using the same rules as the hashing scanner
 * (so `hashString(token.text)` equals the scanner's hash for ASCII text).
 *
 * @example tokenize('3,500 prisoners') // [{ text: '3500', … }, { text: 'prisoners', … }]
 */
export function tokenize(s: string): Token[] {
  argString('tokenize', 's', s)
  const out: Token[] = []
  scanTokens(s, (_h, start, end) => {
    let text = s.slice(start, end)
    if (isDigitAt(s, start)) text = normalizeNumber(text)
    out.push({ text, start, end })
  })
  return out
}
