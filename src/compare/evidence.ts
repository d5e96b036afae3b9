import type { AnalysisOk } from '../analyze.js'
import { parsePublishedAt } from '../date.js'
import { combine } from '../sketch/hash.js'
import { intersectionSize, toSortedSet } from '../sketch/shingle.js'
import { f64, PACK, Scratch, sortPacked, u8, u32 } from './scratch.js'
import { alignSentences, PairWeights, type SentencePair, similaritiesInto } from './sentences.js'
import { greedyTiles, type Tile } from './tiling.js'
import { pairView, sentenceAnchors, type TextView } from './view.js'

/**
 * What one article owes to another, measured from one side ("this" article against the "other").
 * Shares are of this article's tokens (or sets) unless noted, in [0, 1]; `longestRun` is in
 * tokens and `lengthRatio` a log ratio.
 */
export interface Evidence {
  /** Share of this article's distinct words found in the other. */
  unigrams: number
  /**
   * The same, each word weighted by how rare it is in the two texts' sentences (an inverse
   * sentence frequency over both texts): "the", "of", "کے" count for little, names and rare words
   * for much. Needs no word list, so it holds in any language.
   */
  contentUnigrams: number
  /** Share of its word pairs (within a paragraph) of two content words found in the other, weighted alike. */
  contentBigrams: number
  /** Share of its word k-gram shingles (k = the analysis' `shingleSize`, 3 by default) found in the other. */
  trigrams: number
  /** Share of its tokens in verbatim runs of 3+ tokens shared with the other (greedy string tiling), outside quotation marks (its own and the other's). */
  verbatim: number
  /** The same inside quotation marks (of either text): independent reports of one statement share its quotes. */
  verbatimQuoted: number
  /** The longest verbatim run outside quotation marks, in tokens. */
  longestRun: number
  /** Share of its tokens in sentences aligned in order with the other's, weighted by their similarity. */
  aligned: number
  /** Share of its tokens (outside quotes) in sentences aligned in order with one of the other's, however loosely: how much of it has a counterpart. */
  covered: number
  /** Share of the sentences' best matches (in any order) that the in-order alignment keeps: 1 when it follows the other's order. */
  order: number
  /**
   * Correlation of the lengths (log tokens) of its aligned sentences with their counterparts',
   * 0 under three pairs (Gale & Church: a translation keeps proportional sentence lengths).
   */
  structure: number
  /**
   * Share of its anchors (numbers, dates, names) found in the other, smoothed towards one half:
   * (found + 1) / (anchors + 2). A text without names or figures is neither evidence for nor
   * against, and two or three anchors say less than twenty.
   */
  anchors: number
  /**
   * In its sentences aligned with the other's: numbers swapped for others (this sentence has one
   * the other's lacks, and the other's one this lacks), over the numbers there. A copy keeps its
   * figures; a template filled in anew (a bond notice for another issuer) swaps them.
   */
  numbersSwapped: number
  /**
   * Share of its tokens that are figures (written with digits). Figures swapped mean most where
   * figures are most of the text: two price tables or results notices sent half an hour apart
   * report two moments, while a rewrite of prose rounds or updates a figure or two.
   */
  figures: number
  /**
   * The same for specific words: figures and capitalised words that are not function words
   * (issuers, companies, places); in a reworded sentence (within one language), not the words
   * capitalised only for opening a sentence.
   */
  specificsSwapped: number
  /**
   * Across languages: the longest common subsequence of the two texts' anchors (names, figures,
   * dates; each sentence's in a fixed order), over the longer text's anchor count plus two. A
   * translation names the same people and figures in the same order from start to end; a report
   * of the same event in another language names many of them too, but in its own order and
   * measure. 0 within one language, where the words themselves show the order. The same value
   * from both sides.
   */
  anchorOrder: number
  /**
   * Share of its distinct figures (read whole: "6-3/16") that the other text also has, over their
   * count plus one; 1 when it has none. Where figures are much of the text, a copy keeps them and
   * a table or list sent again for another day or issuer does not, aligned sentences or not
   * (table rows seldom align as sentences).
   */
  figuresKept: number
  /**
   * Names (capitalised words it never writes in lower case) of its body sentences aligned with
   * the other's that the other never uses, over their count plus one. A story is about someone: a
   * template filled in for another issuer or city keeps the frame and drops the subject, while a
   * copy or a rewrite keeps it.
   */
  namesMissing: number
  /**
   * Share of its tokens in verbatim passages, outside quotation marks: runs of 3+ tokens chained
   * in the same order on both sides across gaps of up to 5 tokens, 8 tokens or more in all.
   * Scattered three-word phrases ("the prime rate", "said it would") that any two reports share
   * do not count, nor does a quote.
   */
  verbatimPassages: number
  /** Share of its tokens (outside quotes) in sentences aligned with one of the other's at a similarity of 0.6 or more: sentences taken over, edited or closely reworded. */
  closeSentences: number
  /** Its tokens: shares of a short text rest on little evidence. */
  tokens: number
  /** log(its tokens / the other's tokens). */
  lengthRatio: number
  /** log(its sentences / the other's sentences). */
  sentenceRatio: number
  /** Share of the other article's tokens that this one uses: tiled verbatim, or in aligned sentences weighted by similarity. */
  otherUsed: number
}

