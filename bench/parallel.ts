/**
 * `npm run bench -- parallel`: the same input with 1 worker (the calling thread) and with
 * --workers threads (default 2), alternated 1, W, 1, W, … ; medians and speedup. Two entry points:
 * `analyzeParallel` (every analysis comes back to the calling thread) and `clusterCorpus` (the
 * whole clustering: sketches come back as transferred buffers, pairs are verified on the workers).
 */
import type { Article } from '../src/analyze.js'
import { clusterCorpus } from '../src/node/corpus.js'
import { analyzeParallel } from '../src/node/parallel.js'
import {
  type BenchFlags,
  fmt,
  loadCorpus,
  type Measured,
  measureAsync,
  median,
  ratio,
  section,
  table,
  textBytes,
} from './common.js'

/** What one call returns, reduced to something two runs can be compared on. */
type Run = (articles: readonly Article[], workers: number, batchSize?: number) => Promise<string>

const ENTRIES: { name: string; note: string; run: Run }[] = [
  {
    name: '`analyzeParallel`',
    note: 'returns every analysis (copied back from the workers by structured clone)',
    run: async (articles, workers, batchSize) => {
      const out = await analyzeParallel(articles, { workers, ...(batchSize ? { batchSize } : {}) })
      return out.map((a) => (a.status === 'ok' ? a.fingerprint.signature.join(',') : a.reason)).join(';')
    },
  },
  {
    name: '`clusterCorpus` (clustering end to end)',
    note: 'pass 1 sketches on the workers (transferred buffers), pass 2 verifies groups of pairs on the workers',
    run: async (articles, workers, batchSize) => {
      const r = await clusterCorpus(articles, { workers, ...(batchSize ? { batchSize } : {}) })
      return JSON.stringify(r)
    },
  },
]

export async function benchParallel(flags: BenchFlags): Promise<void> {
  const articles = await loadCorpus(flags)
  for (const entry of ENTRIES) await compareWorkers(entry, articles, flags)
}

async function compareWorkers(entry: (typeof ENTRIES)[number], articles: Article[], flags: BenchFlags): Promise<void> {
  const bytes = textBytes(articles)
  const w = Math.max(2, flags.workers)
  // Warm the calling thread's JIT so that the first 1-worker run is not penalised.
  await entry.run(articles.slice(0, 2000), 1)
  // What starting a pool costs: W workers, 2 articles in batches of 1.
  const startups: number[] = []
  for (let i = 0; i < 3; i++) startups.push((await measureAsync(() => entry.run(articles.slice(0, 2), w, 1))).wall)
  const startup = median(startups)
  const runs = new Map<number, Measured[]>([
    [1, []],
    [w, []],
  ])
  const results = new Map<number, string>()
  const pairs = Math.max(2, flags.reps - 1)
  for (let r = 0; r < pairs; r++) {
    for (const workers of [1, w]) {
      let out = ''
      runs.get(workers)?.push(await measureAsync(async () => (out = await entry.run(articles, workers))))
      results.set(workers, out)
    }
  }
  const same = results.get(1) === results.get(w)
  results.clear()
  const wallOf = (k: number) => median((runs.get(k) as Measured[]).map((m) => m.wall))
  const t1 = wallOf(1)
  const rows = [1, w].map((workers) => {
    const ms = runs.get(workers) as Measured[]
    const t = wallOf(workers)
    const cpu = median(ms.map((m) => m.cpu))
    const net = workers === 1 ? t : t - startup
    return [
      workers === 1 ? '1 (calling thread)' : `${workers} worker threads`,
      ms.map((m) => fmt(m.wall, 2)).join(', '),
      fmt(t, 2),
      fmt(cpu, 2),
      fmt(cpu / t, 2),
      fmt(articles.length / t, 0),
      fmt(bytes / 1e6 / t, 2),
      ratio(t1 / t),
      workers === 1 ? '' : ratio(t1 / net),
    ]
  })
  section(
    `parallel: ${entry.name}, same input, alternating runs`,
    table(
      [
        'workers',
        'runs, wall s (in order)',
        'median wall s',
        'median CPU s',
        'cores used (CPU/wall)',
        'docs/s',
        'MB/s',
        'speedup',
        'speedup without pool start',
      ],
      rows,
    ),
    [
      `${articles.length.toLocaleString('en-US')} articles, ${fmt(bytes / 1e6, 1)} MB; ${entry.note}. Runs alternate 1, ${w}, 1, ${w}, … ` +
        `(${pairs} each). Every call starts its own worker pool, and the time counts it: starting ${w} workers and handling ` +
        `2 articles takes ${fmt(startup, 2)} s (median of 3; from the TypeScript sources each worker loads tsx and compiles ` +
        'the sources, the built package does not). CPU counts every thread of the process (workers, GC). ' +
        `Result identical to the single-thread run: ${same ? 'yes' : '**no**'}.`,
    ],
  )
}
