import type { ClusterMember } from '../cluster/cluster.js'
import type { ArticleDiff, InlineChange, ParagraphDiff, StoryParagraph } from '../diff/types.js'
import { argString, describeValue, invalid } from '../errors.js'
import { STYLES } from './html-style.js'
import { CELL_STYLES, cellOf, describeCounts, percent, RELATION_DESCRIPTIONS, STATUS_ORDER, STATUS_STYLES } from './legend.js'
import type { ArticleOrigin, HtmlOptions, Report, ReportBoilerplate, ReportCluster, ReportMember } from './types.js'

export const DEFAULT_HTML_OPTIONS: Readonly<Required<HtmlOptions>> = { title: 'wiretrace report', foldCutRuns: 4 }

/** Escape text for HTML content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  argString('escapeHtml', 'text', text)
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string)
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const esc = escapeHtml

/** A fragment-safe id from an article id (which may hold any character). */
const anchor = (...parts: string[]) =>
  parts.map((p) => p.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.codePointAt(0)?.toString(16)}`)).join('-')

/**
 * Render a report as one self-contained HTML page: inline CSS, no script, and a
 * Content-Security-Policy that forbids every network request. For each cluster it shows the
 * members with their relations and scores, the wire story × outlet matrix, and a side-by-side
 * view of reference and copy per member (paragraphs coloured by status and marked with a
 * letter, word changes as `<ins>`/`<del>`); then singletons, skipped articles, links and the
 * removed boilerplate. All article text is escaped.
 *
 * Elements carry stable `data-*` attributes for tools and tests: `data-cluster` (a cluster's
 * section), `data-member` + `data-relation` (a member in the members table), `data-status`
 * (a paragraph: strip square or side-by-side row), `data-diff` (a member's side-by-side view),
 * `data-ref`/`data-copy` (paragraph indices), `data-outlet` + `data-lang` (matrix columns),
 * `data-cell` (matrix cells), `data-section` (`legend`, `singletons`, `skipped`, `links`,
 * `boilerplate`), `data-article` (singleton and skipped rows) and `data-boilerplate` + `data-rule`.
 *
 * @example
 * const html = renderHtml(report, { title: 'Homs, 8 December 2024' })
 * html.startsWith('<!doctype html>') // true
 * html.includes('<script')           // false: article text is escaped, and the page has no script
 */
export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  if (report?.format !== 'wiretrace/report')
    throw invalid('renderHtml: report must be the result of buildReport() or parseReport()')
  const o = resolveHtmlOptions(options, 'renderHtml')
  const s = report.stats
  return page(o.title, {
    lede: `Syndicated copies of wire stories, and what each outlet did with them.${
      report.generatedAt ? ` Generated <time datetime="${esc(report.generatedAt)}">${esc(report.generatedAt)}</time>.` : ''
    }`,
    stats: [
      ['Articles', s.articles],
      ['Clusters', s.clusters],
      ['In clusters', s.clustered],
      ['Singletons', s.singletons],
      ['Skipped', s.skipped],
      ['Boilerplate removed', s.boilerplateRemoved],
    ],
    contents: [
      ...report.clusters.map((c): [string, string] => [anchor('cluster', c.id), `Cluster ${c.id}`]),
      ['singletons', 'Singletons'],
      ['skipped', 'Skipped'],
      ['links', 'Links'],
      ['boilerplate', 'Boilerplate'],
    ],
    body: [
      ...report.clusters.map((c) => cluster(c, o.foldCutRuns)),
      singletons(report),
      skipped(report),
      links(report),
      boilerplate(report.boilerplate),
    ],
    footer: `Format ${esc(report.format)} version ${report.version}.`,
  })
}

/**
 * Render one article diff (from `diffArticles`) as a self-contained HTML page: the side-by-side
 * view of reference and copy, and the boilerplate removed from each. Same page, styles and
 * `data-*` attributes as {@link renderHtml}.
 *
 * @example
 * const html = renderDiffHtml(diffArticles(analyze(reference), analyze(copy)))
 * html.includes('data-diff="001"') // true
 */
export function renderDiffHtml(diff: ArticleDiff, options: HtmlOptions = {}): string {
  if (diff?.kind !== 'article-diff') {
    throw invalid(`renderDiffHtml: diff must be the result of diffArticles(), got ${describeValue(diff)}`)
  }
  const o = resolveHtmlOptions({ title: `wiretrace diff: ${diff.copy} against ${diff.reference}`, ...options }, 'renderDiffHtml')
  const n = diff.summary.counts
  const bp: ReportBoilerplate[] = [
    { article: diff.reference, removed: diff.boilerplate.reference },
    { article: diff.copy, removed: diff.boilerplate.copy },
  ].filter((b) => b.removed.length > 0)
  return page(o.title, {
    lede: `What ${esc(diff.copy)} did with ${esc(diff.reference)}: ${esc(diff.relation)}.`,
    stats: [
      ['Reference carried', percent(diff.summary.referenceCarried)],
      ['Own text', percent(diff.summary.copyOriginal)],
      ...STATUS_ORDER.filter((k) => (n[k] ?? 0) > 0).map((k): [string, number] => [STATUS_STYLES[k].label, n[k]]),
    ],
    contents: [
      [anchor('diff', diff.reference, diff.copy), 'Side by side'],
      ['boilerplate', 'Boilerplate'],
    ],
    body: [
      sideBySide(
        diff.reference,
        { id: diff.reference, relation: 'reference' },
        { id: diff.copy, relation: diff.relation },
        diff,
        o.foldCutRuns,
      ),
      boilerplate(bp),
    ],
    footer: `Diff format article-diff version ${diff.version}.`,
  })
}

function resolveHtmlOptions(options: HtmlOptions, fn: string): Required<HtmlOptions> {
  const o = { ...DEFAULT_HTML_OPTIONS, ...Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined)) }
  if (typeof o.title !== 'string') throw invalid(`${fn}: title must be a string, got ${describeValue(o.title)}`)
  if (!Number.isInteger(o.foldCutRuns) || o.foldCutRuns < 0) {
    throw invalid(`${fn}: foldCutRuns must be a non-negative integer, got ${describeValue(o.foldCutRuns)}`)
  }
  return o
}

interface PageParts {
  /** HTML (already escaped). */
  lede: string
  stats: [string, number | string][]
  /** Fragment id → label. */
  contents: [string, string][]
  body: string[]
  /** HTML (already escaped). */
  footer: string
}

function page(title: string, p: PageParts): string {
  const toc = p.contents.map(([href, label]) => `<li><a href="#${esc(href)}">${esc(label)}</a></li>`).join('')
  return `${[
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may leave the page: no fetches, no scripts; inline styles and data: images only.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="generator" content="wiretrace">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLES}</style>`,
    '</head>',
    '<body>',
    '<header class="page-head">',
    '<div class="wrap">',
    /wiretrace/i.test(title) ? '' : '<p class="brand">wiretrace</p>',
    `<h1>${esc(title)}</h1>`,
    `<p class="lede">${p.lede}</p>`,
    `<dl class="stats" data-section="stats">${p.stats.map(([label, n]) => `<div><dt>${esc(label)}</dt><dd>${esc(String(n))}</dd></div>`).join('')}</dl>`,
    `<nav aria-label="Contents"><ul class="toc">${toc}</ul></nav>`,
    '</div>',
    '</header>',
    '<main class="wrap">',
    legend(),
    ...p.body,
    '</main>',
    `<footer class="wrap foot">${p.footer} This page is self-contained: it loads nothing and runs no script.</footer>`,
    '</body>',
    '</html>',
  ].join('\n')}\n`
}

