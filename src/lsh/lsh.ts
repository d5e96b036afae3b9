import { argOptions, checkInteger, checkNumber, describeValue, hasLoneSurrogate, invalid, WiretraceError } from '../errors.js'
import { describeParams, type Fingerprint, type SketchParams, sameParams } from '../sketch/fingerprint.js'
import { combine, hashChars, mix32 } from '../sketch/hash.js'
import { ophSignature } from '../sketch/minhash.js'
import { checkParams, type LshParams, optimalParams } from './params.js'
import { readIndexSnapshot, writeIndexSnapshot } from './snapshot.js'
import { type BandKeys, type IndexStore, MemoryStore } from './store.js'

/** Options for {@link LshIndex} and {@link SharedIndex}. */
export interface IndexOptions {
  /** Document Jaccard threshold the bands are tuned for. @default 0.5 */
  threshold?: number
  /** Weights of false positives and false negatives when choosing bands and rows. @default [0.5, 0.5] */
  weights?: [number, number]
  /** Bands and rows for the document channel, overriding the optimiser. @default undefined */
  params?: LshParams
  /**
   * Jaccard threshold of the paragraph channel, which finds a short copy inside a long original
   * (a truncated reprint has a low document Jaccard but shares whole paragraphs). @default 0.4
   */
  paragraphThreshold?: number
  /** Bands and rows for the paragraph channel, overriding the optimiser. @default undefined */
  paragraphParams?: LshParams
  /**
   * Index the paragraph channel. Without it (and without anchors) the index is the one datasketch's
   * MinHashLSH builds: one document channel, about a quarter of the band keys, so a shared (Redis)
   * index takes inserts about 2.5 times as fast; but a truncated reprint (low document Jaccard) is
   * no longer found. @default true
   */
  paragraphs?: boolean
  /** Paragraphs with fewer shingles are not indexed (headings, datelines are too common). @default 8 */
  minParagraphShingles?: number
  /** Index the language-independent anchor channel, to find translations. @default true */
  anchors?: boolean
  /**
   * Documents with fewer distinct anchors are not indexed in the anchor channel. Five keeps short
   * translations (NTREX recall 0.858 at 6, 0.868 at 5); at 4, Reuters' short notices fill anchor
   * buckets past `maxBucket` and 61 stories end counted as left out. @default 5
   */
  minAnchors?: number
  /** Anchor-signature Jaccard threshold (pairs found through anchors alone count only across languages). @default 0.15 */
  anchorThreshold?: number
}

export const DEFAULT_INDEX_OPTIONS = {
  threshold: 0.5,
  weights: [0.5, 0.5] as [number, number],
  paragraphThreshold: 0.4,
  paragraphs: true,
  minParagraphShingles: 8,
  anchors: true,
  minAnchors: 5,
  anchorThreshold: 0.15,
} as const

const ANCHOR_PERM = 64

/** Resolved banding for each channel. */
export interface IndexConfig {
  doc: LshParams
  paragraph: LshParams | null
  anchor: LshParams | null
  minParagraphShingles: number
  minAnchors: number
}

export const CHANNEL_DOC = 0
export const CHANNEL_PARAGRAPH = 1
export const CHANNEL_ANCHOR = 2

export function resolveIndexConfig(options: IndexOptions, sketch: Pick<SketchParams, 'numPerm' | 'paragraphPerm'>): IndexConfig {
  const o = { ...DEFAULT_INDEX_OPTIONS, ...options }
  checkNumber('threshold', o.threshold, 0.01, 0.99)
  checkNumber('paragraphThreshold', o.paragraphThreshold, 0.01, 0.99)
  checkNumber('anchorThreshold', o.anchorThreshold, 0.01, 0.99)
  checkInteger('minParagraphShingles', o.minParagraphShingles, 1, 1e6)
  checkInteger('minAnchors', o.minAnchors, 1, 1e6)
  for (const name of ['paragraphs', 'anchors'] as const) {
    if (typeof o[name] !== 'boolean') throw invalid(`${name} must be true or false, got ${describeValue(o[name])}`)
  }
  return {
    doc: o.params ? checkParams('params', o.params, sketch.numPerm) : optimalParams(o.threshold, sketch.numPerm, o.weights),
    paragraph: !o.paragraphs
      ? null
      : o.paragraphParams
        ? checkParams('paragraphParams', o.paragraphParams, sketch.paragraphPerm)
        : optimalParams(o.paragraphThreshold, sketch.paragraphPerm, o.weights),
    anchor: o.anchors ? optimalParams(o.anchorThreshold, ANCHOR_PERM, o.weights) : null,
    minParagraphShingles: o.minParagraphShingles,
    minAnchors: o.minAnchors,
  }
}

