// Outputs for deduplication pipelines: a CSV of every article, the ids to keep, and the filter
// that decides which clusters count (`--min-size`, `--relations`). Browser-safe.
import type { ClusterMember } from '../cluster/cluster.js'
import { RELATIONS } from '../compare/relations.js'
import type { ClusterDiff } from '../diff/types.js'
import { argOptions, describeValue, invalid } from '../errors.js'
import type { FilterOptions, Report, ReportArticle, ReportCluster, ReportMember } from './types.js'

export const DEFAULT_FILTER_OPTIONS: Readonly<Required<FilterOptions>> = { minSize: 2, relations: [] }

/** The CSV columns, in order. */
export const CSV_COLUMNS = [
  'id',
  'cluster',
  'reference',
  'relation',
  'extent',
  'confidence',
  'headline',
  'url',
  'source',
  'publishedAt',
] as const

/**
 * Keep only the clusters that count: members whose relation is not in `relations` leave their
 * cluster, and a cluster left with fewer than `minSize` articles is dissolved. Every article that
 * leaves a cluster becomes a singleton, so that it is still listed (and kept by {@link keepList}):
 * a filter decides what counts as a copy, it never drops an article. Stats are recounted and the
 * report records the filter in `filter`.
 *
 * @example
 * const strict = filterReport(report, { relations: ['duplicate', 'copy'], minSize: 3 })
 * strict.filter // { minSize: 3, relations: ['duplicate', 'copy'], released: 2 }
 */
export function filterReport(report: Report, options: FilterOptions = {}): Report {
  if (report?.format !== 'wiretrace/report')
    throw invalid('filterReport: report must be the result of buildReport() or parseReport()')
  argOptions('filterReport', 'options', options)
  const minSize = options.minSize ?? DEFAULT_FILTER_OPTIONS.minSize
  const relations = options.relations ?? DEFAULT_FILTER_OPTIONS.relations
  if (!Number.isInteger(minSize) || minSize < 2) {
    throw invalid(`filterReport: minSize must be an integer of at least 2, got ${describeValue(minSize)}`)
  }
  if (!Array.isArray(relations)) throw invalid(`filterReport: relations must be an array, got ${describeValue(relations)}`)
  for (const r of relations) {
    if (!(RELATIONS as readonly string[]).includes(r)) {
      throw invalid(`filterReport: relation ${describeValue(r)} is not one of ${RELATIONS.join(', ')}`)
    }
  }
  const wanted = new Set<string>(relations)
  const released: ReportArticle[] = []
  const clusters: ReportCluster[] = []
  for (const c of report.clusters) {
    const members = c.members.filter((m) => m.relation === 'reference' || wanted.size === 0 || wanted.has(m.relation))
    const left = c.members.filter((m) => !members.includes(m))
    if (members.length < minSize) {
      released.push(...c.members.map(asArticle))
      continue
    }
    released.push(...left.map(asArticle))
    clusters.push(left.length === 0 ? c : { ...c, members, diff: c.diff && narrowDiff(c.diff, members) })
  }
  const singletons = [...report.singletons, ...released].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const clustered = clusters.reduce((n, c) => n + c.members.length, 0)
  return {
    ...report,
    filter: { minSize, relations: [...relations], released: released.length },
    clusters,
    singletons,
    stats: { ...report.stats, clusters: clusters.length, clustered, singletons: singletons.length },
  }
}

function asArticle(m: ReportMember): ReportArticle {
  return {
    id: m.id,
    ...(m.headline !== undefined ? { headline: m.headline } : {}),
    ...(m.source !== undefined ? { source: m.source } : {}),
    ...(m.publishedAt !== undefined ? { publishedAt: m.publishedAt } : {}),
    ...(m.url !== undefined ? { url: m.url } : {}),
    ...(m.lang !== undefined ? { lang: m.lang } : {}),
    ...(m.origin !== undefined ? { origin: m.origin } : {}),
  }
}

/** A cluster diff without the members that left: their diffs, matrix cells and the story paragraphs only they had. */
function narrowDiff(d: ClusterDiff, members: readonly Pick<ClusterMember, 'id'>[]): ClusterDiff {
  const ids = new Set(members.map((m) => m.id))
  return {
    ...d,
    members: d.members.filter((id) => ids.has(id)),
    languages: Object.fromEntries(Object.entries(d.languages).filter(([id]) => ids.has(id))),
    diffs: d.diffs.filter((x) => ids.has(x.copy)),
    story: d.story
      .filter((p) => ids.has(p.origin.article))
      .map((p) => ({ ...p, cells: Object.fromEntries(Object.entries(p.cells).filter(([id]) => ids.has(id))) })),
  }
}

/**
 * The ids to keep when dropping reprints: one per story, the reference of each cluster (in
 * report order), then every singleton (by id). Skipped articles are not listed: they could not
 * be analysed, so nothing is known of them (the report's `skipped` lists them).
 *
 * @example
 * keepList(report) // ['003', '004']: the AFP story once, and Rudaw's own reporting
 */
export function keepList(report: Report): string[] {
  if (report?.format !== 'wiretrace/report')
    throw invalid('keepList: report must be the result of buildReport() or parseReport()')
  return [...report.clusters.map((c) => c.reference), ...report.singletons.map((a) => a.id)]
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
function field(value: string | number | undefined): string {
  const s = value === undefined ? '' : String(value)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/**
 * The report as CSV (RFC 4180: CRLF line ends, a header row, fields quoted where needed), one
 * row per article: cluster members (`relation` is `reference` for the reference), then
 * singletons (`relation` `singleton`, no cluster), then skipped articles (`relation` `skipped`).
 * `extent` and `confidence` are those of the member's link with its reference.
 *
 * @example
 * formatCsv(report).split('\r\n')[1] // '003,003,003,reference,,1,"Syria rebels enter …",,Inquirer …,'
 */
export function formatCsv(report: Report): string {
  if (report?.format !== 'wiretrace/report')
    throw invalid('formatCsv: report must be the result of buildReport() or parseReport()')
  const extent = new Map<string, string>()
  for (const l of report.links) {
    extent.set(`${l.a}\u0000${l.b}`, l.extent)
    extent.set(`${l.b}\u0000${l.a}`, l.extent)
  }
  const rows: (string | number | undefined)[][] = [[...CSV_COLUMNS]]
  const meta = (a: ReportArticle) => [a.headline, a.url, a.source, a.publishedAt]
  for (const c of report.clusters) {
    for (const m of c.members) {
      const isRef = m.relation === 'reference'
      rows.push([
        m.id,
        c.id,
        c.reference,
        m.relation,
        isRef ? undefined : extent.get(`${m.id}\u0000${c.reference}`),
        m.confidence,
        ...meta(m),
      ])
    }
  }
  for (const a of report.singletons) rows.push([a.id, undefined, undefined, 'singleton', undefined, undefined, ...meta(a)])
  for (const a of report.skipped) rows.push([a.id, undefined, undefined, 'skipped', undefined, undefined, ...meta(a)])
  return `${rows.map((r) => r.map(field).join(',')).join('\r\n')}\r\n`
}
