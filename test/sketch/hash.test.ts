import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { combine, FNV_SEED, fmix32, fnvStep, hashString } from '../../src/sketch/hash.js'
import { combineRef, fmix32Ref, fnv1aRef, hashStringRef } from '../helpers/reference.js'
import { fcOptions } from '../helpers/seed.js'
import { unicodeString } from '../helpers/unicode.js'

const u32 = fc.integer({ min: 0, max: 0xffffffff })
const anyString = fc.oneof(
  unicodeString({ maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
)

describe('fnv1aRef (the reference itself)', () => {
  it('returns the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1aRef('')).toBe(0x811c9dc5)
    expect(fnv1aRef('a')).toBe(0xe40c292c)
    expect(fnv1aRef('foobar')).toBe(0xbf9cf968)
  })
})

describe('fmix32', () => {
  it('returns the same value as a BigInt implementation of MurmurHash3 fmix32', () => {
    fc.assert(
      fc.property(u32, (h) => fmix32(h) === fmix32Ref(h)),
      fcOptions(2000),
    )
  })

  it('returns an unsigned 32-bit integer for signed and unsigned inputs alike', () => {
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0xffffffff }), (h) => {
        const v = fmix32(h)
        return Number.isInteger(v) && v >= 0 && v <= 0xffffffff && v === fmix32(h >>> 0)
      }),
      fcOptions(1000),
    )
  })

  it('returns distinct outputs for distinct inputs (a bijection, sampled)', () => {
    const seen = new Set<number>()
    for (let i = 0; i < 200_000; i++) seen.add(fmix32(i))
    expect(seen.size).toBe(200_000)
  })
})

describe('hashString', () => {
  it('returns fmix32 of seeded FNV-1a over UTF-16 code units, for any string and seed', () => {
    fc.assert(
      fc.property(anyString, u32, (s, seed) => hashString(s, seed) === hashStringRef(s, seed)),
      fcOptions(1000),
    )
  })

  it('returns the same value as folding fnvStep from FNV_SEED (what the tokenizer does)', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        let h = FNV_SEED
        for (let i = 0; i < s.length; i++) h = fnvStep(h, s.charCodeAt(i))
        return fmix32(h) === hashString(s)
      }),
      fcOptions(500),
    )
  })

  it('returns pinned values (a change of hash function invalidates every stored fingerprint)', () => {
    expect(['', 'a', 'foobar', 'Homs'].map((s) => hashString(s))).toEqual([0xab3e7c0b, 0x1a80b1b3, 0x0c0da6dc, 0x17e52c73])
    expect(hashString('Homs', 7)).toBe(0xcb746625)
  })

  it('returns different values under different seeds', () => {
    expect(hashString('Homs', 1)).not.toBe(hashString('Homs', 2))
  })
})

describe('combine', () => {
  it('returns the MurmurHash3 mixing step, as a signed int32', () => {
    fc.assert(
      fc.property(u32, u32, (h, v) => {
        const c = combine(h, v)
        return c === (c | 0) && c >>> 0 === combineRef(h, v)
      }),
      fcOptions(2000),
    )
  })

  it('is order-dependent', () => {
    expect(combine(combine(0, 1), 2)).not.toBe(combine(combine(0, 2), 1))
  })

  it('returns pinned values', () => {
    expect(fmix32(1)).toBe(0x514e28b7)
    expect(fmix32(0xdeadbeef)).toBe(0x0de5c6a9)
    expect(combine(0, 1) >>> 0).toBe(0xc2a78b43)
  })
})

describe('edge cases', () => {
  it('hashes the empty string and lone surrogates without throwing', () => {
    expect(hashString('')).toBe(fmix32(FNV_SEED))
    expect(hashString('\ud800')).not.toBe(hashString('\udc00'))
  })

  it('distinguishes strings that differ only past the BMP (code units are hashed, not code points)', () => {
    expect(hashString('😀')).not.toBe(hashString('😁'))
  })
})
