import { describe, expect, it } from 'vitest'
import { type AnalysisOk, type Article, analyze } from '../../src/analyze.js'
import { clusterArticles } from '../../src/cluster/cluster.js'
import { compare, LINKING_RELATIONS } from '../../src/compare/compare.js'

// Synthetic stories (no corpus text). A hard negative is built as bench/generate.ts builds one: a
// different story with one paragraph of the quoted story spliced in verbatim.

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

/** The generator's hard negative: another story with one paragraph of `quoted` spliced in at `at`. */
function quoting(own: string[], quoted: string[], paragraph: number, at: number): string[] {
  const out = own.slice()
  out.splice(at, 0, quoted[paragraph] as string)
  return out
}

const wire = article('wire', WIRE)
// A different story quoting one paragraph of the wire story (paragraph mode: both have 3+ paragraphs).
const quote = article('quote', quoting(COUNCIL, WIRE, 3, 2))
// The same in sentence units: a two-paragraph story (so units are sentences) quoting a paragraph
// of two sentences. Counted in sentences, that one quote looked like two shared units.
const briefQuote = article('brief-quote', [
  'Residents of the Saltash estate say the closure of their branch library would leave older people without the only warm public room within a mile, and a campaign group has begun collecting money for a legal challenge. Its organiser, a retired teacher, said the group had raised 4,200 pounds in a week.',
  WIRE[3] as string,
])
// True reprints.
const truncated = article('truncated', [WIRE[0] as string, `LARCHMONT (Coastal Courier) — ${WIRE[1]}`, WIRE[2] as string])
const leadOnly = article('lead-only', [WIRE[0] as string, WIRE[1] as string])
const ownHeadline = article('own-headline', ['Terminal Deal Ends Dredging Row In The Bay', WIRE[1] as string])

describe('hard negatives: a different story quoting one paragraph', () => {
  it('is not linked to the story it quotes (paragraph units)', () => {
    const c = compare(analysed(quote), analysed(wire))
    expect(c.unit).toBe('paragraph')
    expect(c.aligned.filter((p) => p.match !== 'reworded')).toHaveLength(1)
    expect(LINKING_RELATIONS, c.reason).not.toContain(c.relation)
    expect(c.relation).toBe('related')
  })

  it('is not linked when the units are sentences and the quoted paragraph has two of them', () => {
    const c = compare(analysed(briefQuote), analysed(wire))
    expect(c.unit).toBe('sentence')
    // Two sentence pairs are shared, both from one paragraph on each side: one quote.
    expect(c.aligned.filter((p) => p.match === 'verbatim')).toHaveLength(2)
    expect(LINKING_RELATIONS, c.reason).not.toContain(c.relation)
  })

  it('still links truncated reprints, including one cut to its lead, as copies', () => {
    for (const copy of [truncated, leadOnly]) {
      const c = compare(analysed(copy), analysed(wire))
      expect(c.relation, `${copy.id}: ${c.reason}`).toBe('copy')
      expect(c.original).toBe('wire')
    }
  })

  it('still links a reprint cut to its lead under its own headline (one shared paragraph, most of the copy)', () => {
    // Text alone cannot tell this from a story that "quotes" the whole body of a one-paragraph
    // story; that is why the generator's hard negatives quote less than half of either story.
    const c = compare(analysed(ownHeadline), analysed(wire))
    expect(c.unit).toBe('sentence')
    expect(c.relation, c.reason).toBe('copy')
  })

  it('still finds a partial reprint between two articles of one paragraph each, by sentences', () => {
    const sentences = (p: string) => p.split(/(?<=\.) (?=[A-Z])/)
    const [s1, s2] = sentences(WIRE[3] as string) as [string, string]
    const x = article('x', [[COUNCIL[1], s1, s2, COUNCIL[2]].join(' ')])
    const y = article('y', [[WIRE[4], s1, s2, COUNCIL[4]].join(' ')])
    const c = compare(analysed(x), analysed(y))
    expect(c.unit).toBe('sentence')
    expect(c.relation, c.reason).toBe('partial')
  })

  it('still finds a partial reprint whose paragraphs were run together into one', () => {
    // Two of the wire story's paragraphs inside one paragraph of the copy: shared paragraphs are
    // counted on the side where the shared text spans the most.
    const own = 'Local businesses said they hoped the work would bring jobs to the harbour district.'
    const runTogether = article('run-together', [
      'Bay Terminal Plan Wins Approval After Long Dispute',
      [COUNCIL[3], WIRE[2], WIRE[3], own].join(' '),
    ])
    const c = compare(analysed(runTogether), analysed(wire))
    expect(c.unit).toBe('sentence')
    expect(c.relation, c.reason).toBe('partial')
  })

  it('keeps hard negatives out of the cluster of the story they quote', () => {
    const result = clusterArticles([wire, quote, briefQuote, truncated, leadOnly])
    expect(result.clusters.map((c) => c.members.map((m) => m.id).sort())).toEqual([['lead-only', 'truncated', 'wire']])
    expect(result.singletons).toEqual(['brief-quote', 'quote'])
  })
})
