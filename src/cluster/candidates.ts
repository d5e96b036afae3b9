// The candidate search, stage 2 of the engine (engine.ts), shared by every path (clusterAnalyses
// in memory, clusterCorpus's two passes; the streaming Detector applies the same rules one article
// at a time through engine.ts's streamCandidates and floodLeaders), so that they cannot drift:
//
// 1. Copy groups. Articles with the same normalised text (content key) or the same document
//    signature (signature key) form one group; only its representative (the first) goes through
//    LSH, and every other member is paired with it alone. A story reprinted 100,000 times costs
//    100,000 pairs, not 5·10^9.
// 2. Floods. An LSH bucket holding more than `maxBucket` documents is not enumerated pair by pair
//    (quadratic) nor skipped (the viral story would vanish): each member is paired with the most
//    similar of a few leaders of the bucket (the first members unlike any earlier leader), so the
//    cost stays linear in the bucket's size.
// 3. The members of every oversized bucket are returned: those that end in no cluster were never
//    compared with most of their bucket, so they are counted (`stats.leftOut`) and warned about.
import type { AnalysisOk } from '../analyze.js'
import { type CompareOptions, type Comparison, compareMeasured, resolveModel } from '../compare/compare.js'
import { daysApart, type PairEvidence } from '../compare/evidence.js'
import { daysTold } from '../compare/model.js'
import { parsePublishedAt } from '../date.js'
import { batchCandidatePairs } from '../lsh/batch.js'
import { fnvStep, mix32 } from '../sketch/hash.js'
import { estimateJaccard } from '../sketch/minhash.js'
import { normalizeText } from '../text/normalize.js'
import { type ScreenSketch, worthComparing } from './screen.js'

const TWO_32 = 4294967296
const TWO_21 = 2097152

/** How a document is recognised as a copy: its normalised text and its signature, each hashed to 53 bits. */
export interface CopyKeys {
  content: number
  signature: number
}

/** Leaders per oversized bucket: a member none of them is like is paired with none (and counted if it ends alone). */
export const FLOOD_LEADERS = 8

/** Two 32-bit FNV-1a streams with different seeds, folded into one safe integer (53 bits). */
class Hash53 {
  h1 = 0x811c9dc5
  h2 = 0x9747b28c
  add(code: number): void {
    this.h1 = fnvStep(this.h1, code)
    this.h2 = fnvStep(this.h2, code ^ 0x5bd1e995)
  }
  value(): number {
    return (mix32(this.h1) & 0x1fffff) * TWO_32 + mix32(this.h2)
  }
}

/** Hash of a text's cleaned paragraphs after normalisation (`normalizeText`: case, spaces, quotes, dashes). */
export function contentKey(paragraphs: Iterable<string>): number {
  const h = new Hash53()
  for (const p of paragraphs) {
    if (!hashAscii(p, h)) {
      const s = normalizeText(p)
      for (let i = 0; i < s.length; i++) h.add(s.charCodeAt(i))
    }
    h.add(10)
  }
  return h.value()
}

/**
 * normalizeText's ASCII path (spaces collapsed and trimmed, lower case) hashed as it reads, with
 * no string made; false, having hashed nothing, when the text is not all ASCII.
 */
function hashAscii(p: string, h: Hash53): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i)
    if (c > 0x7f || c === 0x60) return false
  }
  // Hash53.add inlined: this runs over every character of every article.
  let h1 = h.h1
  let h2 = h.h2
  let space = false
  let started = false
  for (let i = 0; i < p.length; i++) {
    let c = p.charCodeAt(i)
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
      space = started
      continue
    }
    if (space) {
      h1 = Math.imul(h1 ^ 0x20, 0x01000193)
      h2 = Math.imul(h2 ^ (0x20 ^ 0x5bd1e995), 0x01000193)
    }
    space = false
    started = true
    if (c >= 0x41 && c <= 0x5a) c += 32
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ (c ^ 0x5bd1e995), 0x01000193)
  }
  h.h1 = h1
  h.h2 = h2
  return true
}

/** Hash of a signature's values (equal signatures, equal keys; 16- and 32-bit views of one signature differ). */
export function signatureKey(signature: ArrayLike<number>): number {
  const h = new Hash53()
  for (let i = 0; i < signature.length; i++) {
    const v = signature[i] as number
    h.add(v & 0xffff)
    h.add(v >>> 16)
  }
  return h.value()
}

