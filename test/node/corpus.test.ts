import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import fc from 'fast-check'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { generateCorpus, toArticle } from '../../bench/generate.js'
import { type AnalysisOk, type Article, analyze, analyzeResolved, resolveAnalyzeOptions } from '../../src/analyze.js'
import { clusterArticles } from '../../src/cluster/cluster.js'
import { packSketches, pairGroups, SKETCH_ARRAYS, type SketchBatch, SketchTable } from '../../src/cluster/packed.js'
import { diffCluster } from '../../src/diff/cluster.js'
import type { ClusterDiff } from '../../src/diff/types.js'
import { bandKeys, resolveIndexConfig } from '../../src/lsh/lsh.js'
import { clusterCorpus, runCorpus } from '../../src/node/corpus.js'
import { WorkerPool } from '../../src/node/pool.js'
import { SketchSlabs } from '../../src/node/slabs.js'
import { has, NTREX, readJsonl } from '../helpers/corpora.js'
import { expectRejects } from '../helpers/errors.js'
import { nearCopies } from '../helpers/floods.js'
import { loadSeeds } from '../helpers/seeds.js'
import { syntheticBase } from '../helpers/synthetic.js'

const hasNtrex = has(NTREX, 'clusterCorpus across languages (test/node/corpus.test.ts)')

