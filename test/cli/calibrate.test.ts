// `wiretrace calibrate`, and `--model` on scan and diff. Most runs call main() in-process with
// fake streams (exit code, stdout, stderr); a last group runs the real launcher (bin/wiretrace.js)
// on a private build of the current sources (test/helpers/cli.ts, as test/cli/cli.test.ts does),
// so the bundled CLI (the shipped model's JSON included) is covered too.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { main } from '../../src/cli/main.js'
import { calibrate } from '../../src/compare/calibrate.js'
import { compare, LINKING_RELATIONS } from '../../src/compare/compare.js'
import { type DerivationModel, loadModel } from '../../src/compare/model.js'
import { readLabelledPairs, readModel } from '../../src/node/model-io.js'
import { type BuiltCli, buildCli, expectCliError, type Run } from '../helpers/cli.js'
import { scratchDir } from '../helpers/files.js'
import { SEED_DIR as DATA, LABELS } from '../helpers/seeds.js'
import { EIGHT_STORIES } from '../helpers/stories.js'

const RUDAW = '004_ac508b4e2d9fc02e'
const AFP = '003_a578a4fccd0967bb'
const seedPath = (id: string) => join(DATA, `${id}.txt`)

const scratch = scratchDir('wiretrace-calibrate-cli-')
const { file } = scratch

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') }
}

/** main() in-process, with fake streams. */
async function cli(args: string[]): Promise<Run> {
  const out = sink()
  const err = sink()
  const status = await main(args, { stdout: out.stream, stderr: err.stream })
  return { status, stdout: out.text(), stderr: err.text() }
}

interface ScanReport {
  clusters: { reference: string; members: { id: string; relation: string; confidence: number }[] }[]
  singletons: { id: string }[]
  links: { a: string; b: string; relation: string; confidence: number }[]
}

