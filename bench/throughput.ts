/**
 * `npm run bench -- sign`: signing throughput per core, stage by stage (normalize, tokenize,
 * shingle, dedupe, MinHash) and end to end (`signText`, raw text → signature), with full `analyze`
 * for comparison; the npm `minhash` package on the same shingles; and the Jaccard estimate error
 * of both schemes (and of npm `minhash`) against exact Jaccard on Reuters pairs.
 */
import { createRequire } from 'node:module'
import type { Article } from '../src/analyze.js'
import { analyze } from '../src/analyze.js'
import { batchCandidatePairs } from '../src/lsh/batch.js'
import { combine, fmix32 } from '../src/sketch/hash.js'
import { estimateJaccard, type MinHashScheme, minhash } from '../src/sketch/minhash.js'
import { intersectionSize, toSortedSet, wordShingles } from '../src/sketch/shingle.js'
import { signText } from '../src/sketch/sign.js'
import { normalizeText } from '../src/text/normalize.js'
import { scanTokens } from '../src/text/tokenize.js'
import {
  type BenchFlags,
  fmt,
  loadCorpus,
  type Measured,
  measure,
  measurePerCall,
  median,
  ratio,
  section,
  table,
  time,
} from './common.js'
import { mulberry32 } from './generate.js'

/** The npm `minhash` package (0.0.9) has no types: the part of its API we use. */
interface NpmMinhash {
  update(s: string): void
  jaccard(other: NpmMinhash): number
  hashvalues: number[]
}
const require = createRequire(import.meta.url)
const { Minhash } = require('minhash') as { Minhash: new (config?: { numPerm?: number; seed?: number }) => NpmMinhash }

const NUM_PERM = 128
const SEED = 1
const K = 3

/** A document cut up the way `signText` cuts it, kept for the stage timings. */
interface Prepared {
  article: Article
  bytes: number
  /** Non-empty normalised lines. */
  norm: string[]
  /** Token hashes of each normalised line that has a token. */
  lineTokens: Uint32Array[]
  /** All shingle hashes, in order, as `signText` signs them. */
  shingles: Uint32Array
}

function prepare(article: Article): Prepared {
  const norm: string[] = []
  const lineTokens: Uint32Array[] = []
  const parts: Uint32Array[] = []
  for (const line of article.text.split('\n')) {
    const n = normalizeText(line)
    if (n === '') continue
    norm.push(n)
    const toks: number[] = []
    scanTokens(n, (h) => toks.push(h))
    if (toks.length === 0) continue
    const t = Uint32Array.from(toks)
    lineTokens.push(t)
    parts.push(wordShingles(t, K, SEED))
  }
  let total = 0
  for (const p of parts) total += p.length
  const shingles = new Uint32Array(total)
  let o = 0
  for (const p of parts) {
    shingles.set(p, o)
    o += p.length
  }
  return { article, bytes: Buffer.byteLength(article.text), norm, lineTokens, shingles }
}

/** The same shingles as strings (tokens joined by a space), for the npm `minhash` package. */
function shingleStrings(p: Prepared): string[] {
  const out: string[] = []
  for (const line of p.norm) {
    const toks: string[] = []
    scanTokens(line, (_h, s, e) => toks.push(line.slice(s, e)))
    if (toks.length === 0) continue
    if (toks.length < K) out.push(toks.join(' '))
    else for (let i = 0; i + K <= toks.length; i++) out.push(toks.slice(i, i + K).join(' '))
  }
  return out
}

function npmSign(strings: readonly string[]): NpmMinhash {
  const m = new Minhash({ numPerm: NUM_PERM })
  for (const s of strings) m.update(s)
  return m
}

let sink = 0
let buffer = new Uint32Array(1 << 16)

function ensure(n: number): void {
  if (buffer.length < n) buffer = new Uint32Array(Math.max(n, buffer.length * 2))
}

interface Stage {
  name: string
  what: string
  /** Only the first `subset` documents (slow stages). */
  subset?: number
  run: (docs: readonly Prepared[]) => void
}

