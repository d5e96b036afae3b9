import { type AnalysisOk, type Article, analyze } from '../../src/analyze.js'
import { type ClusterResult, clusterArticles } from '../../src/cluster/cluster.js'
import { diffCluster } from '../../src/diff/index.js'
import { buildReport } from '../../src/report/index.js'
import type { Report } from '../../src/report/types.js'
import { loadSeeds, seed } from '../helpers/seeds.js'

/** Analyse, cluster, diff, report: the real pipeline. */
export function reportOf(articles: Article[]): Report {
  const analyses = articles.map((a) => analyze(a))
  const ok = analyses.filter((a): a is AnalysisOk => a.status === 'ok')
  const result = clusterArticles(articles)
  return buildReport(
    result,
    result.clusters.map((c) => diffCluster(c, ok)),
    { analyses },
  )
}

/** The seed report: the AFP cluster around 003, Rudaw (004) alone. */
export function seedReport(): Report {
  return reportOf(loadSeeds())
}

export const SCRIPT = '<script>alert(1)</script>'
export const QUOTES = '"quotes" & ampersands'
/** An id with every character HTML cares about. */
export const HOSTILE_ID = 'x<1>&"\''
export const HOSTILE_SOURCE = '<img src="https://example.invalid/x.png"> & "Co"'

/**
 * A copy of 001 with markup in its text, id, outlet and boilerplate: a paragraph edited to hold a
 * `<script>` element, an added paragraph with quotes and ampersands, and a comment block.
 */
export function hostileArticles(): Article[] {
  const app = seed('001')
  const paragraphs = app.text.split(/\n+/).filter((p) => p.trim() !== '')
  paragraphs[2] = `${paragraphs[2]} ${SCRIPT}`
  paragraphs.splice(5, 0, `He said ${QUOTES} were <b>not</b> allowed in ${SCRIPT} tags.`)
  paragraphs.push('Comments', `Be nice. ${SCRIPT} is not a comment.`)
  return [
    { ...seed('003'), source: 'Inquirer' },
    { id: HOSTILE_ID, text: paragraphs.join('\n\n'), source: HOSTILE_SOURCE, publishedAt: '2024-12-08' },
  ]
}

export function hostileReport(): Report {
  return reportOf(hostileArticles())
}

/** A clustering made by hand: one cluster with no diff given, a singleton, a skipped article. */
export function handMadeResult(): ClusterResult {
  return {
    kind: 'clustering',
    version: 1,
    clusters: [
      {
        kind: 'cluster',
        id: 'a',
        reference: 'a',
        referenceRule: 'marked',
        members: [
          {
            id: 'a',
            source: 'Agency',
            relation: 'reference',
            reason: 'marked as the wire source',
            confidence: 1,
            jaccard: 1,
            containment: { inReference: 1, referenceIn: 1 },
            derived: { member: 1, reference: 1 },
          },
          {
            id: 'b',
            relation: 'duplicate',
            reason: 'near-identical: shingle Jaccard 97%',
            confidence: 0.99,
            mode: 'verbatim',
            jaccard: 0.97,
            containment: { inReference: 0.98, referenceIn: 0.99 },
            derived: { member: 0.98, reference: 0.99 },
          },
        ],
      },
    ],
    singletons: ['c'],
    skipped: [{ id: 'd', reason: 'empty', detail: 'text is empty or whitespace' }],
    links: [],
    stats: {
      articles: 4,
      analysed: 3,
      skipped: 1,
      candidatePairs: 1,
      screenedOut: 0,
      linkedPairs: 1,
      oversizedBuckets: 0,
      copies: 0,
      leftOut: 0,
      templates: 0,
    },
  }
}
