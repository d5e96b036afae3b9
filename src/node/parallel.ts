import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import {
  type Analysis,
  type AnalyzeOptions,
  type Article,
  analyzeResolved,
  resolveAnalyzeOptions,
  validateArticle,
} from '../analyze.js'
import { type ClusterOptions, type ClusterResult, clusterAnalyses, partitionAnalyses } from '../cluster/cluster.js'
import { checkInteger, WiretraceError } from '../errors.js'

/** Options for parallel analysis. */
export interface ParallelOptions {
  /** Worker threads; 1 analyses on the calling thread. @default os.availableParallelism() */
  workers?: number
  /** Articles per message to a worker. @default 256 */
  batchSize?: number
  /** Called after each batch with the number of articles analysed so far. @default undefined */
  onProgress?: (done: number, total: number) => void
}

function startWorker(): Worker {
  // From the built package the worker sits beside this file as worker.js; from the TypeScript
  // sources (tests, tsx) it is worker.ts and needs tsx's loader registered inside the thread.
  const here = import.meta.url
  if (here.endsWith('.ts')) {
    const src = JSON.stringify(new URL('./worker.ts', here).href)
    return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${src}) })`, { eval: true })
  }
  return new Worker(new URL(here.endsWith('.cjs') ? './worker.cjs' : './worker.js', here))
}

/**
 * Analyse articles on worker threads. Results come back in input order; the result is the same
 * as calling `analyze` on each (the hash functions are deterministic).
 */
export async function analyzeParallel(
  articles: readonly Article[],
  options: AnalyzeOptions & ParallelOptions = {},
): Promise<Analysis[]> {
  const workers = options.workers ?? Math.max(1, availableParallelism())
  checkInteger('workers', workers, 1, 256)
  const batchSize = checkInteger('batchSize', options.batchSize ?? 256, 1, 1e6)
  const { workers: _w, batchSize: _b, onProgress, ...analyzeOptions } = options
  const resolved = resolveAnalyzeOptions(analyzeOptions)
  for (const [i, a] of articles.entries()) validateArticle(a, `articles[${i}]`)
  if (workers === 1 || articles.length <= batchSize) {
    const out = articles.map((a) => analyzeResolved(a, resolved))
    onProgress?.(articles.length, articles.length)
    return out
  }
  const results: Analysis[] = new Array(articles.length)
  const pool = Array.from({ length: Math.min(workers, Math.ceil(articles.length / batchSize)) }, startWorker)
  let next = 0
  let done = 0
  try {
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= articles.length) return resolve()
              const start = next
              next += batchSize
              w.postMessage({ id: start, articles: articles.slice(start, start + batchSize), options: analyzeOptions })
            }
            w.on('message', (msg: { id: number; results: Analysis[] }) => {
              for (let i = 0; i < msg.results.length; i++) results[msg.id + i] = msg.results[i] as Analysis
              done += msg.results.length
              onProgress?.(done, articles.length)
              send()
            })
            w.on('error', (e) =>
              reject(new WiretraceError('INVALID_ARGUMENT', `analysis worker failed: ${e.message}`, { cause: e })),
            )
            send()
          }),
      ),
    )
  } finally {
    await Promise.all(pool.map((w) => w.terminate()))
  }
  return results
}

/** {@link clusterArticles} with the analysis spread over worker threads. */
export async function clusterArticlesParallel(
  articles: readonly Article[],
  options: ClusterOptions & ParallelOptions = {},
): Promise<ClusterResult> {
  const seen = new Map<string, number>()
  const unique: Article[] = []
  for (const [i, a] of articles.entries()) {
    validateArticle(a, `articles[${i}]`)
    const at = seen.get(a.id)
    if (at !== undefined) {
      if ((options.duplicateIds ?? 'error') === 'error') {
        throw new WiretraceError(
          'DUPLICATE_ID',
          `article id "${a.id}" occurs more than once (set duplicateIds: 'replace' to keep the last)`,
        )
      }
      unique[at] = a
    } else {
      seen.set(a.id, unique.length)
      unique.push(a)
    }
  }
  const { analyses, skipped } = partitionAnalyses(await analyzeParallel(unique, options))
  return clusterAnalyses(analyses, skipped, unique.length, options)
}
