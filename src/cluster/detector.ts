import { type AnalysisOk, type Article, resolveAnalyzeOptions, validateArticle } from '../analyze.js'
import type { Comparison } from '../compare/compare.js'
import { parsePublishedAt } from '../date.js'
import { argOptions, checkInteger, checkNumber, WiretraceError } from '../errors.js'
import { LshIndex } from '../lsh/lsh.js'
import type { Fingerprint } from '../sketch/fingerprint.js'
import { copyKeys, FLOOD_LEADERS } from './candidates.js'
import { buildClusters, type ClusterOptions, type ClusterResult, resolveMaxBucket, type SkippedArticle } from './cluster.js'
import {
  completeSketch,
  floodLeaders,
  PairVerifier,
  refilledBy,
  sketchArticle,
  streamCandidates,
  type TokenSets,
} from './engine.js'

/** Options for {@link Detector}: those of clustering, plus the time window of a feed. */
export interface DetectorOptions extends ClusterOptions {
  /** Forget articles published more than this many days before the newest one. @default undefined (no limit) */
  windowDays?: number
  /** Keep at most this many articles, forgetting the oldest first. @default undefined (no limit) */
  maxArticles?: number
}

/** What {@link Detector.add} found for one article, at once. */
export interface Detection {
  kind: 'detection'
  id: string
  status: 'ok' | 'skipped'
  /** With `skipped`: why. */
  skip?: SkippedArticle
  /**
   * Verified links to articles seen before, strongest first; without links to reports cut from
   * the same template as far as the window shows it now (`splitTemplates`: `clusters()` checks
   * again, and may drop a link returned here or keep one left out).
   */
  matches: Comparison[]
  /** Ids that left the window because of this article. */
  expired: string[]
}

const DAY = 86_400_000

/**
 * Streaming deduplication: `add` each article as it arrives and get its matches with what was
 * seen before at once. A time window or a maximum count keeps memory bounded on an endless feed.
 * `clusters()` gives the same clusters a batch run gives on the articles in the window.
 *
 * The engine's stream driver (src/cluster/engine.ts): each article is sketched, its candidates
 * found in an LSH index of the window ({@link streamCandidates}: the batch search's band and
 * anchor rules), then screened, completed and compared as in the batch drivers (PairVerifier);
 * `clusters()` is the engine's cluster stage on the links found.
 *
 * Floods, as in the batch paths (src/cluster/candidates.ts): an article with the same normalised
 * text or signature as one in the window is a copy of it, matched with it alone and kept out of
 * the LSH index; an LSH bucket over `maxBucket` is not skipped but its oldest
 * {@link FLOOD_LEADERS} members are tried, most similar first, until one links.
 *
 * @example
 * const d = new Detector({ windowDays: 3 })
 * for (const a of feed) {
 *   const { matches } = d.add(a)
 *   if (matches.length === 0) publish(a)
 * }
 */
export class Detector {
  private readonly options: DetectorOptions
  private readonly resolved: ReturnType<typeof resolveAnalyzeOptions>
  private readonly index: LshIndex
  private readonly docs = new Map<string, { analysis: AnalysisOk; time: number; seq: number }>()
  private readonly skippedById = new Map<string, SkippedArticle>()
  private readonly links = new Map<string, Comparison>()
  private readonly verifier: PairVerifier
  /** The indexed article each copy copies, its copies, and the indexed article of each copy key. */
  private readonly copyOf = new Map<string, string>()
  /** A copy's link to its indexed article (null: it did not link, re-checked when clusters() asks). */
  private readonly copyLinks = new Map<string, Comparison | null>()
  private readonly copiesOf = new Map<string, Set<string>>()
  private readonly byKey = new Map<number, string>()
  /** Articles that met an oversized bucket (never compared with most of it). */
  private readonly flooded = new Set<string>()
  /** The article each indexed one linked to first, followed to that one's head (see search). */
  private readonly heads = new Map<string, string>()
  /** The indexed articles each was compared with (the screen passed): the third articles of the template check. */
  private readonly met = new Map<string, Set<string>>()
  /** The third articles' tokens, made once each. */
  private readonly tokens: TokenSets = new Map()
  private newest = Number.NEGATIVE_INFINITY
  private seq = 0
  private oversized = 0
  private readonly maxBucket: number

