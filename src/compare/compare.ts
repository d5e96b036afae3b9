import { type Analysis, type AnalysisOk, type AnalyzedParagraph, analyzeParagraph } from '../analyze.js'
import { checkNumber, WiretraceError } from '../errors.js'
import { describeParams, sameParams } from '../sketch/fingerprint.js'
import { intersectionSize } from '../sketch/shingle.js'
import { type AlignedPair, alignParagraphs, round } from './align.js'

/** What one article is to another. */
export type Relation = 'duplicate' | 'copy' | 'partial' | 'translation' | 'related' | 'unrelated'

/** Relations that put two articles in one cluster. */
export const LINKING_RELATIONS: readonly Relation[] = ['duplicate', 'copy', 'partial', 'translation']

/** Decision thresholds of {@link compare}; each is documented, with how it was chosen, in DESIGN.md. */
export interface RelationThresholds {
  /** Shingle Jaccard at or above which two articles are duplicates. @default 0.85 */
  duplicate: number
  /** Containment of the smaller article in the larger at or above which it is a copy. @default 0.7 */
  copy: number
  /** Share of the smaller article in two or more paragraphs kept nearly whole, for `partial`. @default 0.25 */
  partial: number
  /** Containment that makes a `partial` when two or more paragraphs are shared (one shared paragraph is a quote). @default 0.5 */
  partialContainment: number
  /** Share of the smaller article aligned in order (matched or reworded) for `translation`. @default 0.5 */
  translationCoverage: number
  /** A translation shares little wording: containment must stay below this. @default 0.4 */
  translationMaxContainment: number
  /** Anchor Jaccard at or above which otherwise unmatched articles are `related`. @default 0.1 */
  related: number
}

export const DEFAULT_THRESHOLDS: Readonly<RelationThresholds> = {
  duplicate: 0.85,
  copy: 0.7,
  partial: 0.25,
  partialContainment: 0.5,
  translationCoverage: 0.5,
  translationMaxContainment: 0.4,
  related: 0.1,
}

/** Options for {@link compare}. */
export interface CompareOptions {
  /** Override decision thresholds. @default DEFAULT_THRESHOLDS */
  thresholds?: Partial<RelationThresholds>
}

/** The explainable result of comparing two articles. */
export interface Comparison {
  kind: 'comparison'
  a: string
  b: string
  relation: Relation
  /** Why, in words, with the figures that decided it. */
  reason: string
  /** For `copy`: the id of the article that was copied from (the larger one). */
  original?: string
  jaccard: number
  containment: { aInB: number; bInA: number }
  /** Share of each article's text (characters) in aligned units. */
  coverage: { a: number; b: number }
  /** Units are paragraphs, or sentences when either article has fewer than three paragraphs. */
  unit: 'paragraph' | 'sentence'
  aligned: AlignedPair[]
  languages: { a?: string; b?: string }
  /** Jaccard similarity of the two articles' anchor sets (numbers, names). */
  anchorJaccard: number
  /** Share of quoted-speech shingles of the smaller article found verbatim in the other; null without quotes. */
  quotesVerbatim: number | null
}

function okOrThrow(x: Analysis, name: string): AnalysisOk {
  if (x?.kind !== 'analysis') throw new WiretraceError('INVALID_ARGUMENT', `compare: ${name} must be the result of analyze()`)
  if (x.status !== 'ok') {
    throw new WiretraceError(
      'INVALID_ARGUMENT',
      `compare: ${name} ("${x.id}") was skipped (${x.reason}) and has no text to compare`,
    )
  }
  return x
}

