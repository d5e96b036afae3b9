// clusterCorpus: clustering a corpus too large to keep analysed, on every core. Pass 1 sketches
// batches on worker threads and keeps packed sketches (transferred, not cloned); candidates are
// found and screened on the main thread; pass 2 sends each connected group of pairs back to a
// worker, which re-analyses, compares, clusters and diffs it. See src/cluster/packed.ts.
import { randomUUID } from 'node:crypto'
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { extname } from 'node:path'
import { type Article, validateArticle } from '../analyze.js'
import type { CopyKeys } from '../cluster/candidates.js'
import {
  byId,
  type Cluster,
  type ClusterMember,
  type ClusterMeta,
  type ClusterOptions,
  type ClusterPlan,
  type ClusterResult,
  checkRepeatedId,
  finishCluster,
  missingLinks,
  planClusters,
  resolveMaxBucket,
  type SkippedArticle,
} from '../cluster/cluster.js'
import { resolveMinConfidence, resolveSplitTemplates } from '../cluster/engine.js'
import { assembleResult, pairGroups, type SketchBatch, SketchTable, screenedPairs } from '../cluster/packed.js'
import type { Comparison } from '../compare/compare.js'
import { assembleClusterDiff, type ClusterDiffPart, resolveSharedAdditions } from '../diff/cluster.js'
import type { ClusterDiff, DiffClusterOptions } from '../diff/types.js'
import { argOptions, checkInteger, describeValue, invalid, WiretraceError } from '../errors.js'
import { resolveIndexConfig } from '../lsh/lsh.js'
import type { CompareReply, CorpusJob, FinishReply, JobInput, SketchReply, VerifyReply } from './corpus-job.js'
import { runCorpusJob, warmIndexConfig } from './corpus-job.js'
import { Flight, WorkerPool } from './pool.js'
import { SketchSlabs } from './slabs.js'
import type { ViewBatch } from './views.js'

/**
 * Progress of {@link clusterCorpus}: records sketched (pass 1; `total` only for an array), then
 * the candidate search once done, then documents verified (pass 2).
 */
export type CorpusProgress =
  | { stage: 'sketch'; done: number; total?: number }
  | { stage: 'candidates'; articles: number; candidatePairs: number; screenedPairs: number; seconds: number }
  | { stage: 'verify'; done: number; total: number }

/** Options for {@link clusterCorpus}: the clustering options, plus how to run. */
export interface CorpusOptions extends ClusterOptions {
  /** Worker threads; 1 runs everything on the calling thread. @default os.availableParallelism() */
  workers?: number
  /** Articles per pass-1 message to a worker. @default 512 */
  batchSize?: number
  /** Keep every verified pair in `result.links`; off saves about 1 KB a link on large corpora. @default true */
  keepLinks?: boolean
  /** Called with each cluster's diff, computed on the workers; without it no diff is made. @default undefined */
  onDiff?: (diff: ClusterDiff) => void
  /** Options of those diffs. @default {} */
  diff?: DiffClusterOptions
  /** Called after each batch. @default undefined */
  onProgress?: (progress: CorpusProgress) => void
  /**
   * A connected group of pairs with more articles than this is not verified in one job: its
   * pairs are compared in pieces, its clusters formed on the calling thread and finished on the
   * workers (same result, some articles analysed more than once). @default 4096
   */
  maxGroupDocs?: number
}

/** What a pass-2 job adds to the result. */
interface PartResult {
  clusters: Cluster[]
  links: Comparison[]
  linked: number
  screenedOut: number
  templates: number
}

/** Where pass 2 finds an article again. */
interface Source {
  input(positions: number[]): JobInput
  close(): void
}

/**
 * Cluster a large corpus: an array of articles, or the path of a JSONL file (one
 * `{id, text, source?, publishedAt?, url?, lang?}` per line, read twice: articles are re-read
 * by offset in pass 2, so memory holds a few KB per article, not its text and analysis).
 * The result equals `clusterArticles` on the same articles.
 *
 * @example
 * const result = await clusterCorpus('wire.jsonl', { workers: 2, keepLinks: false })
 * result.clusters.length
 */
