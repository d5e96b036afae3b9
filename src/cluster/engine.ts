// The clustering engine: four stages, each written once, that every entry point runs, so that a
// fix or a speed-up in one stage lands in all of them.
//
//   article ─▶ 1 sketch ─▶ 2 candidates ─▶ 3 verify ─▶ 4 cluster ─▶ ClusterResult
//              (fingerprint,  (copy groups,    (screen,      (planClusters /
//               copy keys)     LSH bands,       complete,     buildClusters,
//                              flood leaders,   CopyVerifier, stats with copies,
//                              [screen])        linking,      oversized, leftOut)
//                                               templates)
//
// Drivers feed the stages from different places:
// - memory (cluster.ts: clusterArticles, clusterAnalyses, clusterSketches; the CLI's scan):
//   every sketch in an array, stages 2–4 in one call;
// - file (packed.ts + node/corpus.ts: clusterCorpus): stage 1 on workers into packed tables,
//   stage 2 on the packed sketches (screened on 16-bit values), the sketches let go, then
//   stages 3–4 per connected group of pairs on the workers, and the parts assembled;
// - stream (detector.ts: Detector): stage 2 one article at a time against an LSH index
//   ({@link streamCandidates}), stages 3 and 4 as the batch drivers run them.
// Stages 2's batch search and its flood rules are in candidates.ts, stage 4 in cluster.ts.
import { type Analysis, type AnalysisOk, type Article, analyzeResolved, completeAnalysis } from '../analyze.js'
import { type CompareOptions, type Comparison, LINKING_RELATIONS, RELATIONS, type Relation } from '../compare/compare.js'
import { measureEvidence } from '../compare/evidence.js'
import { REFILL, refills, type SwapFrame, swapFrame, swapShare, tokenSet } from '../compare/frame.js'
import { checkNumber, describeValue, invalid } from '../errors.js'
import { anchorPairCounts, bandKeys, type IndexConfig, type LshIndex } from '../lsh/lsh.js'
import type { Fingerprint } from '../sketch/fingerprint.js'
import { type CandidateSource, type CopyKeys, CopyVerifier, chooseLeader, FLOOD_LEADERS, searchCandidates } from './candidates.js'
import { type ScreenSketch, worthComparing } from './screen.js'

/** Resolved analysis options (resolveAnalyzeOptions). */
type ResolvedOptions = Parameters<typeof analyzeResolved>[1]

// Stage 1: sketch.

/**
 * What every driver keeps of an article until it meets a candidate: the fingerprint alone
 * (analyzeResolved's `sketchOnly`). {@link completeSketch} adds what comparison reads.
 */
export function sketchArticle(article: Article, o: ResolvedOptions): Analysis {
  return analyzeResolved(article, o, true)
}

/** Complete a sketch for comparison, in place (a complete analysis stays as it is). */
export function completeSketch(a: AnalysisOk, o: ResolvedOptions): AnalysisOk {
  return completeAnalysis(a, o)
}

// Stage 2: candidates.

/** What the candidate stage found, and its counts for the result's stats. */
export interface CandidateStage {
  /** Sorted flat [a, b, …], a < b. */
  pairs: Uint32Array
  /** Pairs found, before any screen. */
  candidatePairs: number
  /** Pairs the screen of this stage dropped (0 without `screen`). */
  screenedOut: number
  oversizedBuckets: number
  copies: number
  /** Members of oversized buckets, ascending. */
  flooded: Uint32Array
}

/**
 * Candidate pairs of documents 0…n−1 sorted by id: copy groups, LSH bands and flood leaders
 * (searchCandidates). With `screen`, pairs the screen drops on `src.sketch` are dropped here:
 * the file driver screens its 16-bit sketches so that pass 2 re-reads fewer articles (a
 * superset of the exact screen's pairs, which stage 3 runs again).
 */