/** The evidence between two articles, from both sides, with what both sides share. */
export interface PairEvidence {
  /** `a` measured against `b`, and `b` against `a`. */
  a: Evidence
  b: Evidence
  /** Both languages identified with confidence, and different. */
  crossLanguage: boolean
  /** Share of the quoted tokens of the side that quotes less found verbatim in the other; null when either side quotes fewer than 5 tokens. */
  quotesVerbatim: number | null
  /** Days between the two publication times; null unless both articles carry one. */
  daysApart: number | null
  /** Shingles (the analyses' `shingles`) and anchors (the fingerprints') the two have in common. */
  sharedShingles: number
  sharedAnchors: number
  /** The verbatim runs (token offsets into each side's view). */
  tiles: Tile[]
  /** The runs chained into passages (see {@link verbatimRuns}). */
  runs: VerbatimRun[]
  /** Sentences of `a` aligned with `b`'s, in order. */
  sentencesA: SentencePair[]
  views: { a: TextView; b: TextView }
}

/** A verbatim passage: token ranges [start, end) of each side, and its tiled tokens. */
export interface VerbatimRun {
  aStart: number
  aEnd: number
  bStart: number
  bEnd: number
  tokens: number
}

/** The per-pair arrays of {@link measureEvidence}, reused from pair to pair (see scratch.ts); none outlives the call. */
const scratch = {
  simAB: new Scratch(f64),
  simBA: new Scratch(f64),
  presentA: new Scratch(u8),
  presentB: new Scratch(u8),
  tiledA: new Scratch(u8),
  tiledB: new Scratch(u8),
  bigramsA: new Scratch(f64),
  bigramsB: new Scratch(f64),
  inRunP: new Scratch(u8),
  inRunQ: new Scratch(u8),
  own: new Scratch(u32),
  usedOther: new Scratch(f64),
  seen: new Scratch(u8),
}

/** Shortest verbatim run that counts, in tokens. */
export const MIN_RUN = 3
/** Tiles this close on both sides (in tokens) are one passage. */
export const RUN_GAP = 5
/** A verbatim passage needs this many tiled tokens: three shared words ("of the company") are no passage. */
export const MIN_PASSAGE = 8
/** Each side must quote at least this many tokens for quotes to be compared. */
const MIN_QUOTED = 5

/**
 * Measure the evidence between two analysed articles, from both sides. `crossLanguage` comes
 * from the caller (it needs the languages' confidence): across languages, sentences align on
 * shared anchors instead of words.
 */
