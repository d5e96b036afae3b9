// Property: diffCluster is two steps, diffMembers (each member's diff and what the story reads of
// it) and assembleClusterDiff (the story from those parts). clusterCorpus runs the first step on
// chunks of a flood's members, one per worker, and the second on the calling thread: the result
// must be the one-call diff, whatever the chunks, including paragraphs that members of different
// chunks add in common (shared additions) and paragraphs of one member's own.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import type { Cluster } from '../../src/cluster/cluster.js'
import { diffArticles, resolveDiffOptions } from '../../src/diff/article.js'
import { assembleClusterDiff, type ClusterDiffPart, diffCluster, diffMembers } from '../../src/diff/cluster.js'
import { memberDiff } from '../../src/diff/texts.js'
import type { ArticleDiff } from '../../src/diff/types.js'
import { clusterOf, P } from './fixtures.js'

const REFERENCE = P.slice(0, 5)
// Paragraphs the reference lacks that members may carry: two of them also reworded.
const EXTRA = [P[5], P[6], P[7], P[6].replace('spotted', 'have found').replace('should', 'could')] as string[]
const WORDS = ['ledger', 'quarry', 'velvet', 'harvest', 'minaret', 'copper', 'lantern', 'orchard', 'glacier', 'tundra']

const member = fc.record({
  /** Which reference paragraphs it keeps. */
  keep: fc.array(fc.boolean(), { minLength: REFERENCE.length, maxLength: REFERENCE.length }),
  /** Extra paragraphs it adds, each after some reference paragraph. */
  extra: fc.array(fc.record({ which: fc.nat(EXTRA.length - 1), after: fc.nat(REFERENCE.length) }), { maxLength: 3 }),
  /** A closing line of its own, from a small vocabulary (two members' may match). */
  own: fc.option(fc.array(fc.constantFrom(...WORDS), { minLength: 6, maxLength: 10 }), { nil: undefined }),
  lang: fc.constantFrom(undefined, 'en', 'de'),
})

type Member = typeof member extends fc.Arbitrary<infer T> ? T : never

function memberText(k: number, m: Member): string {
  const out: string[] = []
  for (let i = 0; i <= REFERENCE.length; i++) {
    for (const x of m.extra) if (x.after === i) out.push(EXTRA[x.which] as string)
    if (i < REFERENCE.length && m.keep[i]) out.push(REFERENCE[i] as string)
  }
  if (m.own) out.push(`Desk note ${k}: ${m.own.join(' ')}.`)
  // At least one paragraph of the story, so the member is a member.
  if (!m.keep.some(Boolean)) out.push(REFERENCE[2] as string)
  return out.join('\n\n')
}

/** Step 1 on each chunk (with the reference), through a structured clone as a worker's reply is; step 2 on the parts. */
function inChunks(cluster: Cluster, byId: Map<string, AnalysisOk>, sizes: number[], sharedAdditions: boolean) {
  const o = resolveDiffOptions({}, 'diffCluster')
  const [ref, ...rest] = cluster.members
  const parts: ClusterDiffPart[] = []
  for (let at = 0, c = 0; at < rest.length; c++) {
    const size = Math.max(1, sizes[c % sizes.length] as number)
    const chunk: Cluster = { ...cluster, members: [ref as Cluster['members'][number], ...rest.slice(at, at + size)] }
    parts.push(structuredClone(diffMembers(chunk, byId, o)))
    at += size
  }
  return assembleClusterDiff(cluster, parts, sharedAdditions)
}

