import { describe, expect, it } from 'vitest'
import { analyze } from '../../src/analyze.js'
import { clusterArticles } from '../../src/cluster/cluster.js'
import { Detector } from '../../src/cluster/detector.js'
import { compare } from '../../src/compare/compare.js'
import { LshIndex } from '../../src/lsh/lsh.js'
import { loadSeeds, seed } from '../helpers/seeds.js'

const code = (c: string) => expect.objectContaining({ code: c })

describe('clusterArticles: edge cases', () => {
  it('gives empty results for an empty corpus', () => {
    const r = clusterArticles([])
    expect(r).toMatchObject({ kind: 'clustering', version: 1, clusters: [], singletons: [], skipped: [] })
    expect(r.stats.articles).toBe(0)
    // Options are checked all the same: a wrong one is not waved through on an empty input.
    expect(() => clusterArticles([], { threshold: 5 })).toThrow(code('INVALID_ARGUMENT'))
    expect(() => clusterArticles([], { threshold: 5 })).toThrow(/threshold must be a number from 0.01 to 0.99, got 5/)
    expect(() => clusterArticles([], { shingleSize: 0 })).toThrow(code('INVALID_ARGUMENT'))
    expect(() => clusterArticles([], { maxBucket: 0 })).toThrow(code('INVALID_ARGUMENT'))
  })

  it('refuses duplicate ids with a precise error, or replaces by option', () => {
    const [a, b] = loadSeeds()
    expect(() => clusterArticles([a!, { ...b!, id: a!.id }])).toThrow(code('DUPLICATE_ID'))
    expect(() => clusterArticles([a!, { ...b!, id: a!.id }])).toThrow(/"000" occurs more than once/)
    const r = clusterArticles([a!, { ...b!, id: a!.id }], { duplicateIds: 'replace' })
    expect(r.stats.articles).toBe(1)
    expect(r.singletons).toEqual(['000'])
  })

  it('reports articles with no usable text as skipped, with the reason, and counts them', () => {
    const r = clusterArticles([...loadSeeds(), { id: 'empty', text: '' }, { id: 'chrome', text: 'A+ A-' }])
    expect(r.skipped).toEqual([
      { id: 'chrome', reason: 'boilerplate-only', detail: 'all 1 paragraphs are boilerplate' },
      { id: 'empty', reason: 'empty', detail: 'text is empty or whitespace' },
    ])
    expect(r.stats).toMatchObject({ articles: 7, analysed: 5, skipped: 2 })
    expect(r.clusters[0]?.members).toHaveLength(4)
  })

  it('refuses a malformed article, naming it', () => {
    expect(() => clusterArticles([{ id: 'x' } as never])).toThrow(code('INVALID_ARTICLE'))
    expect(() => clusterArticles([{ id: 'x', text: 'ok', publishedAt: 'yesterday' }])).toThrow(
      /publishedAt must be an ISO 8601 date .* or D-MON-YYYY/,
    )
  })

  it('two stories that each share a paragraph with a roundup do not merge (no chaining)', () => {
    const afp = analyze(seed('003'))
    const rudaw = analyze(seed('004'))
    if (afp.status !== 'ok' || rudaw.status !== 'ok') throw new Error('seeds must analyse')
    const own = [
      'In other news from the region, fuel prices rose for the third week running as the winter shortage deepened.',
      'Farmers in the north said the late rains had ruined much of the wheat harvest, and asked for government help.',
      'The national football team lost its qualifier away from home, ending its hopes of reaching the finals.',
      'A court adjourned the corruption trial of a former minister until January after his lawyers fell ill.',
    ]
    const roundup = [own[0], afp.paragraphs[3]?.text, own[1], rudaw.paragraphs[10]?.text, own[2], own[3]].join('\n\n')
    const r = clusterArticles([...loadSeeds().filter((a) => a.id !== '002'), { id: 'roundup', text: roundup }])
    const clusterOf = new Map(r.clusters.flatMap((c) => c.members.map((m) => [m.id, c.id] as const)))
    expect(clusterOf.get('003')).toBeDefined()
    expect(clusterOf.get('003')).toBe(clusterOf.get('001'))
    // The roundup takes a whole AFP paragraph over unmarked: a passage reused, so it may join the
    // AFP cluster as partial. Rudaw, linked to the roundup by the other paragraph, must not follow.
    const roundupLinks = r.links.filter((l) => l.a === 'roundup' || l.b === 'roundup')
    expect(roundupLinks.some((l) => l.relation === 'partial')).toBe(true)
    expect(clusterOf.get('004') === undefined || clusterOf.get('004') !== clusterOf.get('003')).toBe(true)
  })

  it('a roundup linked to two stories alone is not their centre: the stories stay apart', () => {
    // Two stories with no other copies, and an evening roundup that takes one paragraph of each.
    // Counting what the roundup covers of both, it covered the most and took both into its star.
    const flu = [
      'The health agency said on Tuesday that a new strain of avian influenza had been found on poultry farms in three northern provinces.',
      'Officials said about 240,000 birds had been culled since the first case was confirmed on March 3, and that movement restrictions would stay in place for at least 21 days.',
      'Two farm workers who developed mild symptoms were tested and both results came back negative, the health ministry said.',
      'The outbreak is the largest since 2017, when another strain forced the slaughter of more than two million birds.',
      'Poultry exports from the affected provinces, worth about 1.2 billion euros a year, have been suspended by several trading partners.',
      'A farmers union called for emergency compensation, warning that hundreds of small producers could go out of business.',
    ]
    const stocks = [
      'The main share index closed at a record high on Friday, lifted by chipmakers after strong results from a large supplier of hardware.',
      'The benchmark rose 1.8 percent to 41,250.33, while the broader index gained 1.1 percent, and two equipment makers jumped 6 and 4.5 percent.',
      'A weaker currency also supported exporters such as carmakers and electronics groups.',
      'Analysts cautioned that the rally looked stretched ahead of next week’s central bank meeting.',
    ]
    const roundup = [
      'Here is what you need to know this evening.',
      flu[1],
      stocks[1],
      'In other news, the city council will meet on Thursday to discuss the new tram line, which has been delayed by two years.',
      'Weather: rain clearing by the afternoon, with highs of 14 degrees.',
    ]
    const r = clusterArticles([
      { id: 'flu', text: flu.join('\n\n'), publishedAt: '2026-03-10T09:00:00Z' },
      { id: 'stocks', text: stocks.join('\n\n'), publishedAt: '2026-03-10T06:00:00Z' },
      { id: 'roundup', text: roundup.join('\n\n'), publishedAt: '2026-03-10T18:00:00Z' },
    ])
    const roundupLinks = r.links.filter((l) => l.a === 'roundup' || l.b === 'roundup')
    expect(roundupLinks.map((l) => [l.relation, l.original]).sort()).toEqual([
      ['partial', 'flu'],
      ['partial', 'stocks'],
    ])
    const clusterOf = new Map(r.clusters.flatMap((c) => c.members.map((m) => [m.id, c.id] as const)))
    expect(clusterOf.get('flu') === undefined || clusterOf.get('flu') !== clusterOf.get('stocks')).toBe(true)
    expect(r.clusters.map((c) => c.reference)).not.toContain('roundup')
  })
})

