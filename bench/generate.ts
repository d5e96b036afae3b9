/**
 * A seeded syndication generator with ground truth.
 *
 * From a base corpus of real articles (Reuters-21578 by default) it writes N articles in which some
 * stories are "wire stories" that simulated outlets reprint, whole or altered (truncated, edited,
 * reordered, with their own datelines, bylines, paragraphs and site boilerplate), and the rest are
 * independent articles. Every record carries its ground-truth cluster.
 *
 *   npx tsx bench/generate.ts --n 10000 --seed 1 --out /tmp/x.jsonl [--base path]
 *
 * How distinct stories stay distinct (the ground truth must not lie):
 * - The base corpus is cleaned first ({@link dedupeBase}), keeping the first of each group: empty
 *   and short records (< 20 words: headline flashes) go, then exact duplicates (normalised text),
 *   then articles sharing a paragraph of 8+ words with a kept one (dividend and earnings notices
 *   that differ only in the company), then near-duplicates (corrections, rewrites of the same
 *   event: 3-word-shingle containment ≥ 0.35 in a kept article). Reuters: 21,577 → ~17,100.
 * - About 10% of the cleaned base (chosen by a hash of the id) is a filler pool; the rest are story
 *   *skeletons*. The first use of a skeleton is its real text. Its u-th reuse (u ≥ 1) is the skeleton
 *   under "generation u" of a vocabulary cipher: content words are permuted within their corpus
 *   frequency band (ranks 0–31, 32–95, 96–223, …; casing kept), digits 1–9 are permuted (0 kept, so
 *   numbers keep their shape), function words stay. One mapping per generation means that within a
 *   generation the text keeps Reuters' statistics (word frequencies, paragraph shapes, templated
 *   stories that look alike), and because the mapping is a bijection, distinct texts stay distinct;
 *   two uses of one skeleton share only function-word shingles (Reuters: 3-shingle Jaccard median
 *   0.005, max 0.07).
 *   The skeleton stream is deterministic per (seed, pool, cycle): a fresh permutation per pass.
 * - Paragraphs that copies add ("own paragraphs") and the headlines of "The Latest" blocks come from
 *   the filler pool, which no story uses: real text on the first pass over the pool, ciphered with a
 *   fresh key on each later pass, so they never tie two clusters together.
 * - Hard negatives are deliberate: an independent story that quotes one sentence (8 to 40 words,
 *   under half the story's words, with no quotation marks of its own) of an earlier story's body,
 *   in quotation marks and attributed, as its own paragraph
 *   (`transform: ['independent', 'quote']`, `quotedFrom`). A quote is short and marked as one: a
 *   whole paragraph taken over verbatim is a passage reused, which `compare` calls `partial`.
 * Tests check the result: no paragraph of 8+ words is shared across clusters, and
 * no two stories of different clusters reach 0.5 shingle containment, even with every skeleton
 * reused dozens of times.
 * The price: once the skeletons run out (~15k stories from Reuters; wire and independent streams
 * draw separately, so a few reuses start earlier) the text is Reuters-shaped word salad held together
 * by English function words. Fine for shingles, MinHash, LSH, containment and boilerplate handling;
 * not for anything that needs meaning (e.g. semantic embeddings).
 */
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { resolve } from 'node:path'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { createGzip } from 'node:zlib'
import type { Article } from '../src/analyze.js'
import { fmix32, hashString } from '../src/sketch/hash.js'
import { corpusExists, corpusMissing, defaultCorpusPath, loadBaseArticles } from './corpus.js'

// ---------------------------------------------------------------------------------------------
// Randomness and hashing (own, so output is byte-identical across Node versions)

/** mulberry32: a tiny, fast 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

class Rng {
  private readonly f: () => number
  constructor(seed: number) {
    this.f = mulberry32(seed)
  }
  next(): number {
    return this.f()
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.f() * n)
  }
  /** Integer in [lo, hi], inclusive. */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.f() * (hi - lo + 1))
  }
  chance(p: number): boolean {
    return this.f() < p
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.f() * items.length)] as T
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.f() * (i + 1))
      const t = items[i] as T
      items[i] = items[j] as T
      items[j] = t
    }
    return items
  }
}

// ---------------------------------------------------------------------------------------------
// Text helpers

/** Paragraphs of a text: blocks separated by blank lines, lines inside a block joined by a space. */
export function splitParagraphs(text: string): string[] {
  const out: string[] = []
  for (const block of text.split(/\r?\n[ \t\u00A0]*\r?\n/)) {
    const p = block.replace(/[ \t\u00A0]*\r?\n[ \t\u00A0]*/g, ' ').trim()
    if (p !== '') out.push(p)
  }
  return out
}

