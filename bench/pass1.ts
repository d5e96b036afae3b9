/**
 * `npm run bench -- pass1`: the first pass of clustering (every article's fingerprint and copy
 * keys, what the candidate search reads) in MB/s per core: UTF-8 bytes of article text over the
 * CPU seconds of this one-threaded process. On Reuters (`--corpus`, `--limit`) and on text
 * generated from it (bench/generate.ts: wire copies with outlet boilerplate), for
 *
 * - the reference: `referenceAnalysis(…, sketchOnly)` (segment, clean, then each paragraph
 *   normalised, tokenized, shingled, sorted, signed, its anchors extracted; the language; the
 *   document union and signature) plus `copyKeys`;
 * - the product path: `analyzeResolved(…, sketchOnly)` plus `copyKeys`, as `scan`, `clusterCorpus`
 *   and `clusterArticles` run it;
 *
 * alternating the contenders `--reps` times (median), the paragraph memo cleared before each pass
 * so no pass reads another's work. `signText` (raw text → one signature, no paragraphs, anchors
 * or language) is printed for reference. A second table times pass 1's stages one by one on the
 * same text (what limits the whole).
 */
import { type Article, analyzeResolved, clearParagraphMemo, referenceAnalysis, resolveAnalyzeOptions } from '../src/analyze.js'
import { contentKey, copyKeys } from '../src/cluster/candidates.js'
import { ophInto } from '../src/sketch/oph.js'
import { anchorSet, scratchShingles, shingleParagraph } from '../src/sketch/pass1.js'
import { signText } from '../src/sketch/sign.js'
import { DEFAULT_BOILERPLATE_RULES, removeBoilerplate } from '../src/text/boilerplate.js'
import { identifyLanguage } from '../src/text/lang.js'
import { segmentParagraphs } from '../src/text/segment.js'
import { type BenchFlags, fmt, loadCorpus, measure, median, ratio, section, table, textBytes } from './common.js'
import { generateCorpus, toArticle } from './generate.js'

/** Generated articles: enough wire copies and boilerplate to be typical of a feed. */
const GENERATED = 5000

interface Contender {
  name: string
  run: (articles: readonly Article[]) => number
}

const options = resolveAnalyzeOptions()

/** Pass 1 of every article with `analyse`; a checksum of what it made, so that nothing is optimised away. */
function sketchAll(analyse: typeof analyzeResolved): Contender['run'] {
  return (articles) => {
    let sum = 0
    for (const a of articles) {
      const r = analyse(a, options, true)
      if (r.status === 'ok') sum += copyKeys(r).content + r.fingerprint.shingleCount
    }
    return sum
  }
}

const CONTENDERS: Contender[] = [
  { name: 'reference: referenceAnalysis(sketchOnly) + copyKeys', run: sketchAll(referenceAnalysis) },
  { name: 'product path: analyzeResolved(sketchOnly) + copyKeys', run: sketchAll(analyzeResolved) },
]

function signAll(articles: readonly Article[]): number {
  let sum = 0
  for (const a of articles) sum += signText(a.text).shingleCount
  return sum
}

/** Median CPU seconds of each contender (and of signText), alternated. */
function timeContenders(articles: readonly Article[], reps: number): { cpu: number[]; sign: number; checks: number[] } {
  const runs: number[][] = CONTENDERS.map(() => [])
  const signRuns: number[] = []
  const checks: number[] = CONTENDERS.map(() => 0)
  // One untimed pass each: compiled code and warm caches (name keys, character classes) for all.
  for (const [i, c] of CONTENDERS.entries()) {
    clearParagraphMemo()
    checks[i] = c.run(articles)
  }
  signAll(articles)
  for (let r = 0; r < reps; r++) {
    for (const [i, c] of CONTENDERS.entries()) {
      clearParagraphMemo()
      runs[i]?.push(measure(() => c.run(articles)).cpu)
    }
    signRuns.push(measure(() => signAll(articles)).cpu)
  }
  return { cpu: runs.map(median), sign: median(signRuns), checks }
}

