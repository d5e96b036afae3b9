// Quality on the development sets: Clough-Stevenson relations (confusion matrix, macro-F1) and
// the seed expectations. Run: npx tsx bench/quality.ts [path/to/clough-stevenson]
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type AnalysisOk, analyze, clusterArticles, compare, type Relation } from '../src/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const LABELS = ['cut', 'light', 'heavy', 'non'] as const
type Label = (typeof LABELS)[number]
const RELATIONS: Relation[] = ['duplicate', 'copy', 'partial', 'translation', 'related', 'unrelated']

/** The issue's mapping: cut → copy; light → copy or partial; heavy → translation-like rewrite; non → related or unrelated. */
export function predictedLabel(relation: Relation, truth: Label): Label {
  if (relation === 'duplicate' || relation === 'copy') return truth === 'light' ? 'light' : 'cut'
  if (relation === 'partial') return 'light'
  if (relation === 'translation') return 'heavy'
  return 'non'
}

export function macroF1(pairs: { truth: Label; predicted: Label }[]): {
  f1: Record<Label, number>
  macro: number
  accuracy: number
} {
  const f1 = {} as Record<Label, number>
  for (const c of LABELS) {
    const tp = pairs.filter((p) => p.truth === c && p.predicted === c).length
    const fp = pairs.filter((p) => p.truth !== c && p.predicted === c).length
    const fn = pairs.filter((p) => p.truth === c && p.predicted !== c).length
    const prec = tp + fp === 0 ? 0 : tp / (tp + fp)
    const rec = tp + fn === 0 ? 0 : tp / (tp + fn)
    f1[c] = prec + rec === 0 ? 0 : (2 * prec * rec) / (prec + rec)
  }
  const macro = LABELS.reduce((s, c) => s + f1[c], 0) / LABELS.length
  const accuracy = pairs.filter((p) => p.truth === p.predicted).length / pairs.length
  return { f1, macro, accuracy }
}

export function cloughStevenson(dir: string): string {
  const docs = new Map<string, { id: string; text: string }>(
    readFileSync(join(dir, 'docs.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .map((d: { id: string; text: string }) => [d.id, d]),
  )
  const pairs = readFileSync(join(dir, 'pairs.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { source_id: string; derived_id: string; label: Label })
  const cache = new Map<string, AnalysisOk>()
  const get = (id: string) => {
    let a = cache.get(id)
    if (!a) {
      const d = docs.get(id)
      if (!d) throw new Error(`no document ${id}`)
      a = analyze({ id, text: d.text }) as AnalysisOk
      cache.set(id, a)
    }
    return a
  }
  const matrix = new Map<Label, Map<Relation, number>>()
  const scored: { truth: Label; predicted: Label }[] = []
  for (const p of pairs) {
    const c = compare(get(p.derived_id), get(p.source_id))
    const row = matrix.get(p.label) ?? new Map()
    row.set(c.relation, (row.get(c.relation) ?? 0) + 1)
    matrix.set(p.label, row)
    scored.push({ truth: p.label, predicted: predictedLabel(c.relation, p.label) })
  }
  const { f1, macro, accuracy } = macroF1(scored)
  const lines = [
    `### Clough-Stevenson: compare() relation by label (${pairs.length} pairs)`,
    '',
    `| label | ${RELATIONS.join(' | ')} |`,
    `|---|${RELATIONS.map(() => '---:').join('|')}|`,
    ...LABELS.map((l) => `| ${l} | ${RELATIONS.map((r) => matrix.get(l)?.get(r) ?? 0).join(' | ')} |`),
    '',
    `Mapping: cut → copy/duplicate; light → copy or partial; heavy → translation; non → related/unrelated.`,
    '',
    `| class | F1 |`,
    `|---|---:|`,
    ...LABELS.map((l) => `| ${l} | ${f1[l].toFixed(3)} |`),
    `| **macro-F1** | **${macro.toFixed(3)}** |`,
    `| accuracy | ${accuracy.toFixed(3)} |`,
  ]
  return lines.join('\n')
}

export function seedsSummary(): string {
  const dir = join(here, '../examples/data')
  const meta = JSON.parse(readFileSync(join(dir, 'seeds.json'), 'utf8')) as { file: string; publishedAt: string | null }[]
  const articles = meta.map((m) => ({
    id: m.file.slice(0, 3),
    text: readFileSync(join(dir, m.file), 'utf8'),
    ...(m.publishedAt ? { publishedAt: m.publishedAt } : {}),
  }))
  const r = clusterArticles(articles)
  const expect: Record<string, string> = { '003': 'reference', '000': 'partial', '001': 'copy', '002': 'translation' }
  const lines = ['### Seeds', '', '| article | expected | got |', '|---|---|---|']
  const got = new Map<string, string>()
  for (const c of r.clusters) for (const m of c.members) got.set(m.id, `${m.relation} (cluster ${c.reference})`)
  for (const id of ['000', '001', '002', '003', '004']) {
    lines.push(
      `| ${id} | ${expect[id] ? `${expect[id]} (cluster 003)` : 'not in the cluster'} | ${got.get(id) ?? 'not in a cluster'} |`,
    )
  }
  return lines.join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? join(here, '../../shared/corpora/clough-stevenson')
  console.log(seedsSummary())
  console.log()
  if (existsSync(join(dir, 'pairs.jsonl'))) console.log(cloughStevenson(dir))
  else console.log(`Clough-Stevenson not found at ${dir}: pass its directory as the first argument.`)
}
