import { MessageChannel } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { type Analysis, type Article, analyze } from '../../src/analyze.js'
import { packViews, unpackViews, type ViewBatch, viewBuffers } from '../../src/node/views.js'
import { articleView } from '../../src/report/build.js'
import { loadSeeds } from '../helpers/seeds.js'

/** Seeds with what a view carries: a heading, boilerplate removed, a given language, and a skipped article among them. */
function articles(): Article[] {
  const seeds = loadSeeds()
  const first = seeds[0] as Article
  return [
    { id: 'empty', text: '' },
    ...seeds,
    { id: 'headed', text: `Rebels take Homs\n\n${first.text}\n\nFollow us on Twitter for more news.`, lang: 'en' },
    { id: 'boiler-only', text: 'Follow us on Twitter for more news.' },
    { id: 'short', text: 'Markets rose on Monday after the central bank held rates steady for a third month.' },
  ]
}

describe('packViews / unpackViews', () => {
  it('round-trip to the views of the unpacked analyses (skipped articles take no row)', () => {
    const list = articles()
    const results: Analysis[] = list.map((a) => analyze(a))
    const ok = results.filter((r) => r.status === 'ok')
    expect(ok.length).toBeGreaterThan(3)
    expect(ok.length).toBeLessThan(results.length)
    const expected = ok.map(articleView)
    // What the fixture is for: at least one view with each part filled.
    expect(expected.some((v) => v.heading !== undefined)).toBe(true)
    expect(expected.some((v) => v.removed.length > 0)).toBe(true)
    expect(expected.some((v) => v.removed.length === 0)).toBe(true)
    expect(expected.some((v) => v.lang !== undefined)).toBe(true)
    const packed = packViews(results)
    expect(
      unpackViews(
        packed,
        ok.map((a) => a.article),
      ),
    ).toEqual(expected)
  })

  it('survive a postMessage with their buffers transferred, not cloned', async () => {
    const results = articles().map((a) => analyze(a))
    const ok = results.filter((r) => r.status === 'ok')
    const packed = packViews(results)
    const buffers = viewBuffers(packed)
    expect(buffers).toHaveLength(3)
    const { port1, port2 } = new MessageChannel()
    const arrived = await new Promise<ViewBatch>((done) => {
      port2.once('message', (msg: ViewBatch) => {
        port1.close()
        done(msg)
      })
      port1.postMessage(packed, buffers)
    })
    // Transferred: the sender's arrays are detached.
    expect(packed.spans.length).toBe(0)
    expect(
      unpackViews(
        arrived,
        ok.map((a) => a.article),
      ),
    ).toEqual(ok.map(articleView))
  })

  it('of no analysed article are empty', () => {
    const packed = packViews([analyze({ id: 'e', text: '' })])
    expect(unpackViews(packed, [])).toEqual([])
    expect(Array.from(packed.spanStarts)).toEqual([0])
  })
})
