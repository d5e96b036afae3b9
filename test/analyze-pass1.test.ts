// The fused pass-1 sketch (fusedSketch, which analyzeResolved runs and completes) must make exactly
// what the reference steps make: the fingerprint of the full analysis and the copy keys, on any text.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type Analysis,
  type AnalyzeOptions,
  type Article,
  analyze,
  analyzeResolved,
  clearParagraphMemo,
  fusedSketch,
  languageSample,
  referenceAnalysis,
  resolveAnalyzeOptions,
} from '../src/analyze.js'
import { copyKeys } from '../src/cluster/candidates.js'
import { identifyLanguage } from '../src/text/lang.js'
import { has, REUTERS, readJsonl } from './helpers/corpora.js'
import { fcOptions } from './helpers/seed.js'
import { loadSeeds } from './helpers/seeds.js'
import { anyText, stressText } from './helpers/unicode.js'

/** Pieces of paragraphs: mixed scripts, quotes, numbers, diacritics (composed and not), NFKC cases. */
const WORDS = [
  'Rebels',
  'entered',
  'the',
  'city',
  'of',
  'Homs',
  "Syria's",
  'don`t',
  '3,500',
  '3.500',
  '12.5',
  '2024-03-08',
  '10:30',
  '$4.5 billion',
  'U.S.',
  'NATO',
  'Dr',
  'café',
  'cafe\u0301',
  'Straße',
  'İstanbul',
  'ﬁnance',
  'Ｔｏｋｙｏ',
  'Дамаск',
  'دمشق',
  'الأسد',
  '我们今天去北京',
  'カタカナ',
  'รัฐบาล',
  '١٢٣٬٤٥٦',
  '“Safe and stable”',
  '‘quoted’',
  '"He said it was over"',
  '«bonjour»',
  '—',
  '–',
  '\u00a0',
  '\u00ad',
  '\u2009',
  '´',
  'http://example.org/a?b=1',
  '@handle',
  '#tag',
  // Anchors pass 1 hashes as it finds them: integers past 2^53 and 1e21, dates, amounts, mail.
  '9007199254740993',
  '1,000,000,000,000,000,000,000',
  '100',
  '8 December',
  'el 8 de diciembre',
  'am 6. Mai',
  'mil millones',
  '12月8日',
  'desk@example.org',
  'le',
  'la',
  'und',
  'der',
  'y',
  'los',
]

/** Lines the built-in boilerplate rules remove, whole or in part. */
const BOILERPLATE = [
  'Advertisement',
  'Share on Facebook',
  'Facebook | Twitter | Email',
  'Article continues below advertisement',
  '© 2024 Reuters. All rights reserved.',
  'Sign up for our daily newsletter alerts',
  'Comments',
  'Read more',
  'date 2024-03-08 ',
  '   ',
  '',
]

const line = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 30 }).map((w) => w.join(' ')) },
  { weight: 2, arbitrary: fc.constantFrom(...BOILERPLATE) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }), fc.constantFrom(...BOILERPLATE))
      .map(([w, b]) => `${w.join(' ')} ${b} ${w.join(' ')}`),
  },
  { weight: 1, arbitrary: stressText },
)

/** Articles: lines joined by LF, CRLF, CR or blank lines; long hard-wrapped runs; a given language now and then. */
const article: fc.Arbitrary<Article> = fc
  .record({
    lines: fc.array(fc.tuple(line, fc.constantFrom('\n', '\n', '\n\n', '\r\n', '\r\n\r\n', '\r', '\u2028')), { maxLength: 14 }),
    lang: fc.option(fc.constantFrom('en', 'fr'), { nil: undefined }),
    source: fc.option(fc.constantFrom('Inquirer', 'Wire'), { nil: undefined }),
  })
  .map(({ lines, lang, source }) => ({
    id: 'a',
    text: lines.map(([l, sep]) => l + sep).join(''),
    ...(lang ? { lang } : {}),
    ...(source ? { source } : {}),
  }))

const options: fc.Arbitrary<AnalyzeOptions> = fc.record({
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  shingleSize: fc.integer({ min: 1, max: 5 }),
  numPerm: fc.constantFrom(16, 128),
  paragraphPerm: fc.constantFrom(8, 32),
  scheme: fc.constantFrom('oph' as const, 'kperm' as const),
  foldDiacritics: fc.boolean(),
  detectLanguage: fc.boolean(),
})

