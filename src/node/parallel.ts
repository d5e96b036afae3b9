import { availableParallelism } from 'node:os'
import {
  type Analysis,
  type AnalyzeOptions,
  type Article,
  analyzeResolved,
  resolveAnalyzeOptions,
  validateArticle,
} from '../analyze.js'
import type { ClusterOptions, ClusterResult } from '../cluster/cluster.js'
import { argArray, argOptions, checkInteger } from '../errors.js'
import { type CorpusProgress, clusterCorpus } from './corpus.js'
import { Flight, WorkerPool } from './pool.js'

/** Options for parallel analysis. */
export interface ParallelOptions {
  /** Worker threads; 1 analyses on the calling thread. @default os.availableParallelism() */
  workers?: number
  /** Articles per message to a worker. @default 256 */
  batchSize?: number
  /** Called after each batch with the number of articles analysed so far. @default undefined */
  onProgress?: (done: number, total: number) => void
}

/**
 * Analyse articles on worker threads. Results come back in input order; the result is the same
 * as calling `analyze` on each (the hash functions are deterministic).
 */
export async function analyzeParallel(
  articles: readonly Article[],
  options: AnalyzeOptions & ParallelOptions = {},
): Promise<Analysis[]> {
  argArray('analyzeParallel', 'articles', articles, 'articles')
  argOptions('analyzeParallel', 'options', options)
  return analyzeInPool(articles, options, false)
}

/**
 * analyzeParallel making sketches (analyzeResolved's `sketchOnly`): for `clusterSketches`, which
 * completes only the articles that meet a candidate. Internal: the CLI's scan.
 */
export async function sketchParallel(
  articles: readonly Article[],
  options: AnalyzeOptions & ParallelOptions = {},
): Promise<Analysis[]> {
  return analyzeInPool(articles, options, true)
}

async function analyzeInPool(
  articles: readonly Article[],
  options: AnalyzeOptions & ParallelOptions,
  sketchOnly: boolean,
): Promise<Analysis[]> {
  const workers = options.workers ?? Math.max(1, availableParallelism())
  checkInteger('workers', workers, 1, 256)
  const batchSize = checkInteger('batchSize', options.batchSize ?? 256, 1, 1e6)
  const { workers: _w, batchSize: _b, onProgress, ...analyzeOptions } = options
  const resolved = resolveAnalyzeOptions(analyzeOptions)
  for (const [i, a] of articles.entries()) validateArticle(a, `articles[${i}]`)
  if (workers === 1 || articles.length <= batchSize) {
    const out = articles.map((a) => analyzeResolved(a, resolved, sketchOnly))
    onProgress?.(articles.length, articles.length)
    return out
  }
  const results: Analysis[] = new Array(articles.length)
  const pool = new WorkerPool(Math.min(workers, Math.ceil(articles.length / batchSize)))
  const flight = new Flight(pool.size * 2)
  let done = 0
  try {
    for (let start = 0; start < articles.length; start += batchSize) {
      const batch = articles.slice(start, start + batchSize)
      await flight.start(
        () => pool.run<{ results: Analysis[] }>({ id: start, articles: batch, options: analyzeOptions, sketchOnly }),
        (msg) => {
          for (let i = 0; i < msg.results.length; i++) results[start + i] = msg.results[i] as Analysis
          done += msg.results.length
          onProgress?.(done, articles.length)
        },
      )
    }
    await flight.drain()
  } finally {
    await pool.close()
  }
  return results
}

/**
 * {@link clusterArticles} on worker threads: {@link clusterCorpus} on an array, which sends
 * compact sketches back from the workers instead of whole analyses and verifies pairs on the
 * workers too. The result is the same as clusterArticles'.
 */
export async function clusterArticlesParallel(
  articles: readonly Article[],
  options: ClusterOptions & ParallelOptions = {},
): Promise<ClusterResult> {
  argArray('clusterArticlesParallel', 'articles', articles, 'articles')
  argOptions('clusterArticlesParallel', 'options', options)
  const { onProgress, ...rest } = options
  return clusterCorpus(articles, {
    ...rest,
    ...(onProgress ? { onProgress: (p: CorpusProgress) => p.stage === 'sketch' && onProgress(p.done, articles.length) } : {}),
  })
}
