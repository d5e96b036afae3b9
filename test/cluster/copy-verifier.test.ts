// CopyVerifier remembers one comparison per text: it must give what compare gives, also when the
// copies of one text are dated apart (a flash sent on two days reports two events).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { CopyVerifier } from '../../src/cluster/candidates.js'
import { clusterArticles } from '../../src/cluster/cluster.js'
import { compare } from '../../src/compare/compare.js'
import { DEFAULT_MODEL } from '../../src/compare/default-model.js'
import { fcOptions } from '../helpers/seed.js'

const FLASH = 'FED SETS 1.5 BILLION DLR CUSTOMER REPURCHASE, FED SAYS'
const STORY =
  "BUNDESBANK LEAVES CREDIT POLICIES UNCHANGED\n\nThe Bundesbank left credit policies unchanged after today's regular meeting of its council, a spokesman said in answer to enquiries.\n\nThe West German discount rate remains at 3.0 pct, and the Lombard emergency financing rate at 5.0 pct."

const ok = (id: string, text: string, publishedAt?: string): AnalysisOk =>
  analyze({ id, text, ...(publishedAt ? { publishedAt } : {}) }) as AnalysisOk

const at = (hours: number) => new Date(Date.UTC(1987, 2, 2, 11, 42) + hours * 3_600_000).toISOString()

describe('CopyVerifier', () => {
  it('gives what compare gives for copies of one text, whatever their dates and order', () => {
    for (const model of [DEFAULT_MODEL, undefined]) {
      fc.assert(
        fc.property(
          fc.constantFrom(FLASH, STORY),
          fc.array(fc.option(fc.integer({ min: 0, max: 24 * 30 }), { nil: undefined }), { minLength: 2, maxLength: 8 }),
          (text, hours) => {
            const verifier = new CopyVerifier(model ? { model } : {})
            const copies = hours.map((h, i) => ok(`c${i}`, text, h === undefined ? undefined : at(h)))
            for (let i = 0; i < copies.length; i++)
              for (let j = i + 1; j < copies.length; j++) {
                const [a, b] = [copies[i] as AnalysisOk, copies[j] as AnalysisOk]
                expect(verifier.compare(a, b)).toEqual(compare(a, b, model ? { model } : {}))
              }
          },
        ),
        fcOptions(40),
      )
    }
  })

  it('keeps apart the same council statement sent four weeks apart, and links its re-send the same day', () => {
    const articles = [
      { id: 'march', text: STORY, publishedAt: '1987-03-05T07:17:06Z' },
      { id: 'march-again', text: STORY, publishedAt: '1987-03-05T09:02:00Z' },
      { id: 'april', text: STORY, publishedAt: '1987-04-02T06:35:19Z' },
    ]
    const r = clusterArticles(articles)
    expect(r.clusters.map((c) => c.members.map((m) => m.id).sort())).toEqual([['march', 'march-again']])
    expect(r.singletons).toEqual(['april'])
  })
})
