/**
 * `npm run bench -- e2e --sizes 10000,100000`: end to end on generated corpora with ground truth.
 *
 * For each size the parent writes a corpus and its truth with bench/generate.ts under os.tmpdir()
 * (timed apart, not counted), then runs the pipeline in a child process, so that wall time and
 * peak RSS belong to that size alone:
 *
 *   ingest (stream JSONL) → analyze (analyzeParallel, --workers, default 2) → cluster
 *   (clusterAnalyses) → diffs (diffCluster for each cluster) → quality against the truth.
 *
 * The child reports each stage as it ends; the parent samples the child's /proc status (VmHWM) so
 * that a child killed at --timeout minutes (default 12) or dying out of memory still has a peak
 * RSS and a last stage. With --profile the child runs under `node --cpu-prof` and the top functions
 * by self time are printed (main thread and worker threads apart).
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { Article } from '../src/analyze.js'
import { type ClusterOptions, type ClusterResult, clusterAnalyses, partitionAnalyses } from '../src/cluster/cluster.js'
import { diffCluster } from '../src/diff/index.js'
import { clusterCorpus } from '../src/node/corpus.js'
import { analyzeParallel } from '../src/node/parallel.js'
import { type LearnedBoilerplate, learnBoilerplate } from '../src/text/boilerplate.js'
import { type BenchFlags, fmt, liveBytes, mb, ROOT, ratio, section, table, tsNodeArgs } from './common.js'
import { loadBaseArticles, readJsonl, readTruth } from './corpus.js'
import {
  companionPaths,
  createGenerator,
  type GeneratedArticle,
  type PreparedBase,
  prepareBase,
  toArticle,
  writeCorpus,
} from './generate.js'
import { adjustedRandIndex, pairwiseScores } from './metrics.js'

const SELF = fileURLToPath(import.meta.url)
const MARK = '@@e2e '
const STAGES = ['ingest', 'learn', 'analyze', 'cluster', 'diff', 'sketch', 'candidates', 'verify'] as const
type StageName = (typeof STAGES)[number]

/** What the child reports, one JSON line per event. */
type Event =
  | {
      type: 'stage'
      stage: StageName
      seconds: number
      cpu?: number
      rss: number
      live?: number
      detail?: Record<string, number>
    }
  | { type: 'progress'; stage: StageName; done: number; total: number; seconds: number; rss: number }
  | {
      type: 'done'
      wall: number
      maxRss: number
      quality: Quality
      stats: Record<string, number>
    }
  | { type: 'error'; message: string }

interface Quality {
  precision: number
  recall: number
  f1: number
  ari: number
  truePairs: number
  predictedPairs: number
  hardNegatives: number
  /** Hard negatives in the same predicted cluster as the article they quote. */
  mergedWithQuoted: number
  /** Hard negatives in a predicted cluster holding any member of the quoted story's true cluster. */
  mergedWithStory: number
  /** Hard negatives in any predicted cluster. */
  clustered: number
}

// ---------------------------------------------------------------------------------------------
// The child: one size, one process

function emit(e: Event): void {
  process.stdout.write(`${MARK}${JSON.stringify(e)}\n`)
}

const rss = () => process.memoryUsage().rss