describe('diffCluster in chunks of members: diffMembers, then assembleClusterDiff', () => {
  it('gives the one-call diff, whatever the chunks', () => {
    fc.assert(
      fc.property(
        fc.array(member, { minLength: 1, maxLength: 9 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (members, sizes, sharedAdditions) => {
          const analyses = [
            analyze({ id: 'r', text: REFERENCE.join('\n\n') }),
            ...members.map((m, k) => analyze({ id: `m${k}`, text: memberText(k, m), ...(m.lang ? { lang: m.lang } : {}) })),
          ].filter((a): a is AnalysisOk => a.status === 'ok')
          const byId = new Map(analyses.map((a) => [a.id, a]))
          const cluster = clusterOf(analyses.map((a) => a.id))
          expect(inChunks(cluster, byId, sizes, sharedAdditions)).toEqual(diffCluster(cluster, byId, { sharedAdditions }))
        },
      ),
      { numRuns: 60 },
    )
  })

  it('gives each member the diff diffArticles gives it alone (rows made once for alike members, and shared)', () => {
    fc.assert(
      fc.property(fc.array(member, { minLength: 2, maxLength: 8 }), (members) => {
        const ref = analyze({ id: 'r', text: REFERENCE.join('\n\n') }) as AnalysisOk
        const others = members
          .map((m, k) => analyze({ id: `m${k}`, text: memberText(k, m), ...(m.lang ? { lang: m.lang } : {}) }))
          .filter((a): a is AnalysisOk => a.status === 'ok')
        const cluster = clusterOf([ref.id, ...others.map((a) => a.id)])
        const whole = diffCluster(cluster, [ref, ...others])
        for (const a of others) expect(memberDiff(whole, a.id)).toEqual(diffArticles(ref, a, { relation: 'partial' }))
      }),
      { numRuns: 80 },
    )
  })

  it('makes a row once only for members alike in all that makes it: paragraphs, wording, languages', () => {
    // Edits of one paragraph that score alike but differ in wording, and one text under three
    // languages given: each member's rows are still its own.
    const edit = (word: string) => (P[1] as string).replace('thirty', word)
    const ref = analyze({ id: 'r', text: REFERENCE.join('\n\n') }) as AnalysisOk
    const variants: [string, string[], string | undefined][] = [
      ['a', [P[0], edit('forty'), ...REFERENCE.slice(2)] as string[], undefined],
      ['b', [P[0], edit('fifty'), ...REFERENCE.slice(2)] as string[], undefined],
      ['c', [P[0], edit('fifty'), ...REFERENCE.slice(2)] as string[], 'de'],
      ['d', [P[0], edit('fifty'), ...REFERENCE.slice(2)] as string[], 'fr'],
      ['e', [P[0], edit('fifty'), ...REFERENCE.slice(2)] as string[], 'en'],
    ]
    const others = variants.map(
      ([id, ps, lang]) => analyze({ id, text: ps.join('\n\n'), ...(lang ? { lang } : {}) }) as AnalysisOk,
    )
    for (const relation of ['partial', 'translation'] as const) {
      const whole = diffCluster(clusterOf(['r', ...others.map((a) => a.id)], relation), [ref, ...others])
      for (const a of others) expect(memberDiff(whole, a.id)).toEqual(diffArticles(ref, a, { relation }))
      const [da, db] = whole.diffs as [ArticleDiff, ArticleDiff]
      expect(da.paragraphs[1]?.similarity).toBe(db.paragraphs[1]?.similarity)
      expect(da.paragraphs[1]?.copyText).not.toBe(db.paragraphs[1]?.copyText)
    }
    // Without paragraph languages a row's languages are its article's; and one cluster may hold
    // a translation and a partial copy of one text.
    const plain = [ref, ...others].map((a) => analyze({ ...a.article }, { detectLanguage: false }) as AnalysisOk)
    const cluster = clusterOf(
      plain.map((a) => a.id),
      'partial',
    )
    cluster.members = cluster.members.map((m, k) => (k >= 3 ? { ...m, relation: 'translation' } : m))
    const whole = diffCluster(cluster, plain)
    for (const a of plain.slice(1)) {
      const relation = cluster.members.find((m) => m.id === a.id)?.relation as 'partial' | 'translation'
      expect(memberDiff(whole, a.id)).toEqual(diffArticles(plain[0] as AnalysisOk, a, { relation }))
    }
    const statuses = whole.diffs.map((d) => d.paragraphs[1]?.status)
    expect(statuses.slice(1)).toEqual(['edited', 'translated', 'translated', 'translated'])
    expect(new Set(whole.diffs.slice(2).map((d) => d.paragraphs[1]?.languages?.copy))).toEqual(new Set(['de', 'fr', 'en']))
  })

  it('groups a paragraph that members of different chunks add into one story paragraph', () => {
    const texts = [
      REFERENCE,
      [...REFERENCE, EXTRA[0]],
      [...REFERENCE, 'Desk note 2: ledger quarry velvet harvest minaret copper.'],
      [...REFERENCE.slice(0, 3), EXTRA[0], ...REFERENCE.slice(3)],
      [...REFERENCE, EXTRA[0]],
    ]
    const analyses = texts.map((t, k) => analyze({ id: `m${k}`, text: t.join('\n\n') }) as AnalysisOk)
    const byId = new Map(analyses.map((a) => [a.id, a]))
    const cluster = clusterOf(analyses.map((a) => a.id))
    const whole = diffCluster(cluster, byId)
    const shared = whole.story.filter((p) => !p.addition && p.origin.article !== 'm0')
    // m1 (first chunk), m3 and m4 (later chunks) carry it: one row, taken from m1.
    expect(shared.map((p) => [p.origin.article, Object.keys(p.cells).sort()])).toEqual([['m1', ['m1', 'm3', 'm4']]])
    expect(whole.story.filter((p) => p.addition).map((p) => p.origin.article)).toEqual(['m2'])
    for (const sizes of [[1], [2], [1, 3], [3, 1]]) expect(inChunks(cluster, byId, sizes, true)).toEqual(whole)
  })
})