export function candidateStage(src: CandidateSource, screen = false): CandidateStage {
  const found = searchCandidates(src)
  const candidatePairs = found.pairs.length / 2
  const pairs = screen ? screenPairs(found.pairs, src.sketch) : found.pairs
  return {
    pairs,
    candidatePairs,
    screenedOut: candidatePairs - pairs.length / 2,
    oversizedBuckets: found.oversizedBuckets,
    copies: found.copies,
    flooded: found.flooded,
  }
}

/** The pairs the screen passes (sorted pairs: the first document's sketch is made once per run). */
function screenPairs(pairs: Uint32Array, sketch: (i: number) => ScreenSketch): Uint32Array {
  const kept = new Uint32Array(pairs.length)
  let k = 0
  let lastA = -1
  let a: ScreenSketch | undefined
  for (let p = 0; p < pairs.length; p += 2) {
    const i = pairs[p] as number
    const j = pairs[p + 1] as number
    if (i !== lastA) {
      a = sketch(i)
      lastA = i
    }
    if (worthComparing(a as ScreenSketch, sketch(j))) {
      kept[k++] = i
      kept[k++] = j
    }
  }
  return kept.slice(0, k)
}

/** The candidate source of fingerprints in memory (analyses sorted by id). */
export function fingerprintSource(
  n: number,
  fp: (i: number) => Fingerprint,
  copy: (i: number) => CopyKeys,
  config: IndexConfig,
  maxBucket: number,
): CandidateSource {
  return {
    n,
    copyKeys: copy,
    wordingKeys: (i) => bandKeys(fp(i), config, 'wording'),
    anchorKeys: (i) => bandKeys(fp(i), config, 'anchor'),
    lang: (i) => fp(i).lang ?? '',
    sketch: fp,
    maxBucket,
  }
}

/**
 * Stage 2 for one article of a stream, against the articles indexed before it: the ids sharing
 * a wording band, or an anchor band across languages (the batch search's rules), sorted; and,
 * for each oversized bucket met, its first {@link FLOOD_LEADERS} members that count (the
 * leaders the article may pair with, see `Detector`). `known` gives the indexed fingerprints.
 */
export function streamCandidates(
  index: LshIndex,
  fp: Fingerprint,
  maxBucket: number,
  known: (id: string) => Fingerprint | undefined,
): { ids: string[]; floods: string[][] } {
  const wording = index.queryFloods(fp, maxBucket, 'wording')
  const anchor = index.queryFloods(fp, maxBucket, 'anchor')
  const counts = (id: string) => {
    const other = known(id)
    return !!other && anchorPairCounts(fp, other)
  }
  const ids = new Set(wording.ids)
  for (const id of anchor.ids) if (counts(id)) ids.add(id)
  const leading = (b: readonly string[], keep: (id: string) => boolean) => {
    const out: string[] = []
    for (let i = 0; i < b.length && out.length < FLOOD_LEADERS; i++) {
      const id = b[i] as string
      if (id !== fp.id && keep(id)) out.push(id)
    }
    return out
  }
  const floods = [
    ...wording.floods.map((b) => leading(b, (id) => known(id) !== undefined)),
    ...anchor.floods.map((b) => leading(b, counts)),
  ]
  return { ids: [...ids].sort(), floods }
}

/**
 * The leaders a stream article tries in its oversized buckets, in order: each bucket's leaders
 * (as {@link streamCandidates} kept them) by their place in it, then the one chooseLeader picks
 * (the earliest of the most similar the screen passes), then the next, skipping `tried` (the
 * article's plain candidates, verified already). The caller verifies them in turn until one links.
 */
export function* floodLeaders(
  fp: ScreenSketch,
  floods: readonly (readonly string[])[],
  tried: ReadonlySet<string>,
  sketchOf: (id: string) => ScreenSketch,
): Generator<string> {
  const place = new Map<string, number>()
  for (const bucket of floods) {
    bucket.forEach((id, i) => {
      place.set(id, Math.min(place.get(id) ?? i, i))
    })
  }
  const leaders = [...place.keys()].sort((x, y) => (place.get(x) as number) - (place.get(y) as number) || (x < y ? -1 : 1))
  const sketches = leaders.map(sketchOf)
  const done = new Set<number>()
  for (;;) {
    const k = chooseLeader(fp, sketches, (k) => done.has(k) || tried.has(leaders[k] as string))
    if (k < 0) return
    yield leaders[k] as string
    done.add(k)
  }
}

