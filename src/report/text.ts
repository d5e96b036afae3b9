import type { ClusterMember } from '../cluster/cluster.js'
import type { ArticleDiff, ParagraphStatus } from '../diff/types.js'
import { invalid } from '../errors.js'
import type { RemovedText } from '../text/boilerplate.js'
import { compactMessage, describeCounts, leftOutWarning, percent, STATUS_ORDER, STATUS_STYLES } from './legend.js'
import type { Report, ReportArticle, ReportCluster, ReportLink, TextOptions } from './types.js'

export const DEFAULT_TEXT_OPTIONS: Readonly<Required<TextOptions>> = { color: false, width: 100, details: false }

const ANSI: Readonly<Record<ParagraphStatus | 'bold' | 'dim' | 'heading' | 'insert' | 'delete', string>> = {
  kept: '32',
  edited: '33',
  reworded: '95',
  translated: '35',
  moved: '36',
  added: '34',
  cut: '31',
  bold: '1',
  dim: '2',
  heading: '1;4',
  insert: '32;1',
  delete: '31;9',
}

type Paint = (style: keyof typeof ANSI, s: string) => string

/**
 * Render a report for the terminal. The first screen is the clusters: each with its headline and
 * reference, and per member its relation, confidence, outlet, date and the per-outlet summary
 * (what share of the reference it carries, how much is its own, paragraph counts); then the
 * singletons and skipped articles, and a count of the boilerplate removed. With `details: true`,
 * each member also gets the reason for its relation, its scores and a strip of one letter per
 * paragraph row (K kept, E edited, W reworded, T translated, M moved, A added, C cut, grouped by
 * ten), and the other links and every piece of removed boilerplate are listed.
 * The output is deterministic; colour only with `color: true`.
 *
 * @example
 * formatText(report, { color: process.stdout.isTTY })
 * // wiretrace report: 5 articles · 1 cluster · 1 singleton · 0 skipped
 * // …
 * //   001  copy 99%     APP / UrduPoint (AFP copy) · 2024-12-08 · en
 * //        kept 10 · edited 1 · cut 34 · carries 30% of 003 · 0% own text
 */
export function formatText(input: Report, options: TextOptions = {}): string {
  const o = { ...DEFAULT_TEXT_OPTIONS, ...stripUndefined(options) }
  if (!Number.isInteger(o.width) || o.width < 40)
    throw invalid(`formatText: width must be an integer of at least 40, got ${o.width}`)
  if (input?.format !== 'wiretrace/report')
    throw invalid('formatText: report must be the result of buildReport() or parseReport()')
  const report = scrub(input)
  const paint = painter(o.color)
  const out: string[] = []
  const s = report.stats
  const w = o.width
  out.push(
    ...wrap(
      paint(
        'bold',
        `wiretrace report: ${plural(s.articles, 'article')} · ${plural(s.clusters, 'cluster')} · ${plural(s.singletons, 'singleton')} · ${s.skipped} skipped`,
      ),
      0,
      0,
      w,
    ),
  )
  if (report.generatedAt) out.push(...wrap(paint('dim', `generated ${report.generatedAt}`), 0, 0, w))
  if (s.leftOut) out.push(...wrap(paint('bold', `warning: ${leftOutWarning(s.leftOut)}`), 0, 9, w))
  // The letters appear only in the strips.
  if (o.details) out.push(...wrap(legendLine(paint), 0, 8, w))

  // One relation column for the whole report, as wide as its longest verdict ("translation 100%").
  let verdictWidth = VERDICT_WIDTH
  for (const c of report.clusters) for (const m of c.members) verdictWidth = Math.max(verdictWidth, verdict(m).length)
  for (const c of report.clusters) {
    out.push('')
    // A loop, not push(...lines): a flood's cluster has more lines than a call takes arguments.
    for (const line of formatCluster(c, o.width, paint, o.details, verdictWidth)) out.push(line)
  }

  out.push('', ...wrap(paint('heading', 'Singletons (in no cluster)'), 0, 0, w))
  if (report.singletons.length === 0) out.push('  none')
  const idWidth = Math.max(3, longest(report.singletons.map((a) => a.id)), longest(report.skipped.map((a) => a.id)))
  for (const a of report.singletons) out.push(...wrap(`${a.id.padEnd(idWidth)}  ${describe(a)}`, 2, 4 + idWidth, o.width))

  out.push('', ...wrap(paint('heading', 'Skipped'), 0, 0, w))
  if (report.skipped.length === 0) out.push('  none')
  for (const a of report.skipped) {
    out.push(
      ...wrap(
        `${a.id.padEnd(idWidth)}  ${a.reason}: ${a.detail}${a.source ? ` (${a.source})` : ''}${a.origin ? ` · ${a.origin}` : ''}`,
        2,
        4 + idWidth,
        o.width,
      ),
    )
  }

  const other = o.details ? otherLinks(report) : []
  if (other.length > 0) {
    out.push('', ...wrap(paint('heading', 'Other links (between members, not with the reference)'), 0, 0, w))
    for (const l of other) out.push(...formatLink(l, o.width, paint))
  }

  out.push('', ...wrap(paint('heading', 'Boilerplate removed'), 0, 0, w))
  if (report.boilerplate.length === 0) out.push('  none')
  else if (!o.details) {
    const pieces = report.boilerplate.reduce((n, b) => n + b.removed.length, 0)
    out.push(
      ...wrap(`${plural(pieces, 'piece')} from ${plural(report.boilerplate.length, 'article')} (listed with --details)`, 2, 2, w),
    )
    return `${out.join('\n')}\n`
  }
  const bw = Math.max(3, ...report.boilerplate.map((b) => b.article.length))
  for (const b of report.boilerplate) {
    groupRemoved(b.removed).forEach((g, i) => {
      const head = i === 0 ? b.article.padEnd(bw) : ' '.repeat(bw)
      const count = g.count > 1 ? ` ×${g.count}` : ''
      const size = g.text.length > 60 ? ` (${g.text.length} characters)` : ''
      out.push(...wrap(`${head}  ${g.rule} (${g.scope})${count}: ${paint('dim', quote(g.text))}${size}`, 2, 4 + bw, w))
    })
  }
  return `${out.join('\n')}\n`
}