function badge(status: string, letter: string, label: string, extra = ''): string {
  return `<span class="badge s-${esc(status)}" data-status="${esc(status)}"${extra} title="${esc(label)}" aria-label="${esc(label)}">${esc(letter)}</span>`
}

function legend(): string {
  const statuses = STATUS_ORDER.map((k) => {
    const st = STATUS_STYLES[k]
    return `<li>${badge(k, st.letter, st.label)} <strong>${esc(st.label)}</strong> <span class="muted">${esc(st.description)}</span></li>`
  })
  const extra = (['reference', 'absent'] as const).map((k) => {
    const st = CELL_STYLES[k]
    return `<li><span class="badge s-${k}" aria-hidden="true">${esc(st.letter)}</span> <strong>${esc(st.label)}</strong> <span class="muted">${esc(st.description)} (matrix only)</span></li>`
  })
  return [
    '<section class="card legend" id="legend" data-section="legend" aria-labelledby="legend-h">',
    '<h2 id="legend-h">Legend</h2>',
    '<p class="muted">Every paragraph is marked with a letter and a colour: what the outlet did with it, compared with the reference. Inside edited paragraphs, <del>removed words</del> and <ins>added words</ins> are marked.</p>',
    `<ul class="legend-list">${[...statuses, ...extra].join('')}</ul>`,
    '</section>',
  ].join('\n')
}

