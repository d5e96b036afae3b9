import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyChanges, diffWords, wordTokens } from '../../src/diff/index.js'
import type { InlineChange } from '../../src/diff/types.js'
import { WiretraceError } from '../../src/errors.js'
import { fcOptions, TEST_SEED } from '../helpers/seed.js'

/** The text each side is made of: reference = equal + delete, copy = equal + insert. */
const sides = (changes: InlineChange[]) => ({
  reference: changes
    .filter((c) => c.op !== 'insert')
    .map((c) => c.text)
    .join(''),
  copy: changes
    .filter((c) => c.op !== 'delete')
    .map((c) => c.text)
    .join(''),
})

/** Offsets at which a side's changes start and end. */
function cuts(changes: InlineChange[], side: 'reference' | 'copy'): number[] {
  const skip = side === 'reference' ? 'insert' : 'delete'
  const out: number[] = []
  let at = 0
  for (const c of changes) {
    if (c.op === skip) continue
    at += c.text.length
    out.push(at)
  }
  return out
}

const tokenEnds = (text: string) => {
  let at = 0
  return new Set([0, ...wordTokens(text).map((t) => (at += t.length))])
}

// Words, punctuation, typographic quotes, odd spaces, astral and combining characters.
const piece = fc.oneof(
  fc.constantFrom('Homs', 'rebels', 'Syria’s', "Syria's", 'al-Assad', '3,500', 'é', 'e\u0301', '😀', '城市', '«', '»', '“', '”'),
  fc.constantFrom(' ', '  ', '\n\n', '\t', '\u00a0', ',', '.', '—', '(', ')'),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)), maxLength: 3 }),
)
const text = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''))

// A copy made from the reference by random word-level edits, so that the two share most tokens.
const edited = text.chain((ref) =>
  fc.array(fc.tuple(fc.nat(), fc.constantFrom('drop', 'insert', 'replace', 'keep'), piece), { maxLength: 8 }).map((edits) => {
    const tokens = wordTokens(ref)
    for (const [at, op, p] of edits) {
      const i = tokens.length === 0 ? 0 : at % tokens.length
      if (op === 'drop') tokens.splice(i, 1)
      else if (op === 'insert') tokens.splice(i, 0, p)
      else if (op === 'replace') tokens.splice(i, 1, p)
    }
    return [ref, tokens.join('')] as const
  }),
)

describe('wordTokens', () => {
  it('returns tokens that rebuild the text exactly', () => {
    const t = 'Syria’s army — “safe and stable” (3,500) 😀'
    expect(wordTokens(t).join('')).toBe(t)
    expect(wordTokens(t)).toContain('Syria’s')
    expect(wordTokens(t)).toContain('3,500')
  })

  it('keeps a figure whole, so that an edited figure is one change', () => {
    expect(wordTokens('rose 1.20 pct to 6-3/16 at 10:30, then 5.')).toEqual([
      'rose',
      ' ',
      '1.20',
      ' ',
      'pct',
      ' ',
      'to',
      ' ',
      '6-3/16',
      ' ',
      'at',
      ' ',
      '10:30',
      ',',
      ' ',
      'then',
      ' ',
      '5',
      '.',
    ])
    expect(diffWords('Shares rose 1.20 dlrs.', 'Shares rose 0.85 dlrs.')).toEqual([
      { op: 'equal', text: 'Shares rose ' },
      { op: 'delete', text: '1.20' },
      { op: 'insert', text: '0.85' },
      { op: 'equal', text: ' dlrs.' },
    ])
  })
})

