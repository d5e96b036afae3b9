import { intersectionSize } from '../sketch/shingle.js'
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
  constructor(a: TextView, b: TextView) {
    const na = a.tokens.length
    const nb = b.tokens.length
    this.indexA = new Uint32Array(na)
    this.indexB = new Uint32Array(nb)
    const df: number[] = []
    // Merge the two texts' tokens, each sorted once per text (token · 2^21 + position): equal
    // tokens meet in one run, a's positions before b's, each text's in reading order. A token's
    // sentence frequency is the number of distinct (text, sentence) pairs in its run.
    const sa = sortedTokens(a)
    const sb = sortedTokens(b)
    let i = 0
    let j = 0
    let u = -1
    let last = -1
    let lastSentence = 0
    while (i < na || j < nb) {
      const fromA = j >= nb || (i < na && Math.floor((sa[i] as number) / PACK) <= Math.floor((sb[j] as number) / PACK))
      const x = fromA ? (sa[i++] as number) : (sb[j++] as number)
      const token = Math.floor(x / PACK)
      const pos = x - token * PACK
      if (token !== last) {
        u++
        df.push(0)
        last = token
        lastSentence = 0
      }
      const sentence = fromA ? 1 + (a.sentenceOf[pos] as number) : -1 - (b.sentenceOf[pos] as number)
      if (sentence !== lastSentence) {
        lastSentence = sentence
        df[u] = (df[u] as number) + 1
      }
      if (fromA) this.indexA[pos] = u
      else this.indexB[pos] = u
    }
    this.total = a.sentenceCount + b.sentenceCount
    this.weight = new Float64Array(df.length)
    this.content = new Float64Array(df.length)
    for (let k = 0; k < df.length; k++) {
      this.weight[k] = Math.log(1 + this.total / (df[k] as number))
      this.content[k] = Math.log(this.total / (df[k] as number))
    }
  }
  /** For each distinct token, the sentences of one text that hold it (each once). */
  sentencesOf(v: TextView, index: Uint32Array): (number[] | undefined)[] {
    const out: (number[] | undefined)[] = new Array(this.weight.length)
    for (let i = 0; i < index.length; i++) {
      const u = index[i] as number
      const s = v.sentenceOf[i] as number
      const list = out[u]
      if (!list) out[u] = [s]
      else if (list[list.length - 1] !== s) list.push(s)
    }
    return out
  }
  /** The summed `weight` of each sentence's distinct tokens. */
  totals(v: TextView, index: Uint32Array): Float64Array {
    const out = new Float64Array(v.sentenceCount)
    const last = new Int32Array(this.weight.length).fill(-1)
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

const PACK = 2 ** 21
const sortedCache = new WeakMap<TextView, Float64Array>()

/** A text's tokens with their positions (token · 2^21 + position, exact below 2^53), sorted; cached per text. */
function sortedTokens(v: TextView): Float64Array {
  let out = sortedCache.get(v)
  if (!out) {
    out = new Float64Array(v.tokens.length)
    for (let i = 0; i < v.tokens.length; i++) out[i] = (v.tokens[i] as number) * PACK + i
    out.sort()
    sortedCache.set(v, out)
  }
  return out
}

/**
 * Similarity of every sentence of `a` to every sentence of `b`, both ways (row-major, a by b).
 * In one language: the weighted share of one sentence's words found in the other. Across
 * languages words mean nothing; the shared anchors (numbers, names) do, damped when the two
 * sentences' lengths are out of proportion (Gale & Church).
 *
 * In one language both matrices come from one pass over the words the texts share: a word's
 * weight is added to every pair of sentences, one of each text, that holds it.
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
  const ba = new Float64Array(na * nb)
  if (crossLanguage) {
    for (let i = 0; i < na; i++) {
      for (let j = 0; j < nb; j++) {
        ab[i * nb + j] = anchorSimilarity(a, i, b, j)
        ba[i * nb + j] = anchorSimilarity(b, j, a, i)
      }
    }
    return { ab, ba }
  }
  const inA = w.sentencesOf(a, w.indexA)
  const inB = w.sentencesOf(b, w.indexB)
  const shared = new Float64Array(na * nb)
  for (let u = 0; u < inA.length; u++) {
    const sa = inA[u]
    const sb = inB[u]
    if (!sa || !sb) continue
    const wt = w.weight[u] as number
    for (const i of sa) for (const j of sb) shared[i * nb + j] = (shared[i * nb + j] as number) + wt
  }
  const totalA = w.totals(a, w.indexA)
  const totalB = w.totals(b, w.indexB)
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      const x = shared[i * nb + j] as number
      if (x === 0) continue
      ab[i * nb + j] = x / (totalA[i] as number)
      ba[i * nb + j] = x / (totalB[j] as number)
    }
  }
  return { ab, ba }
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
  const best = new Float64Array(na * nb)
  const take = new Uint8Array(na * nb)
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