function scanReport(r: Run): ScanReport {
  expect(r.stderr).not.toContain('unexpected error')
  expect(r.status, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as ScanReport
}

const linking = (relation: string) => (LINKING_RELATIONS as readonly string[]).includes(relation)
const pct = (x: number) => `${Math.round(100 * x)}%`

/** examples/labels.jsonl with the Rudaw/AFP pair labelled a copy six more times. */
let flippedPairs: string
/** A model calibrated on examples/labels.jsonl (defaults), and one on the flipped pairs with --l2 0.01. */
let seedModel: string
let flippedModel: string
const analyses = new Map<string, AnalysisOk>()
const analysed = (id: string): AnalysisOk => {
  let a = analyses.get(id)
  if (!a) {
    a = analyze({ id, text: readFileSync(seedPath(id), 'utf8') }) as AnalysisOk
    analyses.set(id, a)
  }
  return a
}

beforeAll(async () => {
  const copy = JSON.stringify({ a: RUDAW, b: AFP, label: 'copy' })
  flippedPairs = file('flipped.jsonl', `${readFileSync(LABELS, 'utf8').trimEnd()}\n${`${copy}\n`.repeat(6)}`)
  seedModel = file('seed-model.json')
  flippedModel = file('flipped-model.json')
  const a = await cli(['calibrate', LABELS, '--corpus', DATA, '--out', seedModel, '--quiet'])
  const b = await cli(['calibrate', flippedPairs, '--corpus', DATA, '--out', flippedModel, '--l2', '0.01', '--quiet'])
  if (a.status !== 0 || b.status !== 0) throw new Error(`calibrating failed: ${a.stderr}${b.stderr}`)
})

afterAll(scratch.remove)

describe('wiretrace calibrate', () => {
  it('fits the labelled pairs, writes a loadable model to --out and prints a summary on stderr', async () => {
    const out = file('m.json')
    const r = await cli(['calibrate', LABELS, '--corpus', DATA, '--out', out])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toBe('')
    const model = await readModel(out)
    expect(loadModel(model)).toBe(model)
    // The model and the figures are the library's for the same pairs.
    const result = calibrate(await readLabelledPairs(LABELS, { corpus: DATA }))
    expect(model).toEqual(result.model)
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    expect(r.stderr).toContain('wiretrace: 8 labelled pairs (whole 3, part 1, none 4)')
    expect(r.stderr).toContain('link decisions agreeing with the labels')
    expect(r.stderr).toContain(`shipped model ${pct(result.agreement.base)}`)
    expect(result.agreement.calibrated).not.toBeNull()
    expect(r.stderr).toContain(`calibrated ${pct(result.agreement.calibrated as number)} (5-fold cross-validation)`)
    expect(r.stderr).toContain(`→ ${out}`)
  })

  it('warns when the calibrated model agrees with the labels less than the model it started from', async () => {
    // Five labels, one partial: left out in cross-validation, the partial pair has no part label
    // to learn from, and the calibrated model gets it wrong where the shipped model did not.
    const ids = ['001_af5f1522f10e024d', '002_adb5dee0cf9549f4', '000_a448ea98a52552c9', '004_ac508b4e2d9fc02e']
    const five = file('five.jsonl')
    writeFileSync(
      five,
      [
        { a: ids[0], b: AFP, label: 'copy' },
        { a: ids[1], b: AFP, label: 'translation' },
        { a: ids[2], b: AFP, label: 'partial' },
        { a: ids[3], b: AFP, label: false },
        { a: ids[3], b: ids[0], label: false },
      ]
        .map((p) => JSON.stringify(p))
        .join('\n'),
    )
    const r = await cli(['calibrate', five, '--corpus', DATA, '--out', file('five-model.json')])
    expect(r.status, r.stderr).toBe(0)
    const result = calibrate(await readLabelledPairs(five, { corpus: DATA }))
    expect(result.agreement.calibrated as number).toBeLessThan(result.agreement.base)
    expect(r.stderr).toContain(`extents (none, part, whole): shipped ${pct(result.extentAgreement.base)}`)
    expect(r.stderr).toMatch(
      /warning: in cross-validation the calibrated model agrees with your labels less than the shipped model/,
    )
    // The seed labels: no worse, no warning.
    expect((await cli(['calibrate', LABELS, '--corpus', DATA])).stderr).not.toContain('warning')
  })

  it('without --out, writes the model JSON to stdout', async () => {
    const r = await cli(['calibrate', LABELS, '--corpus', DATA])
    expect(r.status, r.stderr).toBe(0)
    const model = loadModel(JSON.parse(r.stdout)) as DerivationModel
    expect(model).toEqual(await readModel(seedModel))
    expect(r.stdout.endsWith('}\n')).toBe(true)
    expect(r.stderr).toContain('8 labelled pairs')
    expect(r.stderr).not.toContain('→')
  })

  it('warns when the calibrated model links pairs made across the labels that the shipped model does not', async () => {
    // Different stories labelled copies: the fit learns to link stories that share nothing.
    const s = EIGHT_STORIES
    const lines: unknown[] = []
    for (let r = 0; r < 3; r++) for (let k = 0; k < 8; k += 2) lines.push({ a: s[k], b: s[k + 1], label: 'copy' })
    lines.push({ a: s[0], b: s[2], label: false }, { a: s[4], b: s[6], label: false })
    const one = file('one-kind.jsonl')
    writeFileSync(one, lines.map((p) => JSON.stringify(p)).join('\n'))
    const r = await cli(['calibrate', one, '--l2', '0.01', '--folds', '0', '--out', file('one-kind-model.json'), '--quiet'])
    expect(r.status, r.stderr).toBe(0)
    const result = calibrate(await readLabelledPairs(one), { l2: 0.01, folds: 0 })
    const across = result.across as NonNullable<typeof result.across>
    expect(r.stderr).toContain(
      `wiretrace: warning: the calibrated model links ${across.calibrated} of ${across.pairs} pairs made across your labelled pairs`,
    )
    expect(r.stderr).toContain(`the shipped model ${across.base}; add labelled pairs of different stories`)
  })

  it('--no-shared-words keeps the topic shares out of the link decision, as sharedWords: false', async () => {
    const r = await cli(['calibrate', LABELS, '--corpus', DATA, '--no-shared-words', '--quiet'])
    expect(r.status, r.stderr).toBe(0)
    const model = loadModel(JSON.parse(r.stdout)) as DerivationModel
    const pairs = await readLabelledPairs(LABELS, { corpus: DATA })
    expect(model).toEqual(calibrate(pairs, { sharedWords: false }).model)
    expect(model).not.toEqual(await readModel(seedModel))
    expect(model.derived[model.features.indexOf('unigrams') + 1]).toBe(0)
  })

  it('--quiet prints nothing on stderr', async () => {
    const r = await cli(['calibrate', LABELS, '--corpus', DATA, '--quiet'])
    expect(r.status).toBe(0)
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual(await readModel(seedModel))
  })

  it('--folds sets the cross-validation (0: none); --l2 and --base reach the fit', async () => {
    const four = await cli(['calibrate', LABELS, '--corpus', DATA, '--folds', '4', '--quiet'])
    expect(four.status).toBe(0)
    const summary4 = await cli(['calibrate', LABELS, '--corpus', DATA, '--folds', '4'])
    expect(summary4.stderr).toMatch(/calibrated \d+% \(4-fold cross-validation\)/)
    const none = await cli(['calibrate', LABELS, '--corpus', DATA, '--folds', '0'])
    expect(none.status).toBe(0)
    expect(none.stderr).toContain('no cross-validated figure')
    expect(JSON.parse(none.stdout)).toEqual(await readModel(seedModel))

    const l2 = await cli(['calibrate', LABELS, '--corpus', DATA, '--l2', '0.01', '--folds', '0', '--quiet'])
    const model = JSON.parse(l2.stdout) as DerivationModel
    expect(model.l2).toBe(0.01)
    expect(model).toEqual(calibrate(await readLabelledPairs(LABELS, { corpus: DATA }), { l2: 0.01, folds: 0 }).model)

    const based = await cli(['calibrate', LABELS, '--corpus', DATA, '--base', flippedModel, '--folds', '0'])
    expect(based.status, based.stderr).toBe(0)
    expect(based.stderr).toContain('base model')
    expect(based.stderr).not.toContain('shipped model')
    const fromBase = calibrate(await readLabelledPairs(LABELS, { corpus: DATA }), {
      base: await readModel(flippedModel),
      folds: 0,
    })
    expect(JSON.parse(based.stdout)).toEqual(fromBase.model)
  })

  it('calibrate --help prints the help, exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await cli(['calibrate', flag])
      expect(r.status).toBe(0)
      expect(r.stderr).toBe('')
      expect(r.stdout).toMatch(/^wiretrace calibrate <pairs\.jsonl\|pairs\.json> \[options\]/)
      for (const option of ['--out', '--corpus', '--base', '--l2', '--folds', '--quiet']) expect(r.stdout).toContain(option)
      expect(r.stdout).toContain('wiretrace calibrate examples/labels.jsonl --corpus examples/data --out model.json')
    }
    const top = await cli(['--help'])
    expect(top.stdout).toContain('wiretrace calibrate <pairs.jsonl>')
  })

  it('usage errors exit 2: no file, two files, --l2 abc, a bad --folds, an unknown option', async () => {
    const help = "Run 'wiretrace calibrate --help' for usage."
    expectCliError(await cli(['calibrate']), 2, 'calibrate takes one pairs file', 'got 0', help)
    expectCliError(await cli(['calibrate', LABELS, LABELS, '--corpus', DATA]), 2, 'calibrate takes one pairs file', 'got 2', help)
    expectCliError(await cli(['calibrate', LABELS, '--corpus', DATA, '--l2', 'abc']), 2, '--l2', "'abc'", help)
    expectCliError(await cli(['calibrate', LABELS, '--corpus', DATA, '--l2=-1']), 2, '--l2', "'-1'")
    expectCliError(await cli(['calibrate', LABELS, '--corpus', DATA, '--folds', '1.5']), 2, '--folds', "'1.5'")
    expectCliError(await cli(['calibrate', LABELS, '--corpus', DATA, '--lambda', '2']), 2, "unknown option '--lambda'", help)
    expectCliError(await cli(['calibrate', LABELS, '--out']), 2, '--out')
  })

  it('a missing pairs file exits 1 and names it', async () => {
    const missing = file('no-such-pairs.jsonl')
    expectCliError(await cli(['calibrate', missing, '--corpus', DATA]), 1, `no such pairs file: ${missing}`)
  })

  it('input errors exit 1 with a message: ids without --corpus, a missing --base, a bad label', async () => {
    expectCliError(await cli(['calibrate', LABELS]), 1, `${LABELS}:1`, 'give the articles with --corpus')
    const missingBase = file('no-base.json')
    expectCliError(
      await cli(['calibrate', LABELS, '--corpus', DATA, '--base', missingBase]),
      1,
      `no such model file: ${missingBase}`,
    )
    const badLabel = file('bad-label.jsonl', `${JSON.stringify({ a: RUDAW, b: AFP, label: 'maybe' })}\n`)
    expectCliError(await cli(['calibrate', badLabel, '--corpus', DATA]), 1, 'label', '"maybe"')
    // Nothing is written when the fit fails.
    const out = file('never.json')
    expectCliError(await cli(['calibrate', badLabel, '--corpus', DATA, '--out', out]), 1, '"maybe"')
    expect(existsSync(out)).toBe(false)
  })
})

