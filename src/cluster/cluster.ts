import {
  type Analysis,
  type AnalysisOk,
  type AnalyzeOptions,
  type Article,
  resolveAnalyzeOptions,
  type SkipReason,
  validateArticle,
} from '../analyze.js'
import type { CompareOptions, Comparison, Mode, Relation } from '../compare/compare.js'
import { parsePublishedAt } from '../date.js'
import { argArray, argIterable, argNumber, argOptions, checkInteger, WiretraceError } from '../errors.js'
import { type IndexOptions, resolveIndexConfig } from '../lsh/lsh.js'
import { type CopyKeys, CopyVerifier, copyKeys } from './candidates.js'
import {
  candidateStage,
  completeSketch,
  DEFAULT_MIN_CONFIDENCE,
  fingerprintSource,
  type LinkFloors,
  PairVerifier,
  resolveMinConfidence,
  resolveSplitTemplates,
  sketchArticle,
} from './engine.js'

/** Options for {@link clusterArticles}: analysis, index and comparison options in one. */
export interface ClusterOptions extends AnalyzeOptions, IndexOptions, CompareOptions {
  /** Ids of articles that are wire sources: each becomes its cluster's reference. @default [] */
  references?: string[]
  /** What to do with a repeated id: throw `DUPLICATE_ID`, or let the later article replace the earlier. @default 'error' */
  duplicateIds?: 'error' | 'replace'
  /**
   * LSH buckets holding more documents than this are not enumerated pair by pair: each member is
   * matched against a few leaders of the bucket instead (linear, not quadratic; see
   * `stats.oversizedBuckets` and `stats.leftOut`). A bucket of s documents costs s²/2 comparisons
   * enumerated, about s through leaders. @default 64
   */
  maxBucket?: number
  /**
   * A linking comparison joins two articles only when its confidence is at least its relation's
   * floor. Clusters chain, so one weak link can merge two stories. A number floors every linking
   * relation (0: every linking verdict links); an object floors the relations it names
   * (`{ partial: 0.6 }`) and leaves the others at their default (see the README's table of what
   * it costs and gains). @default { duplicate: 0.7, copy: 0.7, partial: 0.7, rewrite: 0.7 } (DEFAULT_MIN_CONFIDENCE)
   */
  minConfidence?: number | LinkFloors
  /**
   * Keep apart two reports cut from one template. A link whose two articles share a frame and swap
   * its figures or names (swaps a tenth of the frame or more) is dropped when a third article they
   * were compared with holds 80 % of that frame and at most half of each one's values: bond
   * notices of three issuers, weekly figures of three weeks. Such links are counted in
   * `stats.templates`. A copy whose outlets edit a figure keeps a long frame and its values, and
   * is not touched. @default true
   */
  splitTemplates?: boolean
}

/** A member of a cluster and what it is to the cluster's reference. */
export interface ClusterMember {
  id: string
  /** The record's title, where it has one. */
  title?: string
  source?: string
  publishedAt?: string
  url?: string
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
  /** Why: an analysis skip, or `bad-line` for an input line the CLI's --skip-bad-lines left out. */
  reason: SkipReason | 'bad-line'
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
    /** LSH buckets over `maxBucket`, whose members were matched against a few leaders instead of pair by pair. */
    oversizedBuckets: number
    /** Articles that are copies of another (same normalised text or same signature), paired with their group's first only. */
    copies: number
    /**
     * Articles in an oversized bucket (never compared with most of it) that ended in no cluster:
     * a copy of theirs may have been missed. The CLI warns about them on stderr.
     */
    leftOut: number
    /** Links dropped as reports cut from one template (see `splitTemplates`). */
    templates: number
  }
}

export const DEFAULT_CLUSTER_OPTIONS = {
  duplicateIds: 'error',
  maxBucket: 64,
  minConfidence: DEFAULT_MIN_CONFIDENCE,
  references: [] as string[],
} as const

