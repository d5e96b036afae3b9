import { argArray, argOptions, describeValue, invalid, WiretraceError } from '../errors.js'
import type { Evidence, PairEvidence } from './evidence.js'

/** How much of an article derives from another: none of it, a part, or (nearly) the whole. */
export type Extent = 'none' | 'part' | 'whole'
export const EXTENTS: readonly Extent[] = ['none', 'part', 'whole']

/** The share of a side's tokens that are figures, beyond a tenth: prose carries a few figures, a table or a notice mostly figures. */
const figuresBeyondTenth = (e: Evidence) => Math.max(0, e.figures - 0.1)

/**
 * The features a model can weigh, each computed from the evidence of one side of a pair (the side
 * whose derivation is judged). Shares are in [0, 1]; the rest are noted.
 */
export const FEATURES = {
  unigrams: (e: Evidence) => e.unigrams,
  contentUnigrams: (e: Evidence) => e.contentUnigrams,
  contentBigrams: (e: Evidence) => e.contentBigrams,
  trigrams: (e: Evidence) => e.trigrams,
  verbatim: (e: Evidence) => e.verbatim,
  verbatimQuoted: (e: Evidence) => e.verbatimQuoted,
  verbatimPassages: (e: Evidence) => e.verbatimPassages,
  closeSentences: (e: Evidence) => e.closeSentences,
  /** log(1 + tokens) of the longest verbatim run outside quotes. */
  longestRun: (e: Evidence) => Math.log1p(e.longestRun),
  aligned: (e: Evidence) => e.aligned,
  covered: (e: Evidence) => e.covered,
  order: (e: Evidence) => e.order,
  anchors: (e: Evidence) => e.anchors,
  numbersSwapped: (e: Evidence) => e.numbersSwapped,
  /**
   * Figures swapped, weighed by the share of the text beyond a tenth that is figures (see
   * {@link Evidence.figures}): prose carries a few figures, a table or a results notice mostly
   * figures. Within one language: languages write decimals and thousands apart ("1,5", "3.500").
   */
  'numbersSwapped*figures': (e: Evidence, p: PairEvidence) => (p.crossLanguage ? 0 : e.numbersSwapped * figuresBeyondTenth(e)),
  specificsSwapped: (e: Evidence) => e.specificsSwapped,
  /** Figures the other text lacks, weighed by the share of the text beyond a tenth that is figures, within one language (see {@link Evidence.figuresKept}). */
  'figuresMissing*figures': (e: Evidence, p: PairEvidence) => (p.crossLanguage ? 0 : (1 - e.figuresKept) * figuresBeyondTenth(e)),
  /** Names missing, weighed by the share of close sentences: the earlier form of the next, kept so that models fitted with it load. */
  'namesMissing*closeSentences': (e: Evidence, p: PairEvidence) => (p.crossLanguage ? 0 : e.namesMissing * e.closeSentences),
  /**
   * Names missing, weighed by the share of the text in aligned sentences: a frame followed
   * sentence for sentence around other names is a template filled in anew, whether or not its
   * sentences stay close. Alone, a missing name says little (a rewrite may drop one; a text in a
   * script without case has none). Within one language only: German capitalises every noun, and
   * another script spells a name otherwise.
   */
  'namesMissing*covered': (e: Evidence, p: PairEvidence) => (p.crossLanguage ? 0 : e.namesMissing * e.covered),
  /** log(1 + tokens) of the side judged. */
  tokens: (e: Evidence) => Math.log1p(e.tokens),
  lengthRatio: (e: Evidence) => e.lengthRatio,
  otherUsed: (e: Evidence) => e.otherUsed,
  // Hinges (the part of a share above a knot) let the weight of a share grow past the knot: a
  // piecewise-linear shape per feature, still additive and readable.
  'anchors>0.25': (e: Evidence) => Math.max(0, e.anchors - 0.25),
  'aligned>0.5': (e: Evidence) => Math.max(0, e.aligned - 0.5),
  'contentBigrams>0.25': (e: Evidence) => Math.max(0, e.contentBigrams - 0.25),
  'otherUsed>0.25': (e: Evidence) => Math.max(0, e.otherUsed - 0.25),
  /** Swaps past a few: a template filled in anew, not a copy with a figure corrected. */
  'specificsSwapped>0.25': (e: Evidence) => Math.max(0, e.specificsSwapped - 0.25),
  'numbersSwapped>0.25': (e: Evidence) => Math.max(0, e.numbersSwapped - 0.25),
  /** log(1 + tokens) of the longest run beyond 20 tokens: a passage, not a phrase. */
  'longestRun>20': (e: Evidence) => Math.log1p(Math.max(0, e.longestRun - 20)),
  /** log(1 + days) between two dated articles (0 otherwise): a copy follows its wire story within days; a template sent again a week later is another event. */
  daysApart: (_e: Evidence, p: PairEvidence) => (p.daysApart === null ? 0 : Math.log1p(p.daysApart)),
  /** log(1 + days) beyond the first: a reprint runs the day of its wire story or the next (every derived pair dated in the development data does); two days later it is a new report. The earlier form of `daysApart>1*verbatim`, kept so that models fitted with it load. */
  'daysApart>1': (_e: Evidence, p: PairEvidence) =>
    p.daysApart === null ? 0 : Math.max(0, Math.log1p(p.daysApart) - Math.log1p(1)),
  /** log(1 + days) beyond the first two: the earlier hinge, kept so that models fitted with it still load. */
  'daysApart>2': (_e: Evidence, p: PairEvidence) =>
    p.daysApart === null ? 0 : Math.max(0, Math.log1p(p.daysApart) - Math.log1p(2)),
  /**
   * Days apart beyond the first, weighed by the share of the text in verbatim runs. Unweighed, the
   * days count for every pair alike, so that two same-day stories with nothing in common gained
   * what "not sent days apart" earned a reprint: the fit learned it from template notices, which
   * share a frame. A frame sent again days later is another event; dates say nothing of texts
   * that share no wording.
   */
  'daysApart>1*verbatim': (e: Evidence, p: PairEvidence) =>
    p.daysApart === null ? 0 : Math.max(0, Math.log1p(p.daysApart) - Math.log1p(1)) * e.verbatim,
  /** 1 when both languages are confident and differ. */
  crossLanguage: (_e: Evidence, p: PairEvidence) => (p.crossLanguage ? 1 : 0),
  /** Sentences aligned across languages (on shared anchors): what a translation keeps. */
  crossAligned: (e: Evidence, p: PairEvidence) => (p.crossLanguage ? e.aligned : 0),
  crossAnchors: (e: Evidence, p: PairEvidence) => (p.crossLanguage ? e.anchors : 0),
  /** |log length ratio| across languages: a translation is about as long as its original, a different story need not be. */
  crossLengthGap: (e: Evidence, p: PairEvidence) => (p.crossLanguage ? Math.abs(e.lengthRatio) : 0),
  crossOrder: (e: Evidence, p: PairEvidence) => (p.crossLanguage ? e.order : 0),
  /** |log sentence-count ratio| across languages: a translation has about as many sentences. */
  crossSentenceGap: (e: Evidence, p: PairEvidence) => (p.crossLanguage ? Math.abs(e.sentenceRatio) : 0),
  /** How much of the other text this one accounts for, across languages: a translation, all of it. */
  crossOtherUsed: (e: Evidence, p: PairEvidence) => (p.crossLanguage ? e.otherUsed : 0),
  /** The same beyond 0.3: a translation accounts for most of its original, a report of the same event in another language for a little. */
  'crossOtherUsed>0.3': (e: Evidence, p: PairEvidence) => (p.crossLanguage ? Math.max(0, e.otherUsed - 0.3) : 0),
  /** Proportional sentence lengths across languages, weighted by how much of the text is aligned. */
  crossStructure: (e: Evidence, p: PairEvidence) => (p.crossLanguage ? e.structure * e.covered : 0),
  /** Anchors in the same order from start to end across languages (see {@link Evidence.anchorOrder}). */
  crossAnchorOrder: (e: Evidence, p: PairEvidence) => (p.crossLanguage ? e.anchorOrder : 0),
} satisfies Record<string, (e: Evidence, p: PairEvidence) => number>

