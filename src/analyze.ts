import { PUBLISHED_AT_FORMS, parsePublishedAt } from './date.js'
import { argOptions, checkInteger, describeValue, invalid, WiretraceError } from './errors.js'
import type { Fingerprint, ParagraphSketch, SketchParams } from './sketch/fingerprint.js'
import { type MinHashScheme, minhash } from './sketch/minhash.js'
import { ophInto } from './sketch/oph.js'
import {
  addDocumentShingles,
  anchorSet,
  documentSet,
  releaseScratch,
  resultArray,
  resultCopy,
  scratchShingles,
  shingleParagraph,
  startDocument,
  unionSet,
} from './sketch/pass1.js'
import { charShingles, toSortedSet, unionOf, wordShingles } from './sketch/shingle.js'
import { anchorHashes, extractAnchors } from './text/anchors.js'
import {
  type BoilerplateRule,
  type CleanedParagraph,
  DEFAULT_BOILERPLATE_RULES,
  type LearnedBoilerplate,
  type RemovedText,
  removeBoilerplate,
} from './text/boilerplate.js'
import { CONFIDENT, detectLanguage, identifyLanguage, SCAN_LIMIT } from './text/lang.js'
import { normalizeText } from './text/normalize.js'
import { type ParagraphKind, type Segment, segmentParagraphs } from './text/segment.js'
import { scanTokens } from './text/tokenize.js'

/** An article as the user gives it. Only `id` and `text` are required. */
export interface Article {
  id: string
  text: string
  /** The outlet, e.g. "Inquirer". */
  source?: string
  /** ISO 8601 date or date-time; the earliest one becomes a cluster's reference. */
  publishedAt?: string
  url?: string
  /** The headline, if the record has one; reports show it (else the text's heading paragraph). */
  title?: string
  /** BCP 47 language code, if known; detected otherwise. */
  lang?: string
  /** Marks the agency's own copy: it becomes its cluster's reference. */
  isReference?: boolean
}

/** Options for {@link analyze} (and every entry point that analyses articles). */
export interface AnalyzeOptions {
  /** Permutations (values) in a document signature. @default 128 */
  numPerm?: number
  /** Values in each paragraph signature. @default 32 */
  paragraphPerm?: number
  /** Hash seed; signatures made with different seeds never compare. @default 1 */
  seed?: number
  /** Words per shingle. 3 keeps short paragraphs comparable and is the usual choice for news. @default 3 */
  shingleSize?: number
  /** Also shingle characters, k at a time (0 = off). @default 0 */
  charShingleSize?: number
  /** MinHash scheme. @default 'oph' */
  scheme?: MinHashScheme
  /** Fold diacritics before hashing. @default false */
  foldDiacritics?: boolean
  /** Extra boilerplate rules, applied after the built-in ones. @default [] */
  boilerplateRules?: BoilerplateRule[]
  /** Apply the built-in rules ({@link DEFAULT_BOILERPLATE_RULES}). @default true */
  builtinBoilerplate?: boolean
  /** Boilerplate learned from a corpus with `learnBoilerplate`. @default undefined */
  learnedBoilerplate?: LearnedBoilerplate
  /** Longer texts (in UTF-16 units) are skipped with reason `too-large`. @default 2_000_000 */
  maxLength?: number
  /** Detect each document's and paragraph's language when the article gives none. @default true */
  detectLanguage?: boolean
}

export const DEFAULT_ANALYZE_OPTIONS: Readonly<Required<Omit<AnalyzeOptions, 'learnedBoilerplate'>>> = {
  numPerm: 128,
  paragraphPerm: 32,
  seed: 1,
  shingleSize: 3,
  charShingleSize: 0,
  scheme: 'oph',
  foldDiacritics: false,
  boilerplateRules: [],
  builtinBoilerplate: true,
  maxLength: 2_000_000,
  detectLanguage: true,
}

