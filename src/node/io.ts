import { createReadStream } from 'node:fs'
import { open, readdir, readFile, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { createGunzip, gunzipSync } from 'node:zlib'
import type { Article } from '../analyze.js'
import { PUBLISHED_AT_FORMS, parsePublishedAt } from '../date.js'
import { argOptions, argString, describeValue, inputError, invalid, WiretraceError } from '../errors.js'
import { readSidecar } from './sidecar.js'

/** Text encodings the input may be in (`TextDecoder` labels; latin1 is decoded as windows-1252, as browsers do). */
export type InputEncoding = 'utf-8' | 'latin1' | 'windows-1252' | 'utf-16le' | 'utf-16be'
export const INPUT_ENCODINGS: readonly InputEncoding[] = ['utf-8', 'latin1', 'windows-1252', 'utf-16le', 'utf-16be']

/** Which fields of a JSON record hold the article's text and id, for feeds that name them otherwise. */
export interface RecordOptions {
  /** The field that holds the article's text. @default 'text' */
  textField?: string
  /** The field that holds the article's id (a string, or an integer). @default 'id' */
  idField?: string
}

/** Options for {@link readArticles}; `textField` and `idField` apply to JSON and JSONL records (files and stdin). */
export interface ReadOptions extends RecordOptions {
  /** Documents longer than this many characters are skipped with a warning. @default 2_000_000 */
  maxLength?: number
  /** Called for each skipped document (empty, too large or a bad line), so a CLI can warn. @default undefined */
  onSkip?: (skip: InputSkip) => void
  /** The input's text encoding; invalid UTF-8 is an `INPUT_ERROR` naming the byte, never replaced. @default 'utf-8' */
  encoding?: InputEncoding
  /** A JSONL line that is not a valid record becomes a skip (reason `bad-line`) instead of an `INPUT_ERROR`. @default false */
  skipBadLines?: boolean
  /** Called after each record read, with the number read so far (articles and skips). @default undefined */
  onProgress?: (records: number) => void
}

/** A document left out at input time, and why: counted and reported, never silent. */
export interface InputSkip {
  /** The record's id; for a bad line without one, its "file:line". */
  id: string
  where: string
  reason: 'empty' | 'too-large' | 'bad-line'
  detail: string
}

export interface ReadResult {
  kind: 'input'
  articles: Article[]
  /** Where each article was read ("file:line", "file[i]" or a file path), parallel to `articles`. */
  places: string[]
  skipped: InputSkip[]
  files: number
}

const TEXT_EXT = new Set(['.txt', '.md'])
const JSONL_EXT = new Set(['.jsonl', '.ndjson'])

/** Files of a directory that are not articles: hidden files (editor and OS droppings) and READMEs. */
function isArticleFile(name: string): boolean {
  if (name.startsWith('.') || !TEXT_EXT.has(extname(name).toLowerCase())) return false
  return basename(name, extname(name)).toLowerCase() !== 'readme'
}

const FIELDS = ['id', 'text', 'title', 'source', 'publishedAt', 'url', 'lang', 'isReference'] as const

/** A message without its "wiretrace: " prefix, to quote inside another. */
const bare = (e: WiretraceError): string => e.message.replace(/^wiretrace: /, '')

const ENCODING_HINT = `if it is in another encoding, give it: --encoding ${INPUT_ENCODINGS.filter((e) => e !== 'utf-8').join('|')}`

/** Offset of the first byte that starts an invalid UTF-8 sequence (overlong, surrogate, truncated…), or -1. */
export function invalidUtf8Offset(b: Uint8Array): number {
  let i = 0
  while (i < b.length) {
    const c = b[i] as number
    if (c < 0x80) {
      i++
      continue
    }
    let need: number
    let lo = 0x80
    let hi = 0xbf
    if (c >= 0xc2 && c <= 0xdf) need = 1
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2
      if (c === 0xe0) lo = 0xa0
      else if (c === 0xed) hi = 0x9f
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3
      if (c === 0xf0) lo = 0x90
      else if (c === 0xf4) hi = 0x8f
    } else return i
    for (let k = 1; k <= need; k++) {
      const d = b[i + k]
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i
    }
    i += need + 1
  }
  return -1
}

const decoders = new Map<InputEncoding, TextDecoder>()

/**
 * Decode bytes strictly (a byte-order mark is dropped). `base` is the offset of `bytes` in the
 * file and `line` its line, for the message; invalid UTF-8 names the byte and its offset.
 */
