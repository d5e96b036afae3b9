import type { AnalysisOk, AnalyzedParagraph } from '../analyze.js'
import type { Cluster } from '../cluster/cluster.js'
import { PARAGRAPH_THRESHOLDS, ParagraphColumns, sameSets, scoreParagraphs } from '../compare/align.js'
import { argOptions, describeValue, invalid } from '../errors.js'
import type { ParagraphKind } from '../text/segment.js'
import { checkAnalysis, diffChecked, resolveDiffOptions, sameWording } from './article.js'
import { compactDiff } from './texts.js'
import type {
  ArticleDiff,
  ClusterDiff,
  DiffClusterOptions,
  MatrixCell,
  ParagraphDiff,
  ParagraphStatus,
  StoryParagraph,
} from './types.js'

export const DEFAULT_DIFF_CLUSTER_OPTIONS = { sharedAdditions: true } as const

const CELL: Record<Exclude<ParagraphStatus, 'added'>, MatrixCell> = {
  kept: 'carried',
  edited: 'edited',
  reworded: 'reworded',
  translated: 'translated',
  moved: 'moved',
  cut: 'cut',
}

/** What the story reads of the reference (member 0) or a member: its id and its analysis's language. */
type StoryMember = Pick<MemberPart, 'id' | 'lang'>

/** A paragraph only some members have: one member's addition, or several members' shared one. */
export interface Addition {
  member: number
  paragraph: number
  /** The reference paragraph it comes after (-1: before the first). */
  anchor: number
  /** Its member is a translation of the reference. */
  translation: boolean
  p: AnalyzedParagraph
  group?: Addition[]
}

/**
 * Diff every member of a cluster against the cluster's reference, and rebuild the wire story:
 * the reference's paragraphs in order, each followed by the paragraphs members added after it,
 * with a matrix saying what each outlet did with each paragraph.
 *
 * A paragraph that two or more members add, and that matches across them, is wire text the
 * reference lacks (a later version of the story has it): it becomes one story paragraph with
 * `addition: false`, taken from the first member in cluster order that carries it. A paragraph
 * only one member has is that outlet's own `addition`.
 *
 * @example
 * // articles: the five seed articles (examples/data)
 * const analyses = articles.map((a) => analyze(a) as AnalysisOk)
 * const d = diffCluster(clusterArticles(articles).clusters[0], analyses)
 * d.members        // ['003', '000', '001', '002']
 * d.story[1].cells // { '003': 'reference', '000': 'edited', '001': 'edited', '002': 'translated' }
 */
export function diffCluster(
  cluster: Cluster,
  analyses: Map<string, AnalysisOk> | readonly AnalysisOk[],
  options: DiffClusterOptions = {},
): ClusterDiff {
  argOptions('diffCluster', 'options', options)
  if (!cluster || typeof cluster !== 'object' || cluster.kind !== 'cluster' || !Array.isArray(cluster.members)) {
    throw invalid(`diffCluster: cluster must be a cluster from clusterArticles(), got ${describeValue(cluster)}`)
  }
  const byId = analysisMap(analyses)
  const o = resolveDiffOptions(options, 'diffCluster')
  const sharedAdditions = resolveSharedAdditions(options)
  return assembleClusterDiff(cluster, [diffMembers(cluster, byId, o)], sharedAdditions)
}

/** The `sharedAdditions` option of {@link diffCluster}, checked. */
export function resolveSharedAdditions(options: DiffClusterOptions): boolean {
  const sharedAdditions = options.sharedAdditions ?? DEFAULT_DIFF_CLUSTER_OPTIONS.sharedAdditions
  if (typeof sharedAdditions !== 'boolean')
    throw invalid(`sharedAdditions must be a boolean, got ${describeValue(sharedAdditions)}`)
  return sharedAdditions
}

/** What the cluster's story reads of one member besides its diff. */
export interface MemberPart {
  id: string
  /** The analysis's language. */
  lang?: string
  diff: ArticleDiff
  /** The paragraphs the member added (status `added` in its diff), by paragraph index. */
  added: Map<number, AnalyzedParagraph>
}