/** A paragraph after cleaning, with the exact sets that pairwise comparison needs. */
export interface AnalyzedParagraph {
  index: number
  /** Offsets into the article text. */
  start: number
  end: number
  kind: ParagraphKind
  /** Cleaned text (inline boilerplate removed). */
  text: string
  /** Word k-gram hashes, sorted and distinct. */
  shingles: Uint32Array
  /** Hashes of the paragraph's longer words (4+ characters), sorted and distinct. */
  words: Uint32Array
  /** Anchor hashes (numbers, names, URLs, handles), sorted and distinct. */
  anchors: Uint32Array
  /** Shingles of the text inside quotation marks. */
  quoteShingles: Uint32Array
  lang?: string
}

export type SkipReason = 'empty' | 'boilerplate-only' | 'no-shingles' | 'too-large'

/** The result of analysing one article: either `ok` with a fingerprint, or `skipped` with a reason. */
export type Analysis = AnalysisOk | AnalysisSkipped

export interface AnalysisOk {
  kind: 'analysis'
  status: 'ok'
  id: string
  article: Article
  paragraphs: AnalyzedParagraph[]
  removed: RemovedText[]
  /** All shingles of the document, sorted and distinct. */
  shingles: Uint32Array
  fingerprint: Fingerprint
  /** The article's language: given, or detected when the text tells it (see `identifyLanguage`). */
  lang?: string
  /** 1 for a given language, else the detection's confidence; with `lang` only. */
  langConfidence?: number
}

export interface AnalysisSkipped {
  kind: 'analysis'
  status: 'skipped'
  id: string
  article: Article
  reason: SkipReason
  detail: string
  removed: RemovedText[]
}

/** Resolve options against the defaults, checking each one up front. */
export function resolveAnalyzeOptions(
  options: AnalyzeOptions = {},
): Required<Omit<AnalyzeOptions, 'learnedBoilerplate'>> & Pick<AnalyzeOptions, 'learnedBoilerplate'> {
  const o = { ...DEFAULT_ANALYZE_OPTIONS, ...stripUndefined(options) }
  checkInteger('numPerm', o.numPerm, 8, 4096)
  checkInteger('paragraphPerm', o.paragraphPerm, 4, 1024)
  checkInteger('seed', o.seed, 0, 0xffffffff)
  checkInteger('shingleSize', o.shingleSize, 1, 16)
  checkInteger('charShingleSize', o.charShingleSize, 0, 64)
  checkInteger('maxLength', o.maxLength, 1, 1e9)
  if (o.scheme !== 'oph' && o.scheme !== 'kperm') throw invalid(`scheme must be 'oph' or 'kperm', got ${describeValue(o.scheme)}`)
  return o
}

export function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {}
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v
  return out
}

export function sketchParams(o: ReturnType<typeof resolveAnalyzeOptions>): SketchParams {
  return {
    numPerm: o.numPerm,
    paragraphPerm: o.paragraphPerm,
    seed: o.seed,
    shingleSize: o.shingleSize,
    charShingleSize: o.charShingleSize,
    scheme: o.scheme,
  }
}

/** Check an article's shape; throws `INVALID_ARTICLE` naming the field. */
export function validateArticle(article: unknown, where = 'article'): Article {
  if (article === null || typeof article !== 'object') {
    throw new WiretraceError('INVALID_ARTICLE', `${where} must be an object with id and text, got ${describeValue(article)}`)
  }
  let a = article as Record<string, unknown>
  // The CLI's rule too: an integer id (JSON's `"id": 1`) is its decimal string.
  if (typeof a.id === 'number' && Number.isSafeInteger(a.id)) a = { ...a, id: String(a.id) }
  if (typeof a.id !== 'string' || a.id === '') {
    throw new WiretraceError(
      'INVALID_ARTICLE',
      `${where}.id must be a non-empty string or an integer, got ${describeValue(a.id)}`,
    )
  }
  if (typeof a.text !== 'string') {
    throw new WiretraceError('INVALID_ARTICLE', `${where} "${a.id}": text must be a string, got ${describeValue(a.text)}`)
  }
  for (const f of ['source', 'publishedAt', 'url', 'lang'] as const) {
    if (a[f] !== undefined && a[f] !== null && typeof a[f] !== 'string') {
      throw new WiretraceError('INVALID_ARTICLE', `${where} "${a.id}": ${f} must be a string, got ${describeValue(a[f])}`)
    }
  }
  if (a.publishedAt && Number.isNaN(parsePublishedAt(a.publishedAt as string))) {
    throw new WiretraceError(
      'INVALID_ARTICLE',
      `${where} "${a.id}": publishedAt must be ${PUBLISHED_AT_FORMS}, got ${describeValue(a.publishedAt)}`,
    )
  }
  return a as unknown as Article
}

