import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { runScript } from './helpers/cli.js'

// The built package, imported by name as a user would (self-reference through "exports").
const root = join(dirname(fileURLToPath(import.meta.url)), '..')

const CORE = [
  'BatchStore',
  'CELL_STYLES',
  'DEFAULT_ANALYZE_OPTIONS',
  'DEFAULT_BOILERPLATE_RULES',
  'DEFAULT_DIFF_CLUSTER_OPTIONS',
  'DEFAULT_DIFF_OPTIONS',
  'DEFAULT_DIFF_WORDS_OPTIONS',
  'DEFAULT_HTML_OPTIONS',
  'CSV_COLUMNS',
  'DEFAULT_FILTER_OPTIONS',
  'DEFAULT_INDEX_OPTIONS',
  'DEFAULT_MIN_CONFIDENCE',
  'DEFAULT_TEXT_OPTIONS',
  'DEFAULT_MODEL',
  'FEATURE_NAMES',
  'MODEL_FORMAT',
  'MODEL_VERSION',
  'Detector',
  'LINKING_RELATIONS',
  'LshIndex',
  'MemoryStore',
  'PARAGRAPH_JOINER',
  'PARAGRAPH_THRESHOLDS',
  'RELATION_DESCRIPTIONS',
  'REPORT_FORMAT',
  'REPORT_VERSION',
  'STATUS_STYLES',
  'SharedIndex',
  'WiretraceError',
  'alignParagraphs',
  'analyze',
  'applyChanges',
  'articleHeadline',
  'batchCandidatePairs',
  'buildReport',
  'calibrate',
  'charShingles',
  'classifyParagraph',
  'clusterAnalyses',
  'clusterArticles',
  'collisionProbability',
  'compare',
  'containmentFromJaccard',
  'deserializeFingerprint',
  'detectLanguage',
  'diffArticles',
  'diffCluster',
  'diffWords',
  'escapeHtml',
  'estimateJaccard',
  'extractAnchors',
  'filterReport',
  'fitModel',
  'fmix32',
  'formatDiffText',
  'formatCsv',
  'formatText',
  'greedyTiles',
  'hashString',
  'hashTokens',
  'identifyLanguage',
  'keepList',
  'learnBoilerplate',
  'loadModel',
  'memberDiff',
  'minhash',
  'nameKey',
  'normalizeNumber',
  'normalizeText',
  'optimalParams',
  'parseReport',
  'renderDiffHtml',
  'renderHtml',
  'sameWording',
  'segmentParagraphs',
  'serializeFingerprint',
  'signText',
  'tokenize',
  'validateArticle',
  'wordShingles',
  'wordTokens',
].sort()

const NODE = [
  'analyzeParallel',
  'clusterArticlesParallel',
  'clusterCorpus',
  'loadIndex',
  'loadState',
  'parseJsonArticles',
  'readArticles',
  'readLabelledPairs',
  'readModel',
  'recordToArticle',
  'saveIndex',
  'saveState',
  'writeModel',
].sort()