export type FeatureName = keyof typeof FEATURES

/**
 * The direction each piece of evidence may push towards derivation, as a constraint of the fit:
 * more shared text never makes a derivation less likely (+1), swapped figures and names never
 * more likely (−1). Without it, correlated shares (unigrams and their content-weighted twin) take
 * weights of opposite signs that cancel on the development sets and misfire on other text.
 * Features not listed (length, order, languages) may weigh either way.
 */
export const FEATURE_SIGNS: Readonly<Partial<Record<FeatureName, 1 | -1>>> = {
  unigrams: 1,
  contentUnigrams: 1,
  contentBigrams: 1,
  trigrams: 1,
  verbatim: 1,
  verbatimPassages: 1,
  closeSentences: 1,
  longestRun: 1,
  aligned: 1,
  covered: 1,
  anchors: 1,
  otherUsed: 1,
  numbersSwapped: -1,
  'numbersSwapped*figures': -1,
  specificsSwapped: -1,
  'namesMissing*closeSentences': -1,
  'namesMissing*covered': -1,
  'figuresMissing*figures': -1,
  'anchors>0.25': 1,
  'aligned>0.5': 1,
  'contentBigrams>0.25': 1,
  'otherUsed>0.25': 1,
  'longestRun>20': 1,
  'specificsSwapped>0.25': -1,
  'numbersSwapped>0.25': -1,
  daysApart: -1,
  'daysApart>1': -1,
  'daysApart>2': -1,
  'daysApart>1*verbatim': -1,
  crossLengthGap: -1,
  crossSentenceGap: -1,
  'crossOtherUsed>0.3': 1,
  crossAnchorOrder: 1,
}
/**
 * The days apart from which each feature reads the dates of two articles: under its knot, any two
 * distances give it the same value. Features not listed do not read dates. A test holds every
 * feature to this table, so that a comparison reused for two pairs whose dates the model reads
 * alike (see {@link daysTold}) is the one `compare` would make.
 */
