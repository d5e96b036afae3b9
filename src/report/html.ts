import type { ClusterMember } from '../cluster/cluster.js'
import type { ArticleDiff, InlineChange, ParagraphDiff } from '../diff/types.js'
import { argString, describeValue, invalid } from '../errors.js'
import { CLIENT_SCRIPT } from './html-client.js'
import { embedJson, toPageData } from './html-data.js'
import { STYLES } from './html-style.js'
import {
  CELL_STYLES,
  compactMessage,
  describeCounts,
  leftOutWarning,
  percent,
  RELATION_DESCRIPTIONS,
  STATUS_ORDER,
  STATUS_STYLES,
} from './legend.js'
import { base64, sha256 } from './sha256.js'
import type { HtmlOptions, Report, ReportBoilerplate } from './types.js'

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
 * Render a report as one self-contained HTML page that stays usable at 20,000 articles. It opens
 * on an overview: one row per cluster (headline, size, outlets, languages, dates, relations),
 * sortable, with a search box and filters by relation, minimum size, outlet and language. A
 * cluster's detail (members with headline, link, outlet and date; the wire story × outlet
 * matrix; a side-by-side view per member with word changes and the shared passages marked) is
 * built when it is opened, from the report data embedded once in the page as JSON; singletons
 * and skipped articles are a count and a searchable list; removed boilerplate is summarised by
 * rule. One inline script does the rendering; the Content-Security-Policy allows that script
 * alone (by its SHA-256) and no network request. Every text reaches the page as text, never as
 * markup, and links open only http(s) URLs.
 *
 * Elements carry stable `data-*` attributes for tools and tests: `data-section` (`overview`,
 * `singletons`, `skipped`, `boilerplate`, `legend`, `stats`), `data-row` (an overview row),
 * `data-open` (its toggle), `data-cluster` + `data-reference` (an opened cluster),
 * `data-member` + `data-relation`, `data-strip`, `data-status`, `data-diff`, `data-ref`/`data-copy`,
 * `data-matrix`, `data-outlet` + `data-lang`, `data-cell`, `data-article`, `data-boilerplate`,
 * `data-rule`. `#cluster=ID` in the address opens that cluster.
 *
 * @example
 * const html = renderHtml(report, { title: 'Homs, 8 December 2024' })
 * html.startsWith('<!doctype html>') // true
 * html.match(/<script/g)?.length      // 2: the data (JSON, not run) and the script that renders it
 */
export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  if (report?.format !== 'wiretrace/report')
    throw invalid('renderHtml: report must be the result of buildReport() or parseReport()')
  const o = resolveHtmlOptions(options, 'renderHtml')
  const s = report.stats
  const filter = report.filter
    ? ` Filtered: clusters of at least ${report.filter.minSize} articles${report.filter.relations.length ? `, members related as ${esc(report.filter.relations.join(', '))}` : ''} (${report.filter.released} articles released as singletons).`
    : ''
  return page(o.title, {
    lede: `Syndicated copies of wire stories, and what each outlet did with them.${filter}${
      report.generatedAt ? ` Generated <time datetime="${esc(report.generatedAt)}">${esc(report.generatedAt)}</time>.` : ''
    }${s.leftOut ? ` <strong>Warning: ${esc(leftOutWarning(s.leftOut))}.</strong>` : ''}`,
    stats: [
      ['Articles', s.articles],
      ['Clusters', s.clusters],
      ['In clusters', s.clustered],
      ['Singletons', s.singletons],
      ['Skipped', s.skipped],
      ['Verified links', report.links.length],
      ['Boilerplate removed', s.boilerplateRemoved],
    ],
    contents: [
      ['overview', 'Clusters'],
      ['singletons', 'Singletons'],
      ['skipped', 'Skipped'],
      ['boilerplate', 'Boilerplate'],
      ['legend', 'Legend'],
    ],
    body: [
      '<noscript><p class="card">This report draws its clusters with a script (inline, no network): allow JavaScript to see them.</p></noscript>',
      overview(),
      legend(),
      articleList(
        'singletons',
        'Singletons',
        s.singletons,
        'Articles in no cluster: no other article is a copy, part copy or translation of them. They may still report the same event in their own words.',
        ['Article', 'Headline', 'Outlet', 'Published', 'Language'],
      ),
      articleList('skipped', 'Skipped', s.skipped, 'Articles that could not be analysed, and why.', [
        'Article',
        'Outlet',
        'Reason',
        'Detail',
      ]),
      boilerplateSummary(report.boilerplate),
      `<script type="application/json" id="wt-data">${embedJson(toPageData(report, o.foldCutRuns))}</script>`,
      `<script>${CLIENT_SCRIPT}</script>`,
    ],
    footer: `Format ${esc(report.format)} version ${report.version}. This page is self-contained: it loads nothing, and its one script draws the data embedded in it.`,
    script: CLIENT_SCRIPT,
  })
}

