// readArticles' textField and idField: records that name their text and id otherwise, read as
// records with `text` and `id` are, with the same errors and skips when the named field is missing.
import { afterAll, describe, expect, it } from 'vitest'
import { readArticles, recordToArticle } from '../../src/node/io.js'
import { expectError, expectRejects } from '../helpers/errors.js'
import { jsonl, scratchDir } from '../helpers/files.js'

const scratch = scratchDir('wiretrace-fields-')
const { file } = scratch
afterAll(() => scratch.remove())

const fields = { textField: 'body', idField: 'guid' }
const records = [
  { guid: 'a', body: 'Rebels entered Homs on Sunday.', source: 'AFP', text: 'not the text' },
  { guid: 7, body: 'The mayor spoke on Monday.', id: 'not the id' },
]

describe('textField and idField', () => {
  it('read the text and the id from the named fields, in .jsonl and .json alike', async () => {
    for (const path of [file('feed.jsonl', jsonl(records)), file('feed.json', JSON.stringify(records))]) {
      const { articles, skipped } = await readArticles(path, fields)
      expect(skipped).toEqual([])
      // The article is what a record with id and text gives: the default fields are not carried over.
      expect(articles).toEqual([
        { id: 'a', text: 'Rebels entered Homs on Sunday.', source: 'AFP' },
        { id: '7', text: 'The mayor spoke on Monday.' },
      ])
      expect(Object.keys(articles[0] as object)).toEqual(['id', 'text', 'source'])
    }
  })

  it('default to text and id', async () => {
    const path = file('plain.jsonl', jsonl([{ id: 'x', text: 'Some text.', body: 'not the text' }]))
    expect((await readArticles(path)).articles).toEqual([{ id: 'x', text: 'Some text.' }])
    expect((await readArticles(path, { textField: 'text', idField: 'id' })).articles).toEqual([{ id: 'x', text: 'Some text.' }])
  })

  it('a record without the named text field is the error a record without text is, naming the field', async () => {
    const lines = file('no-body.jsonl', jsonl([records[0], { guid: 'b', text: 'has text, no body' }]))
    await expectRejects(readArticles(lines, fields), 'INPUT_ERROR', `${lines}:2: record has no "body" field`, '--skip-bad-lines')
    const json = file('no-body.json', JSON.stringify([{ guid: 'b', text: 'x' }]))
    await expectRejects(readArticles(json, fields), 'INPUT_ERROR', `${json}[0]: record has no "body" field`)
    // And without the options, the same record is refused for its "text" the same way.
    const plain = file('no-text.jsonl', jsonl([{ id: 'b', body: 'x' }]))
    await expectRejects(readArticles(plain), 'INPUT_ERROR', `${plain}:1: record has no "text" field`, '--skip-bad-lines')
  })

  it('a record without the named id field, or with a bad one, is refused naming the field', async () => {
    const path = file('no-guid.jsonl', jsonl([{ id: 'b', body: 'x' }]))
    await expectRejects(readArticles(path, fields), 'INPUT_ERROR', `${path}:1: record has no string "guid"`)
    const empty = file('empty-guid.jsonl', jsonl([{ guid: '', body: 'x' }]))
    await expectRejects(readArticles(empty, fields), 'INPUT_ERROR', `${empty}:1: "guid" is empty`)
    expectError(
      () => recordToArticle({ guid: 1.5, body: 'x' }, 'here', fields),
      'INPUT_ERROR',
      'here: "guid" must be a string or an integer',
    )
    expectError(() => recordToArticle({ guid: 'a', body: 3 }, 'here', fields), 'INPUT_ERROR', 'here: "body" must be a string')
    expectError(() => recordToArticle('x', 'here', fields), 'INPUT_ERROR', 'here: expected an object with guid and body')
  })

  it('with skipBadLines such a record is a counted skip, under the id of the named field', async () => {
    const path = file('skip.jsonl', jsonl([records[0], { guid: 'b', text: 'no body' }, { body: 'no guid' }]))
    const { articles, skipped } = await readArticles(path, { ...fields, skipBadLines: true })
    expect(articles.map((a) => a.id)).toEqual(['a'])
    expect(skipped).toEqual([
      { id: 'b', where: `${path}:2`, reason: 'bad-line', detail: 'record has no "body" field' },
      { id: `${path}:3`, where: `${path}:3`, reason: 'bad-line', detail: 'record has no string "guid"' },
    ])
  })

  it('must be two different non-empty strings', async () => {
    const path = file('any.jsonl', jsonl([{ id: 'a', text: 'x' }]))
    await expectRejects(readArticles(path, { textField: '' }), 'INVALID_ARGUMENT', 'readArticles: options.textField')
    await expectRejects(
      readArticles(path, { idField: 3 as unknown as string }),
      'INVALID_ARGUMENT',
      'readArticles: options.idField must be a non-empty string, got 3',
    )
    await expectRejects(readArticles(path, { idField: 'text' }), 'INVALID_ARGUMENT', 'both "text"')
    expectError(() => recordToArticle({ id: 'a', text: 'x' }, 'here', { textField: 'id' }), 'INVALID_ARGUMENT', 'recordToArticle')
  })
})

describe('a "date" field', () => {
  it('stands for publishedAt when it reads as a date, also with conversion markup after it (Reuters-21578)', () => {
    const read = (date: string) => recordToArticle({ id: 'a', text: 'x', date }, 'here').publishedAt
    expect(read('26-FEB-1987 15:01:01.79')).toBe('1987-02-26T15:01:01.790Z')
    expect(read('27-MAR-1987 11:04:50.52&#5;&#5;&#5;V RM')).toBe('1987-03-27T11:04:50.520Z')
    expect(read('2024-03-05T14:30:00Z<br>')).toBe('2024-03-05T14:30:00.000Z')
    // Anything else is an unknown field, as before: no date is made up.
    expect(read('yesterday')).toBeUndefined()
    expect(read('&#5;27-MAR-1987')).toBeUndefined()
    expect(read('32-MAR-1987 11:04:50&x')).toBeUndefined()
  })
})
