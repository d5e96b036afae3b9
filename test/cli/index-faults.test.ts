// `wiretrace scan --index`: the index across runs, run as a subprocess. Reused ids, undated
// articles under a window, new/stored marks in every report format, the index saved only after
// the report, and damaged or foreign index files.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadState, saveState } from '../../src/node/state.js'
import { type BuiltCli, buildCli, expectCliError, type Run } from '../helpers/cli.js'
import { jsonl, scratchDir } from '../helpers/files.js'
import { fillerRecords, seedId, seedText } from '../helpers/seeds.js'

let cli: BuiltCli | undefined
const run = (args: string[]): Promise<Run> => (cli as BuiltCli).run(args)
const scratch = scratchDir('wiretrace-index-')
const { dir: tmp, file } = scratch

beforeAll(() => {
  cli = buildCli('cli-index-')
}, 120_000)

afterAll(() => {
  cli?.remove()
  scratch.remove()
})

/** The seed articles as records, ids shortened to their number ("000" … "004"). */
function seedRecords(prefixes: string[], extra: Record<string, unknown> = {}) {
  return prefixes.map((p) => ({ id: p, text: seedText(p), source: `outlet-${p}`, ...extra }))
}

interface Origin {
  id: string
  origin?: string
}
interface Report {
  version: number
  clusters: { reference: string; members: (Origin & { relation: string })[] }[]
  singletons: Origin[]
  skipped: Origin[]
  stats: { articles: number }
}

