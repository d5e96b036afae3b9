// Cost of the translation machinery on a one-language corpus: end-to-end clustering of Reuters
// with the anchor channel on (the default) and off, alternating runs in one process.
// Run: npx tsx bench/anchor-cost.ts [path/to/corpus.jsonl.gz] [rounds]
import { existsSync } from 'node:fs'
import { clusterArticles } from '../src/index.js'
import { corpusMissing, defaultCorpusPath, readJsonl } from './corpus.js'

const path = process.argv[2] ?? defaultCorpusPath()
const rounds = Number(process.argv[3] ?? 2)
if (!existsSync(path)) {
  console.log(corpusMissing(path))
} else {
  const articles: { id: string; text: string }[] = []
  let bytes = 0
  for await (const r of readJsonl<{ id: string; text: string }>(path)) {
    articles.push({ id: r.id, text: r.text })
    bytes += Buffer.byteLength(r.text)
  }
  const times: Record<'on' | 'off', number[]> = { on: [], off: [] }
  for (let i = 0; i < rounds; i++) {
    for (const mode of ['on', 'off'] as const) {
      const t = performance.now()
      clusterArticles(articles, { anchors: mode === 'on' })
      times[mode].push((performance.now() - t) / 1000)
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
  const on = median(times.on)
  const off = median(times.off)
  console.log(
    `### Anchor channel cost, ${articles.length} articles (${(bytes / 1e6).toFixed(1)} MB), ${rounds} alternating rounds\n`,
  )
  console.log('| anchor channel | median s | docs/s | MB/s |')
  console.log('|---|---:|---:|---:|')
  for (const [name, s] of [
    ['on (default)', on],
    ['off', off],
  ] as const) {
    console.log(`| ${name} | ${s.toFixed(2)} | ${(articles.length / s).toFixed(0)} | ${(bytes / 1e6 / s).toFixed(2)} |`)
  }
  console.log(
    `\nThroughput with the channel is ${((off / on) * 100).toFixed(1)}% of without it (cost ${((1 - off / on) * 100).toFixed(1)}%).`,
  )
}
