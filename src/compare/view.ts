import type { AnalysisOk } from '../analyze.js'
import { anchorHashes, extractAnchors } from '../text/anchors.js'
import { isFunctionWord } from '../text/lang.js'
import { normalizeText } from '../text/normalize.js'
import { scanTokens } from '../text/tokenize.js'
import { HashSet, Scratch, u8 } from './scratch.js'

/**
 * An article as a token sequence, for the evidence of {@link compare}: token hashes in reading
 * order over the cleaned paragraphs, each token's span in the article text, whether it is inside
 * quotation marks, and the sentences. Built once per analysis, when it is first compared.
 */
export interface TextView {
  id: string
  /** Token hashes (normalised text, numbers canonical), in order. */
  tokens: Uint32Array
  /** Span of each token in the article text (UTF-16 offsets). */
  start: Uint32Array
  end: Uint32Array
  /** 1 where the token is inside quotation marks. */
  quoted: Uint8Array
  /** 1 where the token is specific to what the text reports: a number, or a capitalised word that is not a function word. */
  specific: Uint8Array
  /** `specific` without the capitalised words that only ever open a sentence (see `unflagSentenceStarts`). */
  named: Uint8Array
  /** Token index where each sentence starts, then `tokens.length`. */
  sentences: Uint32Array
  /** The sentence of each token. */
  sentenceOf: Uint32Array
  /** The paragraph (index into `analysis.paragraphs`) of each sentence. */
  sentenceParagraph: Uint32Array
  /** Each sentence's span in its paragraph's cleaned text: [from, to). */
  sentenceFrom: Uint32Array
  sentenceTo: Uint32Array
  /** 1 where the token is a number. */
  numeric: Uint8Array
  /** Number of sentences. */
  sentenceCount: number
  /** 1 at the first token of each paragraph. */
  paragraphStart: Uint8Array
  /** Anchor hashes of the whole text, sorted and distinct (the fingerprint's). */
  anchors: Uint32Array
  /** The analysis the view was built from. */
  analysis: AnalysisOk
  /** Anchors of each sentence, extracted when first asked for (see {@link sentenceAnchors}). */
  anchorCache: (Uint32Array | undefined)[]
  /** What the evidence derives from this text alone, made when first needed. */
  memo: ViewMemo
}

/**
 * A view's derived arrays, kept on the view itself (not in weak maps keyed by it: a view often
 * lives for one comparison, and each weak-map entry costs the collector as much as the view).
 */
export interface ViewMemo {
  /** Tokens with their positions, sorted (sentences.ts). */
  sortedTokens: Float64Array | undefined
  /**
   * Room for the sorted tokens (one float64 per token) and the word pairs (two uint32 per token
   * after the first) in the view's backing store: each view is compared, and an allocation of its
   * own for them cost more than the sorting.
   */
  room: { sorted: Float64Array; pairs: Uint32Array }
  /** Word pairs within a paragraph: distinct hashes, sorted, and a position of each (evidence.ts). */
  bigrams: { hashes: Uint32Array; at: Uint32Array } | undefined
  /** Per sentence: its distinct figures, specific words, and names (evidence.ts). */
  numbers: (Uint32Array | undefined)[]
  specifics: (Uint32Array | undefined)[]
  named: (Uint32Array | undefined)[]
  /** The distinct figures of the whole text (evidence.ts). */
  textNumbers: Uint32Array | undefined
}

/** Anchor hashes (numbers, dates, names) of one sentence, sorted and distinct: what sentences in two languages share. */
export function sentenceAnchors(v: TextView, i: number): Uint32Array {
  let out = v.anchorCache[i]
  if (!out) {
    const text = (v.analysis.paragraphs[v.sentenceParagraph[i] as number] as { text: string }).text
    out = anchorHashes(extractAnchors(text.slice(v.sentenceFrom[i], v.sentenceTo[i])))
    v.anchorCache[i] = out
  }
  return out
}

const views = new WeakMap<AnalysisOk, TextView>()

/** The view of an analysis, cached for as long as the analysis lives. */
export function textView(x: AnalysisOk): TextView {
  let v = views.get(x)
  if (!v) {
    v = buildView(x)
    views.set(x, v)
  }
  return v
}

