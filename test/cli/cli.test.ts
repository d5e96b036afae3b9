// The built CLI, run as a subprocess: exit codes, messages on stderr, and the reports it writes.
// The CLI is built once from the current sources (see test/helpers/cli.ts).
import { spawn } from 'node:child_process'
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BuiltCli, buildCli, expectCliError, type Run } from '../helpers/cli.js'
import { jsonl, scratchDir } from '../helpers/files.js'
import { fillerRecords, ROOT, seedId, seedText } from '../helpers/seeds.js'

const seedFile = (prefix: string): string => join('examples/data', `${seedId(prefix)}.txt`)

let cli: BuiltCli | undefined
/** Run the built CLI from the repository root; stdin gets `input` (or nothing). */
const run = (args: string[], options: { input?: string } = {}): Promise<Run> => (cli as BuiltCli).run(args, options)

/** This suite's temporary directory, and a file in it. */
const scratch = scratchDir('wiretrace-cli-')
const { dir: tmp, file } = scratch

/** The seed articles as JSON records, ids shortened to their number ("000" … "004"). */
function seedRecords(prefixes = ['000', '001', '002', '003', '004'], extra: Record<string, unknown> = {}) {
  return prefixes.map((p) => ({ id: p, text: seedText(p), source: `outlet-${p}`, ...extra }))
}

interface ReportMember {
  id: string
  relation: string
}
interface Report {
  format: string
  version: number
  clusters: { reference: string; members: ReportMember[] }[]
  singletons: { id: string }[]
  skipped: { id: string; reason: string }[]
  stats: { articles: number }
}

function report(r: Run): Report {
  expect(r.stderr).not.toContain('unexpected error')
  expect(r.status).toBe(0)
  return JSON.parse(r.stdout) as Report
}

const relations = (c: { members: ReportMember[] }) => Object.fromEntries(c.members.map((m) => [m.id, m.relation]))

beforeAll(() => {
  cli = buildCli('cli-test-')
}, 120_000)

afterAll(() => {
  cli?.remove()
  scratch.remove()
})

describe.concurrent('usage', () => {
  it('--help prints the commands and examples, exit 0', async () => {
    const r = await run(['--help'])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/Usage:/)
    expect(r.stdout).toMatch(/Examples:\n\s+wiretrace scan /)
    expect(r.stdout).toContain('wiretrace diff ')
  })

  it('scan --help and diff --help list their options and examples, exit 0', async () => {
    const scan = await run(['scan', '--help'])
    expect(scan.status).toBe(0)
    for (const flag of ['--format', '--out', '--index', '--window-days', '--max-length', '--workers', '--reference']) {
      expect(scan.stdout).toContain(flag)
    }
    expect(scan.stdout).toMatch(/Examples:\n\s+wiretrace scan examples\/data/)
    const diff = await run(['diff', '-h'])
    expect(diff.status).toBe(0)
    expect(diff.stdout).toContain('--format')
    expect(diff.stdout).toMatch(/Example:\n\s+wiretrace diff /)
  })

  it('no arguments prints the help and exits 2', async () => {
    const r = await run([])
    expect(r.status).toBe(2)
    expect(r.stdout).toMatch(/Usage:/)
  })

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    const r = await run(['--version'])
    expect(r.status).toBe(0)
    expect(r.stdout.trim()).toBe(pkg.version)
  })

  it('an unknown command exits 2 and names it', async () => {
    expectCliError(await run(['scna', 'examples/data']), 2, "unknown command 'scna'", "Run 'wiretrace --help'")
  })

  it('an unknown flag exits 2 and names it', async () => {
    const r = await run(['scan', 'examples/data', '--colour'])
    expectCliError(r, 2, "unknown option '--colour'", "Run 'wiretrace scan --help'")
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(2)
    expectCliError(await run(['diff', seedFile('003'), seedFile('001'), '--bogus']), 2, "'--bogus'")
  })

  it('a bad --format exits 2 and names the value', async () => {
    expectCliError(await run(['scan', 'examples/data', '--format', 'xml']), 2, '--format', "'xml'")
    expectCliError(await run(['diff', seedFile('003'), seedFile('001'), '--format', 'pdf']), 2, '--format', "'pdf'")
  })

  it('a flag without its value exits 2', async () => {
    expectCliError(await run(['scan', 'examples/data', '--format']), 2, '--format')
  })

  it('--window-days without --index exits 2 and says what it needs', async () => {
    expectCliError(await run(['scan', 'examples/data', '--window-days', '3']), 2, '--window-days needs --index')
  })

  it('numbers out of range or not integers exit 2 and name the flag', async () => {
    expectCliError(await run(['scan', 'examples/data', '--threshold', '2']), 2, '--threshold', "'2'")
    expectCliError(await run(['scan', 'examples/data', '--paragraph-threshold', '0']), 2, '--paragraph-threshold', "'0'")
    expectCliError(await run(['scan', 'examples/data', '--workers', '0']), 2, '--workers', "'0'")
    expectCliError(await run(['scan', 'examples/data', '--workers', '1.5']), 2, '--workers must be an integer', "'1.5'")
    expectCliError(await run(['scan', 'examples/data', '--max-length', '100.5']), 2, '--max-length must be an integer')
    expectCliError(
      await run(['scan', 'examples/data', '--window-days', 'soon', '--index', file('never.idx')]),
      2,
      '--window-days',
    )
    expect(existsSync(join(tmp, 'never.idx'))).toBe(false)
  })

  it('scan without an input, or with two, exits 2', async () => {
    expectCliError(await run(['scan']), 2, 'scan takes one input', 'got 0')
    expectCliError(await run(['scan', 'a', 'b']), 2, 'got 2')
    expectCliError(await run(['diff', seedFile('003')]), 2, 'diff takes two files', 'got 1')
  })
})

