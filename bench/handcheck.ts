/**
 * The hand check of issue 12: links of a whole-Reuters `wiretrace scan`, drawn at random and
 * stratified by relation with a fixed seed, judged by people, scored here.
 *
 *   node bin/wiretrace.js scan ../shared/corpora/reuters21578.jsonl.gz --format json --out scan.json
 *   npx tsx bench/handcheck.ts draw scan.json --seed 21 --per 15 --out DIR [--pool verdicts.jsonl]
 *   (judges write DIR/verdicts.jsonl: one {"a", "b", "right": true|false, "why"} per judged link)
 *   npx tsx bench/handcheck.ts score scan.json --seed 21 --per 15 --pool verdicts.jsonl [--pool more.jsonl]
 *
 * `draw` writes DIR/sample.jsonl (the drawn links) and one sheet per link (DIR/sheets/NN.md: the
 * link's relation, reason and the two texts) for the judges. The sheets hold corpus text: keep DIR
 * out of the repository. `score` draws the same sample again, looks up each link's verdict in the
 * pools (later pools win), and prints the precision by relation, the wrong links, and the links
 * not judged yet. It also scores every link of the scan that a pool has judged, so that a pool
 * built over several samples measures a new build on more than one sample.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { table } from './common.js'
import { defaultCorpusPath, readJsonl } from './corpus.js'
import { mulberry32 } from './generate.js'

interface Link {
  a: string
  b: string
  relation: string
  reason: string
  confidence: number
}

interface Verdict {
  a: string
  b: string
  right: boolean
  why?: string
}

const RELATIONS = ['duplicate', 'copy', 'rewrite', 'partial', 'translation'] as const

const keyOf = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`)

function readLinks(scanPath: string): Link[] {
  const report = JSON.parse(readFileSync(scanPath, 'utf8')) as { links?: Link[] }
  if (!Array.isArray(report.links)) throw new Error(`${scanPath}: not a scan report in JSON (no "links")`)
  return report.links
}

/** `per` links of each relation, drawn without replacement; the same scan and seed give the same sample. */
export function drawSample(links: readonly Link[], seed: number, per: number): Link[] {
  const random = mulberry32(seed)
  const out: Link[] = []
  for (const relation of RELATIONS) {
    const pool = links.filter((l) => l.relation === relation).sort((x, y) => (keyOf(x.a, x.b) < keyOf(y.a, y.b) ? -1 : 1))
    // A partial Fisher–Yates shuffle: the first `per` places are a uniform sample.
    for (let i = 0; i < Math.min(per, pool.length); i++) {
      const j = i + Math.floor(random() * (pool.length - i))
      ;[pool[i], pool[j]] = [pool[j] as Link, pool[i] as Link]
      out.push(pool[i] as Link)
    }
  }
  return out
}

function readPools(paths: readonly string[]): Map<string, Verdict> {
  const verdicts = new Map<string, Verdict>()
  for (const path of paths) {
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return
        const v = JSON.parse(line) as Verdict
        if (typeof v.a !== 'string' || typeof v.b !== 'string' || typeof v.right !== 'boolean') {
          throw new Error(`${path}:${i + 1}: a verdict needs "a", "b" and "right" (true or false)`)
        }
        verdicts.set(keyOf(v.a, v.b), v)
      })
  }
  return verdicts
}

