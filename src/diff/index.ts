// The paragraph diff: what each outlet did with each paragraph of the wire story.

export { DEFAULT_DIFF_OPTIONS, diffArticles, sameWording } from './article.js'
export { DEFAULT_DIFF_CLUSTER_OPTIONS, diffCluster } from './cluster.js'
export { memberDiff, PARAGRAPH_JOINER } from './texts.js'
export type {
  ArticleDiff,
  ClusterDiff,
  DiffClusterOptions,
  DiffOptions,
  DiffSummary,
  DiffWordsOptions,
  InlineChange,
  MatrixCell,
  ParagraphDiff,
  ParagraphStatus,
  StoryParagraph,
} from './types.js'
export { applyChanges, DEFAULT_DIFF_WORDS_OPTIONS, diffWords, wordTokens } from './words.js'
