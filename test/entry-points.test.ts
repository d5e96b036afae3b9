// Every public entry point (wiretrace, wiretrace/node, wiretrace/redis), called with a non-array,
// null, undefined and objects of the wrong shape in each argument: a WiretraceError with a code
// and a message that names the argument, never a raw TypeError. The table must cover every export.
import { describe, expect, it } from 'vitest'
import { WiretraceError } from '../src/errors.js'
import * as core from '../src/index.js'
import * as node from '../src/node/index.js'
import * as redis from '../src/redis/index.js'
import { seed } from './helpers/seeds.js'

type Kind = 'string' | 'number' | 'array' | 'optionalArray' | 'arrayOrPath' | 'iterable' | 'numbers' | 'options' | 'object'

const JUNK: Record<Kind, unknown[]> = {
  string: [null, undefined, 42, { wrong: 'shape' }, ['a']],
  number: [null, undefined, '1', { wrong: 'shape' }],
  array: [null, undefined, 42, 'text', { wrong: 'shape' }, new Set([1])],
  optionalArray: [null, 42, 'text', { wrong: 'shape' }],
  arrayOrPath: [null, undefined, 42, { wrong: 'shape' }],
  iterable: [null, undefined, 42, 'text', { wrong: 'shape' }, [null, 42]],
  numbers: [null, undefined, 42, 'text', { wrong: 'shape' }],
  options: [null, 42, 'text', ['a']],
  object: [null, undefined, 42, 'text', { wrong: 'shape' }, []],
}

const ok = core.analyze(seed('001'))
const ref = core.analyze(seed('003'))
if (ok.status !== 'ok' || ref.status !== 'ok') throw new Error('seeds did not analyse')
const result = core.clusterArticles([seed('001'), seed('003')])
const clusterDiff = core.diffCluster(result.clusters[0] as core.Cluster, [ok, ref])
const articleDiff = core.diffArticles(ref, ok)
const report = core.buildReport(result)
const tmp = `/tmp/wiretrace-entry-${process.pid}`

/**
 * An argument: its name, what it must be, a valid value, and what the message says to name it
 * (the name, unless the message names it by what it should be: "not a wiretrace model").
 */
type Arg = [name: string, kind: Kind, valid: unknown, says?: string]
const text: Arg = ['text', 'string', 'Rebels entered Homs.']