function memberLabel(m: Pick<ClusterMember, 'id' | 'source'>): string {
  return m.source ? `${m.id} · ${m.source}` : m.id
}

function cluster(c: ReportCluster, foldCutRuns: number): string {
  const id = anchor('cluster', c.id)
  const ref = c.members[0] as ClusterMember
  const diffs = new Map((c.diff?.diffs ?? []).map((d) => [d.copy, d]))
  const out = [
    `<section class="cluster" id="${id}" data-cluster="${esc(c.id)}" data-reference="${esc(c.reference)}" aria-labelledby="${id}-h">`,
    `<h2 id="${id}-h">Cluster ${esc(c.id)} <span class="muted">· ${c.members.length} articles</span></h2>`,
    `<p class="refline">Reference <strong>${esc(memberLabel(ref))}</strong>, chosen because it ${esc(referenceWhy(c))}.</p>`,
    '<div class="card">',
    `<h3>Members</h3>`,
    '<div class="scroll">',
    '<table class="members">',
    `<caption class="sr-only">Members of cluster ${esc(c.id)}, each with its relation to the reference ${esc(c.reference)}</caption>`,
    '<thead><tr><th scope="col">Article</th><th scope="col">Relation</th><th scope="col" class="num">Jaccard</th><th scope="col" class="num" title="Share of the member’s text found in the reference">In reference</th><th scope="col" class="num" title="Share of the reference’s text found in the member">Reference in it</th><th scope="col" class="num" title="Share of the reference’s text that the member carries">Carries</th><th scope="col" class="num" title="Share of the member’s text that is its own">Own text</th></tr></thead>',
    ...c.members.map((m) => memberRows(c, m, diffs.get(m.id))),
    '</table>',
    '</div>',
    '</div>',
  ]
  if (c.diff) {
    out.push(matrix(c))
    for (const m of c.members) {
      const d = diffs.get(m.id)
      if (d) out.push(sideBySide(c.id, c.members[0] as ClusterMember, m, d, foldCutRuns))
    }
  } else {
    out.push('<p class="muted">No paragraph diff was given for this cluster.</p>')
  }
  out.push('</section>')
  return out.join('\n')
}

function referenceWhy(c: ReportCluster): string {
  if (c.referenceRule === 'marked') return 'is marked as the wire source'
  if (c.referenceRule === 'earliest') return 'was published first'
  return 'covers the most of the other members’ text'
}

function lang(c: ReportCluster, m: ClusterMember): string | undefined {
  return m.lang ?? c.diff?.languages[m.id]
}

