import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { sentenceBreaks, type TextView, textView } from '../../src/compare/view.js'
import { normalizeText } from '../../src/text/normalize.js'
import { hashTokens, tokenize } from '../../src/text/tokenize.js'
import { fcOptions } from '../helpers/seed.js'
import { loadSeeds } from '../helpers/seeds.js'

let ids = 0
function viewOf(text: string): TextView {
  const x = analyze({ id: `v${ids++}`, text }, { detectLanguage: false })
  if (x.status !== 'ok') throw new Error(`skipped: ${JSON.stringify(text)}`)
  return textView(x as AnalysisOk)
}

/** Each token's span, sliced from the article and normalised, is that one token (same hash). */
function expectSpansPointAtTokens(v: TextView): void {
  const text = v.analysis.article.text
  for (let i = 0; i < v.tokens.length; i++) {
    const piece = normalizeText(text.slice(v.start[i], v.end[i]))
    expect(tokenize(piece), `token ${i} of ${v.id}: ${JSON.stringify(text.slice(v.start[i], v.end[i]))}`).toHaveLength(1)
    expect(hashTokens(piece)[0], `token ${i} of ${v.id}`).toBe(v.tokens[i])
  }
}

// Words dressed as news text dresses them: capitals, typographic apostrophes, soft hyphens inside
// words, figures, curly and straight quotes, sentence ends.
const WORDS = 'government river harbour council Syria mayor winter market bridge official'.split(' ')
const piece = fc.tuple(fc.constantFrom(...WORDS), fc.nat(9)).map(([w, k]) => {
  const mid = w.length >> 1
  switch (k) {
    case 0:
      return w.charAt(0).toUpperCase() + w.slice(1)
    case 1:
      return `${w}’s`
    case 2:
      return w.slice(0, mid) + '\u00AD' + w.slice(mid)
    case 3:
      return `“${w}`
    case 4:
      return `${w}”`
    case 5:
      return `"${w}`
    case 6:
      return `${w}.`
    case 7:
      return '3,500'
    case 8:
      return '12.5'
    default:
      return w
  }
})
/** A paragraph, hard-wrapped at `width` columns (with \n or \r\n) when `width` > 0. */
const paragraph = fc
  .tuple(fc.array(piece, { minLength: 1, maxLength: 40 }), fc.constantFrom(0, 0, 45, 60, 75), fc.constantFrom('\n', '\r\n'))
  .map(([ps, width, nl]) => {
    if (!width) return ps.join(' ')
    const lines = ['']
    for (const p of ps) {
      const last = lines[lines.length - 1] as string
      if (last && last.length + p.length + 1 > width) lines.push(p)
      else lines[lines.length - 1] = last ? `${last} ${p}` : p
    }
    return lines.join(nl)
  })
const article = fc.array(paragraph, { minLength: 1, maxLength: 4 }).map((ps) => ps.join('\n\n'))

