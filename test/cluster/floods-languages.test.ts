// Floods whose members are in two languages. An oversized bucket is resolved through leaders (see
// src/cluster/candidates.ts); a member may then pair with a leader in the other language. What must
// hold through the public API: a cluster mixes languages only through translations, stories do not
// merge, and members of a mixed flood that end in no cluster are counted in stats.leftOut.
// Synthetic stories only (no corpus text).
import { describe, expect, it } from 'vitest'
import type { Article } from '../../src/analyze.js'
import { type ClusterResult, clusterArticles } from '../../src/cluster/cluster.js'
import { Detector } from '../../src/cluster/detector.js'
import { clusterCorpus } from '../../src/node/corpus.js'

const HOMS = {
  en: [
    'Rebels captured the Syrian city of Homs on Sunday, the Syrian Observatory for Human Rights said.',
    'Commander Hassan Abdel Ghani said more than 3,500 prisoners had been freed from the central prison.',
    'Homs lies 150 kilometres north of Damascus, where the government of Bashar al-Assad says it is building a cordon.',
    'Aron Lund of the Century International think tank said the loss of Homs would cut Damascus off from the coast.',
    'The United Nations said 370,000 people had fled their homes since November 27.',
  ],
  de: [
    'Rebellen haben am Sonntag die syrische Stadt Homs eingenommen, teilte die Syrische Beobachtungsstelle für Menschenrechte mit.',
    'Kommandeur Hassan Abdel Ghani sagte, mehr als 3.500 Gefangene seien aus dem Zentralgefängnis befreit worden.',
    'Homs liegt 150 Kilometer nördlich von Damaskus, wo die Regierung von Baschar al-Assad nach eigenen Angaben einen Ring zieht.',
    'Aron Lund vom Think Tank Century International sagte, der Verlust von Homs würde Damaskus von der Küste abschneiden.',
    'Die Vereinten Nationen erklärten, 370.000 Menschen seien seit dem 27. November aus ihren Häusern geflohen.',
  ],
}

const HARBOUR = {
  en: [
    'The Larchmont Harbour Authority on Tuesday approved a 412 million dollar expansion of its eastern container terminal, ending two years of dispute with fishing cooperatives.',
    'Under the plan, the terminal will add four deep-water berths and raise its yearly capacity to 1.9 million containers by 2029, chairwoman Petra Vandermeer told reporters.',
    'The cooperatives had argued that dredging would destroy the oyster beds north of the breakwater. The authority agreed to fund a 38 million dollar restoration programme.',
    'Shipping lines welcomed the decision, saying vessels had waited up to six days for a berth at the existing quays last winter.',
    'Construction is expected to begin in the spring, with the first two berths opening in late 2027, the authority said.',
  ],
  de: [
    'Die Hafenbehörde von Larchmont hat am Dienstag eine Erweiterung ihres östlichen Containerterminals für 412 Millionen Dollar gebilligt und damit einen zweijährigen Streit mit Fischereigenossenschaften beendet.',
    'Nach dem Plan erhält das Terminal vier Tiefwasserliegeplätze und soll seine jährliche Kapazität bis 2029 auf 1,9 Millionen Container steigern, sagte die Vorsitzende Petra Vandermeer vor Journalisten.',
    'Die Genossenschaften hatten argumentiert, das Ausbaggern werde die Austernbänke nördlich des Wellenbrechers zerstören. Die Behörde sagte zu, ein Wiederherstellungsprogramm über 38 Millionen Dollar zu finanzieren.',
    'Reedereien begrüßten die Entscheidung und erklärten, Schiffe hätten im vergangenen Winter bis zu sechs Tage auf einen Liegeplatz an den bestehenden Kais gewartet.',
    'Der Bau soll im Frühjahr beginnen, die ersten beiden Liegeplätze sollen Ende 2027 öffnen, teilte die Behörde mit.',
  ],
}

const OUTLETS = ['Courier', 'Gazette', 'Herald', 'Observer', 'Tribune', 'Sentinel', 'Chronicle', 'Post']
const HEADER = { en: 'edition', de: 'Ausgabe' }