/**
 * The first step of {@link diffCluster} for the members of a cluster, or of a slice of one that
 * keeps its reference (clusterCorpus diffs a flood's members in chunks, one per worker): each
 * member's diff and what the story reads of it, and what it reads of the reference.
 */
export interface ClusterDiffPart {
  reference: { id: string; lang?: string; paragraphs: Pick<AnalyzedParagraph, 'text' | 'kind'>[] }
  members: MemberPart[]
}

/** Diff every member of `cluster` but its reference against the reference (step 1 of {@link diffCluster}). */
export function diffMembers(
  cluster: Cluster,
  byId: ReadonlyMap<string, AnalysisOk>,
  o: ReturnType<typeof resolveDiffOptions>,
): ClusterDiffPart {
  const get = (id: string, role: string): AnalysisOk => {
    const a = byId.get(id)
    if (a === undefined) throw invalid(`diffCluster: no analysis for ${role} "${id}" of cluster "${cluster.id}"`)
    return checkAnalysis('diffCluster', a, role)
  }
  const ref = get(cluster.reference, 'reference')
  const ids = [cluster.reference, ...cluster.members.map((m) => m.id).filter((id) => id !== cluster.reference)]
  if (new Set(ids).size !== ids.length) throw invalid(`diffCluster: cluster "${cluster.id}" lists a member twice`)
  const memberAnalyses = ids.map((id, k) => (k === 0 ? ref : get(id, 'member')))

  // By id: a flood's cluster has tens of thousands of members, and a search per member is quadratic.
  const memberById = new Map(cluster.members.map((m) => [m.id, m]))
  // Every member is diffed against the one reference: its paragraphs are scored once per distinct
  // member paragraph (a flood's members share most of theirs), one set of columns per language case.
  const columns = new Map<boolean, ParagraphColumns>()
  const columnsFor = (cross: boolean) => {
    let c = columns.get(cross)
    if (!c) columns.set(cross, (c = new ParagraphColumns(ref.paragraphs, cross)))
    return c
  }
  const referenceTexts = ref.paragraphs.map((p) => p.text)
  const shared = new SharedValues()
  // Rows made once for members alike in a group's paragraphs, and made compact once.
  const rows = new Map<string, ParagraphDiff>()
  const compacted = new Map<ParagraphDiff, ParagraphDiff>()
  const members: MemberPart[] = []
  for (let k = 1; k < ids.length; k++) {
    const id = ids[k] as string
    const a = memberAnalyses[k] as AnalysisOk
    const member = memberById.get(id)
    const relation = member && member.relation !== 'reference' ? member.relation : undefined
    // Compact here, on the worker that diffs: what is sent to the main thread and held there is small.
    const diff = shared.diff(compactDiff(diffChecked(ref, a, o, relation, columnsFor, rows), referenceTexts, compacted))
    const added = new Map<number, AnalyzedParagraph>()
    for (const r of diff.paragraphs) {
      if (r.status === 'added') for (const j of r.copy ?? []) added.set(j, a.paragraphs[j] as AnalyzedParagraph)
    }
    members.push({ id, ...(a.lang !== undefined ? { lang: a.lang } : {}), diff, added })
  }
  return {
    reference: {
      id: ref.id,
      ...(ref.lang !== undefined ? { lang: ref.lang } : {}),
      paragraphs: ref.paragraphs.map((p) => ({ text: p.text, kind: p.kind })),
    },
    members,
  }
}

/**
 * Rows and summaries equal in value made one object: a flood's members keep most paragraphs alike
 * (10,000 reprints: 190,000 rows, 10,000 distinct), so the reply to the main thread clones each
 * once and the JSON layout writes each once (it caches records by object). Nothing mutates a
 * diff's rows or summary once made, so sharing them is safe.
 */
class SharedValues {
  private readonly values = new Map<string, object>()

  private readonly known = new Map<object, object>()

  private one<T extends object>(x: T): T {
    // A row diffChecked and compactDiff already shared is known by itself: no key to make.
    const same = this.known.get(x)
    if (same) return same as T
    const key = JSON.stringify(x)
    const seen = this.values.get(key)
    if (seen) {
      this.known.set(x, seen)
      return seen as T
    }
    this.values.set(key, x)
    this.known.set(x, x)
    return x
  }

