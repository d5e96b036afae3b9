import { intersectionSize } from '../sketch/shingle.js'
import { f64, i32, PACK, Scratch, sortPacked, u8, u32 } from './scratch.js'
import { sentenceAnchors, type TextView } from './view.js'

/** One sentence of `a` aligned with one of `b`. */
export interface SentencePair {
  a: number
  b: number
  /** Weighted share of the `a` sentence's words found in the `b` sentence (other languages: shared anchors). */
  similarity: number
}

/** Sentence pairs below this similarity are not aligned. */
export const MIN_SENTENCE_SIMILARITY = 0.3

/**
 * Word weights for one pair of texts: a word found in many of the two texts' sentences ("the",
 * "of", "کے") says little about where a sentence came from; a rare one says much. The weight is
 * an inverse sentence frequency over both texts, so it needs no word list and holds in any language.
 *
 * Built once per pair: the distinct tokens of both texts (sorted), how many sentences hold each,
 * and for each token position of each text the index of its token, so that every later lookup
 * is an array read.
 */
export class PairWeights {
  /** Sentences in both texts. */
  readonly total: number
  /** Smoothed inverse sentence frequency of each distinct token: log(1 + total / df). */
  readonly weight: Float64Array
  /** Unsmoothed: log(total / df), 0 for a token in every sentence of both texts. */
  readonly content: Float64Array
  /** Index into `weight` and `content` of each token position of `a`, and of `b`. */
  readonly indexA: Uint32Array
  readonly indexB: Uint32Array
  /**
   * The sentences that hold each distinct token `u`, each once: `holders[holderStart[u] …
   * holderStart[u + 1])`, `a`'s first (sentence s as s + 1), then `b`'s (as -1 - s), each text's
   * in reading order.
   */
  readonly holders: Int32Array
  readonly holderStart: Uint32Array
  /**
   * With `reuse`, the arrays come from scratch slots (see scratch.ts) and are valid only until the
   * next PairWeights made with `reuse`: for a caller that is done with them before then.
   */
  constructor(a: TextView, b: TextView, reuse = false) {
    const na = a.tokens.length
    const nb = b.tokens.length
    const n = na + nb
    this.indexA = reuse ? indexScratchA.take(na, false) : new Uint32Array(na)
    this.indexB = reuse ? indexScratchB.take(nb, false) : new Uint32Array(nb)
    const holders = reuse ? holderScratch.take(n, false) : new Int32Array(n)
    const holderStart = reuse ? holderStartScratch.take(n + 1, false) : new Uint32Array(n + 1)
    const df = dfScratch.take(na + nb, false)
    // Merge the two texts' tokens, each sorted once per text (token · 2^21 + position): equal
    // tokens meet in one run, a's positions before b's, each text's in reading order. A token's
    // sentence frequency is the number of distinct (text, sentence) pairs in its run.
    const sa = sortedTokens(a)
    const sb = sortedTokens(b)
    let i = 0
    let j = 0
    let ta = na > 0 ? Math.floor((sa[0] as number) / PACK) : 0
    let tb = nb > 0 ? Math.floor((sb[0] as number) / PACK) : 0
    let u = -1
    let last = -1
    let lastSentence = 0
    let h = 0
    while (i < na || j < nb) {
      const fromA = j >= nb || (i < na && ta <= tb)
      let token: number
      let pos: number
      let sentence: number
      if (fromA) {
        token = ta
        pos = (sa[i] as number) - token * PACK
        if (++i < na) ta = Math.floor((sa[i] as number) / PACK)
        sentence = 1 + (a.sentenceOf[pos] as number)
      } else {
        token = tb
        pos = (sb[j] as number) - token * PACK
        if (++j < nb) tb = Math.floor((sb[j] as number) / PACK)
        sentence = -1 - (b.sentenceOf[pos] as number)
      }
      if (token !== last) {
        u++
        df[u] = 0
        holderStart[u] = h
        last = token
        lastSentence = 0
      }
      if (fromA) this.indexA[pos] = u
      else this.indexB[pos] = u
      if (sentence !== lastSentence) {
        lastSentence = sentence
        df[u] = (df[u] as number) + 1
        holders[h++] = sentence
      }
    }
    const distinct = u + 1
    holderStart[distinct] = h
    this.holders = holders.subarray(0, h)
    this.holderStart = holderStart.subarray(0, distinct + 1)
    this.total = a.sentenceCount + b.sentenceCount
    const weights = reuse ? weightScratch.take(2 * distinct, false) : new Float64Array(2 * distinct)
    this.weight = weights.subarray(0, distinct)
    this.content = weights.subarray(distinct)
    // A weight depends only on its word's sentence frequency, a small integer: two logarithms
    // per frequency met, not per word.
    const total = this.total
    const byDf = dfWeightScratch.take(2 * (total + 1), false)
    const known = dfKnownScratch.take(total + 1, true)
    for (let k = 0; k < distinct; k++) {
      const d = df[k] as number
      if (!known[d]) {
        known[d] = 1
        byDf[2 * d] = Math.log(1 + total / d)
        byDf[2 * d + 1] = Math.log(total / d)
      }
      this.weight[k] = byDf[2 * d] as number
      this.content[k] = byDf[2 * d + 1] as number
    }
  }
  /** The summed `weight` of each sentence's distinct tokens (in a fresh array of the pair's, or in `into`). */
  totals(v: TextView, index: Uint32Array, into?: Float64Array): Float64Array {
    const out = into ?? new Float64Array(v.sentenceCount)
    const last = lastScratch.take(this.weight.length, false).fill(-1)
    for (let i = 0; i < index.length; i++) {
      const u = index[i] as number
      const s = v.sentenceOf[i] as number
      if (last[u] === s) continue
      last[u] = s
      out[s] = (out[s] as number) + (this.weight[u] as number)
    }
    return out
  }
}