function keysOf(specifier: string, mode: 'esm' | 'cjs'): string[] {
  const code =
    mode === 'esm'
      ? `import(${JSON.stringify(specifier)}).then((m) => console.log(JSON.stringify(Object.keys(m).sort())))`
      : `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(specifier)})).sort()))`
  const r = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout) as string[]
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist/index.js'))) {
    const r = spawnSync(process.execPath, [join(root, 'node_modules/tsup/dist/cli-default.js'), '--silent'], {
      cwd: root,
      encoding: 'utf8',
    })
    if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`)
  }
})

describe('the built package', () => {
  it('exports the core API by name, from ESM and CJS alike', () => {
    expect(keysOf('wiretrace', 'esm')).toEqual(CORE)
    expect(keysOf('wiretrace', 'cjs')).toEqual(CORE)
  })

  it('exports the Node entry point', () => {
    expect(keysOf('wiretrace/node', 'esm')).toEqual(NODE)
    expect(keysOf('wiretrace/node', 'cjs')).toEqual(NODE)
  })

  it('declares types under every export condition, side effects only in the entries that hand over the language model, Node >= 20', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    // A bundler must run the entries' top level (setNgramModel), and may drop any other module it does not use.
    expect(pkg.sideEffects).toEqual(['./dist/index.js', './dist/index.cjs', './dist/node.js', './dist/node.cjs'])
    expect(pkg.engines.node).toBe('>=20')
    for (const [entry, conditions] of Object.entries(pkg.exports as Record<string, unknown>)) {
      if (entry === './package.json') continue
      for (const c of Object.values(conditions as Record<string, { types: string; default: string }>)) {
        expect(existsSync(join(root, c.types)), `${entry} ${c.types}`).toBe(true)
        expect(existsSync(join(root, c.default)), `${entry} ${c.default}`).toBe(true)
      }
    }
    // Heavy or optional packages are never runtime dependencies of the core.
    expect(Object.keys(pkg.dependencies ?? {})).not.toContain('ioredis')
    expect(Object.keys(pkg.dependencies ?? {})).not.toContain('natural')
    expect(Object.keys(pkg.dependencies ?? {})).not.toContain('minhash')
  })

  it('starts the CLI without loading tinyld (about 0.3 s), which the package entry loads', () => {
    // An import hook that prints each time 'tinyld' is resolved as an ES module.
    const hook =
      'export async function resolve(s, c, next) { if (s === "tinyld") console.log("RESOLVED tinyld"); return next(s, c) }'
    const register = `data:text/javascript,import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${hook}`)})`
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', register, ...args], { cwd: root, encoding: 'utf8' })
    const cli = run(['bin/wiretrace.js', '--version'])
    expect(cli.status, cli.stderr).toBe(0)
    expect(cli.stdout).not.toContain('RESOLVED tinyld')
    const entry = run(['-e', "import('wiretrace').then(() => console.log('imported'))"])
    expect(entry.stdout).toContain('RESOLVED tinyld')
    expect(entry.stdout).toContain('imported')
  })

  it('ships no source maps, and the README says so and names every runtime dependency with why', () => {
    const maps = readdirSync(join(root, 'dist')).filter((f) => f.endsWith('.map'))
    expect(maps).toEqual([])
    for (const f of readdirSync(join(root, 'dist')).filter((f) => /\.c?js$/.test(f)))
      expect(readFileSync(join(root, 'dist', f), 'utf8'), f).not.toContain('sourceMappingURL')
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('## Using the library'))
    for (const dep of Object.keys(pkg.dependencies)) expect(install, dep).toContain(`\`${dep}\``)
    expect(install).toMatch(/`tinyld` \(about 12 MB installed/)
    expect(install).toMatch(/without source maps/)
  })

  it('runs the bundled example (npm run example) on the built package: the AFP cluster, each outlet, 004 apart and why', () => {
    const html = join(root, 'examples/out/seeds-report.html')
    rmSync(html, { force: true })
    const stdout = runScript('examples/seeds.ts')
    expect(stdout).toMatch(/Cluster 003: 4 articles, reference 003/)
    expect(stdout).toMatch(/^ {2}000 {2}partial +carries \d+% of the reference/m)
    expect(stdout).toMatch(/^ {2}001 {2}copy +carries \d+% of the reference, 0% of its own text/m)
    expect(stdout).toMatch(/^ {2}002 {2}translation carries \d+% of the reference/m)
    expect(stdout).toMatch(/^Not in any cluster: 004 \(Rudaw/m)
    expect(stdout).toMatch(/^ {2}against 003: related \(same story, independent text: \d+ names and figures shared/m)
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/i)
  })

  it('keeps the core free of Node built-ins, so it runs in a browser', () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))
    const seen = new Set<string>()
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      const src = readFileSync(join(root, 'dist', file), 'utf8')
      for (const m of src.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1] as string
        expect(builtins.has(spec), `${file} imports ${spec}`).toBe(false)
        if (spec.startsWith('./')) visit(spec.slice(2))
      }
    }
    visit('index.js')
    expect(seen.size).toBeGreaterThan(1)
  })
})