describe.concurrent('bad input: exit 1 with the file (and line)', () => {
  it('a missing path', async () => {
    const missing = join(tmp, 'nowhere', 'feed.jsonl')
    expectCliError(await run(['scan', missing]), 1, `no such file or directory: ${missing}`)
    expectCliError(await run(['diff', seedFile('003'), 'nope.txt']), 1, 'nope.txt')
  })

  it('an unreadable file: a directory where a file is expected (works as root too)', async () => {
    const dir = join(tmp, 'dir-input')
    mkdirSync(join(dir, 'b.txt'), { recursive: true })
    writeFileSync(join(dir, 'a.txt'), seedText('001'))
    expectCliError(await run(['scan', dir]), 1, `cannot read ${join(dir, 'b.txt')}: EISDIR`)
  })

  it.skipIf(process.getuid?.() === 0 || process.platform === 'win32')('an unreadable file: chmod 000 (not as root)', async () => {
    const txt = file('locked.txt', 'Some text that cannot be read.')
    const lines = file('locked.jsonl', jsonl([{ id: 'a', text: 'hello' }]))
    chmodSync(txt, 0)
    chmodSync(lines, 0)
    try {
      expectCliError(await run(['scan', txt]), 1, `cannot read ${txt}: EACCES`)
      expectCliError(await run(['scan', lines]), 1, `cannot read ${lines}: EACCES`)
    } finally {
      chmodSync(txt, 0o644)
      chmodSync(lines, 0o644)
    }
  })

  it('invalid JSON in a .jsonl names the file and line (blank lines counted)', async () => {
    const path = file('bad.jsonl', `${JSON.stringify({ id: 'a', text: 'fine' })}\n\n{"id": "b", text: "no quotes"}\n`)
    expectCliError(await run(['scan', path]), 1, `${path}:3: invalid JSON`)
  })

  it('invalid JSON in a .json names the file and line', async () => {
    const path = file('bad.json', `[\n  {"id": "a", "text": "fine"},\n  {"id": "b", "text": "x",}\n]\n`)
    expectCliError(await run(['scan', path]), 1, `${path}:3: invalid JSON`)
    const truncated = file('truncated.json', `[\n  {"id": "a", "text": "fine"},\n  {"id": "b",\n`)
    expectCliError(await run(['scan', truncated]), 1, `${truncated}:3: invalid JSON`)
  })

  it('a record without text names the record', async () => {
    const path = file(
      'notext.jsonl',
      jsonl([
        { id: 'a', text: 'fine' },
        { id: 'b', body: 'wrong field' },
      ]),
    )
    expectCliError(await run(['scan', path]), 1, `${path}:2: record has no "text" field`)
    const json = file('notext.json', JSON.stringify([{ id: 'a', body: 'x' }]))
    expectCliError(await run(['scan', json]), 1, `${json}[0]: record has no "text" field`)
  })

  it('a record with an empty id or an unreadable date names the line', async () => {
    const path = file('badfields.jsonl', jsonl([{ id: '', text: 'some text' }]))
    expectCliError(await run(['scan', path]), 1, `${path}:1: "id" is empty`)
    const date = file(
      'baddate.jsonl',
      jsonl([
        { id: 'a', text: 'x' },
        { id: 'b', text: 'y', publishedAt: 'last Tuesday' },
      ]),
    )
    expectCliError(await run(['scan', date]), 1, `${date}:2: "publishedAt" must be an ISO 8601 date`)
  })

  it('a binary file', async () => {
    const path = file('binary.txt', Buffer.from([0x48, 0x65, 0x6c, 0x6c, 0x6f, 0, 1, 2, 0, 0xff, 0x0a]))
    expectCliError(await run(['scan', path]), 1, `${path} is a binary file`)
    expectCliError(await run(['diff', seedFile('003'), path]), 1, `${path} is a binary file`)
  })

  it('an unsupported file type', async () => {
    const path = file('feed.csv', 'id,text\na,hello\n')
    expectCliError(await run(['scan', path]), 1, `${path}: unsupported input`)
  })

  it('the same id twice', async () => {
    const path = file(
      'dup.jsonl',
      jsonl([
        { id: 'a', text: 'one' },
        { id: 'a', text: 'two' },
      ]),
    )
    expectCliError(await run(['scan', path]), 1, 'article id "a" occurs more than once')
  })

  it('--out into a missing directory: a message, not a stack trace', async () => {
    const out = join(tmp, 'no-such-dir', 'report.html')
    expectCliError(
      await run(['scan', seedFile('001'), '--format', 'html', '--out', out, '--quiet']),
      1,
      `cannot write --out ${out}: the directory`,
    )
  })
})