const QUOTED = /"([^"]{6,})"/g

/**
 * Analyse one article: clean and segment the text, shingle each paragraph and sign it.
 * A document with no usable text is a `skipped` result with a reason, not an exception.
 *
 * @example
 * const a = analyze({ id: 'x', text: 'Rebels entered the city of Homs on Saturday.' })
 * a.status // 'ok'
 */
export function analyze(article: Article, options: AnalyzeOptions = {}): Analysis {
  argOptions('analyze', 'options', options)
  return analyzeResolved(validateArticle(article), resolveAnalyzeOptions(options))
}

/**
 * `sketchOnly` (clusterCorpus's first pass) makes the fingerprint alone: paragraphs get no word
 * set, no quote set and no language of their own. The fingerprint's signatures, anchors,
 * shingle counts and document language are the same as without it.
 *
 * Both are made by the fused sketch ({@link fusedSketch}), the full analysis completing it
 * ({@link completeAnalysis}); the result is exactly {@link referenceAnalysis}'s.
 */
export function analyzeResolved(article: Article, o: ReturnType<typeof resolveAnalyzeOptions>, sketchOnly = false): Analysis {
  // Character shingles have no fused scanner: they take the reference steps.
  if (o.charShingleSize > 0) return referenceAnalysis(article, o, sketchOnly)
  const a = fusedSketch(article, o)
  return sketchOnly || a.status !== 'ok' ? a : completeAnalysis(a, o)
}

type Resolved = ReturnType<typeof resolveAnalyzeOptions>

/**
 * The analysis step by step (segment, clean, normalise, tokenize, shingle, sign, anchors,
 * language), each step a function of its own: the reference the fused pass-1 sketch is checked
 * against (test/analyze-pass1.test.ts, `npm run bench -- pass1`). Internal: not exported by the package.
 */
export function referenceAnalysis(article: Article, o: Resolved, sketchOnly = false): Analysis {
  const cleaned = clean(article, o)
  if ('status' in cleaned) return cleaned
  const memo = paragraphMemo(o)
  const out: Assembled = { paragraphs: [], sketches: [] }
  for (const seg of cleaned.segments) {
    const m = memo.of(seg.text, () => {
      const p = analyzeParagraph(seg, 0, o, true)
      return p && { p, signature: minhash(p.shingles, o.paragraphPerm, o.seed, o.scheme) }
    })
    if (m.sets) addParagraph(out, seg, m.sets)
  }
  if (out.paragraphs.length === 0) return noShingles(article, cleaned.removed)
  const shingles = unionOf(out.paragraphs.map((p) => p.shingles))
  const signature = minhash(shingles, o.numPerm, o.seed, o.scheme)
  const anchors = unionOf(out.paragraphs.map((p) => p.anchors))
  return assemble(article, o, out, cleaned.removed, { shingles, signature, anchors }, sketchOnly)
}

/**
 * Pass 1, fused: the fingerprint of {@link referenceAnalysis} with `sketchOnly` (the same
 * segments, boilerplate, paragraph sets, signatures, anchors and language, exactly), made with
 * less work per byte. Each paragraph is scanned once from its UTF-8 bytes into token hashes with
 * no string per token (the reference steps for the few that need NFKC), shingled into a reused
 * buffer that is sorted in place, and signed from it; the document's set is the paragraphs' sets
 * appended to another reused buffer, sorted in place. Checked against the reference by
 * test/analyze-pass1.test.ts.
 */
