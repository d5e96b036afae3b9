// calibrate: labels mapped to extents, a model fitted to the seed pairs of examples/labels.jsonl,
// labels that change the judgement of a pair, and bad input.
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, type Article, analyze } from '../../src/analyze.js'
import {
  type CalibrationLabel,
  calibrate,
  type LabelledPair,
  labelExtent,
  pairFeatures,
  RELATION_EXTENT,
} from '../../src/compare/calibrate.js'
import { compare, LINKING_RELATIONS } from '../../src/compare/compare.js'
import { DEFAULT_MODEL } from '../../src/compare/default-model.js'
import { fitModel, loadModel } from '../../src/compare/model.js'
import { readJsonl } from '../helpers/corpora.js'
import { expectError } from '../helpers/errors.js'
import { LABELS as LABELS_FILE, seedArticles } from '../helpers/seeds.js'
import { EIGHT_STORIES } from '../helpers/stories.js'

/** The seed articles as the CLI reads the directory: the id is the file name. */
const ARTICLES: Article[] = seedArticles()
const ANALYSES = new Map(ARTICLES.map((a) => [a.id, analyze(a) as AnalysisOk]))
for (const a of ANALYSES.values()) if (a.status !== 'ok') throw new Error(`seed ${a.id} was skipped`)
const byPrefix = (p: string): AnalysisOk => [...ANALYSES.values()].find((a) => a.id.startsWith(p)) as AnalysisOk
const articleOf = (p: string): Article => ARTICLES.find((a) => a.id.startsWith(p)) as Article

/** The pairs of examples/labels.jsonl, ids resolved to the seed articles (as text, or analysed). */
const LABELS = readJsonl<{ a: string; b: string; label: CalibrationLabel }>(LABELS_FILE)
const textPairs = (): LabelledPair[] =>
  LABELS.map((p) => ({
    a: ARTICLES.find((x) => x.id === p.a) as Article,
    b: ARTICLES.find((x) => x.id === p.b) as Article,
    label: p.label,
  }))
const analysedPairs = (): LabelledPair[] =>
  LABELS.map((p) => ({ a: ANALYSES.get(p.a) as AnalysisOk, b: ANALYSES.get(p.b) as AnalysisOk, label: p.label }))

const links = (relation: string) => (LINKING_RELATIONS as readonly string[]).includes(relation)

describe('labelExtent', () => {
  it('maps yes/no, extents and relations to extents', () => {
    expect(labelExtent(true)).toBe('whole')
    expect(labelExtent(false)).toBe('none')
    expect(labelExtent('partial')).toBe('part')
    expect(labelExtent('rewrite')).toBe('whole')
    expect(labelExtent('related')).toBe('none')
    expect(labelExtent('whole')).toBe('whole')
    expect(labelExtent('part')).toBe('part')
    expect(labelExtent('none')).toBe('none')
    expect(labelExtent('duplicate')).toBe('whole')
    expect(labelExtent('copy')).toBe('whole')
    expect(labelExtent('translation')).toBe('whole')
    expect(labelExtent('unrelated')).toBe('none')
    for (const [relation, extent] of Object.entries(RELATION_EXTENT)) expect(labelExtent(relation)).toBe(extent)
    // A relation links exactly when its extent is not none.
    for (const [relation, extent] of Object.entries(RELATION_EXTENT)) expect(links(relation)).toBe(extent !== 'none')
  })

  it('refuses anything else, naming the value and where it was', () => {
    const err = expectError(() => labelExtent('maybe'), 'INVALID_ARGUMENT', 'label must be', 'got "maybe"')
    expect(err.message).toContain('whole')
    expect(err.message).toContain('rewrite')
    expectError(() => labelExtent(3), 'INVALID_ARGUMENT', 'got 3')
    expectError(() => labelExtent(null, 'pairs[7].label'), 'INVALID_ARGUMENT', 'pairs[7].label must be', 'got null')
    expectError(() => labelExtent('Copy'), 'INVALID_ARGUMENT', 'got "Copy"')
    expectError(() => labelExtent(undefined), 'INVALID_ARGUMENT', 'got undefined')
  })
})