/** Each function export and its arguments, in order. */
const FUNCTIONS: Record<string, Arg[]> = {
  // text
  analyze: [
    ['article', 'object', seed('001')],
    ['options', 'options', {}],
  ],
  validateArticle: [['article', 'object', seed('001')]],
  extractAnchors: [text, ['tuning', 'options', undefined]],
  nameKey: [['word', 'string', 'Homs']],
  learnBoilerplate: [
    ['articles', 'iterable', [seed('001')]],
    ['options', 'options', {}],
  ],
  detectLanguage: [text],
  identifyLanguage: [text],
  normalizeText: [text, ['options', 'options', {}]],
  classifyParagraph: [text, ['index', 'number', 0]],
  segmentParagraphs: [text],
  hashTokens: [['s', 'string', 'Homs']],
  normalizeNumber: [['raw', 'string', '1,000']],
  tokenize: [['s', 'string', 'Homs']],
  // sketch
  fmix32: [['h', 'number', 1]],
  hashString: [['s', 'string', 'Homs']],
  containmentFromJaccard: [
    ['j', 'number', 0.5],
    ['sizeA', 'number', 10],
    ['sizeB', 'number', 10],
  ],
  estimateJaccard: [
    ['a', 'numbers', new Uint32Array(4)],
    ['b', 'numbers', new Uint32Array(4)],
  ],
  minhash: [
    ['hashes', 'numbers', new Uint32Array(4)],
    ['numPerm', 'number', 8],
  ],
  deserializeFingerprint: [
    ['json', 'object', core.serializeFingerprint(ok.fingerprint), 'not a serialized wiretrace fingerprint'],
  ],
  serializeFingerprint: [['fp', 'object', ok.fingerprint]],
  charShingles: [
    ['s', 'string', 'Homs'],
    ['k', 'number', 3],
  ],
  wordShingles: [
    ['tokens', 'numbers', new Uint32Array(4)],
    ['k', 'number', 3],
  ],
  signText: [text, ['options', 'options', {}]],
  // lsh
  batchCandidatePairs: [['keysPerDoc', 'array', [new Float64Array(2)]]],
  collisionProbability: [
    ['s', 'number', 0.5],
    ['params', 'object', { bands: 20, rows: 5 }],
  ],
  optimalParams: [
    ['threshold', 'number', 0.5],
    ['numPerm', 'number', 128],
  ],
  // compare
  alignParagraphs: [
    ['pa', 'array', ok.paragraphs],
    ['pb', 'array', ref.paragraphs],
  ],
  calibrate: [
    ['pairs', 'iterable', [{ a: seed('001'), b: seed('003'), label: true }]],
    ['options', 'options', {}],
  ],
  compare: [
    ['a', 'object', ok],
    ['b', 'object', ref],
  ],
  fitModel: [
    ['examples', 'array', [{ x: core.FEATURE_NAMES.map(() => 0), label: 'none' }]],
    ['options', 'options', {}],
  ],
  loadModel: [['json', 'object', core.DEFAULT_MODEL, 'not a wiretrace model']],
  greedyTiles: [
    ['a', 'numbers', [1, 2, 3]],
    ['b', 'numbers', [1, 2, 3]],
    ['minLength', 'number', 2],
  ],
  // cluster
  clusterAnalyses: [
    ['analyses', 'array', [ok]],
    ['skipped', 'array', []],
    ['total', 'number', 1],
    ['options', 'options', {}],
  ],
  clusterArticles: [
    ['articles', 'iterable', [seed('001')]],
    ['options', 'options', {}],
  ],
  // diff
  applyChanges: [
    ['reference', 'string', 'a b'],
    ['changes', 'array', []],
  ],
  diffArticles: [
    ['reference', 'object', ref],
    ['copy', 'object', ok],
    ['options', 'options', {}],
  ],
  diffCluster: [
    ['cluster', 'object', result.clusters[0]],
    ['analyses', 'iterable', [ok, ref]],
    ['options', 'options', {}],
  ],
  memberDiff: [
    ['diff', 'object', clusterDiff],
    ['copy', 'string', '001'],
  ],
  diffWords: [
    ['reference', 'string', 'a b'],
    ['copy', 'string', 'a c'],
  ],
  wordTokens: [text],
  // report
  buildReport: [
    ['result', 'object', result],
    ['diffs', 'optionalArray', [clusterDiff]],
    ['options', 'options', {}],
  ],
  escapeHtml: [text],
  formatText: [['report', 'object', report]],
  formatCsv: [['report', 'object', report]],
  keepList: [['report', 'object', report]],
  filterReport: [
    ['report', 'object', report],
    ['options', 'options', {}],
  ],
  sameWording: [
    ['a', 'string', 'a b'],
    ['b', 'string', 'a b'],
  ],
  formatDiffText: [['diff', 'object', articleDiff]],
  parseReport: [['json', 'object', report, 'report: ']],
  renderHtml: [['report', 'object', report]],
  renderDiffHtml: [['diff', 'object', articleDiff]],
  // wiretrace/node
  readArticles: [
    ['input', 'string', 'examples/data'],
    ['options', 'options', {}],
  ],
  recordToArticle: [
    // The message names the record by its place.
    ['record', 'object', { id: 'a', text: 'x' }, 'here: '],
    ['where', 'string', 'here'],
    ['options', 'options', {}],
  ],
  parseJsonArticles: [
    ['text', 'string', '[]'],
    ['name', 'string', 'x.json'],
  ],
  readLabelledPairs: [['path', 'string', 'examples/labels.jsonl']],
  readModel: [['path', 'string', '/nonexistent.json']],
  writeModel: [
    ['model', 'object', core.DEFAULT_MODEL],
    ['path', 'string', `${tmp}-model.json`],
  ],
  analyzeParallel: [
    ['articles', 'array', [seed('001')]],
    ['options', 'options', { workers: 1 }],
  ],
  clusterArticlesParallel: [
    ['articles', 'array', [seed('001')]],
    ['options', 'options', { workers: 1 }],
  ],
  clusterCorpus: [
    ['input', 'arrayOrPath', [seed('001')]],
    ['options', 'options', { workers: 1 }],
  ],
  loadState: [['path', 'string', `${tmp}-none.idx`]],
  saveState: [
    ['path', 'string', `${tmp}-state.idx`],
    ['entries', 'array', []],
  ],
  saveIndex: [
    ['index', 'object', new core.LshIndex()],
    ['path', 'string', `${tmp}-lsh.idx`],
  ],
  loadIndex: [['path', 'string', `${tmp}-none.idx`]],
  // wiretrace/redis (checked before any connection)
  resolveRedisStoreOptions: [['options', 'options', { url: 'redis://127.0.0.1:1' }]],
  createRedisStore: [['options', 'options', undefined]],
}