async function child(
  corpus: string,
  truthPath: string,
  workers: number,
  learnShare: number | undefined,
  options: ClusterOptions,
): Promise<void> {
  const wallStart = performance.now()
  let t = performance.now()
  let c = process.cpuUsage()
  let cpu = 0
  const mark = () => {
    t = performance.now()
    c = process.cpuUsage()
  }
  /** Wall seconds since the mark; `cpu` gets the CPU seconds of every thread (workers included). */
  const lap = () => {
    const now = performance.now()
    const s = (now - t) / 1000
    const u = process.cpuUsage(c)
    cpu = (u.user + u.system) / 1e6
    mark()
    return s
  }

  // ingest: stream the JSONL, keep what a system under test would see; note the hard negatives
  const articles: Article[] = []
  const quoted: [string, string][] = []
  let textBytes = 0
  for await (const r of readJsonl<GeneratedArticle>(corpus)) {
    articles.push(toArticle(r))
    textBytes += r.text.length
    if (r.quotedFrom !== undefined && r.transform.includes('quote')) quoted.push([r.id, r.quotedFrom])
  }
  const ingest = lap()
  const afterIngest = liveBytes().total
  emit({
    type: 'stage',
    stage: 'ingest',
    seconds: ingest,
    cpu,
    rss: rss(),
    live: afterIngest,
    detail: { docs: articles.length, textChars: textBytes },
  })
  mark()

  // optional: learn each source's recurring paragraphs (site chrome) from the corpus itself
  let learned: LearnedBoilerplate | undefined
  if (learnShare !== undefined) {
    learned = learnBoilerplate(articles, { minShare: learnShare })
    const paragraphs = Object.values(learned.sources).reduce((n, k) => n + k.length, 0)
    const seconds = lap()
    emit({ type: 'stage', stage: 'learn', seconds, cpu, rss: rss(), detail: { paragraphs } })
    mark()
  }

  // analyze on worker threads
  const total = articles.length
  let nextReport = 0.1
  const results = await analyzeParallel(articles, {
    ...options,
    ...(learned ? { learnedBoilerplate: learned } : {}),
    workers,
    onProgress: (done) => {
      if (done / total >= nextReport) {
        nextReport += 0.1
        emit({ type: 'progress', stage: 'analyze', done, total, seconds: (performance.now() - t) / 1000, rss: rss() })
      }
    },
  })
  articles.length = 0 // the analyses carry the articles (copies made by the workers)
  const { analyses, skipped } = partitionAnalyses(results)
  results.length = 0
  const analyze = lap()
  const afterAnalyze = liveBytes().total
  emit({
    type: 'stage',
    stage: 'analyze',
    seconds: analyze,
    cpu,
    rss: rss(),
    live: afterAnalyze,
    detail: { analysed: analyses.length, skipped: skipped.length },
  })
  mark()

  // cluster
  const result = clusterAnalyses(analyses, skipped, total, options)
  const cluster = lap()
  emit({
    type: 'stage',
    stage: 'cluster',
    seconds: cluster,
    cpu,
    rss: rss(),
    detail: { ...result.stats, clusters: result.clusters.length },
  })
  mark()

  // diffs
  const byId = new Map(analyses.map((a) => [a.id, a]))
  let paragraphs = 0
  for (const cl of result.clusters) paragraphs += diffCluster(cl, byId).story.length
  const diff = lap()
  emit({ type: 'stage', stage: 'diff', seconds: diff, cpu, rss: rss(), detail: { storyParagraphs: paragraphs } })
  const wall = (performance.now() - wallStart) / 1000

  await emitDone(result, wall, truthPath, quoted)
}

/**
 * The default pipeline: clusterCorpus on the JSONL file (pass 1 sketches on the workers, the main
 * thread finds and screens candidates, pass 2 re-reads, compares, clusters and diffs each group of
 * pairs on the workers). Articles are not held; links are not kept (the clusters carry each
 * member's relation to its reference).
 */
