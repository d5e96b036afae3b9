// splitTemplates: a link whose frame a third article fills with figures and names of its own is
// two reports cut from one template, dropped and counted (stats.templates) in every driver and the
// CLI; a copy whose outlets each edit a figure keeps its links; two notices with no third stay
// linked. The frame and the refill test are checked against brute force.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { type ClusterResult, clusterArticles } from '../../src/cluster/cluster.js'
import { Detector } from '../../src/cluster/detector.js'
import { PairVerifier } from '../../src/cluster/engine.js'
import { measureEvidence } from '../../src/compare/evidence.js'
import { REFILL, refills, swapFrame, swapShare, tokenSet } from '../../src/compare/frame.js'
import { clusterCorpus } from '../../src/node/corpus.js'
import { recordToArticle } from '../../src/node/io.js'
import { type BuiltCli, buildCli } from '../helpers/cli.js'
import { has, REUTERS, readJsonl } from '../helpers/corpora.js'
import { BANKS, editedCopies, rateFlash } from '../helpers/notices.js'
import { expectRefusedEverywhere } from '../helpers/options.js'

const flashes = (banks: readonly string[] = BANKS) => banks.map((bank, k) => ({ id: `flash-${k}`, text: rateFlash(bank) }))
const members = (r: ClusterResult) => r.clusters.map((c) => c.members.map((m) => m.id).sort())
const analysed = (a: { id: string; text: string }) => analyze(a) as AnalysisOk

