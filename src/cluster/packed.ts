// Two-pass clustering for corpora too large to hold every analysis (about 17 KB live each).
// Pass 1 keeps only packed sketches (signatures, anchors, band keys: a few KB per article);
// candidate pairs are found and screened on those. Pass 2 re-analyses the articles of each
// connected group of surviving pairs, compares and clusters the group, and drops it. Clusters
// never cross groups (every member is linked to its centre), so the result is the same as
// clusterAnalyses on the whole corpus. The engine's file driver (src/cluster/engine.ts): its stages
// run here as in memory; the Node side (src/node/corpus.ts) only moves the pieces between worker
// threads.
import type { Analysis, AnalysisOk } from '../analyze.js'
import type { Comparison } from '../compare/compare.js'
import { invalid } from '../errors.js'
import { bandKeys, type IndexConfig } from '../lsh/lsh.js'
import type { Fingerprint, SketchParams } from '../sketch/fingerprint.js'
import { type CopyKeys, copyKeys, DisjointSets } from './candidates.js'
import {
  buildClusters,
  byId,
  type Cluster,
  type ClusterOptions,
  type ClusterResult,
  clusteringResult,
  type SearchCounts,
  type SkippedArticle,
} from './cluster.js'
import { candidateStage, PairVerifier } from './engine.js'
import type { ScreenSketch } from './screen.js'

/** What pass 1 keeps of a run of analysed articles, in a few typed arrays (transferable). */
export interface SketchBatch {
  kind: 'sketch-batch'
  /** Ids of the analysed articles, in input order. */
  ids: string[]
  /** Languages, '' when unknown. */
  langs: string[]
  /** Input positions of the analysed articles within the batch. */
  positions: Uint32Array
  skipped: (SkippedArticle & { position: number })[]
  /** The sketch parameters of the analyses. */
  params: SketchParams | null
  /** Signature values cut to their low 16 bits: enough for a screen that passes a superset (see ScreenSketch). */
  signatures: Uint16Array
  paragraphStarts: Uint32Array
  paragraphSignatures: Uint16Array
  anchorStarts: Uint32Array
  anchors: Uint32Array
  /** Wording band keys (document and paragraph channels); anchor keys are made from `anchors` when needed. */
  keyStarts: Uint32Array
  keys: Float64Array
  /** Copy keys (candidates.ts): normalised-text and signature hashes, two per article. */
  copyKeys: Float64Array
}

/** Pack the analyses of one batch (analysis results in input order). */
export function packSketches(results: readonly Analysis[], config: IndexConfig): SketchBatch {
  const ok: AnalysisOk[] = []
  const positions: number[] = []
  const skipped: SketchBatch['skipped'] = []
  results.forEach((r, i) => {
    if (r.status === 'ok') {
      ok.push(r)
      positions.push(i)
    } else skipped.push({ id: r.id, reason: r.reason, detail: r.detail, position: i })
  })
  const params = ok[0]?.fingerprint.params ?? null
  const numPerm = params?.numPerm ?? 0
  const paragraphPerm = params?.paragraphPerm ?? 0
  const n = ok.length
  // Uint16Array.set keeps the low 16 bits of each value.
  const signatures = new Uint16Array(n * numPerm)
  const paragraphStarts = new Uint32Array(n + 1)
  const anchorStarts = new Uint32Array(n + 1)
  const keyStarts = new Uint32Array(n + 1)
  const keys: Float64Array[] = []
  const copies = new Float64Array(n * 2)
  for (let i = 0; i < n; i++) {
    const ck = copyKeys(ok[i] as AnalysisOk)
    copies[2 * i] = ck.content
    copies[2 * i + 1] = ck.signature
    const fp = (ok[i] as AnalysisOk).fingerprint
    signatures.set(fp.signature, i * numPerm)
    paragraphStarts[i + 1] = (paragraphStarts[i] as number) + fp.paragraphs.length
    anchorStarts[i + 1] = (anchorStarts[i] as number) + fp.anchors.length
    const k = bandKeys(fp, config, 'wording')
    keys.push(k)
    keyStarts[i + 1] = (keyStarts[i] as number) + k.length
  }
  const paragraphSignatures = new Uint16Array((paragraphStarts[n] as number) * paragraphPerm)
  const anchors = new Uint32Array(anchorStarts[n] as number)
  for (let i = 0; i < n; i++) {
    const fp = (ok[i] as AnalysisOk).fingerprint
    fp.paragraphs.forEach((p, j) => {
      paragraphSignatures.set(p.signature, ((paragraphStarts[i] as number) + j) * paragraphPerm)
    })
    anchors.set(fp.anchors, anchorStarts[i] as number)
  }
  return {
    kind: 'sketch-batch',
    ids: ok.map((a) => a.id),
    langs: ok.map((a) => a.fingerprint.lang ?? ''),
    positions: Uint32Array.from(positions),
    skipped,
    params,
    signatures,
    paragraphStarts,
    paragraphSignatures,
    anchorStarts,
    anchors,
    keyStarts,
    keys: concat(keys, keyStarts[n] as number),
    copyKeys: copies,
  }
}

