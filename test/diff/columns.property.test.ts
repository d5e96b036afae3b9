// Property: diffCluster scores each distinct member paragraph against the reference once and
// reuses the column for every member carrying it (ParagraphColumns). Each member's diff must be
// what diffArticles, which scores every pair anew, gives for the same pair.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { diffArticles, diffCluster, memberDiff } from '../../src/diff/index.js'
import { clusterOf, P } from './fixtures.js'

const HEADLINES = [
  'World | Harbour doubles capacity',
  'Business | Port adds four cranes, edition 7',
  'Latest | Café owners say prices rise',
]
// Diacritics: analysed with foldDiacritics, the same text gives other sets (a column must not be reused).
const ACCENTED = 'The café in Zürich reopened its terrace, and the mayor’s office approved longer opening hours.'

function analysed(id: string, paragraphs: readonly string[], foldDiacritics: boolean): AnalysisOk {
  const a = analyze({ id, text: paragraphs.join('\n\n') }, { foldDiacritics })
  if (a.status !== 'ok') throw new Error(`${id} was skipped`)
  return a
}

/** A near-copy of the reference's paragraphs: the first line replaced, dropped or added, maybe one body paragraph edited. */
const nearCopy = fc.record({
  headline: fc.constantFrom(...HEADLINES, null),
  dropFirst: fc.boolean(),
  edit: fc.option(fc.nat({ max: 7 }), { nil: undefined }),
  fold: fc.boolean(),
  // The accented paragraph edited: its row shows the pair's own score, which folding changes.
  editAccented: fc.boolean(),
})

describe('diffCluster reuses paragraph columns', () => {
  it('gives each member the diff diffArticles gives on its own', () => {
    fc.assert(
      fc.property(fc.constantFrom(...HEADLINES), fc.array(nearCopy, { minLength: 1, maxLength: 6 }), (head, copies) => {
        const body = [...P, ACCENTED]
        const ref = analysed('ref', [head, ...body], false)
        const members = copies.map((c, k) => {
          let paragraphs = c.dropFirst ? body.slice() : [c.headline ?? head, ...body]
          if (c.edit !== undefined) {
            paragraphs = paragraphs.map((p, i) => (i === c.edit ? p.replace(/ the /, ' a ') : p))
          }
          if (c.editAccented) paragraphs = paragraphs.map((p) => (p === ACCENTED ? p.replace('terrace', 'garden terrace') : p))
          if (c.headline === null && !c.dropFirst) paragraphs = [HEADLINES[k % HEADLINES.length] as string, ...paragraphs]
          return analysed(`m${k}`, paragraphs, c.fold)
        })
        const all = [ref, ...members]
        const d = diffCluster(
          clusterOf(
            all.map((a) => a.id),
            'duplicate',
          ),
          all,
        )
        for (const [k, m] of members.entries()) {
          // Compact in the cluster diff; restored, the same diff (and the same JSON) as diffArticles'.
          const alone = diffArticles(ref, m, { relation: 'duplicate' })
          expect(d.diffs[k]?.texts).toBe('compact')
          expect(JSON.stringify(memberDiff(d, m.id))).toBe(JSON.stringify(alone))
        }
      }),
      { numRuns: 60 },
    )
  })
})
