import anyAscii from 'any-ascii'
import { hashString } from '../sketch/hash.js'
import { normalizeNumber } from './tokenize.js'

/**
 * Language-independent evidence a translation keeps: numbers, names (transliterated to Latin),
 * URLs and @handles. `key` is the canonical form compared across documents.
 */
export interface Anchor {
  kind: 'number' | 'name' | 'url' | 'handle'
  key: string
  /** Less informative anchors (years) count less. */
  weight: number
}

const NUMBER = /\p{Nd}+(?:[.,\u00A0\u202F\u2009 ]\p{Nd}{3}(?!\p{Nd}))*(?:[.,]\p{Nd}+)?/gu
const URL = /\bhttps?:\/\/[^\s"'<>)]+|\bwww\.[^\s"'<>)]+/giu
const HANDLE = /(?<![\p{L}\p{N}_])@[\p{L}\p{N}_]{2,30}/gu
// A capitalised word (Latin, Greek, Cyrillic, Armenian… any cased script), hyphenated parts included.
const CAPITALISED = /(?<![\p{L}\p{N}])\p{Lu}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)*/gu
const SENTENCE_START = /(^|[.!?:;"“”«»]\s*|\n\s*)$/u

const VOWELS = /[aeiouy]/g

/**
 * Phonetic-ish skeleton of a transliterated name, so that spelling variants meet
 * ("Rahmoun"/"Rahmun", "Damascus"/"Damasco"): drop "al-", keep the first letter, drop later
 * vowels and doubled letters, keep four letters.
 */
export function nameKey(word: string): string {
  let s = anyAscii(word)
    .toLowerCase()
    .replace(/[^a-z-]/g, '')
  s = s.replace(/^(al|el|ad|ar|as|at|an)-/, '').replace(/-/g, '')
  if (s.length < 3) return ''
  const head = s[0] as string
  const tail = s
    .slice(1)
    .replace(VOWELS, '')
    .replace(/(.)\1+/g, '$1')
  return (head + tail).slice(0, 4)
}

/** Extract anchors from original-case text. */
export function extractAnchors(text: string): Anchor[] {
  const out: Anchor[] = []
  for (const m of text.matchAll(URL)) out.push({ kind: 'url', key: m[0].toLowerCase().replace(/[.,;:]+$/, ''), weight: 1 })
  const withoutUrls = text.replace(URL, ' ')
  for (const m of withoutUrls.matchAll(HANDLE)) out.push({ kind: 'handle', key: m[0].toLowerCase(), weight: 1 })
  for (const m of withoutUrls.matchAll(NUMBER)) {
    const key = normalizeNumber(m[0].replace(/[\u00A0\u202F\u2009 ]/g, ','))
    const value = Number(key)
    if (!(value >= 10)) continue // small numbers are everywhere
    const year = Number.isInteger(value) && value >= 1900 && value <= 2100
    out.push({ kind: 'number', key, weight: year ? 0.3 : 1 })
  }
  for (const m of withoutUrls.matchAll(CAPITALISED)) {
    const before = withoutUrls.slice(Math.max(0, m.index - 3), m.index)
    if (m.index === 0 || SENTENCE_START.test(before)) continue // sentence-initial capitals are not names
    const key = nameKey(m[0])
    if (key) out.push({ kind: 'name', key, weight: 1 })
  }
  return out
}

/** Anchors as a sorted set of hashes (kind and key), for set comparison and LSH. */
export function anchorHashes(anchors: Anchor[]): Uint32Array {
  const set = new Set<number>()
  for (const a of anchors) set.add(hashString(a.key, a.kind === 'number' ? 1 : a.kind === 'name' ? 2 : 3))
  return Uint32Array.from([...set]).sort()
}
