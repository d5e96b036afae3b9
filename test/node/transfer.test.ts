import { MessageChannel } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { analyzeParallel } from '../../src/node/parallel.js'
import { poolArrays } from '../../src/node/transfer.js'
import { seedArticles } from '../helpers/seeds.js'
import { syntheticBase } from '../helpers/synthetic.js'

describe('poolArrays', () => {
  it('moves every Uint32Array into one buffer, with the same values and shared arrays kept shared', () => {
    const results = seedArticles().map((a) => analyze(a))
    const expected = structuredClone(results)
    const [buffer, ...rest] = poolArrays(results)
    expect(rest).toEqual([])
    expect(results).toEqual(expected)
    const a = results[0] as AnalysisOk
    const p = a.paragraphs[0]
    expect(p?.shingles.buffer).toBe(buffer)
    expect(a.fingerprint.signature.buffer).toBe(buffer)
    // A paragraph's anchors are its sketch's too, before and after.
    expect(a.fingerprint.paragraphs[0]?.anchors).toBe(p?.anchors)
    // Transferred, the arrays arrive as views of one buffer with their values.
    const { port1, port2 } = new MessageChannel()
    return new Promise<void>((done) => {
      port2.once('message', (msg: typeof results) => {
        expect(msg).toEqual(expected)
        expect((msg[1] as AnalysisOk).shingles.buffer).toBe((msg[0] as AnalysisOk).shingles.buffer)
        port1.close()
        done()
      })
      port1.postMessage(results, [buffer as ArrayBuffer])
    })
  })

  it('leaves analyzeParallel’s results as analyze’s (worker threads, batches of pooled arrays)', async () => {
    const articles = [...seedArticles(), ...syntheticBase(40)]
    const threaded = await analyzeParallel(articles, { workers: 2, batchSize: 8 })
    expect(threaded).toEqual(articles.map((a) => analyze(a)))
  }, 60_000)
})
