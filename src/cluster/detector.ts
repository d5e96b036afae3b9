import { type AnalysisOk, type Article, analyzeResolved, resolveAnalyzeOptions, validateArticle } from '../analyze.js'
import { type Comparison, compare, LINKING_RELATIONS } from '../compare/compare.js'
import { argOptions, checkInteger, checkNumber, WiretraceError } from '../errors.js'
import { anchorPairCounts, LshIndex } from '../lsh/lsh.js'
import {
  buildClusters,
  type ClusterOptions,
  type ClusterResult,
  DEFAULT_CLUSTER_OPTIONS,
  type SkippedArticle,
} from './cluster.js'
import { worthComparing } from './screen.js'

/** Options for {@link Detector}: those of clustering, plus the time window of a feed. */
export interface DetectorOptions extends ClusterOptions {
  /** Forget articles published more than this many days before the newest one. @default undefined (no limit) */
  windowDays?: number
  /** Keep at most this many articles, forgetting the oldest first. @default undefined (no limit) */
  maxArticles?: number
}

/** What {@link Detector.add} found for one article, at once. */
export interface Detection {
  kind: 'detection'
  id: string
  status: 'ok' | 'skipped'
  /** With `skipped`: why. */
  skip?: SkippedArticle
  /** Verified links to articles seen before, strongest first. */
  matches: Comparison[]
  /** Ids that left the window because of this article. */
  expired: string[]
}

const DAY = 86_400_000

/**
 * Streaming deduplication: `add` each article as it arrives and get its matches with what was
 * seen before at once. A time window or a maximum count keeps memory bounded on an endless feed.
 * `clusters()` gives the same clusters a batch run gives on the articles in the window.
 *
 * @example
 * const d = new Detector({ windowDays: 3 })
 * for (const a of feed) {
 *   const { matches } = d.add(a)
 *   if (matches.length === 0) publish(a)
 * }
 */
export class Detector {
  private readonly options: DetectorOptions
  private readonly resolved: ReturnType<typeof resolveAnalyzeOptions>
  private readonly index: LshIndex
  private readonly docs = new Map<string, { analysis: AnalysisOk; time: number; seq: number }>()
  private readonly skippedById = new Map<string, SkippedArticle>()
  private readonly links = new Map<string, Comparison>()
  private newest = Number.NEGATIVE_INFINITY
  private seq = 0
  private candidates = 0
  private screenedOut = 0

  constructor(options: DetectorOptions = {}) {
    argOptions('Detector', 'options', options)
    if (options.windowDays !== undefined) checkNumber('windowDays', options.windowDays, 0, 1e6)
    if (options.maxArticles !== undefined) checkInteger('maxArticles', options.maxArticles, 1, 1e9)
    this.options = options
    this.resolved = resolveAnalyzeOptions(options)
    this.index = new LshIndex(options)
  }

  /** Analyse an article, match it against the window, and remember it. */
  add(raw: Article): Detection {
    const article = validateArticle(raw)
    if (this.docs.has(article.id) || this.skippedById.has(article.id)) {
      if ((this.options.duplicateIds ?? 'error') === 'error') {
        throw new WiretraceError(
          'DUPLICATE_ID',
          `article id "${article.id}" was already added (set duplicateIds: 'replace' to replace it)`,
        )
      }
      this.remove(article.id)
    }
    const analysis = analyzeResolved(article, this.resolved)
    if (analysis.status === 'skipped') {
      const skip = { id: analysis.id, reason: analysis.reason, detail: analysis.detail }
      this.skippedById.set(analysis.id, skip)
      return { kind: 'detection', id: article.id, status: 'skipped', skip, matches: [], expired: [] }
    }
    const parsed = Date.parse(article.publishedAt ?? '')
    const time = Number.isNaN(parsed) ? Math.max(this.newest, 0) : parsed
    const expired = this.expire(time)
    const fp = analysis.fingerprint
    const matches: Comparison[] = []
    const maxBucket = this.options.maxBucket ?? DEFAULT_CLUSTER_OPTIONS.maxBucket
    const byWording = new Set(this.index.query(fp, maxBucket, 'wording'))
    const candidates = new Set(byWording)
    for (const id of this.index.query(fp, maxBucket, 'anchor')) {
      const other = this.docs.get(id)
      if (other && anchorPairCounts(fp, other.analysis.fingerprint)) candidates.add(id)
    }
    for (const id of [...candidates].sort()) {
      const other = this.docs.get(id)
      if (!other) continue
      this.candidates++
      if (!worthComparing(fp, other.analysis.fingerprint)) {
        this.screenedOut++
        continue
      }
      const [x, y] = id < analysis.id ? [other.analysis, analysis] : [analysis, other.analysis]
      const c = compare(x, y, this.options)
      if (!LINKING_RELATIONS.includes(c.relation)) continue
      matches.push(c)
      this.links.set(`${c.a}\u0000${c.b}`, c)
    }
    this.index.insert(fp)
    this.docs.set(analysis.id, { analysis, time, seq: this.seq++ })
    expired.push(...this.expire(time))
    matches.sort((p, q) => strength(q) - strength(p) || (p.a + p.b < q.a + q.b ? -1 : 1))
    return { kind: 'detection', id: article.id, status: 'ok', matches, expired }
  }

  private expire(time: number): string[] {
    this.newest = Math.max(this.newest, time)
    const out: string[] = []
    const { windowDays, maxArticles } = this.options
    if (windowDays !== undefined) {
      const cutoff = this.newest - windowDays * DAY
      for (const [id, d] of this.docs) if (d.time < cutoff) out.push(id)
    }
    if (maxArticles !== undefined && this.docs.size > maxArticles) {
      const oldest = [...this.docs].sort((p, q) => p[1].time - q[1].time || p[1].seq - q[1].seq)
      for (const [id] of oldest.slice(0, this.docs.size - maxArticles)) if (!out.includes(id)) out.push(id)
    }
    for (const id of out) this.remove(id)
    return out.sort()
  }

  /** Forget an article. */
  remove(id: string): boolean {
    this.skippedById.delete(id)
    if (!this.docs.delete(id)) return false
    this.index.remove(id)
    for (const k of [...this.links.keys()]) {
      const [a, b] = k.split('\u0000')
      if (a === id || b === id) this.links.delete(k)
    }
    return true
  }

  has(id: string): boolean {
    return this.docs.has(id)
  }

  /** Articles currently in the window. */
  get size(): number {
    return this.docs.size
  }

  /** Clusters of the articles in the window, identical to a batch run on them. */
  clusters(): ClusterResult {
    const analyses = [...this.docs.values()].map((d) => d.analysis).sort((a, b) => (a.id < b.id ? -1 : 1))
    return buildClusters(
      analyses,
      [...this.links.values()],
      [...this.skippedById.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
      this.options,
      {
        articles: this.docs.size + this.skippedById.size,
        candidatePairs: this.candidates,
        screenedOut: this.screenedOut,
        oversizedBuckets: 0,
      },
    )
  }
}

function strength(c: Comparison): number {
  return Math.max(c.containment.aInB, c.containment.bInA, c.derived.a, c.derived.b)
}
