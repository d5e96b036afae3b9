import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Article } from '../../src/analyze.js'

/** The repository root: examples/, bin/ and package.json are below it. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const SEED_DIR = join(ROOT, 'examples/data')
/** The labelled seed pairs, {a, b, label} with the seeds' full ids. */
export const LABELS = join(ROOT, 'examples/labels.jsonl')

interface SeedMeta {
  file: string
  outlet: string
  language: string
  publishedAt: string | null
}

/** The five seed articles with their metadata; ids are the file numbers ("000" … "004"). */
export function loadSeeds(): Article[] {
  const meta = JSON.parse(readFileSync(join(SEED_DIR, 'seeds.json'), 'utf8')) as SeedMeta[]
  return meta.map((m) => ({
    id: m.file.slice(0, 3),
    text: readFileSync(join(SEED_DIR, m.file), 'utf8'),
    source: m.outlet,
    ...(m.publishedAt ? { publishedAt: m.publishedAt } : {}),
  }))
}

export function seed(id: string): Article {
  const a = loadSeeds().find((s) => s.id === id)
  if (!a) throw new Error(`no seed ${id}`)
  return a
}

/** The seed articles' file names in examples/data ("000_….txt" … "004_….txt"), sorted. */
function seedFiles(): string[] {
  return readdirSync(SEED_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
}

/** The seed articles as the CLI reads examples/data: the id is the file name without .txt, in file order. */
export function seedArticles(): Article[] {
  return seedFiles().map((f) => ({ id: f.replace(/\.txt$/, ''), text: readFileSync(join(SEED_DIR, f), 'utf8') }))
}

/** The full id (file name without .txt) of the seed whose name starts with `prefix` ("003" → "003_a578…"). */
export function seedId(prefix: string): string {
  const f = seedFiles().find((f) => f.startsWith(prefix))
  if (!f) throw new Error(`no seed file ${prefix}*.txt`)
  return f.replace(/\.txt$/, '')
}

/** The text of the seed whose file name starts with `prefix`. */
export function seedText(prefix: string): string {
  return readFileSync(join(SEED_DIR, `${seedId(prefix)}.txt`), 'utf8')
}

/**
 * `count` filler records (ids `${prefix}000` …): ten paragraphs of 30 words each, drawn at random
 * (seeded by `seed`) from seed 004's words: about 2 KB a record, unlike each other and the seeds.
 */
export function fillerRecords(count: number, prefix: string, seed: number): Article[] {
  let s = seed
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32
  const words = seedText('004').split(/\s+/).filter(Boolean)
  const para = () => Array.from({ length: 30 }, () => words[Math.floor(rnd() * words.length)]).join(' ')
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${String(i).padStart(3, '0')}`,
    text: Array.from({ length: 10 }, para).join('\n\n'),
  }))
}