/** The `maxBucket` option, checked. */
export function resolveMaxBucket(options: Pick<ClusterOptions, 'maxBucket'>): number {
  return checkInteger('maxBucket', options.maxBucket ?? DEFAULT_CLUSTER_OPTIONS.maxBucket, 1, 1e9)
}

/** Sketch articles (the engine's stage 1), refusing duplicate ids (or replacing, by option). */
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
    byId.set(article.id, sketchArticle(article, o))
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

/** Where {@link clusterAnalyses} is: finding candidate pairs, then verifying them (`done` of `total` pairs). */
export type ClusterProgress = { stage: 'candidates' } | { stage: 'verify'; done: number; total: number }

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
  // Sketches first: most articles pair with none, and only those that do are completed.
  const { analyses, skipped, total } = analyzeAll(articles, options)
  return clusterSketches(analyses, skipped, total, options)
}

/**
 * The clustering step alone, on articles already analysed (by worker threads, say).
 * `analyses` must have distinct ids and be sorted by id. `onProgress` hears each stage.
 */
export function clusterAnalyses(
  analyses: readonly AnalysisOk[],
  skipped: SkippedArticle[],
  total: number,
  options: ClusterOptions = {},
  onProgress?: (progress: ClusterProgress) => void,
): ClusterResult {
  argArray('clusterAnalyses', 'analyses', analyses, 'results of analyze()')
  argArray('clusterAnalyses', 'skipped', skipped, 'skipped articles')
  argNumber('clusterAnalyses', 'total', total)
  argOptions('clusterAnalyses', 'options', options)
  return clusterWith(analyses, skipped, total, options, onProgress)
}

/**
 * {@link clusterAnalyses} on analyses made with `sketchOnly` (analyzeResolved with the same
 * options): the articles of every candidate pair the screen passes are completed in place (completeAnalysis)
 * before they are compared, and the others stay sketches, which is all a singleton's report
 * entry reads. The result is the one clusterAnalyses gives on full analyses.
 */
export function clusterSketches(
  ...[analyses, skipped, total, options = {}, onProgress]: Parameters<typeof clusterAnalyses>
): ClusterResult {
  const o = resolveAnalyzeOptions(options)
  return clusterWith(analyses, skipped, total, options, onProgress, (a) => completeSketch(a, o))
}

/** The engine's memory driver: every sketch in one array (sorted by id), stages 2–4 in one call. */
function clusterWith(
  analyses: readonly AnalysisOk[],
  skipped: SkippedArticle[],
  total: number,
  options: ClusterOptions,
  onProgress: ((progress: ClusterProgress) => void) | undefined,
  complete?: (a: AnalysisOk) => void,
): ClusterResult {
  const maxBucket = resolveMaxBucket(options)
  if (analyses.length === 0) {
    // Nothing to index or link, but options wrong for either are wrong all the same.
    resolveIndexConfig(options, resolveAnalyzeOptions(options))
    resolveMinConfidence(options)
    resolveSplitTemplates(options)
    return emptyResult(total, skipped)
  }
  onProgress?.({ stage: 'candidates' })
  const config = resolveIndexConfig(options, (analyses[0] as AnalysisOk).fingerprint.params)
  const found = candidateStage(
    fingerprintSource(
      analyses.length,
      (i) => (analyses[i] as AnalysisOk).fingerprint,
      (i) => copyKeys(analyses[i] as AnalysisOk),
      config,
      maxBucket,
    ),
  )
  // Only the articles of pairs the screen passes are completed (clusterSketches).
  const verifier = new PairVerifier(options, complete)
  const links = verifier.verifyPairs(
    analyses,
    found.pairs,
    onProgress && ((done, pairs) => onProgress({ stage: 'verify', done, total: pairs })),
  )
  return buildClusters(
    analyses,
    links,
    skipped,
    options,
    {
      articles: total,
      candidatePairs: found.candidatePairs,
      screenedOut: verifier.screenedOut,
      templates: verifier.templates,
      oversizedBuckets: found.oversizedBuckets,
      copies: found.copies,
      flooded: Array.from(found.flooded, (i) => (analyses[i] as AnalysisOk).id),
    },
    verifier,
  )
}