const keyCache = new WeakMap<object, CopyKeys>()

const DAY = 86_400_000

/**
 * `key` (53 bits) folded with a UTC day number: a dated article's copy keys hold its day, so
 * that only the same text of the same day is a copy. A copy group is compared through its first
 * member only, which holds only while its members would all compare alike; but the same one-line
 * flash sent on two days reports two events ("FED SETS 1.5 BILLION DLR CUSTOMER REPURCHASE"), so
 * texts of other days are compared with their dates, as any two articles are.
 */
function keyOfDay(key: number, day: number): number {
  const h = new Hash53()
  const lo = key % TWO_32
  const hi = (key - lo) / TWO_32
  for (const v of [lo & 0xffff, lo >>> 16, hi & 0xffff, hi >>> 16, day & 0xffff, (day >>> 16) & 0xffff]) h.add(v)
  return h.value()
}

/**
 * The copy keys of an analysis (computed once per analysis object): its normalised text and its
 * signature, each with its UTC day when it is dated (see {@link keyOfDay}).
 */
export function copyKeys(a: Pick<AnalysisOk, 'paragraphs' | 'fingerprint'> & { article?: { publishedAt?: string } }): CopyKeys {
  let k = keyCache.get(a)
  if (!k) {
    const content = contentKey(a.paragraphs.map((p) => p.text))
    const signature = signatureKey(a.fingerprint.signature)
    const at = a.article?.publishedAt ? parsePublishedAt(a.article.publishedAt) : Number.NaN
    const day = Math.floor(at / DAY)
    k = Number.isNaN(at) ? { content, signature } : { content: keyOfDay(content, day), signature: keyOfDay(signature, day) }
    keyCache.set(a, k)
  }
  return k
}

/**
 * Copy groups of documents 0…n−1: connected groups of "same content key or same signature key".
 * Returns each document's representative, the smallest index of its group.
 */
export function groupCopies(n: number, content: (i: number) => number, signature: (i: number) => number): Uint32Array {
  const sets = new DisjointSets(n)
  for (const key of [content, signature]) {
    const first = new Map<number, number>()
    for (let i = 0; i < n; i++) {
      const k = key(i)
      const f = first.get(k)
      if (f === undefined) first.set(k, i)
      else sets.union(f, i)
    }
  }
  const rep = new Uint32Array(n)
  for (let i = 0; i < n; i++) rep[i] = sets.find(i)
  return rep
}

/** Union-find over 0…n−1 whose roots are the smallest index of each set. */
export class DisjointSets {
  private readonly parent: Uint32Array
  constructor(n: number) {
    this.parent = new Uint32Array(n)
    for (let i = 0; i < n; i++) this.parent[i] = i
  }
  find(x: number): number {
    const parent = this.parent
    while (parent[x] !== x) {
      parent[x] = parent[parent[x] as number] as number
      x = parent[x] as number
    }
    return x
  }
  union(a: number, b: number): void {
    const ra = this.find(a)
    const rb = this.find(b)
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb)
  }
}

/** What the candidate search needs of documents 0…n−1 (sorted by id, as the batch paths keep them). */
export interface CandidateSource {
  n: number
  copyKeys: (i: number) => CopyKeys
  wordingKeys: (i: number) => Float64Array
  anchorKeys: (i: number) => Float64Array
  /** '' when unknown. */
  lang: (i: number) => string
  /** What the screen reads, to pick a flood member's leader. */
  sketch: (i: number) => ScreenSketch
  maxBucket: number
}

/** Result of {@link searchCandidates}. */
export interface CandidateSearch {
  /** Sorted flat [a, b, …], a < b: copy pairs, LSH pairs of representatives, flood pairs. */
  pairs: Uint32Array
  /** Documents that are copies of another (paired with their group's representative only). */
  copies: number
  oversizedBuckets: number
  /** Members of oversized buckets, ascending: their bucket was never compared in full. */
  flooded: Uint32Array
}

/**
 * Candidate pairs of a batch: copy groups first, then LSH over the representatives, with oversized
 * buckets resolved through leaders (see the top of this file).
 */
