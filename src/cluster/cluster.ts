import {
  type Analysis,
  type AnalysisOk,
  type AnalyzeOptions,
  type Article,
  analyzeResolved,
  resolveAnalyzeOptions,
  type SkipReason,
  validateArticle,
} from '../analyze.js'
import { type CompareOptions, type Comparison, compare, LINKING_RELATIONS, type Mode, type Relation } from '../compare/compare.js'
import { argArray, argIterable, argNumber, argOptions, WiretraceError } from '../errors.js'
import { batchCandidatePairs } from '../lsh/batch.js'
import { bandKeys, type IndexOptions, resolveIndexConfig } from '../lsh/lsh.js'
import { worthComparing } from './screen.js'

/** Options for {@link clusterArticles}: analysis, index and comparison options in one. */
export interface ClusterOptions extends AnalyzeOptions, IndexOptions, CompareOptions {
  /** Ids of articles that are wire sources: each becomes its cluster's reference. @default [] */
  references?: string[]
  /** What to do with a repeated id: throw `DUPLICATE_ID`, or let the later article replace the earlier. @default 'error' */
  duplicateIds?: 'error' | 'replace'
  /** LSH buckets holding more documents than this are skipped (and counted) as too common to mean anything. @default 500 */
  maxBucket?: number
}

/** A member of a cluster and what it is to the cluster's reference. */
export interface ClusterMember {
  id: string
  source?: string
  publishedAt?: string
  lang?: string
  /** `reference` for the reference itself. */
  relation: Relation | 'reference'
  reason: string
  /** The model's probability that the member derives from the reference, or the reference from it (1 for the reference). */
  confidence: number
  /** How the derived side was made: verbatim, reworded or translated (absent for the reference). */
  mode?: Mode
  jaccard: number
  /** Share of this member's shingles found in the reference, and of the reference's in this member. */
  containment: { inReference: number; referenceIn: number }
  /** Share of each side's tokens in the passages they share (1 for the reference). */
  derived: { member: number; reference: number }
}

/** Why the reference was chosen. */
export type ReferenceRule = 'marked' | 'earliest' | 'coverage'

export interface Cluster {
  kind: 'cluster'
  /** The reference's id; stable for the same input. */
  id: string
  reference: string
  referenceRule: ReferenceRule
  /** The reference first, then the others by id. */
  members: ClusterMember[]
}

/** An article that could not be analysed, and why. */
export interface SkippedArticle {
  id: string
  reason: SkipReason
  detail: string
}

export interface ClusterResult {
  kind: 'clustering'
  version: 1
  clusters: Cluster[]
  /** Articles in no cluster, sorted. */
  singletons: string[]
  skipped: SkippedArticle[]
  /** Every verified pair that links two articles (the evidence behind the clusters). */
  links: Comparison[]
  stats: {
    articles: number
    analysed: number
    skipped: number
    candidatePairs: number
    /** Candidates dropped by the signature screen before full comparison. */
    screenedOut: number
    linkedPairs: number
    oversizedBuckets: number
  }
}

export const DEFAULT_CLUSTER_OPTIONS = { duplicateIds: 'error', maxBucket: 500, references: [] as string[] } as const

/** Analyse articles, refusing duplicate ids (or replacing, by option). */
export function analyzeAll(
  articles: Iterable<Article>,
  options: ClusterOptions,
): { analyses: AnalysisOk[]; skipped: SkippedArticle[]; total: number } {
  const o = resolveAnalyzeOptions(options)
  const byId = new Map<string, Analysis>()
  let total = 0
  let i = 0
  for (const raw of articles) {
    const article = validateArticle(raw, `articles[${i++}]`)
    if (byId.has(article.id)) checkRepeatedId(article.id, options)
    else total++
    byId.set(article.id, analyzeResolved(article, o))
  }
  return { ...partitionAnalyses(byId.values()), total }
}

