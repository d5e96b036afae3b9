import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'

/** shared/ sits beside the repository. */
export const CORPORA = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpora')

export const REUTERS = join(CORPORA, 'reuters21578.jsonl.gz')
export const CLOUGH = join(CORPORA, 'clough-stevenson')
export const NTREX = join(CORPORA, 'ntrex/docs.jsonl.gz')

export function missing(path: string): string {
  return `corpus not found at ${path}: put the shared corpora beside the repository (../shared/corpora/) to run this test`
}

export function has(path: string): boolean {
  return existsSync(path)
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
