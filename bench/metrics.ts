/**
 * Clustering quality against ground truth, from the contingency table of (predicted, true) cluster
 * pairs: O(n) time, never enumerating the O(n²) pairs of items.
 *
 * Conventions, shared by every function here:
 * - Items are the ids of `truth`. An id missing from `predicted` counts as a singleton prediction;
 *   ids in `predicted` but not in `truth` are ignored (reported as `extra`).
 * - Cluster ids are compared with `===` (Map key semantics), so use strings or numbers.
 */

/** C(k, 2): pairs among k items. */
function pairs(k: number): number {
  return (k * (k - 1)) / 2
}

export interface Contingency {
  /** Items evaluated (the ids of `truth`). */
  n: number
  /** Items of `truth` that `predicted` does not assign (counted as singletons). */
  missing: number
  /** Ids of `predicted` that `truth` does not have (ignored). */
  extra: number
  /** Sizes of the true clusters. */
  truthSizes: number[]
  /** Sizes of the predicted clusters restricted to the evaluated items (missing items as singletons). */
  predictedSizes: number[]
  /** Sizes of the non-empty cells (predicted cluster ∩ true cluster). */
  cellSizes: number[]
}

/** The contingency table between a predicted and a true clustering, as the three lists of counts the metrics need. */
export function contingency<K, P, T>(predicted: ReadonlyMap<K, P>, truth: ReadonlyMap<K, T>): Contingency {
  const truthCount = new Map<T, number>()
  const predictedCount = new Map<P, number>()
  const cells = new Map<P, Map<T, number>>()
  let missing = 0
  for (const [id, t] of truth) {
    truthCount.set(t, (truthCount.get(t) ?? 0) + 1)
    if (!predicted.has(id)) {
      missing++
      continue
    }
    const p = predicted.get(id) as P
    predictedCount.set(p, (predictedCount.get(p) ?? 0) + 1)
    let row = cells.get(p)
    if (!row) cells.set(p, (row = new Map()))
    row.set(t, (row.get(t) ?? 0) + 1)
  }
  let extra = 0
  for (const id of predicted.keys()) if (!truth.has(id)) extra++
  const cellSizes: number[] = []
  for (const row of cells.values()) for (const c of row.values()) cellSizes.push(c)
  const predictedSizes = [...predictedCount.values()]
  for (let i = 0; i < missing; i++) predictedSizes.push(1)
  return { n: truth.size, missing, extra, truthSizes: [...truthCount.values()], predictedSizes, cellSizes }
}

export interface PairwiseScores {
  /** Of the pairs predicted together, the share that are together in the truth (1 when none are predicted). */
  precision: number
  /** Of the pairs together in the truth, the share predicted together (1 when the truth has none). */
  recall: number
  f1: number
  /** Pairs together in the truth. */
  truePairs: number
  /** Pairs predicted together. */
  predictedPairs: number
  /** Pairs together in both. */
  agreedPairs: number
  n: number
  missing: number
  extra: number
}

function sumPairs(sizes: readonly number[]): number {
  let s = 0
  for (const k of sizes) s += pairs(k)
  return s
}

/** Pairwise precision, recall and F1 of `predicted` against `truth` (conventions in the module comment). */
export function pairwiseScores<K, P, T>(predicted: ReadonlyMap<K, P>, truth: ReadonlyMap<K, T>): PairwiseScores {
  const c = contingency(predicted, truth)
  const truePairs = sumPairs(c.truthSizes)
  const predictedPairs = sumPairs(c.predictedSizes)
  const agreedPairs = sumPairs(c.cellSizes)
  const precision = predictedPairs === 0 ? 1 : agreedPairs / predictedPairs
  const recall = truePairs === 0 ? 1 : agreedPairs / truePairs
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1, truePairs, predictedPairs, agreedPairs, n: c.n, missing: c.missing, extra: c.extra }
}

/**
 * Adjusted Rand index (Hubert & Arabie 1985): 1 for identical partitions, about 0 for independent
 * ones, negative when worse than chance. When both partitions are trivial in the same way (all
 * singletons, or all one cluster) the index is undefined (0/0) and we return 1, like scikit-learn.
 */
export function adjustedRandIndex<K, P, T>(predicted: ReadonlyMap<K, P>, truth: ReadonlyMap<K, T>): number {
  const c = contingency(predicted, truth)
  const total = pairs(c.n)
  if (total === 0) return 1
  const index = sumPairs(c.cellSizes)
  const a = sumPairs(c.predictedSizes)
  const b = sumPairs(c.truthSizes)
  const expected = (a * b) / total
  const max = (a + b) / 2
  if (max === expected) return 1
  return (index - expected) / (max - expected)
}

export interface BCubedScores {
  /** Mean over items of |predicted cluster ∩ true cluster| / |predicted cluster|. */
  precision: number
  /** Mean over items of |predicted cluster ∩ true cluster| / |true cluster|. */
  recall: number
  f1: number
}

/** B-cubed precision, recall and F1 (Bagga & Baldwin 1998): item-averaged, so big clusters do not dominate as in pair counts. */
export function bcubedScores<K, P, T>(predicted: ReadonlyMap<K, P>, truth: ReadonlyMap<K, T>): BCubedScores {
  const truthSize = new Map<T, number>()
  const predictedSize = new Map<P, number>()
  const cells = new Map<P, Map<T, number>>()
  for (const [id, t] of truth) {
    truthSize.set(t, (truthSize.get(t) ?? 0) + 1)
    if (!predicted.has(id)) continue
    const p = predicted.get(id) as P
    predictedSize.set(p, (predictedSize.get(p) ?? 0) + 1)
    let row = cells.get(p)
    if (!row) cells.set(p, (row = new Map()))
    row.set(t, (row.get(t) ?? 0) + 1)
  }
  const n = truth.size
  if (n === 0) return { precision: 1, recall: 1, f1: 1 }
  let precision = 0
  let recall = 0
  // each item of a cell contributes cell/|its predicted cluster| and cell/|its true cluster|
  for (const [p, row] of cells) {
    const ps = predictedSize.get(p) as number
    for (const [t, k] of row) {
      precision += (k * k) / ps
      recall += (k * k) / (truthSize.get(t) as number)
    }
  }
  // missing items are singleton predictions: precision 1, recall 1/|true cluster|
  for (const [id, t] of truth) {
    if (predicted.has(id)) continue
    precision += 1
    recall += 1 / (truthSize.get(t) as number)
  }
  precision /= n
  recall /= n
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) }
}

/** Ground truth as a map from generated articles (or anything with `id` and `cluster`). */
export function truthOf(records: Iterable<{ id: string; cluster: string }>): Map<string, string> {
  const truth = new Map<string, string>()
  for (const r of records) truth.set(r.id, r.cluster)
  return truth
}
