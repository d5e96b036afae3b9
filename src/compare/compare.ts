import type { Analysis, AnalysisOk } from '../analyze.js'
import { parsePublishedAt } from '../date.js'
import { describeValue, invalid, WiretraceError } from '../errors.js'
import { describeParams, sameParams } from '../sketch/fingerprint.js'
import { CONFIDENT } from '../text/lang.js'
import { round } from './align.js'
import { DEFAULT_MODEL } from './default-model.js'
import { type Evidence, measureEvidence, type PairEvidence } from './evidence.js'
import { type DerivationModel, decideExtent, type Extent, featureVector, loadModel, predict } from './model.js'
import { type Passage, passagesOf } from './passages.js'
import type { Relation } from './relations.js'
import type { TextView } from './view.js'

export { LINKING_RELATIONS, RELATIONS, type Relation } from './relations.js'

/** How the derived text was made from the other: kept word for word, reworded in the same language, or put into another. */
export type Mode = 'verbatim' | 'reworded' | 'translated'

/** Options for {@link compare}. */
export interface CompareOptions {
  /**
   * The derivation model that weighs the evidence: the shipped one, or one fitted to a newsroom's
   * own labels with `calibrate`. @default DEFAULT_MODEL
   */
  model?: DerivationModel
}

/** The explainable result of comparing two articles. */
export interface Comparison {
  kind: 'comparison'
  a: string
  b: string
  relation: Relation
  /** Why, in words, with the figures that decided it. */
  reason: string
  /** For a derivation: the id of the article the other derives from. */
  original?: string
  /** How much of the derived article (`original`'s other side) derives from the original: none of it, a part, or the whole. */
  extent: Extent
  /** With a derivation: how it was made. */
  mode?: Mode
  /**
   * The model's probability for the verdict's side of the link decision: that the derived article
   * derives from the original (linking relations), or that neither derives from the other.
   */
  confidence: number
  /** The model's probability of each extent, for the side judged derived. */
  probabilities: Record<Extent, number>
  /** Share of each article's tokens in derived passages. */
  derived: { a: number; b: number }
  /** The derived passages, as character spans of both texts, in `a`'s order. */
  passages: Passage[]
  /** The evidence the model weighed, measured from each side. */
  evidence: { a: Evidence; b: Evidence }
  jaccard: number
  containment: { aInB: number; bInA: number }
  languages: { a?: string; b?: string }
  /** Both languages identified with confidence, and different. */
  crossLanguage: boolean
  /** Jaccard similarity of the two articles' anchor sets (numbers, names). */
  anchorJaccard: number
  /** Share of quoted speech (of the side that quotes less) found verbatim in the other; null unless both quote. */
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

/** Both languages known with confidence, and different. */
export function languagesDiffer(a: AnalysisOk, b: AnalysisOk): boolean {
  return !!a.lang && !!b.lang && a.lang !== b.lang && (a.langConfidence ?? 1) >= CONFIDENT && (b.langConfidence ?? 1) >= CONFIDENT
}

const pct = (x: number) => `${Math.round(x * 100)}%`

/** Each side's language, a's key first, absent keys left out (no object spread per comparison). */
function languagesOf(a: AnalysisOk, b: AnalysisOk): { a?: string; b?: string } {
  const out: { a?: string; b?: string } = {}
  if (a.lang) out.a = a.lang
  if (b.lang) out.b = b.lang
  return out
}

/** A model given as an option, checked once per object. */
const checkedModels = new WeakSet<object>()

export function resolveModel(model: unknown, where = 'model'): DerivationModel {
  if (model === undefined) return DEFAULT_MODEL
  if (model === null || typeof model !== 'object')
    throw invalid(`${where} must be a model object (see calibrate), got ${describeValue(model)}`)
  if (!checkedModels.has(model)) {
    loadModel(model)
    checkedModels.add(model)
  }
  return model as DerivationModel
}

/** Shares of quoted and unquoted tokens at which a reworded same-language text counts as translated (see DESIGN.md). */
const BACK_TRANSLATION = { quotesVerbatim: 0.6, verbatim: 0.3 }
/** A derived text this much verbatim (outside and inside quotes) was copied, not reworded. */
const VERBATIM_MODE = 0.5
/** Shingle Jaccard of a verbatim whole-text derivation at or above which the two are duplicates. */
const DUPLICATE_JACCARD = 0.85

/**
 * Compare two analysed articles and say what one is to the other, with the evidence.
 *
 * The evidence (shared words and word pairs, verbatim runs in and out of quotes, sentences
 * aligned in order, names and figures kept or swapped, lengths, languages) is measured from both
 * sides; a small logistic model turns it into the probability that one article derives from the
 * other, wholly or in part. The side with more of it derived (the later one, when both are
 * dated) is judged; how it was made (verbatim, reworded, translated) names the relation.
 *
 * @example
 * const c = compare(analyze(appCopy), analyze(afpOriginal))
 * c.relation   // 'copy'
 * c.original   // 'afp'
 * c.confidence // 0.99
 */
export function compare(x: Analysis, y: Analysis, options: CompareOptions = {}): Comparison {
  return compareMeasured(x, y, options).comparison
}

/**
 * {@link compare}, with the evidence it weighed. The evidence's views may live in memory reused
 * by the next comparison (see pairView): read them before comparing again.
 */
export function compareMeasured(
  x: Analysis,
  y: Analysis,
  options: CompareOptions = {},
): { comparison: Comparison; evidence: PairEvidence } {
  const a = okOrThrow(x, 'a')
  const b = okOrThrow(y, 'b')
  if (!sameParams(a.fingerprint.params, b.fingerprint.params)) {
    throw new WiretraceError(
      'PARAMS_MISMATCH',
      `compare: "${a.id}" was analysed with ${describeParams(a.fingerprint.params)} but "${b.id}" with ${describeParams(b.fingerprint.params)}`,
    )
  }
  const model = resolveModel(options.model, 'compare: options.model')
  const { ev, pa, pb, aDerived } = judgePair(a, b, model)
  const crossLanguage = ev.crossLanguage
  const p = aDerived ? pa : pb
  const e = aDerived ? ev.a : ev.b
  const derivedId = aDerived ? a.id : b.id
  const originalId = aDerived ? b.id : a.id

  const extent = decideExtent(p, model.threshold)
  const passages = passagesOf(ev, crossLanguage)
  const share = (side: 'a' | 'b') => passageShare(passages, ev, side)

  const inter = ev.sharedShingles
  const jaccard = inter / (a.shingles.length + b.shingles.length - inter || 1)
  const aInB = inter / (a.shingles.length || 1)
  const bInA = inter / (b.shingles.length || 1)
  const anchorInter = ev.sharedAnchors
  const anchorUnion = a.fingerprint.anchors.length + b.fingerprint.anchors.length - anchorInter
  const anchorJaccard = anchorUnion === 0 ? 0 : anchorInter / anchorUnion

  const mode = extent === 'none' ? undefined : modeOf(extent, e, ev, passages, aDerived ? 'a' : 'b')
  const sharedAnchors = anchorInter
  let relation: Relation
  if (extent === 'none') relation = isRelated(sharedAnchors, anchorJaccard, ev) ? 'related' : 'unrelated'
  else if (extent === 'part') relation = 'partial'
  else if (mode === 'translated') relation = 'translation'
  else if (mode === 'reworded') relation = 'rewrite'
  else relation = jaccard >= DUPLICATE_JACCARD ? 'duplicate' : 'copy'

  const confidence = extent === 'none' ? p.none : 1 - p.none
  // Key by key, in the keys' order (no array of entries per object: two evidence objects a comparison).
  const rounded = <T extends object>(o: T): T => {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(o)) {
      const v = (o as Record<string, unknown>)[k]
      out[k] = typeof v === 'number' ? round(v) : v
    }
    return out as T
  }
  const comparison: Comparison = {
    kind: 'comparison',
    a: a.id,
    b: b.id,
    relation,
    // The reason states the confidence the record carries (rounded), so the two never disagree by a point.
    reason: reasonFor(relation, {
      derivedId,
      originalId,
      e,
      p,
      ev,
      jaccard,
      anchorJaccard,
      sharedAnchors,
      confidence: round(confidence),
      a,
      b,
    }),
    ...(extent !== 'none' && relation !== 'duplicate' ? { original: originalId } : {}),
    extent,
    ...(mode ? { mode } : {}),
    confidence: round(confidence),
    probabilities: rounded(p),
    derived: { a: round(share('a')), b: round(share('b')) },
    passages,
    evidence: { a: rounded(ev.a), b: rounded(ev.b) },
    jaccard: round(jaccard),
    containment: { aInB: round(aInB), bInA: round(bInA) },
    languages: languagesOf(a, b),
    crossLanguage,
    anchorJaccard: round(anchorJaccard),
    quotesVerbatim: ev.quotesVerbatim === null ? null : round(ev.quotesVerbatim),
  }
  return { comparison, evidence: ev }
}

