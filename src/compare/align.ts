import type { AnalyzedParagraph } from '../analyze.js'
import { argArray } from '../errors.js'
import { intersectionSize } from '../sketch/shingle.js'
import type { ParagraphKind } from '../text/segment.js'

/** Paragraph similarities, each in [0, 1]. */
export interface ParagraphScores {
  /** Shingle Jaccard: shared wording. */
  jaccard: number
  /** Shingles shared over the smaller paragraph's: one paragraph taken into (or split from) the other. */
  containment: number
  /** Same content in other words: shared longer words and anchors (same language), or anchors and length (other languages). */
  reworded: number
}

/** How a paragraph pair was matched. */
export type MatchKind = 'verbatim' | 'edited' | 'reworded'

/** Thresholds of paragraph matching, documented in DESIGN.md. */
export const PARAGRAPH_THRESHOLDS = {
  /** Shingle containment at or above which a pair is `verbatim`. */
  verbatim: 0.85,
  /** …and at or above which it is `edited` (the same paragraph with changes). */
  edited: 0.3,
  /** Reworded score at or above which a pair is a `reworded` match (translation, paraphrase). */
  reworded: 0.38,
  /**
   * …and at or above which a reworded pair out of the alignment's order is `moved`. Order backs
   * a weak match in the chain; out of it, two paragraphs that share a name and a place are not
   * one paragraph reworded (seed 000's new paragraphs score 0.38–0.39 against 003's, a reordered
   * rewrite's paragraphs 0.5–0.75).
   */
  movedReworded: 0.5,
}

const jacc = (a: Uint32Array, b: Uint32Array): number => {
  if (a.length === 0 || b.length === 0) return 0
  const i = intersectionSize(a, b)
  return i / (a.length + b.length - i)
}

/** Compare two analysed paragraphs. `crossLanguage` turns off word overlap, which means nothing across languages. */
export function scoreParagraphs(a: AnalyzedParagraph, b: AnalyzedParagraph, crossLanguage: boolean): ParagraphScores {
  const inter = intersectionSize(a.shingles, b.shingles)
  const small = Math.min(a.shingles.length, b.shingles.length)
  const jaccard = inter / (a.shingles.length + b.shingles.length - inter || 1)
  // A one-shingle heading "contained" in a paragraph says little: require a few shingles.
  const containment = small >= 3 ? inter / small : jaccard
  return { jaccard, containment, reworded: rewordedScore(a, b, crossLanguage) }
}

function rewordedScore(a: AnalyzedParagraph, b: AnalyzedParagraph, crossLanguage: boolean): number {
  const la = a.text.length
  const lb = b.text.length
  if (la === 0 || lb === 0) return 0
  const ratio = Math.min(la, lb) / Math.max(la, lb)
  const anchorsKnown = a.anchors.length > 0 && b.anchors.length > 0
  const anchors = anchorsKnown ? jacc(a.anchors, b.anchors) : 0
  if (crossLanguage) {
    // Gale & Church: translated paragraphs keep proportional lengths; anchors are all else we have.
    if (!anchorsKnown || a.anchors.length + b.anchors.length < 3) return 0
    return anchors * Math.min(1, ratio / 0.6)
  }
  const words = jacc(a.words, b.words)
  const base = anchorsKnown ? 0.5 * words + 0.5 * anchors : 0.8 * words
  return base * Math.min(1, ratio / 0.4)
}

/** One aligned paragraph pair, by paragraph index in each document. */
export interface AlignedPair {
  a: number
  b: number
  match: MatchKind
  /** The score the match was made on (containment for verbatim/edited, reworded score otherwise). */
  similarity: number
  /** True when the pair is out of order relative to the other aligned pairs. */
  moved: boolean
}

export interface Unit {
  kind: ParagraphKind
  length: number
}

function classify(s: ParagraphScores): { match: MatchKind; similarity: number } | null {
  if (s.containment >= PARAGRAPH_THRESHOLDS.verbatim && s.jaccard >= 0.5) return { match: 'verbatim', similarity: s.containment }
  if (s.containment >= PARAGRAPH_THRESHOLDS.edited) return { match: 'edited', similarity: s.containment }
  if (s.reworded >= PARAGRAPH_THRESHOLDS.reworded) return { match: 'reworded', similarity: s.reworded }
  return null
}

/**
 * Align the paragraphs of two documents. First the best order-preserving alignment (a weighted
 * longest common subsequence over matching pairs), then pairs of shared wording that are out of
 * that order are added as `moved`. Each paragraph is in at most one pair.
 */
export function alignParagraphs(
  pa: readonly AnalyzedParagraph[],
  pb: readonly AnalyzedParagraph[],
  crossLanguage: boolean,
): AlignedPair[] {
  argArray('alignParagraphs', 'pa', pa, 'analysed paragraphs')
  argArray('alignParagraphs', 'pb', pb, 'analysed paragraphs')
  return alignClassified(pa.length, pb.length, classifyAll(pa, pb, crossLanguage))
}

type Classified = { match: MatchKind; similarity: number } | null