const STAGES: Stage[] = [
  {
    name: 'normalize',
    what: 'split lines + `normalizeText` per line',
    run: (docs) => {
      for (const d of docs) for (const line of d.article.text.split('\n')) sink += normalizeText(line).length
    },
  },
  {
    name: 'tokenize',
    what: '`scanTokens` (hash per token) on normalised lines',
    run: (docs) => {
      for (const d of docs) {
        for (const line of d.norm) {
          let n = 0
          ensure(line.length + 1)
          scanTokens(line, (h) => {
            buffer[n++] = h
          })
          sink += n
        }
      }
    },
  },
  {
    name: 'shingle',
    what: '`wordShingles` (k = 3) per line into one buffer',
    run: (docs) => {
      for (const d of docs) {
        let n = 0
        ensure(d.shingles.length + 1)
        for (const t of d.lineTokens) {
          const s = wordShingles(t, K, SEED)
          buffer.set(s, n)
          n += s.length
        }
        sink += n
      }
    },
  },
  {
    name: 'dedupe',
    what: 'sort + distinct (`toSortedSet`), for the shingle count',
    run: (docs) => {
      for (const d of docs) sink += toSortedSet(d.shingles).length
    },
  },
  {
    name: 'sign oph',
    what: '`minhash(shingles, 128, 1, "oph")`',
    run: (docs) => {
      for (const d of docs) sink += minhash(d.shingles, NUM_PERM, SEED, 'oph')[0] as number
    },
  },
  {
    name: 'sign kperm',
    what: '`minhash(shingles, 128, 1, "kperm")`',
    run: (docs) => {
      for (const d of docs) sink += minhash(d.shingles, NUM_PERM, SEED, 'kperm')[0] as number
    },
  },
  {
    name: 'end to end oph',
    what: '`signText(text)`: raw text → signature',
    run: (docs) => {
      for (const d of docs) sink += signText(d.article.text).shingleCount
    },
  },
  {
    name: 'end to end kperm',
    what: '`signText(text, { scheme: "kperm" })`',
    run: (docs) => {
      for (const d of docs) sink += signText(d.article.text, { scheme: 'kperm' }).shingleCount
    },
  },
  {
    name: 'analyze',
    what: '`analyze(article)`: paragraphs, boilerplate, anchors, language, per-paragraph sets and signatures',
    subset: 4000,
    run: (docs) => {
      for (const d of docs) sink += analyze(d.article).status.length
    },
  },
]

