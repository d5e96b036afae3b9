// The derivation model: loadModel's checks, predict's probabilities, and fitModel (the fit, its
// determinism, sign constraints, features kept out of a step, the prior, and bad input).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { judgePair } from '../../src/compare/compare.js'
import { DEFAULT_MODEL } from '../../src/compare/default-model.js'
import {
  DAY_KNOTS,
  type DerivationModel,
  daysTold,
  EXTENT_FEATURES,
  type Example,
  type Extent,
  FEATURE_NAMES,
  FEATURE_SIGNS,
  FEATURES,
  type FeatureName,
  fitModel,
  LEGACY_FEATURES,
  loadModel,
  MODEL_FORMAT,
  MODEL_VERSION,
  predict,
  TOPIC_FEATURES,
} from '../../src/compare/model.js'
import { expectError } from '../helpers/errors.js'
import { fcOptions, rng } from '../helpers/seed.js'

/** A deep copy of the shipped model with some fields replaced. */
function variant(changes: Record<string, unknown>): Record<string, unknown> {
  return { ...(JSON.parse(JSON.stringify(DEFAULT_MODEL)) as Record<string, unknown>), ...changes }
}

const D = DEFAULT_MODEL.features.length

/** P(derived) = 1 − P(none). */
const pDerived = (m: DerivationModel, x: readonly number[]) => 1 - predict(m, x).none

/** The verdict compare() reaches from the probabilities: none below the threshold, else the likelier extent. */
function verdict(m: DerivationModel, x: readonly number[]): Extent {
  const p = predict(m, x)
  return 1 - p.none < m.threshold ? 'none' : p.part > p.whole ? 'part' : 'whole'
}

const TWO: FeatureName[] = ['verbatim', 'covered']
const grid = (from: number, to: number, n: number) => Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1))

/**
 * Two features: `none` has a low first feature (x2 anywhere); `part` and `whole` a high one,
 * told apart by the second (low for part, high for whole).
 */
function separable(): Example[] {
  const out: Example[] = []
  for (const v of grid(0.02, 0.35, 8)) for (const c of grid(0.05, 0.95, 5)) out.push({ x: [v, c], label: 'none' })
  for (const v of grid(0.6, 0.98, 6)) {
    for (const c of grid(0.02, 0.3, 3)) out.push({ x: [v, c], label: 'part' })
    for (const c of grid(0.7, 0.98, 3)) out.push({ x: [v, c], label: 'whole' })
  }
  return out
}

/** Both features push towards derivation (step 1) and towards the whole (step 2). */
function bothMatter(): Example[] {
  const out: Example[] = []
  for (const v of grid(0.05, 0.95, 10)) {
    for (const c of grid(0.05, 0.95, 10)) {
      const s = v + c
      out.push({ x: [v, c], label: s < 0.9 ? 'none' : s > 1.35 ? 'whole' : 'part' })
    }
  }
  return out
}

/** The second feature only ever counts against derivation: high for `none`, low for `whole`. */
function secondAgainst(): Example[] {
  const out: Example[] = []
  for (const v of grid(0.1, 0.55, 6)) for (const c of [0.6, 0.75, 0.9]) out.push({ x: [v, c], label: 'none' })
  for (const v of grid(0.35, 0.95, 6)) for (const c of [0.1, 0.25, 0.4]) out.push({ x: [v, c], label: 'whole' })
  return out
}