/**
 * Render one article diff (from `diffArticles`) for the terminal: the status strip and counts,
 * then every paragraph row with its letter, paragraph numbers (reference → copy) and text.
 * Word changes show as `[-removed-]{+added+}` (as `git diff --word-diff`), or in colour with
 * `color: true`; a reworded or translated row shows the copy's text, then the reference's, dimmed.
 *
 * @example
 * formatDiffText(diffArticles(analyze(inquirer), analyze(app)))
 * // wiretrace diff: 001 against 003 (copy)
 * // …
 * // E  ¶2 → ¶1   [-BEIRUT, Lebanon —-]{+Beirut, (APP - UrduPoint …)+} A war monitor said late Saturday …
 */
export function formatDiffText(diff: ArticleDiff, options: TextOptions = {}): string {
  if (diff?.kind !== 'article-diff') throw invalid('formatDiffText: diff must be the result of diffArticles()')
  if (diff.texts === 'compact') throw invalid(compactMessage('formatDiffText', diff))
  const o = { ...DEFAULT_TEXT_OPTIONS, ...stripUndefined(options) }
  if (!Number.isInteger(o.width) || o.width < 40)
    throw invalid(`formatDiffText: width must be an integer of at least 40, got ${o.width}`)
  const paint = painter(o.color)
  const out = [
    ...wrap(paint('bold', `wiretrace diff: ${diff.copy} against ${diff.reference} (${diff.relation})`), 0, 0, o.width),
    ...wrap(legendLine(paint), 0, 8, o.width),
    '',
  ]
  out.push(...strip(diff, 0, o.width, paint), ...wrap(counts(diff, diff.reference), 0, 0, o.width), '')
  const where = diff.paragraphs.map((p) => {
    const r = p.reference ? p.reference.map((i) => `¶${i + 1}`).join('+') : ''
    const c = p.copy ? p.copy.map((i) => `¶${i + 1}`).join('+') : ''
    return r && c ? `${r} → ${c}` : r ? `${r} →` : `→ ${c}`
  })
  const column = Math.max(...where.map((w) => w.length), 0) + 5
  diff.paragraphs.forEach((p, i) => {
    const head = `${paint(p.status, STATUS_STYLES[p.status].letter)}  ${(where[i] as string).padEnd(column - 3)}`
    const flat = (t: string | undefined) => (t ?? '').replace(/\s+/g, ' ').trim()
    let body: string
    if (p.changes && p.changes.length > 0 && (p.status === 'edited' || p.status === 'moved')) {
      body = p.changes
        .map((ch) => {
          const t = ch.text.replace(/\s+/g, ' ')
          if (ch.op === 'equal') return t
          if (o.color) return paint(ch.op, t)
          return ch.op === 'insert' ? `{+${t}+}` : `[-${t}-]`
        })
        .join('')
        .trim()
    } else if (p.status === 'cut') body = paint('dim', flat(p.referenceText))
    else body = flat(p.copyText ?? p.referenceText)
    out.push(...wrap(`${head}${body}`, 0, column, o.width))
    if ((p.status === 'translated' || p.status === 'reworded') && p.referenceText !== undefined) {
      out.push(...wrap(paint('dim', `was: ${flat(p.referenceText)}`), column, column, o.width))
    }
  })
  return `${out.join('\n')}\n`
}