  constructor(options: DetectorOptions = {}) {
    argOptions('Detector', 'options', options)
    if (options.windowDays !== undefined) checkNumber('windowDays', options.windowDays, 0, 1e6)
    if (options.maxArticles !== undefined) checkInteger('maxArticles', options.maxArticles, 1, 1e9)
    this.maxBucket = resolveMaxBucket(options)
    this.options = options
    this.resolved = resolveAnalyzeOptions(options)
    this.index = new LshIndex(options)
    const o = this.resolved
    // Sketches until they meet a candidate the screen passes, as in the batch drivers.
    this.verifier = new PairVerifier(options, (a) => completeSketch(a, o))
  }

  /** Analyse an article, match it against the window, and remember it. */
  add(raw: Article): Detection {
    const article = validateArticle(raw)
    if (this.docs.has(article.id) || this.skippedById.has(article.id)) {
      if ((this.options.duplicateIds ?? 'error') === 'error') {
        throw new WiretraceError(
          'DUPLICATE_ID',
          `article id "${article.id}" was already added (set duplicateIds: 'replace' to replace it)`,
        )
      }
      this.remove(article.id)
    }
    const analysis = sketchArticle(article, this.resolved)
    if (analysis.status === 'skipped') {
      const skip = { id: analysis.id, reason: analysis.reason, detail: analysis.detail }
      this.skippedById.set(analysis.id, skip)
      return { kind: 'detection', id: article.id, status: 'skipped', skip, matches: [], expired: [] }
    }
    const parsed = parsePublishedAt(article.publishedAt ?? '')
    const time = Number.isNaN(parsed) ? Math.max(this.newest, 0) : parsed
    const expired = this.expire(time)
    const doc = { analysis, time, seq: this.seq++ }
    const copy = this.copyMatch(analysis)
    let matches: Comparison[]
    if (copy) {
      this.docs.set(analysis.id, doc)
      matches = [copy]
    } else {
      matches = this.search(analysis)
      this.index.insert(analysis.fingerprint)
      this.docs.set(analysis.id, doc)
      this.keyAs(analysis, analysis.id)
    }
    // Links to reports cut from one template stay recorded: clusters() checks them again against
    // the window then, when a later article may fill the frame or the one that did may be gone.
    // Checked before this article's arrival expires any (they are still what it met).
    matches = matches.filter((c) => !this.isTemplate(c))
    expired.push(...this.expire(time))
    matches.sort((p, q) => strength(q) - strength(p) || (p.a + p.b < q.a + q.b ? -1 : 1))
    return { kind: 'detection', id: article.id, status: 'ok', matches, expired }
  }

  /** An indexed article with the same copy key that links to `analysis`: record the copy and return the link. */
  private copyMatch(analysis: AnalysisOk): Comparison | undefined {
    const keys = copyKeys(analysis)
    for (const key of [keys.content, keys.signature]) {
      const rep = this.byKey.get(key)
      const other = rep === undefined ? undefined : this.docs.get(rep)
      if (!other) continue
      const c = this.verified(analysis, other.analysis)
      if (!c) continue
      this.copyOf.set(analysis.id, other.analysis.id)
      this.copyLinks.set(analysis.id, c)
      let set = this.copiesOf.get(other.analysis.id)
      if (!set) this.copiesOf.set(other.analysis.id, (set = new Set()))
      set.add(analysis.id)
      return c
    }
    return undefined
  }

  private keyAs(analysis: AnalysisOk, id: string): void {
    const keys = copyKeys(analysis)
    for (const key of [keys.content, keys.signature]) if (!this.byKey.has(key)) this.byKey.set(key, id)
  }