describe('diffWords', () => {
  it('returns changes as whole words', () => {
    expect(diffWords('Rebels entered Homs.', 'Rebels took Homs.')).toEqual([
      { op: 'equal', text: 'Rebels ' },
      { op: 'delete', text: 'entered' },
      { op: 'insert', text: 'took' },
      { op: 'equal', text: ' Homs.' },
    ])
  })

  it('joins a rewritten phrase into one change', () => {
    expect(diffWords('BEIRUT, Lebanon — A war monitor', 'BEIRUT, (APP - UrduPoint) A war monitor')).toEqual([
      { op: 'equal', text: 'BEIRUT, ' },
      { op: 'delete', text: 'Lebanon —' },
      { op: 'insert', text: '(APP - UrduPoint)' },
      { op: 'equal', text: ' A war monitor' },
    ])
  })

  it('keeps word by word changes apart with joinChanges: false', () => {
    const c = diffWords('one two three', 'uno dos three', { joinChanges: false })
    expect(c.filter((x) => x.op === 'equal').map((x) => x.text)).toEqual([' ', ' three'])
  })

  it(`rebuilds both texts from the changes, for random edits (seed ${TEST_SEED})`, () => {
    fc.assert(
      fc.property(edited, fc.boolean(), ([ref, copy], joinChanges) => {
        const changes = diffWords(ref, copy, { joinChanges })
        expect(applyChanges(ref, changes)).toBe(copy)
        expect(sides(changes)).toEqual({ reference: ref, copy })
        expect(changes.every((c) => c.text !== '')).toBe(true)
      }),
      fcOptions(3000, 1),
    )
  })

  it(`rebuilds both texts for unrelated random texts (seed ${TEST_SEED})`, () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const changes = diffWords(a, b)
        expect(applyChanges(a, changes)).toBe(b)
        expect(sides(changes)).toEqual({ reference: a, copy: b })
      }),
      fcOptions(2000, 2),
    )
  })

  it(`cuts texts only between tokens (seed ${TEST_SEED})`, () => {
    fc.assert(
      fc.property(edited, ([ref, copy]) => {
        const changes = diffWords(ref, copy)
        const refEnds = tokenEnds(ref)
        const copyEnds = tokenEnds(copy)
        expect(cuts(changes, 'reference').every((x) => refEnds.has(x))).toBe(true)
        expect(cuts(changes, 'copy').every((x) => copyEnds.has(x))).toBe(true)
      }),
      fcOptions(1000, 3),
    )
  })

  describe('edge cases', () => {
    it('returns no change for two empty texts, one equal for identical ones', () => {
      expect(diffWords('', '')).toEqual([])
      expect(diffWords('same', 'same')).toEqual([{ op: 'equal', text: 'same' }])
    })

    it('returns one insert or one delete against an empty text', () => {
      expect(diffWords('', 'new text')).toEqual([{ op: 'insert', text: 'new text' }])
      expect(diffWords('old text', '')).toEqual([{ op: 'delete', text: 'old text' }])
    })

    it('diffs word by word beyond the private-use area (over 6,400 distinct tokens)', () => {
      const words = Array.from({ length: 10_000 }, (_, i) => `w${i}`)
      const a = words.join(' ')
      const b = words.map((w, i) => (i === 9_000 ? 'changed' : w)).join(' ')
      const changes = diffWords(a, b)
      expect(applyChanges(a, changes)).toBe(b)
      expect(changes.filter((c) => c.op !== 'equal')).toEqual([
        { op: 'delete', text: 'w9000' },
        { op: 'insert', text: 'changed' },
      ])
    })

    it('handles more distinct tokens than there are code units', () => {
      const a = Array.from({ length: 40_000 }, (_, i) => `a${i}`).join(' ')
      const b = Array.from({ length: 40_000 }, (_, i) => `b${i}`).join(' ')
      const changes = diffWords(a, b)
      expect(applyChanges(a, changes)).toBe(b)
    })

    it('throws INVALID_ARGUMENT for a non-string', () => {
      expect(() => diffWords(1 as unknown as string, 'x')).toThrow(/reference must be a string, got 1/)
    })
  })
})

describe('applyChanges', () => {
  it('throws INVALID_ARGUMENT naming the change that does not fit the reference', () => {
    const err = (() => {
      try {
        applyChanges('abc', [{ op: 'equal', text: 'abd' }])
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(WiretraceError)
    expect((err as WiretraceError).code).toBe('INVALID_ARGUMENT')
    expect((err as Error).message).toMatch(/changes\[0\] \(equal "abd"\) does not match the reference at offset 0/)
    expect(() => applyChanges('abc', [{ op: 'equal', text: 'ab' }])).toThrow(/cover 2 of the reference's 3 characters/)
  })
})
