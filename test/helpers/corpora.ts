import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'

/**
 * shared/ sits beside the repository (research licences: never in it). WIRETRACE_CORPORA names
 * another folder, e.g. a missing one to check that the suite passes without the corpora.
 */
export const CORPORA = process.env.WIRETRACE_CORPORA
  ? resolve(process.env.WIRETRACE_CORPORA)
  : join(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpora')

export const REUTERS = join(CORPORA, 'reuters21578.jsonl.gz')
export const CLOUGH = join(CORPORA, 'clough-stevenson')
export const NTREX = join(CORPORA, 'ntrex/docs.jsonl.gz')

/** CI sets WIRETRACE_REQUIRE_CORPORA=1: there a missing corpus fails the tests instead of skipping them. */
export const CORPORA_REQUIRED = process.env.WIRETRACE_REQUIRE_CORPORA === '1'

export function missing(path: string): string {
  return `corpus not found at ${path}: put the shared corpora beside the repository (../shared/corpora/) to run this test`
}

const warned = new Set<string>()

/**
 * Whether the corpus at `path` is there, for the tests named by `what`. Without it they skip,
 * with one warning naming the missing file; under WIRETRACE_REQUIRE_CORPORA=1 this throws, so the
 * test file fails. Every test that reads a corpus asks here first.
 */
export function has(path: string, what: string): boolean {
  if (existsSync(path)) return true
  if (CORPORA_REQUIRED) throw new Error(`WIRETRACE_REQUIRE_CORPORA=1 but ${what} cannot run: ${missing(path)}`)
  if (!warned.has(`${path}\0${what}`)) console.warn(`${what}: skipped, ${missing(path)}`)
  warned.add(`${path}\0${what}`)
  return false
}

/** Records of a .jsonl or .jsonl.gz file. */
export function readJsonl<T = Record<string, unknown>>(path: string): T[] {
  const buf = readFileSync(path)
  const text = path.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8')
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T)
}
