// The data the report page's script renders from: the report, compacted once. Each text is
// stored once where the page can rebuild it: reference paragraphs by index, a kept copy paragraph
// only when it differs from the reference's, an edited one as its word changes.
import { parsePublishedAt } from '../date.js'
import { fullDiffs } from '../diff/texts.js'
import type { InlineChange, ParagraphDiff } from '../diff/types.js'
import { CELL_STYLES, cellOf, RELATION_DESCRIPTIONS, STATUS_STYLES } from './legend.js'
import type { Report, ReportCluster, ReportLink, ReportMember } from './types.js'

const CELL_LETTERS = {
  reference: 'R',
  carried: 'K',
  edited: 'E',
  reworded: 'W',
  translated: 'T',
  moved: 'M',
  cut: 'C',
  addition: 'A',
  absent: '.',
} as const

/** A member: id, headline, outlet (index into `outlets`), day, language, url, relation, confidence, scores, reason, paragraph spans, paragraph texts. */
export interface PageMember {
  id: string
  /** The headline; 0: the text of the member's first paragraph. */
  h?: string | 0
  s?: number
  /** Publication day, as days since 1970-01-01. */
  d?: number
  l?: string
  u?: string
  /** With an index or store: "s" stored by an earlier run, "n" new in this run. */
  o?: 's' | 'n'
  r: string
  c: number
  mode?: string
  j: number
  ci: number
  ri: number
  /** The reason; {m} stands for the member's id in quotes, {r} for the reference's. */
  why: string
  /** Paragraph spans in the original text, flat and relative: start minus the previous end, then length, per paragraph. */
  sp?: number[]
  /**
   * The member's paragraph texts by index: a number stands for the reference paragraph of that
   * index (same text), null for a text its edited row rebuilds from the reference's and the word
   * changes; "" where no row gave one.
   */
  tx: (string | number | null)[]
}

/**
 * A diff row: [status letter, reference indices, copy indices, similarity, extras]. An index list
 * of one is the number; texts come from the reference's `rp` and the copy's `tx`. Extras:
 * `sh` shape; `ch` word changes over the reference text (n: n equal characters, -n: n deleted,
 * a string: inserted), which also rebuild the copy's text; `rt`/`ct`/`cx` texts and changes
 * written out where they cannot be rebuilt.
 */
export type PageRow = [string, number | number[] | null, number | number[] | null, number | null, PageRowExtras?]
export interface PageRowExtras {
  sh?: string
  ch?: (number | string)[]
  rt?: string
  ct?: string
  cx?: [string, string][]
}

export interface PageDiff {
  counts: Record<string, number>
  carried: number
  own: number
  rows: PageRow[]
  /** Shared passages with the reference: [reference start, end, member start, end], original-text offsets. */
  pass: [number, number, number, number][]
}

export interface PageCluster {
  id: string
  ref: string
  rule: string
  m: PageMember[]
  /** Per member (same order), its diff against the reference; null for the reference or when none was given. */
  d: (PageDiff | null)[] | null
  /** Reference paragraph texts by index ("" where no row gave one). */
  rp: string[]
  /** Story paragraphs: [origin member index, origin paragraph, kind, addition, cell letters per member]. */
  story: [number, number, string, number, string][]
  /** Links between members other than the member–reference links: [a, b, relation, Jaccard, reason]. */
  links: [string, string, string, number, string][]
  /** Boilerplate removed from members: article → [rule, scope, text]. */
  bp: Record<string, [string, string, string][]>
}

export interface PageData {
  fold: number
  /** Outlet names; members and singletons give an index ("" at 0: none). */
  outlets: string[]
  clusters: PageCluster[]
  /** [id, headline, outlet index, day (days since 1970), language, url, origin ("s", "n")], trailing empty fields left out. */
  singles: (string | number)[][]
  /** [id, outlet, reason, detail] */
  skipped: [string, string, string, string][]
  legend: {
    status: Record<string, { letter: string; label: string }>
    cell: Record<string, { letter: string; label: string }>
    relations: Record<string, string>
  }
}