function report(label: string, articles: readonly Article[], reps: number): void {
  const bytes = textBytes(articles)
  const { cpu, sign, checks } = timeContenders(articles, reps)
  const base = cpu[0] as number
  const rows = CONTENDERS.map((c, i) => {
    const s = cpu[i] as number
    return [c.name, fmt(s, 2), fmt(bytes / 2 ** 20 / s, 1), ratio(base / s)]
  })
  rows.push([
    'signText (reference: one signature, no paragraphs)',
    fmt(sign, 2),
    fmt(bytes / 2 ** 20 / sign, 1),
    ratio(base / sign),
  ])
  const same = checks.every((x) => x === checks[0])
  section(
    `Pass 1 on ${label}: ${articles.length.toLocaleString('en-US')} articles, ${fmt(bytes / 2 ** 20, 1)} MB`,
    table(['what', 'CPU s', 'MB/s per core', 'vs reference'], rows),
    [
      `Median of ${reps} alternated runs; CPU seconds of this process (one thread). Checksums ${same ? 'agree' : `DIFFER: ${checks.join(', ')}`}.`,
    ],
  )
}

/** The stages of pass 1, each over the whole corpus on its own, from paragraphs cut beforehand. */
function stages(articles: readonly Article[], reps: number): void {
  const bytes = textBytes(articles)
  const cut = articles.map(
    (a) => removeBoilerplate(a.text, segmentParagraphs(a.text), { rules: DEFAULT_BOILERPLATE_RULES }).segments,
  )
  const texts = cut.map((segs) => segs.map((s) => s.text))
  const o = options
  const steps: [string, () => void][] = [
    [
      'segment + boilerplate',
      () => {
        for (const a of articles) removeBoilerplate(a.text, segmentParagraphs(a.text), { rules: DEFAULT_BOILERPLATE_RULES })
      },
    ],
    [
      'paragraphs: scan, shingle, sort, sign (fused)',
      () => {
        for (const doc of texts)
          for (const t of doc) {
            const n = shingleParagraph(t, o.shingleSize, o.seed, o.foldDiacritics)
            if (n > 0) ophInto(scratchShingles(), n, o.paragraphPerm, o.seed)
          }
      },
    ],
    [
      'paragraphs: anchors',
      () => {
        for (const doc of texts) for (const t of doc) anchorSet(t)
      },
    ],
    [
      'language of the document',
      () => {
        for (const doc of texts) identifyLanguage(doc.join('\n'))
      },
    ],
    [
      'copy keys: content hash',
      () => {
        for (const doc of texts) contentKey(doc)
      },
    ],
  ]
  for (const [, run] of steps) run()
  const runs: number[][] = steps.map(() => [])
  for (let r = 0; r < reps; r++) for (const [i, [, run]] of steps.entries()) runs[i]?.push(measure(run).cpu)
  const cpu = runs.map(median)
  const total = cpu.reduce((x, y) => x + y, 0)
  const rows = steps.map(([name], i) => {
    const s = cpu[i] as number
    return [name, fmt(s, 2), fmt(bytes / 2 ** 20 / s, 1), `${fmt((100 * s) / total, 1)} %`]
  })
  section('Pass 1 by stage', table(['stage', 'CPU s', 'MB/s per core', 'share'], rows), [
    `The same text, each stage on its own (median of ${reps}); the fused sketch adds the memo, the document set and signature, and the objects it returns.`,
  ])
}

export async function benchPass1(flags: BenchFlags): Promise<void> {
  const reuters = await loadCorpus(flags)
  report('Reuters-21578', reuters, flags.reps)
  stages(reuters, flags.reps)
  const generated = Array.from(generateCorpus(reuters, { n: GENERATED, seed: flags.seed }), toArticle)
  report('generated text (bench/generate.ts)', generated, flags.reps)
}