  diff(d: ArticleDiff): ArticleDiff {
    // A row that keeps a text of its own (an edit, an addition) is seldom another member's too:
    // not worth its key.
    const paragraphs = d.paragraphs.map((r) => (r.copyText === undefined && r.referenceText === undefined ? this.one(r) : r))
    return { ...d, paragraphs, summary: this.one(d.summary) }
  }
}

/**
 * Rebuild the wire story from the parts of {@link diffMembers} (step 2 of {@link diffCluster}):
 * `parts` hold the cluster's members, after its reference, in the cluster's order.
 */
export function assembleClusterDiff(cluster: Cluster, parts: readonly ClusterDiffPart[], sharedAdditions: boolean): ClusterDiff {
  const ref = (parts[0] as ClusterDiffPart).reference
  const members: StoryMember[] = [{ id: cluster.reference, ...(ref.lang !== undefined ? { lang: ref.lang } : {}) }]
  for (const part of parts) for (const m of part.members) members.push(m)
  const ids = members.map((m) => m.id)
  const diffs = parts.flatMap((part) => part.members.map((m) => m.diff))

  const memberById = new Map(cluster.members.map((m) => [m.id, m]))
  const languages: Record<string, string> = {}
  for (const m of members) {
    const lang = m.lang ?? memberById.get(m.id)?.lang
    if (lang) languages[m.id] = lang
  }

  // Reference paragraphs, with each member's cell: member k's cell on paragraph i at k·n + i (a
  // flood's 10,000 members: one array, not a map per member).
  const n = ref.paragraphs.length
  const cellAt: MatrixCell[] = new Array(diffs.length * n).fill('cut')
  for (const [k, d] of diffs.entries()) {
    for (const r of d.paragraphs) {
      const cell = CELL[r.status as Exclude<ParagraphStatus, 'added'>]
      for (const i of r.reference ?? []) if (i < n) cellAt[k * n + i] = cell
    }
  }
  const refRows: StoryParagraph[] = ref.paragraphs.map((p, i) => {
    const cells: Record<string, MatrixCell> = { [ref.id]: 'reference' }
    for (let k = 0; k < diffs.length; k++) cells[ids[k + 1] as string] = cellAt[k * n + i] as MatrixCell
    return { origin: { article: ref.id, paragraph: i }, text: p.text, kind: p.kind, cells, addition: false }
  })

  const additions = collectAdditions(diffs, members)
  if (sharedAdditions) groupShared(additions, members)

  // A shared addition is placed once, where its first member's diff puts it.
  const after = new Map<number, Addition[]>()
  for (const x of additions) {
    if (x.group && x.group[0] !== x) continue
    const list = after.get(x.anchor) ?? []
    list.push(x)
    after.set(x.anchor, list)
  }
  const story: StoryParagraph[] = []
  const emitAfter = (anchor: number) => {
    for (const x of after.get(anchor) ?? []) story.push(additionRow(x, ids, members))
  }
  emitAfter(-1)
  for (const [i, row] of refRows.entries()) {
    story.push(row)
    emitAfter(i)
  }
  return {
    kind: 'cluster-diff',
    version: 2,
    reference: ref.id,
    members: ids,
    languages,
    diffs,
    story,
  }
}

function analysisMap(analyses: unknown): Map<string, AnalysisOk> {
  if (analyses instanceof Map) return analyses as Map<string, AnalysisOk>
  if (!Array.isArray(analyses)) {
    throw invalid(`diffCluster: analyses must be a Map of id to analysis or an array of analyses, got ${describeValue(analyses)}`)
  }
  const m = new Map<string, AnalysisOk>()
  for (const [i, a] of analyses.entries()) {
    if (!a || typeof a !== 'object' || typeof (a as AnalysisOk).id !== 'string') {
      throw invalid(`diffCluster: analyses[${i}] must be the result of analyze(), got ${describeValue(a)}`)
    }
    if (m.has((a as AnalysisOk).id)) throw invalid(`diffCluster: analyses holds id "${(a as AnalysisOk).id}" twice`)
    m.set((a as AnalysisOk).id, a as AnalysisOk)
  }
  return m
}

