import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { gunzipSync, gzipSync } from 'node:zlib'
import type { Article } from '../analyze.js'
import { argArray, argString, describeValue, WiretraceError } from '../errors.js'
import { ByteReader, ByteWriter, checkFrame, closeFrame, openFrame } from '../sketch/serialize.js'
import { isGzip, recordToArticle } from './io.js'

/**
 * The CLI's persistent index: the articles seen by earlier runs, so a later run matches new
 * articles against them. Version 2 on disk: the magic bytes 'WTST', the version, the payload's
 * length and CRC-32, then the payload: this JSON, gzipped. Version 1 (the gzipped JSON alone,
 * with `articles: Article[]` and no times) is still read. Written atomically.
 */
export interface StateFile {
  format: 'wiretrace/state'
  version: 2
  entries: StateEntry[]
}

/** A stored article and when a run first indexed it (ISO 8601): the time of an undated article. */
export interface StateEntry {
  article: Article
  indexedAt: string
}

const MAGIC = 0x54535457 // 'WTST' little-endian
const VERSION = 2

const damaged = (path: string, detail: string, cause?: unknown) =>
  new WiretraceError('CORRUPT_DATA', `wiretrace index ${path} is damaged: ${detail}`, cause ? { cause } : undefined)
const foreign = (path: string) =>
  new WiretraceError('CORRUPT_DATA', `${path} is not a wiretrace index file (no 'WTST' header, not a version-1 index)`)

/**
 * Load a state file; a missing file is an empty state (the first run creates it). Entries of a
 * version-1 file have no index time: they get `now`.
 */
export async function loadState(path: string, now: Date = new Date()): Promise<StateFile> {
  argString('loadState', 'path', path)
  let buf: Buffer
  try {
    buf = await readFile(path)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { format: 'wiretrace/state', version: VERSION, entries: [] }
    throw new WiretraceError('INPUT_ERROR', `cannot read index ${path}: ${(e as NodeJS.ErrnoException).code}`, { cause: e })
  }
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
  if (bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true) === MAGIC) {
    return readVersion2(path, bytes)
  }
  if (!isGzip(bytes)) throw foreign(path)
  // Version 1: gzipped JSON. A gzip file that does not inflate, or JSON that is not ours, may be
  // anything: only a version-1 header inside makes it a damaged index.
  let text: string
  try {
    text = gunzipSync(bytes).toString('utf8')
  } catch (cause) {
    throw new WiretraceError(
      'CORRUPT_DATA',
      `${path} is a gzip file that does not inflate (${(cause as Error).message}): if it is a version-1 wiretrace index, it is damaged`,
      { cause },
    )
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (cause) {
    if (text.startsWith('{"format":"wiretrace/state"')) throw damaged(path, `invalid JSON (${(cause as Error).message})`, cause)
    throw foreign(path)
  }
  const d = data as { format?: unknown; version?: unknown; articles?: unknown } | null
  if (d === null || typeof d !== 'object' || d.format !== 'wiretrace/state') throw foreign(path)
  if (d.version !== 1) {
    throw new WiretraceError(
      'UNSUPPORTED_VERSION',
      `${path}: index version ${describeValue(d.version)} is not supported (this build reads 1 and ${VERSION})`,
    )
  }
  if (d.articles !== undefined && !Array.isArray(d.articles)) throw damaged(path, '"articles" is not a list')
  const indexedAt = now.toISOString()
  const entries = ((d.articles ?? []) as unknown[]).map((a, i) => ({
    article: recordToArticle(a, `${path}: articles[${i}]`),
    indexedAt,
  }))
  return { format: 'wiretrace/state', version: VERSION, entries }
}

function readVersion2(path: string, bytes: Uint8Array): StateFile {
  const r = new ByteReader(bytes, `wiretrace index ${path}`)
  r.u32()
  const version = r.u8()
  // Version 1 is gzipped JSON with no header: a header naming it (or 0) is no file any build wrote.
  if (version < VERSION)
    throw damaged(path, `its 'WTST' header says version ${version}, and only version ${VERSION} files have one`)
  if (version !== VERSION) {
    throw new WiretraceError(
      'UNSUPPORTED_VERSION',
      `${path}: index version ${version} is not supported (this build reads 1 and ${VERSION})`,
    )
  }
  checkFrame(r, bytes, `wiretrace index ${path}`)
  let data: Partial<StateFile> | null
  try {
    data = JSON.parse(gunzipSync(bytes.subarray(r.pos)).toString('utf8')) as Partial<StateFile> | null
  } catch (cause) {
    // The checksum matched: the writer wrote this. Say so rather than guess.
    throw damaged(path, `the payload from byte ${r.pos} is not gzipped JSON (${(cause as Error).message})`, cause)
  }
  if (data === null || typeof data !== 'object' || data.format !== 'wiretrace/state' || data.version !== VERSION)
    throw damaged(path, `the payload is not a version-${VERSION} wiretrace/state document`)
  if (!Array.isArray(data.entries)) throw damaged(path, `"entries" is not a list, got ${describeValue(data.entries)}`)
  const entries = data.entries.map((e, i) => {
    const where = `${path}: entries[${i}]`
    if (!e || typeof e !== 'object') throw damaged(path, `entries[${i}] is ${describeValue(e)}, not an entry`)
    if (typeof e.indexedAt !== 'string' || Number.isNaN(Date.parse(e.indexedAt)))
      throw damaged(path, `entries[${i}].indexedAt is ${describeValue(e.indexedAt)}, not an ISO date`)
    return { article: recordToArticle(e.article, `${where}.article`), indexedAt: e.indexedAt }
  })
  return { format: 'wiretrace/state', version: VERSION, entries }
}

/** Write the state atomically (a temporary file, then a rename): a failed write leaves the old one. */
export async function saveState(path: string, entries: readonly StateEntry[]): Promise<void> {
  argString('saveState', 'path', path)
  argArray('saveState', 'entries', entries, 'index entries')
  const state: StateFile = {
    format: 'wiretrace/state',
    version: VERSION,
    entries: [...entries].sort((a, b) => (a.article.id < b.article.id ? -1 : 1)),
  }
  const w = new ByteWriter()
  w.u32(MAGIC)
  w.u8(VERSION)
  const frame = openFrame(w)
  w.raw(gzipSync(JSON.stringify(state)))
  const tmp = `${path}.tmp-${process.pid}`
  try {
    await writeFile(tmp, closeFrame(w, frame))
    await rename(tmp, path)
  } catch (cause) {
    await rm(tmp, { force: true }).catch(() => {})
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause)
    throw new WiretraceError('INPUT_ERROR', `cannot write index ${path}: ${code}`, { cause })
  }
}