export function fusedSketch(article: Article, o: Resolved): Analysis {
  const cleaned = clean(article, o)
  if ('status' in cleaned) return cleaned
  const memo = paragraphMemo(o)
  const out: Assembled = { paragraphs: [], sketches: [] }
  startDocument()
  for (const seg of cleaned.segments) {
    const m = memo.of(seg.text, () => {
      const n = shingleParagraph(seg.text, o.shingleSize, o.seed, o.foldDiacritics)
      if (n === 0) return null
      const scratch = scratchShingles()
      const shingles = resultCopy(scratch, n)
      const p: AnalyzedParagraph = {
        index: 0,
        start: seg.start,
        end: seg.end,
        kind: seg.kind,
        text: seg.text,
        shingles,
        words: EMPTY,
        anchors: anchorSet(seg.text),
        quoteShingles: EMPTY,
      }
      return { p, signature: signScratch(scratch, n, o.paragraphPerm, o) }
    })
    if (!m.sets) continue
    addParagraph(out, seg, m.sets)
    addDocumentShingles(m.sets.p.shingles)
  }
  if (out.paragraphs.length === 0) return noShingles(article, cleaned.removed)
  const doc = documentSet()
  const signature = signScratch(doc.values, doc.count, o.numPerm, o)
  const shingles = resultCopy(doc.values, doc.count)
  const anchors = unionSet(out.paragraphs.map((p) => p.anchors))
  releaseScratch()
  return assemble(article, o, out, cleaned.removed, { shingles, signature, anchors }, true)
}

const EMPTY = new Uint32Array(0)

/**
 * `texts.join('\n')` cut after SCAN_LIMIT + 1 characters: all of it that `identifyLanguage` reads
 * (it scans SCAN_LIMIT characters, and looks one past), so a long article is not joined whole.
 */
export function languageSample(texts: readonly string[]): string {
  let s = texts[0] ?? ''
  for (let i = 1; i < texts.length && s.length <= SCAN_LIMIT; i++) s = `${s}\n${texts[i]}`
  return s
}

/** The signature of `values[0, n)`, a sorted set, with no copy for OPH. */
function signScratch(values: Uint32Array, n: number, k: number, o: Resolved): Uint32Array {
  return o.scheme === 'oph' ? ophInto(values, n, k, o.seed, resultArray(k)) : minhash(values.subarray(0, n), k, o.seed, o.scheme)
}

function skipped(article: Article, reason: SkipReason, detail: string, removed: RemovedText[] = []): AnalysisSkipped {
  return { kind: 'analysis', status: 'skipped', id: article.id, article, reason, detail, removed }
}

function noShingles(article: Article, removed: RemovedText[]): AnalysisSkipped {
  return skipped(article, 'no-shingles', 'no paragraph has a word or number token', removed)
}

/** The article's paragraphs after boilerplate removal, or why it is skipped. */
function clean(article: Article, o: Resolved): AnalysisSkipped | { segments: Segment[]; removed: RemovedText[] } {
  const text = article.text
  if (text.length > o.maxLength)
    return skipped(article, 'too-large', `text has ${text.length} characters, over maxLength ${o.maxLength}`)
  if (text.trim() === '') return skipped(article, 'empty', 'text is empty or whitespace')
  const rules = o.builtinBoilerplate ? [...DEFAULT_BOILERPLATE_RULES, ...o.boilerplateRules] : o.boilerplateRules
  const segmented = segmentParagraphs(text)
  const { segments, removed } = removeBoilerplate(text, segmented, {
    rules,
    learned: o.learnedBoilerplate,
    source: article.source,
    memo: cleanedMemo(rules),
  })
  if (segments.length === 0)
    return skipped(article, 'boilerplate-only', `all ${segmented.length} paragraphs are boilerplate`, removed)
  return { segments, removed }
}

/** Paragraphs and their sketches, in order, as an analysis collects them. */
interface Assembled {
  paragraphs: AnalyzedParagraph[]
  sketches: ParagraphSketch[]
}

function addParagraph(out: Assembled, seg: Segment, sets: NonNullable<ParagraphMemo['sets']>): void {
  const { shingles, words, anchors, quoteShingles } = sets.p
  out.paragraphs.push({
    index: out.paragraphs.length,
    start: seg.start,
    end: seg.end,
    kind: seg.kind,
    text: seg.text,
    shingles,
    words,
    anchors,
    quoteShingles,
  })
  out.sketches.push({
    start: seg.start,
    end: seg.end,
    kind: seg.kind,
    length: seg.text.length,
    shingleCount: shingles.length,
    signature: sets.signature,
    anchors,
  })
}

