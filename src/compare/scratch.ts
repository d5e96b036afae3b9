import { mix32 } from '../sketch/hash.js'

/**
 * A typed array reused from one comparison to the next. A comparison makes dozens of arrays that
 * die with it (matrices, flags, counts); past 64 bytes each is allocated off the heap and freed by
 * the collector, which cost more than the work done on it. Each purpose has its own slot; what a
 * slot hands out is valid until the same slot is asked again. Comparisons are synchronous and do
 * not nest, so no two users of a slot overlap.
 */
export class Scratch<T extends Uint8Array | Uint32Array | Int32Array | Float64Array> {
  private array: T
  constructor(private readonly make: (n: number) => T) {
    this.array = make(64)
  }
  /** The first `n` elements of the slot's array, all 0 when `zero` (else as the last user left them). */
  take(n: number, zero: boolean): T {
    if (this.array.length < n) {
      let length = this.array.length
      while (length < n) length *= 2
      this.array = this.make(length)
    } else if (zero) this.array.fill(0, 0, n)
    return this.array.subarray(0, n) as T
  }
}

/**
 * A set of token hashes reused from one use to the next (the steps of building a view; a pair's
 * frame): an open-addressed table, since a Set of hashes above 2^31 would box each one, emptied
 * by moving to the next generation instead of clearing it.
 */
export class HashSet {
  size = 0
  private keys = new Uint32Array(1024)
  private marks = new Uint32Array(1024)
  private generation = 0

  /** Empty the set, with room for `n` hashes. */
  reset(n: number): this {
    if (this.keys.length < 2 * n) {
      let length = this.keys.length
      while (length < 2 * n) length *= 2
      this.keys = new Uint32Array(length)
      this.marks = new Uint32Array(length)
      this.generation = 0
    }
    if (++this.generation === 0xffffffff) {
      this.marks.fill(0)
      this.generation = 1
    }
    this.size = 0
    return this
  }

  /** Add `h`; whether it was not in the set. The set must have room (see reset). */
  add(h: number): boolean {
    const mask = this.keys.length - 1
    for (let i = mix32(h) & mask; ; i = (i + 1) & mask) {
      if (this.marks[i] !== this.generation) {
        this.marks[i] = this.generation
        this.keys[i] = h
        this.size++
        return true
      }
      if (this.keys[i] === h) return false
    }
  }

  has(h: number): boolean {
    const mask = this.keys.length - 1
    for (let i = mix32(h) & mask; ; i = (i + 1) & mask) {
      if (this.marks[i] !== this.generation) return false
      if (this.keys[i] === h) return true
    }
  }
}

export const u8 = (n: number) => new Uint8Array(n)
export const u32 = (n: number) => new Uint32Array(n)
export const i32 = (n: number) => new Int32Array(n)
export const f64 = (n: number) => new Float64Array(n)

/** A hash and a token position packed in one double: hash · PACK + position (exact below 2^53). */
export const PACK = 2 ** 21

/**
 * Sort in place a Float64Array of non-negative integers below 2^53 (hash · {@link PACK} + position), through a BigUint64Array over the same memory: such doubles order as
 * their bit patterns do, and the engine sorts 64-bit integers about three times faster than
 * doubles (it has no NaN or -0 to place). Not for negative or fractional values.
 */
export function sortPacked(x: Float64Array): Float64Array {
  new BigUint64Array(x.buffer, x.byteOffset, x.length).sort()
  return x
}