export async function clusterCorpus(input: string | readonly Article[], options: CorpusOptions = {}): Promise<ClusterResult> {
  return runCorpus(input, options)
}

/** What the CLI's scan asks of {@link runCorpus} besides the result. */
export interface CorpusHooks {
  /** Pass-1 workers also pack what the report reads of each article (node/views.ts). */
  views?: boolean
  /** Workers started by the caller (it closes them; a failed call leaves them open): used unless the input is one batch or less. */
  pool?: WorkerPool
  /** Each pass-1 batch as it arrives, with its first input position. */
  onSketch?: (batch: SketchBatch, views: ViewBatch | undefined, start: number) => void
  /**
   * Members per finish job of a large group's cluster (tests force small chunks). Default: the
   * cluster's members split over twice the workers, at least {@link FINISH_CHUNK} a job.
   */
  finishChunk?: number
}

/** A cluster of a large group with at most this many members besides its reference is finished in one job. */
export const FINISH_CHUNK = 512

/** {@link clusterCorpus} with hooks. Internal: the CLI's scan. */
export async function runCorpus(
  input: string | readonly Article[],
  options: CorpusOptions = {},
  hooks: CorpusHooks = {},
): Promise<ClusterResult> {
  argOptions('clusterCorpus', 'options', options)
  const workers = checkInteger('workers', options.workers ?? Math.max(1, availableParallelism()), 1, 256)
  const batchSize = checkInteger('batchSize', options.batchSize ?? 512, 1, 1e6)
  const keepLinks = options.keepLinks ?? true
  const maxGroupDocs = checkInteger('maxGroupDocs', options.maxGroupDocs ?? 4096, 2, 1e9)
  // Checked here, not when pass 2 needs it: after pass 1 had sketched the whole input.
  const maxBucket = resolveMaxBucket(options)
  resolveMinConfidence(options)
  resolveSplitTemplates(options)
  if (typeof keepLinks !== 'boolean') throw invalid(`keepLinks must be a boolean, got ${describeValue(keepLinks)}`)
  if (options.onDiff !== undefined && typeof options.onDiff !== 'function') {
    throw invalid(`onDiff must be a function, got ${describeValue(options.onDiff)}`)
  }
  const { workers: _w, batchSize: _b, keepLinks: _k, maxGroupDocs: _m, ...rest } = options
  // Jobs still in flight when the call fails reply later: they must not reach the caller's
  // callbacks after the rejection (the caller's pool outlives this call).
  let ended = false
  const live = <A extends unknown[]>(f: ((...a: A) => void) | undefined) =>
    f &&
    ((...a: A) => {
      if (!ended) f(...a)
    })
  const { onDiff: onDiffGiven, diff, onProgress: onProgressGiven, ...clusterOptions } = rest
  const onDiff = live(onDiffGiven)
  const onProgress = live(onProgressGiven)
  const onSketch = live(hooks.onSketch)
  // A batch or less of articles is not worth starting threads for.
  const small = typeof input !== 'string' && Array.isArray(input) && input.length <= batchSize
  const own = workers > 1 && !small && !hooks.pool ? new WorkerPool(workers) : undefined
  const pool = small ? undefined : (hooks.pool ?? own)
  const run = <R>(job: CorpusJob, transfer: ArrayBuffer[] = [], at?: number): Promise<R> =>
    pool ? pool.run<R>(job, transfer, at) : new Promise<R>((resolve) => resolve(runCorpusJob(job).reply as R))
  // A large group's compare jobs hold their linked analyses on their thread for its finish jobs,
  // which go where most of theirs are held (see corpus-job.ts); the thread whose compare reply
  // last said it holds each document, -1 for none. The token keeps another run's held analyses apart.
  const token = randomUUID()
  let holder: Int16Array | undefined
  const pick = (docs?: Iterable<number>): number => {
    if (!pool) return 0
    if (!docs || !holder) return pool.choose()
    const counts = new Array<number>(pool.size).fill(0)
    for (const d of docs) {
      const w = holder[d] as number
      if (w >= 0) counts[w] = (counts[w] as number) + 1
    }
    return pool.choose((w) => counts[w] as number)
  }
  let source: Source | undefined
  let jobs = 0
  // Once pass 1's first batches are out (the first time this thread waits), not before them.
  const warming = setImmediate(() => warmIndexConfig(clusterOptions))
  try {
    // Pass 1: sketch every batch. Positions count input records in order.
    const batches: SketchBatch[] = []
    const batchStart: number[] = []
    const flight = new Flight(workers * 2)
    // Sketches made on other threads are copied out of their arenas (see SketchSlabs).
    const slabs = pool ? new SketchSlabs() : undefined
    let sketched = 0
    const sketch = (jobInput: JobInput, count: number, start: number): Promise<void> => {
      const at = batches.length
      batches.push(undefined as unknown as SketchBatch)
      batchStart.push(start)
      const transfer = 'bytes' in jobInput ? [jobInput.bytes.buffer as ArrayBuffer] : []
      return flight.start(
        () =>
          run<SketchReply>(
            { type: 'sketch', id: jobs++, input: jobInput, options: clusterOptions, ...(hooks.views ? { views: true } : {}) },
            transfer,
          ),
        (r) => {
          const batch = slabs ? slabs.batch(r.batch) : r.batch
          batches[at] = batch
          // The copy, not the worker's buffers: a hook that keeps the batch keeps no arena memory.
          onSketch?.(batch, r.views, start)
          sketched += count
          onProgress?.({ stage: 'sketch', done: sketched, ...(typeof input === 'string' ? {} : { total: input.length }) })
        },
      )
    }
    if (typeof input === 'string') {
      const file = new JsonlFile(input)
      source = file
      await file.scan(batchSize, sketch)
    } else {
      if (!Array.isArray(input))
        throw invalid(`clusterCorpus: input must be a JSONL path or an array of articles, got ${describeValue(input)}`)
      for (const [i, a] of input.entries()) validateArticle(a, `articles[${i}]`)
      source = { input: (ps) => ({ articles: ps.map((p) => input[p] as Article) }), close() {} }
      for (let s = 0; s < input.length; s += batchSize) {
        const part = input.slice(s, s + batchSize)
        await sketch({ articles: part }, part.length, s)
      }
    }
    await flight.drain()

    // Repeated ids: the last one wins with duplicateIds 'replace'.
    const positionOf = (b: number, row: number) =>
      (batchStart[b] as number) + ((batches[b] as SketchBatch).positions[row] as number)
    const last = new Map<string, number>()
    const skippedAll: (SkippedArticle & { at: number })[] = []
    batches.forEach((b, bi) => {
      for (const [row, id] of b.ids.entries()) seeId(last, id, positionOf(bi, row), options)
      for (const s of b.skipped) {
        const at = (batchStart[bi] as number) + s.position
        seeId(last, s.id, at, options)
        skippedAll.push({ id: s.id, reason: s.reason, detail: s.detail, at })
      }
    })
    const articles = last.size
    const params = batches.find((b) => b.params)?.params
    const config = resolveIndexConfig(clusterOptions, params ?? { numPerm: 128, paragraphPerm: 32 })
    const table = new SketchTable(
      batches,
      config,
      (b, row) => last.get((batches[b] as SketchBatch).ids[row] as string) === positionOf(b, row),
    )
    const skipped: SkippedArticle[] = skippedAll
      .filter((s) => last.get(s.id) === s.at)
      .map(({ id, reason, detail }) => ({ id, reason, detail }))
    last.clear()

    // Candidates and screen on the packed sketches.
    const t0 = performance.now()
    const { pairs, ...counts } =
      table.size > 0
        ? screenedPairs(table, maxBucket)
        : { pairs: new Uint32Array(0), candidatePairs: 0, screenedOut: 0, oversizedBuckets: 0, copies: 0, flooded: [] }

    onProgress?.({
      stage: 'candidates',
      articles: table.size,
      candidatePairs: counts.candidatePairs,
      screenedPairs: pairs.length / 2,
      seconds: (performance.now() - t0) / 1000,
    })

    // Pass 2: one job per group of connected pairs; a group too large for one job is compared
    // piece by piece, clustered here, and its clusters finished (and diffed) on the workers.
    const tasks = pairGroups(table.size, pairs, 256, maxGroupDocs, workers)
    // Pass 2 needs only where each article lies: let the sketches go (about 1 KB an article).
    const inputAt = Float64Array.from({ length: table.size }, (_, d) => {
      const { batch, row } = table.locate(d)
      return positionOf(batch, row)
    })
    // A large group's copy keys: its compare jobs would hash every text again for them (about 0.2 s
    // of a worker's time in the viral case).
    const copyOf = new Map<number, CopyKeys>()
    for (const t of tasks) if (t.split) for (const d of t.docs) copyOf.set(d, table.copyKeys(d))
    table.release()
    batches.length = 0
    const totalDocs = tasks.reduce((n, t) => n + t.docs.length, 0)
    const parts: PartResult[] = []
    const verifying = new Flight(workers * 2)
    const diffOptions = onDiff ? (diff ?? {}) : null
    const from = source as Source
    const inputOf = (docs: Iterable<number>) => from.input(Array.from(docs, (d) => inputAt[d] as number))
    const transferOf = (input: JobInput) => ('bytes' in input ? [input.bytes.buffer as ArrayBuffer] : [])
    const large = { links: [] as Comparison[], meta: new Map<string, ClusterMeta>(), index: new Map<string, number>() }
    let verified = 0
    for (const task of tasks) {
      const input = inputOf(task.docs)
      const done = () => {
        verified += task.docs.length
        onProgress?.({ stage: 'verify', done: verified, total: totalDocs })
      }
      if (task.split) {
        holder ??= new Int16Array(table.size).fill(-1)
        const held = holder
        let at = -1
        await verifying.start(
          () => {
            at = pick()
            return run<CompareReply>(
              { type: 'compare', id: jobs++, input, pairs: task.pairs, options: clusterOptions, keepLinks, hold: token },
              transferOf(input),
              at,
            )
          },
          (r) => {
            for (const i of r.held) held[task.docs[i] as number] = at
            for (const l of r.links) large.links.push(l)
            r.metas.forEach((m, i) => {
              const d = task.docs[i] as number
              large.meta.set(m.id, { ...m, copy: copyOf.get(d) as CopyKeys })
              large.index.set(m.id, d)
            })
            // A piece is not checked for templates (verifyPiece).
            parts.push({ clusters: [], links: [], linked: 0, screenedOut: r.screenedOut, templates: 0 })
            done()
          },
        )
        continue
      }
      await verifying.start(
        () =>
          run<VerifyReply>(
            { type: 'verify', id: jobs++, input, pairs: task.pairs, options: clusterOptions, keepLinks, diff: diffOptions },
            transferOf(input),
          ),
        (r) => {
          parts.push(r)
          if (onDiff) for (const d of r.diffs) onDiff(d)
          r.diffs = []
          done()
        },
      )
    }
    await verifying.drain()
    if (large.meta.size > 0) {
      const { plans, neighbours } = planClusters(large.meta, large.links, clusterOptions)
      // What a finish job needs besides its articles: the links of its members to their reference.
      const linksToReference = (ids: readonly string[], reference: string): Comparison[] =>
        ids.flatMap((id) => neighbours.get(id)?.get(reference) ?? [])
      const clusters: Cluster[] = []
      let batch: ClusterPlan[] = []
      let docs = new Set<number>()
      const finishing = new Flight(workers * 2)
      const flush = async () => {
        if (batch.length === 0) return
        const plansHere = batch
        const sorted = [...docs].sort((x, y) => x - y)
        const input = inputOf(sorted)
        const links = plansHere.flatMap((p) => linksToReference(p.ids, p.reference))
        batch = []
        docs = new Set()
        await finishing.start(
          () =>
            run<FinishReply>(
              {
                type: 'finish',
                id: jobs++,
                input,
                plans: plansHere,
                links,
                options: clusterOptions,
                diff: diffOptions,
                hold: token,
              },
              transferOf(input),
              pick(sorted),
            ),
          (r) => {
            for (const c of r.clusters) clusters.push(c)
            if (onDiff) for (const d of r.diffs) onDiff(d)
          },
        )
      }
      // A flood's cluster is finished in chunks of its members, each with the reference, on
      // every worker, each worker's chunks where most of their members' analyses are held and the
      // workers' shares of equal cost (see finishChunks); the chunks' members and diffed members
      // are joined here in cluster order.
      const finishSplit = async (p: ClusterPlan, members: string[], size: number) => {
        const held = holder
        const chunks = finishChunks(
          members,
          pool ? pool.size : 1,
          size,
          (id) => (held ? (held[large.index.get(id) as number] as number) : -1),
          (id) => !neighbours.get(id)?.get(p.reference),
        )
        const replies: FinishReply[] = []
        let left = chunks.length
        const join = () => {
          const first = (replies[0] as FinishReply).clusters[0] as Cluster
          const others = replies.flatMap((r) => (r.clusters[0] as Cluster).members.slice(1)).sort((x, y) => byId(x.id, y.id))
          const cluster: Cluster = { ...first, members: [first.members[0] as ClusterMember, ...others] }
          clusters.push(cluster)
          if (onDiff) {
            const shared = resolveSharedAdditions(diffOptions as DiffClusterOptions)
            const diffed = replies.map((r) => r.parts[0] as ClusterDiffPart)
            const part: ClusterDiffPart = {
              reference: (diffed[0] as ClusterDiffPart).reference,
              members: diffed.flatMap((d) => d.members).sort((x, y) => byId(x.id, y.id)),
            }
            onDiff(assembleClusterDiff(cluster, [part], shared))
          }
        }
        for (const [c, chunk] of chunks.entries()) {
          const ids = [p.reference, ...chunk.ids]
          const sorted = ids.map((id) => large.index.get(id) as number).sort((x, y) => x - y)
          const input = inputOf(sorted)
          const links = linksToReference(ids, p.reference)
          const plan: ClusterPlan = { ...p, ids }
          await finishing.start(
            () =>
              run<FinishReply>(
                {
                  type: 'finish',
                  id: jobs++,
                  input,
                  plans: [plan],
                  links,
                  options: clusterOptions,
                  diff: diffOptions,
                  parts: true,
                  hold: token,
                },
                transferOf(input),
                chunk.worker,
              ),
            (r) => {
              replies[c] = r
              if (--left === 0) join()
            },
          )
        }
      }
      for (const p of plans) {
        if (!onDiff && missingLinks(p, neighbours).length === 0) {
          // Every member is linked to the reference: nothing to re-read.
          clusters.push(finishCluster(p, large.meta, neighbours, () => undefined as never))
          continue
        }
        // In the order finishCluster writes them: the reference, then the others by id.
        const members = p.ids.filter((id) => id !== p.reference).sort(byId)
        const size = hooks.finishChunk ?? Math.max(FINISH_CHUNK, Math.ceil(members.length / (2 * workers)))
        if (members.length > size) {
          await finishSplit(p, members, size)
          continue
        }
        batch.push(p)
        for (const id of p.ids) docs.add(large.index.get(id) as number)
        if (docs.size >= 256) await flush()
      }
      await flush()
      await finishing.drain()
      parts.push({ clusters, links: keepLinks ? large.links : [], linked: large.links.length, screenedOut: 0, templates: 0 })
    }
    return assembleResult(table, parts, skipped, { articles, ...counts })
  } finally {
    clearImmediate(warming)
    ended = true
    source?.close()
    if (holder) release(pool, () => jobs++)
    await own?.close()
  }
}