/**
 * Every member's added paragraphs, in member order, each with the reference paragraph it comes
 * after in the member's diff (so the story puts it where the member's diff does).
 */
function collectAdditions(diffs: ArticleDiff[], members: StoryMember[]): Addition[] {
  const out: Addition[] = []
  for (const [k, d] of diffs.entries()) {
    const m = members[k + 1] as MemberPart
    const translation = d.relation === 'translation'
    let anchor = -1
    for (const r of d.paragraphs) {
      if (r.status !== 'added') {
        anchor = Math.max(anchor, ...(r.reference ?? []))
        continue
      }
      for (const j of r.copy ?? []) {
        out.push({ member: k + 1, paragraph: j, anchor, translation, p: m.added.get(j) as AnalyzedParagraph })
      }
    }
  }
  return out
}

/**
 * Group additions of different members that match (shared wording, or the same content
 * reworded), greedily from the strongest pair; a group holds at most one paragraph per member.
 * The group's first member (in cluster order) gives its text and place.
 */
export function groupShared(additions: Addition[], members: readonly StoryMember[]): void {
  if (groupIdentical(additions, members)) return
  greedyGroups(additions, matchingAdditions(additions, members))
}

/** The greedy grouping over the matching pairs, strongest first (see {@link groupShared}). */
export function greedyGroups(additions: Addition[], candidates: readonly { x: number; y: number }[]): void {
  const linked = new Set(candidates.map((c) => `${c.x},${c.y}`))
  const index = new Map(additions.map((a, i) => [a, i]))
  const link = (a: Addition, b: Addition) => {
    const i = index.get(a) as number
    const j = index.get(b) as number
    return linked.has(i < j ? `${i},${j}` : `${j},${i}`)
  }
  for (const { x, y } of candidates) {
    const ax = additions[x] as Addition
    const ay = additions[y] as Addition
    const gx = ax.group ?? [ax]
    const gy = ay.group ?? [ay]
    if (gx === gy) continue
    if (gx.some((a) => gy.some((b) => a.member === b.member))) continue
    // Every pair across the two groups must match, or one weak link would chain them.
    if (!gx.every((a) => gy.every((b) => link(a, b)))) continue
    const merged = [...gx, ...gy].sort((p, q) => p.member - q.member)
    for (const a of merged) a.group = merged
  }
}

/**
 * The greedy grouping, computed on classes of identical additions (same text, same language)
 * instead of on every pair of additions: members that all add one footer the reference lacks
 * made every pair match, and the pairs alone were quadratic (10,000 reprints, a quarter sharing a
 * paragraph: 38 s). The result is the greedy's own when each class's additions belong to
 * different members and match each other more strongly than anything else: then every class is
 * whole before any pair across classes is met, and across classes each pair of classes acts at
 * its first pair in the greedy's order. Otherwise returns false and groups nothing.
 */
