// The jobs of clusterCorpus, run on a worker thread (or inline with one worker): `sketch`
// analyses a batch and packs what pass 1 keeps (and, for the CLI's scan, what its report reads);
// `verify` re-analyses one task's articles, compares its pairs, clusters it and, when asked,
// diffs its clusters; `compare` and `finish` do a large group's pieces: its pairs, then its
// clusters (a flood's one cluster in chunks of members). The analyses a `compare` job made are
// held on its thread for the `finish` jobs of the same run (see {@link Held}); `release` drops them.
import { type Analysis, type AnalysisOk, type Article, analyzeResolved, resolveAnalyzeOptions } from '../analyze.js'
import {
  type Cluster,
  type ClusterMeta,
  type ClusterOptions,
  type ClusterPlan,
  finishClusters,
  neighboursOf,
} from '../cluster/cluster.js'
import { sketchArticle } from '../cluster/engine.js'
import { packSketches, type SketchBatch, sketchBuffers, verifyGroup, verifyPiece } from '../cluster/packed.js'
import type { Comparison } from '../compare/compare.js'
import { resolveDiffOptions } from '../diff/article.js'
import { type ClusterDiffPart, diffCluster, diffMembers } from '../diff/cluster.js'
import type { ClusterDiff, DiffClusterOptions } from '../diff/types.js'
import { WiretraceError } from '../errors.js'
import { resolveIndexConfig } from '../lsh/lsh.js'
import { decodeText, recordToArticle } from './io.js'
import { packViews, type ViewBatch, viewBuffers } from './views.js'

/** Articles as objects, or raw JSONL lines (bytes with each line's range, line number and file offset). */
export type JobInput =
  | { articles: Article[] }
  | { bytes: Uint8Array; starts: Uint32Array; ends: Uint32Array; lines: Uint32Array; offsets: Float64Array; name: string }

export type CorpusJob =
  | { type: 'sketch'; id: number; input: JobInput; options: ClusterOptions; views?: boolean }
  | {
      type: 'compare'
      id: number
      input: JobInput
      pairs: Uint32Array
      options: ClusterOptions
      keepLinks: boolean
      /** The run's token: hold the analyses made for the run's finish jobs. */
      hold?: string
    }
  | {
      type: 'finish'
      id: number
      input: JobInput
      plans: ClusterPlan[]
      links: Comparison[]
      options: ClusterOptions
      diff: DiffClusterOptions | null
      /**
       * The plans are slices of one flood's plan (its reference and a chunk of its members):
       * reply with the first step of each cluster's diff, for the caller to assemble.
       */
      parts?: boolean
      /** The run's token: take the analyses its compare jobs held on this thread instead of analysing again. */
      hold?: string
    }
  | { type: 'release'; id: number }
  | {
      type: 'verify'
      id: number
      input: JobInput
      pairs: Uint32Array
      options: ClusterOptions
      keepLinks: boolean
      diff: DiffClusterOptions | null
    }

export interface SketchReply {
  id: number
  batch: SketchBatch
  /** What a report reads of each analysed article, when the job asked for `views`. */
  views?: ViewBatch
}

/**
 * A piece of a large group: its links, and what clustering needs of its articles but their copy
 * keys (the calling thread has them from pass 1).
 */
export interface CompareReply {
  id: number
  links: Comparison[]
  metas: ClusterMeta[]
  screenedOut: number
  /** Indices into the job's articles of the analyses now held on its thread (with `hold`). */
  held: Uint32Array
}

export interface FinishReply {
  id: number
  clusters: Cluster[]
  diffs: ClusterDiff[]
  /** With `parts`: each cluster's diffed members instead of its diff. */
  parts: ClusterDiffPart[]
}

export interface VerifyReply {
  id: number
  clusters: Cluster[]
  links: Comparison[]
  linked: number
  screenedOut: number
  templates: number
  diffs: ClusterDiff[]
}

