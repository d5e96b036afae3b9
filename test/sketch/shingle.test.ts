import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { charShingles, intersectionSize, toSortedSet, unionOf, wordShingles } from '../../src/sketch/shingle.js'
import { fcOptions } from '../helpers/seed.js'

/** The k-grams a shingler is meant to hash: windows of k, or the whole sequence when shorter than k. */
function gramsRef<T>(items: readonly T[], k: number): string[] {
  if (items.length === 0) return []
  if (items.length < k) return [JSON.stringify(items)]
  const out: string[] = []
  for (let i = 0; i + k <= items.length; i++) out.push(JSON.stringify(items.slice(i, i + k)))
  return out
}

/**
 * Hash equality must coincide with k-gram equality, position by position, within and across
 * documents (a 32-bit collision among a few hundred grams is a 1e-5 event; the alphabet is tiny
 * so that equal grams are common).
 */
function sameEqualityPattern(gramsA: string[], gramsB: string[], hashesA: Uint32Array, hashesB: Uint32Array): boolean {
  if (gramsA.length !== hashesA.length || gramsB.length !== hashesB.length) return false
  for (let i = 0; i < gramsA.length; i++) {
    for (let j = 0; j < gramsB.length; j++) {
      if ((gramsA[i] === gramsB[j]) !== (hashesA[i] === hashesB[j])) return false
    }
  }
  return true
}

const tokenSeq = fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 14 })
const smallText = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', 'é'), maxLength: 14 })

describe('wordShingles', () => {
  it('returns equal hashes exactly for equal k-grams of token hashes, across documents', () => {
    fc.assert(
      fc.property(tokenSeq, tokenSeq, fc.integer({ min: 1, max: 5 }), (a, b, k) =>
        sameEqualityPattern(gramsRef(a, k), gramsRef(b, k), wordShingles(a, k, 1), wordShingles(b, k, 1)),
      ),
      fcOptions(500),
    )
  })

  it('returns n-k+1 shingles for n ≥ k tokens and one shingle for a shorter text', () => {
    expect(wordShingles([1, 2, 3, 4, 5], 3)).toHaveLength(3)
    expect(wordShingles([1, 2], 3)).toHaveLength(1)
    expect(wordShingles([], 3)).toHaveLength(0)
  })

  it('returns different shingles under different seeds', () => {
    expect(wordShingles([1, 2, 3], 3, 1)[0]).not.toBe(wordShingles([1, 2, 3], 3, 2)[0])
  })
})

describe('charShingles', () => {
  it('returns equal hashes exactly for equal character k-grams, across documents', () => {
    fc.assert(
      fc.property(smallText, smallText, fc.integer({ min: 1, max: 5 }), (a, b, k) =>
        sameEqualityPattern(gramsRef([...a], k), gramsRef([...b], k), charShingles(a, k, 1), charShingles(b, k, 1)),
      ),
      fcOptions(500),
    )
  })

  it('returns, for a text of exactly k characters, the same shingle as that k-gram inside a longer text', () => {
    // Regression: a text of length k took the short-text branch and hashed differently.
    expect(charShingles('homs', 4, 1)[0]).toBe(charShingles('in homs', 4, 1)[3])
  })
})

describe('toSortedSet / intersectionSize / unionOf', () => {
  const hashes = fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 60 })
  const small = fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 40 })

  it('toSortedSet returns the distinct values in ascending numeric order', () => {
    fc.assert(
      fc.property(fc.oneof(hashes, small), (xs) => {
        const ref = [...new Set(xs)].sort((x, y) => x - y)
        expect([...toSortedSet(Uint32Array.from(xs))]).toEqual(ref)
      }),
      fcOptions(500),
    )
  })

  it('intersectionSize and unionOf return the sizes and members of a Set-based reference', () => {
    fc.assert(
      fc.property(small, small, small, (a, b, c) => {
        const [sa, sb, sc] = [a, b, c].map((x) => toSortedSet(Uint32Array.from(x))) as [Uint32Array, Uint32Array, Uint32Array]
        const setB = new Set(b)
        expect(intersectionSize(sa, sb)).toBe([...new Set(a)].filter((x) => setB.has(x)).length)
        expect([...unionOf([sa, sb, sc])]).toEqual([...new Set([...a, ...b, ...c])].sort((x, y) => x - y))
      }),
      fcOptions(500),
    )
  })
})

describe('edge cases', () => {
  it('returns no shingles for an empty input', () => {
    expect(charShingles('', 3)).toHaveLength(0)
    expect(toSortedSet(new Uint32Array(0))).toHaveLength(0)
    expect(unionOf([])).toHaveLength(0)
  })

  it('toSortedSet does not alias its input', () => {
    const input = Uint32Array.of(5)
    const out = toSortedSet(input)
    out[0] = 9
    expect(input[0]).toBe(5)
  })
})
