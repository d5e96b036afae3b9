// The built CLI, for tests that run it as a subprocess.
//
// The CLI is built from the current sources with the project's tsup.config.ts, overriding only the
// entries (cli, worker), the format (ESM) and the type declarations (off: they are most of a full
// build's time, and a type error elsewhere must not stop these tests). It goes into a private
// directory inside the repository, so bare imports still resolve from node_modules and the shared
// dist/ is neither rebuilt nor cleaned under other test files. bin/wiretrace.js is copied beside
// that build, so the real launcher is what runs.
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { expectMessage, type MessagePart } from './errors.js'
import { ROOT } from './seeds.js'

/** A CLI run: exit code (null if it was killed), stdout and stderr. */
export interface Run {
  status: number | null
  stdout: string
  stderr: string
}

/** An error run: exit code, one message naming what is wrong, no stack trace and nothing on stdout. */
export function expectCliError(r: Run, status: number, ...parts: MessagePart[]): void {
  expect(r.status, r.stderr).toBe(status)
  expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /)
  expectMessage(r.stderr, parts)
  expect(r.stdout).toBe('')
}

export interface BuiltCli {
  /** The launcher, bin/wiretrace.js copied beside the build. */
  bin: string
  /** Run the launcher from the repository root; stdin gets `input` (text or bytes; or nothing). */
  run(args: string[], options?: { input?: string | Buffer }): Promise<Run>
  /** Delete the build (and .wiretrace-tmp/ when no other run is using it). */
  remove(): void
}

/**
 * Run a script of the repository (an example) with tsx, from the repository root, and return its
 * stdout once it has exited 0 with nothing on stderr.
 */
export function runScript(path: string, { timeout = 60_000 } = {}): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, path)], { cwd: ROOT, encoding: 'utf8', timeout })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  return r.stdout
}

const TMP = join(ROOT, '.wiretrace-tmp')

/** Build the CLI into .wiretrace-tmp/<prefix>…; a run is killed after `timeout` ms. Call from a beforeAll of 120 s. */
export function buildCli(prefix: string, { timeout = 30_000 } = {}): BuiltCli {
  mkdirSync(TMP, { recursive: true })
  const dir = mkdtempSync(join(TMP, prefix))
  const remove = () => {
    rmSync(dir, { recursive: true, force: true })
    try {
      rmdirSync(TMP) // only if empty: another run may be using it
    } catch {}
  }
  const script = `import { build } from 'tsup'
await build({
  entry: { cli: 'src/cli/main.ts', worker: 'src/node/worker.ts' },
  format: ['esm'],
  dts: false,
  sourcemap: false,
  silent: true,
  outDir: ${JSON.stringify(join(dir, 'dist'))},
})`
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 110_000 })
  if (r.status !== 0 || !existsSync(join(dir, 'dist/cli.js'))) {
    remove()
    throw new Error(`building the CLI failed:\n${r.stderr}${r.stdout}`)
  }
  mkdirSync(join(dir, 'bin'))
  const bin = join(dir, 'bin/wiretrace.js')
  copyFileSync(join(ROOT, 'bin/wiretrace.js'), bin)
  return {
    bin,
    run: (args, options = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [bin, ...args], { cwd: ROOT, timeout })
        let stdout = ''
        let stderr = ''
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
        child.on('error', reject)
        child.on('close', (status) => resolve({ status, stdout, stderr }))
        child.stdin.on('error', () => {}) // the CLI need not read its stdin
        child.stdin.end(options.input ?? '')
      }),
    remove,
  }
}