export function searchCandidates(src: CandidateSource): CandidateSearch {
  const { n } = src
  const rep = groupCopies(
    n,
    (i) => src.copyKeys(i).content,
    (i) => src.copyKeys(i).signature,
  )
  const reps: number[] = []
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    if (rep[i] === i) reps.push(i)
    else out.push(rep[i] as number, i)
  }
  const copies = out.length / 2
  const found = findCandidates(
    reps.length,
    (r) => src.wordingKeys(reps[r] as number),
    (r) => src.anchorKeys(reps[r] as number),
    (r) => src.lang(reps[r] as number),
    src.maxBucket,
    (r) => src.sketch(reps[r] as number),
  )
  for (let p = 0; p < found.pairs.length; p++) out.push(reps[found.pairs[p] as number] as number)
  return {
    pairs: sortPairs(out),
    copies,
    oversizedBuckets: found.oversizedBuckets,
    flooded: Uint32Array.from(found.flooded, (r) => reps[r] as number),
  }
}

/** Flat pairs, each a < b, sorted and distinct. */
function sortPairs(flat: readonly number[]): Uint32Array {
  const keys = new Float64Array(flat.length / 2)
  for (let p = 0; p < flat.length; p += 2) {
    const a = flat[p] as number
    const b = flat[p + 1] as number
    keys[p / 2] = a < b ? a * TWO_21 + b : b * TWO_21 + a
  }
  keys.sort()
  const pairs: number[] = []
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && keys[i] === keys[i - 1]) continue
    const k = keys[i] as number
    pairs.push(Math.floor(k / TWO_21), k % TWO_21)
  }
  return Uint32Array.from(pairs)
}

/**
 * Candidate pairs of documents 0…n−1 (sorted flat [a, b, …], a < b): pairs sharing a wording
 * band, and pairs sharing an anchor band whose languages are both known ('' is unknown) and
 * differ. Anchor-only pairs between two articles in one language find the same names and
 * figures, not copies (anchorPairCounts); grouping by language means a one-language corpus
 * enumerates none of them. Buckets over `maxBucket` go through {@link floodPairs}.
 */
export function findCandidates(
  n: number,
  wordingKeys: (i: number) => Float64Array,
  anchorKeys: (i: number) => Float64Array,
  lang: (i: number) => string,
  maxBucket: number,
  sketch: (i: number) => ScreenSketch,
): { pairs: Uint32Array; oversizedBuckets: number; flooded: Uint32Array } {
  const wordingFloods: Uint32Array[] = []
  const wording = batchCandidatePairs(
    Array.from({ length: n }, (_, i) => wordingKeys(i)),
    maxBucket,
    undefined,
    wordingFloods,
  )
  const langs = new Map<string, number>()
  const groups = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const l = lang(i)
    if (!l) groups[i] = -1
    else {
      if (!langs.has(l)) langs.set(l, langs.size)
      groups[i] = langs.get(l) as number
    }
  }
  const anchorFloods: Uint32Array[] = []
  const anchored =
    langs.size < 2
      ? undefined
      : batchCandidatePairs(
          Array.from({ length: n }, (_, i) => ((groups[i] as number) < 0 ? EMPTY_KEYS : anchorKeys(i))),
          maxBucket,
          groups,
          anchorFloods,
        )
  let pairs = anchored ? mergePairs(wording.pairs, anchored.pairs) : wording.pairs
  const inFlood = new Uint8Array(n)
  if (wordingFloods.length + anchorFloods.length > 0) {
    const state = new FloodState(n)
    for (const m of wordingFloods) floodPairs(m, sketch, state)
    // An anchor bucket pairs only across languages: in one language it leaves nobody out. The
    // channel has its own leaders and placements: a member placed in a wording flood (with its own
    // language) still needs its pair in the other language, or a flooded story's translations
    // would never join it.
    const mixed = anchorFloods.filter((m) => m.some((d) => groups[d] !== groups[m[0] as number]))
    const across = new FloodState(n)
    for (const m of mixed) floodPairs(m, sketch, across, groups)
    pairs = mergePairs(dropJoined(pairs, state.joined), sortPairs([...state.out, ...across.out]))
    for (const m of [...wordingFloods, ...mixed]) for (const d of m) inFlood[d] = 1
  }
  const flooded: number[] = []
  for (let i = 0; i < n; i++) if (inFlood[i]) flooded.push(i)
  return {
    pairs,
    oversizedBuckets: wording.stats.oversizedBuckets + (anchored?.stats.oversizedBuckets ?? 0),
    flooded: Uint32Array.from(flooded),
  }
}