export function measureEvidence(x: AnalysisOk, y: AnalysisOk, crossLanguage: boolean): PairEvidence {
  const a = pairView(x, 0)
  const b = pairView(y, 1)
  const { tiles, runs, inRun } = tilePair(a, b)
  const weights = new PairWeights(a, b, true)
  const simAB = scratch.simAB.take(a.sentenceCount * b.sentenceCount, true)
  const simBA = scratch.simBA.take(a.sentenceCount * b.sentenceCount, true)
  similaritiesInto(a, b, weights, crossLanguage, simAB, simBA)
  const sentencesA = alignSentences(a, b, simAB)
  const sentencesB = alignSentences(b, a, simBA)
  const presentA = present(weights, weights.indexA, scratch.presentA)
  const presentB = present(weights, weights.indexB, scratch.presentB)
  const unigrams = unigramShares(weights, presentA, presentB)
  const sideA: Side = {
    analysis: x,
    view: a,
    tiled: tiledTokens(a.tokens.length, tiles, 'a', a, b, scratch.tiledA),
    bigrams: contentBigrams(a, weights, weights.indexA, scratch.bigramsA),
    index: weights.indexA,
    present: presentA,
  }
  const sideB: Side = {
    analysis: y,
    view: b,
    tiled: tiledTokens(b.tokens.length, tiles, 'b', a, b, scratch.tiledB),
    bigrams: contentBigrams(b, weights, weights.indexB, scratch.bigramsB),
    index: weights.indexB,
    present: presentB,
  }
  const anchorOrder = crossLanguage ? anchorOrderShare(a, b) : 0
  // Both sides and compare read these intersections: each is taken once.
  const shared = { shingles: intersectionSize(x.shingles, y.shingles), anchors: intersectionSize(a.anchors, b.anchors) }
  const judge = (me: Side, other: Side, sim: Float64Array, pairs: SentencePair[], inRun: Uint8Array, shares: [number, number]) =>
    side(me, other, sim, pairs, runTokens(inRun, me.tiled), shares, crossLanguage, anchorOrder, shared)
  return {
    a: judge(sideA, sideB, simAB, sentencesA, inRun.a, [unigrams.a, unigrams.contentA]),
    b: judge(sideB, sideA, simBA, sentencesB, inRun.b, [unigrams.b, unigrams.contentB]),
    crossLanguage,
    quotesVerbatim: quotesVerbatim(a, b, sideA.tiled, sideB.tiled),
    daysApart: daysApart(x, y),
    sharedShingles: shared.shingles,
    sharedAnchors: shared.anchors,
    tiles,
    runs,
    sentencesA,
    views: { a, b },
  }
}

/**
 * The tiles and verbatim passages of a pair, and for each side which tokens lie in a passage's own
 * tiles. Tiling and chaining break ties by position, so they run with the texts in one canonical
 * order (the shorter first, then by id, then by tokens) and the result is mirrored back: a pair's
 * evidence does not depend on which article the caller names first.
 */
function tilePair(a: TextView, b: TextView): { tiles: Tile[]; runs: VerbatimRun[]; inRun: { a: Uint8Array; b: Uint8Array } } {
  const flip = canonicalOrder(b, a) < 0
  const [p, q] = flip ? [b, a] : [a, b]
  const tiles = greedyTiles(p.tokens, q.tokens, MIN_RUN)
  const chains = chainTiles(tiles)
  const inP = scratch.inRunP.take(p.tokens.length, true)
  const inQ = scratch.inRunQ.take(q.tokens.length, true)
  for (const c of chains) {
    for (const t of c.tiles) {
      inP.fill(1, t.aStart, t.aStart + t.length)
      inQ.fill(1, t.bStart, t.bStart + t.length)
    }
  }
  const runs = chains.map((c) => c.run)
  if (!flip) return { tiles, runs, inRun: { a: inP, b: inQ } }
  return {
    tiles: tiles.map((t) => ({ aStart: t.bStart, bStart: t.aStart, length: t.length })),
    runs: runs
      .map((r) => ({ aStart: r.bStart, aEnd: r.bEnd, bStart: r.aStart, bEnd: r.aEnd, tokens: r.tokens }))
      .sort((x, y) => x.aStart - y.aStart),
    inRun: { a: inQ, b: inP },
  }
}

/** Negative when `x` comes first in the canonical order of a pair's texts. */
function canonicalOrder(x: TextView, y: TextView): number {
  const byLength = x.tokens.length - y.tokens.length
  if (byLength !== 0) return byLength
  const ix = x.analysis.id
  const iy = y.analysis.id
  if (ix !== iy) return ix < iy ? -1 : 1
  for (let i = 0; i < x.tokens.length; i++) {
    const d = (x.tokens[i] as number) - (y.tokens[i] as number)
    if (d !== 0) return d
  }
  return 0
}

