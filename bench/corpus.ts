/**
 * Reading benchmark corpora: the Reuters-21578 base corpus in `../shared/corpora/` (beside the
 * repository, never inside it: it is licensed for research use only) and the JSONL files that
 * `bench/generate.ts` writes.
 */
import { createReadStream, existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createGunzip } from 'node:zlib'
import type { Article } from '../src/analyze.js'

/** `../shared/corpora/reuters21578.jsonl.gz` relative to the repository root, wherever the repository is. */
export function defaultCorpusPath(): string {
  // this file is <root>/bench/corpus.ts, so <root>/../shared is two levels up from here
  return fileURLToPath(new URL('../../shared/corpora/reuters21578.jsonl.gz', import.meta.url))
}

export function corpusExists(path: string = defaultCorpusPath()): boolean {
  return existsSync(path)
}

/** What to tell the user when the base corpus is not where we looked. */
export function corpusMissing(path: string = defaultCorpusPath()): string {
  return (
    `Reuters-21578 corpus not found at ${path}. ` +
    'It is not part of the repository (research licence): put reuters21578.jsonl.gz in shared/corpora/ ' +
    'beside the repository checkout (../shared/corpora/ from the repository root), or pass another path with --base.'
  )
}

/**
 * Stream the records of a `.jsonl` or `.jsonl.gz` file, one parsed object per non-blank line.
 * Memory stays bounded whatever the file size. A malformed line throws with its line number.
 */
export async function* readJsonl<T = Record<string, unknown>>(path: string): AsyncGenerator<T> {
  if (!existsSync(path)) throw new Error(`${path}: no such file`)
  const raw = createReadStream(path)
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw
  raw.on('error', (err) => input.destroy(err))
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })
  let lineNo = 0
  try {
    for await (const line of lines) {
      lineNo++
      if (line.trim() === '') continue
      let record: T
      try {
        record = JSON.parse(line) as T
      } catch (err) {
        throw new Error(`${path}:${lineNo}: invalid JSON (${(err as Error).message})`)
      }
      yield record
    }
  } finally {
    lines.close()
    if (input !== raw) input.destroy()
    raw.destroy()
  }
}

/** A Reuters-21578 record as stored in `reuters21578.jsonl.gz`. */
export interface ReutersRecord {
  id: string
  text: string
  title?: string
  date?: string
  source?: string
  topics?: string[]
  places?: string[]
  lewissplit?: string
}

const MONTHS: Record<string, string> = {
  JAN: '01',
  FEB: '02',
  MAR: '03',
  APR: '04',
  MAY: '05',
  JUN: '06',
  JUL: '07',
  AUG: '08',
  SEP: '09',
  OCT: '10',
  NOV: '11',
  DEC: '12',
}

/** `26-FEB-1987 15:02:20.00` → `1987-02-26T15:02:20Z`; undefined when it does not parse. */
export function reutersDate(date: string | undefined): string | undefined {
  const m = date?.trim().match(/^(\d{1,2})-([A-Za-z]{3})-(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})/)
  if (!m) return undefined
  const month = MONTHS[(m[2] as string).toUpperCase()]
  if (!month) return undefined
  const pad = (s: string) => s.padStart(2, '0')
  return `${m[3]}-${month}-${pad(m[1] as string)}T${pad(m[4] as string)}:${m[5]}:${m[6]}Z`
}

export interface LoadedBase {
  articles: Article[]
  /** Records skipped because their text was empty (Reuters has one). */
  skippedEmpty: number
}

/**
 * Load Reuters records as {@link Article}s (`text` keeps the title as its first paragraph).
 * `limit` caps the number of articles returned (records with empty text are skipped and counted,
 * not returned). Throws with {@link corpusMissing}'s message when the file is absent.
 */
export async function loadBaseArticles(path: string = defaultCorpusPath(), limit?: number): Promise<LoadedBase> {
  if (!existsSync(path)) throw new Error(corpusMissing(path))
  const articles: Article[] = []
  let skippedEmpty = 0
  if (limit !== undefined && limit <= 0) return { articles, skippedEmpty }
  for await (const r of readJsonl<ReutersRecord>(path)) {
    if (typeof r.text !== 'string' || r.text.trim() === '') {
      skippedEmpty++
      continue
    }
    const article: Article = { id: String(r.id), text: r.text, source: r.source ?? 'reuters21578' }
    const publishedAt = reutersDate(r.date)
    if (publishedAt) article.publishedAt = publishedAt
    articles.push(article)
    if (limit !== undefined && articles.length >= limit) break
  }
  return { articles, skippedEmpty }
}

/** Read a ground-truth file written by `writeCorpus` (`{id, cluster}` per line) into a map id → cluster. */
export async function readTruth(path: string): Promise<Map<string, string>> {
  const truth = new Map<string, string>()
  for await (const r of readJsonl<{ id: string; cluster: string }>(path)) truth.set(r.id, r.cluster)
  return truth
}