export const DAY_KNOTS: Readonly<Partial<Record<FeatureName, number>>> = {
  daysApart: 0,
  'daysApart>1': 1,
  'daysApart>2': 2,
  'daysApart>1*verbatim': 1,
}

/**
 * The fewest days apart that a model tells from fewer: the least knot of the day features it
 * weighs (see {@link DAY_KNOTS}); Infinity when it weighs none. Two dated pairs both under it
 * read alike to the model.
 */
export function daysTold(model: DerivationModel): number {
  let told = Number.POSITIVE_INFINITY
  model.features.forEach((f, i) => {
    const knot = DAY_KNOTS[f as FeatureName]
    if (knot !== undefined && (model.derived[i + 1] !== 0 || model.whole[i + 1] !== 0)) told = Math.min(told, knot)
  })
  return told
}

/**
 * Features a model may name but the fit no longer weighs: earlier forms of a feature, kept so that
 * models fitted with them (a newsroom's calibrated model) still load and judge as they did.
 */
export const LEGACY_FEATURES: readonly FeatureName[] = ['namesMissing*closeSentences', 'daysApart>1', 'daysApart>2']

export const FEATURE_NAMES = (Object.keys(FEATURES) as FeatureName[]).filter((f) => !LEGACY_FEATURES.includes(f))

/**
 * Features the link decision (step 1 of the model) does not weigh: the share of words two texts
 * have in common measures how close their topics are, which is what independent reports of one
 * event share too (`related`). Whether one text derives from the other shows in word pairs,
 * verbatim runs, sentences and names and figures kept; the extent (step 2) may weigh all.
 */
export const TOPIC_FEATURES: readonly FeatureName[] = ['unigrams', 'contentUnigrams', 'anchors', 'anchors>0.25']