/**
 * Tiles chained into verbatim passages: a tile joins the previous one when it starts at most
 * {@link RUN_GAP} tokens after it on both sides, in the same order. Passages of fewer than
 * {@link MIN_PASSAGE} tiled tokens are dropped. Tokens are counted alike on both sides (a tile
 * has the same length on each).
 */
export function verbatimRuns(tiles: readonly Tile[]): VerbatimRun[] {
  return chainTiles(tiles).map((c) => c.run)
}

/** {@link verbatimRuns}, each with the tiles it chains (its b range may span other passages' tiles). */
function chainTiles(tiles: readonly Tile[]): { run: VerbatimRun; tiles: Tile[] }[] {
  const sorted = [...tiles].sort((x, y) => x.aStart - y.aStart || x.bStart - y.bStart)
  const out: { run: VerbatimRun; tiles: Tile[] }[] = []
  let cur: { run: VerbatimRun; tiles: Tile[] } | null = null
  for (const t of sorted) {
    const aEnd = t.aStart + t.length
    const bEnd = t.bStart + t.length
    const r = cur?.run
    if (cur && r && t.aStart - r.aEnd <= RUN_GAP && t.bStart >= r.bEnd && t.bStart - r.bEnd <= RUN_GAP) {
      r.aEnd = aEnd
      r.bEnd = bEnd
      r.tokens += t.length
      cur.tiles.push(t)
      continue
    }
    if (cur && cur.run.tokens >= MIN_PASSAGE) out.push(cur)
    cur = { run: { aStart: t.aStart, aEnd, bStart: t.bStart, bEnd, tokens: t.length }, tiles: [t] }
  }
  if (cur && cur.run.tokens >= MIN_PASSAGE) out.push(cur)
  return out
}

/**
 * For each token of one side: 0 outside the tiles, 1 in a tile, 2 in a tile that either text
 * puts inside quotation marks (a passage one of them quotes is a quote on both sides: the story a
 * sentence was quoted from does not derive from the story quoting it).
 */
function tiledTokens(
  n: number,
  tiles: readonly Tile[],
  which: 'a' | 'b',
  a: TextView,
  b: TextView,
  into: Scratch<Uint8Array>,
): Uint8Array {
  const out = into.take(n, true)
  for (const t of tiles) {
    const at = which === 'a' ? t.aStart : t.bStart
    for (let k = 0; k < t.length; k++) out[at + k] = a.quoted[t.aStart + k] || b.quoted[t.bStart + k] ? 2 : 1
  }
  return out
}

/** What one side of a pair brings to the measurement of either side. */
interface Side {
  analysis: AnalysisOk
  view: TextView
  /** 0, 1 or 2 per token: see {@link tiledTokens}. */
  tiled: Uint8Array
  bigrams: WeightedSet
  /** Each token's index in the pair's vocabulary (PairWeights), and 1 for each index it uses. */
  index: Uint32Array
  present: Uint8Array
}