async function corpusChild(corpus: string, truthPath: string, workers: number, options: ClusterOptions): Promise<void> {
  const wallStart = performance.now()
  let t = performance.now()
  let c = process.cpuUsage()
  const lap = () => {
    const now = performance.now()
    const u = process.cpuUsage(c)
    const out = { seconds: (now - t) / 1000, cpu: (u.user + u.system) / 1e6 }
    t = now
    c = process.cpuUsage()
    return out
  }
  let paragraphs = 0
  let nextReport = 0.1
  let stage: 'sketch' | 'verify' = 'sketch'
  const result = await clusterCorpus(corpus, {
    ...options,
    workers,
    keepLinks: false,
    onDiff: (d) => {
      paragraphs += d.story.length
    },
    onProgress: (p) => {
      if (p.stage === 'candidates' && stage === 'sketch') {
        // pass 1 ended when screening began; the event comes once screening is done
        const { seconds, cpu } = lap()
        emit({ type: 'stage', stage: 'sketch', seconds: seconds - p.seconds, cpu, rss: rss(), detail: { analysed: p.articles } })
        emit({
          type: 'stage',
          stage: 'candidates',
          seconds: p.seconds,
          rss: rss(),
          detail: { candidatePairs: p.candidatePairs, kept: p.screenedPairs },
        })
        stage = 'verify'
        nextReport = 0.1
      } else if (p.stage === 'sketch' && p.done >= nextReport * 100_000) {
        nextReport += 1
        emit({ type: 'progress', stage: 'sketch', done: p.done, total: 0, seconds: (performance.now() - t) / 1000, rss: rss() })
      } else if (p.stage === 'verify' && p.total && p.done / p.total >= nextReport) {
        nextReport += 0.1
        emit({
          type: 'progress',
          stage: 'verify',
          done: p.done,
          total: p.total,
          seconds: (performance.now() - t) / 1000,
          rss: rss(),
        })
      }
    },
  })
  const verify = lap()
  emit({
    type: 'stage',
    stage: 'verify',
    ...verify,
    rss: rss(),
    detail: { ...result.stats, clusters: result.clusters.length, storyParagraphs: paragraphs },
  })
  const wall = (performance.now() - wallStart) / 1000
  const quoted: [string, string][] = []
  for await (const r of readJsonl<GeneratedArticle>(corpus)) {
    if (r.quotedFrom !== undefined && r.transform.includes('quote')) quoted.push([r.id, r.quotedFrom])
  }
  await emitDone(result, wall, truthPath, quoted)
}

async function emitDone(result: ClusterResult, wall: number, truthPath: string, quoted: [string, string][]): Promise<void> {
  emit({
    type: 'done',
    wall,
    maxRss: process.resourceUsage().maxRSS * 1024,
    quality: await quality(result, truthPath, quoted),
    stats: { ...result.stats, clusters: result.clusters.length },
  })
}

async function quality(result: ClusterResult, truthPath: string, quoted: [string, string][]): Promise<Quality> {
  const truth = await readTruth(truthPath)
  const predicted = new Map<string, string>()
  const truthsOf = new Map<string, Set<string>>()
  for (const c of result.clusters) {
    const set = new Set<string>()
    for (const m of c.members) {
      predicted.set(m.id, c.id)
      set.add(truth.get(m.id) as string)
    }
    truthsOf.set(c.id, set)
  }
  for (const id of result.singletons) predicted.set(id, id)
  for (const s of result.skipped) predicted.set(s.id, s.id)
  const p = pairwiseScores(predicted, truth)
  const q: Quality = {
    precision: p.precision,
    recall: p.recall,
    f1: p.f1,
    ari: adjustedRandIndex(predicted, truth),
    truePairs: p.truePairs,
    predictedPairs: p.predictedPairs,
    hardNegatives: quoted.length,
    mergedWithQuoted: 0,
    mergedWithStory: 0,
    clustered: 0,
  }
  for (const [id, from] of quoted) {
    const c = predicted.get(id) as string
    if (!truthsOf.has(c)) continue
    q.clustered++
    if (c === predicted.get(from)) q.mergedWithQuoted++
    if (truthsOf.get(c)?.has(truth.get(from) as string)) q.mergedWithStory++
  }
  return q
}

// ---------------------------------------------------------------------------------------------
// The parent: generate, run a child per size, report

interface Run {
  n: number
  generateSeconds: number
  corpusBytes: number
  stages: Partial<
    Record<StageName, { seconds: number; cpu?: number; rss: number; live?: number; detail?: Record<string, number> }>
  >
  progress?: { stage: StageName; done: number; total: number; seconds: number; rss: number }
  done?: Extract<Event, { type: 'done' }>
  /** Peak RSS sampled from /proc (kept when the child is killed). */
  peakRss: number
  status: string
  wall: number
  profile?: string
}

function procPeak(pid: number): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)\s*kB/)
    return m ? Number(m[1]) * 1024 : 0
  } catch {
    return 0
  }
}

