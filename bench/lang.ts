/**
 * Language identification and anchor measurements on the shared corpora.
 *
 *   npx tsx bench/lang.ts [lang] [anchors] [cost]      (no argument: all three)
 *
 * - lang:    accuracy and speed of the candidate language-ID packages on NTREX (documents and lines),
 *            import cost and installed size; then the library's own `detectLanguage` rule.
 * - anchors: anchor-set Jaccard between an English NTREX article and its translations (true pairs)
 *            versus the translations of other stories (false pairs), per language.
 * - cost:    share of analyze() time spent in anchor extraction and language ID, on Reuters.
 *
 * Corpora are read from ../shared/corpora (next to the checkout) or from WIRETRACE_CORPORA; a
 * section whose corpus is absent is skipped with a message. Prints markdown tables.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import anyAscii from 'any-ascii'
import { analyze } from '../src/analyze.js'
import { type Anchor, anchorHashes, extractAnchors } from '../src/text/anchors.js'
import { detectLanguage, detectLanguageWith, type LanguageModel, tinyldModel } from '../src/text/lang.js'
import { segmentParagraphs } from '../src/text/segment.js'
import { normalizeNumber } from '../src/text/tokenize.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const CORPORA = process.env.WIRETRACE_CORPORA ?? join(ROOT, '..', 'shared', 'corpora')

interface Doc {
  id: string
  story: string
  lang: string
  text: string
}

function readJsonl<T>(path: string): T[] | undefined {
  if (!existsSync(path)) {
    console.log(`\n_skipped: ${path} not found (set WIRETRACE_CORPORA to the corpora folder)_\n`)
    return undefined
  }
  const raw = readFileSync(path)
  const text = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8')
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T)
}

const table = (head: string[], rows: (string | number)[][]): string =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

// ---------------------------------------------------------------------------------------------
// Language identification candidates

type Detect = (text: string) => string
interface Candidate {
  name: string
  /** Module specifier(s) whose import the candidate costs. */
  spec: string
  /** Files (relative to node_modules) that a bundle or a Node import of this entry loads. */
  files: string[]
  /** Whole installed package folders, dependencies included. */
  packages: string[]
  load: () => Promise<Detect>
}

const ISO3: Record<string, string> = { eng: 'en', spa: 'es', fra: 'fr', deu: 'de', arb: 'ar', ara: 'ar' }

const CANDIDATES: Candidate[] = [
  {
    name: 'franc-min',
    spec: 'franc-min',
    files: [
      'franc-min/index.js',
      'franc-min/data.js',
      'franc-min/expressions.js',
      'trigram-utils',
      'n-gram',
      'collapse-white-space',
    ],
    packages: ['franc-min', 'trigram-utils', 'n-gram', 'collapse-white-space'],
    load: async () => {
      const { franc } = await import('franc-min')
      return (t) => {
        const c = franc(t)
        return ISO3[c] ?? c
      }
    },
  },
  ...(['light', 'normal', 'heavy'] as const).map(
    (v): Candidate => ({
      name: `tinyld/${v}`,
      spec: v === 'normal' ? 'tinyld' : `tinyld/${v}`,
      files: [`tinyld/dist/tinyld.${v}.node.mjs`],
      packages: ['tinyld'],
      load: async () => {
        const m = (await (v === 'light'
          ? import('tinyld/light')
          : v === 'heavy'
            ? import('tinyld/heavy')
            : import('tinyld'))) as { detect: Detect }
        return (t) => m.detect(t)
      },
    }),
  ),
  ...(['extrasmall', 'small', 'medium', 'large'] as const).map(
    (v): Candidate => ({
      name: `eld/${v}`,
      spec: `eld/${v}`,
      files: [`eld/src/ngrams/${v}.js`, 'eld/src/languageDetector.js', 'eld/src/languageData.js', 'eld/src/regexPatterns.js'],
      packages: ['eld'],
      load: async () => {
        const m = (await (v === 'extrasmall'
          ? import('eld/extrasmall')
          : v === 'small'
            ? import('eld/small')
            : v === 'medium'
              ? import('eld/medium')
              : import('eld/large'))) as { eld: { detect: (t: string) => { language: string } } }
        return (t) => m.eld.detect(t).language
      },
    }),
  ),
]

