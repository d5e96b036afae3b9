import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { clusterArticles } from '../../src/cluster/cluster.js'
import { Detector } from '../../src/cluster/detector.js'
import { compare } from '../../src/compare/compare.js'
import { loadSeeds, seed } from '../helpers/seeds.js'

const a = (id: string) => analyze(seed(id)) as AnalysisOk

describe('seeds: compare', () => {
  it('finds 001 to be a copy of 003 by containment, although their Jaccard is low', () => {
    const c = compare(a('001'), a('003'))
    expect(c.relation).toBe('copy')
    expect(c.original).toBe('003')
    expect(c.containment.aInB).toBeGreaterThan(0.9)
    expect(c.jaccard).toBeLessThan(0.4)
    // All eleven paragraphs of 001 align, in order, with 003's first eleven body paragraphs.
    expect(c.aligned.map((p) => [p.a, p.b])).toEqual(Array.from({ length: 11 }, (_, i) => [i, i + 1]))
  })

  it('finds 002 to be a translation of the AFP text', () => {
    for (const other of ['001', '003']) {
      const c = compare(a('002'), a(other))
      expect(c.relation, c.reason).toBe('translation')
    }
  })

  it('keeps 004 (Rudaw) at most related to every AFP copy', () => {
    for (const other of ['000', '001', '002', '003']) {
      const c = compare(a('004'), a(other))
      expect(['related', 'unrelated'], `${other}: ${c.reason}`).toContain(c.relation)
    }
  })

  it('explains each decision with figures', () => {
    const c = compare(a('000'), a('003'))
    expect(c.relation).toBe('partial')
    expect(c.reason).toMatch(/\d+%/)
    expect(c.aligned.length).toBeGreaterThan(3)
  })
})

describe('seeds: clusterArticles', () => {
  it('puts 000–003 in one cluster with 003 as reference, and leaves 004 out', () => {
    const r = clusterArticles(loadSeeds())
    expect(r.clusters).toHaveLength(1)
    const c = r.clusters[0]!
    expect(c.reference).toBe('003')
    expect(c.members.map((m) => m.id)).toEqual(['003', '000', '001', '002'])
    const rel = Object.fromEntries(c.members.map((m) => [m.id, m.relation]))
    expect(rel).toEqual({ '003': 'reference', '000': 'partial', '001': 'copy', '002': 'translation' })
    expect(r.singletons).toEqual(['004'])
    expect(c.members.find((m) => m.id === '001')?.source).toBe('APP / UrduPoint (AFP copy)')
  })

  it('is deterministic whatever the input order', () => {
    const seeds = loadSeeds()
    const ref = JSON.stringify(clusterArticles(seeds))
    expect(JSON.stringify(clusterArticles([...seeds].reverse()))).toBe(ref)
    expect(JSON.stringify(clusterArticles([seeds[2]!, seeds[4]!, seeds[0]!, seeds[3]!, seeds[1]!]))).toBe(ref)
  })

  it('makes a marked wire source the reference', () => {
    const r = clusterArticles(loadSeeds(), { references: ['001'] })
    expect(r.clusters[0]?.reference).toBe('001')
    expect(r.clusters[0]?.referenceRule).toBe('marked')
  })

  it('uses the earliest publication date when every member has a distinct one', () => {
    const seeds = loadSeeds().map((s, i) => ({ ...s, publishedAt: `2024-12-0${8 - i}T10:00:00Z` }))
    const r = clusterArticles(seeds)
    // 003 is dated 2024-12-05, earlier than 000–002.
    expect(r.clusters[0]?.reference).toBe('003')
    expect(r.clusters[0]?.referenceRule).toBe('earliest')
  })
})

describe('seeds: Detector', () => {
  it('returns matches as articles arrive and ends with the batch clusters', () => {
    const d = new Detector()
    const seeds = loadSeeds()
    const found = seeds.map((s) => d.add(s))
    expect(found[0]?.matches).toEqual([])
    expect(found[4]?.matches).toEqual([]) // Rudaw matches nothing
    expect(found[3]?.matches.map((m) => [m.a, m.b, m.relation])).toContainEqual(['001', '003', 'copy'])
    const batch = clusterArticles(seeds)
    const stream = d.clusters()
    expect(stream.clusters).toEqual(batch.clusters)
    expect(stream.singletons).toEqual(batch.singletons)
  })
})