function report(r: Run): Report {
  expect(r.stderr).not.toContain('unexpected error')
  expect(r.status, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as Report
}

const origins = (rep: Report) =>
  Object.fromEntries([...rep.clusters.flatMap((c) => c.members), ...rep.singletons, ...rep.skipped].map((a) => [a.id, a.origin]))

const storedIds = async (idx: string) => (await loadState(idx)).entries.map((e) => e.article.id)

/** An index holding the seeds `prefixes`, made by a first run. */
async function indexOf(name: string, prefixes: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const idx = join(tmp, `${name}.idx`)
  report(
    await run(['scan', file(`${name}-first.jsonl`, jsonl(seedRecords(prefixes, extra))), '--index', idx, '--format', 'json']),
  )
  return idx
}

describe.concurrent('scan --index', () => {
  it('a second run matches its articles against the first, and marks each new or stored in JSON', async () => {
    const idx = await indexOf('second', ['000', '001', '002'])
    const stored = await loadState(idx)
    expect(stored.version).toBe(2)
    expect(stored.entries.map((e) => e.article.id)).toEqual(['000', '001', '002'])
    expect(Number.isNaN(Date.parse(stored.entries[0]?.indexedAt ?? ''))).toBe(false)

    const second = await run([
      'scan',
      file('second.jsonl', jsonl(seedRecords(['003', '004']))),
      '--index',
      idx,
      '--format',
      'json',
    ])
    const rep = report(second)
    expect(rep.version).toBe(5)
    expect(second.stderr).toContain('5 articles (3 from the index)')
    expect(rep.clusters[0]?.reference).toBe('003')
    expect(origins(rep)).toEqual({ '000': 'stored', '001': 'stored', '002': 'stored', '003': 'new', '004': 'new' })
    expect(await storedIds(idx)).toEqual(['000', '001', '002', '003', '004'])
    // Its own save's temporary file: the tests run concurrently in one folder, and another may be saving.
    expect(readdirSync(tmp).filter((f) => f.startsWith('second.idx.tmp-'))).toEqual([])
  })

  it('on the worker pool (inputs over 1 MB and 512 articles, --workers 2): a second run links a new copy to an indexed article, as with --workers 1', async () => {
    // Each run's input is over 1 MB, so scan starts the pool before reading and runCorpus uses it.
    const first = file('pool-first.jsonl', jsonl([...fillerRecords(560, 'a', 7), ...seedRecords(['000', '002'])]))
    expect(statSync(first).size).toBeGreaterThan(1 << 20)
    const idx = join(tmp, 'pool.idx')
    const one = await run(['scan', first, '--index', idx, '--format', 'json', '--workers', '2'])
    expect(report(one).stats.articles).toBe(562)
    expect(await storedIds(idx)).toHaveLength(562)

    // Other articles: other filler, and a new copy of the indexed seed 000 under a line of its own.
    const copy = { id: 'copy-000', text: `Filed by the late desk.\n\n${seedText('000')}`, source: 'late-desk' }
    const second = file('pool-second.jsonl', jsonl([...fillerRecords(560, 'b', 8), copy, ...seedRecords(['003'])]))
    expect(statSync(second).size).toBeGreaterThan(1 << 20)
    const idx1 = join(tmp, 'pool-1.idx')
    copyFileSync(idx, idx1)
    const [two, single] = await Promise.all([
      run(['scan', second, '--index', idx, '--format', 'json', '--workers', '2']),
      run(['scan', second, '--index', idx1, '--format', 'json', '--workers', '1']),
    ])
    const rep = report(two)
    expect(two.stderr).toContain('1124 articles (562 from the index)')
    const cluster = rep.clusters.find((c) => c.members.some((m) => m.id === 'copy-000'))
    expect(Object.fromEntries((cluster?.members ?? []).map((m) => [m.id, m.origin]))).toMatchObject({
      '000': 'stored',
      'copy-000': 'new',
    })
    expect(two.stdout).toBe(single.stdout)
    expect(await storedIds(idx)).toEqual(await storedIds(idx1))
    expect(await storedIds(idx)).toHaveLength(1124)
  })

  it('marks new and stored articles in the text and HTML reports too', async () => {
    const idx = await indexOf('marks', ['001', '002'])
    const input = file('marks.jsonl', jsonl(seedRecords(['003', '004'])))
    // --replace: the same input runs twice against the same index.
    const text = await run(['scan', input, '--index', idx, '--replace', '--no-color'])
    expect(text.status, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^ {2}001 +copy \d+% +outlet-001 · [^\n]*stored$/m)
    expect(text.stdout).toMatch(/^ {2}003 +reference +outlet-003 · [^\n]*new$/m)
    expect(text.stdout).toMatch(/^ {2}004 +[^\n]*outlet-004 · [^\n]*new$/m)
    // The HTML page draws from its embedded data: members carry o ("s" stored, "n" new), singletons a 7th field.
    const html = await run(['scan', input, '--index', idx, '--replace', '--format', 'html'])
    expect(html.status, html.stderr).toBe(0)
    const json = /<script type="application\/json" id="wt-data">(.*?)<\/script>/s.exec(html.stdout)?.[1] as string
    const data = JSON.parse(json) as { clusters: { m: { id: string; o?: string }[] }[]; singles: string[][] }
    const members = Object.fromEntries((data.clusters[0]?.m ?? []).map((m) => [m.id, m.o]))
    expect(members).toMatchObject({ '001': 's', '003': 'n' })
    expect(data.singles.find((r) => r[0] === '004')?.[6]).toBe('n')
  })

  it('without an index, a report has no origin marks', async () => {
    const rep = report(await run(['scan', file('plain.jsonl', jsonl(seedRecords(['001', '003']))), '--format', 'json']))
    expect(Object.values(origins(rep))).toEqual([undefined, undefined])
  })

  it('refuses an id an earlier run stored (DUPLICATE_ID naming the id and the index), leaving the index as it was', async () => {
    const idx = await indexOf('reuse', ['000', '001'])
    const before = readFileSync(idx)
    const reuse = file(
      'reuse.jsonl',
      jsonl([...seedRecords(['003']), { id: '001', text: 'A different story that reuses the id.' }]),
    )
    const r = await run(['scan', reuse, '--index', idx])
    expectCliError(r, 1, `article id "001" is already in the index ${idx} (stored by a run at `, '--replace')
    expect(readFileSync(idx).equals(before)).toBe(true)

    const two = file('reuse-two.jsonl', jsonl(seedRecords(['000', '001'])))
    expectCliError(await run(['scan', two, '--index', idx]), 1, 'article id "000" is already in the index', '(and 1 more: "001")')
  })

  it('--replace replaces the stored article with the new one, and says so', async () => {
    const idx = await indexOf('replace', ['000', '001'])
    const r = await run([
      'scan',
      file('replace.jsonl', jsonl([{ id: '001', text: seedText('003'), source: 'corrected' }])),
      '--index',
      idx,
      '--replace',
      '--format',
      'json',
    ])
    const rep = report(r)
    expect(r.stderr).toContain('warning: replaced 1 stored article with the new one: 001')
    expect(origins(rep)).toMatchObject({ '000': 'stored', '001': 'new' })
    const entries = (await loadState(idx)).entries
    expect(entries.map((e) => [e.article.id, e.article.source])).toEqual([
      ['000', 'outlet-000'],
      ['001', 'corrected'],
    ])
  })

  it('--replace goes with --index only', async () => {
    expectCliError(await run(['scan', 'examples/data', '--replace']), 2, '--replace goes with --index')
  })

  it('--window-days drops articles published long before the newest', async () => {
    const idx = await indexOf('window', ['000', '001', '002'], { publishedAt: '2024-11-01T09:00:00Z' })
    const fresh = file('window.jsonl', jsonl(seedRecords(['003', '004'], { publishedAt: '2024-12-08T09:00:00Z' })))
    const r = await run(['scan', fresh, '--index', idx, '--window-days', '3', '--format', 'json'])
    const rep = report(r)
    expect(r.stderr).toContain('warning: 3 articles left the 3-day window')
    expect(rep.stats.articles).toBe(2)
    expect(rep.singletons.map((s) => s.id)).toEqual(['003', '004'])
    expect(await storedIds(idx)).toEqual(['003', '004'])

    const wide = await indexOf('window-wide', ['000', '001', '002'], { publishedAt: '2024-11-01T09:00:00Z' })
    const all = report(await run(['scan', fresh, '--index', wide, '--window-days', '60', '--format', 'json']))
    expect(all.stats.articles).toBe(5)
    expect(all.clusters).toHaveLength(1)
  })

  it('an undated article counts from the run that indexed it, so it expires under the window', async () => {
    // Indexed long ago (the index records when), undated: it leaves a 3-day window today.
    const idx = join(tmp, 'undated.idx')
    await saveState(idx, [
      { article: { id: 'old-undated', text: seedText('001') }, indexedAt: '2020-01-01T00:00:00.000Z' },
      { article: { id: 'recent-undated', text: seedText('002') }, indexedAt: new Date().toISOString() },
    ])
    const r = await run(['scan', file('undated.jsonl', jsonl(seedRecords(['003']))), '--index', idx, '--window-days', '3'])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toContain('warning: 1 articles left the 3-day window')
    expect(await storedIds(idx)).toEqual(['003', 'recent-undated'])
    // The new undated article was stored with this run's time.
    const entry = (await loadState(idx)).entries.find((e) => e.article.id === '003')
    expect(Date.now() - Date.parse(entry?.indexedAt ?? '')).toBeLessThan(86_400_000)
    expect(entry?.article.publishedAt).toBeUndefined()

    // A later dated article moves the window past this run's undated ones.
    const later = file('later.jsonl', jsonl([{ ...seedRecords(['004'])[0], publishedAt: '2100-01-01T00:00:00Z' }]))
    const r2 = await run(['scan', later, '--index', idx, '--window-days', '3'])
    expect(r2.status, r2.stderr).toBe(0)
    expect(await storedIds(idx)).toEqual(['004'])
  })

  it('saves the index only after the report was written: a failed --out leaves it as it was', async () => {
    const idx = await indexOf('out', ['000', '001'])
    const before = readFileSync(idx)
    const folder = join(tmp, 'out-is-a-folder')
    mkdirSync(folder)
    const r = await run(['scan', file('out.jsonl', jsonl(seedRecords(['003']))), '--index', idx, '--out', folder, '--quiet'])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`^wiretrace: .*${folder}`))
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /)
    expect(readFileSync(idx).equals(before)).toBe(true)
    expect(await storedIds(idx)).toEqual(['000', '001'])
  })

  it('an index in a folder that does not exist stops the run before the work, with nothing written', async () => {
    const nowhere = join(tmp, 'missing-dir', 'news.idx')
    expectCliError(
      await run(['scan', 'examples/data', '--index', nowhere]),
      1,
      `cannot write --index ${nowhere}: the directory ${join(tmp, 'missing-dir')} does not exist`,
    )
    const folder = join(tmp, 'idx-is-a-dir')
    mkdirSync(folder)
    expectCliError(
      await run(['scan', 'examples/data', '--index', folder]),
      1,
      `cannot write --index ${folder}: it is a directory`,
    )
  })
})

