import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  corpusExists,
  corpusMissing,
  defaultCorpusPath,
  loadBaseArticles,
  readJsonl,
  readTruth,
  reutersDate,
} from '../../bench/corpus.js'
import {
  boilerplateLines,
  COPY_TRANSFORMS,
  companionPaths,
  createGenerator,
  DEFAULT_TRANSFORM_WEIGHTS,
  dedupeBase,
  type GeneratedArticle,
  type GenerateOptions,
  generateCorpus,
  normalizeForCompare,
  type OutletProfile,
  outletProfiles,
  type PreparedBase,
  prepareBase,
  splitParagraphs,
  toArticle,
  VocabularyCipher,
  writeCorpus,
} from '../../bench/generate.js'
import type { Article } from '../../src/analyze.js'
import { has, REUTERS } from '../helpers/corpora.js'
import { syntheticBase } from '../helpers/synthetic.js'

// ---------------------------------------------------------------------------------------------
// Checks shared by the synthetic and the Reuters suites

const byName = (profiles: OutletProfile[]) => new Map(profiles.map((p) => [p.name, p]))

function originals(docs: GeneratedArticle[]): Map<string, GeneratedArticle> {
  return new Map(docs.filter((d) => d.transform[0] === 'original').map((d) => [d.id, d]))
}

function only(docs: GeneratedArticle[], transform: string): GeneratedArticle[] {
  return docs.filter((d) => d.transform.length === 1 && d.transform[0] === transform)
}

/** Remove an outlet's boilerplate from a copy's paragraphs (fixed lines, glued notices, trailing blocks). */
function stripBoilerplate(paragraphs: string[], profile: OutletProfile): string[] {
  const fixed = new Set([...profile.header, profile.adNotice, ...profile.footer, ...(profile.share ? [profile.share] : [])])
  const out: string[] = []
  for (const p of paragraphs) {
    if (p === profile.listHeading || (profile.comments && p === profile.comments[0])) break
    if (fixed.has(p)) continue
    out.push(p.endsWith(` ${profile.adNotice}`) ? p.slice(0, -(profile.adNotice.length + 1)) : p)
  }
  return out
}

function wordSet(text: string): Set<string> {
  return new Set(normalizeForCompare(text).split(' '))
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0
  for (const x of a) if (b.has(x)) inter++
  return inter / (a.size + b.size - inter)
}

/** Long paragraphs (8+ words) shared by articles of different clusters, except the deliberate hard negatives. */
function unexpectedSharedParagraphs(docs: GeneratedArticle[], profiles: OutletProfile[]): string[] {
  const boilerplate = new Set(profiles.flatMap(boilerplateLines).map(normalizeForCompare))
  const clusters = new Map<string, Set<string>>()
  for (const d of docs) {
    for (const p of splitParagraphs(d.text)) {
      const key = normalizeForCompare(p)
      // synthetic credit lines ("Reporting by X; Editing by Y") recur across stories, as they do in real news
      if (key.split(' ').length < 8 || boilerplate.has(key) || /^(By|Reporting by) /.test(p)) continue
      let set = clusters.get(key)
      if (!set) clusters.set(key, (set = new Set()))
      set.add(d.cluster)
    }
  }
  const quotes = new Map<string, string>() // hard negative id → quoted cluster
  for (const d of docs) if (d.quotedFrom) quotes.set(d.id, d.quotedFrom)
  const bad: string[] = []
  for (const [key, set] of clusters) {
    if (set.size < 2) continue
    // allowed: a quote of one story (cluster) that several others quote, the story itself maybe among them
    const members = [...set]
    const sources = new Set([...members, ...members.map((c) => quotes.get(c)).filter((q) => q !== undefined)])
    const ok = [...sources].some((source) => members.every((c) => c === source || quotes.get(c) === source))
    if (!ok) bad.push(`${[...set].join(',')}: ${key.slice(0, 80)}`)
  }
  return bad
}

