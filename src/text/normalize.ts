import { argOptions, argString } from '../errors.js'
/** Options for {@link normalizeText}. */
export interface NormalizeOptions {
  /** Lower-case the text (Unicode case folding as far as `toLowerCase` goes, plus ß → ss). @default true */
  caseFold?: boolean
  /** Strip combining marks after decomposition (é → e). Off by default: it merges distinct words in some languages. @default false */
  foldDiacritics?: boolean
}

const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u02BC\u0060\u00B4]/g
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB\u2039\u203A]/g
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]/g
// NFKC already maps most exotic spaces to U+0020; these survive it or are invisible.
const SPACES = /[\s\u00A0\u2000-\u200B\u202F\u205F\u3000\uFEFF]+/g
const MARKS = /\p{M}+/gu
// Backtick counts as "not plain": it is folded to an apostrophe.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is all of ASCII, controls included
const NON_ASCII = /[^\x00-\x5f\x61-\x7f]/
const ASCII_SPACES = /\s+/g
// Invisible hyphenation hints (soft hyphen, word joiner): HTML's &shy; must not split a word in two.
const INVISIBLE = /[\u00AD\u2060]/g

/**
 * Canonical form used for hashing: NFKC, one kind of quote, apostrophe and dash,
 * collapsed whitespace, case folded.
 *
 * @example normalizeText('“Safe and stable” — Homs') // '"safe and stable" - homs'
 */
export function normalizeText(text: string, options: NormalizeOptions = {}): string {
  argString('normalizeText', 'text', text)
  argOptions('normalizeText', 'options', options)
  if (!NON_ASCII.test(text)) {
    // ASCII needs no NFKC and has no curly quotes: only spaces and case (most news text; 3× faster).
    const s = text.replace(ASCII_SPACES, ' ').trim()
    return options.caseFold !== false ? s.toLowerCase() : s
  }
  // Quotes first: NFKC decomposes some of them (´ → space + combining acute, ″ → ′′) out of reach of the regexes.
  let s = text.replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"').replace(INVISIBLE, '').normalize('NFKC')
  if (options.foldDiacritics) s = s.normalize('NFD').replace(MARKS, '').normalize('NFC')
  s = s.replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"').replace(DASHES, '-').replace(SPACES, ' ')
  if (options.caseFold !== false) s = s.toLowerCase().replace(/ß/g, 'ss')
  return s.trim()
}