/** The evidence of one side (`me`) against the other; `sim` and `pairs` are its sentences against the other's. */
function side(
  me: Side,
  other: Side,
  sim: Float64Array,
  pairs: readonly SentencePair[],
  runTokens: number,
  [unigrams, contentUnigrams]: [number, number],
  crossLanguage: boolean,
  anchorOrder: number,
  shared: { shingles: number; anchors: number },
): Evidence {
  const { view: v, tiled } = me
  const w = other.view
  const otherTiled = other.tiled
  const n = v.tokens.length
  const m = w.tokens.length
  let verbatim = 0
  let quoted = 0
  let run = 0
  let longestRun = 0
  let figures = 0
  for (let i = 0; i < n; i++) {
    figures += v.numeric[i] as number
    if (tiled[i] === 1) {
      verbatim++
      longestRun = Math.max(longestRun, ++run)
    } else run = 0
    if (tiled[i] === 2) quoted++
  }
  // In-order sentence mass, against the best match of each sentence in any order. A sentence
  // counts by its tokens outside quotation marks: a quoted sentence both reports share is a quote.
  const nb = w.sentenceCount
  const own = unquotedLengths(v, scratch.own.take(v.sentenceCount, true))
  let freeMass = 0
  for (let i = 0; i + 1 < v.sentences.length; i++) {
    let best = 0
    for (let j = 0; j < nb; j++) best = Math.max(best, sim[i * nb + j] as number)
    if (best >= MIN_ALIGNED) freeMass += best * (own[i] as number)
  }
  const usedOther = scratch.usedOther.take(nb, true)
  let alignedMass = 0
  let coveredTokens = 0
  let close = 0
  const swaps = { numbers: 0, numberSlots: 0, specifics: 0, specificSlots: 0 }
  for (const p of pairs) {
    // A sentence that reports other figures than its match is not the same sentence: two money
    // market reports, one frame, different amounts. It counts as a swap, not as covered text.
    if (countSwaps(v, p.a, w, p.b, swaps, !crossLanguage && p.similarity < CLOSE_SENTENCE)) continue
    const len = own[p.a] as number
    alignedMass += p.similarity * len
    coveredTokens += len
    if (p.similarity >= CLOSE_SENTENCE) close += len
    usedOther[p.b] = Math.max(usedOther[p.b] as number, p.similarity)
  }
  let usedMass = 0
  for (let j = 0; j < nb; j++) usedMass += (usedOther[j] as number) * sentenceLength(w, j)
  let otherTiledCount = 0
  for (let i = 0; i < m; i++) if (otherTiled[i]) otherTiledCount++
  return {
    unigrams,
    contentUnigrams,
    contentBigrams: weightedSetShare(me.bigrams, other.bigrams),
    trigrams: me.analysis.shingles.length === 0 ? 0 : shared.shingles / me.analysis.shingles.length,
    verbatim: n === 0 ? 0 : verbatim / n,
    verbatimQuoted: n === 0 ? 0 : quoted / n,
    longestRun,
    aligned: n === 0 ? 0 : alignedMass / n,
    covered: n === 0 ? 0 : coveredTokens / n,
    order: freeMass === 0 ? 0 : Math.min(1, alignedMass / freeMass),
    structure: lengthCorrelation(v, w, pairs),
    anchors: (shared.anchors + 1) / (v.anchors.length + 2),
    numbersSwapped: swaps.numbers / (swaps.numberSlots + 1),
    figures: n === 0 ? 0 : figures / n,
    specificsSwapped: swaps.specifics / (swaps.specificSlots + 1),
    anchorOrder,
    figuresKept: figuresKept(v, w),
    namesMissing: namesMissing(v, me.index, other.present, pairs),
    verbatimPassages: n === 0 ? 0 : runTokens / n,
    closeSentences: n === 0 ? 0 : close / n,
    tokens: n,
    lengthRatio: Math.log((n + 1) / (m + 1)),
    sentenceRatio: Math.log((v.sentenceCount + 1) / (w.sentenceCount + 1)),
    otherUsed: m === 0 ? 0 : Math.max(otherTiledCount, usedMass) / m,
  }
}