const dir = mkdtempSync(join(tmpdir(), 'wiretrace-corpus-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function writeJsonl(name: string, records: unknown[], sep = '\n'): string {
  const path = join(dir, name)
  writeFileSync(path, records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join(sep))
  return path
}

// A generated syndication corpus (synthetic base: no corpus file needed): wire stories, their
// reprints, independent articles and hard negatives.
const generated: Article[] = [...generateCorpus(syntheticBase(300, 5), { n: 700, seed: 11 })].map(toArticle)

/** Eight made-up words from `i`: a closing line no other article has. */
function ownWords(i: number): string {
  const words: string[] = []
  for (let k = 0; k < 8; k++) {
    let h = Math.imul(i * 97 + k + 1, 2654435761) >>> 0
    let w = ''
    for (let j = 0; j < 7; j++, h = Math.floor(h / 26)) w += String.fromCharCode(97 + (h % 26))
    words.push(w)
  }
  return words.join(' ')
}

describe('clusterCorpus', () => {
  it('returns what clusterArticles returns, from an array and from a JSONL file, on one thread and on two', async () => {
    const expected = clusterArticles(generated)
    expect(expected.clusters.length).toBeGreaterThan(40)
    const path = writeJsonl('gen.jsonl', generated)
    for (const workers of [1, 2]) {
      expect(await clusterCorpus(generated, { workers, batchSize: 200 })).toEqual(expected)
      expect(await clusterCorpus(path, { workers, batchSize: 200 })).toEqual(expected)
    }
  })

  it('gives the same result when large groups are compared in pieces and clustered apart', async () => {
    const expected = clusterArticles(generated, { references: [generated[5]?.id as string] })
    const diffs: ClusterDiff[] = []
    for (const workers of [1, 2]) {
      diffs.length = 0
      const got = await clusterCorpus(generated, {
        workers,
        batchSize: 100,
        maxGroupDocs: 4,
        references: [generated[5]?.id as string],
        onDiff: (d) => diffs.push(d),
      })
      expect(got).toEqual(expected)
      expect(diffs.length).toBe(expected.clusters.length)
    }
    const lean = await clusterCorpus(generated, { workers: 1, maxGroupDocs: 3, keepLinks: false })
    expect(lean.clusters).toEqual(clusterArticles(generated).clusters)
  })

  it("finishes a flood's cluster in chunks of members (hooks.finishChunk): the same clusters and diffs", async () => {
    // Near copies of one story, each with a closing line of its own; every third also carries a
    // later wire paragraph the reference lacks, so chunks share additions.
    const later =
      'The authority said a public consultation on the restoration programme would open in January and run for six weeks.'
    const flood = nearCopies(36).map((a, i) => ({
      ...a,
      text: `${a.text}${i % 3 === 1 ? `\n\n${later}` : ''}\n\nDesk note ${i}: ${ownWords(i)}.`,
    }))
    const articles = [...flood, ...generated.slice(0, 100)]
    const options = { references: ['near-00000'], batchSize: 64, maxGroupDocs: 16 }
    const expected = clusterArticles(articles, options)
    const analyses = new Map(articles.map((a) => [a.id, analyze(a) as AnalysisOk]))
    const expectedDiffs = expected.clusters.map((c) => diffCluster(c, analyses))
    const story = expectedDiffs.find((d) => d.reference === 'near-00000')
    expect(story?.members).toHaveLength(36)
    expect(story?.story.filter((p) => !p.addition && p.origin.article !== 'near-00000')).toHaveLength(1)
    const byReference = (ds: ClusterDiff[]) => [...ds].sort((x, y) => (x.reference < y.reference ? -1 : 1))
    for (const workers of [1, 2]) {
      for (const finishChunk of [7, undefined]) {
        const diffs: ClusterDiff[] = []
        const got = await runCorpus(articles, { ...options, workers, onDiff: (d) => diffs.push(d) }, { finishChunk })
        expect(got).toEqual(expected)
        expect(byReference(diffs)).toEqual(byReference(expectedDiffs))
      }
    }
    // Without diffs: members not linked to the reference are compared in the chunks.
    const lean = await runCorpus(articles, { ...options, workers: 1 }, { finishChunk: 5 })
    expect(lean).toEqual(expected)
  })

  it('matches clusterArticles with options', async () => {
    const seeds = loadSeeds()
    const options = { references: ['002'], threshold: 0.4 }
    expect(await clusterCorpus(seeds, { ...options, workers: 1 })).toEqual(clusterArticles(seeds, options))
  })

  it.skipIf(!hasNtrex)(
    'matches clusterArticles across languages (anchor channel; NTREX, skipped without ../shared/corpora)',
    async () => {
      // The first 12 stories in every language: translations are found through anchors.
      const docs = readJsonl<{ id: string; story: string; text: string }>(NTREX)
      const stories = [...new Set(docs.map((d) => d.story))].slice(0, 12)
      const articles = docs.filter((d) => stories.includes(d.story)).map((d) => ({ id: d.id, text: d.text }))
      const expected = clusterArticles(articles)
      expect(expected.links.some((l) => l.relation === 'translation')).toBe(true)
      expect(await clusterCorpus(articles, { workers: 1 })).toEqual(expected)
    },
  )

  it('leaves links out with keepLinks: false but still counts them', async () => {
    const expected = clusterArticles(generated)
    const lean = await clusterCorpus(generated, { workers: 1, keepLinks: false })
    expect(lean.links).toEqual([])
    expect(lean.stats).toEqual(expected.stats)
    expect(lean.clusters).toEqual(expected.clusters)
  })

  it('hands every cluster’s diff to onDiff, as diffCluster makes it', async () => {
    const seeds = loadSeeds()
    const diffs: ClusterDiff[] = []
    const result = await clusterCorpus(seeds, { workers: 1, onDiff: (d) => diffs.push(d) })
    const byId = new Map(seeds.map((s) => [s.id, analyze(s) as AnalysisOk]))
    expect(diffs.length).toBeGreaterThan(0)
    expect(diffs).toEqual(result.clusters.map((c) => diffCluster(c, byId)))
  })

  it('reports progress through both passes', async () => {
    const stages = new Set<string>()
    let last = { done: 0, total: -1 }
    await clusterCorpus(generated.slice(0, 300), {
      workers: 1,
      batchSize: 100,
      onProgress: (p) => {
        stages.add(p.stage)
        if (p.stage === 'verify') last = p
      },
    })
    expect([...stages]).toEqual(['sketch', 'candidates', 'verify'])
    expect(last.done).toBe(last.total)
  })

  it('counts and reports empty articles, and skips blank lines without losing line numbers', async () => {
    const path = writeJsonl('blank.jsonl', ['', ...generated.slice(0, 20), '  ', { id: 'empty', text: '   ' }, ''], '\r\n')
    const r = await clusterCorpus(path, { workers: 1 })
    expect(r.skipped).toEqual([{ id: 'empty', reason: 'empty', detail: 'text is empty or whitespace' }])
    expect(r.stats.articles).toBe(21)
    expect(r.stats.analysed).toBe(20)
    const bad = writeJsonl('bad.jsonl', ['', generated[0], '{"id": "x", "text": ', generated[1]])
    await expect(clusterCorpus(bad, { workers: 1 })).rejects.toThrow(`${bad}:3: invalid JSON`)
    await expect(clusterCorpus(bad, { workers: 2, batchSize: 1 })).rejects.toMatchObject({ code: 'INPUT_ERROR' })
    const noText = writeJsonl('notext.jsonl', [{ id: 'a' }])
    await expect(clusterCorpus(noText, { workers: 1 })).rejects.toThrow(`${noText}:1: record has no "text" field`)
  })

  it('refuses a line that is not UTF-8, naming its line and file offset, on one thread and on two', async () => {
    const first = JSON.stringify(generated[0])
    const path = join(dir, 'latin1.jsonl')
    writeFileSync(
      path,
      Buffer.concat([Buffer.from(`${first}\n`), Buffer.from('{"id": "x", "text": "Café society"}\n', 'latin1')]),
    )
    const at = Buffer.byteLength(first) + 1 + '{"id": "x", "text": "Caf'.length
    for (const workers of [1, 2]) {
      await expect(clusterCorpus(path, { workers, batchSize: 1 })).rejects.toThrow(
        `${path}:2: not valid UTF-8: byte 0xE9 at byte offset ${at}`,
      )
    }
  })

  it('refuses what it cannot read twice by offset, and bad options', async () => {
    await expect(clusterCorpus(join(dir, 'x.jsonl.gz'))).rejects.toThrow(/uncompressed JSONL/)
    await expect(clusterCorpus(join(dir, 'absent.jsonl'))).rejects.toThrow(/cannot read .*absent\.jsonl: ENOENT/)
    await expect(clusterCorpus(generated, { workers: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await expect(clusterCorpus(generated, { keepLinks: 'no' as unknown as boolean })).rejects.toThrow(/keepLinks/)
    await expect(clusterCorpus(generated, { onDiff: 'log' as unknown as () => void })).rejects.toThrow(
      /onDiff must be a function/,
    )
    await expect(clusterCorpus(generated, { maxGroupDocs: 1 })).rejects.toThrow(/maxGroupDocs/)
    await expect(clusterCorpus({} as unknown as Article[])).rejects.toThrow(/JSONL path or an array/)
    await expect(clusterCorpus([{ id: 'a' } as unknown as Article])).rejects.toMatchObject({ code: 'INVALID_ARTICLE' })
  })

  it('refuses repeated ids, or keeps the last one as clusterArticles does', async () => {
    const a = generated.slice(0, 50)
    const twice = [...a, { ...(a[3] as Article), text: (a[7] as Article).text }]
    await expect(clusterCorpus(twice, { workers: 1 })).rejects.toMatchObject({ code: 'DUPLICATE_ID' })
    const path = writeJsonl('dup.jsonl', twice)
    await expect(clusterCorpus(path, { workers: 1 })).rejects.toThrow(`article id "${a[3]?.id}" occurs more than once`)
    expect(await clusterCorpus(path, { workers: 1, duplicateIds: 'replace' })).toEqual(
      clusterArticles(twice, { duplicateIds: 'replace' }),
    )
  })
})

describe('runCorpus hands onSketch', () => {
  it("each pass-1 batch as copied into slabs, not in the worker's buffers: a hook that keeps it keeps no arena", async () => {
    const on = new WorkerPool(2)
    try {
      const seen: SketchBatch[] = []
      const some = generated.slice(0, 300)
      const result = await runCorpus(some, { workers: 2, batchSize: 50 }, { pool: on, onSketch: (b) => seen.push(b) })
      expect(result).toEqual(clusterArticles(some))
      expect(seen.length).toBe(6)
      const buffers = new Set(seen.flatMap((b) => SKETCH_ARRAYS.filter((f) => b[f].byteLength > 0).map((f) => b[f].buffer)))
      // Every non-empty array lies in one 64 MiB slab; a worker's batch comes in buffers of its own size.
      expect(buffers.size).toBe(1)
      expect([...buffers][0]?.byteLength).toBe(64 << 20)
    } finally {
      await on.close()
    }
  })
})

// The CLI's scan hands runCorpus its own pool (hooks.pool, which the caller closes) and reads each
// pass-1 batch through hooks.onSketch. On a failure the caller's pool stays open and usable, no
// batch still in flight reaches onSketch after the rejection, and a pool runCorpus started is closed.
describe('runCorpus on an error path', () => {
  const pool = (p: WorkerPool) => p as unknown as { pending: Map<number, unknown>; workers: { worker: Worker }[] }
  // 28 batches of 25 on two workers (flights of 4): batches are still in flight when the first one fails.
  const options = { workers: 2, batchSize: 25 }
  const badLine = () => {
    const records: unknown[] = [...generated]
    records.splice(1, 0, '{"id": "broken", "text": ')
    return writeJsonl('hooks-bad.jsonl', records)
  }

  /** runCorpus to its rejection, then until the pool holds no job: the error, and the onSketch calls before and after. */
  async function failing(input: string | Article[], on: WorkerPool, onSketch: () => void = () => {}) {
    const unhandled: unknown[] = []
    const listen = (e: unknown) => unhandled.push(e)
    process.on('unhandledRejection', listen)
    const calls = { before: 0, after: 0 }
    let rejected = false
    const caught = runCorpus(input, options, {
      pool: on,
      onSketch: () => {
        calls[rejected ? 'after' : 'before']++
        onSketch()
      },
    }).then(
      () => undefined,
      (e: unknown) => {
        rejected = true
        return e
      },
    )
    try {
      const err = await caught
      // Jobs still in flight at the rejection: wait for their replies, and for what follows them.
      await vi.waitFor(() => expect(pool(on).pending.size).toBe(0), { timeout: 20_000 })
      await new Promise((r) => setTimeout(r, 50))
      return { err, calls, unhandled }
    } finally {
      process.off('unhandledRejection', listen)
    }
  }

  it("a bad JSONL line or a repeated id: rejects naming it, the caller's pool stays open and usable, no onSketch after", async () => {
    const on = new WorkerPool(2)
    try {
      const path = badLine()
      const bad = await failing(path, on)
      await expectRejects(Promise.reject(bad.err), 'INPUT_ERROR', `${path}:2: invalid JSON`)
      expect(bad.calls.after).toBe(0)
      expect(bad.unhandled).toEqual([])

      const twice = [...generated, { ...(generated[3] as Article), text: (generated[7] as Article).text }]
      const dup = await failing(twice, on)
      await expectRejects(Promise.reject(dup.err), 'DUPLICATE_ID', `article id "${generated[3]?.id}" occurs more than once`)
      // The repeat is found once every batch is back: all of them reached onSketch, before.
      expect(dup.calls).toEqual({ before: Math.ceil(twice.length / options.batchSize), after: 0 })
      expect(dup.unhandled).toEqual([])

      // Not closed: the caller's pool runs the next call, with the right result.
      const some = generated.slice(0, 300)
      expect(await runCorpus(some, { ...options, batchSize: 50 }, { pool: on })).toEqual(clusterArticles(some))
      expect(pool(on).workers.every((w) => w.worker.threadId > 0)).toBe(true)
    } finally {
      await on.close()
    }
  })

  it('a worker that dies: rejects naming it, no onSketch after, and the dead pool refuses later jobs as documented', async () => {
    const on = new WorkerPool(2)
    try {
      // The first batch back kills a worker while others are in flight. Once: each terminate()
      // adds an exit listener, and ten batches back before the thread is gone warned of a leak.
      let killed = false
      const kill = () => {
        if (killed) return
        killed = true
        void pool(on).workers[0]?.worker.terminate()
      }
      const dead = await failing(generated, on, kill)
      await expectRejects(Promise.reject(dead.err), 'INVALID_ARGUMENT', 'worker thread exited with code 1')
      expect(dead.calls.after).toBe(0)
      expect(dead.unhandled).toEqual([])
      await expectRejects(runCorpus(generated, options, { pool: on }), 'INVALID_ARGUMENT', 'worker thread exited with code 1')
    } finally {
      await on.close()
    }
  })

  it('closes a pool it started itself, on the error path', async () => {
    const close = vi.spyOn(WorkerPool.prototype, 'close')
    try {
      const path = badLine()
      await expectRejects(runCorpus(path, options), 'INPUT_ERROR', `${path}:2: invalid JSON`)
      expect(close).toHaveBeenCalledTimes(1)
      // Every thread of that pool has exited (threadId is -1 once a worker has stopped).
      const own = pool(close.mock.contexts[0] as WorkerPool)
      expect(own.workers.map((w) => w.worker.threadId)).toEqual([-1, -1])
    } finally {
      close.mockRestore()
    }
  })
})

describe('packed sketches', () => {
  it('come from a sketch-only analysis whose fingerprint equals the full one but for paragraph languages', () => {
    const o = resolveAnalyzeOptions({})
    const sample = [
      ...generated,
      ...loadSeeds(),
      { id: 'q', text: 'He said "this is a long quotation here" and left.\n\nZweiter Absatz auf Deutsch, ganz kurz.' },
    ]
    for (const a of sample) {
      const full = analyzeResolved(a, o)
      const lean = analyzeResolved(a, o, true)
      if (full.status !== 'ok' || lean.status !== 'ok') {
        expect(lean.status).toBe(full.status)
        continue
      }
      const { lang: _, ...rest } = full.fingerprint
      expect(lean.fingerprint).toEqual({
        ...rest,
        ...(full.fingerprint.lang ? { lang: full.fingerprint.lang } : {}),
        paragraphs: full.fingerprint.paragraphs.map(({ lang: _l, ...p }) => p),
      })
    }
  })

  it('keep each document’s band keys and screen inputs, in id order', () => {
    const analyses = generated.slice(0, 60).map((a) => analyze(a))
    const config = resolveIndexConfig({}, { numPerm: 128, paragraphPerm: 32 })
    const table = new SketchTable([packSketches(analyses.slice(0, 25), config), packSketches(analyses.slice(25), config)], config)
    const ok = (analyses.filter((a) => a.status === 'ok') as AnalysisOk[]).sort((x, y) => (x.id < y.id ? -1 : 1))
    expect(table.ids).toEqual(ok.map((a) => a.id))
    ok.forEach((a, i) => {
      expect(table.keys(i)).toEqual(bandKeys(a.fingerprint, config, 'wording'))
      expect(table.anchorKeys(i)).toEqual(bandKeys(a.fingerprint, config, 'anchor'))
      const s = table.screenSketch(i)
      expect(s.signature).toEqual(Uint16Array.from(a.fingerprint.signature))
      expect(s.anchors).toEqual(a.fingerprint.anchors)
      expect(s.paragraphs.map((p) => p.signature)).toEqual(a.fingerprint.paragraphs.map((p) => Uint16Array.from(p.signature)))
    })
  })

  it('copied into slabs, read the same, and several batches share one slab buffer', () => {
    const analyses = generated.slice(0, 60).map((a) => analyze(a))
    const config = resolveIndexConfig({}, { numPerm: 128, paragraphPerm: 32 })
    const packed = [packSketches(analyses.slice(0, 25), config), packSketches(analyses.slice(25), config)]
    const slabs = new SketchSlabs()
    const copied = packed.map((b) => slabs.batch(b))
    expect(copied).toEqual(packed)
    const fields = SKETCH_ARRAYS
    const buffers = new Set(copied.flatMap((b) => fields.map((f) => b[f].buffer)))
    expect(buffers.size).toBe(1)
    for (const f of fields) expect((copied[0] as SketchBatch)[f].buffer).not.toBe((packed[0] as SketchBatch)[f].buffer)
    const [x, y] = [new SketchTable(packed, config), new SketchTable(copied, config)]
    for (let i = 0; i < x.size; i++) {
      expect(y.keys(i)).toEqual(x.keys(i))
      expect(y.screenSketch(i)).toEqual(x.screenSketch(i))
      expect(y.copyKeys(i)).toEqual(x.copyKeys(i))
    }
  })

  it('group pairs into tasks: whole groups, or pieces of groups over the limit (against a brute-force closure)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(fc.nat(39), fc.nat(39)), { maxLength: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 2, max: 50 }),
        fc.integer({ min: 1, max: 3 }),
        (n, raw, taskDocs, maxGroupDocs, parallel) => {
          const edges = [
            ...new Set(
              raw
                .map(([a, b]) => [a % n, b % n])
                .filter(([a, b]) => a !== b)
                .map(([a, b]) => `${Math.min(a as number, b as number)}-${Math.max(a as number, b as number)}`),
            ),
          ]
            .sort()
            .map((k) => k.split('-').map(Number) as [number, number])
          const tasks = pairGroups(n, Uint32Array.from(edges.flat()), taskDocs, maxGroupDocs, parallel)
          // Brute force: connected components by repeated relabelling.
          const label = Array.from({ length: n }, (_, i) => i)
          for (let changed = true; changed; ) {
            changed = false
            for (const [a, b] of edges) {
              const m = Math.min(label[a] as number, label[b] as number)
              if (label[a] !== m || label[b] !== m) {
                label[a] = m
                label[b] = m
                changed = true
              }
            }
          }
          const size = new Map<number, number>()
          for (const d of new Set(edges.flat())) size.set(label[d] as number, (size.get(label[d] as number) ?? 0) + 1)
          const taskOf = new Map<number, number>()
          const seenPairs: string[] = []
          tasks.forEach((t, ti) => {
            expect([...t.docs]).toEqual([...t.docs].sort((x, y) => x - y))
            if (t.split) {
              // Pieces as many as the limit needs, a multiple of the workers, about even.
              const group = size.get(label[t.docs[0] as number] as number) as number
              const pieces = Math.ceil(Math.ceil(group / maxGroupDocs) / parallel) * parallel
              expect(t.docs.length).toBeLessThanOrEqual(Math.max(2, Math.ceil(group / pieces)))
              expect(t.docs.length).toBeLessThanOrEqual(maxGroupDocs)
            }
            for (let p = 0; p < t.pairs.length; p += 2) {
              seenPairs.push(`${t.docs[t.pairs[p] as number]}-${t.docs[t.pairs[p + 1] as number]}`)
            }
            for (const d of t.docs) {
              // Pieces only come from groups over the limit; whole groups sit in one task.
              expect(Boolean(t.split)).toBe((size.get(label[d] as number) as number) > maxGroupDocs)
              if (!t.split) {
                expect(taskOf.has(d)).toBe(false)
                taskOf.set(d, ti)
              }
            }
          })
          // Every pair exactly once.
          expect(seenPairs.sort()).toEqual(edges.map(([a, b]) => `${a}-${b}`).sort())
          for (const a of taskOf.keys())
            for (const b of taskOf.keys()) if (label[a] === label[b]) expect(taskOf.get(a)).toBe(taskOf.get(b))
        },
      ),
    )
  })
})
