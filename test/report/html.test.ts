import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { clusterArticles } from '../../src/cluster/cluster.js'
import { diffArticles } from '../../src/diff/index.js'
import { buildReport, escapeHtml, renderDiffHtml, renderHtml } from '../../src/report/index.js'
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

describe('renderHtml', () => {
  const html = renderHtml(seedReport())

  it('returns one self-contained page that loads and runs nothing', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true)
    expect(externalReferences(html)).toEqual([])
    expect(html).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"`,
    )
  })

  it('marks clusters, members, statuses, matrix cells and sections with data attributes', () => {
    expect(html).toContain('data-cluster="003" data-reference="003"')
    for (const [id, rel] of [
      ['003', 'reference'],
      ['000', 'partial'],
      ['001', 'copy'],
      ['002', 'translation'],
    ]) {
      expect(html).toContain(`<tbody data-member="${id}" data-relation="${rel}">`)
    }
    expect(html).toContain('data-diff="001" data-reference="003"')
    expect(html).toMatch(/<tr class="row s-kept" data-status="kept" data-ref="\d+" data-copy="\d+">/)
    expect(html).toContain('data-matrix="003"')
    expect(html).toContain('data-outlet="002" data-lang=')
    expect(html).toContain('data-cell="reference"')
    for (const s of ['legend', 'stats', 'singletons', 'skipped', 'links', 'boilerplate'])
      expect(html).toContain(`data-section="${s}"`)
    expect(html).toContain('<tr data-article="004">')
    expect(html).toContain('data-boilerplate="004"')
  })

  it('uses tables with captions and header cells, and a letter beside every colour', () => {
    const tables = html.match(/<table\b/g)?.length ?? 0
    expect(html.match(/<caption\b/g)?.length).toBe(tables)
    expect(html).toContain('<th scope="col">')
    expect(html).toContain('<th scope="row">')
    expect(html).toMatch(/<span class="badge s-cut" data-status="cut" title="cut[^"]*" aria-label="cut[^"]*">C<\/span>/)
  })

  it('is deterministic', () => {
    expect(renderHtml(seedReport())).toBe(html)
  })

  it('escapes every piece of article text, id and outlet', () => {
    const page = renderHtml(hostileReport(), { title: `${SCRIPT} report` })
    expect(page).not.toContain(SCRIPT)
    expect(page).not.toContain('<b>not</b>')
    expect(page).not.toContain('<img')
    expect(externalReferences(page)).toEqual([])
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page).toContain(escapeHtml(QUOTES))
    expect(page).toContain(`data-member="${escapeHtml(HOSTILE_ID)}"`)
    expect(page).toContain(escapeHtml(HOSTILE_SOURCE))
    expect(page).toContain(`<title>&lt;script&gt;alert(1)&lt;/script&gt; report</title>`)
  })

  describe('edge cases', () => {
    it('renders an empty report', () => {
      const page = renderHtml(buildReport(clusterArticles([])))
      expect(page).not.toContain('data-cluster=')
      expect(page).toContain('No article was skipped.')
    })

    it('renders a cluster without a diff, a skipped article and a timestamp', () => {
      const page = renderHtml(buildReport(handMadeResult(), [], { generatedAt: new Date(0) }))
      expect(page).toContain('No paragraph diff was given for this cluster.')
      expect(page).toContain('<tr data-article="d" data-reason="empty">')
      expect(page).toContain('<time datetime="1970-01-01T00:00:00.000Z">')
    })

    it('folds runs of cut paragraphs only when asked', () => {
      expect(html).toMatch(/data-status="cut" data-run="\d+"/)
      expect(renderHtml(seedReport(), { foldCutRuns: 0 })).not.toContain('data-run=')
    })

    it('refuses what is not a report, and bad options', () => {
      expect(() => renderHtml({} as never)).toThrow(/renderHtml: report must be/)
      expect(() => renderHtml(seedReport(), { foldCutRuns: -1 })).toThrow(/foldCutRuns must be a non-negative integer, got -1/)
    })
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
