import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { combine, fmix32 } from '../../src/sketch/hash.js'
import { type MinHashScheme, minhash } from '../../src/sketch/minhash.js'
import { binOf, ophInto } from '../../src/sketch/oph.js'
import { type SignOptions, signText } from '../../src/sketch/sign.js'
import { normalizeText } from '../../src/text/normalize.js'
import { NOT_PLAIN, scanPlainLine } from '../../src/text/plain.js'
import { scanTokens } from '../../src/text/tokenize.js'
import { has, REUTERS, readJsonl } from '../helpers/corpora.js'
import { ophRef } from '../helpers/reference.js'
import { fcOptions } from '../helpers/seed.js'
import { anyText } from '../helpers/unicode.js'

/**
 * signText as first written, from the general functions: normalizeText and scanTokens on each
 * line, every shingle hashed in order, MinHash of all of them, distinct shingles by sorting.
 */
function signRef(text: string, options: SignOptions = {}): { signature: number[]; shingleCount: number } {
  const k = options.shingleSize ?? 3
  const seed = options.seed ?? 1
  const all: number[] = []
  for (const line of text.split('\n')) {
    const tokens: number[] = []
    scanTokens(normalizeText(line), (h) => tokens.push(h))
    const width = Math.min(k, tokens.length)
    for (let i = 0; width > 0 && i + width <= tokens.length; i++) {
      let h = seed ^ width
      for (let j = 0; j < width; j++) h = combine(h, tokens[i + j] as number)
      all.push(fmix32(h))
    }
  }
  const sorted = Uint32Array.from(all).sort()
  const shingleCount = sorted.filter((x, i) => i === 0 || x !== sorted[i - 1]).length
  const signature = minhash(Uint32Array.from(all), options.numPerm ?? 128, seed, options.scheme ?? 'oph')
  return { signature: [...signature], shingleCount }
}

function signFast(text: string, options: SignOptions = {}): { signature: number[]; shingleCount: number } {
  const r = signText(text, options)
  return { signature: [...r.signature], shingleCount: r.shingleCount }
}

/** Token hashes of one line by the scanner under test, or NOT_PLAIN. */
function plainTokens(line: string): number[] | typeof NOT_PLAIN {
  const u = new Uint8Array(3 * line.length + 1)
  const size = new TextEncoder().encodeInto(line, u).written ?? 0
  u[size] = 0x0a
  const out = new Uint32Array(line.length + 1)
  const cursor = { end: -1 }
  const n = scanPlainLine(u, 0, out, cursor)
  if (n === NOT_PLAIN) return n
  expect(cursor.end).toBe(size)
  return [...out.subarray(0, n)]
}

function generalTokens(line: string): number[] {
  const out: number[] = []
  scanTokens(normalizeText(line), (h) => out.push(h))
  return out
}

/** Characters the plain scanner takes: normalizeText's quotes, dashes and spaces. */
const TYPOGRAPHIC = [
  ...'\u2018\u2019\u201A\u201B\u2032\u02BC\u00B4', // single quotes
  ...'\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB\u2039\u203A', // double quotes
  ...'\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D', // dashes
  ...'\u00A0\u1680\u2028\u2029\u202F\u205F\u3000\uFEFF', // spaces
  ...Array.from({ length: 12 }, (_, i) => String.fromCharCode(0x2000 + i)), // U+2000 to U+200B
]
/** Characters that send a line to the general path, several of them next to plain ones in Unicode. */
const NOT_PLAIN_CHARS = [
  ...'éÉßİıﬁＡａ１١٢٣๑ǅΣσς我们カタ',
  '\u00AD', // soft hyphen: removed, joins words
  '\u2060', // word joiner: removed
  '\u0301', // combining acute
  '\u2026', // ellipsis: NFKC gives three dots
  '\u00B7',
  '\u2034', // triple prime: NFKC gives three primes
  '\u200C',
  '\u200D',
  '\u2030',
  '\uFFFD',
  '😀',
  '\uD800', // lone surrogates
  '\uDFFF',
]
const ASCII_PIECES = [
  ...'aZqx019',
  ...',.\'`-"/:;?!()@#_ \t\r\n\u0000\u007f',
  "Syria's",
  "rock'n'roll",
  "it's'",
  'don`t',
  '3,500',
  '3.500',
  '1,000,000',
  '1,00',
  '12.5',
  '1.2.3',
  '1,2345',
  '3a',
  'a3,500',
  '\r\n',
  'http://x.org/a?b=1&c=2,3',
  'E-mail',
  'U.S.',
]

