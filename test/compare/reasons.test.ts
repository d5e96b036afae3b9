// The reason of a verdict names the evidence that decided it.
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { compare } from '../../src/compare/compare.js'

let ids = 0
function analysed(text: string, publishedAt?: string): AnalysisOk {
  const x = analyze({ id: `r${ids++}`, text, ...(publishedAt ? { publishedAt } : {}) }, { detectLanguage: false })
  if (x.status !== 'ok') throw new Error(`skipped: ${text}`)
  return x
}

// Two notices cut from one frame for two issuers (invented).
const notice = (issuer: string, amount: string, coupon: string, price: string, lead: string) =>
  `${issuer} is issuing a ${amount} mln dlr eurobond due 1994 paying ${coupon} pct and priced at ${price}, ` +
  `lead manager ${lead} said. The non-callable bond is available in denominations of 5,000 dlrs and will be listed ` +
  'in Luxembourg. The selling concession is 1-3/8 pct, while management and underwriting combined pays 5/8 pct. ' +
  `The payment date is March 18 and the issue will be sold by ${lead} and its usual group of co-managers.`

describe('reasons', () => {
  it('say that template notices kept apart share their wording but not their names and figures', () => {
    const c = compare(
      analysed(notice('Koval Finance', '150', '8-1/4', '101-1/2', 'Brandt Securities')),
      analysed(notice('Marlow Holdings', '200', '7-7/8', '101-1/4', 'Osterby Bank')),
    )
    expect(c.extent).toBe('none')
    expect(c.reason).toMatch(/^same wording, other facts: \d+% of its words in verbatim runs/)
    expect(c.reason).toMatch(/names and figures in its aligned sentences swapped/)
    expect(c.reason).not.toMatch(/independent text/)
  })

  it('keep "same story, independent text" for independent reports of one event', () => {
    const a =
      'Dock workers in Varnholm walked out on Tuesday over pay, union leader Mira Sallen said, after talks with ' +
      'the port authority broke down. About 1,200 workers joined the strike, which halted container traffic.'
    const b =
      'Container traffic at Varnholm stood still as some 1,200 dockers struck. Mira Sallen, who leads their ' +
      'union, blamed the port authority for ending negotiations; a spokesman for the authority declined to comment.'
    const c = compare(analysed(a), analysed(b))
    expect(c.relation).toBe('related')
    expect(c.reason).toMatch(/^same story, independent text: \d+ names and figures shared/)
  })
})
