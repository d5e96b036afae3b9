import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { compare, languagesDiffer } from '../../src/compare/compare.js'
import { longestCommonSubsequence, measureEvidence } from '../../src/compare/evidence.js'
import { LINKING_RELATIONS } from '../../src/compare/relations.js'
import { fcOptions } from '../helpers/seed.js'

function analysed(id: string, text: string): AnalysisOk {
  const x = analyze({ id, text })
  if (x.status !== 'ok') throw new Error(`${id} skipped`)
  return x
}

/** The longest common subsequence by brute force: every subsequence of `x`, longest first. */
function lcsRef(x: number[], y: number[]): number {
  const isSub = (s: number[]) => {
    let j = 0
    for (const v of y) if (j < s.length && s[j] === v) j++
    return j === s.length
  }
  let best = 0
  for (let mask = 0; mask < 1 << x.length; mask++) {
    const s = x.filter((_, i) => mask & (1 << i))
    if (s.length > best && isSub(s)) best = s.length
  }
  return best
}

// A fire in Spain: an English report, its Spanish translation (same names and figures, in the same
// order), and a Spanish report of the same fire that names them in its own order.
const EN =
  'Firefighters near Valencia fought a blaze that burned 2300 hectares on Tuesday, regional president Carlos Mazón said.\n\n' +
  'The fire started near Requena at 14:00 and spread towards Utiel, where 450 people left their homes.\n\n' +
  'The A-3 motorway was closed, and the weather agency Aemet warned of winds of 60 kilometres an hour until Thursday.'
const ES =
  'Los bomberos combatieron cerca de Valencia un incendio que quemó 2300 hectáreas el martes, dijo el presidente regional Carlos Mazón.\n\n' +
  'El fuego empezó cerca de Requena a las 14:00 y avanzó hacia Utiel, donde 450 personas abandonaron sus casas.\n\n' +
  'La autovía A-3 fue cortada, y la agencia meteorológica Aemet avisó de vientos de 60 kilómetros por hora hasta el jueves.'
const ES_OWN =
  'La agencia Aemet avisó de vientos de 60 kilómetros por hora hasta el jueves, y la autovía A-3 sigue cortada en Utiel.\n\n' +
  'Carlos Mazón dijo que 450 personas abandonaron sus casas en Requena, donde el fuego empezó a las 14:00 del martes.\n\n' +
  'El incendio ha quemado 2300 hectáreas cerca de Valencia, según los bomberos, que esperan controlarlo pronto.'

describe('anchor order across languages', () => {
  it(`longestCommonSubsequence agrees with a brute-force search on short sequences`, () => {
    const seq = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 9 })
    fc.assert(
      fc.property(seq, seq, (x, y) => {
        expect(longestCommonSubsequence(x, y)).toBe(lcsRef(x, y))
        expect(longestCommonSubsequence(y, x)).toBe(lcsRef(x, y))
      }),
      fcOptions(300),
    )
  })

  it('is high for a translation, lower for a report of the same event in its own order, the same from both sides', () => {
    const en = analysed('en', EN)
    const es = analysed('es', ES)
    const own = analysed('own', ES_OWN)
    expect(languagesDiffer(en, es)).toBe(true)
    expect(languagesDiffer(en, own)).toBe(true)
    const t = measureEvidence(es, en, true)
    const o = measureEvidence(own, en, true)
    expect(t.a.anchorOrder).toBe(t.b.anchorOrder)
    expect(o.a.anchorOrder).toBe(o.b.anchorOrder)
    expect(t.a.anchorOrder).toBeGreaterThan(0.6)
    expect(o.a.anchorOrder).toBeLessThan(t.a.anchorOrder - 0.25)
  })

  it('keeps a report of the same event in another language apart from the story it does not translate', () => {
    // Three sentences each, about as long, the same names and figures: only their order differs.
    // The model fitted before anchor order called this pair a translation (probability 0.60).
    const en = analysed('en', EN)
    const own = compare(analysed('own', ES_OWN), en)
    expect(own.relation).toBe('related')
    expect(LINKING_RELATIONS).not.toContain(own.relation)
    expect(compare(analysed('es', ES), en).relation).toBe('translation')
  })

  it('is 0 within one language, where the words show the order', () => {
    const es = analysed('es', ES)
    const own = analysed('own', ES_OWN)
    expect(measureEvidence(own, es, false).a.anchorOrder).toBe(0)
  })
})
