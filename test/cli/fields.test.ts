// scan --text-field and --id-field, run as a subprocess: a feed whose records call the text and
// the id something else, and the same errors and skips as today when a record lacks the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BuiltCli, buildCli, expectCliError, type Run } from '../helpers/cli.js'
import { jsonl, scratchDir } from '../helpers/files.js'
import { seedText } from '../helpers/seeds.js'

let cli: BuiltCli | undefined
const run = (args: string[], input?: string): Promise<Run> => (cli as BuiltCli).run(args, input !== undefined ? { input } : {})
const scratch = scratchDir('wiretrace-fields-cli-')
const { file } = scratch

beforeAll(() => {
  cli = buildCli('fields-test-')
}, 120_000)
afterAll(() => {
  cli?.remove()
  scratch.remove()
})

interface Report {
  clusters: { reference: string; members: { id: string; relation: string }[] }[]
  singletons: { id: string }[]
  skipped: { id: string; reason: string; detail: string }[]
  stats: { articles: number; skipped: number }
}

/** The seeds as records of another shape: the text in "body", the id in "guid". */
const feed = ['000', '001', '003'].map((id) => ({ guid: `wire-${id}`, body: seedText(id), source: `outlet-${id}` }))
const ids = (r: Report) => [...r.clusters.flatMap((c) => c.members.map((m) => m.id)), ...r.singletons.map((s) => s.id)].sort()

describe.concurrent('scan --text-field NAME --id-field NAME', () => {
  it('reads the text and the id from the named fields: the report of the same records with text and id', async () => {
    const path = file('feed.jsonl', jsonl(feed))
    const plain = file('plain.jsonl', jsonl(feed.map(({ guid, body, source }) => ({ id: guid, text: body, source }))))
    const [named, usual] = await Promise.all([
      run(['scan', path, '--text-field', 'body', '--id-field', 'guid', '--format', 'json', '--quiet']),
      run(['scan', plain, '--format', 'json', '--quiet']),
    ])
    expect(named.status, named.stderr).toBe(0)
    expect(usual.status, usual.stderr).toBe(0)
    expect(ids(JSON.parse(named.stdout))).toEqual(['wire-000', 'wire-001', 'wire-003'])
    expect(JSON.parse(named.stdout).clusters).toHaveLength(1)
    expect(named.stdout).toBe(usual.stdout)
  })

  it('reads them from stdin and from a .json array too', async () => {
    const args = ['--text-field=body', '--id-field=guid', '--format', 'json', '--quiet']
    const [stdin, json] = await Promise.all([
      run(['scan', '-', ...args], jsonl(feed)),
      run(['scan', file('feed.json', JSON.stringify(feed)), ...args]),
    ])
    for (const r of [stdin, json]) {
      expect(r.status, r.stderr).toBe(0)
      expect(ids(JSON.parse(r.stdout))).toEqual(['wire-000', 'wire-001', 'wire-003'])
    }
  })

  it('a record without the named field stops the run at its line, as a record without text does', async () => {
    const path = file('no-body.jsonl', jsonl([...feed, { guid: 'wire-x', text: 'a text field, but no body' }]))
    expectCliError(
      await run(['scan', path, '--text-field', 'body', '--id-field', 'guid']),
      1,
      `wiretrace: ${path}:4: record has no "body" field (--skip-bad-lines skips such lines)`,
    )
    const noGuid = file('no-guid.jsonl', jsonl([{ id: 'x', body: 'text' }]))
    expectCliError(
      await run(['scan', noGuid, '--text-field', 'body', '--id-field', 'guid']),
      1,
      `${noGuid}:1: record has no string "guid"`,
    )
  })

  it('with --skip-bad-lines it is a counted skip under its id, warned and in the report', async () => {
    const path = file('skip.jsonl', jsonl([...feed, { guid: 'wire-x', text: 'no body' }]))
    const r = await run(['scan', path, '--text-field', 'body', '--id-field', 'guid', '--skip-bad-lines', '--format', 'json'])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toContain(`wiretrace: warning: skipped ${path}:4 (wire-x): record has no "body" field`)
    const rep = JSON.parse(r.stdout) as Report
    expect(rep.skipped).toEqual([
      expect.objectContaining({ id: 'wire-x', reason: 'bad-line', detail: `${path}:4: record has no "body" field` }),
    ])
    expect(rep.stats).toMatchObject({ articles: 4, skipped: 1 })
  })

  it('the two naming one field is a usage error', async () => {
    const path = file('any.jsonl', jsonl(feed))
    expectCliError(await run(['scan', path, '--id-field', 'text']), 2, "--text-field and --id-field name the same field, 'text'")
    expectCliError(await run(['scan', path, '--text-field', 'body', '--id-field', 'body']), 2, 'the same field')
  })

  it('--help lists them with their defaults', async () => {
    const r = await run(['scan', '--help'])
    expect(r.stdout).toMatch(/--text-field NAME .*\(default: text\)/)
    expect(r.stdout).toMatch(/--id-field NAME .*\(default: id\)/)
  })
})