/** How an article's origin reads in the report, when the run mixed in stored articles. */
function origin(o: ArticleOrigin | undefined): string | undefined {
  return o === 'stored' ? 'stored (earlier run)' : o === 'new' ? 'new (this run)' : undefined
}

function originAttr(o: ArticleOrigin | undefined): string {
  return o ? ` data-origin="${o}"` : ''
}

function memberRows(c: ReportCluster, m: ReportMember, d: ArticleDiff | undefined): string {
  const isRef = m.relation === 'reference'
  const language = lang(c, m)
  const meta = [m.publishedAt, language ? `language ${language}` : undefined, origin(m.origin)].filter(Boolean).join(' · ')
  const target = d ? `<a href="#${anchor('diff', c.id, m.id)}">${esc(m.id)}</a>` : esc(m.id)
  const cells = isRef
    ? '<td class="num">—</td><td class="num">—</td><td class="num">—</td><td class="num">100%</td><td class="num">—</td>'
    : `<td class="num">${percent(m.jaccard)}</td><td class="num">${percent(m.containment.inReference)}</td><td class="num">${percent(m.containment.referenceIn)}</td><td class="num">${d ? percent(d.summary.referenceCarried) : '—'}</td><td class="num">${d ? percent(d.summary.copyOriginal) : '—'}</td>`
  const main = `<tr class="member-main"><th scope="row"><span class="id">${target}</span><span class="outlet">${esc(m.source ?? '(no source)')}</span>${meta ? `<span class="muted small">${esc(meta)}</span>` : ''}</th><td>${relation(m.relation)}${isRef ? '' : `<span class="conf" title="the model’s probability of this verdict">${percent(m.confidence)}</span>`}</td>${cells}</tr>`
  const detail = `<tr class="member-detail"><td colspan="7"><p class="reason">${esc(m.reason)}</p>${d ? strip(d) : ''}</td></tr>`
  return `<tbody data-member="${esc(m.id)}" data-relation="${esc(m.relation)}"${originAttr(m.origin)}>${main}${detail}</tbody>`
}

function relation(r: ClusterMember['relation']): string {
  return `<span class="rel rel-${esc(r)}" title="${esc(RELATION_DESCRIPTIONS[r])}">${esc(r)}</span>`
}

function paragraphNumbers(ix: number[] | undefined): string {
  return ix && ix.length > 0 ? ix.map((i) => `¶${i + 1}`).join('+') : ''
}

function strip(d: ArticleDiff): string {
  const squares = d.paragraphs.map((p) => {
    const st = STATUS_STYLES[p.status]
    const where = [paragraphNumbers(p.reference), paragraphNumbers(p.copy)].filter(Boolean).join(' → ')
    return badge(p.status, st.letter, `${st.label}${where ? ` ${where}` : ''}`)
  })
  const counts = describeCounts(d.summary)
  return `<div class="strip-wrap"><div class="strip" data-strip role="img" aria-label="${esc(`Paragraph statuses: ${counts || 'none'}`)}">${squares.join('')}</div><p class="counts">${esc(counts)}</p></div>`
}

function matrix(c: ReportCluster): string {
  const story = c.diff?.story ?? []
  const members = c.members
  const head = members
    .map((m) => {
      const language = lang(c, m)
      const short = m.relation === 'reference' ? 'ref' : m.relation
      return `<th scope="col" class="outlet-col" data-outlet="${esc(m.id)}" data-lang="${esc(language ?? '')}" title="${esc(memberLabel(m))}"><span class="id">${esc(m.id)}</span><span class="small muted">${esc(short)}</span><span class="lang${language ? '' : ' unknown'}" title="${language ? `language ${esc(language)}` : 'language unknown'}">${esc(language ?? '?')}</span></th>`
    })
    .join('')
  const rows = story.map((p, i) => matrixRow(p, i, members))
  return [
    '<div class="card">',
    '<h3>Wire story × outlet</h3>',
    '<p class="muted">Each row is a paragraph of the wire story as the cluster shows it: the reference’s paragraphs in order, with an outlet’s own additions after the paragraph they follow. Each column is an outlet, with its language.</p>',
    '<div class="scroll">',
    `<table class="matrix" data-matrix="${esc(c.id)}">`,
    `<caption class="sr-only">What each outlet of cluster ${esc(c.id)} did with each paragraph of the wire story</caption>`,
    `<thead><tr><th scope="col" class="num">#</th><th scope="col">Paragraph</th>${head}</tr></thead>`,
    `<tbody>${rows.join('')}</tbody>`,
    '</table>',
    '</div>',
    '</div>',
  ].join('\n')
}