const STATUS_CODE: Record<string, string> = {
  kept: 'K',
  edited: 'E',
  reworded: 'W',
  translated: 'T',
  moved: 'M',
  added: 'A',
  cut: 'C',
}
const OP_CODE: Record<InlineChange['op'], string> = { equal: '=', insert: '+', delete: '-' }
const JOINER = '\n\n'

const round3 = (x: number) => Math.round(x * 1000) / 1000
/** A date as whole days since 1970-01-01 (the page shows days). */
const day = (d: string | undefined): number | undefined => {
  const t = d ? parsePublishedAt(d) : Number.NaN
  return Number.isNaN(t) ? undefined : Math.floor(t / 86_400_000)
}
const one = (ix: number[] | undefined): number | number[] | null =>
  ix === undefined ? null : ix.length === 1 ? (ix[0] as number) : ix

class Outlets {
  readonly list = ['']
  private readonly index = new Map<string, number>([['', 0]])
  of(name: string | undefined): number {
    const key = name ?? ''
    let i = this.index.get(key)
    if (i === undefined) {
      i = this.list.length
      this.list.push(key)
      this.index.set(key, i)
    }
    return i
  }
}

/** Put each paragraph of a (possibly joined) row text in `into`; false when the text does not split as the indices say. */
function spread(into: (string | undefined)[], ix: number[] | undefined, text: string | undefined): boolean {
  if (!ix || text === undefined) return true
  const parts = ix.length === 1 ? [text] : text.split(JOINER)
  if (parts.length !== ix.length) return false
  ix.forEach((i, k) => {
    if (into[i] === undefined) into[i] = parts[k] as string
  })
  return true
}

/** Word changes over the reference text (n equal, -n deleted, a string inserted), or undefined when they do not rebuild both texts. */
function changeOps(changes: readonly InlineChange[], ref: string, copy: string): (number | string)[] | undefined {
  let a = 0
  let rebuilt = ''
  const out: (number | string)[] = []
  for (const c of changes) {
    if (c.op === 'insert') {
      out.push(c.text)
      rebuilt += c.text
      continue
    }
    if (ref.slice(a, a + c.text.length) !== c.text) return undefined
    a += c.text.length
    if (c.op === 'equal') rebuilt += c.text
    out.push(c.op === 'equal' ? c.text.length : -c.text.length)
  }
  return a === ref.length && rebuilt === copy ? out : undefined
}

function relativeSpans(spans: readonly [number, number][]): number[] {
  const out: number[] = []
  let end = 0
  for (const [s, e] of spans) {
    out.push(s - end, e - s)
    end = e
  }
  return out
}

function member(
  m: ReportMember,
  reference: string,
  outlets: Outlets,
  tx: (string | number | null)[],
  first: string | undefined,
): PageMember {
  return {
    id: m.id,
    ...(m.headline ? { h: m.headline === first ? 0 : m.headline } : {}),
    ...(m.source ? { s: outlets.of(m.source) } : {}),
    ...(m.publishedAt ? { d: day(m.publishedAt) } : {}),
    ...(m.lang ? { l: m.lang } : {}),
    ...(m.url ? { u: m.url } : {}),
    ...(m.origin ? { o: m.origin === 'stored' ? ('s' as const) : ('n' as const) } : {}),
    r: m.relation,
    c: round3(m.confidence),
    ...(m.mode ? { mode: m.mode } : {}),
    j: round3(m.jaccard),
    ci: round3(m.containment.inReference),
    ri: round3(m.containment.referenceIn),
    why: m.reason.includes('{') ? m.reason : m.reason.split(`"${m.id}"`).join('{m}').split(`"${reference}"`).join('{r}'),
    ...(m.spans ? { sp: relativeSpans(m.spans) } : {}),
    tx,
  }
}

