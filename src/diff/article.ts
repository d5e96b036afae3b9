import { type AnalysisOk, type AnalyzedParagraph, analyzeParagraph } from '../analyze.js'
import {
  type AlignedPair,
  alignParagraphsWith,
  type MatchKind,
  PARAGRAPH_THRESHOLDS,
  type ParagraphColumns,
  round,
  scoreParagraphs,
} from '../compare/align.js'
import { compare, languagesDiffer, resolveModel } from '../compare/compare.js'
import { DEFAULT_MODEL } from '../compare/default-model.js'
import { argOptions, argString, checkNumber, describeValue, invalid } from '../errors.js'
import { normalizeText } from '../text/normalize.js'
import { PARAGRAPH_JOINER } from './texts.js'
import type { ArticleDiff, DiffOptions, DiffSummary, ParagraphDiff, ParagraphStatus } from './types.js'
import { diffWords } from './words.js'

export const DEFAULT_DIFF_OPTIONS: Readonly<Required<Omit<DiffOptions, 'relation'>>> = {
  model: DEFAULT_MODEL,
  translationGapScore: 0.12,
  inlineChanges: true,
}

// Typography that says nothing about what an outlet did: after normalizeText (one kind of quote,
// apostrophe and dash, collapsed spaces, case folded), the place of a full stop or comma against
// a closing quote (US "Homs." against UK "Homs".), spaces before punctuation, and the spacing of
// dashes ("Homs—war", "Homs – war").
const PUNCT_BEFORE_QUOTE = /([.,])(["']+)/g
const SPACE_BEFORE_PUNCT = / ([.,;:!?])/g
const DASH = / ?-{1,3} ?/g

/**
 * Whether two paragraphs say the same thing in the same words, differing at most in typography:
 * quote and apostrophe style, dashes, spacing, case, and a full stop or comma inside or outside a
 * closing quote. Such a pair is `kept`, not `edited`.
 *
 * @example sameWording('He said “safe.”', 'he said "safe".') // true
 */
export function sameWording(a: string, b: string): boolean {
  argString('sameWording', 'a', a)
  argString('sameWording', 'b', b)
  if (a === b) return true
  const key = (t: string) =>
    normalizeText(t).replace(DASH, ' - ').replace(SPACE_BEFORE_PUNCT, '$1').replace(PUNCT_BEFORE_QUOTE, '$2$1')
  return key(a) === key(b)
}

/** Check that a value is an analysis that has paragraphs to diff. */
export function checkAnalysis(fn: string, x: unknown, name: string): AnalysisOk {
  const a = x as AnalysisOk | null
  if (!a || typeof a !== 'object' || a.kind !== 'analysis') {
    throw invalid(`${fn}: ${name} must be the result of analyze(), got ${describeValue(x)}`)
  }
  if (a.status !== 'ok') {
    const reason = (a as unknown as { reason?: string }).reason
    throw invalid(`${fn}: ${name} ("${a.id}") was skipped (${reason}) and has no paragraphs to diff`)
  }
  if (!Array.isArray(a.paragraphs)) throw invalid(`${fn}: ${name} ("${a.id}") has no paragraphs array`)
  return a
}

export function resolveDiffOptions(options: DiffOptions, fn: string): Required<Omit<DiffOptions, 'relation'>> {
  if (options === null || typeof options !== 'object')
    throw invalid(`${fn}: options must be an object, got ${describeValue(options)}`)
  const o = {
    model: resolveModel(options.model, `${fn}: options.model`),
    translationGapScore: options.translationGapScore ?? DEFAULT_DIFF_OPTIONS.translationGapScore,
    inlineChanges: options.inlineChanges ?? DEFAULT_DIFF_OPTIONS.inlineChanges,
  }
  checkNumber('translationGapScore', o.translationGapScore, 0, 1)
  if (typeof o.inlineChanges !== 'boolean')
    throw invalid(`inlineChanges must be a boolean, got ${describeValue(o.inlineChanges)}`)
  return o
}

/** Paragraphs of the two sides that correspond: one-to-one, or a split or merge. */
interface Group {
  ref: number[]
  copy: number[]
  match: MatchKind
  similarity: number
  moved: boolean
}

/**
 * Align the paragraphs of a reference and a copy, and say what the copy did with each.
 *
 * The alignment is {@link alignParagraphs}' (in order, then out-of-order pairs as `moved`). In a
 * translation, paragraphs left over between two aligned pairs are paired on weaker evidence
 * (`translationGapScore`); across languages, a single paragraph left on each side between two
 * pairs is paired by its place when the lengths agree (within a factor of two). Then an
 * unaligned paragraph next to an aligned one that it belongs to (it matches the other side's
 * paragraph, and the pair matches better with it) makes a split or a merge. Headings take part
 * in neither.
 *
 * Rows follow the reference's order; a paragraph only in the copy (`added`) comes after the row
 * of the copy paragraph it follows, past the `cut` rows right after that row (as in a unified diff).
 *
 * @example
 * const ref = analyze({ id: 'afp', text: 'Rebels entered Homs on Saturday night.\n\nThe army denied it in a statement.\n\nResidents fled south.' })
 * const copy = analyze({ id: 'app', text: 'Rebels entered Homs late on Saturday night.\n\nThe army denied it in a statement.\n\nOur reporter saw tanks leave.' })
 * const d = diffArticles(ref as AnalysisOk, copy as AnalysisOk)
 * d.paragraphs.map((p) => p.status) // ['edited', 'kept', 'cut', 'added']
 * d.paragraphs[0].changes           // [{ op: 'equal', text: 'Rebels entered Homs ' }, { op: 'insert', text: 'late ' }, { op: 'equal', text: 'on Saturday night.' }]
 * d.summary.referenceCarried        // 0.774
 */
export function diffArticles(reference: AnalysisOk, copy: AnalysisOk, options: DiffOptions = {}): ArticleDiff {
  argOptions('diffArticles', 'options', options)
  const ref = checkAnalysis('diffArticles', reference, 'reference')
  const cp = checkAnalysis('diffArticles', copy, 'copy')
  const o = resolveDiffOptions(options, 'diffArticles')
  return diffChecked(ref, cp, o, options.relation)
}

/**
 * {@link diffArticles} on checked arguments and resolved options. `columns(crossLanguage)` gives
 * the reference's paragraph columns to reuse (see {@link ParagraphColumns}): diffCluster diffs every
 * member against one reference. `rows`, kept across the calls of one reference and options, gives
 * the row already made for a group alike in all that makes a row (its paragraphs, copy text and
 * languages, how it matched, translation or not): a flood's members share most rows.
 */
export function diffChecked(
  ref: AnalysisOk,
  cp: AnalysisOk,
  o: Required<Omit<DiffOptions, 'relation'>>,
  given: DiffOptions['relation'],
  columns?: (crossLanguage: boolean) => ParagraphColumns,
  rows?: Map<string, ParagraphDiff>,
): ArticleDiff {
  const relation = given ?? compare(ref, cp, { model: o.model }).relation
  const crossLanguage = languagesDiffer(ref, cp)
  const translation = relation === 'translation' || crossLanguage
  const pa = ref.paragraphs
  const pb = cp.paragraphs

  const pairs = alignParagraphsWith(pa, pb, crossLanguage, columns?.(crossLanguage))
  if (translation) pairs.push(...fillGaps(pa, pb, pairs, crossLanguage, o.translationGapScore))
  if (crossLanguage) pairs.push(...fillSingles(pa, pb, pairs))
  const groups = growGroups(pa, pb, pairs, crossLanguage, translation, ref.fingerprint.params)

  const makeRow = (g: Group): ParagraphDiff => {
    const referenceText = g.ref.map((i) => (pa[i] as AnalyzedParagraph).text).join(PARAGRAPH_JOINER)
    const copyText = g.copy.map((j) => (pb[j] as AnalyzedParagraph).text).join(PARAGRAPH_JOINER)
    const same = sameWording(referenceText, copyText)
    const otherLanguage = differentLanguages(g, pa, pb)
    const reworded = !same && (translation || g.match === 'reworded' || otherLanguage)
    const status: ParagraphStatus = g.moved
      ? 'moved'
      : same
        ? 'kept'
        : !reworded
          ? 'edited'
          : translation || otherLanguage
            ? 'translated'
            : 'reworded'
    const first = pa[g.ref[0] as number] as AnalyzedParagraph
    const firstCopy = pb[g.copy[0] as number] as AnalyzedParagraph
    const languages = {
      ...((first.lang ?? ref.lang) ? { reference: (first.lang ?? ref.lang) as string } : {}),
      ...((firstCopy.lang ?? cp.lang) ? { copy: (firstCopy.lang ?? cp.lang) as string } : {}),
    }
    return {
      status,
      reference: g.ref,
      copy: g.copy,
      shape: g.ref.length > 1 ? 'merge' : g.copy.length > 1 ? 'split' : 'one-to-one',
      similarity: same ? 1 : g.similarity,
      referenceText,
      copyText,
      kind: first.kind,
      ...(o.inlineChanges && !same && !reworded ? { changes: diffWords(referenceText, copyText) } : {}),
      ...((status === 'translated' || status === 'reworded') && Object.keys(languages).length > 0 ? { languages } : {}),
    }
  }

  // What makeRow reads besides the reference (the same for every call that shares `rows`).
  const rowKey = (g: Group) => {
    const firstCopy = pb[g.copy[0] as number] as AnalyzedParagraph
    const texts = g.copy.map((j) => (pb[j] as AnalyzedParagraph).text).join(PARAGRAPH_JOINER)
    return `${g.ref.join(',')}|${g.copy.join(',')}|${g.match}|${g.similarity}|${g.moved}|${translation}|${firstCopy.lang ?? ''}|${cp.lang ?? ''}|${texts}`
  }
  const rowOf = !rows
    ? makeRow
    : (g: Group): ParagraphDiff => {
        const key = rowKey(g)
        let row = rows.get(key)
        if (!row) rows.set(key, (row = makeRow(g)))
        return row
      }
  const paragraphs = orderRows(pa, pb, groups, rowOf)
  return {
    kind: 'article-diff',
    version: 2,
    texts: 'full',
    reference: ref.id,
    copy: cp.id,
    relation,
    paragraphs,
    summary: summarize(pa, pb, paragraphs),
    boilerplate: { reference: ref.removed, copy: cp.removed },
  }
}

function differentLanguages(g: Group, pa: readonly AnalyzedParagraph[], pb: readonly AnalyzedParagraph[]): boolean {
  const la = (pa[g.ref[0] as number] as AnalyzedParagraph).lang
  const lb = (pb[g.copy[0] as number] as AnalyzedParagraph).lang
  return !!la && !!lb && la !== lb
}

const isHeading = (p: AnalyzedParagraph) => p.kind === 'heading'

/**
 * Pair the paragraphs left between consecutive in-order pairs of a translation, by the best
 * order-preserving chain of pairs scoring at least `minScore`.
 */
function fillGaps(
  pa: readonly AnalyzedParagraph[],
  pb: readonly AnalyzedParagraph[],
  pairs: readonly AlignedPair[],
  crossLanguage: boolean,
  minScore: number,
): AlignedPair[] {
  const { usedA, usedB, chain } = inOrder(pairs)
  const out: AlignedPair[] = []
  let prevA = -1
  let prevB = -1
  for (const p of [...chain, { a: pa.length, b: pb.length }]) {
    const ga: number[] = []
    const gb: number[] = []
    for (let i = prevA + 1; i < p.a; i++) if (!usedA.has(i) && !isHeading(pa[i] as AnalyzedParagraph)) ga.push(i)
    for (let j = prevB + 1; j < p.b; j++) if (!usedB.has(j) && !isHeading(pb[j] as AnalyzedParagraph)) gb.push(j)
    if (ga.length > 0 && gb.length > 0) out.push(...bestChain(pa, pb, ga, gb, crossLanguage, minScore))
    prevA = p.a
    prevB = p.b
  }
  return out
}

/** The paragraphs already paired on each side, and the in-order pairs (not moved) by reference position. */
function inOrder(pairs: readonly AlignedPair[]): { usedA: Set<number>; usedB: Set<number>; chain: AlignedPair[] } {
  return {
    usedA: new Set(pairs.map((p) => p.a)),
    usedB: new Set(pairs.map((p) => p.b)),
    chain: pairs.filter((p) => !p.moved).sort((x, y) => x.a - y.a),
  }
}

/**
 * Across languages, one paragraph left on each side between two aligned pairs, of proportional
 * lengths, is paired by its place (Gale & Church): a translated paragraph with no name or figure
 * shares nothing else to score it on.
 */
function fillSingles(
  pa: readonly AnalyzedParagraph[],
  pb: readonly AnalyzedParagraph[],
  pairs: readonly AlignedPair[],
): AlignedPair[] {
  const { usedA, usedB, chain } = inOrder(pairs)
  const out: AlignedPair[] = []
  for (let k = 0; k + 1 < chain.length; k++) {
    const p = chain[k] as AlignedPair
    const q = chain[k + 1] as AlignedPair
    if (q.a - p.a !== 2 || q.b - p.b !== 2 || usedA.has(p.a + 1) || usedB.has(p.b + 1)) continue
    const a = pa[p.a + 1] as AnalyzedParagraph
    const b = pb[p.b + 1] as AnalyzedParagraph
    if (isHeading(a) || isHeading(b)) continue
    const ratio = a.text.length / Math.max(1, b.text.length)
    if (ratio < 0.5 || ratio > 2) continue
    const s = scoreParagraphs(a, b, true)
    out.push({ a: p.a + 1, b: p.b + 1, match: 'reworded', similarity: round(Math.max(s.containment, s.reworded)), moved: false })
  }
  return out
}

/** Weighted longest common subsequence over the pairs of two small index lists. */
function bestChain(
  pa: readonly AnalyzedParagraph[],
  pb: readonly AnalyzedParagraph[],
  ga: number[],
  gb: number[],
  crossLanguage: boolean,
  minScore: number,
): AlignedPair[] {
  const n = ga.length
  const m = gb.length
  const score = new Float64Array(n * m)
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < m; y++) {
      const s = scoreParagraphs(pa[ga[x] as number] as AnalyzedParagraph, pb[gb[y] as number] as AnalyzedParagraph, crossLanguage)
      const best = Math.max(s.containment, s.reworded)
      score[x * m + y] = best >= minScore && best > 0 ? best : 0
    }
  }
  const W = m + 1
  const dp = new Float64Array((n + 1) * W)
  for (let x = n - 1; x >= 0; x--) {
    for (let y = m - 1; y >= 0; y--) {
      const s = score[x * m + y] as number
      let best = Math.max(dp[(x + 1) * W + y] as number, dp[x * W + y + 1] as number)
      if (s > 0) best = Math.max(best, s + (dp[(x + 1) * W + y + 1] as number))
      dp[x * W + y] = best
    }
  }
  const out: AlignedPair[] = []
  let x = 0
  let y = 0
  while (x < n && y < m) {
    const s = score[x * m + y] as number
    if (s > 0 && Math.abs((dp[x * W + y] as number) - (s + (dp[(x + 1) * W + y + 1] as number))) < 1e-9) {
      out.push({ a: ga[x] as number, b: gb[y] as number, match: 'reworded', similarity: round(s), moved: false })
      x++
      y++
    } else if ((dp[(x + 1) * W + y] as number) >= (dp[x * W + y + 1] as number)) x++
    else y++
  }
  return out
}

