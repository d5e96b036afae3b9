// Reports: a versioned JSON document, terminal text and a self-contained HTML page.
// Browser-safe: nothing here imports from Node.

export { articleHeadline, buildReport, parseReport, REPORT_FORMAT, REPORT_VERSION } from './build.js'
export { CSV_COLUMNS, DEFAULT_FILTER_OPTIONS, filterReport, formatCsv, keepList } from './dedup.js'
export { DEFAULT_HTML_OPTIONS, escapeHtml, renderDiffHtml, renderHtml } from './html.js'
export type { StatusStyle } from './legend.js'
export { CELL_STYLES, RELATION_DESCRIPTIONS, STATUS_STYLES } from './legend.js'
export { DEFAULT_TEXT_OPTIONS, formatDiffText, formatText } from './text.js'
export type {
  ArticleOrigin,
  BuildReportOptions,
  FilterOptions,
  HtmlOptions,
  Report,
  ReportArticle,
  ReportBoilerplate,
  ReportCluster,
  ReportLink,
  ReportMember,
  ReportSkipped,
  ReportStats,
  TextOptions,
} from './types.js'
