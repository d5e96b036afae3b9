/**
 * The benchmark suite: `npm run bench -- [sub-command…] [flags]`. Prints markdown tables; never
 * fails on a figure. Sub-commands (default: sign index parallel quality e2e, with e2e at 10k):
 *
 *   sign      signing throughput per stage and end to end, npm `minhash` baseline, estimate error
 *   index     LshIndex and batch candidate generation: build, query, bytes per document
 *   parallel  analyzeParallel with 1 and W worker threads, alternating runs
 *   quality   seeds and Clough-Stevenson tables (bench/quality.ts)
 *   e2e       generated corpora end to end in child processes: time, peak RSS, quality vs truth
 *   floods    the viral story: wiretrace scan on 10,000 reprints + 500 others, and on 10k/100k exact copies
 *   scan      wiretrace scan as a whole process: 3,000 stories vs the npm minhash pipeline, the whole corpus at 1 and W workers
 *   pass1     pass 1 (fingerprint + copy keys of every article) in MB/s per core: reference steps vs the product path
 *
 * See bench/README.md.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { type BenchFlags, corpusOrMessage, defaultCorpusPath, machine, numberFlag, ROOT } from './common.js'
import { benchE2e } from './e2e.js'
import { benchFloods } from './floods.js'
import { benchIndex } from './index-bench.js'
import { benchParallel } from './parallel.js'
import { benchPass1 } from './pass1.js'
import { cloughStevenson, seedsSummary } from './quality.js'
import { benchScan } from './scan.js'
import { benchSign } from './throughput.js'

const SUBCOMMANDS = ['sign', 'index', 'parallel', 'quality', 'e2e', 'floods', 'scan', 'pass1'] as const
type Sub = (typeof SUBCOMMANDS)[number]

const USAGE = `usage: npm run bench -- [${SUBCOMMANDS.join('|')} …] [flags]

  (no sub-command)       sign index parallel quality e2e floods scan pass1, with e2e at N = 10,000 only
  --corpus PATH          JSONL(.gz) corpus of {id, text} records (default ../shared/corpora/reuters21578.jsonl.gz);
                         for e2e it is the generator's base corpus
  --limit N              use only the first N records of the corpus (sign, index, parallel, pass1)
  --reps R               timed repetitions, median reported (default 3; scan: alternated whole processes)
  --workers W            worker threads for parallel and scan (compared with 1), index setup and e2e (default 2)
  --sizes A,B,…          e2e corpus sizes (default 10000), e.g. 10000,100000,1000000; floods: reprints (default 10000)
  --timeout MIN          e2e: kill a size's child process after MIN minutes (default 12)
  --heap MB              e2e: --max-old-space-size of the child (default: Node's)
  --profile              e2e, scan: run the child (scan: one more whole-corpus run, --workers 1) under node --cpu-prof
                         and print the top functions by self time
  --seed S               e2e: generator seed (default 1)
  --learn-boilerplate X  e2e: learn each source's recurring paragraphs from the corpus first (learnBoilerplate,
                         minShare X, e.g. 0.05) and analyse with them; default: not learned
  --pipeline P           e2e: corpus (clusterCorpus on the JSONL file, two passes, default) or memory
                         (analyzeParallel, then clusterAnalyses and diffCluster on the held analyses)
  --options JSON         e2e: analysis, index and compare options for the pipeline, e.g. '{"anchorThreshold":0.6}'
  --minhash-seconds S    sign: time budget of the npm minhash baseline (default 12)
  --clough DIR           quality: Clough-Stevenson directory (default ../shared/corpora/clough-stevenson)`

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (parsed === 'help') {
    console.log(USAGE)
    return 0
  }
  const { subs, flags, clough, defaultRun } = parsed
  console.log(`## wiretrace benchmarks: ${subs.join(', ')}${defaultRun ? ' (default run: e2e at 10k only)' : ''}\n`)
  console.log(machine())
  const needsCorpus = subs.some((s) => s !== 'quality')
  const missing = needsCorpus ? corpusOrMessage(flags.corpus) : null
  if (missing) {
    console.log(`\n${missing}`)
    if (subs.includes('quality')) runQuality(clough)
    return 0
  }
  if (needsCorpus) console.log(`Corpus: ${flags.corpus}`)
  for (const sub of subs) {
    const t = performance.now()
    if (sub === 'sign') await benchSign(flags)
    else if (sub === 'index') await benchIndex(flags)
    else if (sub === 'parallel') await benchParallel(flags)
    else if (sub === 'quality') runQuality(clough)
    else if (sub === 'floods') await benchFloods(flags)
    else if (sub === 'scan') await benchScan(flags)
    else if (sub === 'pass1') await benchPass1(flags)
    else await benchE2e(flags)
    process.stderr.write(`[bench] ${sub} took ${((performance.now() - t) / 1000).toFixed(1)} s\n`)
  }
  return 0
}

function runQuality(dir: string): void {
  console.log(`\n${seedsSummary()}\n`)
  if (existsSync(join(dir, 'pairs.jsonl'))) console.log(cloughStevenson(dir))
  else console.log(`Clough-Stevenson not found at ${dir}: pass its directory with --clough.`)
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      corpus: { type: 'string' },
      limit: { type: 'string' },
      reps: { type: 'string' },
      workers: { type: 'string' },
      sizes: { type: 'string' },
      timeout: { type: 'string' },
      heap: { type: 'string' },
      profile: { type: 'boolean' },
      seed: { type: 'string' },
      'minhash-seconds': { type: 'string' },
      clough: { type: 'string' },
      'learn-boilerplate': { type: 'string' },
      options: { type: 'string' },
      pipeline: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return 'help' as const
  for (const p of positionals) {
    if (!(SUBCOMMANDS as readonly string[]).includes(p)) throw new Error(`unknown sub-command "${p}"`)
  }
  const defaultRun = positionals.length === 0
  const subs = (defaultRun ? [...SUBCOMMANDS] : [...new Set(positionals)]) as Sub[]
  const sizes = (values.sizes ?? '10000').split(',').map((x) => {
    const n = numberFlag('sizes', x)
    if (n === undefined || !Number.isInteger(n) || n < 10) throw new Error(`--sizes must be integers ≥ 10, got ${values.sizes}`)
    return n
  })
  const positive = (name: string, v: string | undefined, fallback: number) => {
    const x = numberFlag(name, v) ?? fallback
    if (!(x > 0)) throw new Error(`--${name} must be positive, got ${v}`)
    return x
  }
  const flags: BenchFlags = {
    corpus: values.corpus ? resolve(values.corpus) : defaultCorpusPath(),
    reps: Math.round(positive('reps', values.reps, 3)),
    sizes,
    workers: Math.round(positive('workers', values.workers, 2)),
    timeoutMinutes: positive('timeout', values.timeout, 12),
    profile: values.profile === true,
    minhashSeconds: positive('minhash-seconds', values['minhash-seconds'], 12),
    seed: numberFlag('seed', values.seed) ?? 1,
    pipeline: (values.pipeline ?? 'corpus') as BenchFlags['pipeline'],
  }
  if (flags.pipeline !== 'corpus' && flags.pipeline !== 'memory') {
    throw new Error(`--pipeline must be corpus or memory, got ${values.pipeline}`)
  }
  if (flags.pipeline === 'corpus' && values['learn-boilerplate'] !== undefined) {
    throw new Error('--learn-boilerplate needs every article in memory: use it with --pipeline memory')
  }
  const limit = numberFlag('limit', values.limit)
  if (limit !== undefined) flags.limit = limit
  const learn = numberFlag('learn-boilerplate', values['learn-boilerplate'])
  if (learn !== undefined) {
    if (!(learn > 0 && learn <= 1)) throw new Error(`--learn-boilerplate must be in (0, 1], got ${learn}`)
    flags.learnShare = learn
  }
  if (values.options !== undefined) {
    let o: unknown
    try {
      o = JSON.parse(values.options)
    } catch (err) {
      throw new Error(`--options must be a JSON object: ${(err as Error).message}`)
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o))
      throw new Error(`--options must be a JSON object, got ${values.options}`)
    flags.options = o as Record<string, unknown>
  }
  const heap = numberFlag('heap', values.heap)
  if (heap !== undefined) flags.heapMb = heap
  const clough = values.clough ? resolve(values.clough) : join(ROOT, '../shared/corpora/clough-stevenson')
  return { subs, flags, clough, defaultRun }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err: Error) => {
    console.error(`bench: ${err.stack ?? err.message}`)
    process.exitCode = 1
  },
)
