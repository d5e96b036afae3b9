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
