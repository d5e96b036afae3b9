/**
 * `npm run bench -- parallel`: `analyzeParallel` on the same input with 1 worker (the calling
 * thread) and with --workers threads (default 2), alternated 1, W, 1, W, … ; medians and speedup.
 */
import type { Analysis } from '../src/analyze.js'
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

export async function benchParallel(flags: BenchFlags): Promise<void> {
  const articles = await loadCorpus(flags)
  const bytes = textBytes(articles)
  const w = Math.max(2, flags.workers)
  // Warm the calling thread's JIT so that the first 1-worker run is not penalised.
  await analyzeParallel(articles.slice(0, 2000), { workers: 1 })
  // What starting a pool costs: W workers, 2 articles in batches of 1.
  const startups: number[] = []
  for (let i = 0; i < 3; i++)
    startups.push((await measureAsync(() => analyzeParallel(articles.slice(0, 2), { workers: w, batchSize: 1 }))).wall)
  const startup = median(startups)
  const runs = new Map<number, Measured[]>([
    [1, []],
    [w, []],
  ])
  let last = new Map<number, Analysis[]>()
  const pairs = Math.max(2, flags.reps - 1)
  for (let r = 0; r < pairs; r++) {
    for (const workers of [1, w]) {
      let out: Analysis[] = []
      runs.get(workers)?.push(await measureAsync(async () => (out = await analyzeParallel(articles, { workers }))))
      last.set(workers, out)
    }
  }
  // Same results whatever the number of workers.
  const one = last.get(1) as Analysis[]
  const many = last.get(w) as Analysis[]
  let differ = 0
  for (let i = 0; i < one.length; i++) {
    const a = one[i] as Analysis
    const b = many[i] as Analysis
    const sameSig =
      a.status === 'ok' && b.status === 'ok' ? a.fingerprint.signature.every((x, j) => x === b.fingerprint.signature[j]) : true
    if (a.status !== b.status || !sameSig) differ++
  }
  last = new Map()
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
    'parallel: `analyzeParallel`, same input, alternating runs',
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
      `${articles.length.toLocaleString('en-US')} articles, ${fmt(bytes / 1e6, 1)} MB; runs alternate 1, ${w}, 1, ${w}, … ` +
        `(${pairs} each). Every call starts its own worker pool, and the time counts it: starting ${w} workers and analysing ` +
        `2 articles takes ${fmt(startup, 2)} s (median of 3; from the TypeScript sources each worker loads tsx and compiles ` +
        'the sources, the built package does not). CPU counts every thread of the process (workers, GC). ' +
        `Results identical to the single-thread run: ${one.length - differ}/${one.length}.`,
    ],
  )
}