const dfScratch = new Scratch(u32)
const indexScratchA = new Scratch(u32)
const indexScratchB = new Scratch(u32)
const holderScratch = new Scratch(i32)
const holderStartScratch = new Scratch(u32)
const weightScratch = new Scratch(f64)
const dfWeightScratch = new Scratch(f64)
const dfKnownScratch = new Scratch(u8)
const lastScratch = new Scratch(i32)
const totalScratchA = new Scratch(f64)
const totalScratchB = new Scratch(f64)
const sharedScratch = new Scratch(f64)
const bestScratch = new Scratch(f64)
const takeScratch = new Scratch(u8)

/** A text's tokens with their positions (token · 2^21 + position, exact below 2^53), sorted; cached per text, in the room its view keeps. */
function sortedTokens(v: TextView): Float64Array {
  let out = v.memo.sortedTokens
  if (!out) {
    out = v.memo.room.sorted
    for (let i = 0; i < v.tokens.length; i++) out[i] = (v.tokens[i] as number) * PACK + i
    v.memo.sortedTokens = sortPacked(out)
  }
  return out
}

/**
 * Similarity of every sentence of `a` to every sentence of `b`, both ways (row-major, a by b).
 * In one language: the weighted share of one sentence's words found in the other. Across
 * languages words mean nothing; the shared anchors (numbers, names) do, damped when the two
 * sentences' lengths are out of proportion (Gale & Church).
 */
export function sentenceSimilarities(
  a: TextView,
  b: TextView,
  w: PairWeights,
  crossLanguage: boolean,
): { ab: Float64Array; ba: Float64Array } {
  const na = a.sentenceCount
  const nb = b.sentenceCount
  const ab = new Float64Array(na * nb)
  const byB = new Float64Array(na * nb)
  similaritiesInto(a, b, w, crossLanguage, ab, byB)
  const ba = new Float64Array(na * nb)
  for (let j = 0; j < nb; j++) for (let i = 0; i < na; i++) ba[i * nb + j] = byB[j * na + i] as number
  return { ab, ba }
}

/**
 * {@link sentenceSimilarities} into arrays of the caller's, both zeroed: `ab` row-major a by b,
 * and `ba` (b's sentences against a's) row-major b by a, as its alignment reads it.
 *
 * In one language both matrices come from one pass over the words the texts share: a word's
 * weight is added to every pair of sentences, one of each text, that holds it.
 */