// Stage 3: verify.

/** A floor on link confidence per linking relation (those not named: 0). */
export type LinkFloors = Partial<Record<Relation, number>>

/**
 * The default floors on a link's confidence: a verdict of any linking relation but `translation`
 * links at 0.7 or more. On a whole scan most candidate pairs are different stories, and the weak
 * verdicts among them are mostly reports cut from one template, sent on another day or sharing
 * background (in the Reuters hand checks, under 0.7: 6 of 29 `partial` and `rewrite` links right,
 * 10 of 37 `duplicate` and `copy` links; at 0.7 or more, 43 of 55 `partial` and `rewrite`). A
 * translation has no verbatim text to be sure of, so its confidence stays lower (seed 002: 0.58),
 * and is not floored.
 */
export const DEFAULT_MIN_CONFIDENCE: Readonly<LinkFloors> = Object.freeze({
  duplicate: 0.7,
  copy: 0.7,
  partial: 0.7,
  rewrite: 0.7,
})

/**
 * The `minConfidence` option, checked, as a floor per linking relation: a number floors them
 * all; an object floors the relations it names and leaves the others at their default.
 */
export function resolveMinConfidence(options: { minConfidence?: number | LinkFloors }): Record<Relation, number> {
  const given = options.minConfidence
  const floors = Object.fromEntries(RELATIONS.map((r) => [r, DEFAULT_MIN_CONFIDENCE[r] ?? 0])) as Record<Relation, number>
  if (given === undefined) return floors
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    const all = checkNumber('minConfidence', given, 0, 1)
    for (const r of RELATIONS) floors[r] = all
    return floors
  }
  for (const [r, v] of Object.entries(given)) {
    if (!LINKING_RELATIONS.includes(r as Relation))
      throw invalid(`minConfidence: ${describeValue(r)} is not a linking relation (${LINKING_RELATIONS.join(', ')})`)
    floors[r as Relation] = checkNumber(`minConfidence.${r}`, v, 0, 1)
  }
  return floors
}

/**
 * Stage 3: a candidate pair is screened on its fingerprints, its two articles completed (when
 * `complete` is given: drivers that hold sketches), then compared with the lower id first, as
 * the batch drivers' index order has it; a linking comparison at least as confident as its
 * relation's floor (`minConfidence`) is a link. Copies of one text compare once (CopyVerifier).
 * Then, with `splitTemplates`, a link whose frame a third article fills anew is dropped
 * (verifyPairs; the stream driver with {@link PairVerifier.frameOf} and {@link refilledBy}).
 * Counts what it screened out and what it dropped as templates.
 */
export class PairVerifier {
  screenedOut = 0
  /** Pairs screened or compared. */
  verified = 0
  /** Links dropped because a third article fills their frame anew (see {@link frameOf}). */
  templates = 0
  private readonly copies: CopyVerifier
  private readonly completed = new WeakSet<AnalysisOk>()

  private readonly floors: Record<Relation, number>
  /** Whether links of reports cut from one template are dropped (the option `splitTemplates`). */
  readonly splitTemplates: boolean

  constructor(
    options: CompareOptions & { minConfidence?: number | LinkFloors; splitTemplates?: boolean },
    private readonly complete?: (a: AnalysisOk) => void,
  ) {
    this.copies = new CopyVerifier(options)
    this.floors = resolveMinConfidence(options)
    this.splitTemplates = resolveSplitTemplates(options)
  }