function sizeOf(path: string): number {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.size
  let total = 0
  for (const e of readdirSync(path)) total += sizeOf(join(path, e))
  return total
}

/** Median time to import `spec` in a fresh Node process, and the heap it adds. */
function importCost(spec: string, flags: string[] = []): { ms: number; heapMb: number } {
  const code = `const h0=process.memoryUsage().heapUsed;const t=performance.now();await import(${JSON.stringify(spec)});const ms=performance.now()-t;globalThis.gc?.();console.log(JSON.stringify({ms,heap:process.memoryUsage().heapUsed-h0}))`
  const runs: { ms: number; heap: number }[] = []
  for (let i = 0; i < 5; i++) {
    const out = execFileSync(process.execPath, [...flags, '--expose-gc', '--input-type=module', '-e', code], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    runs.push(JSON.parse(out.trim()))
  }
  return { ms: median(runs.map((r) => r.ms)), heapMb: median(runs.map((r) => r.heap)) / 1e6 }
}

interface LineSample {
  text: string
  lang: string
  docLang: string
}

function linesOf(docs: Doc[]): LineSample[] {
  const out: LineSample[] = []
  for (const d of docs) {
    for (const l of d.text.split('\n')) if (l.trim() !== '') out.push({ text: l.trim(), lang: d.lang, docLang: d.lang })
  }
  return out
}

const LENGTH_BUCKETS: [string, number, number][] = [
  ['<40', 0, 40],
  ['40–99', 40, 100],
  ['≥100', 100, Infinity],
]

/** Milliseconds per call of `f`: the best of 5 rounds of at least `minMs` each (the machine may be shared). */
function timeIt(f: () => void, minMs = 150): number {
  f() // warm-up
  let best = Infinity
  for (let round = 0; round < 5; round++) {
    let n = 0
    const t0 = performance.now()
    let t = t0
    while (t - t0 < minMs) {
      f()
      n++
      t = performance.now()
    }
    best = Math.min(best, (t - t0) / n)
  }
  return best
}

async function benchLang(): Promise<void> {
  const docs = readJsonl<Doc>(join(CORPORA, 'ntrex', 'docs.jsonl.gz'))
  if (!docs) return
  const lines = linesOf(docs)
  const docBytes = docs.reduce((s, d) => s + Buffer.byteLength(d.text), 0)
  const lineBytes = lines.reduce((s, l) => s + Buffer.byteLength(l.text), 0)
  const langs = [...new Set(docs.map((d) => d.lang))].sort()
  console.log(`\n## Language ID on NTREX: ${docs.length} documents (${(docBytes / 1e6).toFixed(2)} MB), ${lines.length} lines\n`)

  const rows: (string | number)[][] = []
  const perLang: (string | number)[][] = []
  const cost: (string | number)[][] = []
  for (const c of CANDIDATES) {
    const detect = await c.load()
    const docOk = docs.filter((d) => detect(d.text) === d.lang).length
    const lineHits = lines.map((l) => detect(l.text) === l.lang)
    const lineOk = lineHits.filter(Boolean).length
    const bucket = LENGTH_BUCKETS.map(([, lo, hi]) => {
      const idx = lines.flatMap((l, i) => (l.text.length >= lo && l.text.length < hi ? [i] : []))
      return idx.filter((i) => lineHits[i]).length / Math.max(1, idx.length)
    })
    const docMs = timeIt(() => {
      for (const d of docs) detect(d.text)
    })
    const lineMs = timeIt(() => {
      for (const l of lines) detect(l.text)
    })
    rows.push([
      c.name,
      pct(docOk / docs.length),
      pct(lineOk / lines.length),
      ...bucket.map(pct),
      Math.round(docs.length / (docMs / 1000)),
      (docBytes / 1e6 / (docMs / 1000)).toFixed(2),
      Math.round(lines.length / (lineMs / 1000)),
      (lineBytes / 1e6 / (lineMs / 1000)).toFixed(2),
    ])
    perLang.push([
      c.name,
      ...langs.map((lg) => {
        const ls = lines.filter((l) => l.lang === lg)
        return pct(ls.filter((l) => detect(l.text) === lg).length / ls.length)
      }),
    ])
    const imp = importCost(c.spec)
    const loaded = c.files.reduce((s, f) => s + sizeOf(join(ROOT, 'node_modules', f)), 0)
    const installed = c.packages.reduce((s, p) => s + sizeOf(join(ROOT, 'node_modules', p)), 0)
    cost.push([c.name, imp.ms.toFixed(0), imp.heapMb.toFixed(1), (loaded / 1e6).toFixed(2), (installed / 1e6).toFixed(1)])
  }
  console.log(
    table(
      [
        'package',
        'doc acc',
        'line acc',
        ...LENGTH_BUCKETS.map(([n]) => `line ${n} ch`),
        'docs/s',
        'doc MB/s',
        'lines/s',
        'line MB/s',
      ],
      rows,
    ),
  )
  const counts = LENGTH_BUCKETS.map(
    ([n, lo, hi]) => `${n}: ${lines.filter((l) => l.text.length >= lo && l.text.length < hi).length}`,
  )
  console.log(`\nLines per length bucket: ${counts.join(', ')}.\n`)
  console.log(`### Line accuracy per language\n`)
  console.log(table(['package', ...langs], perLang))
  console.log(`\n### Import cost (fresh Node process, median of 5) and size\n`)
  console.log(table(['package', 'import ms', 'heap MB after import', 'loaded files MB', 'installed MB (with deps)'], cost))

  // The library's pipeline (script → function words → model) with each package as the model.
  const models: [string, LanguageModel | undefined][] = [['none (script + function words only)', undefined]]
  for (const c of CANDIDATES) {
    const detect = await c.load()
    models.push([
      c.name,
      (t) => {
        const lang = detect(t)
        return lang ? { lang, margin: 10 } : undefined
      },
    ])
    if (c.name === 'tinyld/normal') models.push(['tinyld/normal, margin 1.5 (shipped)', tinyldModel])
  }
  const pipeRows: (string | number)[][] = []
  for (const [name, model] of models) {
    const docHits = docs.filter((d) => detectLanguageWith(d.text, model).lang === d.lang).length
    const stages: Record<string, number> = {}
    let answered = 0
    let right = 0
    let withFallback = 0
    const docLang = new Map(docs.map((d) => [d.id, detectLanguageWith(d.text, model).lang]))
    for (const d of docs) {
      for (const raw of d.text.split('\n')) {
        const l = raw.trim()
        if (l === '') continue
        const r = detectLanguageWith(l, model)
        stages[r.stage] = (stages[r.stage] ?? 0) + 1
        if (r.lang !== undefined) answered++
        if (r.lang === d.lang) right++
        if ((r.lang ?? docLang.get(d.id)) === d.lang) withFallback++
      }
    }
    const lineMs = timeIt(() => {
      for (const l of lines) detectLanguageWith(l.text, model)
    })
    const docMs = timeIt(() => {
      for (const d of docs) detectLanguageWith(d.text, model)
    })
    const share = (k: string): string => pct((stages[k] ?? 0) / lines.length)
    pipeRows.push([
      name,
      pct(docHits / docs.length),
      pct(answered / lines.length),
      pct(right / Math.max(1, answered)),
      pct(withFallback / lines.length),
      `${share('script')} / ${share('vote')} / ${share('model')} / ${share('none')} / ${share('short')}`,
      Math.round(docs.length / (docMs / 1000)),
      Math.round(lines.length / (lineMs / 1000)),
    ])
  }
  console.log(`\n### wiretrace detectLanguage: script → function words → model, per fallback model\n`)
  console.log(
    table(
      [
        'model',
        'doc acc',
        'lines answered',
        'precision of answers',
        'line acc with fallback to doc',
        'lines by stage: script / words / model / undecided / short',
        'docs/s',
        'lines/s',
      ],
      pipeRows,
    ),
  )
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Anchors: do an article and its translation share anchor keys, more than unrelated articles?

/** The anchor extractor this module replaced (git 1b6de8f), kept to measure against. */
function baselineAnchors(text: string): Anchor[] {
  const URL = /\bhttps?:\/\/[^\s"'<>)]+|\bwww\.[^\s"'<>)]+/giu
  const HANDLE = /(?<![\p{L}\p{N}_])@[\p{L}\p{N}_]{2,30}/gu
  const NUMBER = /\p{Nd}+(?:[.,\u00A0\u202F\u2009 ]\p{Nd}{3}(?!\p{Nd}))*(?:[.,]\p{Nd}+)?/gu
  const CAPITALISED = /(?<![\p{L}\p{N}])\p{Lu}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)*/gu
  const SENTENCE_START = /(^|[.!?:;"“”«»]\s*|\n\s*)$/u
  const key = (word: string): string => {
    let s = anyAscii(word)
      .toLowerCase()
      .replace(/[^a-z-]/g, '')
    s = s.replace(/^(al|el|ad|ar|as|at|an)-/, '').replace(/-/g, '')
    if (s.length < 3) return ''
    return (
      (s[0] as string) +
      s
        .slice(1)
        .replace(/[aeiouy]/g, '')
        .replace(/(.)\1+/g, '$1')
    ).slice(0, 4)
  }
  const out: Anchor[] = []
  for (const m of text.matchAll(URL)) out.push({ kind: 'url', key: m[0].toLowerCase().replace(/[.,;:]+$/, ''), weight: 1 })
  const rest = text.replace(URL, ' ')
  for (const m of rest.matchAll(HANDLE)) out.push({ kind: 'handle', key: m[0].toLowerCase(), weight: 1 })
  for (const m of rest.matchAll(NUMBER)) {
    const k = normalizeNumber(m[0].replace(/[\u00A0\u202F\u2009 ]/g, ','))
    const value = Number(k)
    if (!(value >= 10)) continue
    out.push({ kind: 'number', key: k, weight: value >= 1900 && value <= 2100 ? 0.3 : 1 })
  }
  for (const m of rest.matchAll(CAPITALISED)) {
    if (m.index === 0 || SENTENCE_START.test(rest.slice(Math.max(0, m.index - 3), m.index))) continue
    const k = key(m[0])
    if (k) out.push({ kind: 'name', key: k, weight: 1 })
  }
  return out
}

type Extractor = (text: string) => Anchor[]

interface PairStats {
  trueJ: number[]
  falseJ: number[]
  trueC: number[]
  falseC: number[]
}

function anchorSet(text: string, extract: Extractor): Set<number> {
  // Per line, as analyze() does per paragraph; the document's set is the union.
  const set = new Set<number>()
  for (const line of text.split('\n')) for (const h of anchorHashes(extract(line))) set.add(h)
  return set
}

function overlap(a: Set<number>, b: Set<number>): { j: number; c: number } {
  let inter = 0
  for (const x of a) if (b.has(x)) inter++
  const union = a.size + b.size - inter
  return { j: union === 0 ? 0 : inter / union, c: a.size === 0 ? 0 : inter / a.size }
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length)

/** Probability that a random true pair scores above a random false pair (ties count half). */
function auc(pos: number[], neg: number[]): number {
  const all = [...pos.map((v) => [v, 1] as const), ...neg.map((v) => [v, 0] as const)].sort((a, b) => a[0] - b[0])
  let rankSum = 0
  for (let i = 0; i < all.length; ) {
    let j = i
    while (j < all.length && (all[j] as readonly [number, number])[0] === (all[i] as readonly [number, number])[0]) j++
    const avgRank = (i + 1 + j) / 2
    for (let k = i; k < j; k++) if ((all[k] as readonly [number, number])[1] === 1) rankSum += avgRank
    i = j
  }
  return (rankSum - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length)
}

function pairStats(docs: Doc[], extract: Extractor): Map<string, PairStats> {
  const sets = new Map(docs.map((d) => [d.id, anchorSet(d.text, extract)]))
  const stories = new Map<string, Map<string, Doc>>()
  for (const d of docs) {
    const variant = d.id.slice(d.id.lastIndexOf(':') + 1)
    let m = stories.get(d.story)
    if (!m) stories.set(d.story, (m = new Map()))
    m.set(variant, d)
  }
  const variants = [...new Set(docs.map((d) => d.id.slice(d.id.lastIndexOf(':') + 1)))].filter((v) => v !== 'eng').sort()
  const out = new Map<string, PairStats>()
  for (const v of variants) {
    const st: PairStats = { trueJ: [], falseJ: [], trueC: [], falseC: [] }
    for (const [story, m] of stories) {
      const en = m.get('eng')
      if (!en) continue
      const a = sets.get(en.id) as Set<number>
      for (const [other, m2] of stories) {
        const tr = m2.get(v)
        if (!tr) continue
        const { j, c } = overlap(a, sets.get(tr.id) as Set<number>)
        if (other === story) {
          st.trueJ.push(j)
          st.trueC.push(c)
        } else {
          st.falseJ.push(j)
          st.falseC.push(c)
        }
      }
    }
    out.set(v, st)
  }
  return out
}

async function benchAnchors(): Promise<void> {
  const docs = readJsonl<Doc>(join(CORPORA, 'ntrex', 'docs.jsonl.gz'))
  if (!docs) return
  const extractors: [string, Extractor][] = [
    ['baseline (1b6de8f)', baselineAnchors],
    ['wiretrace (shipped)', (t) => extractAnchors(t)],
    ['… no Arabic names (numbers and dates only)', (t) => extractAnchors(t, { arabicNames: 'none' })],
    ['… Arabic names with 3+ classes', (t) => extractAnchors(t, { arabicMinClasses: 3 })],
    ['… Arabic names with 3+ classes and 20% long vowels', (t) => extractAnchors(t, { arabicMinClasses: 3, arabicVowels: 0.2 })],
    ['… German common nouns kept', (t) => extractAnchors(t, { germanNouns: false })],
    ['… sentence-initial capitals kept', (t) => extractAnchors(t, { sentenceInitial: true })],
    ['… name keys of 3 classes', (t) => extractAnchors(t, { keyLength: 3 })],
  ]
  console.log(
    `\n## Anchors on NTREX: English article vs its translation (true pair) vs the other 122 stories' translations (false pairs)\n`,
  )
  console.log(
    'J = anchor-set Jaccard; C = share of the English anchors found in the other document; AUC = P(true pair J > false pair J).\n',
  )
  const rows: (string | number)[][] = []
  for (const [name, extract] of extractors) {
    const stats = pairStats(docs, extract)
    for (const [v, st] of stats) {
      const fj = [...st.falseJ].sort((a, b) => a - b)
      const p99 = fj[Math.floor(0.99 * (fj.length - 1))] as number
      rows.push([
        name,
        `en–${v}`,
        mean(st.trueJ).toFixed(3),
        mean(st.falseJ).toFixed(3),
        (mean(st.trueJ) - mean(st.falseJ)).toFixed(3),
        pct(st.trueJ.filter((x) => x > p99).length / st.trueJ.length),
        auc(st.trueJ, st.falseJ).toFixed(4),
        `${mean(st.trueC).toFixed(2)} / ${mean(st.falseC).toFixed(2)}`,
      ])
    }
  }
  console.log(
    table(['extractor', 'pair', 'J true', 'J false', 'J true − false', 'true above false p99', 'AUC', 'C true / false'], rows),
  )
  const sizes = ['en', 'es', 'fr', 'de', 'ar'].map((lg) => {
    const ds = docs.filter((d) => d.lang === lg)
    return `${lg} ${mean(ds.map((d) => anchorSet(d.text, (t) => extractAnchors(t)).size)).toFixed(0)}`
  })
  console.log(`\nDistinct anchors per document (shipped): ${sizes.join(', ')}.\n`)
}

// ---------------------------------------------------------------------------------------------
// Cost inside analyze(), on Reuters.

async function benchCost(): Promise<void> {
  const all = readJsonl<{ id: string | number; text: string }>(join(CORPORA, 'reuters21578.jsonl.gz'))
  if (!all) return
  const docs = all.slice(0, 2000).map((d) => ({ id: String(d.id), text: d.text }))
  const paragraphs = docs.flatMap((d) => segmentParagraphs(d.text).map((p) => p.text))
  const chars = docs.reduce((s, d) => s + d.text.length, 0)
  const on = (): void => {
    for (const d of docs) analyze(d)
  }
  const off = (): void => {
    for (const d of docs) analyze(d, { detectLanguage: false })
  }
  const anchorsNew = (): void => {
    for (const p of paragraphs) anchorHashes(extractAnchors(p))
  }
  const anchorsOld = (): void => {
    for (const p of paragraphs) anchorHashes(baselineAnchors(p))
  }
  const lang = (): void => {
    for (const d of docs) detectLanguage(d.text)
    for (const p of paragraphs) detectLanguage(p)
  }
  // Interleaved rounds, best of each: the machine may be shared, and load changes between steps.
  const steps = { on, off, anchors: anchorsNew, old: anchorsOld, lang }
  const ms: Record<keyof typeof steps, number> = { on: Infinity, off: Infinity, anchors: Infinity, old: Infinity, lang: Infinity }
  // CPU time of this process, not wall time: steadier when other work shares the machine.
  const cpuMs = (): number => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
  for (const f of Object.values(steps)) f() // warm-up
  for (let round = 0; round < 7; round++) {
    for (const [k, f] of Object.entries(steps) as [keyof typeof steps, () => void][]) {
      const t0 = cpuMs()
      f()
      ms[k] = Math.min(ms[k], cpuMs() - t0)
    }
  }
  console.log(
    `\n## Cost inside analyze() on Reuters: ${docs.length} documents, ${paragraphs.length} paragraphs, ${(chars / 1e6).toFixed(1)} MB (CPU time, best of 7 rounds)\n`,
  )
  const per = (x: number): string => `${((1000 * x) / docs.length).toFixed(1)} µs`
  console.log(
    table(
      ['step', 'per document', 'share of analyze()', 'analyze docs/s'],
      [
        ['analyze(), language detection on', per(ms.on), '100%', Math.round(docs.length / (ms.on / 1000))],
        ['analyze(), detectLanguage: false', per(ms.off), pct(ms.off / ms.on), Math.round(docs.length / (ms.off / 1000))],
        ['extractAnchors + anchorHashes, every paragraph', per(ms.anchors), pct(ms.anchors / ms.on), '–'],
        ['… baseline extractor (1b6de8f)', per(ms.old), pct(ms.old / ms.on), '–'],
        ['detectLanguage, document + every paragraph', per(ms.lang), pct(ms.lang / ms.on), '–'],
      ],
    ),
  )
  const stages: Record<string, number> = {}
  for (const t of [...docs.map((d) => d.text), ...paragraphs]) {
    const st = detectLanguageWith(t, tinyldModel).stage
    stages[st] = (stages[st] ?? 0) + 1
  }
  const n = docs.length + paragraphs.length
  console.log(
    `\ndetectLanguage stages on these texts: ${Object.entries(stages)
      .map(([k, v]) => `${k} ${pct(v / n)}`)
      .join(', ')}.\n`,
  )
}

const sections = process.argv.slice(2)
const want = (s: string): boolean => sections.length === 0 || sections.includes(s)
// Cost first: the language-ID section loads every candidate package (hundreds of MB of heap), which
// slows the garbage collector for whatever runs after it.
if (want('cost')) await benchCost()
if (want('anchors')) await benchAnchors()
if (want('lang')) await benchLang()
