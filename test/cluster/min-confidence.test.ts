// minConfidence: a linking verdict below it is no link, in every driver (in memory, file, stream)
// and the CLI; a bad value is an INVALID_ARGUMENT naming the option, given before input is read.
import { describe, expect, it } from 'vitest'
import { type ClusterResult, clusterArticles } from '../../src/cluster/cluster.js'
import { Detector } from '../../src/cluster/detector.js'
import { clusterCorpus } from '../../src/node/corpus.js'
import { expectError, expectRejects } from '../helpers/errors.js'
import { loadSeeds } from '../helpers/seeds.js'

const members = (r: ClusterResult) => r.clusters.map((c) => c.members.map((m) => `${m.id.slice(0, 3)} ${m.relation}`).sort())

describe('minConfidence', () => {
  const seeds = loadSeeds()
  const plain = clusterArticles(seeds)
  const translation = plain.clusters[0]?.members.find((m) => m.id.startsWith('002'))

  it('the seeds link 002 (a translation) at a confidence under 0.8, and the others above it', () => {
    expect(translation?.relation).toBe('translation')
    expect(translation?.confidence).toBeGreaterThan(0.5)
    expect(translation?.confidence).toBeLessThan(0.8)
    for (const m of plain.clusters[0]?.members ?? []) if (!m.id.startsWith('002')) expect(m.confidence).toBeGreaterThan(0.8)
  })

  it('leaves out a link under the floor and keeps those above it, in memory, from a file and in a stream', async () => {
    const want = [['000 partial', '001 copy', '003 reference']]
    const memory = clusterArticles(seeds, { minConfidence: 0.8 })
    expect(members(memory)).toEqual(want)
    expect(memory.singletons.map((s) => s.slice(0, 3)).sort()).toEqual(['002', '004'])
    const file = await clusterCorpus(seeds, { workers: 1, minConfidence: 0.8 })
    expect(members(file)).toEqual(want)
    const stream = new Detector({ minConfidence: 0.8 })
    for (const a of seeds) stream.add(a)
    expect(members(stream.clusters())).toEqual(want)
    // The default links every linking verdict: 002 is in.
    expect(members(plain)).toEqual([['000 partial', '001 copy', '002 translation', '003 reference']])
  })

  it('refuses a value outside 0 to 1 or not a number, naming it', async () => {
    for (const bad of [1.5, -0.1, Number.NaN, '0.5']) {
      const options = { minConfidence: bad as number }
      expectError(() => clusterArticles([], options), 'INVALID_ARGUMENT', 'minConfidence must be a number from 0 to 1')
      expectError(() => new Detector(options), 'INVALID_ARGUMENT', 'minConfidence')
      // Checked before the input is read: a missing file would be an INPUT_ERROR.
      await expectRejects(
        clusterCorpus('/nonexistent/wiretrace.jsonl', { ...options, workers: 1 }),
        'INVALID_ARGUMENT',
        'minConfidence',
      )
    }
  })
})
