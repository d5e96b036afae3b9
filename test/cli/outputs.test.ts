// scan's report outputs through the built CLI: metadata from records and from metadata.jsonl,
// --format csv, --keep-list, and the --min-size / --relations filters.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatText, parseReport } from '../../src/report/index.js'
import { type BuiltCli, buildCli, expectCliError, type Run } from '../helpers/cli.js'
import { jsonl, scratchDir } from '../helpers/files.js'
import { seedId, seedText } from '../helpers/seeds.js'

let cli: BuiltCli | undefined
const run = (args: string[]): Promise<Run> => (cli as BuiltCli).run(args)
const scratch = scratchDir('wiretrace-outputs-')
const { file } = scratch

interface Member {
  id: string
  relation: string
  headline?: string
  url?: string
  source?: string
  publishedAt?: string
}
interface Report {
  clusters: { reference: string; members: Member[] }[]
  singletons: Member[]
  filter?: { minSize: number; relations: string[]; released: number }
}

function ok(r: Run): string {
  expect(r.stderr).not.toContain('unexpected error')
  expect(r.status, r.stderr).toBe(0)
  return r.stdout
}

const records = ['000', '001', '002', '003', '004'].map((p) => ({
  id: p,
  text: seedText(p),
  title: `Headline ${p}, "quoted"`,
  url: `https://news.example/${p}`,
  source: `outlet-${p}`,
  publishedAt: '2024-12-08',
}))

beforeAll(() => {
  cli = buildCli('outputs-test-')
}, 120_000)

afterAll(() => {
  cli?.remove()
  scratch.remove()
})

describe.concurrent('scan outputs', () => {
  it('--format json gives every member the url, headline, outlet and date its record gave', async () => {
    const report = JSON.parse(
      ok(await run(['scan', file('in.jsonl', jsonl(records)), '--format', 'json', '--workers', '1'])),
    ) as Report
    const members = report.clusters.flatMap((c) => c.members)
    expect(members).toHaveLength(4)
    for (const m of [...members, ...report.singletons]) {
      const r = records.find((x) => x.id === m.id)!
      expect([m.url, m.headline, m.source, m.publishedAt]).toEqual([r.url, r.title, r.source, r.publishedAt])
    }
  })

  it('--format json writes a compact version 5 report, one diff row a line, that renders as the text report', async () => {
    const json = ok(await run(['scan', 'examples/data', '--format', 'json', '--workers', '1']))
    const text = ok(await run(['scan', 'examples/data', '--workers', '1', '--details']))
    const report = parseReport(json)
    expect(report.version).toBe(5)
    expect(formatText(report, { details: true })).toBe(text)
    const rows = json.split('\n').filter((line) => line.includes('"status":"'))
    expect(rows.length).toBeGreaterThan(20)
    for (const line of rows) expect(line).toMatch(/^ +\{"status":".*\},?$/)
    // The reference's text is in the story, and nowhere in the member diffs.
    const diff = report.clusters[0]?.diff
    expect(diff?.diffs.flatMap((d) => d.paragraphs).some((p) => p.referenceText !== undefined)).toBe(false)
  })

  it('a directory with metadata.jsonl shows the outlets and headlines in text, as npm run example does', async () => {
    const text = ok(await run(['scan', 'examples/data', '--workers', '1']))
    for (const outlet of ['Inquirer (AFP copy, fullest version)', 'APP / UrduPoint (AFP copy)', 'Rudaw']) {
      expect(text).toContain(outlet)
    }
    expect(text).toContain('Syria rebels enter strategic city of Homs – war monitor')
    expect(text).not.toContain('(no source)')
    expect(text).not.toContain('trailing-section')
    const details = ok(await run(['scan', 'examples/data', '--details', '--workers', '1']))
    expect(details).toContain('Jaccard')
    expect(details).toContain('trailing-section')
  })

  it('--format csv writes one row per article, and --keep-list the ids to keep', async () => {
    const keep = file('keep.txt')
    const csv = ok(
      await run(['scan', file('csv.jsonl', jsonl(records)), '--format', 'csv', '--keep-list', keep, '--workers', '1']),
    )
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe('id,cluster,reference,relation,extent,confidence,headline,url,source,publishedAt')
    expect(lines).toHaveLength(7) // header, five articles, and the empty string after the last CRLF
    expect(lines.find((l) => l.startsWith('001,'))).toMatch(
      /^001,003,003,copy,whole,0\.\d+,"Headline 001, ""quoted""",https:\/\/news\.example\/001,outlet-001,2024-12-08$/,
    )
    expect(readFileSync(keep, 'utf8')).toBe('003\n004\n')
  })

  it('--relations and --min-size filter every format; released articles are singletons and kept', async () => {
    const input = file('filter.jsonl', jsonl(records))
    const keep = file('keep2.txt')
    const report = JSON.parse(
      ok(
        await run(['scan', input, '--format', 'json', '--relations', 'copy, translation', '--keep-list', keep, '--workers', '1']),
      ),
    ) as Report
    expect(report.clusters[0]?.members.map((m) => m.id)).toEqual(['003', '001', '002'])
    expect(report.filter).toEqual({ minSize: 2, relations: ['copy', 'translation'], released: 1 })
    expect(readFileSync(keep, 'utf8')).toBe('003\n000\n004\n')
    const text = ok(await run(['scan', input, '--min-size', '5', '--workers', '1']))
    expect(text).toMatch(/0 clusters · 5 singletons/)
    const csv = ok(await run(['scan', input, '--format', 'csv', '--min-size', '5', '--workers', '1']))
    expect(csv.split('\r\n').filter((l) => l.includes(',singleton,'))).toHaveLength(5)
  })

  it('refuses a bad format, size or relation', async () => {
    expectCliError(
      await run(['scan', 'examples/data', '--format', 'xml']),
      2,
      '--format must be text, json, html or csv',
      "'xml'",
    )
    expectCliError(await run(['scan', 'examples/data', '--min-size', '1']), 2, '--min-size', "'1'")
    expectCliError(await run(['scan', 'examples/data', '--relations', 'copy,copies']), 2, '--relations', "'copies'")
    expectCliError(
      await run(['scan', 'examples/data', '--relations', 'copy,rewrit']),
      2,
      "'rewrit' is not one of",
      "did you mean 'rewrite'",
    )
    // A relation that never links: the filter would keep no cluster at all.
    expectCliError(
      await run(['scan', 'examples/data', '--relations', 'related']),
      2,
      "'related' never links an article to a cluster",
    )
    expectCliError(await run(['scan', 'examples/data', '--relations', ',']), 2, '--relations needs')
  })

  it('refuses a metadata.jsonl line that names no file of the directory', async () => {
    const dir = scratch.file('dir')
    const { mkdirSync, writeFileSync } = await import('node:fs')
    mkdirSync(dir)
    writeFileSync(`${dir}/a.txt`, seedText('001'))
    writeFileSync(`${dir}/metadata.jsonl`, jsonl([{ file: `${seedId('001')}.txt`, source: 'x' }]))
    expectCliError(await run(['scan', dir]), 1, 'metadata.jsonl:1', seedId('001'))
  })
})