function emptyResult(total: number, skipped: SkippedArticle[]): ClusterResult {
  return clusteringResult([], [], skipped, [], {
    articles: total,
    candidatePairs: 0,
    screenedOut: 0,
    linkedPairs: 0,
    oversizedBuckets: 0,
  })
}

/** What the candidate search counted, for the result's stats. */
export interface SearchCounts {
  articles: number
  candidatePairs: number
  screenedOut: number
  oversizedBuckets: number
  /** Copies paired with their group's first only. @default 0 */
  copies?: number
  /** Ids of members of oversized buckets (those left in no cluster become `stats.leftOut`). @default [] */
  flooded?: readonly string[]
  /** Links dropped as reports cut from one template. @default 0 */
  templates?: number
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
  counts: SearchCounts & { linkedPairs: number },
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
      copies: counts.copies ?? 0,
      leftOut: new Set((counts.flooded ?? []).filter((id) => !assigned.has(id))).size,
      templates: counts.templates ?? 0,
    },
  }
}

/** Ids in code-unit order: the order every list of the result is in. */
export const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** What clustering needs of an article besides its links (an AnalysisOk will do). */
export interface ClusterMeta {
  id: string
  lang?: string
  article: Pick<Article, 'title' | 'source' | 'publishedAt' | 'url' | 'isReference'>
  /** Its copy keys, when it is not an AnalysisOk (which has them): copies cluster as one group. */
  copy?: CopyKeys
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
 * neighbours' text (a marked wire source first) becomes a centre, and articles linked to that
 * centre join it. The only other way in is as a translation of a member that is whole with the
 * centre (see {@link planClusters}); nobody joins through a same-language or partial link to a
 * member, so there is no chaining. The order is fixed by the data, not by the input order.
 */
export function buildClusters(
  analyses: readonly AnalysisOk[],
  links: Comparison[],
  skipped: SkippedArticle[],
  options: ClusterOptions,
  counts: SearchCounts,
  verifier: Comparer = new CopyVerifier(options),
): ClusterResult {
  const byKey = new Map(analyses.map((a) => [a.id, a]))
  const { plans, neighbours } = planClusters(byKey, links, options)
  const clusters = finishClusters(plans, byKey, neighbours, options, verifier)
  return clusteringResult(
    clusters,
    analyses.map((a) => a.id),
    skipped,
    links,
    { ...counts, linkedPairs: links.length },
  )
}

/** What compares a member with its reference: a CopyVerifier, or the engine's PairVerifier. */
export type Comparer = Pick<CopyVerifier, 'compare'>

/** Write plans out as clusters, comparing with the analyses the members not linked to their reference. */
export function finishClusters(
  plans: readonly ClusterPlan[],
  analyses: ReadonlyMap<string, AnalysisOk>,
  neighbours: Neighbours,
  options: CompareOptions,
  verifier: Comparer = new CopyVerifier(options),
): Cluster[] {
  return plans.map((p) =>
    finishCluster(p, analyses, neighbours, (id, ref) =>
      verifier.compare(analyses.get(id) as AnalysisOk, analyses.get(ref) as AnalysisOk),
    ),
  )
}

function copyKeysOf(m: ClusterMeta): CopyKeys | undefined {
  if (m.copy) return m.copy
  const a = m as Partial<AnalysisOk>
  return a.paragraphs && a.fingerprint ? copyKeys(a as AnalysisOk) : undefined
}

/**
 * Copy groups among linked articles: a link between two articles with the same content key or
 * the same signature key joins their groups. Returns each grouped article's representative (the
 * smallest id of its group) and each representative's members, sorted.
 */
function linkedCopyGroups(
  meta: ReadonlyMap<string, ClusterMeta>,
  links: readonly Comparison[],
): { rep: (id: string) => string; members: Map<string, string[]> } {
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    let r = x
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r) as string
    parent.set(x, r)
    return r
  }
  for (const c of links) {
    const ka = meta.get(c.a)
    const kb = meta.get(c.b)
    const x = ka && copyKeysOf(ka)
    const y = kb && copyKeysOf(kb)
    if (!x || !y || (x.content !== y.content && x.signature !== y.signature)) continue
    const ra = find(c.a)
    const rb = find(c.b)
    if (ra === rb) continue
    if (ra < rb) parent.set(rb, ra)
    else parent.set(ra, rb)
  }
  const members = new Map<string, string[]>()
  for (const id of parent.keys()) {
    const r = find(id)
    let m = members.get(r)
    if (!m) members.set(r, (m = []))
    m.push(id)
  }
  for (const m of members.values()) m.sort(byId)
  return { rep: (id) => (parent.has(id) ? find(id) : id), members }
}

