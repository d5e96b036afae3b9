import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Article } from '../../src/analyze.js'

export const SEED_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../examples/data')

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
