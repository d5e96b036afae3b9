import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normalizeText } from '../../src/text/normalize.js'
import { tokenize } from '../../src/text/tokenize.js'
import { fcOptions } from '../helpers/seed.js'
import { anyText } from '../helpers/unicode.js'

const SINGLE = ['\u2018', '\u2019', '\u201A', '\u201B', '\u2032', '\u02BC', '\u0060', '\u00B4']
const DOUBLE = ['\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u00AB', '\u00BB', '\u2039', '\u203A']
const DASH = ['\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE58', '\uFE63', '\uFF0D']
const SPACE = ['\u00A0', '\u2002', '\u2009', '\u200A', '\u200B', '\u202F', '\u205F', '\u3000', '\uFEFF', '\t', '\n', '\r\n']

describe('normalizeText', () => {
  it('returns straight quotes, a hyphen-minus and one space for the typographic variants', () => {
    expect(normalizeText('“Safe and stable” — Homs')).toBe('"safe and stable" - homs')
    for (const q of SINGLE) expect(normalizeText(`don${q}t`), `U+${q.charCodeAt(0).toString(16)}`).toBe("don't")
    for (const q of DOUBLE) expect(normalizeText(`${q}x${q}`), `U+${q.charCodeAt(0).toString(16)}`).toBe('"x"')
    for (const d of DASH) expect(normalizeText(`a${d}b`), `U+${d.charCodeAt(0).toString(16)}`).toBe('a-b')
    for (const s of SPACE) expect(normalizeText(`a${s}${s}b`), `U+${s.charCodeAt(0).toString(16)}`).toBe('a b')
  })

  it('returns an apostrophe for the acute accent and a double quote for the double prime, which NFKC would decompose', () => {
    // Regression: NFKC turns ´ into " \u0301" and ″ into ′′ before the quote rules ran.
    expect(normalizeText('don´t')).toBe("don't")
    expect(tokenize(normalizeText('don´t')).map((t) => t.text)).toEqual(["don't"])
    expect(normalizeText('″quoted″')).toBe('"quoted"')
  })

  it('removes soft hyphens and word joiners, so that a hyphenation hint does not split a word', () => {
    expect(normalizeText('Bundes\u00ADregierung')).toBe('bundesregierung')
    expect(normalizeText('co\u2060operate')).toBe('cooperate')
  })

  it('returns the NFKC form: ligatures, full-width forms, circled digits and composed accents', () => {
    expect(normalizeText('ﬁnal ＦＵＬＬ ① Ⅻ')).toBe('final full 1 xii')
    expect(normalizeText('cafe\u0301')).toBe(normalizeText('café'))
    expect(normalizeText('Å')).toBe(normalizeText('\u212B')) // Angstrom sign
  })

  it('returns lower case with ß folded to ss, unless caseFold is false', () => {
    expect(normalizeText('Straße ẞ ΑΘΗΝΑ Ελλάδα')).toBe('strasse ss αθηνα ελλάδα')
    expect(normalizeText('Straße', { caseFold: false })).toBe('Straße')
  })

  it('strips diacritics only when foldDiacritics is set', () => {
    expect(normalizeText('Café Müller, Ångström, São Paulo')).toBe('café müller, ångström, são paulo')
    expect(normalizeText('Café Müller, Ångström, São Paulo', { foldDiacritics: true })).toBe('cafe muller, angstrom, sao paulo')
    expect(normalizeText('e\u0301\u0302', { foldDiacritics: true })).toBe('e')
  })

  it('returns the same text for inputs that differ only in quote, dash and space variants', () => {
    const pick = (xs: string[]) => fc.constantFrom(...xs)
    const words = fc.constantFrom('Homs', 'rebels', 'said', '3,500', 'café')
    const piece = fc.oneof(
      words.map((w) => [w, w] as const),
      fc.tuple(pick(SINGLE), fc.constant("'")),
      fc.tuple(pick(DOUBLE), fc.constant('"')),
      fc.tuple(pick(DASH), fc.constant('-')),
      fc.tuple(pick(SPACE), fc.constant(' ')),
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const fancy = pieces.map(([f]) => f).join('')
        const plain = pieces.map(([, p]) => p).join('')
        expect(normalizeText(fancy)).toBe(normalizeText(plain))
      }),
      fcOptions(300),
    )
  })

  it('returns a trimmed string with single spaces and no typographic variants left, for any input', () => {
    const left = new RegExp(`[${[...SINGLE, ...DOUBLE, ...DASH].join('')}\u00A0\u200B\u3000\u00AD]|\\s{2}|[\\t\\n\\r]`)
    fc.assert(
      fc.property(anyText, fc.boolean(), fc.boolean(), (text, caseFold, foldDiacritics) => {
        const n = normalizeText(text, { caseFold, foldDiacritics })
        expect(n).toBe(n.trim())
        expect(left.test(n), JSON.stringify(n)).toBe(false)
      }),
      fcOptions(500),
    )
  })

  it('is idempotent on the text it produces', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, foldDiacritics) => {
        const once = normalizeText(text, { foldDiacritics })
        expect(normalizeText(once, { foldDiacritics })).toBe(once)
      }),
      fcOptions(500),
    )
  })
})

describe('edge cases', () => {
  it('returns an empty string for empty and whitespace-only input', () => {
    expect(normalizeText('')).toBe('')
    expect(normalizeText(' \u00A0\u3000\n\uFEFF ')).toBe('')
  })

  it('never throws on lone surrogates, NUL or unassigned code points', () => {
    expect(() => normalizeText('\ud800x\udfff\u0000\u0378\uFFFF')).not.toThrow()
  })

  it('keeps letters without a decomposition under foldDiacritics (ø, ł, đ are not "e + accent")', () => {
    expect(normalizeText('Ørsted Łódź Đặng', { foldDiacritics: true })).toBe('ørsted łodz đang')
  })
})