describe('textView', () => {
  it('returns token spans that point at the token’s text in the seed articles', () => {
    for (const s of loadSeeds()) {
      const x = analyze(s)
      if (x.status !== 'ok') throw new Error(`seed ${s.id} skipped`)
      expectSpansPointAtTokens(textView(x))
    }
  })

  it('returns token spans that point at the token’s text with apostrophes, soft hyphens, quotes and hard wraps', () => {
    fc.assert(
      fc.property(article, (text) => expectSpansPointAtTokens(viewOf(text))),
      fcOptions(300),
    )
  })

  it('returns for paragraphs met in an earlier article the same tokens, flags and sentences, at their own offsets', () => {
    // Views keep what each paragraph text gives (a viral story's reprints repeat it): the second
    // article has the first's paragraphs after a headline of its own, so at other offsets.
    fc.assert(
      fc.property(article, fc.nat(40), (text, pad) => {
        const first = viewOf(text)
        // A headline in capitals: a word an article writes in lower case is no name anywhere in it.
        const second = viewOf(`Edition ${'X'.repeat(pad)} Of The River Market Report\n\n${text}`)
        expectSpansPointAtTokens(second)
        const head = second.tokens.length - first.tokens.length
        const shift = second.analysis.article.text.length - text.length
        const tail = (
          v: TextView,
          key: 'tokens' | 'quoted' | 'specific' | 'numeric' | 'paragraphStart' | 'start' | 'end',
          from: number,
          plus = 0,
        ) => Array.from(v[key].subarray(from), (x) => x + plus)
        for (const key of ['tokens', 'quoted', 'specific', 'numeric', 'paragraphStart'] as const) {
          expect(tail(second, key, head)).toEqual(tail(first, key, 0))
        }
        expect(tail(second, 'start', head)).toEqual(tail(first, 'start', 0, shift))
        expect(tail(second, 'end', head)).toEqual(tail(first, 'end', 0, shift))
        const skipped = second.sentenceCount - first.sentenceCount
        expect(Array.from(second.sentences.subarray(skipped), (x) => x - head)).toEqual(Array.from(first.sentences))
        expect(Array.from(second.sentenceFrom.subarray(skipped))).toEqual(Array.from(first.sentenceFrom))
        expect(Array.from(second.sentenceParagraph.subarray(skipped), (x) => x - 1)).toEqual(Array.from(first.sentenceParagraph))
      }),
      fcOptions(200),
    )
  })

  it('keeps each paragraph’s tokens and spans apart when many paragraphs, and one very long one, share memory', () => {
    // Paragraph pieces are cut from shared slabs: hundreds of distinct paragraphs fill several,
    // and one of 3,000 words takes a buffer of its own between them.
    const word = (i: number) => WORDS[i % WORDS.length] as string
    const paragraphs = Array.from({ length: 400 }, (_, p) =>
      Array.from({ length: 20 + (p % 13) }, (_, i) => `${word(p * 7 + i * 3)}${(p + i) % 5 === 0 ? ` ${p}` : ''}`).join(' '),
    )
    paragraphs.splice(150, 0, Array.from({ length: 3000 }, (_, i) => word(i * 11)).join(' '))
    for (let from = 0; from < paragraphs.length; from += 40) {
      const v = viewOf(paragraphs.slice(from, from + 40).join('\n\n'))
      expectSpansPointAtTokens(v)
    }
  })

  it('flags as specific and named what the rules say, word by word (a reference written with plain sets)', () => {
    fc.assert(
      fc.property(article, (text) => {
        const v = viewOf(text)
        const words = (i: number) => text.slice(v.start[i], v.end[i])
        const capital = (i: number) => /^\p{Lu}/u.test(words(i))
        const lower = new Set<number>()
        for (let i = 0; i < v.tokens.length; i++) if (/^\p{Ll}/u.test(words(i))) lower.add(v.tokens[i] as number)
        // Specific: a figure, or a capitalised word (not a function word) the text never writes in lower case.
        for (let i = 0; i < v.tokens.length; i++) {
          if (v.numeric[i]) expect(v.specific[i]).toBe(1)
          else if (lower.has(v.tokens[i] as number) || !capital(i)) expect(v.specific[i]).toBe(0)
        }
        // Named: specific, less the openers of sentences whose word is never specific inside a sentence.
        const inside = new Set<number>()
        const openers: number[] = []
        for (let s = 0; s < v.sentenceCount; s++) {
          let first = v.sentences[s] as number
          const end = v.sentences[s + 1] as number
          while (first < end && v.numeric[first]) first++
          openers.push(first)
          for (let i = first + 1; i < end; i++) if (v.specific[i] && !v.numeric[i]) inside.add(v.tokens[i] as number)
        }
        const expected = Array.from(v.specific)
        openers.forEach((first, s) => {
          if (first < (v.sentences[s + 1] as number) && v.specific[first] && !inside.has(v.tokens[first] as number))
            expected[first] = 0
        })
        expect(Array.from(v.named)).toEqual(expected)
      }),
      fcOptions(200, 3),
    )
  })

  it('flags as specific the capitalised words the text never writes in lower case, and figures', () => {
    const v = viewOf(
      'JOLIET HOGS SEEN STEADY - PRIVATE SOURCES\n\nHog prices are steady at Joliet, private sources said. Top 50.50 dlrs.',
    )
    const specific = Array.from(v.specific)
    // JOLIET HOGS SEEN steady private sources | Hog prices are steady at Joliet private sources said | Top 50.50 dlrs
    expect(specific).toEqual([1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0])
  })

  it('returns tokens as quoted between quotation marks, an unclosed quote running to the end of its paragraph', () => {
    const flags = (text: string) => Array.from(viewOf(text).quoted)
    // mayor said "river stone market" and left. the “council harbour” agreed.
    expect(flags('Mayor said "river stone market" and left. The “council harbour” agreed.')).toEqual([
      0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0,
    ])
    expect(flags('He said «river stone» then.')).toEqual([0, 0, 1, 1, 0])
    // Unclosed in the first paragraph: quoted to its end, not into the next one.
    expect(flags('He said "river stone market.\n\nThe mayor left.')).toEqual([0, 0, 1, 1, 1, 0, 0, 0])
  })

  it('returns a token as quoted when an odd number of quotation marks precede it in its paragraph', () => {
    fc.assert(
      fc.property(article, (text) => {
        const v = viewOf(text)
        const paragraphs = v.analysis.paragraphs
        for (let i = 0; i < v.tokens.length; i++) {
          const p = paragraphs[v.sentenceParagraph[v.sentenceOf[i] as number] as number] as { start: number }
          const marks = text.slice(p.start, v.start[i]).match(/["“”„‟«»]/g)?.length ?? 0
          expect(v.quoted[i], `token ${i}`).toBe(marks % 2)
        }
      }),
      fcOptions(300, 1),
    )
  })
})

describe('sentenceBreaks', () => {
  it('returns a break after terminal punctuation and a space before a capital, not inside "U.S."', () => {
    const text = 'He said. Then she left! U.S. officials agreed.'
    expect(sentenceBreaks(text)).toEqual([text.indexOf('Then'), text.indexOf('U.S.')])
  })

  it('returns a break after the Urdu full stop ۔, with or without a space', () => {
    for (const text of ['اس نے اجازت دیدی۔ بنگلہ دیش نے', 'اس نے اجازت دیدی۔بنگلہ دیش نے']) {
      expect(sentenceBreaks(text)).toEqual([text.indexOf('بنگلہ')])
    }
  })

  it('returns no break inside a decimal number, before a lower-case word, or at the end', () => {
    expect(sentenceBreaks('He bowled 6.1 overs for 12 runs.')).toEqual([])
    expect(sentenceBreaks('Prices rose 3.5 per cent. then fell.')).toEqual([])
    expect(sentenceBreaks('It ended. ')).toEqual([])
  })

  it('returns a break after closing quotes and brackets', () => {
    const text = 'He said “enough.” Then he left (again.) Now what?'
    expect(sentenceBreaks(text)).toEqual([text.indexOf('Then'), text.indexOf('Now')])
  })
})