describe('loadModel', () => {
  it('returns the shipped model, and a JSON copy of it unchanged', () => {
    expect(loadModel(DEFAULT_MODEL)).toBe(DEFAULT_MODEL)
    const copy = JSON.parse(JSON.stringify(DEFAULT_MODEL)) as unknown
    expect(loadModel(copy)).toEqual(DEFAULT_MODEL)
    expect(DEFAULT_MODEL.format).toBe(MODEL_FORMAT)
    expect(DEFAULT_MODEL.version).toBe(MODEL_VERSION)
    for (const f of DEFAULT_MODEL.features) expect(FEATURE_NAMES).toContain(f)
  })

  it('refuses what is not a model, naming the format', () => {
    for (const bad of [null, undefined, 42, 'wiretrace-model', [], {}]) {
      expectError(() => loadModel(bad), 'CORRUPT_DATA', 'not a wiretrace model', `"${MODEL_FORMAT}"`)
    }
    expectError(
      () => loadModel(variant({ format: 'wiretrace-state' })),
      'CORRUPT_DATA',
      'not a wiretrace model',
      '"wiretrace-state"',
    )
  })

  it('refuses another version with UNSUPPORTED_VERSION, naming it and the version read', () => {
    const err = expectError(() => loadModel(variant({ version: 2 })), 'UNSUPPORTED_VERSION', 'version 2', 'version 1')
    expect(err.message).toContain('not supported')
    expectError(() => loadModel(variant({ version: '1' })), 'UNSUPPORTED_VERSION', 'version "1"')
    expectError(() => loadModel(variant({ version: undefined })), 'UNSUPPORTED_VERSION', 'version undefined')
  })

  it('refuses unknown, missing and repeated features', () => {
    const features = [...DEFAULT_MODEL.features]
    features[3] = 'sharedAdjectives' as FeatureName
    expectError(() => loadModel(variant({ features })), 'CORRUPT_DATA', 'unknown feature "sharedAdjectives"')
    expectError(() => loadModel(variant({ features: [] })), 'CORRUPT_DATA', 'features must be a non-empty array')
    expectError(() => loadModel(variant({ features: 'verbatim' })), 'CORRUPT_DATA', 'features must be a non-empty array')
    const twice = [...DEFAULT_MODEL.features]
    twice[1] = twice[0] as FeatureName
    expectError(() => loadModel(variant({ features: twice })), 'CORRUPT_DATA', 'features must be distinct')
  })

  it('refuses mean, scale, derived and whole of the wrong length or not finite', () => {
    const m = DEFAULT_MODEL
    const withNaN = (a: number[], i: number) => a.map((v, k) => (k === i ? Number.NaN : v))
    for (const [field, n] of [
      ['mean', D],
      ['scale', D],
      ['derived', D + 1],
      ['whole', D + 1],
    ] as const) {
      const good = m[field]
      const named = new RegExp(`${field} must be ${n} (finite|positive) numbers`)
      expectError(() => loadModel(variant({ [field]: good.slice(1) })), 'CORRUPT_DATA', named)
      expectError(() => loadModel(variant({ [field]: [...good, 0.5] })), 'CORRUPT_DATA', named)
      expectError(() => loadModel(variant({ [field]: withNaN(good, 2) })), 'CORRUPT_DATA', named)
      expectError(
        () => loadModel(variant({ [field]: good.map((v, k) => (k === 0 ? Number.POSITIVE_INFINITY : v)) })),
        'CORRUPT_DATA',
        named,
      )
      expectError(() => loadModel(variant({ [field]: good.map((v, k) => (k === 1 ? String(v) : v)) })), 'CORRUPT_DATA', named)
      expectError(() => loadModel(variant({ [field]: undefined })), 'CORRUPT_DATA', named)
    }
  })

  it('refuses a scale of zero or below', () => {
    for (const v of [0, -1, -1e-9]) {
      const scale = DEFAULT_MODEL.scale.map((s, k) => (k === 5 ? v : s))
      expectError(() => loadModel(variant({ scale })), 'CORRUPT_DATA', `scale must be ${D} positive numbers`)
    }
  })

  it('refuses a threshold outside (0, 1), naming it', () => {
    for (const [t, shown] of [
      [0, 'got 0'],
      [1, 'got 1'],
      [-0.2, 'got -0.2'],
      [1.5, 'got 1.5'],
      [Number.NaN, 'got NaN'],
      ['0.5', 'got "0.5"'],
      [undefined, 'got undefined'],
    ] as const) {
      expectError(() => loadModel(variant({ threshold: t })), 'CORRUPT_DATA', 'threshold must be a number between 0 and 1', shown)
    }
    expect(loadModel(variant({ threshold: 0.01 })).threshold).toBe(0.01)
    expect(loadModel(variant({ threshold: 0.99 })).threshold).toBe(0.99)
  })
})

