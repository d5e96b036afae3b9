/** Growable scratch buffers, reused from call to call by the one-pass scanners (sign.ts, pass1.ts). */

/** Smallest power of two ≥ n, at least 16. */
export function capacity(n: number): number {
  let c = 16
  while (c < n) c *= 2
  return c
}

/** A larger copy of `a`, with room for at least `n` values. */
export function grow(a: Uint32Array, n: number): Uint32Array {
  const b = new Uint32Array(capacity(n))
  b.set(a)
  return b
}

/** Token hashes as `scanTokens` hands them to its sink (`push`), kept in a buffer that grows as needed. */
export class TokenBuffer {
  values: Uint32Array
  count = 0
  readonly push = (h: number): void => {
    if (this.count === this.values.length) this.values = grow(this.values, this.count + 1)
    this.values[this.count++] = h
  }
  constructor(size: number) {
    this.values = new Uint32Array(size)
  }
}