/** An id met a second time: `DUPLICATE_ID`, unless `duplicateIds: 'replace'` keeps the last. */
export function checkRepeatedId(id: string, options: Pick<ClusterOptions, 'duplicateIds'>): void {
  if ((options.duplicateIds ?? 'error') === 'error') {
    throw new WiretraceError(
      'DUPLICATE_ID',
      `article id "${id}" occurs more than once (set duplicateIds: 'replace' to keep the last)`,
    )
  }
}

/** Split analysis results into the analysed, sorted by id as {@link clusterAnalyses} wants, and the skipped. */
export function partitionAnalyses(results: Iterable<Analysis>): { analyses: AnalysisOk[]; skipped: SkippedArticle[] } {
  const analyses: AnalysisOk[] = []
  const skipped: SkippedArticle[] = []
  for (const r of results) {
    if (r.status === 'ok') analyses.push(r)
    else skipped.push({ id: r.id, reason: r.reason, detail: r.detail })
  }
  analyses.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  skipped.sort((a, b) => (a.id < b.id ? -1 : 1))
  return { analyses, skipped }
}

/**
 * Find clusters of syndicated copies in a batch of articles.
 *
 * Candidates come from LSH (document, paragraph and anchor channels); each candidate pair is
 * verified with {@link compare}; clusters then form around references without single-link
 * chaining, so that two stories that each share a paragraph with a roundup stay apart.
 *
 * @example
 * const result = clusterArticles(articles)
 * result.clusters[0].reference // the original: marked, earliest, or covering the most of the others
 */
export function clusterArticles(articles: Iterable<Article>, options: ClusterOptions = {}): ClusterResult {
  argIterable('clusterArticles', 'articles', articles, 'articles')
  argOptions('clusterArticles', 'options', options)
  const { analyses, skipped, total } = analyzeAll(articles, options)
  return clusterAnalyses(analyses, skipped, total, options)
}

/**
 * The clustering step alone, on articles already analysed (by worker threads, say).
 * `analyses` must have distinct ids and be sorted by id.
 */
export function clusterAnalyses(
  analyses: readonly AnalysisOk[],
  skipped: SkippedArticle[],
  total: number,
  options: ClusterOptions = {},
): ClusterResult {
  argArray('clusterAnalyses', 'analyses', analyses, 'results of analyze()')
  argArray('clusterAnalyses', 'skipped', skipped, 'skipped articles')
  argNumber('clusterAnalyses', 'total', total)
  argOptions('clusterAnalyses', 'options', options)
  if (analyses.length === 0) {
    return emptyResult(total, skipped)
  }
  const config = resolveIndexConfig(options, (analyses[0] as AnalysisOk).fingerprint.params)
  const maxBucket = options.maxBucket ?? DEFAULT_CLUSTER_OPTIONS.maxBucket
  const found = findCandidates(
    analyses.length,
    (i) => bandKeys((analyses[i] as AnalysisOk).fingerprint, config, 'wording'),
    (i) => bandKeys((analyses[i] as AnalysisOk).fingerprint, config, 'anchor'),
    (i) => (analyses[i] as AnalysisOk).fingerprint.lang ?? '',
    maxBucket,
  )
  const { links, screenedOut } = verifyPairs(analyses, found.pairs, options)
  return buildClusters(analyses, links, skipped, options, {
    articles: total,
    candidatePairs: found.pairs.length / 2,
    screenedOut,
    oversizedBuckets: found.oversizedBuckets,
  })
}

/** Screen, then compare, each pair (flat [a, b, …] indices into `analyses`); keep the linking ones. */
export function verifyPairs(
  analyses: readonly AnalysisOk[],
  pairs: Uint32Array,
  options: CompareOptions,
): { links: Comparison[]; screenedOut: number } {
  const links: Comparison[] = []
  let screenedOut = 0
  for (let i = 0; i < pairs.length; i += 2) {
    const a = analyses[pairs[i] as number] as AnalysisOk
    const b = analyses[pairs[i + 1] as number] as AnalysisOk
    if (!worthComparing(a.fingerprint, b.fingerprint)) {
      screenedOut++
      continue
    }
    const c = compare(a, b, options)
    if (LINKING_RELATIONS.includes(c.relation)) links.push(c)
  }
  return { links, screenedOut }
}