describe('mixing parameters', () => {
  it('is refused by compare and by the index, naming both settings', () => {
    const a = analyze(seed('001'))
    const b = analyze(seed('003'), { shingleSize: 4 })
    expect(() => compare(a, b)).toThrow(code('PARAMS_MISMATCH'))
    expect(() => compare(a, b)).toThrow(/shingleSize=3.*shingleSize=4/)
    const index = new LshIndex()
    if (a.status !== 'ok' || b.status !== 'ok') throw new Error('seeds must analyse')
    index.insert(a.fingerprint)
    expect(() => index.insert(b.fingerprint)).toThrow(code('PARAMS_MISMATCH'))
    expect(() => index.query(b.fingerprint)).toThrow(code('PARAMS_MISMATCH'))
  })

  it('refuses to compare a skipped analysis', () => {
    expect(() => compare(analyze({ id: 'e', text: '' }), analyze(seed('001')))).toThrow(/was skipped \(empty\)/)
  })
})

describe('Detector: window and bad input', () => {
  it('expires articles older than the window, so they stop matching', () => {
    const d = new Detector({ windowDays: 2 })
    const s = loadSeeds()
    d.add({ ...s[3]!, publishedAt: '2024-12-01' })
    const late = d.add({ ...s[1]!, publishedAt: '2024-12-08' })
    expect(late.expired).toEqual(['003'])
    expect(late.matches).toEqual([])
    expect(d.has('003')).toBe(false)
    expect(d.size).toBe(1)
  })

  it('keeps at most maxArticles, forgetting the oldest', () => {
    const d = new Detector({ maxArticles: 2 })
    for (const a of loadSeeds()) d.add(a)
    expect(d.size).toBe(2)
    expect(d.has('004')).toBe(true)
  })

  it('refuses a repeated id unless told to replace, and reports skipped articles', () => {
    const d = new Detector()
    d.add(seed('001'))
    expect(() => d.add(seed('001'))).toThrow(code('DUPLICATE_ID'))
    expect(new Detector({ duplicateIds: 'replace' }).add(seed('001')).status).toBe('ok')
    const skipped = d.add({ id: 'blank', text: '   ' })
    expect(skipped).toMatchObject({ status: 'skipped', skip: { reason: 'empty' }, matches: [] })
    expect(d.clusters().skipped.map((x) => x.id)).toEqual(['blank'])
    expect(() => new Detector({ windowDays: -1 })).toThrow(code('INVALID_ARGUMENT'))
  })
})
