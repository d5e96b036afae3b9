import { type AnalysisOk, analyze } from '../../src/analyze.js'

let ids = 0

/** An analysed text with a fresh id, language detection off (short invented texts). */
export function analysedText(text: string, publishedAt?: string): AnalysisOk {
  const x = analyze({ id: `n${ids++}`, text, ...(publishedAt ? { publishedAt } : {}) }, { detectLanguage: false })
  if (x.status !== 'ok') throw new Error(`skipped: ${text}`)
  return x
}

/** A eurobond notice cut from one frame (invented): two issuers' notices share every word but the names and figures. */
export const bondNotice = (issuer: string, amount: string, coupon: string, price: string, lead: string): string =>
  `${issuer} is issuing a ${amount} mln dlr eurobond due 1994 paying ${coupon} pct and priced at ${price}, ` +
  `lead manager ${lead} said. The non-callable bond is available in denominations of 5,000 dlrs and will be listed ` +
  'in Luxembourg. The selling concession is 1-3/8 pct, while management and underwriting combined pays 5/8 pct. ' +
  `The payment date is March 18 and the issue will be sold by ${lead} and its usual group of co-managers.`

/** A one-line flash cut from one frame (invented): banks raising the prime rate, the bank its only difference. */
export const rateFlash = (bank: string): string =>
  `${bank} SAID IT IS RAISING ITS PRIME LENDING RATE TO 8-1/4 PCT FROM 8 PCT, EFFECTIVE MONDAY.`

/** Banks for {@link rateFlash}. */
export const BANKS = ['NORTHERN TRUST', 'FIRST CHICAGO', 'WELLS FARGO', 'MELLON BANK'] as const

/**
 * A wire story (invented) and its outlets' copies, each editing one figure of it: one story, its
 * values kept but for the one each outlet changed.
 */
export function editedCopies(n: number): { id: string; text: string }[] {
  const story = (killed: string, hurt: string, cars: string, hour: string, miles: string) =>
    `A passenger train struck a lorry at a level crossing near Grantham on Tuesday, killing ${killed} people ` +
    `and injuring ${hurt}, police said.\n\nThe train, carrying about 240 passengers from London to Leeds, ` +
    `derailed and ${cars} of its carriages overturned in a field beside the line.\n\nRescue teams worked ` +
    `through the night to free passengers trapped in the wreckage, and the line was closed for ${hour} hours.\n\n` +
    `The lorry driver, a 52-year-old man from Newark, was arrested on suspicion of dangerous driving.\n\n` +
    `Network Rail said the crossing, ${miles} miles south of the town, had been inspected last month and found safe.`
  const values = ['7', '31', '4', '14', '3']
  const edits = [
    ['7', '31', '4', '14', '3'],
    ['8', '31', '4', '14', '3'],
    ['7', '33', '4', '14', '3'],
    ['7', '31', '5', '14', '3'],
    ['7', '31', '4', '16', '3'],
    ['7', '31', '4', '14', '2'],
  ]
  return Array.from({ length: n }, (_, k) => {
    const v = (edits[k % edits.length] ?? values) as [string, string, string, string, string]
    return { id: `outlet-${k}`, text: story(...v) }
  })
}
