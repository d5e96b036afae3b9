// The npm `minhash` pipeline that `npm run bench -- scan` compares `wiretrace scan` with, as a
// whole process of its own: read a JSONL file of {id, text}, shingle each text into 5-word
// shingles, sign it (`new Minhash()`, 128 permutations, `update()` per shingle), insert it into
// `new LshIndex({ bandSize: 4 })`, then query every document and count the candidate pairs.
// Plain JavaScript run by node itself (no TypeScript loader), so that both sides pay only node's
// start-up. Prints one JSON line: {docs, shingles, pairs, seconds}.
//
//   node bench/minhash-baseline.mjs stories.jsonl
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { Minhash, LshIndex } = require('minhash')

const SHINGLE = 5
const path = process.argv[2]
if (!path) {
  process.stderr.write('usage: node bench/minhash-baseline.mjs stories.jsonl\n')
  process.exit(2)
}
const t0 = performance.now()
const docs = []
for (const line of readFileSync(path, 'utf8').split('\n')) {
  if (line.trim() === '') continue
  const r = JSON.parse(line)
  if (typeof r.text === 'string') docs.push({ id: String(r.id), text: r.text })
}
const index = new LshIndex({ bandSize: 4 })
const hashes = []
let shingles = 0
for (const d of docs) {
  const words = d.text
    .toLowerCase()
    .split(/\W+/)
    .filter((w) => w !== '')
  const m = new Minhash()
  for (let i = 0; i + SHINGLE <= words.length; i++) {
    m.update(words.slice(i, i + SHINGLE).join(' '))
    shingles++
  }
  index.insert(d.id, m)
  hashes.push(m)
}
let pairs = 0
docs.forEach((d, i) => {
  for (const other of index.query(hashes[i])) if (other > d.id) pairs++
})
process.stdout.write(`${JSON.stringify({ docs: docs.length, shingles, pairs, seconds: (performance.now() - t0) / 1000 })}\n`)