describe.concurrent('skipped documents: a warning, counted, exit 0', () => {
  it('an empty document', async () => {
    // A blank line before the empty record: the warning names the line, not the record number.
    const path = file('with-empty.jsonl', `${jsonl(seedRecords(['001', '003']))}\n${jsonl([{ id: 'blank', text: '  \n\n ' }])}`)
    const r = await run(['scan', path, '--format', 'json'])
    const rep = report(r)
    expect(r.stderr).toContain(`wiretrace: warning: skipped ${path}:4 (blank): empty document`)
    expect(rep.skipped).toEqual([expect.objectContaining({ id: 'blank', reason: 'empty' })])
    expect(rep.stats.articles).toBe(3)
    expect(r.stderr).toMatch(/3 articles, 1 cluster, 0 singletons, 1 skipped/)
  })

  it('an empty .txt file', async () => {
    const path = file('empty.txt', '')
    const r = await run(['scan', path])
    expect(r.status).toBe(0)
    expect(r.stderr).toContain(`skipped ${path} (empty): empty document`)
    expect(r.stderr).toContain('1 article, 0 clusters, 0 singletons, 1 skipped')
    expect(r.stdout).toMatch(/1 skipped/)
  })

  it('a document over --max-length', async () => {
    const path = file('long.jsonl', jsonl([...seedRecords(['001', '003']), { id: 'long', text: 'word '.repeat(3000) }]))
    const r = await run(['scan', path, '--format', 'json', '--max-length', '10000'])
    const rep = report(r)
    expect(r.stderr).toContain(`skipped ${path}:3 (long): 15000 characters, over the limit of 10000`)
    expect(rep.skipped).toEqual([expect.objectContaining({ id: 'long', reason: 'too-large' })])
    expect(r.stderr).toMatch(/1 skipped/)
  })

  it('--quiet silences the warnings and the summary', async () => {
    const path = file(
      'quiet.jsonl',
      jsonl([
        { id: 'blank', text: '' },
        { id: 'b', text: 'Some words to read here.' },
      ]),
    )
    const r = await run(['scan', path, '--quiet'])
    expect(r.status).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/blank\s+empty/)
  })
})