/** The fingerprint of `a` with no paragraph language (the sketch leaves that to completeAnalysis). */
function fingerprintOf(a: Analysis) {
  if (a.status !== 'ok') return a
  return { ...a.fingerprint, paragraphs: a.fingerprint.paragraphs.map(({ lang: _lang, ...p }) => p) }
}

/** Each analysis starts from an empty paragraph memo, so that neither reads the other's work. */
function fresh<T>(make: () => T): T {
  clearParagraphMemo()
  return make()
}

function expectSameAsReference(a: Article, opts: AnalyzeOptions): void {
  const o = resolveAnalyzeOptions(opts)
  const fused = fresh(() => fusedSketch(a, o))
  const full = fresh(() => referenceAnalysis(a, o, false))
  const reference = fresh(() => referenceAnalysis(a, o, true))
  // analyze (the fused sketch, completed) is the reference's full analysis.
  expect(fresh(() => analyze(a, opts))).toEqual(full)
  expect(fused.status).toBe(full.status)
  if (fused.status !== 'ok' || full.status !== 'ok') {
    expect(fused).toEqual(full)
    return
  }
  expect(fingerprintOf(fused)).toEqual(fingerprintOf(full))
  expect(copyKeys(fused)).toEqual(copyKeys(full))
  // All of the sketch analysis too: the paragraphs, their sets, the document set, what was removed.
  expect(fused).toEqual(reference)
}

describe('fusedSketch (the fused pass-1 sketch)', () => {
  it('equals the fingerprint and copy keys of the reference analysis on random articles and options', () => {
    fc.assert(
      fc.property(article, options, (a, opts) => expectSameAsReference(a, opts)),
      fcOptions(400),
    )
  })

  it('equals them on the seed articles, as given and with CRLF line ends', () => {
    for (const s of loadSeeds()) {
      expectSameAsReference(s, {})
      expectSameAsReference({ ...s, text: s.text.replace(/\n/g, '\r\n') }, { foldDiacritics: true })
    }
  })

  it('is what analyzeResolved makes for a sketch, memo or not, and completes to the full analysis', () => {
    const o = resolveAnalyzeOptions()
    for (const s of loadSeeds()) {
      const fused = fresh(() => analyzeResolved(s, o, true))
      // The second time every paragraph comes from the memo.
      expect(analyzeResolved(s, o, true)).toEqual(fused)
      expect(fresh(() => referenceAnalysis(s, o, true))).toEqual(fused)
    }
  })

  it('identifies the language from a sample of the paragraphs as from all of them', () => {
    const paragraph = fc.oneof(
      anyText,
      line,
      fc.array(line, { maxLength: 12 }).map((l) => l.join(' ')),
    )
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 1, maxLength: 12 }), (texts) => {
        const sample = languageSample(texts)
        expect(texts.join('\n').startsWith(sample)).toBe(true)
        expect(identifyLanguage(sample)).toEqual(identifyLanguage(texts.join('\n')))
      }),
      fcOptions(400, 1),
    )
  })

  it('equals them past every scratch buffer: a 6,000-word paragraph, 40 of 400 words, one of 200,000', () => {
    // Longer than the scanner's token buffer, the document's shingle buffer, the UTF-8 buffer
    // and the kept scratch: each grows, and is let go, on the way.
    const words = (n: number, from: number) => Array.from({ length: n }, (_, i) => `w${(i * 7919 + from) % 50021}`).join(' ')
    const text = [words(6000, 1), ...Array.from({ length: 40 }, (_, p) => words(400, p * 13)), words(200_000, 5)].join('\n\n')
    expect(analyze({ id: 'long', text }).status).toBe('ok')
    expectSameAsReference({ id: 'long', text }, {})
  }, 60_000)

  it('equals them on the first 500 Reuters stories', () => {
    if (!has(REUTERS, 'fused sketch on Reuters')) return
    for (const r of readJsonl<Article>(REUTERS).slice(0, 500)) expectSameAsReference({ id: r.id, text: r.text }, {})
  }, 60_000)
})