const matches = (s: { containment: number; reworded: number }) =>
  s.containment >= PARAGRAPH_THRESHOLDS.edited || s.reworded >= PARAGRAPH_THRESHOLDS.reworded

/**
 * Grow aligned pairs into splits and merges: an unaligned, non-heading paragraph next to an
 * aligned one joins its pair when it matches the other side's paragraph on its own and the
 * joined text matches better than the pair did (by shingle Jaccard, or by the reworded score in
 * a translation or a reworded pair). A pair grows on one side only.
 */
function growGroups(
  pa: readonly AnalyzedParagraph[],
  pb: readonly AnalyzedParagraph[],
  pairs: readonly AlignedPair[],
  crossLanguage: boolean,
  translation: boolean,
  shape: Parameters<typeof analyzeParagraph>[2],
): Group[] {
  const usedA = new Set(pairs.map((p) => p.a))
  const usedB = new Set(pairs.map((p) => p.b))
  const sorted = [...pairs].sort((x, y) => x.a - y.a || x.b - y.b)
  const groups: Group[] = []
  for (const p of sorted) {
    const g: Group = { ref: [p.a], copy: [p.b], match: p.match, similarity: p.similarity, moved: p.moved }
    const pr = pa[p.a] as AnalyzedParagraph
    const pc = pb[p.b] as AnalyzedParagraph
    if (!isHeading(pr) && !isHeading(pc)) {
      const split = grow(pb, usedB, p.b, pr, pc, crossLanguage, translation, shape, false)
      if (split) {
        g.copy = split.indices
        g.similarity = split.similarity
      } else {
        const merge = grow(pa, usedA, p.a, pc, pr, crossLanguage, translation, shape, true)
        if (merge) {
          g.ref = merge.indices
          g.similarity = merge.similarity
        }
      }
    }
    for (const i of g.ref) usedA.add(i)
    for (const j of g.copy) usedB.add(j)
    groups.push(g)
  }
  return groups
}