/**
 * The features the extent (step 2) weighs: all but lengths, the share of the other text used,
 * dates, and figures and names swapped or missing. Those say whether a text derives, not how much
 * of it does: fitted on lengths, the extent learned a corpus habit (COUNTER's wholly derived
 * articles are shorter than the agency copy) and called a short story with one borrowed paragraph
 * "whole"; fitted on missing names, it called a translation that drops a few names "partial".
 */
export const EXTENT_FEATURES: readonly FeatureName[] = FEATURE_NAMES.filter(
  (f) =>
    ![
      'tokens',
      'lengthRatio',
      'otherUsed',
      'otherUsed>0.25',
      'daysApart',
      'daysApart>1',
      'daysApart>2',
      'daysApart>1*verbatim',
      'numbersSwapped',
      'numbersSwapped*figures',
      'specificsSwapped',
      'numbersSwapped>0.25',
      'specificsSwapped>0.25',
      'namesMissing*closeSentences',
    ].includes(f),
)

export const MODEL_FORMAT = 'wiretrace-model'
export const MODEL_VERSION = 1

/**
 * A sequential logistic model over the features, in two steps that follow the verdict:
 * 1. `derived`: the log-odds that the article derives from the other at all, against none;
 * 2. `whole`: given that it does, the log-odds that (nearly) all of it does, against a part.
 * So P(none) = 1 − σ(d), P(whole) = σ(d)·σ(w), P(part) = σ(d)·(1 − σ(w)). Each step is a
 * logistic regression with a readable weight per feature; the link decision (step 1) has its own
 * weights, not a share of the extent's. Serialised as plain JSON; {@link loadModel} refuses
 * another format or version.
 */
export interface DerivationModel {
  format: typeof MODEL_FORMAT
  version: typeof MODEL_VERSION
  /** The features, in the order of each step's weights. */
  features: FeatureName[]
  /** Features are standardised before weighing: (x − mean) / scale. */
  mean: number[]
  scale: number[]
  /** Step 1, derived against none: the intercept, then one weight per feature. */
  derived: number[]
  /** Step 2, the whole against a part (of a derived article): the intercept, then one weight per feature. */
  whole: number[]
  /**
   * The probability of derivation (1 − P(none)) at or above which `compare` finds an article
   * derived: chosen on the development sets, where the cost of linking two independent stories
   * weighs more than missing a loose partial reuse.
   */
  threshold: number
  /** The L2 penalty it was fitted with. */
  l2: number
  /** What it was fitted on: examples per class and per set, free-form. */
  fittedOn: { examples: number; perClass: Partial<Record<Extent, number>>; sets?: Record<string, number>; note?: string }
}

