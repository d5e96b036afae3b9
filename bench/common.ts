/**
 * Helpers shared by the benchmark programs (`npm run bench`): flags, markdown tables, timing,
 * heap measurement, the machine description and child processes running TypeScript.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism, loadavg, totalmem } from 'node:os'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { type Article, analyze } from '../src/analyze.js'
import { corpusExists, corpusMissing, defaultCorpusPath, loadBaseArticles } from './corpus.js'

/** The repository root (this file is `<root>/bench/common.ts`). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Flags every benchmark understands; each sub-command reads the ones it needs. */
export interface BenchFlags {
  /** JSONL(.gz) corpus: Reuters-21578 by default. */
  corpus: string
  /** Documents to take from the corpus (default: all). */
  limit?: number
  /** Timed repetitions (median reported). */
  reps: number
  /** e2e: corpus sizes. */
  sizes: number[]
  /** e2e and parallel: worker threads. */
  workers: number
  /** e2e: kill a child after this many minutes. */
  timeoutMinutes: number
  /** e2e: write a CPU profile of each child and print its top functions. */
  profile: boolean
  /** e2e: --max-old-space-size of the child, in MB (default: Node's). */
  heapMb?: number
  /** sign: seconds to spend on the npm `minhash` baseline. */
  minhashSeconds: number
  /** e2e: clusterCorpus on the file (two passes) or every analysis held in memory. */
  pipeline: 'corpus' | 'memory'
  /** e2e: generator seed. */
  seed: number
  /** e2e: learn boilerplate from the corpus first, with this `minShare` (default: not learned). */
  learnShare?: number
  /** e2e: options for analyzeParallel and clusterAnalyses (JSON), e.g. {"anchorThreshold": 0.6}. */
  options?: Record<string, unknown>
}

/** Read a finite number, or throw naming the flag. */
export function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const x = Number(value.replace(/_/g, ''))
  if (value.trim() === '' || !Number.isFinite(x)) throw new Error(`--${name} must be a number, got ${value}`)
  return x
}

/** Resolve the corpus or say why not: the message to print (and exit 0) when it is absent. */
export function corpusOrMessage(path: string): string | null {
  return corpusExists(path) ? null : corpusMissing(path).replace('--base', '--corpus')
}

/** Load the benchmark corpus as articles (`limit` first records with text). */
export async function loadCorpus(flags: Pick<BenchFlags, 'corpus' | 'limit'>): Promise<Article[]> {
  return (await loadBaseArticles(flags.corpus, flags.limit)).articles
}

export { defaultCorpusPath }

// ---------------------------------------------------------------------------------------------
// Output

type Cell = string | number

/** A markdown table; numbers are printed as given (format them first). */
export function table(headers: string[], rows: Cell[][], align?: ('l' | 'r')[]): string {
  const a = align ?? headers.map((_, i) => (i === 0 ? 'l' : 'r'))
  const sep = a.map((x) => (x === 'r' ? '---:' : '---'))
  const line = (cells: Cell[]) => `| ${cells.map(String).join(' | ')} |`
  return [line(headers), `|${sep.join('|')}|`, ...rows.map(line)].join('\n')
}

/** Print a section: a heading, optional notes, and a table. */
export function section(title: string, body: string, notes: string[] = []): void {
  console.log(`\n### ${title}\n`)
  if (notes.length > 0) console.log(`${notes.join('\n')}\n`)
  console.log(body)
}

/** A number with `digits` significant decimals, grouped with thin separators above 10,000. */
export function fmt(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return String(x)
  const abs = Math.abs(x)
  if (abs >= 10_000) return Math.round(x).toLocaleString('en-US')
  if (abs >= 100) return x.toFixed(Math.min(digits, 0))
  if (abs >= 10) return x.toFixed(Math.min(digits, 1))
  return x.toFixed(digits)
}

export function mb(bytes: number): string {
  return fmt(bytes / 2 ** 20, 1)
}

export function ratio(x: number): string {
  return `${x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 10 ? 1 : 2)}×`
}

