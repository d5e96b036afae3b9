import { type AnalysisOk, analyze } from '../../src/analyze.js'
import type { Cluster, ClusterMember } from '../../src/cluster/cluster.js'

/** Eight paragraphs on distinct topics, long enough to shingle, sharing little wording. */
export const P = [
  'The harbour authority opened a new container terminal on Monday, doubling the port capacity and adding four cranes.',
  'Farmers in the northern valley reported the wettest spring in thirty years, with orchards flooded twice since April.',
  'A museum in the old town unveiled a restored medieval tapestry after six years of careful work by volunteers.',
  'The national football team lost its qualifying match away from home, ending a run of nine games without defeat.',
  'Engineers said the suspension bridge would reopen to lorries next month once the cables had been tested again.',
  'School inspectors praised the village primary for its reading programme but asked for better playground equipment.',
  'Astronomers at the mountain observatory spotted a comet that should become visible to the naked eye in January.',
  'The city council approved a budget that raises spending on buses and cycle lanes while freezing parking fees.',
] as const

/** Analyse paragraphs joined by blank lines as one article. */
export function article(id: string, paragraphs: readonly string[]): AnalysisOk {
  const a = analyze({ id, text: paragraphs.join('\n\n') })
  if (a.status !== 'ok') throw new Error(`fixture ${id} was skipped: ${a.reason}`)
  return a
}

/** A cluster of the given ids around the first, as clusterArticles would give it, each member of `relation`. */
export function clusterOf(ids: string[], relation: Exclude<ClusterMember['relation'], 'reference'> = 'partial'): Cluster {
  return {
    kind: 'cluster',
    id: ids[0] as string,
    reference: ids[0] as string,
    referenceRule: 'marked',
    members: ids.map((id, i) => ({
      id,
      relation: i === 0 ? 'reference' : relation,
      reason: '',
      confidence: 1,
      jaccard: 0,
      containment: { inReference: 0, referenceIn: 0 },
      derived: { member: 0, reference: 0 },
    })),
  }
}