/** Whether the analysis has a view cached (see {@link textView}). */
export function hasView(x: AnalysisOk): boolean {
  return views.has(x)
}

/** Analyses whose first comparison got a transient view (see {@link pairView}). */
const seen = new WeakSet<AnalysisOk>()
/** The reused memory of transient views, one per side of a pair. */
const transient = [new Scratch(u8), new Scratch(u8)] as const

/**
 * The view of one side (`slot`) of the pair being compared. The first time an analysis is
 * compared its view is built in memory reused from pair to pair, and not kept: valid only until
 * the next pairView call for the same slot. Most analyses are compared once (a flood's reprints
 * each meet their leader once), and a view's own backing store cost more to allocate and collect
 * than building it. Compared again, an analysis gets the cached view of {@link textView}.
 */
export function pairView(x: AnalysisOk, slot: 0 | 1): TextView {
  const v = views.get(x)
  if (v) return v
  if (seen.has(x)) return textView(x)
  seen.add(x)
  return buildView(x, slot)
}

// Sentence ends: terminal punctuation of any script (. ! ? ۔ ؟ । 。 …), closing quotes or brackets,
// then a space before something that can open a sentence (not a lower-case letter: "U.S. officials"),
// or, after a terminal that is not the ASCII full stop, anything (Urdu often writes no space after ۔).
const SENTENCE_END =
  /[\p{Sentence_Terminal}…]+["'”’»)\]]*(?:\s+(?=[^\p{Ll}])|(?<=[^.\s]["'”’»)\]]*)(?=[^\s\p{Sentence_Terminal}\p{N}"'”’»)\]]))/gu
