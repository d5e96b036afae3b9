import fc from 'fast-check'

/**
 * Any Unicode scalar value (no lone surrogates), weighted towards ASCII and the BMP. Stands in for
 * fc.string({ unit: 'binary' }), whose tables take ~2 s to build in every test process.
 */
export const codePoint = fc
  .oneof(
    fc.integer({ min: 0, max: 0x7f }),
    fc.integer({ min: 0x80, max: 0xffff }).filter((c) => c < 0xd800 || c > 0xdfff),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
  )
  .map((c) => String.fromCodePoint(c))

/** Well-formed strings of arbitrary code points. */
export const unicodeString = (constraints: { minLength?: number; maxLength?: number } = {}) =>
  fc.string({ unit: codePoint, ...constraints })

/** Any UTF-16 code unit, lone surrogates included: what a bad decoder or a sliced string produces. */
export const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))

/** Fragments that stress a text pipeline: scripts without spaces, marks, digits, separators, breaks. */
const FRAGMENTS = [
  'Homs',
  'rebels',
  "Syria's",
  '3,500',
  '3.500',
  '12.5',
  '١٢٣٬٤٥٦',
  '๑๒๓',
  'รัฐบาลไทยประกาศ',
  '我们今天去北京',
  'カタカナ',
  'قال الرئيس',
  'שלום',
  'नमस्ते',
  'ǅ',
  'ﬁ',
  'Ａ',
  'ß',
  'İ',
  'a\u0301',
  '\u0301',
  '\u00ad',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u00a0',
  '😀',
  '👩‍👩‍👧',
  '𠀀',
  '\ud800',
  '\udfff',
  '“',
  '”',
  '´',
  '″',
  '—',
  '\n',
  '\n\n',
  '\r\n',
  '\u2028',
  '\t',
  ' ',
  '.',
  ',',
  "'",
  '"',
  'http://x.org/a?b=1',
  '@handle',
  '#',
  '\u0000',
]

/** Text assembled from stress fragments and random code units. */
export const stressText = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) }, { weight: 1, arbitrary: codeUnit }), { maxLength: 80 })
  .map((parts) => parts.join(''))

/** Every kind of string the tests throw at the text pipeline. */
export const anyText = fc.oneof(
  unicodeString({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.string({ unit: codeUnit, maxLength: 200 }),
  stressText,
)
