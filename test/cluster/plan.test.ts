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
})
