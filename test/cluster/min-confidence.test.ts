// minConfidence: a linking verdict below its relation's floor is no link, in every driver (in
// memory, file, stream) and the CLI; by default every linking relation but translation needs 0.7; a bad value is
// an INVALID_ARGUMENT naming the option, given before input is read.
import { describe, expect, it } from 'vitest'
import { type ClusterResult, clusterArticles } from '../../src/cluster/cluster.js'
import { Detector } from '../../src/cluster/detector.js'
import { DEFAULT_MIN_CONFIDENCE, resolveMinConfidence } from '../../src/cluster/engine.js'
import { clusterCorpus } from '../../src/node/corpus.js'
import { recordToArticle } from '../../src/node/io.js'
import { has, REUTERS, readJsonl } from '../helpers/corpora.js'
import { expectError } from '../helpers/errors.js'
import { expectRefusedEverywhere } from '../helpers/options.js'
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
    // The default floors every linking relation but translation: 002, a translation at 0.58, is in.
    expect(members(plain)).toEqual([['000 partial', '001 copy', '002 translation', '003 reference']])
  })

  it('floors only the relations an object names, the others at their default, in every driver', async () => {
    // 000 is partial at about 0.93: a partial floor of 0.95 leaves it out, and 002 (translation) stays.
    const floors = { partial: 0.95 }
    const want = [['001 copy', '002 translation', '003 reference']]
    expect(members(clusterArticles(seeds, { minConfidence: floors }))).toEqual(want)
    expect(members(await clusterCorpus(seeds, { workers: 1, minConfidence: floors }))).toEqual(want)
    const stream = new Detector({ minConfidence: floors })
    for (const a of seeds) stream.add(a)
    expect(members(stream.clusters())).toEqual(want)
    // A translation floor leaves 002 out and nothing else.
    expect(members(clusterArticles(seeds, { minConfidence: { translation: 0.8 } }))).toEqual([
      ['000 partial', '001 copy', '003 reference'],
    ])
  })

  it('resolves to a floor per relation: the default, a number for all, an object over the default', () => {
    expect(DEFAULT_MIN_CONFIDENCE).toEqual({ duplicate: 0.7, copy: 0.7, partial: 0.7, rewrite: 0.7 })
    expect(resolveMinConfidence({})).toEqual({
      duplicate: 0.7,
      copy: 0.7,
      rewrite: 0.7,
      partial: 0.7,
      translation: 0,
      related: 0,
      unrelated: 0,
    })
    expect(Object.values(resolveMinConfidence({ minConfidence: 0 }))).toEqual(new Array(7).fill(0))
    expect(resolveMinConfidence({ minConfidence: 0.8 }).translation).toBe(0.8)
    expect(resolveMinConfidence({ minConfidence: { partial: 0.5, copy: 0.9 } })).toMatchObject({
      partial: 0.5,
      copy: 0.9,
      duplicate: 0.7,
      rewrite: 0.7,
      translation: 0,
    })
  })

  /** Two Reuters stories as scan reads them (title and date too). */
  const reutersPair = (ids: readonly string[]) => {
    const pair = readJsonl<{ id: string }>(REUTERS)
      .filter((r) => ids.includes(r.id))
      .map((r) => recordToArticle(r, r.id))
    expect(pair).toHaveLength(2)
    return pair
  }

  it('by default, leaves out weak links of two Reuters stories, kept at 0: a partial and a duplicate', () => {
    if (!has(REUTERS, 'weak links on Reuters')) return
    const weak = [
      // Bank of England notices of two days.
      { ids: ['reuters-6359', 'reuters-7562'], relation: 'partial' },
      // The same one-line Fed flash sent four days apart: the texts are one; only the dates weigh against a link.
      { ids: ['reuters-7204', 'reuters-8343'], relation: 'duplicate' },
    ]
    for (const { ids, relation } of weak) {
      const pair = reutersPair(ids)
      const open = clusterArticles(pair, { minConfidence: 0 })
      expect(open.clusters).toHaveLength(1)
      const link = open.clusters[0]?.members.find((m) => m.relation !== 'reference')
      expect(link?.relation).toBe(relation)
      expect(link?.confidence).toBeLessThan(0.7)
      expect(clusterArticles(pair).clusters).toHaveLength(0)
    }
    // Undated, the flash and its repeat are a confident duplicate and link by default.
    const undated = reutersPair(['reuters-7204', 'reuters-8343']).map((a) => ({ ...a, publishedAt: undefined }))
    expect(
      clusterArticles(undated)
        .clusters[0]?.members.map((m) => m.relation)
        .sort(),
    ).toEqual(['duplicate', 'reference'])
  })

  it('refuses a value outside 0 to 1 or not a number, naming it', async () => {
    for (const bad of [1.5, -0.1, Number.NaN, '0.5', null, [0.5]]) {
      await expectRefusedEverywhere(
        { minConfidence: bad as number },
        'minConfidence must be a number from 0 to 1',
        'minConfidence',
      )
    }
    expectError(
      () => clusterArticles([], { minConfidence: { related: 0.5 } }),
      'INVALID_ARGUMENT',
      '"related" is not a linking relation',
    )
    expectError(() => clusterArticles([], { minConfidence: { partial: 2 } }), 'INVALID_ARGUMENT', 'minConfidence.partial must be')
    expectError(() => new Detector({ minConfidence: { copies: 0.5 } as never }), 'INVALID_ARGUMENT', '"copies"')
  })
})