/** Content words (weighted by rarity) two reports of one event share, within one language, at the least. */
const RELATED_TOPIC = 0.15

/**
 * Two texts judged independent report the same story when they share names and figures (three
 * or more, a tenth of their anchors) and, within one language, their topic: the country and the
 * weekday of two unrelated stories from one place on one day are anchors too. Measured on the
 * development sets: 101 of COUNTER's 103 non-derived pairs called related keep the label, and 5
 * of the 7 (of 800) random pairs of different stories called related lose it.
 */
function isRelated(sharedAnchors: number, anchorJaccard: number, ev: PairEvidence): boolean {
  if (sharedAnchors < 3 || anchorJaccard < 0.1) return false
  return ev.crossLanguage || topicShare(ev) >= RELATED_TOPIC
}

/** The larger of the two sides' shares of content words (weighted by rarity) found in the other text. */
function topicShare(ev: PairEvidence): number {
  return Math.max(ev.a.contentUnigrams, ev.b.contentUnigrams)
}

/**
 * The evidence of a pair, each side's extent probabilities, and which side is judged derived.
 * `ev`, the pair's evidence as another call measured it, spares measuring it again to judge the
 * pair with a second model (the evidence does not depend on the model).
 */
export function judgePair(
  a: AnalysisOk,
  b: AnalysisOk,
  model: DerivationModel,
  ev: PairEvidence = measureEvidence(a, b, languagesDiffer(a, b)),
): { ev: PairEvidence; pa: Record<Extent, number>; pb: Record<Extent, number>; aDerived: boolean } {
  const pa = probabilities(model, ev.a, ev)
  const pb = probabilities(model, ev.b, ev)
  return { ev, pa, pb, aDerived: derivedSide(a, b, pa, pb) }
}

