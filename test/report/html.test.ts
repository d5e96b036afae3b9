import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { clusterArticles } from '../../src/cluster/cluster.js'
import { diffArticles, memberDiff } from '../../src/diff/index.js'
import { contentSecurityPolicy } from '../../src/report/html.js'
import { embedJson, type PageData } from '../../src/report/html-data.js'
import { buildReport, escapeHtml, filterReport, renderDiffHtml, renderHtml } from '../../src/report/index.js'
import { base64, sha256 } from '../../src/report/sha256.js'
import { seed } from '../helpers/seeds.js'
import { HOSTILE_ID, HOSTILE_SOURCE, handMadeResult, hostileReport, QUOTES, SCRIPT, seedReport } from './fixtures.js'

/** Everything in a page that could make the browser load or run something. */
function externalReferences(html: string): string[] {
  const found = [
    ...html.matchAll(/<(script|link|iframe|object|embed|img|video|audio|source|base|form)\b/gi),
    ...html.matchAll(/\b(src|href|srcset|action|poster)\s*=\s*"(?!#)[^"]*"/gi),
    ...html.matchAll(/url\(|@import/gi),
  ]
  return found.map((m) => m[0])
}

/** The page's embedded data, parsed as the page's script parses it. */
function dataOf(html: string): PageData {
  const m = /<script type="application\/json" id="wt-data">([\s\S]*?)<\/script>/.exec(html)
  expect(m).not.toBeNull()
  return JSON.parse(m?.[1] as string) as PageData
}

/** The inline scripts that run (not the JSON data). */
const scriptsOf = (html: string) =>
  [...html.matchAll(/<script>([^<]*(?:<(?!\/script>)[^<]*)*)<\/script>/g)].map((m) => m[1] as string)

describe('renderHtml', () => {
  const report = seedReport()
  const html = renderHtml(report)

  it('returns one self-contained page: no request, and one script, allowed by its SHA-256', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true)
    // The only <script> elements: the JSON data (not run) and the one inline script.
    expect(externalReferences(html)).toEqual(['<script', '<script'])
    const scripts = scriptsOf(html)
    expect(scripts).toHaveLength(1)
    const hash = createHash('sha256')
      .update(scripts[0] as string, 'utf8')
      .digest('base64')
    expect(html).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'"`,
    )
    expect(contentSecurityPolicy()).not.toContain('script-src')
    // The script sets no markup from data.
    expect(scripts[0]).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/)
  })

  it('opens on the overview and embeds the report once, as data: no cluster is pre-rendered', () => {
    for (const s of ['stats', 'overview', 'legend', 'singletons', 'skipped', 'boilerplate']) {
      expect(html).toContain(`data-section="${s}"`)
    }
    expect(html.indexOf('data-section="overview"')).toBeLessThan(html.indexOf('data-section="singletons"'))
    expect(html).not.toContain('data-cluster=')
    expect(html).not.toContain('data-member=')
    expect(html.match(/id="wt-data"/g)).toHaveLength(1)
    const data = dataOf(html)
    expect(data.clusters.map((c) => c.id)).toEqual(['003'])
    const c = data.clusters[0]!
    expect(c.m[0]?.h === 0 ? c.rp[0] : c.m[0]?.h).toBe('Syria rebels enter strategic city of Homs – war monitor')
    expect(c.m.map((m) => [m.id, m.r, data.outlets[m.s ?? 0]])).toEqual(
      report.clusters[0]?.members.map((m) => [m.id, m.relation, m.source]),
    )
    expect(data.singles.map((r) => [r[0], data.outlets[r[2] as number]])).toEqual([
      ['004', 'Rudaw (own reporting on the same event)'],
    ])
  })

  it('keeps every paragraph text and word change the diffs give, each text stored once', () => {
    const data = dataOf(html)
    const c = data.clusters[0]!
    const list = (x: number | number[] | null) => (x === null ? undefined : typeof x === 'number' ? [x] : x)
    const NAMES: Record<string, string> = {
      K: 'kept',
      E: 'edited',
      W: 'reworded',
      T: 'translated',
      M: 'moved',
      A: 'added',
      C: 'cut',
    }
    const clusterDiff = report.clusters[0]?.diff
    if (!clusterDiff) throw new Error('the seed report must have a diff')
    // The report's member diffs are compact: the page must hold every text they stand for.
    for (const d of clusterDiff.diffs.map((x) => memberDiff(clusterDiff, x.copy))) {
      const i = c.m.findIndex((m) => m.id === d.copy)
      const m = c.m[i]!
      const text = (j: number) => {
        const t = m.tx[j]
        return typeof t === 'number' ? c.rp[t] : (t ?? '')
      }
      const rows = c.d?.[i]?.rows ?? []
      expect(rows).toHaveLength(d.paragraphs.length)
      d.paragraphs.forEach((p, k) => {
        const [st, ri, ci, , x] = rows[k]!
        const rt =
          x?.rt ??
          list(ri)
            ?.map((j) => c.rp[j])
            .join('\n\n')
        let ct = x?.ct ?? list(ci)?.map(text).join('\n\n')
        if (x?.ch) {
          // Changes over the reference text rebuild the word diff, and the copy's text.
          let a = 0
          const rebuilt = x.ch.map((o) => {
            if (typeof o === 'string') return { op: 'insert', text: o }
            const t = (rt as string).slice(a, a + Math.abs(o))
            a += Math.abs(o)
            return { op: o >= 0 ? 'equal' : 'delete', text: t }
          })
          expect(rebuilt).toEqual(p.changes)
          ct = rebuilt
            .filter((y) => y.op !== 'delete')
            .map((y) => y.text)
            .join('')
          for (const j of list(ci) ?? []) expect(m.tx[j]).toBeNull()
        }
        expect([NAMES[st], rt, ct]).toEqual([p.status, p.referenceText, p.copyText])
      })
    }
    // A text is stored once: a copy paragraph identical to a reference paragraph points at it.
    const pointers = c.m.flatMap((m) => m.tx.filter((t): t is number => typeof t === 'number'))
    expect(pointers.length).toBeGreaterThan(0)
    expect(c.m.flatMap((m) => m.tx.filter((t) => t === null)).length).toBeGreaterThan(0)
    // The copy's passages with the reference, oriented reference first.
    expect(c.d?.[c.m.findIndex((m) => m.id === '001')]?.pass.length).toBeGreaterThan(0)
    expect(c.m[0]?.sp?.length).toBeGreaterThan(10)
  })

  it('is deterministic', () => {
    expect(renderHtml(seedReport())).toBe(html)
  })

  it('escapes every piece of article text, id and outlet: no </script> or <!-- in the data', () => {
    const hostile = hostileReport()
    hostile.clusters[0]!.members[1]!.headline = `</script><script>alert(2)</script><!-- ${SCRIPT}`
    const page = renderHtml(hostile, { title: `${SCRIPT} report` })
    // Markup in the data stays inside the JSON element: it cannot close it or open a comment.
    const json = /<script type="application\/json" id="wt-data">([\s\S]*?)<\/script>/.exec(page)?.[1] as string
    expect(json).not.toMatch(/<[/!]/)
    const outside = page.replace(json, '')
    expect(outside).not.toContain(SCRIPT)
    expect(outside).not.toContain('alert(2)')
    expect(outside).not.toContain('<!--')
    expect(outside).not.toContain('<b>not</b>')
    expect(outside).not.toContain('<img')
    expect(externalReferences(outside)).toEqual(['<script', '<script'])
    expect(page).toContain(`<title>&lt;script&gt;alert(1)&lt;/script&gt; report</title>`)
    const data = dataOf(page)
    const m = data.clusters[0]?.m[1]
    expect(m?.id).toBe(HOSTILE_ID)
    expect(data.outlets[m?.s ?? 0]).toBe(HOSTILE_SOURCE)
    expect(m?.h).toBe(`</script><script>alert(2)</script><!-- ${SCRIPT}`)
    expect(JSON.stringify(data)).toContain(QUOTES.replace(/"/g, '\\"'))
  })

  it('embedJson escapes what could end or change a script element', () => {
    const json = embedJson({ a: '</script><!-- & \u2028 <b>' })
    expect(json).not.toMatch(/<[/!]|\u2028/)
    expect(json).toContain('\\u003c/script>\\u003c!--')
    expect(JSON.parse(json)).toEqual({ a: '</script><!-- & \u2028 <b>' })
  })

  describe('edge cases', () => {
    it('renders an empty report', () => {
      const page = renderHtml(buildReport(clusterArticles([])))
      expect(dataOf(page)).toMatchObject({ clusters: [], singles: [], skipped: [] })
      expect(page).toContain('id="skipped-h">Skipped <span class="muted">· 0</span>')
    })

    it('renders a cluster without a diff, a skipped article, a filter and a timestamp', () => {
      const page = renderHtml(filterReport(buildReport(handMadeResult(), [], { generatedAt: new Date(0) }), { minSize: 2 }))
      const data = dataOf(page)
      expect(data.clusters[0]?.d).toBeNull()
      expect(data.skipped.map((r) => [r[0], r[2]])).toEqual([['d', 'empty']])
      expect(page).toContain('<time datetime="1970-01-01T00:00:00.000Z">')
      expect(page).toContain('Filtered: clusters of at least 2 articles')
    })

    it('passes the fold of cut runs to the page', () => {
      expect(dataOf(html).fold).toBe(4)
      expect(dataOf(renderHtml(seedReport(), { foldCutRuns: 0 })).fold).toBe(0)
    })

    it('summarises removed boilerplate by rule', () => {
      expect(html).toMatch(
        /<tr data-rule="trailing-section" data-scope="[^"]+"><th scope="row"><span class="tag">trailing-section<\/span>/,
      )
    })

    it('refuses what is not a report, and bad options', () => {
      expect(() => renderHtml({} as never)).toThrow(/renderHtml: report must be/)
      expect(() => renderHtml(seedReport(), { foldCutRuns: -1 })).toThrow(/foldCutRuns must be a non-negative integer, got -1/)
    })
  })
})

describe('sha256', () => {
  it('agrees with node:crypto', () => {
    for (const t of ['', 'abc', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), '“quoted” é ✓ '.repeat(99)]) {
      expect(base64(sha256(t))).toBe(createHash('sha256').update(t, 'utf8').digest('base64'))
    }
  })
})

describe('renderDiffHtml', () => {
  it('renders one article diff side by side, with both sides’ boilerplate', () => {
    const d = diffArticles(analyze(seed('003')) as AnalysisOk, analyze(seed('001')) as AnalysisOk)
    const page = renderDiffHtml(d)
    expect(page).toContain('<title>wiretrace diff: 001 against 003</title>')
    expect(page).toContain('data-diff="001" data-reference="003"')
    expect(page.match(/<tr class="row s-kept"/g)).toHaveLength(d.summary.counts.kept)
    expect(page).toContain('data-boilerplate="003"')
    expect(page).toContain('data-boilerplate="001"')
    expect(externalReferences(page)).toEqual([])
  })
})

describe('escapeHtml', () => {
  it('escapes the five characters HTML cares about', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    )
  })
})