const QUOTE_MARK = /["“”„‟«»]/g

/** Sentence boundaries of a paragraph: offsets where each sentence starts, after the first. */
export function sentenceBreaks(text: string): number[] {
  const out: number[] = []
  for (const m of text.matchAll(SENTENCE_END)) {
    const at = m.index + m[0].length
    if (at > 0 && at < text.length) out.push(at)
  }
  return out
}

/** Quoted regions of a paragraph, as [start, end) pairs; an unclosed quote runs to the end. */
function quotedRegions(text: string): number[] {
  const marks: number[] = []
  for (const m of text.matchAll(QUOTE_MARK)) marks.push(m.index)
  const out: number[] = []
  for (let i = 0; i < marks.length; i += 2) out.push(marks[i] as number, marks[i + 1] ?? text.length)
  return out
}

/**
 * What the view takes from one paragraph's cleaned text alone, offsets local to that text: the
 * same in every article that carries the paragraph (a viral story's reprints carry the wire's
 * paragraphs thousands of times), so it is made once per distinct text.
 */
interface ParagraphPiece {
  hashes: Uint32Array
  /** Span of each token in the cleaned text. */
  from: Uint32Array
  to: Uint32Array
  quoted: Uint8Array
  numeric: Uint8Array
  specific: Uint8Array
  /** 1 where the token is written in lower case: the word is not a name in this text. */
  lower: Uint8Array
  /** Token index where each sentence starts, and the sentence's span in the cleaned text. */
  sentenceStart: number[]
  sentenceFrom: number[]
  sentenceTo: number[]
}

/** Distinct paragraph texts whose pieces are kept; the cache starts afresh past it. */
const MAX_PIECES = 4096
const pieces = new Map<string, ParagraphPiece>()

function pieceOf(text: string): ParagraphPiece {
  let piece = pieces.get(text)
  if (!piece) {
    piece = buildPiece(text)
    if (pieces.size >= MAX_PIECES) pieces.clear()
    pieces.set(text, piece)
  }
  return piece
}

/**
 * Pieces' arrays are carved from slabs: only the piece cache holds pieces, and it lets them all
 * go at once, so a slab dies with the pieces cut from it (at most one slab straddles a clearing).
 */
const SLAB = 1 << 16
let slab = new ArrayBuffer(SLAB)
let slabUsed = 0

/** Room for `bytes`, 8-aligned: a stretch of the current slab from `at` (a buffer of its own past a quarter of one). */
function pieceMemory(bytes: number): { buffer: ArrayBuffer; at: number } {
  const size = (bytes + 7) & ~7
  if (size > SLAB / 4) return { buffer: new ArrayBuffer(size), at: 0 }
  if (slabUsed + size > SLAB) {
    slab = new ArrayBuffer(SLAB)
    slabUsed = 0
  }
  const at = slabUsed
  slabUsed += size
  return { buffer: slab, at }
}

function buildPiece(text: string): ParagraphPiece {
  // Hashes come from the normalised text, spans from the text normalised character by
  // character, which keeps where each character came from: the same tokens in the same order
  // (unless combining characters compose across a boundary; then spans are interpolated).
  const hashes: number[] = []
  scanTokens(normalizeText(text), (h) => hashes.push(h))
  const spans: number[] = []
  const traced = normalizeTraced(text)
  scanTokens(traced.text, (_h, s, e) => spans.push(traced.from[s] as number, (traced.from[e - 1] as number) + 1))
  const n = hashes.length
  const same = spans.length === 2 * n
  const quotes = quotedRegions(text)
  const breaks = sentenceBreaks(text)
  const spanAt = (i: number, which: 0 | 1): number =>
    same ? (spans[2 * i + which] as number) : Math.round(((i + which) / n) * text.length)
  // The piece's seven arrays in one stretch of a slab (each allocation costs more than its data).
  const { buffer, at } = pieceMemory(16 * n)
  const piece: ParagraphPiece = {
    hashes: new Uint32Array(buffer, at, n),
    from: new Uint32Array(buffer, at + 4 * n, n),
    to: new Uint32Array(buffer, at + 8 * n, n),
    quoted: new Uint8Array(buffer, at + 12 * n, n),
    numeric: new Uint8Array(buffer, at + 13 * n, n),
    specific: new Uint8Array(buffer, at + 14 * n, n),
    lower: new Uint8Array(buffer, at + 15 * n, n),
    sentenceStart: [],
    sentenceFrom: [],
    sentenceTo: [],
  }
  piece.hashes.set(hashes)
  const closeSentence = (from: number, to: number) => {
    piece.sentenceStart.push(from)
    piece.sentenceFrom.push(spanAt(from, 0))
    piece.sentenceTo.push(spanAt(to - 1, 1))
  }
  let q = 0
  let b = 0
  let first = 0
  for (let i = 0; i < n; i++) {
    const s = spanAt(i, 0)
    for (; b < breaks.length && (breaks[b] as number) <= s; b++) {
      if (i > first) {
        closeSentence(first, i)
        first = i
      }
    }
    while (q < quotes.length && (quotes[q + 1] as number) <= s) q += 2
    piece.from[i] = s
    piece.to[i] = spanAt(i, 1)
    piece.quoted[i] = q < quotes.length && (quotes[q] as number) <= s ? 1 : 0
    const c = text.charCodeAt(s)
    // ASCII answered without the regexes (only 0-9, a-z and A-Z are digits and cased letters there).
    const digit = c < 0x80 ? c >= 0x30 && c <= 0x39 : DIGIT.test(text.charAt(s))
    piece.numeric[i] = digit ? 1 : 0
    piece.specific[i] = digit || isCapitalised(text, s, spanAt(i, 1)) ? 1 : 0
    piece.lower[i] = (c < 0x80 ? c >= 0x61 && c <= 0x7a : LOWER.test(text.charAt(s))) ? 1 : 0
  }
  if (n > first) closeSentence(first, n)
  return piece
}

function buildView(x: AnalysisOk, slot?: 0 | 1): TextView {
  const article = x.article.text
  const parts = x.paragraphs.map((p) => pieceOf(p.text))
  let total = 0
  let sentenceCount = 0
  for (const piece of parts) {
    total += piece.hashes.length
    sentenceCount += piece.sentenceStart.length
  }
  // All the view's arrays in one backing store: one allocation instead of thirteen (a flood's
  // reprints each make a view that lives for one comparison).
  const pairs = 2 * Math.max(0, total - 1)
  const size = 8 * total + 4 * (4 * total + 4 * sentenceCount + 1 + pairs) + 5 * total
  // A transient view's memory is zeroed as a new buffer would be (its slot's array starts at offset 0).
  const buffer = slot === undefined ? new ArrayBuffer(size) : transient[slot].take(size, true).buffer
  const sorted = new Float64Array(buffer, 0, total)
  let offset = 8 * total
  const words = (n: number) => {
    const out = new Uint32Array(buffer, offset, n)
    offset += 4 * n
    return out
  }
  const bytes = (n: number) => {
    const out = new Uint8Array(buffer, offset, n)
    offset += n
    return out
  }
  const tokens = words(total)
  const start = words(total)
  const end = words(total)
  const sentenceOf = words(total)
  const sentences = words(sentenceCount + 1)
  const sentenceParagraph = words(sentenceCount)
  const sentenceFrom = words(sentenceCount)
  const sentenceTo = words(sentenceCount)
  const room = { sorted, pairs: words(pairs) }
  const quoted = bytes(total)
  const specific = bytes(total)
  const numeric = bytes(total)
  const paragraphStart = bytes(total)
  const named = bytes(total)
  let base = 0
  let k = 0
  for (let pi = 0; pi < x.paragraphs.length; pi++) {
    const p = x.paragraphs[pi] as AnalysisOk['paragraphs'][number]
    const piece = parts[pi] as ParagraphPiece
    const n = piece.hashes.length
    tokens.set(piece.hashes, base)
    quoted.set(piece.quoted, base)
    numeric.set(piece.numeric, base)
    specific.set(piece.specific, base)
    if (n > 0) paragraphStart[base] = 1
    // A slice compared whole is a memory compare; startsWith goes character by character.
    if (p.end - p.start === p.text.length && article.slice(p.start, p.end) === p.text) {
      // The paragraph stands in the article as it is (the usual case): offsets shift by its start.
      for (let i = 0; i < n; i++) {
        start[base + i] = p.start + (piece.from[i] as number)
        end[base + i] = p.start + (piece.to[i] as number)
      }
    } else {
      const map = offsetMap(article, p.start, p.end, p.text)
      for (let i = 0; i < n; i++) {
        start[base + i] = map(piece.from[i] as number)
        end[base + i] = map(piece.to[i] as number)
      }
    }
    for (let s = 0; s < piece.sentenceStart.length; s++, k++) {
      sentences[k] = base + (piece.sentenceStart[s] as number)
      sentenceParagraph[k] = pi
      sentenceFrom[k] = piece.sentenceFrom[s] as number
      sentenceTo[k] = piece.sentenceTo[s] as number
    }
    base += n
  }
  sentences[sentenceCount] = total
  unflagCommonWords(parts, tokens, specific, numeric)
  named.set(specific)
  unflagSentenceStarts(sentences, tokens, named, numeric)
  for (let s = 0; s < sentenceCount; s++) sentenceOf.fill(s, sentences[s], sentences[s + 1])
  return {
    id: x.id,
    tokens,
    start,
    end,
    quoted,
    specific,
    named,
    sentences,
    sentenceOf,
    sentenceParagraph,
    sentenceFrom,
    sentenceTo,
    numeric,
    sentenceCount,
    paragraphStart,
    anchors: x.fingerprint.anchors,
    analysis: x,
    anchorCache: new Array(sentenceCount),
    memo: {
      sortedTokens: undefined,
      room,
      bigrams: undefined,
      numbers: new Array(sentenceCount),
      specifics: new Array(sentenceCount),
      named: new Array(sentenceCount),
      textNumbers: undefined,
    },
  }
}

/**
 * `normalizeText` applied one character at a time, with the offset in `text` of each character
 * of the result: a typographic apostrophe joins "Syria’s" into one token, an invisible hyphen
 * disappears, "½" becomes "1⁄2", as in the text that was hashed.
 */
function normalizeTraced(text: string): { text: string; from: Uint32Array } {
  // ASCII normalises character for character (case and spaces only): offsets stay put.
  if (!NON_ASCII.test(text)) return { text, from: identity(text.length) }
  let out = ''
  const from: number[] = []
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) as number
    const width = cp > 0xffff ? 2 : 1
    const n = cp < 0x80 ? text.charAt(i) : normalizedChar(text.slice(i, i + width))
    for (let k = 0; k < n.length; k++) from.push(i)
    out += n
    i += width
  }
  return { text: out, from: Uint32Array.from(from) }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is all of ASCII, controls included