// Control characters (an ESC starts a terminal command) and bidi overrides in article data
// must not reach the terminal: each becomes U+FFFD.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** A copy of `value` with every string made safe to print. */
function scrub<T>(value: T): T {
  if (typeof value === 'string') return value.replace(UNSAFE, '\ufffd') as T
  if (Array.isArray(value)) return value.map(scrub) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrub(k), scrub(v)])) as T
  }
  return value
}

function painter(color: boolean): Paint {
  return color ? (style, s) => (s === '' ? s : `\u001b[${ANSI[style]}m${s}\u001b[0m`) : (_style, s) => s
}

function legendLine(paint: Paint): string {
  return `Legend: ${STATUS_ORDER.map((k) => `${paint(k, STATUS_STYLES[k].letter)} ${k}`).join(' · ')}`
}

/** The relation column's least width: most verdicts fit ("partial 100%"), and a longer one widens it. */
const VERDICT_WIDTH = 15

/** A member's relation and confidence, as its row shows them. */
const verdict = (m: ClusterMember): string => (m.relation === 'reference' ? m.relation : `${m.relation} ${percent(m.confidence)}`)

function formatCluster(c: ReportCluster, width: number, paint: Paint, details: boolean, verdictWidth: number): string[] {
  const out = wrap(
    paint('heading', `Cluster ${c.id}: ${plural(c.members.length, 'article')}, reference ${c.reference}`),
    0,
    0,
    width,
  )
  if (c.headline) out.push(...wrap(paint('bold', `“${c.headline}”`), 2, 2, width))
  const idWidth = longest(c.members.map((m) => m.id))
  const indent = 2 + idWidth + 2
  const diffs = new Map((c.diff?.diffs ?? []).map((d) => [d.copy, d]))
  for (const m of c.members) {
    const lang = m.lang ?? c.diff?.languages[m.id]
    const meta = [m.source ?? '(no source)', m.publishedAt, lang, m.origin].filter((x) => x !== undefined).join(' · ')
    const v = verdict(m)
    out.push(...wrap(`${m.id.padEnd(idWidth)}  ${pad(paint('bold', v), v.length, verdictWidth)}  ${meta}`, 2, indent, width))
    // The cluster's headline is shown once; a member's own only where it differs.
    if (m.headline && m.headline !== c.headline) out.push(...wrap(`“${m.headline}”`, indent, indent, width))
    if (m.url) out.push(...wrap(m.url, indent, indent, width))
    if (details) out.push(...wrap(paint('dim', m.reason), indent, indent, width))
    if (m.relation === 'reference') continue
    if (details) out.push(...wrap(scores(m, c.reference), indent, indent, width))
    const d = diffs.get(m.id)
    if (!d) {
      out.push(
        ...wrap(paint('dim', c.diff ? '(no paragraph diff for this member)' : '(no paragraph diff)'), indent, indent, width),
      )
      continue
    }
    if (details) out.push(...strip(d, indent, width, paint))
    out.push(...wrap(counts(d, c.reference), indent, indent, width))
  }
  return out
}