  /**
   * The pair's comparison when the screen passes it and it links; undefined otherwise. The
   * template check is not made here: it needs the articles the pair's sides met (verifyPairs).
   */
  verify(a: AnalysisOk, b: AnalysisOk): Comparison | undefined {
    this.verified++
    if (!worthComparing(a.fingerprint, b.fingerprint)) {
      this.screenedOut++
      return undefined
    }
    const { comparison: c, evidence } = a.id < b.id ? this.measured(a, b) : this.measured(b, a)
    if (!LINKING_RELATIONS.includes(c.relation) || c.confidence < this.floors[c.relation]) return undefined
    // Now, while the evidence's views are valid (they may be memory the next comparison reuses).
    if (evidence && this.checks(c)) this.frames.set(c, swapFrame(evidence) ?? null)
    return c
  }

  /** The frames of the links `verify` made, taken from the evidence it measured (null: none). */
  private readonly frames = new WeakMap<Comparison, SwapFrame | null>()

  /** Whether a link is one the template check looks at: within one language, and swapping values. */
  private checks(c: Comparison): boolean {
    // A prefilter: the evidence counts swaps per aligned sentence too (rounded, and in a loosely
    // reworded sentence without the words only capitalised as its opener), and a link it sees
    // none in is not checked.
    return this.splitTemplates && !c.crossLanguage && (c.evidence.a.specificsSwapped > 0 || c.evidence.b.specificsSwapped > 0)
  }

  /**
   * Analyses that verifyPairs compares once only. compare caches its working views (tokens, gram
   * index, bigrams: tens of KB) for as long as the analysis object lives, which is to the end of
   * the run; these are compared through a shallow copy instead, so the views die young. A flood's
   * 10,000 reprints each meet their leader once: 240 MB less held, and less time in GC.
   */
  private once: ReadonlySet<AnalysisOk> = new Set()

  /** Compare `a` with `b`, in that order, without the screen (a cluster member with its reference, say). */
  compare(a: AnalysisOk, b: AnalysisOk): Comparison {
    return this.measured(a, b).comparison
  }

  /** {@link compare}, with the evidence measured (CopyVerifier.measured). */
  private measured(a: AnalysisOk, b: AnalysisOk): ReturnType<CopyVerifier['measured']> {
    this.completeOnce(a)
    this.completeOnce(b)
    return this.copies.measured(this.handle(a), this.handle(b))
  }

  /** The analysis itself, or for one compared once, a copy that compare's caches cannot outlive. */
  private handle(a: AnalysisOk): AnalysisOk {
    return this.once.has(a) ? { ...a } : a
  }

  /** Completing is idempotent but not free (a paragraph memo may have let the sets go). */
  private completeOnce(a: AnalysisOk): void {
    if (!this.complete || this.completed.has(a)) return
    this.complete(a)
    this.completed.add(a)
  }

  /**
   * The template check (`splitTemplates`): a link of `a` and `b` (their comparison `c`) joins two
   * reports cut from one template when some other article the pair was compared with holds the
   * frame the two share in their aligned sentences and fills its slots with figures and names of
   * its own ({@link refilledBy}). A copy's or a rewrite's frame is the story, and a third outlet's
   * copy of it keeps the story's values; a bond notice for a third issuer, or the weekly figures
   * of a third week, does not. This is the frame to check the third articles against: checked
   * only within one language, where the pair swaps figures or names and the swaps are at least a
   * tenth of the frame (REFILL.swapShare); undefined otherwise.
   */
  frameOf(a: AnalysisOk, b: AnalysisOk, c: Comparison): SwapFrame | undefined {
    if (!this.checks(c)) return undefined
    let frame = this.frames.get(c)
    if (frame === undefined) {
      // A link verify did not make (or a copy's reused comparison): measured again, on copies,
      // since the pair's views are not kept (see `handle`).
      const [x, y] = a.id < b.id ? [a, b] : [b, a]
      frame = swapFrame(measureEvidence({ ...x }, { ...y }, false)) ?? null
      this.frames.set(c, frame)
    }
    return frame && swapShare(frame) >= REFILL.swapShare ? frame : undefined
  }

