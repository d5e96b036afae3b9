// One engine, three drivers (src/cluster/engine.ts): the same corpus through clusterArticles
// (memory), clusterCorpus with one and two workers (file: packed sketches, pass-2 jobs, a large
// group cut into pieces) and the Detector fed in order (stream) gives the same clusters, members,
// relations, singletons and skips, and the same stats where the stats count the same thing.
// Seeds, generated texts over a synthetic base, and a flood; no corpus text.
import { describe, expect, it } from 'vitest'
import { generateCorpus, toArticle } from '../../bench/generate.js'
import { type AnalysisOk, type Article, analyze } from '../../src/analyze.js'
import { type ClusterResult, clusterArticles } from '../../src/cluster/cluster.js'
import { Detector } from '../../src/cluster/detector.js'
import { comparedOnce, PairVerifier } from '../../src/cluster/engine.js'
import { verifyGroup, verifyPiece } from '../../src/cluster/packed.js'
import { compare } from '../../src/compare/compare.js'
import { clusterCorpus } from '../../src/node/corpus.js'
import { exactCopies, nearCopies } from '../helpers/floods.js'
import { loadSeeds } from '../helpers/seeds.js'
import { syntheticBase } from '../helpers/synthetic.js'

/** 600 exact copies of one story, 120 near copies (each outlet's own line on top), and unrelated stories. */
function flood(): Article[] {
  return [...exactCopies(600), ...nearCopies(120), ...syntheticBase(60, 3)]
}

const CORPORA: { name: string; articles: () => Article[] }[] = [
  // The seeds, some of them twice under other ids (copies), and an empty article (a skip).
  {
    name: 'seeds',
    articles: () => {
      const seeds = loadSeeds()
      return [
        ...seeds,
        ...seeds.slice(0, 2).map((a) => ({ ...a, id: `again-${a.id}` })),
        { id: 'blank', text: '   ' },
        ...syntheticBase(30, 9),
      ]
    },
  },
  { name: 'generated', articles: () => [...generateCorpus(syntheticBase(200, 5), { n: 500, seed: 17 })].map(toArticle) },
  { name: 'flood', articles: flood },
]

/** What every driver must give alike: the clusters with every member's relation and figures, singletons, skips. */
const outcome = (r: ClusterResult) => ({ clusters: r.clusters, singletons: r.singletons, skipped: r.skipped })

/**
 * The stats the stream counts as the batch drivers do. candidatePairs, screenedOut and
 * linkedPairs count the pairs a driver looked at: the stream pairs each article with what came
 * before it (a copy with the first of its copies to arrive, a flood member with its buckets'
 * oldest members), the batch drivers with the whole batch (a copy with its group's smallest id,
 * flood members with leaders in id order). oversizedBuckets counts, in the stream, each bucket
 * an article met on arrival (documented on Detector.clusters), in a batch each bucket once.
 */
const STREAM_STATS = ['articles', 'analysed', 'skipped', 'copies', 'leftOut'] as const
const streamStats = (r: ClusterResult) => Object.fromEntries(STREAM_STATS.map((k) => [k, r.stats[k]]))

describe.each(CORPORA)('one engine: $name through every driver', ({ articles }) => {
  const input = articles()
  const memory = clusterArticles(input)

  it('has clusters, and the flood its story whole', () => {
    expect(memory.clusters.length).toBeGreaterThan(0)
    expect(memory.stats.candidatePairs).toBeGreaterThan(0)
    const story = memory.clusters.find((c) => c.members.some((m) => m.id === 'copy-00000'))
    // Only the flood corpus has the story; there it must be one cluster, whole.
    if (input.some((a) => a.id === 'copy-00000')) {
      expect(story?.members.filter((m) => /^(copy|near)-/.test(m.id))).toHaveLength(720)
      expect(memory.stats.oversizedBuckets).toBeGreaterThan(0)
    } else expect(story).toBeUndefined()
  })

  it.each([1, 2])('clusterCorpus with %i worker(s): the same result, stats included', async (workers) => {
    // Small batches and pieces: several pass-1 jobs, and the flood's group cut into pieces.
    const file = await clusterCorpus(input, { workers, batchSize: 64, maxGroupDocs: 200 })
    expect(outcome(file)).toEqual(outcome(memory))
    expect(file.stats).toEqual(memory.stats)
    expect(file.links).toEqual(memory.links)
  })

  it('Detector fed in order: the same clusters, members, singletons and skips; the same article counts', () => {
    const d = new Detector()
    for (const a of input) d.add(a)
    const stream = d.clusters()
    expect(outcome(stream)).toEqual(outcome(memory))
    expect(streamStats(stream)).toEqual(streamStats(memory))
  })
})

describe('the file driver: verifying a group', () => {
  it('refuses analyses out of id order, naming the function that was called', () => {
    // Two seeds, the larger id first.
    const unsorted = loadSeeds()
      .slice(0, 2)
      .map((a) => analyze(a) as AnalysisOk)
      .sort((x, y) => (x.id < y.id ? 1 : -1))
    const pairs = Uint32Array.of(0, 1)
    expect(() => verifyGroup(unsorted, pairs, {})).toThrow(
      'wiretrace: verifyGroup: analyses must be sorted by id, with distinct ids',
    )
    expect(() => verifyPiece(unsorted, pairs, {})).toThrow(
      'wiretrace: verifyPiece: analyses must be sorted by id, with distinct ids',
    )
  })
})

describe('stage 3: analyses compared once go through a throwaway copy', () => {
  it('comparedOnce lists the analyses of exactly one pair', () => {
    const analyses = nearCopies(4).map((a) => analyze(a) as AnalysisOk)
    // 0 meets 1, 2 and 3; each of those meets 0 once.
    const once = comparedOnce(analyses, Uint32Array.of(0, 1, 0, 2, 0, 3))
    expect([...once].map((a) => a.id)).toEqual(analyses.slice(1).map((a) => a.id))
    expect(comparedOnce(analyses, Uint32Array.of(0, 1, 1, 2)).has(analyses[1] as AnalysisOk)).toBe(false)
  })

  it('gives the comparisons compare gives, whether an analysis goes as itself or as a copy', () => {
    const analyses = nearCopies(6).map((a) => analyze(a) as AnalysisOk)
    const pairs = Uint32Array.of(0, 1, 0, 2, 0, 3, 0, 4, 0, 5)
    const links = new PairVerifier({}).verifyPairs(analyses, pairs)
    expect(links.length).toBe(5)
    const direct = [1, 2, 3, 4, 5].map((k) => compare(analyses[0] as AnalysisOk, analyses[k] as AnalysisOk))
    expect(links).toEqual(direct)
  })
})
