// How the CLI words mistakes in its options: each is one line naming the option, a pointer to the
// command's --help, exit 2, never parseArgs's own wording. The sweeps over every option call main
// in-process (a subprocess each would be a hundred Node starts); the built CLI runs the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { type BuiltCli, buildCli, expectCliError, type Run } from '../helpers/cli.js'

let cli: BuiltCli | undefined
const run = (args: string[]): Promise<Run> => (cli as BuiltCli).run(args)

/** main in this process, its output collected. */
async function call(args: string[]): Promise<Run> {
  const out = { stdout: '', stderr: '' }
  const stream = (key: keyof typeof out) => {
    const write = (t: string) => {
      out[key] += t
      return true
    }
    const s = { isTTY: false, write, on: () => s }
    return s as unknown as NodeJS.WriteStream
  }
  const status = await main(args, { stdout: stream('stdout'), stderr: stream('stderr') })
  return { status, ...out }
}

beforeAll(() => {
  cli = buildCli('options-test-')
}, 120_000)
afterAll(() => cli?.remove())

/** Each command, with the positionals that make the rest of its line valid. */
const COMMANDS: Record<string, string[]> = {
  scan: ['examples/data'],
  diff: ['examples/data/003_a578a4fccd0967bb.txt', 'examples/data/001_af5f1522f10e024d.txt'],
  calibrate: ['examples/labels.jsonl'],
}

/** The options a command's --help shows with a value (`  --workers N    …`), and that value's placeholder. */
async function valueOptions(command: string): Promise<[string, string][]> {
  const help = await call([command, '--help'])
  expect(help.status).toBe(0)
  return [...help.stdout.matchAll(/^ {2}(--[a-z0-9-]+) (\S+)(?: {2,}|$)/gm)].map((m) => [m[1] as string, m[2] as string])
}

/** A usage error: the message, then the pointer to the command's help; nothing of parseArgs's wording. */
function expectUsage(r: Run, command: string, message: string): void {
  expectCliError(r, 2, `wiretrace: ${message}\nRun 'wiretrace ${command} --help' for usage.\n`)
  expect(r.stderr).not.toMatch(/argument missing|ambiguous|Did you forget|does not take an argument/)
}

describe.concurrent('an option without its value', () => {
  for (const command of Object.keys(COMMANDS)) {
    it(`every option of ${command} that takes a value says it needs one, with the value's shape`, async () => {
      const options = await valueOptions(command)
      expect(options.length).toBeGreaterThanOrEqual(command === 'scan' ? 15 : 4)
      const positionals = COMMANDS[command] as string[]
      await Promise.all(
        options.map(async ([flag, shape]) => {
          const needs = `${flag} needs a value (${flag} ${shape})`
          // Last on the line, and followed by another option: the case parseArgs calls ambiguous.
          expectUsage(await call([command, ...positionals, flag]), command, needs)
          expectUsage(await call([command, ...positionals, flag, '-h']), command, `${needs}, got the option '-h'`)
          expectUsage(await call([command, ...positionals, `${flag}=`]), command, needs)
        }),
      )
    })
  }

  it('--workers followed by another option names that option', async () => {
    expectUsage(
      await run(['scan', 'feed.jsonl', '--workers', '--format', 'json']),
      'scan',
      "--workers needs a value (--workers N), got the option '--format'",
    )
  })

  it('a value that starts with a dash: says how to give it', async () => {
    expectUsage(
      await run(['scan', 'examples/data', '--out', '-report.txt']),
      'scan',
      "--out needs a value (--out FILE); a value that starts with '-' is written --out=-report.txt",
    )
  })

  it('a negative number is still a value, and gets the range message', async () => {
    expectUsage(
      await run(['scan', 'examples/data', '--workers', '-1']),
      'scan',
      "--workers must be an integer from 1 to 256, got '-1'",
    )
  })

  it('a switch given a value says it takes none', async () => {
    expectUsage(await run(['scan', 'examples/data', '--quiet=yes']), 'scan', "--quiet takes no value, got 'yes'")
  })
})
