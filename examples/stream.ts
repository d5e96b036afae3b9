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
    // `original` says which side the other derives from: the new article may be the original of an
    // earlier copy (003, the fullest version, arrives after its truncated copy 001).
    const line =
      c.original === undefined
        ? `${c.relation} with ${other}`
        : c.original === other
          ? `${c.relation} of ${other}`
          : `original of ${other} (${other} is a ${c.relation === 'partial' ? 'partial copy' : c.relation} of it)`
    console.log(`    ${line}: ${c.reason}`)
  }
}
const { clusters } = detector.clusters()
console.log(
  `\n${clusters.length} cluster(s) in the window:`,
  clusters.map((c) => `${c.reference} ← ${c.members.length - 1} copies`).join('; '),
)
