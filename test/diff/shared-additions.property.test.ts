// Property: diffCluster groups the paragraphs members add (shared additions) from the pairs that
// match. matchingAdditions finds them through a prefix filter instead of scoring every pair (which
// was quadratic in a flood's cluster); it must give exactly the pairs, scores and order that
// scoring every pair gives (the brute-force reference below is the code it replaced).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { PARAGRAPH_THRESHOLDS, scoreParagraphs } from '../../src/compare/align.js'
import { type Addition, greedyGroups, groupShared, matchingAdditions } from '../../src/diff/cluster.js'

// A small vocabulary, figures and names, so that random paragraphs share words, shingles and anchors.
const WORDS = ['harbour', 'terminal', 'berths', 'cranes', 'dredging', 'oyster', 'council', 'approved', 'expansion', 'shipping']
const EXTRA = ['Tuesday', 'Vandermeer', '412', '1.9', 'Larchmont', 'reporters', 'the', 'of', 'said', 'after']
const paragraph = fc.array(fc.constantFrom(...WORDS, ...EXTRA), { minLength: 1, maxLength: 24 }).map((w) => `${w.join(' ')}.`)
const LANGS = ['en', 'de'] as const

/** 2 to `most` analysed members, each of 1 to 4 paragraphs drawn from `paragraphs`, in English or German. */
function membersOf(paragraphs: fc.Arbitrary<string>, most: number): fc.Arbitrary<AnalysisOk[]> {
  const spec = fc.record({ paragraphs: fc.array(paragraphs, { minLength: 1, maxLength: 4 }), lang: fc.constantFrom(...LANGS) })
  return fc.array(spec, { minLength: 2, maxLength: most }).map((specs) =>
    specs.map((m, k) => {
      const a = analyze({ id: `m${k}`, text: m.paragraphs.join('\n\n'), lang: m.lang })
      if (a.status !== 'ok') throw new Error(`m${k} was skipped`)
      return a
    }),
  )
}

/** The reference: every pair scored (the loop matchingAdditions replaced). */
function bruteForce(additions: readonly Addition[], members: readonly AnalysisOk[]) {
  const out: { x: number; y: number; s: number }[] = []
  for (let x = 0; x < additions.length; x++) {
    for (let y = x + 1; y < additions.length; y++) {
      const ax = additions[x] as Addition
      const ay = additions[y] as Addition
      if (ax.member === ay.member) continue
      const la = ax.p.lang ?? (members[ax.member] as AnalysisOk).lang
      const lb = ay.p.lang ?? (members[ay.member] as AnalysisOk).lang
      const s = scoreParagraphs(ax.p, ay.p, !!la && !!lb && la !== lb)
      if (s.containment >= PARAGRAPH_THRESHOLDS.edited || s.reworded >= PARAGRAPH_THRESHOLDS.reworded) {
        out.push({ x, y, s: Math.max(s.containment, s.reworded) })
      }
    }
  }
  return out.sort((p, q) => q.s - p.s || p.x - q.x || p.y - q.y)
}

describe('shared additions: matchingAdditions against scoring every pair', () => {
  it('finds the same matching pairs, with the same scores, in the same order', () => {
    fc.assert(
      fc.property(membersOf(paragraph, 12), (members) => {
        const additions: Addition[] = members.flatMap((a, member) =>
          a.paragraphs.map((p, paragraph) => ({ member, paragraph, anchor: -1, translation: false, p })),
        )
        expect(matchingAdditions(additions, members)).toEqual(bruteForce(additions, members))
      }),
      { numRuns: 150 },
    )
  })

  it('finds a pair that shares exactly the needed share of the smaller set (3 of 10 shingles)', () => {
    // At the bound: containment exactly PARAGRAPH_THRESHOLDS.edited (3 / 10) matches, so the prefix must reach it.
    const members = ['aa bb cc dd ee ff gg hh ii jj kk ll', 'aa bb cc dd ee mm nn oo pp qq rr ss tt uu'].map((text, k) => {
      const a = analyze({ id: `m${k}`, text, lang: 'en' })
      if (a.status !== 'ok') throw new Error('skipped')
      return a
    })
    const additions: Addition[] = members.map((a, member) => ({
      member,
      paragraph: 0,
      anchor: -1,
      translation: false,
      p: a.paragraphs[0] as AnalysisOk['paragraphs'][number],
    }))
    expect(matchingAdditions(additions, members)).toEqual(bruteForce(additions, members))
  })
})

