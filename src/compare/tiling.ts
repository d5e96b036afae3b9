import { argNumber, argNumbers } from '../errors.js'
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
 * Candidates are the maximal matches, found by merging the two texts' sorted `minLength`-grams
 * ({@link gramIndex}, which a caller may pass in); a match partly covered by an earlier tile is cut
 * into the parts still free and those go back into the queue, so the result equals the textbook
 * algorithm's without rescanning the texts.
 *
 * @example
 * greedyTiles(Uint32Array.of(1, 2, 3, 4, 9), Uint32Array.of(7, 1, 2, 3, 4), 2) // [{ aStart: 0, bStart: 1, length: 4 }]
 */
export function greedyTiles(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  minLength: number,
  grams?: { a: Float64Array; b: Float64Array },
): Tile[] {
  argNumbers('greedyTiles', 'a', a)
  argNumbers('greedyTiles', 'b', b)
  argNumber('greedyTiles', 'minLength', minLength)
  const n = a.length
  const m = b.length
  if (minLength < 1 || n < minLength || m < minLength) return []
  // Both texts' minLength-grams, sorted (see gramIndex): equal grams meet in a merge, and
  // equality is then checked token by token.
  const ga = grams?.a ?? gramIndex(a, minLength)
  const gb = grams?.b ?? gramIndex(b, minLength)
  const heap = new TileHeap()
  let i = 0
  let j = 0
  while (i < ga.length && j < gb.length) {
    const ha = Math.floor((ga[i] as number) / PACK)
    const hb = Math.floor((gb[j] as number) / PACK)
    if (ha < hb) i++
    else if (hb < ha) j++
    else {
      let i1 = i
      while (i1 < ga.length && Math.floor((ga[i1] as number) / PACK) === ha) i1++
      let j1 = j
      while (j1 < gb.length && Math.floor((gb[j1] as number) / PACK) === ha) j1++
      for (let x = i; x < i1; x++) {
        const ia = (ga[x] as number) - ha * PACK
        for (let y = j; y < j1; y++) {
          const jb = (gb[y] as number) - ha * PACK
          // Left-maximal only: a match that extends to the left was found from its own start.
          if (ia > 0 && jb > 0 && a[ia - 1] === b[jb - 1]) continue
          let len = 0
          while (ia + len < n && jb + len < m && a[ia + len] === b[jb + len]) len++
          if (len >= minLength) heap.push(len, ia, jb)
        }
      }
      i = i1
      j = j1
    }
  }
  const usedA = new Uint8Array(n)
  const usedB = new Uint8Array(m)
  const tiles: Tile[] = []
  while (heap.size > 0) {
    const [len, i, j] = heap.pop()
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

const PACK = 2 ** 21

/**
 * The k-grams of a token sequence as gram hash · 2^21 + start, sorted (exact below 2^53): what
 * {@link greedyTiles} merges. A caller comparing one text with many can make it once.
 */
export function gramIndex(tokens: ArrayLike<number>, k: number): Float64Array {
  const count = Math.max(0, tokens.length - k + 1)
  const out = new Float64Array(count)
  for (let at = 0; at < count; at++) {
    let h = 0x811c9dc5
    for (let i = 0; i < k; i++) h = Math.imul(h ^ (tokens[at + i] as number), 0x01000193)
    out[at] = (h >>> 0) * PACK + at
  }
  return out.sort()
}

/** A binary max-heap of (length, aStart, bStart): longest first, then earliest in a, then in b. */
class TileHeap {
  private items: number[] = []
  get size(): number {
    return this.items.length / 3
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
    this.items.push(len, i, j)
    let c = this.items.length - 3
    while (c > 0) {
      const p = Math.floor((c / 3 - 1) / 2) * 3
      if (!this.before(c, p)) break
      this.swap(c, p)
      c = p
    }
  }
  pop(): [number, number, number] {
    const s = this.items
    const top: [number, number, number] = [s[0] as number, s[1] as number, s[2] as number]
    const last = s.length - 3
    if (last > 0) {
      s[0] = s[last] as number
      s[1] = s[last + 1] as number
      s[2] = s[last + 2] as number
    }
    s.length = last
    let p = 0
    for (;;) {
      const l = (2 * (p / 3) + 1) * 3
      const r = l + 3
      let best = p
      if (l < s.length && this.before(l, best)) best = l
      if (r < s.length && this.before(r, best)) best = r
      if (best === p) break
      this.swap(p, best)
      p = best
    }
    return top
  }
}
