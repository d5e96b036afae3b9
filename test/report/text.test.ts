import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { clusterArticles } from '../../src/cluster/cluster.js'
import type { Relation } from '../../src/compare/compare.js'
import { diffArticles } from '../../src/diff/index.js'
import { buildReport, formatDiffText, formatText } from '../../src/report/index.js'
import type { Report } from '../../src/report/types.js'
import { seed } from '../helpers/seeds.js'
import { handMadeResult, hostileReport, SCRIPT, seedReport } from './fixtures.js'

// biome-ignore lint/suspicious/noControlCharactersInRegex: the ANSI escapes are what is tested
const ANSI = /\u001b\[[0-9;]*m/g
const report = seedReport()

describe('formatText', () => {
  const plain = formatText(report)
  const detailed = formatText(report, { details: true })

  it('returns the seed report as pinned in the golden files, short and with details', async () => {
    await expect(plain).toMatchFileSnapshot('./golden/seed-report.txt')
    await expect(detailed).toMatchFileSnapshot('./golden/seed-report-details.txt')
  })

  it('opens on the clusters: headline, outlets and the per-outlet summary, without reasons, strips or boilerplate', () => {
    const head = plain.slice(0, plain.indexOf('Singletons'))
    expect(head).toContain('“Syria rebels enter strategic city of Homs – war monitor”')
    for (const m of report.clusters[0]?.members ?? []) expect(head.replace(/\s+/g, ' ')).toContain(m.source as string)
    expect(head).toMatch(/^ {2}001 {2}copy 9\d% {9}APP \/ UrduPoint \(AFP copy\) · 2024-12-08/m)
    expect(head).toContain('kept 10 · edited 1 · cut 34 · carries 30% of 003 · 0% own text')
    expect(head).not.toContain('Jaccard')
    expect(head).not.toContain('Legend')
    expect(plain).toMatch(/Boilerplate removed\n {2}7 pieces from 5 articles \(listed with --details\)\n$/)
    expect(plain).not.toContain('trailing-section')
    expect(plain.split('\n').length).toBeLessThan(detailed.split('\n').length / 2)
  })

  it('returns plain text by default and the same text in colour with color: true', () => {
    expect(plain).not.toMatch(ANSI)
    const coloured = formatText(report, { color: true, details: true })
    expect(coloured).toMatch(ANSI)
    expect(coloured.replace(ANSI, '')).toBe(detailed)
  })

  it('lists the cluster’s reference and each member with its relation and, with details, its scores', () => {
    expect(plain).toContain('Cluster 003: 4 articles, reference 003')
    expect(plain).toMatch(/^ {2}003 {2}reference {8}Inquirer/m)
    expect(plain).toMatch(/^ {2}000 {2}partial \d+%/m)
    expect(plain).toMatch(/^ {2}002 {2}translation \d+%/m)
    expect(detailed).toContain('verbatim · 97% of it in 003 · 31% of 003 in it · Jaccard 31%')
  })

  it('prints each member’s paragraph statuses as a strip of letters, grouped by ten, with counts', () => {
    const d = report.clusters[0]?.diff?.diffs.find((x) => x.copy === '001')
    const letters = d?.paragraphs.map((p) => p.status[0]?.toUpperCase()).join('') ?? ''
    const groups = letters.match(/.{1,10}/g)?.join(' ')
    expect(detailed).toContain(`       ${groups}\n`)
    expect(plain).not.toContain(`       ${groups}\n`)
    expect(detailed).toContain('kept 10 · edited 1 · cut 34 · carries 30% of 003 · 0% own text')
    expect(detailed).toContain('Legend: K kept · E edited · W reworded · T translated · M moved · A added · C cut')
  })

  it('lists Rudaw as a singleton, the skipped articles, and the boilerplate removed', () => {
    expect(plain).toMatch(
      /Singletons \(in no cluster\)\n {2}004 {2}“Syrian rebel control key city of Homs” · Rudaw \(own reporting on the same event\)/,
    )
    expect(plain).toMatch(/Skipped\n {2}none/)
    expect(detailed).toMatch(/trailing-section \(trailing\): “Comments Rudaw moderates all comments/)
  })

  it('keeps lines within the width, except a word longer than it', () => {
    for (const width of [40, 60, 100]) {
      for (const line of formatText(report, { width, details: true }).split('\n')) {
        if (line.length > width) expect(line.trim(), line).not.toContain(' ')
      }
    }
  })

  it('is deterministic', () => {
    expect(formatText(seedReport())).toBe(plain)
  })

  describe('edge cases', () => {
    it('says "none" for an empty report', () => {
      const text = formatText(buildReport(clusterArticles([])))
      expect(text).toContain('0 articles · 0 clusters · 0 singletons · 0 skipped')
      expect(text.match(/^ {2}none$/gm)).toHaveLength(3)
    })

    it('shows a cluster without a diff, and skipped articles with their reason', () => {
      const text = formatText(buildReport(handMadeResult(), [], { generatedAt: new Date(0) }))
      expect(text).toContain('generated 1970-01-01T00:00:00.000Z')
      expect(text).toContain('(no paragraph diff)')
      expect(text).toMatch(/Skipped\n {2}d {4}empty: text is empty or whitespace/)
    })

    it('prints markup as it is, and never a control character from the data', () => {
      const text = formatText(hostileReport(), { details: true })
      expect(text).toContain(SCRIPT)
      const evil = buildReport({ ...handMadeResult(), singletons: ['c\u001b[2J\u202e'] })
      const out = formatText(evil)
      expect(out).not.toContain('\u001b')
      expect(out).not.toContain('\u202e')
      expect(out).toContain('c\ufffd[2J\ufffd')
    })

    it('keeps the relation column aligned when a member is a translation at 100% (the longest verdict)', () => {
      // Every relation at full confidence, and one in a second cluster.
      const relations = ['partial', 'copy', 'translation'] as const
      const [first] = report.clusters as [Report['clusters'][number]]
      const members = first.members.map((m, i) =>
        m.relation === 'reference' ? m : { ...m, relation: relations[i % 3] as Relation, confidence: 1 },
      )
      const second = { ...first, id: 'x', members: first.members.slice(0, 2) }
      const text = formatText({ ...report, clusters: [{ ...first, members }, second] }, { width: 200 })
      const rows = [...text.matchAll(/^ {2}(\d{3}) {2}((?:reference|\w+ \d+%)) +(?=\S)/gm)]
      expect(rows.map((r) => r[2])).toContain('translation 100%')
      expect(rows.length).toBe(first.members.length + 2)
      // The outlet starts in one column on every member row, two spaces after the longest verdict.
      expect(new Set(rows.map((r) => r[0].length))).toEqual(new Set([2 + 3 + 2 + 'translation 100%'.length + 2]))
    })

    it('refuses what is not a report, and a width under 40', () => {
      expect(() => formatText({} as never)).toThrow(/formatText: report must be/)
      expect(() => formatText(report, { width: 20 })).toThrow(/width must be an integer of at least 40, got 20/)
    })
  })
})

describe('formatDiffText', () => {
  const d = diffArticles(analyze(seed('003')) as AnalysisOk, analyze(seed('001')) as AnalysisOk)

  it('lists every paragraph row with its letter, numbers and text, word changes marked', () => {
    const text = formatDiffText(d)
    expect(text).toMatch(/^wiretrace diff: 001 against 003 \(copy\)\n/)
    const rows = text.split('\n').filter((l) => /^[KETMAC] {2}/.test(l))
    expect(rows).toHaveLength(d.paragraphs.length)
    expect(rows[0]).toMatch(/^C {2}¶1 → +Syria rebels enter strategic city of Homs/)
    expect(text).toMatch(/\[-BEIRUT-\]\{\+Beirut\+\}/)
    expect(text).not.toMatch(ANSI)
  })

  it('colours changes instead of bracketing them with color: true', () => {
    const text = formatDiffText(d, { color: true })
    expect(text).toMatch(ANSI)
    expect(text).not.toContain('{+')
  })

  it('refuses what is not an article diff', () => {
    expect(() => formatDiffText({ kind: 'cluster-diff' } as never)).toThrow(/formatDiffText/)
  })
})