const TWO_32 = 4294967296
const TWO_42 = 4398046511104

function pushBands(out: number[], sig: Uint32Array, params: LshParams, channel: number): void {
  for (let b = 0; b < params.bands; b++) {
    let h = (channel * 1021 + b) | 0
    const off = b * params.rows
    for (let r = 0; r < params.rows; r++) h = combine(h, sig[off + r] as number)
    out.push(channel * TWO_42 + b * TWO_32 + mix32(h))
  }
}

/**
 * How an index makes its keys, for {@link IndexStore.bindIndex}: sketch parameters and each
 * channel's banding, as canonical JSON (fixed field order, versioned), so that stores compare it
 * as a string and messages can name the fields that differ.
 */
export function describeIndex(config: IndexConfig, params: SketchParams): string {
  const band = (p: LshParams | null) => (p ? `${p.bands}x${p.rows}` : 'off')
  return JSON.stringify({
    v: 1,
    numPerm: params.numPerm,
    paragraphPerm: params.paragraphPerm,
    seed: params.seed,
    shingleSize: params.shingleSize,
    charShingleSize: params.charShingleSize,
    scheme: params.scheme,
    document: band(config.doc),
    paragraph: band(config.paragraph),
    minParagraphShingles: config.minParagraphShingles,
    anchor: band(config.anchor),
    minAnchors: config.minAnchors,
  })
}

/** The band keys a fingerprint is stored and queried under, over all channels. */
export function bandKeys(fp: Fingerprint, config: IndexConfig, channels: 'all' | 'wording' | 'anchor' = 'all'): BandKeys {
  const out: number[] = []
  if (channels !== 'anchor') {
    pushBands(out, fp.signature, config.doc, CHANNEL_DOC)
    const paragraph = config.paragraph
    if (paragraph) {
      for (const p of fp.paragraphs) {
        if (p.shingleCount >= config.minParagraphShingles) pushBands(out, p.signature, paragraph, CHANNEL_PARAGRAPH)
      }
    }
  }
  if (channels !== 'wording' && config.anchor && fp.anchors.length >= config.minAnchors) {
    pushBands(out, ophSignature(fp.anchors, ANCHOR_PERM, fp.params.seed ^ 0x5a5a5a5a), config.anchor, CHANNEL_ANCHOR)
  }
  return Float64Array.from(new Set(out))
}

/**
 * The anchor channel exists to find translations; between two articles in one language, shared
 * wording finds copies and anchors alone only find the same names and figures (two market
 * reports). So a pair found through anchors alone counts only when both languages are known
 * and differ.
 */
export function anchorPairCounts(a: Fingerprint, b: Fingerprint): boolean {
  return !!a.lang && !!b.lang && a.lang !== b.lang
}

/** Refuse a fingerprint whose sketch parameters differ from the index's. */
export function checkSameParams(expected: SketchParams | undefined, fp: Fingerprint): void {
  if (expected && !sameParams(expected, fp.params)) {
    throw new WiretraceError(
      'PARAMS_MISMATCH',
      `fingerprint "${fp.id}" was made with ${describeParams(fp.params)}, but the index holds ${describeParams(expected)}`,
    )
  }
}

/**
 * In-memory LSH index over fingerprints, with a document channel, a paragraph channel (short
 * copies of long originals) and an anchor channel (translations). `query` is approximate: it
 * returns candidates, which {@link compare} verifies.
 *
 * @example
 * const index = new LshIndex()
 * index.insert(analyze(a).fingerprint)
 * index.query(analyze(b).fingerprint) // ['a'] when b shares enough with a
 */
