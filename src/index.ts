// wiretrace core: text → sketch → lsh → compare → cluster → diff → report. Imports nothing from Node.

import { detectAll } from 'tinyld'
import { setNgramModel } from './text/lang.js'

// Language identification's n-gram model, loaded with the package (the CLI loads it on first need).
setNgramModel(detectAll)

// text
export { analyze, DEFAULT_ANALYZE_OPTIONS, validateArticle } from './analyze.js'
export { extractAnchors, nameKey } from './text/anchors.js'
export { DEFAULT_BOILERPLATE_RULES, learnBoilerplate } from './text/boilerplate.js'
export { detectLanguage, identifyLanguage } from './text/lang.js'
export { normalizeText } from './text/normalize.js'
export { classifyParagraph, segmentParagraphs } from './text/segment.js'
export { hashTokens, normalizeNumber, tokenize } from './text/tokenize.js'
// sketch
export { fmix32, hashString } from './sketch/hash.js'
export { containmentFromJaccard, estimateJaccard, minhash } from './sketch/minhash.js'
export { deserializeFingerprint, serializeFingerprint } from './sketch/serialize.js'
export { charShingles, wordShingles } from './sketch/shingle.js'
export { signText } from './sketch/sign.js'
// lsh
export { BatchStore, batchCandidatePairs } from './lsh/batch.js'
export { DEFAULT_INDEX_OPTIONS, LshIndex, SharedIndex } from './lsh/lsh.js'
export { collisionProbability, optimalParams } from './lsh/params.js'
export { MemoryStore } from './lsh/store.js'
// compare
export { alignParagraphs, PARAGRAPH_THRESHOLDS } from './compare/align.js'
export { calibrate } from './compare/calibrate.js'
export { compare, LINKING_RELATIONS } from './compare/compare.js'
export { DEFAULT_MODEL } from './compare/default-model.js'
export { FEATURE_NAMES, fitModel, loadModel, MODEL_FORMAT, MODEL_VERSION } from './compare/model.js'
export { greedyTiles } from './compare/tiling.js'
// cluster
export { clusterAnalyses, clusterArticles } from './cluster/cluster.js'
export { Detector } from './cluster/detector.js'
export { DEFAULT_MIN_CONFIDENCE } from './cluster/engine.js'
// diff
export {
  applyChanges,
  DEFAULT_DIFF_CLUSTER_OPTIONS,
  DEFAULT_DIFF_OPTIONS,
  DEFAULT_DIFF_WORDS_OPTIONS,
  diffArticles,
  diffCluster,
  diffWords,
  memberDiff,
  PARAGRAPH_JOINER,
  sameWording,
  wordTokens,
} from './diff/index.js'
// report
export {
  articleHeadline,
  buildReport,
  CELL_STYLES,
  CSV_COLUMNS,
  DEFAULT_FILTER_OPTIONS,
  DEFAULT_HTML_OPTIONS,
  DEFAULT_TEXT_OPTIONS,
  escapeHtml,
  filterReport,
  formatCsv,
  formatDiffText,
  formatText,
  keepList,
  parseReport,
  RELATION_DESCRIPTIONS,
  REPORT_FORMAT,
  REPORT_VERSION,
  renderDiffHtml,
  renderHtml,
  STATUS_STYLES,
} from './report/index.js'
export { WiretraceError } from './errors.js'

export type { Analysis, AnalysisOk, AnalysisSkipped, AnalyzedParagraph, AnalyzeOptions, Article, SkipReason } from './analyze.js'
export type { Anchor } from './text/anchors.js'
export type { BoilerplateRule, LearnBoilerplateOptions, LearnedBoilerplate, RemovedText } from './text/boilerplate.js'
export type { LanguageGuess } from './text/lang.js'
export type { NormalizeOptions } from './text/normalize.js'
export type { ParagraphKind, Segment } from './text/segment.js'
export type { Token } from './text/tokenize.js'
export type { Fingerprint, ParagraphSketch, SketchParams } from './sketch/fingerprint.js'
export type { MinHashScheme } from './sketch/minhash.js'
export type { SerializedFingerprint } from './sketch/serialize.js'
export type { SignOptions, TextSignature } from './sketch/sign.js'
export type { BatchStats } from './lsh/batch.js'
export type { IndexOptions } from './lsh/lsh.js'
export type { LshParams } from './lsh/params.js'
export type { BandKeys, IndexStore, StoreEntry } from './lsh/store.js'
export type { AlignedPair, MatchKind } from './compare/align.js'
export type {
  Cluster,
  ClusterMember,
  ClusterOptions,
  ClusterProgress,
  ClusterResult,
  ReferenceRule,
  SkippedArticle,
} from './cluster/cluster.js'
export type { CalibrateOptions, Calibration, CalibrationLabel, LabelledPair } from './compare/calibrate.js'
export type { CompareOptions, Comparison, Mode, Relation } from './compare/compare.js'
export type { Evidence } from './compare/evidence.js'
export type { DerivationModel, Example, Extent, FeatureName, FitOptions } from './compare/model.js'
export type { Passage } from './compare/passages.js'
export type { Tile } from './compare/tiling.js'
export type { Detection, DetectorOptions } from './cluster/detector.js'
export type { LinkFloors } from './cluster/engine.js'
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
} from './diff/index.js'
export type {
  BuildReportOptions,
  FilterOptions,
  HtmlOptions,
  Report,
  ArticleOrigin,
  ReportArticle,
  ReportBoilerplate,
  ReportCluster,
  ReportLink,
  ReportMember,
  ReportSkipped,
  ReportStats,
  StatusStyle,
  TextOptions,
} from './report/index.js'
export type { WiretraceErrorCode } from './errors.js'