function groupIdentical(additions: Addition[], members: readonly StoryMember[]): boolean {
  const langOf = (a: Addition) => a.p.lang ?? (members[a.member] as StoryMember).lang ?? ''
  const byKey = new Map<string, number[]>()
  for (const [i, a] of additions.entries()) {
    const key = `${langOf(a)}\u0000${a.p.text}`
    const list = byKey.get(key)
    if (list) list.push(i)
    else byKey.set(key, [i])
  }
  const classes = [...byKey.values()]
  if (classes.length === additions.length) return false
  const reps = classes.map((c) => additions[c[0] as number] as Addition)
  const selfScore: number[] = []
  for (const [k, c] of classes.entries()) {
    selfScore.push(2)
    if (c.length === 1) continue
    if (new Set(c.map((i) => (additions[i] as Addition).member)).size !== c.length) return false
    const rep = reps[k] as Addition
    if (!c.every((i) => sameSets((additions[i] as Addition).p, rep.p))) return false
    const s = scoreParagraphs(rep.p, rep.p, false)
    if (s.containment < PARAGRAPH_THRESHOLDS.edited && s.reworded < PARAGRAPH_THRESHOLDS.reworded) return false
    selfScore[k] = Math.max(s.containment, s.reworded)
  }
  // Class pairs that match: the representatives as the members of a cluster of their own, so
  // that two classes with a member in common are still scored (their other additions pair).
  const asMembers = reps.map((r) => ({ id: '', lang: langOf(r) || undefined }))
  const matched = matchingAdditions(
    reps.map((r, k) => ({ ...r, member: k, group: undefined })),
    asMembers,
  )
  const memberOf = (i: number) => (additions[i] as Addition).member
  const pairs: { x: number; y: number; s: number; a: number; b: number }[] = []
  for (const { x: a, y: b, s } of matched) {
    // A pair across classes as strong as a class's own pairs could come first in the greedy's order.
    if (s >= Math.min(selfScore[a] as number, selfScore[b] as number)) return false
    const first = firstPair(classes[a] as number[], classes[b] as number[], memberOf)
    if (first) pairs.push({ ...first, s, a, b })
  }
  pairs.sort((p, q) => q.s - p.s || p.x - q.x || p.y - q.y)
  const linked = new Set(matched.map((m) => `${m.x},${m.y}`))
  const link = (a: number, b: number) => a === b || linked.has(a < b ? `${a},${b}` : `${b},${a}`)
  // Groups of classes, with their members; every class starts whole.
  const groupOf = classes.map((_, k) => ({ classes: [k], members: new Set(classes[k]?.map(memberOf)) }))
  for (const { a, b } of pairs) {
    const ga = groupOf[a] as { classes: number[]; members: Set<number> }
    const gb = groupOf[b] as { classes: number[]; members: Set<number> }
    if (ga === gb) continue
    if ([...gb.members].some((m) => ga.members.has(m))) continue
    if (!ga.classes.every((p) => gb.classes.every((q) => link(p, q)))) continue
    const merged = { classes: [...ga.classes, ...gb.classes], members: new Set([...ga.members, ...gb.members]) }
    for (const k of merged.classes) groupOf[k] = merged
  }
  for (const g of new Set(groupOf)) {
    const list = g.classes.flatMap((k) => (classes[k] as number[]).map((i) => additions[i] as Addition))
    if (list.length < 2) continue
    const merged = list.sort((p, q) => p.member - q.member)
    for (const x of merged) x.group = merged
  }
  return true
}

/**
 * The first pair of the greedy's order (x < y, different members) with one addition in each of
 * two classes (indices ascending), or null when every such pair is of one member.
 */
function firstPair(A: readonly number[], B: readonly number[], memberOf: (i: number) => number): { x: number; y: number } | null {
  let best: { x: number; y: number } | null = null
  for (const [P, Q] of [
    [A, B],
    [B, A],
  ] as const) {
    for (const x of P) {
      if (best && x > best.x) break
      const y = Q.find((q) => q > x && memberOf(q) !== memberOf(x))
      if (y === undefined) continue
      if (!best || x < best.x || (x === best.x && y < best.y)) best = { x, y }
      break
    }
  }
  return best
}

/**
 * Lower bounds under which a pair of additions cannot match, per set: containment (or, for a
 * paragraph of fewer than 3 shingles, Jaccard) at least PARAGRAPH_THRESHOLDS.edited shares that
 * share of the smaller shingle set; a reworded score at least PARAGRAPH_THRESHOLDS.reworded
 * needs a word or anchor Jaccard at least as high (it is a weighted mean of the two, times a
 * length factor at most 1), so that share of the smaller word or anchor set.
 */
const SHARE_NEEDED = [PARAGRAPH_THRESHOLDS.edited, PARAGRAPH_THRESHOLDS.reworded, PARAGRAPH_THRESHOLDS.reworded] as const

/**
 * The pairs of additions (of different members) that match, strongest first, then by x and y:
 * the same pairs as scoring every pair, found without doing so (that was quadratic: a flood's
 * 4,000 members each adding a line of their own took 31 s to diff). Prefix filter: with each
 * set's values in one order (rarest first), a pair sharing at least a share c of the smaller set A
 * shares one of A's first |A| − ⌈c·|A|⌉ + 1 values; only pairs met that way are scored.
 */