/**
 * Candidate pairs of documents 0…n−1 (sorted flat [a, b, …], a < b): pairs sharing a wording
 * band, and pairs sharing an anchor band whose languages are both known ('' is unknown) and
 * differ. Anchor-only pairs between two articles in one language find the same names and
 * figures, not copies (anchorPairCounts); grouping by language means a one-language corpus
 * enumerates none of them.
 */
export function findCandidates(
  n: number,
  wordingKeys: (i: number) => Float64Array,
  anchorKeys: (i: number) => Float64Array,
  lang: (i: number) => string,
  maxBucket: number,
): { pairs: Uint32Array; oversizedBuckets: number } {
  const wording = batchCandidatePairs(
    Array.from({ length: n }, (_, i) => wordingKeys(i)),
    maxBucket,
  )
  const langs = new Map<string, number>()
  const groups = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const l = lang(i)
    if (!l) groups[i] = -1
    else {
      if (!langs.has(l)) langs.set(l, langs.size)
      groups[i] = langs.get(l) as number
    }
  }
  const anchored =
    langs.size < 2
      ? undefined
      : batchCandidatePairs(
          Array.from({ length: n }, (_, i) => ((groups[i] as number) < 0 ? EMPTY_KEYS : anchorKeys(i))),
          maxBucket,
          groups,
        )
  return {
    pairs: anchored ? mergePairs(wording.pairs, anchored.pairs) : wording.pairs,
    oversizedBuckets: wording.stats.oversizedBuckets + (anchored?.stats.oversizedBuckets ?? 0),
  }
}

/** Union of two sorted flat pair lists. */
function mergePairs(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length)
  let n = 0
  let i = 0
  let j = 0
  const cmp = (x: Uint32Array, p: number, y: Uint32Array, q: number) =>
    (x[p] as number) - (y[q] as number) || (x[p + 1] as number) - (y[q + 1] as number)
  while (i < a.length || j < b.length) {
    const c = i >= a.length ? 1 : j >= b.length ? -1 : cmp(a, i, b, j)
    if (c <= 0) {
      out[n++] = a[i] as number
      out[n++] = a[i + 1] as number
      i += 2
      if (c === 0) j += 2
    } else {
      out[n++] = b[j] as number
      out[n++] = b[j + 1] as number
      j += 2
    }
  }
  return out.slice(0, n)
}

const EMPTY_KEYS = new Float64Array(0)

function emptyResult(total: number, skipped: SkippedArticle[]): ClusterResult {
  return clusteringResult([], [], skipped, [], {
    articles: total,
    candidatePairs: 0,
    screenedOut: 0,
    linkedPairs: 0,
    oversizedBuckets: 0,
  })
}

/**
 * The result object: clusters sorted largest first (then by id), singletons the analysed ids no
 * cluster holds, in the order given. `links` and `skipped` are taken as they are.
 */
export function clusteringResult(
  clusters: Cluster[],
  analysed: readonly string[],
  skipped: SkippedArticle[],
  links: Comparison[],
  counts: { articles: number; candidatePairs: number; screenedOut: number; linkedPairs: number; oversizedBuckets: number },
): ClusterResult {
  clusters.sort((x, y) => y.members.length - x.members.length || byId(x.id, y.id))
  const assigned = new Set<string>()
  for (const c of clusters) for (const m of c.members) assigned.add(m.id)
  return {
    kind: 'clustering',
    version: 1,
    clusters,
    singletons: analysed.filter((id) => !assigned.has(id)),
    skipped,
    links,
    stats: {
      articles: counts.articles,
      analysed: analysed.length,
      skipped: skipped.length,
      candidatePairs: counts.candidatePairs,
      screenedOut: counts.screenedOut,
      linkedPairs: counts.linkedPairs,
      oversizedBuckets: counts.oversizedBuckets,
    },
  }
}