function matrixRow(p: StoryParagraph, i: number, members: readonly ClusterMember[]): string {
  const cells = members
    .map((m) => {
      const cell = cellOf(p, m.id)
      const st = CELL_STYLES[cell]
      return `<td class="cell" data-outlet="${esc(m.id)}" data-cell="${esc(cell)}"><span class="badge s-${esc(cell)}" title="${esc(`${m.id}: ${st.label}`)}" aria-label="${esc(st.label)}">${esc(st.letter)}</span></td>`
    })
    .join('')
  const origin = `${p.origin.article}:${p.origin.paragraph}`
  const reference = members[0]?.id
  const sharers = members.filter((m) => p.cells[m.id] !== undefined && p.cells[m.id] !== 'cut').map((m) => m.id)
  const tag = p.addition
    ? `<span class="tag">added by ${esc(p.origin.article)}</span> `
    : p.origin.article !== reference
      ? `<span class="tag">not in ${esc(reference ?? 'the reference')} · in ${esc(sharers.join(', '))}</span> `
      : ''
  return `<tr data-story="${i}" data-origin="${esc(origin)}" data-kind="${esc(p.kind ?? 'body')}"${p.addition ? ' data-addition' : ''}${tag && !p.addition ? ' data-shared' : ''}><th scope="row" class="num">${i + 1}</th><td class="ptext"><div class="clamp">${tag}${esc(p.text)}</div></td>${cells}</tr>`
}

type Side = Pick<ClusterMember, 'id' | 'relation' | 'source'>

function sideBySide(scope: string, ref: Side, copy: Side, d: ArticleDiff, foldCutRuns: number): string {
  const id = anchor('diff', scope, copy.id)
  const rows: string[] = []
  const ps = d.paragraphs
  for (let i = 0; i < ps.length; ) {
    let j = i
    while (j < ps.length && (ps[j] as ParagraphDiff).status === 'cut') j++
    if (foldCutRuns > 0 && j - i >= foldCutRuns) {
      rows.push(cutRun(ps.slice(i, j)))
      i = j
    } else {
      rows.push(diffRow(ps[i] as ParagraphDiff))
      i++
    }
  }
  const counts = describeCounts(d.summary)
  const summary = [
    counts,
    `carries ${percent(d.summary.referenceCarried)} of ${ref.id}`,
    `${percent(d.summary.copyOriginal)} own text`,
  ]
    .filter((x) => x !== '')
    .join(' · ')
  return [
    `<section class="card diff" id="${id}" data-diff="${esc(copy.id)}" data-reference="${esc(ref.id)}" aria-labelledby="${id}-h">`,
    '<details open>',
    `<summary><h3 id="${id}-h">${esc(copy.id)} against ${esc(ref.id)}</h3> ${relation(copy.relation)} <span class="muted">${esc(summary)}</span></summary>`,
    '<div class="scroll">',
    '<table class="sbs">',
    `<caption class="sr-only">Paragraphs of ${esc(ref.id)} (reference) and ${esc(copy.id)} side by side</caption>`,
    '<colgroup><col class="st-col"><col class="text-col"><col class="text-col"></colgroup>',
    `<thead><tr><th scope="col"><span class="sr-only">Status</span></th><th scope="col">Reference · ${esc(memberLabel(ref))}</th><th scope="col">Copy · ${esc(memberLabel(copy))}</th></tr></thead>`,
    `<tbody>${rows.join('')}</tbody>`,
    '</table>',
    '</div>',
    '</details>',
    '</section>',
  ].join('\n')
}

