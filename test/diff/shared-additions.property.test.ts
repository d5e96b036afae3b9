// Property: diffCluster groups the paragraphs members add (shared additions) from the pairs that
// match. matchingAdditions finds them through a prefix filter instead of scoring every pair (which
// was quadratic in a flood's cluster); it must give exactly the pairs, scores and order that
// scoring every pair gives (the brute-force reference below is the code it replaced).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { PARAGRAPH_THRESHOLDS, scoreParagraphs } from '../../src/compare/align.js'
import { type Addition, matchingAdditions } from '../../src/diff/cluster.js'

// A small vocabulary, figures and names, so that random paragraphs share words, shingles and anchors.
const WORDS = ['harbour', 'terminal', 'berths', 'cranes', 'dredging', 'oyster', 'council', 'approved', 'expansion', 'shipping']
const EXTRA = ['Tuesday', 'Vandermeer', '412', '1.9', 'Larchmont', 'reporters', 'the', 'of', 'said', 'after']
const paragraph = fc.array(fc.constantFrom(...WORDS, ...EXTRA), { minLength: 1, maxLength: 24 }).map((w) => `${w.join(' ')}.`)
const LANGS = ['en', 'de'] as const

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
      fc.property(
        fc.array(
          fc.record({ paragraphs: fc.array(paragraph, { minLength: 1, maxLength: 4 }), lang: fc.constantFrom(...LANGS) }),
          {
            minLength: 2,
            maxLength: 12,
          },
        ),
        (specs) => {
          const members = specs.map((m, k) => {
            const a = analyze({ id: `m${k}`, text: m.paragraphs.join('\n\n'), lang: m.lang })
            if (a.status !== 'ok') throw new Error(`m${k} was skipped`)
            return a
          })
          const additions: Addition[] = members.flatMap((a, member) =>
            a.paragraphs.map((p, paragraph) => ({ member, paragraph, anchor: -1, translation: false, p })),
          )
          expect(matchingAdditions(additions, members)).toEqual(bruteForce(additions, members))
        },
      ),
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
