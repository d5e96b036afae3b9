import { anchorHashList, anchorHashScratch } from '../text/anchors.js'
import { normalizeText } from '../text/normalize.js'
import { NOT_PLAIN, OUT_FULL, type PlainCursor, scanPlainLine } from '../text/plain.js'
import { scanTokens } from '../text/tokenize.js'
import { combine, mix32 } from './hash.js'
import { capacity, grow, TokenBuffer } from './scratch.js'

// Scratch space of the pass-1 scanner, reused from paragraph to paragraph and article to article
// (single-threaded, not re-entrant: nothing it calls shingles). Larger than KEEP: dropped after use.
let utf8: Uint8Array = new Uint8Array(1 << 14)
const tokens = new TokenBuffer(1024)
let shingles: Uint32Array = new Uint32Array(1024)
let documentShingles: Uint32Array = new Uint32Array(8192)
let documentCount = 0
const KEEP = 1 << 20
const encoder = new TextEncoder()
const cursor: PlainCursor = { end: 0 }

/**
 * Token hashes of one paragraph (a text with no line break), as `scanTokens(normalizeText(text))`
 * gives them, into `tokens`; returns their number. Most paragraphs take the one-pass UTF-8
 * scanner (`scanPlainLine`), which builds no string; the others the reference steps.
 */
function paragraphTokens(text: string, foldDiacritics: boolean): number {
  const len = text.length
  // At most 3 UTF-8 bytes a UTF-16 unit, and one for the '\n' that stops the scanner.
  if (utf8.length <= 3 * len) utf8 = new Uint8Array(capacity(3 * len + 1))
  const size = encoder.encodeInto(text, utf8).written ?? 0
  utf8[size] = 0x0a
  for (;;) {
    const n = scanPlainLine(utf8, 0, tokens.values, cursor)
    if (n === OUT_FULL) {
      tokens.values = grow(tokens.values, 2 * tokens.values.length)
      continue
    }
    // A line break inside the text ends the plain scan early: let the reference steps read it all.
    if (n !== NOT_PLAIN && cursor.end === size) return n
    break
  }
  tokens.count = 0
  scanTokens(normalizeText(text, { foldDiacritics }), tokens.push)
  return tokens.count
}

/**
 * The word shingles of one paragraph, sorted and distinct, exactly as the reference steps make
 * them (`toSortedSet(wordShingles(tokens, k, seed))` of the paragraph's tokens), at the front of
 * {@link scratchShingles}; returns their number.
 */
export function shingleParagraph(text: string, k: number, seed: number, foldDiacritics: boolean): number {
  const n = paragraphTokens(text, foldDiacritics)
  if (n === 0) return 0
  const width = Math.min(k, n)
  const m = n >= k ? n - k + 1 : 1
  if (shingles.length < m) shingles = new Uint32Array(capacity(m))
  const t = tokens.values
  const out = shingles
  for (let i = 0; i < m; i++) {
    let h = seed ^ width
    for (let j = 0; j < width; j++) h = combine(h, t[i + j] as number)
    out[i] = mix32(h)
  }
  return sortDistinct(out, m)
}

/** Sorts `a[0, n)` in place, moves its distinct values to the front and returns their number. */
export function sortDistinct(a: Uint32Array, n: number): number {
  if (n < 2) return n
  a.subarray(0, n).sort()
  let w = 1
  for (let i = 1; i < n; i++) {
    const v = a[i] as number
    if (v !== a[w - 1]) a[w++] = v
  }
  return w
}

/** The scratch array {@link shingleParagraph} writes to (valid until its next call). */
export function scratchShingles(): Uint32Array {
  return shingles
}

/** Start collecting a document's shingles: {@link addDocumentShingles} appends, {@link documentSet} reads. */
export function startDocument(): void {
  documentCount = 0
}

/** Append a paragraph's shingle set to the document's. */
export function addDocumentShingles(set: Uint32Array): void {
  const n = set.length
  if (documentCount + n > documentShingles.length) {
    const bigger = new Uint32Array(capacity(documentCount + n))
    bigger.set(documentShingles.subarray(0, documentCount))
    documentShingles = bigger
  }
  documentShingles.set(set, documentCount)
  documentCount += n
}

/**
 * The document's shingles, sorted and distinct (the union of its paragraphs' sets, as `unionOf`
 * makes it), at the front of the returned scratch array; `count` of them.
 */
export function documentSet(): { values: Uint32Array; count: number } {
  return { values: documentShingles, count: sortDistinct(documentShingles, documentCount) }
}

let anchorScratch: Uint32Array = new Uint32Array(256)

/**
 * `anchorHashes(extractAnchors(text))` (the paragraph's anchor set), hashed as the anchors are
 * found ({@link anchorHashList}), sorted in place and returned by {@link resultCopy}.
 */
export function anchorSet(text: string): Uint32Array {
  const n = anchorHashList(text)
  const h = anchorHashScratch()
  return resultCopy(h, sortDistinct(h, n))
}

/** The union of sorted sets (what `unionOf` makes), sorted in a reused buffer and returned by {@link resultCopy}. */
export function unionSet(sets: readonly Uint32Array[]): Uint32Array {
  let n = 0
  for (const s of sets) n += s.length
  if (anchorScratch.length < n) anchorScratch = new Uint32Array(capacity(n))
  let at = 0
  for (const s of sets) {
    anchorScratch.set(s, at)
    at += s.length
  }
  return resultCopy(anchorScratch, sortDistinct(anchorScratch, n))
}

/** Values a slab holds. Results no longer than SLAB_MAX values are views of the current slab. */
const SLAB = 4096
const SLAB_MAX = 256
let slab = new Uint32Array(SLAB)
let slabUsed = 0

/**
 * A new array of `n` values (zeros) that pass 1 returns: a view of a shared slab when small. A
 * small typed array of its own costs a backing store outside the heap (V8 keeps only the
 * smallest inside), allocated and later swept one by one; an article makes about five a paragraph.
 * A slab lives while any of its views does, so at most SLAB values are kept for one survivor.
 */
export function resultArray(n: number): Uint32Array {
  if (n > SLAB_MAX) return new Uint32Array(n)
  if (slabUsed + n > SLAB) {
    slab = new Uint32Array(SLAB)
    slabUsed = 0
  }
  const view = new Uint32Array(slab.buffer, 4 * slabUsed, n)
  slabUsed += n
  return view
}

/** A copy of `a[0, n)`, made by {@link resultArray}. */
export function resultCopy(a: Uint32Array, n: number): Uint32Array {
  const out = resultArray(n)
  out.set(n === a.length ? a : a.subarray(0, n))
  return out
}

/** Drop scratch arrays a very long text made large. */
export function releaseScratch(): void {
  if (utf8.length > KEEP) utf8 = new Uint8Array(1 << 14)
  if (tokens.values.length > KEEP) tokens.values = new Uint32Array(1024)
  if (shingles.length > KEEP) shingles = new Uint32Array(1024)
  if (documentShingles.length > KEEP) documentShingles = new Uint32Array(8192)
  if (anchorScratch.length > KEEP) anchorScratch = new Uint32Array(256)
}
