// Floods: a story reprinted by more outlets than an LSH bucket may hold (maxBucket) stays one
// story in every path (clusterArticles, clusterCorpus, the Detector, the CLI), and what a flood
// leaves out is counted. Synthetic stories only (no corpus text).
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Article } from '../../src/analyze.js'
import { contentKey, groupCopies, signatureKey } from '../../src/cluster/candidates.js'
import { clusterArticles } from '../../src/cluster/cluster.js'
import { Detector } from '../../src/cluster/detector.js'
import { clusterCorpus } from '../../src/node/corpus.js'
import { buildReport } from '../../src/report/build.js'
import { formatText } from '../../src/report/text.js'
import { type BuiltCli, buildCli } from '../helpers/cli.js'
import { expectError } from '../helpers/errors.js'
import { jsonl, scratchDir } from '../helpers/files.js'
import { exactCopies, nearCopies, WIRE } from '../helpers/floods.js'
import { syntheticBase } from '../helpers/synthetic.js'

const COUNCIL = [
  'Councillors in Brennick postponed a vote on closing three branch libraries on Wednesday after more than two hundred residents packed the chamber to protest the cuts.',
  'The council faces a shortfall of 7.4 million pounds next year and had proposed shutting the Eastgate, Millbrook and Saltash branches to save about 900,000 pounds a year.',
  'Council leader Amrit Osei said the authority would look again at volunteer-run alternatives before the next full meeting in March, but warned that every department would have to find savings.',
]

describe('501 exact copies (over the maxBucket of 500 that lost them before) are one story', () => {
  const copies = exactCopies(501)

  it('clusterArticles: one cluster of 501, the copies joined through their group', () => {
    const r = clusterArticles(copies, { maxBucket: 500 })
    expect(r.clusters.map((c) => c.members.length)).toEqual([501])
    expect(r.singletons).toEqual([])
    expect(r.stats.copies).toBe(500)
    expect(r.stats.leftOut).toBe(0)
    const members = r.clusters[0]?.members ?? []
    expect(members.filter((m) => m.relation === 'duplicate')).toHaveLength(500)
    // A pair per copy, not 125,250.
    expect(r.stats.candidatePairs).toBe(500)
  })

  it('clusterCorpus (two passes, pieces of at most maxGroupDocs): the same cluster', async () => {
    const r = await clusterCorpus(copies, { workers: 1, batchSize: 128, maxGroupDocs: 100, keepLinks: false })
    expect(r.clusters.map((c) => c.members.length)).toEqual([501])
    expect(r.stats.copies).toBe(500)
  })

  it('Detector: copy 501 (and every copy) matches the story', () => {
    const d = new Detector({ maxBucket: 500 })
    const matched = copies.map((a) => d.add(a).matches.length)
    expect(matched[0]).toBe(0)
    expect(matched.slice(1).every((m) => m === 1)).toBe(true)
    const r = d.clusters()
    expect(r.clusters.map((c) => c.members.length)).toEqual([501])
    expect(r.stats.copies).toBe(500)
  })

  it('Detector: when the first copy leaves the window, the story stays one cluster', () => {
    const d = new Detector({ maxArticles: 400 })
    for (const a of copies) d.add(a)
    const r = d.clusters()
    expect(r.clusters.map((c) => c.members.length)).toEqual([400])
  })
})

describe('near-copies over maxBucket: each with its own headline line', () => {
  it('2,000 near-copies and unrelated stories: one cluster of every near-copy, the others apart', () => {
    const others = syntheticBase(40).map((a) => ({ ...a, id: `other-${a.id}` }))
    const r = clusterArticles([...nearCopies(2000), ...others])
    const big = r.clusters[0]
    expect(big?.members.length).toBe(2000)
    expect(big?.members.every((m) => m.id.startsWith('near-'))).toBe(true)
    for (const c of r.clusters.slice(1)) expect(c.members.every((m) => m.id.startsWith('other-'))).toBe(true)
    expect(r.stats.oversizedBuckets).toBeGreaterThan(0)
    expect(r.stats.leftOut).toBe(0)
    // Linear: about a pair per copy, not the 2·10^6 of all pairs.
    expect(r.stats.candidatePairs).toBeLessThan(20_000)
  }, 300_000)

  it('Detector: every near-copy after the 500th still matches the story', () => {
    const d = new Detector()
    const copies = nearCopies(600)
    const unmatched = copies.filter((a, i) => d.add(a).matches.length === 0 && i > 0).map((a) => a.id)
    expect(unmatched).toEqual([])
    expect(d.clusters().clusters.map((c) => c.members.length)).toEqual([600])
  }, 300_000)
})