// ---------------------------------------------------------------------------------------------
// Timing

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

/** Seconds taken by `fn`. */
export function time(fn: () => void): number {
  const t = performance.now()
  fn()
  return (performance.now() - t) / 1000
}

export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now()
  await fn()
  return (performance.now() - t) / 1000
}

/** Wall and CPU seconds (CPU of every thread of this process: with worker threads it can exceed wall). */
export interface Measured {
  wall: number
  cpu: number
}

export function measure(fn: () => void): Measured {
  const c = process.cpuUsage()
  const t = performance.now()
  fn()
  const wall = (performance.now() - t) / 1000
  const u = process.cpuUsage(c)
  return { wall, cpu: (u.user + u.system) / 1e6 }
}

export async function measureAsync(fn: () => Promise<unknown>): Promise<Measured> {
  const c = process.cpuUsage()
  const t = performance.now()
  await fn()
  const wall = (performance.now() - t) / 1000
  const u = process.cpuUsage(c)
  return { wall, cpu: (u.user + u.system) / 1e6 }
}

/** Wall and CPU seconds per call of `fn`, calling it until at least `minSeconds` have passed. */
export function measurePerCall(fn: () => void, minSeconds = 0.5): Measured {
  let calls = 0
  const c = process.cpuUsage()
  const t = performance.now()
  let elapsed = 0
  do {
    fn()
    calls++
    elapsed = (performance.now() - t) / 1000
  } while (elapsed < minSeconds)
  const u = process.cpuUsage(c)
  return { wall: elapsed / calls, cpu: (u.user + u.system) / 1e6 / calls }
}

// ---------------------------------------------------------------------------------------------
// Memory

let gcFn: (() => void) | undefined

/** A full garbage collection: `global.gc` when node runs with --expose-gc, else exposed through V8 flags. */
export function gc(): void {
  if (!gcFn) {
    const g = (globalThis as { gc?: () => void }).gc
    if (typeof g === 'function') gcFn = g
    else {
      setFlagsFromString('--expose-gc')
      gcFn = runInNewContext('gc') as () => void
    }
  }
  gcFn()
  gcFn()
}

/** Heap in use plus memory outside the heap (typed-array backing stores), after a full GC. */
export function liveBytes(): { heap: number; external: number; total: number } {
  gc()
  const m = process.memoryUsage()
  return { heap: m.heapUsed, external: m.external, total: m.heapUsed + m.external }
}

// ---------------------------------------------------------------------------------------------
// The machine

export function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8')
    const m = info.match(/^model name\s*:\s*(.+)$/m)
    return m ? (m[1] as string).trim() : 'unknown'
  } catch {
    return 'unknown'
  }
}

export function machine(): string {
  const load = loadavg().map((x) => x.toFixed(2))
  return (
    `Machine: ${availableParallelism()} cores (nproc), CPU ${cpuModel()}, ${mb(totalmem())} MB RAM, ` +
    `Node ${process.version}, load average ${load.join(' / ')} at start`
  )
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** Node arguments that run a TypeScript file through tsx's loader. */
export function tsNodeArgs(file: string, nodeFlags: string[] = []): string[] {
  return ['--import', 'tsx', ...nodeFlags, file]
}

/** Run a TypeScript file in a child node and return its exit code; output goes to ours. */
export function runChild(file: string, args: string[], nodeFlags: string[] = []): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...tsNodeArgs(file, nodeFlags), ...args], { cwd: ROOT, stdio: 'inherit' })
    child.on('error', fail)
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)))
  })
}

/** Analyse articles on the calling thread, keeping the ones that analyse (for benchmarks that need fingerprints). */
export function analyzeOk(articles: readonly Article[]) {
  const out = []
  for (const a of articles) {
    const r = analyze(a)
    if (r.status === 'ok') out.push(r)
  }
  return out
}

/** Total UTF-8 bytes of the articles' text. */
export function textBytes(articles: readonly Article[]): number {
  let n = 0
  for (const a of articles) n += Buffer.byteLength(a.text)
  return n
}
