// The HTML report in a real browser: Debian's Chromium driven by playwright-core.
// Skipped when Chromium is absent, unless WIRETRACE_REQUIRE_BROWSER=1 (as in CI): then it fails.
// The screenshot is kept as a test artifact in test-artifacts/report.png.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderHtml } from '../../src/report/index.js'
import type { Report } from '../../src/report/types.js'
import { hostileReport, QUOTES, SCRIPT, seedReport } from './fixtures.js'

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

  it('shows the AFP cluster around 003 with each member’s relation, Rudaw outside it', async () => {
    const { page } = await open('report.html', renderHtml(report))
    const cluster = page.locator('[data-cluster="003"]')
    await expect.poll(() => cluster.count()).toBe(1)
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
    expect(await page.locator('[data-cluster] [data-member="004"], [data-cluster] [data-outlet="004"]').count()).toBe(0)
    const singleton = page.locator('[data-section="singletons"] [data-article="004"]')
    expect(await singleton.textContent()).toContain('Rudaw')
    await page.close()
  })

  it('shows 001’s paragraph statuses: its eleven paragraphs taken over, everything after cut', async () => {
    const { page } = await open('report.html', renderHtml(report))
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
    // The side-by-side view agrees, and is visible.
    const rows = page.locator('[data-diff="001"] tr[data-status]')
    const shown = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))
    expect(shown.filter((s) => s !== 'cut')).toEqual(carried)
    await expect.poll(() => rows.first().isVisible()).toBe(true)
    expect(await page.locator('[data-diff="001"] ins').count()).toBeGreaterThan(0)
    await page.close()
  })

  it('lists Rudaw’s comment block in the boilerplate section', async () => {
    const { page } = await open('report.html', renderHtml(report))
    const block = page.locator('[data-section="boilerplate"] [data-boilerplate="004"] [data-rule="trailing-section"]')
    expect(await block.count()).toBe(1)
    expect(await block.textContent()).toMatch(/Comments\s+Rudaw moderates all comments submitted on our website/)
    await page.close()
  })

  it('makes no network request and logs no error, and saves a screenshot', async () => {
    const { page, requests, errors, dialogs } = await open('report.html', renderHtml(report))
    await page.waitForLoadState('networkidle')
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
    const { page, requests, dialogs, errors } = await open('hostile.html', renderHtml(hostileReport()))
    expect(await page.evaluate(() => document.querySelectorAll('script, img, iframe').length)).toBe(0)
    const added = page.locator('[data-diff] tr[data-status="added"]').filter({ hasText: QUOTES })
    expect(await added.count()).toBe(1)
    expect(await added.isVisible()).toBe(true)
    expect(await added.textContent()).toContain(`He said ${QUOTES} were <b>not</b> allowed in ${SCRIPT} tags.`)
    expect(await page.locator('[data-boilerplate] pre').filter({ hasText: SCRIPT }).count()).toBe(1)
    expect(dialogs).toEqual([])
    expect(errors).toEqual([])
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([])
    await page.close()
  })
})
