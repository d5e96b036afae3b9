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

/** The options a command's --help lists (`  --workers N  …`, `  -h, --help`), with the placeholder of those that take a value. */
async function helpOptions(command: string): Promise<{ name: string; shape: string | undefined }[]> {
  const help = await call([command, '--help'])
  expect(help.status).toBe(0)
  return [...help.stdout.matchAll(/^ {2}(?:-h, )?--([a-z0-9-]+)(?: (\S+))?(?: {2,}|$)/gm)].map((m) => ({
    name: m[1] as string,
    shape: m[2],
  }))
}

/** A usage error: the message, then the pointer to the command's help; nothing of parseArgs's wording. */
function expectUsage(r: Run, command: string, message: string): void {
  expectCliError(r, 2, `wiretrace: ${message}\nRun 'wiretrace ${command} --help' for usage.\n`)
  expect(r.stderr).not.toMatch(/argument missing|ambiguous|Did you forget|does not take an argument/)
}

for (const [command, positionals] of Object.entries(COMMANDS)) {
  describe.concurrent(`every option of ${command}`, () => {
    it('without its value: says it needs one, with the shape of the value', async () => {
      const options = (await helpOptions(command)).filter((o) => o.shape !== undefined)
      expect(options.length).toBeGreaterThanOrEqual(command === 'scan' ? 15 : 4)
      for (const { name, shape } of options) {
        const needs = `--${name} needs a value (--${name} ${shape})`
        // Last on the line, followed by another option (the case parseArgs calls ambiguous), and empty.
        expectUsage(await call([command, ...positionals, `--${name}`]), command, needs)
        expectUsage(await call([command, ...positionals, `--${name}`, '-h']), command, `${needs}, got the option '-h'`)
        expectUsage(await call([command, ...positionals, `--${name}=`]), command, needs)
      }
    })

    it('misspelt: names the option meant', async () => {
      const names = (await helpOptions(command)).map((o) => o.name)
      expect(names).toContain('help')
      for (const name of names) {
        // Two neighbours swapped in the middle, and the last letter dropped.
        const k = Math.floor(name.length / 2)
        const swapped = `${name.slice(0, k - 1)}${name[k]}${name[k - 1]}${name.slice(k + 1)}`
        for (const typo of [swapped, name.slice(0, -1)]) {
          const r = await call([command, ...positionals, `--${typo}`])
          expectUsage(r, command, `unknown option '--${typo}'; did you mean --${name}?`)
        }
      }
    })
  })
}

/** One case each, through the built CLI: what it is, the arguments, and the message. */
const CASES: [string, string[], string][] = [
  [
    '--workers followed by another option names that option',
    ['scan', 'feed.jsonl', '--workers', '--format', 'json'],
    "--workers needs a value (--workers N), got the option '--format'",
  ],
  [
    'a value that starts with a dash: says how to give it',
    ['scan', 'examples/data', '--out', '-report.txt'],
    "--out needs a value (--out FILE); a value that starts with '-' is written --out=-report.txt",
  ],
  [
    'a negative number is still a value, and gets the range message',
    ['scan', 'examples/data', '--workers', '-1'],
    "--workers must be an integer from 1 to 256, got '-1'",
  ],
  ['a switch given a value says it takes none', ['scan', 'examples/data', '--quiet=yes'], "--quiet takes no value, got 'yes'"],
  [
    'an unknown option close to one: did you mean',
    ['scan', 'feed.jsonl', '--worker', '2'],
    "unknown option '--worker'; did you mean --workers?",
  ],
  ['with its value after =', ['diff', 'a.txt', 'b.txt', '--fromat=json'], "unknown option '--fromat'; did you mean --format?"],
  [
    'a long name with one dash is read as that name',
    ['scan', 'examples/data', '-workers', '2'],
    "unknown option '-workers'; did you mean --workers?",
  ],
  ['no option is close: no suggestion', ['scan', 'examples/data', '--bogus'], "unknown option '--bogus'"],
  // --l2 is calibrate's: scan has nothing one edit from --l3.
  ['only the options of that command are suggested', ['scan', 'examples/data', '--l3', '1'], "unknown option '--l3'"],
  ['a short name: one edit', ['calibrate', 'examples/labels.jsonl', '--l3', '1'], "unknown option '--l3'; did you mean --l2?"],
]

describe.concurrent('the built CLI', () => {
  for (const [title, args, message] of CASES) {
    it(title, async () => expectUsage(await run(args), args[0] as string, message))
  }
})
