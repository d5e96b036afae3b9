import fc from 'fast-check'

/** Two sets of 32-bit element hashes with a known, exact Jaccard similarity. */
export interface SetPair {
  a: Uint32Array
  b: Uint32Array
  /** |A∩B| / |A∪B|, computed by construction (and checked by {@link exactJaccard}). */
  jaccard: number
}

/** Brute-force Jaccard similarity of two sets, with a plain Set. */
export function exactJaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const sa = new Set(Array.from(a))
  const sb = new Set(Array.from(b))
  let inter = 0
  for (const x of sa) if (sb.has(x)) inter++
  const union = sa.size + sb.size - inter
  return union === 0 ? 1 : inter / union
}

/** A bijection on 32 bits (splitmix-style), independent of the library's own hash code. */
function scramble(x: number): number {
  let z = (x + 0x9e3779b9) | 0
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
  return (z ^ (z >>> 15)) >>> 0
}

export interface PairSpec {
  /** Size of A∪B, 1..2000. */
  union: number
  /** Target Jaccard in [0, 1]; the realised value is round(target·union)/union. */
  target: number
  /** How the elements outside the intersection split between A-only and B-only, in [0, 1]. */
  split: number
  /** Element values: pseudo-random 32-bit hashes, or consecutive small integers (a harsh input for weak permutations). */
  elements: 'random' | 'sequential'
  salt: number
}

/**
 * Build a pair from a spec: elements 0..i-1 are shared, the rest go to A or B. Both sets are
 * non-empty, so Jaccard is i / union exactly.
 */
export function makePair(spec: PairSpec): SetPair {
  const { union, split, elements, salt } = spec
  let inter = Math.round(spec.target * union)
  const rest = union - inter
  let onlyA = Math.round(split * rest)
  let onlyB = rest - onlyA
  if (inter === 0) {
    // Both sets must be non-empty: a union of one element can only be shared.
    if (union === 1) inter = 1
    else if (onlyA === 0) {
      onlyA++
      onlyB--
    } else if (onlyB === 0) {
      onlyB++
      onlyA--
    }
  }
  const value = (t: number) => (elements === 'random' ? scramble((salt + t) | 0) : (salt % 1000) + t) >>> 0
  const a: number[] = []
  const b: number[] = []
  for (let t = 0; t < inter; t++) {
    a.push(value(t))
    b.push(value(t))
  }
  for (let t = 0; t < onlyA; t++) a.push(value(inter + t))
  for (let t = 0; t < onlyB; t++) b.push(value(inter + onlyA + t))
  return { a: Uint32Array.from(a), b: Uint32Array.from(b), jaccard: inter / (inter + onlyA + onlyB) }
}

/**
 * Uniform on [0, 1]. (fc.double is uniform over representable doubles, so most of its draws
 * are tiny: useless as a probability.)
 */
export function unit(): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 1_000_000 }).map((x) => x / 1_000_000)
}

/**
 * Pair specs: the union size is log-uniform on 1..2000 (so small sets, where OPH densifies,
 * are well represented), the target Jaccard is uniform on [0, 1] with extra weight on 0 and 1.
 */
export const pairSpecArb: fc.Arbitrary<PairSpec> = fc.record({
  union: unit().map((x) => Math.min(2000, Math.max(1, Math.round(Math.exp(x * Math.log(2000)))))),
  target: fc.oneof({ weight: 8, arbitrary: unit() }, { weight: 1, arbitrary: fc.constantFrom(0, 1) }),
  split: unit(),
  elements: fc.constantFrom<'random' | 'sequential'>('random', 'random', 'sequential'),
  salt: fc.integer({ min: 0, max: 0x7fffffff }),
})