async function runChild(run: Run, corpus: string, truth: string, flags: BenchFlags, dir: string): Promise<void> {
  const nodeFlags = ['--expose-gc']
  if (flags.heapMb) nodeFlags.push(`--max-old-space-size=${flags.heapMb}`)
  const profDir = join(dir, 'prof')
  if (flags.profile) {
    mkdirSync(profDir)
    nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${profDir}`)
  }
  const args = [
    ...tsNodeArgs(SELF, nodeFlags),
    '--child',
    '--corpus',
    corpus,
    '--truth',
    truth,
    '--workers',
    String(flags.workers),
    '--pipeline',
    flags.pipeline,
  ]
  if (flags.learnShare !== undefined) args.push('--learn', String(flags.learnShare))
  if (flags.options) args.push('--options', JSON.stringify(flags.options))
  const started = performance.now()
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  const label = `[e2e ${run.n.toLocaleString('en-US')}]`
  let killed = false
  const timer = setTimeout(() => {
    killed = true
    proc.kill('SIGKILL')
  }, flags.timeoutMinutes * 60_000)
  const sampler = setInterval(() => {
    if (proc.pid) run.peakRss = Math.max(run.peakRss, procPeak(proc.pid))
  }, 500)
  const stderr: string[] = []
  proc.stderr.on('data', (b: Buffer) => {
    const s = b.toString()
    stderr.push(s)
    if (stderr.length > 200) stderr.shift()
  })
  const lines = createInterface({ input: proc.stdout })
  lines.on('line', (line) => {
    if (!line.startsWith(MARK)) {
      process.stderr.write(`${label} ${line}\n`)
      return
    }
    const e = JSON.parse(line.slice(MARK.length)) as Event
    const elapsed = fmt((performance.now() - started) / 1000, 0)
    if (e.type === 'stage') {
      run.stages[e.stage] = e
      process.stderr.write(`${label} ${e.stage} done in ${fmt(e.seconds, 1)} s (at ${elapsed} s, RSS ${mb(e.rss)} MB)\n`)
    } else if (e.type === 'progress') {
      run.progress = e
      process.stderr.write(`${label} ${e.stage} ${e.done}/${e.total} after ${fmt(e.seconds, 0)} s, RSS ${mb(e.rss)} MB\n`)
    } else if (e.type === 'done') run.done = e
    else if (e.type === 'error') process.stderr.write(`${label} error: ${e.message}\n`)
  })
  const code = await new Promise<number | string>((done) => proc.on('exit', (c, sig) => done(c ?? sig ?? 'unknown')))
  clearTimeout(timer)
  clearInterval(sampler)
  run.wall = (performance.now() - started) / 1000
  if (run.done) run.peakRss = Math.max(run.peakRss, run.done.maxRss)
  if (run.done && code === 0) run.status = 'ok'
  else if (killed) run.status = `killed after ${flags.timeoutMinutes} min`
  else {
    const text = stderr.join('')
    run.status = /heap out of memory|Allocation failed/i.test(text) ? `out of memory (exit ${code})` : `failed (exit ${code})`
    process.stderr.write(`${label} child stderr (tail):\n${text.slice(-3000)}\n`)
  }
  if (flags.profile) run.profile = summarizeProfiles(profDir)
}

/**
 * Top functions by self time in the .cpuprofile files of a directory, main thread and other threads
 * (analysis workers; tsx's loader threads, idle) apart. Shares are of the busy (non-idle) time.
 */
export function summarizeProfiles(dir: string, top = 15): string {
  const groups = new Map<string, Map<string, number>>()
  const busy = new Map<string, number>()
  let files: string[] = []
  try {
    files = readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))
  } catch {
    return 'no CPU profile was written (the child did not exit normally)'
  }
  for (const f of files) {
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread
    const thread = Number(basename(f).split('.')[4])
    const group = thread === 0 ? 'main thread' : 'worker threads'
    const prof = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
      nodes: { id: number; callFrame: { functionName: string; url: string } }[]
      samples: number[]
      timeDeltas: number[]
    }
    // tsx compiles each module into one line, so line numbers mean nothing: name and file only
    const name = new Map<number, string>()
    for (const node of prof.nodes) {
      const cf = node.callFrame
      const file = cf.url ? cf.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/') : ''
      name.set(node.id, `${cf.functionName || '(anonymous)'}${file ? ` (${file})` : ''}`)
    }
    const self = groups.get(group) ?? new Map<string, number>()
    groups.set(group, self)
    for (let i = 0; i < prof.samples.length; i++) {
      const us = prof.timeDeltas[i + 1] ?? 0
      const key = name.get(prof.samples[i] as number) as string
      if (key === '(idle)') continue
      self.set(key, (self.get(key) ?? 0) + us)
      busy.set(group, (busy.get(group) ?? 0) + us)
    }
  }
  const out: string[] = []
  for (const group of ['main thread', 'worker threads']) {
    const self = groups.get(group)
    if (!self) continue
    const total = busy.get(group) as number
    const rows = [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => [`\`${k}\``, fmt(us / 1000, 0), `${((us / total) * 100).toFixed(1)} %`])
    out.push(
      `**${group}**: ${fmt(total / 1e6, 1)} s busy\n\n${table(['function', 'self ms', 'share of busy'], rows, ['l', 'r', 'r'])}`,
    )
  }
  return out.join('\n\n')
}