/** The feature vector of one side of a pair, in the model's order. */
export function featureVector(model: Pick<DerivationModel, 'features'>, e: Evidence, p: PairEvidence): number[] {
  return model.features.map((f) => FEATURES[f](e, p))
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

function score(model: Pick<DerivationModel, 'mean' | 'scale'>, row: readonly number[], x: readonly number[]): number {
  let s = row[0] as number
  for (let k = 0; k < x.length; k++)
    s += (row[k + 1] as number) * (((x[k] as number) - (model.mean[k] as number)) / (model.scale[k] as number))
  return s
}

/** The extent compare decides from the probabilities: none below the threshold of derivation, else the likelier of part and whole. */
export function decideExtent(p: Record<Extent, number>, threshold: number): Extent {
  if (1 - p.none < threshold) return 'none'
  return p.part > p.whole ? 'part' : 'whole'
}

/** The probability of each extent for one feature vector. */
export function predict(model: DerivationModel, x: readonly number[]): Record<Extent, number> {
  const d = sigmoid(score(model, model.derived, x))
  const w = sigmoid(score(model, model.whole, x))
  return { none: 1 - d, part: d * (1 - w), whole: d * w }
}

/** Check a parsed model; throws UNSUPPORTED_VERSION or CORRUPT_DATA naming what is wrong. */
export function loadModel(json: unknown): DerivationModel {
  const m = json as Partial<DerivationModel> | null
  if (m === null || typeof m !== 'object' || m.format !== MODEL_FORMAT) {
    throw new WiretraceError(
      'CORRUPT_DATA',
      `model: not a wiretrace model (format must be "${MODEL_FORMAT}", got ${describeValue(m?.format)})`,
    )
  }
  if (m.version !== MODEL_VERSION) {
    throw new WiretraceError(
      'UNSUPPORTED_VERSION',
      `model: version ${describeValue(m.version)} is not supported (this wiretrace reads version ${MODEL_VERSION})`,
    )
  }
  const bad = (what: string) => new WiretraceError('CORRUPT_DATA', `model: ${what}`)
  if (!Array.isArray(m.features) || m.features.length === 0) throw bad('features must be a non-empty array')
  for (const f of m.features)
    if (!(f in FEATURES)) throw bad(`unknown feature ${describeValue(f)} (known: ${FEATURE_NAMES.join(', ')})`)
  if (new Set(m.features).size !== m.features.length) throw bad('features must be distinct')
  const d = m.features.length
  const finite = (a: unknown, n: number) =>
    Array.isArray(a) && a.length === n && a.every((v) => typeof v === 'number' && Number.isFinite(v))
  if (!finite(m.mean, d)) throw bad(`mean must be ${d} finite numbers`)
  if (!finite(m.scale, d) || (m.scale as number[]).some((v) => v <= 0)) throw bad(`scale must be ${d} positive numbers`)
  if (!finite(m.derived, d + 1)) throw bad(`derived must be ${d + 1} finite numbers (an intercept, then a weight per feature)`)
  if (!finite(m.whole, d + 1)) throw bad(`whole must be ${d + 1} finite numbers (an intercept, then a weight per feature)`)
  if (typeof m.threshold !== 'number' || !(m.threshold > 0 && m.threshold < 1))
    throw bad(`threshold must be a number between 0 and 1, got ${describeValue(m.threshold)}`)
  return m as DerivationModel
}

/** One labelled example for {@link fitModel}: a feature vector, its class and an optional weight. */
export interface Example {
  x: number[]
  label: Extent
  /** @default 1 */
  weight?: number
}

/** Options for {@link fitModel}. */
export interface FitOptions {
  /** The features of each example's `x`, in order. @default FEATURE_NAMES (the prior's with `prior`) */
  features?: FeatureName[]
  /** L2 penalty on the standardised weights (not the intercepts). @default 1 */
  l2?: number
  /**
   * Signs the weights must keep (see {@link FEATURE_SIGNS}): a weight that would cross zero is
   * held at zero. Step 1 keeps them as given; step 2 too (more shared text, more likely the whole).
   * @default FEATURE_SIGNS
   */
  signs?: Readonly<Partial<Record<FeatureName, 1 | -1>>>
  /** The probability of derivation at which the model links (see {@link DerivationModel.threshold}). @default 0.5, or the prior's */
  threshold?: number
  /** Features step 1 (the link decision) leaves at zero weight. @default TOPIC_FEATURES */
  notForLinks?: readonly FeatureName[]
  /** The only features step 2 (the extent) weighs. @default EXTENT_FEATURES */
  forExtent?: readonly FeatureName[]
  /**
   * Shrink towards this model instead of towards zero: its features and scaling are kept, and the
   * penalty pulls each weight to the prior's. With few labels the result stays close to the
   * prior; with many it follows them. A step whose classes the examples lack (no `part` and
   * `whole` labels both, for step 2) keeps the prior's weights. @default undefined
   */
  prior?: DerivationModel
  /** Recorded in `fittedOn`. */
  sets?: Record<string, number>
  note?: string
}

/**
 * Fit a {@link DerivationModel}: two weighted logistic regressions by damped Newton's method with
 * an L2 penalty and sign constraints (Lawson and Hanson's active set: the worst wrong-signed weight
 * is held at zero, or a held one released when its gradient points the allowed way, one at a time).
 * Deterministic: the same examples in the same order give the same coefficients.
 */
export function fitModel(examples: readonly Example[], options: FitOptions = {}): DerivationModel {
  argArray('fitModel', 'examples', examples, 'examples')
  examples.forEach((e, i) => {
    if (!e || typeof e !== 'object')
      throw invalid(`fitModel: examples[${i}] must be { x: number[], label }, got ${describeValue(e)}`)
  })
  argOptions('fitModel', 'options', options)
  const prior = options.prior
  const features = prior ? prior.features : (options.features ?? FEATURE_NAMES)
  const l2 = options.l2 ?? 1
  const d = features.length
  const fail = (what: string) => new WiretraceError('INVALID_ARGUMENT', `fitModel: ${what}`)
  if (examples.length === 0) throw fail('no examples')
  if (!(l2 >= 0 && Number.isFinite(l2))) throw fail(`l2 must be a finite number ≥ 0, got ${describeValue(l2)}`)
  if (options.threshold !== undefined && !(options.threshold > 0 && options.threshold < 1)) {
    throw fail(`threshold must be a number between 0 and 1, got ${describeValue(options.threshold)}`)
  }
  for (const f of features) if (!(f in FEATURES)) throw fail(`unknown feature ${describeValue(f)}`)
  for (const [i, e] of examples.entries()) {
    if (!Array.isArray(e.x) || e.x.length !== d || e.x.some((v) => !Number.isFinite(v)))
      throw fail(`examples[${i}].x must be ${d} finite numbers`)
    if (!EXTENTS.includes(e.label))
      throw fail(`examples[${i}].label must be one of ${EXTENTS.join(', ')}, got ${describeValue(e.label)}`)
    if (e.weight !== undefined && !(e.weight >= 0 && Number.isFinite(e.weight))) {
      throw fail(`examples[${i}].weight must be a finite number ≥ 0, got ${describeValue(e.weight)}`)
    }
  }
  const perClass: Partial<Record<Extent, number>> = {}
  for (const e of examples) perClass[e.label] = (perClass[e.label] ?? 0) + 1
  if (!prior && (!perClass.none || !(perClass.part || perClass.whole))) {
    throw fail('the examples need both kinds: some labelled none, some part or whole')
  }
  const { mean, scale } = prior ? { mean: [...prior.mean], scale: [...prior.scale] } : standardisation(examples, d)
  const signs = options.signs ?? FEATURE_SIGNS
  const sign = features.map((f) => signs[f] ?? 0)
  const rows = examples.map((e) => standardise(e.x, mean, scale))
  const excluded = new Set(options.notForLinks ?? TOPIC_FEATURES)
  const extentOnly = new Set(options.forExtent ?? EXTENT_FEATURES)
  const fixed = features.map((f) => excluded.has(f))
  const fitStep = (
    picked: number[],
    positive: (e: Example) => boolean,
    start: readonly number[] | undefined,
    zero: readonly boolean[],
  ): number[] => {
    const X = picked.map((i) => rows[i] as Float64Array)
    const y = picked.map((i) => (positive(examples[i] as Example) ? 1 : 0))
    const w = picked.map((i) => (examples[i] as Example).weight ?? 1)
    return fitLogistic(X, y, w, sign, zero, l2, start ?? new Array<number>(d + 1).fill(0), start !== undefined)
  }
  const all = examples.map((_, i) => i)
  const derivedOnly = all.filter((i) => (examples[i] as Example).label !== 'none')
  const derived =
    perClass.none && derivedOnly.length > 0
      ? fitStep(all, (e) => e.label !== 'none', prior?.derived, fixed)
      : [...(prior?.derived ?? [])]
  const whole =
    perClass.part && perClass.whole
      ? fitStep(
          derivedOnly,
          (e) => e.label === 'whole',
          prior?.whole,
          features.map((f) => !extentOnly.has(f)),
        )
      : prior
        ? [...prior.whole]
        : [Math.log(((perClass.whole ?? 0) + 1) / ((perClass.part ?? 0) + 1)), ...new Array<number>(d).fill(0)]
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    features: [...features],
    mean,
    scale,
    derived,
    whole,
    threshold: options.threshold ?? prior?.threshold ?? 0.5,
    l2,
    fittedOn: {
      examples: examples.length,
      perClass,
      ...(options.sets ? { sets: options.sets } : {}),
      ...(options.note ? { note: options.note } : {}),
    },
  }
}