function overview(): string {
  const head = (
    [
      ['headline', 'Headline'],
      ['size', 'Size'],
      ['outlets', 'Outlets'],
      ['langs', 'Languages'],
      ['dates', 'Dates'],
      ['relations', 'Relations'],
    ] as const
  )
    .map(
      ([key, label]) =>
        `<th scope="col"${key === 'size' ? ' class="num"' : ''} aria-sort="${key === 'size' ? 'descending' : 'none'}"><button type="button" class="sort" data-sort="${key}">${label}</button></th>`,
    )
    .join('')
  return [
    '<section class="card" id="overview" data-section="overview" aria-labelledby="overview-h">',
    '<h2 id="overview-h">Clusters</h2>',
    '<p class="muted">One row per story that was syndicated: its headline, how many articles carry it, by which outlets, in which languages, when, and how they relate to the reference. Open a row to see its members, the wire story × outlet matrix and what each outlet did, paragraph by paragraph.</p>',
    '<div class="controls" role="search">',
    '<label class="grow">Search <input type="search" id="f-q" placeholder="headline, outlet or id" autocomplete="off"></label>',
    '<label>Relation <select id="f-rel"><option value="">any</option></select></label>',
    '<label>Minimum size <input type="number" id="f-min" min="2" value="2" inputmode="numeric"></label>',
    '<label>Outlet <select id="f-outlet"><option value="">any</option></select></label>',
    '<label>Language <select id="f-lang"><option value="">any</option></select></label>',
    '</div>',
    '<p class="muted small" id="ov-count" aria-live="polite"></p>',
    '<div class="scroll">',
    // Fixed layout: an opened cluster's wide tables scroll inside its row instead of widening the overview.
    `<table class="overview"><caption class="sr-only">Clusters; sort by a column with its button</caption><colgroup><col class="c-headline"><col class="c-size"><col class="c-outlets"><col class="c-langs"><col class="c-dates"><col class="c-rels"></colgroup><thead><tr>${head}</tr></thead><tbody id="ov-body"></tbody></table>`,
    '</div>',
    '<p><button type="button" class="more" id="ov-more" hidden>Show more clusters</button></p>',
    '</section>',
  ].join('\n')
}

function articleList(id: string, title: string, n: number, about: string, columns: string[]): string {
  return [
    `<section class="card" id="${id}" data-section="${id}" aria-labelledby="${id}-h">`,
    `<h2 id="${id}-h">${esc(title)} <span class="muted">· ${n}</span></h2>`,
    `<p class="muted">${esc(about)}</p>`,
    `<div class="controls"><label class="grow">Search <input type="search" placeholder="id, headline or outlet" autocomplete="off"></label></div>`,
    '<p class="muted small list-count" aria-live="polite"></p>',
    `<div class="scroll"><table class="plain"><caption class="sr-only">${esc(title)}</caption><thead><tr>${columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead><tbody></tbody></table></div>`,
    '<p><button type="button" class="more" hidden>Show more</button></p>',
    '</section>',
  ].join('\n')
}