/** Strings built to hit the scanner's edges: words against numbers, apostrophes, points, line ends. */
const piecesText = (pieces: string[], maxLength = 60) =>
  fc.array(fc.constantFrom(...pieces), { maxLength }).map((parts) => parts.join(''))

const asciiText = fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 200 }), piecesText(ASCII_PIECES))
const plainText = piecesText([...ASCII_PIECES, ...TYPOGRAPHIC])
const mixedText = fc.oneof(
  piecesText([...ASCII_PIECES, ...TYPOGRAPHIC, ...NOT_PLAIN_CHARS]),
  // Mostly plain lines with the odd non-plain one: byte and string offsets drift apart.
  fc.array(fc.oneof(asciiText, plainText, anyText), { maxLength: 6 }).map((lines) => lines.join('\n')),
  anyText,
)
const allTexts = fc.oneof(asciiText, plainText, mixedText)

const signOptions: fc.Arbitrary<SignOptions> = fc.record(
  {
    numPerm: fc.oneof(fc.constantFrom(1, 2, 3, 64, 128, 200, 256), fc.integer({ min: 1, max: 400 })),
    seed: fc.oneof(fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xffffffff), fc.integer({ min: 0, max: 0xffffffff })),
    shingleSize: fc.integer({ min: 1, max: 16 }),
    scheme: fc.constantFrom<MinHashScheme>('oph', 'kperm'),
  },
  { requiredKeys: [] },
)

describe('scanPlainLine', () => {
  it('returns the tokens of scanTokens(normalizeText(line)) for every line it accepts', () => {
    fc.assert(
      fc.property(allTexts, (text) => {
        for (const line of text.split('\n')) {
          const fast = plainTokens(line)
          if (fast !== NOT_PLAIN) expect(fast).toEqual(generalTokens(line))
        }
      }),
      fcOptions(3000),
    )
  })

  it('accepts every ASCII line, and lines with typographic quotes, dashes and spaces', () => {
    fc.assert(
      fc.property(fc.oneof(asciiText, plainText), (text) => {
        for (const line of text.split('\n')) expect(plainTokens(line)).not.toBe(NOT_PLAIN)
      }),
      fcOptions(1000),
    )
    expect(plainTokens('“Don’t” — he said,\u00a0“3,500 rock‘n’roll fans”')).toEqual(
      generalTokens('"don\'t" - he said, "3500 rock\'n\'roll fans"'),
    )
  })

  it('returns the general tokens next to every typographic character, in every position', () => {
    const contexts = ['a{}b', 'A{}B', 'it{}s', '1{}234', '3,{}500', '3{}.5', '{}x', 'x{}', '{}', 'a{}{}b', "a'{}b", "a{}'b"]
    for (const c of TYPOGRAPHIC) {
      for (const line of contexts.map((t) => t.replaceAll('{}', c))) expect(plainTokens(line)).toEqual(generalTokens(line))
    }
  })

  it('refuses a line with any other character', () => {
    for (const c of NOT_PLAIN_CHARS) expect(plainTokens(`plain words ${c} more words`)).toBe(NOT_PLAIN)
  })

  it('asks for a larger buffer rather than overrun it', () => {
    const u = new TextEncoder().encode('a b c d e\n')
    expect(scanPlainLine(u, 0, new Uint32Array(4), { end: 0 })).toBeLessThan(0)
    expect(scanPlainLine(u, 0, new Uint32Array(5), { end: 0 })).toBe(5)
  })
})