/** What finishing a member costs, in units of one member's diff (profiles of the viral case). */
const FINISH_COST = {
  /** Diffing it with the reference. */
  member: 1,
  /** Comparing it with the reference, where no link says how they relate (about 0.5 ms to 0.27). */
  unlinked: 2,
  /** Analysing it again, on a thread that does not hold its analysis (about 0.26 ms). */
  notHeld: 1,
} as const

/** A finish chunk: members of a large cluster (in id order) and the worker it is meant for. */
export interface FinishChunk {
  ids: string[]
  worker: number
}

/**
 * A large cluster's members (in id order) cut into finish chunks, each meant for one of `workers`
 * threads: each thread takes the members whose analyses it holds (`holderOf`: a worker, or -1),
 * up to an equal share of the cost (`unlinked`: a member not linked to the reference is compared
 * with it as well as diffed); the rest, and the members no thread holds, go to the thread with
 * the least so far (and are analysed there again). Each thread's members are cut into chunks of
 * at most `size` of about equal cost, in id order, and the chunks are listed thread by thread in
 * turn. Without the costs, the thread holding the members with more comparisons (a flood's
 * copies, linked to their copy group's first) finished last while the other waited.
 */
export function finishChunks(
  members: readonly string[],
  workers: number,
  size: number,
  holderOf: (id: string) => number,
  unlinked: (id: string) => boolean,
): FinishChunk[] {
  const cost = (id: string) => FINISH_COST.member + (unlinked(id) ? FINISH_COST.unlinked : 0)
  const on = (id: string, w: number) => cost(id) + (holderOf(id) === w ? 0 : FINISH_COST.notHeld)
  const lists: string[][] = Array.from({ length: workers }, () => [])
  const load = new Array<number>(workers).fill(0)
  const lightest = () => load.indexOf(Math.min(...load))
  const give = (id: string, w: number) => {
    ;(lists[w] as string[]).push(id)
    load[w] = (load[w] as number) + on(id, w)
  }
  const nowhere: string[] = []
  for (const id of members) {
    const w = holderOf(id)
    if (w >= 0 && w < workers) give(id, w)
    else nowhere.push(id)
  }
  for (const id of nowhere) give(id, lightest())
  // Then the last members of the busiest worker go to the least busy, while that lowers the most.
  for (;;) {
    const most = load.indexOf(Math.max(...load))
    const least = lightest()
    const id = (lists[most] as string[]).at(-1)
    if (id === undefined || most === least) break
    const after = Math.max((load[most] as number) - on(id, most), (load[least] as number) + on(id, least))
    if (after >= (load[most] as number)) break
    ;(lists[most] as string[]).pop()
    load[most] = (load[most] as number) - on(id, most)
    give(id, least)
  }
  // Each worker's members in near-equal chunks (a worker runs its chunks in turn: their sizes only
  // bound a job's input and reply).
  const cut = lists.map((ids) => {
    ids.sort(byId)
    const n = Math.ceil(ids.length / size)
    return Array.from({ length: n }, (_, k) =>
      ids.slice(Math.floor((k * ids.length) / n), Math.floor(((k + 1) * ids.length) / n)),
    )
  })
  const out: FinishChunk[] = []
  for (let k = 0; cut.some((c) => k < c.length); k++) {
    for (const [w, c] of cut.entries()) if (k < c.length) out.push({ ids: c[k] as string[], worker: w })
  }
  return out
}