const EMPTY_VALUES = new Uint32Array(0)

function concat(parts: Float64Array[], total: number): Float64Array {
  const out = new Float64Array(total)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** The buffers of a batch, for a zero-copy postMessage. */
export function sketchBuffers(b: SketchBatch): ArrayBuffer[] {
  return SKETCH_ARRAYS.map((f) => b[f].buffer as ArrayBuffer)
}

/** The typed arrays of a batch: what is transferred from a worker and copied into slabs. */
export const SKETCH_ARRAYS = [
  'positions',
  'signatures',
  'paragraphStarts',
  'paragraphSignatures',
  'anchorStarts',
  'anchors',
  'keyStarts',
  'keys',
  'copyKeys',
] as const satisfies readonly (keyof SketchBatch)[]

/** A document's place: which batch, which row. */
interface DocRef {
  batch: number
  row: number
}

/** Every analysed document of a corpus, sorted by id, over the batches that hold them. */
export class SketchTable {
  readonly ids: string[]
  private readonly batch: Uint32Array
  private readonly row: Uint32Array

  constructor(
    private batches: readonly SketchBatch[],
    private readonly config: IndexConfig,
    keep: (batch: number, row: number) => boolean = () => true,
  ) {
    const refs: (DocRef & { id: string })[] = []
    batches.forEach((b, bi) => {
      b.ids.forEach((id, row) => {
        if (keep(bi, row)) refs.push({ id, batch: bi, row })
      })
    })
    refs.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    this.ids = refs.map((r) => r.id)
    this.batch = Uint32Array.from(refs, (r) => r.batch)
    this.row = Uint32Array.from(refs, (r) => r.row)
  }

  get size(): number {
    return this.ids.length
  }

  /** Drop the sketches (ids stay): after the candidate search only ids and places are needed. */
  release(): void {
    this.batches = []
  }

  /** Where document `i` (in id order) came from: its batch and row. */
  locate(i: number): DocRef {
    return { batch: this.batch[i] as number, row: this.row[i] as number }
  }

  lang(i: number): string {
    return (this.batches[this.batch[i] as number] as SketchBatch).langs[this.row[i] as number] as string
  }

  copyKeys(i: number): CopyKeys {
    const b = this.batches[this.batch[i] as number] as SketchBatch
    const r = this.row[i] as number
    return { content: b.copyKeys[2 * r] as number, signature: b.copyKeys[2 * r + 1] as number }
  }

  keys(i: number): Float64Array {
    const b = this.batches[this.batch[i] as number] as SketchBatch
    const r = this.row[i] as number
    return b.keys.subarray(b.keyStarts[r], b.keyStarts[r + 1])
  }

  /** Anchor band keys, made when asked (only corpora in several languages need them). */
  anchorKeys(i: number): Float64Array {
    const b = this.batches[this.batch[i] as number] as SketchBatch
    const r = this.row[i] as number
    const fp: Fingerprint = {
      kind: 'fingerprint',
      version: 1,
      id: this.ids[i] as string,
      params: b.params as SketchParams,
      shingleCount: 0,
      signature: EMPTY_VALUES,
      paragraphs: [],
      anchors: b.anchors.subarray(b.anchorStarts[r], b.anchorStarts[r + 1]),
    }
    return bandKeys(fp, this.config, 'anchor')
  }

  /** The parts of the fingerprint the screen reads, as views (no copy). */
  screenSketch(i: number): ScreenSketch {
    const b = this.batches[this.batch[i] as number] as SketchBatch
    const r = this.row[i] as number
    const k = (b.params as SketchParams).paragraphPerm
    const numPerm = (b.params as SketchParams).numPerm
    const paragraphs: { signature: Uint16Array }[] = []
    for (let p = b.paragraphStarts[r] as number; p < (b.paragraphStarts[r + 1] as number); p++) {
      paragraphs.push({ signature: b.paragraphSignatures.subarray(p * k, (p + 1) * k) })
    }
    return {
      signature: b.signatures.subarray(r * numPerm, (r + 1) * numPerm),
      anchors: b.anchors.subarray(b.anchorStarts[r], b.anchorStarts[r + 1]),
      paragraphs,
    }
  }
}

/**
 * The engine's stage 2 over a table, screened on the packed (16-bit) sketches: the pairs
 * clusterAnalyses compares, and a few the exact screen of pass 2 drops.
 */
export function screenedPairs(
  table: SketchTable,
  maxBucket: number,
): Omit<SearchCounts, 'articles'> & { pairs: Uint32Array; flooded: string[] } {
  const found = candidateStage(
    {
      n: table.size,
      copyKeys: (i) => table.copyKeys(i),
      wordingKeys: (i) => table.keys(i),
      anchorKeys: (i) => table.anchorKeys(i),
      lang: (i) => table.lang(i),
      sketch: (i) => table.screenSketch(i),
      maxBucket,
    },
    true,
  )
  return { ...found, flooded: Array.from(found.flooded, (i) => table.ids[i] as string) }
}

/**
 * Connected groups of screened pairs: documents sorted by id order, pairs in local indices.
 * `split` marks a piece of a group too large for one task: its pairs are compared apart and the
 * group is clustered once all its links are in.
 */
export interface PairGroup {
  docs: Uint32Array
  pairs: Uint32Array
  split?: true
}

/**
 * Connected groups of the pair graph, packed into tasks of about `taskDocs` documents. A group
 * of more than `maxGroupDocs` documents is cut into pieces of its pairs (in order), marked
 * `split`; a document may then be in several pieces. The pieces are as many as `maxGroupDocs`
 * needs, rounded up to a multiple of `parallel` (the workers), and touch at most the group's
 * documents over that many each: 10,000 reprints cut at 4,096 made two full pieces and a small
 * one, and one of two workers waited for the other.
 */
export function pairGroups(
  n: number,
  pairs: Uint32Array,
  taskDocs = 256,
  maxGroupDocs = Number.POSITIVE_INFINITY,
  parallel = 1,
): PairGroup[] {
  const sets = new DisjointSets(n)
  const find = (x: number) => sets.find(x)
  for (let p = 0; p < pairs.length; p += 2) sets.union(pairs[p] as number, pairs[p + 1] as number)
  // Documents of each root, in id order; roots ordered by their smallest document.
  const members = new Map<number, number[]>()
  const inPair = new Uint8Array(n)
  for (let p = 0; p < pairs.length; p++) inPair[pairs[p] as number] = 1
  for (let i = 0; i < n; i++) {
    if (!inPair[i]) continue
    const r = find(i)
    let m = members.get(r)
    if (!m) members.set(r, (m = []))
    m.push(i)
  }
  const pairsOf = new Map<number, number[]>()
  for (let p = 0; p < pairs.length; p += 2) {
    const r = find(pairs[p] as number)
    let m = pairsOf.get(r)
    if (!m) pairsOf.set(r, (m = []))
    m.push(pairs[p] as number, pairs[p + 1] as number)
  }
  const tasks: PairGroup[] = []
  let docs: number[] = []
  let global: number[] = []
  const flush = (split = false) => {
    if (docs.length === 0) return
    const sorted = Uint32Array.from(docs).sort()
    const local = new Map<number, number>()
    for (let i = 0; i < sorted.length; i++) local.set(sorted[i] as number, i)
    tasks.push({
      docs: sorted,
      pairs: Uint32Array.from(global, (d) => local.get(d) as number),
      ...(split ? { split: true as const } : {}),
    })
    docs = []
    global = []
  }
  for (const [r, m] of members) {
    if (m.length > maxGroupDocs) {
      flush()
      const limit = pieceLimit(m.length, maxGroupDocs, parallel)
      const group = pairsOf.get(r) as number[]
      const seen = new Set<number>()
      for (let p = 0; p < group.length; p += 2) {
        const a = group[p] as number
        const b = group[p + 1] as number
        if (seen.size + Number(!seen.has(a)) + Number(!seen.has(b)) > limit) {
          docs = [...seen]
          flush(true)
          seen.clear()
        }
        seen.add(a)
        seen.add(b)
        global.push(a, b)
      }
      docs = [...seen]
      flush(true)
      continue
    }
    for (const d of m) docs.push(d)
    for (const d of pairsOf.get(r) as number[]) global.push(d)
    if (docs.length >= taskDocs) flush()
  }
  flush()
  return tasks
}

/** The most documents a piece of a group of `size` may touch: see {@link pairGroups}. */
export function pieceLimit(size: number, maxGroupDocs: number, parallel: number): number {
  const pieces = Math.ceil(Math.ceil(size / maxGroupDocs) / parallel) * parallel
  return Math.max(2, Math.ceil(size / pieces))
}

/** Pass 2 for one task: the engine's stages 3 and 4 on its articles (the exact screen again: pass 1 screened 16-bit values). */
export function verifyGroup(
  analyses: readonly AnalysisOk[],
  pairs: Uint32Array,
  options: ClusterOptions,
): { clusters: Cluster[]; links: Comparison[]; screenedOut: number; templates: number } {
  checkSorted('verifyGroup', analyses)
  const verifier = new PairVerifier(options)
  const links = verifier.verifyPairs(analyses, pairs)
  const r = buildClusters(
    analyses,
    links,
    [],
    options,
    { articles: 0, candidatePairs: 0, screenedOut: 0, oversizedBuckets: 0 },
    verifier,
  )
  return { clusters: r.clusters, links: r.links, screenedOut: verifier.screenedOut, templates: verifier.templates }
}

/**
 * Pass 2 for a piece of a large group: stage 3 alone (its group is clustered once all pieces are
 * in). Without the template check: a piece holds some of its articles' pairs, and which ones
 * depends on how many workers share the group, so a check on them would make the result depend
 * on the workers too. A group this large is a flood, most of it copies.
 */
export function verifyPiece(
  analyses: readonly AnalysisOk[],
  pairs: Uint32Array,
  options: ClusterOptions,
): { links: Comparison[]; screenedOut: number } {
  checkSorted('verifyPiece', analyses)
  const verifier = new PairVerifier({ ...options, splitTemplates: false })
  return { links: verifier.verifyPairs(analyses, pairs), screenedOut: verifier.screenedOut }
}

function checkSorted(caller: string, analyses: readonly AnalysisOk[]): void {
  for (let i = 1; i < analyses.length; i++) {
    if ((analyses[i - 1] as AnalysisOk).id >= (analyses[i] as AnalysisOk).id) {
      throw invalid(`${caller}: analyses must be sorted by id, with distinct ids`)
    }
  }
}

/** Put the groups' clusters and links together as clusterAnalyses would have returned them. */
export function assembleResult(
  table: SketchTable,
  parts: readonly { clusters: Cluster[]; links: Comparison[]; linked: number; screenedOut: number; templates: number }[],
  skipped: SkippedArticle[],
  counts: SearchCounts,
): ClusterResult {
  const clusters: Cluster[] = []
  const links: Comparison[] = []
  let linked = 0
  let screenedOut = counts.screenedOut
  let templates = counts.templates ?? 0
  for (const p of parts) {
    for (const c of p.clusters) clusters.push(c)
    for (const l of p.links) links.push(l)
    linked += p.linked
    screenedOut += p.screenedOut
    templates += p.templates
  }
  links.sort((x, y) => byId(x.a, y.a) || byId(x.b, y.b))
  skipped.sort((a, b) => byId(a.id, b.id))
  return clusteringResult(clusters, table.ids, skipped, links, { ...counts, screenedOut, templates, linkedPairs: linked })
}