describe('ophInto', () => {
  const seeds = fc.oneof(fc.constantFrom(0, 1, 0xffffffff), fc.integer({ min: 0, max: 0xffffffff }))

  it('returns ophSignature bit for bit', () => {
    const hashes = fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 300 })
    const k = fc.oneof(fc.constantFrom(1, 2, 3, 127, 128, 129, 256), fc.integer({ min: 1, max: 512 }))
    fc.assert(
      fc.property(hashes, k, seeds, (xs, k, seed) => {
        // Values past n must be ignored. The second call in a row with (k, seed) caches the probes.
        const buf = Uint32Array.from([...xs, 7, 8, 9])
        const ref = [...ophRef(Uint32Array.from(xs), k, seed)]
        for (let call = 0; call < 3; call++) expect([...ophInto(buf, xs.length, k, seed)]).toEqual(ref)
      }),
      fcOptions(400),
    )
  })

  it('returns ophSignature bit for bit when empty bins probe past the cached sequence, or nothing is cached', () => {
    // One element in 128 bins: each empty bin needs ~128 probes. Over 2048 bins nothing is cached.
    const cases = fc.oneof(
      fc.tuple(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 3 }), fc.constantFrom(64, 128, 256)),
      fc.tuple(
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 200, maxLength: 400 }),
        fc.constantFrom(2049, 4000),
      ),
    )
    fc.assert(
      fc.property(cases, seeds, ([xs, k], seed) => {
        const ref = [...ophRef(xs, k, seed)]
        for (let call = 0; call < 3; call++) expect([...ophInto(Uint32Array.from(xs), xs.length, k, seed)]).toEqual(ref)
      }),
      fcOptions(60),
    )
  })

  it('returns a fresh signature on every call', () => {
    const a = ophInto(Uint32Array.from([1, 2, 3]), 3, 16, 1)
    const b = ophInto(Uint32Array.from([4, 5, 6]), 3, 16, 1)
    expect(a).not.toBe(b)
    expect([...a]).toEqual([...ophRef([1, 2, 3], 16, 1)])
  })

  it('computes bins as Math.floor((x / 2^32) * k)', () => {
    const x = fc.oneof(
      fc.constantFrom(0, 1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff),
      fc.integer({ min: 0, max: 0xffffffff }),
    )
    const k = fc.oneof(fc.constantFrom(1, 2, 3, 128, 65534, 65535), fc.integer({ min: 1, max: 65535 }))
    fc.assert(
      fc.property(x, k, (x, k) => binOf(x, k) === Math.floor((x / 2 ** 32) * k)),
      fcOptions(5000),
    )
  })
})