const NON_ASCII = /[^\x00-\x7f]/
const normalizedChars = new Map<string, string>()

/** One character as normalizeText leaves it; a space stays a space (alone, it would be trimmed away). */
function normalizedChar(ch: string): string {
  let n = normalizedChars.get(ch)
  if (n === undefined) {
    n = /\s/.test(ch) ? ' ' : normalizeText(ch)
    if (normalizedChars.size > 10_000) normalizedChars.clear()
    normalizedChars.set(ch, n)
  }
  return n
}

let identityCache = new Uint32Array(0)

function identity(n: number): Uint32Array {
  if (identityCache.length < n) {
    identityCache = new Uint32Array(Math.max(n, 2 * identityCache.length))
    for (let i = 0; i < identityCache.length; i++) identityCache[i] = i
  }
  return identityCache.subarray(0, n)
}

const UPPER = /^\p{Lu}/u
const LOWER = /^\p{Ll}/u

/**
 * A capitalised word the text also writes in lower case is not a name: a sentence's first word,
 * or a headline in capitals ("PRIVATE SOURCE" over "a private source said"). Reworded sentences
 * start with other words, and counting those as swapped names blurred what a template filled in
 * anew (another issuer, another city) swaps. Scripts without case have no such words.
 */
function unflagCommonWords(
  parts: readonly ParagraphPiece[],
  tokens: Uint32Array,
  specific: Uint8Array,
  numeric: Uint8Array,
): void {
  const common = scratchSet(tokens.length)
  for (const piece of parts)
    for (let i = 0; i < piece.hashes.length; i++) if (piece.lower[i]) common.add(piece.hashes[i] as number)
  if (common.size === 0) return
  for (let i = 0; i < tokens.length; i++) if (specific[i] && !numeric[i] && common.has(tokens[i] as number)) specific[i] = 0
}