/** Every pair's classification, row-major (`pa` by `pb`); each column from `columns` when given. */
function classifyAll(
  pa: readonly AnalyzedParagraph[],
  pb: readonly AnalyzedParagraph[],
  crossLanguage: boolean,
  columns?: ParagraphColumns,
): Classified[] {
  const na = pa.length
  const nb = pb.length
  const cls: Classified[] = new Array(na * nb)
  for (let j = 0; j < nb; j++) {
    const q = pb[j] as AnalyzedParagraph
    const column = columns?.column(q)
    for (let i = 0; i < na; i++) {
      cls[i * nb + j] = column
        ? (column[i] as Classified)
        : classify(scoreParagraphs(pa[i] as AnalyzedParagraph, q, crossLanguage))
    }
  }
  return cls
}

/** Distinct paragraphs a {@link ParagraphColumns} keeps columns for; past it, columns are scored and not kept. */
const MAX_COLUMNS = 10_000

/**
 * The classifications of paragraphs against one fixed list (a cluster's reference), kept per
 * paragraph content. The members of a viral story's cluster repeat the reference's paragraphs
 * thousands of times: each distinct paragraph is scored against the reference once, not once per
 * member. A column is reused only for a paragraph with the same text and the same shingle, word
 * and anchor sets (all that scoring reads), so the result is the same as scoring anew.
 */
export class ParagraphColumns {
  private readonly columns = new Map<string, { p: AnalyzedParagraph; column: Classified[] }[]>()
  private size = 0
  constructor(
    private readonly pa: readonly AnalyzedParagraph[],
    private readonly crossLanguage: boolean,
  ) {}
  /** `q` classified against each paragraph of the fixed list, in its order. */
  column(q: AnalyzedParagraph): Classified[] {
    const known = this.columns.get(q.text)
    for (const e of known ?? []) if (sameSets(e.p, q)) return e.column
    const column = this.pa.map((p) => classify(scoreParagraphs(p, q, this.crossLanguage)))
    if (this.size < MAX_COLUMNS) {
      this.size++
      if (known) known.push({ p: q, column })
      else this.columns.set(q.text, [{ p: q, column }])
    }
    return column
  }
}

/** Whether two paragraphs have the same shingle, word and anchor sets: all that paragraph scoring reads. */
export function sameSets(x: AnalyzedParagraph, y: AnalyzedParagraph): boolean {
  return sameArray(x.shingles, y.shingles) && sameArray(x.words, y.words) && sameArray(x.anchors, y.anchors)
}

function sameArray(x: Uint32Array, y: Uint32Array): boolean {
  if (x === y) return true
  if (x.length !== y.length) return false
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  return true
}

/** {@link alignParagraphs} of `pa` (the list `columns` was made for) and `pb`, reusing its columns. */
export function alignParagraphsWith(
  pa: readonly AnalyzedParagraph[],
  pb: readonly AnalyzedParagraph[],
  crossLanguage: boolean,
  columns: ParagraphColumns | undefined,
): AlignedPair[] {
  return alignClassified(pa.length, pb.length, classifyAll(pa, pb, crossLanguage, columns))
}

/** The alignment itself, on every pair's classification. */
function alignClassified(na: number, nb: number, cls: Classified[]): AlignedPair[] {
  // Weight: wording shared outranks rewording, so the monotone chain prefers real copies.
  const weight = (c: { match: MatchKind; similarity: number } | null) =>
    c ? (c.match === 'reworded' ? 0.5 : 1) + c.similarity : 0
  const dp = new Float64Array((na + 1) * (nb + 1))
  const W = nb + 1
  for (let i = na - 1; i >= 0; i--) {
    for (let j = nb - 1; j >= 0; j--) {
      const w = weight(cls[i * nb + j] ?? null)
      let best = Math.max(dp[(i + 1) * W + j] as number, dp[i * W + j + 1] as number)
      if (w > 0) best = Math.max(best, w + (dp[(i + 1) * W + j + 1] as number))
      dp[i * W + j] = best
    }
  }
  const pairs: AlignedPair[] = []
  const usedA = new Uint8Array(na)
  const usedB = new Uint8Array(nb)
  let i = 0
  let j = 0
  while (i < na && j < nb) {
    const c = cls[i * nb + j] ?? null
    const w = weight(c)
    if (c && w > 0 && Math.abs((dp[i * W + j] as number) - (w + (dp[(i + 1) * W + j + 1] as number))) < 1e-9) {
      pairs.push({ a: i, b: j, match: c.match, similarity: round(c.similarity), moved: false })
      usedA[i] = 1
      usedB[j] = 1
      i++
      j++
    } else if ((dp[(i + 1) * W + j] as number) >= (dp[i * W + j + 1] as number)) i++
    else j++
  }
  // Out-of-order pairs are moves, greedily by strength (shared wording before rewording, as in
  // the chain): a rewrite reorders its paragraphs as freely as a copy does.
  const moves: { a: number; b: number; c: { match: MatchKind; similarity: number } }[] = []
  for (let x = 0; x < na; x++) {
    if (usedA[x]) continue
    for (let y = 0; y < nb; y++) {
      const c = cls[x * nb + y]
      if (!usedB[y] && c && (c.match !== 'reworded' || c.similarity >= PARAGRAPH_THRESHOLDS.movedReworded))
        moves.push({ a: x, b: y, c })
    }
  }
  moves.sort((p, q) => weight(q.c) - weight(p.c) || p.a - q.a || p.b - q.b)
  for (const m of moves) {
    if (usedA[m.a] || usedB[m.b]) continue
    usedA[m.a] = 1
    usedB[m.b] = 1
    pairs.push({ a: m.a, b: m.b, match: m.c.match, similarity: round(m.c.similarity), moved: true })
  }
  return pairs.sort((p, q) => p.a - q.a)
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