async function draw(links: Link[], seed: number, per: number, dir: string, corpus: string, pool: Map<string, Verdict>) {
  const sample = drawSample(links, seed, per)
  const wanted = new Set(sample.flatMap((l) => [l.a, l.b]))
  const docs = new Map<string, Record<string, unknown>>()
  for await (const record of readJsonl<Record<string, unknown>>(corpus)) {
    if (wanted.has(String(record.id))) docs.set(String(record.id), record)
  }
  mkdirSync(join(dir, 'sheets'), { recursive: true })
  writeFileSync(join(dir, 'sample.jsonl'), `${sample.map((l) => JSON.stringify(l)).join('\n')}\n`)
  let fresh = 0
  sample.forEach((link, i) => {
    const judged = pool.get(keyOf(link.a, link.b))
    if (!judged) fresh++
    const side = (id: string) => {
      const d = docs.get(id)
      return [
        `## ${id}`,
        `title: ${d?.title ?? ''}`,
        `date: ${d?.publishedAt ?? d?.date ?? ''}`,
        '',
        String(d?.text ?? '(not found)'),
      ].join('\n')
    }
    const head = [
      `# ${String(i + 1).padStart(2, '0')}: ${link.a} – ${link.b}`,
      `relation: ${link.relation} (confidence ${link.confidence})`,
      `reason: ${link.reason}`,
      judged ? `already judged: ${judged.right ? 'right' : 'wrong'} (${judged.why ?? ''})` : '',
    ]
    writeFileSync(
      join(dir, 'sheets', `${String(i + 1).padStart(2, '0')}.md`),
      `${[...head, '', side(link.a), '', side(link.b)].join('\n')}\n`,
    )
  })
  console.log(`${sample.length} links drawn (seed ${seed}, ${per} per relation), ${fresh} not judged before → ${dir}`)
}

function score(links: Link[], seed: number, per: number, pool: Map<string, Verdict>) {
  const sample = drawSample(links, seed, per)
  const rows: (string | number)[][] = []
  const wrong: string[] = []
  let right = 0
  let judged = 0
  for (const relation of RELATIONS) {
    const drawn = sample.filter((l) => l.relation === relation)
    if (drawn.length === 0) continue
    const verdicts = drawn.map((l) => pool.get(keyOf(l.a, l.b)))
    const ok = verdicts.filter((v) => v?.right === true).length
    const seen = verdicts.filter((v) => v !== undefined).length
    right += ok
    judged += seen
    rows.push([relation, drawn.length, seen, `${ok}/${seen}`])
    drawn.forEach((l, i) => {
      const v = verdicts[i]
      if (v && !v.right) wrong.push(`- ${relation} ${l.a} – ${l.b} (${l.confidence}): ${v.why ?? ''}`)
      if (!v) wrong.push(`- ${relation} ${l.a} – ${l.b}: not judged`)
    })
  }
  console.log(table(['relation', 'drawn', 'judged', 'right'], rows))
  console.log(`\nsample (seed ${seed}): ${right}/${judged} right = ${((100 * right) / Math.max(1, judged)).toFixed(0)} %\n`)
  if (wrong.length > 0) console.log(`${wrong.join('\n')}\n`)
  // Every link of this scan that a pool has judged, whichever sample it came from.
  const made = new Set(links.map((l) => keyOf(l.a, l.b)))
  let poolRight = 0
  let poolWrong = 0
  for (const [key, v] of pool) {
    if (!made.has(key)) continue
    if (v.right) poolRight++
    else poolWrong++
  }
  const rightTotal = [...pool.values()].filter((v) => v.right).length
  console.log(
    `pool: ${poolRight} of ${rightTotal} right links and ${poolWrong} of ${pool.size - rightTotal} wrong links are made by this scan`,
  )
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      seed: { type: 'string', default: '21' },
      per: { type: 'string', default: '15' },
      out: { type: 'string' },
      pool: { type: 'string', multiple: true, default: [] },
      corpus: { type: 'string', default: defaultCorpusPath() },
    },
  })
  const [command, scanPath] = positionals
  if ((command !== 'draw' && command !== 'score') || !scanPath) {
    console.error('usage: npx tsx bench/handcheck.ts draw|score SCAN.json [--seed N] [--per N] [--out DIR] [--pool FILE…]')
    process.exit(2)
  }
  const seed = Number(values.seed)
  const per = Number(values.per)
  const links = readLinks(scanPath)
  const pool = readPools(values.pool)
  if (command === 'draw') {
    if (!values.out) throw new Error('draw needs --out DIR (outside the repository: the sheets hold corpus text)')
    await draw(links, seed, per, values.out, values.corpus, pool)
  } else score(links, seed, per, pool)
}

if (process.argv[1]?.endsWith('handcheck.ts')) await main()