function scores(m: ClusterMember, reference: string): string {
  return `${m.mode ? `${m.mode} · ` : ''}${percent(m.containment.inReference)} of it in ${reference} · ${percent(m.containment.referenceIn)} of ${reference} in it · Jaccard ${percent(m.jaccard)}`
}

/** One letter per diff row, grouped by ten, as many groups to a line as fit. */
function strip(d: ArticleDiff, indent: number, width: number, paint: Paint): string[] {
  const groups: string[] = []
  for (let i = 0; i < d.paragraphs.length; i += 10) {
    groups.push(
      d.paragraphs
        .slice(i, i + 10)
        .map((p) => paint(p.status, STATUS_STYLES[p.status].letter))
        .join(''),
    )
  }
  if (groups.length === 0) return [`${' '.repeat(indent)}(no paragraphs)`]
  const perLine = Math.max(1, Math.floor((width - indent + 1) / 11))
  const lines: string[] = []
  for (let i = 0; i < groups.length; i += perLine) lines.push(' '.repeat(indent) + groups.slice(i, i + perLine).join(' '))
  return lines
}

function counts(d: ArticleDiff, reference: string): string {
  return [
    describeCounts(d.summary),
    `carries ${percent(d.summary.referenceCarried)} of ${reference}`,
    `${percent(d.summary.copyOriginal)} own text`,
  ]
    .filter((part) => part !== '')
    .join(' · ')
}

/** Links that the member lines do not already show: between two non-references, or across clusters. */
function otherLinks(report: Report): ReportLink[] {
  const shown = new Set<string>()
  for (const c of report.clusters) for (const m of c.members) shown.add(`${c.reference}\u0000${m.id}`)
  return report.links.filter((l) => !shown.has(`${l.a}\u0000${l.b}`) && !shown.has(`${l.b}\u0000${l.a}`))
}

function formatLink(l: ReportLink, width: number, paint: Paint): string[] {
  const pair = `${l.a} ~ ${l.b}`
  return [
    ...wrap(
      `${pair}  ${pad(paint('bold', l.relation), l.relation.length, 11)}  Jaccard ${percent(l.jaccard)}`,
      2,
      4 + pair.length,
      width,
    ),
    ...wrap(paint('dim', l.reason), 4 + pair.length, 4 + pair.length, width),
  ]
}

function describe(a: ReportArticle): string {
  return [a.headline ? `“${a.headline}”` : undefined, a.source ?? '(no source)', a.publishedAt, a.lang, a.origin, a.url]
    .filter((x) => x !== undefined)
    .join(' · ')
}

function groupRemoved(removed: readonly RemovedText[]): { rule: string; scope: string; text: string; count: number }[] {
  const groups: { rule: string; scope: string; text: string; count: number }[] = []
  for (const r of removed) {
    const text = r.text.replace(/\s+/g, ' ').trim()
    const same = groups.find((g) => g.rule === r.rule && g.scope === r.scope && g.text === text)
    if (same) same.count++
    else groups.push({ rule: r.rule, scope: r.scope, text, count: 1 })
  }
  return groups
}

function quote(text: string): string {
  return `“${text.length > 60 ? `${text.slice(0, 59).trimEnd()}…` : text}”`
}

const pad = (painted: string, length: number, to: number) => painted + ' '.repeat(Math.max(0, to - length))

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

// ANSI escapes take no columns.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escapes is the point
const visibleLength = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').length

/** Word-wrap `text`: the first line indented by `first`, the rest by `rest`. Words are never broken. */
function wrap(text: string, first: number, rest: number, width: number): string[] {
  const words = text.split(' ')
  const lines: string[] = []
  let line = ' '.repeat(first)
  let empty = true
  for (const w of words) {
    if (!empty && visibleLength(line) + 1 + visibleLength(w) > width) {
      lines.push(line)
      line = ' '.repeat(rest) + w
      continue
    }
    line += empty ? w : ` ${w}`
    empty = false
  }
  lines.push(line)
  return lines
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** The length of the longest string (0 for none), without spreading a list of any size into a call. */
function longest(strings: readonly string[]): number {
  let n = 0
  for (const x of strings) if (x.length > n) n = x.length
  return n
}