function cluster(c: ReportCluster, outlets: Outlets, linkOf: (a: string, b: string) => ReportLink | undefined): PageCluster {
  const diffs = new Map((c.diff ? fullDiffs(c.diff) : []).map((d) => [d.copy, d]))
  // Every paragraph text once: the reference's from any row that has it, each copy's from its own rows.
  const ref: (string | undefined)[] = []
  const texts = new Map<string, (string | undefined)[]>()
  const whole = new Set<ParagraphDiff>()
  for (const d of diffs.values()) {
    const copy: (string | undefined)[] = []
    texts.set(d.copy, copy)
    for (const p of d.paragraphs) {
      if (spread(ref, p.reference, p.referenceText) && spread(copy, p.copy, p.copyText)) whole.add(p)
    }
  }
  const memberIndex = new Map(c.members.map((m, i) => [m.id, i]))
  for (const p of c.diff?.story ?? []) {
    const into = p.origin.article === c.reference ? ref : texts.get(p.origin.article)
    if (into && into[p.origin.paragraph] === undefined) into[p.origin.paragraph] = p.text
  }
  const rp = Array.from(ref, (t) => t ?? '')
  const refIndex = new Map<string, number>()
  rp.forEach((t, i) => {
    if (t !== '' && !refIndex.has(t)) refIndex.set(t, i)
  })
  const copyText = (id: string, ix: number[]) => ix.map((j) => texts.get(id)?.[j] ?? '').join(JOINER)
  // Copy paragraphs that their edited row rebuilds: not stored.
  const derived = new Map<string, Set<number>>()

  const row = (copyId: string, p: ParagraphDiff): PageRow => {
    const extras: PageRowExtras = {}
    if (p.shape && p.shape !== 'one-to-one') extras.sh = p.shape
    const rebuilt = whole.has(p)
    if (!rebuilt && p.referenceText !== undefined) extras.rt = p.referenceText
    if (!rebuilt && p.copyText !== undefined) extras.ct = p.copyText
    const changes = (p.status === 'edited' || p.status === 'moved') && p.changes && p.changes.length > 0 ? p.changes : undefined
    if (changes) {
      const rt = p.reference ? p.reference.map((i) => rp[i]).join(JOINER) : ''
      const ct = p.copy ? copyText(copyId, p.copy) : ''
      const ops = rebuilt ? changeOps(changes, rt, ct) : undefined
      if (ops !== undefined) {
        extras.ch = ops
        let set = derived.get(copyId)
        if (!set) derived.set(copyId, (set = new Set()))
        for (const j of p.copy ?? []) set.add(j)
      } else extras.cx = changes.map((x) => [OP_CODE[x.op], x.text])
    }
    const out: PageRow = [
      STATUS_CODE[p.status] as string,
      one(p.reference),
      one(p.copy),
      p.similarity === undefined ? null : round3(p.similarity),
    ]
    if (Object.keys(extras).length > 0) out.push(extras)
    return out
  }

  const links: PageCluster['links'] = []
  for (const a of c.members) {
    for (const b of c.members) {
      if (a.id >= b.id || a.id === c.reference || b.id === c.reference) continue
      const l = linkOf(a.id, b.id)
      if (l) links.push([l.a, l.b, l.relation, round3(l.jaccard), l.reason])
    }
  }
  const rowsOf = new Map([...diffs.values()].map((d) => [d.copy, d.paragraphs.map((p) => row(d.copy, p))]))
  const txOf = (id: string): (string | number | null)[] => {
    if (id === c.reference) return []
    const gone = derived.get(id)
    return Array.from(texts.get(id) ?? [], (t, j) => (gone?.has(j) ? null : t === undefined ? '' : (refIndex.get(t) ?? t)))
  }
  // The headline by reference to the first paragraph when it is that paragraph (and stored as text).
  const firstOf = (id: string) => {
    if (id === c.reference) return rp[0]
    const t = texts.get(id)?.[0]
    return derived.get(id)?.has(0) ? undefined : t
  }
  return {
    id: c.id,
    ref: c.reference,
    rule: c.referenceRule,
    m: c.members.map((m) => member(m, c.reference, outlets, txOf(m.id), firstOf(m.id))),
    d: c.diff
      ? c.members.map((m) => {
          const d = diffs.get(m.id)
          if (!d) return null
          const link = linkOf(m.id, c.reference)
          const refIsA = link?.a === c.reference
          return {
            counts: Object.fromEntries(Object.entries(d.summary.counts).filter(([, n]) => n > 0)),
            carried: round3(d.summary.referenceCarried),
            own: round3(d.summary.copyOriginal),
            rows: rowsOf.get(m.id) ?? [],
            pass: (link?.passages ?? []).map((p): [number, number, number, number] => {
              const r = refIsA ? p.a : p.b
              const x = refIsA ? p.b : p.a
              return [r.start, r.end, x.start, x.end]
            }),
          }
        })
      : null,
    rp,
    story: (c.diff?.story ?? []).map((p) => [
      memberIndex.get(p.origin.article) ?? 0,
      p.origin.paragraph,
      p.kind ?? 'body',
      p.addition ? 1 : 0,
      c.members.map((m) => CELL_LETTERS[cellOf(p, m.id)]).join(''),
    ]),
    links,
    bp: {},
  }
}

