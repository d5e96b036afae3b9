// The HTML report in a real browser: Debian's Chromium driven by playwright-core.
// Skipped when Chromium is absent, unless WIRETRACE_REQUIRE_BROWSER=1 (as in CI): then it fails.
// Screenshots are kept as test artifacts in test-artifacts/ (1280 px wide): report.png (the seeds,
// a cluster open), overview.png, cluster.png and cluster-diff.png (a generated corpus of 3,000).

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateCorpus, toArticle } from '../../bench/generate.js'
import { renderHtml } from '../../src/report/index.js'
import type { Report } from '../../src/report/types.js'
import { syntheticBase } from '../helpers/synthetic.js'
import { hostileReport, QUOTES, reportOf, SCRIPT, seedReport } from './fixtures.js'

const CHROMIUM = process.env.WIRETRACE_CHROMIUM ?? '/usr/bin/chromium'
const REQUIRED = process.env.WIRETRACE_REQUIRE_BROWSER === '1'
const AVAILABLE = existsSync(CHROMIUM)
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '../../test-artifacts')
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

if (!AVAILABLE && !REQUIRED) {
  console.warn(
    `browser tests skipped: no Chromium at ${CHROMIUM} (set WIRETRACE_CHROMIUM, or WIRETRACE_REQUIRE_BROWSER=1 to fail instead)`,
  )
}

/** A page opened from a file, with every request, dialog and console error it caused. */
interface Opened {
  page: Page
  requests: string[]
  dialogs: string[]
  errors: string[]
}