export function decodeText(bytes: Uint8Array, name: string, encoding: InputEncoding = 'utf-8', base = 0, line?: number): string {
  let decoder = decoders.get(encoding)
  if (!decoder) {
    decoder = new TextDecoder(encoding, { fatal: true })
    decoders.set(encoding, decoder)
  }
  try {
    return decoder.decode(bytes)
  } catch (cause) {
    if (encoding !== 'utf-8')
      throw inputError(`${name}${line ? `:${line}` : ''}: not valid ${encoding.toUpperCase()} text`, cause)
    const at = Math.max(0, invalidUtf8Offset(bytes))
    const l = line ?? countLines(bytes, at)
    const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')
    throw inputError(`${name}:${l}: not valid UTF-8: byte 0x${byte} at byte offset ${base + at} (${ENCODING_HINT})`, cause)
  }
}

function countLines(bytes: Uint8Array, end: number): number {
  let n = 1
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) n++
  return n
}

/** A UTF-16 byte-order mark read as another encoding: say which encoding to give. */
function checkUtf16Mark(buf: Uint8Array, name: string, encoding: InputEncoding): void {
  if (encoding.startsWith('utf-16')) return
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    throw inputError(`${name} is UTF-16 text (it starts with a UTF-16 byte-order mark): give --encoding utf-16le or utf-16be`)
  }
}

/** Refuse what is not text in the given encoding: NUL bytes (binary), or UTF-16 read as something else. */
function checkText(buf: Uint8Array, name: string, encoding: InputEncoding): void {
  checkUtf16Mark(buf, name, encoding)
  if (!encoding.startsWith('utf-16') && buf.subarray(0, 8192).includes(0)) throw inputError(`${name} is a binary file, not text`)
}

export const isGzip = (b: Uint8Array): boolean => b[0] === 0x1f && b[1] === 0x8b

function gunzip(buf: Buffer, name: string): Buffer {
  try {
    return gunzipSync(buf)
  } catch (cause) {
    throw gzipError(name, cause)
  }
}

function gzipError(name: string, cause: unknown): WiretraceError {
  return inputError(`${name}: damaged gzip data (${(cause as Error).message})`, cause)
}

const isZlibError = (e: unknown): boolean => /^Z_|^ERR_ZLIB/.test(String((e as NodeJS.ErrnoException)?.code ?? ''))