function standardise(x: readonly number[], mean: readonly number[], scale: readonly number[]): Float64Array {
  const out = new Float64Array(x.length + 1)
  out[0] = 1
  for (let k = 0; k < x.length; k++) out[k + 1] = ((x[k] as number) - (mean[k] as number)) / (scale[k] as number)
  return out
}

/**
 * One weighted logistic regression with an L2 penalty towards `prior` (intercept unpenalised) and
 * sign constraints, by the active-set method; `warm` starts from the prior.
 */
function fitLogistic(
  X: readonly Float64Array[],
  y: readonly number[],
  w: readonly number[],
  sign: readonly number[],
  zero: readonly boolean[],
  l2: number,
  prior: readonly number[],
  warm: boolean,
): number[] {
  const p = prior.length
  const held = new Uint8Array(p)
  for (let k = 1; k < p; k++) if (zero[k - 1]) held[k] = 1
  let beta = warm ? [...prior] : new Array<number>(p).fill(0)
  for (let round = 0; round < 4 * p; round++) {
    const fitted = newton(X, y, w, l2, prior, beta, held)
    beta = fitted.beta
    let worst = -1
    let worstSize = 0
    let release = -1
    let releaseSize = 1e-6
    for (let k = 1; k < p; k++) {
      const sg = sign[k - 1] as number
      if (sg === 0 || zero[k - 1]) continue
      if (held[k]) {
        const want = -(fitted.grad[k] as number) * sg
        if (want > releaseSize) [release, releaseSize] = [k, want]
      } else {
        const wrong = -(beta[k] as number) * sg
        if (wrong > worstSize) [worst, worstSize] = [k, wrong]
      }
    }
    if (worst >= 0) held[worst] = 1
    else if (release >= 0) held[release] = 0
    else break
  }
  return beta
}