describe('what a flood leaves out is counted and reported', () => {
  // Two different stories ending on the same attribution: with one-row document bands (threshold
  // 0.01) they share buckets, and the screen finds too little in common for a comparison.
  const wire: Article = {
    id: 'wire',
    text: `${WIRE} The review is expected to begin in the spring, the authority said in a statement.`,
  }
  const council: Article = {
    id: 'council',
    text: `${COUNCIL.join('\n\n')} The review is expected to begin in the spring, the authority said in a statement.`,
  }
  const options = { threshold: 0.01 }

  it('an oversized bucket whose members end alone: stats.leftOut, and a warning in the text report', () => {
    const full = clusterArticles([wire, council], options)
    expect(full.stats.oversizedBuckets).toBe(0)
    expect(full.stats.candidatePairs).toBe(1)
    expect(full.stats.leftOut).toBe(0)
    const flooded = clusterArticles([wire, council], { ...options, maxBucket: 1 })
    expect(flooded.stats.oversizedBuckets).toBeGreaterThan(0)
    expect(flooded.singletons).toEqual(['council', 'wire'])
    expect(flooded.stats.leftOut).toBe(2)
    const report = buildReport(flooded)
    expect(report.stats.leftOut).toBe(2)
    expect(formatText(report)).toContain('warning: 2 articles shared an LSH bucket too large to compare pair by pair')
    expect(formatText(buildReport(full))).not.toContain('warning')
  })

  describe('the CLI', () => {
    let cli: BuiltCli | undefined
    const scratch = scratchDir('wiretrace-floods-')
    beforeAll(() => {
      cli = buildCli('floods-test-')
    }, 120_000)
    afterAll(() => {
      cli?.remove()
      scratch.remove()
    })

    it('scan of 501 exact copies in a JSONL file: one cluster of 501, no warning', async () => {
      const input = scratch.file('copies.jsonl', jsonl(exactCopies(501)))
      const r = await (cli as BuiltCli).run(['scan', input, '--format', 'json', '--workers', '1'])
      expect(r.status, r.stderr).toBe(0)
      const report = JSON.parse(r.stdout)
      expect(report.clusters.map((c: { members: unknown[] }) => c.members.length)).toEqual([501])
      expect(report.stats.copies).toBe(500)
      expect(report.stats.leftOut).toBe(0)
      expect(r.stderr).not.toContain('warning')
    }, 120_000)

    it('scan warns on stderr about articles a flood left out', async () => {
      const input = scratch.file('left.jsonl', jsonl([wire, council]))
      const args = ['scan', input, '--format', 'json', '--threshold', '0.01', '--workers', '1']
      const full = await (cli as BuiltCli).run(args)
      expect(full.status, full.stderr).toBe(0)
      expect(JSON.parse(full.stdout).stats.leftOut).toBe(0)
      expect(full.stderr).not.toContain('warning')
      const r = await (cli as BuiltCli).run([...args, '--max-bucket', '1'])
      expect(r.status, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout).stats.leftOut).toBe(2)
      expect(r.stderr).toContain('wiretrace: warning: 2 articles shared an LSH bucket too large to compare pair by pair')
    }, 120_000)
  })
})

describe('maxBucket', () => {
  it('must be a positive integer: INVALID_ARGUMENT naming it, in every path', () => {
    for (const bad of [0, 1.5, -3]) {
      expectError(() => clusterArticles([], { maxBucket: bad }), 'INVALID_ARGUMENT', 'maxBucket', String(bad))
      expectError(() => new Detector({ maxBucket: bad }), 'INVALID_ARGUMENT', 'maxBucket')
    }
  })
})

describe('copy groups equal a brute-force grouping', () => {
  it('groups are the connected groups of "same content key or same signature"', () => {
    const docArb = fc.record({
      content: fc.integer({ min: 0, max: 4 }),
      signature: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 3, maxLength: 3 }),
    })
    fc.assert(
      fc.property(fc.array(docArb, { maxLength: 14 }), (docs) => {
        const sig = docs.map((d) => signatureKey(d.signature))
        const rep = groupCopies(
          docs.length,
          (i) => (docs[i] as { content: number }).content,
          (i) => sig[i] as number,
        )
        // Brute force: join equal pairs until nothing changes; the representative is the smallest index.
        const group = docs.map((_, i) => i)
        let changed = true
        while (changed) {
          changed = false
          for (let i = 0; i < docs.length; i++) {
            for (let j = 0; j < docs.length; j++) {
              const a = docs[i] as { content: number; signature: number[] }
              const b = docs[j] as { content: number; signature: number[] }
              const same = a.content === b.content || a.signature.join() === b.signature.join()
              if (same && (group[j] as number) < (group[i] as number)) {
                group[i] = group[j] as number
                changed = true
              }
            }
          }
        }
        expect([...rep]).toEqual(group)
      }),
    )
  })

  it('content keys see through case and spacing, not through a changed word', () => {
    expect(contentKey(['Rebels  entered Homs.'])).toBe(contentKey(['rebels entered homs.']))
    expect(contentKey(['Rebels entered Homs.'])).not.toBe(contentKey(['Rebels entered Hama.']))
    expect(contentKey(['a', 'b'])).not.toBe(contentKey(['a b']))
  })
})