describe('predict', () => {
  it('gives three probabilities in [0, 1] that sum to 1', () => {
    const coordinate = fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -500, max: 500, noNaN: true }))
    fc.assert(
      fc.property(fc.array(coordinate, { minLength: D, maxLength: D }), (x) => {
        const p = predict(DEFAULT_MODEL, x)
        expect(Object.keys(p).sort()).toEqual(['none', 'part', 'whole'])
        for (const v of Object.values(p)) {
          expect(v).toBeGreaterThanOrEqual(0)
          expect(v).toBeLessThanOrEqual(1)
        }
        expect(p.none + p.part + p.whole).toBeCloseTo(1, 12)
      }),
      fcOptions(300),
    )
  })

  it('is the sequential logistic model: P(none) = 1 − σ(d), P(whole) = σ(d)·σ(w), P(part) = σ(d)·(1 − σ(w))', () => {
    const m = loadModel({
      ...variant({}),
      features: ['verbatim', 'covered'],
      mean: [0.5, 0.25],
      scale: [0.5, 2],
      derived: [0.3, 2, -1],
      whole: [-0.5, 1, 4],
    })
    const s = (z: number) => 1 / (1 + Math.exp(-z))
    const x = [1.5, 0.75]
    const d = s(0.3 + 2 * ((1.5 - 0.5) / 0.5) - 1 * ((0.75 - 0.25) / 2))
    const w = s(-0.5 + 1 * ((1.5 - 0.5) / 0.5) + 4 * ((0.75 - 0.25) / 2))
    const p = predict(m, x)
    expect(p.none).toBeCloseTo(1 - d, 14)
    expect(p.whole).toBeCloseTo(d * w, 14)
    expect(p.part).toBeCloseTo(d * (1 - w), 14)
    // At the mean, only the intercepts count.
    const atMean = predict(m, [0.5, 0.25])
    expect(atMean.none).toBeCloseTo(1 - s(0.3), 14)
    expect(atMean.whole).toBeCloseTo(s(0.3) * s(-0.5), 14)
  })
})