describe.concurrent('scan', () => {
  it('finds the AFP cluster in examples/data: 003 the reference, 001 a copy, 002 a translation, Rudaw alone', async () => {
    const r = await run(['scan', 'examples/data'])
    expect(r.status, r.stderr).toBe(0)
    const out = r.stdout
    expect(out).toMatch(/^wiretrace report: 5 articles · 1 cluster · 1 singleton · 0 skipped/)
    expect(out).toContain(`Cluster ${seedId('003')}: 4 articles, reference ${seedId('003')}`)
    expect(out).toMatch(new RegExp(`${seedId('003')}\\s+reference`))
    expect(out).toMatch(new RegExp(`${seedId('001')}\\s+copy`))
    expect(out).toMatch(new RegExp(`${seedId('002')}\\s+translation`))
    const singletons = out.slice(out.indexOf('Singletons'), out.indexOf('Skipped'))
    expect(singletons).toContain(seedId('004'))
    // The directory's README.md is documentation, not an article.
    expect(out).not.toMatch(/^\s+README\b/m)
    expect(r.stderr).toBe('wiretrace: 5 articles, 1 cluster, 1 singleton, 0 skipped\n')
  })

  it('--min-confidence leaves out links under it (seed 002, a translation at about 0.58)', async () => {
    const rep = report(await run(['scan', 'examples/data', '--format', 'json', '--min-confidence', '0.8']))
    expect(rep.clusters.map((c) => c.members.map((m) => m.id).sort())).toEqual([[seedId('000'), seedId('001'), seedId('003')]])
    expectCliError(await run(['scan', 'examples/data', '--min-confidence', '1.5']), 2, '--min-confidence', "'1.5'")
  })

  it('--min-confidence REL=P,… floors the relations it names (000 is partial at about 0.93)', async () => {
    const rep = report(
      await run(['scan', 'examples/data', '--format', 'json', '--min-confidence', 'partial=0.95, translation=0']),
    )
    expect(rep.clusters.map((c) => c.members.map((m) => m.id).sort())).toEqual([[seedId('001'), seedId('002'), seedId('003')]])
    expectCliError(
      await run(['scan', 'examples/data', '--min-confidence', 'related=0.5']),
      2,
      "'related' is not a linking relation",
    )
    expectCliError(
      await run(['scan', 'examples/data', '--min-confidence', 'partial=high']),
      2,
      '--min-confidence partial',
      "'high'",
    )
  })

  it('--format json: a versioned report', async () => {
    const rep = report(await run(['scan', 'examples/data', '--format', 'json']))
    expect(rep.format).toBe('wiretrace/report')
    expect(rep.version).toBe(5)
    expect(rep.clusters).toHaveLength(1)
    expect(rep.clusters[0]?.reference).toBe(seedId('003'))
    expect(relations(rep.clusters[0] as Report['clusters'][0])).toMatchObject({
      [seedId('001')]: 'copy',
      [seedId('002')]: 'translation',
    })
    expect(rep.singletons.map((s) => s.id)).toEqual([seedId('004')])
  })

  it('--paragraph-threshold and --no-anchors reach the index: fewer paragraph bands lose the reworded copy', async () => {
    const lean = report(await run(['scan', 'examples/data', '--format', 'json', '--paragraph-threshold', '0.7', '--no-anchors']))
    expect(lean.clusters).toHaveLength(1)
    expect(relations(lean.clusters[0] as Report['clusters'][0])).toEqual({
      [seedId('003')]: 'reference',
      [seedId('000')]: 'partial',
      [seedId('001')]: 'copy',
    })
    // without anchors alone, the default paragraph bands still find it (002 is English)
    const noAnchors = report(await run(['scan', 'examples/data', '--format', 'json', '--no-anchors']))
    expect(relations(noAnchors.clusters[0] as Report['clusters'][0])).toMatchObject({ [seedId('002')]: 'translation' })
  })

  it('--format html --out FILE: a self-contained page, and says where it went', async () => {
    const out = join(tmp, 'report.html')
    const r = await run(['scan', 'examples/data', '--format', 'html', '--out', out])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`→ ${out}`)
    const html = readFileSync(out, 'utf8')
    expect(html).toMatch(/^<!doctype html>/i)
    expect(html).toContain('<style')
    expect(html).toContain(seedId('001'))
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i)
    expect(html).not.toMatch(/<link\b[^>]*\bhref/i)
    expect(html).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//i)
  })

  it('reads JSONL records from stdin (-)', async () => {
    const r = await run(['scan', '-', '--format', 'json'], { input: jsonl(seedRecords()) })
    const rep = report(r)
    expect(rep.clusters[0]?.reference).toBe('003')
    expect(relations(rep.clusters[0] as Report['clusters'][0])).toMatchObject({
      '003': 'reference',
      '001': 'copy',
      '002': 'translation',
    })
    expect(rep.clusters[0]?.members.map((m) => m.id).sort()).toEqual(['000', '001', '002', '003'])
    expect(rep.singletons.map((s) => s.id)).toEqual(['004'])
  })

  it('reads stdin with a byte-order mark, and a single pretty-printed record', async () => {
    const bom = await run(['scan', '-', '--format', 'json'], { input: `\uFEFF${jsonl(seedRecords(['001', '003']))}` })
    expect(report(bom).clusters[0]?.reference).toBe('003')
    const one = await run(['scan', '-', '--format', 'json'], {
      input: JSON.stringify({ id: 'solo', text: seedText('004') }, null, 2),
    })
    expect(report(one).singletons.map((s) => s.id)).toEqual(['solo'])
  })

  it('reads plain text from stdin as one article', async () => {
    const rep = report(await run(['scan', '-', '--format', 'json'], { input: seedText('004') }))
    expect(rep.singletons.map((s) => s.id)).toEqual(['stdin'])
  })

  it('reads a .json array, and a .jsonl file with a byte-order mark', async () => {
    const path = file('seeds.json', JSON.stringify(seedRecords(), null, 2))
    const rep = report(await run(['scan', path, '--format', 'json']))
    expect(rep.clusters[0]?.reference).toBe('003')
    expect(rep.clusters[0]?.members.map((m) => m.id).sort()).toEqual(['000', '001', '002', '003'])
    const bom = file('bom.jsonl', `\uFEFF${jsonl(seedRecords(['001', '003']))}`)
    expect(report(await run(['scan', bom, '--format', 'json'])).clusters[0]?.reference).toBe('003')
  })

  it('--reference 001 makes 001 the reference', async () => {
    const path = file('ref.json', JSON.stringify(seedRecords()))
    const r = await run(['scan', path, '--format', 'json', '--reference', '001'])
    const rep = report(r)
    expect(rep.clusters[0]?.reference).toBe('001')
    expect(relations(rep.clusters[0] as Report['clusters'][0])['001']).toBe('reference')
  })

  it('--reference naming no article warns', async () => {
    const r = await run(['scan', seedFile('001'), '--reference', 'afp-999'])
    expect(r.status).toBe(0)
    expect(r.stderr).toContain('warning: --reference afp-999 matches no article')
  })

  it('--workers 1 and --workers 2 give the same report (over 512 articles and 1 MB, so threads do run, started before reading)', async () => {
    const filler = fillerRecords(560, 'f', 7)
    // Generated copies of the seeds, each with a line of its own, so that clusters cross batches.
    const copies = ['000', '001', '003'].flatMap((p) =>
      Array.from({ length: 4 }, (_, k) => ({
        id: `c${p}-${k}`,
        text: `Copy ${k} of ${p}, filed by desk ${k}.\n\n${seedText(p)}`,
      })),
    )
    const path = file('many.jsonl', jsonl([...filler, ...copies, ...seedRecords()]))
    expect(statSync(path).size).toBeGreaterThan(1 << 20)
    const [one, two] = await Promise.all([
      run(['scan', path, '--format', 'json', '--workers', '1']),
      run(['scan', path, '--format', 'json', '--workers', '2']),
    ])
    expect(report(one).stats.articles).toBe(577)
    expect(two.stdout).toBe(one.stdout)
    // Every generated copy is clustered, with its seed.
    const clustered = new Set(report(two).clusters.flatMap((c) => c.members.map((m) => m.id)))
    for (const c of copies) expect(clustered.has(c.id), c.id).toBe(true)
    for (const p of ['000', '001', '003']) expect(clustered.has(p), p).toBe(true)
  })

  it('shows no progress bar when stderr is not a terminal', async () => {
    const r = await run(['scan', 'examples/data', '--format', 'json'])
    expect(r.status).toBe(0)
    for (const mark of ['█', '░', '\r', '\x1b[', 'docs/s', 'ETA']) expect(r.stderr).not.toContain(mark)
    expect(r.stderr).toBe('wiretrace: 5 articles, 1 cluster, 1 singleton, 0 skipped\n')
  })

  it('a reader that closes the pipe early is not an error', async () => {
    // The JSON report is over 100 kB: more than a pipe holds, so the CLI writes into a closed pipe.
    const script = `"${process.execPath}" "${(cli as BuiltCli).bin}" scan examples/data --format json --quiet | head -c 100 >/dev/null`
    const r = await new Promise<Run>((resolve, reject) => {
      const child = spawn('sh', ['-c', script], { cwd: ROOT, timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] })
      let stderr = ''
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
      child.on('error', reject)
      child.on('close', (status) => resolve({ status, stdout: '', stderr }))
    })
    expect(r.stderr).not.toMatch(/EPIPE|Error/)
    expect(r.status).toBe(0)
  })
})

