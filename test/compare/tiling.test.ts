import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { greedyTiles, type Tile } from '../../src/compare/tiling.js'
import { greedyTilesRef } from '../helpers/reference.js'
import { fcOptions } from '../helpers/seed.js'

/** Tiled flags of one side. */
function covered(n: number, tiles: readonly Tile[], side: 'a' | 'b'): boolean[] {
  const out = new Array<boolean>(n).fill(false)
  for (const t of tiles) for (let k = 0; k < t.length; k++) out[(side === 'a' ? t.aStart : t.bStart) + k] = true
  return out
}

// A small alphabet makes matches, repeats and ties frequent.
const tokens = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 25 })
// Pairs where b often copies a stretch of a, so that long tiles occur too.
const pair = fc
  .tuple(tokens, tokens, fc.nat(25), fc.nat(25), fc.boolean())
  .map(
    ([a, b, from, len, copy]) =>
      (copy ? [a, [...b.slice(0, 5), ...a.slice(from, from + len), ...b.slice(5)]] : [a, b]) as [number[], number[]],
  )
const minLength = fc.integer({ min: 1, max: 4 })

describe('greedyTiles', () => {
  it('returns the tiles of the textbook algorithm, in the same order', () => {
    fc.assert(
      fc.property(pair, minLength, ([a, b], k) => {
        expect(greedyTiles(Uint32Array.from(a), Uint32Array.from(b), k)).toEqual(greedyTilesRef(a, b, k))
      }),
      fcOptions(2000),
    )
  })

  it('returns non-overlapping true matches of minLength or more, leaving no common run of minLength untiled', () => {
    fc.assert(
      fc.property(pair, minLength, ([a, b], k) => {
        const tiles = greedyTiles(a, b, k)
        const usedA = new Array<number>(a.length).fill(0)
        const usedB = new Array<number>(b.length).fill(0)
        for (const t of tiles) {
          expect(t.length).toBeGreaterThanOrEqual(k)
          expect(t.aStart + t.length).toBeLessThanOrEqual(a.length)
          expect(t.bStart + t.length).toBeLessThanOrEqual(b.length)
          expect(a.slice(t.aStart, t.aStart + t.length)).toEqual(b.slice(t.bStart, t.bStart + t.length))
          for (let x = 0; x < t.length; x++) {
            usedA[t.aStart + x] = (usedA[t.aStart + x] as number) + 1
            usedB[t.bStart + x] = (usedB[t.bStart + x] as number) + 1
          }
        }
        expect(Math.max(0, ...usedA)).toBeLessThanOrEqual(1)
        expect(Math.max(0, ...usedB)).toBeLessThanOrEqual(1)
        // Maximality: no run of k equal tokens, all untiled on both sides, is left over.
        const freeA = covered(a.length, tiles, 'a').map((u) => !u)
        const freeB = covered(b.length, tiles, 'b').map((u) => !u)
        for (let i = 0; i + k <= a.length; i++) {
          for (let j = 0; j + k <= b.length; j++) {
            let x = 0
            while (x < k && freeA[i + x] && freeB[j + x] && a[i + x] === b[j + x]) x++
            expect(x, `untiled common run at a[${i}], b[${j}]`).toBeLessThan(k)
          }
        }
        // Greedy: tiles come longest first.
        for (let t = 1; t < tiles.length; t++) expect(tiles[t]?.length).toBeLessThanOrEqual(tiles[t - 1]?.length as number)
      }),
      fcOptions(1000, 2),
    )
  })

  it('returns the example of its doc comment', () => {
    expect(greedyTiles(Uint32Array.of(1, 2, 3, 4, 9), Uint32Array.of(7, 1, 2, 3, 4), 2)).toEqual([
      { aStart: 0, bStart: 1, length: 4 },
    ])
  })

  it('returns no tiles for empty inputs', () => {
    expect(greedyTiles([], [], 1)).toEqual([])
    expect(greedyTiles([1, 2, 3], [], 1)).toEqual([])
    expect(greedyTiles([], [1, 2, 3], 1)).toEqual([])
  })

  it('returns no tiles when minLength is longer than either input', () => {
    expect(greedyTiles([1, 2, 3], [1, 2, 3, 4], 4)).toEqual([])
    expect(greedyTiles([1, 2, 3, 4], [1, 2, 3], 4)).toEqual([])
    expect(greedyTiles([1, 2, 3], [1, 2, 3], 3)).toEqual([{ aStart: 0, bStart: 0, length: 3 }])
  })

  it('returns the earliest of equally long matches first, in a and then in b', () => {
    // [5, 6] occurs twice on each side: a[0]–b[0] first, then a[3]–b[3].
    expect(greedyTiles([5, 6, 0, 5, 6], [5, 6, 1, 5, 6], 2)).toEqual([
      { aStart: 0, bStart: 0, length: 2 },
      { aStart: 3, bStart: 3, length: 2 },
    ])
    // A later, longer match wins over an earlier, shorter one, and then cuts it.
    expect(greedyTiles([1, 2, 3, 4], [3, 4, 0, 1, 2, 3, 4], 2)).toEqual([{ aStart: 0, bStart: 3, length: 4 }])
  })
})
