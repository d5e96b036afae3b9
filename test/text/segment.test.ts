import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { segmentParagraphs, wordCount } from '../../src/text/segment.js'
import { fcOptions } from '../helpers/seed.js'
import { anyText } from '../helpers/unicode.js'

describe('segmentParagraphs', () => {
  it('splits on blank lines and keeps offsets into the original', () => {
    const text = 'First para.\n\n  \nSecond para.'
    const ps = segmentParagraphs(text)
    expect(ps.map((p) => p.text)).toEqual(['First para.', 'Second para.'])
    for (const p of ps) expect(text.slice(p.start, p.end)).toBe(p.text)
  })

  it('treats each line as a paragraph when a block is not hard-wrapped', () => {
    const ps = segmentParagraphs('A headline\nThe first sentence of the story, which is long enough.\nAnother paragraph here.')
    expect(ps).toHaveLength(3)
    expect(ps[0]?.kind).toBe('heading')
  })

  it('joins hard-wrapped prose into one paragraph', () => {
    const text =
      'Inheritance is a basic concept of Object-Oriented Programming where\nthe basic idea is to create new classes that add extra detail to\nexisting classes.'
    expect(segmentParagraphs(text)).toHaveLength(1)
  })
})

describe('wordCount', () => {
  it('is the length of split(/\\s+/) on a trimmed text', () => {
    const spaced = fc
      .array(fc.constantFrom('a', 'Homs', ' ', '  ', '\t', '\u00a0', '\u2009', '\u3000', '\ufeff', '\u200b', '\n', '\u2028'), {
        maxLength: 12,
      })
      .map((p) => p.join(''))
    fc.assert(
      fc.property(fc.oneof(anyText, spaced), (raw) => {
        const t = raw.trim()
        expect(wordCount(t)).toBe(t.split(/\s+/).length)
      }),
      fcOptions(500),
    )
  })

  it('stops at its limit: min(words, limit)', () => {
    const spaced = fc
      .array(fc.constantFrom('a', 'Homs', ' ', '  ', '\t', '\u00a0', '\n'), { maxLength: 40 })
      .map((p) => p.join(''))
    fc.assert(
      fc.property(fc.oneof(anyText, spaced), fc.integer({ min: 1, max: 20 }), (raw, limit) => {
        const t = raw.trim()
        expect(wordCount(t, limit)).toBe(Math.min(t.split(/\s+/).length, limit))
      }),
      fcOptions(500),
    )
  })
})
