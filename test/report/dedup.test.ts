// Dedup outputs: the CSV (RFC 4180), the keep-list and the cluster filter.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CSV_COLUMNS, filterReport, formatCsv, keepList } from '../../src/report/index.js'
import { expectError } from '../helpers/errors.js'
import { loadSeeds } from '../helpers/seeds.js'
import { reportOf, seedReport } from './fixtures.js'
import { type Schema, validate } from './json-schema.js'

const schema = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../schema/report.schema.json'), 'utf8'),
) as Schema

/** A plain RFC 4180 reader: the reference the CSV is checked against. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += ch
  }
  expect(cell).toBe('')
  expect(row).toEqual([])
  return rows
}

const TRICKY = 'Rebels, "liberators", and\nthe city\r\nof Homs'

describe('formatCsv', () => {
  const records = loadSeeds().map((a) => ({
    ...a,
    title: `${TRICKY} (${a.id})`,
    source: `${TRICKY}, outlet ${a.id}`,
    url: `https://x.example/${a.id}?a=1,2`,
  }))
  const report = reportOf(records)
  const rows = parseCsv(formatCsv(report))

  it('writes a header and one row per article, with CRLF line ends', () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS])
    expect(rows.slice(1).map((r) => r[0])).toEqual(['003', '000', '001', '002', '004'])
    for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length)
  })

  it('quotes commas, quotes and line breaks so titles, urls and outlets read back exactly', () => {
    for (const r of rows.slice(1)) {
      // A headline is shown on one line: its spacing is collapsed; the outlet is kept as given.
      expect(r[6]).toBe(`${TRICKY.replace(/\s+/g, ' ')} (${r[0]})`)
      expect(r[7]).toBe(`https://x.example/${r[0]}?a=1,2`)
      expect(r[8]).toBe(`${TRICKY}, outlet ${r[0]}`)
    }
  })

  it('gives each member its cluster, reference, relation, extent and confidence; singletons none', () => {
    const byId = Object.fromEntries(rows.slice(1).map((r) => [r[0], r]))
    expect(byId['003']?.slice(1, 6)).toEqual(['003', '003', 'reference', '', '1'])
    expect(byId['001']?.slice(1, 5)).toEqual(['003', '003', 'copy', 'whole'])
    expect(byId['000']?.slice(1, 5)).toEqual(['003', '003', 'partial', 'part'])
    expect(Number(byId['001']?.[5])).toBeGreaterThan(0.5)
    expect(byId['004']?.slice(1, 6)).toEqual(['', '', 'singleton', '', ''])
  })

  it('lists skipped articles as skipped', () => {
    const withEmpty = reportOf([...loadSeeds(), { id: 'zz', text: '   ' }])
    const last = parseCsv(formatCsv(withEmpty)).at(-1)
    expect(last?.slice(0, 4)).toEqual(['zz', '', '', 'skipped'])
  })
})

describe('keepList', () => {
  it('keeps each cluster’s reference and every singleton', () => {
    expect(keepList(seedReport())).toEqual(['003', '004'])
  })
})

describe('filterReport', () => {
  const report = seedReport()

  it('keeps only the listed relations; the others become singletons, and are kept', () => {
    const f = filterReport(report, { relations: ['copy', 'translation'] })
    expect(f.clusters[0]?.members.map((m) => m.id)).toEqual(['003', '001', '002'])
    expect(f.clusters[0]?.diff?.diffs.map((d) => d.copy)).toEqual(['001', '002'])
    expect(f.clusters[0]?.diff?.story.every((p) => !('000' in p.cells))).toBe(true)
    expect(f.singletons.map((a) => a.id)).toEqual(['000', '004'])
    expect(f.singletons[0]?.source).toBe(report.clusters[0]?.members.find((m) => m.id === '000')?.source)
    expect(f.filter).toEqual({ minSize: 2, relations: ['copy', 'translation'], released: 1 })
    expect(f.stats).toMatchObject({ clusters: 1, clustered: 3, singletons: 2 })
    expect(keepList(f)).toEqual(['003', '000', '004'])
    expect(validate(JSON.parse(JSON.stringify(f)), schema)).toEqual([])
  })

  it('dissolves clusters below the minimum size', () => {
    const f = filterReport(report, { minSize: 5 })
    expect(f.clusters).toEqual([])
    expect(f.singletons.map((a) => a.id)).toEqual(['000', '001', '002', '003', '004'])
    expect(f.stats).toMatchObject({ clusters: 0, clustered: 0, singletons: 5 })
    expect(filterReport(report, { minSize: 4 }).clusters).toHaveLength(1)
    // A cluster left with its reference alone is dissolved too.
    expect(filterReport(report, { relations: ['duplicate'] }).clusters).toEqual([])
  })

  it('a released member keeps its new/stored mark', () => {
    const marked = {
      ...report,
      clusters: report.clusters.map((c) => ({
        ...c,
        members: c.members.map((m) => ({ ...m, origin: m.id === '000' ? ('stored' as const) : ('new' as const) })),
      })),
    }
    const f = filterReport(marked, { relations: ['copy', 'translation'] })
    expect(f.singletons.find((a) => a.id === '000')?.origin).toBe('stored')
  })

  it('refuses a bad size or relation', () => {
    expectError(() => filterReport(report, { minSize: 1 }), 'INVALID_ARGUMENT', 'minSize', '1')
    expectError(() => filterReport(report, { relations: ['copies'] }), 'INVALID_ARGUMENT', 'copies')
    expectError(() => formatCsv({} as never), 'INVALID_ARGUMENT', 'formatCsv')
  })
})