/** The greedy grouping over every matching pair, found by scoring every pair (groupShared's path when its shortcut does not apply). */
function greedyReference(additions: Addition[], members: readonly AnalysisOk[]): void {
  greedyGroups(additions, bruteForce(additions, members))
}

/** Every paragraph of every member as an addition, twice: one set for groupShared, one for the reference. */
function bothWays(members: readonly AnalysisOk[]): { fast: Addition[]; slow: Addition[] } {
  const make = (): Addition[] =>
    members.flatMap((a, member) => a.paragraphs.map((p, paragraph) => ({ member, paragraph, anchor: -1, translation: false, p })))
  const fast = make()
  const slow = make()
  groupShared(fast, members)
  greedyReference(slow, members)
  return { fast, slow }
}

/** Each addition's group as the indices of its additions (null: alone). */
function groupsOf(additions: readonly Addition[]): (number[] | null)[] {
  const at = new Map(additions.map((a, i) => [a, i]))
  return additions.map((a) => (a.group ? a.group.map((b) => at.get(b) as number) : null))
}

describe('shared additions: identical ones grouped by class', () => {
  // A few paragraphs many members carry word for word (a footer, a correction), and some of their own.
  const COMMON = [
    'Reporting by the harbour desk; editing by the council desk.',
    'The terminal expansion was approved on Tuesday after the dredging dispute.',
    'Vandermeer said the oyster beds would be restored.',
    'Shipping lines said the cranes and berths were needed.',
  ]
  const addition = fc.oneof(fc.constantFrom(...COMMON), paragraph)

  it('groups as the greedy over every matching pair does, whether identical additions share members or not', () => {
    fc.assert(
      fc.property(membersOf(addition, 14), (members) => {
        const { fast, slow } = bothWays(members)
        expect(groupsOf(fast)).toEqual(groupsOf(slow))
      }),
      { numRuns: 200 },
    )
  })

  it('puts 300 members that add one footer into one group, with another shared line beside it', () => {
    const members = Array.from({ length: 300 }, (_, k) => {
      const text = [k % 3 === 0 ? COMMON[1] : `Own line ${k} of outlet ${k}.`, COMMON[0]].join('\n\n')
      const a = analyze({ id: `m${k}`, text, lang: 'en' })
      if (a.status !== 'ok') throw new Error('skipped')
      return a
    })
    const { fast: additions, slow } = bothWays(members)
    expect(groupsOf(additions)).toEqual(groupsOf(slow))
    const footer = additions.filter((a) => a.p.text === COMMON[0])
    expect(footer[0]?.group?.length).toBe(300)
    expect(additions.find((a) => a.p.text === COMMON[1])?.group?.length).toBe(100)
  })
  it('keeps the greedy order when a longer addition holds an identical one whole (a tie at full strength)', () => {
    // Outlet 1 adds the line and, before it, a longer one that holds it: against the line, the
    // longer one scores as strongly as the line against itself, and the greedy meets it first.
    const line = COMMON[1] as string
    const texts = [line, `${line.replace(/\.$/, '')} and the council said the cranes would follow.\n\n${line}`, line]
    const members = texts.map((text, k) => {
      const a = analyze({ id: `m${k}`, text, lang: 'en' })
      if (a.status !== 'ok') throw new Error('skipped')
      return a
    })
    const { fast, slow } = bothWays(members)
    expect(groupsOf(fast)).toEqual(groupsOf(slow))
  })
})
