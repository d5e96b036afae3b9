import type { Analysis, AnalyzedParagraph, Article } from '../analyze.js'
import type { ClusterMember, ClusterResult } from '../cluster/cluster.js'
import type { Comparison } from '../compare/compare.js'
import { compactDiff, referenceTexts } from '../diff/texts.js'
import type { ArticleDiff, ClusterDiff } from '../diff/types.js'
import { argOptions, describeValue, invalid, WiretraceError } from '../errors.js'
import type { RemovedText } from '../text/boilerplate.js'
import type {
  ArticleOrigin,
  BuildReportOptions,
  Report,
  ReportArticle,
  ReportBoilerplate,
  ReportCluster,
  ReportLink,
  ReportMember,
  ReportSkipped,
} from './types.js'

/** The `format` tag of every report. */
export const REPORT_FORMAT = 'wiretrace/report'
/** The report format version this build writes and reads (it also reads version 4, see {@link parseReport}). */
export const REPORT_VERSION = 5

/** The oldest report version {@link parseReport} reads: 4, whose member diffs carry both texts in full. */
const OLDEST_READ = 4

/** The cluster-diff version of each report version read. */
const CLUSTER_DIFF_VERSION: Record<number, number> = { 4: 1, 5: 2 }

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Put a clustering, its diffs and (optionally) the analyses into one versioned, JSON-safe report:
 * the data a program wants, and what {@link formatText} and {@link renderHtml} show.
 * Diffs are matched to clusters by their reference. The output order is fixed by the data,
 * and there is no timestamp unless `generatedAt` is given, so equal inputs give equal reports.
 *
 * @example
 * const analyses = articles.map((a) => analyze(a))
 * const ok = analyses.filter((a) => a.status === 'ok')
 * const result = clusterArticles(articles)
 * const report = buildReport(result, result.clusters.map((c) => diffCluster(c, ok)), { analyses })
 * report.clusters[0].diff?.diffs.length // 3: one per copy
 * JSON.stringify(report)                 // a `wiretrace/report` version 5 document
 */
export function buildReport(result: ClusterResult, diffs: readonly ClusterDiff[] = [], options: BuildReportOptions = {}): Report {
  argOptions('buildReport', 'options', options)
  if (!result || typeof result !== 'object' || result.kind !== 'clustering') {
    throw invalid(`buildReport: result must be the result of clusterArticles(), got ${describeValue(result)}`)
  }
  if (!Array.isArray(diffs)) throw invalid(`buildReport: diffs must be an array of cluster diffs, got ${describeValue(diffs)}`)
  const views = new Map<string, ArticleView>()
  for (const a of options.analyses ?? []) {
    if (a?.kind !== 'analysis')
      throw invalid(`buildReport: options.analyses must hold results of analyze(), got ${describeValue(a)}`)
    views.set(a.id, articleView(a))
  }
  return reportFromViews(result, diffs, views, options)
}

/**
 * What a report reads of an article's analysis. The CLI's scan builds these from what its
 * workers send back (src/node/views.ts) instead of keeping every analysis on the main thread.
 */
export interface ArticleView {
  article: Article
  /** The analysis's language, else the record's. */
  lang: string | undefined
  /** The heading paragraph's text, for an article without a title (see {@link articleHeadline}). */
  heading: string | undefined
  /** Paragraph spans, for analysed articles. */
  spans: [number, number][] | undefined
  removed: RemovedText[]
}

/** The view of one analysis. */
export function articleView(a: Analysis): ArticleView {
  const ok = a.status === 'ok'
  return {
    article: a.article,
    lang: ok ? (a.lang ?? a.article.lang) : a.article.lang,
    heading: ok ? headingOf(a.paragraphs) : undefined,
    spans: ok ? a.paragraphs.map((p): [number, number] => [p.start, p.end]) : undefined,
    removed: a.removed,
  }
}

