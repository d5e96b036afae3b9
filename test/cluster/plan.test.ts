// Star clustering on given links: who joins a star, and through which links nobody chains.
import { describe, expect, it } from 'vitest'
import { type ClusterMeta, planClusters } from '../../src/cluster/cluster.js'
import type { Comparison } from '../../src/compare/compare.js'
import type { Relation } from '../../src/compare/relations.js'

const meta = (ids: string[]): Map<string, ClusterMeta> => new Map(ids.map((id) => [id, { id, article: {} }]))

/** A link as compare would give it; `a` derives from `b`, covering `cover` of it. */
function link(a: string, b: string, relation: Relation, cover = 0.9): Comparison {
  const extent = relation === 'partial' ? 'part' : 'whole'
  return {
    kind: 'comparison',
    a,
    b,
    relation,
    reason: 'test',
    original: b,
    extent,
    confidence: 0.9,
    probabilities: { none: 0.1, part: extent === 'part' ? 0.8 : 0.1, whole: extent === 'whole' ? 0.8 : 0.1 },
    derived: { a: 0.9, b: cover },
    passages: [],
    evidence: {} as Comparison['evidence'],
    jaccard: 0.5,
    containment: { aInB: 0.9, bInA: cover },
    languages: {},
    crossLanguage: relation === 'translation',
    anchorJaccard: 0.5,
    quotesVerbatim: null,
  }
}

const idsOf = (links: Comparison[], ids: string[]) =>
  planClusters(meta(ids), links, {})
    .plans.map((p) => [...p.ids].sort())
    .sort()

