import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { gunzipSync, gzipSync } from 'node:zlib'
import type { Article } from '../analyze.js'
import { WiretraceError } from '../errors.js'
import { recordToArticle } from './io.js'

/**
 * The CLI's persistent index: the articles seen by earlier runs, so a later run matches new
 * articles against them. Gzipped JSON with a format tag and version; written atomically.
 */
export interface StateFile {
  format: 'wiretrace/state'
  version: 1
  articles: Article[]
}

/** Load a state file; a missing file is an empty state (the first run creates it). */
export async function loadState(path: string): Promise<StateFile> {
  let buf: Buffer
  try {
    buf = await readFile(path)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { format: 'wiretrace/state', version: 1, articles: [] }
    throw new WiretraceError('INPUT_ERROR', `cannot read index ${path}: ${(e as NodeJS.ErrnoException).code}`, { cause: e })
  }
  let data: Partial<StateFile> | null
  try {
    data = JSON.parse(gunzipSync(buf).toString('utf8')) as Partial<StateFile> | null
  } catch (cause) {
    throw new WiretraceError('CORRUPT_DATA', `${path} is not a wiretrace index file`, { cause })
  }
  if (data === null || typeof data !== 'object' || data.format !== 'wiretrace/state') {
    throw new WiretraceError('CORRUPT_DATA', `${path} is not a wiretrace index file`)
  }
  if (data.version !== 1) {
    throw new WiretraceError(
      'UNSUPPORTED_VERSION',
      `${path}: index version ${data.version} is not supported (this build reads 1)`,
    )
  }
  if (data.articles !== undefined && !Array.isArray(data.articles)) {
    throw new WiretraceError('CORRUPT_DATA', `${path}: corrupt index file ("articles" is not a list)`)
  }
  const articles = (data.articles ?? []).map((a, i) => recordToArticle(a, `${path}[${i}]`))
  return { format: 'wiretrace/state', version: 1, articles }
}

export async function saveState(path: string, articles: readonly Article[]): Promise<void> {
  const state: StateFile = {
    format: 'wiretrace/state',
    version: 1,
    articles: [...articles].sort((a, b) => (a.id < b.id ? -1 : 1)),
  }
  const tmp = `${path}.tmp-${process.pid}`
  try {
    await writeFile(tmp, gzipSync(JSON.stringify(state)))
    await rename(tmp, path)
  } catch (cause) {
    await rm(tmp, { force: true }).catch(() => {})
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause)
    throw new WiretraceError('INPUT_ERROR', `cannot write index ${path}: ${code}`, { cause })
  }
}
