// Version 5 reports leave out the texts that version 4 repeated in every member's diff: the
// reference's text (the story holds it) and a copy text equal to it. Nothing a reader needs is
// lost: memberDiff restores every row, the renderers show the same, and version 4 still loads.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, type Article, analyze } from '../../src/analyze.js'
import { diffArticles, memberDiff } from '../../src/diff/index.js'
import type { ClusterDiff } from '../../src/diff/types.js'
import { formatDiffText, formatText, parseReport, type Report, renderDiffHtml, renderHtml } from '../../src/report/index.js'
import { codeOf } from '../helpers/errors.js'
import { reportOf, seedReport } from './fixtures.js'

// Written by the build before version 5 (b5c7ee9) from made-up articles: the report, its
// articles and its text rendering (details on).
const V4 = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../golden/report-v4.json'), 'utf8')) as {
  articles: Article[]
  report: Record<string, unknown>
  text: string
}

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1

describe('compact member diffs (report version 5)', () => {
  const report = reportOf(V4.articles)
  const diff = report.clusters[0]?.diff as ClusterDiff
  const json = JSON.stringify(report)

  it('stores a kept paragraph’s text once, in the story, however many members keep it', () => {
    // The first paragraph is kept by all three copies: version 4 held it 7 times.
    const kept = V4.articles[0]?.text.split('\n\n')[0] as string
    expect(diff.diffs.map((d) => d.paragraphs.find((p) => p.copy?.[0] === 0)?.status)).toEqual(['kept', 'kept', 'kept'])
    expect(count(JSON.stringify(V4.report), JSON.stringify(kept))).toBe(7)
    expect(count(json, JSON.stringify(kept))).toBe(1)
    for (const d of diff.diffs) {
      expect(d).toMatchObject({ version: 2, texts: 'compact' })
      for (const p of d.paragraphs) {
        expect(p).not.toHaveProperty('referenceText')
        if (p.status === 'kept') expect(p).not.toHaveProperty('copyText')
      }
    }
    // An edited row keeps the copy's own text; the reference's is the story's.
    const edited = diff.diffs[0]?.paragraphs.find((p) => p.status === 'edited')
    expect(edited?.copyText).toContain('thirty')
  })

  it('restores each member’s full diff: the same JSON as diffArticles gives', () => {
    const byId = new Map(V4.articles.map((a) => [a.id, analyze(a) as AnalysisOk]))
    const ref = byId.get(diff.reference) as AnalysisOk
    const members = report.clusters[0]?.members ?? []
    for (const d of diff.diffs) {
      const relation = members.find((m) => m.id === d.copy)?.relation
      const alone = diffArticles(ref, byId.get(d.copy) as AnalysisOk, relation === 'reference' ? {} : { relation })
      expect(JSON.stringify(memberDiff(diff, d.copy))).toBe(JSON.stringify(alone))
    }
  })

  it('renders a version 4 report as version 4 did, and a version 5 report the same after a JSON round trip', () => {
    expect(formatText(parseReport(JSON.stringify(V4.report)), { details: true })).toBe(V4.text)
    const back = parseReport(json)
    expect(back).toEqual(JSON.parse(json))
    expect(formatText(back, { details: true })).toBe(formatText(report, { details: true }))
    expect(renderHtml(back)).toBe(renderHtml(report))
  })

  it('reads a version 4 report as version 5, losing nothing of its member diffs', () => {
    // Compared with the version 4 report itself, not with a fresh analysis: the verdicts and
    // their evidence move with the model, the upgrade must not.
    const upgraded = parseReport(JSON.stringify(V4.report))
    expect(upgraded.version).toBe(5)
    const v4Clusters = V4.report.clusters as { diff: { diffs: ({ copy: string } & Record<string, unknown>)[] } }[]
    expect(v4Clusters.length).toBeGreaterThan(0)
    for (const [i, c] of v4Clusters.entries()) {
      const compact = upgraded.clusters[i]?.diff as ClusterDiff
      expect(c.diff.diffs.length).toBeGreaterThan(0)
      for (const d of c.diff.diffs) expect(memberDiff(compact, d.copy)).toEqual({ ...d, version: 2, texts: 'full' })
    }
    expect(formatText(upgraded, { details: true })).toBe(V4.text)
    const seeds = seedReport()
    expect(JSON.stringify(parseReport(asVersion4(seeds)))).toBe(JSON.stringify(seeds))
  })

  it('refuses a version 5 report whose member diffs are not compact, or point past the story', () => {
    const c = report.clusters[0] as Report['clusters'][number]
    const withDiffs = (diffs: unknown[]) => ({ ...report, clusters: [{ ...c, diff: { ...diff, diffs } }] })
    const full = withDiffs([memberDiff(diff, diff.diffs[0]?.copy as string)])
    expect(codeOf(() => parseReport(full))).toBe('CORRUPT_DATA')
    expect(() => parseReport(full)).toThrow(
      'clusters[0].diff.diffs[0] must be a compact article diff (version 2, texts "compact")',
    )
    const first = diff.diffs[0] as ClusterDiff['diffs'][number]
    const past = withDiffs([{ ...first, paragraphs: [{ status: 'cut', reference: [99], kind: 'body' }] }])
    expect(codeOf(() => parseReport(past))).toBe('CORRUPT_DATA')
    expect(() => parseReport(past)).toThrow(
      'clusters[0].diff.diffs[0].paragraphs[0] refers to reference paragraph 99, which the story lacks',
    )
    // A version 4 report must hold version 1 cluster diffs, a version 5 one version 2.
    const mixed = { ...V4.report, clusters: [{ ...c, diff }] }
    expect(codeOf(() => parseReport(mixed))).toBe('UNSUPPORTED_VERSION')
    expect(codeOf(() => parseReport({ ...V4.report, version: 3 }))).toBe('UNSUPPORTED_VERSION')
  })

  it('memberDiff names a bad cluster diff or an unknown member', () => {
    expect(codeOf(() => memberDiff({} as ClusterDiff, 'same'))).toBe('INVALID_ARGUMENT')
    expect(() => memberDiff(diff, diff.reference)).toThrow(
      `memberDiff: copy must be the id of a member (other than the reference) of the cluster diff of "${diff.reference}", got "${diff.reference}"`,
    )
    const broken = { ...diff, story: [] }
    expect(() => memberDiff(broken, 'same')).toThrow('memberDiff: row 0 of the diff of "same" refers to reference paragraph(s) 0')
  })

  it('formatDiffText and renderDiffHtml refuse a compact diff and say what to pass', () => {
    const compact = diff.diffs[0] as ClusterDiff['diffs'][number]
    for (const render of [formatDiffText, renderDiffHtml]) {
      expect(codeOf(() => render(compact))).toBe('INVALID_ARGUMENT')
      expect(() => render(compact)).toThrow(`pass memberDiff(clusterDiff, "${compact.copy}")`)
      expect(() => render(memberDiff(diff, compact.copy))).not.toThrow()
    }
  })
})

/** A version 5 report as version 4 wrote it: every member diff with both texts on every row. */
function asVersion4(r: Report): string {
  return JSON.stringify({
    ...r,
    version: 4,
    clusters: r.clusters.map((c) => {
      const d = c.diff
      if (!d) return c
      const diffs = d.diffs.map((x) => {
        const { texts: _texts, ...rest } = memberDiff(d, x.copy)
        return { ...rest, version: 1 }
      })
      return { ...c, diff: { ...d, version: 1, diffs } }
    }),
  })
}