/** {@link buildReport} on article views (checked result and diffs, views by id). Internal: the CLI's scan. */
export function reportFromViews(
  result: ClusterResult,
  diffs: readonly ClusterDiff[],
  analyses: ReadonlyMap<string, ArticleView>,
  options: Omit<BuildReportOptions, 'analyses'>,
): Report {
  const generatedAt = stamp(options.generatedAt)
  const stored = options.stored === undefined ? undefined : storedIds(options.stored)
  const origin = (id: string): { origin?: ArticleOrigin } =>
    stored === undefined ? {} : { origin: stored.has(id) ? 'stored' : 'new' }

  const diffByReference = new Map<string, ClusterDiff>()
  diffs.forEach((d, i) => {
    if (d?.kind !== 'cluster-diff') throw invalid(`buildReport: diffs[${i}] must be a cluster diff, got ${describeValue(d)}`)
    if (diffByReference.has(d.reference)) throw invalid(`buildReport: two diffs have reference "${d.reference}"`)
    diffByReference.set(d.reference, d)
  })
  const clusters: ReportCluster[] = result.clusters.map((c) => {
    const diff = diffByReference.get(c.reference) ?? null
    diffByReference.delete(c.reference)
    const members = c.members.map((m) => ({ ...describeMember(m, analyses.get(m.id)), ...origin(m.id) }))
    const headline = members.find((m) => m.headline !== undefined)?.headline
    return {
      kind: 'cluster',
      id: c.id,
      reference: c.reference,
      referenceRule: c.referenceRule,
      ...(headline !== undefined ? { headline } : {}),
      members,
      diff,
    }
  })
  const [stray] = diffByReference.keys()
  if (stray !== undefined) throw invalid(`buildReport: the diff with reference "${stray}" matches no cluster of the result`)

  const singletons = [...result.singletons]
    .sort(byString)
    .map((id) => ({ ...describeArticle(id, analyses.get(id)), ...origin(id) }))
  const skipped: ReportSkipped[] = [...result.skipped]
    .sort((a, b) => byString(a.id, b.id))
    .map((s) => ({ ...describeArticle(s.id, analyses.get(s.id)), ...origin(s.id), reason: s.reason, detail: s.detail }))
  const links = result.links.map(compactLink).sort((x, y) => byString(x.a, y.a) || byString(x.b, y.b))
  const boilerplate = collectBoilerplate(clusters, singletons, skipped, analyses)

  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    ...(generatedAt ? { generatedAt } : {}),
    clusters,
    singletons,
    skipped,
    links,
    boilerplate,
    stats: {
      articles: result.stats.articles,
      analysed: result.stats.analysed,
      skipped: result.stats.skipped,
      candidatePairs: result.stats.candidatePairs,
      screenedOut: result.stats.screenedOut,
      linkedPairs: result.stats.linkedPairs,
      oversizedBuckets: result.stats.oversizedBuckets,
      copies: result.stats.copies,
      leftOut: result.stats.leftOut,
      templates: result.stats.templates,
      clusters: clusters.length,
      clustered: clusters.reduce((n, c) => n + c.members.length, 0),
      singletons: singletons.length,
      boilerplateRemoved: boilerplate.reduce((n, b) => n + b.removed.length, 0),
    },
  }
}

function storedIds(ids: Iterable<string>): Set<string> {
  if (ids === null || typeof (ids as Iterable<string>)[Symbol.iterator] !== 'function' || typeof ids === 'string')
    throw invalid(`buildReport: options.stored must be an iterable of article ids, got ${describeValue(ids)}`)
  const out = new Set<string>()
  for (const id of ids) {
    if (typeof id !== 'string')
      throw invalid(`buildReport: options.stored must hold article ids (strings), got ${describeValue(id)}`)
    out.add(id)
  }
  return out
}

function stamp(at: Date | string | undefined): string | undefined {
  if (at === undefined) return undefined
  const t = at instanceof Date ? at.getTime() : typeof at === 'string' ? Date.parse(at) : Number.NaN
  if (Number.isNaN(t)) throw invalid(`buildReport: generatedAt must be a valid Date or ISO 8601 string, got ${describeValue(at)}`)
  return new Date(t).toISOString()
}