async function readTextFile(path: string, encoding: InputEncoding, gz = false): Promise<string> {
  let buf: Buffer
  try {
    buf = await readFile(path)
  } catch (cause) {
    throw inputError(`cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, cause)
  }
  if (gz) buf = gunzip(buf, path)
  checkText(buf, path, encoding)
  return decodeText(buf, path, encoding)
}

/** The record fields of `options`, checked: two different non-empty names. */
function recordFields(fn: string, options: RecordOptions): { text: string; id: string } {
  argOptions(fn, 'options', options)
  const fields = { text: options.textField ?? 'text', id: options.idField ?? 'id' }
  for (const [name, value] of [
    ['textField', fields.text],
    ['idField', fields.id],
  ] as const) {
    if (typeof value !== 'string' || value === '')
      throw invalid(`${fn}: options.${name} must be a non-empty string, got ${describeValue(value)}`)
  }
  if (fields.text === fields.id) throw invalid(`${fn}: options.textField and options.idField are both "${fields.id}"`)
  return fields
}

/**
 * Check one JSON record and turn it into an Article; `where` is "file:line" for messages.
 * `options.textField` and `options.idField` name the fields that hold the text and the id.
 */
export function recordToArticle(record: unknown, where: string, options: RecordOptions = {}): Article {
  argString('recordToArticle', 'where', where)
  return toArticle(record, where, recordFields('recordToArticle', options))
}

/** {@link recordToArticle} with its fields checked once, for a reader's every record. */
function toArticle(record: unknown, where: string, fields: { text: string; id: string }): Article {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw inputError(`${where}: expected an object with ${fields.id} and ${fields.text}, got ${describeValue(record)}`)
  }
  const r = record as Record<string, unknown>
  const text = r[fields.text]
  const id = r[fields.id]
  if (text === undefined || text === null) throw inputError(`${where}: record has no "${fields.text}" field`)
  if (typeof text !== 'string') throw inputError(`${where}: "${fields.text}" must be a string, got ${describeValue(text)}`)
  if (typeof id !== 'string' && typeof id !== 'number') throw inputError(`${where}: record has no string "${fields.id}"`)
  // The library's rule too: an integer id is its decimal string; other numbers have no one spelling.
  if (typeof id === 'number' && !Number.isSafeInteger(id))
    throw inputError(`${where}: "${fields.id}" must be a string or an integer, got ${describeValue(id)}`)
  if (id === '') throw inputError(`${where}: "${fields.id}" is empty`)
  // id and text first, as the record has them by default: index files and stored payloads keep that order.
  const out: Record<string, unknown> = { id: String(id), text }
  for (const f of FIELDS) if (f !== 'id' && f !== 'text' && r[f] !== undefined && r[f] !== null) out[f] = r[f]
  for (const f of ['title', 'source', 'publishedAt', 'url', 'lang'] as const) {
    if (out[f] !== undefined && typeof out[f] !== 'string')
      throw inputError(`${where}: "${f}" must be a string, got ${describeValue(out[f])}`)
  }
  if (out.publishedAt !== undefined) {
    // Kept as written: every reader of the date parses it with parsePublishedAt, as the library does.
    if (Number.isNaN(parsePublishedAt(out.publishedAt as string))) {
      throw inputError(`${where}: "publishedAt" must be ${PUBLISHED_AT_FORMS}, got ${describeValue(out.publishedAt)}`)
    }
  }
  // Many news datasets call it "date" (Reuters-21578: "26-FEB-1987 15:01:01.79"): taken as the
  // publication time when there is no publishedAt and it is in an accepted form; otherwise it
  // is an unknown field like any other.
  if (out.publishedAt === undefined && typeof r.date === 'string') {
    const t = dateFieldTime(r.date)
    if (!Number.isNaN(t)) out.publishedAt = new Date(t).toISOString()
  }
  return out as unknown as Article
}

/**
 * A "date" field's time: the whole field in an accepted form, or an accepted form followed by
 * markup left over from a conversion (1.5 % of Reuters-21578 reads "27-MAR-1987
 * 11:04:50.52&#5;&#5;&#5;V RM"). Without it those stories are undated, and a flash re-sent a week
 * later with other figures loses the evidence that it reports another day.
 */
export function dateFieldTime(value: string): number {
  const whole = parsePublishedAt(value)
  if (!Number.isNaN(whole)) return whole
  const cut = /[^\w\s:.,+-]/.exec(value)
  return cut && cut.index > 0 ? parsePublishedAt(value.slice(0, cut.index)) : Number.NaN
}

function parseJsonLine(line: string, where: string): unknown {
  try {
    return JSON.parse(line)
  } catch (cause) {
    throw inputError(`${where}: invalid JSON (${(cause as Error).message})`, cause)
  }
}

/** A line of a JSONL input: its text, or why it could not be decoded. */
type Line = { line: number; text: string; error?: undefined } | { line: number; text?: undefined; error: WiretraceError }

/**
 * The lines of a byte stream (blank lines count as lines). UTF-8 and the single-byte encodings
 * are split on the newline byte and decoded line by line, so a bad byte spoils one line and is
 * named by line and file offset; UTF-16 is decoded as a stream, then split.
 */
async function* textLines(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  name: string,
  encoding: InputEncoding,
): AsyncGenerator<Line> {
  let n = 0
  if (encoding.startsWith('utf-16')) {
    const decoder = new TextDecoder(encoding, { fatal: true })
    let carry = ''
    const split = function* (text: string, last: boolean): Generator<Line> {
      const parts = (carry + text).split('\n')
      carry = last ? '' : (parts.pop() as string)
      for (const p of parts) yield { line: ++n, text: p.endsWith('\r') ? p.slice(0, -1) : p }
    }
    // Only decoding errors are the text's: a read error of the stream reaches the caller as it is.
    const decode = (c?: Uint8Array): string => {
      try {
        return c === undefined ? decoder.decode() : decoder.decode(c, { stream: true })
      } catch (cause) {
        throw inputError(`${name}:${n + 1}: not valid ${encoding.toUpperCase()} text`, cause)
      }
    }
    for await (const c of chunks) yield* split(decode(c), false)
    yield* split(decode(), true)
    return
  }
  let carry: Uint8Array = new Uint8Array(0)
  let carryAt = 0 // offset of carry[0] in the stream
  const one = (bytes: Uint8Array, at: number): Line => {
    const line = ++n
    const end = bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length
    try {
      return { line, text: decodeText(bytes.subarray(0, end), name, encoding, at, line) }
    } catch (e) {
      if (e instanceof WiretraceError) return { line, error: e }
      throw e
    }
  }
  for await (const chunk of chunks) {
    if (carryAt === 0 && carry.length === 0) checkUtf16Mark(chunk, name, encoding)
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk
    let from = 0
    for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, from)) {
      yield one(data.subarray(from, nl), carryAt + from)
      from = nl + 1
    }
    carry = data.subarray(from)
    carryAt += from
  }
  if (carry.length > 0) yield one(carry, carryAt)
}

/** Parse a JSON document holding an array of records (or one record). */
export function parseJsonArticles(text: string, name: string): Article[] {
  argString('parseJsonArticles', 'text', text)
  argString('parseJsonArticles', 'name', name)
  return parseJsonRecords(text, name).map((r, i) => recordToArticle(r, `${name}[${i}]`))
}

function parseJsonRecords(text: string, name: string): unknown[] {
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
  return Array.isArray(data) ? data : [data]
}

/** What a record read so far turns into: an article, or a skip counted with its reason. */
class Collector {
  readonly articles: Article[] = []
  readonly places: string[] = []
  readonly skipped: InputSkip[] = []
  files = 0
  private readonly maxLength: number
  constructor(
    private readonly options: ReadOptions,
    private readonly fields: { text: string; id: string },
  ) {
    this.maxLength = options.maxLength ?? 2_000_000
  }

  /** A JSON record of the input: an article (or a skip: empty, too large), or an error naming `where`. */
  record(r: unknown, where: string): void {
    this.accept(toArticle(r, where, this.fields), where)
  }

  get records(): number {
    return this.articles.length + this.skipped.length
  }

  accept(a: Article, where: string): void {
    if (a.text.trim() === '') this.skip({ id: a.id, where, reason: 'empty', detail: 'empty document' })
    else if (a.text.length > this.maxLength) {
      this.skip({
        id: a.id,
        where,
        reason: 'too-large',
        detail: `${a.text.length} characters, over the limit of ${this.maxLength}`,
      })
    } else {
      this.articles.push(a)
      this.places.push(where)
      this.options.onProgress?.(this.records)
    }
  }

  skip(s: InputSkip): void {
    this.skipped.push(s)
    this.options.onSkip?.(s)
    this.options.onProgress?.(this.records)
  }

  /**
   * One JSONL line: an article, or (with skipBadLines) a counted skip. Without it the error
   * ends the read, and says how to skip instead.
   */
  line(l: Line, name: string): void {
    if (l.text !== undefined && l.text.trim() === '') return
    const where = `${name}:${l.line}`
    let record: unknown
    try {
      if (l.error) throw l.error
      record = parseJsonLine(l.text as string, where)
      this.record(record, where)
    } catch (e) {
      if (!(e instanceof WiretraceError)) throw e
      if (!this.options.skipBadLines)
        throw new WiretraceError(e.code, `${bare(e)} (--skip-bad-lines skips such lines)`, { cause: e })
      const id = (record as Record<string, unknown> | null)?.[this.fields.id]
      this.skip({
        id: (typeof id === 'string' && id !== '') || typeof id === 'number' ? String(id) : where,
        where,
        reason: 'bad-line',
        detail: bare(e).replace(`${where}: `, ''),
      })
    }
  }

  result(input: string, empty: string): ReadResult {
    if (this.records === 0) throw inputError(`no articles in ${input}: ${empty}`)
    return { kind: 'input', articles: this.articles, places: this.places, skipped: this.skipped, files: this.files }
  }
}

/**
 * Read articles from a directory of .txt/.md files (the id is the file name; hidden files and
 * README files are left out; a `metadata.jsonl` beside them gives each file its title, outlet,
 * date, url: see {@link readSidecar}), a .jsonl or .json file (gzipped too: .jsonl.gz, .json.gz) of
 * `{id, text, source?, publishedAt?, url?, lang?}` records (`textField` and `idField` name other
 * fields for the text and the id), or `-` for stdin (JSONL, a JSON array or record, or one
 * plain-text article with id "stdin"; gzipped or not).
 * Bad input throws `INPUT_ERROR` naming the file and line (and the byte, for text that is not
 * in the encoding); an input with no records at all (an empty file or directory) is an
 * `INPUT_ERROR` too. Empty and oversized documents, and bad JSONL lines with `skipBadLines`,
 * are skipped, counted and reported.
 */
export async function readArticles(input: string, options: ReadOptions = {}): Promise<ReadResult> {
  argString('readArticles', 'input', input)
  argOptions('readArticles', 'options', options)
  const encoding = options.encoding ?? 'utf-8'
  if (!INPUT_ENCODINGS.includes(encoding)) {
    throw new WiretraceError(
      'INVALID_ARGUMENT',
      `encoding must be one of ${INPUT_ENCODINGS.join(', ')}, got ${describeValue(encoding)}`,
    )
  }
  const out = new Collector(options, recordFields('readArticles', options))
  const jsonl = async (chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, name: string) => {
    for await (const l of textLines(chunks, name, encoding)) out.line(l, name)
  }

  if (input === '-') {
    out.files = 1
    let buf = await readStdin()
    if (isGzip(buf)) buf = gunzip(buf, 'stdin')
    checkText(buf, 'stdin', encoding)
    const head = new TextDecoder(encoding).decode(buf.subarray(0, 4096)).trimStart()
    const whole = head[0] === '[' || head[0] === '{' ? tryDecode(buf, encoding) : undefined
    if (head[0] === '[' || (head[0] === '{' && whole !== undefined && isJson(whole))) {
      const text = whole ?? decodeText(buf, 'stdin', encoding)
      for (const [i, r] of parseJsonRecords(text, 'stdin').entries()) out.record(r, `stdin[${i}]`)
    } else if (head[0] === '{') await jsonl([buf], 'stdin')
    else {
      const text = decodeText(buf, 'stdin', encoding)
      // Nothing at all on stdin is no records, as an empty .jsonl is; not one empty article.
      if (text.trim() !== '') out.accept({ id: 'stdin', text }, 'stdin')
    }
    return out.result('stdin', 'it is empty')
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
    // An empty directory is no articles (below), like an empty .jsonl; its sidecar is not read.
    const metadata = names.length > 0 ? await readSidecar(input, names, recordToArticle) : new Map()
    for (const name of names) {
      const path = join(input, name)
      out.files++
      out.accept({ id: basename(name, extname(name)), text: await readTextFile(path, encoding), ...metadata.get(name) }, path)
    }
    return out.result(input, 'the directory holds no .txt or .md files')
  }
  out.files = 1
  const gz = input.toLowerCase().endsWith('.gz')
  const ext = extname(gz ? input.slice(0, -3) : input).toLowerCase()
  if (JSONL_EXT.has(ext)) {
    const file = createReadStream(input)
    const stream: Readable = gz ? file.pipe(createGunzip()) : file
    // pipe() does not pass on the file's errors: let the gunzip stream end with them.
    if (gz) file.on('error', (e) => stream.destroy(e))
    try {
      await jsonl(stream, input)
    } catch (cause) {
      if (cause instanceof WiretraceError) throw cause
      if (isZlibError(cause)) throw gzipError(input, cause)
      throw inputError(`cannot read ${input}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, cause)
    } finally {
      file.destroy()
    }
    return out.result(input, 'the file holds no records')
  }
  if (ext === '.json') {
    const records = parseJsonRecords(await readTextFile(input, encoding, gz), input)
    for (const [i, r] of records.entries()) out.record(r, `${input}[${i}]`)
    return out.result(input, records.length === 0 ? 'the file holds an empty list' : 'the file holds no records')
  }
  if (TEXT_EXT.has(ext) && !gz) {
    out.accept({ id: basename(input, ext), text: await readTextFile(input, encoding) }, input)
    return out.result(input, 'the file is empty')
  }
  throw inputError(`${input}: unsupported input (expected a directory, .txt, .md, .json, .jsonl, .json.gz or .jsonl.gz)`)
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

function tryDecode(buf: Uint8Array, encoding: InputEncoding): string | undefined {
  try {
    return decodeText(buf, 'stdin', encoding)
  } catch {
    return undefined
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

/** Characters per write of {@link writeTextFile}. */
const WRITE_CHUNK = 1 << 20

/**
 * Write a string, or the concatenation of pieces of one, to a file as UTF-8, a megabyte of text
 * at a time. The same bytes as `writeFile(path, text)`, which encodes the whole string into one
 * buffer first: for a report of hundreds of megabytes (a flood's cluster) that one buffer cost
 * seconds and as much memory again. A chunk never ends between the two halves of a surrogate pair
 * (each half alone would be U+FFFD); nor may a piece.
 */
export async function writeTextFile(path: string, text: string | readonly string[]): Promise<void> {
  const file = await open(path, 'w')
  try {
    for (const piece of typeof text === 'string' ? [text] : text) {
      for (let at = 0; at < piece.length; ) {
        let end = Math.min(piece.length, at + WRITE_CHUNK)
        const last = piece.charCodeAt(end - 1)
        if (end < piece.length && last >= 0xd800 && last <= 0xdbff) end--
        await file.write(piece.slice(at, end))
        at = end
      }
    }
  } finally {
    await file.close()
  }
}