/** Ids in code-unit order: the order every list of the result is in. */
export const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** What clustering needs of an article besides its links (an AnalysisOk will do). */
export interface ClusterMeta {
  id: string
  lang?: string
  article: Pick<Article, 'source' | 'publishedAt' | 'isReference'>
}

/** A cluster decided but not yet written out: its ids, centre and reference. */
export interface ClusterPlan {
  ids: string[]
  centre: string
  reference: string
  rule: ReferenceRule
}

/** Links by article, both ways. */
export type Neighbours = Map<string, Map<string, Comparison>>

export function neighboursOf(links: readonly Comparison[]): Neighbours {
  const neighbours: Neighbours = new Map()
  for (const c of links) {
    for (const [self, other] of [
      [c.a, c.b],
      [c.b, c.a],
    ] as const) {
      let m = neighbours.get(self)
      if (!m) neighbours.set(self, (m = new Map()))
      m.set(other, c)
    }
  }
  return neighbours
}

/**
 * Form clusters from verified links: the article that covers the most of its linked
 * neighbours' text (a marked wire source first) becomes a centre, and only articles linked to
 * that centre join it. Nobody joins through another member, so there is no chaining.
 * The order is fixed by the data, not by the input order.
 */
export function buildClusters(
  analyses: readonly AnalysisOk[],
  links: Comparison[],
  skipped: SkippedArticle[],
  options: ClusterOptions,
  counts: { articles: number; candidatePairs: number; screenedOut: number; oversizedBuckets: number },
): ClusterResult {
  const byKey = new Map(analyses.map((a) => [a.id, a]))
  const { plans, neighbours } = planClusters(byKey, links, options)
  const clusters = finishClusters(plans, byKey, neighbours, options)
  return clusteringResult(
    clusters,
    analyses.map((a) => a.id),
    skipped,
    links,
    { ...counts, linkedPairs: links.length },
  )
}

/** Write plans out as clusters, comparing with the analyses the members not linked to their reference. */
export function finishClusters(
  plans: readonly ClusterPlan[],
  analyses: ReadonlyMap<string, AnalysisOk>,
  neighbours: Neighbours,
  options: CompareOptions,
): Cluster[] {
  return plans.map((p) =>
    finishCluster(p, analyses, neighbours, (id, ref) =>
      compare(analyses.get(id) as AnalysisOk, analyses.get(ref) as AnalysisOk, options),
    ),
  )
}

/** The star clustering itself, on links and what is known of each linked article. Sorts `links`. */
export function planClusters(
  meta: ReadonlyMap<string, ClusterMeta>,
  links: Comparison[],
  options: ClusterOptions,
): { plans: ClusterPlan[]; neighbours: Neighbours } {
  const marked = new Set(options.references ?? [])
  for (const a of meta.values()) if (a.article.isReference) marked.add(a.id)
  links.sort((x, y) => byId(x.a, y.a) || byId(x.b, y.b))
  const neighbours = neighboursOf(links)
  const cover = new Map<string, number>()
  for (const c of links) {
    // How much of the other's text this one covers: the other's share in the passages they share.
    for (const [self, covered] of [
      [c.a, c.derived.b],
      [c.b, c.derived.a],
    ] as const) {
      cover.set(self, (cover.get(self) ?? 0) + covered)
    }
  }
  const order = [...neighbours.keys()].sort(
    (x, y) => Number(marked.has(y)) - Number(marked.has(x)) || (cover.get(y) as number) - (cover.get(x) as number) || byId(x, y),
  )
  const assigned = new Set<string>()
  const plans: ClusterPlan[] = []
  for (const centre of order) {
    if (assigned.has(centre)) continue
    const members = [...(neighbours.get(centre) as Map<string, Comparison>).keys()].filter((id) => !assigned.has(id))
    if (members.length === 0) continue
    const ids = [centre, ...members]
    for (const id of ids) assigned.add(id)
    const { reference, rule } = chooseReference(ids, centre, meta, marked, neighbours)
    plans.push({ ids, centre, reference, rule })
  }
  return { plans, neighbours }
}

