import { type Analysis, type AnalysisOk, type AnalyzeOptions, type Article, analyze, validateArticle } from '../analyze.js'
import { argIterable, argOptions, describeValue, invalid } from '../errors.js'
import { judgePair, type Relation, resolveModel } from './compare.js'
import { DEFAULT_MODEL } from './default-model.js'
import {
  type DerivationModel,
  decideExtent,
  EXTENTS,
  type Example,
  type Extent,
  featureVector,
  fitModel,
  predict,
} from './model.js'

/**
 * A newsroom's own judgement of a pair: an extent (`whole`, `part`, `none`), a relation
 * (`duplicate`, `copy`, `rewrite`, `translation` → whole; `partial` → part; `related`,
 * `unrelated` → none), or a plain yes/no ("this is a copy for us": true → whole, false → none).
 */
export type CalibrationLabel = Extent | Relation | boolean

/** One labelled pair: two articles (or their analyses) and the label. */
export interface LabelledPair {
  a: Article | AnalysisOk
  b: Article | AnalysisOk
  label: CalibrationLabel
}

/** Options for {@link calibrate}. */
export interface CalibrateOptions {
  /**
   * The model to start from and shrink towards: with a few dozen labels the result stays close
   * to it, with many it follows the labels. @default DEFAULT_MODEL
   */
  base?: DerivationModel
  /** Strength of the pull towards `base` (L2 on the standardised weights). @default 1 */
  l2?: number
  /** Options to analyse articles given as text with; ignored for analyses. @default {} */
  analyze?: AnalyzeOptions
  /** Folds for the cross-validated agreement figures in the result (0 = none). @default 5 */
  folds?: number
  /**
   * Let the labels weigh, in the link decision, the shares of words, content words and names and
   * figures the two texts have in common (`TOPIC_FEATURES`). The shipped model leaves them out of
   * it, because independent reports of one event share them too; a newsroom's labels say how much
   * they count for it. Their weights start from the base's (zero) and are pulled back to it like
   * the others, so a few labels move them little. `false` holds them at zero in the link
   * decision, as the shipped fit does (even when `base` weighs them). @default true
   */
  sharedWords?: boolean
}

/** A fitted model, with how well it and the base model agree with the labels. */
export interface Calibration {
  kind: 'calibration'
  model: DerivationModel
  pairs: number
  /** Pairs per extent, after mapping the labels. */
  perClass: Partial<Record<Extent, number>>
  /**
   * Share of pairs whose link decision (derived or not) agrees with the label: the base model's,
   * and the calibrated model's in k-fold cross-validation (each pair judged by a model fitted
   * without it). Null with `folds: 0` or fewer pairs than folds.
   */
  agreement: { base: number; calibrated: number | null }
  /** The same for the extent (none, part or whole, as compare decides it from the model alone): a partial labelled whole disagrees. */
  extentAgreement: { base: number; calibrated: number | null }
  /**
   * Pairs made across the labels: the first article of one labelled pair with the second of
   * another (never a pair that was labelled, nor an article with itself), at most
   * {@link ACROSS_PAIRS}. Most are different stories, and labels of one kind (every pair about
   * one event) can teach a model to link them: `base` and `calibrated` count the pairs each model
   * links. Null with fewer than two labelled pairs.
   */
  across: { pairs: number; base: number; calibrated: number } | null
}

/** The most pairs {@link Calibration.across} judges. */
export const ACROSS_PAIRS = 200

/** The extent each relation claims: what a relation given as a label stands for. */
export const RELATION_EXTENT: Readonly<Record<Relation, Extent>> = {
  duplicate: 'whole',
  copy: 'whole',
  rewrite: 'whole',
  translation: 'whole',
  partial: 'part',
  related: 'none',
  unrelated: 'none',
}

/** The extent a label stands for; throws naming the label otherwise. */
export function labelExtent(label: unknown, where = 'label'): Extent {
  if (label === true) return 'whole'
  if (label === false) return 'none'
  if (typeof label === 'string') {
    if ((EXTENTS as readonly string[]).includes(label)) return label as Extent
    if (Object.hasOwn(RELATION_EXTENT, label)) return RELATION_EXTENT[label as Relation]
  }
  throw invalid(
    `${where} must be true, false, an extent (${EXTENTS.join(', ')}) or a relation (${Object.keys(RELATION_EXTENT).join(', ')}), got ${describeValue(label)}`,
  )
}

function analysed(x: Article | AnalysisOk, options: AnalyzeOptions, where: string): AnalysisOk {
  if (x && typeof x === 'object' && (x as Analysis).kind === 'analysis') {
    if ((x as Analysis).status !== 'ok') throw invalid(`${where} ("${(x as Analysis).id}") was skipped and cannot be compared`)
    return x as AnalysisOk
  }
  const a = analyze(validateArticle(x, where), options)
  if (a.status !== 'ok') throw invalid(`${where} ("${a.id}") has no text to compare: ${a.detail}`)
  return a
}

/**
 * The feature vector of a pair, measured from the side `compare` judges as derived (the later of
 * two dated articles, the other side of a marked reference, else the side `model` finds more
 * likely derived).
 */
export function pairFeatures(a: AnalysisOk, b: AnalysisOk, model: DerivationModel = DEFAULT_MODEL): number[] {
  const { ev, aDerived } = judgePair(a, b, model)
  return featureVector(model, aDerived ? ev.a : ev.b, ev)
}