/**
 * A capitalised word that opens a sentence (after any list number) and is never capitalised
 * inside one may be capitalised only for its place ("Several", "Typically", "Due"): `named` leaves
 * it out. The evidence uses `named` for reworded sentences within one language, where a rewrite
 * opens with other words and those counted as swapped names; a sentence kept close keeps its
 * opener, as often as not the issuer or bank a template is filled in for ("Citibank said ...").
 */
function unflagSentenceStarts(sentences: Uint32Array, tokens: Uint32Array, specific: Uint8Array, numeric: Uint8Array): void {
  // Each sentence's opening token: its first after any figures.
  const opening = new Uint32Array(Math.max(0, sentences.length - 1))
  const inside = scratchSet(tokens.length)
  for (let s = 0; s < opening.length; s++) {
    const end = sentences[s + 1] as number
    let first = sentences[s] as number
    while (first < end && numeric[first]) first++
    opening[s] = first
    for (let i = first + 1; i < end; i++) if (specific[i] && !numeric[i]) inside.add(tokens[i] as number)
  }
  for (let s = 0; s < opening.length; s++) {
    const first = opening[s] as number
    if (first < (sentences[s + 1] as number) && specific[first] && !inside.has(tokens[first] as number)) specific[first] = 0
  }
}

const DIGIT = /^\p{Nd}/u

const scratch = new HashSet()

/** The shared scratch set, emptied, with room for `n` hashes (one user at a time: buildView's steps run one after the other). */
function scratchSet(n: number): HashSet {
  return scratch.reset(n)
}

function isCapitalised(text: string, from: number, to: number): boolean {
  const c = text.charCodeAt(from)
  const upper = c < 0x80 ? c >= 0x41 && c <= 0x5a : UPPER.test(text.charAt(from))
  return upper && !isFunctionWord(text.slice(from, to))
}

/**
 * Offsets in a paragraph's cleaned text → offsets in the article. The cleaned text is the
 * article's slice with line breaks joined by one space and inline boilerplate cut out, so its
 * characters appear in the slice in order: walk both.
 */
function offsetMap(article: string, from: number, to: number, text: string): (i: number) => number {
  if (article.slice(from, to) === text) return (i) => from + i
  const at = new Uint32Array(text.length + 1)
  let j = from
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    let k = j
    while (k < to && article.charCodeAt(k) !== c && !(c === 0x20 && /\s/.test(article[k] as string))) k++
    if (k < to) j = k
    at[i] = j
    if (k < to) j++
  }
  at[text.length] = Math.min(to, Math.max(j, text.length ? (at[text.length - 1] as number) + 1 : from))
  return (i) => at[Math.min(i, text.length)] as number
}
