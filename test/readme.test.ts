import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Every ```ts block of the README runs as written, importing the built package by name.
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const tmp = join(root, '.wiretrace-tmp', 'readme')
const blocks = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string)

beforeAll(() => {
  if (!existsSync(join(root, 'dist/index.js'))) {
    const r = spawnSync(process.execPath, [join(root, 'node_modules/tsup/dist/cli-default.js'), '--silent'], {
      cwd: root,
      encoding: 'utf8',
    })
    if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`)
  }
  mkdirSync(tmp, { recursive: true })
})

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function run(code: string, name: string): { status: number | null; stdout: string; stderr: string } {
  const file = join(tmp, `${name}.ts`)
  writeFileSync(file, code)
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8', timeout: 60_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Key facts the README's comments promise, block by block. */
const FACTS: string[][] = [
  ['afp-1', "'daily-7: copy'", "[ 'markets' ]"],
  ['copy whole verbatim 003', '0.305 0.968', 'true true', 'A war monitor said late Sat'],
  ['a []', "b [ 'copy' ]", '1'],
  ['8 1', '1', 'UNSUPPORTED_VERSION'],
  ['3\n1'],
  ['en en reference', 'de de translation', 'es es translation', "[ 'markets' ]"],
  ['kept: 10', 'edited: 1', 'reworded: 0', 'cut: 34', 'edited'],
  ["[ 'a' ]"],
  ["[ 'afp-1: 2' ] [ 'other' ] 1"],
  ["[ 'afp-1' ]", 'afp-1'],
  ["[ [ 'wire-1' ] ]", 'PARAMS_MISMATCH'],
  ['10 0 9', 'true'],
]

describe('README', () => {
  it('has code blocks to run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5)
  })

  for (const [i, code] of blocks.entries()) {
    const needsRedis = code.includes("'wiretrace/redis'")
    if (needsRedis && !process.env.WIRETRACE_REDIS_URL) {
      if (process.env.WIRETRACE_REQUIRE_REDIS === '1')
        throw new Error('WIRETRACE_REQUIRE_REDIS=1 but WIRETRACE_REDIS_URL is not set')
      it.skip(`runs block ${i + 1} (needs WIRETRACE_REDIS_URL)`, () => {})
      continue
    }
    const title =
      code
        .split('\n')
        .find((l) => l.startsWith('import'))
        ?.slice(0, 60) ?? `block ${i}`
    it(`runs block ${i + 1} (${title})`, () => {
      const r = run(code, `block-${i + 1}`)
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      // What the README says a block prints, it prints.
      for (const fact of FACTS[i] ?? []) expect(r.stdout).toContain(fact)
    })
  }
})