/**
 * Extend paragraph `at` of one side with its unaligned neighbours (before and after) that belong
 * with `other`, the paragraph it is paired with. `otherIsCopy` says which side `other` is on.
 */
function grow(
  side: readonly AnalyzedParagraph[],
  used: Set<number>,
  at: number,
  other: AnalyzedParagraph,
  self: AnalyzedParagraph,
  crossLanguage: boolean,
  translation: boolean,
  shape: Parameters<typeof analyzeParagraph>[2],
  otherIsCopy: boolean,
): { indices: number[]; similarity: number } | null {
  const scoreOf = (joined: AnalyzedParagraph) => {
    const s = otherIsCopy ? scoreParagraphs(joined, other, crossLanguage) : scoreParagraphs(other, joined, crossLanguage)
    return { jaccard: s.jaccard, containment: s.containment, reworded: s.reworded }
  }
  const start = scoreOf(self)
  // Shared wording is measured by Jaccard; in a translation, by the reworded score.
  const lexical = !translation && start.containment >= PARAGRAPH_THRESHOLDS.edited
  const key = (s: ReturnType<typeof scoreOf>) => (lexical ? s.jaccard : s.reworded)
  let indices = [at]
  let best = start
  for (const dir of [-1, 1]) {
    for (let k = at + dir; k >= 0 && k < side.length; k += dir) {
      const piece = side[k] as AnalyzedParagraph
      if (used.has(k) || isHeading(piece)) break
      const alone = otherIsCopy ? scoreParagraphs(piece, other, crossLanguage) : scoreParagraphs(other, piece, crossLanguage)
      if (!matches(alone)) break
      const next = dir < 0 ? [k, ...indices] : [...indices, k]
      const joined = joinParagraphs(side, next, shape)
      if (!joined) break
      const s = scoreOf(joined)
      if (key(s) <= key(best)) break
      indices = next
      best = s
    }
  }
  if (indices.length === 1) return null
  return { indices, similarity: round(lexical ? Math.max(best.containment, best.jaccard) : best.reworded) }
}