export function similaritiesInto(
  a: TextView,
  b: TextView,
  w: PairWeights,
  crossLanguage: boolean,
  ab: Float64Array,
  ba: Float64Array,
): void {
  const na = a.sentenceCount
  const nb = b.sentenceCount
  if (crossLanguage) {
    for (let i = 0; i < na; i++) {
      for (let j = 0; j < nb; j++) {
        ab[i * nb + j] = anchorSimilarity(a, i, b, j)
        ba[j * na + i] = anchorSimilarity(b, j, a, i)
      }
    }
    return
  }
  const shared = sharedScratch.take(na * nb, true)
  const holders = w.holders
  const start = w.holderStart
  const distinct = w.weight.length
  for (let u = 0; u < distinct; u++) {
    const from = start[u] as number
    const to = start[u + 1] as number
    // a's sentences (positive) come first, then b's.
    let k = from
    while (k < to && (holders[k] as number) > 0) k++
    if (k === from || k === to) continue
    const wt = w.weight[u] as number
    for (let x = from; x < k; x++) {
      const row = ((holders[x] as number) - 1) * nb
      for (let y = k; y < to; y++) {
        const at = row - 1 - (holders[y] as number)
        shared[at] = (shared[at] as number) + wt
      }
    }
  }
  const totalA = w.totals(a, w.indexA, totalScratchA.take(na, true))
  const totalB = w.totals(b, w.indexB, totalScratchB.take(nb, true))
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      const x = shared[i * nb + j] as number
      if (x === 0) continue
      ab[i * nb + j] = x / (totalA[i] as number)
      ba[j * na + i] = x / (totalB[j] as number)
    }
  }
}

function anchorSimilarity(a: TextView, i: number, b: TextView, j: number): number {
  const x = sentenceAnchors(a, i)
  const y = sentenceAnchors(b, j)
  if (x.length === 0 || y.length === 0) return 0
  const shared = intersectionSize(x, y)
  const la = (a.sentences[i + 1] as number) - (a.sentences[i] as number)
  const lb = (b.sentences[j + 1] as number) - (b.sentences[j] as number)
  const ratio = Math.min(la, lb) / Math.max(la, lb)
  return (shared / x.length) * Math.min(1, ratio / 0.5)
}

/**
 * The best alignment of `a`'s sentences to `b`'s in reading order: each sentence of `a` takes at
 * most one of `b`, never one before the sentence its predecessor took (two sentences of `a` may
 * share one of `b`: a sentence split in two). It maximises the aligned similarity weighted by
 * sentence length, over pairs of at least {@link MIN_SENTENCE_SIMILARITY}.
 */
export function alignSentences(a: TextView, b: TextView, sim: Float64Array): SentencePair[] {
  const na = a.sentenceCount
  const nb = b.sentenceCount
  if (na === 0 || nb === 0) return []
  // best[i][j]: best score for a's sentences 0..i with sentence i's partner (if any) ≤ j.
  // Every cell is written before it is read: scratch arrays, not zeroed.
  const best = bestScratch.take(na * nb, false)
  const take = takeScratch.take(na * nb, false)
  for (let i = 0; i < na; i++) {
    const len = (a.sentences[i + 1] as number) - (a.sentences[i] as number)
    let carry = -1
    for (let j = 0; j < nb; j++) {
      const prev = i > 0 ? (best[(i - 1) * nb + j] as number) : 0
      const s = sim[i * nb + j] as number
      const here = s >= MIN_SENTENCE_SIMILARITY ? prev + s * len : -1
      const skip = Math.max(prev, carry)
      if (here > skip) {
        best[i * nb + j] = here
        take[i * nb + j] = 1
      } else {
        best[i * nb + j] = skip
        take[i * nb + j] = carry > prev ? 2 : 0 // 2: the best is at a smaller j of this row
      }
      carry = best[i * nb + j] as number
    }
  }
  const pairs: SentencePair[] = []
  let j = nb - 1
  for (let i = na - 1; i >= 0; i--) {
    while (j > 0 && take[i * nb + j] === 2) j--
    if (take[i * nb + j] === 1) pairs.push({ a: i, b: j, similarity: sim[i * nb + j] as number })
  }
  return pairs.reverse()
}
