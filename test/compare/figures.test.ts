import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { compare } from '../../src/compare/compare.js'
import { DEFAULT_MODEL } from '../../src/compare/default-model.js'
import { measureEvidence } from '../../src/compare/evidence.js'
import { EXTENT_FEATURES, featureVector } from '../../src/compare/model.js'
import { LINKING_RELATIONS } from '../../src/compare/relations.js'

function analysed(id: string, text: string, publishedAt: string): AnalysisOk {
  const x = analyze({ id, text, publishedAt })
  if (x.status !== 'ok') throw new Error(`${id} skipped`)
  return x
}

// A futures table as a wire sends it every half hour: one frame, the prices of the moment.
const table = (time: string, prices: string[]) =>
  `GRAIN FUTURES ${time} EDT\n\nWHEAT MAY ${prices[0]} UP 1 1/2 JUL ${prices[1]} UP 1/2 SEP ${prices[2]} UNCH DEC ${prices[3]} UP 1/4 MAR ${prices[4]} UP 3/4`

// A prose story and a newspaper's version of it that rounds one figure and rewords a sentence.
const STORY =
  'Floods in the north of the country have forced 12,400 people from their homes, the civil protection agency said on Tuesday.\n\n' +
  'Rescue teams evacuated three villages overnight after the river rose 2.7 metres above its usual level, the agency said.\n\n' +
  'Forecasters expect more rain until Thursday, and the agency asked residents of low-lying areas to stay alert.'
const ROUNDED =
  'Floods in the north of the country have forced more than 12,000 people from their homes, the civil protection agency said on Tuesday.\n\n' +
  'Rescue teams evacuated three villages overnight after the river rose 2.7 metres above its usual level, the agency said.\n\n' +
  'More rain is forecast until Thursday, and residents of low-lying areas were asked to stay alert.'

describe('figures swapped, weighed by how much of the text is figures', () => {
  it('keeps two tables of one frame with other prices apart, and links a copy of one', () => {
    const noon = analysed('noon', table('12:00', ['285 1/4', '280 3/4', '276 1/2', '281', '284']), '1987-04-07T12:07:00Z')
    const later = analysed('later', table('12:30', ['286', '282', '277 1/2', '282 1/4', '285']), '1987-04-07T12:35:00Z')
    const copy = analysed('copy', table('12:00', ['285 1/4', '280 3/4', '276 1/2', '281', '284']), '1987-04-07T12:09:00Z')
    const ev = measureEvidence(later, noon, false)
    expect(ev.a.figures).toBeGreaterThan(0.3)
    expect(ev.a.numbersSwapped).toBeGreaterThan(0.2)
    expect(LINKING_RELATIONS).not.toContain(compare(noon, later).relation)
    expect(LINKING_RELATIONS).toContain(compare(noon, copy).relation)
  })

  it('links a rewrite of prose that rounds a figure: few of its words are figures', () => {
    const story = analysed('story', STORY, '2026-03-03T09:00:00Z')
    const rounded = analysed('rounded', ROUNDED, '2026-03-03T11:00:00Z')
    const ev = measureEvidence(rounded, story, false)
    expect(ev.a.figures).toBeLessThan(0.1)
    expect(LINKING_RELATIONS).toContain(compare(story, rounded).relation)
  })

  it('is a feature of the link decision only, against derivation, and zero across languages', () => {
    expect(EXTENT_FEATURES).not.toContain('numbersSwapped*figures')
    const at = DEFAULT_MODEL.features.indexOf('numbersSwapped*figures')
    expect(at).toBeGreaterThanOrEqual(0)
    expect(DEFAULT_MODEL.derived[at + 1]).toBeLessThan(0)
    expect(DEFAULT_MODEL.whole[at + 1]).toBe(0)
    const noon = analysed('noon', table('12:00', ['285 1/4', '280 3/4', '276 1/2', '281', '284']), '1987-04-07T12:07:00Z')
    const later = analysed('later', table('12:30', ['286', '282', '277 1/2', '282 1/4', '285']), '1987-04-07T12:35:00Z')
    const model = { ...DEFAULT_MODEL, features: ['numbersSwapped*figures' as const] }
    const within = measureEvidence(later, noon, false)
    expect(featureVector(model, within.a, within)[0]).toBeGreaterThan(0)
    const across = measureEvidence(later, noon, true)
    expect(featureVector(model, across.a, across)[0]).toBe(0)
  })
})

// A rate table sent for one day, the next day's with other maturities and rates: the rows do not
// align as sentences, so no figure counts as swapped; only the figures missing show the difference.
const rateTable = (rows: string[][]) =>
  'FARM CREDIT BANKS CHANGE DISCOUNT NOTE RATES\n\nThe Federal Farm Credit Banks Funding Corp adjusted the rates on its short-term discount notes as follows:\n\nMATURITY   NEW RATE  OLD RATE\n' +
  rows.map((r) => `${r[0]} days  ${r[1]} pct  ${r[2]} pct`).join('\n')
const APRIL_1 = rateTable([
  ['30-69', '5.00', '5.00'],
  ['70-88', '5.92', '5.90'],
  ['89-123', '5.00', '5.00'],
  ['124-150', '5.93', '5.92'],
  ['151-349', '5.00', '5.00'],
  ['350-360', '6.04', '6.02'],
])
const APRIL_2 = rateTable([
  ['30-176', '5.00', '5.00'],
  ['177-195', '5.85', '5.83'],
  ['196-271', '5.00', '5.00'],
  ['272-295', '5.95', '5.91'],
  ['296-341', '5.00', '5.00'],
  ['342-360', '6.10', '6.07'],
])

describe('figures missing, weighed by how much of the text is figures', () => {
  it("keeps the next day's table of one frame apart though its rows align with nothing, and links a re-send", () => {
    const first = analysed('apr1', APRIL_1, '1987-04-01T10:12:00Z')
    const next = compare(analysed('apr2', APRIL_2, '1987-04-02T11:24:00Z'), first)
    // The model fitted before figures missing called this pair partial (0.93).
    expect(next.evidence?.a.numbersSwapped).toBe(0)
    expect(next.evidence?.a.figuresKept).toBeLessThan(0.2)
    expect(LINKING_RELATIONS).not.toContain(next.relation)
    const again = compare(analysed('apr1-again', APRIL_1, '1987-04-01T10:40:00Z'), first)
    expect(again.evidence?.a.figuresKept).toBeGreaterThan(0.9)
    expect(again.relation).toBe('duplicate')
  })

  it('is 1 for a text without figures, and zero as a feature across languages', () => {
    const a = analysed('a', 'The council met on Monday and agreed to rebuild the old bridge over the river.', '1987-04-01')
    const b = analysed('b', 'The council agreed on Monday to rebuild the old bridge that crosses the river.', '1987-04-01')
    expect(measureEvidence(a, b, false).a.figuresKept).toBe(1)
    const model = { features: ['figuresMissing*figures' as const] }
    const x = analysed('x', APRIL_2, '1987-04-02')
    const y = analysed('y', APRIL_1, '1987-04-01')
    const within = measureEvidence(x, y, false)
    expect(featureVector(model, within.a, within)[0]).toBeGreaterThan(0)
    const across = measureEvidence(x, y, true)
    expect(featureVector(model, across.a, across)[0]).toBe(0)
    const at = DEFAULT_MODEL.features.indexOf('figuresMissing*figures')
    expect(at).toBeGreaterThanOrEqual(0)
    expect(DEFAULT_MODEL.derived[at + 1]).toBeLessThan(0)
  })
})
