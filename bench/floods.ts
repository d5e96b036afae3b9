/**
 * `npm run bench -- floods`: the viral story. `wiretrace scan` as a whole process (start-up,
 * analysis, candidates, verification, diffs, the JSON report) on
 *
 * - N reprints of one corpus story, each with its own headline line, plus 500 other stories:
 *   the time, how many of the N reprints end in one cluster (target: all 10,000, in ≤ 10 s),
 *   and the size of the JSON report;
 * - M exact copies of a shorter story: the time at two sizes (it should grow linearly), and
 *   whether they make one cluster.
 *
 * The inputs are written to os.tmpdir() and deleted afterwards. `--sizes` sets N (default 10000).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Article } from '../src/analyze.js'
import { type BenchFlags, fmt, loadCorpus, ROOT, section, table } from './common.js'

const OTHERS = 500
const EXACT_SIZES = [10_000, 100_000]
const SECTIONS = ['World', 'Business', 'Markets', 'Region', 'Economy', 'Latest']

interface ScanRun {
  seconds: number
  status: number | null
  stderr: string
  report: { clusters: { members: { id: string }[] }[]; stats: Record<string, number> } | null
  /** With text: the report's first line ("wiretrace report: N articles · K clusters · S singletons · …"). */
  header: string
  /** Size of the report file (0 when the scan failed). */
  bytes: number
}

/**
 * Run `wiretrace scan` on a file as a child process, the report going to a file: JSON, or text
 * (whose first line gives the counts) where a JSON report would be needlessly large (100,000
 * members, their diffs and links).
 */
function scan(input: string, out: string, workers: number, format: 'json' | 'text' = 'json'): Promise<ScanRun> {
  const t0 = performance.now()
  const args = [join(ROOT, 'bin/wiretrace.js'), 'scan', input, '--format', format, '--out', out, '--workers', String(workers)]
  return new Promise((resolvePromise) => {
    const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    proc.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    proc.on('close', (status) => {
      const seconds = (performance.now() - t0) / 1000
      let report: ScanRun['report'] = null
      let header = ''
      let bytes = 0
      try {
        if (status === 0) bytes = statSync(out).size
        if (status === 0 && format === 'json') report = JSON.parse(readFileSync(out, 'utf8'))
        if (status === 0 && format === 'text') header = readFileSync(out, 'utf8').slice(0, 300).split('\n')[0] ?? ''
      } catch {
        report = null
      }
      resolvePromise({ seconds, status, stderr, report, header, bytes })
    })
  })
}

/** A closing line no other reprint has: eight made-up words drawn from the reprint's number. */
function closingLine(i: number): string {
  const words: string[] = []
  for (let k = 0; k < 8; k++) {
    let h = Math.imul(i * 97 + k + 1, 2654435761) >>> 0
    let w = ''
    for (let j = 0; j < 7; j++) {
      w += String.fromCharCode(97 + (h % 26))
      h = Math.floor(h / 26)
    }
    words.push(w)
  }
  return `Outlet note ${i}: ${words.join(' ')}.`
}

function writeJsonl(path: string, records: Iterable<Article>): void {
  const lines: string[] = []
  for (const r of records) lines.push(JSON.stringify(r))
  writeFileSync(path, `${lines.join('\n')}\n`)
}

/** Members of the largest cluster holding `id`'s prefix: how many of the prefixed ids it holds. */
function inOneCluster(report: ScanRun['report'], prefix: string): { largest: number; clusters: number } {
  if (!report) return { largest: 0, clusters: 0 }
  const counts = report.clusters.map((c) => c.members.filter((m) => m.id.startsWith(prefix)).length).filter((n) => n > 0)
  return { largest: Math.max(0, ...counts), clusters: counts.length }
}