/**
 * An article's headline: the record's `title`, else its heading paragraph (a short first
 * paragraph that does not end a sentence, as the segmenter classes it), else none.
 *
 * @example
 * articleHeadline(analyze({ id: 'x', text: 'Rebels take Homs\nBEIRUT — Rebels said on Sunday…' })) // 'Rebels take Homs'
 */
export function articleHeadline(analysis: Analysis | undefined, title = analysis?.article.title): string | undefined {
  if (analysis !== undefined && (analysis === null || (analysis as Analysis).kind !== 'analysis'))
    throw invalid(`articleHeadline: analysis must be a result of analyze() or undefined, got ${describeValue(analysis)}`)
  if (title !== undefined && typeof title !== 'string')
    throw invalid(`articleHeadline: title must be a string, got ${describeValue(title)}`)
  return oneLine(title) || (analysis?.status === 'ok' ? headingOf(analysis.paragraphs) : undefined)
}

/** A view's headline: the title given, else its heading (articleHeadline's rule). */
function viewHeadline(view: ArticleView | undefined, title = view?.article.title): string | undefined {
  return oneLine(title) || view?.heading
}

/** Text on one line: runs of white space as one space, none at the ends. */
function oneLine(text: string | undefined): string | undefined {
  return text?.replace(/\s+/g, ' ').trim()
}

function headingOf(paragraphs: readonly Pick<AnalyzedParagraph, 'kind' | 'text'>[]): string | undefined {
  // Only before the first body paragraph: a later short line is a crosshead, not the headline.
  for (const p of paragraphs) {
    if (p.kind === 'heading') return oneLine(p.text) || undefined
    if (p.kind === 'body') return undefined
  }
  return undefined
}

function describeMember(m: ClusterMember, view: ArticleView | undefined): ReportMember {
  const { id, title, ...rest } = m
  const a = view?.article
  const headline = viewHeadline(view, title ?? a?.title)
  const url = m.url ?? a?.url
  // Keep the member's key order (id first), with the headline beside the other metadata.
  return {
    id,
    ...(headline !== undefined ? { headline } : {}),
    ...rest,
    ...(url !== undefined ? { url } : {}),
    ...(view?.spans ? { spans: view.spans.map(([s, e]): [number, number] => [s, e]) } : {}),
  }
}

function describeArticle(id: string, view: ArticleView | undefined): ReportArticle {
  const a = view?.article
  const lang = view?.lang
  const headline = viewHeadline(view)
  return {
    id,
    ...(headline !== undefined ? { headline } : {}),
    ...(a?.source ? { source: a.source } : {}),
    ...(a?.publishedAt ? { publishedAt: a.publishedAt } : {}),
    ...(a?.url ? { url: a.url } : {}),
    ...(lang ? { lang } : {}),
  }
}

function compactLink(c: Comparison): ReportLink {
  return {
    a: c.a,
    b: c.b,
    relation: c.relation,
    reason: c.reason,
    ...(c.original ? { original: c.original } : {}),
    extent: c.extent,
    ...(c.mode ? { mode: c.mode } : {}),
    confidence: c.confidence,
    probabilities: { ...c.probabilities },
    derived: { ...c.derived },
    passages: c.passages.map((p) => ({ mode: p.mode, a: { ...p.a }, b: { ...p.b }, tokens: { ...p.tokens } })),
    evidence: { a: { ...c.evidence.a }, b: { ...c.evidence.b } },
    jaccard: c.jaccard,
    containment: { aInB: c.containment.aInB, bInA: c.containment.bInA },
    crossLanguage: c.crossLanguage,
    anchorJaccard: c.anchorJaccard,
    quotesVerbatim: c.quotesVerbatim,
  }
}