describe('calibrate on the seed pairs', () => {
  it('returns the calibration: pairs, classes, agreement and a loadable model', () => {
    const result = calibrate(textPairs(), { folds: 4 })
    expect(result.kind).toBe('calibration')
    expect(result.pairs).toBe(8)
    expect(result.perClass).toEqual({ whole: 3, part: 1, none: 4 })
    expect(result.agreement.base).toBeGreaterThanOrEqual(0)
    expect(result.agreement.base).toBeLessThanOrEqual(1)
    expect(typeof result.agreement.calibrated).toBe('number')
    const calibrated = result.agreement.calibrated as number
    expect(calibrated).toBeGreaterThanOrEqual(0)
    expect(calibrated).toBeLessThanOrEqual(1)
    expect(Number.isInteger(calibrated * 8)).toBe(true)
    expect(loadModel(result.model)).toBe(result.model)
    expect(loadModel(JSON.parse(JSON.stringify(result.model)))).toEqual(result.model)
    expect(result.model.features).toEqual(DEFAULT_MODEL.features)
    expect(result.model.fittedOn.examples).toBe(8)
    expect(result.model.fittedOn.perClass).toEqual({ whole: 3, part: 1, none: 4 })
  })

  it('agreement.base is the share of pairs whose link decision by the base model matches the label', () => {
    const result = calibrate(analysedPairs(), { folds: 0 })
    const agree = LABELS.filter((p) => {
      const c = compare(ANALYSES.get(p.a) as AnalysisOk, ANALYSES.get(p.b) as AnalysisOk)
      return links(c.relation) === (labelExtent(p.label) !== 'none')
    }).length
    expect(result.agreement.base).toBe(agree / 8)
  })

  it('extentAgreement.base is the share of pairs whose extent by the base model (as compare decides it) matches the label', () => {
    const result = calibrate(analysedPairs(), { folds: 4 })
    const agree = LABELS.filter((p) => {
      const c = compare(ANALYSES.get(p.a) as AnalysisOk, ANALYSES.get(p.b) as AnalysisOk)
      return c.extent === labelExtent(p.label)
    }).length
    expect(result.extentAgreement.base).toBe(agree / 8)
    expect(Number.isInteger((result.extentAgreement.calibrated as number) * 8)).toBe(true)
    expect(calibrate(analysedPairs(), { folds: 0 }).extentAgreement.calibrated).toBeNull()
  })

  it('folds 0 gives no cross-validated figure; nor do fewer pairs than folds', () => {
    expect(calibrate(analysedPairs(), { folds: 0 }).agreement.calibrated).toBeNull()
    expect(calibrate(analysedPairs().slice(0, 5), { folds: 6 }).agreement.calibrated).toBeNull()
  })

  it('gives the same model for articles as text and for their analyses, and the model fitModel gives', () => {
    const fromText = calibrate(textPairs(), { folds: 0, l2: 0.5 })
    const fromAnalyses = calibrate(analysedPairs(), { folds: 0, l2: 0.5 })
    expect(fromAnalyses.model).toEqual(fromText.model)
    const examples = analysedPairs().map((p) => ({
      x: pairFeatures(p.a as AnalysisOk, p.b as AnalysisOk, DEFAULT_MODEL),
      label: labelExtent(p.label),
    }))
    // By default the labels may weigh the topic shares in the link decision (notForLinks: []).
    const direct = fitModel(examples, { prior: DEFAULT_MODEL, l2: 0.5, notForLinks: [] })
    expect(fromText.model.derived).toEqual(direct.derived)
    expect(fromText.model.whole).toEqual(direct.whole)
    expect(fromText.model.l2).toBe(0.5)
    // sharedWords: false is the shipped fit's rule: the topic shares stay out of it.
    const held = calibrate(analysedPairs(), { folds: 0, l2: 0.5, sharedWords: false })
    expect(held.model.derived).toEqual(fitModel(examples, { prior: DEFAULT_MODEL, l2: 0.5 }).derived)
  })

  it('lets the labels weigh shared words in the link decision, unless sharedWords is false', () => {
    // The Rudaw piece (004) shares the AFP story's (003) names and topic words, in its own
    // sentences. Labelled a copy, again and again, the topic shares take positive weights; with
    // sharedWords: false they stay at zero (the shipped model's), and the labels move it less.
    const rudaw = byPrefix('004')
    const afp = byPrefix('003')
    const pairs = analysedPairs()
    for (let i = 0; i < 6; i++) pairs.push({ a: rudaw, b: afp, label: 'copy' })
    const topic = ['unigrams', 'contentUnigrams', 'anchors', 'anchors>0.25']
    const weights = (m: typeof DEFAULT_MODEL) => topic.map((f) => m.derived[m.features.indexOf(f as never) + 1] as number)
    expect(weights(DEFAULT_MODEL)).toEqual([0, 0, 0, 0])
    const free = calibrate(pairs, { folds: 0 }).model
    const held = calibrate(pairs, { folds: 0, sharedWords: false }).model
    expect(weights(held)).toEqual([0, 0, 0, 0])
    expect(Math.max(...weights(free))).toBeGreaterThan(0.05)
    expect(weights(free).every((w) => w >= 0)).toBe(true)
    const p = (m: typeof DEFAULT_MODEL) => 1 - compare(rudaw, afp, { model: m }).probabilities.none
    expect(p(free)).toBeGreaterThan(p(held))
    // From a base that weighs them, sharedWords: false still holds them at zero.
    expect(weights(calibrate(pairs, { folds: 0, base: free, sharedWords: false }).model)).toEqual([0, 0, 0, 0])
  })

  it('accepts any iterable of pairs', () => {
    function* pairs() {
      yield* analysedPairs()
    }
    expect(calibrate(pairs(), { folds: 0 }).model).toEqual(calibrate(analysedPairs(), { folds: 0 }).model)
  })

  it('labels that contradict the shipped model change the judgement of the pair', () => {
    // The Rudaw piece (004) is independent reporting of the AFP story (003): the shipped model
    // does not link them. A newsroom that calls it a copy, again and again, is followed.
    const rudaw = byPrefix('004')
    const afp = byPrefix('003')
    const before = compare(rudaw, afp)
    expect(links(before.relation), before.reason).toBe(false)
    const pairs = analysedPairs()
    for (let i = 0; i < 6; i++) pairs.splice(2 * i + 1, 0, { a: rudaw, b: afp, label: 'copy' })
    const result = calibrate(pairs, { l2: 0.01, folds: 0 })
    expect(result.pairs).toBe(14)
    expect(result.perClass).toEqual({ whole: 9, part: 1, none: 4 })
    const after = compare(rudaw, afp, { model: result.model })
    expect(links(after.relation), after.reason).toBe(true)
    expect(1 - after.probabilities.none).toBeGreaterThan(1 - before.probabilities.none)
    // The same labels pulled hard towards the shipped model (a large l2) change it far less.
    const held = calibrate(pairs, { l2: 1e6, folds: 0 })
    const heldBack = compare(rudaw, afp, { model: held.model })
    expect(1 - heldBack.probabilities.none).toBeLessThan(1 - after.probabilities.none)
  })

  it('starts from options.base instead of the shipped model', () => {
    const base = calibrate(analysedPairs(), { folds: 0 }).model
    const result = calibrate(analysedPairs().slice(0, 3), { base, folds: 0, l2: 1e6 })
    expect(result.model.features).toEqual(base.features)
    for (let k = 1; k < base.derived.length; k++) {
      expect(Math.abs((result.model.derived[k] as number) - (base.derived[k] as number))).toBeLessThan(1e-3)
    }
  })
})