describe('fitModel on a small synthetic set', () => {
  const examples = separable()
  const model = fitModel(examples, { features: TWO, signs: { verbatim: 1, covered: 1 } })

  it('returns a model loadModel accepts, recording what it was fitted on', () => {
    expect(loadModel(model)).toBe(model)
    expect(model.features).toEqual(TWO)
    expect(model.derived).toHaveLength(3)
    expect(model.whole).toHaveLength(3)
    expect(model.threshold).toBe(0.5)
    expect(model.l2).toBe(1)
    expect(model.fittedOn).toEqual({ examples: examples.length, perClass: { none: 40, part: 18, whole: 18 } })
    // Standardised on the examples: the mean of each feature, and a positive spread.
    expect(model.mean[0]).toBeCloseTo(examples.reduce((s, e) => s + (e.x[0] as number), 0) / examples.length, 12)
    for (const s of model.scale) expect(s).toBeGreaterThan(0)
  })

  it('classifies held-out points right', () => {
    const heldOut: [number[], Extent][] = [
      [[0.1, 0.5], 'none'],
      [[0.2, 0.9], 'none'],
      [[0.25, 0.1], 'none'],
      [[0.75, 0.1], 'part'],
      [[0.9, 0.2], 'part'],
      [[0.7, 0.85], 'whole'],
      [[0.95, 0.9], 'whole'],
    ]
    for (const [x, want] of heldOut) expect(verdict(model, x), `x = ${x.join(', ')}`).toBe(want)
    // And the training points themselves.
    const wrong = examples.filter((e) => verdict(model, e.x) !== e.label)
    expect(wrong).toEqual([])
  })

  it('P(derived) grows with the first feature', () => {
    expect(model.derived[1]).toBeGreaterThan(0)
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (u, v, c) => {
          const [lo, hi] = u <= v ? [u, v] : [v, u]
          expect(pDerived(model, [lo, c])).toBeLessThanOrEqual(pDerived(model, [hi, c]))
        },
      ),
      fcOptions(300, 1),
    )
    // Along a line, strictly and from one side of the threshold to the other.
    const line = grid(0, 1, 21).map((v) => pDerived(model, [v, 0.5]))
    for (let i = 1; i < line.length; i++) expect(line[i] as number).toBeGreaterThan(line[i - 1] as number)
    expect(line[0] as number).toBeLessThan(0.5)
    expect(line[line.length - 1] as number).toBeGreaterThan(0.5)
  })

  it('is reproducible: the same examples give the same coefficients, bit for bit', () => {
    const again = fitModel(
      examples.map((e) => ({ ...e, x: [...e.x] })),
      { features: [...TWO], signs: { verbatim: 1, covered: 1 } },
    )
    expect(again).toEqual(model)
    expect(JSON.stringify(again)).toBe(JSON.stringify(model))
    const bits = (a: number[]) => Array.from(new Uint32Array(new Float64Array(a).buffer))
    expect(bits(again.derived)).toEqual(bits(model.derived))
    expect(bits(again.whole)).toEqual(bits(model.whole))
    // And fitting did not touch the examples.
    expect(examples).toEqual(separable())
  })

  it('weights each example: a weight of 2 counts as the example twice', () => {
    const xs = bothMatter()
    const weighted = fitModel(
      xs.map((e, i) => (i % 7 === 0 ? { ...e, weight: 2 } : e)),
      { features: TWO, signs: {} },
    )
    const doubled = fitModel([...xs, ...xs.filter((_, i) => i % 7 === 0)], { features: TWO, signs: {} })
    for (let k = 0; k < 3; k++) {
      expect(weighted.derived[k] as number).toBeCloseTo(doubled.derived[k] as number, 6)
      expect(weighted.whole[k] as number).toBeCloseTo(doubled.whole[k] as number, 6)
    }
    // A weight of 0 leaves the example out.
    const zero = fitModel([...xs, { x: [0.95, 0.95], label: 'none', weight: 0 }], { features: TWO, signs: {} })
    const plain = fitModel(xs, { features: TWO, signs: {} })
    for (let k = 0; k < 3; k++) expect(zero.derived[k] as number).toBeCloseTo(plain.derived[k] as number, 6)
  })

  it('a larger l2 shrinks the weights', () => {
    const xs = bothMatter()
    const loose = fitModel(xs, { features: TWO, signs: {}, l2: 0.1 })
    const tight = fitModel(xs, { features: TWO, signs: {}, l2: 100 })
    expect(tight.l2).toBe(100)
    for (const k of [1, 2]) {
      expect(Math.abs(tight.derived[k] as number)).toBeLessThan(Math.abs(loose.derived[k] as number))
      expect(Math.abs(tight.whole[k] as number)).toBeLessThan(Math.abs(loose.whole[k] as number))
    }
  })

  it('records the threshold, sets and note it is given', () => {
    const m = fitModel(separable(), { features: TWO, threshold: 0.7, sets: { mine: 76 }, note: 'a test' })
    expect(m.threshold).toBe(0.7)
    expect(m.fittedOn.sets).toEqual({ mine: 76 })
    expect(m.fittedOn.note).toBe('a test')
  })
})

describe('fitModel: sign constraints', () => {
  const examples = secondAgainst()

  it('holds at exactly zero a weight the data would make negative but whose sign is +1', () => {
    const constrained = fitModel(examples, { features: TWO, signs: { verbatim: 1, covered: 1 } })
    expect(Math.abs(constrained.derived[2] as number)).toBe(0)
    expect(constrained.derived[1]).toBeGreaterThan(0)
    // The default signs (FEATURE_SIGNS) say the same for these two features.
    expect(FEATURE_SIGNS.covered).toBe(1)
    const byDefault = fitModel(examples, { features: TWO })
    expect(Math.abs(byDefault.derived[2] as number)).toBe(0)
  })

  it('without the constraint the weight is negative', () => {
    const free = fitModel(examples, { features: TWO, signs: {} })
    expect(free.derived[2]).toBeLessThan(-0.1)
    expect(free.derived[1]).toBeGreaterThan(0)
  })

  it('a sign of −1 holds a weight the data would make positive at zero', () => {
    const m = fitModel(bothMatter(), { features: TWO, signs: { covered: -1 } })
    expect(Math.abs(m.derived[2] as number)).toBe(0)
    expect(m.derived[1]).toBeGreaterThan(0)
    const free = fitModel(bothMatter(), { features: TWO, signs: {} })
    expect(free.derived[2]).toBeGreaterThan(0.1)
  })
})

