// Directory input: metadata.jsonl beside the texts gives each file its title, outlet, date and url.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readArticles } from '../../src/node/io.js'
import { expectRejects } from '../helpers/errors.js'
import { jsonl, scratchDir } from '../helpers/files.js'
import { SEED_DIR } from '../helpers/seeds.js'

const scratch = scratchDir('wiretrace-sidecar-')
afterAll(() => scratch.remove())

let n = 0
/** A fresh directory with two texts and the given sidecar (none when undefined). */
function dirWith(sidecar: string | undefined): string {
  const sub = `d${n++}`
  mkdirSync(scratch.file(sub), { recursive: true })
  scratch.file(`${sub}/a.txt`, 'First article text.')
  scratch.file(`${sub}/b.md`, 'Second article text.')
  if (sidecar !== undefined) scratch.file(`${sub}/metadata.jsonl`, sidecar)
  return scratch.file(sub)
}

describe('readArticles: metadata.jsonl', () => {
  it('gives each file its title, outlet, date (a "date" field too), url and language; files it does not name get none', async () => {
    const dir = dirWith(
      jsonl([
        {
          file: 'a.txt',
          title: 'A title',
          source: 'Outlet A',
          date: '2024-12-08',
          url: 'https://a.example/1',
          lang: 'en',
          extra: 1,
        },
      ]),
    )
    const { articles } = await readArticles(dir)
    expect(articles).toEqual([
      {
        id: 'a',
        text: 'First article text.',
        title: 'A title',
        source: 'Outlet A',
        publishedAt: '2024-12-08T00:00:00.000Z',
        url: 'https://a.example/1',
        lang: 'en',
      },
      { id: 'b', text: 'Second article text.' },
    ])
  })

  it('reads the seeds’ sidecar: every seed gets its outlet', async () => {
    const { articles } = await readArticles(SEED_DIR)
    expect(articles).toHaveLength(5)
    for (const a of articles) expect(a.source).toMatch(/\S/)
    expect(articles.find((a) => a.id.startsWith('001'))?.source).toBe('APP / UrduPoint (AFP copy)')
  })

  it('refuses a line that names no file, a file twice, a bad field or bad JSON, naming the line', async () => {
    await expectRejects(readArticles(dirWith(jsonl([{ title: 'x' }]))), 'INPUT_ERROR', 'metadata.jsonl:1', '"file"')
    // Latin-1 bytes ("Café" as 0xE9) are refused, not read as U+FFFD.
    const latin1 = dirWith(undefined)
    writeFileSync(join(latin1, 'metadata.jsonl'), Buffer.from('{"file": "a.txt", "source": "Caf\xe9"}\n', 'latin1'))
    await expectRejects(readArticles(latin1), 'INPUT_ERROR', 'metadata.jsonl', 'not valid UTF-8')
    await expectRejects(readArticles(dirWith(`\n${jsonl([{ file: 'c.txt' }])}`)), 'INPUT_ERROR', 'metadata.jsonl:2', 'c.txt')
    await expectRejects(
      readArticles(dirWith(jsonl([{ file: 'a.txt' }, { file: 'a.txt' }]))),
      'INPUT_ERROR',
      'metadata.jsonl:2',
      'twice',
    )
    await expectRejects(readArticles(dirWith(jsonl([{ file: 'a.txt', url: 3 }]))), 'INPUT_ERROR', 'metadata.jsonl:1', '"url"')
    await expectRejects(readArticles(dirWith(jsonl([{ file: 'a.txt', title: ['x'] }]))), 'INPUT_ERROR', '"title"')
    await expectRejects(readArticles(dirWith('{nope\n')), 'INPUT_ERROR', 'metadata.jsonl:1', 'invalid JSON')
  })
})
