// Pass 2 of a large group: compare jobs hold their analyses on their thread for the finish jobs
// of the same run (a flood's members were analysed in full twice), finish jobs go where their
// members are held, and a held analysis is only used for the same article of the same run.
import { describe, expect, it } from 'vitest'
import type { Article } from '../../src/analyze.js'
import { finishChunks } from '../../src/node/corpus.js'
import { type CompareReply, type CorpusJob, heldCount, runCorpusJob } from '../../src/node/corpus-job.js'
import { WorkerPool } from '../../src/node/pool.js'
import { nearCopies } from '../helpers/floods.js'

const articles: Article[] = nearCopies(6).map((a, i) => ({ ...a, text: `${a.text}\n\nDesk note ${i}: the harbour.` }))
const ids = articles.map((a) => a.id)
// Every copy against the first: the pairs of a compare piece.
const pairs = Uint32Array.from(ids.slice(1).flatMap((_, k) => [0, k + 1]))
const plan = { ids, centre: ids[0] as string, reference: ids[0] as string, rule: 'coverage' as const }

function finish(input: Article[], hold?: string) {
  const job: CorpusJob = {
    type: 'finish',
    id: 2,
    input: { articles: input },
    plans: [{ ...plan, ids: input.map((a) => a.id) }],
    links: [],
    options: {},
    diff: {},
    parts: true,
    ...(hold ? { hold } : {}),
  }
  return runCorpusJob(job).reply
}

describe('analyses held between the jobs of a run', () => {
  it('are taken by the finish jobs of the same run, for the same articles only, and released', () => {
    const fresh = finish(articles)
    runCorpusJob({ type: 'compare', id: 1, input: { articles }, pairs, options: {}, keepLinks: false, hold: 'run-1' })
    expect(heldCount()).toBe(articles.length)
    // Another run's token takes nothing; the same run's finish takes what it uses.
    expect(finish(articles, 'run-2')).toEqual(fresh)
    expect(heldCount()).toBe(articles.length)
    const edited = articles.map((a, i) => (i === 3 ? { ...a, text: a.text.replace('harbour', 'airport') } : a))
    const first = finish(edited.slice(0, 4), 'run-1')
    expect(first).toEqual(finish(edited.slice(0, 4)))
    expect(first).not.toEqual(finish(articles.slice(0, 4)))
    // The edited article's held analysis was not used, so it is still held.
    expect(heldCount()).toBe(articles.length - 3)
    expect(finish([articles[0] as Article, ...articles.slice(4)], 'run-1')).toEqual(
      finish([articles[0] as Article, ...articles.slice(4)]),
    )
    expect(heldCount()).toBe(1)
    runCorpusJob({ type: 'release', id: 3 })
    expect(heldCount()).toBe(0)
  })

  it('are only those a link of the piece names, and the reply says which', () => {
    // An unrelated story in the piece, compared with the first copy: it links to nothing, so no
    // finish job will want it, and holding it would only weigh on the thread for the rest of pass 2.
    const other: Article = {
      id: 'zz-other',
      text: 'The regional football league postponed its opening weekend after heavy snow closed three stadiums in the north.',
    }
    const input = [...articles, other]
    const withOther = Uint32Array.from([...pairs, 0, input.length - 1])
    const compare = (id: number) =>
      runCorpusJob({
        type: 'compare',
        id,
        input: { articles: input },
        pairs: withOther,
        options: {},
        keepLinks: false,
        hold: 'run-4',
      }).reply as CompareReply
    const reply = compare(1)
    expect(reply.links.some((l) => l.a === other.id || l.b === other.id)).toBe(false)
    expect([...reply.held]).toEqual(articles.map((_, i) => i))
    expect(heldCount()).toBe(articles.length)
    // A second piece of the same run on this thread with the same articles holds nothing new.
    const again = compare(2)
    expect([...again.held]).toEqual(articles.map((_, i) => i))
    expect(heldCount()).toBe(articles.length)
    expect(finish(articles, 'run-4')).toEqual(finish(articles))
    expect(heldCount()).toBe(0)
    runCorpusJob({ type: 'release', id: 3 })
  })

  it('are dropped by the first job of a new run', () => {
    runCorpusJob({ type: 'compare', id: 1, input: { articles }, pairs, options: {}, keepLinks: false, hold: 'run-3' })
    expect(heldCount()).toBe(articles.length)
    runCorpusJob({ type: 'sketch', id: 2, input: { articles: articles.slice(0, 1) }, options: {} })
    expect(heldCount()).toBe(0)
  })
})

