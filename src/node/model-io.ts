import { readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { Article } from '../analyze.js'
import type { CalibrationLabel, LabelledPair } from '../compare/calibrate.js'
import { type DerivationModel, loadModel } from '../compare/model.js'
import { argOptions, argString, describeValue, inputError, WiretraceError } from '../errors.js'
import { readArticles, recordToArticle } from './io.js'

async function readText(path: string, what: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).replace(/^\uFEFF/, '')
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    throw inputError(
      code === 'ENOENT' ? `no such ${what}: ${path}` : `cannot read ${what} ${path}: ${code ?? String(cause)}`,
      cause,
    )
  }
}

/**
 * Read a derivation model saved as JSON (by `calibrate`, or `wiretrace calibrate --out`). A file
 * that is not JSON is `INPUT_ERROR`; one that is not a model, `CORRUPT_DATA`; another version,
 * `UNSUPPORTED_VERSION`. Each message names the file.
 */
export async function readModel(path: string): Promise<DerivationModel> {
  argString('readModel', 'path', path)
  const text = await readText(path, 'model file')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    throw inputError(`${path}: not JSON (${(cause as Error).message})`, cause)
  }
  try {
    return loadModel(json)
  } catch (e) {
    if (e instanceof WiretraceError)
      throw new WiretraceError(e.code, `${path}: ${e.message.replace(/^wiretrace: /, '')}`, { cause: e })
    throw e
  }
}

/** Write a model as JSON, pretty-printed (it is small and meant to be read and kept under version control). */
export async function writeModel(model: DerivationModel, path: string): Promise<void> {
  try {
    loadModel(model) // a model that would not load must not be written
  } catch (cause) {
    const why = (cause as Error).message.replace(/^wiretrace: (model: )?/, '')
    throw new WiretraceError('INVALID_ARGUMENT', `writeModel: model must be a derivation model (from calibrate): ${why}`, {
      cause,
    })
  }
  argString('writeModel', 'path', path)
  try {
    await writeFile(path, `${JSON.stringify(model, null, 2)}\n`)
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    const why =
      code === 'ENOENT' ? `the directory ${dirname(resolve(path))} does not exist (create it first)` : (code ?? String(cause))
    throw inputError(`cannot write ${path}: ${why}`, cause)
  }
}

/** Options for {@link readLabelledPairs}. */
export interface ReadPairsOptions {
  /** Articles that pairs may name by id: a directory, .jsonl or .json file, as `readArticles` reads. @default undefined */
  corpus?: string
}

/**
 * Read labelled pairs for `calibrate` from a .jsonl file (one `{a, b, label}` per line) or a
 * .json array. `a` and `b` are articles (`{id, text, …}`) or ids of articles in `options.corpus`;
 * `label` is checked by `calibrate`. Errors name the file and line.
 */
export async function readLabelledPairs(path: string, options: ReadPairsOptions = {}): Promise<LabelledPair[]> {
  argString('readLabelledPairs', 'path', path)
  argOptions('readLabelledPairs', 'options', options)
  const byId = new Map<string, Article>()
  if (options.corpus) for (const a of (await readArticles(options.corpus)).articles) byId.set(a.id, a)
  const text = await readText(path, 'pairs file')
  const records: { record: unknown; where: string }[] = []
  if (path.toLowerCase().endsWith('.json')) {
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch (cause) {
      throw inputError(`${path}: not JSON (${(cause as Error).message})`, cause)
    }
    if (!Array.isArray(data)) throw inputError(`${path}: expected an array of {a, b, label}, got ${describeValue(data)}`)
    data.forEach((record, i) => {
      records.push({ record, where: `${path}[${i}]` })
    })
  } else {
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return
      const where = `${path}:${i + 1}`
      try {
        records.push({ record: JSON.parse(line), where })
      } catch (cause) {
        throw inputError(`${where}: invalid JSON (${(cause as Error).message})`, cause)
      }
    })
  }
  if (records.length === 0) throw inputError(`${path}: no labelled pairs`)
  const side = (value: unknown, name: string, where: string): Article => {
    if (typeof value === 'string') {
      const a = byId.get(value)
      if (a) return a
      throw inputError(
        options.corpus
          ? `${where}: "${name}" names article "${value}", which ${options.corpus} does not hold`
          : `${where}: "${name}" is an id ("${value}"): give the articles with --corpus, or put {id, text} in the pair`,
      )
    }
    return recordToArticle(value, `${where} "${name}"`)
  }
  return records.map(({ record, where }) => {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw inputError(`${where}: expected {a, b, label}, got ${describeValue(record)}`)
    }
    const r = record as Record<string, unknown>
    for (const f of ['a', 'b', 'label'] as const) if (r[f] === undefined) throw inputError(`${where}: the pair has no "${f}"`)
    return { a: side(r.a, 'a', where), b: side(r.b, 'b', where), label: r.label as CalibrationLabel }
  })
}