/** Compact the report into what the page's script renders. */
export function toPageData(report: Report, fold: number): PageData {
  const links = new Map<string, ReportLink>()
  for (const l of report.links) {
    links.set(`${l.a}\u0000${l.b}`, l)
    links.set(`${l.b}\u0000${l.a}`, l)
  }
  const linkOf = (a: string, b: string) => links.get(`${a}\u0000${b}`)
  const outlets = new Outlets()
  const clusters = report.clusters.map((c) => cluster(c, outlets, linkOf))
  const owner = new Map<string, PageCluster>()
  for (const c of clusters) for (const m of c.m) owner.set(m.id, c)
  for (const b of report.boilerplate) {
    const c = owner.get(b.article)
    if (c) c.bp[b.article] = b.removed.map((r) => [r.rule, r.scope, r.text])
  }
  const status: PageData['legend']['status'] = {}
  for (const [k, v] of Object.entries(STATUS_STYLES)) status[STATUS_CODE[k] as string] = { letter: v.letter, label: v.label }
  const cell: PageData['legend']['cell'] = {}
  for (const [k, v] of Object.entries(CELL_STYLES))
    cell[CELL_LETTERS[k as keyof typeof CELL_LETTERS]] = { letter: v.letter, label: v.label }
  const singles = report.singletons.map((a) => {
    const r: (string | number)[] = [
      a.id,
      a.headline ?? '',
      outlets.of(a.source),
      day(a.publishedAt) ?? '',
      a.lang ?? '',
      a.url ?? '',
      a.origin === 'stored' ? 's' : a.origin === 'new' ? 'n' : '',
    ]
    while (r.length > 1 && (r[r.length - 1] === '' || r[r.length - 1] === 0)) r.pop()
    return r
  })
  return {
    fold,
    outlets: outlets.list,
    clusters,
    singles,
    skipped: report.skipped.map((a) => [a.id, a.source ?? '', a.reason, a.detail]),
    legend: { status, cell, relations: { ...RELATION_DESCRIPTIONS } },
  }
}

/**
 * JSON for an inline `<script type="application/json">`: every `<` before `/` or `!` escaped, so no
 * `</script>` or `<!--` in the data can end or change the element; U+2028/9 for old parsers.
 */
export function embedJson(value: unknown): string {
  // A script element ends only at "</" (+ "script") and turns odd after "<!--": escaping "<"
  // there is enough (the rest of the data stays readable and small). A "<" is only ever inside a
  // JSON string, where \u003c means the same.
  return JSON.stringify(value).replace(/<(?=[/!])|[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
