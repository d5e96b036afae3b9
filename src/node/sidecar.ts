// Per-file metadata for directory input: a `metadata.jsonl` beside the texts.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Article } from '../analyze.js'
import { describeValue, inputError } from '../errors.js'

/** The sidecar's file name in an input directory. */
export const SIDECAR = 'metadata.jsonl'

/** What a sidecar line may say about a file: everything of an article but its id and text. */
export type FileMetadata = Omit<Article, 'id' | 'text'>

/**
 * Read `dir/metadata.jsonl`, if there is one: one JSON object a line,
 * `{"file": "003.txt", "title"?, "source"?, "publishedAt"?, "url"?, "lang"?, "isReference"?}`
 * (`date` stands for publishedAt, as in records). The fields are checked as a record's are; a
 * line that names no file of `files`, or a file twice, is an `INPUT_ERROR` naming the line, so a
 * typo cannot leave an article without its metadata unnoticed. No sidecar: an empty map.
 */
export async function readSidecar(
  dir: string,
  files: readonly string[],
  // The record check of the input reader, passed in: this module is a leaf, io.ts imports it.
  toArticle: (record: unknown, where: string) => Article,
): Promise<Map<string, FileMetadata>> {
  const path = join(dir, SIDECAR)
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
    throw inputError(`cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, cause)
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch (cause) {
    throw inputError(`${path}: not valid UTF-8 (the metadata file must be UTF-8)`, cause)
  }
  const known = new Set(files)
  const out = new Map<string, FileMetadata>()
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === '') return
      const where = `${path}:${i + 1}`
      let record: unknown
      try {
        record = JSON.parse(line)
      } catch (cause) {
        throw inputError(`${where}: invalid JSON (${(cause as Error).message})`, cause)
      }
      const file = (record as { file?: unknown } | null)?.file
      if (typeof file !== 'string' || file === '') {
        throw inputError(`${where}: each line needs a "file" naming a text of the directory, got ${describeValue(file)}`)
      }
      if (!known.has(file)) throw inputError(`${where}: "${file}" is not a .txt or .md file of ${dir}`)
      if (out.has(file)) throw inputError(`${where}: "${file}" is described twice`)
      const { id: _id, text: _text, ...meta } = toArticle({ ...(record as object), id: file, text: '' }, where)
      out.set(file, meta)
    })
  return out
}