/** Damped Newton's method for the penalised logistic loss; weights in `held` stay at zero. Returns the gradient at the end too. */
function newton(
  X: readonly Float64Array[],
  y: readonly number[],
  w: readonly number[],
  l2: number,
  prior: readonly number[],
  start: readonly number[],
  held: Uint8Array,
): { beta: number[]; grad: number[] } {
  const p = prior.length
  let beta = start.map((v, k) => (held[k] ? 0 : v))
  let grad = new Array<number>(p).fill(0)
  for (let iter = 0; iter < 100; iter++) {
    grad = new Array<number>(p).fill(0)
    const H = Array.from({ length: p }, () => new Array<number>(p).fill(0))
    for (let n = 0; n < X.length; n++) {
      const x = X[n] as Float64Array
      let z = 0
      for (let k = 0; k < p; k++) z += (beta[k] as number) * (x[k] as number)
      const q = sigmoid(z)
      const r = (w[n] as number) * (q - (y[n] as number))
      const h = (w[n] as number) * q * (1 - q)
      for (let k = 0; k < p; k++) {
        grad[k] = (grad[k] as number) + r * (x[k] as number)
        const hk = h * (x[k] as number)
        const row = H[k] as number[]
        for (let l = k; l < p; l++) row[l] = (row[l] as number) + hk * (x[l] as number)
      }
    }
    for (let k = 0; k < p; k++) for (let l = 0; l < k; l++) (H[k] as number[])[l] = (H[l] as number[])[k] as number
    for (let k = 1; k < p; k++) {
      grad[k] = (grad[k] as number) + l2 * ((beta[k] as number) - (prior[k] as number))
      ;(H[k] as number[])[k] = ((H[k] as number[])[k] as number) + l2
    }
    for (let k = 0; k < p; k++) (H[k] as number[])[k] = ((H[k] as number[])[k] as number) + 1e-9
    const g = grad.map((v, k) => (held[k] ? 0 : v))
    for (let k = 0; k < p; k++) {
      if (!held[k]) continue
      for (let l = 0; l < p; l++) {
        ;(H[k] as number[])[l] = 0
        ;(H[l] as number[])[k] = 0
      }
      ;(H[k] as number[])[k] = 1
    }
    const step = solve(H, g)
    const before = loss(X, y, w, l2, prior, beta)
    let factor = 1
    let next = beta
    for (let halvings = 0; halvings < 30; halvings++, factor /= 2) {
      next = beta.map((v, k) => v - factor * (step[k] as number))
      if (loss(X, y, w, l2, prior, next) <= before) break
    }
    let largest = 0
    for (let k = 0; k < p; k++) largest = Math.max(largest, Math.abs((next[k] as number) - (beta[k] as number)))
    beta = next
    if (largest < 1e-10) break
  }
  return { beta, grad }
}