describe('fitModel: features kept out of a step', () => {
  const examples = bothMatter()

  it('notForLinks: a feature listed there has weight 0 in derived (not in whole)', () => {
    const all = fitModel(examples, { features: TWO, signs: {}, notForLinks: [] })
    expect(all.derived[2]).toBeGreaterThan(0.1)
    const m = fitModel(examples, { features: TWO, signs: {}, notForLinks: ['covered'] })
    expect(Math.abs(m.derived[2] as number)).toBe(0)
    expect(m.derived[1]).toBeGreaterThan(0)
    expect(m.whole[2]).toBeGreaterThan(0.1)
  })

  it('forExtent: features not listed have weight 0 in whole (not in derived)', () => {
    const all = fitModel(examples, { features: TWO, signs: {} })
    expect(all.whole[1]).toBeGreaterThan(0.1)
    const m = fitModel(examples, { features: TWO, signs: {}, forExtent: ['covered'] })
    expect(Math.abs(m.whole[1] as number)).toBe(0)
    expect(m.whole[2]).toBeGreaterThan(0.1)
    expect(m.derived[1]).toBeGreaterThan(0.1)
  })

  it('by default, step 1 leaves out the topic features and step 2 the non-extent ones', () => {
    expect(TOPIC_FEATURES).toContain('unigrams')
    expect(EXTENT_FEATURES).not.toContain('tokens')
    // Swapped figures and missing names say whether a text derives, not how much of it does.
    for (const f of ['numbersSwapped', 'specificsSwapped', 'daysApart>1*verbatim'] as const) {
      expect(EXTENT_FEATURES).not.toContain(f)
      expect(DEFAULT_MODEL.whole[DEFAULT_MODEL.features.indexOf(f) + 1]).toBe(0)
    }
    const features: FeatureName[] = ['unigrams', 'verbatim', 'tokens']
    const xs: Example[] = bothMatter().map((e) => {
      const [v, c] = e.x as [number, number]
      return { x: [(v + c) / 2, v, Math.log1p(100 + 400 * c)], label: e.label }
    })
    const m = fitModel(xs, { features, signs: {} })
    expect(Math.abs(m.derived[1] as number)).toBe(0)
    expect(Math.abs(m.whole[3] as number)).toBe(0)
    expect(Math.abs(m.whole[1] as number)).toBeGreaterThan(0)
    expect(Math.abs(m.derived[3] as number)).toBeGreaterThan(0)
  })
})