/**
 * The star clustering itself, on links and what is known of each linked article. Sorts `links`.
 *
 * Copies (linked articles with the same content or signature key) are planned as one group, as
 * if each carried every link of its group: the candidate search pairs a copy with its group's
 * first only, and the group must land in one cluster whatever centre takes it.
 */
export function planClusters(
  meta: ReadonlyMap<string, ClusterMeta>,
  links: Comparison[],
  options: ClusterOptions,
): { plans: ClusterPlan[]; neighbours: Neighbours } {
  const marked = new Set(options.references ?? [])
  for (const a of meta.values()) if (a.article.isReference) marked.add(a.id)
  links.sort((x, y) => byId(x.a, y.a) || byId(x.b, y.b))
  const neighbours = neighboursOf(links)
  const { rep, members } = linkedCopyGroups(meta, links)
  const size = (r: string) => members.get(r)?.length ?? 1
  const expand = (r: string) => members.get(r) ?? [r]
  // Links between groups, one per pair of groups; a group's cover counts each of its copies
  // covering the other group's copies (what the links between every two members would give).
  const groupLinks: Neighbours = new Map()
  const cover = new Map<string, number>()
  const addCover = (r: string, x: number) => cover.set(r, (cover.get(r) ?? 0) + x)
  for (const c of links) {
    const ra = rep(c.a)
    const rb = rep(c.b)
    if (ra === rb) {
      // Within a group: how much of the other copy this one covers.
      addCover(ra, c.a === ra ? c.derived.b : c.derived.a)
      continue
    }
    let m = groupLinks.get(ra)
    if (m?.has(rb)) continue
    if (!m) groupLinks.set(ra, (m = new Map()))
    m.set(rb, c)
    let back = groupLinks.get(rb)
    if (!back) groupLinks.set(rb, (back = new Map()))
    back.set(ra, c)
    // The derived side of a partial link covers nothing of its original: a roundup that took one
    // paragraph from each of two stories would otherwise cover most and become their centre.
    const part = c.relation === 'partial'
    if (!(part && c.original === c.b)) addCover(ra, c.derived.b * size(rb))
    if (!(part && c.original === c.a)) addCover(rb, c.derived.a * size(ra))
  }
  // A group is marked when any of its ids is: found once, not per comparison of the sort.
  const markedGroups = new Set([...marked].map(rep))
  const isMarked = (r: string) => markedGroups.has(r)
  const order = [...new Set([...neighbours.keys()].map(rep))].sort(
    (x, y) => Number(isMarked(y)) - Number(isMarked(x)) || (cover.get(y) ?? 0) - (cover.get(x) ?? 0) || byId(x, y),
  )
  const linked = (a: string, b: string) => rep(a) === rep(b) || groupLinks.get(rep(a))?.has(rep(b)) === true
  const assigned = new Set<string>()
  const stars: { centre: string; groups: string[] }[] = []
  const starOf = new Map<string, number>()
  const sourcesOf = new Map<string, Set<string>>()
  // The groups a centre took a part of (a partial link with the other group as original). Two or
  // more that are not linked to each other make the centre a roundup: they are its sources, not
  // copies of its story, and none joins it (a digest at 10:55 took a paragraph of four stories,
  // and a later story that took part of the digest gave it the most cover; all five merged). One
  // source, or sources that are copies of one story, join: a fuller story and its first take.
  const roundupSources = (centre: string): Set<string> => {
    const sources = [...(groupLinks.get(centre) ?? [])]
      .filter(([r, c]) => c.relation === 'partial' && c.original !== undefined && rep(c.original) === r)
      .map(([r]) => r)
    // Copies of one story are each linked to the first: one pass, not every pair (a centre may
    // have thousands of sources).
    const first = groupLinks.get(sources[0] as string)
    const apart = sources.some((y, j) => j > 0 && !first?.has(y))
    return new Set(apart ? sources : [])
  }
  for (const centre of order) {
    if (assigned.has(centre)) continue
    const sources = roundupSources(centre)
    const joined = [...(groupLinks.get(centre)?.keys() ?? [])].filter((r) => !assigned.has(r) && !sources.has(r))
    if (joined.length === 0 && size(centre) === 1) continue
    for (const r of [centre, ...joined]) {
      assigned.add(r)
      starOf.set(r, stars.length)
    }
    stars.push({ centre, groups: [centre, ...joined] })
    sourcesOf.set(centre, sources)
  }
  for (const c of moveToSurestCentre(stars, starOf, groupLinks, sourcesOf, (c) => size(c) === 1)) assigned.delete(c)
  // A group left out that is a translation of a member, itself whole with its centre (the Arabic
  // version of a reprint, say), joins that star: both are the centre's story all through. Only
  // translations chain: within one language, two recurring reports cut from one template are
  // each a whole copy of a third; across languages a template would have to be translated.
  const whole = (c: Comparison | undefined) => c !== undefined && c.extent === 'whole'
  for (const r of order) {
    if (assigned.has(r)) continue
    let best: { star: number; c: Comparison } | undefined
    for (const [m, c] of groupLinks.get(r) ?? []) {
      const k = starOf.get(m)
      if (k === undefined || c.relation !== 'translation') continue
      const centre = (stars[k] as { centre: string }).centre
      if (m !== centre && !whole(groupLinks.get(m)?.get(centre))) continue
      if (!best || c.confidence > best.c.confidence) best = { star: k, c }
    }
    if (!best) continue
    assigned.add(r)
    starOf.set(r, best.star)
    stars[best.star]?.groups.push(r)
  }
  const plans: ClusterPlan[] = stars.map(({ centre, groups }) => {
    const ids = groups.flatMap(expand)
    const { reference, rule } = chooseReference(ids, expand(centre), meta, marked, linked)
    return { ids, centre, reference, rule }
  })
  return { plans, neighbours }
}

