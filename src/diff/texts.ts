// A member's diff inside a cluster diff leaves out the texts the cluster diff already holds: the
// reference's paragraphs are its story's reference rows, and a kept paragraph's copy text is
// the reference's. Ten thousand reprints of one story otherwise repeat its text 20,000 times.
import { describeValue, invalid } from '../errors.js'
import type { ArticleDiff, ClusterDiff, ParagraphDiff } from './types.js'

/** Several paragraphs of one side, as one row, are joined by a blank line. */
export const PARAGRAPH_JOINER = '\n\n'

/** The text of the paragraphs `indices` of one side, joined as a row joins them. */
function joined(texts: readonly (string | undefined)[], indices: readonly number[]): string | undefined {
  if (indices.length === 1) return texts[indices[0] as number]
  const parts: string[] = []
  for (const i of indices) {
    const t = texts[i]
    if (t === undefined) return undefined
    parts.push(t)
  }
  return parts.join(PARAGRAPH_JOINER)
}

/**
 * The compact form of a full article diff against the reference's paragraph texts: a row keeps
 * `referenceText` only where it is not those paragraphs' text, and `copyText` only where it
 * differs from the reference text. Lossless: {@link restoreTexts} gives the full diff back.
 */
export function compactDiff(
  d: ArticleDiff,
  referenceTexts: readonly (string | undefined)[],
  compacted?: Map<ParagraphDiff, ParagraphDiff>,
): ArticleDiff {
  const compact = (p: ParagraphDiff): ParagraphDiff => {
    const dropReference = p.reference !== undefined && p.referenceText === joined(referenceTexts, p.reference)
    const dropCopy = p.reference !== undefined && p.copyText === p.referenceText
    if (!dropReference && !dropCopy) return p
    // The other keys in their order: a compact row reads like the full one, less the texts.
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(p)) {
      if ((k === 'referenceText' && dropReference) || (k === 'copyText' && dropCopy)) continue
      out[k] = v
    }
    return out as unknown as ParagraphDiff
  }
  // `compacted`, kept across diffs against the same reference texts: a row shared by several
  // diffs (diffChecked's `rows`) is made compact once, and stays shared.
  const paragraphs = d.paragraphs.map((p) => {
    if (!compacted) return compact(p)
    let c = compacted.get(p)
    if (!c) compacted.set(p, (c = compact(p)))
    return c
  })
  return { ...d, texts: 'compact', paragraphs }
}

// A full row's keys in the order diffArticles writes them, so that a restored diff is the same JSON.
const ROW_KEYS = [
  'status',
  'reference',
  'copy',
  'shape',
  'similarity',
  'referenceText',
  'copyText',
  'kind',
  'changes',
  'languages',
] as const

/**
 * The full form of a compact member diff, given the reference's paragraph texts (by index;
 * `undefined` where unknown). A row that points at a reference paragraph the texts lack is an
 * INVALID_ARGUMENT: a compact diff is read with its own cluster diff's story.
 */
export function restoreTexts(d: ArticleDiff, referenceTexts: readonly (string | undefined)[]): ArticleDiff {
  if (d.texts !== 'compact') return d
  const paragraphs = d.paragraphs.map((p, r): ParagraphDiff => {
    let referenceText = p.referenceText
    if (referenceText === undefined && p.reference) {
      referenceText = joined(referenceTexts, p.reference)
      if (referenceText === undefined) {
        throw invalid(
          `memberDiff: row ${r} of the diff of "${d.copy}" refers to reference paragraph(s) ${p.reference.join(', ')}, which the cluster diff's story lacks`,
        )
      }
    }
    const copyText = p.copyText ?? (p.copy ? referenceText : undefined)
    const full: Record<string, unknown> = { ...p, referenceText, copyText }
    const out: Record<string, unknown> = {}
    for (const k of ROW_KEYS) if (full[k] !== undefined) out[k] = full[k]
    for (const k of Object.keys(p)) if (!(k in out)) out[k] = full[k]
    return out as unknown as ParagraphDiff
  })
  return { ...d, texts: 'full', paragraphs }
}

/** The reference's paragraph texts, by index, as a cluster diff's story holds them. */
export function referenceTexts(d: ClusterDiff): (string | undefined)[] {
  const texts: (string | undefined)[] = []
  for (const p of d.story) if (p.origin.article === d.reference) texts[p.origin.paragraph] = p.text
  return texts
}

/**
 * Every member's diff of a cluster diff in full form, with its texts, in `diffs` order.
 * Internal: what the renderers read.
 */
export function fullDiffs(d: ClusterDiff): ArticleDiff[] {
  if (!d.diffs.some((x) => x.texts === 'compact')) return d.diffs
  const texts = referenceTexts(d)
  return d.diffs.map((x) => restoreTexts(x, texts))
}

/**
 * One member's diff from a cluster diff (from {@link diffCluster}, or a report's `cluster.diff`),
 * with every row's `referenceText` and `copyText` restored: the same article diff as
 * {@link diffArticles} gives for that member (`texts: 'full'`). Within a cluster diff, member diffs
 * are compact: a row leaves out the reference's text, which the story's reference rows hold, and
 * a copy text equal to it.
 *
 * @example
 * const d = diffCluster(clusterArticles(articles).clusters[0], analyses)
 * d.diffs[0].paragraphs[1].copyText              // undefined: kept, the same text as the reference's
 * memberDiff(d, '000').paragraphs[1].copyText    // 'A war monitor said late Saturday …'
 */
export function memberDiff(diff: ClusterDiff, copy: string): ArticleDiff {
  if (!diff || typeof diff !== 'object' || diff.kind !== 'cluster-diff' || !Array.isArray(diff.diffs)) {
    throw invalid(`memberDiff: diff must be a cluster diff (from diffCluster() or a report), got ${describeValue(diff)}`)
  }
  const d = typeof copy === 'string' ? diff.diffs.find((x) => x.copy === copy) : undefined
  if (d === undefined) {
    throw invalid(
      `memberDiff: copy must be the id of a member (other than the reference) of the cluster diff of "${diff.reference}", got ${describeValue(copy)}`,
    )
  }
  return restoreTexts(d, referenceTexts(diff))
}