/** Removed text per article, from the diffs first (what the diffs were made from), then from the analyses. */
function collectBoilerplate(
  clusters: readonly ReportCluster[],
  singletons: readonly ReportArticle[],
  skipped: readonly ReportSkipped[],
  analyses: ReadonlyMap<string, ArticleView>,
): ReportBoilerplate[] {
  const removed = new Map<string, RemovedText[]>()
  const sources = new Map<string, string>()
  for (const a of [...singletons, ...skipped]) if (a.source) sources.set(a.id, a.source)
  for (const c of clusters) {
    for (const m of c.members) if (m.source) sources.set(m.id, m.source)
    for (const d of c.diff?.diffs ?? []) {
      if (!removed.has(d.reference)) removed.set(d.reference, d.boilerplate.reference)
      if (!removed.has(d.copy)) removed.set(d.copy, d.boilerplate.copy)
    }
  }
  for (const [id, a] of analyses) {
    if (!removed.has(id)) removed.set(id, a.removed)
    const source = a.article.source
    if (source && !sources.has(id)) sources.set(id, source)
  }
  return [...removed]
    .filter(([, list]) => list.length > 0)
    .sort((x, y) => byString(x[0], y[0]))
    .map(([article, list]) => {
      const source = sources.get(article)
      return {
        article,
        ...(source ? { source } : {}),
        removed: [...list]
          .sort((x, y) => x.start - y.start || x.end - y.end)
          .map((r) => ({ kind: r.kind, rule: r.rule, scope: r.scope, text: r.text, start: r.start, end: r.end })),
      }
    })
}

const corrupt = (message: string) => new WiretraceError('CORRUPT_DATA', `report: ${message}`)

/**
 * Load a report from JSON text or a parsed object. Refuses anything that is not a
 * `wiretrace/report` (`CORRUPT_DATA`), a version this build does not read (`UNSUPPORTED_VERSION`),
 * and a report whose structure is broken (`CORRUPT_DATA`). The check is structural: it does
 * not re-verify every number. A version 4 report (member diffs with both texts on every row) is
 * read as the version 5 report it would be: its member diffs made compact, nothing lost. Its
 * links keep their evidence as measured then, without `figures` (new in version 5).
 *
 * @example
 * const copy = parseReport(JSON.stringify(report))
 * copy.clusters[0].reference // '003'
 * parseReport('{"format":"wiretrace/report","version":3}') // throws UNSUPPORTED_VERSION (this build reads 4 and 5)
 */
export function parseReport(json: string | unknown): Report {
  let value: unknown = json
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json)
    } catch (cause) {
      throw new WiretraceError('CORRUPT_DATA', 'report: the text is not valid JSON', { cause })
    }
  }
  const r = value as Partial<Report> | null
  if (!r || typeof r !== 'object' || Array.isArray(r) || r.format !== REPORT_FORMAT) {
    throw corrupt(`not a wiretrace report: format is ${describeValue(r && typeof r === 'object' ? r.format : r)}`)
  }
  // Version 3 added headlines, urls, spans and origin marks: an older report is refused, not guessed at.
  // Version 5 only left out texts that version 4 repeated, so a version 4 report is upgraded.
  const version = r.version as number
  if (version !== REPORT_VERSION && version !== OLDEST_READ) {
    throw new WiretraceError(
      'UNSUPPORTED_VERSION',
      `report format version ${describeValue(r.version)} is not supported (this build reads ${OLDEST_READ} and ${REPORT_VERSION})`,
    )
  }
  for (const key of ['clusters', 'singletons', 'skipped', 'links', 'boilerplate'] as const) {
    if (!Array.isArray(r[key])) throw corrupt(`"${key}" must be an array, got ${describeValue(r[key])}`)
  }
  if (!r.stats || typeof r.stats !== 'object') throw corrupt(`"stats" must be an object, got ${describeValue(r.stats)}`)
  if (r.generatedAt !== undefined && typeof r.generatedAt !== 'string') {
    throw corrupt(`"generatedAt" must be a string, got ${describeValue(r.generatedAt)}`)
  }
  const clusters = r.clusters as unknown[]
  for (const [i, c] of clusters.entries()) checkCluster(c, i, version)
  for (const [i, a] of (r.singletons as unknown[]).entries()) checkId(a, `singletons[${i}]`, 'id')
  for (const [i, a] of (r.skipped as unknown[]).entries()) checkId(a, `skipped[${i}]`, 'id')
  for (const [i, b] of (r.boilerplate as unknown[]).entries()) {
    checkId(b, `boilerplate[${i}]`, 'article')
    if (!Array.isArray((b as ReportBoilerplate).removed)) throw corrupt(`boilerplate[${i}].removed must be an array`)
  }
  if (version === REPORT_VERSION) return { ...r } as Report
  return { ...r, version: REPORT_VERSION, clusters: (r.clusters as ReportCluster[]).map(upgradeCluster) } as Report
}