describe('calibrate: pairs across the labels', () => {
  it('counts the pairs made across the labels that each model links; none with one labelled pair', () => {
    const result = calibrate(analysedPairs(), { folds: 0 })
    const across = result.across as NonNullable<typeof result.across>
    // Eight labelled pairs of the five seeds: the probes that are not themselves labelled pairs.
    expect(across.pairs).toBeGreaterThan(0)
    expect(across.pairs).toBeLessThanOrEqual(8)
    expect(across.base).toBeLessThanOrEqual(across.pairs)
    expect(calibrate(analysedPairs().slice(0, 1), { folds: 0 }).across).toBeNull()
  })

  it('shows labels that teach the model to link different stories', () => {
    // Different stories labelled copies, again and again: the calibrated model links stories that
    // share nothing, which the shipped model never does; the pairs across the labels show it.
    const s = EIGHT_STORIES
    const pairs: LabelledPair[] = []
    for (let r = 0; r < 3; r++)
      for (let k = 0; k < 8; k += 2) pairs.push({ a: s[k] as Article, b: s[k + 1] as Article, label: 'copy' })
    pairs.push({ a: s[0] as Article, b: s[2] as Article, label: false }, { a: s[4] as Article, b: s[6] as Article, label: false })
    const result = calibrate(pairs, { folds: 0, l2: 0.01 })
    const across = result.across as NonNullable<typeof result.across>
    expect(across.pairs).toBeGreaterThan(5)
    expect(across.base).toBe(0)
    expect(across.calibrated).toBeGreaterThan(across.pairs / 2)
  })
})