describe('fitModel with a prior', () => {
  const prior = DEFAULT_MODEL
  const random = rng(2024)
  /** x at `z` standard deviations from the prior's mean, feature by feature. */
  const at = (z: readonly number[]) => prior.mean.map((m, k) => m + (z[k] as number) * (prior.scale[k] as number))
  const randomX = (spread: number) => at(prior.features.map(() => spread * (2 * random() - 1)))
  const maxDiff = (a: readonly number[], b: readonly number[]) =>
    Math.max(...a.slice(1).map((v, k) => Math.abs(v - (b[k + 1] as number))))

  it('with a large l2, stays within 1e-3 of the prior’s weights', () => {
    const three: Example[] = [
      { x: randomX(1), label: 'none' },
      { x: randomX(1), label: 'part' },
      { x: randomX(1), label: 'whole' },
    ]
    const m = fitModel(three, { prior, l2: 1e6 })
    expect(m.features).toEqual(prior.features)
    expect(m.mean).toEqual(prior.mean)
    expect(m.scale).toEqual(prior.scale)
    expect(m.threshold).toBe(prior.threshold)
    expect(maxDiff(m.derived, prior.derived)).toBeLessThan(1e-3)
    expect(maxDiff(m.whole, prior.whole)).toBeLessThan(1e-3)
    expect(loadModel(m)).toBe(m)
  })

  it('with a small l2 and enough contrary examples, the weights move', () => {
    // The order of aligned sentences (a feature without a sign constraint, weighed by both steps)
    // made to count against derivation and against the whole, whatever the prior says of it.
    const order = prior.features.indexOf('order')
    expect(order).toBeGreaterThanOrEqual(0)
    expect(FEATURE_SIGNS.order).toBeUndefined()
    const xs: Example[] = Array.from({ length: 60 }, (_, i) => {
      const z = prior.features.map(() => 0.3 * (2 * random() - 1))
      z[order] = -2 + (4 * i) / 59
      const label: Extent = (z[order] as number) > 0 ? 'none' : (z[order] as number) < -1 ? 'whole' : 'part'
      return { x: at(z), label }
    })
    const m = fitModel(xs, { prior, l2: 0.01 })
    expect(maxDiff(m.derived, prior.derived)).toBeGreaterThan(0.1)
    expect(maxDiff(m.whole, prior.whole)).toBeGreaterThan(0.1)
    expect(m.derived[order + 1] as number).toBeLessThan(Math.min(0, prior.derived[order + 1] as number) - 0.1)
    expect(m.whole[order + 1] as number).toBeLessThan(Math.min(0, prior.whole[order + 1] as number) - 0.1)
    // The fit follows the labels.
    const linkAgrees = (model: DerivationModel) =>
      xs.filter((e) => pDerived(model, e.x) >= model.threshold === (e.label !== 'none')).length
    expect(linkAgrees(m)).toBeGreaterThan(0.9 * xs.length)
  })

  it('keeps the prior’s step 2 when the examples have no part and whole labels both', () => {
    const xs: Example[] = [
      { x: randomX(1), label: 'none' },
      { x: randomX(1), label: 'whole' },
      { x: randomX(1), label: 'whole' },
      { x: randomX(1), label: 'none' },
    ]
    const m = fitModel(xs, { prior, l2: 0.01 })
    expect(m.whole).toEqual(prior.whole)
    expect(m.whole).not.toBe(prior.whole)
    expect(m.derived).not.toEqual(prior.derived)
  })

  it('keeps the prior’s step 1 when every example is none', () => {
    const m = fitModel([{ x: randomX(1), label: 'none' }], { prior })
    expect(m.derived).toEqual(prior.derived)
    expect(m.whole).toEqual(prior.whole)
    expect(m.fittedOn.perClass).toEqual({ none: 1 })
  })

  it('takes the prior’s features over the features option', () => {
    const m = fitModel([{ x: randomX(1), label: 'none' }], { prior, features: TWO })
    expect(m.features).toEqual(prior.features)
  })
})

