import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hashString } from '../../src/sketch/hash.js'
import { normalizeText } from '../../src/text/normalize.js'
import { hashTokens, normalizeNumber, scanTokens, tokenize } from '../../src/text/tokenize.js'
import { normalizeNumberRef, tokenizeAsciiRef } from '../helpers/reference.js'
import { fcOptions } from '../helpers/seed.js'
import { anyText } from '../helpers/unicode.js'

const texts = (s: string) => tokenize(normalizeText(s)).map((t) => t.text)
const asciiText = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 80 }),
  // A small alphabet so that apostrophes and separators land between letters and digits often.
  fc.string({ unit: fc.constantFrom('a', 'Z', 'q', '1', '0', '9', ',', '.', "'", ' ', '-', '\n'), maxLength: 60 }),
)

describe('tokenize', () => {
  it('returns the tokens of a regular-expression reference for ASCII text, spans included', () => {
    fc.assert(
      fc.property(asciiText, (s) => {
        expect(tokenize(s)).toEqual(tokenizeAsciiRef(s))
      }),
      fcOptions(1000),
    )
  })

  it('returns the same token for 3,500 and 3.500 and 3500', () => {
    expect(texts('3,500 3.500 3500')).toEqual(['3500', '3500', '3500'])
    expect(new Set(hashTokens('3,500 3.500 3500')).size).toBe(1)
    expect(texts('1,000,000 and 1.000.000')).toEqual(['1000000', 'and', '1000000'])
  })

  it('returns different tokens for 3.5 and 35, and keeps a decimal comma as a point', () => {
    expect(texts('3.5 35 3,5')).toEqual(['3.5', '35', '3.5'])
    expect(hashTokens('3.5')[0]).not.toBe(hashTokens('35')[0])
  })

  it('returns one token per grouped integer, whatever the grouping separator', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(',', '.'), (n, sep) => {
        const grouped = n.toLocaleString('en-US').replace(/,/g, sep)
        expect(tokenize(grouped).map((t) => t.text)).toEqual([String(n)])
      }),
      fcOptions(300),
    )
  })

  it('keeps apostrophes between letters only', () => {
    expect(texts("Syria's rock'n'roll 'quoted' it's' l'état")).toEqual(["syria's", "rock'n'roll", 'quoted', "it's", "l'état"])
    expect(texts('don’t')).toEqual(["don't"]) // curly apostrophe, via normalizeText
  })

  it('returns several words for Chinese, Japanese, Thai, Lao, Khmer and Myanmar text (Intl.Segmenter)', () => {
    for (const s of [
      '我们今天去北京大学参观',
      '東京都に住んでいます',
      'รัฐบาลไทยประกาศมาตรการใหม่',
      'ສະບາຍດີທ່ານ',
      'ខ្ញុំស្រលាញ់អ្នក',
      'မင်္ဂလာပါ',
    ]) {
      const ts = tokenize(s)
      expect(ts.length, s).toBeGreaterThanOrEqual(2)
      expect(ts.map((t) => t.text).join(''), s).toBe(s)
      for (const t of ts) expect(s.slice(t.start, t.end)).toBe(t.text)
    }
    expect(texts('รัฐบาลไทยประกาศมาตรการใหม่')).toEqual(['รัฐบาล', 'ไทย', 'ประกาศ', 'มาตรการ', 'ใหม่'])
  })

  it('splits Arabic, Hebrew and Devanagari text on spaces, keeping marks inside words', () => {
    for (const s of ['قال الرئيس إن الحكومة ستعلن', 'שלום עליכם חברים', 'नमस्ते दुनिया', 'مُحَمَّد رسول']) {
      expect(texts(s), s).toEqual(s.split(' '))
    }
  })

  it('returns ASCII digits for the decimal digits of every BMP numbering system Intl knows', () => {
    for (const numberingSystem of Intl.supportedValuesOf('numberingSystem')) {
      const digits = [...Array(10).keys()].map((d) =>
        new Intl.NumberFormat('en', { numberingSystem, useGrouping: false }).format(d),
      )
      if (!digits.every((d) => d.length === 1 && /\p{Nd}/u.test(d))) continue // astral or non-positional systems
      expect(
        tokenize(digits.join('')).map((t) => t.text),
        numberingSystem,
      ).toEqual(['0123456789'])
    }
    // Regression: Thai, Lao, Khmer and Myanmar digits went to the word segmenter as text.
    expect(texts('ปี๒๕๖๗ รัฐบาล๑,๐๐๐คน')).toEqual(['ปี', '2567', 'รัฐบาล', '1000', 'คน'])
  })
})

describe('hashTokens', () => {
  it('returns hashString of each tokenize() text, for ASCII text', () => {
    fc.assert(
      fc.property(asciiText, fc.integer({ min: 0, max: 0xffffffff }), (s, seed) => {
        expect([...hashTokens(s, seed)]).toEqual(tokenize(s).map((t) => hashString(t.text, seed)))
      }),
      fcOptions(1000),
    )
  })

  it('returns hashString of each tokenize() text for any Unicode text too', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect([...hashTokens(s)]).toEqual(tokenize(s).map((t) => hashString(t.text)))
      }),
      fcOptions(500),
    )
  })

  it('returns the number of tokens scanTokens reports, with increasing, disjoint spans', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const spans: [number, number][] = []
        const count = scanTokens(s, (_h, a, b) => spans.push([a, b]))
        expect(count).toBe(spans.length)
        expect(hashTokens(s)).toHaveLength(count)
        let last = 0
        for (const [a, b] of spans) {
          expect(a).toBeGreaterThanOrEqual(last)
          expect(b).toBeGreaterThan(a)
          last = b
        }
        expect(last).toBeLessThanOrEqual(s.length)
      }),
      fcOptions(500),
    )
  })
})

describe('normalizeNumber', () => {
  it('returns the reference canonical form for digit strings with separators', () => {
    const digits = (max: number) =>
      fc
        .array(fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), { minLength: 1, maxLength: max })
        .map((d) => d.join(''))
    const num = fc
      .tuple(digits(4), fc.array(fc.tuple(fc.constantFrom(',', '.'), digits(5)), { maxLength: 4 }))
      .map(([head, parts]) => head + parts.map(([sep, d]) => sep + d).join(''))
    fc.assert(
      fc.property(num, (raw) => {
        expect(normalizeNumber(raw)).toBe(normalizeNumberRef(raw))
        expect(tokenize(raw).map((t) => t.text)).toEqual([normalizeNumberRef(raw)])
      }),
      fcOptions(500),
    )
  })
})

describe('edge cases', () => {
  it('never throws on arbitrary Unicode, lone surrogates included', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        tokenize(s)
        hashTokens(s, 7)
        tokenize(normalizeText(s))
      }),
      fcOptions(500),
    )
  })

  it('returns no token for empty, space-only and punctuation-only input', () => {
    for (const s of ['', '   ', '.,;:!?', '\ud800', '—', "'"]) expect(tokenize(s), JSON.stringify(s)).toEqual([])
  })

  it('returns one token per supplementary ideograph', () => {
    expect(tokenize('𠀀𠀁').map((t) => t.text)).toEqual(['𠀀', '𠀁'])
  })

  it('does not treat a separator at the end of a number as part of it', () => {
    expect(tokenize('It cost 3,500. Then 12,').map((t) => t.text)).toEqual(['It', 'cost', '3500', 'Then', '12'])
  })
})
