import { constants, createReadStream } from 'node:fs'
import { access, readFile, readdir, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import type { Article } from '../analyze.js'
import { WiretraceError, describeValue } from '../errors.js'

/** Options for {@link readArticles}. */
export interface ReadOptions {
  /** Documents longer than this many characters are skipped with a warning. @default 2_000_000 */
  maxLength?: number
  /** Called for each skipped document (empty or too large), so a CLI can warn. @default undefined */
  onSkip?: (skip: InputSkip) => void
}

/** A document left out at input time, and why: counted and reported, never silent. */
export interface InputSkip {
  id: string
  where: string
  reason: 'empty' | 'too-large'
  detail: string
}

export interface ReadResult {
  kind: 'input'
  articles: Article[]
  skipped: InputSkip[]
  files: number
}

const TEXT_EXT = new Set(['.txt', '.md'])
const FIELDS = ['id', 'text', 'source', 'publishedAt', 'url', 'lang', 'isReference'] as const

function inputError(message: string, cause?: unknown): WiretraceError {
  return new WiretraceError('INPUT_ERROR', message, cause === undefined ? undefined : { cause })
}

/** Binary content: NUL bytes, or invalid UTF-8 in more than a trace of the text. */
function looksBinary(buf: Buffer): boolean {
  const head = buf.subarray(0, 8192)
  if (head.includes(0)) return true
  const text = head.toString('utf8')
  let bad = 0
  for (const ch of text) if (ch === '\uFFFD') bad++
  return bad > 8 && bad > text.length / 100
}

async function readTextFile(path: string): Promise<string> {
  let buf: Buffer
  try {
    buf = await readFile(path)
  } catch (cause) {
    throw inputError(`cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, cause)
  }
  if (looksBinary(buf)) throw inputError(`${path} is a binary file, not text`)
  return buf.toString('utf8').replace(/^\uFEFF/, '')
}

/** Check one JSON record and turn it into an Article; `where` is "file:line" for messages. */
export function recordToArticle(record: unknown, where: string): Article {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw inputError(`${where}: expected an object with id and text, got ${describeValue(record)}`)
  }
  const r = record as Record<string, unknown>
  if (r.text === undefined || r.text === null) throw inputError(`${where}: record has no "text" field`)
  if (typeof r.text !== 'string') throw inputError(`${where}: "text" must be a string, got ${describeValue(r.text)}`)
  if (typeof r.id !== 'string' && typeof r.id !== 'number') throw inputError(`${where}: record has no string "id"`)
  const out: Record<string, unknown> = {}
  for (const f of FIELDS) if (r[f] !== undefined && r[f] !== null) out[f] = r[f]
  out.id = String(r.id)
  for (const f of ['source', 'publishedAt', 'url', 'lang'] as const) {
    if (out[f] !== undefined && typeof out[f] !== 'string') throw inputError(`${where}: "${f}" must be a string, got ${describeValue(out[f])}`)
  }
  return out as unknown as Article
}

function parseJsonLine(line: string, where: string): unknown {
  try {
    return JSON.parse(line)
  } catch (cause) {
    throw inputError(`${where}: invalid JSON (${(cause as Error).message})`, cause)
  }
}

async function* jsonlLines(stream: Readable, name: string): AsyncGenerator<Article> {
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })
  let n = 0
  for await (const line of rl) {
    n++
    if (line.trim() === '') continue
    yield recordToArticle(parseJsonLine(line, `${name}:${n}`), `${name}:${n}`)
  }
}

/** Parse a JSON document holding an array of records (or one record). */
export function parseJsonArticles(text: string, name: string): Article[] {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (cause) {
    // Report the line of the error: V8 gives a position.
    const m = /position (\d+)/.exec((cause as Error).message)
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : 1
    throw inputError(`${name}:${line}: invalid JSON (${(cause as Error).message})`, cause)
  }
  const list = Array.isArray(data) ? data : [data]
  return list.map((r, i) => recordToArticle(r, `${name}[${i}]`))
}

/**
 * Read articles from a directory of .txt/.md files (the id is the file name), a .jsonl or
 * .json file of `{id, text, source?, publishedAt?, url?, lang?}` records, or `-` for stdin
 * (JSONL, a JSON array, or one plain-text article with id "stdin").
 * Bad input throws `INPUT_ERROR` naming the file and line; empty and oversized documents are
 * skipped, counted and reported.
 */
export async function readArticles(input: string, options: ReadOptions = {}): Promise<ReadResult> {
  const maxLength = options.maxLength ?? 2_000_000
  const articles: Article[] = []
  const skipped: InputSkip[] = []
  let files = 0
  const accept = (a: Article, where: string) => {
    let skip: InputSkip | undefined
    if (a.text.trim() === '') skip = { id: a.id, where, reason: 'empty', detail: 'empty document' }
    else if (a.text.length > maxLength) {
      skip = { id: a.id, where, reason: 'too-large', detail: `${a.text.length} characters, over the limit of ${maxLength}` }
    }
    if (skip) {
      skipped.push(skip)
      options.onSkip?.(skip)
    } else articles.push(a)
  }

  if (input === '-') {
    const text = await readStdin()
    files = 1
    const first = text.trimStart()[0]
    if (first === '[') for (const a of parseJsonArticles(text, 'stdin')) accept(a, 'stdin')
    else if (first === '{') {
      let n = 0
      for (const line of text.split('\n')) {
        n++
        if (line.trim() !== '') accept(recordToArticle(parseJsonLine(line, `stdin:${n}`), `stdin:${n}`), `stdin:${n}`)
      }
    } else accept({ id: 'stdin', text }, 'stdin')
    return { kind: 'input', articles, skipped, files }
  }

  let st: Awaited<ReturnType<typeof stat>>
  try {
    st = await stat(input)
  } catch (cause) {
    throw inputError(`no such file or directory: ${input}`, cause)
  }
  if (st.isDirectory()) {
    const names = (await readdir(input)).filter((n) => TEXT_EXT.has(extname(n).toLowerCase())).sort()
    if (names.length === 0) throw inputError(`${input} holds no .txt or .md files`)
    for (const name of names) {
      const path = join(input, name)
      files++
      accept({ id: basename(name, extname(name)), text: await readTextFile(path) }, path)
    }
    return { kind: 'input', articles, skipped, files }
  }
  files = 1
  const ext = extname(input).toLowerCase()
  if (ext === '.jsonl' || ext === '.ndjson') {
    try {
      await access(input, constants.R_OK)
    } catch (cause) {
      throw inputError(`cannot read ${input}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, cause)
    }
    const stream: Readable = createReadStream(input, 'utf8')
    let n = 0
    for await (const a of jsonlLines(stream, input)) accept(a, `${input}:${++n}`)
    return { kind: 'input', articles, skipped, files }
  }
  const text = await readTextFile(input)
  if (ext === '.json') for (const a of parseJsonArticles(text, input)) accept(a, input)
  else if (TEXT_EXT.has(ext)) accept({ id: basename(input, ext), text }, input)
  else throw inputError(`${input}: unsupported input (expected a directory, .txt, .md, .json or .jsonl)`)
  return { kind: 'input', articles, skipped, files }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  const buf = Buffer.concat(chunks)
  if (looksBinary(buf)) throw inputError('stdin is binary, not text')
  return buf.toString('utf8')
}