function diffRow(p: ParagraphDiff): string {
  const st = STATUS_STYLES[p.status]
  const refNo = paragraphNumbers(p.reference)
  const copyNo = paragraphNumbers(p.copy)
  const changes = (p.status === 'edited' || p.status === 'moved') && p.changes && p.changes.length > 0 ? p.changes : undefined
  const refHtml = p.referenceText === undefined ? '' : changes ? inline(changes, 'delete') : esc(p.referenceText)
  const copyHtml = p.copyText === undefined ? '' : changes ? inline(changes, 'insert') : esc(p.copyText)
  const notes: string[] = []
  if (p.shape && p.shape !== 'one-to-one') notes.push(p.shape)
  if (p.similarity !== undefined && p.status !== 'kept') notes.push(`similarity ${percent(p.similarity)}`)
  const note = notes.length > 0 ? `<span class="note">${esc(notes.join(' · '))}</span>` : ''
  const side = (no: string, body: string, empty: string, extra = '') =>
    body === ''
      ? `<td class="text empty"><span class="muted">${empty}</span></td>`
      : `<td class="text"><span class="pn">${no}</span>${body}${extra}</td>`
  const data = `${p.reference ? ` data-ref="${p.reference.join(',')}"` : ''}${p.copy ? ` data-copy="${p.copy.join(',')}"` : ''}`
  const status = `<td class="st">${badge(p.status, st.letter, st.label)}<span class="sr-only"> ${st.label}</span></td>`
  return `<tr class="row s-${p.status}" data-status="${p.status}"${data}>${status}${side(refNo, refHtml, 'not in the reference')}${side(copyNo, copyHtml, 'cut', note)}</tr>`
}

/** Word changes on one side: equal text, and the changes that belong to that side. */
function inline(changes: readonly InlineChange[], keep: 'insert' | 'delete'): string {
  const tag = keep === 'insert' ? 'ins' : 'del'
  return changes
    .map((ch) => {
      if (ch.op === 'equal') return esc(ch.text)
      if (ch.op === keep) return `<${tag}>${esc(ch.text)}</${tag}>`
      return ''
    })
    .join('')
}

function cutRun(run: readonly ParagraphDiff[]): string {
  const first = paragraphNumbers(run[0]?.reference)
  const last = paragraphNumbers(run[run.length - 1]?.reference)
  const st = STATUS_STYLES.cut
  const refs = run.flatMap((p) => p.reference ?? [])
  const body = run
    .map(
      (p) =>
        `<p data-ref="${(p.reference ?? []).join(',')}"><span class="pn">${paragraphNumbers(p.reference)}</span>${esc(p.referenceText ?? '')}</p>`,
    )
    .join('')
  return `<tr class="row s-cut run" data-status="cut" data-run="${run.length}" data-ref="${refs.join(',')}"><td class="st">${badge('cut', st.letter, st.label)}<span class="sr-only"> ${st.label}</span></td><td class="text"><details><summary>${run.length} paragraphs cut (${first}–${last})</summary>${body}</details></td><td class="text empty"><span class="muted">cut</span></td></tr>`
}