function shingles(text: string): Set<string> {
  const w = normalizeForCompare(text).split(' ')
  const out = new Set<string>()
  for (let i = 0; i + 3 <= w.length; i++) out.add(`${w[i]} ${w[i + 1]} ${w[i + 2]}`)
  return out
}

/** Highest 3-shingle containment (shared / smaller set) between stories of different clusters, hard-negative pairs aside. */
function maxCrossClusterContainment(docs: GeneratedArticle[], profiles: OutletProfile[]): number {
  const boilerplate = new Set(profiles.flatMap(boilerplateLines).map(normalizeForCompare))
  const stories = docs.filter((d) => d.transform[0] === 'original' || d.transform[0] === 'independent')
  const sets = stories.map((d) =>
    shingles(
      splitParagraphs(d.text)
        .filter((p) => !boilerplate.has(normalizeForCompare(p)))
        .join('\n\n'),
    ),
  )
  const postings = new Map<string, number[]>()
  sets.forEach((set, i) => {
    for (const s of set) {
      const list = postings.get(s)
      if (list) list.push(i)
      else postings.set(s, [i])
    }
  })
  let worst = 0
  sets.forEach((set, i) => {
    const shared = new Map<number, number>()
    for (const s of set) for (const j of postings.get(s) ?? []) if (j !== i) shared.set(j, (shared.get(j) ?? 0) + 1)
    const a = stories[i] as GeneratedArticle
    for (const [j, k] of shared) {
      const b = stories[j] as GeneratedArticle
      if (a.quotedFrom || b.quotedFrom) continue
      worst = Math.max(worst, k / Math.min(set.size, (sets[j] as Set<string>).size))
    }
  })
  return worst
}

function checkGroundTruth(docs: GeneratedArticle[], n: number, window: number): void {
  expect(docs).toHaveLength(n)
  expect(new Set(docs.map((d) => d.id)).size).toBe(n)
  const seen = new Map<string, GeneratedArticle>()
  let last = ''
  docs.forEach((d, i) => {
    expect(d.publishedAt > last).toBe(true)
    last = d.publishedAt
    const kind = d.transform[0]
    if (kind === 'original' || kind === 'independent') expect(d.cluster).toBe(d.id)
    else {
      const original = seen.get(d.cluster)
      expect(original?.transform).toEqual(['original'])
      expect((original as GeneratedArticle).publishedAt < d.publishedAt).toBe(true)
      // copies are due within `window` articles; bursts of due copies can push a few slightly later
      expect(i - docs.indexOf(original as GeneratedArticle)).toBeLessThanOrEqual(window * 1.2)
      for (const t of d.transform) expect(COPY_TRANSFORMS).toContain(t)
    }
    if (d.quotedFrom) {
      expect(d.transform).toContain('quote')
      expect(seen.has(d.quotedFrom)).toBe(true)
      expect(seen.get(d.quotedFrom)?.cluster).not.toBe(d.cluster)
    }
    seen.set(d.id, d)
  })
}

function checkTruncations(docs: GeneratedArticle[]): number {
  const origs = originals(docs)
  const truncated = only(docs, 'truncate')
  for (const copy of truncated) {
    const original = splitParagraphs((origs.get(copy.cluster) as GeneratedArticle).text)
    const paragraphs = splitParagraphs(copy.text)
    expect(paragraphs.length).toBeGreaterThanOrEqual(2)
    expect(paragraphs.length).toBeLessThan(original.length)
    expect(paragraphs).toEqual(original.slice(0, paragraphs.length))
  }
  return truncated.length
}

/** A generated article's own paragraphs: its outlet's boilerplate removed when it has some. */
function contentParagraphs(d: GeneratedArticle, profiles: Map<string, OutletProfile>): string[] {
  const paragraphs = splitParagraphs(d.text)
  return d.transform.includes('boilerplate') ? stripBoilerplate(paragraphs, profiles.get(d.source) as OutletProfile) : paragraphs
}