/** The penalised negative log-likelihood that {@link newton} minimises. */
function loss(
  X: readonly Float64Array[],
  y: readonly number[],
  w: readonly number[],
  l2: number,
  prior: readonly number[],
  beta: readonly number[],
): number {
  let total = 0
  for (let n = 0; n < X.length; n++) {
    const x = X[n] as Float64Array
    let z = 0
    for (let k = 0; k < beta.length; k++) z += (beta[k] as number) * (x[k] as number)
    // log(1 + e^z) − y·z, computed without overflow.
    total += (w[n] as number) * ((z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - (y[n] as number) * z)
  }
  for (let k = 1; k < beta.length; k++) total += (l2 / 2) * ((beta[k] as number) - (prior[k] as number)) ** 2
  return total
}

/** Weighted mean and standard deviation of each feature (1 where a feature is constant). */
function standardisation(examples: readonly Example[], d: number): { mean: number[]; scale: number[] } {
  const wsum = examples.reduce((s, e) => s + (e.weight ?? 1), 0) || 1
  const mean = new Array<number>(d).fill(0)
  const scale = new Array<number>(d).fill(0)
  for (const e of examples) for (let k = 0; k < d; k++) mean[k] = (mean[k] as number) + (e.weight ?? 1) * (e.x[k] as number)
  for (let k = 0; k < d; k++) mean[k] = (mean[k] as number) / wsum
  for (const e of examples)
    for (let k = 0; k < d; k++)
      scale[k] = (scale[k] as number) + (e.weight ?? 1) * ((e.x[k] as number) - (mean[k] as number)) ** 2
  for (let k = 0; k < d; k++) scale[k] = Math.sqrt((scale[k] as number) / wsum) || 1
  return { mean, scale }
}

/** Solve A x = b by Gaussian elimination with partial pivoting (A is small and positive definite). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length
  const M = A.map((row, i) => [...row, b[i] as number])
  for (let c = 0; c < n; c++) {
    let piv = c
    for (let r = c + 1; r < n; r++)
      if (Math.abs((M[r] as number[])[c] as number) > Math.abs((M[piv] as number[])[c] as number)) piv = r
    ;[M[c], M[piv]] = [M[piv] as number[], M[c] as number[]]
    const pr = M[c] as number[]
    const d = pr[c] as number
    if (d === 0) continue
    for (let r = c + 1; r < n; r++) {
      const row = M[r] as number[]
      const f = (row[c] as number) / d
      if (f === 0) continue
      for (let k = c; k <= n; k++) row[k] = (row[k] as number) - f * (pr[k] as number)
    }
  }
  const x = new Array<number>(n).fill(0)
  for (let r = n - 1; r >= 0; r--) {
    const row = M[r] as number[]
    let s = row[n] as number
    for (let k = r + 1; k < n; k++) s -= (row[k] as number) * (x[k] as number)
    x[r] = row[r] === 0 ? 0 : s / (row[r] as number)
  }
  return x
}