  /** Verify flat pairs [a, b, …] of indices into `analyses`; the links, in pair order. */
  verifyPairs(
    analyses: readonly AnalysisOk[],
    pairs: Uint32Array,
    onProgress?: (done: number, total: number) => void,
  ): Comparison[] {
    const out: Comparison[] = []
    const at: number[] = []
    // The articles each was compared with (passed the screen): the template check's third articles.
    const compared = new Map<number, number[]>()
    const meet = (i: number, j: number) => {
      const l = compared.get(i)
      if (l) l.push(j)
      else compared.set(i, [j])
    }
    this.once = comparedOnce(analyses, pairs)
    try {
      for (let i = 0; i < pairs.length; i += 2) {
        if (onProgress && i % 128 === 0) onProgress(i / 2, pairs.length / 2)
        const p = pairs[i] as number
        const q = pairs[i + 1] as number
        const screened = this.screenedOut
        const c = this.verify(analyses[p] as AnalysisOk, analyses[q] as AnalysisOk)
        if (this.splitTemplates && this.screenedOut === screened) {
          meet(p, q)
          meet(q, p)
        }
        if (c) {
          out.push(c)
          at.push(i)
        }
      }
      onProgress?.(pairs.length / 2, pairs.length / 2)
    } finally {
      // A throw (bad input in a callback) must not leave the analyses held until the next call.
      this.once = new Set()
    }
    if (!this.splitTemplates) return out
    const tokens: TokenSets = new Map()
    const kept: Comparison[] = []
    const of = (n: number) => analyses[n] as AnalysisOk
    for (let k = 0; k < out.length; k++) {
      const p = pairs[at[k] as number] as number
      const q = pairs[(at[k] as number) + 1] as number
      const [x, y] = [analyses[p] as AnalysisOk, analyses[q] as AnalysisOk]
      const frame = this.frameOf(x, y, out[k] as Comparison)
      if (frame && refilledBy(frame, x, y, [compared.get(p) ?? [], compared.get(q) ?? []], of, tokens)) this.templates++
      else kept.push(out[k] as Comparison)
    }
    return kept
  }
}

/** Distinct tokens of the template check's third articles, made once per run. */
export type TokenSets = Map<AnalysisOk, Uint32Array>

/**
 * Whether a third article fills the pair's frame anew: one of the first REFILL.thirds that each
 * side met (`met`: the two lists, in the order met; `of` gives the analysis of an entry), other
 * than `a` and `b`.
 */
export function refilledBy<K>(
  frame: SwapFrame,
  a: AnalysisOk,
  b: AnalysisOk,
  met: readonly Iterable<K>[],
  of: (k: K) => AnalysisOk | undefined,
  tokens: TokenSets,
): boolean {
  for (const list of met) {
    let looked = 0
    for (const k of list) {
      if (looked >= REFILL.thirds) break
      const o = of(k)
      if (!o || o === a || o === b) continue
      looked++
      let t = tokens.get(o)
      if (!t) tokens.set(o, (t = tokenSet(o)))
      if (refills(frame, t)) return true
    }
  }
  return false
}

/** The `splitTemplates` option, checked. */
export function resolveSplitTemplates(options: { splitTemplates?: boolean }): boolean {
  const v = options.splitTemplates
  if (v === undefined) return true
  if (typeof v !== 'boolean') throw invalid(`splitTemplates must be a boolean, got ${describeValue(v)}`)
  return v
}

/** The analyses that appear in exactly one of the flat pairs [a, b, …]. */
export function comparedOnce(analyses: readonly AnalysisOk[], pairs: Uint32Array): Set<AnalysisOk> {
  const seen = new Uint8Array(analyses.length)
  for (let i = 0; i < pairs.length; i++) {
    const k = pairs[i] as number
    if ((seen[k] as number) < 2) seen[k] = (seen[k] as number) + 1
  }
  const out = new Set<AnalysisOk>()
  for (let k = 0; k < analyses.length; k++) if (seen[k] === 1) out.add(analyses[k] as AnalysisOk)
  return out
}
