import { describe, expect, it } from 'vitest'
import { clusterArticles } from '../../src/cluster/cluster.js'
import { has, REUTERS, readJsonl } from '../helpers/corpora.js'

const present = has(REUTERS, 'Reuters-21578 clustering (test/cluster/reuters.test.ts)')

describe.skipIf(!present)('Reuters-21578', () => {
  it('puts every group of exact duplicates in one cluster', () => {
    const records = readJsonl<{ id: string; text: string }>(REUTERS)
    const result = clusterArticles(records.map((r) => ({ id: r.id, text: r.text })))
    const groups = new Map<string, string[]>()
    for (const r of records) {
      const key = r.text.trim()
      if (key === '') continue
      groups.set(key, [...(groups.get(key) ?? []), r.id])
    }
    const dupGroups = [...groups.values()].filter((g) => g.length > 1)
    expect(dupGroups.length).toBeGreaterThan(200) // about 260 occur naturally
    const clusterOf = new Map<string, string>()
    for (const c of result.clusters) for (const m of c.members) clusterOf.set(m.id, c.id)
    const broken = dupGroups.filter((g) => new Set(g.map((id) => clusterOf.get(id) ?? `none:${id}`)).size !== 1)
    expect(broken).toEqual([])
    // The one empty record is reported, not dropped.
    expect(result.skipped.map((s) => s.reason)).toEqual(['empty'])
    expect(result.stats.analysed + result.stats.skipped).toBe(records.length)
  })
})

describe.skipIf(!present)('batch and streaming on Reuters', () => {
  it('give the same clusters on the same input, in any order', async () => {
    const { Detector } = await import('../../src/cluster/detector.js')
    const articles = readJsonl<{ id: string; text: string }>(REUTERS)
      .slice(0, 1500)
      .map((r) => ({ id: r.id, text: r.text }))
    const batch = clusterArticles(articles)
    expect(batch.clusters.length).toBeGreaterThan(10)
    const d = new Detector()
    for (const a of [...articles].reverse()) d.add(a)
    const stream = d.clusters()
    expect(stream.clusters).toEqual(batch.clusters)
    expect(stream.singletons).toEqual(batch.singletons)
    expect(stream.skipped).toEqual(batch.skipped)
  })
})
