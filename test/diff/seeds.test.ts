import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { clusterArticles } from '../../src/cluster/cluster.js'
import { applyChanges, diffArticles, diffCluster } from '../../src/diff/index.js'
import type { ArticleDiff, ParagraphDiff } from '../../src/diff/types.js'
import { loadSeeds, seed } from '../helpers/seeds.js'

const a = (id: string) => analyze(seed(id)) as AnalysisOk
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)
const paired = (d: ArticleDiff) => d.paragraphs.filter((r) => r.status !== 'added' && r.status !== 'cut')

describe('diffArticles on the seeds', () => {
  describe('001 (APP) against 003 (AFP, fullest)', () => {
    const d = diffArticles(a('003'), a('001'))

    it('keeps or edits all eleven paragraphs of 001, in order, against 003’s first eleven body paragraphs', () => {
      expect(d.relation).toBe('copy')
      const rows = paired(d)
      expect(rows.map((r) => r.copy)).toEqual(range(0, 11).map((j) => [j]))
      expect(rows.map((r) => r.reference)).toEqual(range(1, 12).map((i) => [i]))
      for (const r of rows) {
        expect(['kept', 'edited']).toContain(r.status)
        expect(r.shape).toBe('one-to-one')
      }
      expect(d.summary.counts.added).toBe(0)
      expect(d.summary.copyOriginal).toBe(0)
    })

    it('returns only the dateline paragraph edited: the others differ only in quote style and are kept', () => {
      expect(d.summary.counts).toMatchObject({ kept: 10, edited: 1, cut: 34 })
    })

    it('returns the dateline paragraph edited, not added plus cut, with the changed dateline as words', () => {
      const row = d.paragraphs.find((r) => r.copy?.[0] === 0) as ParagraphDiff
      expect(row).toMatchObject({ status: 'edited', reference: [1], copy: [0] })
      expect(row.similarity).toBeGreaterThan(0.9)
      expect(row.changes).toContainEqual({ op: 'delete', text: 'Lebanon —' })
      expect(row.changes).toContainEqual({ op: 'insert', text: '(APP - UrduPoint / Pakistan Point News - 8th Dec, 2024)' })
      expect(applyChanges(row.referenceText as string, row.changes ?? [])).toBe(a('001').paragraphs[0]?.text)
    })

    it('returns 003’s headline and everything from the “Scared” section on as cut', () => {
      expect(d.paragraphs[0]).toEqual({
        status: 'cut',
        reference: [0],
        referenceText: 'Syria rebels enter strategic city of Homs – war monitor',
        kind: 'heading',
      })
      const cut = d.paragraphs.filter((r) => r.status === 'cut').flatMap((r) => r.reference)
      expect(cut).toEqual([0, ...range(12, 45)])
      expect(a('003').paragraphs[12]?.text).toBe('‘Scared’')
      // Rows follow the reference: the headline first, then the eleven pairs, then the cuts.
      expect(d.paragraphs.flatMap((r) => r.reference)).toEqual(range(0, 45))
      expect(d.summary.referenceCarried).toBeGreaterThan(0.25)
      expect(d.summary.referenceCarried).toBeLessThan(0.35)
    })
  })

  describe('002 (translated from Spanish) against 003', () => {
    const d = diffArticles(a('003'), a('002'))

    it('returns its paragraphs translated, in order, with no word changes', () => {
      expect(d.relation).toBe('translation')
      const rows = paired(d)
      expect(rows.every((r) => r.status === 'translated' && r.changes === undefined)).toBe(true)
      const copies = rows.flatMap((r) => r.copy ?? [])
      expect(copies).toEqual([...copies].sort((x, y) => x - y))
      expect(copies.length).toBeGreaterThanOrEqual(12)
      // The lead, reworded ("announced on Saturday the capture …"), pairs with 003's lead.
      expect(d.paragraphs.find((r) => r.copy?.[0] === 0)).toMatchObject({ status: 'translated', reference: [1] })
    })

    it('aligns the interior minister’s paragraph, split in two by the translation, as a split', () => {
      expect(d.paragraphs.find((r) => r.shape === 'split')).toMatchObject({
        status: 'translated',
        reference: [10],
        copy: [10, 11],
      })
    })
  })

  describe('004 (Rudaw, own reporting)', () => {
    it('lists its comment-policy and “The Latest” block as boilerplate, never as added text', () => {
      for (const other of ['003', '001']) {
        const d = diffArticles(a(other), a('004'))
        const added = d.paragraphs.filter((r) => r.status === 'added').map((r) => r.copyText ?? '')
        expect(added.length).toBeGreaterThan(0)
        for (const t of added) expect(t).not.toMatch(/Rudaw moderates|community guidelines|Post a comment|The Latest|Tishreen/)
        const trailing = d.boilerplate.copy.find((b) => b.rule === 'trailing-section')
        expect(trailing?.text).toMatch(/^Comments\s+Rudaw moderates all comments/)
        expect(trailing?.text).toMatch(/Tishreen Dam/)
        const copyChars = a('004').paragraphs.reduce((n, p) => n + p.text.length, 0)
        const addedChars = added.reduce((n, t) => n + t.length, 0)
        expect(d.summary.copyOriginal).toBeCloseTo(addedChars / copyChars, 2)
      }
    })
  })
})

