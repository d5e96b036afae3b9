import type { Relation } from '../compare/compare.js'
import type { ArticleDiff, DiffSummary, MatrixCell, ParagraphStatus } from '../diff/types.js'

/** How a paragraph status is shown: a letter (readable without colour), a label and a sentence. */
export interface StatusStyle {
  letter: string
  label: string
  description: string
}

/** Paragraph statuses in legend order, each with its letter. */
export const STATUS_STYLES: Readonly<Record<ParagraphStatus, StatusStyle>> = {
  kept: { letter: 'K', label: 'kept', description: 'taken over unchanged' },
  edited: { letter: 'E', label: 'edited', description: 'taken over with word changes' },
  reworded: { letter: 'W', label: 'reworded', description: 'the same paragraph in other words, same language' },
  translated: { letter: 'T', label: 'translated', description: 'the same paragraph in another language' },
  moved: { letter: 'M', label: 'moved', description: 'taken over at another place' },
  added: { letter: 'A', label: 'added', description: 'the outlet’s own text' },
  cut: { letter: 'C', label: 'cut', description: 'in the reference, left out by the outlet' },
}

export const STATUS_ORDER = Object.keys(STATUS_STYLES) as ParagraphStatus[]

/** Matrix cells: what an outlet did with a paragraph of the wire story. */
export const CELL_STYLES: Readonly<Record<MatrixCell | 'absent' | 'addition', StatusStyle>> = {
  reference: { letter: 'R', label: 'reference', description: 'the reference’s own paragraph' },
  carried: { letter: 'K', label: 'kept', description: 'carried unchanged' },
  edited: { letter: 'E', label: 'edited', description: 'carried with word changes' },
  reworded: { letter: 'W', label: 'reworded', description: 'carried in other words, same language' },
  translated: { letter: 'T', label: 'translated', description: 'carried in another language' },
  moved: { letter: 'M', label: 'moved', description: 'carried at another place' },
  addition: { letter: 'A', label: 'added', description: 'the outlet’s own paragraph' },
  cut: { letter: 'C', label: 'cut', description: 'left out' },
  absent: { letter: '·', label: 'absent', description: 'not in this article' },
}

export const CELL_ORDER = Object.keys(CELL_STYLES) as (MatrixCell | 'absent' | 'addition')[]

/** What each relation means, for legends and tooltips. */
export const RELATION_DESCRIPTIONS: Readonly<Record<Relation | 'reference', string>> = {
  reference: 'the cluster’s reference: the wire text the others are compared with',
  duplicate: 'near-identical to the reference',
  copy: 'mostly taken from the reference, word for word',
  rewrite: 'mostly derived from the reference, reworded in the same language',
  partial: 'part of it derives from the reference; the rest is its own',
  translation: 'derived from the reference through another language',
  related: 'same story, independent text',
  unrelated: 'little in common',
}

/** The cell an outlet has for a story paragraph, with additions told apart from carried wire text. */
export function cellOf(
  paragraph: { cells: Record<string, MatrixCell>; addition: boolean; origin: { article: string } },
  member: string,
): MatrixCell | 'absent' | 'addition' {
  const cell = paragraph.cells[member]
  if (cell === undefined) return 'absent'
  if (paragraph.addition && paragraph.origin.article === member && cell !== 'cut') return 'addition'
  return cell
}

/** A ratio in [0, 1] as a whole percentage. */
export const percent = (x: number): string => `${Math.round(x * 100)}%`

/** The non-zero paragraph counts of a diff, in legend order: `kept 11 · cut 34`. */
export function describeCounts(summary: DiffSummary): string {
  return STATUS_ORDER.filter((k) => (summary.counts[k] ?? 0) > 0)
    .map((k) => `${k} ${summary.counts[k]}`)
    .join(' · ')
}

/** The warning about articles a flood left out: the CLI's stderr, the text and HTML reports. */
export function leftOutWarning(n: number): string {
  return `${n} article${n === 1 ? '' : 's'} shared an LSH bucket too large to compare pair by pair (over maxBucket), matched none of the bucket's leaders and ended in no cluster: a copy of ${n === 1 ? 'it' : 'theirs'} in that bucket may have been missed. Many distinct stories cut from one template do this; raising maxBucket (--max-bucket) compares such buckets in full, at a cost that grows with the square of their size`
}

/** Why a renderer of one article diff refuses a member's compact diff, and what to pass instead. */
export function compactMessage(fn: string, diff: ArticleDiff): string {
  return `${fn}: the diff of "${diff.copy}" is compact (texts: 'compact', a member's diff inside a cluster diff): pass memberDiff(clusterDiff, ${JSON.stringify(diff.copy)}), which restores its texts`
}
