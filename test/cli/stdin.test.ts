// `wiretrace scan -`: bytes on stdin that are gzipped (whole or damaged) or not UTF-8, run as a
// subprocess. Damage is an INPUT_ERROR: exit 1, one message naming stdin and the problem, no stack
// trace, nothing on stdout.
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BuiltCli, buildCli, expectCliError, type Run } from '../helpers/cli.js'
import { jsonl } from '../helpers/files.js'
import { seedText } from '../helpers/seeds.js'

let cli: BuiltCli | undefined
const run = (args: string[], input: string | Buffer): Promise<Run> => (cli as BuiltCli).run(args, { input })

beforeAll(() => {
  cli = buildCli('stdin-test-')
}, 120_000)
afterAll(() => cli?.remove())

const records = ['000', '001', '003'].map((id) => ({ id, text: seedText(id), source: `outlet-${id}` }))
const plain = jsonl(records)
const gz = gzipSync(plain)

describe.concurrent('scan - with gzipped input', () => {
  it('reads gzipped JSONL from stdin: the report of the plain input', async () => {
    const [a, b] = await Promise.all([run(['scan', '-', '--format', 'json'], plain), run(['scan', '-', '--format', 'json'], gz)])
    expect(a.status, a.stderr).toBe(0)
    expect(b.status, b.stderr).toBe(0)
    expect(JSON.parse(a.stdout).stats.articles).toBe(3)
    expect(b.stdout).toBe(a.stdout)
  })

  it('truncated gzip: exit 1, "stdin: damaged gzip data", no stack trace', async () => {
    for (const cut of [gz.length - 30, gz.length - 4, 12]) {
      expectCliError(await run(['scan', '-'], gz.subarray(0, cut)), 1, /^wiretrace: stdin: damaged gzip data \(.+\)\n$/)
    }
  })

  it('gzip whose data or checksum is damaged: exit 1, "stdin: damaged gzip data"', async () => {
    const garbage = Buffer.concat([gz.subarray(0, 10), Buffer.from('this is not deflate data at all')])
    expectCliError(await run(['scan', '-'], garbage), 1, 'wiretrace: stdin: damaged gzip data (')
    const crc = Buffer.from(gz)
    crc[crc.length - 8] = (crc[crc.length - 8] as number) ^ 0xff // the trailer's CRC-32
    expectCliError(await run(['scan', '-'], crc), 1, 'wiretrace: stdin: damaged gzip data (')
    const two = Buffer.from([0x1f, 0x8b]) // the magic alone
    expectCliError(await run(['scan', '-'], two), 1, 'wiretrace: stdin: damaged gzip data (')
  })

  it('gzip holding what is not text: the error about its content, naming stdin', async () => {
    expectCliError(await run(['scan', '-'], gzipSync(Buffer.from([0x7b, 0, 1, 2, 0, 0]))), 1, 'stdin is a binary file, not text')
    const latin1 = gzipSync(Buffer.from('{"id":"a","text":"Café society"}\n', 'latin1'))
    expectCliError(await run(['scan', '-'], latin1), 1, 'stdin:1: not valid UTF-8: byte 0xE9 at byte offset 21', '--encoding')
  })
})

describe.concurrent('scan - with text that is not UTF-8', () => {
  const cafe = 'Café society gathered in the old quarter on Sunday.\n\nThe mayor spoke of the café and its history.\n'

  it('plain text, JSONL and a JSON array on stdin: the line and byte of the first bad byte, and the --encoding hint', async () => {
    expectCliError(
      await run(['scan', '-'], Buffer.from(cafe, 'latin1')),
      1,
      'stdin:1: not valid UTF-8: byte 0xE9 at byte offset 3',
      '--encoding',
    )
    const first = JSON.stringify({ id: 'a', text: 'fine' })
    const lines = Buffer.from(`${first}\n{"id":"b","text":"Café society"}\n`, 'latin1')
    const at = first.length + 1 + '{"id":"b","text":"Caf'.length
    expectCliError(await run(['scan', '-'], lines), 1, `stdin:2: not valid UTF-8: byte 0xE9 at byte offset ${at}`)
    const record = `  {"id": "a", "text": "${cafe.replace(/\n/g, '\\n')}"}`
    const array = Buffer.from(`[\n${record}\n]\n`, 'latin1')
    const inArray = '[\n'.length + record.indexOf('é')
    expectCliError(await run(['scan', '-'], array), 1, `stdin:2: not valid UTF-8: byte 0xE9 at byte offset ${inArray} (`)
  })

  it('--encoding latin1 reads the same bytes', async () => {
    const r = await run(['scan', '-', '--encoding', 'latin1', '--format', 'json'], Buffer.from(cafe, 'latin1'))
    expect(r.status, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).singletons.map((s: { id: string }) => s.id)).toEqual(['stdin'])
  })
})
