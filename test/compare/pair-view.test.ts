import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { measureEvidence, type PairEvidence } from '../../src/compare/evidence.js'
import { pairView, type TextView, textView } from '../../src/compare/view.js'
import { fcOptions } from '../helpers/seed.js'

// A small vocabulary with capitals, figures and quotes, so that flags, sentences and tiles vary.
const WORDS = 'the of river Stone market Council harbour 12 7.5 "said winter" bridge Mayor train'.split(' ')
const sentence = fc.array(fc.nat(WORDS.length - 1), { minLength: 1, maxLength: 9 })
/** Sentences opened with a capital and closed with a full stop, paragraphs parted by a blank line. */
function render(paragraphs: number[][][]): string {
  const sentenceText = (s: number[]) => {
    const t = s.map((i) => WORDS[i]).join(' ')
    return `${t.charAt(0).toUpperCase()}${t.slice(1)}.`
  }
  const out: string[] = []
  for (const p of paragraphs) out.push(p.map(sentenceText).join(' '))
  return out.join('\n\n')
}
const article = fc.array(fc.array(sentence, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }).map(render)

let ids = 0
function analysed(text: string): AnalysisOk {
  const x = analyze({ id: `p${ids++}`, text }, { detectLanguage: false })
  if (x.status !== 'ok') throw new Error(`skipped: ${text}`)
  return x
}

const ARRAYS = [
  'tokens',
  'start',
  'end',
  'quoted',
  'specific',
  'named',
  'sentences',
  'sentenceOf',
  'sentenceParagraph',
  'sentenceFrom',
  'sentenceTo',
  'numeric',
  'paragraphStart',
] as const

function plainView(v: TextView): Record<string, unknown> {
  const out: Record<string, unknown> = { sentenceCount: v.sentenceCount, id: v.id }
  for (const k of ARRAYS) out[k] = Array.from(v[k])
  return out
}

/** Everything of a pair's evidence but the views themselves. */
function plainEvidence(ev: PairEvidence): Record<string, unknown> {
  const { views: _views, ...rest } = ev
  return rest
}

describe('pairView', () => {
  it('builds first-met analyses transient views equal to their cached ones, reusing memory across pairs of any size, and the same evidence', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(article, article), { minLength: 1, maxLength: 4 }), (pairs) => {
        for (const [ta, tb] of pairs) {
          const x = analysed(ta)
          const y = analysed(tb)
          // Copies of x and y are new to pairView: their views go into the reused memory.
          const vx = plainView(pairView({ ...x }, 0))
          const vy = plainView(pairView({ ...y }, 1))
          const fresh = plainEvidence(measureEvidence({ ...x }, { ...y }, false))
          expect(vx).toEqual(plainView(textView(x)))
          expect(vy).toEqual(plainView(textView(y)))
          expect(fresh).toEqual(plainEvidence(measureEvidence(x, y, false)))
        }
      }),
      fcOptions(200),
    )
  })

  it('keeps no view of an analysis met once, and the cached view from the second meeting on', () => {
    const x = analysed('River market. The Council said 12.')
    const first = pairView(x, 0)
    const second = pairView(x, 0)
    expect(second).not.toBe(first)
    expect(second).toBe(textView(x))
    expect(pairView(x, 1)).toBe(second)
  })
})