export class LshIndex {
  readonly config: IndexConfig
  private readonly store = new MemoryStore()
  private readonly fingerprints = new Map<string, { fp: Fingerprint; time?: number }>()
  private params: SketchParams | undefined
  private readonly options: IndexOptions

  constructor(options: IndexOptions = {}) {
    argOptions('LshIndex', 'options', options)
    this.options = options
    this.config = resolveIndexConfig(options, { numPerm: 128, paragraphPerm: 32 })
  }

  private configFor(fp: Fingerprint): IndexConfig {
    checkSameParams(this.params, fp)
    if (!this.params) {
      this.params = fp.params
      Object.assign(this.config, resolveIndexConfig(this.options, fp.params))
    }
    return this.config
  }

  /** Add a fingerprint; inserting an id again replaces the earlier entry. */
  insert(fp: Fingerprint, time?: number): void {
    const config = this.configFor(fp)
    this.store.addSync({ id: fp.id, keys: bandKeys(fp, config), ...(time !== undefined ? { time } : {}) })
    this.fingerprints.set(fp.id, time !== undefined ? { fp, time } : { fp })
  }

  /** The fingerprint stored under `id`. */
  get(id: string): Fingerprint | undefined {
    return this.fingerprints.get(id)?.fp
  }

  /** Ids in the index, sorted. */
  ids(): string[] {
    return [...this.fingerprints.keys()].sort()
  }

  /** A versioned binary snapshot: the options and every fingerprint (band keys are rebuilt on load). */
  save(): Uint8Array {
    return writeIndexSnapshot(this.options, [...this.fingerprints.values()])
  }

  /** Load a snapshot made by {@link LshIndex.save}; refuses other formats and versions. */
  static load(bytes: Uint8Array): LshIndex {
    const { options, entries } = readIndexSnapshot(bytes)
    // The options were written by save() from a checked IndexOptions; the constructor checks them again.
    const index = new LshIndex(options as IndexOptions)
    for (const e of entries) index.insert(e.fp, e.time)
    return index
  }

  /** Ids of indexed documents that share a band with `fp` in any channel, sorted. Never throws for unseen bands. */
  query(fp: Fingerprint, maxBucket?: number, channels: 'all' | 'wording' | 'anchor' = 'all'): string[] {
    const config = this.configFor(fp)
    return this.store.querySync(bandKeys(fp, config, channels), maxBucket).filter((id) => id !== fp.id)
  }

  /**
   * Like {@link LshIndex.query}, but buckets holding more than `maxBucket` ids are returned apart
   * (their ids, oldest first, `fp`'s own included) instead of being skipped.
   */
  queryFloods(
    fp: Fingerprint,
    maxBucket: number,
    channels: 'all' | 'wording' | 'anchor' = 'all',
  ): { ids: string[]; floods: (readonly string[])[] } {
    const config = this.configFor(fp)
    const r = this.store.querySyncFloods(bandKeys(fp, config, channels), maxBucket)
    return { ids: r.ids.filter((id) => id !== fp.id), floods: r.floods }
  }

  remove(id: string): boolean {
    this.fingerprints.delete(id)
    return this.store.removeSync(id)
  }

  has(id: string): boolean {
    return this.store.hasSync(id)
  }

  get size(): number {
    return this.store.sizeSync
  }

  /** Sketch parameters of the indexed fingerprints (undefined while empty). */
  get sketchParams(): SketchParams | undefined {
    return this.params
  }
}

/** Channel of the language registry of {@link SharedIndex} (one bucket, outside the three LSH channels). */
const CHANNEL_REGISTRY = 3
/** The registry bucket: ids of its entries are {@link REGISTRY_PREFIX} + a language. */
const REGISTRY_KEY = CHANNEL_REGISTRY * TWO_42 + (hashChars('wiretrace:languages') >>> 0)
/** Ids of registry entries: a control character no article id starts with, then the language. */
const REGISTRY_PREFIX = '\u0001lang:'

/** A language {@link SharedIndex} can tag keys and registry ids with (no NUL, no lone surrogate, at most 64 characters). */
function usableLang(lang: string | undefined): lang is string {
  return typeof lang === 'string' && lang.length > 0 && lang.length <= 64 && !lang.includes('\0') && !hasLoneSurrogate(lang)
}

