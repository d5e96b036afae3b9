// Headline, url, outlet and date reach every cluster member and every singleton of a report.
import { describe, expect, it } from 'vitest'
import { analyze } from '../../src/analyze.js'
import { articleHeadline } from '../../src/report/index.js'
import { loadSeeds } from '../helpers/seeds.js'
import { reportOf } from './fixtures.js'

/** The seeds as records with a title and a url each (003 and 004 also open with a heading line). */
function titledSeeds() {
  return loadSeeds().map((a) => ({
    ...a,
    title: `Title of ${a.id}, "quoted" & <b>marked</b>`,
    url: `https://news.example/${a.id}?a=1&b=2`,
  }))
}

describe('report metadata', () => {
  it('gives every cluster member and singleton the url and headline its record gave', () => {
    const records = titledSeeds()
    const report = reportOf(records)
    const byId = new Map(records.map((r) => [r.id, r]))
    const members = report.clusters.flatMap((c) => c.members)
    expect(members.map((m) => m.id).sort()).toEqual(['000', '001', '002', '003'])
    for (const a of [...members, ...report.singletons]) {
      const r = byId.get(a.id)!
      expect(a.url).toBe(r.url)
      expect(a.headline).toBe(r.title)
      expect(a.source).toBe(r.source)
      expect(a.publishedAt).toBe(r.publishedAt)
      expect(a).not.toHaveProperty('title')
    }
    expect(report.clusters[0]?.headline).toBe(byId.get('003')?.title)
  })

  it('falls back to the heading paragraph, and gives none when the text opens with a body paragraph', () => {
    const report = reportOf(loadSeeds())
    const c = report.clusters[0]!
    const headline = (id: string) => c.members.find((m) => m.id === id)?.headline
    expect(headline('003')).toBe('Syria rebels enter strategic city of Homs – war monitor')
    expect(headline('001')).toBeUndefined()
    expect(c.headline).toBe('Syria rebels enter strategic city of Homs – war monitor')
    expect(report.singletons[0]?.headline).toBe('Syrian rebel control key city of Homs')
  })

  it('articleHeadline prefers the title, collapses its spacing, and takes no crosshead after the body', () => {
    const text =
      'Rebels take Homs\n\nBEIRUT — Rebels said on Sunday that they had taken the city of Homs.\n\nA crosshead here\n\nMore text follows, as a body paragraph does.'
    expect(articleHeadline(analyze({ id: 'a', text }))).toBe('Rebels take Homs')
    expect(articleHeadline(analyze({ id: 'a', text, title: '  Given\n title ' }))).toBe('Given title')
    const noHead = 'BEIRUT — Rebels said on Sunday that they had taken the city of Homs.\n\nA crosshead here'
    expect(articleHeadline(analyze({ id: 'b', text: noHead }))).toBeUndefined()
    expect(articleHeadline(undefined)).toBeUndefined()
  })
})