/**
 * Every hard negative quotes one sentence (8 to 40 words) of the story it quotes, in quotation marks
 * as a paragraph of its own, and shares no paragraph with it. With `minWords` > 0, only paragraphs
 * of that many words count as shared (Reuters stories naturally share short lines such as "Year").
 */
function checkHardNegatives(docs: GeneratedArticle[], profiles: OutletProfile[], minWords = 0): number {
  const byId = new Map(docs.map((d) => [d.id, d]))
  const profileOf = byName(profiles)
  const negatives = docs.filter((d) => d.quotedFrom)
  for (const b of negatives) {
    const a = byId.get(b.quotedFrom as string) as GeneratedArticle
    expect(a.cluster).not.toBe(b.cluster)
    const aParagraphs = contentParagraphs(a, profileOf).map(normalizeForCompare)
    const bParagraphs = contentParagraphs(b, profileOf).map(normalizeForCompare)
    const shared = bParagraphs.filter((p) => aParagraphs.includes(p) && p.split(' ').length >= minWords)
    expect(shared).toEqual([])
    const quotes = contentParagraphs(b, profileOf)
      .map((p) => /^"(.+)," the report said\.$/.exec(p)?.[1])
      .filter((q): q is string => q !== undefined)
    expect(quotes).toHaveLength(1)
    const quote = normalizeForCompare(quotes[0] as string)
    expect(quote.split(' ').length).toBeGreaterThanOrEqual(8)
    expect(quote.split(' ').length).toBeLessThanOrEqual(40)
    expect(aParagraphs.slice(1).some((p) => p.includes(quote))).toBe(true)
  }
  return negatives.length
}

// ---------------------------------------------------------------------------------------------