/** Removed boilerplate by rule: how often, in how many articles, with one example. Per article, it is in each cluster's detail. */
function boilerplateSummary(list: readonly ReportBoilerplate[]): string {
  const rules = new Map<string, { rule: string; scope: string; pieces: number; articles: Set<string>; example: string }>()
  for (const b of list) {
    for (const r of b.removed) {
      const key = `${r.rule}\u0000${r.scope}`
      let g = rules.get(key)
      if (!g) rules.set(key, (g = { rule: r.rule, scope: r.scope, pieces: 0, articles: new Set(), example: r.text }))
      g.pieces++
      g.articles.add(b.article)
    }
  }
  const rows = [...rules.values()]
    .sort((a, b) => b.articles.size - a.articles.size || (a.rule < b.rule ? -1 : 1))
    .map((g) => {
      const example = g.example.length > 300 ? `${g.example.slice(0, 299)}…` : g.example
      return `<tr data-rule="${esc(g.rule)}" data-scope="${esc(g.scope)}"><th scope="row"><span class="tag">${esc(g.rule)}</span></th><td>${esc(g.scope)}</td><td class="num">${g.articles.size}</td><td class="num">${g.pieces}</td><td><pre class="removed">${esc(example)}</pre></td></tr>`
    })
  return [
    '<section class="card" id="boilerplate" data-section="boilerplate" aria-labelledby="boilerplate-h">',
    '<h2 id="boilerplate-h">Boilerplate removed</h2>',
    '<p class="muted">Text the pipeline took out before comparing: site chrome, advertising notices, comment policies. It never counts as added or cut. Each cluster’s detail lists what was removed from its members.</p>',
    rows.length === 0
      ? '<p>None.</p>'
      : `<div class="scroll"><table class="plain"><caption class="sr-only">Removed boilerplate by rule</caption><thead><tr><th scope="col">Rule</th><th scope="col">Scope</th><th scope="col" class="num">Articles</th><th scope="col" class="num">Pieces</th><th scope="col">Example</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`,
    '</section>',
  ].join('\n')
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
  if (diff.texts === 'compact') throw invalid(compactMessage('renderDiffHtml', diff))
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
      legend(),
      sideBySide(
        diff.reference,
        { id: diff.reference, relation: 'reference' },
        { id: diff.copy, relation: diff.relation },
        diff,
        o.foldCutRuns,
      ),
      boilerplate(bp),
    ],
    footer: `Diff format article-diff version ${diff.version}. This page is self-contained: it loads nothing and runs no script.`,
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
  /** The page's one inline script, if it has one: the policy allows it by its hash. */
  script?: string
}

function page(title: string, p: PageParts): string {
  const toc = p.contents.map(([href, label]) => `<li><a href="#${esc(href)}">${esc(label)}</a></li>`).join('')
  return `${[
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may leave the page: no fetches; inline styles, data: images, and at most the one
    // inline script the page was built with, allowed by its SHA-256 (any other script is refused).
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(p.script)}">`,
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
    ...p.body,
    '</main>',
    `<footer class="wrap foot">${p.footer}</footer>`,
    '</body>',
    '</html>',
  ].join('\n')}\n`
}

/** The page's policy: nothing loads; the one inline script (if any) runs, by its SHA-256. */
export function contentSecurityPolicy(script?: string): string {
  const scripts = script === undefined ? '' : ` script-src 'sha256-${scriptHash(script)}';`
  return `default-src 'none'; style-src 'unsafe-inline';${scripts} img-src data:; base-uri 'none'; form-action 'none'`
}

// The page's script is a constant: hash it once, not on every render.
let hashed: { script: string; hash: string } | undefined
function scriptHash(script: string): string {
  if (hashed?.script !== script) hashed = { script, hash: base64(sha256(script)) }
  return hashed.hash
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
    '<p class="muted">Every paragraph is marked with a letter and a colour: what the outlet did with it, compared with the reference. Inside edited paragraphs, <del>removed words</del> and <ins>added words</ins> are marked; elsewhere, <mark class="passage">passages the two articles share</mark> (in a cluster’s side-by-side view).</p>',
    `<ul class="legend-list">${[...statuses, ...extra].join('')}</ul>`,
    '</section>',
  ].join('\n')
}

function memberLabel(m: Pick<ClusterMember, 'id' | 'source'>): string {
  return m.source ? `${m.id} · ${m.source}` : m.id
}

function relation(r: ClusterMember['relation']): string {
  return `<span class="rel rel-${esc(r)}" title="${esc(RELATION_DESCRIPTIONS[r])}">${esc(r)}</span>`
}

function paragraphNumbers(ix: number[] | undefined): string {
  return ix && ix.length > 0 ? ix.map((i) => `¶${i + 1}`).join('+') : ''
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