/** The analysis of paragraphs made (with the document's shingle set, signature and anchor set): the document language, the fingerprint, and (unless `sketchOnly`) the comparison sets. */
function assemble(
  article: Article,
  o: Resolved,
  { paragraphs, sketches }: Assembled,
  removed: RemovedText[],
  { shingles, signature, anchors }: { shingles: Uint32Array; signature: Uint32Array; anchors: Uint32Array },
  sketchOnly: boolean,
): AnalysisOk {
  let lang = article.lang
  let langConfidence = lang ? 1 : 0
  if (o.detectLanguage && !lang) {
    const guess = identifyLanguage(languageSample(paragraphs.map((p) => p.text)))
    lang = guess.lang
    langConfidence = guess.lang ? guess.confidence : 0
  }
  const fingerprint: Fingerprint = {
    kind: 'fingerprint',
    version: 1,
    id: article.id,
    params: sketchParams(o),
    shingleCount: shingles.length,
    signature,
    paragraphs: sketches,
    anchors,
    // Only a confident language keys the index's cross-language channel, as it decides compare's.
    ...(lang && langConfidence >= CONFIDENT ? { lang } : {}),
  }
  const analysis: AnalysisOk = {
    kind: 'analysis',
    status: 'ok',
    id: article.id,
    article,
    paragraphs,
    removed,
    shingles,
    fingerprint,
    ...(lang ? { lang, langConfidence: Math.round(langConfidence * 1000) / 1000 } : {}),
  }
  if (!sketchOnly) completeAnalysis(analysis, o)
  return analysis
}

/**
 * Turn an analysis made with `sketchOnly` into the full one, in place: each paragraph's word and
 * quote sets and (with `detectLanguage`) its language, which only comparison and diffs read.
 * Everything else (segments, boilerplate, shingles, anchors, signatures, the document language)
 * is already what the full analysis has, so clustering analyses sketches only and completes the
 * few that meet a candidate. `o` must be the options the sketch was made with. Completing a
 * complete analysis again changes nothing.
 */
export function completeAnalysis(a: AnalysisOk, o: ReturnType<typeof resolveAnalyzeOptions>): AnalysisOk {
  const memo = paragraphMemo(o)
  a.paragraphs.forEach((p, i) => {
    const m = memo.get(p.text)
    const sets = m?.complete ?? comparisonSets(normalizeText(p.text, { foldDiacritics: o.foldDiacritics }), o)
    if (m) m.complete = sets
    p.words = sets.words
    p.quoteShingles = sets.quoteShingles
    if (o.detectLanguage) {
      let own: string | undefined
      if (m && m.lang !== null) own = m.lang
      else {
        own = detectLanguage(p.text)
        if (m) m.lang = own
      }
      const pl = own ?? a.lang
      p.lang = pl
      ;(a.fingerprint.paragraphs[i] as ParagraphSketch).lang = pl
    }
  })
  return a
}

/** What analysis made of one paragraph text, under one set of options. */
interface ParagraphMemo {
  /** The paragraph's sketch sets and signature; null when it has no token. */
  sets: { p: AnalyzedParagraph; signature: Uint32Array } | null
  /** Its word and quote sets, once an analysis holding it was completed. */
  complete?: { words: Uint32Array; quoteShingles: Uint32Array }
  /** Its detected language (undefined: none); null until detected. */
  lang: string | undefined | null
}

/** Distinct paragraph texts kept; the memo starts afresh past it. */
const MAX_MEMO = 4096

/**
 * Paragraphs analysed before, by text, for the options of the last analysis. A paragraph's sets,
 * signature and language depend on its text and these options alone, and a viral story's
 * reprints carry the same paragraphs thousands of times: each distinct one is analysed once.
 * The sets (typed arrays, never written after they are made) are shared by the analyses.
 */
let memoKey = ''
const memoTable = new Map<string, ParagraphMemo>()

/** Forget every memoised paragraph (for benchmarks that time a pass over a corpus more than once). */
export function clearParagraphMemo(): void {
  memoTable.clear()
  cleaned.memo.clear()
}

