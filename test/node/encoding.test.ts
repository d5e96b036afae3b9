// Text that is not in the input's encoding, through the Node reader (readArticles) for every kind
// of input: an INPUT_ERROR naming the file (inside a directory too), the line, the bad byte and its
// offset, and the way out (an encoding to give); never text with U+FFFD in it.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { readArticles } from '../../src/node/io.js'
import { expectRejects } from '../helpers/errors.js'
import { scratchDir } from '../helpers/files.js'

const scratch = scratchDir('wiretrace-encoding-')
const { file } = scratch
afterAll(() => scratch.remove())

const HINT = '(if it is in another encoding, give it: --encoding latin1'
const cafe = 'Café society gathered in the old quarter on Sunday.\n\nThe mayor spoke of the café and its history.\n'
const latin1 = (s: string) => Buffer.from(s, 'latin1')

describe('readArticles: bytes that are not UTF-8', () => {
  it('a .txt file: its name, line 1, the byte and its offset, and the encoding option', async () => {
    const path = file('cafe.txt', latin1(cafe))
    await expectRejects(readArticles(path), 'INPUT_ERROR', `${path}:1: not valid UTF-8: byte 0xE9 at byte offset 3 ${HINT}`)
    const second = file('second.txt', Buffer.concat([Buffer.from('Fine first paragraph.\n\n'), latin1('Caf\u00e9')]))
    await expectRejects(readArticles(second), 'INPUT_ERROR', `${second}:3: not valid UTF-8: byte 0xE9 at byte offset 26`)
  })

  it('a file in a directory: the file, not the directory', async () => {
    const dir = join(scratch.dir, 'articles')
    mkdirSync(dir)
    file('articles/a-good.txt', cafe)
    file('articles/b-bad.md', latin1(cafe))
    await expectRejects(
      readArticles(dir),
      'INPUT_ERROR',
      `${join(dir, 'b-bad.md')}:1: not valid UTF-8: byte 0xE9 at byte offset 3`,
    )
  })

  it('.json and .json.gz: the file, the line of the record and the offset in its text', async () => {
    const record = `  {"id": "a", "text": "${cafe.replace(/\n/g, '\\n')}"}`
    const json = latin1(`[\n${record}\n]\n`)
    const at = '[\n'.length + record.indexOf('é')
    const path = file('cafe.json', json)
    await expectRejects(readArticles(path), 'INPUT_ERROR', `${path}:2: not valid UTF-8: byte 0xE9 at byte offset ${at} `)
    const gz = file('cafe.json.gz', gzipSync(json))
    await expectRejects(readArticles(gz), 'INPUT_ERROR', `${gz}:2: not valid UTF-8: byte 0xE9 at byte offset ${at} `)
  })

  it('.jsonl and .jsonl.gz: the line, and with skipBadLines a counted skip saying why', async () => {
    const first = JSON.stringify({ id: 'a', text: 'fine' })
    const bytes = Buffer.concat([
      Buffer.from(`${first}\n`),
      latin1('{"id":"b","text":"Café society"}\n'),
      Buffer.from(`${first.replace('"a"', '"c"')}\n`),
    ])
    const at = first.length + 1 + '{"id":"b","text":"Caf'.length
    for (const path of [file('cafe.jsonl', bytes), file('cafe.jsonl.gz', gzipSync(bytes))]) {
      await expectRejects(
        readArticles(path),
        'INPUT_ERROR',
        `${path}:2: not valid UTF-8: byte 0xE9 at byte offset ${at}`,
        '--skip-bad-lines',
      )
      const r = await readArticles(path, { skipBadLines: true })
      expect(r.articles.map((a) => a.id)).toEqual(['a', 'c'])
      expect(r.skipped).toEqual([
        {
          id: `${path}:2`,
          where: `${path}:2`,
          reason: 'bad-line',
          detail: expect.stringContaining(`not valid UTF-8: byte 0xE9 at byte offset ${at}`),
        },
      ])
    }
  })

  it('a long .jsonl read in chunks: characters split between chunks are fine, the bad byte is found by line and file offset', async () => {
    // Every line holds 2-, 3- and 4-byte characters, so some straddle the reader's chunk boundaries.
    const lines = Array.from({ length: 6000 }, (_, i) => JSON.stringify({ id: `n${i}`, text: `Ünïcödé ✓ 𝄞 line ${i}` }))
    const good = Buffer.from(`${lines.join('\n')}\n`)
    expect(good.length).toBeGreaterThan(4 * 65536)
    expect((await readArticles(file('long.jsonl', good))).articles).toHaveLength(6000)
    const badLine = 5500
    const before = Buffer.byteLength(`${lines.slice(0, badLine - 1).join('\n')}\n`)
    const broken = Buffer.concat([good.subarray(0, before), latin1('{"id":"x","text":"Café"}\n'), good.subarray(before)])
    const at = before + '{"id":"x","text":"Caf'.length
    const path = file('long-bad.jsonl', broken)
    await expectRejects(readArticles(path), 'INPUT_ERROR', `${path}:${badLine}: not valid UTF-8: byte 0xE9 at byte offset ${at}`)
  })

  it('names the first byte of any invalid sequence: truncated, overlong, an encoded surrogate, a stray continuation byte', async () => {
    const cases: [string, Buffer, string][] = [
      ['truncated', Buffer.concat([Buffer.from('The end: caf'), Buffer.from([0xc3])]), 'byte 0xC3 at byte offset 12'],
      ['overlong', Buffer.concat([Buffer.from('a/b '), Buffer.from([0xc0, 0xaf])]), 'byte 0xC0 at byte offset 4'],
      ['surrogate', Buffer.concat([Buffer.from('xy '), Buffer.from([0xed, 0xa0, 0x80])]), 'byte 0xED at byte offset 3'],
      [
        'continuation',
        Buffer.concat([Buffer.from('ok é then '), Buffer.from([0x80]), Buffer.from(' more')]),
        'byte 0x80 at byte offset 11',
      ],
    ]
    for (const [name, bytes, what] of cases) {
      const path = file(`${name}.txt`, bytes)
      await expectRejects(readArticles(path), 'INPUT_ERROR', `${path}:1: not valid UTF-8: ${what}`)
    }
  })

  it('UTF-16 read as UTF-8: the file and the encoding to give; bad UTF-16: the file and the encoding', async () => {
    const utf16 = file('utf16.txt', Buffer.from(`\uFEFF${cafe}`, 'utf16le'))
    await expectRejects(
      readArticles(utf16),
      'INPUT_ERROR',
      `${utf16} is UTF-16 text (it starts with a UTF-16 byte-order mark): give --encoding utf-16le or utf-16be`,
    )
    expect((await readArticles(utf16, { encoding: 'utf-16le' })).articles[0]?.text).toContain('Café society')
    const lone = file('lone.txt', Buffer.concat([Buffer.from('Caf', 'utf16le'), Buffer.from([0x00, 0xd8])]))
    await expectRejects(readArticles(lone, { encoding: 'utf-16le' }), 'INPUT_ERROR', `${lone}: not valid UTF-16LE text`)
  })

  it('the encoding given decodes what UTF-8 refused, without U+FFFD', async () => {
    const path = file('given.txt', latin1(cafe))
    const r = await readArticles(path, { encoding: 'latin1' })
    expect(r.articles[0]?.text).toContain('Café society')
    expect(r.articles[0]?.text).not.toContain('\uFFFD')
  })
})
