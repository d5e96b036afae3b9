// contentKey hashes an all-ASCII paragraph on a fast path (hashAscii: spaces collapsed and trimmed,
// lower case, hashed as it reads) and any other through normalizeText. Both must give the key of
// normalizeText's output, or two copies of one story would fall into different copy groups.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { contentKey } from '../../src/cluster/candidates.js'
import { normalizeText } from '../../src/text/normalize.js'
import { fmix32Ref } from '../helpers/reference.js'
import { fcOptions } from '../helpers/seed.js'
import { anyText } from '../helpers/unicode.js'

const M32 = 0xffffffffn

/** FNV-1a step in BigInt arithmetic. */
function fnvRef(h: bigint, code: number): bigint {
  return ((h ^ BigInt(code >>> 0)) * 0x01000193n) & M32
}

/**
 * The documented key, written plainly: every paragraph's normalizeText form then a newline, hashed
 * by two FNV-1a streams (the second over code ^ 0x5bd1e995), folded into 53 bits.
 */
function contentKeyRef(paragraphs: readonly string[]): number {
  let h1 = 0x811c9dc5n
  let h2 = 0x9747b28cn
  for (const p of paragraphs) {
    for (const ch of `${normalizeText(p)}\n`) {
      for (let i = 0; i < ch.length; i++) {
        const c = ch.charCodeAt(i)
        h1 = fnvRef(h1, c)
        h2 = fnvRef(h2, c ^ 0x5bd1e995)
      }
    }
  }
  return (fmix32Ref(Number(h1)) & 0x1fffff) * 2 ** 32 + fmix32Ref(Number(h2))
}

/** ASCII weighted towards what the fast path treats specially: every kind of space, capitals, the backtick. */
const asciiChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(' ', '  ', '\t', '\n', '\v', '\f', '\r', '\r\n', '\x1c', '\x1f', '\x00', '\x7f', '`') },
  { weight: 3, arbitrary: fc.constantFrom('A', 'Z', 'a', 'z', '@', '[', '{', "'", '"', '-', '.') },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)) },
)
const asciiText = fc.string({ unit: asciiChar, maxLength: 120 })
/** ASCII with one character past it somewhere (the general path, from the same kind of text). */
const nearlyAscii = fc
  .tuple(asciiText, fc.nat(), fc.constantFrom('\u00a0', '\u00ad', 'É', 'ß', '\u2019', '\u2014', 'ﬁ', '😀', '\u0080'))
  .map(([s, at, c]) => s.slice(0, at % (s.length + 1)) + c + s.slice(at % (s.length + 1)))
const paragraph = fc.oneof(asciiText, nearlyAscii, anyText)

describe('contentKey', () => {
  it('returns the key of normalizeText(paragraph) for ASCII paragraphs (the fast path)', () => {
    fc.assert(
      fc.property(asciiText, (p) => {
        expect(contentKey([p])).toBe(contentKeyRef([p]))
      }),
      fcOptions(2000, 11),
    )
  })

  it('returns the key of normalizeText(paragraph) for paragraphs with any other characters (the general path)', () => {
    fc.assert(
      fc.property(fc.oneof(nearlyAscii, anyText), (p) => {
        expect(contentKey([p])).toBe(contentKeyRef([p]))
      }),
      fcOptions(1000, 12),
    )
  })

  it('returns the reference key for articles whose paragraphs take either path in any order', () => {
    // The fast path carries the hash state from one paragraph into the next.
    fc.assert(
      fc.property(fc.array(paragraph, { maxLength: 8 }), (ps) => {
        expect(contentKey(ps)).toBe(contentKeyRef(ps))
      }),
      fcOptions(500, 13),
    )
  })

  it('returns one key for an ASCII paragraph and for the same paragraph sent through the Unicode path', () => {
    // A soft hyphen is removed by normalizeText, and pushes the paragraph off the fast path.
    fc.assert(
      fc.property(asciiText, (p) => {
        expect(contentKey([p])).toBe(contentKey([`${p}\u00ad`]))
        expect(contentKey([p])).toBe(contentKey([`\u00ad${p}`]))
      }),
      fcOptions(1000, 14),
    )
  })

  it('returns one key for texts that differ only in case, runs of spaces and outer spaces', () => {
    const key = contentKey(['The  Minister\tsaid', ' rebels LEFT Homs.\r\n'])
    expect(contentKey(['the minister said', 'rebels left homs.'])).toBe(key)
    expect(contentKey(['the minister said rebels left homs.'])).not.toBe(key) // paragraph breaks count
    expect(contentKey(['the minister said', 'rebels left homs'])).not.toBe(key)
  })
})