/** Paragraphs cleaned of boilerplate, by text, under the rules of the last call (a memo per thread). */
const cleaned: { rules: readonly BoilerplateRule[]; memo: Map<string, CleanedParagraph> } = { rules: [], memo: new Map() }

/**
 * The memo of cleaned paragraphs for these rules: started again when any rule differs from the
 * last call's in name, scope or pattern (copies are kept, so a rule changed in place counts too).
 */
function cleanedMemo(rules: readonly BoilerplateRule[]): Map<string, CleanedParagraph> {
  const last = cleaned.rules
  const same = (r: BoilerplateRule, i: number) => {
    const l = last[i] as BoilerplateRule
    return r.name === l.name && r.scope === l.scope && r.pattern === l.pattern
  }
  if (rules.length !== last.length || !rules.every(same)) {
    cleaned.rules = rules.map((r) => ({ ...r }))
    cleaned.memo = new Map()
  }
  return cleaned.memo
}

function paragraphMemo(o: ReturnType<typeof resolveAnalyzeOptions>): {
  of: (text: string, make: () => ParagraphMemo['sets']) => ParagraphMemo
  get: (text: string) => ParagraphMemo | undefined
} {
  const key = [o.seed, o.shingleSize, o.charShingleSize, o.foldDiacritics, o.paragraphPerm, o.scheme].join()
  if (key !== memoKey) {
    memoTable.clear()
    memoKey = key
  }
  return {
    of(text, make) {
      let m = memoTable.get(text)
      if (!m) {
        m = { sets: make(), lang: null }
        if (memoTable.size >= MAX_MEMO) memoTable.clear()
        memoTable.set(text, m)
      }
      return m
    },
    get: (text) => memoTable.get(text),
  }
}

/** The parts of the options that shape a paragraph's sets. */
export type ParagraphShape = Pick<SketchParams, 'seed' | 'shingleSize' | 'charShingleSize'> & { foldDiacritics?: boolean }

/** Shingle, word, anchor and quote sets of one piece of text; null when it has no token. */
export function analyzeParagraph(
  seg: { start: number; end: number; kind: ParagraphKind; text: string },
  index: number,
  o: ParagraphShape,
  sketchOnly = false,
): AnalyzedParagraph | null {
  const norm = normalizeText(seg.text, { foldDiacritics: o.foldDiacritics ?? false })
  const tokens: number[] = []
  scanTokens(norm, (h) => {
    tokens.push(h)
  })
  let sh = wordShingles(tokens, o.shingleSize, o.seed)
  if (o.charShingleSize > 0) {
    const cs = charShingles(norm, o.charShingleSize, o.seed)
    const both = new Uint32Array(sh.length + cs.length)
    both.set(sh)
    both.set(cs, sh.length)
    sh = both
  }
  const shingles = toSortedSet(sh)
  if (shingles.length === 0) return null
  const sets = sketchOnly ? { words: new Uint32Array(0), quoteShingles: new Uint32Array(0) } : comparisonSets(norm, o)
  return {
    index,
    start: seg.start,
    end: seg.end,
    kind: seg.kind,
    text: seg.text,
    shingles,
    words: sets.words,
    anchors: anchorHashes(extractAnchors(seg.text)),
    quoteShingles: sets.quoteShingles,
  }
}

/** A paragraph's sets that only comparison reads: its longer words (4+ characters) and the shingles of its quotations. */
function comparisonSets(norm: string, o: ParagraphShape): { words: Uint32Array; quoteShingles: Uint32Array } {
  const words: number[] = []
  scanTokens(norm, (h, s, e) => {
    if (e - s >= 4) words.push(h)
  })
  const quote: number[] = []
  for (const m of norm.matchAll(QUOTED)) {
    const qt: number[] = []
    scanTokens(m[1] as string, (h) => qt.push(h))
    for (const x of wordShingles(qt, o.shingleSize, o.seed)) quote.push(x)
  }
  return { words: toSortedSet(Uint32Array.from(words)), quoteShingles: toSortedSet(Uint32Array.from(quote)) }
}
