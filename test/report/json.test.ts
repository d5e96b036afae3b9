import { describe, expect, it } from 'vitest'
import { analyze } from '../../src/analyze.js'
import { clusterArticles } from '../../src/cluster/cluster.js'
import { diffCluster } from '../../src/diff/index.js'
import { buildReport, parseReport, REPORT_FORMAT, REPORT_VERSION } from '../../src/report/index.js'
import { codeOf } from '../helpers/errors.js'
import { loadSeeds } from '../helpers/seeds.js'
import { handMadeResult, reportOf, seedReport } from './fixtures.js'

describe('buildReport', () => {
  const report = seedReport()

  it('returns a versioned wiretrace/report without a timestamp', () => {
    expect(report.format).toBe(REPORT_FORMAT)
    expect(report.version).toBe(REPORT_VERSION)
    expect(report).not.toHaveProperty('generatedAt')
  })

  it('returns the AFP cluster with its members, relations and diff', () => {
    expect(report.clusters).toHaveLength(1)
    const c = report.clusters[0]!
    expect(c.reference).toBe('003')
    expect(Object.fromEntries(c.members.map((m) => [m.id, m.relation]))).toEqual({
      '003': 'reference',
      '000': 'partial',
      '001': 'copy',
      '002': 'translation',
    })
    expect(c.diff?.reference).toBe('003')
    expect(c.diff?.diffs.map((d) => [d.copy, d.relation])).toEqual([
      ['000', 'partial'],
      ['001', 'copy'],
      ['002', 'translation'],
    ])
  })

  it('describes Rudaw as a singleton from the analyses', () => {
    expect(report.singletons).toEqual([
      expect.objectContaining({ id: '004', source: 'Rudaw (own reporting on the same event)', publishedAt: '2024-12-08' }),
    ])
    expect(report.skipped).toEqual([])
  })

  it('lists the boilerplate of every article, Rudaw’s comment block included', () => {
    expect(report.boilerplate.map((b) => b.article)).toEqual(['000', '001', '002', '003', '004'])
    const rudaw = report.boilerplate.find((b) => b.article === '004')!
    const trailing = rudaw.removed.find((r) => r.rule === 'trailing-section')
    expect(trailing?.text).toMatch(/^Comments\s+Rudaw moderates all comments/)
    expect(report.stats.boilerplateRemoved).toBe(report.boilerplate.reduce((n, b) => n + b.removed.length, 0))
  })

  it('counts clusters, clustered articles and singletons', () => {
    expect(report.stats).toMatchObject({ articles: 5, analysed: 5, skipped: 0, clusters: 1, clustered: 4, singletons: 1 })
  })

  it('keeps the links without their alignments, sorted', () => {
    expect(report.links.map((l) => `${l.a}-${l.b}:${l.relation}`)).toEqual([
      '000-001:partial',
      '000-003:partial',
      // 001-002 is a partial verdict at about 0.64: under the default floor of partial links.
      '001-003:copy',
      '002-003:translation',
    ])
    expect(report.links[0]).not.toHaveProperty('aligned')
    expect(report.links.find((l) => l.relation === 'copy')?.original).toBe('003')
  })

  it('is deterministic whatever the input order', () => {
    const reversed = reportOf([...loadSeeds()].reverse())
    expect(JSON.stringify(reversed)).toBe(JSON.stringify(report))
  })

  it('stamps generatedAt only when asked', () => {
    const r = buildReport(handMadeResult(), [], { generatedAt: new Date(Date.UTC(2024, 11, 8, 12)) })
    expect(r.generatedAt).toBe('2024-12-08T12:00:00.000Z')
    expect(buildReport(handMadeResult(), [], { generatedAt: '2024-12-08' }).generatedAt).toBe('2024-12-08T00:00:00.000Z')
  })

  it('gives a cluster without a diff `diff: null`', () => {
    const r = buildReport(handMadeResult())
    expect(r.clusters[0]?.diff).toBeNull()
    expect(r.singletons).toEqual([{ id: 'c' }])
    expect(r.skipped).toEqual([{ id: 'd', reason: 'empty', detail: 'text is empty or whitespace' }])
    expect(r.boilerplate).toEqual([])
  })

  it('takes boilerplate from the diffs alone when no analyses are given', () => {
    const seeds = loadSeeds()
    const result = clusterArticles(seeds)
    const analyses = seeds.map((s) => analyze(s))
    const ok = analyses.flatMap((a) => (a.status === 'ok' ? [a] : []))
    const r = buildReport(
      result,
      result.clusters.map((c) => diffCluster(c, ok)),
    )
    expect(r.boilerplate.map((b) => b.article)).toEqual(['000', '001', '002', '003'])
    expect(r.singletons).toEqual([{ id: '004' }])
  })

  describe('edge cases', () => {
    it('reports an empty clustering', () => {
      const r = buildReport(clusterArticles([]))
      expect(r).toMatchObject({ clusters: [], singletons: [], skipped: [], links: [], boilerplate: [] })
      expect(r.stats.articles).toBe(0)
    })

    it('refuses what is not a clustering, and a diff that matches no cluster', () => {
      expect(codeOf(() => buildReport(null as never))).toBe('INVALID_ARGUMENT')
      expect(codeOf(() => buildReport({ kind: 'cluster' } as never))).toBe('INVALID_ARGUMENT')
      expect(codeOf(() => buildReport(handMadeResult(), {} as never))).toBe('INVALID_ARGUMENT')
      expect(codeOf(() => buildReport(handMadeResult(), [{ kind: 'article-diff' } as never]))).toBe('INVALID_ARGUMENT')
      const stray = seedReport().clusters[0]!.diff!
      expect(() => buildReport(handMadeResult(), [stray])).toThrow(/reference "003" matches no cluster/)
    })

    it('refuses an invalid generatedAt', () => {
      expect(() => buildReport(handMadeResult(), [], { generatedAt: 'yesterday' })).toThrow(/generatedAt .* "yesterday"/)
    })
  })
})

