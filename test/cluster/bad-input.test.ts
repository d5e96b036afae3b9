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