function probabilities(model: DerivationModel, e: Evidence, ev: PairEvidence): Record<Extent, number> {
  return predict(model, featureVector(model, e, ev))
}

/**
 * Which side to judge as derived: the other side of a marked wire source; else the later of two
 * dated articles; else the side with more of it derived by the model's odds (whole counting one,
 * a part one half): a truncated reprint is wholly derived, its original only in part. Whether a
 * side derives at all is near certain for both sides of a reprint and says nothing of direction.
 */
function derivedSide(a: AnalysisOk, b: AnalysisOk, pa: Record<Extent, number>, pb: Record<Extent, number>): boolean {
  if (a.article.isReference !== b.article.isReference) return !a.article.isReference
  const ta = a.article.publishedAt ? parsePublishedAt(a.article.publishedAt) : Number.NaN
  const tb = b.article.publishedAt ? parsePublishedAt(b.article.publishedAt) : Number.NaN
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta > tb
  const ea = pa.whole + pa.part / 2
  const eb = pb.whole + pb.part / 2
  if (ea !== eb) return ea > eb
  return pa.none <= pb.none
}

/**
 * How the derived side was made. Across languages: translated. Wholly derived: verbatim when
 * half its tokens are in verbatim runs; else translated when even its quotes are reworded and
 * little else is verbatim (a journalist who rewrites keeps the quotes; a translation, even back
 * into the same language, does not: seed 002); else reworded. Partly derived: verbatim when most
 * of the derived passages are verbatim, else reworded.
 */
function modeOf(extent: Extent, e: Evidence, ev: PairEvidence, passages: readonly Passage[], side: 'a' | 'b'): Mode {
  if (ev.crossLanguage) return 'translated'
  if (extent === 'part') {
    let verbatim = 0
    let all = 0
    for (const p of passages) {
      const t = side === 'a' ? p.tokens.a : p.tokens.b
      all += t
      if (p.mode === 'verbatim') verbatim += t
    }
    return all > 0 && verbatim * 2 >= all ? 'verbatim' : 'reworded'
  }
  if (e.verbatim + e.verbatimQuoted >= VERBATIM_MODE) return 'verbatim'
  if (
    ev.quotesVerbatim !== null &&
    ev.quotesVerbatim < BACK_TRANSLATION.quotesVerbatim &&
    e.verbatim < BACK_TRANSLATION.verbatim &&
    quotesCorrespond(ev)
  ) {
    return 'translated'
  }
  return 'reworded'
}

/**
 * Whether the quotes of the two texts are the same quotes: at least half the quoting sentences
 * of the side that quotes in fewer sentences are aligned with a quoting sentence of the other.
 * Reworded quotes say a back-translation; quotes that share nothing are other quotes, and two
 * stories with different quotes are no translation of each other.
 */