describe('parseReport', () => {
  const report = seedReport()

  it('reads back what buildReport wrote', () => {
    const json = JSON.stringify(report)
    expect(parseReport(json)).toEqual(JSON.parse(json))
    expect(parseReport(JSON.parse(json))).toEqual(JSON.parse(json))
  })

  it('refuses an unknown version with UNSUPPORTED_VERSION', () => {
    expect(codeOf(() => parseReport({ ...report, version: 6 }))).toBe('UNSUPPORTED_VERSION')
    expect(() => parseReport({ ...report, version: 6 })).toThrow(
      'wiretrace: report format version 6 is not supported (this build reads 4 and 5)',
    )
    // Version 1 (before rewrite, extent and passages), 2 (members without url and headline) and 3
    // (evidence without namesMissing) are refused too.
    expect(codeOf(() => parseReport({ ...report, version: 1 }))).toBe('UNSUPPORTED_VERSION')
    expect(codeOf(() => parseReport({ ...report, version: 2 }))).toBe('UNSUPPORTED_VERSION')
    expect(codeOf(() => parseReport({ ...report, version: 3 }))).toBe('UNSUPPORTED_VERSION')
    const c = report.clusters[0]!
    const future = { ...report, clusters: [{ ...c, diff: { ...c.diff, version: 3 } }] }
    expect(codeOf(() => parseReport(future))).toBe('UNSUPPORTED_VERSION')
    expect(() => parseReport(future)).toThrow('clusters[0].diff has cluster-diff version 3 (a version 5 report has 2)')
  })

  it('refuses other formats and broken reports with CORRUPT_DATA', () => {
    const c = report.clusters[0]!
    const broken: unknown[] = [
      'not json',
      '[]',
      'null',
      { ...report, format: 'wiretrace/fingerprint' },
      { format: 'wiretrace/report', version: 5 },
      { ...report, clusters: 'none' },
      { ...report, stats: null },
      { ...report, generatedAt: 42 },
      { ...report, clusters: [{ ...c, members: [] }] },
      { ...report, clusters: [{ ...c, members: [...c.members].reverse() }] },
      { ...report, clusters: [{ ...c, diff: undefined }] },
      { ...report, clusters: [{ ...c, diff: { ...c.diff, reference: '001' } }] },
      { ...report, clusters: [{ ...c, diff: { ...c.diff, diffs: [{}] } }] },
      { ...report, singletons: [{ id: 4 }] },
      { ...report, boilerplate: [{ article: '004' }] },
    ]
    for (const b of broken)
      expect(
        codeOf(() => parseReport(b)),
        JSON.stringify(b).slice(0, 80),
      ).toBe('CORRUPT_DATA')
  })

  it('names the bad format in its message', () => {
    expect(() => parseReport({ format: 'nope' })).toThrow('wiretrace: report: not a wiretrace report: format is "nope"')
  })
})