/** Drop what a run's compare jobs held, on every thread (best effort: a dead pool holds nothing). */
function release(pool: WorkerPool | undefined, id: () => number): void {
  if (!pool) {
    runCorpusJob({ type: 'release', id: id() })
    return
  }
  for (let w = 0; w < pool.size; w++) pool.run({ type: 'release', id: id() }, [], w).catch(() => {})
}

function seeId(last: Map<string, number>, id: string, at: number, options: ClusterOptions): void {
  if (last.has(id)) checkRepeatedId(id, options)
  last.set(id, at)
}

const CHUNK = 8 << 20

/** A JSONL file read in chunks for pass 1, remembering where each record lies for pass 2. */
class JsonlFile implements Source {
  private fd: number
  private offsets = new Float64Array(1024)
  private lengths = new Uint32Array(1024)
  private lineNos = new Uint32Array(1024)
  private positions = 0

  constructor(private readonly path: string) {
    const ext = extname(path).toLowerCase()
    if (ext !== '.jsonl' && ext !== '.ndjson') {
      throw new WiretraceError(
        'INPUT_ERROR',
        `clusterCorpus reads an uncompressed JSONL file (it re-reads records by offset), got ${path}`,
      )
    }
    try {
      if (!statSync(path).isFile()) throw new Error('not a file')
      this.fd = openSync(path, 'r')
    } catch (cause) {
      throw new WiretraceError('INPUT_ERROR', `cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, {
        cause,
      })
    }
  }

  /** Read the whole file, calling `emit` for every `batchSize` non-blank lines. */
  async scan(batchSize: number, emit: (input: JobInput, count: number, start: number) => Promise<void>): Promise<void> {
    let carry = Buffer.alloc(0)
    let carryAt = 0 // file offset of carry[0]
    let lineNo = 0
    let batch: { start: number; end: number; line: number }[] = []
    let batchBase = 0
    const flush = async () => {
      if (batch.length === 0) return
      const lo = (batch[0] as { start: number }).start
      const hi = (batch[batch.length - 1] as { end: number }).end
      const bytes = new Uint8Array(hi - lo)
      this.readAt(bytes, lo)
      const input: JobInput = {
        bytes,
        starts: Uint32Array.from(batch, (l) => l.start - lo),
        ends: Uint32Array.from(batch, (l) => l.end - lo),
        lines: Uint32Array.from(batch, (l) => l.line),
        offsets: Float64Array.from(batch, (l) => l.start),
        name: this.path,
      }
      const count = batch.length
      batch = []
      await emit(input, count, batchBase)
      batchBase += count
    }
    let pos = 0
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK)
      const n = readSync(this.fd, buf, 0, CHUNK, pos)
      const data = n === 0 ? carry : Buffer.concat([carry, buf.subarray(0, n)])
      const base = carryAt
      let from = 0
      for (;;) {
        let nl = data.indexOf(10, from)
        if (nl < 0) {
          if (n > 0) break
          if (from >= data.length) break
          nl = data.length // last line without a newline
        }
        lineNo++
        let start = base + from
        if (start === 0 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) start = 3
        const end = base + nl
        if (!isBlank(data, start - base, nl)) {
          this.remember(start, end - start, lineNo)
          batch.push({ start, end, line: lineNo })
          if (batch.length >= batchSize) await flush()
        }
        from = nl + 1
      }
      if (n === 0) break
      carry = data.subarray(from)
      carryAt = base + from
      pos += n
    }
    await flush()
  }

  private remember(offset: number, length: number, line: number): void {
    if (this.positions === this.offsets.length) {
      const o = new Float64Array(this.positions * 2)
      o.set(this.offsets)
      this.offsets = o
      const l = new Uint32Array(this.positions * 2)
      l.set(this.lengths)
      this.lengths = l
      const n = new Uint32Array(this.positions * 2)
      n.set(this.lineNos)
      this.lineNos = n
    }
    this.offsets[this.positions] = offset
    this.lengths[this.positions] = length
    this.lineNos[this.positions] = line
    this.positions++
  }

  private readAt(into: Uint8Array, offset: number): void {
    let done = 0
    while (done < into.length) {
      const n = readSync(this.fd, into, done, into.length - done, offset + done)
      if (n === 0) throw new WiretraceError('INPUT_ERROR', `${this.path} changed while it was read (shorter than before)`)
      done += n
    }
  }

  input(positions: number[]): JobInput {
    let total = 0
    for (const p of positions) total += this.lengths[p] as number
    const bytes = new Uint8Array(total)
    const starts = new Uint32Array(positions.length)
    const ends = new Uint32Array(positions.length)
    const lines = new Uint32Array(positions.length)
    const offsets = new Float64Array(positions.length)
    let at = 0
    positions.forEach((p, i) => {
      const len = this.lengths[p] as number
      this.readAt(bytes.subarray(at, at + len), this.offsets[p] as number)
      starts[i] = at
      at += len
      ends[i] = at
      lines[i] = this.lineNos[p] as number
      offsets[i] = this.offsets[p] as number
    })
    return { bytes, starts, ends, lines, offsets, name: this.path }
  }

  close(): void {
    closeSync(this.fd)
  }
}

function isBlank(data: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = data[i]
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false
  }
  return true
}