/** Leaders whose screen score is within this of the best are as good: the earliest of them is taken. */
export const LEADER_SLACK = 0.1

/**
 * Which of `leaders` (in order of preference) a member is paired with: the earliest one whose
 * estimated Jaccard is within {@link LEADER_SLACK} of the best, among those the screen passes;
 * -1 for none. Copies of one story then all pair with the same leader, which the star clustering
 * (no chaining) needs to put them in one cluster.
 */
export function chooseLeader(s: ScreenSketch, leaders: readonly ScreenSketch[], skip?: (k: number) => boolean): number {
  const scores = leaders.map((l, k) => (skip?.(k) || !worthComparing(s, l) ? -1 : estimateJaccard(s.signature, l.signature)))
  const best = Math.max(-1, ...scores)
  if (best < 0) return -1
  return scores.findIndex((x) => x >= 0 && x >= best - LEADER_SLACK)
}

/** Heads a new leader is matched against (the oldest ones): bounds the cost of many floods. */
export const MAX_HEADS = 64

/**
 * Leaders and placed members over all the oversized buckets of one search. A leader that is like
 * an older leader (the screen passes) has that one's head; members pair with the head, so that a
 * story's copies all link to one article even when they met in different buckets.
 */
export class FloodState {
  /** Order in which each document became a leader (−1: not a leader). */
  readonly rank: Int32Array
  /** Each leader's head (itself for a head). */
  readonly head: Int32Array
  readonly placed: Uint8Array
  /** The head each placed member or leader answers to (−1: none). */
  readonly joined: Int32Array
  readonly out: number[] = []
  private readonly heads: number[] = []
  private readonly headSketches: ScreenSketch[] = []
  private next = 0
  constructor(n: number) {
    this.rank = new Int32Array(n).fill(-1)
    this.head = new Int32Array(n).fill(-1)
    this.placed = new Uint8Array(n)
    this.joined = new Int32Array(n).fill(-1)
  }

  /** Make `doc` a leader, under the oldest head it is like, or as a new head. */
  lead(doc: number, s: ScreenSketch, groups?: Int32Array): void {
    this.rank[doc] = this.next++
    const k = chooseLeader(s, this.headSketches, groups ? (k) => groups[this.heads[k] as number] === groups[doc] : undefined)
    if (k >= 0) {
      const h = this.heads[k] as number
      this.head[doc] = h
      this.joined[doc] = h
      this.out.push(Math.min(h, doc), Math.max(h, doc))
    } else {
      this.head[doc] = doc
      this.joined[doc] = doc
      if (this.heads.length < MAX_HEADS) {
        this.heads.push(doc)
        this.headSketches.push(s)
      }
    }
  }
}

/**
 * Pairs of one oversized bucket (pushed to `state.out`), linear in its size. Its leaders are the
 * members already leading elsewhere (the earliest first, up to {@link FLOOD_LEADERS}); each other
 * member not yet placed is paired with one of them ({@link chooseLeader}) — with its head when the
 * screen passes that too — or becomes a leader itself while there are fewer than
 * {@link FLOOD_LEADERS}, or gets no pair. With `groups`, only members of different groups pair
 * (anchor channel).
 */
export function floodPairs(
  members: Uint32Array,
  sketch: (i: number) => ScreenSketch,
  state: FloodState,
  groups?: Int32Array,
): void {
  const { rank, head, placed, out } = state
  const leaders = [...members]
    .filter((m) => (rank[m] as number) >= 0)
    .sort((x, y) => (rank[x] as number) - (rank[y] as number))
    .slice(0, FLOOD_LEADERS)
  const sketches = leaders.map(sketch)
  // A head's sketch once per bucket, not once per member that reaches it.
  const heads = new Map<number, ReturnType<typeof sketch>>()
  const headSketch = (h: number) => {
    let x = heads.get(h)
    if (x === undefined) heads.set(h, (x = sketch(h)))
    return x
  }
  for (const m of members) {
    if ((rank[m] as number) >= 0 || placed[m]) continue
    const s = sketch(m)
    const k = chooseLeader(s, sketches, groups ? (k) => groups[leaders[k] as number] === groups[m] : undefined)
    if (k >= 0) {
      const l = leaders[k] as number
      const h = head[l] as number
      const to = h !== l && (!groups || groups[h] !== groups[m]) && worthComparing(s, headSketch(h)) ? h : l
      out.push(Math.min(to, m), Math.max(to, m))
      placed[m] = 1
      state.joined[m] = h
    } else if (leaders.length < FLOOD_LEADERS) {
      state.lead(m, s, groups)
      leaders.push(m)
      sketches.push(s)
    }
  }
}