describe('generator on a synthetic base corpus', () => {
  const base = syntheticBase(120)
  let prepared: PreparedBase
  let docs: GeneratedArticle[]
  const options: GenerateOptions = { n: 3000, seed: 5, hardNegativeShare: 0.05, window: 200 }
  const profiles = outletProfiles(5, 200)
  let dir: string

  beforeAll(() => {
    prepared = prepareBase(base)
    docs = [...generateCorpus(prepared, options)]
    dir = mkdtempSync(join(tmpdir(), 'wiretrace-generate-'))
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('prepares the base: dedupes, splits stories from filler, builds the cipher', () => {
    const s = prepared.stats
    expect(s).toMatchObject({ input: 120, empty: 0, exactDuplicates: 0, sharedParagraph: 0, nearDuplicates: 0 })
    expect(s.tooShort).toBeLessThan(10) // a few one-sentence items under 20 words
    expect(s.kept).toBe(120 - s.tooShort)
    expect(s.stories + s.fillerArticles).toBe(s.kept)
    expect(prepared.stats.fillerArticles).toBeGreaterThan(0)
    expect(prepared.stats.wirePool).toBeGreaterThan(50)
    expect(prepared.stats.vocabulary).toBeGreaterThan(1000)
  })

  it('is deterministic: same seed, same output; another seed, another output', () => {
    const again = [...generateCorpus(prepared, options)]
    expect(JSON.stringify(again)).toBe(JSON.stringify(docs))
    // from raw articles too (prepareBase runs inside)
    const raw = [...generateCorpus(base, { ...options, n: 300 })]
    expect(raw).toEqual([...generateCorpus(prepared, { ...options, n: 300 })])
    const other = [...generateCorpus(prepared, { ...options, seed: 6 })]
    expect(other.map((d) => d.text)).not.toEqual(docs.map((d) => d.text))
  })

  it('writes byte-identical files for the same seed', async () => {
    const a = join(dir, 'a.jsonl')
    const b = join(dir, 'b.jsonl')
    const ra = await writeCorpus(generateCorpus(prepared, { ...options, n: 800 }), a)
    await writeCorpus(generateCorpus(prepared, { ...options, n: 800 }), b)
    expect(ra).toMatchObject({ articles: 800, truthPath: join(dir, 'a.truth.jsonl') })
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true)
    expect(readFileSync(companionPaths(a).truth).equals(readFileSync(companionPaths(b).truth))).toBe(true)
    const truth = await readTruth(ra.truthPath)
    expect(truth.size).toBe(800)
    const records: GeneratedArticle[] = []
    for await (const r of readJsonl<GeneratedArticle>(a)) records.push(r)
    expect(records).toEqual([...generateCorpus(prepared, { ...options, n: 800 })])
    for (const r of records) expect(truth.get(r.id)).toBe(r.cluster)
  })

  it('writes and reads gzipped output', async () => {
    const path = join(dir, 'c.jsonl.gz')
    const result = await writeCorpus(generateCorpus(prepared, { ...options, n: 200 }), path)
    expect(result.truthPath).toBe(join(dir, 'c.truth.jsonl'))
    const records: GeneratedArticle[] = []
    for await (const r of readJsonl<GeneratedArticle>(path)) records.push(r)
    expect(records).toEqual([...generateCorpus(prepared, { ...options, n: 200 })])
  })

  it('keeps the ground truth consistent: copies point at earlier wire originals', () => {
    checkGroundTruth(docs, options.n, options.window as number)
  })

  it('produces the planned mix of wire clusters, copies and transforms', () => {
    const { articles, stats } = createGenerator(prepared, options)
    const list = [...articles]
    const count = (kind: string) => list.filter((d) => d.transform[0] === kind).length
    expect(stats.articles).toBe(options.n)
    expect(stats.originals).toBe(count('original'))
    expect(stats.independent).toBe(count('independent'))
    expect(stats.copies).toBe(options.n - stats.originals - stats.independent)
    expect(stats.hardNegatives).toBe(list.filter((d) => d.quotedFrom).length)
    expect(stats.clusters).toBe(new Set(list.map((d) => d.cluster)).size)
    const wireShare = (stats.originals + stats.copies) / options.n
    expect(wireShare).toBeGreaterThan(0.32)
    expect(wireShare).toBeLessThan(0.48)
    expect(stats.copies / stats.originals).toBeGreaterThan(3)
    expect(stats.copies / stats.originals).toBeLessThan(5)
    // every transform is used, and the per-transform counts match the records
    const copies = list.filter((d) => !['original', 'independent'].includes(d.transform[0] as string))
    for (const t of COPY_TRANSFORMS) {
      expect(stats.transforms[t]).toBe(copies.filter((d) => d.transform.includes(t)).length)
      expect(stats.transforms[t]).toBeGreaterThan(10)
    }
    expect(stats.singleTransformCopies).toBe(copies.filter((d) => d.transform.length === 1).length)
    // 'whole' is only ever alone and its rate follows its weight (binomial, 5 sd)
    const whole = copies.filter((d) => d.transform.includes('whole'))
    for (const d of whole) expect(d.transform).toEqual(['whole'])
    const p = DEFAULT_TRANSFORM_WEIGHTS.whole
    const sd = Math.sqrt(copies.length * p * (1 - p))
    expect(Math.abs(whole.length - copies.length * p)).toBeLessThan(5 * sd)
    // independent articles: about 5% quote another story
    expect(stats.hardNegatives / stats.independent).toBeGreaterThan(0.025)
    expect(stats.hardNegatives / stats.independent).toBeLessThan(0.08)
  })

  it('makes whole copies identical and truncated copies paragraph prefixes', () => {
    const origs = originals(docs)
    const whole = only(docs, 'whole')
    expect(whole.length).toBeGreaterThan(10)
    for (const d of whole) expect(d.text).toBe(origs.get(d.cluster)?.text)
    expect(checkTruncations(docs)).toBeGreaterThan(10)
  })

  it('applies each single transform as documented', () => {
    const origs = originals(docs)
    const profileOf = byName(profiles)
    const orig = (d: GeneratedArticle) => splitParagraphs((origs.get(d.cluster) as GeneratedArticle).text)
    for (const d of only(docs, 'boilerplate')) {
      const profile = profileOf.get(d.source) as OutletProfile
      expect(stripBoilerplate(splitParagraphs(d.text), profile)).toEqual(orig(d))
    }
    for (const d of only(docs, 'reorder')) {
      const p = splitParagraphs(d.text)
      expect(p[0]).toBe(orig(d)[0])
      expect(p).not.toEqual(orig(d))
      expect([...p].sort()).toEqual([...orig(d)].sort())
    }
    for (const d of only(docs, 'byline')) {
      const extra = splitParagraphs(d.text).filter((p) => !orig(d).includes(p))
      expect(extra).toHaveLength(1)
      expect(extra[0]).toMatch(/^(By|Reporting by) \p{Lu}/u)
    }
    for (const d of only(docs, 'dateline')) {
      const p = splitParagraphs(d.text)
      const o = orig(d)
      if (p.length === o.length + 1) expect(p[1]).toMatch(/^[A-Z][a-z]+ \d{1,2}, \d{4}$/)
      else {
        expect(p[1]).not.toBe(o[1])
        expect(p[1]?.endsWith(o[1] as string)).toBe(true)
        expect(p[1]).toMatch(/^[A-Z ]+(, [A-Z][a-z]+ \d{1,2})? \(.+\) [-—] /)
      }
    }
    for (const d of only(docs, 'own-paragraphs')) {
      const p = splitParagraphs(d.text)
      const o = orig(d)
      const extra = p.filter((x) => !o.includes(x))
      expect(extra.length).toBeGreaterThanOrEqual(1)
      expect(extra.length).toBeLessThanOrEqual(3)
      expect(p.filter((x) => o.includes(x))).toEqual(o) // the original, in order, with paragraphs added
    }
    for (const d of only(docs, 'edit')) {
      const p = splitParagraphs(d.text)
      const o = orig(d)
      expect(p).toHaveLength(o.length)
      expect(p).not.toEqual(o)
      expect(jaccard(wordSet(d.text), wordSet(o.join('\n\n')))).toBeGreaterThan(0.6)
    }
    for (const d of only(docs, 'headline')) {
      const p = splitParagraphs(d.text)
      expect(p[0]).not.toBe(orig(d)[0])
      expect(p.slice(1)).toEqual(orig(d).slice(1))
    }
  })

  it('makes hard negatives quote one sentence of the story they quote, marked as a quote', () => {
    expect(checkHardNegatives(docs, profiles)).toBeGreaterThan(20)
  })

  it('keeps distinct stories distinct even when every base article is reused many times', () => {
    const { articles, stats } = createGenerator(prepared, options)
    const list = [...articles]
    expect(stats.cipheredStories).toBeGreaterThan(stats.realStories) // ~108 skeletons for ~2000 stories
    expect(stats.maxGeneration).toBeGreaterThan(10)
    expect(unexpectedSharedParagraphs(list, profiles)).toEqual([])
    expect(maxCrossClusterContainment(list, profiles)).toBeLessThan(0.3)
  })

  it('generates 2,000 articles fast', () => {
    const started = performance.now()
    let chars = 0
    for (const d of generateCorpus(prepared, { n: 2000, seed: 9 })) chars += d.text.length
    expect(chars).toBeGreaterThan(0)
    expect(performance.now() - started).toBeLessThan(5000)
  })

  it('handles n = 0, n = 1 and tiny n exactly', () => {
    expect([...generateCorpus(prepared, { n: 0 })]).toEqual([])
    for (const n of [1, 2, 3, 17]) {
      const list = [...generateCorpus(prepared, { n, seed: n })]
      checkGroundTruth(list, n, 300)
    }
  })

  it('honours wireShare 0 and custom transform weights', () => {
    const none = createGenerator(prepared, { n: 300, wireShare: 0 })
    expect([...none.articles].every((d) => d.transform[0] === 'independent')).toBe(true)
    const truncOnly = createGenerator(prepared, {
      n: 600,
      comboRate: 0,
      transformWeights: Object.fromEntries(COPY_TRANSFORMS.map((t) => [t, t === 'truncate' ? 1 : 0])),
    })
    const list = [...truncOnly.articles]
    expect(truncOnly.stats.copies).toBeGreaterThan(100)
    expect(truncOnly.stats.transforms.truncate).toBe(truncOnly.stats.copies)
    expect(checkTruncations(list)).toBe(truncOnly.stats.copies)
  })

  it('rejects bad options with clear messages', () => {
    expect(() => createGenerator(prepared, { n: -1 })).toThrow(/n must be an integer/)
    expect(() => createGenerator(prepared, { n: 10, wireShare: 1 })).toThrow(/wireShare/)
    expect(() => createGenerator(prepared, { n: 10, copiesPerWire: 0 })).toThrow(/copiesPerWire/)
    expect(() => createGenerator(prepared, { n: 10, startDate: 'soon' })).toThrow(/startDate/)
    expect(() => createGenerator(prepared, { n: 10, transformWeights: { whole: -1 } })).toThrow(/weight/)
    expect(() => prepareBase(base.slice(0, 2))).toThrow(/at least 4/)
  })

  it('strips the ground truth for the system under test', () => {
    const d = docs[0] as GeneratedArticle
    expect(toArticle(d)).toEqual({ id: d.id, text: d.text, source: d.source, publishedAt: d.publishedAt })
  })
})

describe('dedupeBase', () => {
  it('drops empty, short, exact, shared-paragraph and near duplicates, keeping the first', () => {
    const [a, b, c] = syntheticBase(3, 7).filter((x) => splitParagraphs(x.text).length >= 3)
    const articles = [a, b, c].filter(Boolean) as Article[]
    expect(articles.length).toBeGreaterThanOrEqual(2)
    const first = articles[0] as Article
    const second = articles[1] as Article
    const paras = splitParagraphs(first.text)
    const input: Article[] = [
      first,
      { id: 'empty', text: '  ' },
      { id: 'short', text: 'TOO SHORT\n\nOnly a few words here.' },
      { id: 'exact', text: first.text.toUpperCase().replace(/\n\n/g, '\n\n  ') },
      // shares a long paragraph with `first`
      {
        id: 'shares',
        text: `${splitParagraphs(second.text).join('\n\n')}\n\n${paras.slice(1).find((p) => p.split(' ').length >= 8)}`,
      },
      // most of `first` with a small change in every paragraph
      { id: 'near', text: paras.map((p) => `${p} Officials added nothing.`).join('\n\n') },
      second,
    ]
    const { kept, stats } = dedupeBase(input)
    expect(kept.map((x) => x.id)).toEqual([first.id, second.id])
    expect(stats).toEqual({
      input: 7,
      empty: 1,
      tooShort: 1,
      exactDuplicates: 1,
      sharedParagraph: 1,
      nearDuplicates: 1,
      kept: 2,
    })
  })
})

describe('VocabularyCipher', () => {
  const cipher = new VocabularyCipher(syntheticBase(60, 3).map((a) => a.text))
  const text = splitParagraphs((syntheticBase(60, 3)[5] as Article).text).join('\n\n')

  it('keeps function words, punctuation, casing and number shapes', () => {
    expect(cipher.text('The Kalo and the MIREN, 1,234.', 77)).toMatch(/^The [A-Z][a-z]+ and the [A-Z]+, \d,\d{3}\.$/)
  })

  it('is a bijection on words under one key, and keys differ', () => {
    const words = [...new Set(normalizeForCompare(text).split(' '))]
    const mapped = words.map((w) => cipher.word(w, 11))
    expect(new Set(mapped).size).toBe(words.length)
    const a = cipher.text(text, 1)
    const b = cipher.text(text, 2)
    expect(a).not.toBe(b)
    expect(jaccard(shingles(a), shingles(text))).toBeLessThan(0.15)
    expect(jaccard(shingles(a), shingles(b))).toBeLessThan(0.15)
    expect(cipher.text(text, 1)).toBe(a)
  })
})

describe('corpus helpers', () => {
  it('resolves the default corpus beside the repository root', () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
    expect(defaultCorpusPath()).toBe(resolve(root, '../shared/corpora/reuters21578.jsonl.gz'))
  })

  it('explains where to put a missing corpus instead of crashing', async () => {
    const missing = join(tmpdir(), 'wiretrace-no-such-dir', 'reuters21578.jsonl.gz')
    expect(corpusExists(missing)).toBe(false)
    expect(corpusMissing(missing)).toContain(missing)
    expect(corpusMissing(missing)).toMatch(/shared\/corpora/)
    await expect(loadBaseArticles(missing)).rejects.toThrow(/not found at/)
  })

  it('parses Reuters dates', () => {
    expect(reutersDate('26-FEB-1987 15:02:20.00')).toBe('1987-02-26T15:02:20Z')
    expect(reutersDate(' 3-APR-1987 07:09:06.48')).toBe('1987-04-03T07:09:06Z')
    expect(reutersDate('garbage')).toBeUndefined()
  })
})

