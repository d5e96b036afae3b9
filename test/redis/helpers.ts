// Shared by the Redis store tests and their child-process worker. Tests run against a real
// server named by WIRETRACE_REDIS_URL; without one they skip, unless WIRETRACE_REQUIRE_REDIS=1.

import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { Redis } from 'ioredis'
import { type Article, analyze } from '../../src/analyze.js'
import type { Fingerprint } from '../../src/sketch/fingerprint.js'
import { has, REUTERS } from '../helpers/corpora.js'

export const REDIS_URL = process.env.WIRETRACE_REDIS_URL
export const REDIS_REQUIRED = process.env.WIRETRACE_REQUIRE_REDIS === '1'

/** Checks the server once; returns why the tests cannot run, or undefined when they can. */
export async function probeRedis(url = REDIS_URL): Promise<string | undefined> {
  if (!url) return 'WIRETRACE_REDIS_URL is not set (e.g. redis://127.0.0.1:6379)'
  const r = new Redis(url, { lazyConnect: true, connectTimeout: 2000, retryStrategy: () => null, maxRetriesPerRequest: 0 })
  r.on('error', () => {})
  try {
    await r.connect()
    await r.ping()
    return undefined
  } catch (err) {
    return `Redis at ${url} is unreachable: ${(err as Error).message}`
  } finally {
    r.disconnect()
  }
}

/**
 * Resolve whether this test file runs: undefined when Redis is there; a skip reason (printed)
 * when it is not; throws when it is required (CI) but missing, which fails the file.
 */
export async function redisOrSkip(file: string): Promise<string | undefined> {
  const why = await probeRedis()
  if (why === undefined) return undefined
  if (REDIS_REQUIRED) throw new Error(`WIRETRACE_REQUIRE_REDIS=1 but ${why}`)
  console.warn(`[wiretrace] skipping ${file}: ${why}`)
  return why
}

let counter = 0
/** A namespace no other test or run uses. */
export function uniqueNamespace(name: string): string {
  return `wt-test-${name}-${process.pid}-${Date.now().toString(36)}-${counter++}`
}

/** Count the keys of a namespace on a standalone server (for leak checks). */
export async function namespaceKeys(namespace: string, url = REDIS_URL as string): Promise<string[]> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    const out: string[] = []
    let cursor = '0'
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `{${namespace}*`, 'COUNT', 1000)
      cursor = next
      out.push(...keys)
    } while (cursor !== '0')
    return out
  } finally {
    r.disconnect()
  }
}

const REPO = fileURLToPath(new URL('../../', import.meta.url))
const SEED_DIRS = [`${REPO}examples/data`, `${REPO}../shared/seeds`]

/** The five seed articles (ids "000" … "004"). */
export function loadSeeds(): Article[] {
  const dir = SEED_DIRS.find((d) => existsSync(d))
  if (!dir) throw new Error(`seed articles not found in ${SEED_DIRS.join(' or ')}`)
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.*\.txt$/.test(f))
    .sort()
    .map((f) => ({ id: f.slice(0, 3), text: readFileSync(`${dir}/${f}`, 'utf8') }))
}

/**
 * The first `n` Reuters-21578 stories with text, or [] when the corpus is absent (it is not in
 * the repository: research licence; under WIRETRACE_REQUIRE_CORPORA=1 absence fails). Ids are the
 * corpus ids ("reuters-1" …).
 */
export function loadReuters(n: number): Article[] {
  if (n === 0 || !has(REUTERS, 'Reuters stories in the Redis tests (they run on the 5 seeds only)')) return []
  const out: Article[] = []
  const lines = gunzipSync(readFileSync(REUTERS)).toString('utf8').split('\n')
  for (const line of lines) {
    if (out.length >= n) break
    if (!line.trim()) continue
    const r = JSON.parse(line) as { id: string; text?: string }
    if (r.text && r.text.trim().length > 0) out.push({ id: r.id, text: r.text })
  }
  return out
}

/** Fingerprints of the articles that analyse to `ok`. */
export function fingerprints(articles: readonly Article[]): Fingerprint[] {
  const out: Fingerprint[] = []
  for (const a of articles) {
    const r = analyze(a)
    if (r.status === 'ok') out.push(r.fingerprint)
  }
  return out
}

/** The corpus the multi-document tests share: seeds, plus `reuters` Reuters stories when present. */
export function testCorpus(reuters: number): Fingerprint[] {
  return fingerprints([...loadSeeds(), ...loadReuters(reuters)])
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A local TCP port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => resolve(p))
    })
  })
}
