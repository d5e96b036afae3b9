import { describe, expect, it } from 'vitest'
import {
  type AnalysisOk,
  type AnalyzeOptions,
  type Article,
  analyzeResolved,
  completeAnalysis,
  resolveAnalyzeOptions,
} from '../../src/analyze.js'
import { clusterAnalyses, clusterArticles, clusterSketches, partitionAnalyses } from '../../src/cluster/cluster.js'
import { has, REUTERS, readJsonl } from '../helpers/corpora.js'
import { seedArticles } from '../helpers/seeds.js'
import { syntheticBase } from '../helpers/synthetic.js'

const QUOTES: Article = {
  id: 'quotes',
  text: 'The minister said "we will not raise taxes this year" on Monday.\n\nLe ministre a déclaré « nous n’augmenterons pas les impôts » lundi, "selon un communiqué officiel" publié à Paris.',
}

function analyses(articles: readonly Article[], options: AnalyzeOptions, sketchOnly: boolean) {
  const o = resolveAnalyzeOptions(options)
  return partitionAnalyses(articles.map((a) => analyzeResolved(a, o, sketchOnly)))
}

describe('completeAnalysis', () => {
  const articles = [...seedArticles(), ...syntheticBase(20), QUOTES]
  for (const options of [{}, { detectLanguage: false }, { foldDiacritics: true, charShingleSize: 4, shingleSize: 2 }]) {
    it(`turns a sketch into the full analysis (${JSON.stringify(options)})`, () => {
      const o = resolveAnalyzeOptions(options)
      for (const a of articles) {
        const full = analyzeResolved(a, o) as AnalysisOk
        const sketch = analyzeResolved(a, o, true) as AnalysisOk
        expect(full.status).toBe('ok')
        // A sketch lacks what comparison reads: this article's words are there only when complete.
        expect(sketch.paragraphs.every((p) => p.words.length === 0 && p.lang === undefined)).toBe(true)
        expect(completeAnalysis(sketch, o)).toEqual(full)
        // Again: nothing changes.
        expect(completeAnalysis(sketch, o)).toEqual(full)
      }
    })
  }
})

describe('clusterSketches', () => {
  it('gives clusterAnalyses’ result, completing only the articles of candidate pairs', () => {
    const articles = [...seedArticles(), ...syntheticBase(30), QUOTES]
    const full = analyses(articles, {}, false)
    const sketches = analyses(articles, {}, true)
    const expected = clusterAnalyses(full.analyses, full.skipped, articles.length)
    expect(expected.clusters.length).toBeGreaterThan(0)
    expect(clusterSketches(sketches.analyses, sketches.skipped, articles.length)).toEqual(expected)
    const members = new Set(expected.clusters.flatMap((c) => c.members.map((m) => m.id)))
    for (const a of sketches.analyses) {
      const completed = a.paragraphs.some((p) => p.words.length > 0)
      if (members.has(a.id)) expect(completed, a.id).toBe(true)
    }
    // Some articles met no candidate and were left as sketches.
    expect(sketches.analyses.some((a) => a.paragraphs.every((p) => p.words.length === 0))).toBe(true)
    expect(clusterArticles(articles)).toEqual(expected)
  })

  it.skipIf(!has(REUTERS, 'clusterSketches on Reuters (test/cluster/sketches.test.ts)'))(
    'gives clusterAnalyses’ result on 3,000 Reuters stories',
    () => {
      const articles = readJsonl<{ id: string; text: string }>(REUTERS)
        .slice(0, 3000)
        .map((r) => ({ id: r.id, text: r.text }))
      const full = analyses(articles, {}, false)
      const sketches = analyses(articles, {}, true)
      const expected = clusterAnalyses(full.analyses, full.skipped, articles.length)
      expect(expected.clusters.length).toBeGreaterThan(50)
      expect(clusterSketches(sketches.analyses, sketches.skipped, articles.length)).toEqual(expected)
    },
    60_000,
  )
})