/** A version 4 report's cluster as version 5 writes it: the cluster diff at version 2, its member diffs compact. */
function upgradeCluster(c: ReportCluster): ReportCluster {
  const d = c.diff as (Omit<ClusterDiff, 'version'> & { version: number }) | null
  if (d === null) return c
  const texts = referenceTexts(d as ClusterDiff)
  const diffs = d.diffs.map((x) => {
    // `texts` after `version`, where diffArticles puts it: the upgraded report is the same JSON.
    const { kind, version: _version, ...rest } = x as Omit<ArticleDiff, 'version' | 'texts'> & { version: number }
    return compactDiff({ kind, version: 2, texts: 'full', ...rest }, texts)
  })
  return { ...c, diff: { ...d, version: 2, diffs } }
}

function checkId(x: unknown, where: string, key: string): void {
  if (!x || typeof x !== 'object') throw corrupt(`${where} must be an object, got ${describeValue(x)}`)
  const id = (x as Record<string, unknown>)[key]
  if (typeof id !== 'string') throw corrupt(`${where}.${key} must be a string, got ${describeValue(id)}`)
}

function checkCluster(c: unknown, i: number, reportVersion: number): void {
  const where = `clusters[${i}]`
  checkId(c, where, 'reference')
  const cluster = c as ReportCluster
  if (!Array.isArray(cluster.members) || cluster.members.length === 0) {
    throw corrupt(`${where}.members must be a non-empty array, got ${describeValue(cluster.members)}`)
  }
  for (const [j, m] of cluster.members.entries()) checkId(m, `${where}.members[${j}]`, 'id')
  if (cluster.members[0]?.id !== cluster.reference) {
    throw corrupt(`${where}: the first member must be the reference "${cluster.reference}"`)
  }
  const d = cluster.diff
  if (d === null) return
  if (!d || typeof d !== 'object' || d.kind !== 'cluster-diff') throw corrupt(`${where}.diff must be a cluster diff or null`)
  const expected = CLUSTER_DIFF_VERSION[reportVersion] as number
  if ((d.version as number) !== expected) {
    throw new WiretraceError(
      'UNSUPPORTED_VERSION',
      `report: ${where}.diff has cluster-diff version ${describeValue(d.version)} (a version ${reportVersion} report has ${expected})`,
    )
  }
  if (d.reference !== cluster.reference) throw corrupt(`${where}.diff is for "${d.reference}", not "${cluster.reference}"`)
  if (!Array.isArray(d.diffs) || !Array.isArray(d.story)) throw corrupt(`${where}.diff must have "diffs" and "story" arrays`)
  const texts = reportVersion === REPORT_VERSION ? referenceTexts(d) : []
  d.diffs.forEach((a, j) => {
    if (a?.kind !== 'article-diff' || !Array.isArray(a.paragraphs)) {
      throw corrupt(`${where}.diff.diffs[${j}] must be an article diff with paragraphs`)
    }
    if (reportVersion !== REPORT_VERSION) return
    if (a.version !== 2 || a.texts !== 'compact') {
      throw corrupt(`${where}.diff.diffs[${j}] must be a compact article diff (version 2, texts "compact")`)
    }
    // A compact row's reference text is the story's: a row pointing past it could not be shown.
    a.paragraphs.forEach((p, k) => {
      if (p?.referenceText !== undefined || !Array.isArray(p?.reference)) return
      const missing = p.reference.find((x) => texts[x] === undefined)
      if (missing !== undefined) {
        throw corrupt(
          `${where}.diff.diffs[${j}].paragraphs[${k}] refers to reference paragraph ${describeValue(missing)}, which the story lacks`,
        )
      }
    })
  })
}
