/**
 * `npm run bench -- scan`: `wiretrace scan` as a whole process (node start-up, reading, analysis,
 * candidates, verification, diffs and the JSON report written to a file), on the corpus:
 *
 * - the first 3,000 stories against the npm `minhash` pipeline (bench/minhash-baseline.mjs: 5-word
 *   shingles, `new Minhash()`, `LshIndex({ bandSize: 4 })`, insert and query every story), each a
 *   child process of plain node reading the same JSONL file, alternated, medians;
 * - the whole corpus file as given (Reuters: the .jsonl.gz) with --workers 1 and W, alternated:
 *   seconds, documents per second and the W-vs-1 ratio, and whether the two reports are the same.
 *
 * With --profile, one more --workers 1 run of the whole corpus under node --cpu-prof, and its top
 * functions by self time.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BenchFlags, fmt, loadCorpus, median, ROOT, ratio, section, table } from './common.js'
import { summarizeProfiles } from './e2e.js'

const SUBSET = 3000
const BASELINE = join(ROOT, 'bench/minhash-baseline.mjs')
const CLI = join(ROOT, 'bin/wiretrace.js')

interface ProcessRun {
  seconds: number
  stdout: string
}

/** Run `node args…` and time it from spawn to exit; a failure throws with the child's stderr. */
function runNode(args: string[]): Promise<ProcessRun> {
  const t0 = performance.now()
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    proc.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    proc.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    proc.on('error', fail)
    proc.on('close', (status) => {
      const seconds = (performance.now() - t0) / 1000
      if (status === 0) done({ seconds, stdout })
      else fail(new Error(`node ${args.join(' ')} exited with ${status}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`))
    })
  })
}

const scanArgs = (input: string, out: string, workers: number) => [
  CLI,
  'scan',
  input,
  '--format',
  'json',
  '--out',
  out,
  '--workers',
  String(workers),
  '--quiet',
]

/** Articles, clusters and singletons of a JSON report. */
function reportCounts(path: string): { articles: number; clusters: number; singletons: number } {
  const r = JSON.parse(readFileSync(path, 'utf8')) as { stats: { articles: number; clusters: number; singletons: number } }
  return { articles: r.stats.articles, clusters: r.stats.clusters, singletons: r.stats.singletons }
}

export async function benchScan(flags: BenchFlags): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) {
    console.log('\nscan: the CLI is not built (dist/cli.js is missing): run npm run build first')
    return
  }
  const dir = mkdtempSync(join(tmpdir(), 'wiretrace-scan-'))
  try {
    await againstMinhash(flags, dir)
    await wholeCorpus(flags, dir)
    if (flags.profile) {
      const prof = join(dir, 'prof')
      mkdirSync(prof)
      await runNode(['--cpu-prof', `--cpu-prof-dir=${prof}`, ...scanArgs(flags.corpus, join(dir, 'profiled.json'), 1)])
      section('Profile: wiretrace scan of the whole corpus, --workers 1', summarizeProfiles(prof, 15), [
        'Top functions by self time (node --cpu-prof), as a share of the busy time.',
      ])
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function againstMinhash(flags: BenchFlags, dir: string): Promise<void> {
  const stories = await loadCorpus({ corpus: flags.corpus, limit: SUBSET })
  const input = join(dir, `first-${stories.length}.jsonl`)
  writeFileSync(input, stories.map((a) => `${JSON.stringify({ id: a.id, text: a.text })}\n`).join(''))
  const times = { minhash: [] as number[], scan: [] as number[], scan1: [] as number[] }
  let baseline = { docs: 0, shingles: 0, pairs: 0 }
  const out = join(dir, 'subset.json')
  const out1 = join(dir, 'subset-w1.json')
  for (let r = 0; r < flags.reps; r++) {
    const m = await runNode([BASELINE, input])
    times.minhash.push(m.seconds)
    baseline = JSON.parse(m.stdout)
    times.scan.push((await runNode(scanArgs(input, out, flags.workers))).seconds)
    times.scan1.push((await runNode(scanArgs(input, out1, 1))).seconds)
    process.stderr.write(`[bench scan] ${stories.length} stories, rep ${r + 1}/${flags.reps}\n`)
  }
  const counts = reportCounts(out)
  const same = readFileSync(out).equals(readFileSync(out1))
  const mh = median(times.minhash)
  const row = (name: string, xs: number[], result: string) => [
    name,
    fmt(median(xs), 2),
    `${fmt(Math.min(...xs), 2)}–${fmt(Math.max(...xs), 2)}`,
    ratio(mh / median(xs)),
    result,
  ]
  section(
    `wiretrace scan vs the npm minhash pipeline: first ${stories.length.toLocaleString('en-US')} stories, whole processes`,
    table(
      ['process', 'median s', 'range s', 'npm minhash ÷ this', 'result'],
      [
        row(
          'npm `minhash` 0.0.9 (5-word shingles, 128 permutations, LshIndex bandSize 4)',
          times.minhash,
          `${baseline.pairs} candidate pairs`,
        ),
        row(
          `wiretrace scan --workers ${flags.workers}`,
          times.scan,
          `${counts.clusters} clusters, ${counts.singletons} singletons`,
        ),
        row('wiretrace scan --workers 1', times.scan1, same ? 'the same report' : 'a DIFFERENT report'),
      ],
    ),
    [
      `Each a child process of node (${process.version}) from spawn to exit, start-up included; ${flags.reps} alternated repetitions, medians.`,
      'npm minhash finds candidate pairs only; wiretrace scan also verifies them, clusters, diffs every cluster and writes the JSON report.',
      'Target: wiretrace ≥ 20× faster.',
    ],
  )
}

async function wholeCorpus(flags: BenchFlags, dir: string): Promise<void> {
  const runs = new Map<number, number[]>([
    [1, []],
    [flags.workers, []],
  ])
  const outs = new Map<number, string>()
  for (let r = 0; r < flags.reps; r++) {
    for (const w of runs.keys()) {
      const out = join(dir, `whole-w${w}.json`)
      outs.set(w, out)
      ;(runs.get(w) as number[]).push((await runNode(scanArgs(flags.corpus, out, w))).seconds)
      process.stderr.write(`[bench scan] whole corpus, --workers ${w}, rep ${r + 1}/${flags.reps}\n`)
    }
  }
  const counts = reportCounts(outs.get(1) as string)
  const same = readFileSync(outs.get(1) as string).equals(readFileSync(outs.get(flags.workers) as string))
  const one = median(runs.get(1) as number[])
  const rows = [...runs].map(([w, xs]) => [
    `--workers ${w}`,
    fmt(median(xs), 2),
    `${fmt(Math.min(...xs), 2)}–${fmt(Math.max(...xs), 2)}`,
    fmt(counts.articles / median(xs), 0),
    ratio(one / median(xs)),
  ])
  section(
    `wiretrace scan of the whole corpus (${counts.articles.toLocaleString('en-US')} articles), whole processes`,
    table(['run', 'median s', 'range s', 'docs/s', 'speed-up over --workers 1'], rows),
    [
      `${flags.corpus}: read as given (a .jsonl.gz is decompressed by the CLI), JSON report to a file. ${flags.reps} alternated repetitions, medians.`,
      `Result: ${counts.clusters} clusters, ${counts.singletons} singletons; reports of --workers 1 and ${flags.workers} ${same ? 'identical' : 'DIFFERENT'}.`,
      'Target: ≥ 10,000 docs/s on 2 cores.',
    ],
  )
}
