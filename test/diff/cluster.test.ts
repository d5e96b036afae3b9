import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import type { Cluster } from '../../src/cluster/cluster.js'
import { diffCluster } from '../../src/diff/index.js'
import type { ArticleDiff } from '../../src/diff/types.js'
import { WiretraceError } from '../../src/errors.js'
import { article, clusterOf, P } from './fixtures.js'

function thrown(f: () => unknown): WiretraceError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(WiretraceError)
    return e as WiretraceError
  }
  throw new Error('expected a WiretraceError')
}

const EXTRA = 'Witnesses told our correspondent that queues formed outside bakeries before dawn on Sunday.'

describe('diffCluster', () => {
  const ref = article('r', P.slice(0, 5))
  const a = article('a', [P[0], P[1], P[6], P[2], P[3], P[4]])
  const b = article('b', [P[0], P[1], P[2], EXTRA, P[4]])
  const c = article('c', [P[0], P[1].replace('thirty', 'forty'), P[6], P[2], EXTRA, P[4]])

  it('returns one diff per member and the story with a cell per outlet', () => {
    const d = diffCluster(clusterOf(['r', 'a', 'b']), [ref, a, b])
    expect(d).toMatchObject({ kind: 'cluster-diff', version: 2, reference: 'r', members: ['r', 'a', 'b'] })
    expect(d.diffs.map((x) => x.copy)).toEqual(['a', 'b'])
    expect(d.diffs.map((x) => x.relation)).toEqual(['partial', 'partial'])
    expect(d.story.map((p) => [p.origin.article, p.origin.paragraph, p.addition])).toEqual([
      ['r', 0, false],
      ['r', 1, false],
      ['a', 2, true],
      ['r', 2, false],
      ['r', 3, false],
      ['b', 3, true],
      ['r', 4, false],
    ])
    expect(d.story[3]?.cells).toEqual({ r: 'reference', a: 'carried', b: 'carried' })
    expect(d.story[4]?.cells).toEqual({ r: 'reference', a: 'carried', b: 'cut' })
    expect(d.story[2]?.cells).toEqual({ a: 'carried' })
  })

  it('makes a paragraph that several members add, but the reference lacks, one wire paragraph', () => {
    const d = diffCluster(clusterOf(['r', 'a', 'b', 'c']), new Map([ref, a, b, c].map((x) => [x.id, x])))
    const p6 = d.story.filter((p) => p.text === P[6])
    expect(p6).toHaveLength(1)
    expect(p6[0]).toMatchObject({
      origin: { article: 'a', paragraph: 2 },
      addition: false,
      cells: { a: 'carried', c: 'carried' },
    })
    const extra = d.story.filter((p) => p.text === EXTRA)
    expect(extra).toEqual([
      {
        origin: { article: 'b', paragraph: 3 },
        text: EXTRA,
        kind: 'body',
        cells: { b: 'carried', c: 'carried' },
        addition: false,
      },
    ])
    expect(d.story.find((p) => p.origin.article === 'r' && p.origin.paragraph === 1)?.cells).toEqual({
      r: 'reference',
      a: 'carried',
      b: 'carried',
      c: 'edited',
    })
    const own = diffCluster(clusterOf(['r', 'a', 'b', 'c']), [ref, a, b, c], { sharedAdditions: false })
    expect(own.story.filter((p) => p.text === P[6]).map((p) => p.addition)).toEqual([true, true])
  })

  it('gives a single-article cluster an empty diff list and the reference as the story', () => {
    const d = diffCluster(clusterOf(['r']), [ref])
    expect(d.diffs).toEqual([])
    expect(d.story.map((p) => p.cells)).toEqual(P.slice(0, 5).map(() => ({ r: 'reference' })))
  })

  it('reports languages where known', () => {
    const d = diffCluster(clusterOf(['r', 'a']), [ref, { ...a, lang: 'fr' }])
    expect(d.languages).toEqual({ r: 'en', a: 'fr' })
  })

  describe('edge cases', () => {
    it('throws INVALID_ARGUMENT naming a member without analysis', () => {
      const e = thrown(() => diffCluster(clusterOf(['r', 'a', 'zz']), [ref, a]))
      expect(e.code).toBe('INVALID_ARGUMENT')
      expect(e.message).toBe('wiretrace: diffCluster: no analysis for member "zz" of cluster "r"')
    })

    it('throws INVALID_ARGUMENT naming a skipped member', () => {
      const skipped = analyze({ id: 'a', text: '' }) as unknown as AnalysisOk
      const e = thrown(() => diffCluster(clusterOf(['r', 'a']), [ref, skipped]))
      expect(e.code).toBe('INVALID_ARGUMENT')
      expect(e.message).toBe('wiretrace: diffCluster: member ("a") was skipped (empty) and has no paragraphs to diff')
    })

    it('throws INVALID_ARGUMENT for what is not a cluster or not analyses', () => {
      expect(thrown(() => diffCluster(null as unknown as Cluster, [ref])).message).toMatch(/cluster must be a cluster/)
      expect(thrown(() => diffCluster(clusterOf(['r']), 'x' as unknown as AnalysisOk[])).message).toMatch(
        /analyses must be a Map .* got "x"/,
      )
      expect(thrown(() => diffCluster(clusterOf(['r']), [ref, ref])).message).toMatch(/holds id "r" twice/)
    })
  })

  it('makes members’ rows and summaries that are equal in value one object, and keeps the others apart', () => {
    // Reprints with headlines of their own: the kept rows and the summaries are alike, the edited
    // headline rows are not. A flood's reply to the main thread then clones each alike row once.
    const reprint = (id: string, headline: string) => article(id, [headline, ...P.slice(1, 5)])
    const x = reprint('x', 'Floods close the coast road, officials say')
    const y = reprint('y', 'Floods close the coast road, police say')
    const z = reprint('z', 'Floods close the northern coast road, officials say')
    const r = reprint('r', 'Floods close the coast road, officials said on Sunday')
    const d = diffCluster(clusterOf(['r', 'x', 'y', 'z'], 'duplicate'), [r, x, y, z])
    const [dx, dy, dz] = d.diffs as [ArticleDiff, ArticleDiff, ArticleDiff]
    expect(dx.paragraphs.map((p) => p.status)).toEqual(['edited', 'kept', 'kept', 'kept', 'kept'])
    expect(dy.paragraphs.map((p) => p.status)).toEqual(['edited', 'kept', 'kept', 'kept', 'kept'])
    for (let k = 1; k < 5; k++) {
      expect(dy.paragraphs[k]).toBe(dx.paragraphs[k])
      expect(dz.paragraphs[k]).toBe(dx.paragraphs[k])
    }
    expect(dy.summary).toBe(dx.summary)
    expect(dy.paragraphs[0]).not.toBe(dx.paragraphs[0])
    expect(dy.paragraphs[0]?.copyText).toBe('Floods close the coast road, police say')
    expect(dz.paragraphs[0]?.copyText).toBe('Floods close the northern coast road, officials say')
    expect(new Set([dx, dy, dz].map((q) => q.copy))).toEqual(new Set(['x', 'y', 'z']))
  })
})