// scan --index: test/cli/index-faults.test.ts

describe.concurrent('diff', () => {
  it('text: the paragraph diff of 001 against 003', async () => {
    const r = await run(['diff', seedFile('003'), seedFile('001')])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^wiretrace diff: ${seedId('001')} against ${seedId('003')} \\(copy\\)`))
    expect(r.stdout).toMatch(/kept \d+ · edited \d+/)
    expect(r.stdout).not.toContain('\x1b[')
  })

  it('notes on stderr when both files are dated and the first was published after the second, and only then', async () => {
    const dated = (name: string, prefix: string, publishedAt: string) =>
      file(name, jsonl([{ id: seedId(prefix), text: seedText(prefix), publishedAt }]))
    const original = dated('dated-003.jsonl', '003', '2024-12-07T22:00:00Z')
    const copy = dated('dated-001.jsonl', '001', '2024-12-08T06:00:00Z')
    const reversed = await run(['diff', copy, original])
    expect(reversed.status, reversed.stderr).toBe(0)
    expect(reversed.stderr).toContain(
      `wiretrace: note: "${seedId('001')}" was published after "${seedId('003')}" (copy); to see what "${seedId('001')}" did with it, give "${seedId('003')}" first`,
    )
    // The diff itself is still in the order given.
    expect(reversed.stdout).toMatch(new RegExp(`^wiretrace diff: ${seedId('003')} against ${seedId('001')} \\(copy\\)`))
    expect((await run(['diff', original, copy])).stderr).not.toContain('note:')
    // Undated, a story with paragraphs of its own added and the truncated original read alike: no note either way.
    expect((await run(['diff', seedFile('001'), seedFile('003')])).stderr).not.toContain('note:')
  })

  it('json: an article-diff', async () => {
    const r = await run(['diff', seedFile('003'), seedFile('001'), '--format', 'json'])
    expect(r.status, r.stderr).toBe(0)
    const d = JSON.parse(r.stdout) as { kind: string; reference: string; copy: string; relation: string; paragraphs: unknown[] }
    expect(d.kind).toBe('article-diff')
    expect(d.reference).toBe(seedId('003'))
    expect(d.copy).toBe(seedId('001'))
    expect(d.relation).toBe('copy')
    expect(d.paragraphs.length).toBeGreaterThan(10)
  })

  it('html --out FILE writes a page', async () => {
    const out = join(tmp, 'diff.html')
    const r = await run(['diff', seedFile('003'), seedFile('002'), '--format', 'html', '--out', out])
    expect(r.status, r.stderr).toBe(0)
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/i)
  })

  it('an empty file on one side says so', async () => {
    const empty = file('empty-side.txt', '\n')
    expectCliError(await run(['diff', seedFile('003'), empty]), 1, `${empty}: expected one article, found 0 (empty document)`)
  })
})

// --store: the shared Redis index. Needs a server: WIRETRACE_REDIS_URL (CI starts one).
const REDIS = process.env.WIRETRACE_REDIS_URL
if (!REDIS && process.env.WIRETRACE_REQUIRE_REDIS === '1')
  throw new Error('WIRETRACE_REQUIRE_REDIS=1 but WIRETRACE_REDIS_URL is not set')
describe.skipIf(!REDIS)('scan --store (Redis)', () => {
  it('matches a later run against what an earlier run stored, across processes', async () => {
    const ns = `cli-${process.pid}-${Date.now()}`
    const dirA = mkdtempSync(join(tmpdir(), 'wt-store-a-'))
    const dirB = mkdtempSync(join(tmpdir(), 'wt-store-b-'))
    for (const p of ['000', '001', '002']) copyFileSync(join(ROOT, seedFile(p)), join(dirA, `${seedId(p)}.txt`))
    for (const p of ['003', '004']) copyFileSync(join(ROOT, seedFile(p)), join(dirB, `${seedId(p)}.txt`))
    const first = await run(['scan', dirA, '--store', REDIS as string, '--namespace', ns, '--format', 'json'])
    expect(first.status, first.stderr).toBe(0)
    const second = await run(['scan', dirB, '--store', REDIS as string, '--namespace', ns, '--format', 'json'])
    expect(second.status, second.stderr).toBe(0)
    expect(second.stderr).toMatch(/3 from the shared store/)
    const report = JSON.parse(second.stdout) as {
      clusters: { reference: string; members: { id: string; relation: string }[] }[]
      singletons: { id: string }[]
    }
    expect(report.clusters[0]?.reference).toBe(seedId('003'))
    expect(Object.fromEntries(report.clusters[0]!.members.map((m) => [m.id, m.relation]))).toMatchObject({
      [seedId('001')]: 'copy',
      [seedId('002')]: 'translation',
    })
    expect(report.singletons.map((s) => s.id)).toEqual([seedId('004')])
  })

  it('fetches a stored article of the same language only when wording matches; another language through anchors', async () => {
    // one company report: two English rewrites sharing only names and figures, and a German version
    const texts: Record<string, string> = {
      en1: `Acme Corporation said on Tuesday that quarterly revenue rose 12.5 percent to 4.82 billion dollars, beating forecasts. Chief executive Maria Lindqvist told analysts in Frankfurt that orders from Brazil and Indonesia doubled.\n\nThe company expects 2024 earnings of 3.15 dollars a share and will cut 1,200 jobs at its Rotterdam plant by March.`,
      en2: `Revenue at Acme Corporation climbed 12.5 percent in the quarter, to 4.82 billion dollars, the group reported Tuesday. Speaking in Frankfurt, Maria Lindqvist pointed to Brazil and Indonesia, where demand doubled.\n\nFor 2024 the firm sees a profit of 3.15 dollars per share; 1,200 positions in Rotterdam will go by March.`,
      de1: `Die Acme Corporation meldete am Dienstag einen Umsatzanstieg um 12,5 Prozent auf 4,82 Milliarden Dollar im Quartal. Vorstandschefin Maria Lindqvist sagte in Frankfurt, die Bestellungen aus Brasilien und Indonesien hätten sich verdoppelt.\n\nFür 2024 erwartet das Unternehmen einen Gewinn von 3,15 Dollar je Aktie und will bis März 1.200 Stellen im Werk Rotterdam streichen.`,
    }
    const ns = `cli-anchor-${process.pid}-${Date.now()}`
    const scanOne = (id: string) => {
      const dir = mkdtempSync(join(tmpdir(), `wt-store-${id}-`))
      writeFileSync(join(dir, `${id}.txt`), texts[id] as string)
      return run(['scan', dir, '--store', REDIS as string, '--namespace', ns, '--format', 'json'])
    }
    const first = await scanOne('en1')
    expect(first.status, first.stderr).toBe(0)
    // en2 shares only anchors with en1, in the same language: not a candidate, nothing fetched
    const second = await scanOne('en2')
    expect(second.status, second.stderr).toBe(0)
    expect(second.stderr).toMatch(/wiretrace: 1 article, /)
    expect(second.stderr).not.toMatch(/from the shared store/)
    // the German version finds both English ones through the anchor channel
    const third = await scanOne('de1')
    expect(third.status, third.stderr).toBe(0)
    expect(third.stderr).toMatch(/3 articles \(2 from the shared store\)/)
  })

  it('refuses to add to a namespace whose articles were indexed with other options', async () => {
    const ns = `cli-keying-${process.pid}-${Date.now()}`
    const first = await run(['scan', 'examples/data', '--store', REDIS as string, '--namespace', ns, '--quiet'])
    expect(first.status, first.stderr).toBe(0)
    const other = await run(['scan', 'examples/data', '--store', REDIS as string, '--namespace', ns, '--threshold', '0.6'])
    expect(other.status).toBe(1)
    expect(other.stderr).toMatch(
      /namespace "cli-keying-.*" holds documents keyed with document="25x5", but this index keys them with document="18x7"/,
    )
  })

  it('refuses a store URL that is not Redis, and --index with --store', async () => {
    const bad = await run(['scan', 'examples/data', '--store', 'http://x'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/--store must be a redis:\/\/ or rediss:\/\/ URL/)
    const both = await run(['scan', 'examples/data', '--store', REDIS as string, '--index', join(tmpdir(), 'x.idx')])
    expect(both.status).toBe(2)
    expect(both.stderr).toMatch(/--index and --store/)
  })

  it('says clearly when the server cannot be reached', async () => {
    const r = await run(['scan', 'examples/data', '--store', 'redis://127.0.0.1:1'])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/wiretrace: .*(unreachable|connect)/i)
  })
})
