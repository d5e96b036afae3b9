import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Scratch, sortPacked, u32 } from '../../src/compare/scratch.js'
import { fcOptions } from '../helpers/seed.js'

const PACK = 2 ** 21
// Packed values as the compare code makes them: a 32-bit hash · 2^21 + a position below 2^21,
// with few distinct hashes (so that equal hashes order by position) and the extremes included.
const hash = fc.oneof(fc.constantFrom(0, 1, 0xffffffff, 0x80000000), fc.integer({ min: 0, max: 7 }), fc.nat({ max: 0xffffffff }))
const packed = fc.tuple(hash, fc.nat({ max: PACK - 1 })).map(([h, p]) => h * PACK + p)

describe('sortPacked', () => {
  it('sorts packed values as a plain Float64Array sort does, only within the view it is given', () => {
    fc.assert(
      fc.property(fc.array(packed, { maxLength: 300 }), fc.nat(4), fc.nat(4), (values, before, after) => {
        // The values sit inside a larger buffer, at a non-zero offset, between sentinels that must stay put.
        const all = new Float64Array(before + values.length + after).fill(-1)
        all.set(values, before)
        const view = all.subarray(before, before + values.length)
        const out = sortPacked(view)
        expect(out).toBe(view)
        expect(Array.from(view)).toEqual(Array.from(Float64Array.from(values).sort()))
        expect(Array.from(all.subarray(0, before))).toEqual(new Array(before).fill(-1))
        expect(Array.from(all.subarray(before + values.length))).toEqual(new Array(after).fill(-1))
      }),
      fcOptions(500),
    )
  })
})

describe('Scratch', () => {
  it('hands out n elements, zeroed when asked, growing past its size and keeping it', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(300), fc.boolean()), { maxLength: 20 }), (requests) => {
        const slot = new Scratch(u32)
        for (const [n, zero] of requests) {
          const a = slot.take(n, zero)
          expect(a.length).toBe(n)
          if (zero) expect(a.every((x) => x === 0)).toBe(true)
          a.fill(7)
        }
      }),
      fcOptions(300, 1),
    )
  })
})
