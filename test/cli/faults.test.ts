// The CLI's fault suite: what a new user hit when feeding it bad input (issue 15), one case each,
// run as a subprocess against the CLI built from the current sources (test/helpers/cli.ts).
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyze } from '../../src/analyze.js'
import { main } from '../../src/cli/main.js'
import { recordToArticle } from '../../src/node/io.js'
import { type BuiltCli, buildCli, expectCliError, type Run } from '../helpers/cli.js'
import { codeOf } from '../helpers/errors.js'
import { jsonl, scratchDir } from '../helpers/files.js'
import { ROOT, seedText } from '../helpers/seeds.js'

let cli: BuiltCli | undefined
const run = (args: string[], options: { input?: string } = {}): Promise<Run> => (cli as BuiltCli).run(args, options)
const scratch = scratchDir('wiretrace-faults-')
const { dir: tmp, file } = scratch

const records = (ids = ['000', '001', '003']) => ids.map((id) => ({ id, text: seedText(id), source: `outlet-${id}` }))

interface Report {
  singletons: { id: string; publishedAt?: string }[]
  clusters: { reference: string; members: { id: string }[] }[]
  skipped: { id: string; reason: string; detail: string }[]
  stats: { articles: number; skipped: number }
}
function report(r: Run): Report {
  expect(r.status, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as Report
}

beforeAll(() => {
  cli = buildCli('faults-test-')
}, 120_000)

afterAll(() => {
  cli?.remove()
  scratch.remove()
})

describe.concurrent('text that is not UTF-8', () => {
  const cafe = 'Café society gathered in the old quarter on Sunday.\n\nThe mayor spoke of the café and its history.\n'

  it('is an error naming the file, line and byte offset, never "Caf\uFFFD society"', async () => {
    const txt = file('latin1.txt', Buffer.from(cafe, 'latin1'))
    expectCliError(await run(['scan', txt]), 1, `${txt}:1: not valid UTF-8: byte 0xE9 at byte offset 3`, '--encoding')
    const first = JSON.stringify({ id: 'a', text: 'fine' })
    const path = file('latin1.jsonl', Buffer.from(`${first}\n{"id":"b","text":"Café society"}\n`, 'latin1'))
    // The é of line 2: line 1 and its newline, then {"id":"b","text":"Caf.
    const at = first.length + 1 + '{"id":"b","text":"Caf'.length
    expectCliError(await run(['scan', path]), 1, `${path}:2: not valid UTF-8: byte 0xE9 at byte offset ${at}`)
  })

  it('--encoding latin1 decodes it: the diff shows "Café society"', async () => {
    const a = file('cafe-a.txt', Buffer.from(cafe, 'latin1'))
    const b = file('cafe-b.txt', Buffer.from(`${cafe}\nA third paragraph the copy added.\n`, 'latin1'))
    const r = await run(['diff', a, b, '--encoding', 'latin1', '--format', 'json'])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('Café society')
    expect(r.stdout).not.toContain('\uFFFD')
    expect(report(await run(['scan', a, '--encoding', 'windows-1252', '--format', 'json'])).stats.articles).toBe(1)
    const utf16 = file('utf16.jsonl', Buffer.from(`\uFEFF${jsonl([{ id: 'x', text: cafe }])}`, 'utf16le'))
    expectCliError(await run(['scan', utf16]), 1, 'UTF-16', '--encoding utf-16le')
    expect(report(await run(['scan', utf16, '--encoding', 'utf-16le', '--format', 'json'])).stats.articles).toBe(1)
    // A lone surrogate is not UTF-16 text: the error names the file and the encoding.
    const two = Buffer.concat([Buffer.from(jsonl([{ id: 'x', text: cafe }]), 'utf16le'), Buffer.from([0x00, 0xd8, 0x61, 0x00])])
    expectCliError(
      await run(['scan', file('broken16.jsonl', two), '--encoding', 'utf-16le']),
      1,
      'broken16.jsonl:',
      'not valid UTF-16LE text',
    )
    expectCliError(await run(['scan', a, '--encoding', 'ebcdic']), 2, '--encoding must be utf-8, latin1')
  })
})

describe.concurrent('gzipped input', () => {
  it('.jsonl.gz and .json.gz are read directly, with the same report as the plain files', async () => {
    const plain = file('feed.jsonl', jsonl(records()))
    const gz = file('feed.jsonl.gz', gzipSync(jsonl(records())))
    const jsonGz = file('feed.json.gz', gzipSync(JSON.stringify(records())))
    const [a, b, c] = await Promise.all([plain, gz, jsonGz].map((p) => run(['scan', p, '--format', 'json'])))
    expect(report(a as Run).stats.articles).toBe(3)
    expect((b as Run).stdout).toBe((a as Run).stdout)
    expect((c as Run).stdout).toBe((a as Run).stdout)
  })

  it('a damaged gzip file is a clear error', async () => {
    const whole = gzipSync(jsonl(records()))
    const cut = file('cut.jsonl.gz', whole.subarray(0, whole.length - 30))
    expectCliError(await run(['scan', cut]), 1, `${cut}: damaged gzip data`)
    const notGz = file('plain.json.gz', JSON.stringify(records()))
    expectCliError(await run(['scan', notGz]), 1, `${notGz}: damaged gzip data`)
  })
})

describe.concurrent('--skip-bad-lines', () => {
  const lines = [JSON.stringify(records()[0]), '{"id": "broken", "text": ', JSON.stringify(records()[1]), '{"id": "n"}']
  const content = `${lines.join('\n')}\n`

  it('without it a malformed line ends the run, and the message says how to skip it', async () => {
    const path = file('bad-lines.jsonl', content)
    expectCliError(await run(['scan', path]), 1, `${path}:2: invalid JSON`, '--skip-bad-lines')
  })

  it('with it each bad line is a counted skip, on stderr and in the report, with file:line and reason', async () => {
    const path = file('bad-lines-skip.jsonl', content)
    const r = await run(['scan', path, '--skip-bad-lines', '--format', 'json'])
    const rep = report(r)
    expect(r.stderr).toContain(`wiretrace: warning: skipped ${path}:2: invalid JSON`)
    expect(r.stderr).toContain(`wiretrace: warning: skipped ${path}:4 (n): record has no "text" field`)
    const bad = rep.skipped.filter((s) => s.reason === 'bad-line')
    expect(bad.map((s) => s.detail)).toEqual([
      expect.stringContaining(`${path}:2: invalid JSON`),
      `${path}:4: record has no "text" field`,
    ])
    // Every record is counted: two analysed, two skipped.
    expect(rep.stats).toMatchObject({ articles: 4, skipped: 2 })
    expect(r.stderr).toMatch(/wiretrace: 4 articles, .* 2 skipped/)
  })
})

describe.concurrent('empty input', () => {
  it('an empty .jsonl, an empty directory and empty stdin behave alike: exit 1, "no articles in …"', async () => {
    const empty = file('empty.jsonl', '')
    const blank = file('blank.jsonl', '\n\n')
    const dir = join(tmp, 'empty-dir')
    mkdirSync(dir)
    expectCliError(await run(['scan', empty]), 1, `no articles in ${empty}`)
    expectCliError(await run(['scan', blank]), 1, `no articles in ${blank}`)
    expectCliError(await run(['scan', dir]), 1, `no articles in ${dir}`)
    expectCliError(await run(['scan', file('empty.json', '[]')]), 1, 'no articles in')
    expectCliError(await run(['scan', '-'], { input: ' \n' }), 1, 'no articles in stdin')
  })
})

describe.concurrent('errors name their place', () => {
  it('a repeated id names the file and line of both records', async () => {
    const path = file('dup.jsonl', jsonl([...records(['000', '001']), { id: '000', text: 'again' }]))
    expectCliError(await run(['scan', path]), 1, `article id "000" occurs more than once: at ${path}:1 and at ${path}:3`)
  })

  it('a negative number gets the range message, in both spellings', async () => {
    for (const args of [['--workers', '-1'], ['--workers=-1'], ['--threshold', '-0.1'], ['--max-length', '-5']]) {
      const r = await run(['scan', 'examples/data', ...args])
      const flag = (args[0] as string).replace(/=.*/, '')
      expectCliError(r, 2, `${flag} must be`, `got '${args[1] ?? '-1'}'`)
      expect(r.stderr).not.toContain('ambiguous')
    }
  })

  it('publishedAt in the Reuters form is read as UTC; an unreadable one is refused naming the forms', async () => {
    // Two copies of one story: the earlier (by 36 minutes, in UTC) is the reference, although its id sorts last.
    const text = seedText('003')
    const path = file(
      'reuters.jsonl',
      jsonl([
        { id: 'a-later', text, publishedAt: '1987-03-03T05:00:00Z' },
        { id: 'z-earlier', text, publishedAt: '3-MAR-1987 04:23:44.53' },
      ]),
    )
    const rep = report(await run(['scan', path, '--format', 'json']))
    expect(rep.clusters.map((c) => c.reference)).toEqual(['z-earlier'])
    const bad = file('bad-date.jsonl', jsonl([{ ...records()[0], publishedAt: '1' }]))
    expectCliError(await run(['scan', bad]), 1, `${bad}:1: "publishedAt" must be an ISO 8601 date`, 'D-MON-YYYY')
  })

  it('the library accepts and refuses the same publishedAt values as the CLI', () => {
    for (const [date, ok] of [
      ['3-MAR-1987 04:23:44.53', true],
      ['2024-03-05T14:30:00+01:00', true],
      ['Tue, 05 Mar 2024 14:30:00 GMT', true],
      ['2024-02-30', false],
      ['1', false],
      ['last Tuesday', false],
    ] as const) {
      const article = { id: 'a', text: 'Some words here.', publishedAt: date }
      expect(
        codeOf(() => analyze(article)),
        date,
      ).toBe(ok ? undefined : 'INVALID_ARTICLE')
      expect(
        codeOf(() => recordToArticle(article, 'x:1')),
        date,
      ).toBe(ok ? undefined : 'INPUT_ERROR')
    }
  })
})

describe.concurrent('outputs are checked before the work', () => {
  it('--out or --index into a missing directory: a sentence, before the input is even read', async () => {
    const out = join(tmp, 'no-such-dir', 'report.html')
    // The input does not exist either: the output's error comes first, so it came before reading.
    expectCliError(
      await run(['scan', 'no-such-input.jsonl', '--out', out]),
      1,
      `cannot write --out ${out}: the directory`,
      'does not exist',
    )
    const idx = join(tmp, 'no-such-dir', 'feed.idx')
    expectCliError(await run(['scan', 'no-such-input.jsonl', '--index', idx]), 1, `cannot write --index ${idx}: the directory`)
    expectCliError(await run(['diff', 'a.txt', 'b.txt', '--out', out]), 1, 'does not exist')
    expectCliError(await run(['scan', 'examples/data', '--out', tmp]), 1, 'it is a directory')
  })
})

describe('progress on a terminal', () => {
  it('covers every stage and ends at the count the summary gives (a skipped record included)', async () => {
    const path = file('progress.jsonl', jsonl([...records(), { id: 'empty', text: '' }]))
    let err = ''
    const write = (s: string) => {
      err += s
      return true
    }
    const tty = { isTTY: true, write, on: () => tty } as unknown as NodeJS.WriteStream
    const sink = { isTTY: false, write: () => true, on: () => sink } as unknown as NodeJS.WriteStream
    const code = await main(['scan', path, '--workers', '1', '--out', join(tmp, 'progress.txt')], { stdout: sink, stderr: tty })
    expect(code, err).toBe(0)
    const frames = err.split('\r\x1b[2K').filter(Boolean)
    for (const stage of ['reading', 'sketching', 'candidates', 'verifying and diffing', 'writing']) {
      expect(
        frames.some((f) => f.startsWith(stage)),
        stage,
      ).toBe(true)
    }
    expect(frames.filter((f) => f.startsWith('reading')).at(-1)).toContain('4/4 records')
    expect(frames.filter((f) => f.startsWith('sketching')).at(-1)).toContain('4/4 docs')
    expect(err).toMatch(/wiretrace: 4 articles, 1 cluster, \d+ singletons?, 1 skipped/)
  })
})

describe('a source checkout before npm run build', () => {
  it('bin/wiretrace.js says to build first, in one line, exit 1', () => {
    const bin = join(tmp, 'unbuilt', 'bin', 'wiretrace.js')
    mkdirSync(join(tmp, 'unbuilt', 'bin'), { recursive: true })
    copyFileSync(join(ROOT, 'bin/wiretrace.js'), bin)
    const r = spawnSync(process.execPath, [bin, 'scan', 'examples/data'], { encoding: 'utf8' })
    expect(r.status).toBe(1)
    expect(r.stderr).toBe('wiretrace: the CLI is not built (dist/cli.js is missing): run npm run build first\n')
    expect(readFileSync(bin, 'utf8')).toContain("import('../dist/cli.js')")
  })
})