describe.skipIf(!AVAILABLE && !REQUIRED)(`the HTML report in Chromium (${CHROMIUM})`, () => {
  let context: BrowserContext
  let work: string
  let report: Report

  beforeAll(async () => {
    if (!AVAILABLE) throw new Error(`WIRETRACE_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`)
    work = mkdtempSync(join(tmpdir(), 'wiretrace-browser-'))
    // A fresh profile every run: launchPersistentContext passes it as --user-data-dir.
    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
      colorScheme: 'light',
      offline: true,
    })
    report = seedReport()
  })

  afterAll(async () => {
    await context?.close()
    if (work) rmSync(work, { recursive: true, force: true })
  })

  async function open(name: string, html: string): Promise<Opened> {
    const file = join(work, name)
    writeFileSync(file, html)
    const page = await context.newPage()
    const opened: Opened = { page, requests: [], dialogs: [], errors: [] }
    page.on('request', (r) => opened.requests.push(r.url()))
    page.on('dialog', (d) => {
      opened.dialogs.push(d.message())
      void d.dismiss()
    })
    page.on('console', (m) => {
      if (m.type() === 'error') opened.errors.push(m.text())
    })
    page.on('pageerror', (e) => opened.errors.push(e.message))
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
    return opened
  }

  /** Open a cluster from the overview: click its row's toggle, wait for its detail. */
  async function openCluster(page: Page, id: string) {
    await page.locator(`[data-open="${id}"]`).click()
    await page.locator(`[data-cluster="${id}"]`).waitFor()
    return page.locator(`[data-cluster="${id}"]`)
  }

  it('shows the AFP cluster around 003 with each member’s relation and outlet, Rudaw outside it', async () => {
    const { page } = await open('report.html', renderHtml(report))
    const row = page.locator('[data-row="003"]')
    expect(await row.textContent()).toContain('Syria rebels enter strategic city of Homs – war monitor')
    // Closed clusters are data, not DOM.
    expect(await page.locator('[data-cluster]').count()).toBe(0)
    const cluster = await openCluster(page, '003')
    expect(await cluster.getAttribute('data-reference')).toBe('003')
    const members = await cluster
      .locator('tbody[data-member]')
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-member'), r.getAttribute('data-relation')]))
    expect(members).toEqual([
      ['003', 'reference'],
      ['000', 'partial'],
      ['001', 'copy'],
      ['002', 'translation'],
    ])
    for (const m of report.clusters[0]?.members ?? []) {
      expect(await cluster.locator(`tbody[data-member="${m.id}"]`).textContent()).toContain(m.source as string)
    }
    expect(await page.locator('[data-cluster] [data-member="004"], [data-cluster] [data-outlet="004"]').count()).toBe(0)
    const singleton = page.locator('[data-section="singletons"] [data-article="004"]')
    expect(await singleton.textContent()).toContain('Rudaw')
    expect(await singleton.textContent()).toContain('Syrian rebel control key city of Homs')
    await page.close()
  })

  it('shows 001’s paragraph statuses: its eleven paragraphs taken over, everything after cut', async () => {
    const { page } = await open('report.html', renderHtml(report))
    await openCluster(page, '003')
    const strip = await page
      .locator('[data-cluster="003"] tbody[data-member="001"] [data-strip] [data-status]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))
    const expected = report.clusters[0]?.diff?.diffs.find((d) => d.copy === '001')?.paragraphs.map((p) => p.status)
    expect(strip).toEqual(expected)
    // The ground truth: 001 is 003's first eleven body paragraphs, near-verbatim, and nothing else.
    const carried = strip.filter((s) => s !== 'cut')
    expect(carried).toHaveLength(11)
    expect(new Set(carried)).toEqual(new Set(['kept', 'edited']))
    expect(strip.slice(12).every((s) => s === 'cut')).toBe(true)
    // The side-by-side view agrees once opened, shows word changes and marks the shared passages.
    await page.locator('[data-diff="001"] summary').click()
    const rows = page.locator('[data-diff="001"] tr[data-status]')
    await expect.poll(() => rows.count()).toBeGreaterThan(0)
    const shown = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))
    expect(shown.filter((s) => s !== 'cut')).toEqual(carried)
    await expect.poll(() => rows.first().isVisible()).toBe(true)
    expect(await page.locator('[data-diff="001"] ins').count()).toBeGreaterThan(0)
    const marked = await page.locator('[data-diff="001"] tr[data-status="kept"] mark.passage').allTextContents()
    expect(marked.join(' ')).toContain('The capture of Homs')
    await page.close()
  })

  it('searches the singletons, and summarises Rudaw’s comment block in the boilerplate section', async () => {
    const { page } = await open('report.html', renderHtml(report))
    const block = page.locator('[data-section="boilerplate"] [data-rule="trailing-section"]')
    expect(await block.count()).toBe(1)
    expect(await block.textContent()).toMatch(/Comments\s+Rudaw moderates all comments submitted on our website/)
    const list = page.locator('[data-section="singletons"]')
    await list.locator('input[type="search"]').fill('nothing-like-this')
    expect(await list.locator('[data-article]').count()).toBe(0)
    await list.locator('input[type="search"]').fill('rudaw')
    expect(await list.locator('[data-article="004"]').count()).toBe(1)
    await page.close()
  })

  it('makes no network request and logs no error, and saves screenshots', async () => {
    const { page, requests, errors, dialogs } = await open('report.html', renderHtml(report))
    await page.waitForLoadState('networkidle')
    await openCluster(page, '003')
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([])
    expect(errors).toEqual([])
    expect(dialogs).toEqual([])
    mkdirSync(ARTIFACTS, { recursive: true })
    const png = join(ARTIFACTS, 'report.png')
    await page.screenshot({ path: png, fullPage: true })
    expect(existsSync(png)).toBe(true)
    await page.close()
  })

  it('shows markup in article text as text: no script runs, no dialog opens', async () => {
    const hostile = hostileReport()
    hostile.clusters[0]!.members[1]!.headline = `</script><script>alert(2)</script><!-- ${SCRIPT}`
    const { page, requests, dialogs, errors } = await open('hostile.html', renderHtml(hostile))
    const cluster = await openCluster(page, '003')
    await page.locator('[data-diff] summary').first().click({ trial: true })
    expect(await page.evaluate(() => document.querySelectorAll('img, iframe, b').length)).toBe(0)
    expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(2)
    const added = page.locator('[data-diff] tr[data-status="added"]').filter({ hasText: QUOTES })
    expect(await added.count()).toBe(1)
    expect(await added.isVisible()).toBe(true)
    expect(await added.textContent()).toContain(`He said ${QUOTES} were <b>not</b> allowed in ${SCRIPT} tags.`)
    expect(await cluster.locator('tbody[data-member]').nth(1).textContent()).toContain('</script><script>alert(2)</script><!--')
    expect(await page.locator('[data-boilerplate] pre').filter({ hasText: SCRIPT }).count()).toBe(1)
    expect(dialogs).toEqual([])
    expect(errors).toEqual([])
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([])
    await page.close()
  })

  describe('a generated corpus of 3,000 articles', () => {
    let big: Report
    let html: string

    beforeAll(() => {
      // Each article gets a title: its first words (copies keep most of them, as real reprints do).
      const articles = [...generateCorpus(syntheticBase(150), { n: 3000, seed: 7, window: 200 })].map((g) => {
        const a = toArticle(g)
        return { ...a, title: a.text.trim().split(/\s+/).slice(0, 8).join(' '), url: `https://news.example/${a.id}` }
      })
      big = reportOf(articles)
      html = renderHtml(big)
    }, 300_000)

    it('stays small: under 1 kB an article, with 40% of them in clusters and diffed', () => {
      expect(big.clusters.length).toBeGreaterThan(50)
      expect(html.length).toBeLessThan(3000 * 1000)
    })

    it('loads without a page error, opens a cluster with its members and diffs, and finds one by a word of its headline', async () => {
      const { page, errors, requests } = await open('big.html', html)
      expect(errors).toEqual([])
      expect(await page.locator('[data-row]').count()).toBe(Math.min(200, big.clusters.length))
      mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: join(ARTIFACTS, 'overview.png') })

      // Search by a word of the largest cluster's headline that few other headlines have.
      const target = big.clusters[0]!
      const words = (target.headline ?? '').split(/\s+/).filter((w) => w.length > 3)
      const rare = words.sort((a, b) => count(big, a) - count(big, b))[0] as string
      await page.locator('#f-q').fill(rare)
      const rows = page.locator('[data-row]')
      expect(await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-row')))).toContain(target.id)
      expect(await rows.count()).toBeLessThan(big.clusters.length)

      const cluster = await openCluster(page, target.id)
      expect(await cluster.locator('tbody[data-member]').count()).toBe(target.members.length)
      const firstDiff = cluster.locator('[data-diff]').first()
      await expect.poll(() => firstDiff.locator('tr[data-status]').count()).toBeGreaterThan(0)
      await page.screenshot({ path: join(ARTIFACTS, 'cluster.png') })
      await firstDiff.locator('tr[data-status]').first().scrollIntoViewIfNeeded()
      await page.screenshot({ path: join(ARTIFACTS, 'cluster-diff.png') })

      // Filters and sorting: by relation, by outlet, by headline; a minimum size above every cluster leaves none.
      await page.locator('#f-q').fill('')
      await page.locator('#f-rel').selectOption('duplicate')
      const withDuplicates = big.clusters.filter((c) => c.members.some((m) => m.relation === 'duplicate')).length
      expect(await rows.count()).toBe(Math.min(200, withDuplicates))
      expect(await rows.evaluateAll((r) => r.every((x) => /duplicate \d+/.test(x.textContent ?? '')))).toBe(true)
      await page.locator('#f-rel').selectOption('')
      const outlet = target.members[1]?.source as string
      await page.locator('#f-outlet').selectOption(outlet)
      const withOutlet = big.clusters.filter((c) => c.members.some((m) => m.source === outlet)).length
      expect(await rows.count()).toBe(Math.min(200, withOutlet))
      await page.locator('#f-outlet').selectOption('')
      await page.locator('[data-sort="headline"]').click()
      const shown = await rows.evaluateAll((r) => r.map((x) => x.querySelector('.hl')?.textContent?.toLowerCase() ?? ''))
      expect(shown).toEqual([...shown].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
      await page.locator('#f-min').fill('1000')
      expect(await page.locator('[data-row]').count()).toBe(0)
      expect(errors).toEqual([])
      expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([])
      await page.close()
    })
  })
})

/** Clusters whose headline holds `word`. */
function count(report: Report, word: string): number {
  return report.clusters.filter((c) => (c.headline ?? '').includes(word)).length
}
