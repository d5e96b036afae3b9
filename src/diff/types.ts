import type { Relation } from '../compare/compare.js'
import type { DerivationModel } from '../compare/model.js'
import type { RemovedText } from '../text/boilerplate.js'
import type { ParagraphKind } from '../text/segment.js'

/** What an outlet did with one paragraph. */
export type ParagraphStatus = 'kept' | 'edited' | 'reworded' | 'translated' | 'moved' | 'added' | 'cut'

/** A word-level change inside an edited paragraph; applying them in order to the reference paragraph rebuilds the copy's. */
export interface InlineChange {
  op: 'equal' | 'insert' | 'delete'
  text: string
}

/** Options for {@link diffWords}. */
export interface DiffWordsOptions {
  /**
   * Fold runs of changes separated only by whitespace into one delete and one insert, so that a
   * rewritten phrase reads as one change rather than word by word. @default true
   */
  joinChanges?: boolean
}

/** Options for {@link diffArticles}. */
export interface DiffOptions {
  /**
   * The copy's relation to the reference, when it is already known (a cluster member's relation);
   * otherwise it is computed with `compare`. @default undefined
   */
  relation?: Relation
  /** The derivation model used to compute the relation when it is not given. @default DEFAULT_MODEL */
  model?: DerivationModel
  /**
   * In a translation, paragraphs left unaligned between two aligned pairs are paired when their
   * score (the larger of shingle containment and the reworded score) reaches this: the order of
   * a translation is evidence in itself. @default 0.12
   */
  translationGapScore?: number
  /** Word-level `changes` on edited (and moved) rows. @default true */
  inlineChanges?: boolean
}

/** Options for {@link diffCluster}. */
export interface DiffClusterOptions {
  /** The derivation model used to compute a member's relation when the cluster does not give it. @default DEFAULT_MODEL */
  model?: DerivationModel
  /** See {@link DiffOptions.translationGapScore}. @default 0.12 */
  translationGapScore?: number
  /** See {@link DiffOptions.inlineChanges}. @default true */
  inlineChanges?: boolean
  /**
   * Additions that two or more members share (a paragraph of the wire story the reference lacks)
   * become one story paragraph with `addition: false`. Off: every addition stays its outlet's own. @default true
   */
  sharedAdditions?: boolean
}

/** One row of an article diff: a reference paragraph, a copy paragraph, or a pair of them. */
export interface ParagraphDiff {
  status: ParagraphStatus
  /** Index of the paragraph in the reference (absent for `added`). Several for a merge. */
  reference?: number[]
  /** Index of the paragraph in the copy (absent for `cut`). Several for a split. */
  copy?: number[]
  /** `split`: one reference paragraph became several; `merge`: several became one (absent for `added`/`cut`). */
  shape?: 'one-to-one' | 'split' | 'merge'
  /** Similarity of the pair in [0, 1] (absent for `added`/`cut`). */
  similarity?: number
  /**
   * The reference paragraph's cleaned text; several are joined by a blank line (`\n\n`).
   * Absent for `added`, and in a compact diff (see {@link ArticleDiff.texts}).
   */
  referenceText?: string
  /**
   * The copy paragraph's cleaned text; several are joined by a blank line (`\n\n`). Absent for
   * `cut`, and in a compact diff where it equals the reference text (see {@link ArticleDiff.texts}).
   */
  copyText?: string
  /** Kind of the reference paragraph (of the copy's for `added`). */
  kind?: ParagraphKind
  /** For `edited` (and `moved` with changes): the word-level changes from `referenceText` to `copyText`. */
  changes?: InlineChange[]
  /** Languages of the pair when it is `translated` or `reworded` (where known). */
  languages?: { reference?: string; copy?: string }
}

/** Per-outlet summary of a diff. */
export interface DiffSummary {
  /** Share of the reference's text (characters) that the copy carries (kept, edited, moved or translated). */
  referenceCarried: number
  /** Share of the copy's own text (characters) that is original (added). */
  copyOriginal: number
  counts: Record<ParagraphStatus, number>
}

/** The paragraph diff of one copy against its reference. */
export interface ArticleDiff {
  kind: 'article-diff'
  /** 2: the `texts` field and compact member diffs (version 1 diffs always carried both texts). */
  version: 2
  /**
   * `full` (what {@link diffArticles} returns): every row carries its `referenceText` and
   * `copyText`. `compact` (a member's diff inside a {@link ClusterDiff}): rows leave out
   * `referenceText`, which the cluster diff's story holds (its reference rows, by paragraph), and
   * `copyText` where it is the same string as the reference text (most `kept` rows); `memberDiff`
   * restores the full form.
   */
  texts: 'full' | 'compact'
  reference: string
  copy: string
  relation: Relation
  paragraphs: ParagraphDiff[]
  summary: DiffSummary
  /** Boilerplate removed from each side by the text pipeline: never counted as added or cut. */
  boilerplate: { reference: RemovedText[]; copy: RemovedText[] }
}

/**
 * What one outlet did with one paragraph of the reconstructed wire story: `reference` on the
 * reference's own paragraphs; otherwise as the statuses of {@link ParagraphStatus} (`carried` is
 * `kept`). An outlet's own addition is `carried` by it, on a story paragraph with `addition: true`.
 */
export type MatrixCell = 'carried' | 'edited' | 'reworded' | 'translated' | 'moved' | 'cut' | 'reference'

/** A paragraph of the reconstructed wire story and what each outlet did with it. */
export interface StoryParagraph {
  /**
   * Where it comes from: the reference's paragraph, or a member's paragraph the reference lacks
   * (for a shared one, the first member in cluster order that carries it).
   */
  origin: { article: string; paragraph: number }
  text: string
  kind: ParagraphKind
  /**
   * Outlet (member id, the reference first) → what it did with this paragraph. Every member has a
   * cell on the reference's paragraphs; on other paragraphs only the members that carry it do.
   */
  cells: Record<string, MatrixCell>
  /**
   * True when only one outlet carries it (its own addition). False for the wire text: the
   * reference's paragraphs, and paragraphs that two or more members share but the reference lacks.
   */
  addition: boolean
}

/** Diff of a whole cluster: every member against the reference, and the wire story × outlet matrix. */
export interface ClusterDiff {
  kind: 'cluster-diff'
  /** 2: member diffs are compact (see {@link ArticleDiff.texts}). */
  version: 2
  reference: string
  /** Member ids, the reference first, in the cluster's order. */
  members: string[]
  /** Member id → language (where known). */
  languages: Record<string, string>
  /**
   * One diff per member other than the reference, in `members` order, each compact
   * (`texts: 'compact'`): `memberDiff(clusterDiff, id)` gives one with its texts.
   */
  diffs: ArticleDiff[]
  /**
   * The wire story: the reference's paragraphs in order (the rows whose `origin.article` is the
   * reference: what the member diffs' `reference` indices point at), each member's additions
   * after the paragraph they follow.
   */
  story: StoryParagraph[]
}