  /** Verified links of an article with the indexed ones: its LSH candidates, then the leaders of its floods. */
  private search(analysis: AnalysisOk): Comparison[] {
    const matches: Comparison[] = []
    const { ids, floods } = streamCandidates(this.index, analysis.fingerprint, this.maxBucket, (id) => this.fingerprintOf(id))
    const candidates = new Set(ids)
    const verify = (id: string): boolean => {
      const other = this.docs.get(id)
      const c = other && this.verified(analysis, other.analysis)
      if (!c) return false
      matches.push(c)
      this.links.set(pairKey(c.a, c.b), c)
      return true
    }
    for (const id of ids) verify(id)
    if (floods.length > 0) this.matchFloods(analysis, floods, candidates, verify)
    // In a flood, the head of what it linked to first (the article the flood's copies link to):
    // link to it too, so that the star clustering, which does not chain, puts them together.
    // Outside floods nothing changes (the batch paths find the same links).
    const first = matches[0]
    const other = first ? (first.a === analysis.id ? first.b : first.a) : undefined
    if (other !== undefined) {
      const head = this.headOf(other)
      this.heads.set(analysis.id, head)
      if (floods.length > 0 && !matches.some((c) => c.a === head || c.b === head)) verify(head)
    }
    return matches
  }

  /** The verifier's link of the pair, recording that the two met when the screen passes them. */
  private verified(a: AnalysisOk, b: AnalysisOk): Comparison | undefined {
    const screened = this.verifier.screenedOut
    const c = this.verifier.verify(a, b)
    if (this.verifier.splitTemplates && this.verifier.screenedOut === screened) {
      this.meet(a.id, b.id)
      this.meet(b.id, a.id)
    }
    return c
  }

  private meet(a: string, b: string): void {
    const s = this.met.get(a)
    if (s) s.add(b)
    else this.met.set(a, new Set([b]))
  }

  /** Whether an article the pair met fills the link's frame anew (PairVerifier.frameOf, as the batch drivers check it). */
  private isTemplate(c: Comparison): boolean {
    const a = this.docs.get(c.a)?.analysis
    const b = this.docs.get(c.b)?.analysis
    if (!a || !b) return false
    // The verifier keeps each link's frame from when it measured the pair.
    const frame = this.verifier.frameOf(a, b, c)
    if (!frame) return false
    const met = [this.met.get(c.a) ?? [], this.met.get(c.b) ?? []]
    return refilledBy(frame, a, b, met, (id) => this.docs.get(id)?.analysis, this.tokens)
  }

  private fingerprintOf(id: string) {
    return this.docs.get(id)?.analysis.fingerprint
  }

  private headOf(id: string): string {
    const h = this.heads.get(id)
    return h !== undefined && this.docs.has(h) ? h : id
  }

  /** Oversized buckets: counted, and their leaders tried (the engine's floodLeaders). */
  private matchFloods(
    analysis: AnalysisOk,
    floods: (readonly string[])[],
    candidates: Set<string>,
    verify: (id: string) => boolean,
  ): void {
    this.oversized += floods.length
    this.flooded.add(analysis.id)
    if (floods.some((b) => b.some((id) => candidates.has(id) && this.links.has(pairKey(id, analysis.id))))) return
    for (const id of floodLeaders(analysis.fingerprint, floods, candidates, (id) => this.fingerprintOf(id) as Fingerprint)) {
      if (verify(id)) break
    }
  }

  private expire(time: number): string[] {
    this.newest = Math.max(this.newest, time)
    const out: string[] = []
    const { windowDays, maxArticles } = this.options
    if (windowDays !== undefined) {
      const cutoff = this.newest - windowDays * DAY
      for (const [id, d] of this.docs) if (d.time < cutoff) out.push(id)
    }
    if (maxArticles !== undefined && this.docs.size > maxArticles) {
      const oldest = [...this.docs].sort((p, q) => p[1].time - q[1].time || p[1].seq - q[1].seq)
      for (const [id] of oldest.slice(0, this.docs.size - maxArticles)) if (!out.includes(id)) out.push(id)
    }
    for (const id of out) this.remove(id)
    return out.sort()
  }