describe('signText', () => {
  it('returns the signature and shingle count of the general pipeline, for any text and options', () => {
    fc.assert(
      fc.property(allTexts, signOptions, (text, options) => {
        expect(signFast(text, options)).toEqual(signRef(text, options))
      }),
      fcOptions(2000),
    )
  })

  it('returns the same with default options on texts of many lines', () => {
    const lines = fc.array(allTexts, { minLength: 1, maxLength: 30 })
    fc.assert(
      fc.property(lines, fc.constantFrom('\n', '\r\n', '\n\n'), (ls, sep) => {
        const text = ls.join(sep)
        expect(signFast(text)).toEqual(signRef(text))
      }),
      fcOptions(300),
    )
  })

  it('returns the same for long lines and long texts, and after them for short ones (reused buffers)', () => {
    const words = Array.from({ length: 30_000 }, (_, i) => `w${i % 997} ${i}`).join(' ')
    const long = [words, `“${words}” — é`, 'short line', words.toUpperCase()].join('\n')
    for (const text of [long, 'Rebels entered the city of Homs.', `${long}\n😀`, 'é', '', 'a']) {
      expect(signFast(text)).toEqual(signRef(text))
    }
  })

  it('returns the same for texts whose UTF-8 just fits, or just does not fit, the reused buffer', async () => {
    vi.resetModules()
    const fresh = (await import('../../src/sketch/sign.js')).signText // its buffer holds 65536 bytes: 21845 units
    const ascii = (bytes: number) => 'ab c'.repeat(bytes / 4 + 1).slice(0, bytes)
    // "’" is 3 bytes of UTF-8 and one UTF-16 unit.
    const quoted = (bytes: number) => `don’t ${ascii(bytes - 8)}`
    const texts = [ascii(21845), ascii(21846), quoted(65536), quoted(65537), ascii(65535), quoted(200_000), 'x', quoted(40)]
    for (const text of texts) {
      const r = fresh(text)
      expect({ signature: [...r.signature], shingleCount: r.shingleCount }).toEqual(signRef(text))
    }
  })

  describe('edge cases', () => {
    it('returns an empty signature for text without tokens', () => {
      for (const text of ['', '\n', '\n\n', ' \t\r\n', '—', '“”', '\u00a0', '\uD800']) {
        expect(signFast(text)).toEqual(signRef(text))
        expect(signText(text).shingleCount).toBe(0)
      }
    })

    it('counts and signs a shingle whose hash is 0 (the hash set keeps 0 apart)', () => {
      // Solve combine(seed ^ 1, v) = 0 for the seed, v being the token hash of "a".
      const v = generalTokens('a')[0] as number
      const r = Math.imul(-0xe6546b64 | 0, 0xcccccccd) // 0xcccccccd = 1/5 mod 2^32
      const seed = (((r >>> 13) | (r << 19)) ^ Math.imul(v, 0xcc9e2d51) ^ 1) >>> 0
      const options = { seed, shingleSize: 1 }
      expect(fmix32(combine(seed ^ 1, v))).toBe(0)
      for (const text of ['a', 'a a b a', 'b a\na c', 'b c d']) expect(signFast(text, options)).toEqual(signRef(text, options))
      expect(signText('a a b a', options).shingleCount).toBe(2)
    })

    it('keeps the documented example', () => {
      expect(signText('Rebels entered the city of Homs.').shingleCount).toBe(4)
    })

    it('passes an unknown scheme on to minhash as before', () => {
      const options = { scheme: 'other' as MinHashScheme }
      expect(signFast('a b c d', options)).toEqual(signRef('a b c d', options))
    })

    it('refuses bad arguments with the same errors', () => {
      expect(() => signText(42 as unknown as string)).toThrow(/signText: text must be a string/)
      expect(() => signText('a', { numPerm: 0 })).toThrow(/numPerm/)
      expect(() => signText('a', { seed: -1 })).toThrow(/seed/)
      expect(() => signText('a', { shingleSize: 17 })).toThrow(/shingleSize/)
    })
  })
})

const present = has(REUTERS, 'signText on Reuters-21578 (test/sketch/sign-fast.test.ts)')

describe.skipIf(!present)('signText on Reuters-21578', () => {
  const records = present ? readJsonl<{ id: string; text: string }>(REUTERS) : []

  it('returns the general pipeline’s signature for every document', () => {
    const mismatched = records.filter((r) => {
      const a = signFast(r.text)
      const b = signRef(r.text)
      return a.shingleCount !== b.shingleCount || a.signature.some((x, i) => x !== b.signature[i])
    })
    expect(mismatched.map((r) => r.id)).toEqual([])
  })

  it('returns it under other options too', () => {
    const options: SignOptions[] = [
      { numPerm: 64, seed: 0xffffffff, shingleSize: 1 },
      { numPerm: 256, seed: 7, shingleSize: 5 },
    ]
    for (const o of options) {
      const mismatched = records.filter(
        (r, i) => i % 3 === 0 && JSON.stringify(signFast(r.text, o)) !== JSON.stringify(signRef(r.text, o)),
      )
      expect(mismatched.map((r) => r.id)).toEqual([])
    }
    const kperm: SignOptions = { scheme: 'kperm', numPerm: 32, seed: 3 }
    const mismatched = records.filter(
      (r, i) => i % 20 === 0 && JSON.stringify(signFast(r.text, kperm)) !== JSON.stringify(signRef(r.text, kperm)),
    )
    expect(mismatched.map((r) => r.id)).toEqual([])
  })
})