describe('fitModel: bad input', () => {
  const ok: Example[] = [
    { x: [0.1, 0.2], label: 'none' },
    { x: [0.9, 0.8], label: 'whole' },
  ]
  const fitting =
    (xs: unknown[], options: Parameters<typeof fitModel>[1] = {}) =>
    () =>
      fitModel(xs as Example[], { features: TWO, ...options })

  it('no examples', () => {
    expectError(fitting([]), 'INVALID_ARGUMENT', 'fitModel: no examples')
  })

  it('x of the wrong length or not finite, naming the example', () => {
    expectError(fitting([...ok, { x: [0.5], label: 'part' }]), 'INVALID_ARGUMENT', 'examples[2].x must be 2 finite numbers')
    expectError(
      fitting([...ok, { x: [0.5, 0.5, 0.5], label: 'part' }]),
      'INVALID_ARGUMENT',
      'examples[2].x must be 2 finite numbers',
    )
    expectError(
      fitting([{ x: [Number.NaN, 0.5], label: 'none' }, ...ok]),
      'INVALID_ARGUMENT',
      'examples[0].x must be 2 finite numbers',
    )
    expectError(
      fitting([ok[0], { x: [0.5, Number.POSITIVE_INFINITY], label: 'whole' }]),
      'INVALID_ARGUMENT',
      'examples[1].x must be 2 finite numbers',
    )
    expectError(fitting([ok[0], { x: '0.5,0.5', label: 'whole' }]), 'INVALID_ARGUMENT', 'examples[1].x')
    // With the default features, x must hold all of them.
    expectError(() => fitModel(ok), 'INVALID_ARGUMENT', `examples[0].x must be ${FEATURE_NAMES.length} finite numbers`)
  })

  it('an unknown label, naming it', () => {
    expectError(
      fitting([...ok, { x: [0.5, 0.5], label: 'copy' }]),
      'INVALID_ARGUMENT',
      'examples[2].label must be one of none, part, whole',
      'got "copy"',
    )
    expectError(fitting([{ x: [0.5, 0.5], label: true }, ...ok]), 'INVALID_ARGUMENT', 'examples[0].label', 'got true')
  })

  it('a negative or non-finite weight, naming it', () => {
    expectError(
      fitting([ok[0], { ...ok[1], weight: -1 }]),
      'INVALID_ARGUMENT',
      'examples[1].weight must be a finite number ≥ 0',
      'got -1',
    )
    expectError(fitting([{ ...ok[0], weight: Number.NaN }, ok[1]]), 'INVALID_ARGUMENT', 'examples[0].weight', 'got NaN')
  })

  it('only one class without a prior', () => {
    const need = 'the examples need both kinds'
    expectError(fitting([ok[0], ok[0]]), 'INVALID_ARGUMENT', need)
    expectError(fitting([ok[1], { x: [0.7, 0.2], label: 'part' }]), 'INVALID_ARGUMENT', need)
    expectError(fitting([{ x: [0.7, 0.2], label: 'part' }]), 'INVALID_ARGUMENT', need)
  })

  it('a bad l2, threshold or feature name, naming it', () => {
    expectError(fitting(ok, { l2: -1 }), 'INVALID_ARGUMENT', 'l2 must be a finite number ≥ 0', 'got -1')
    expectError(fitting(ok, { l2: Number.POSITIVE_INFINITY }), 'INVALID_ARGUMENT', 'l2', 'got Infinity')
    expectError(fitting(ok, { threshold: 1 }), 'INVALID_ARGUMENT', 'threshold must be a number between 0 and 1', 'got 1')
    expectError(fitting(ok, { threshold: 0 }), 'INVALID_ARGUMENT', 'threshold', 'got 0')
    expectError(fitting(ok, { features: ['verbatim', 'colour' as FeatureName] }), 'INVALID_ARGUMENT', 'unknown feature "colour"')
  })
})