/** `n` near-copies of a story in one language: each outlet puts its own line above the text. */
function outlets(story: string, lang: 'en' | 'de', paragraphs: string[], n: number): Article[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${story}-${lang}-${String(i).padStart(3, '0')}`,
    text: `${OUTLETS[i % OUTLETS.length]} ${HEADER[lang]} ${i}: ${(i * 7919) % 1000}\n${paragraphs.join('\n')}`,
  }))
}

const storyOf = (id: string) => id.split('-')[0]
const langOf = (id: string) => id.split('-')[1]

/** Every cluster: one story, and members in another language than the reference's are translations of it. */
function expectLanguagesKeptApart(r: ClusterResult): void {
  for (const c of r.clusters) {
    expect(new Set(c.members.map((m) => storyOf(m.id))).size, c.id).toBe(1)
    const refLang = langOf(c.reference)
    for (const m of c.members) {
      expect(m.lang, m.id).toBe(langOf(m.id)) // identified, not given
      if (langOf(m.id) !== refLang) expect(m.relation, `${m.id} in ${c.id}: ${m.reason}`).toBe('translation')
      else if (m.id !== c.reference) expect(m.relation, `${m.id} in ${c.id}: ${m.reason}`).not.toBe('translation')
    }
  }
}

/** The partition of ids into clusters, comparable across runs (references may differ). */
const partition = (r: ClusterResult) =>
  r.clusters.map((c) => c.members.map((m) => m.id).sort()).sort((x, y) => (x[0] as string).localeCompare(y[0] as string))

describe('a flood of one story in two languages', () => {
  const articles = [
    ...outlets('homs', 'en', HOMS.en, 24),
    ...outlets('homs', 'de', HOMS.de, 24),
    ...outlets('harbour', 'en', HARBOUR.en, 24),
    ...outlets('harbour', 'de', HARBOUR.de, 24),
  ]

  it('clusterArticles: one cluster per story, joined across languages only as translations, nothing left out', () => {
    const full = clusterArticles(articles, { maxBucket: 1000 })
    expect(full.stats.oversizedBuckets).toBe(0)
    const flooded = clusterArticles(articles, { maxBucket: 4 })
    expect(flooded.stats.oversizedBuckets).toBeGreaterThan(0)
    for (const r of [full, flooded]) {
      expect(r.clusters).toHaveLength(2)
      expect(r.singletons).toEqual([])
      expect(r.stats.leftOut).toBe(0)
      expectLanguagesKeptApart(r)
      // Both languages of each story are in its cluster.
      for (const c of r.clusters) expect(new Set(c.members.map((m) => m.lang))).toEqual(new Set(['en', 'de']))
    }
    expect(partition(flooded)).toEqual(partition(full))
    // Linear through leaders, not every pair of a bucket.
    expect(flooded.stats.candidatePairs).toBeLessThan(full.stats.candidatePairs / 4)
  })

  it('clusterCorpus (two passes, pieces of at most maxGroupDocs): the same clusters', async () => {
    const full = clusterArticles(articles, { maxBucket: 1000 })
    const r = await clusterCorpus(articles, { workers: 1, batchSize: 32, maxGroupDocs: 40, maxBucket: 4 })
    expect(r.stats.oversizedBuckets).toBeGreaterThan(0)
    expect(r.stats.leftOut).toBe(0)
    expectLanguagesKeptApart(r)
    expect(partition(r)).toEqual(partition(full))
  })

  it('Detector: the same clusters, and every article after the first of its story matches', () => {
    const full = clusterArticles(articles, { maxBucket: 1000 })
    const d = new Detector({ maxBucket: 4 })
    const seen = new Set<string>()
    for (const a of articles) {
      const matched = d.add(a).matches.length > 0
      expect(matched, a.id).toBe(seen.has(storyOf(a.id) as string))
      seen.add(storyOf(a.id) as string)
    }
    const r = d.clusters()
    expect(r.stats.oversizedBuckets).toBeGreaterThan(0)
    expect(r.stats.leftOut).toBe(0)
    expectLanguagesKeptApart(r)
    expect(partition(r)).toEqual(partition(full))
  })
})

describe('a flood of two unrelated stories in two languages that share names and figures', () => {
  // Anchor buckets pair only across languages: the English harbour story and a German report on
  // something else that names the same people and figures share them, and are not translations.
  const english: Article = { id: 'harbour-en', text: HARBOUR.en.join('\n') }
  const german: Article = {
    id: 'council-de',
    text: [
      'Gewerkschaften riefen zu Protesten vor dem Rathaus in Larchmont auf, nachdem Bürgermeister Jonas Eberhardt 2029 als Ziel genannt hatte.',
      'Die Opposition unter Miriam Kowalczyk verlangte eine Volksabstimmung über 17 Schulen und 5.600 Stellen.',
      'Petra Vandermeer, die Vorsitzende des Stadtrats, wies die Kritik zurück.',
      'Eine Entscheidung über 412 Millionen wird im Herbst erwartet.',
    ].join('\n'),
  }
  const options = { anchorThreshold: 0.01 }

  it('clusterArticles: no cluster, and with maxBucket 1 both counted in stats.leftOut', () => {
    const full = clusterArticles([english, german], options)
    expect(full.stats.oversizedBuckets).toBe(0)
    expect(full.clusters).toEqual([])
    expect(full.stats.leftOut).toBe(0)
    const flooded = clusterArticles([english, german], { ...options, maxBucket: 1 })
    expect(flooded.stats.oversizedBuckets).toBeGreaterThan(0)
    expect(flooded.clusters).toEqual([])
    expect(flooded.singletons).toEqual(['council-de', 'harbour-en'])
    expect(flooded.stats.leftOut).toBe(2)
  })

  it('clusterArticles: a mixed flood with a translated story and an unrelated article keeps the unrelated one out and counts it', () => {
    const articles = [...outlets('harbour', 'en', HARBOUR.en, 6), ...outlets('harbour', 'de', HARBOUR.de, 6), german]
    const r = clusterArticles(articles, { ...options, maxBucket: 2 })
    expect(r.stats.oversizedBuckets).toBeGreaterThan(0)
    expect(r.clusters).toHaveLength(1)
    expect(r.clusters[0]?.members).toHaveLength(12)
    expectLanguagesKeptApart(r)
    expect(r.singletons).toEqual(['council-de'])
    expect(r.stats.leftOut).toBe(1)
  })
})
