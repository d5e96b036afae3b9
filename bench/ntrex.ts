// Cross-language clustering on NTREX-128 (123 English news stories, each translated into
// Spanish twice, French, German and Arabic): pairwise precision and recall per language pair.
// Run: npx tsx bench/ntrex.ts [path/to/ntrex/docs.jsonl.gz] [--min-confidence P]
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { type ClusterOptions, type ClusterResult, clusterArticles } from '../src/index.js'

interface NtrexDoc {
  id: string
  story: string
  lang: string
  text: string
}

export function loadNtrex(path: string): NtrexDoc[] {
  return gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as NtrexDoc)
}

/** Per language pair: precision and recall of "same cluster" against "same story". */
export function pairTable(docs: NtrexDoc[], result: ClusterResult): { rows: string[]; precision: number; recall: number } {
  const cluster = new Map<string, string>()
  for (const c of result.clusters) for (const m of c.members) cluster.set(m.id, c.id)
  const stats = new Map<string, { tp: number; fp: number; fn: number }>()
  let tp = 0
  let fp = 0
  let fn = 0
  for (let i = 0; i < docs.length; i++) {
    for (let j = i + 1; j < docs.length; j++) {
      const a = docs[i] as NtrexDoc
      const b = docs[j] as NtrexDoc
      const same = a.story === b.story
      const ca = cluster.get(a.id)
      const together = ca !== undefined && ca === cluster.get(b.id)
      if (!same && !together) continue
      const key = [a.lang, b.lang].sort().join('–')
      const s = stats.get(key) ?? { tp: 0, fp: 0, fn: 0 }
      if (same && together) {
        s.tp++
        tp++
      } else if (together) {
        s.fp++
        fp++
      } else {
        s.fn++
        fn++
      }
      stats.set(key, s)
    }
  }
  const f = (x: number) => x.toFixed(3)
  const rows = [...stats]
    .sort((x, y) => (x[0] < y[0] ? -1 : 1))
    .map(
      ([k, s]) =>
        `| ${k} | ${s.tp + s.fn} | ${s.fp} | ${s.tp + s.fn ? f(s.tp / (s.tp + s.fp || 1)) : '–'} | ${s.tp + s.fn ? f(s.tp / (s.tp + s.fn)) : '–'} |`,
    )
  return { rows, precision: tp / (tp + fp || 1), recall: tp / (tp + fn || 1) }
}

export function ntrexReport(path: string, options: ClusterOptions = {}): string {
  const docs = loadNtrex(path)
  const t = performance.now()
  const result = clusterArticles(
    docs.map((d) => ({ id: d.id, text: d.text })),
    options,
  )
  const secs = (performance.now() - t) / 1000
  const { rows, precision, recall } = pairTable(docs, result)
  return [
    `### NTREX-128: ${docs.length} documents, no language given (${secs.toFixed(1)} s)`,
    '',
    '| language pair | true pairs | false pairs | precision | recall |',
    '|---|---:|---:|---:|---:|',
    ...rows,
    `| **all** | | | **${precision.toFixed(3)}** | **${recall.toFixed(3)}** |`,
    '',
    `${result.clusters.length} clusters, ${result.singletons.length} singletons; ${result.stats.candidatePairs} candidate pairs, ${result.stats.linkedPairs} linked.`,
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // npx tsx bench/ntrex.ts [docs.jsonl.gz] [--min-confidence P]
  const args = process.argv.slice(2)
  const at = args.indexOf('--min-confidence')
  const minConfidence = at >= 0 ? Number(args.splice(at, 2)[1]) : undefined
  const path = args[0] ?? join(dirname(fileURLToPath(import.meta.url)), '../../shared/corpora/ntrex/docs.jsonl.gz')
  if (!existsSync(path)) console.log(`NTREX not found at ${path}: pass its docs.jsonl.gz as the first argument.`)
  else console.log(ntrexReport(path, minConfidence === undefined ? {} : { minConfidence }))
}