describe('finishChunks', () => {
  const name = (i: number) => `m${String(i).padStart(5, '0')}`
  /** What a worker's chunks cost it (FINISH_COST: 1 a member, 2 more unlinked, 1 more not held there). */
  const costs = (
    chunks: { ids: string[]; worker: number }[],
    workers: number,
    holder: (id: string) => number,
    unlinked: (id: string) => boolean,
  ) => {
    const out = new Array<number>(workers).fill(0)
    for (const c of chunks)
      for (const id of c.ids)
        out[c.worker] = (out[c.worker] as number) + 1 + (unlinked(id) ? 2 : 0) + (holder(id) === c.worker ? 0 : 1)
    return out
  }
  const check = (members: string[], chunks: { ids: string[]; worker: number }[], size: number) => {
    expect(chunks.flatMap((c) => c.ids).sort()).toEqual(members)
    for (const c of chunks) {
      expect(c.ids.length).toBeGreaterThan(0)
      expect(c.ids.length).toBeLessThanOrEqual(size)
      expect([...c.ids].sort()).toEqual(c.ids)
    }
  }

  it('gives each worker the members it holds when that is an even share, two chunks each in turn', () => {
    const members = Array.from({ length: 40 }, (_, i) => name(i))
    const holder = (id: string) => Number(id.slice(1)) % 2
    const unlinked = (id: string) => Number(id.slice(1)) % 4 < 2
    const chunks = finishChunks(members, 2, 10, holder, unlinked)
    check(members, chunks, 10)
    expect(chunks.map((c) => c.worker)).toEqual([0, 1, 0, 1])
    for (const c of chunks) expect(c.ids.every((id) => holder(id) === c.worker)).toBe(true)
  })

  it('evens out what the workers finish when one holds the members that cost a comparison more', () => {
    // The viral case's split (a debug count): one worker held 5,227 members, 2,503 of them not
    // linked to the reference; the other 4,772, 1,186 unlinked. Cut by holder alone, one worker
    // had 10,233 units of work and the other 7,144.
    const members = Array.from({ length: 9999 }, (_, i) => name(i))
    const holder = (id: string) => (Number(id.slice(1)) < 5227 ? 0 : 1)
    const unlinked = (id: string) => {
      const i = Number(id.slice(1))
      return i < 5227 ? i % 5227 < 2503 : (i - 5227) % 4772 < 1186
    }
    const chunks = finishChunks(members, 2, 2500, holder, unlinked)
    check(members, chunks, 2500)
    const [a, b] = costs(chunks, 2, holder, unlinked)
    expect(Math.abs((a as number) - (b as number))).toBeLessThanOrEqual(4)
    // Only what evens the work out moves: worker 1 finishes all it holds.
    const own1 = chunks.filter((c) => c.worker === 1).flatMap((c) => c.ids)
    expect(members.filter((id) => holder(id) === 1).every((id) => own1.includes(id))).toBe(true)
  })

  it('sends members no worker holds to the worker with the least, and keeps chunks within size', () => {
    const members = Array.from({ length: 23 }, (_, i) => name(i))
    const holder = (id: string) => (Number(id.slice(1)) % 3 === 0 ? 1 : Number(id.slice(1)) >= 20 ? -1 : 0)
    const chunks = finishChunks(members, 2, 5, holder, () => false)
    check(members, chunks, 5)
    const [a, b] = costs(chunks, 2, holder, () => false)
    expect(Math.abs((a as number) - (b as number))).toBeLessThanOrEqual(2)
    const one = finishChunks(members, 1, 5, holder, () => true)
    check(members, one, 5)
    expect(one.map((c) => c.ids.length)).toEqual([4, 5, 4, 5, 5])
    expect(one.every((c) => c.worker === 0)).toBe(true)
  })
})

describe('WorkerPool.choose', () => {
  it('takes the least busy worker, and among those the one the score ranks highest', async () => {
    const pool = new WorkerPool(3)
    try {
      expect(pool.choose()).toBe(0)
      expect(pool.choose((w) => w)).toBe(2)
      const job = { id: 1, articles: [{ id: 'a', text: 'The harbour council approved the terminal expansion.' }], options: {} }
      const running = pool.run(job, [], 2)
      expect(pool.choose((w) => (w === 2 ? 10 : w))).toBe(1)
      await running
      await expect(pool.run({ ...job, id: 2 }, [], 3)).rejects.toThrow(/no worker 3/)
    } finally {
      await pool.close()
    }
  })
})