/** Lower case, every run of non-alphanumerics to one space: for comparing paragraphs. */
export function normalizeForCompare(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

function countWords(text: string): number {
  const t = normalizeForCompare(text)
  return t === '' ? 0 : t.split(' ').length
}

/** Function words: the cipher keeps them, so ciphered text still reads as English to a language detector. */
const STOPWORDS = new Set(
  (
    'a an the and or but nor so yet of in on at to for from by with as into onto over under about above below after ' +
    'before between through during without within against among up down out off than then that this these those there ' +
    'here which who whom whose what when where why how it its he him his she her hers they them their theirs we us our ' +
    'ours you your i me my is are was were be been being am has have had having do does did will would shall should ' +
    'can could may might must not no if also all any each both some such only own same very just more most other ' +
    'because while until again further once per via'
  ).split(' '),
)

const WORD_OR_NUMBER = /\p{L}+(?:['’]\p{L}+)*|[0-9]+/gu
const LETTERS_ONLY = /\p{L}+(?:['’]\p{L}+)*/gu

function applyCase(source: string, word: string): string {
  if (source.length > 1 && source === source.toUpperCase() && source !== source.toLowerCase()) return word.toUpperCase()
  const first = source.charAt(0)
  if (first !== first.toLowerCase()) return word.charAt(0).toUpperCase() + word.slice(1)
  return word
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

/**
 * The vocabulary cipher. Content words are grouped in frequency bands (ranks 0–31, 32–95, 96–223, …
 * of the base corpus; words with an apostrophe banded apart). A key permutes each band (an affine map i → a·i + c mod size, a coprime to
 * size) and the digits 1–9, so under one key the cipher is injective: distinct texts stay distinct.
 */
export class VocabularyCipher {
  private readonly entries = new Map<string, { band: number; index: number }>()
  private readonly bands: string[][] = []
  private cachedKey = -1
  private cachedParams = new Int32Array(0)
  private cachedDigits: string[] = []

  constructor(texts: Iterable<string>) {
    const counts = new Map<string, number>()
    for (const text of texts) {
      for (const m of text.matchAll(LETTERS_ONLY)) {
        const w = m[0].toLowerCase()
        if (w.length < 2 || STOPWORDS.has(w)) continue
        counts.set(w, (counts.get(w) ?? 0) + 1)
      }
    }
    const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([w]) => w)
    // words with an apostrophe ("company's") only trade places among themselves, so that a text keeps
    // its number of tokens under any normaliser that splits on the apostrophe
    for (const group of [ranked.filter((w) => !/['’]/.test(w)), ranked.filter((w) => /['’]/.test(w))]) {
      let start = 0
      let size = 32
      while (start < group.length) {
        let end = Math.min(group.length, start + size)
        if (group.length - end < size / 2) end = group.length // no tiny last band
        this.bands.push(group.slice(start, end))
        start = end
        size *= 2
      }
    }
    this.bands.forEach((band, b) => {
      band.forEach((w, index) => {
        this.entries.set(w, { band: b, index })
      })
    })
  }

  get size(): number {
    return this.entries.size
  }

  /** Per key: (a, c) for each band, and the digit map. Cached for the last key used. */
  private params(key: number): Int32Array {
    const k = key >>> 0
    if (k === this.cachedKey) return this.cachedParams
    const params = new Int32Array(this.bands.length * 2)
    this.bands.forEach((band, b) => {
      const m = band.length
      const h = fmix32(Math.imul(k, 0x9e3779b1) ^ Math.imul(b + 1, 0x632be5ab))
      let a = m > 1 ? (h % (m - 1)) + 1 : 1
      while (gcd(a, m) !== 1) a = (a % (m - 1)) + 1
      params[2 * b] = a
      params[2 * b + 1] = fmix32(h ^ 0x5bd1e995) % m
    })
    const digits = ['1', '2', '3', '4', '5', '6', '7', '8', '9']
    const rng = new Rng(fmix32(k ^ 0x27d4eb2f))
    rng.shuffle(digits)
    this.cachedDigits = ['0', ...digits]
    this.cachedKey = k
    this.cachedParams = params
    return params
  }

  /** The word `token` becomes under `key` (casing kept). Function words, one-letter and unknown words stay. */
  word(token: string, key: number): string {
    const lower = token.toLowerCase()
    if (lower.length < 2 || STOPWORDS.has(lower)) return token
    const entry = this.entries.get(lower)
    if (!entry) return token
    const params = this.params(key)
    const band = this.bands[entry.band] as string[]
    const a = params[2 * entry.band] as number
    const c = params[2 * entry.band + 1] as number
    return applyCase(token, band[(a * entry.index + c) % band.length] as string)
  }

  /** The same digits permuted (1–9 among themselves, 0 kept): same shape, and injective. */
  number(digits: string, key: number): string {
    this.params(key)
    let out = ''
    for (let i = 0; i < digits.length; i++) out += this.cachedDigits[digits.charCodeAt(i) - 48]
    return out
  }

  /** Every word and number of `text` under `key`; spacing and punctuation untouched. */
  text(text: string, key: number): string {
    return text.replace(WORD_OR_NUMBER, (t) => (t.charCodeAt(0) <= 57 ? this.number(t, key) : this.word(t, key)))
  }
}

// ---------------------------------------------------------------------------------------------
// Base corpus preparation

export interface PrepareOptions {
  /** Base articles with fewer words are dropped (Reuters has ~1,900 headline-only flashes). @default 20 */
  minWords?: number
  /** Drop an article whose 3-word-shingle containment in an earlier kept one reaches this. @default 0.35 */
  nearDupContainment?: number
  /** Share of the kept base reserved as filler (own paragraphs, headlines), never used as stories. @default 0.1 */
  fillerShare?: number
}

export interface BaseStats {
  input: number
  empty: number
  tooShort: number
  exactDuplicates: number
  /** Dropped for sharing a paragraph of 8+ words with a kept article. */
  sharedParagraph: number
  nearDuplicates: number
  kept: number
  /** Skeletons available for stories. */
  stories: number
  /** Skeletons long enough (4+ paragraphs) to be wire stories. */
  wirePool: number
  fillerArticles: number
  fillerParagraphs: number
  vocabulary: number
}

interface BaseDoc {
  id: string
  paragraphs: string[]
}

export interface PreparedBase {
  kind: 'prepared-base'
  stories: BaseDoc[]
  /** Indices into `stories` of skeletons with 4+ paragraphs. */
  wirePool: number[]
  fillerParagraphs: string[]
  fillerTitles: string[]
  cipher: VocabularyCipher
  stats: BaseStats
}

/** Sorted distinct 3-word-shingle hashes of a text (words interned to ids, so hashing is integer work). */
function shingleSet(text: string, wordIds: Map<string, number>): Int32Array {
  const words = normalizeForCompare(text).split(' ')
  const ids = new Int32Array(words.length)
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string
    let id = wordIds.get(w)
    if (id === undefined) wordIds.set(w, (id = wordIds.size + 1))
    ids[i] = id
  }
  // 30-bit non-negative hashes: the posting index keys on them
  const hashes = new Int32Array(Math.max(1, ids.length - 2))
  if (ids.length < 3) hashes[0] = fmix32(fmix32(ids[0] as number) ^ (ids.length > 1 ? (ids[1] as number) : 0)) & 0x3fffffff
  else {
    for (let i = 0; i < hashes.length; i++) {
      hashes[i] = fmix32(fmix32(fmix32(ids[i] as number) ^ (ids[i + 1] as number)) ^ (ids[i + 2] as number)) & 0x3fffffff
    }
  }
  hashes.sort()
  let u = 0
  for (let i = 0; i < hashes.length; i++) if (i === 0 || hashes[i] !== hashes[u - 1]) hashes[u++] = hashes[i] as number
  return hashes.slice(0, u)
}

/** Shingle → kept articles, in typed arrays (open addressing + linked postings): no per-key allocation. */
class PostingIndex {
  private keys = new Int32Array(1 << 16).fill(-1)
  private heads = new Int32Array(1 << 16)
  private lengths = new Int32Array(1 << 16)
  private used = 0
  private docs = new Int32Array(1 << 16)
  private next = new Int32Array(1 << 16)
  private entries = 0

  private slot(key: number): number {
    const mask = this.keys.length - 1
    let s = fmix32(key) & mask
    while (this.keys[s] !== -1 && this.keys[s] !== key) s = (s + 1) & mask
    return s
  }

  private grow(): void {
    const { keys, heads, lengths } = this
    this.keys = new Int32Array(keys.length * 2).fill(-1)
    this.heads = new Int32Array(keys.length * 2)
    this.lengths = new Int32Array(keys.length * 2)
    for (let s = 0; s < keys.length; s++) {
      if (keys[s] === -1) continue
      const t = this.slot(keys[s] as number)
      this.keys[t] = keys[s] as number
      this.heads[t] = heads[s] as number
      this.lengths[t] = lengths[s] as number
    }
  }

  add(key: number, doc: number): void {
    if ((this.used + 1) * 2 > this.keys.length) this.grow()
    if (this.entries === this.docs.length) {
      const docs = new Int32Array(this.docs.length * 2)
      docs.set(this.docs)
      this.docs = docs
      const next = new Int32Array(this.next.length * 2)
      next.set(this.next)
      this.next = next
    }
    const s = this.slot(key)
    if (this.keys[s] === -1) {
      this.keys[s] = key
      this.heads[s] = -1
      this.used++
    }
    const e = this.entries++
    this.docs[e] = doc
    this.next[e] = this.heads[s] as number
    this.heads[s] = e
    this.lengths[s] = (this.lengths[s] as number) + 1
  }

  /** Calls `fn` for each doc under `key` unless more than `maxLength` docs share it. */
  forEachRare(key: number, maxLength: number, fn: (doc: number) => void): void {
    const s = this.slot(key)
    if (this.keys[s] === -1 || (this.lengths[s] as number) > maxLength) return
    for (let e = this.heads[s] as number; e !== -1; e = this.next[e] as number) fn(this.docs[e] as number)
  }
}

function intersectSize(a: Int32Array, b: Int32Array): number {
  let i = 0
  let j = 0
  let n = 0
  while (i < a.length && j < b.length) {
    const x = a[i] as number
    const y = b[j] as number
    if (x === y) {
      n++
      i++
      j++
    } else if (x < y) i++
    else j++
  }
  return n
}

/**
 * Clean a base corpus, keeping the first of each duplicate group in input order: drops empty and
 * short texts, exact duplicates (normalised text) and near-duplicates (3-shingle containment, relative
 * to the smaller article, ≥ `nearDupContainment` against any kept article). Candidates come from an
 * index of rare shingles, then containment is computed exactly.
 */
export function dedupeBase(
  base: readonly Article[],
  options: PrepareOptions = {},
): {
  kept: Article[]
  stats: Pick<BaseStats, 'input' | 'empty' | 'tooShort' | 'exactDuplicates' | 'sharedParagraph' | 'nearDuplicates' | 'kept'>
} {
  const minWords = options.minWords ?? 20
  const threshold = options.nearDupContainment ?? 0.35
  const stats = { input: base.length, empty: 0, tooShort: 0, exactDuplicates: 0, sharedParagraph: 0, nearDuplicates: 0, kept: 0 }
  const seen = new Set<string>()
  const keptParagraphs = new Set<string>()
  const kept: Article[] = []
  const keptSets: Int32Array[] = []
  const wordIds = new Map<string, number>()
  const postings = new PostingIndex()
  const RARE = 40
  const counts = new Int32Array(base.length)
  const touched: number[] = []
  const touch = (d: number) => {
    const c = counts[d] as number
    counts[d] = c + 1
    if (c === 0) touched.push(d)
  }
  for (const article of base) {
    const norm = normalizeForCompare(article.text ?? '')
    if (norm === '') {
      stats.empty++
      continue
    }
    if (norm.split(' ').length < minWords) {
      stats.tooShort++
      continue
    }
    if (seen.has(norm)) {
      stats.exactDuplicates++
      continue
    }
    seen.add(norm)
    const longParagraphs = splitParagraphs(article.text)
      .map(normalizeForCompare)
      .filter((q) => q.split(' ').length >= 8)
    if (longParagraphs.some((q) => keptParagraphs.has(q))) {
      stats.sharedParagraph++
      continue
    }
    const set = shingleSet(norm, wordIds)
    // candidates: kept articles sharing rare shingles (a near-duplicate shares many)
    touched.length = 0
    for (const s of set) postings.forEachRare(s, RARE, touch)
    const minShared = set.length < 12 ? 1 : 2
    let duplicate = false
    for (const d of touched) {
      const other = keptSets[d] as Int32Array
      // verify only candidates whose rare shared shingles are a fair part of what a near-duplicate needs
      const needed = threshold * Math.min(set.length, other.length)
      if (!duplicate && (counts[d] as number) >= Math.max(minShared, 0.25 * needed)) {
        duplicate = intersectSize(set, other) >= needed
      }
      counts[d] = 0
    }
    if (duplicate) {
      stats.nearDuplicates++
      continue
    }
    const index = kept.length
    kept.push(article)
    keptSets.push(set)
    for (const q of longParagraphs) keptParagraphs.add(q)
    for (const s of set) postings.add(s, index)
  }
  stats.kept = kept.length
  return { kept, stats }
}

/** Dedupe the base, split it into story skeletons and a filler pool, and build the cipher. Reusable across seeds. */
export function prepareBase(base: readonly Article[], options: PrepareOptions = {}): PreparedBase {
  const fillerShare = options.fillerShare ?? 0.1
  const { kept, stats: d } = dedupeBase(base, options)
  if (kept.length < 4) {
    throw new Error(`prepareBase: need at least 4 distinct base articles after deduplication, got ${kept.length}`)
  }
  const docs: BaseDoc[] = kept.map((a) => ({ id: a.id, paragraphs: splitParagraphs(a.text) }))
  // The filler pool is chosen by a hash of the id: independent of order and seed.
  const isFiller = docs.map((doc) => hashString(doc.id, 0xf111e7) % 10_000 < fillerShare * 10_000)
  if (!isFiller.some(Boolean)) isFiller[isFiller.length - 1] = true
  const stories: BaseDoc[] = []
  const fillerParagraphs: string[] = []
  const fillerTitles: string[] = []
  let fillerArticles = 0
  docs.forEach((doc, i) => {
    if (!isFiller[i]) {
      stories.push(doc)
      return
    }
    fillerArticles++
    doc.paragraphs.forEach((p, j) => {
      if (j === 0) fillerTitles.push(p)
      else if (countWords(p) >= 8) fillerParagraphs.push(p)
    })
  })
  if (fillerTitles.length === 0) fillerTitles.push(...stories.slice(0, 1).map((doc) => doc.paragraphs[0] as string))
  if (fillerParagraphs.length === 0) fillerParagraphs.push(...fillerTitles)
  const wirePool = stories.flatMap((doc, i) => (doc.paragraphs.length >= 4 ? [i] : []))
  const cipher = new VocabularyCipher(docs.flatMap((doc) => doc.paragraphs))
  if (cipher.size < 32) throw new Error(`prepareBase: the base vocabulary is too small (${cipher.size} content words)`)
  return {
    kind: 'prepared-base',
    stories,
    wirePool,
    fillerParagraphs,
    fillerTitles,
    cipher,
    stats: {
      ...d,
      stories: stories.length,
      wirePool: wirePool.length,
      fillerArticles,
      fillerParagraphs: fillerParagraphs.length,
      vocabulary: cipher.size,
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Outlets and their boilerplate

const CITIES = [
  'Springfield',
  'Riverton',
  'Lakewood',
  'Fairview',
  'Greenville',
  'Bristol',
  'Clayton',
  'Dover',
  'Franklin',
  'Georgetown',
  'Hudson',
  'Jackson',
  'Kingston',
  'Lexington',
  'Madison',
  'Marion',
  'Milford',
  'Newport',
  'Oakland',
  'Oxford',
  'Plymouth',
  'Salem',
  'Shelby',
  'Trenton',
  'Union',
  'Vernon',
  'Warren',
  'Winchester',
  'Ashland',
  'Burlington',
  'Camden',
  'Dayton',
]
const MASTHEADS = [
  'Gazette',
  'Herald',
  'Tribune',
  'Courier',
  'Daily News',
  'Chronicle',
  'Post',
  'Times',
  'Observer',
  'Sentinel',
  'Ledger',
  'Journal',
  'Star',
  'Record',
  'Examiner',
  'Dispatch',
]
/** Wire agencies (fictional): the source of wire originals and of some independent stories. */
export const AGENCIES = ['Global Newswire', 'Continental Press Agency', 'Metro Wire Service', 'Pacific News Agency'] as const
const HEADER_ITEMS = ['A+ A-', 'Share this article', 'Listen to this article', 'Advertisement', 'Text size: A A A', 'Print']
const AD_NOTICES = [
  'Article continues after this advertisement',
  'Story continues below advertisement',
  'ADVERTISEMENT',
  'Scroll to continue with content',
  'Continue reading the main story',
]
const SHARE_LINES = [
  'Facebook | Twitter | Email',
  'Share on Facebook',
  'Share on WhatsApp',
  'Share this story',
  'Email | Print | Share',
]
const LIST_HEADINGS = ['The Latest', 'Latest News', 'Related Stories', 'Most Read', 'Recommended for you', 'Trending Now']
const FIXED_FOOTERS = [
  (name: string) => `© 2024 ${name}. All rights reserved.`,
  (name: string) => `Sign up for the ${name} morning newsletter to get the day's top stories in your inbox.`,
  (name: string) => `Have a news tip? Contact the ${name} newsroom.`,
  (name: string) => `Copyright ${name}. This material may not be published, broadcast, rewritten or redistributed.`,
  (name: string) => `Download the ${name} app for breaking news alerts.`,
]

/** How one simulated outlet wraps every article it publishes with boilerplate (the same way each time). */
export interface OutletProfile {
  name: string
  /** Paragraphs right after the headline ("A+ A-", "Listen to this article"). */
  header: string[]
  /** The advertisement notice, inserted after every `adEvery` body paragraphs. */
  adNotice: string
  adEvery: number
  /** Glue the notice onto the end of the preceding paragraph instead of giving it its own. */
  adGlued: boolean
  share: string | null
  /** Outlet-specific footer lines (copyright, newsletter). */
  footer: string[]
  /** Heading of a trailing list of other headlines ("The Latest"), or null. */
  listHeading: string | null
  /** A trailing comments block: heading and one line. */
  comments: string[] | null
}

/** The outlets for a seed: distinct names, each with a fixed boilerplate style. */
export function outletProfiles(seed: number, count: number): OutletProfile[] {
  const rng = new Rng(hashString('outlets', seed))
  const names = rng.shuffle(CITIES.flatMap((c) => MASTHEADS.map((m) => `${c} ${m}`)))
  const profiles: OutletProfile[] = []
  for (let i = 0; i < count; i++) {
    const base = names[i % names.length] as string
    const name = i < names.length ? base : `${base} ${Math.floor(i / names.length) + 1}`
    const header = rng.shuffle(HEADER_ITEMS.slice()).slice(0, rng.int(3))
    const adNotice = rng.pick(AD_NOTICES)
    const footer = rng
      .shuffle(FIXED_FOOTERS.slice())
      .slice(0, rng.range(1, 2))
      .map((f) => f(name))
    profiles.push({
      name,
      header,
      adNotice,
      adEvery: rng.range(2, 4),
      adGlued: /continues (after|below)/.test(adNotice) && rng.chance(0.35),
      share: rng.chance(0.6) ? rng.pick(SHARE_LINES) : null,
      footer,
      listHeading: rng.chance(0.55) ? rng.pick(LIST_HEADINGS) : null,
      comments: rng.chance(0.4) ? ['Comments', `Comments on ${name} are moderated and may take a few minutes to appear.`] : null,
    })
  }
  return profiles
}

/** Every fixed boilerplate paragraph an outlet can emit (the headlines in its trailing list are not fixed). */
export function boilerplateLines(profile: OutletProfile): string[] {
  const lines = [...profile.header, profile.adNotice, ...profile.footer]
  if (profile.share) lines.push(profile.share)
  if (profile.listHeading) lines.push(profile.listHeading)
  if (profile.comments) lines.push(...profile.comments)
  return lines
}

// ---------------------------------------------------------------------------------------------
// The generator

/** Copy transforms, in the order they are applied. */
export const COPY_TRANSFORMS = [
  'whole',
  'headline',
  'reorder',
  'truncate',
  'edit',
  'own-paragraphs',
  'byline',
  'dateline',
  'boilerplate',
] as const
export type CopyTransform = (typeof COPY_TRANSFORMS)[number]

/** How often each transform is a copy's primary transform. */
export const DEFAULT_TRANSFORM_WEIGHTS: Readonly<Record<CopyTransform, number>> = {
  whole: 0.14,
  headline: 0.06,
  reorder: 0.06,
  truncate: 0.18,
  edit: 0.16,
  'own-paragraphs': 0.12,
  byline: 0.08,
  dateline: 0.08,
  boilerplate: 0.12,
}

/** One generated article: an {@link Article} plus its ground truth. */
export interface GeneratedArticle {
  id: string
  text: string
  source: string
  publishedAt: string
  /** Ground-truth cluster: the wire original's id for copies (and the original), the article's own id otherwise. */
  cluster: string
  /**
   * What was done: `['original']` for a wire original, `['independent']` (plus `'quote'` for hard
   * negatives and `'boilerplate'` when site chrome was added) for independent articles, the
   * {@link CopyTransform}s applied, in order, for copies.
   */
  transform: string[]
  /** Hard negatives: the id of the story one paragraph was quoted from (a different cluster). */
  quotedFrom?: string
}

/** The article without its ground truth, as a system under test should see it. */
export function toArticle(g: GeneratedArticle): Article {
  return { id: g.id, text: g.text, source: g.source, publishedAt: g.publishedAt }
}

export interface GenerateOptions {
  /** Number of articles to generate. */
  n: number
  /** @default 1 */
  seed?: number
  /** Share of the output in wire clusters (originals and copies). @default 0.4 */
  wireShare?: number
  /** Mean number of copies of a wire story (geometric, at least 1). @default 4 */
  copiesPerWire?: number
  /** @default 40 */
  maxCopies?: number
  /**
   * Share of independent articles that try to quote one sentence (8 to 40 words) of an earlier
   * story's body; stories without such a sentence are not quoted, so somewhat fewer do. @default 0.03
   */
  hardNegativeShare?: number
  /** Probability that a copy gets one or two more transforms besides its primary one. @default 0.4 */
  comboRate?: number
  transformWeights?: Partial<Record<CopyTransform, number>>
  /** Probability that an independent article carries its outlet's boilerplate. @default 0.2 */
  independentBoilerplate?: number
  /** Number of simulated outlets. @default 200 */
  outlets?: number
  /** Copies are due within this many articles after their original (a burst of due copies can delay a few slightly). @default 300 */
  window?: number
  /** publishedAt of article 0. @default '2024-01-01T00:00:00Z' */
  startDate?: string
  /** Article i is published about i × stepSeconds after startDate (strictly increasing). @default 30 */
  stepSeconds?: number
  /** @default 'g' */
  idPrefix?: string
  /** Used when `base` is raw articles rather than a {@link PreparedBase}. */
  prepare?: PrepareOptions
}

export interface GenerationStats {
  articles: number
  originals: number
  copies: number
  independent: number
  hardNegatives: number
  /** Independent articles with site boilerplate. */
  boilerplatedIndependent: number
  clusters: number
  largestCluster: number
  /** Copies carrying each transform. */
  transforms: Record<CopyTransform, number>
  /** Copies with exactly one transform. */
  singleTransformCopies: number
  /** Stories (originals and independent articles) in real base text, and ciphered reuses. */
  realStories: number
  cipheredStories: number
  /** Highest cipher generation used. */
  maxGeneration: number
  base: BaseStats
}

interface Story {
  id: string
  paragraphs: string[]
}

interface PendingCopy {
  due: number
  seq: number
  story: Story
  outlet: OutletProfile
}

/** A binary min-heap of pending copies by (due, seq). */
class CopyHeap {
  private readonly items: PendingCopy[] = []
  get size(): number {
    return this.items.length
  }
  peek(): PendingCopy | undefined {
    return this.items[0]
  }
  private less(a: PendingCopy, b: PendingCopy): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq)
  }
  push(item: PendingCopy): void {
    const a = this.items
    a.push(item)
    let i = a.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.less(a[i] as PendingCopy, a[p] as PendingCopy)) break
      ;[a[i], a[p]] = [a[p] as PendingCopy, a[i] as PendingCopy]
      i = p
    }
  }
  pop(): PendingCopy | undefined {
    const a = this.items
    const top = a[0]
    const last = a.pop()
    if (a.length > 0 && last) {
      a[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < a.length && this.less(a[l] as PendingCopy, a[m] as PendingCopy)) m = l
        if (r < a.length && this.less(a[r] as PendingCopy, a[m] as PendingCopy)) m = r
        if (m === i) break
        ;[a[i], a[m]] = [a[m] as PendingCopy, a[i] as PendingCopy]
        i = m
      }
    }
    return top
  }
}

/** Walks a pool in a fresh seeded permutation per cycle; `cycle` counts completed passes. */
class Cursor {
  private perm: Uint32Array = new Uint32Array(0)
  private pos = 0
  cycle = -1
  constructor(
    private readonly size: number,
    private readonly seed: number,
  ) {}
  next(): number {
    if (this.pos >= this.perm.length) {
      this.cycle++
      const rng = new Rng(hashString(`cycle ${this.cycle}`, this.seed))
      const perm = new Uint32Array(this.size)
      for (let i = 0; i < this.size; i++) perm[i] = i
      for (let i = this.size - 1; i > 0; i--) {
        const j = rng.int(i + 1)
        const t = perm[i] as number
        perm[i] = perm[j] as number
        perm[j] = t
      }
      this.perm = perm
      this.pos = 0
    }
    return this.perm[this.pos++] as number
  }
}

const FIRST_NAMES = [
  'Anna',
  'David',
  'Maria',
  'James',
  'Sofia',
  'Daniel',
  'Laura',
  'Michael',
  'Emma',
  'Robert',
  'Claire',
  'Thomas',
  'Helen',
  'Peter',
  'Nina',
  'Samuel',
  'Grace',
  'Victor',
  'Julia',
  'Omar',
]
const LAST_NAMES = [
  'Carter',
  'Nguyen',
  'Schmidt',
  'Okafor',
  'Larsen',
  'Moreau',
  'Kowalski',
  'Tanaka',
  'Silva',
  'Brennan',
  'Haddad',
  'Novak',
  'Fischer',
  'Ramirez',
  'Patel',
  'Lindqvist',
  'Dubois',
  'Mwangi',
  'Rossi',
  'Kim',
]
const DATELINE_CITIES = [
  'NEW YORK',
  'LONDON',
  'WASHINGTON',
  'TOKYO',
  'FRANKFURT',
  'CHICAGO',
  'PARIS',
  'HONG KONG',
  'SYDNEY',
  'TORONTO',
]
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
const SMALL_WORDS = new Set(['a', 'an', 'the', 'and', 'or', 'of', 'in', 'on', 'at', 'to', 'for', 'by', 'as', 'vs'])

function titleCase(title: string): string {
  let first = true
  return title.replace(/\p{L}+(?:['’]\p{L}+)*/gu, (w) => {
    const lower = w.toLowerCase()
    const out = !first && SMALL_WORDS.has(lower) ? lower : lower.charAt(0).toUpperCase() + lower.slice(1)
    first = false
    return out
  })
}

function splitSentences(paragraph: string): string[] {
  return paragraph.split(/(?<=[.!?]["'”’)]?)\s+(?=["“'‘(]?[\p{Lu}0-9])/u)
}

function resolveWeights(overrides: Partial<Record<CopyTransform, number>> | undefined): Record<CopyTransform, number> {
  const w = { ...DEFAULT_TRANSFORM_WEIGHTS, ...overrides }
  for (const t of COPY_TRANSFORMS) {
    if (!(w[t] >= 0)) throw new Error(`generate: transform weight for ${t} must be a non-negative number, got ${w[t]}`)
  }
  if (COPY_TRANSFORMS.every((t) => w[t] === 0)) throw new Error('generate: at least one transform weight must be positive')
  return w
}

function weightedPick(
  rng: Rng,
  items: readonly CopyTransform[],
  weights: Record<CopyTransform, number>,
): CopyTransform | undefined {
  let total = 0
  for (const t of items) total += weights[t]
  if (total <= 0) return undefined
  let x = rng.next() * total
  for (const t of items) {
    x -= weights[t]
    if (x < 0) return t
  }
  return items[items.length - 1]
}

function checkNumber(name: string, value: number, lo: number, hi: number, integer = false): void {
  if (typeof value !== 'number' || !(value >= lo && value <= hi) || (integer && !Number.isInteger(value))) {
    throw new Error(`generate: ${name} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got ${String(value)}`)
  }
}

/**
 * Build a generator. Iterating `articles` yields exactly `n` articles in publication order;
 * `stats` fills in as it goes. Deterministic: the same base, options and seed give the same sequence.
 * Memory is bounded by the base corpus plus the copies pending within `window`.
 */
export function createGenerator(
  base: readonly Article[] | PreparedBase,
  options: GenerateOptions,
): { articles: Generator<GeneratedArticle, void, undefined>; stats: GenerationStats } {
  const prepared: PreparedBase = 'kind' in base ? base : prepareBase(base, options.prepare)
  const n = options.n
  const seed = options.seed ?? 1
  const wireShare = options.wireShare ?? 0.4
  const meanCopies = options.copiesPerWire ?? 4
  const maxCopies = options.maxCopies ?? 40
  const hardNegativeShare = options.hardNegativeShare ?? 0.03
  const comboRate = options.comboRate ?? 0.4
  const independentBoilerplate = options.independentBoilerplate ?? 0.2
  const outletCount = options.outlets ?? 200
  const window = options.window ?? 300
  const stepSeconds = options.stepSeconds ?? 30
  const idPrefix = options.idPrefix ?? 'g'
  const t0 = Date.parse(options.startDate ?? '2024-01-01T00:00:00Z')
  checkNumber('n', n, 0, 1e9, true)
  checkNumber('seed', seed, -(2 ** 31), 2 ** 32 - 1, true)
  checkNumber('wireShare', wireShare, 0, 0.99)
  checkNumber('copiesPerWire', meanCopies, 1, 1000)
  checkNumber('maxCopies', maxCopies, 1, 1e6, true)
  checkNumber('hardNegativeShare', hardNegativeShare, 0, 1)
  checkNumber('comboRate', comboRate, 0, 1)
  checkNumber('independentBoilerplate', independentBoilerplate, 0, 1)
  checkNumber('outlets', outletCount, 1, 1e6, true)
  checkNumber('window', window, 1, 1e9, true)
  checkNumber('stepSeconds', stepSeconds, 1, 1e9, true)
  if (Number.isNaN(t0)) throw new Error(`generate: startDate is not a date: ${options.startDate}`)
  if (wireShare > 0 && prepared.wirePool.length === 0) {
    throw new Error('generate: no base article has the 4+ paragraphs a wire story needs; set wireShare to 0')
  }
  const weights = resolveWeights(options.transformWeights)
  const outlets = outletProfiles(seed, outletCount)
  const { stories: skeletons, cipher } = prepared
  const stats: GenerationStats = {
    articles: 0,
    originals: 0,
    copies: 0,
    independent: 0,
    hardNegatives: 0,
    boilerplatedIndependent: 0,
    clusters: 0,
    largestCluster: 0,
    transforms: Object.fromEntries(COPY_TRANSFORMS.map((t) => [t, 0])) as Record<CopyTransform, number>,
    singleTransformCopies: 0,
    realStories: 0,
    cipheredStories: 0,
    maxGeneration: 0,
    base: prepared.stats,
  }

  // P(a new story is a wire story) such that wire clusters hold `wireShare` of the articles.
  const pWire = wireShare / ((1 + meanCopies) * (1 - wireShare) + wireShare)
  const idWidth = Math.max(6, String(Math.max(0, n - 1)).length)
  const idOf = (i: number) => `${idPrefix}${String(i).padStart(idWidth, '0')}`
  const genKey = (u: number) => hashString(`generation ${u}`, seed)

  function* run(): Generator<GeneratedArticle, void, undefined> {
    const rng = new Rng(hashString('main', seed))
    const usage = new Uint32Array(skeletons.length)
    const wireCursor = new Cursor(prepared.wirePool.length, hashString('wire', seed))
    const indCursor = new Cursor(skeletons.length, hashString('independent', seed))
    const fillerCursor = new Cursor(prepared.fillerParagraphs.length, hashString('filler', seed))
    const titleCursor = new Cursor(prepared.fillerTitles.length, hashString('titles', seed))
    const heap = new CopyHeap()
    const recent: Story[] = []
    let seq = 0
    let i = 0

    const publishedAt = (index: number): { iso: string; ms: number } => {
      const ms = t0 + (index * stepSeconds + rng.int(stepSeconds)) * 1000
      return { iso: new Date(ms).toISOString().replace('.000Z', 'Z'), ms }
    }

    const makeStory = (id: string, wire: boolean): Story => {
      const idx = wire ? (prepared.wirePool[wireCursor.next()] as number) : indCursor.next()
      const doc = skeletons[idx] as BaseDoc
      const u = usage[idx] as number
      usage[idx] = u + 1
      if (u === 0) {
        stats.realStories++
        return { id, paragraphs: doc.paragraphs.slice() }
      }
      stats.cipheredStories++
      if (u > stats.maxGeneration) stats.maxGeneration = u
      const key = genKey(u)
      return { id, paragraphs: doc.paragraphs.map((p) => cipher.text(p, key)) }
    }

    const filler = (cursor: Cursor, pool: string[], tag: string): string => {
      const text = pool[cursor.next()] as string
      return cursor.cycle === 0 ? text : cipher.text(text, hashString(`${tag} ${cursor.cycle}`, seed))
    }
    const fillerParagraph = () => filler(fillerCursor, prepared.fillerParagraphs, 'filler')
    const fillerTitle = () => titleCase(filler(titleCursor, prepared.fillerTitles, 'title'))

    const remember = (story: Story) => {
      recent.push(story)
      if (recent.length > 64) recent.shift()
    }

    const boilerplate = (paragraphs: string[], outlet: OutletProfile): string[] => {
      const out: string[] = [paragraphs[0] as string, ...outlet.header]
      const body = paragraphs.slice(1)
      body.forEach((p, j) => {
        const adHere = (j + 1) % outlet.adEvery === 0 && j < body.length - 1
        if (adHere && outlet.adGlued) out.push(`${p} ${outlet.adNotice}`)
        else {
          out.push(p)
          if (adHere) out.push(outlet.adNotice)
        }
      })
      if (outlet.share) out.push(outlet.share)
      out.push(...outlet.footer)
      if (outlet.listHeading) out.push(outlet.listHeading, fillerTitle(), fillerTitle(), fillerTitle())
      if (outlet.comments) out.push(...outlet.comments)
      return out
    }

    const chooseTransforms = (): CopyTransform[] => {
      const primary = weightedPick(rng, COPY_TRANSFORMS, weights) as CopyTransform
      const chosen = new Set<CopyTransform>([primary])
      if (primary !== 'whole' && rng.chance(comboRate)) {
        const extras = rng.chance(0.35) ? 2 : 1
        for (let e = 0; e < extras; e++) {
          const rest = COPY_TRANSFORMS.filter((t) => t !== 'whole' && !chosen.has(t))
          const t = weightedPick(rng, rest, weights)
          if (t) chosen.add(t)
        }
      }
      return COPY_TRANSFORMS.filter((t) => chosen.has(t))
    }

    const editSentence = (sentence: string, key: number): string => {
      const tokens = sentence.split(' ')
      const op = rng.next()
      const wordIdx = tokens.flatMap((t, j) => (/^\p{L}{2,}$/u.test(t) && !STOPWORDS.has(t.toLowerCase()) ? [j] : []))
      if (op < 0.55 && wordIdx.length > 0) {
        const times = rng.range(1, Math.min(2, wordIdx.length))
        for (let e = 0; e < times; e++) {
          const j = rng.pick(wordIdx)
          tokens[j] = cipher.word(tokens[j] as string, key + e)
        }
        return tokens.join(' ')
      }
      // delete one or two words (never the first, never a token that carries punctuation)
      const deletable = tokens.flatMap((t, j) => (j > 0 && /^\p{L}+$/u.test(t) ? [j] : []))
      if (deletable.length === 0) return sentence
      const del = new Set<number>([rng.pick(deletable)])
      if (rng.chance(0.4)) del.add(rng.pick(deletable))
      return tokens.filter((_, j) => !del.has(j)).join(' ')
    }

    const applyTransforms = (story: Story, transforms: CopyTransform[], outlet: OutletProfile, index: number, ms: number) => {
      let paras = story.paragraphs.slice()
      let bodyStart = 1
      const key = hashString(`edit ${index}`, seed)
      for (const t of transforms) {
        switch (t) {
          case 'whole':
            break
          case 'headline': {
            const title = paras[0] as string
            let next = titleCase(title)
            if (next === title || rng.chance(0.5)) {
              const words = next.split(' ')
              const j = rng.int(words.length)
              words[j] = cipher.text(words[j] as string, key ^ 0x4ead)
              next = words.join(' ')
            }
            paras[0] = next
            break
          }
          case 'reorder': {
            const from = rng.range(1, paras.length - 1)
            let to = rng.range(1, paras.length - 2)
            if (to >= from) to++
            const [moved] = paras.splice(from, 1)
            paras.splice(to, 0, moved as string)
            break
          }
          case 'truncate':
            paras = paras.slice(0, rng.range(2, paras.length - 1))
            break
          case 'edit': {
            let edits = 0
            let editKey = key
            const edited = paras.map((p, j) => {
              if (j === 0) return p
              const sentences = splitSentences(p)
              const kept: string[] = []
              for (const s of sentences) {
                if (!rng.chance(0.3)) kept.push(s)
                else if (sentences.length > 1 && rng.chance(0.15))
                  edits++ // drop the sentence
                else {
                  const e = editSentence(s, editKey++)
                  if (e !== s) edits++
                  kept.push(e)
                }
              }
              return kept.length > 0 ? kept.join(' ') : p
            })
            if (edits === 0) {
              const j = rng.range(1, edited.length - 1)
              const p = edited[j] as string
              const e = editSentence(p, editKey)
              edited[j] = e !== p ? e : cipher.text(p, editKey)
            }
            paras = edited
            break
          }
          case 'own-paragraphs': {
            const count = rng.range(1, 3)
            for (let c = 0; c < count; c++) {
              const at = rng.chance(0.4) ? paras.length : rng.range(Math.min(2, paras.length), paras.length)
              paras.splice(at, 0, fillerParagraph())
            }
            break
          }
          case 'byline': {
            const name = () => `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`
            const style = rng.int(4)
            if (style === 3) paras.push(`Reporting by ${name()}; Editing by ${name()}`)
            else {
              const line =
                style === 0 ? `By ${name()}` : style === 1 ? `By ${name()}, ${outlet.name}` : `By ${name()} and ${name()}`
              paras.splice(1, 0, line)
              bodyStart++
            }
            break
          }
          case 'dateline': {
            const d = new Date(ms)
            if (rng.chance(0.5) && bodyStart < paras.length) {
              const city = rng.pick(DATELINE_CITIES)
              const month = MONTH_NAMES[d.getUTCMonth()] as string
              const prefix = rng.chance(0.5)
                ? `${city}, ${month} ${d.getUTCDate()} (${outlet.name}) - `
                : `${city} (${outlet.name}) — `
              paras[bodyStart] = prefix + paras[bodyStart]
            } else {
              const month = MONTH_NAMES[d.getUTCMonth()] as string
              paras.splice(1, 0, `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}`)
              bodyStart++
            }
            break
          }
          case 'boilerplate':
            paras = boilerplate(paras, outlet)
            break
        }
      }
      return paras
    }

    while (i < n) {
      const remaining = n - i
      const top = heap.peek()
      if (top && (top.due <= i || heap.size >= remaining)) {
        const pending = heap.pop() as PendingCopy
        const { iso, ms } = publishedAt(i)
        const transforms = chooseTransforms()
        const paras = applyTransforms(pending.story, transforms, pending.outlet, i, ms)
        for (const t of transforms) stats.transforms[t]++
        if (transforms.length === 1) stats.singleTransformCopies++
        stats.copies++
        stats.articles++
        yield {
          id: idOf(i),
          text: paras.join('\n\n'),
          source: pending.outlet.name,
          publishedAt: iso,
          cluster: pending.story.id,
          transform: transforms,
        }
        i++
        continue
      }
      const id = idOf(i)
      const room = remaining - heap.size
      stats.clusters++
      if (room >= 2 && rng.chance(pWire)) {
        // a wire story and its copies
        const geometric = meanCopies > 1 ? Math.floor(Math.log(1 - rng.next()) / Math.log(1 - 1 / meanCopies)) : 0
        const k = Math.min(1 + geometric, maxCopies, room - 1)
        const story = makeStory(id, true)
        const used = new Set<number>()
        for (let c = 0; c < k; c++) {
          let o = rng.int(outlets.length)
          for (let tries = 0; used.has(o) && tries < 8; tries++) o = rng.int(outlets.length)
          used.add(o)
          heap.push({ due: i + 1 + rng.int(window), seq: seq++, story, outlet: outlets[o] as OutletProfile })
        }
        stats.largestCluster = Math.max(stats.largestCluster, k + 1)
        stats.originals++
        stats.articles++
        remember(story)
        yield {
          id,
          text: story.paragraphs.join('\n\n'),
          source: rng.pick(AGENCIES),
          publishedAt: publishedAt(i).iso,
          cluster: id,
          transform: ['original'],
        }
        i++
        continue
      }
      // an independent article, maybe quoting one sentence of an earlier story (a hard negative)
      const story = makeStory(id, false)
      const paras = story.paragraphs.slice()
      const transform = ['independent']
      let quotedFrom: string | undefined
      if (recent.length > 0 && rng.chance(hardNegativeShare)) {
        const source = rng.pick(recent)
        // A quote is a minority of the story it is taken from (quoting all of a one-sentence story
        // reprints it), and has no quotation marks of its own (a quote within a quote).
        const sourceWords = countWords(source.paragraphs.join(' '))
        const quotable = source.paragraphs
          .slice(1)
          .flatMap(splitSentences)
          .filter((t) => countWords(t) >= 8 && countWords(t) <= 40 && 2 * countWords(t) < sourceWords && !/["“”]/.test(t))
        const at = rng.range(1, paras.length)
        const draw = rng.next()
        if (quotable.length > 0) {
          const sentence = (quotable[Math.floor(draw * quotable.length)] as string).replace(/[.!?]+$/, '')
          paras.splice(at, 0, `"${sentence}," the report said.`)
          quotedFrom = source.id
          transform.push('quote')
          stats.hardNegatives++
        }
      }
      remember(story)
      const useOutlet = rng.chance(0.85)
      const outlet = outlets[rng.int(outlets.length)] as OutletProfile
      let text = paras
      if (useOutlet && rng.chance(independentBoilerplate)) {
        text = boilerplate(paras, outlet)
        transform.push('boilerplate')
        stats.boilerplatedIndependent++
      }
      stats.independent++
      stats.articles++
      const record: GeneratedArticle = {
        id,
        text: text.join('\n\n'),
        source: useOutlet ? outlet.name : rng.pick(AGENCIES),
        publishedAt: publishedAt(i).iso,
        cluster: id,
        transform,
      }
      if (quotedFrom !== undefined) record.quotedFrom = quotedFrom
      yield record
      i++
    }
  }

  return { articles: run(), stats }
}

/** The generated articles, in publication order (see {@link createGenerator}). */
export function generateCorpus(base: readonly Article[] | PreparedBase, options: GenerateOptions): Iterable<GeneratedArticle> {
  return createGenerator(base, options).articles
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Where the ground truth and the run's metadata go for an output path: `x.jsonl` → `x.truth.jsonl`, `x.meta.json`. */
export function companionPaths(outPath: string): { truth: string; meta: string } {
  const stem = outPath.replace(/\.jsonl(\.gz)?$/, '')
  return { truth: `${stem}.truth.jsonl`, meta: `${stem}.meta.json` }
}

/** Buffers lines and writes them in ~1 MB chunks, honouring backpressure; gzips when the path ends in `.gz`. */
class ChunkWriter {
  private parts: string[] = []
  private pending = 0
  private readonly sink: Writable
  private readonly file: Writable
  bytes = 0

  constructor(path: string) {
    this.file = createWriteStream(path)
    if (path.endsWith('.gz')) {
      const gzip = createGzip()
      gzip.pipe(this.file)
      this.sink = gzip
    } else this.sink = this.file
  }

  /** Returns true when the caller should `await flush()`. */
  add(line: string): boolean {
    this.parts.push(line)
    this.pending += line.length
    return this.pending >= 1 << 20
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return
    const chunk = this.parts.join('')
    this.parts = []
    this.pending = 0
    this.bytes += Buffer.byteLength(chunk)
    if (!this.sink.write(chunk)) await once(this.sink, 'drain')
  }

  async close(): Promise<void> {
    await this.flush()
    this.sink.end()
    await finished(this.file)
  }
}

export interface WriteResult {
  articles: number
  outPath: string
  truthPath: string
  /** Uncompressed bytes of the article file. */
  bytes: number
}

/**
 * Stream articles to `outPath` (JSONL; gzipped if it ends in `.gz`) and their ground truth to
 * `truthPath` (default {@link companionPaths}; one `{"id","cluster"}` per line). Bounded memory.
 */
export async function writeCorpus(
  articles: Iterable<GeneratedArticle>,
  outPath: string,
  options: { truthPath?: string } = {},
): Promise<WriteResult> {
  const truthPath = options.truthPath ?? companionPaths(outPath).truth
  const out = new ChunkWriter(outPath)
  const truth = new ChunkWriter(truthPath)
  let count = 0
  for (const a of articles) {
    const record: GeneratedArticle = {
      id: a.id,
      text: a.text,
      source: a.source,
      publishedAt: a.publishedAt,
      cluster: a.cluster,
      transform: a.transform,
    }
    if (a.quotedFrom !== undefined) record.quotedFrom = a.quotedFrom
    const flushOut = out.add(`${JSON.stringify(record)}\n`)
    const flushTruth = truth.add(`${JSON.stringify({ id: a.id, cluster: a.cluster })}\n`)
    if (flushOut) await out.flush()
    if (flushTruth) await truth.flush()
    count++
  }
  await Promise.all([out.close(), truth.close()])
  return { articles: count, outPath, truthPath, bytes: out.bytes }
}

// ---------------------------------------------------------------------------------------------
// CLI

const USAGE = `usage: npx tsx bench/generate.ts --n 10000 --seed 1 --out /tmp/x.jsonl [options]

  --n N                  articles to generate (required)
  --out PATH             output JSONL (.jsonl or .jsonl.gz); ground truth goes to PATH-without-.jsonl + .truth.jsonl,
                         run metadata (options, stats) to .meta.json (required)
  --seed S               PRNG seed (default 1)
  --base PATH            base corpus (default ../shared/corpora/reuters21578.jsonl.gz)
  --limit K              use only the first K base records
  --wire-share X         share of articles in wire clusters (default 0.4)
  --copies M             mean copies per wire story (default 4)
  --hard-negatives X     share of independent articles quoting one paragraph of another story (default 0.03)
  --window W             copies appear within W articles of their original (default 300)`

async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: argv,
      options: {
        n: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        base: { type: 'string' },
        limit: { type: 'string' },
        'wire-share': { type: 'string' },
        copies: { type: 'string' },
        'hard-negatives': { type: 'string' },
        window: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  const num = (name: string): number | undefined => {
    const v = values[name]
    if (v === undefined) return undefined
    const x = Number(v)
    if (typeof v !== 'string' || v.trim() === '' || Number.isNaN(x))
      throw new Error(`--${name} must be a number, got ${String(v)}`)
    return x
  }
  const out = values.out
  if (typeof out !== 'string' || values.n === undefined) {
    console.error(USAGE)
    return 2
  }
  const basePath = typeof values.base === 'string' ? resolve(values.base) : defaultCorpusPath()
  if (!corpusExists(basePath)) {
    console.error(corpusMissing(basePath))
    return 1
  }
  try {
    const started = performance.now()
    const { articles: base, skippedEmpty } = await loadBaseArticles(basePath, num('limit'))
    const prepared = prepareBase(base)
    const options: GenerateOptions = { n: num('n') as number, seed: num('seed') ?? 1 }
    const wireShare = num('wire-share')
    const copies = num('copies')
    const hardNegatives = num('hard-negatives')
    const window = num('window')
    if (wireShare !== undefined) options.wireShare = wireShare
    if (copies !== undefined) options.copiesPerWire = copies
    if (hardNegatives !== undefined) options.hardNegativeShare = hardNegatives
    if (window !== undefined) options.window = window
    const { articles, stats } = createGenerator(prepared, options)
    const paths = companionPaths(out)
    const result = await writeCorpus(articles, out, { truthPath: paths.truth })
    const seconds = (performance.now() - started) / 1000
    const meta = { generator: 'wiretrace bench/generate.ts', basePath, skippedEmpty, options, stats, seconds }
    const metaWriter = createWriteStream(paths.meta)
    metaWriter.end(`${JSON.stringify(meta, null, 2)}\n`)
    await finished(metaWriter)
    console.log(
      `wrote ${result.articles} articles (${stats.originals} wire originals, ${stats.copies} copies, ` +
        `${stats.independent} independent, ${stats.hardNegatives} hard negatives) to ${out} in ${seconds.toFixed(1)} s\n` +
        `ground truth: ${paths.truth}\nmetadata: ${paths.meta}`,
    )
    return 0
  } catch (err) {
    console.error(`generate: ${(err as Error).message}`)
    return 1
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