  /** Forget an article. A copy's article leaving passes its place in the index to its oldest copy. */
  remove(id: string): boolean {
    this.skippedById.delete(id)
    const gone = this.docs.get(id)
    if (!gone || !this.docs.delete(id)) return false
    this.tokens.delete(gone.analysis)
    for (const other of this.met.get(id) ?? []) this.met.get(other)?.delete(id)
    this.met.delete(id)
    this.flooded.delete(id)
    this.heads.delete(id)
    const rep = this.copyOf.get(id)
    if (rep !== undefined) {
      this.copyOf.delete(id)
      this.copyLinks.delete(id)
      this.copiesOf.get(rep)?.delete(id)
      return true
    }
    this.index.remove(id)
    for (const k of [...this.links.keys()]) {
      const [a, b] = k.split('\u0000')
      if (a === id || b === id) this.links.delete(k)
    }
    const keys = copyKeys(gone.analysis)
    for (const key of [keys.content, keys.signature]) if (this.byKey.get(key) === id) this.byKey.delete(key)
    const copies = [...(this.copiesOf.get(id) ?? [])]
    this.copiesOf.delete(id)
    if (copies.length > 0) {
      const docs = copies.map((c) => this.docs.get(c) as { analysis: AnalysisOk; seq: number })
      docs.sort((x, y) => x.seq - y.seq)
      const heir = (docs[0] as { analysis: AnalysisOk }).analysis
      this.copyOf.delete(heir.id)
      this.copyLinks.delete(heir.id)
      for (const d of docs.slice(1)) {
        // Linked to the heir again when clusters() asks (the same text compares once).
        this.copyOf.set(d.analysis.id, heir.id)
        this.copyLinks.delete(d.analysis.id)
      }
      if (docs.length > 1) this.copiesOf.set(heir.id, new Set(docs.slice(1).map((d) => d.analysis.id)))
      this.search(heir)
      this.index.insert(heir.fingerprint)
      this.keyAs(heir, heir.id)
    }
    return true
  }

  has(id: string): boolean {
    return this.docs.has(id)
  }

  /** Articles currently in the window. */
  get size(): number {
    return this.docs.size
  }

  /**
   * Clusters of the articles in the window, identical to a batch run on them (outside floods,
   * which the stream resolves through its buckets' oldest members). `stats.oversizedBuckets`
   * counts the oversized buckets met by the articles added, one per article and bucket.
   */
  clusters(): ClusterResult {
    const analyses = [...this.docs.values()].map((d) => d.analysis).sort((a, b) => (a.id < b.id ? -1 : 1))
    const links = [...this.links.values()]
    for (const [id, rep] of this.copyOf) {
      let c = this.copyLinks.get(id)
      if (c === undefined) {
        const a = (this.docs.get(id) as { analysis: AnalysisOk }).analysis
        c = this.verified(a, (this.docs.get(rep) as { analysis: AnalysisOk }).analysis) ?? null
        this.copyLinks.set(id, c)
      }
      if (c) links.push(c)
    }
    const kept = links.filter((c) => !this.isTemplate(c))
    return buildClusters(
      analyses,
      kept,
      [...this.skippedById.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
      this.options,
      {
        articles: this.docs.size + this.skippedById.size,
        candidatePairs: this.verifier.verified,
        screenedOut: this.verifier.screenedOut,
        templates: links.length - kept.length,
        oversizedBuckets: this.oversized,
        copies: this.copyOf.size,
        flooded: [...this.flooded],
      },
      this.verifier,
    )
  }
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`)

function strength(c: Comparison): number {
  return Math.max(c.containment.aInB, c.containment.bInA, c.derived.a, c.derived.b)
}