describe('diffCluster on the seeds', () => {
  const seeds = loadSeeds()
  const analyses = seeds.map((s) => analyze(s) as AnalysisOk)
  const cluster = clusterArticles(seeds).clusters[0]
  if (!cluster) throw new Error('the seeds must form a cluster')
  const d = diffCluster(cluster, analyses)

  it('diffs every member against 003 and rebuilds the story in reference order', () => {
    expect(d.members).toEqual(['003', '000', '001', '002'])
    expect(d.diffs.map((x) => [x.copy, x.relation])).toEqual([
      ['000', 'partial'],
      ['001', 'copy'],
      ['002', 'translation'],
    ])
    const wire = d.story.filter((p) => p.origin.article === '003')
    expect(wire.map((p) => p.origin.paragraph)).toEqual(range(0, 45))
    expect(wire.every((p) => !p.addition && p.cells['003'] === 'reference')).toBe(true)
  })

  it('fills the matrix: 001 carries or edits 003’s paragraphs 1–11 and cuts the rest', () => {
    const col = d.story.filter((p) => p.origin.article === '003').map((p) => p.cells['001'])
    expect(col[0]).toBe('cut')
    expect(col.slice(1, 12).every((c) => c === 'carried' || c === 'edited')).toBe(true)
    expect(col.slice(12).every((c) => c === 'cut')).toBe(true)
    const t = d.story.filter((p) => p.origin.article === '003').map((p) => p.cells['002'])
    expect(t.filter((c) => c === 'translated').length).toBeGreaterThanOrEqual(10)
  })

  it('places members’ additions after the paragraph they follow, marking each outlet’s own ones', () => {
    const extra = d.story.filter((p) => p.origin.article !== '003')
    expect(extra.length).toBeGreaterThan(0)
    for (const p of extra) {
      const carriers = Object.keys(p.cells)
      expect(p.addition).toBe(carriers.length === 1)
      expect(carriers).not.toContain('003')
      expect(p.cells[p.origin.article]).toBe('carried')
    }
    // 000 and 002 both have the rebels' "our eyes are on the capital" line, which 003 lacks.
    const eyes = d.story.find((p) => p.origin.article === '000' && p.text.startsWith('"Our eyes are on the capital'))
    expect(eyes?.addition).toBe(false)
    expect(Object.keys(eyes?.cells ?? {})).toEqual(['000', '002'])
    // Additions come where the member's diff puts them: 000's 3,500 detainees follow its copy of
    // 003's paragraph 5 and the two paragraphs (6, 7) it cut after it, before its copy of 8.
    const at = (p: (typeof d.story)[number]) => d.story.indexOf(p)
    const detainees = d.story.find((p) => p.text.startsWith('Abdel Ghani said the rebels had freed')) as (typeof d.story)[number]
    expect(detainees).toMatchObject({ origin: { article: '000', paragraph: 10 }, addition: true, cells: { '000': 'carried' } })
    expect(at(detainees)).toBeGreaterThan(d.story.findIndex((p) => p.origin.article === '003' && p.origin.paragraph === 7))
    expect(at(detainees)).toBeLessThan(d.story.findIndex((p) => p.origin.article === '003' && p.origin.paragraph === 8))
  })

  it('is JSON-safe and deterministic', () => {
    expect(JSON.parse(JSON.stringify(d))).toEqual(d)
    const bad: string[] = []
    const walk = (x: unknown, path: string): void => {
      if (x === undefined || ArrayBuffer.isView(x) || (typeof x === 'number' && !Number.isFinite(x))) bad.push(path)
      else if (Array.isArray(x)) for (const [i, v] of x.entries()) walk(v, `${path}[${i}]`)
      else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) walk(v, `${path}.${k}`)
    }
    walk(d, 'd')
    expect(bad).toEqual([])
    const again = diffCluster(cluster, new Map([...analyses].reverse().map((x) => [x.id, x])))
    expect(JSON.stringify(again)).toBe(JSON.stringify(d))
  })
})
