import { describe, expect, it } from 'vitest'
import { type AnalysisOk, type Article, analyze } from '../../src/analyze.js'
import { clusterArticles } from '../../src/cluster/cluster.js'
import { compare, LINKING_RELATIONS } from '../../src/compare/compare.js'

// Synthetic stories (no corpus text). A hard negative is built as bench/generate.ts builds one: a
// different story quoting one sentence of another, in quotation marks.

const WIRE = [
  'Harbour Authority Approves Larchmont Container Terminal Expansion',
  'The Larchmont Harbour Authority on Tuesday approved a 412 million dollar expansion of its eastern container terminal, ending two years of dispute with fishing cooperatives over dredging in the bay.',
  'Under the plan, the terminal will add four deep-water berths and raise its yearly capacity to 1.9 million containers by 2029, authority chairwoman Petra Vandermeer told reporters after the vote.',
  'The fishing cooperatives had argued that dredging would destroy the oyster beds north of the breakwater. The authority agreed to fund a 38 million dollar restoration programme and to halt dredging during the spawning season.',
  'Shipping lines welcomed the decision, saying congestion at the existing quays had forced vessels to wait up to six days for a berth last winter.',
  'Construction is expected to begin in the spring, with the first two berths opening in late 2027, the authority said in a statement.',
]

const COUNCIL = [
  'Brennick Council Delays Vote On Library Closures',
  'Councillors in Brennick postponed a vote on closing three branch libraries on Wednesday after more than two hundred residents packed the chamber to protest the cuts.',
  'The council faces a shortfall of 7.4 million pounds next year and had proposed shutting the Eastgate, Millbrook and Saltash branches to save about 900,000 pounds a year.',
  'Council leader Amrit Osei said the authority would look again at volunteer-run alternatives before the next full meeting in March, but warned that every department would have to find savings.',
  'Campaigners handed in a petition with 11,000 signatures and said they would seek a judicial review if any branch closed without a proper consultation.',
]

const article = (id: string, paragraphs: string[]): Article => ({ id, text: paragraphs.join('\n\n') })
const analysed = (a: Article) => analyze(a) as AnalysisOk

const wire = article('wire', WIRE)
// The generator's hard negative: a different story quoting one sentence of the wire story, in
// quotation marks and attributed.
const [firstSentence] = (WIRE[3] as string).split(/(?<=\.) (?=[A-Z])/) as [string]
const quote = article('quote', [
  ...COUNCIL.slice(0, 3),
  `"${firstSentence.replace(/\.$/, '')}," the harbour authority said.`,
  ...COUNCIL.slice(3),
])
// A different story that takes one whole paragraph of the wire story into its own text, unmarked:
// a passage reused, not a quote.
const spliced = article('spliced', [...COUNCIL.slice(0, 2), WIRE[3] as string, ...COUNCIL.slice(2)])
// True reprints.
const truncated = article('truncated', [WIRE[0] as string, `LARCHMONT (Coastal Courier) — ${WIRE[1]}`, WIRE[2] as string])
const leadOnly = article('lead-only', [WIRE[0] as string, WIRE[1] as string])
const ownHeadline = article('own-headline', ['Terminal Deal Ends Dredging Row In The Bay', WIRE[1] as string])

describe('hard negatives: a different story quoting one sentence', () => {
  it('is not linked to the story it quotes', () => {
    const c = compare(analysed(quote), analysed(wire))
    expect(LINKING_RELATIONS, c.reason).not.toContain(c.relation)
    // The shared words are there, inside quotation marks, and count as a quote; outside the
    // quote, a word or two in common ("the authority") at most.
    expect(c.evidence.a.verbatimQuoted).toBeGreaterThan(0.1)
    expect(c.evidence.a.verbatim).toBeLessThan(0.02)
  })

  it('nor is the story quoted linked to the story quoting it (the quote counts as one on both sides)', () => {
    const c = compare(analysed(wire), analysed(quote))
    expect(LINKING_RELATIONS, c.reason).not.toContain(c.relation)
    expect(c.evidence.a.verbatimQuoted).toBeGreaterThan(0.05)
    expect(c.evidence.a.verbatim).toBeLessThan(0.02)
  })

  it('finds a paragraph taken over unmarked as partial, with the passage located in both texts', () => {
    // Dated: the later article is the one judged (text alone cannot tell which took from which).
    const c = compare(analysed({ ...spliced, publishedAt: '2026-03-04' }), analysed({ ...wire, publishedAt: '2026-03-03' }))
    expect(c.relation, c.reason).toBe('partial')
    expect(c.original).toBe('wire')
    const passage = c.passages.find((p) => p.mode === 'verbatim')
    expect(passage).toBeDefined()
    const p = passage as NonNullable<typeof passage>
    expect(spliced.text.slice(p.a.start, p.a.end)).toBe(WIRE[3])
    expect(wire.text.slice(p.b.start, p.b.end)).toBe(WIRE[3])
  })

  it('still links truncated reprints, including one cut to its lead, as copies', () => {
    for (const copy of [truncated, leadOnly]) {
      const c = compare(analysed(copy), analysed(wire))
      expect(c.relation, `${copy.id}: ${c.reason}`).toBe('copy')
      expect(c.original).toBe('wire')
    }
  })

  it('still links a reprint cut to its lead under its own headline (one shared paragraph, most of the copy)', () => {
    const c = compare(analysed(ownHeadline), analysed(wire))
    expect(c.relation, c.reason).toBe('copy')
  })

  it('keeps the quoting story out of the cluster of the story it quotes', () => {
    const result = clusterArticles([wire, quote, truncated, leadOnly])
    expect(result.clusters.map((c) => c.members.map((m) => m.id).sort())).toEqual([['lead-only', 'truncated', 'wire']])
    expect(result.singletons).toEqual(['quote'])
  })
})
