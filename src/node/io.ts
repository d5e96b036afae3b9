import { constants, createReadStream } from 'node:fs'
import { access, readdir, readFile, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import type { Article } from '../analyze.js'
import { argOptions, argString, describeValue, WiretraceError } from '../errors.js'

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
const BOM = /^\uFEFF/

/** Files of a directory that are not articles: hidden files (editor and OS droppings) and READMEs. */
function isArticleFile(name: string): boolean {
  if (name.startsWith('.') || !TEXT_EXT.has(extname(name).toLowerCase())) return false
  return basename(name, extname(name)).toLowerCase() !== 'readme'
}

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
  return buf.toString('utf8').replace(BOM, '')
}

/** Check one JSON record and turn it into an Article; `where` is "file:line" for messages. */
export function recordToArticle(record: unknown, where: string): Article {
  argString('recordToArticle', 'where', where)
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw inputError(`${where}: expected an object with id and text, got ${describeValue(record)}`)
  }
  const r = record as Record<string, unknown>
  if (r.text === undefined || r.text === null) throw inputError(`${where}: record has no "text" field`)
  if (typeof r.text !== 'string') throw inputError(`${where}: "text" must be a string, got ${describeValue(r.text)}`)
  if (typeof r.id !== 'string' && typeof r.id !== 'number') throw inputError(`${where}: record has no string "id"`)
  // The library's rule too: an integer id is its decimal string; other numbers have no one spelling.
  if (typeof r.id === 'number' && !Number.isSafeInteger(r.id))
    throw inputError(`${where}: "id" must be a string or an integer, got ${describeValue(r.id)}`)
  if (r.id === '') throw inputError(`${where}: "id" is empty`)
  const out: Record<string, unknown> = {}
  for (const f of FIELDS) if (r[f] !== undefined && r[f] !== null) out[f] = r[f]
  out.id = String(r.id)
  for (const f of ['source', 'publishedAt', 'url', 'lang'] as const) {
    if (out[f] !== undefined && typeof out[f] !== 'string')
      throw inputError(`${where}: "${f}" must be a string, got ${describeValue(out[f])}`)
  }
  if (out.publishedAt !== undefined && Number.isNaN(Date.parse(out.publishedAt as string))) {
    throw inputError(`${where}: "publishedAt" must be an ISO date, got ${describeValue(out.publishedAt)}`)
  }
  // Many news datasets call it "date" (Reuters-21578: "26-FEB-1987 15:01:01.79"): taken as the
  // publication time when there is no publishedAt and it reads as a date; otherwise it is an
  // unknown field like any other.
  if (out.publishedAt === undefined && typeof r.date === 'string') {
    const t = Date.parse(r.date)
    if (!Number.isNaN(t)) out.publishedAt = new Date(t).toISOString()
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

/** The records of a JSONL stream, each with its "file:line" (blank lines count as lines). */
async function* jsonlLines(stream: Readable, name: string): AsyncGenerator<{ article: Article; where: string }> {
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })
  let n = 0
  for await (const line of rl) {
    n++
    const text = n === 1 ? line.replace(BOM, '') : line
    if (text.trim() === '') continue
    const where = `${name}:${n}`
    yield { article: recordToArticle(parseJsonLine(text, where), where), where }
  }
}

/** Parse a JSON document holding an array of records (or one record). */
export function parseJsonArticles(text: string, name: string): Article[] {
  argString('parseJsonArticles', 'text', text)
  argString('parseJsonArticles', 'name', name)
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (cause) {
    // Report the line of the error: V8 gives a position, or says the text ended too soon. An
    // error at the very end (trailing newlines included) is on the last line that has text.
    const m = /position (\d+)/.exec((cause as Error).message)
    const end = text.trimEnd().length
    const at = m ? Math.min(Number(m[1]), end) : /end of (JSON )?input/i.test((cause as Error).message) ? end : 0
    const line = text.slice(0, at).split('\n').length
    throw inputError(`${name}:${line}: invalid JSON (${(cause as Error).message})`, cause)
  }
  const list = Array.isArray(data) ? data : [data]
  return list.map((r, i) => recordToArticle(r, `${name}[${i}]`))
}

/**
 * Read articles from a directory of .txt/.md files (the id is the file name; hidden files and
 * README files are left out), a .jsonl or .json file of
 * `{id, text, source?, publishedAt?, url?, lang?}` records, or `-` for stdin (JSONL, a JSON
 * array or record, or one plain-text article with id "stdin").
 * Bad input throws `INPUT_ERROR` naming the file and line; empty and oversized documents are
 * skipped, counted and reported.
 */
export async function readArticles(input: string, options: ReadOptions = {}): Promise<ReadResult> {
  argString('readArticles', 'input', input)
  argOptions('readArticles', 'options', options)
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
    const text = (await readStdin()).replace(BOM, '')
    files = 1
    const first = text.trimStart()[0]
    if (first === '[' || (first === '{' && isJson(text))) for (const a of parseJsonArticles(text, 'stdin')) accept(a, 'stdin')
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
    const code = (cause as NodeJS.ErrnoException).code
    throw inputError(
      code === 'ENOENT' ? `no such file or directory: ${input}` : `cannot read ${input}: ${code ?? String(cause)}`,
      cause,
    )
  }
  if (st.isDirectory()) {
    let entries: string[]
    try {
      entries = await readdir(input)
    } catch (cause) {
      throw inputError(`cannot read directory ${input}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, cause)
    }
    const names = entries.filter(isArticleFile).sort()
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
    try {
      for await (const { article, where } of jsonlLines(stream, input)) accept(article, where)
    } catch (cause) {
      if (cause instanceof WiretraceError) throw cause
      throw inputError(`cannot read ${input}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, cause)
    }
    return { kind: 'input', articles, skipped, files }
  }
  const text = await readTextFile(input)
  if (ext === '.json') for (const a of parseJsonArticles(text, input)) accept(a, input)
  else if (TEXT_EXT.has(ext)) accept({ id: basename(input, ext), text }, input)
  else throw inputError(`${input}: unsupported input (expected a directory, .txt, .md, .json or .jsonl)`)
  return { kind: 'input', articles, skipped, files }
}

/** A whole text that is one JSON value (a pretty-printed record on stdin, not JSONL). */
function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  const buf = Buffer.concat(chunks)
  if (looksBinary(buf)) throw inputError('stdin is binary, not text')
  return buf.toString('utf8')
}