export async function benchSign(flags: BenchFlags): Promise<void> {
  const articles = await loadCorpus(flags)
  const tPrep = performance.now()
  const docs = articles.map(prepare).filter((d) => d.shingles.length > 0)
  const prepSeconds = (performance.now() - tPrep) / 1000
  const totalBytes = docs.reduce((s, d) => s + d.bytes, 0)

  // signText must sign exactly the shingles the stages produce, or the stage figures mean nothing.
  let mismatched = 0
  for (const d of docs) {
    const a = signText(d.article.text).signature
    const b = minhash(d.shingles, NUM_PERM, SEED, 'oph')
    if (a.some((x, i) => x !== b[i])) mismatched++
  }

  // Warm up every stage on a small slice, then interleave the timed repetitions.
  for (const s of STAGES) s.run(docs.slice(0, 500))
  const runs = new Map<string, Measured[]>(STAGES.map((s) => [s.name, []]))
  for (let r = 0; r < flags.reps; r++) {
    for (const s of STAGES) {
      const slice = s.subset ? docs.slice(0, s.subset) : docs
      runs.get(s.name)?.push(measure(() => s.run(slice)))
    }
  }
  const wall = (name: string) => median((runs.get(name) as Measured[]).map((m) => m.wall))
  const cpu = (name: string) => median((runs.get(name) as Measured[]).map((m) => m.cpu))
  const rows: (string | number)[][] = []
  const e2e = wall('end to end oph')
  for (const s of STAGES) {
    const slice = s.subset ? docs.slice(0, s.subset) : docs
    const bytes = slice.reduce((x, d) => x + d.bytes, 0)
    const sec = wall(s.name)
    const perDoc = sec / slice.length
    rows.push([
      s.name,
      fmt(bytes / 1e6 / sec, 1),
      fmt(bytes / 1e6 / cpu(s.name), 1),
      fmt(slice.length / sec, 0),
      fmt(perDoc * 1e6, 1),
      ratio((perDoc * docs.length) / e2e),
      s.what,
    ])
  }
  section(
    'sign: throughput per core (one thread)',
    table(['stage', 'MB/s', 'MB/s per CPU-second', 'docs/s', 'µs/doc', 'time vs end to end oph', 'what'], rows, [
      'l',
      'r',
      'r',
      'r',
      'r',
      'r',
      'l',
    ]),
    [
      `Corpus: ${docs.length.toLocaleString('en-US')} documents, ${fmt(totalBytes / 1e6, 1)} MB of UTF-8 text ` +
        `(${fmt(totalBytes / docs.length, 0)} bytes/doc, ${fmt(docs.reduce((s, d) => s + d.shingles.length, 0) / docs.length, 0)} shingles/doc); ` +
        `median of ${flags.reps} interleaved runs (wall clock; the CPU-second column divides by this process's CPU time, what one core gives on a shared machine). MB/s is raw input text bytes per second for every stage, so stage ` +
        `times add up to about the end-to-end time. analyze runs on the first ${Math.min(4000, docs.length)} documents.`,
      `Check: signText's signature equals minhash() of the stage shingles for ${docs.length - mismatched}/${docs.length} documents.` +
        ` (Preparing the stage inputs took ${fmt(prepSeconds, 1)} s.)`,
    ],
  )

  await benchBaseline(docs, flags)
  benchError(docs)
  if (sink === 42) console.log('')
}

/** npm `minhash` against ours on the same documents and the same shingles. */
async function benchBaseline(docs: readonly Prepared[], flags: BenchFlags): Promise<void> {
  // Size the subset so that the npm package runs for about --minhash-seconds.
  const probe = docs.slice(0, 50)
  const probeStrings = probe.map(shingleStrings)
  npmSign(probeStrings[0] as string[])
  const perDoc =
    time(() => {
      for (const s of probeStrings) npmSign(s)
    }) / probe.length
  const n = Math.max(50, Math.min(docs.length, Math.round(flags.minhashSeconds / perDoc)))
  const subset = docs.slice(0, n)
  const strings = subset.map(shingleStrings)
  const shingles = strings.reduce((s, x) => s + x.length, 0)
  const bytes = subset.reduce((s, d) => s + d.bytes, 0)
  const npm = measure(() => {
    for (const s of strings) npmSign(s)
  })
  const ours = (scheme: MinHashScheme) =>
    measurePerCall(() => {
      for (const d of subset) sink += minhash(d.shingles, NUM_PERM, SEED, scheme)[0] as number
    }, 1)
  const oph = ours('oph')
  const kperm = ours('kperm')
  const endToEnd = measurePerCall(() => {
    for (const d of subset) sink += signText(d.article.text).shingleCount
  }, 1)
  const analyzeSeconds = measurePerCall(() => {
    for (const d of subset) sink += analyze(d.article).status.length
  }, 1)
  const row = (name: string, input: string, m: Measured) => [
    name,
    input,
    fmt(n / m.wall, 0),
    fmt(shingles / m.wall / 1e6, 2),
    fmt(bytes / 1e6 / m.wall, 2),
    ratio(npm.wall / m.wall),
    ratio(npm.cpu / m.cpu),
  ]
  section(
    'sign: against the npm `minhash` package (0.0.9), same documents, same shingles, 128 permutations',
    table(
      ['implementation', 'input', 'docs/s', 'M shingles/s', 'MB/s of text', 'docs/s vs npm (wall)', 'vs npm (CPU time)'],
      [
        row('npm `minhash`: `new Minhash({numPerm: 128})`, `update()` per shingle', 'shingle strings (built beforehand)', npm),
        row('wiretrace `minhash(…, "oph")`', 'shingle hashes', oph),
        row('wiretrace `minhash(…, "kperm")`', 'shingle hashes', kperm),
        row('wiretrace `signText` (oph), end to end', 'raw text', endToEnd),
        row('wiretrace `analyze`, everything', 'raw text', analyzeSeconds),
      ],
      ['l', 'l', 'r', 'r', 'r', 'r', 'r'],
    ),
    [
      `Subset: the first ${n.toLocaleString('en-US')} documents (${shingles.toLocaleString('en-US')} shingles), sized so that npm ` +
        `minhash runs about ${flags.minhashSeconds} s (it took ${fmt(npm.wall, 1)} s). npm minhash re-hashes the shingle string ` +
        `once per permutation: O(n·k·|shingle|). Ours were repeated until ≥ 1 s and averaged. The last column compares CPU seconds, robust to other load on the machine.`,
    ],
  )
}

