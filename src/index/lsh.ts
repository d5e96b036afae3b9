import { checkInteger, checkNumber, WiretraceError } from '../errors.js'
import { describeParams, type Fingerprint, type SketchParams, sameParams } from '../sketch/fingerprint.js'
import { combine, fmix32 } from '../sketch/hash.js'
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
  /** Paragraphs with fewer shingles are not indexed (headings, datelines are too common). @default 8 */
  minParagraphShingles?: number
  /** Index the language-independent anchor channel, to find translations. @default true */
  anchors?: boolean
  /** Documents with fewer distinct anchors are not indexed in the anchor channel. @default 6 */
  minAnchors?: number
  /** Anchor-signature Jaccard threshold (pairs found through anchors alone count only across languages). @default 0.15 */
  anchorThreshold?: number
}

export const DEFAULT_INDEX_OPTIONS = {
  threshold: 0.5,
  weights: [0.5, 0.5] as [number, number],
  paragraphThreshold: 0.4,
  minParagraphShingles: 8,
  anchors: true,
  minAnchors: 6,
  anchorThreshold: 0.15,
} as const

const ANCHOR_PERM = 64

/** Resolved banding for each channel. */
export interface IndexConfig {
  doc: LshParams
  paragraph: LshParams
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
  return {
    doc: o.params ? checkParams('params', o.params, sketch.numPerm) : optimalParams(o.threshold, sketch.numPerm, o.weights),
    paragraph: o.paragraphParams
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
    out.push(channel * TWO_42 + b * TWO_32 + fmix32(h))
  }
}

/** The band keys a fingerprint is stored and queried under, over all channels. */
export function bandKeys(fp: Fingerprint, config: IndexConfig, channels: 'all' | 'wording' | 'anchor' = 'all'): BandKeys {
  const out: number[] = []
  if (channels !== 'anchor') {
    pushBands(out, fp.signature, config.doc, CHANNEL_DOC)
    for (const p of fp.paragraphs) {
      if (p.shingleCount >= config.minParagraphShingles) pushBands(out, p.signature, config.paragraph, CHANNEL_PARAGRAPH)
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

/**
 * The same index over any {@link IndexStore}, asynchronously: a Redis store shared by many
 * processes, or the in-memory one.
 */
export class SharedIndex {
  private config: IndexConfig
  private params: SketchParams | undefined
  constructor(
    readonly store: IndexStore,
    private readonly options: IndexOptions & { sketch?: SketchParams } = {},
  ) {
    this.params = options.sketch
    this.config = resolveIndexConfig(options, options.sketch ?? { numPerm: 128, paragraphPerm: 32 })
  }

  keys(fp: Fingerprint): BandKeys {
    checkSameParams(this.params, fp)
    if (!this.params) {
      this.params = fp.params
      this.config = resolveIndexConfig(this.options, fp.params)
    }
    return bandKeys(fp, this.config)
  }

  async insert(items: readonly { fingerprint: Fingerprint; time?: number; payload?: string }[]): Promise<void> {
    await this.store.add(
      items.map(({ fingerprint, time, payload }) => ({
        id: fingerprint.id,
        keys: this.keys(fingerprint),
        ...(time !== undefined ? { time } : {}),
        ...(payload !== undefined ? { payload } : {}),
      })),
    )
  }

  async query(fps: readonly Fingerprint[]): Promise<string[][]> {
    const res = await this.store.query(fps.map((fp) => this.keys(fp)))
    return res.map((ids, i) => ids.filter((id) => id !== (fps[i] as Fingerprint).id))
  }

  remove(ids: readonly string[]): Promise<void> {
    return this.store.remove(ids)
  }
  has(id: string): Promise<boolean> {
    return this.store.has(id)
  }
  size(): Promise<number> {
    return this.store.size()
  }
}