function joinParagraphs(
  side: readonly AnalyzedParagraph[],
  indices: number[],
  shape: Parameters<typeof analyzeParagraph>[2],
): AnalyzedParagraph | null {
  const first = side[indices[0] as number] as AnalyzedParagraph
  const last = side[indices[indices.length - 1] as number] as AnalyzedParagraph
  const text = indices.map((i) => (side[i] as AnalyzedParagraph).text).join(PARAGRAPH_JOINER)
  const p = analyzeParagraph({ start: first.start, end: last.end, kind: first.kind, text }, first.index, shape)
  if (p && first.lang) p.lang = first.lang
  return p
}

/**
 * Rows in reference order; each added paragraph after the row holding the copy paragraph before
 * it, past the cut rows that directly follow that row. Added paragraphs at the copy's start come
 * before the first row that holds a copy paragraph.
 */
function orderRows(
  pa: readonly AnalyzedParagraph[],
  pb: readonly AnalyzedParagraph[],
  groups: Group[],
  rowOf: (g: Group) => ParagraphDiff,
): ParagraphDiff[] {
  const groupOfRef = new Map<number, Group>()
  const groupOfCopy = new Map<number, Group>()
  for (const g of groups) {
    for (const i of g.ref) groupOfRef.set(i, g)
    for (const j of g.copy) groupOfCopy.set(j, g)
  }
  // Added copy paragraphs, keyed by what they follow: a group, or the start (null).
  const after = new Map<Group | null, number[]>()
  for (let j = 0; j < pb.length; j++) {
    if (groupOfCopy.has(j)) continue
    let k = j - 1
    while (k >= 0 && !groupOfCopy.has(k)) k--
    const anchor = k < 0 ? null : (groupOfCopy.get(k) as Group)
    const list = after.get(anchor) ?? []
    list.push(j)
    after.set(anchor, list)
  }
  const added = (j: number): ParagraphDiff => {
    const p = pb[j] as AnalyzedParagraph
    return { status: 'added', copy: [j], copyText: p.text, kind: p.kind }
  }
  const out: ParagraphDiff[] = []
  let pending = after.get(null) ?? []
  const flush = () => {
    for (const j of pending) out.push(added(j))
    pending = []
  }
  for (let i = 0; i < pa.length; i++) {
    const g = groupOfRef.get(i)
    if (!g) {
      const p = pa[i] as AnalyzedParagraph
      out.push({ status: 'cut', reference: [i], referenceText: p.text, kind: p.kind })
      continue
    }
    if (g.ref[0] !== i) continue
    flush()
    out.push(rowOf(g))
    pending = after.get(g) ?? []
  }
  flush()
  return out
}

function summarize(pa: readonly AnalyzedParagraph[], pb: readonly AnalyzedParagraph[], rows: ParagraphDiff[]): DiffSummary {
  const counts: Record<ParagraphStatus, number> = { kept: 0, edited: 0, reworded: 0, translated: 0, moved: 0, added: 0, cut: 0 }
  let refTotal = 0
  let copyTotal = 0
  let carried = 0
  let original = 0
  for (const p of pa) refTotal += p.text.length
  for (const p of pb) copyTotal += p.text.length
  for (const r of rows) {
    counts[r.status]++
    if (r.status === 'added') for (const j of r.copy ?? []) original += (pb[j] as AnalyzedParagraph).text.length
    else if (r.status !== 'cut') for (const i of r.reference ?? []) carried += (pa[i] as AnalyzedParagraph).text.length
  }
  return {
    referenceCarried: refTotal === 0 ? 0 : round(carried / refTotal),
    copyOriginal: copyTotal === 0 ? 0 : round(original / copyTotal),
    counts,
  }
}
