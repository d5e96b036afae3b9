import fc from 'fast-check'

/**
 * Seed of every property test and statistical sample in the suite. Fixed so that a failure
 * reproduces; override with WIRETRACE_TEST_SEED=<int> to explore other runs (fast-check prints
 * the seed and shrink path of any counterexample).
 */
export const TEST_SEED = Number.parseInt(process.env.WIRETRACE_TEST_SEED ?? '', 10) || 0x5eed2024

/** fast-check options with the suite's seed. */
export function fcOptions(numRuns: number, offset = 0): fc.Parameters<unknown> {
  return { seed: (TEST_SEED + offset) | 0, numRuns }
}

/** Deterministic samples of an arbitrary (for statistical tests that aggregate over many draws). */
export function sample<T>(arb: fc.Arbitrary<T>, numRuns: number, offset = 0): T[] {
  return fc.sample(arb, { seed: (TEST_SEED + offset) | 0, numRuns })
}

/** Small seeded PRNG (mulberry32) for Monte-Carlo loops that need millions of draws. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