export async function benchFloods(flags: BenchFlags): Promise<void> {
  const corpus = await loadCorpus({ corpus: flags.corpus, limit: 2000 })
  const story = corpus.find((a) => a.text.length >= 2000 && a.text.length <= 3000)
  const short = corpus.find((a) => a.text.length >= 500 && a.text.length <= 800)
  if (!story || !short) {
    console.log('\nfloods: the corpus has no story of 2,000–3,000 and 500–800 characters to reprint')
    return
  }
  const others = corpus.filter((a) => a !== story && a !== short).slice(0, OTHERS)
  const dir = mkdtempSync(join(tmpdir(), 'wiretrace-floods-'))
  try {
    const viralRows: (string | number)[][] = []
    for (const [n, ownLine] of flags.sizes.flatMap((n) => [[n, false] as const, [n, true] as const])) {
      const input = join(dir, `viral-${n}.jsonl`)
      // With ownLine, each reprint also ends with a line of its own: an addition no other member
      // shares, which the cluster diff must not compare with every other member's.
      const reprints = Array.from({ length: n }, (_, i) => ({
        id: `reprint-${String(i).padStart(6, '0')}`,
        text: `${SECTIONS[i % SECTIONS.length]} | Outlet ${i} reprints the wire story for its readers, edition ${(i * 7919) % 1000}\n\n${story.text}${ownLine ? `\n\n${closingLine(i)}` : ''}`,
      }))
      writeJsonl(input, [...reprints, ...others.map((a) => ({ id: `other-${a.id}`, text: a.text }))])
      const r = await scan(input, join(dir, 'viral.json'), flags.workers)
      const { largest, clusters } = inOneCluster(r.report, 'reprint-')
      const strays = r.report
        ? r.report.clusters.filter(
            (c) => c.members.some((m) => m.id.startsWith('reprint-')) && c.members.some((m) => m.id.startsWith('other-')),
          ).length
        : 0
      viralRows.push([
        `${n.toLocaleString('en-US')} reprints${ownLine ? ', each with a closing line of its own,' : ''} + ${others.length} others`,
        r.status === 0 ? fmt(r.seconds, 1) : `failed (${r.status}): ${r.stderr.trim().split('\n').pop()}`,
        `${largest.toLocaleString('en-US')} / ${n.toLocaleString('en-US')}`,
        clusters,
        strays,
        r.report?.stats.candidatePairs ?? '',
        r.report?.stats.oversizedBuckets ?? '',
        r.report?.stats.leftOut ?? '',
        r.bytes ? fmt(r.bytes / 1e6, 1) : '',
      ])
      rmSync(input, { force: true })
    }
    section(
      `Viral story: wiretrace scan, reprints with their own headline line (${flags.workers} workers)`,
      table(
        [
          'input',
          'seconds',
          'reprints in the largest cluster',
          'clusters with reprints',
          'mixed with others',
          'candidate pairs',
          'oversized buckets',
          'left out',
          'JSON report (MB)',
        ],
        viralRows,
      ),
      [
        `Reprinted story: ${story.id} (${story.text.length} characters); ${others.length} other stories from the corpus.`,
        'Whole process: start-up, analysis, candidates, verification, diffs and the JSON report. Target: all 10,000 in one cluster in ≤ 10 s.',
      ],
    )

    const exactRows: (string | number)[][] = []
    for (const m of EXACT_SIZES) {
      const input = join(dir, `exact-${m}.jsonl`)
      writeJsonl(
        input,
        Array.from({ length: m }, (_, i) => ({ id: `copy-${String(i).padStart(6, '0')}`, text: short.text })),
      )
      const r = await scan(input, join(dir, 'exact.txt'), flags.workers, 'text')
      const counts = /(\S+) clusters? · (\S+) singletons?/.exec(r.header)
      exactRows.push([
        m.toLocaleString('en-US'),
        r.status === 0 ? fmt(r.seconds, 1) : `failed (${r.status}): ${r.stderr.trim().split('\n').pop()}`,
        r.status === 0 ? fmt((r.seconds / m) * 1e6, 0) : '',
        counts ? `${counts[1]} cluster(s), ${counts[2]} singleton(s)` : '',
      ])
      rmSync(input, { force: true })
    }
    section(
      `Exact copies: wiretrace scan (${flags.workers} workers)`,
      table(['copies', 'seconds', 'µs per copy', 'result'], exactRows),
      [
        `Copied story: ${short.id} (${short.text.length} characters). Linear time means a flat µs-per-copy column.`,
        'Text report (a JSON report of 100,000 members, their diffs and links, is large to no purpose here).',
      ],
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