const SENTENCE_END = /(?<=[.!?。！？…]["'”’»)]*)\s+(?=["“'‘«(]?[\p{Lu}\p{Lo}\p{N}])/u

/** Units of an article, and the paragraph each unit is (or is a sentence of). */
interface Units {
  units: AnalyzedParagraph[]
  paragraphOf: number[]
  paragraphs: number
}

/** Sentences of an article as units, for articles with too few paragraphs to align. */
function sentenceUnits(x: AnalysisOk): Units {
  const out: AnalyzedParagraph[] = []
  const paragraphOf: number[] = []
  const shape = x.fingerprint.params
  x.paragraphs.forEach((p, i) => {
    let offset = 0
    for (const s of p.text.split(SENTENCE_END)) {
      const at = p.text.indexOf(s, offset)
      offset = at + s.length
      const u = analyzeParagraph({ start: p.start + at, end: p.start + at + s.length, kind: p.kind, text: s }, out.length, shape)
      if (u) {
        if (p.lang) u.lang = p.lang
        out.push(u)
        paragraphOf.push(i)
      }
    }
  })
  return { units: out, paragraphOf, paragraphs: x.paragraphs.length }
}

function paragraphUnits(x: AnalysisOk): Units {
  return { units: x.paragraphs, paragraphOf: x.paragraphs.map((_, i) => i), paragraphs: x.paragraphs.length }
}

/**
 * How many paragraphs the pairs share: sentences of one paragraph count once, so that a quoted
 * paragraph of two sentences is still one quote. A quote is one paragraph on both sides; text
 * spread over two paragraphs of either article is not one (a reprint whose paragraphs were run
 * together still shares several of the original's). When neither article has paragraphs to count
 * in (one paragraph each), sentences count.
 */
function sharedParagraphs(pairs: readonly AlignedPair[], a: Units, b: Units): number {
  if (a.paragraphs < 2 && b.paragraphs < 2) return pairs.length
  const inA = new Set(pairs.map((p) => a.paragraphOf[p.a]))
  const inB = new Set(pairs.map((p) => b.paragraphOf[p.b]))
  return Math.max(inA.size, inB.size)
}

function coverage(units: readonly AnalyzedParagraph[], used: Iterable<number>): number {
  let total = 0
  for (const u of units) total += u.text.length
  let covered = 0
  for (const i of used) covered += (units[i] as AnalyzedParagraph).text.length
  return total === 0 ? 0 : covered / total
}

const pct = (x: number) => `${Math.round(x * 100)}%`

/**
 * Compare two analysed articles and say what one is to the other, with the evidence:
 * Jaccard, containment both ways, the aligned paragraphs, and a reason.
 *
 * @example
 * const c = compare(analyze(apCopy), analyze(afpOriginal))
 * c.relation // 'copy'
 * c.reason   // '97% of "001" is contained in "003" …'
 */
export function compare(x: Analysis, y: Analysis, options: CompareOptions = {}): Comparison {
  const a = okOrThrow(x, 'a')
  const b = okOrThrow(y, 'b')
  if (!sameParams(a.fingerprint.params, b.fingerprint.params)) {
    throw new WiretraceError(
      'PARAMS_MISMATCH',
      `compare: "${a.id}" was analysed with ${describeParams(a.fingerprint.params)} but "${b.id}" with ${describeParams(b.fingerprint.params)}`,
    )
  }
  const t = { ...DEFAULT_THRESHOLDS, ...(options.thresholds ?? {}) }
  for (const [k, v] of Object.entries(t)) checkNumber(`thresholds.${k}`, v, 0, 1)

  const inter = intersectionSize(a.shingles, b.shingles)
  const jaccard = inter / (a.shingles.length + b.shingles.length - inter || 1)
  const aInB = inter / (a.shingles.length || 1)
  const bInA = inter / (b.shingles.length || 1)
  const langA = a.lang
  const langB = b.lang
  const crossLanguage = !!langA && !!langB && langA !== langB

  const useSentences = a.paragraphs.length < 3 || b.paragraphs.length < 3
  const unitsA = useSentences ? sentenceUnits(a) : paragraphUnits(a)
  const unitsB = useSentences ? sentenceUnits(b) : paragraphUnits(b)
  const ua = unitsA.units
  const ub = unitsB.units
  // Across languages, a translation keeps the structure: as many units, in order, with
  // proportional lengths (Gale & Church). When it does, the units align by position.
  const structure = crossLanguage ? lengthStructure(ua, ub) : null
  const aligned = structure?.parallel
    ? ua.map((_, i): AlignedPair => ({ a: i, b: i, match: 'reworded', similarity: round(structure.correlation), moved: false }))
    : alignParagraphs(ua, ub, crossLanguage)
  const covA = coverage(
    ua,
    aligned.map((p) => p.a),
  )
  const covB = coverage(
    ub,
    aligned.map((p) => p.b),
  )

  const aSmaller = a.shingles.length <= b.shingles.length
  const small = aSmaller ? a : b
  const large = aSmaller ? b : a
  const cs = aSmaller ? aInB : bInA

  const anchorInter = intersectionSize(a.fingerprint.anchors, b.fingerprint.anchors)
  const anchorUnion = a.fingerprint.anchors.length + b.fingerprint.anchors.length - anchorInter
  const anchorJaccard = anchorUnion === 0 ? 0 : anchorInter / anchorUnion
  const quotesVerbatim = quoteAgreement(small, large)

  const base = {
    kind: 'comparison' as const,
    a: a.id,
    b: b.id,
    jaccard: round(jaccard),
    containment: { aInB: round(aInB), bInA: round(bInA) },
    coverage: { a: round(covA), b: round(covB) },
    unit: useSentences ? ('sentence' as const) : ('paragraph' as const),
    aligned,
    languages: { ...(langA ? { a: langA } : {}), ...(langB ? { b: langB } : {}) },
    anchorJaccard: round(anchorJaccard),
    quotesVerbatim: quotesVerbatim === null ? null : round(quotesVerbatim),
  }
  const decide = (relation: Relation, reason: string, original?: string): Comparison => ({
    ...base,
    relation,
    reason,
    ...(original ? { original } : {}),
  })

  if (jaccard >= t.duplicate) return decide('duplicate', `near-identical: shingle Jaccard ${pct(jaccard)}`)
  if (structure?.parallel && anchorJaccard >= t.related) {
    return decide(
      'translation',
      `languages differ (${langA}/${langB}); the ${ua.length} ${useSentences ? 'sentences' : 'paragraphs'} correspond one to one with proportional lengths (correlation ${structure.correlation.toFixed(2)}) and ${pct(anchorJaccard)} of numbers and names shared`,
    )
  }
  if (cs >= t.copy) {
    return decide(
      'copy',
      `${pct(cs)} of "${small.id}" is contained in "${large.id}" (Jaccard ${pct(jaccard)}): most of it is taken from it`,
      large.id,
    )
  }
  const unitName = useSentences ? 'sentences' : 'paragraphs'
  // A translation (or a close paraphrase) follows the other text unit by unit, in order, with
  // almost nothing verbatim; a reprint that was edited keeps many units verbatim.
  // Tiny units ("Pay April one") match by template alone: only substantial ones count.
  const substantial = (p: AlignedPair) =>
    (ua[p.a] as AnalyzedParagraph).shingles.length >= 6 && (ub[p.b] as AnalyzedParagraph).shingles.length >= 6
  const inOrder = aligned.filter((p) => !p.moved && substantial(p))
  const verbatim = inOrder.filter((p) => p.match === 'verbatim').length
  if (
    Math.max(covA, covB) >= t.translationCoverage &&
    cs < t.translationMaxContainment &&
    inOrder.length >= (crossLanguage ? 2 : 3) &&
    verbatim <= 0.2 * inOrder.length &&
    (crossLanguage || quotesVerbatim === null || quotesVerbatim < 0.9)
  ) {
    const why = crossLanguage
      ? `languages differ (${langA}/${langB})`
      : `numbers, names and structure agree while the wording differs${quotesVerbatim === null ? '' : `, even in quotes (${pct(quotesVerbatim)} verbatim)`}`
    return decide(
      'translation',
      `${inOrder.length} ${unitName} correspond in order (${verbatim} verbatim), covering ${pct(Math.max(covA, covB))} of one article; ${why}`,
    )
  }
  // Shared wording: by containment, or by at least two paragraphs kept nearly whole.
  const strong = aligned.filter((p) => p.match !== 'reworded' && p.similarity >= 0.6)
  const strongCovSmall = coverage(
    aSmaller ? ua : ub,
    strong.map((p) => (aSmaller ? p.a : p.b)),
  )
  // One shared paragraph is a quote, however short the quoted story: partial needs two. Counted
  // in paragraphs even when the units are sentences, or a quoted paragraph of two sentences
  // (or one sentence and a "REUTER" sign-off) would pass for two.
  const wording = aligned.filter((p) => p.match !== 'reworded')
  const shared = sharedParagraphs(wording, unitsA, unitsB)
  const strongShared = sharedParagraphs(strong, unitsA, unitsB)
  if (shared >= 2 && (cs >= t.partialContainment || (strongShared >= 2 && strongCovSmall >= t.partial))) {
    return decide(
      'partial',
      `${strong.length} ${unitName} shared, ${pct(strongCovSmall)} of "${small.id}" (containment ${pct(cs)}); the rest is its own`,
    )
  }
  if (anchorJaccard >= t.related || aligned.length > 0 || cs >= 0.05) {
    return decide(
      'related',
      `same story, independent text: anchors ${pct(anchorJaccard)} shared, ${aligned.length} ${unitName} loosely aligned, containment ${pct(cs)}`,
    )
  }
  return decide('unrelated', `little in common: containment ${pct(cs)}, anchors ${pct(anchorJaccard)}`)
}

/**
 * Length structure of two unit sequences: with the same number of units (4 or more), the
 * correlation of their log lengths position by position. Translations keep it near 1;
 * unrelated texts that happen to have as many units do not.
 */
function lengthStructure(
  ua: readonly AnalyzedParagraph[],
  ub: readonly AnalyzedParagraph[],
): { parallel: boolean; correlation: number } {
  const n = ua.length
  if (n !== ub.length || n < 4) return { parallel: false, correlation: 0 }
  const x = ua.map((u) => Math.log(u.text.length + 1))
  const y = ub.map((u) => Math.log(u.text.length + 1))
  const mx = x.reduce((s, v) => s + v, 0) / n
  const my = y.reduce((s, v) => s + v, 0) / n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx
    const dy = (y[i] as number) - my
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  const correlation = sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy)
  return { parallel: correlation >= STRUCTURE_CORRELATION, correlation }
}

/** Correlation of unit lengths above which two texts in different languages are parallel. */
export const STRUCTURE_CORRELATION = 0.8

/** Share of `small`'s quoted-speech shingles that occur anywhere in `large`. */
function quoteAgreement(small: AnalysisOk, large: AnalysisOk): number | null {
  let total = 0
  let found = 0
  for (const p of small.paragraphs) {
    total += p.quoteShingles.length
    found += intersectionSize(p.quoteShingles, large.shingles)
  }
  return total === 0 ? null : found / total
}
