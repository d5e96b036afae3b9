// The bundled example: analyse the five seed articles, print the AFP cluster with its reference
// and each outlet's relation, the per-outlet paragraph summary, Rudaw standing apart, and write
// the HTML report. Run: npm run example
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type AnalysisOk, analyze, buildReport, clusterArticles, compare, diffCluster, formatText, renderHtml } from 'wiretrace'

const here = dirname(fileURLToPath(import.meta.url))
const dataDir = join(here, 'data')
const meta = JSON.parse(readFileSync(join(dataDir, 'seeds.json'), 'utf8')) as {
  file: string
  outlet: string
  language: string
  publishedAt: string | null
}[]

const articles = meta.map((m) => ({
  id: m.file.slice(0, 3),
  text: readFileSync(join(dataDir, m.file), 'utf8'),
  source: m.outlet,
  ...(m.publishedAt ? { publishedAt: m.publishedAt } : {}),
}))

const result = clusterArticles(articles)
const analyses = new Map(articles.map((a) => [a.id, analyze(a) as AnalysisOk]))
const diffs = result.clusters.map((c) => diffCluster(c, analyses))
const report = buildReport(result, diffs, { analyses: [...analyses.values()] })

console.log(formatText(report, { color: process.stdout.isTTY === true }))

for (const [i, cluster] of result.clusters.entries()) {
  const diff = diffs[i]
  console.log(`Per-outlet summary against ${cluster.reference}:`)
  for (const d of diff?.diffs ?? []) {
    const counts = Object.entries(d.summary.counts)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')
    console.log(
      `  ${d.copy}  ${d.relation.padEnd(11)} carries ${Math.round(d.summary.referenceCarried * 100)}% of the reference, ` +
        `${Math.round(d.summary.copyOriginal * 100)}% of its own text is original (${counts})`,
    )
  }
}
// Why each singleton stayed out: its comparison with each cluster's reference.
for (const id of result.singletons) {
  const source = articles.find((a) => a.id === id)?.source
  console.log(`Not in any cluster: ${id} (${source})`)
  for (const cluster of result.clusters) {
    const c = compare(analyses.get(id) as AnalysisOk, analyses.get(cluster.reference) as AnalysisOk)
    console.log(`  against ${cluster.reference}: ${c.relation} (${c.reason})`)
  }
}

const outDir = join(here, 'out')
mkdirSync(outDir, { recursive: true })
const htmlPath = join(outDir, 'seeds-report.html')
writeFileSync(htmlPath, renderHtml(report))
console.log(`\nHTML report written to ${relative(process.cwd(), htmlPath)}`)