function quotesCorrespond(ev: PairEvidence): boolean {
  const quoting = (v: TextView) => {
    const out = new Set<number>()
    for (let i = 0; i < v.quoted.length; i++) if (v.quoted[i]) out.add(v.sentenceOf[i] as number)
    return out
  }
  const qa = quoting(ev.views.a)
  const qb = quoting(ev.views.b)
  let both = 0
  for (const p of ev.sentencesA) if (qa.has(p.a) && qb.has(p.b)) both++
  return both > 0 && both * 2 >= Math.min(qa.size, qb.size)
}

function passageShare(passages: readonly Passage[], ev: PairEvidence, side: 'a' | 'b'): number {
  const v = side === 'a' ? ev.views.a : ev.views.b
  if (v.tokens.length === 0) return 0
  let covered = 0
  for (const p of passages) covered += side === 'a' ? p.tokens.a : p.tokens.b
  return Math.min(1, covered / v.tokens.length)
}

interface ReasonFacts {
  derivedId: string
  originalId: string
  e: Evidence
  p: Record<Extent, number>
  ev: PairEvidence
  jaccard: number
  anchorJaccard: number
  sharedAnchors: number
  confidence: number
  a: AnalysisOk
  b: AnalysisOk
}

function reasonFor(relation: Relation, f: ReasonFacts): string {
  const d = `"${f.derivedId}"`
  const o = `"${f.originalId}"`
  // Verbatim runs count outside quotes (a shared quote is what independent reports have in
  // common); quotes taken word for word are said apart, or a whole reprint of a text full of
  // quotes would read as "79 % verbatim".
  const quoted = f.e.verbatimQuoted >= 0.05 ? `, ${pct(f.e.verbatimQuoted)} more in quotes shared word for word` : ''
  const verb = `${pct(f.e.verbatim)} of its words in verbatim runs (longest ${f.e.longestRun})${quoted}`
  const sent = `${pct(f.e.aligned)} in sentences that follow those of ${o} in order`
  const sure = `confidence ${pct(f.confidence)}`
  switch (relation) {
    case 'duplicate':
      return `near-identical: shingle Jaccard ${pct(f.jaccard)}, ${verb}; ${sure}`
    case 'copy':
      return `${d} is taken from ${o}: ${verb}, ${sent}; ${sure}`
    case 'rewrite':
      return `${d} rewrites ${o} in its own words: ${sent}, ${pct(f.e.anchors)} of its names and figures kept, ${verb}; ${sure}`
    case 'translation':
      return f.ev.crossLanguage
        ? `languages differ (${f.a.lang}/${f.b.lang}); ${sent}, ${pct(f.e.anchors)} of names and figures shared; ${sure}`
        : `${d} follows ${o} sentence by sentence and rewords even the quotes (${pct(f.ev.quotesVerbatim ?? 0)} verbatim), as a translation does; ${sure}`
    case 'partial':
      return `part of ${d} derives from ${o}: ${verb}, ${sent}; the rest is its own; ${sure}`
    default: {
      // related or unrelated: independent texts, unless much of their wording is shared.
      const facts = otherFacts(f)
      if (facts) return `same wording, other facts: ${verb}, but ${facts}; ${sure}`
      return relation === 'related'
        ? `same story, independent text: ${f.sharedAnchors} names and figures shared (anchor Jaccard ${pct(f.anchorJaccard)}), ${verb}; ${sure}`
        : `little in common: ${verb}, ${pct(topicShare(f.ev))} of content words and ${pct(f.anchorJaccard)} of names and figures shared; ${sure}`
    }
  }
}

/** Verbatim share from which a pair judged independent is said to share its wording. */
const SAME_WORDING = 0.3

/**
 * What keeps apart two texts that share much of their wording (two notices cut from one frame,
 * one report sent again for another day): the names, figures and dates that differ, as the
 * evidence measured them. Undefined when the wording shared is little or no such difference was
 * measured: the reason then says what the texts share, as before.
 */
function otherFacts(f: ReasonFacts): string | undefined {
  const e = f.e
  if (e.verbatim < SAME_WORDING) return undefined
  const o = `"${f.originalId}"`
  const out: string[] = []
  if (e.specificsSwapped >= 0.1) out.push(`${pct(e.specificsSwapped)} of the names and figures in its aligned sentences swapped`)
  if (e.namesMissing >= 0.2) out.push(`${pct(e.namesMissing)} of its names there absent from ${o}`)
  if (e.figures >= 0.05 && e.figuresKept < 0.5) out.push(`only ${pct(e.figuresKept)} of its figures in ${o}`)
  if (f.ev.daysApart !== null && f.ev.daysApart >= 1) out.push(`published ${days(f.ev.daysApart)} apart`)
  return out.length > 0 ? out.join(', ') : undefined
}

function days(d: number): string {
  const n = Math.round(d)
  return n === 1 ? '1 day' : `${n} days`
}
