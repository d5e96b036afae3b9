import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as report from '../../src/report/index.js'

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src')

/** Every module `entry` loads at run time (type-only imports left out), as paths under src/. */
function runtimeImports(entry: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(entry)) return seen
  const text = readFileSync(entry, 'utf8')
  const specifiers = [...text.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1] as string)
  seen.set(entry, specifiers)
  for (const s of specifiers) {
    if (s.startsWith('.')) runtimeImports(join(dirname(entry), s.replace(/\.js$/, '.ts')), seen)
  }
  return seen
}

describe('src/report', () => {
  it('loads nothing from Node, directly or through the modules it imports, so it runs in a browser', () => {
    const modules = runtimeImports(join(SRC, 'report/index.ts'))
    expect([...modules.keys()].map((f) => f.slice(SRC.length + 1))).toContain('errors.ts')
    const bare = [...modules].flatMap(([file, specs]) =>
      specs.filter((s) => !s.startsWith('.')).map((s) => `${file.slice(SRC.length + 1)}: ${s}`),
    )
    expect(bare).toEqual([])
  })

  it('exports the report API', () => {
    expect(Object.keys(report).sort()).toEqual([
      'CELL_STYLES',
      'CSV_COLUMNS',
      'DEFAULT_FILTER_OPTIONS',
      'DEFAULT_HTML_OPTIONS',
      'DEFAULT_TEXT_OPTIONS',
      'RELATION_DESCRIPTIONS',
      'REPORT_FORMAT',
      'REPORT_VERSION',
      'STATUS_STYLES',
      'articleHeadline',
      'buildReport',
      'escapeHtml',
      'filterReport',
      'formatCsv',
      'formatDiffText',
      'formatText',
      'keepList',
      'parseReport',
      'renderDiffHtml',
      'renderHtml',
    ])
  })
})