/** Constructors (and static methods) and their arguments. */
const CLASSES: Record<string, Arg[]> = {
  LshIndex: [['options', 'options', {}]],
  'LshIndex.load': [['bytes', 'object', new core.LshIndex().save(), 'index snapshot must be a Uint8Array']],
  SharedIndex: [
    ['store', 'object', new core.MemoryStore()],
    ['options', 'options', {}],
  ],
  Detector: [['options', 'options', {}]],
}

/** Exports with no argument to check, and why. */
const EXEMPT: Record<string, string> = {
  WiretraceError: 'the error class itself',
  MemoryStore: 'takes no arguments',
  BatchStore: 'takes no arguments',
  RedisStore: 'private constructor: createRedisStore makes one',
  articleHeadline: 'undefined is a valid analysis (no headline); other bad values are refused (test/report/metadata.test.ts)',
}

const modules = { core, node, redis } as Record<string, Record<string, unknown>>
const exported = Object.entries(modules).flatMap(([m, mod]) =>
  Object.entries(mod)
    .filter(([, v]) => typeof v === 'function')
    .map(([name]) => ({ module: m, name })),
)
const fn = (name: string): ((...args: unknown[]) => unknown) => {
  const [cls, method] = name.split('.') as [string, string | undefined]
  for (const mod of Object.values(modules)) {
    const v = mod[cls]
    if (v === undefined) continue
    if (method) return (...args) => (v as Record<string, (...a: unknown[]) => unknown>)[method]?.(...args)
    if (/^[A-Z]/.test(cls)) return (...args) => new (v as new (...a: unknown[]) => unknown)(...args)
    return v as (...args: unknown[]) => unknown
  }
  throw new Error(`no export ${cls}`)
}

async function outcome(f: () => unknown): Promise<unknown> {
  try {
    await f()
    return undefined
  } catch (e) {
    return e
  }
}

describe('public entry points', () => {
  it('the table covers every exported function and class', () => {
    const covered = new Set([...Object.keys(FUNCTIONS), ...Object.keys(CLASSES), ...Object.keys(EXEMPT)])
    expect(exported.filter((e) => !covered.has(e.name))).toEqual([])
  })

  const cases = Object.entries({ ...FUNCTIONS, ...CLASSES }).flatMap(([name, args]) =>
    args.flatMap(([arg, kind, , says], position) =>
      JUNK[kind].map((bad) => ({ name, arg, position, bad, args, says: says ?? arg })),
    ),
  )

  it.each(cases)('$name: $arg = $bad is a WiretraceError naming $arg', async ({ name, arg, position, bad, args, says }) => {
    const values = args.map((a) => a[2])
    values[position] = bad
    const e = await outcome(() => fn(name)(...values))
    expect(e, `${name}(${arg} = ${String(bad)}) did not throw`).toBeInstanceOf(WiretraceError)
    expect((e as WiretraceError).code).toMatch(/^[A-Z_]+$/)
    expect((e as WiretraceError).message).toMatch(/^wiretrace: /)
    expect((e as WiretraceError).message).toContain(says)
  })
})

describe('article ids: one rule for the library and the CLI', () => {
  it('an integer id is its decimal string', () => {
    const a = core.analyze({ id: 7 as unknown as string, text: 'Rebels entered Homs on Saturday morning.' })
    expect(a.id).toBe('7')
    expect(core.validateArticle({ id: 0, text: 'x' }).id).toBe('0')
    expect(node.recordToArticle({ id: 7, text: 'x' }, 'here').id).toBe('7')
    const r = core.clusterArticles([
      { id: 1 as unknown as string, text: seed('001').text },
      { id: '3', text: seed('003').text },
    ])
    expect(r.clusters[0]?.members.map((m) => m.id).sort()).toEqual(['1', '3'])
  })

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, -0.5])('refuses the non-integer id %s on both sides', (id) => {
    const lib = (() => {
      try {
        core.validateArticle({ id, text: 'x' })
      } catch (e) {
        return e as WiretraceError
      }
    })()
    expect(lib?.code).toBe('INVALID_ARTICLE')
    expect(lib?.message).toContain('id must be a non-empty string or an integer')
    expect(() => node.recordToArticle({ id, text: 'x' }, 'feed.jsonl:3')).toThrow(
      /feed\.jsonl:3: "id" must be a string or an integer/,
    )
  })
})