/**
 * Pairs without those between two flood members that answer to one head (neither being it):
 * each is paired with the head (or its leader) already, and the star clustering puts them
 * together through it; comparing them too would cost a comparison per pair of a bucket's copies.
 */
function dropJoined(pairs: Uint32Array, joined: Int32Array): Uint32Array {
  const out = new Uint32Array(pairs.length)
  let k = 0
  for (let p = 0; p < pairs.length; p += 2) {
    const a = pairs[p] as number
    const b = pairs[p + 1] as number
    const h = joined[a] as number
    if (h >= 0 && h === joined[b] && a !== h && b !== h) continue
    out[k++] = a
    out[k++] = b
  }
  return out.slice(0, k)
}

/** Union of two sorted flat pair lists. */
export function mergePairs(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length)
  let n = 0
  let i = 0
  let j = 0
  const cmp = (x: Uint32Array, p: number, y: Uint32Array, q: number) =>
    (x[p] as number) - (y[q] as number) || (x[p + 1] as number) - (y[q + 1] as number)
  while (i < a.length || j < b.length) {
    const c = i >= a.length ? 1 : j >= b.length ? -1 : cmp(a, i, b, j)
    if (c <= 0) {
      out[n++] = a[i] as number
      out[n++] = a[i + 1] as number
      i += 2
      if (c === 0) j += 2
    } else {
      out[n++] = b[j] as number
      out[n++] = b[j + 1] as number
      j += 2
    }
  }
  return out.slice(0, n)
}

const EMPTY_KEYS = new Float64Array(0)

/**
 * `compare`, remembering one comparison per text: two articles with the same text compare as
 * any other two with that text do (a duplicate's figures are symmetric and name no id), so a
 * group of copies costs one full comparison, not one per member, as long as their dates tell
 * the model the same (see {@link dayClass}).
 */
export class CopyVerifier {
  private readonly duplicates = new Map<string, Comparison>()
  private told: number | undefined
  constructor(private readonly options: CompareOptions) {}

  compare(a: AnalysisOk, b: AnalysisOk): Comparison {
    return this.measured(a, b).comparison
  }

  /** The comparison, with the evidence measured for it (none when a comparison of the same text is reused). */
  measured(a: AnalysisOk, b: AnalysisOk): { comparison: Comparison; evidence?: PairEvidence } {
    // What analysis reads besides the text: the source (its boilerplate) and a given language.
    const same = (x: AnalysisOk) => `${x.article.source ?? ''}\u0000${x.article.lang ?? ''}\u0000${x.lang ?? ''}`
    if (a.article.text !== b.article.text || same(a) !== same(b)) return compareMeasured(a, b, this.options)
    this.told ??= Math.min(1, daysTold(resolveModel(this.options.model, 'compare: options.model')))
    const key = `${same(a)}\u0000${dayClass(a, b, this.told)}\u0000${a.article.text}`
    const known = this.duplicates.get(key)
    if (known) return { comparison: { ...known, a: a.id, b: b.id } }
    const m = compareMeasured(a, b, this.options)
    const c = m.comparison
    if (c.relation === 'duplicate' && c.original === undefined) this.duplicates.set(key, c)
    return m
  }
}

/**
 * What the dates of two articles tell `compare`: nothing when either is undated; the same for any
 * two under `told` days apart (the fewest the model tells apart, and at most 1, since a reason
 * names days from the first); otherwise the days apart, exactly.
 */
function dayClass(a: AnalysisOk, b: AnalysisOk, told: number): string {
  const days = daysApart(a, b)
  if (days === null) return 'undated'
  return days < told ? 'within a day' : String(days)
}
