import { argNumber, argNumbers } from '../errors.js'
import { mix32 } from '../sketch/hash.js'
import { i32, Scratch, u8, u32 } from './scratch.js'
/** A run of tokens found verbatim in both texts: `a[aStart…aStart+length)` = `b[bStart…bStart+length)`. */
export interface Tile {
  aStart: number
  bStart: number
  length: number
}

/**
 * Greedy string tiling (Wise 1993, as METER used it on news reuse): repeatedly take the longest
 * run of tokens common to both sequences that uses no token already tiled on either side, down to
 * `minLength` tokens. Ties go to the run that starts first in `a`, then in `b`. Unlike shared
 * n-grams, tiles never count one passage twice and show how long the copied runs are.
 *
 * Candidates are the maximal matches, found through a hash table of `a`'s `minLength`-grams; a
 * match partly covered by an earlier tile is cut into the parts still free and those go back into
 * the queue, so the result equals the textbook algorithm's without rescanning the texts.
 *
 * @example
 * greedyTiles(Uint32Array.of(1, 2, 3, 4, 9), Uint32Array.of(7, 1, 2, 3, 4), 2) // [{ aStart: 0, bStart: 1, length: 4 }]
 */
export function greedyTiles(a: ArrayLike<number>, b: ArrayLike<number>, minLength: number): Tile[] {
  argNumbers('greedyTiles', 'a', a)
  argNumbers('greedyTiles', 'b', b)
  argNumber('greedyTiles', 'minLength', minLength)
  const n = a.length
  const m = b.length
  if (minLength < 1 || n < minLength || m < minLength) return []
  const heap = new TileHeap()
  hashCandidates(a, b, minLength, heap)
  const usedA = usedScratchA.take(n, true)
  const usedB = usedScratchB.take(m, true)
  const tiles: Tile[] = []
  while (heap.size > 0) {
    heap.pop()
    const len = heap.len
    const i = heap.i
    const j = heap.j
    let free = true
    for (let k = 0; k < len && free; k++) if (usedA[i + k] || usedB[j + k]) free = false
    if (free) {
      tiles.push({ aStart: i, bStart: j, length: len })
      usedA.fill(1, i, i + len)
      usedB.fill(1, j, j + len)
      continue
    }
    // Put back the parts of the match that are still free on both sides.
    let runStart = -1
    for (let k = 0; k <= len; k++) {
      const ok = k < len && !usedA[i + k] && !usedB[j + k]
      if (ok && runStart < 0) runStart = k
      else if (!ok && runStart >= 0) {
        if (k - runStart >= minLength) heap.push(k - runStart, i + runStart, j + runStart)
        runStart = -1
      }
    }
  }
  return tiles
}

/**
 * Push every maximal match of `minLength`+ tokens that starts where its two sides' tokens before
 * differ (a match that extends to the left is found from its own start).
 */
function consider(a: ArrayLike<number>, b: ArrayLike<number>, minLength: number, ia: number, jb: number, heap: TileHeap): void {
  if (ia > 0 && jb > 0 && a[ia - 1] === b[jb - 1]) return
  const n = a.length
  const m = b.length
  let len = 0
  while (ia + len < n && jb + len < m && a[ia + len] === b[jb + len]) len++
  if (len >= minLength) heap.push(len, ia, jb)
}

/**
 * Candidates without sorting either text: `a`'s grams go into a hash table (chained through
 * scratch arrays) and `b`'s look themselves up. The heap pops in a total order, so the
 * order candidates are found in does not change the tiles.
 */
function hashCandidates(a: ArrayLike<number>, b: ArrayLike<number>, minLength: number, heap: TileHeap): void {
  const count = a.length - minLength + 1
  const hashes = gramScratch.take(count, false)
  for (let at = 0; at < count; at++) hashes[at] = gramHash(a, at, minLength)
  let size = 16
  while (size < 2 * count) size *= 2
  const mask = size - 1
  const head = headScratch.take(size, false).fill(-1)
  const next = nextScratch.take(count, false)
  // Chained from the last start back, so that each chain runs in increasing position.
  for (let at = count - 1; at >= 0; at--) {
    const slot = mix32(hashes[at] as number) & mask
    next[at] = head[slot] as number
    head[slot] = at
  }
  const last = b.length - minLength
  for (let jb = 0; jb <= last; jb++) {
    const h = gramHash(b, jb, minLength)
    for (let ia = head[mix32(h) & mask] as number; ia >= 0; ia = next[ia] as number) {
      if (hashes[ia] === h) consider(a, b, minLength, ia, jb, heap)
    }
  }
}

/** The hash of the `k` tokens from `at` (FNV-1a over the token values), unsigned. */
function gramHash(tokens: ArrayLike<number>, at: number, k: number): number {
  let h = 0x811c9dc5
  for (let i = 0; i < k; i++) h = Math.imul(h ^ (tokens[at + i] as number), 0x01000193)
  return h >>> 0
}

const gramScratch = new Scratch(u32)
const headScratch = new Scratch(i32)
const nextScratch = new Scratch(i32)
const usedScratchA = new Scratch(u8)
const usedScratchB = new Scratch(u8)

/** A binary max-heap of (length, aStart, bStart): longest first, then earliest in a, then in b. */
class TileHeap {
  /** Items as three numbers each; `used` of them are in the heap (the array never shrinks: setting an array's length is a call into the engine). */
  private items: number[] = []
  private used = 0
  get size(): number {
    return this.used / 3
  }
  private before(x: number, y: number): boolean {
    const s = this.items
    if (s[x] !== s[y]) return (s[x] as number) > (s[y] as number)
    if (s[x + 1] !== s[y + 1]) return (s[x + 1] as number) < (s[y + 1] as number)
    return (s[x + 2] as number) < (s[y + 2] as number)
  }
  private swap(x: number, y: number): void {
    const s = this.items
    for (let k = 0; k < 3; k++) {
      const t = s[x + k] as number
      s[x + k] = s[y + k] as number
      s[y + k] = t
    }
  }
  push(len: number, i: number, j: number): void {
    const s = this.items
    let c = this.used
    if (c < s.length) {
      s[c] = len
      s[c + 1] = i
      s[c + 2] = j
    } else s.push(len, i, j)
    this.used += 3
    while (c > 0) {
      const p = Math.floor((c / 3 - 1) / 2) * 3
      if (!this.before(c, p)) break
      this.swap(c, p)
      c = p
    }
  }
  /** The last {@link pop}'s item (fields, not a tuple: one pop per candidate run). */
  len = 0
  i = 0
  j = 0
  pop(): void {
    const s = this.items
    this.len = s[0] as number
    this.i = s[1] as number
    this.j = s[2] as number
    const last = this.used - 3
    if (last > 0) {
      s[0] = s[last] as number
      s[1] = s[last + 1] as number
      s[2] = s[last + 2] as number
    }
    this.used = last
    let p = 0
    for (;;) {
      const l = (2 * (p / 3) + 1) * 3
      const r = l + 3
      let best = p
      if (l < last && this.before(l, best)) best = l
      if (r < last && this.before(r, best)) best = r
      if (best === p) break
      this.swap(p, best)
      p = best
    }
  }
}