describe('splitTemplates', () => {
  it('drops the links of flashes cut from one template, and counts them; false keeps them', () => {
    const split = clusterArticles(flashes())
    expect(split.clusters).toEqual([])
    expect(split.links).toEqual([])
    // Four flashes, six pairs, each filled anew by the other two.
    expect(split.stats.templates).toBe(6)
    const kept = clusterArticles(flashes(), { splitTemplates: false })
    expect(members(kept)).toEqual([['flash-0', 'flash-1', 'flash-2', 'flash-3']])
    expect(kept.stats.linkedPairs).toBe(6)
    expect(kept.stats.templates).toBe(0)
  })

  it('leaves two flashes with no third linked: nothing fills their frame anew', () => {
    const two = clusterArticles(flashes(BANKS.slice(0, 2)))
    expect(members(two)).toEqual([['flash-0', 'flash-1']])
    expect(two.stats.templates).toBe(0)
  })

  it('keeps a copy whose outlets each edit a figure: the edits are a small part of a long frame', () => {
    const copies = editedCopies(6)
    const r = clusterArticles(copies)
    expect(members(r)).toEqual([copies.map((c) => c.id).sort()])
    expect(r.stats.templates).toBe(0)
    // A third outlet does fill the frame of two others anew: the swaps' share of the frame is what keeps them.
    const [a, b, c] = copies.slice(1, 4).map(analysed) as [AnalysisOk, AnalysisOk, AnalysisOk]
    const frame = swapFrame(measureEvidence(a, b, false))
    expect(frame).toBeDefined()
    expect(refills(frame as NonNullable<typeof frame>, tokenSet(c))).toBe(true)
    expect(swapShare(frame as NonNullable<typeof frame>)).toBeLessThan(REFILL.swapShare)
  })

  it('gives the same clusters and count from a file, with workers, and in a stream', async () => {
    const input = [...flashes(), ...editedCopies(4)]
    const memory = clusterArticles(input)
    expect(memory.stats.templates).toBe(6)
    for (const workers of [1, 2]) {
      // Small batches, so that worker threads sketch and verify (a batch or less runs on this thread).
      const file = await clusterCorpus(input, { workers, batchSize: 4 })
      expect(members(file)).toEqual(members(memory))
      expect(file.stats.templates).toBe(6)
    }
    const stream = new Detector()
    const found = input.map((a) => stream.add(a).matches.length)
    // The second flash links to the first (no third yet); the third and fourth fill the frame anew.
    expect(found.slice(0, 4)).toEqual([0, 1, 0, 0])
    const r = stream.clusters()
    expect(members(r)).toEqual(members(memory))
    expect(r.stats.templates).toBe(6)
    // Once the flashes that fill the frame leave the window, the first two are linked again.
    stream.remove('flash-2')
    stream.remove('flash-3')
    expect(members(stream.clusters())).toContainEqual(['flash-0', 'flash-1'])
  })

  it('takes the third article from either side: met by one side alone, it still fills the frame', () => {
    const [f0, f1, f2] = flashes().map(analysed) as [AnalysisOk, AnalysisOk, AnalysisOk]
    const link = (pairs: number[]) => {
      const v = new PairVerifier({})
      return { links: v.verifyPairs([f0, f1, f2], Uint32Array.from(pairs)).length, templates: v.templates }
    }
    // Only 0–1 compared: nothing else met, the link stands.
    expect(link([0, 1])).toEqual({ links: 1, templates: 0 })
    // 2 met by side 0 only, then by side 1 only: 0–1 is dropped either way, and so is the other link.
    expect(link([0, 1, 0, 2])).toEqual({ links: 0, templates: 2 })
    expect(link([0, 1, 1, 2])).toEqual({ links: 0, templates: 2 })
    // Off: every link stands.
    expect(new PairVerifier({ splitTemplates: false }).verifyPairs([f0, f1, f2], Uint32Array.of(0, 1, 1, 2))).toHaveLength(2)
  })

  it('reads the frame from the evidence compare measured: the same as measured afresh', () => {
    const [f0, f1, f2] = flashes().map(analysed) as [AnalysisOk, AnalysisOk, AnalysisOk]
    const v = new PairVerifier({})
    // Compared in turn, so that each comparison reuses the memory of the views before it.
    const cs = [v.verify(f0, f1), v.verify(f1, f2), v.verify(f0, f2)]
    const pairs: [AnalysisOk, AnalysisOk][] = [
      [f0, f1],
      [f1, f2],
      [f0, f2],
    ]
    cs.forEach((c, k) => {
      const [x, y] = pairs[k] as [AnalysisOk, AnalysisOk]
      expect(c).toBeDefined()
      expect(v.frameOf(x, y, c as NonNullable<typeof c>)).toEqual(swapFrame(measureEvidence({ ...x }, { ...y }, false)))
    })
  })

  it('does not check a group cut into pieces, so that the workers do not change the result', async () => {
    const eight = flashes([...BANKS, 'CHASE MANHATTAN', 'CITIBANK', 'BANK OF BOSTON', 'MARINE MIDLAND'])
    const memory = clusterArticles(eight)
    expect(memory.stats.templates).toBe(28)
    expect(memory.clusters).toEqual([])
    // A group over maxGroupDocs goes to the workers in pieces, as many as there are workers.
    const cut = await Promise.all([1, 2].map((workers) => clusterCorpus(eight, { workers, batchSize: 4, maxGroupDocs: 3 })))
    expect(cut[0]?.stats.templates).toBe(0)
    expect(members(cut[0] as ClusterResult)).toEqual([eight.map((a) => a.id).sort()])
    expect(cut[1]?.clusters).toEqual(cut[0]?.clusters)
    // Under the bound, from workers too: the memory driver's result.
    const whole = await clusterCorpus(eight, { workers: 2, batchSize: 4 })
    expect(whole.stats.templates).toBe(28)
    expect(whole.clusters).toEqual([])
  })

  it('splits real rate and posting flashes of three companies (Reuters)', () => {
    if (!has(REUTERS, 'template flashes on Reuters')) return
    // Three oil companies raising their crude postings on one day: one flash each.
    const ids = ['reuters-4445', 'reuters-4466', 'reuters-4578']
    const three = readJsonl<{ id: string }>(REUTERS)
      .filter((r) => ids.includes(r.id))
      .map((r) => recordToArticle(r, r.id))
    expect(three).toHaveLength(3)
    expect(clusterArticles(three, { splitTemplates: false }).clusters).toHaveLength(1)
    const split = clusterArticles(three)
    expect(split.clusters).toEqual([])
    expect(split.stats.templates).toBeGreaterThan(0)
  })

  it('refuses a value that is not a boolean, naming it, before reading input', async () => {
    for (const bad of ['yes', 1, null]) {
      await expectRefusedEverywhere({ splitTemplates: bad as never }, 'splitTemplates must be a boolean', 'splitTemplates')
    }
  })
})

