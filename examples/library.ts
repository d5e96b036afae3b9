// The smallest useful program: cluster a few articles and print what each copy is.
// Run: npx tsx examples/library.ts
import { clusterArticles } from '../src/index.js'

const wire = `BEIRUT — Rebels entered the strategic city of Homs on Saturday, a war monitor said.

The defence ministry denied rebels had entered the city, describing the situation as "safe and stable".

Homs would be the third major city seized by the rebels since their advance began ten days ago.`

const articles = [
  { id: 'afp', text: wire, source: 'AFP', publishedAt: '2024-12-07T18:00:00Z' },
  // A reprint that keeps the first two paragraphs and adds its own.
  {
    id: 'daily',
    source: 'The Daily',
    publishedAt: '2024-12-07T19:30:00Z',
    text: `${wire.split('\n\n').slice(0, 2).join('\n\n')}\n\nOur correspondent adds that residents were leaving the city in large numbers.`,
  },
  {
    id: 'other',
    source: 'Elsewhere',
    text: 'Markets rallied on Monday as investors weighed the central bank decision on rates.',
  },
]

const result = clusterArticles(articles)
for (const cluster of result.clusters) {
  console.log(`cluster of ${cluster.reference} (${cluster.referenceRule})`)
  for (const m of cluster.members) console.log(`  ${m.id.padEnd(6)} ${m.relation.padEnd(10)} ${m.reason}`)
}
console.log('not syndicated:', result.singletons.join(', '))
