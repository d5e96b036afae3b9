// Feed the seed articles one at a time to the streaming detector and print matches as they arrive.
// Run: npx tsx examples/stream.ts
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Detector } from '../src/index.js'

const dir = join(dirname(fileURLToPath(import.meta.url)), 'data')
const meta = JSON.parse(readFileSync(join(dir, 'seeds.json'), 'utf8')) as {
  file: string
  outlet: string
  publishedAt: string | null
}[]

const detector = new Detector({ windowDays: 3 })
for (const m of meta) {
  const article = {
    id: m.file.slice(0, 3),
    text: readFileSync(join(dir, m.file), 'utf8'),
    source: m.outlet,
    ...(m.publishedAt ? { publishedAt: m.publishedAt } : {}),
  }
  const { matches } = detector.add(article)
  console.log(`+ ${article.id} ${m.outlet}`)
  if (matches.length === 0) console.log('    new story')
  for (const c of matches) {
    const other = c.a === article.id ? c.b : c.a
    console.log(`    ${c.relation} of ${other}: ${c.reason}`)
  }
}
const { clusters } = detector.clusters()
console.log(
  `\n${clusters.length} cluster(s) in the window:`,
  clusters.map((c) => `${c.reference} ← ${c.members.length - 1} copies`).join('; '),
)