export async function benchE2e(flags: BenchFlags): Promise<void> {
  const tPrep = performance.now()
  const { articles: base } = await loadBaseArticles(flags.corpus)
  const prepared: PreparedBase = prepareBase(base)
  const prepSeconds = (performance.now() - tPrep) / 1000
  const runs: Run[] = []
  for (const n of flags.sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'wiretrace-e2e-'))
    const run: Run = { n, generateSeconds: 0, corpusBytes: 0, stages: {}, peakRss: 0, status: 'not run', wall: 0 }
    runs.push(run)
    try {
      const out = join(dir, `corpus-${n}.jsonl`)
      const truth = companionPaths(out).truth
      const t = performance.now()
      await writeCorpus(createGenerator(prepared, { n, seed: flags.seed }).articles, out, { truthPath: truth })
      run.generateSeconds = (performance.now() - t) / 1000
      run.corpusBytes = statSync(out).size
      process.stderr.write(
        `[e2e ${n.toLocaleString('en-US')}] generated ${mb(run.corpusBytes)} MB in ${fmt(run.generateSeconds, 1)} s; running the pipeline\n`,
      )
      await runChild(run, out, truth, flags, dir)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  report(runs, flags, prepSeconds)
}

/** The stages to show: the four of the pipeline, and `learn` when it ran. */
function shownStages(runs: readonly Run[]): StageName[] {
  return STAGES.filter((st) => runs.some((r) => r.stages[st] || r.progress?.stage === st))
}

const stageSum = (r: Run) => STAGES.reduce((acc, st) => acc + (r.stages[st]?.seconds ?? 0), 0)