describe('date hinges', () => {
  // Only the pair's days apart are read; the rest of the evidence does not matter here.
  const at = (daysApart: number | null) => [{} as never, { daysApart } as never] as const

  it('start after one day (the shipped one) and two (kept for older models), and read 0 without dates', () => {
    for (const f of ['daysApart>1', 'daysApart>2'] as const) expect(FEATURES[f](...at(null))).toBe(0)
    for (const d of [0, 0.5, 1]) expect(FEATURES['daysApart>1'](...at(d))).toBe(0)
    expect(FEATURES['daysApart>1'](...at(3))).toBeCloseTo(Math.log1p(3) - Math.log1p(1), 12)
    expect(FEATURES['daysApart>2'](...at(1.5))).toBe(0)
    expect(FEATURES['daysApart>2'](...at(3))).toBeCloseTo(Math.log1p(3) - Math.log1p(2), 12)
  })

  it('weigh against a link in the shipped model by the share of verbatim text, and not in the extent step', () => {
    const i = DEFAULT_MODEL.features.indexOf('daysApart>1*verbatim')
    expect(i).toBeGreaterThanOrEqual(0)
    expect(DEFAULT_MODEL.derived[i + 1]).toBeLessThan(0)
    // The unweighed hinge is an earlier form: models naming it load, the fit no longer weighs it.
    expect(LEGACY_FEATURES).toContain('daysApart>1')
    expect(FEATURE_NAMES).not.toContain('daysApart>1')
    expect(DEFAULT_MODEL.features).not.toContain('daysApart>1')
    for (const f of ['daysApart>1', 'daysApart>2', 'daysApart>1*verbatim'] as const) expect(EXTENT_FEATURES).not.toContain(f)
  })

  it('say nothing of two texts that share no wording: a same-day pair and one a week apart get the same verdict', () => {
    const pair = (daysApart: number | null, verbatim: number) => [{ verbatim } as never, { daysApart } as never] as const
    expect(FEATURES['daysApart>1*verbatim'](...pair(null, 0.9))).toBe(0)
    expect(FEATURES['daysApart>1*verbatim'](...pair(1, 0.9))).toBe(0)
    expect(FEATURES['daysApart>1*verbatim'](...pair(7, 0))).toBe(0)
    expect(FEATURES['daysApart>1*verbatim'](...pair(7, 0.5))).toBeCloseTo((Math.log1p(7) - Math.log1p(1)) * 0.5, 12)
    // Through the shipped model, the rest of the evidence at its mean: with no verbatim text the
    // days change nothing (the old hinge moved such a pair by a logit); with a frame shared
    // verbatim, a week apart weighs against the link.
    const at = (daysApart: number | null, verbatim: number) => {
      const x = DEFAULT_MODEL.mean.slice()
      DEFAULT_MODEL.features.forEach((f, k) => {
        if (f === 'verbatim') x[k] = verbatim
        if (f.startsWith('daysApart')) x[k] = FEATURES[f](...pair(daysApart, verbatim))
      })
      return predict(DEFAULT_MODEL, x).none
    }
    expect(at(0, 0)).toBe(at(7, 0))
    expect(at(0, 0)).toBe(at(null, 0))
    expect(at(7, 0.8)).toBeGreaterThan(at(0, 0.8) + 0.2)
  })

  it('are where DAY_KNOTS says: every feature reads two distances under its knot alike, and one not listed reads no date', () => {
    // The fields of a real comparison's evidence, each drawn from 0 to 1.
    const pair = ['The council left rates unchanged.', 'The council left rates unchanged on Monday.'].map(
      (text, k) => analyze({ id: String(k), text }) as AnalysisOk,
    )
    const FIELDS = Object.keys(judgePair(pair[0] as AnalysisOk, pair[1] as AnalysisOk, DEFAULT_MODEL).ev.a)
    const evidence = fc.record(Object.fromEntries(FIELDS.map((k) => [k, fc.double({ min: 0, max: 1, noNaN: true })])))
    fc.assert(
      fc.property(
        evidence,
        fc.boolean(),
        fc.constantFrom(...(Object.keys(FEATURES) as FeatureName[])),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (e, crossLanguage, f, u, v) => {
          // Two distances under the knot (any two for a feature that reads no date, null too).
          const knot = DAY_KNOTS[f] ?? Number.POSITIVE_INFINITY
          const under = (w: number) => (Number.isFinite(knot) ? w * knot * 0.999 : w * 30)
          const read = (daysApart: number | null) => FEATURES[f](e as never, { crossLanguage, daysApart } as never)
          expect(read(under(u))).toBe(read(under(v)))
          if (!(f in DAY_KNOTS)) expect(read(null)).toBe(read(under(u)))
        },
      ),
      fcOptions(400),
    )
    // And each listed feature does read the days past its knot.
    for (const [f, knot] of Object.entries(DAY_KNOTS) as [FeatureName, number][]) {
      const e = { verbatim: 1 } as never
      expect(FEATURES[f](e, { daysApart: knot + 1 } as never)).not.toBe(FEATURES[f](e, { daysApart: knot } as never))
    }
  })

  it('tell the shipped model the days from the first (daysTold), and a model weighing plain days from none', () => {
    expect(daysTold(DEFAULT_MODEL)).toBe(1)
    const i = DEFAULT_MODEL.features.indexOf('daysApart')
    const derived = DEFAULT_MODEL.derived.slice()
    derived[i + 1] = -0.5
    expect(daysTold({ ...DEFAULT_MODEL, derived })).toBe(0)
    const none = DEFAULT_MODEL.features.map((f, k) => (f.startsWith('daysApart') ? k + 1 : -1)).filter((k) => k > 0)
    const zero = (w: number[]) => w.map((x, k) => (none.includes(k) ? 0 : x))
    expect(daysTold({ ...DEFAULT_MODEL, derived: zero(DEFAULT_MODEL.derived), whole: zero(DEFAULT_MODEL.whole) })).toBe(
      Number.POSITIVE_INFINITY,
    )
  })
})