/**
 * A centre takes every unassigned group linked to it, however weakly; a group may be linked far
 * more surely to a centre taken later: an article's translation was linked at 0.58 to another
 * story of the same event, chosen first, and at 1.0 to its own original. Each joined group moves
 * to the centre it is most confidently linked to (ties stay); a star its members all left is
 * dropped, its centre left for the translations' pass or alone.
 */
function moveToSurestCentre(
  stars: { centre: string; groups: string[] }[],
  starOf: Map<string, number>,
  groupLinks: Neighbours,
  sourcesOf: ReadonlyMap<string, ReadonlySet<string>>,
  single: (centre: string) => boolean,
): string[] {
  const moves: [string, number, number][] = []
  stars.forEach(({ centre, groups }, k) => {
    for (const g of groups) {
      if (g === centre) continue
      const links = groupLinks.get(g)
      const here = links?.get(centre)?.confidence ?? 0
      let best = here
      let to = k
      for (const [m, c] of links ?? []) {
        const j = starOf.get(m)
        if (j === undefined || j === k || stars[j]?.centre !== m || sourcesOf.get(m)?.has(g)) continue
        if (c.confidence > best || (c.confidence === best && best > here && j < to)) [best, to] = [c.confidence, j]
      }
      if (to !== k) moves.push([g, k, to])
    }
  })
  if (moves.length === 0) return []
  for (const [g, from, to] of moves) {
    const star = stars[from] as { groups: string[] }
    star.groups.splice(star.groups.indexOf(g), 1)
    ;(stars[to] as { groups: string[] }).groups.push(g)
    starOf.set(g, to)
  }
  // A star whose members all left, its centre a single article: dropped in place (a spread of
  // every star into push overflows the stack past some 100,000), the rest renumbered.
  const left = new Set(moves.map(([, from]) => from))
  const dropped = stars.filter((s, k) => left.has(k) && s.groups.length === 1 && single(s.centre)).map((s) => s.centre)
  if (dropped.length === 0) return []
  const gone = new Set(dropped)
  let kept = 0
  for (const s of stars) {
    if (gone.has(s.centre)) {
      starOf.delete(s.centre)
      continue
    }
    for (const g of s.groups) starOf.set(g, kept)
    stars[kept++] = s
  }
  stars.length = kept
  return dropped
}