function articlesOf(input: JobInput): Article[] {
  if ('articles' in input) return input.articles
  const out: Article[] = []
  for (let i = 0; i < input.starts.length; i++) {
    const where = `${input.name}:${input.lines[i]}`
    // Strict: a byte that is not UTF-8 is an error naming line and file offset, never a silent U+FFFD.
    const bytes = input.bytes.subarray(input.starts[i], input.ends[i])
    const line = decodeText(bytes, input.name, 'utf-8', input.offsets[i] as number, input.lines[i] as number)
    let record: unknown
    try {
      record = JSON.parse(line)
    } catch (cause) {
      throw new WiretraceError('INPUT_ERROR', `${where}: invalid JSON (${(cause as Error).message})`, { cause })
    }
    out.push(recordToArticle(record, where))
  }
  return out
}

/**
 * Analyses of one run held on this thread between its jobs. A large group is compared in pieces,
 * clustered on the calling thread, then finished (members compared with their reference where
 * no link says it, and diffed) in chunks: without this, each member of a flood is analysed in
 * full twice in pass 2, once per step. Analysis is deterministic, so a held analysis of the same
 * article is the one a finish job would make. Only the analyses a link of the piece names are
 * held, since a cluster's members have links and the hold lasts the rest of pass 2 (held whole, a
 * generated 200,000-story run's one large group left 9,923 of 13,742 analyses untaken), each as a
 * shallow copy, so that the views compare cached on the object it compared (see PairVerifier) die
 * with the job. At most {@link HOLD_CHARS} characters of text are held (past that, finish jobs
 * analyse again); a finish job takes what it uses.
 */
interface Held {
  run: string
  analyses: Map<string, AnalysisOk>
  chars: number
}

/**
 * Text held per thread: 2^24 characters, all of a 10,000-reprint flood's on two threads (about 15 M
 * each). A short analysis takes far more than its text: on the generated corpus (about 900
 * characters a story) 9.9 KB fresh, 21 KB once compare has cached its views on it, 12 KB for the
 * copy held here, so the cap alone would let some 200 MB a thread be held for all of pass 2.
 */
const HOLD_CHARS = 1 << 24

let held: Held | undefined

/** How many analyses this thread holds (tests). */
export function heldCount(): number {
  return held?.analyses.size ?? 0
}

/** The held analysis of `article` for the run `run`, if its article is the same record. */
function heldAnalysis(run: string, article: Article): AnalysisOk | undefined {
  if (held?.run !== run) return undefined
  const a = held.analyses.get(article.id)
  return a && sameArticle(a.article, article) ? a : undefined
}

function sameArticle(x: Article, y: Article): boolean {
  const keys = Object.keys(x) as (keyof Article)[]
  return keys.length === Object.keys(y).length && keys.every((k) => x[k] === y[k])
}

/**
 * Hold the analyses of a compare job that its links name, and give back a fresh copy of any held
 * one the job compared. Returns the indices (into `analyses`) of those held on this thread.
 */
function hold(run: string, analyses: readonly AnalysisOk[], links: readonly Comparison[]): Uint32Array {
  if (held?.run !== run) held = { run, analyses: new Map(), chars: 0 }
  const h = held
  const linked = new Set<string>()
  for (const l of links) {
    linked.add(l.a)
    linked.add(l.b)
  }
  const out: number[] = []
  let full = false
  for (const [i, a] of analyses.entries()) {
    const was = h.analyses.get(a.id)
    if (was === a) {
      // Taken from the hold and compared again: hold a copy its cached views do not hang on.
      h.analyses.set(a.id, { ...a })
      out.push(i)
      continue
    }
    if (was || full || !linked.has(a.id)) continue
    if (h.chars + a.article.text.length > HOLD_CHARS) {
      full = true
      continue
    }
    h.analyses.set(a.id, { ...a })
    h.chars += a.article.text.length
    out.push(i)
  }
  return Uint32Array.from(out)
}

function unhold(run: string, analyses: readonly AnalysisOk[]): void {
  if (held?.run !== run) return
  for (const a of analyses) {
    if (held.analyses.get(a.id) !== a) continue
    held.analyses.delete(a.id)
    held.chars -= a.article.text.length
  }
}

