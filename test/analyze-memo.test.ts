// analyze keeps what it made of each paragraph text (sets, signature, language) and reuses it for
// the next article carrying the same paragraph: the result must be what analysing it anew gives.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, type AnalyzeOptions, analyze, analyzeParagraph } from '../src/analyze.js'
import { minhash } from '../src/sketch/minhash.js'
import { detectLanguage } from '../src/text/lang.js'

const BODY = [
  'The central bank raised its main rate by half a point to 4.5 percent on Thursday, citing inflation.',
  '"We will do what it takes," the governor told reporters in Frankfurt after the meeting.',
  'La banque centrale a relevé son taux directeur jeudi, une décision attendue par les marchés.',
  'Economists at three banks said a further rise in March was likely.',
]

function ok(id: string, text: string, options: AnalyzeOptions = {}): AnalysisOk {
  const a = analyze({ id, text }, options)
  if (a.status !== 'ok') throw new Error(`${id} was skipped`)
  return a
}

/** Each paragraph as analysing it alone gives it. */
function expectFresh(
  a: AnalysisOk,
  options: { seed: number; shingleSize: number; foldDiacritics: boolean; paragraphPerm: number },
) {
  for (const [i, p] of a.paragraphs.entries()) {
    const fresh = analyzeParagraph(p, i, {
      seed: options.seed,
      shingleSize: options.shingleSize,
      charShingleSize: 0,
      foldDiacritics: options.foldDiacritics,
    })
    expect(fresh).not.toBeNull()
    expect({ ...p, lang: undefined }).toEqual({ ...fresh, lang: undefined })
    expect(a.fingerprint.paragraphs[i]?.signature).toEqual(minhash(p.shingles, options.paragraphPerm, options.seed, 'oph'))
    expect(p.lang).toBe(detectLanguage(p.text) ?? a.lang)
  }
}

describe('analyze: paragraphs met before', () => {
  it('give every article the sets, signature and language of analysing them anew, whatever the options', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ headline: fc.string({ minLength: 1, maxLength: 30 }), keep: fc.subarray([0, 1, 2, 3]) }), {
          minLength: 2,
          maxLength: 5,
        }),
        fc.constantFrom(1, 7),
        fc.constantFrom(2, 3),
        fc.boolean(),
        (articles, seed, shingleSize, foldDiacritics) => {
          const options = { seed, shingleSize, foldDiacritics, paragraphPerm: 32 }
          for (const [k, x] of articles.entries()) {
            const text = [`Edition ${k}: ${x.headline}`, ...x.keep.map((i) => BODY[i] as string)].join('\n\n')
            expectFresh(ok(`a${k}`, text, options), options)
          }
        },
      ),
      { numRuns: 40 },
    )
  })

  it('does not carry a paragraph over from other options: folded and unfolded sets differ', () => {
    const folded = ok('f', BODY.join('\n\n'), { foldDiacritics: true })
    const plain = ok('p', BODY.join('\n\n'))
    expect(folded.paragraphs[2]?.shingles).not.toEqual(plain.paragraphs[2]?.shingles)
    expect(plain.paragraphs[2]?.shingles).toEqual(
      analyzeParagraph(plain.paragraphs[2] as never, 2, { seed: 1, shingleSize: 3, charShingleSize: 0 })?.shingles,
    )
  })
})