describe('the frame of a pair and its refill, against brute force', () => {
  const token = fc.integer({ min: 1, max: 40 })
  const sorted = (xs: number[]) => Uint32Array.from(new Set(xs)).sort()

  it('refills: 80 % of the frame held, at most half of each side’s fillers', () => {
    fc.assert(
      fc.property(fc.array(token, { minLength: 1 }), fc.array(token), fc.array(token), fc.array(token), (fr, fa, fb, third) => {
        const frame = { frame: sorted(fr), fillers: { a: sorted(fa), b: sorted(fb) } }
        const t = new Set(third)
        const held = (xs: Uint32Array) => [...xs].filter((x) => t.has(x)).length
        const want =
          held(frame.frame) >= 0.8 * frame.frame.length &&
          held(frame.fillers.a) <= 0.5 * frame.fillers.a.length &&
          held(frame.fillers.b) <= 0.5 * frame.fillers.b.length
        expect(refills(frame, sorted(third))).toBe(want)
      }),
    )
  })

  it('swapFrame: tokens aligned sentences share; specific tokens each side lacks, where both lack some', () => {
    const words = ['the', 'bank', 'rate', 'said', 'Fargo', 'Mellon', 'Chase', 'Lee', '12', '7', 'pct']
    const sentence = fc.array(fc.constantFrom(...words), { minLength: 3, maxLength: 8 }).map((w) => `${w.join(' ')}.`)
    fc.assert(
      fc.property(
        fc.array(sentence, { minLength: 1, maxLength: 4 }),
        fc.array(sentence, { minLength: 1, maxLength: 4 }),
        (sa, sb) => {
          const ev = measureEvidence(analysed({ id: 'a', text: sa.join(' ') }), analysed({ id: 'b', text: sb.join(' ') }), false)
          const { a: va, b: vb } = ev.views
          const of = (v: typeof va, s: number) => Array.from(v.tokens.subarray(v.sentences[s], v.sentences[s + 1]))
          const spec = (v: typeof va, s: number) =>
            Array.from(v.tokens.subarray(v.sentences[s], v.sentences[s + 1])).filter(
              (_, k) => v.specific[(v.sentences[s] as number) + k],
            )
          const frame = new Set<number>()
          const fa = new Set<number>()
          const fb = new Set<number>()
          for (const p of ev.sentencesA) {
            const ta = of(va, p.a)
            const tb = of(vb, p.b)
            for (const t of ta) if (tb.includes(t)) frame.add(t)
            const xa = spec(va, p.a).filter((t) => !tb.includes(t))
            const xb = spec(vb, p.b).filter((t) => !ta.includes(t))
            // Each outlet's own line: the two share no more than they swap, and swap no figure.
            const shared = ta.filter((t) => tb.includes(t)).length
            const figure = (v: typeof va, s: number, other: number[]) =>
              of(v, s).some((t, k) => {
                const at = (v.sentences[s] as number) + k
                return v.specific[at] === 1 && v.numeric[at] === 1 && !other.includes(t)
              })
            const ownLine = shared <= xa.length + xb.length && !figure(va, p.a, tb) && !figure(vb, p.b, ta)
            if (xa.length > 0 && xb.length > 0 && !ownLine) {
              for (const t of xa) fa.add(t)
              for (const t of xb) fb.add(t)
            }
          }
          const got = swapFrame(ev)
          if (fa.size === 0 || frame.size === 0) expect(got).toBeUndefined()
          else expect(got).toEqual({ frame: sorted([...frame]), fillers: { a: sorted([...fa]), b: sorted([...fb]) } })
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('the CLI: --no-split-templates', () => {
  let cli: BuiltCli
  beforeAll(() => {
    cli = buildCli('templates-')
  }, 120_000)
  afterAll(() => cli?.remove())

  it('keeps the flashes linked, and the default counts them in the stats', async () => {
    const input = `${flashes()
      .map((a) => JSON.stringify(a))
      .join('\n')}\n`
    const split = await cli.run(['scan', '-', '--format', 'json', '--quiet'], { input })
    expect(split.status, split.stderr).toBe(0)
    const report = JSON.parse(split.stdout)
    expect(report.stats).toMatchObject({ clusters: 0, templates: 6 })
    // Without --quiet, the summary on stderr says what was left out, and stdout is the same.
    const told = await cli.run(['scan', '-', '--format', 'json'], { input })
    expect(told.stderr).toContain(
      '4 articles, 0 clusters, 4 singletons, 0 skipped, 6 links between reports cut from one template left out',
    )
    expect(told.stdout).toBe(split.stdout)
    const kept = await cli.run(['scan', '-', '--format', 'json', '--quiet', '--no-split-templates'], { input })
    expect(kept.status, kept.stderr).toBe(0)
    expect(JSON.parse(kept.stdout).stats).toMatchObject({ clusters: 1, clustered: 4, templates: 0 })
  })
})
