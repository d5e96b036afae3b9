// The streaming Detector's flood counts: copies, oversizedBuckets and leftOut in clusters().stats,
// after floods of exact copies and of near-copies over maxBucket, and as articles leave the window.
// Synthetic stories only (no corpus text).
import { describe, expect, it } from 'vitest'
import type { Article } from '../../src/analyze.js'
import { clusterArticles } from '../../src/cluster/cluster.js'
import { Detector } from '../../src/cluster/detector.js'

const STORY = [
  'The Larchmont Harbour Authority on Tuesday approved a 412 million dollar expansion of its eastern container terminal, ending two years of dispute with fishing cooperatives over dredging in the bay.',
  'Under the plan, the terminal will add four deep-water berths and raise its yearly capacity to 1.9 million containers by 2029, authority chairwoman Petra Vandermeer told reporters after the vote.',
  'The fishing cooperatives had argued that dredging would destroy the oyster beds north of the breakwater. The authority agreed to fund a 38 million dollar restoration programme.',
  'Shipping lines welcomed the decision, saying congestion at the existing quays had forced vessels to wait up to six days for a berth last winter.',
].join('\n\n')

const OTHER = [
  'Councillors in Brennick postponed a vote on closing three branch libraries on Wednesday after more than two hundred residents packed the chamber to protest the cuts.',
  'The council faces a shortfall of 7.4 million pounds next year and had proposed shutting the Eastgate, Millbrook and Saltash branches to save about 900,000 pounds a year.',
].join('\n\n')

const pad = (i: number) => String(i).padStart(3, '0')
const copies = (n: number): Article[] => Array.from({ length: n }, (_, i) => ({ id: `copy-${pad(i)}`, text: STORY }))
/** Near-copies: each outlet's own line above the story, so none is a copy of another. */
const nearCopies = (n: number): Article[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `near-${pad(i)}`,
    text: `Outlet ${i} desk, reader line ${(i * 7919) % 1000}\n\n${STORY}`,
  }))

const FLOOD_STATS = ['articles', 'analysed', 'skipped', 'copies', 'oversizedBuckets', 'leftOut'] as const
const floodStats = (s: Record<(typeof FLOOD_STATS)[number], number>) => Object.fromEntries(FLOOD_STATS.map((k) => [k, s[k]]))

describe('Detector: a flood of exact copies over maxBucket', () => {
  const articles = copies(12)

  it('counts every copy but the first in stats.copies, one comparison each, and no oversized bucket', () => {
    const d = new Detector({ maxBucket: 4 })
    for (const a of articles) d.add(a)
    const r = d.clusters()
    // Copies never enter the LSH index (matched through their copy keys), so no bucket grows.
    expect(floodStats(r.stats)).toEqual({ articles: 12, analysed: 12, skipped: 0, copies: 11, oversizedBuckets: 0, leftOut: 0 })
    expect(r.stats.candidatePairs).toBe(11)
    expect(r.stats.linkedPairs).toBe(11)
    expect(r.clusters.map((c) => c.members.length)).toEqual([12])
    expect(r.singletons).toEqual([])
  })

  it('gives the flood counts of a batch run on the same articles', () => {
    const d = new Detector({ maxBucket: 4 })
    for (const a of articles) d.add(a)
    expect(floodStats(d.clusters().stats)).toEqual(floodStats(clusterArticles(articles, { maxBucket: 4 }).stats))
  })

  it('counts only the copies still in the window', () => {
    const d = new Detector({ maxBucket: 4, maxArticles: 5 })
    for (const a of articles) d.add(a)
    const r = d.clusters()
    expect(floodStats(r.stats)).toEqual({ articles: 5, analysed: 5, skipped: 0, copies: 4, oversizedBuckets: 0, leftOut: 0 })
    expect(r.clusters.map((c) => c.members.map((m) => m.id).sort())).toEqual([articles.slice(7).map((a) => a.id)])
  })

  it('counts an article that comes back after its copies as a copy again', () => {
    const d = new Detector({ maxBucket: 4 })
    for (const a of articles) d.add(a)
    expect(d.remove('copy-000')).toBe(true) // the indexed one: its oldest copy takes its place
    expect(floodStats(d.clusters().stats)).toMatchObject({ articles: 11, copies: 10, leftOut: 0 })
    d.add({ id: 'copy-000', text: STORY })
    expect(floodStats(d.clusters().stats)).toMatchObject({ articles: 12, copies: 11, leftOut: 0 })
    expect(d.remove('copy-005')).toBe(true) // a copy
    expect(floodStats(d.clusters().stats)).toMatchObject({ articles: 11, copies: 10, leftOut: 0 })
  })
})

describe('Detector: a flood of near-copies over maxBucket', () => {
  it('counts the oversized buckets each article meets once the buckets outgrow maxBucket, and leaves nobody out', () => {
    const maxBucket = 4
    const d = new Detector({ maxBucket })
    const counts: number[] = []
    for (const a of nearCopies(10)) {
      d.add(a)
      counts.push(d.clusters().stats.oversizedBuckets)
    }
    // The first maxBucket + 1 articles meet buckets of at most maxBucket others: none oversized.
    expect(counts.slice(0, maxBucket + 1)).toEqual(Array(maxBucket + 1).fill(0))
    // Every later one meets at least one, and they add up (one per article and bucket).
    for (let i = maxBucket + 1; i < counts.length; i++)
      expect(counts[i] as number, `article ${i}`).toBeGreaterThan(counts[i - 1] as number)
    const r = d.clusters()
    expect(r.stats.copies).toBe(0)
    expect(r.stats.leftOut).toBe(0)
    expect(r.clusters.map((c) => c.members.length)).toEqual([10])
  })

  it('counts in stats.leftOut the flooded articles that end in no cluster, and forgets them when they leave', () => {
    // Two different stories ending on the same attribution: with one-row document bands
    // (threshold 0.01) they share buckets, and the screen finds too little in common.
    const tail = ' The review is expected to begin in the spring, the authority said in a statement.'
    const wire = { id: 'wire', text: `${STORY}${tail}` }
    const council = { id: 'council', text: `${OTHER}${tail}` }
    const unflooded = new Detector({ threshold: 0.01 })
    unflooded.add(wire)
    unflooded.add(council)
    expect(floodStats(unflooded.clusters().stats)).toMatchObject({ oversizedBuckets: 0, leftOut: 0 })

    const d = new Detector({ threshold: 0.01, maxBucket: 1 })
    d.add(wire)
    d.add({ id: 'wire-near', text: `Outlet desk\n\n${STORY}${tail}` })
    d.add({ id: 'wire-copy', text: `${STORY}${tail}` })
    expect(d.clusters().stats.oversizedBuckets).toBe(0) // buckets of 1; the copy is matched by its copy keys
    d.add(council) // buckets of 2 (wire, wire-near): oversized
    const r = d.clusters()
    expect(r.stats.oversizedBuckets).toBeGreaterThan(0)
    expect(r.stats.copies).toBe(1)
    // council met the flood and ended alone; the wire story is one cluster.
    expect(r.clusters.map((c) => c.members.map((m) => m.id).sort())).toEqual([['wire', 'wire-copy', 'wire-near']])
    expect(r.singletons).toEqual(['council'])
    expect(r.stats.leftOut).toBe(1)
    d.remove('council')
    expect(d.clusters().stats.leftOut).toBe(0)
  })
})