export function runCorpusJob(job: CorpusJob): {
  reply: SketchReply | VerifyReply | CompareReply | FinishReply | { id: number }
  transfer: ArrayBuffer[]
} {
  if (job.type === 'release') {
    held = undefined
    return { reply: { id: job.id }, transfer: [] }
  }
  const resolved = resolveAnalyzeOptions(job.options)
  const articles = articlesOf(job.input)
  if (job.type === 'sketch') {
    // A new run: whatever an earlier one held (one that failed before its release) goes.
    held = undefined
    const results: Analysis[] = articles.map((a) => sketchArticle(a, resolved))
    const config = resolveIndexConfig(job.options, resolved)
    const batch = packSketches(results, config)
    if (!job.views) return { reply: { id: job.id, batch }, transfer: sketchBuffers(batch) }
    const views = packViews(results)
    return { reply: { id: job.id, batch, views }, transfer: [...sketchBuffers(batch), ...viewBuffers(views)] }
  }
  const run = job.type === 'verify' ? undefined : job.hold
  const analyses = articles.map((a) => {
    const kept = run === undefined ? undefined : heldAnalysis(run, a)
    if (kept) return kept
    const r = analyzeResolved(a, resolved)
    // Analysis is deterministic: pass 1 found this article usable, so it still is.
    if (r.status !== 'ok') throw new WiretraceError('INPUT_ERROR', `article "${a.id}" changed between the two passes`)
    return r
  })
  if (job.type === 'compare') {
    const { links, screenedOut } = verifyPiece(analyses, job.pairs, job.options)
    const kept = run === undefined ? new Uint32Array(0) : hold(run, analyses, links)
    return {
      reply: {
        id: job.id,
        // The evidence per paragraph is only wanted in result.links.
        links: job.keepLinks ? links : links.map((l) => ({ ...l, aligned: [] })),
        metas: analyses.map((a) => ({
          id: a.id,
          ...(a.lang ? { lang: a.lang } : {}),
          article: articleMeta(a),
        })),
        screenedOut,
        held: kept,
      },
      transfer: [kept.buffer as ArrayBuffer],
    }
  }
  const byId = new Map<string, AnalysisOk>(analyses.map((a) => [a.id, a]))
  if (job.type === 'finish') {
    // Each member is in one finish job: what this one uses is not needed again.
    if (run !== undefined) unhold(run, analyses)
    const clusters = finishClusters(job.plans, byId, neighboursOf(job.links), job.options)
    if (!job.parts) {
      return {
        reply: { id: job.id, clusters, diffs: job.diff ? diffAll(clusters, byId, job.diff) : [], parts: [] },
        transfer: [],
      }
    }
    const o = job.diff ? resolveDiffOptions(job.diff, 'diffCluster') : undefined
    const parts = o ? clusters.map((c) => diffMembers(c, byId, o)) : []
    return { reply: { id: job.id, clusters, diffs: [], parts }, transfer: [] }
  }
  const { clusters, links, screenedOut, templates } = verifyGroup(analyses, job.pairs, job.options)
  const diffs = job.diff ? diffAll(clusters, byId, job.diff) : []
  return {
    reply: { id: job.id, clusters, links: job.keepLinks ? links : [], linked: links.length, screenedOut, templates, diffs },
    transfer: [],
  }
}

/**
 * Work out the LSH parameters of `options` on this thread now: the search over bands and rows
 * takes about 0.1 s, once per thread and options (optimalParams remembers it). clusterCorpus does
 * it while pass 1 runs on the workers; otherwise the candidate search after pass 1 waits for it
 * with every worker idle. Bad options are left for the call that uses them to report.
 */
export function warmIndexConfig(options: ClusterOptions): void {
  try {
    resolveIndexConfig(options, resolveAnalyzeOptions(options))
  } catch {
    // The caller's own resolveIndexConfig throws the error where it belongs.
  }
}

function diffAll(clusters: Cluster[], byId: Map<string, AnalysisOk>, options: DiffClusterOptions): ClusterDiff[] {
  return clusters.map((c) => diffCluster(c, byId, options))
}

function articleMeta(a: AnalysisOk): ClusterMeta['article'] {
  const { title, source, publishedAt, url, isReference } = a.article
  return {
    ...(title !== undefined ? { title } : {}),
    ...(source !== undefined ? { source } : {}),
    ...(publishedAt !== undefined ? { publishedAt } : {}),
    ...(url !== undefined ? { url } : {}),
    ...(isReference !== undefined ? { isReference } : {}),
  }
}