// ---------------------------------------------------------------------------------------------

// The corpora helper's path and check: it warns with the missing file, and fails under
// WIRETRACE_REQUIRE_CORPORA=1 (CI).
const reutersPath = REUTERS
const haveReuters = has(REUTERS, 'generator on Reuters-21578 (test/bench/generate.test.ts)')

describe.skipIf(!haveReuters)(`generator on Reuters-21578${haveReuters ? '' : ' (skipped: corpus not found)'}`, () => {
  let loaded: { articles: Article[]; skippedEmpty: number }
  let full: PreparedBase

  beforeAll(async () => {
    loaded = await loadBaseArticles(reutersPath)
    full = prepareBase(loaded.articles)
  })

  it('loads and cleans the base corpus', () => {
    expect(loaded.articles.length).toBe(21_577)
    expect(loaded.skippedEmpty).toBe(1)
    const s = full.stats
    expect(s.exactDuplicates).toBeGreaterThan(200)
    expect(s.nearDuplicates).toBeGreaterThan(500)
    expect(s.kept).toBeGreaterThan(15_000)
    expect(s.wirePool).toBeGreaterThan(10_000)
  })

  it('generates 2,000 articles fast, consistently, with exact prefixes and hard negatives', () => {
    const started = performance.now()
    const { articles, stats } = createGenerator(full, { n: 2000, seed: 1 })
    const docs = [...articles]
    expect(performance.now() - started).toBeLessThan(5000)
    checkGroundTruth(docs, 2000, 300)
    expect(checkTruncations(docs)).toBeGreaterThan(5)
    expect(checkHardNegatives(docs, outletProfiles(1, 200), 8)).toBe(stats.hardNegatives)
    expect(unexpectedSharedParagraphs(docs, outletProfiles(1, 200))).toEqual([])
  })

  it('keeps reused (ciphered) stories distinct', async () => {
    const small = prepareBase((await loadBaseArticles(reutersPath, 1500)).articles)
    const { articles, stats } = createGenerator(small, { n: 8000, seed: 2, hardNegativeShare: 0.05 })
    const docs = [...articles]
    expect(stats.cipheredStories).toBeGreaterThan(stats.realStories)
    expect(unexpectedSharedParagraphs(docs, outletProfiles(2, 200))).toEqual([])
    expect(maxCrossClusterContainment(docs, outletProfiles(2, 200))).toBeLessThan(0.5)
    expect(checkHardNegatives(docs, outletProfiles(2, 200), 8)).toBe(stats.hardNegatives)
  })
})