/**
 * The fit `calibrate` makes of labelled feature vectors (see {@link pairFeatures}): from `base`,
 * pulled towards it by `l2`, topic shares weighed in the link decision unless `sharedWords` is
 * false. Exported for benchmarks that hold feature vectors already.
 */
export function refitModel(
  examples: readonly Example[],
  base: DerivationModel,
  options: Pick<CalibrateOptions, 'l2' | 'sharedWords'> = {},
): DerivationModel {
  return fitModel(examples, {
    prior: base,
    l2: options.l2 ?? 1,
    ...(options.sharedWords === false ? {} : { notForLinks: [] }),
    note: 'calibrated on a newsroom’s labels',
  })
}

/**
 * Fit a derivation model to a newsroom's own labelled pairs, starting from (and shrunk towards)
 * the shipped model. Use the result as the `model` option of `compare`, `clusterArticles`,
 * `clusterCorpus`, `Detector` and the diff, or save it as JSON (`--model` on the CLI).
 *
 * @example
 * const { model, agreement } = calibrate([
 *   { a: reprint, b: wireStory, label: true },
 *   { a: ownReport, b: wireStory, label: false },
 *   // … a few dozen more
 * ])
 * agreement // { base: 0.82, calibrated: 0.91 }
 * compare(analyze(x), analyze(y), { model }).relation
 */
export function calibrate(pairs: Iterable<LabelledPair>, options: CalibrateOptions = {}): Calibration {
  argIterable('calibrate', 'pairs', pairs, 'labelled pairs')
  argOptions('calibrate', 'options', options)
  if (options === null || typeof options !== 'object')
    throw invalid(`calibrate: options must be an object, got ${describeValue(options)}`)
  if (options.sharedWords !== undefined && typeof options.sharedWords !== 'boolean')
    throw invalid(`calibrate: sharedWords must be true or false, got ${describeValue(options.sharedWords)}`)
  const base = resolveModel(options.base, 'calibrate: options.base')
  const folds = options.folds ?? 5
  if (!Number.isInteger(folds) || folds < 0) throw invalid(`calibrate: folds must be an integer ≥ 0, got ${describeValue(folds)}`)
  const examples: Example[] = []
  const sides: [AnalysisOk, AnalysisOk][] = []
  let i = 0
  for (const p of pairs) {
    const where = `calibrate: pairs[${i}]`
    if (p === null || typeof p !== 'object') throw invalid(`${where} must be an object {a, b, label}, got ${describeValue(p)}`)
    const label = labelExtent(p.label, `${where}.label`)
    const a = analysed(p.a, options.analyze ?? {}, `${where}.a`)
    const b = analysed(p.b, options.analyze ?? {}, `${where}.b`)
    examples.push({ x: pairFeatures(a, b, base), label })
    sides.push([a, b])
    i++
  }
  if (examples.length === 0) throw invalid('calibrate: no labelled pairs')
  const refit = (xs: readonly Example[]) => refitModel(xs, base, options)
  const model = refit(examples)
  const decides = (m: DerivationModel, e: Example) => 1 - predict(m, e.x).none >= m.threshold === (e.label !== 'none')
  const extentOf = (m: DerivationModel, e: Example): Extent => decideExtent(predict(m, e.x), m.threshold)
  let calibrated: number | null = null
  let calibratedExtent: number | null = null
  if (folds >= 2 && examples.length >= folds) {
    let agree = 0
    let agreeExtent = 0
    for (let f = 0; f < folds; f++) {
      const train = examples.filter((_, k) => k % folds !== f)
      const m = refit(train)
      for (let k = f; k < examples.length; k += folds) {
        const e = examples[k] as Example
        if (decides(m, e)) agree++
        if (extentOf(m, e) === e.label) agreeExtent++
      }
    }
    calibrated = agree / examples.length
    calibratedExtent = agreeExtent / examples.length
  }
  const perClass: Partial<Record<Extent, number>> = {}
  for (const e of examples) perClass[e.label] = (perClass[e.label] ?? 0) + 1
  // Pairs across the labels, judged by both models: the pair compare would judge, from its side,
  // on evidence measured once.
  let across: Calibration['across'] = null
  if (sides.length >= 2) {
    const labelled = new Set(sides.flatMap(([a, b]) => [`${a.id}\u0000${b.id}`, `${b.id}\u0000${a.id}`]))
    const shift = Math.ceil(sides.length / 2)
    const links = ({ pa, pb, aDerived }: ReturnType<typeof judgePair>, m: DerivationModel) =>
      decideExtent(aDerived ? pa : pb, m.threshold) !== 'none'
    across = { pairs: 0, base: 0, calibrated: 0 }
    for (let k = 0; k < sides.length && across.pairs < ACROSS_PAIRS; k++) {
      const a = (sides[k] as [AnalysisOk, AnalysisOk])[0]
      const b = (sides[(k + shift) % sides.length] as [AnalysisOk, AnalysisOk])[1]
      if (a.id === b.id || labelled.has(`${a.id}\u0000${b.id}`)) continue
      across.pairs++
      const byBase = judgePair(a, b, base)
      if (links(byBase, base)) across.base++
      if (links(judgePair(a, b, model, byBase.ev), model)) across.calibrated++
    }
  }
  return {
    kind: 'calibration',
    model,
    pairs: examples.length,
    perClass,
    agreement: { base: examples.filter((e) => decides(base, e)).length / examples.length, calibrated },
    extentAgreement: {
      base: examples.filter((e) => extentOf(base, e) === e.label).length / examples.length,
      calibrated: calibratedExtent,
    },
    across,
  }
}