describe('planClusters', () => {
  // c is the centre (it covers the most): m1 and m2 reprint it; t translates m1 only.
  const ids = ['c', 'm1', 'm2', 't']
  const star = [link('m1', 'c', 'copy'), link('m2', 'c', 'copy')]

  it('takes a translation of a member into the member’s star', () => {
    expect(idsOf([...star, link('t', 'm1', 'translation')], ids)).toEqual([['c', 'm1', 'm2', 't']])
  })

  it('does not chain through a same-language copy of a member (recurring reports cut from one template)', () => {
    for (const relation of ['copy', 'duplicate', 'rewrite'] as const) {
      expect(idsOf([...star, link('t', 'm1', relation)], ids)).toEqual([['c', 'm1', 'm2']])
    }
  })

  it('does not chain a translation through a member that only shares a part with the centre', () => {
    const partialStar = [link('m1', 'c', 'partial', 0.3), link('m2', 'c', 'copy')]
    expect(idsOf([...partialStar, link('t', 'm1', 'translation')], ids)).toEqual([['c', 'm1', 'm2']])
  })

  it('puts a translation linked to two stars into the one of its most confident link, once', () => {
    const all = ['c', 'm1', 'm2', 'd', 'n1', 'n2', 't']
    const links = [
      ...star,
      link('n1', 'd', 'copy'),
      link('n2', 'd', 'copy'),
      link('t', 'm1', 'translation'),
      { ...link('t', 'n1', 'translation'), confidence: 0.95 },
    ]
    expect(idsOf(links, all)).toEqual([
      ['c', 'm1', 'm2'],
      ['d', 'n1', 'n2', 't'],
    ])
  })
  describe('a group taken by a centre it is linked to less surely than to a later one', () => {
    // c covers the most (three reprints) and is taken first; t is linked to it weakly (another
    // story of the same event, at 0.58) and surely to its own original d, a centre taken later.
    const all = ['c', 'm1', 'm2', 'm3', 'd', 'n', 't']
    const base = [link('m1', 'c', 'copy'), link('m2', 'c', 'copy'), link('m3', 'c', 'copy'), link('n', 'd', 'copy')]
    const weak = { ...link('t', 'c', 'translation'), confidence: 0.58 }

    it('moves to the centre of its most confident link', () => {
      expect(idsOf([...base, weak, { ...link('t', 'd', 'translation'), confidence: 0.99 }], all)).toEqual([
        ['c', 'm1', 'm2', 'm3'],
        ['d', 'n', 't'],
      ])
    })

    it('stays where it is on a tie', () => {
      expect(idsOf([...base, weak, { ...link('t', 'd', 'translation'), confidence: 0.58 }], all)).toEqual([
        ['c', 'm1', 'm2', 'm3', 't'],
        ['d', 'n'],
      ])
    })

    it('leaves a centre its only member left as a single article, in no star', () => {
      // d, a marked wire source, is a centre first and takes t, its only link; t is surer of c.
      const links = [
        ...base.slice(0, 3),
        { ...link('t', 'd', 'copy'), confidence: 0.6 },
        { ...link('t', 'c', 'copy'), confidence: 0.99 },
      ]
      const plans = planClusters(meta(all), links, { references: ['d'] }).plans
      expect(plans.map((p) => [...p.ids].sort())).toEqual([['c', 'm1', 'm2', 'm3', 't']])
      // Surer of d, it stays with d.
      const sure = [
        ...links.slice(0, 3),
        { ...link('t', 'd', 'copy'), confidence: 0.99 },
        { ...link('t', 'c', 'copy'), confidence: 0.6 },
      ]
      const kept = planClusters(meta(all), sure, { references: ['d'] }).plans.map((p) => [...p.ids].sort())
      expect(kept).toEqual([
        ['d', 't'],
        ['c', 'm1', 'm2', 'm3'],
      ])
    })

    it('drops a centre its only member left among 150,000 other stars', () => {
      // The stars are renumbered in place: spread into one call, this many overflowed the stack.
      const many = Array.from({ length: 150_000 }, (_, i) => link(`p${i}`, `q${i}`, 'copy'))
      const links = [
        ...base.slice(0, 3),
        { ...link('t', 'd', 'copy'), confidence: 0.6 },
        { ...link('t', 'c', 'copy'), confidence: 0.99 },
      ]
      const ids = [...all, ...many.flatMap((l) => [l.a, l.b])]
      const plans = planClusters(meta(ids), [...links, ...many], { references: ['d'] }).plans
      expect(plans.length).toBe(150_001)
      expect(
        plans
          .find((p) => p.ids.includes('t'))
          ?.ids.slice()
          .sort(),
      ).toEqual(['c', 'm1', 'm2', 'm3', 't'])
      expect(plans.some((p) => p.ids.includes('d'))).toBe(false)
    })
  })

  describe('the reference among identical copies', () => {
    // `a-portal` reprints `b-agency` byte for byte and `m` copies them. `t`, a first take sent
    // earlier, is linked to the copies only, not to `m`: the earliest date cannot decide, coverage does.
    const copy = { content: 1, signature: 2 }
    const dated = (at: Record<string, string>): Map<string, ClusterMeta> =>
      new Map(
        Object.entries(at).map(([id, publishedAt]) => [
          id,
          { id, article: publishedAt ? { publishedAt } : {}, ...(id.length > 1 ? { copy } : {}) },
        ]),
      )
    const links = () => [
      link('a-portal', 'b-agency', 'duplicate'),
      link('m', 'a-portal', 'copy'),
      link('m', 'b-agency', 'copy'),
      link('t', 'b-agency', 'partial', 0.3),
    ]
    const plan = (at: Record<string, string>) => planClusters(dated(at), links(), {}).plans[0]

    it('goes to the earliest-dated copy, whatever the ids', () => {
      const p = plan({
        'a-portal': '2026-03-03T08:30Z',
        'b-agency': '2026-03-03T08:00Z',
        m: '2026-03-03T09:00Z',
        t: '2026-03-03T06:00Z',
      })
      expect(p?.rule).toBe('coverage')
      expect(p?.reference).toBe('b-agency')
    })

    it('goes to the first id when a copy is undated or the dates tie', () => {
      expect(plan({ 'a-portal': '', 'b-agency': '2026-03-03T08:00Z', m: '', t: '' })?.reference).toBe('a-portal')
      const tie = '2026-03-03T08:00Z'
      expect(plan({ 'a-portal': tie, 'b-agency': tie, m: '2026-03-03T09:00Z', t: '2026-03-03T06:00Z' })?.reference).toBe(
        'a-portal',
      )
    })
  })
})

describe('planClusters: a roundup', () => {
  // r took a paragraph of each of s1, s2 and s3; l, later, took part of r, and r covers the most.
  const roundup = [link('r', 's1', 'partial'), link('r', 's2', 'partial'), link('r', 's3', 'partial')]
  const later = { ...link('l', 'r', 'partial'), derived: { a: 1, b: 0.4 } }
  const ids = ['r', 's1', 's2', 's3', 'l']

  it('does not take in the stories it took a part of when they are not linked to each other', () => {
    // Before: one cluster of all five, four separate stories under a digest.
    expect(idsOf([...roundup, later], ids)).toEqual([['l', 'r']])
  })

  it('takes in its source when the parts come from copies of one story (a fuller story and its first take)', () => {
    const copies = { ...link('s2', 's1', 'duplicate'), derived: { a: 0.05, b: 0.05 } }
    expect(idsOf([roundup[0] as Comparison, roundup[1] as Comparison, copies, later], ['r', 's1', 's2', 'l'])).toEqual([
      ['l', 'r', 's1', 's2'],
    ])
    expect(idsOf([roundup[0] as Comparison, later], ['r', 's1', 'l'])).toEqual([['l', 'r', 's1']])
  })
})
