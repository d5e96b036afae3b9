// clusterCorpus's maxBucket option: a bad value is an INVALID_ARGUMENT naming the option and the
// value, given before any input is read (a corpus may take minutes to sketch), from an array of
// articles and from a JSONL path alike; clusterArticles and the Detector refuse the same values.
import { afterAll, describe, expect, it } from 'vitest'
import type { Article } from '../../src/analyze.js'
import type { ClusterOptions } from '../../src/cluster/cluster.js'
import { clusterArticles } from '../../src/cluster/cluster.js'
import { Detector } from '../../src/cluster/detector.js'
import { resolveIndexConfig } from '../../src/lsh/lsh.js'
import { memoizedParams, optimalParams } from '../../src/lsh/params.js'
import { clusterCorpus } from '../../src/node/corpus.js'
import { warmIndexConfig } from '../../src/node/corpus-job.js'
import { expectError, expectRejects } from '../helpers/errors.js'
import { jsonl, scratchDir } from '../helpers/files.js'

const articles: Article[] = [
  { id: 'a', text: 'Rebels captured the Syrian city of Homs on Sunday, the Syrian Observatory for Human Rights said.' },
  { id: 'b', text: 'Rebels captured the Syrian city of Homs on Sunday, the Syrian Observatory for Human Rights said.' },
]

const BAD: [unknown, string][] = [
  [0, '0'],
  [-1, '-1'],
  [1.5, '1.5'],
  [Number.NaN, 'NaN'],
  [Number.POSITIVE_INFINITY, 'Infinity'],
  ['64', '"64"'],
]

describe('clusterCorpus: maxBucket', () => {
  const scratch = scratchDir('wiretrace-corpus-options-')
  afterAll(() => scratch.remove())

  it('refuses a value that is not a positive integer: INVALID_ARGUMENT naming maxBucket and the value', async () => {
    const path = scratch.file('two.jsonl', jsonl(articles))
    for (const [bad, shown] of BAD) {
      const options = { workers: 1, maxBucket: bad as number }
      for (const input of [articles, path]) {
        const err = await expectRejects(clusterCorpus(input, options), 'INVALID_ARGUMENT', 'maxBucket', `got ${shown}`)
        expect(err.message).toMatch(/must be an integer from 1 to/)
      }
    }
  })

  it('refuses it before reading the input', async () => {
    // A missing file would be an INPUT_ERROR: the option is checked first.
    const missing = scratch.file('missing.jsonl')
    const progress: string[] = []
    const err = await expectRejects(
      clusterCorpus(missing, { workers: 1, maxBucket: 0, onProgress: (p) => progress.push(p.stage) }),
      'INVALID_ARGUMENT',
      'maxBucket',
    )
    expect(err.message).not.toContain('missing.jsonl')
    const sketched: string[] = []
    await expectRejects(
      clusterCorpus(articles, { workers: 1, maxBucket: -1, onProgress: (p) => sketched.push(p.stage) }),
      'INVALID_ARGUMENT',
      'maxBucket',
    )
    expect(sketched).toEqual([])
  })

  it('is refused alike by clusterArticles and the Detector', () => {
    for (const [bad, shown] of BAD) {
      expectError(() => clusterArticles(articles, { maxBucket: bad as number }), 'INVALID_ARGUMENT', 'maxBucket', `got ${shown}`)
      expectError(() => new Detector({ maxBucket: bad as number }), 'INVALID_ARGUMENT', 'maxBucket', `got ${shown}`)
    }
  })

  it('accepts the smallest and a large one', async () => {
    for (const maxBucket of [1, 1e9]) {
      const r = await clusterCorpus(articles, { workers: 1, maxBucket })
      expect(r.clusters.map((c) => c.members.length)).toEqual([2])
    }
  })
})

describe('clusterCorpus: the LSH parameters worked out while the threads wait (warmIndexConfig)', () => {
  it('remembers the parameters of the options given, and leaves bad options to the call that uses them', async () => {
    const before = memoizedParams()
    warmIndexConfig({ threshold: 0.37 })
    expect(memoizedParams()).toBe(before + 1)
    expect(optimalParams(0.37, 128)).toEqual(resolveIndexConfig({ threshold: 0.37 }, { numPerm: 128, paragraphPerm: 32 }).doc)
    for (const bad of [{ threshold: 2 }, { numPerm: 3 }, { paragraphs: 'yes' }] as ClusterOptions[]) {
      expect(() => warmIndexConfig(bad)).not.toThrow()
    }
    // The run itself still refuses them, and one waiting to warm up does not outlive it.
    await expectRejects(clusterCorpus(articles, { threshold: 2 }), 'INVALID_ARGUMENT', 'threshold')
    const large = Array.from({ length: 40 }, (_, i) => ({ id: `x${i}`, text: `${articles[0]?.text} Item ${i}.` }))
    await expect(clusterCorpus(large, { workers: 2, batchSize: 8, threshold: 0.41 })).resolves.toMatchObject({
      kind: 'clustering',
    })
    expect(optimalParams(0.41, 128)).toEqual(resolveIndexConfig({ threshold: 0.41 }, { numPerm: 128, paragraphPerm: 32 }).doc)
  })
})