const BINS = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.000001]
const PAIRS_PER_BIN = 400
const NPM_PAIRS_PER_BIN = 40

interface ErrorStats {
  n: number
  mae: number
  rmse: number
  bias: number
}

function errorStats(errors: readonly number[]): ErrorStats {
  const n = errors.length
  if (n === 0) return { n, mae: Number.NaN, rmse: Number.NaN, bias: Number.NaN }
  let abs = 0
  let sq = 0
  let sum = 0
  for (const e of errors) {
    abs += Math.abs(e)
    sq += e * e
    sum += e
  }
  return { n, mae: abs / n, rmse: Math.sqrt(sq / n), bias: sum / n }
}

/** Jaccard estimate error of oph, kperm and npm minhash against the exact Jaccard of the shingle sets. */
function benchError(docs: readonly Prepared[]): void {
  const sets = docs.map((d) => toSortedSet(d.shingles))
  const exact = (a: number, b: number) => {
    const x = sets[a] as Uint32Array
    const y = sets[b] as Uint32Array
    const i = intersectionSize(x, y)
    return i / (x.length + y.length - i)
  }
  // Pairs with some overlap, found with signatures of another seed (so that the pairs chosen do
  // not depend on the seed-1 signatures whose error we measure): 32 bands × 4 rows.
  const keys = sets.map((s) => {
    const sig = minhash(s, NUM_PERM, 99, 'oph')
    const out = new Float64Array(32)
    for (let b = 0; b < 32; b++) {
      let h = b
      for (let r = 0; r < 4; r++) h = combine(h, sig[b * 4 + r] as number)
      out[b] = b * 4294967296 + fmix32(h)
    }
    return out
  })
  const { pairs } = batchCandidatePairs(keys, 500)
  const rng = mulberry32(7)
  const bins: [number, number, number][][] = BINS.slice(1).map(() => [])
  const place = (a: number, b: number) => {
    const j = exact(a, b)
    const bin = BINS.findIndex((edge, i) => i > 0 && j < edge) - 1
    bins[bin]?.push([a, b, j])
  }
  for (let i = 0; i < pairs.length; i += 2) place(pairs[i] as number, pairs[i + 1] as number)
  for (let i = 0; i < 20000; i++) {
    const a = Math.floor(rng() * sets.length)
    const b = Math.floor(rng() * sets.length)
    if (a !== b) place(a, b)
  }
  const sigs = new Map<string, Uint32Array>()
  const sig = (d: number, scheme: MinHashScheme) => {
    const key = `${scheme}:${d}`
    let s = sigs.get(key)
    if (!s) sigs.set(key, (s = minhash(docs[d]?.shingles as Uint32Array, NUM_PERM, SEED, scheme)))
    return s
  }
  const npm = new Map<number, NpmMinhash>()
  const npmSig = (d: number) => {
    let m = npm.get(d)
    if (!m) npm.set(d, (m = npmSign(shingleStrings(docs[d] as Prepared))))
    return m
  }
  const rows: (string | number)[][] = []
  const all = { oph: [] as number[], kperm: [] as number[], npm: [] as number[], var: [] as number[], j: [] as number[] }
  const cell = (s: ErrorStats) =>
    s.n === 0 ? '–' : `${s.mae.toFixed(4)} / ${s.rmse.toFixed(4)} / ${s.bias >= 0 ? '+' : ''}${s.bias.toFixed(4)}`
  bins.forEach((found, b) => {
    // a seeded shuffle, then the first PAIRS_PER_BIN
    for (let i = found.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1))
      ;[found[i], found[j]] = [found[j] as [number, number, number], found[i] as [number, number, number]]
    }
    const chosen = found.slice(0, PAIRS_PER_BIN)
    const e = { oph: [] as number[], kperm: [] as number[], npm: [] as number[] }
    let varSum = 0
    let jSum = 0
    chosen.forEach(([x, y, j], i) => {
      e.oph.push(estimateJaccard(sig(x, 'oph'), sig(y, 'oph')) - j)
      e.kperm.push(estimateJaccard(sig(x, 'kperm'), sig(y, 'kperm')) - j)
      if (i < NPM_PAIRS_PER_BIN) e.npm.push(npmSig(x).jaccard(npmSig(y)) - j)
      varSum += (j * (1 - j)) / NUM_PERM
      jSum += j
      all.var.push((j * (1 - j)) / NUM_PERM)
      all.j.push(j)
    })
    all.oph.push(...e.oph)
    all.kperm.push(...e.kperm)
    all.npm.push(...e.npm)
    const se = Math.sqrt(varSum / Math.max(1, chosen.length))
    const oph = errorStats(e.oph)
    const kperm = errorStats(e.kperm)
    rows.push([
      `[${BINS[b]}, ${b === BINS.length - 2 ? '1' : BINS[b + 1]}${b === BINS.length - 2 ? ']' : ')'}`,
      chosen.length,
      chosen.length ? (jSum / chosen.length).toFixed(3) : '–',
      se.toFixed(4),
      cell(oph),
      chosen.length ? ratio(oph.rmse / se) : '–',
      cell(kperm),
      chosen.length ? ratio(kperm.rmse / se) : '–',
      `${cell(errorStats(e.npm))} (${e.npm.length})`,
    ])
  })
  const se = Math.sqrt(all.var.reduce((s, v) => s + v, 0) / all.var.length)
  const oph = errorStats(all.oph)
  const kperm = errorStats(all.kperm)
  rows.push([
    '**all**',
    all.oph.length,
    (all.j.reduce((s, v) => s + v, 0) / all.j.length).toFixed(3),
    se.toFixed(4),
    cell(oph),
    ratio(oph.rmse / se),
    cell(kperm),
    ratio(kperm.rmse / se),
    `${cell(errorStats(all.npm))} (${all.npm.length})`,
  ])
  section(
    'sign: Jaccard estimate error against exact Jaccard (128 values), Reuters pairs',
    table(
      [
        'exact J',
        'pairs',
        'mean J',
        'theory SE √(J(1−J)/128)',
        'oph MAE / RMSE / bias',
        'oph RMSE vs SE',
        'kperm MAE / RMSE / bias',
        'kperm RMSE vs SE',
        'npm minhash MAE / RMSE / bias (pairs)',
      ],
      rows,
    ),
    [
      `Pairs: ${(pairs.length / 2).toLocaleString('en-US')} LSH candidates found with seed-99 signatures (32 bands × 4 rows, ` +
        'independent of the seed-1 signatures measured) plus 20,000 random pairs; up to ' +
        `${PAIRS_PER_BIN} per exact-Jaccard bin (seeded sample), npm minhash on the first ${NPM_PAIRS_PER_BIN} of each. ` +
        'Exact J is over the distinct shingle hashes (the sets signText signs). SE is the root mean of J(1−J)/128 over the bin: ' +
        'the standard error of classic MinHash. Many Reuters stories have fewer than 128 shingles, so oph densifies empty bins.',
    ],
  )
}