export function matchingAdditions(
  additions: readonly Addition[],
  members: readonly StoryMember[],
): { x: number; y: number; s: number }[] {
  const setsOf = (a: Addition) => [a.p.shingles, a.p.words, a.p.anchors] as const
  // One key space per set (shingle, word and anchor hashes may coincide), exact in a double.
  const keyOf = (v: number, set: number) => v * 4 + set
  const postings = new Map<number, number[]>()
  for (const [x, a] of additions.entries()) {
    for (const [set, values] of setsOf(a).entries()) {
      for (const v of values) {
        const key = keyOf(v, set)
        const list = postings.get(key)
        if (!list) postings.set(key, [x])
        else if (list[list.length - 1] !== x) list.push(x)
      }
    }
  }
  const rarestFirst = (p: number, q: number) =>
    (postings.get(p) as number[]).length - (postings.get(q) as number[]).length || p - q
  const met = new Set<number>()
  for (const [x, a] of additions.entries()) {
    for (const [set, values] of setsOf(a).entries()) {
      if (values.length === 0) continue
      const keys = Array.from(values, (v) => keyOf(v, set)).sort(rarestFirst)
      // − 1e-9: should c·|A| land just above a whole number in floating point, the prefix stays long enough.
      const prefix = keys.length - Math.ceil((SHARE_NEEDED[set] as number) * keys.length - 1e-9) + 1
      for (let i = 0; i < prefix; i++) {
        for (const y of postings.get(keys[i] as number) as number[]) {
          // x probes as the smaller set; the pair where y is smaller is met from y's side.
          if (y !== x && (setsOf(additions[y] as Addition)[set] as Uint32Array).length >= values.length) {
            met.add(Math.min(x, y) * additions.length + Math.max(x, y))
          }
        }
      }
    }
  }
  const candidates: { x: number; y: number; s: number }[] = []
  for (const pair of met) {
    const x = Math.floor(pair / additions.length)
    const y = pair % additions.length
    const ax = additions[x] as Addition
    const ay = additions[y] as Addition
    if (ax.member === ay.member) continue
    const s = scoreParagraphs(ax.p, ay.p, crossLanguage(ax, ay, members))
    const ok = s.containment >= PARAGRAPH_THRESHOLDS.edited || s.reworded >= PARAGRAPH_THRESHOLDS.reworded
    if (ok) candidates.push({ x, y, s: Math.max(s.containment, s.reworded) })
  }
  return candidates.sort((p, q) => q.s - p.s || p.x - q.x || p.y - q.y)
}

function crossLanguage(a: Addition, b: Addition, members: readonly StoryMember[]): boolean {
  const la = a.p.lang ?? (members[a.member] as StoryMember).lang
  const lb = b.p.lang ?? (members[b.member] as StoryMember).lang
  return !!la && !!lb && la !== lb
}

function additionRow(x: Addition, ids: string[], members: readonly StoryMember[]): StoryParagraph {
  const cells: Record<string, MatrixCell> = {}
  const group = x.group ?? [x]
  for (const a of group) cells[ids[a.member] as string] = a === x ? 'carried' : cellAgainst(x, a, members)
  const kind: ParagraphKind = x.p.kind
  return {
    origin: { article: ids[x.member] as string, paragraph: x.paragraph },
    text: x.p.text,
    kind,
    cells,
    addition: group.length === 1,
  }
}

/** What member `a` did with the shared paragraph whose text comes from `origin`. */
function cellAgainst(origin: Addition, a: Addition, members: readonly StoryMember[]): MatrixCell {
  if (sameWording(origin.p.text, a.p.text)) return 'carried'
  const cross = crossLanguage(origin, a, members)
  const s = scoreParagraphs(origin.p, a.p, cross)
  if (cross || origin.translation || a.translation) return 'translated'
  return s.containment < PARAGRAPH_THRESHOLDS.edited ? 'reworded' : 'edited'
}