function report(runs: Run[], flags: BenchFlags, prepSeconds: number): void {
  const stages = shownStages(runs)
  const s = (x: number | undefined) => (x === undefined ? '–' : fmt(x, 1))
  const stageCell = (r: Run, st: StageName) => {
    const done = r.stages[st]
    if (done) return s(done.seconds)
    if (r.progress?.stage === st && r.status !== 'ok')
      return r.progress.total
        ? `> ${fmt(r.progress.seconds, 0)} (${Math.round((r.progress.done / r.progress.total) * 100)} % done)`
        : `> ${fmt(r.progress.seconds, 0)} (${r.progress.done.toLocaleString('en-US')} done)`
    return '–'
  }
  const timeRows = runs.map((r) => {
    const first = r.stages.analyze ?? r.stages.sketch
    const analysed = first?.detail?.analysed
    const live = r.stages.analyze?.live
    return [
      r.n.toLocaleString('en-US'),
      `${s(r.generateSeconds)} (${mb(r.corpusBytes)} MB)`,
      ...stages.map((st) => stageCell(r, st)),
      r.status === 'ok' ? fmt(stageSum(r), 1) : '–',
      fmt(r.wall, 1),
      mb(r.peakRss),
      fmt(r.peakRss / r.n / 1024, 1),
      live !== undefined && analysed ? fmt(live / analysed / 1024, 1) : '–',
      first?.cpu !== undefined ? fmt(first.cpu / first.seconds, 2) : '–',
      r.status,
    ]
  })
  const variant =
    [
      flags.learnShare === undefined
        ? ''
        : `boilerplate learned from the corpus first (learnBoilerplate, minShare ${flags.learnShare})`,
      flags.options ? `options ${JSON.stringify(flags.options)}` : '',
    ]
      .filter((x) => x !== '')
      .join(', ') || 'default options'
  section(
    flags.pipeline === 'corpus'
      ? `e2e: clusterCorpus on the JSONL file: sketch (${flags.workers} workers) → candidates → verify: re-analyse, compare, cluster, diff (${flags.workers} workers), generated corpora, ${variant}`
      : `e2e: ingest → ${stages.includes('learn') ? 'learn boilerplate → ' : ''}analyze (${flags.workers} workers) → cluster → diffs, generated corpora, ${variant}`,
    table(
      [
        'N',
        'generate s (not counted)',
        ...stages.map((st) => `${st} s`),
        'total s',
        'child wall s',
        'peak RSS MB',
        'peak RSS KB/doc',
        'live heap KB/doc after analyze',
        'analyze or sketch: cores used (CPU/wall)',
        'status',
      ],
      timeRows,
    ),
    [
      `Each size runs in its own child process (node --expose-gc, heap limit ${flags.heapMb ? `${flags.heapMb} MB` : "Node's default"}, ` +
        `killed after ${flags.timeoutMinutes} min). total = sum of the stages; child wall also counts module loading and the full GCs ` +
        "that measure live memory. Peak RSS: the child's maxRSS (worker threads included), or the highest VmHWM sampled from " +
        '/proc for a child that did not finish. Live heap: heapUsed + external after a full GC once the analyses are held ' +
        '(their articles included). Cores used: CPU seconds of all threads over wall seconds during analyze (2 = both cores busy). ' +
        `Generator base preparation (once, not counted): ${fmt(prepSeconds, 1)} s.`,
    ],
  )
  const done = runs.filter((r) => r.done)
  if (done.length > 0) {
    const qualityRows = done.map((r) => {
      const q = (r.done as Extract<Event, { type: 'done' }>).quality
      return [
        r.n.toLocaleString('en-US'),
        q.truePairs.toLocaleString('en-US'),
        q.predictedPairs.toLocaleString('en-US'),
        q.precision.toFixed(4),
        q.recall.toFixed(4),
        `**${q.f1.toFixed(4)}**`,
        q.ari.toFixed(4),
        `${q.mergedWithQuoted} / ${q.hardNegatives}`,
        `${q.mergedWithStory} / ${q.hardNegatives}`,
        `${q.clustered} / ${q.hardNegatives}`,
      ]
    })
    section(
      'e2e: quality against the generator’s ground truth',
      table(
        [
          'N',
          'true pairs',
          'predicted pairs',
          'precision',
          'recall',
          'F1',
          'ARI',
          'hard neg. with quoted article',
          'hard neg. with quoted story',
          'hard neg. in any cluster',
        ],
        qualityRows,
      ),
      [
        'Pairwise precision/recall/F1 and adjusted Rand index over all N articles (bench/metrics.ts). Hard negatives: ' +
          'independent articles that quote one paragraph of another story (transform includes "quote"); "with quoted article" ' +
          'counts those clustered with the very article they quote, "with quoted story" with any member of its true cluster.',
      ],
    )
  }
  const withCluster = runs.filter((r) => r.stages.cluster || r.stages.verify)
  if (withCluster.length > 0) {
    section(
      'e2e: clustering work',
      table(
        [
          'N',
          'candidate pairs',
          'per doc',
          'screened out',
          'compared',
          'linked pairs',
          'clusters',
          'oversized buckets',
          'skipped',
          'story paragraphs diffed',
        ],
        withCluster.map((r) => {
          const d = r.stages.cluster?.detail ?? r.stages.verify?.detail ?? {}
          const cand = d.candidatePairs ?? 0
          return [
            r.n.toLocaleString('en-US'),
            cand.toLocaleString('en-US'),
            fmt(cand / r.n, 1),
            (d.screenedOut ?? 0).toLocaleString('en-US'),
            (cand - (d.screenedOut ?? 0)).toLocaleString('en-US'),
            (d.linkedPairs ?? 0).toLocaleString('en-US'),
            (d.clusters ?? 0).toLocaleString('en-US'),
            String(d.oversizedBuckets ?? 0),
            String(d.skipped ?? 0),
            ((r.stages.diff ?? r.stages.verify)?.detail?.storyParagraphs ?? 0).toLocaleString('en-US'),
          ]
        }),
      ),
    )
  }
  growth(runs, stages)
  for (const r of runs) {
    if (r.profile)
      section(`e2e: CPU profile at N = ${r.n.toLocaleString('en-US')} (${r.status}), top functions by self time`, r.profile)
  }
}