/**
 * An anchor-channel band key moved to the key space of one language: same channel and band, its
 * 32-bit hash mixed with the language's. A document stores its anchor bands under its own
 * language; a query reads them under every other language.
 */
function tagAnchorKey(key: number, langHash: number): number {
  const lo = key % TWO_32
  return key - lo + mix32(combine(lo | 0, langHash))
}

/**
 * What {@link SharedIndex.query} reads: every channel (`'all'`), the document and paragraph
 * channels (`'wording'`), the anchor channel (`'anchor'`), or the candidates the batch path counts
 * (`'counted'`): wording, plus anchors of another known language.
 */
export type SharedChannels = 'all' | 'wording' | 'anchor' | 'counted'

/**
 * The same index over any {@link IndexStore}, asynchronously: a Redis store shared by many
 * processes, or the in-memory one.
 *
 * A pair found through the anchor channel alone counts only when both languages are known and
 * differ (see {@link anchorPairCounts}), so the store keeps a document's anchor bands under keys
 * tagged with its language (none when it has no known language), and `query(fps, 'counted')` reads
 * the anchor bands of the *other* languages only: within one language the anchor buckets, which
 * hold most candidates (hundreds per article on Reuters), are never read. The index keeps one
 * registry entry per language (`\u0001lang:<language>`, inserted before that language's
 * documents and refreshed with every insert, so that it expires after them):
 * {@link SharedIndex.size} leaves them out, the store's own `size()` counts them.
 */
export class SharedIndex {
  private config: IndexConfig
  private params: SketchParams | undefined
  constructor(
    readonly store: IndexStore,
    private readonly options: IndexOptions & { sketch?: SketchParams } = {},
  ) {
    const s = store as Partial<IndexStore> | null
    if (!s || typeof s !== 'object' || typeof s.add !== 'function' || typeof s.query !== 'function')
      throw invalid(`SharedIndex: store must be an index store (MemoryStore, RedisStore …), got ${describeValue(store)}`)
    argOptions('SharedIndex', 'options', options)
    this.params = options.sketch
    this.config = resolveIndexConfig(options, options.sketch ?? { numPerm: 128, paragraphPerm: 32 })
  }

  private configFor(fp: Fingerprint): IndexConfig {
    checkSameParams(this.params, fp)
    if (!this.params) {
      this.params = fp.params
      this.config = resolveIndexConfig(this.options, fp.params)
    }
    return this.config
  }

  /**
   * Check that the store's documents were keyed as this index keys them, before every insert
   * and alongside every query: not only once, since another process may clear the store and
   * bind it to other options meanwhile.
   */
  private async bindStore(fp: Fingerprint | undefined): Promise<void> {
    if (!fp || !this.store.bindIndex) return
    await this.store.bindIndex(describeIndex(this.configFor(fp), this.params as SketchParams))
  }

  /**
   * The band keys `fp` is stored under: document and paragraph channels, and the anchor channel
   * under keys tagged with its language (no anchor keys when the language is unknown: such a
   * document never counts as an anchor-only pair).
   */
  keys(fp: Fingerprint): BandKeys {
    return this.entryKeys(fp).keys
  }

  private entryKeys(fp: Fingerprint): { keys: BandKeys; lang: string | undefined } {
    const config = this.configFor(fp)
    const wording = bandKeys(fp, config, 'wording')
    if (!usableLang(fp.lang)) return { keys: wording, lang: undefined }
    const anchors = bandKeys(fp, config, 'anchor')
    if (anchors.length === 0) return { keys: wording, lang: undefined }
    const h = hashChars(fp.lang)
    const out = new Float64Array(wording.length + anchors.length)
    out.set(wording)
    for (let i = 0; i < anchors.length; i++) out[wording.length + i] = tagAnchorKey(anchors[i] as number, h)
    return { keys: Float64Array.from(new Set(out)), lang: fp.lang }
  }