function singletons(report: Report): string {
  const rows = report.singletons.map(
    (a) =>
      `<tr data-article="${esc(a.id)}"${originAttr(a.origin)}><th scope="row">${esc(a.id)}${a.origin ? ` <span class="muted small">${esc(origin(a.origin) as string)}</span>` : ''}</th><td>${esc(a.source ?? '(no source)')}</td><td>${esc(a.publishedAt ?? '—')}</td><td>${esc(a.lang ?? '?')}</td></tr>`,
  )
  return [
    '<section class="card" id="singletons" data-section="singletons" aria-labelledby="singletons-h">',
    '<h2 id="singletons-h">Singletons</h2>',
    '<p class="muted">Articles that are in no cluster: no other article is a copy, part copy or translation of them. They may still report the same event in their own words.</p>',
    rows.length === 0
      ? '<p>None.</p>'
      : `<table class="plain"><caption class="sr-only">Articles in no cluster</caption><thead><tr><th scope="col">Article</th><th scope="col">Outlet</th><th scope="col">Published</th><th scope="col">Language</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    '</section>',
  ].join('\n')
}

function skipped(report: Report): string {
  const rows = report.skipped.map(
    (a) =>
      `<tr data-article="${esc(a.id)}" data-reason="${esc(a.reason)}"${originAttr(a.origin)}><th scope="row">${esc(a.id)}</th><td>${esc(a.source ?? '(no source)')}</td><td>${esc(a.reason)}</td><td>${esc(a.detail)}</td></tr>`,
  )
  return [
    '<section class="card" id="skipped" data-section="skipped" aria-labelledby="skipped-h">',
    '<h2 id="skipped-h">Skipped</h2>',
    rows.length === 0
      ? '<p class="muted">No article was skipped.</p>'
      : `<table class="plain"><caption class="sr-only">Articles that could not be analysed</caption><thead><tr><th scope="col">Article</th><th scope="col">Outlet</th><th scope="col">Reason</th><th scope="col">Detail</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    '</section>',
  ].join('\n')
}

function links(report: Report): string {
  const rows = report.links.map(
    (l) =>
      `<tr data-link="${esc(`${l.a} ${l.b}`)}"><th scope="row">${esc(l.a)} · ${esc(l.b)}</th><td>${relation(l.relation)}</td><td class="num">${percent(l.jaccard)}</td><td class="num">${percent(l.containment.aInB)}</td><td class="num">${percent(l.containment.bInA)}</td><td class="reason">${esc(l.reason)}</td></tr>`,
  )
  return [
    '<section class="card" id="links" data-section="links" aria-labelledby="links-h">',
    '<h2 id="links-h">Links</h2>',
    '<p class="muted">Every verified pair behind the clusters. A member joins a cluster only through its link with the reference.</p>',
    rows.length === 0
      ? '<p>None.</p>'
      : `<div class="scroll"><table class="plain"><caption class="sr-only">Verified links between articles</caption><thead><tr><th scope="col">Pair (A · B)</th><th scope="col">Relation</th><th scope="col" class="num">Jaccard</th><th scope="col" class="num">A in B</th><th scope="col" class="num">B in A</th><th scope="col">Reason</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`,
    '</section>',
  ].join('\n')
}

function boilerplate(list: readonly ReportBoilerplate[]): string {
  const articles = list.map((b) => {
    const items = b.removed.map(
      (r) =>
        `<li data-rule="${esc(r.rule)}" data-scope="${esc(r.scope)}"><p class="bp-head"><span class="tag">${esc(r.rule)}</span> <span class="muted small">${esc(r.scope)} · characters ${r.start}–${r.end}</span></p><pre class="removed">${esc(r.text)}</pre></li>`,
    )
    return `<article class="bp" data-boilerplate="${esc(b.article)}"><h3>${esc(b.source ? `${b.article} · ${b.source}` : b.article)}</h3><ul class="bp-list">${items.join('')}</ul></article>`
  })
  return [
    '<section class="card" id="boilerplate" data-section="boilerplate" aria-labelledby="boilerplate-h">',
    '<h2 id="boilerplate-h">Boilerplate removed</h2>',
    '<p class="muted">Text the pipeline took out before comparing: site chrome, advertising notices, comment policies. It never counts as added or cut.</p>',
    articles.length === 0 ? '<p>None.</p>' : articles.join('\n'),
    '</section>',
  ].join('\n')
}
