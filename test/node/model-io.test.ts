// Models and labelled pairs on disk: writeModel/readModel, and readLabelledPairs (JSONL and JSON,
// ids resolved through a corpus), with errors that name the file, the line and the value.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_MODEL } from '../../src/compare/default-model.js'
import { type DerivationModel, fitModel, loadModel } from '../../src/compare/model.js'
import { readLabelledPairs, readModel, writeModel } from '../../src/node/model-io.js'
import { readJsonl } from '../helpers/corpora.js'
import { expectRejects } from '../helpers/errors.js'
import { jsonl, scratchDir } from '../helpers/files.js'
import { SEED_DIR as DATA, LABELS, ROOT, seedId, seedText } from '../helpers/seeds.js'

const scratch = scratchDir('wiretrace-model-io-')
afterAll(scratch.remove)
const { dir, file } = scratch

/** A small model fitted on two features. */
function smallModel(): DerivationModel {
  return fitModel(
    [
      { x: [0.1, 0.2], label: 'none' },
      { x: [0.2, 0.7], label: 'none' },
      { x: [0.8, 0.3], label: 'part' },
      { x: [0.9, 0.9], label: 'whole' },
      { x: [0.7, 0.8], label: 'whole' },
    ],
    { features: ['verbatim', 'covered'], note: 'model-io test' },
  )
}

describe('writeModel and readModel', () => {
  it('round-trip the shipped model and a fitted one', async () => {
    for (const [name, model] of [
      ['default.json', DEFAULT_MODEL],
      ['small.json', smallModel()],
    ] as const) {
      const path = file(name)
      await writeModel(model, path)
      const text = readFileSync(path, 'utf8')
      expect(text.endsWith('\n')).toBe(true)
      expect(text).toContain('\n  "format": "wiretrace-model",') // pretty-printed
      const back = await readModel(path)
      expect(back).toEqual(model)
      expect(loadModel(back)).toBe(back)
    }
  })

  it('readModel of a missing file: INPUT_ERROR naming the path', async () => {
    const path = file('nowhere.json')
    await expectRejects(readModel(path), 'INPUT_ERROR', `no such model file: ${path}`)
  })

  it('readModel of a file that is not JSON: INPUT_ERROR "not JSON", naming the path', async () => {
    const path = file('broken.json', '{"format": "wiretrace-model", ')
    const err = await expectRejects(readModel(path), 'INPUT_ERROR', `${path}: not JSON`)
    expect(err.message.startsWith(`wiretrace: ${path}: `)).toBe(true)
  })

  it('readModel of another version: UNSUPPORTED_VERSION, the message starting with the path', async () => {
    const path = file('v2.json', JSON.stringify({ ...DEFAULT_MODEL, version: 2 }))
    const err = await expectRejects(readModel(path), 'UNSUPPORTED_VERSION', 'version 2', 'version 1')
    expect(err.message.startsWith(`wiretrace: ${path}:`)).toBe(true)
    expect(err.message).not.toContain('wiretrace: wiretrace:')
  })

  it('readModel of JSON that is not a model, or a broken one: CORRUPT_DATA naming the path and the problem', async () => {
    const state = file('state.json', JSON.stringify({ format: 'wiretrace-state', version: 1 }))
    const err = await expectRejects(readModel(state), 'CORRUPT_DATA', 'not a wiretrace model', '"wiretrace-state"')
    expect(err.message.startsWith(`wiretrace: ${state}:`)).toBe(true)
    const badScale = file('scale.json', JSON.stringify({ ...DEFAULT_MODEL, scale: DEFAULT_MODEL.scale.map(() => 0) }))
    const err2 = await expectRejects(readModel(badScale), 'CORRUPT_DATA', 'scale must be')
    expect(err2.message.startsWith(`wiretrace: ${badScale}:`)).toBe(true)
  })

  it('a byte-order mark is ignored', async () => {
    const path = file('bom.json', `\uFEFF${JSON.stringify(DEFAULT_MODEL)}`)
    expect(await readModel(path)).toEqual(DEFAULT_MODEL)
  })

  it('writeModel to a directory that does not exist: INPUT_ERROR naming the path', async () => {
    const path = join(dir, 'no-such-dir', 'm.json')
    await expectRejects(
      writeModel(DEFAULT_MODEL, path),
      'INPUT_ERROR',
      `cannot write ${path}: the directory ${join(dir, 'no-such-dir')} does not exist (create it first)`,
    )
  })
})