/** Members of a plan that have no link to its reference: `compareTo` must be given these pairs. */
export function missingLinks(plan: ClusterPlan, neighbours: Neighbours): string[] {
  return plan.ids.filter((id) => id !== plan.reference && !neighbours.get(id)?.get(plan.reference))
}

function chooseReference(
  ids: string[],
  centreGroup: string[],
  meta: ReadonlyMap<string, ClusterMeta>,
  marked: Set<string>,
  linked: (a: string, b: string) => boolean,
): { reference: string; rule: ReferenceRule } {
  const markedHere = ids.filter((id) => marked.has(id)).sort(byId)
  if (markedHere.length > 0) return { reference: markedHere[0] as string, rule: 'marked' }
  // Dates decide only when every member has one and one date is strictly the earliest: an undated
  // member could be older than all of them. And the earliest must be linked to every other member:
  // members join through the centre, and one only the centre links to may be unrelated to an early
  // member (the same template sent on another day, say).
  const dated = ids.map((id) => ({ id, t: parsePublishedAt(meta.get(id)?.article.publishedAt ?? '') }))
  if (dated.every((d) => !Number.isNaN(d.t))) {
    dated.sort((x, y) => x.t - y.t)
    const first = dated[0] as { id: string; t: number }
    if (first.t < (dated[1] as { t: number }).t && ids.every((id) => id === first.id || linked(first.id, id))) {
      return { reference: first.id, rule: 'earliest' }
    }
  }
  // The centre stands for its copy group, whose copies cover alike: the earliest-dated copy is the
  // original, as long as every copy is dated; otherwise the group's first by id.
  const copies = centreGroup.map((id) => ({ id, t: parsePublishedAt(meta.get(id)?.article.publishedAt ?? '') }))
  if (copies.every((d) => !Number.isNaN(d.t))) copies.sort((x, y) => x.t - y.t || byId(x.id, y.id))
  return { reference: (copies[0] as { id: string }).id, rule: 'coverage' }
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
      ...(a.article.title ? { title: a.article.title } : {}),
      ...(a.article.source ? { source: a.article.source } : {}),
      ...(a.article.publishedAt ? { publishedAt: a.article.publishedAt } : {}),
      ...(a.article.url ? { url: a.article.url } : {}),
      ...(a.lang ? { lang: a.lang } : {}),
    }
    if (id === reference) {
      members.unshift({
        ...info,
        relation: 'reference',
        reason: referenceReason(rule, reference !== plan.centre),
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

function referenceReason(rule: ReferenceRule, earliestCopy: boolean): string {
  if (rule === 'marked') return 'marked as the wire source'
  if (rule === 'earliest') return 'published first'
  const cover = 'covers the most of the other members’ text'
  return earliestCopy ? `${cover}, and was published before its identical copies` : cover
}