/** Members of a plan that have no link to its reference: `compareTo` must be given these pairs. */
export function missingLinks(plan: ClusterPlan, neighbours: Neighbours): string[] {
  return plan.ids.filter((id) => id !== plan.reference && !neighbours.get(id)?.get(plan.reference))
}

function chooseReference(
  ids: string[],
  centre: string,
  meta: ReadonlyMap<string, ClusterMeta>,
  marked: Set<string>,
  neighbours: Neighbours,
): { reference: string; rule: ReferenceRule } {
  const markedHere = ids.filter((id) => marked.has(id)).sort(byId)
  if (markedHere.length > 0) return { reference: markedHere[0] as string, rule: 'marked' }
  // Dates decide only when every member has one and one date is strictly the earliest: an undated
  // member could be older than all of them. And the earliest must be linked to every other member:
  // members join through the centre, and one only the centre links to may be unrelated to an early
  // member (the same template sent on another day, say).
  const dated = ids.map((id) => ({ id, t: Date.parse(meta.get(id)?.article.publishedAt ?? '') }))
  if (dated.every((d) => !Number.isNaN(d.t))) {
    dated.sort((x, y) => x.t - y.t)
    const first = dated[0] as { id: string; t: number }
    const linked = neighbours.get(first.id)
    if (first.t < (dated[1] as { t: number }).t && ids.every((id) => id === first.id || linked?.has(id))) {
      return { reference: first.id, rule: 'earliest' }
    }
  }
  return { reference: centre, rule: 'coverage' }
}

/** Write a plan out as a cluster; `compareTo(member, reference)` for members not linked to the reference. */
export function finishCluster(
  plan: ClusterPlan,
  meta: ReadonlyMap<string, ClusterMeta>,
  neighbours: Neighbours,
  compareTo: (id: string, reference: string) => Comparison,
): Cluster {
  const { reference, rule } = plan
  const members: ClusterMember[] = []
  for (const id of [...plan.ids].sort(byId)) {
    const a = meta.get(id) as ClusterMeta
    const info = {
      id,
      ...(a.article.source ? { source: a.article.source } : {}),
      ...(a.article.publishedAt ? { publishedAt: a.article.publishedAt } : {}),
      ...(a.lang ? { lang: a.lang } : {}),
    }
    if (id === reference) {
      members.unshift({
        ...info,
        relation: 'reference',
        reason: referenceReason(rule),
        confidence: 1,
        jaccard: 1,
        containment: { inReference: 1, referenceIn: 1 },
        derived: { member: 1, reference: 1 },
      })
      continue
    }
    const c = neighbours.get(id)?.get(reference) ?? compareTo(id, reference)
    const self = c.a === id
    members.push({
      ...info,
      relation: c.relation,
      reason: c.reason,
      confidence: c.confidence,
      ...(c.mode ? { mode: c.mode } : {}),
      jaccard: c.jaccard,
      containment: self
        ? { inReference: c.containment.aInB, referenceIn: c.containment.bInA }
        : { inReference: c.containment.bInA, referenceIn: c.containment.aInB },
      derived: self ? { member: c.derived.a, reference: c.derived.b } : { member: c.derived.b, reference: c.derived.a },
    })
  }
  return { kind: 'cluster', id: reference, reference, referenceRule: rule, members }
}

function referenceReason(rule: ReferenceRule): string {
  if (rule === 'marked') return 'marked as the wire source'
  if (rule === 'earliest') return 'published first'
  return 'covers the most of the other members’ text'
}