describe('readLabelledPairs', () => {
  it('reads examples/labels.jsonl, ids resolved through the corpus', async () => {
    const pairs = await readLabelledPairs(LABELS, { corpus: DATA })
    const lines = readJsonl<{ a: string; b: string; label: unknown }>(LABELS)
    expect(pairs).toHaveLength(8)
    pairs.forEach((p, i) => {
      const want = lines[i] as { a: string; b: string; label: unknown }
      expect(p.label).toEqual(want.label)
      expect((p.a as { id: string }).id).toBe(want.a)
      expect((p.b as { id: string }).id).toBe(want.b)
      expect((p.a as { text: string }).text).toBe(readFileSync(join(DATA, `${want.a}.txt`), 'utf8'))
    })
    expect(pairs[0]?.label).toBe('copy')
    expect(pairs[3]?.label).toBe(true)
    expect(pairs[4]?.label).toBe(false)
  })

  it('reads a relative corpus path and pairs file as the CLI gives them', async () => {
    const cwd = process.cwd()
    try {
      process.chdir(ROOT)
      const pairs = await readLabelledPairs('examples/labels.jsonl', { corpus: 'examples/data' })
      expect(pairs).toHaveLength(8)
    } finally {
      process.chdir(cwd)
    }
  })

  it('reads a JSON array, with articles inline or by id, ids from a JSONL corpus', async () => {
    const corpus = file(
      'corpus.jsonl',
      jsonl([
        { id: 'wire', text: seedText('003'), publishedAt: '2024-12-07' },
        { id: 'reprint', text: seedText('001') },
      ]),
    )
    const path = file(
      'pairs.json',
      JSON.stringify([
        { a: 'reprint', b: 'wire', label: 'copy' },
        { a: { id: 'own', text: seedText('004') }, b: 'wire', label: false },
      ]),
    )
    const pairs = await readLabelledPairs(path, { corpus })
    expect(pairs).toHaveLength(2)
    expect(pairs[0]?.a).toEqual({ id: 'reprint', text: seedText('001') })
    expect(pairs[0]?.b).toEqual({ id: 'wire', text: seedText('003'), publishedAt: '2024-12-07' })
    expect(pairs[1]?.a).toEqual({ id: 'own', text: seedText('004') })
    expect(pairs[1]?.label).toBe(false)
    // Inline articles need no corpus.
    const inline = file(
      'inline.json',
      JSON.stringify([{ a: { id: 'x', text: 'one' }, b: { id: 'y', text: 'two' }, label: 'part' }]),
    )
    expect(await readLabelledPairs(inline)).toEqual([{ a: { id: 'x', text: 'one' }, b: { id: 'y', text: 'two' }, label: 'part' }])
  })

  it('a pair naming an id the corpus does not hold: the message names the id, the corpus and the line', async () => {
    const path = file(
      'unknown-id.jsonl',
      jsonl([
        { a: seedId('001'), b: seedId('003'), label: true },
        { a: 'afp-999', b: seedId('003'), label: false },
      ]),
    )
    await expectRejects(readLabelledPairs(path, { corpus: DATA }), 'INPUT_ERROR', `${path}:2`, '"afp-999"', DATA, '"a"')
  })

  it('an id without a corpus: the message says to give the articles with --corpus', async () => {
    await expectRejects(
      readLabelledPairs(LABELS),
      'INPUT_ERROR',
      `${LABELS}:1`,
      'give the articles with --corpus',
      `"${seedId('001')}"`,
    )
  })

  it('a line that is not JSON: the message names file:line', async () => {
    const path = file(
      'bad-line.jsonl',
      `${JSON.stringify({ a: { id: 'x', text: 'one' }, b: { id: 'y', text: 'two' }, label: true })}\n\n{"a": "x", "b": \n`,
    )
    await expectRejects(readLabelledPairs(path), 'INPUT_ERROR', `${path}:3: invalid JSON`)
  })

  it('a line without "label" (or "a", or "b"), naming file:line', async () => {
    const a = { id: 'x', text: 'one' }
    const b = { id: 'y', text: 'two' }
    const noLabel = file(
      'no-label.jsonl',
      jsonl([
        { a, b, label: 'copy' },
        { a, b },
      ]),
    )
    await expectRejects(readLabelledPairs(noLabel), 'INPUT_ERROR', `${noLabel}:2`, 'no "label"')
    const noB = file('no-b.jsonl', jsonl([{ a, label: 'copy' }]))
    await expectRejects(readLabelledPairs(noB), 'INPUT_ERROR', `${noB}:1`, 'no "b"')
    const notObject = file('array-line.jsonl', jsonl([[a, b, true]]))
    await expectRejects(readLabelledPairs(notObject), 'INPUT_ERROR', `${notObject}:1`, 'expected {a, b, label}')
  })

  it('an inline article without text, naming file:line and the side', async () => {
    const path = file('no-text.jsonl', jsonl([{ a: { id: 'x' }, b: { id: 'y', text: 'two' }, label: true }]))
    await expectRejects(readLabelledPairs(path), 'INPUT_ERROR', `${path}:1 "a"`, 'no "text"')
  })

  it('an empty file (or only blank lines): no labelled pairs', async () => {
    const empty = file('empty.jsonl', '')
    await expectRejects(readLabelledPairs(empty), 'INPUT_ERROR', `${empty}: no labelled pairs`)
    const blank = file('blank.jsonl', '\n  \n\n')
    await expectRejects(readLabelledPairs(blank), 'INPUT_ERROR', `${blank}: no labelled pairs`)
    const emptyArray = file('empty.json', '[]')
    await expectRejects(readLabelledPairs(emptyArray), 'INPUT_ERROR', `${emptyArray}: no labelled pairs`)
  })

  it('a .json file that is not an array, or not JSON', async () => {
    const object = file('object.json', JSON.stringify({ a: 'x', b: 'y', label: true }))
    await expectRejects(readLabelledPairs(object), 'INPUT_ERROR', `${object}: expected an array`)
    const broken = file('broken-pairs.json', '[{"a": ')
    await expectRejects(readLabelledPairs(broken), 'INPUT_ERROR', `${broken}: not JSON`)
  })

  it('a missing pairs file, naming it', async () => {
    const path = file('no-pairs.jsonl')
    await expectRejects(readLabelledPairs(path), 'INPUT_ERROR', `no such pairs file: ${path}`)
  })

  it('a missing corpus, naming it', async () => {
    const corpus = join(dir, 'no-corpus')
    await expectRejects(readLabelledPairs(LABELS, { corpus }), 'INPUT_ERROR', corpus)
  })
})