describe('calibrate: bad input', () => {
  const good = () => analysedPairs()[0] as LabelledPair

  it('no pairs', () => {
    expectError(() => calibrate([]), 'INVALID_ARGUMENT', 'calibrate: no labelled pairs')
    expectError(() => calibrate(new Set<LabelledPair>()), 'INVALID_ARGUMENT', 'no labelled pairs')
  })

  it('a pair without a label, or with a bad one, naming pairs[i]', () => {
    const { a, b } = good()
    expectError(
      () => calibrate([good(), { a, b } as LabelledPair]),
      'INVALID_ARGUMENT',
      'calibrate: pairs[1].label must be',
      'got undefined',
    )
    expectError(
      () => calibrate([{ a, b, label: 'similar' as CalibrationLabel }]),
      'INVALID_ARGUMENT',
      'pairs[0].label',
      'got "similar"',
    )
  })

  it('a pair whose article has no text (skipped), naming pairs[i] and the article', () => {
    const { a, b } = good()
    expectError(
      () => calibrate([good(), good(), { a, b: { id: 'blank', text: '' }, label: false }]),
      'INVALID_ARGUMENT',
      'calibrate: pairs[2].b',
      '"blank"',
      'no text',
    )
    expectError(
      () => calibrate([{ a: { id: 'spaces', text: '  \n\t ' }, b, label: true }]),
      'INVALID_ARGUMENT',
      'pairs[0].a',
      '"spaces"',
    )
    const skipped = analyze({ id: 'empty', text: '' })
    expect(skipped.status).not.toBe('ok')
    expectError(
      () => calibrate([good(), { a, b: skipped as unknown as AnalysisOk, label: true }]),
      'INVALID_ARGUMENT',
      'calibrate: pairs[1].b',
      '"empty"',
      'skipped',
    )
  })

  it('a pair that is not an object, naming pairs[i]', () => {
    expectError(
      () => calibrate([good(), null as unknown as LabelledPair]),
      'INVALID_ARGUMENT',
      'calibrate: pairs[1] must be an object',
      'got null',
    )
  })

  it('bad options, naming them', () => {
    expectError(() => calibrate([good()], { folds: -1 }), 'INVALID_ARGUMENT', 'folds must be an integer', 'got -1')
    expectError(() => calibrate([good()], { folds: 2.5 }), 'INVALID_ARGUMENT', 'folds', 'got 2.5')
    expectError(
      () => calibrate([good()], { sharedWords: 'yes' as unknown as boolean }),
      'INVALID_ARGUMENT',
      'calibrate: sharedWords must be true or false',
      'got "yes"',
    )
    expectError(
      () => calibrate([good()], { base: 'shipped' as unknown as typeof DEFAULT_MODEL }),
      'INVALID_ARGUMENT',
      'calibrate: options.base',
      'got "shipped"',
    )
    expectError(() => calibrate([good()], { base: { ...DEFAULT_MODEL, version: 2 as 1 } }), 'UNSUPPORTED_VERSION', 'version 2')
  })

  it('articles in the pairs are checked as articles: one with no id is refused, naming where it is', () => {
    expectError(
      () => calibrate([{ a: articleOf('001'), b: { text: 'x' } as Article, label: true }]),
      'INVALID_ARTICLE',
      'pairs[0].b.id',
      'got undefined',
    )
  })
})