/** Pearson correlation of log sentence lengths over aligned pairs; 0 with fewer than three. */
function lengthCorrelation(v: TextView, w: TextView, pairs: readonly SentencePair[]): number {
  const n = pairs.length
  if (n < 3) return 0
  let sx = 0
  let sy = 0
  for (const p of pairs) {
    sx += Math.log1p(sentenceLength(v, p.a))
    sy += Math.log1p(sentenceLength(w, p.b))
  }
  const mx = sx / n
  const my = sy / n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (const p of pairs) {
    const dx = Math.log1p(sentenceLength(v, p.a)) - mx
    const dy = Math.log1p(sentenceLength(w, p.b)) - my
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  return sxx === 0 || syy === 0 ? 0 : Math.max(0, sxy / Math.sqrt(sxx * syy))
}

/** Tokens of each sentence outside quotation marks. */
function unquotedLengths(v: TextView, out: Uint32Array): Uint32Array {
  for (let i = 0; i < v.tokens.length; i++) if (!v.quoted[i]) (out[v.sentenceOf[i] as number] as number)++
  return out
}

/** Tokens of one side in verbatim passages' own tiles, outside quotation marks. */
function runTokens(inRun: Uint8Array, tiled: Uint8Array): number {
  let n = 0
  for (let i = 0; i < inRun.length; i++) if (inRun[i] === 1 && tiled[i] === 1) n++
  return n
}

/** Aligned sentences at least this similar are taken over, edited or closely reworded. */
export const CLOSE_SENTENCE = 0.6
/** Aligned sentences below this similarity do not count (sentences.ts aligns nothing weaker). */
const MIN_ALIGNED = 0.3

/** Count, in one aligned sentence pair, figures and specific words each side has and the other lacks; true when its figures conflict (as many swapped as shared, at least one). */
function countSwaps(
  v: TextView,
  i: number,
  w: TextView,
  j: number,
  into: { numbers: number; numberSlots: number; specifics: number; specificSlots: number },
  reworded: boolean,
): boolean {
  const mine = sentenceNumbers(v, i)
  const theirs = sentenceNumbers(w, j)
  const shared = intersectionSize(mine, theirs)
  const swapped = Math.min(mine.length - shared, theirs.length - shared)
  into.numbers += swapped
  into.numberSlots += Math.max(mine.length, theirs.length)
  const ms = sentenceSpecifics(v, i, reworded)
  const ts = sentenceSpecifics(w, j, reworded)
  const both = intersectionSize(ms, ts)
  into.specifics += Math.min(ms.length - both, ts.length - both)
  into.specificSlots += Math.max(ms.length, ts.length)
  return swapped > 0 && swapped >= shared
}

/**
 * See {@link Evidence.namesMissing}: `index` maps this side's tokens into the pair's vocabulary,
 * `otherHas` flags the words the other uses; `pairs` are this side's sentences aligned with the other's.
 */
function namesMissing(v: TextView, index: Uint32Array, otherHas: Uint8Array, pairs: readonly SentencePair[]): number {
  const seen = scratch.seen.take(otherHas.length, true)
  let names = 0
  let missing = 0
  for (const p of pairs) {
    // A headline's words are capitalised as a style (Title Case), not as names.
    if (v.analysis.paragraphs[v.sentenceParagraph[p.a] as number]?.kind !== 'body') continue
    const end = v.sentences[p.a + 1] as number
    const flags = p.similarity < CLOSE_SENTENCE ? v.named : v.specific
    for (let i = v.sentences[p.a] as number; i < end; i++) {
      const u = index[i] as number
      if (!flags[i] || v.numeric[i] || seen[u]) continue
      seen[u] = 1
      names++
      if (!otherHas[u]) missing++
    }
  }
  return missing / (names + 1)
}

/**
 * The distinct figures of a sentence, sorted; cached per text. A figure is a run of number
 * tokens joined by one mark with no space ("6-3/16", "1.5", "2,360"): the tokenizer splits them,
 * and their pieces ("16", "6") are shared by chance between two rates that differ.
 */
function sentenceNumbers(v: TextView, sentence: number): Uint32Array {
  return flagged(v, sentence, v.numeric, v.memo.numbers, true)
}

/** Whether the one character between two number tokens joins them into one figure: - / . , : ⁄ – */
function joinsFigure(text: string, from: number, to: number): boolean {
  if (to - from !== 1) return false
  const c = text.charCodeAt(from)
  return c === 0x2d || c === 0x2f || c === 0x2e || c === 0x2c || c === 0x3a || c === 0x2044 || c === 0x2013
}

/**
 * The distinct specific words (numbers, capitalised words) of a sentence, sorted; cached per text.
 * For a reworded sentence, not the words capitalised only for opening a sentence: a rewrite opens
 * its sentences with other words. A sentence kept close (a template's frame) keeps its opener, as
 * often as not the issuer or the bank the template is filled in for.
 */
function sentenceSpecifics(v: TextView, sentence: number, reworded: boolean): Uint32Array {
  return reworded ? flagged(v, sentence, v.named, v.memo.named, false) : flagged(v, sentence, v.specific, v.memo.specifics, false)
}

/** The distinct flagged tokens of a sentence, sorted; with `figures`, runs joined as one figure. Cached per text. */
function flagged(
  v: TextView,
  sentence: number,
  flags: Uint8Array,
  cache: (Uint32Array | undefined)[],
  figures: boolean,
): Uint32Array {
  let out = cache[sentence]
  if (!out) {
    const text = v.analysis.article.text
    const from = v.sentences[sentence] as number
    const end = v.sentences[sentence + 1] as number
    const picked = pickedScratch.take(end - from, false)
    let k = 0
    for (let i = from; i < end; i++) {
      if (!flags[i]) continue
      let h = v.tokens[i] as number
      while (figures && i + 1 < end && flags[i + 1] && joinsFigure(text, v.end[i] as number, v.start[i + 1] as number)) {
        i++
        h = combine(h, v.tokens[i] as number)
      }
      picked[k++] = h
    }
    // toSortedSet copies: the set does not share the scratch array.
    out = k === 0 ? NONE : toSortedSet(picked.subarray(0, k))
    cache[sentence] = out
  }
  return out
}

const pickedScratch = new Scratch(u32)
/** The empty set, shared (never written: sets are read only). */
const NONE = new Uint32Array(0)

function sentenceLength(v: TextView, i: number): number {
  return (v.sentences[i + 1] as number) - (v.sentences[i] as number)
}

/** 1 for each word of the pair's vocabulary that one text (its `index`) uses. */
function present(weights: PairWeights, index: Uint32Array, into: Scratch<Uint8Array>): Uint8Array {
  const out = into.take(weights.content.length, true)
  for (let k = 0; k < index.length; k++) out[index[k] as number] = 1
  return out
}

/** Share of each text's distinct tokens found in the other, plain and content-weighted. */
function unigramShares(
  weights: PairWeights,
  inA: Uint8Array,
  inB: Uint8Array,
): { a: number; b: number; contentA: number; contentB: number } {
  const u = weights.content.length
  let a = 0
  let b = 0
  let both = 0
  let ca = 0
  let cb = 0
  let cboth = 0
  for (let k = 0; k < u; k++) {
    const c = weights.content[k] as number
    if (inA[k]) {
      a++
      ca += c
    }
    if (inB[k]) {
      b++
      cb += c
    }
    if (inA[k] && inB[k]) {
      both++
      cboth += c
    }
  }
  const div = (x: number, y: number) => (y === 0 ? 0 : x / y)
  return { a: div(both, a), b: div(both, b), contentA: div(cboth, ca), contentB: div(cboth, cb) }
}

/** A text's content word pairs: distinct hashes, sorted, with the weight of each. */
interface WeightedSet {
  hashes: Uint32Array
  weights: Float64Array
}

/** A text's word pairs within a paragraph: distinct hashes, sorted, and a position of each (its second word). */
interface Bigrams {
  hashes: Uint32Array
  at: Uint32Array
}

/** The word pairs of a text, cached (see {@link prepare}). */
function bigramsOf(v: TextView): Bigrams {
  prepare(v)
  return v.memo.bigrams as Bigrams
}

/**
 * A text's word pairs within a paragraph, sorted as hash · 2^21 + position (exact below 2^53),
 * each distinct hash with its first position, made the first time it is compared, into the room
 * its view keeps for them.
 */
function prepare(v: TextView): void {
  if (v.memo.bigrams) return
  const n = v.tokens.length
  const packed = packedScratch.take(n, false)
  let m = 0
  for (let i = 1; i < n; i++) {
    if (v.paragraphStart[i]) continue
    packed[m++] = ((Math.imul(v.tokens[i - 1] as number, 0x9e3779b1) ^ (v.tokens[i] as number)) >>> 0) * PACK + i
  }
  const sorted = sortPacked(packed.subarray(0, m))
  const room = v.memo.room.pairs
  const half = room.length / 2
  let u = 0
  for (let k = 0; k < m; k++) {
    const x = sorted[k] as number
    const h = Math.floor(x / PACK)
    if (u > 0 && room[u - 1] === h) continue
    room[u] = h
    room[half + u++] = x - h * PACK
  }
  v.memo.bigrams = { hashes: room.subarray(0, u), at: room.subarray(half, half + u) }
}

const packedScratch = new Scratch(f64)

/**
 * Word pairs (within a paragraph) weighted by their lighter word's content weight in this pair of
 * texts: a pair with a word found in every sentence of both weighs nothing.
 */
function contentBigrams(v: TextView, weights: PairWeights, index: Uint32Array, into: Scratch<Float64Array>): WeightedSet {
  const { hashes, at } = bigramsOf(v)
  const out = into.take(hashes.length, false)
  for (let k = 0; k < hashes.length; k++) {
    const i = at[k] as number
    out[k] = Math.min(weights.content[index[i - 1] as number] as number, weights.content[index[i] as number] as number)
  }
  return { hashes, weights: out }
}

/** Weighted share of `x`'s hashes found in `y`'s. */
function weightedSetShare(x: WeightedSet, y: WeightedSet): number {
  let found = 0
  let all = 0
  let j = 0
  for (let i = 0; i < x.hashes.length; i++) {
    const h = x.hashes[i] as number
    const k = x.weights[i] as number
    all += k
    while (j < y.hashes.length && (y.hashes[j] as number) < h) j++
    if (j < y.hashes.length && y.hashes[j] === h) found += k
  }
  return all === 0 ? 0 : found / all
}

function quotesVerbatim(a: TextView, b: TextView, tiledA: Uint8Array, tiledB: Uint8Array): number | null {
  const count = (v: TextView, tiled: Uint8Array) => {
    let q = 0
    let t = 0
    for (let i = 0; i < v.quoted.length; i++) {
      if (!v.quoted[i]) continue
      q++
      if (tiled[i]) t++
    }
    return { q, t }
  }
  const qa = count(a, tiledA)
  const qb = count(b, tiledB)
  if (qa.q < MIN_QUOTED || qb.q < MIN_QUOTED) return null
  const fewer = qa.q <= qb.q ? qa : qb
  return fewer.t / fewer.q
}

const DAY = 86_400_000

/** Days between two articles' publication dates; null when either is undated. */
export function daysApart(x: AnalysisOk, y: AnalysisOk): number | null {
  const p = x.article.publishedAt ? parsePublishedAt(x.article.publishedAt) : Number.NaN
  const q = y.article.publishedAt ? parsePublishedAt(y.article.publishedAt) : Number.NaN
  return Number.isNaN(p) || Number.isNaN(q) ? null : Math.abs(p - q) / DAY
}

/** The anchors of a text in order: each sentence's (sorted, so that word order within a sentence does not count), sentence by sentence. */
function anchorSequence(v: TextView): number[] {
  const out: number[] = []
  for (let i = 0; i < v.sentenceCount; i++) for (const h of sentenceAnchors(v, i)) out.push(h)
  return out
}

/** See {@link Evidence.anchorOrder}. */
export function anchorOrderShare(a: TextView, b: TextView): number {
  const x = anchorSequence(a)
  const y = anchorSequence(b)
  return longestCommonSubsequence(x, y) / (Math.max(x.length, y.length) + 2)
}

/** Length of the longest common subsequence of two sequences: the classic dynamic programme in two rows. */
export function longestCommonSubsequence(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const m = y.length
  let prev = new Uint32Array(m + 1)
  let cur = new Uint32Array(m + 1)
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]
    for (let j = 1; j <= m; j++) {
      cur[j] = xi === y[j - 1] ? (prev[j - 1] as number) + 1 : Math.max(prev[j] as number, cur[j - 1] as number)
    }
    ;[prev, cur] = [cur, prev]
  }
  return prev[m] as number
}

/** See {@link Evidence.figuresKept}. */
function figuresKept(v: TextView, w: TextView): number {
  const mine = textNumbers(v)
  if (mine.length === 0) return 1
  return intersectionSize(mine, textNumbers(w)) / (mine.length + 1)
}

/** The distinct figures of a whole text, sorted; cached per text. */
function textNumbers(v: TextView): Uint32Array {
  let out = v.memo.textNumbers
  if (!out) {
    const all: number[] = []
    for (let i = 0; i < v.sentenceCount; i++) for (const h of sentenceNumbers(v, i)) all.push(h)
    out = toSortedSet(Uint32Array.from(all))
    v.memo.textNumbers = out
  }
  return out
}