describe('--model on scan and diff', () => {
  it('scan --model judges the pairs with the model', async () => {
    const model = await readModel(flippedModel)
    const report = scanReport(await cli(['scan', DATA, '--model', flippedModel, '--format', 'json', '--quiet']))
    expect(report.clusters).toHaveLength(1)
    const cluster = report.clusters[0] as ScanReport['clusters'][number]
    expect(cluster.members.length).toBeGreaterThanOrEqual(2)
    // Each member is as compare() with that model judges it against the reference.
    for (const m of cluster.members) {
      if (m.id === cluster.reference) continue
      const c = compare(analysed(m.id), analysed(cluster.reference), { model })
      expect(m.relation, m.id).toBe(c.relation)
      expect(m.confidence, m.id).toBe(c.confidence)
    }
    for (const l of report.links) {
      const c = compare(analysed(l.a), analysed(l.b), { model })
      expect([l.relation, l.confidence]).toEqual([c.relation, c.confidence])
    }
    // And not as the shipped model does.
    const shipped = scanReport(await cli(['scan', DATA, '--format', 'json', '--quiet']))
    const judged = (r: ScanReport) => JSON.stringify(r.links.map((l) => [l.a, l.b, l.relation, l.confidence]))
    expect(judged(report)).not.toBe(judged(shipped))
  })

  it('scan --model with the model calibrated on the seed labels keeps the AFP story together', async () => {
    const report = scanReport(await cli(['scan', DATA, '--model', seedModel, '--format', 'json', '--quiet']))
    const ids = report.clusters.flatMap((c) => c.members.map((m) => m.id)).sort()
    for (const p of ['000', '001', '003']) expect(ids.some((id) => id.startsWith(p))).toBe(true)
    expect(ids).not.toContain(RUDAW)
  })

  it('scan --model with a corrupt, a foreign or a missing file exits 1 naming it', async () => {
    const corrupt = file('corrupt.json', '{"format": "wiretrace-model", "version": ')
    expectCliError(await cli(['scan', DATA, '--model', corrupt]), 1, `${corrupt}: not JSON`)
    const foreign = file('foreign.json', JSON.stringify({ format: 'wiretrace-state', version: 1 }))
    expectCliError(await cli(['scan', DATA, '--model', foreign]), 1, `${foreign}: `, 'not a wiretrace model')
    const v2 = file('v2.json', JSON.stringify({ ...(await readModel(seedModel)), version: 2 }))
    expectCliError(await cli(['scan', DATA, '--model', v2]), 1, `${v2}: `, 'version 2')
    const missing = file('missing-model.json')
    expectCliError(await cli(['scan', DATA, '--model', missing]), 1, `no such model file: ${missing}`)
  })

  it('diff <ref> <copy> --model judges the pair with the model', async () => {
    const model = await readModel(flippedModel)
    const args = ['diff', seedPath(AFP), seedPath(RUDAW), '--format', 'json']
    const withModel = await cli([...args, '--model', flippedModel])
    expect(withModel.status, withModel.stderr).toBe(0)
    const d = JSON.parse(withModel.stdout) as { kind: string; relation: string }
    expect(d.relation).toBe(compare(analysed(AFP), analysed(RUDAW), { model }).relation)
    // The labels called the Rudaw piece a copy: with the model it links; with the shipped one not.
    expect(linking(d.relation)).toBe(true)
    const shipped = await cli(args)
    expect(shipped.status).toBe(0)
    expect(linking((JSON.parse(shipped.stdout) as { relation: string }).relation)).toBe(false)
    // Text output works too.
    const text = await cli(['diff', seedPath(AFP), seedPath('001_af5f1522f10e024d'), '--model', seedModel])
    expect(text.status, text.stderr).toBe(0)
    expect(text.stdout.length).toBeGreaterThan(0)
  })

  it('diff --model with a corrupt file exits 1 naming it', async () => {
    const corrupt = file('corrupt-diff.json', 'not json at all')
    expectCliError(await cli(['diff', seedPath(AFP), seedPath(RUDAW), '--model', corrupt]), 1, `${corrupt}: not JSON`)
  })
})

