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