describe.concurrent('a damaged or foreign index file', () => {
  const input = join('examples/data', `${seedId('001')}.txt`)

  it('a flipped byte: a damaged wiretrace index, the byte range whose checksum fails; the file is left alone', async () => {
    const idx = await indexOf('flip', ['000', '002'])
    const bytes = readFileSync(idx)
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] as number) ^ 0x20
    writeFileSync(idx, bytes)
    expectCliError(
      await run(['scan', input, '--index', idx]),
      1,
      new RegExp(`^wiretrace: wiretrace index ${idx} is damaged: the checksum of bytes 13-${bytes.length} does not match`),
    )
    expect(readFileSync(idx).equals(bytes)).toBe(true)
  })

  it('a truncated index: damaged, truncated at byte N', async () => {
    const idx = await indexOf('cut', ['000'])
    const bytes = readFileSync(idx)
    const cut = file('cut-short.idx', bytes.subarray(0, 100))
    expectCliError(
      await run(['scan', input, '--index', cut]),
      1,
      `wiretrace index ${cut} is damaged: truncated at byte 100 (needs ${bytes.length - 100} more)`,
    )
    const header = file('cut-header.idx', bytes.subarray(0, 7))
    expectCliError(await run(['scan', input, '--index', header]), 1, `wiretrace index ${header} is truncated at byte 5`)
  })

  it('an unknown version in the header: UNSUPPORTED_VERSION', async () => {
    const idx = await indexOf('v9', ['000'])
    const bytes = readFileSync(idx)
    bytes[4] = 9
    writeFileSync(idx, bytes)
    expectCliError(
      await run(['scan', input, '--index', idx]),
      1,
      `${idx}: index version 9 is not supported (this build reads 1 and 2)`,
    )
  })

  it('a file that is not an index says so', async () => {
    const garbage = file('garbage.idx', 'not gzip at all')
    expectCliError(await run(['scan', input, '--index', garbage]), 1, `${garbage} is not a wiretrace index file`)
    expect(readFileSync(garbage, 'utf8')).toBe('not gzip at all')
    const other = file('other.idx', gzipSync(JSON.stringify({ format: 'something/else', version: 1 })))
    expectCliError(await run(['scan', input, '--index', other]), 1, `${other} is not a wiretrace index file`)
    const nul = file('null.idx', gzipSync('null'))
    expectCliError(await run(['scan', input, '--index', nul]), 1, `${nul} is not a wiretrace index file`)
    const broken = file('broken.gz', gzipSync('x'.repeat(1000)).subarray(0, 20))
    expectCliError(
      await run(['scan', input, '--index', broken]),
      1,
      `${broken} is a gzip file that does not inflate (`,
      'if it is a version-1 wiretrace index, it is damaged',
    )
  })

  it('version 1 (gzipped JSON): read, its undated articles counted from this run, and saved as version 2', async () => {
    const v1 = file('v1.idx', gzipSync(JSON.stringify({ format: 'wiretrace/state', version: 1, articles: seedRecords(['001']) })))
    const rep = report(await run(['scan', file('v1.jsonl', jsonl(seedRecords(['003']))), '--index', v1, '--format', 'json']))
    expect(origins(rep)).toEqual({ '001': 'stored', '003': 'new' })
    expect(readFileSync(v1).subarray(0, 4).toString('latin1')).toBe('WTST')
    expect(await storedIds(v1)).toEqual(['001', '003'])

    const list = file('list.idx', gzipSync(JSON.stringify({ format: 'wiretrace/state', version: 1, articles: {} })))
    expectCliError(await run(['scan', input, '--index', list]), 1, `wiretrace index ${list} is damaged: "articles" is not a list`)
    const record = file(
      'record.idx',
      gzipSync(JSON.stringify({ format: 'wiretrace/state', version: 1, articles: [{ id: 'x' }] })),
    )
    expectCliError(await run(['scan', input, '--index', record]), 1, `${record}: articles[0]: record has no "text" field`)
    const v7 = file('v7.idx', gzipSync(JSON.stringify({ format: 'wiretrace/state', version: 7, articles: [] })))
    expectCliError(await run(['scan', input, '--index', v7]), 1, `${v7}: index version 7 is not supported`)
  })
})