describe('the built launcher', () => {
  let launcher: BuiltCli | undefined
  const run = (args: string[]): Promise<Run> => (launcher as BuiltCli).run(args)

  beforeAll(() => {
    launcher = buildCli('calibrate-test-', { timeout: 60_000 })
  }, 120_000)

  afterAll(() => launcher?.remove())

  it('calibrate examples/labels.jsonl --corpus examples/data --out m.json, then scan and diff with --model', async () => {
    const out = file('bin-model.json')
    const cal = await run(['calibrate', 'examples/labels.jsonl', '--corpus', 'examples/data', '--out', out])
    expect(cal.status, cal.stderr).toBe(0)
    expect(cal.stdout).toBe('')
    expect(cal.stderr).toMatch(/^wiretrace: 8 labelled pairs \(whole 3, part 1, none 4\); .*shipped model \d+%, calibrated \d+%/)
    const model = await readModel(out)
    expect(model).toEqual(await readModel(seedModel))

    const scan = await run(['scan', 'examples/data', '--model', out, '--format', 'json'])
    const report = scanReport(scan)
    const inProcess = scanReport(await cli(['scan', DATA, '--model', seedModel, '--format', 'json', '--quiet']))
    expect(report.clusters).toEqual(inProcess.clusters)

    const diff = await run([
      'diff',
      `examples/data/${AFP}.txt`,
      'examples/data/001_af5f1522f10e024d.txt',
      '--model',
      out,
      '--format',
      'json',
    ])
    expect(diff.status, diff.stderr).toBe(0)
    expect((JSON.parse(diff.stdout) as { relation: string }).relation).toBe(
      compare(analysed(AFP), analysed('001_af5f1522f10e024d'), { model }).relation,
    )

    const corrupt = file('bin-corrupt.json', '{')
    const bad = await run(['scan', 'examples/data', '--model', corrupt])
    expectCliError(bad, 1, `${corrupt}: not JSON`)
    expectCliError(await run(['calibrate', 'examples/labels.jsonl', '--l2', 'abc']), 2, '--l2', "'abc'")
  })
})