  /**
   * Store fingerprints (adding an id again replaces it). The languages of the batch's anchor keys
   * are registered first, in their own `add`, so that a reader never sees a document before its
   * language.
   */
  async insert(items: readonly { fingerprint: Fingerprint; time?: number; payload?: string }[]): Promise<void> {
    await this.bindStore(items[0]?.fingerprint)
    const langs = new Set<string>()
    const entries = items.map(({ fingerprint, time, payload }) => {
      const { keys, lang } = this.entryKeys(fingerprint)
      if (lang !== undefined) langs.add(lang)
      return {
        id: fingerprint.id,
        keys,
        ...(time !== undefined ? { time } : {}),
        ...(payload !== undefined ? { payload } : {}),
      }
    })
    if (langs.size > 0) {
      const registry = Float64Array.of(REGISTRY_KEY)
      await this.store.add([...langs].sort().map((l) => ({ id: REGISTRY_PREFIX + l, keys: registry })))
    }
    await this.store.add(entries)
  }

  /**
   * For each fingerprint, the ids of stored documents that share a band with it, sorted, without
   * itself. `'all'` (the default) reads every channel, as {@link LshIndex.query} does — the
   * anchor channel of every language the index holds, for fingerprints with a known language;
   * `'wording'` the document and paragraph channels; `'anchor'` the anchor channel; `'counted'` the
   * candidates the batch path counts: wording, plus anchors of another known language.
   */
  async query(fps: readonly Fingerprint[], channels: SharedChannels = 'all'): Promise<string[][]> {
    if (channels !== 'all' && channels !== 'wording' && channels !== 'anchor' && channels !== 'counted') {
      throw new WiretraceError(
        'INVALID_ARGUMENT',
        `SharedIndex.query: channels must be 'all', 'wording', 'anchor' or 'counted', got ${describeValue(channels)}`,
      )
    }
    const wording = channels !== 'anchor'
    const lists: BandKeys[] = [Float64Array.of(REGISTRY_KEY)]
    if (wording) for (const fp of fps) lists.push(bandKeys(fp, this.configFor(fp), 'wording'))
    // A query writes nothing, so the check runs alongside it rather than before it.
    const [first] = await Promise.all([this.store.query(lists), this.bindStore(fps[0])])
    const langs = (first[0] as string[])
      .filter((id) => id.startsWith(REGISTRY_PREFIX))
      .map((id) => id.slice(REGISTRY_PREFIX.length))
    const found: Set<string>[] = fps.map((_, i) => new Set(wording ? first[i + 1] : []))
    if (channels !== 'wording' && langs.length > 0) {
      const anchorLists: BandKeys[] = []
      const owner: number[] = []
      fps.forEach((fp, i) => {
        if (!usableLang(fp.lang)) return
        const read = channels === 'counted' ? langs.filter((l) => l !== fp.lang) : langs
        if (read.length === 0) return
        const anchors = bandKeys(fp, this.configFor(fp), 'anchor')
        if (anchors.length === 0) return
        const keys = new Float64Array(anchors.length * read.length)
        read.forEach((l, j) => {
          const h = hashChars(l)
          for (let k = 0; k < anchors.length; k++) keys[j * anchors.length + k] = tagAnchorKey(anchors[k] as number, h)
        })
        anchorLists.push(keys)
        owner.push(i)
      })
      if (anchorLists.length > 0) {
        const res = await this.store.query(anchorLists)
        res.forEach((ids, j) => {
          const set = found[owner[j] as number] as Set<string>
          for (const id of ids) set.add(id)
        })
      }
    }
    return found.map((set, i) => {
      const self = (fps[i] as Fingerprint).id
      return [...set].filter((id) => id !== self && !id.startsWith(REGISTRY_PREFIX)).sort()
    })
  }

  remove(ids: readonly string[]): Promise<void> {
    return this.store.remove(ids)
  }
  has(id: string): Promise<boolean> {
    return this.store.has(id)
  }
  /** Documents in the store, without the language registry's entries. */
  async size(): Promise<number> {
    const [total, registry] = await Promise.all([this.store.size(), this.store.query([Float64Array.of(REGISTRY_KEY)])])
    return total - (registry[0] as string[]).filter((id) => id.startsWith(REGISTRY_PREFIX)).length
  }
}