/** How time and memory grow with N between successive sizes, and an extrapolation to 1M when it did not finish. */
function growth(runs: Run[], stages: StageName[]): void {
  const ok = runs.filter((r) => r.status === 'ok')
  if (ok.length < 2) return
  const rows: string[][] = []
  for (let i = 1; i < ok.length; i++) {
    const a = ok[i - 1] as Run
    const b = ok[i] as Run
    const k = b.n / a.n
    const cell = (x: number, y: number) => `${ratio(y / x)} (N^${(Math.log(y / x) / Math.log(k)).toFixed(2)})`
    rows.push([
      `${a.n.toLocaleString('en-US')} → ${b.n.toLocaleString('en-US')} (${ratio(k)})`,
      ...stages.map((st) => cell(a.stages[st]?.seconds ?? Number.NaN, b.stages[st]?.seconds ?? Number.NaN)),
      cell(stageSum(a), stageSum(b)),
      cell(a.peakRss, b.peakRss),
    ])
  }
  const target = 1_000_000
  const last = ok[ok.length - 1] as Run
  const prev = ok[ok.length - 2] as Run
  if (last.n < target) {
    const k = target / last.n
    const per = stages.map((st) => {
      const x = prev.stages[st]?.seconds ?? Number.NaN
      const y = last.stages[st]?.seconds ?? Number.NaN
      const e = Math.max(1, Math.log(y / x) / Math.log(last.n / prev.n))
      return y * k ** e
    })
    // memory grows linearly in N (every analysis is held): a straight line through the last two sizes
    const slope = (last.peakRss - prev.peakRss) / (last.n - prev.n)
    const rssAt = last.peakRss + slope * (target - last.n)
    rows.push([
      `**extrapolated to ${target.toLocaleString('en-US')}**`,
      ...per.map((x) => `≈ ${fmt(x, 0)} s`),
      `≈ ${fmt(
        per.reduce((x, y) => x + y, 0),
        0,
      )} s`,
      `≈ ${mb(rssAt)} MB`,
    ])
  }
  section('e2e: growth with N', table(['sizes', ...stages.map((st) => `${st} time`), 'total time', 'peak RSS'], rows), [
    'Each cell: the ratio between the two sizes and the exponent e with ratio = (N ratio)^e. The extrapolation applies each ' +
      "stage's exponent (at least 1) from the last two finished sizes, and a straight line through their peak RSS.",
  ])
}

// ---------------------------------------------------------------------------------------------

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: {
      child: { type: 'boolean' },
      corpus: { type: 'string' },
      truth: { type: 'string' },
      workers: { type: 'string' },
      learn: { type: 'string' },
      options: { type: 'string' },
      pipeline: { type: 'string' },
    },
    strict: true,
  })
  if (!values.child || !values.corpus || !values.truth) {
    console.error(
      'bench/e2e.ts is run by `npm run bench -- e2e`; its own flags (--child --corpus --truth --workers) are internal.',
    )
    process.exitCode = 2
  } else if (values.pipeline !== 'memory') {
    corpusChild(
      values.corpus,
      values.truth,
      Number(values.workers ?? 2),
      values.options ? (JSON.parse(values.options) as ClusterOptions) : {},
    ).catch((err: Error) => {
      emit({ type: 'error', message: err.stack ?? err.message })
      process.exitCode = 1
    })
  } else {
    child(
      values.corpus,
      values.truth,
      Number(values.workers ?? 2),
      values.learn === undefined ? undefined : Number(values.learn),
      values.options ? (JSON.parse(values.options) as ClusterOptions) : {},
    ).catch((err: Error) => {
      emit({ type: 'error', message: err.stack ?? err.message })
      process.exitCode = 1
    })
  }
}
