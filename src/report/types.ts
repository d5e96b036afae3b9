import type { Analysis } from '../analyze.js'
import type { ClusterMember, ReferenceRule, SkippedArticle } from '../cluster/cluster.js'
import type { Comparison } from '../compare/compare.js'
import type { ClusterDiff } from '../diff/types.js'
import type { RemovedText } from '../text/boilerplate.js'

/**
 * Where an article of the report came from, when the run mixed in articles stored by earlier runs
 * (`wiretrace scan --index` / `--store`): `new` (given to this run) or `stored` (from the index).
 */
export type ArticleOrigin = 'new' | 'stored'

/** What is known about an article outside any cluster (a singleton or a skipped article). */
export interface ReportArticle {
  id: string
  /** The record's `title`, else the text's heading paragraph; absent when there is neither. */
  headline?: string
  source?: string
  publishedAt?: string
  url?: string
  lang?: string
  /** Present when {@link BuildReportOptions.stored} was given. */
  origin?: ArticleOrigin
}

/** A skipped article: why it could not be analysed, with what is known about it. */
export interface ReportSkipped extends ReportArticle {
  reason: SkippedArticle['reason']
  detail: string
}

/**
 * A cluster member as the report gives it: the clustering's member (relation, scores, outlet,
 * date, url), with the record's `title` replaced by the `headline` to show, marked new or stored
 * when {@link BuildReportOptions.stored} was given.
 */
export interface ReportMember extends Omit<ClusterMember, 'title'> {
  /** The record's `title`, else the text's heading paragraph; absent when there is neither. */
  headline?: string
  /** Present when {@link BuildReportOptions.stored} was given: new in this run, or stored by an earlier one. */
  origin?: ArticleOrigin
  /**
   * Where each analysed paragraph (the diff's paragraph indices) lies in the original text, as
   * `[start, end]` UTF-16 offsets: what places a link's passages on the diff's paragraphs.
   * Given when the analyses were.
   */
  spans?: [number, number][]
}

/** A cluster with its paragraph diff (`null` when no diff was given for it). */
export interface ReportCluster {
  kind: 'cluster'
  /** The reference's id. */
  id: string
  reference: string
  referenceRule: ReferenceRule
  /** The first headline among the members (the reference's, where it has one). */
  headline?: string
  /** The reference first, then the others by id, each with its relation and scores. */
  members: ReportMember[]
  diff: ClusterDiff | null
}

/** A verified link between two articles: the evidence behind the clusters (a comparison without its alignment). */
export type ReportLink = Omit<Comparison, 'kind' | 'aligned' | 'languages'>

/** Boilerplate the text pipeline removed from one article. */
export interface ReportBoilerplate {
  article: string
  source?: string
  removed: RemovedText[]
}

export interface ReportStats {
  articles: number
  analysed: number
  skipped: number
  candidatePairs: number
  screenedOut: number
  linkedPairs: number
  oversizedBuckets: number
  /** Articles that are copies of another (same normalised text or signature), clustered with it in one step. Absent in older reports. */
  copies?: number
  /**
   * Articles in an LSH bucket too large to compare pair by pair (over `maxBucket`) that ended in
   * no cluster: a copy of theirs may have been missed. Absent in older reports.
   */
  leftOut?: number
  /** Links dropped as reports cut from one template (the clustering option `splitTemplates`). Absent in older reports. */
  templates?: number
  clusters: number
  /** Articles that are in a cluster (references included). */
  clustered: number
  singletons: number
  /** Pieces of boilerplate removed, over all listed articles. */
  boilerplateRemoved: number
}

/**
 * A whole analysis as one JSON-safe, versioned document: what {@link buildReport} returns,
 * what {@link formatText} and {@link renderHtml} render, and what `schema/report.schema.json` describes.
 */
export interface Report {
  format: 'wiretrace/report'
  version: 5
  /** ISO 8601 time of generation; absent unless asked for, so that reports are reproducible. */
  generatedAt?: string
  /** The filter applied by {@link filterReport}, where one was; `released` counts the articles it took out of clusters. */
  filter?: { minSize: number; relations: string[]; released: number }
  /** Largest first, as {@link clusterArticles} orders them. */
  clusters: ReportCluster[]
  /** Articles in no cluster, by id. */
  singletons: ReportArticle[]
  skipped: ReportSkipped[]
  /** Every verified link, by `a` then `b`. */
  links: ReportLink[]
  /** Boilerplate removed, per article, by id; articles with none are left out. */
  boilerplate: ReportBoilerplate[]
  stats: ReportStats
}

/** Options for {@link buildReport}. */
export interface BuildReportOptions {
  /**
   * The analyses of the articles (from `analyze`). They give singletons and skipped articles their
   * outlet, date and language, and the report the boilerplate removed from articles that no diff covers.
   * @default undefined (boilerplate from the diffs only)
   */
  analyses?: Iterable<Analysis>
  /**
   * Ids of the articles that came from an index of earlier runs rather than this run's input. With
   * it, every member, singleton and skipped article gets `origin: 'stored'` or `'new'`.
   * @default undefined (no origin marks)
   */
  stored?: Iterable<string>
  /** Stamp the report with this time (a `Date`, or an ISO string). @default undefined (no timestamp) */
  generatedAt?: Date | string
}

/** Options for {@link filterReport}. */
export interface FilterOptions {
  /** Dissolve clusters of fewer articles than this (the reference counts). @default 2 (keep every cluster) */
  minSize?: number
  /** Keep only members with these relations to the reference (empty: all). @default [] */
  relations?: string[]
}

/** Options for {@link formatText}. */
export interface TextOptions {
  /** Colour with ANSI escapes. Detecting a terminal is the caller's job. @default false */
  color?: boolean
  /** Wrap lines at this many columns (status strips and long words are never broken). @default 100 */
  width?: number
  /**
   * Also each member's reason and scores, its strip of paragraph statuses, the other links and
   * every piece of removed boilerplate (by default, a count). @default false
   */
  details?: boolean
}

/** Options for {@link renderHtml}. */
export interface HtmlOptions {
  /** The page title. @default 'wiretrace report' */
  title?: string
  /** In the side-by-side views, runs of at least this many cut paragraphs fold into one row (0: never). @default 4 */
  foldCutRuns?: number
}
