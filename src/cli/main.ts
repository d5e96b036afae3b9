import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { dirname, resolve } from 'node:path'
import { type ParseArgsConfig, parseArgs } from 'node:util'
import { type AnalysisOk, type Article, analyze } from '../analyze.js'
import {
  type ClusterOptions,
  type ClusterResult,
  clusterSketches,
  partitionAnalyses,
  type SkippedArticle,
} from '../cluster/cluster.js'
import type { LinkFloors } from '../cluster/engine.js'
import { calibrate } from '../compare/calibrate.js'
import { LINKING_RELATIONS, RELATIONS, type Relation } from '../compare/compare.js'
import type { DerivationModel } from '../compare/model.js'
import { parsePublishedAt } from '../date.js'
import { type ClusterDiff, diffArticles, diffCluster } from '../diff/index.js'
import { WiretraceError } from '../errors.js'
import { SharedIndex } from '../lsh/lsh.js'
import { runCorpus } from '../node/corpus.js'
import {
  INPUT_ENCODINGS,
  type InputEncoding,
  type InputSkip,
  type ReadResult,
  readArticles,
  recordToArticle,
  writeTextFile,
} from '../node/io.js'
import { readLabelledPairs, readModel, writeModel } from '../node/model-io.js'
import { loadNgramModelOnFirstUse } from '../node/ngram.js'
import { sketchParallel } from '../node/parallel.js'
import { WorkerPool } from '../node/pool.js'
import { loadState, type StateEntry, saveState } from '../node/state.js'
import { unpackViews, type ViewBatch } from '../node/views.js'
import { type ArticleView, articleView, reportFromViews } from '../report/build.js'
import { filterReport, formatCsv, formatDiffText, formatText, keepList, renderDiffHtml, renderHtml } from '../report/index.js'
import { layoutJsonPieces } from '../report/layout.js'
import { leftOutWarning } from '../report/legend.js'
import { Progress } from './progress.js'
import { closest } from './suggest.js'

// tinyld loads the first time a text needs it, not at start-up (see setNgramModel).
loadNgramModelOnFirstUse()

const VERSION = '0.1.0'

const MAIN_HELP = `wiretrace ${VERSION} — find syndicated copies of news articles and show what each outlet did.

Usage:
  wiretrace scan <dir|file.jsonl|file.json|-> [options]   cluster articles and diff each copy
  wiretrace diff <reference> <copy> [options]             paragraph diff of two text files
  wiretrace calibrate <pairs.jsonl> --out model.json      fit the judgement to your own labelled pairs
  wiretrace --help | --version

Examples:
  wiretrace scan examples/data --format html --out report.html
  wiretrace scan articles.jsonl --format json > clusters.json
  cat feed.jsonl | wiretrace scan - --window-days 2 --index feed.idx
  wiretrace diff examples/data/003_a578a4fccd0967bb.txt examples/data/001_af5f1522f10e024d.txt
  wiretrace calibrate examples/labels.jsonl --corpus examples/data --out model.json

Run 'wiretrace <command> --help' for a command's options.`

const SCAN_HELP = `wiretrace scan <input> [options]

Input: a directory of .txt/.md files (the id is the file name; README and hidden files are
left out; a metadata.jsonl beside them gives each file its title, source, publishedAt, url:
one {"file": "a.txt", ...} per line), a .jsonl or .json file (or .jsonl.gz, .json.gz) of
{id, text, title?, source?, publishedAt?, url?, lang?} records (a "date" field that reads as a
date, or starts with one before stray markup, stands for publishedAt; --text-field and --id-field name other fields for text and id),
or - for stdin.
publishedAt: ISO 8601, RFC 2822 or D-MON-YYYY HH:MM:SS (Reuters); without a zone, UTC.

Options:
  --format text|json|html|csv
                            output format (default: text); csv: one row per article (id, cluster,
                            reference, relation, extent, confidence, headline, url, source, publishedAt)
  --out FILE                write the report to FILE instead of stdout
  --keep-list FILE          also write the ids to keep, one a line: each cluster's reference and
                            every singleton (drop the rest to deduplicate); partial members are
                            dropped too unless --relations leaves partial out
  --min-size N              only clusters of at least N articles; smaller ones become singletons (default: 2)
  --relations LIST          only members related to the reference by these (comma-separated: duplicate,
                            copy, rewrite, partial, translation); the others become singletons
  --threshold N             document Jaccard threshold of the LSH index (default: 0.5)
  --paragraph-threshold N   paragraph Jaccard threshold of the LSH index (default: 0.4; 0.7 stores
                            half the paragraph keys, and finds fewer reworded copies)
  --no-anchors              leave out the anchor channel: for single-language feeds (fewer keys,
                            faster --store inserts); translations are not found
  --reference ID            mark ID as a wire source (repeatable)
  --model FILE              judge pairs with this derivation model (from wiretrace calibrate)
                            instead of the shipped one
  --window-days N           with --index or --store: keep articles published within N days of the
                            newest (an undated article counts from the run that indexed it)
  --index FILE              load articles indexed by earlier runs from FILE, add these, save it back
                            (after the report is written); an id already in the index is an error
  --replace                 with --index: an input article whose id is in the index replaces it
  --store URL               share the index through Redis (redis:// or rediss://; needs ioredis):
                            match against what other runs and workers stored, then store these
  --namespace NAME          with --store: the key prefix, so several indexes share a server (default: wiretrace)
  --max-length N            skip documents longer than N characters (default: 2000000)
  --encoding NAME           the input's encoding: utf-8 (default; invalid bytes are an error naming
                            the byte), latin1, windows-1252, utf-16le or utf-16be
  --text-field NAME         the field of a JSON/JSONL record that holds the text (default: text)
  --id-field NAME           the field of a JSON/JSONL record that holds the id (default: id)
  --skip-bad-lines          skip a JSONL line that is not a valid record (counted and reported)
                            instead of stopping at it
  --workers N               worker threads (default: number of CPUs); they sketch every article,
                            then verify, cluster and diff each group of candidates; 1 runs all on
                            this thread, and an input of 512 articles or fewer (256 with --store)
                            uses none
  --max-bucket N            LSH buckets with more articles are matched against a few leaders, not
                            pair by pair; articles they leave alone are counted and warned about
                            (default: 64)
  --min-confidence P        link two articles only when the verdict's confidence is at least P
                            (0 to 1), for every relation; or per relation, REL=P,… (the others
                            keep their default). Default: 0.7 for every relation but translation
                            (0); 0 links every linking verdict. Higher trades recall for precision
  --no-split-templates      keep links between reports cut from one template (by default a link is
                            dropped when a third article fills the pair's shared frame with figures
                            and names of its own; counted in the stats as templates)
  --details                 text: also each member's reason, scores and paragraph strip, the other
                            links and every piece of removed boilerplate
  --no-color                plain text even on a terminal
  --quiet                   no warnings or progress on stderr
  -h, --help                this help

Examples:
  wiretrace scan examples/data
  wiretrace scan corpus.jsonl --format json --out clusters.json --workers 2
  wiretrace scan corpus.jsonl --format csv --out articles.csv --keep-list keep.txt --relations duplicate,copy
  wiretrace scan today.jsonl --index news.idx --window-days 3 --reference afp-123
  wiretrace scan feed.jsonl --store redis://127.0.0.1:6379 --no-anchors --paragraph-threshold 0.7`

const DIFF_HELP = `wiretrace diff <reference> <copy> [options]

Paragraph diff of two text files: which paragraphs the copy kept, edited, reworded,
translated, moved, added or cut. Give the original first: when both are dated and the first
was published after the second, a note on stderr says so.

Options:
  --format text|json|html   output format (default: text)
  --model FILE              judge the pair with this derivation model (from wiretrace calibrate)
  --out FILE                write to FILE instead of stdout
  --encoding NAME           the files' encoding: utf-8 (default), latin1, windows-1252, utf-16le or utf-16be
  --no-color                plain text even on a terminal
  -h, --help                this help

Example:
  wiretrace diff examples/data/003_a578a4fccd0967bb.txt examples/data/001_af5f1522f10e024d.txt`

const CALIBRATE_HELP = `wiretrace calibrate <pairs.jsonl|pairs.json> [options]

Fit the derivation model to your own judgement. Each line of the pairs file is
{"a": …, "b": …, "label": …}: a and b are articles ({id, text, …}) or ids of articles in
--corpus; label is true ("this is a copy for us") or false, an extent (whole, part, none) or a
relation (duplicate, copy, rewrite, translation → whole; partial → part; related, unrelated →
none). The fit starts from the shipped model (or --base) and is pulled towards it, so a few
dozen labels adjust it without undoing it. Prints how often the link decision agrees with your
labels before and after (cross-validated).

Options:
  --out FILE                write the model (JSON) to FILE instead of stdout
  --corpus PATH             articles that pairs name by id: a directory, .jsonl or .json file
  --base FILE               start from this model instead of the shipped one
  --l2 N                    pull towards the base model (default: 1; larger stays closer)
  --folds K                 folds of the cross-validated figure (default: 5; 0 = none)
  --no-shared-words         keep the shares of words, names and figures two texts have in
                            common out of the link decision, as the shipped model does (by
                            default your labels may weigh them)
  --quiet                   no summary on stderr
  -h, --help                this help

Then: wiretrace scan feed.jsonl --model model.json

Example:
  wiretrace calibrate examples/labels.jsonl --corpus examples/data --out model.json`

/** Exit codes: 0 done, 1 bad input or failure, 2 bad usage. */
class UsageError extends Error {}

interface Io {
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
}

const quietOnEpipe = new WeakSet<NodeJS.WriteStream>()

/**
 * A reader that stops early (`wiretrace scan ... | head`) closes the pipe: that is not an error,
 * and must not end in an unhandled 'error' event and a stack trace.
 */
function ignoreClosedPipe(stream: NodeJS.WriteStream, report?: NodeJS.WriteStream): void {
  if (quietOnEpipe.has(stream) || typeof stream.on !== 'function') return
  quietOnEpipe.add(stream)
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') report?.write(`wiretrace: cannot write output: ${e.message}\n`)
  })
}

/** Run the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  ignoreClosedPipe(io.stdout, io.stderr)
  ignoreClosedPipe(io.stderr)
  const [command, ...rest] = argv
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      io.stdout.write(`${MAIN_HELP}\n`)
      return command === undefined ? 2 : 0
    }
    if (command === '--version' || command === '-v') {
      io.stdout.write(`${VERSION}\n`)
      return 0
    }
    if (command === 'scan') return await scan(rest, io)
    if (command === 'diff') return await diff(rest, io)
    if (command === 'calibrate') return await calibrateCommand(rest, io)
    throw new UsageError(`unknown command '${command}'`)
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      // parseArgs's own message goes on about positionals after '--'; name the flag and stop.
      const unknown = /^Unknown option '([^']+)'/.exec((e as Error).message)
      const message = unknown ? `unknown option '${unknown[1]}'` : (e as Error).message
      const help =
        command === 'scan' || command === 'diff' || command === 'calibrate' ? `wiretrace ${command} --help` : 'wiretrace --help'
      io.stderr.write(`wiretrace: ${message}\nRun '${help}' for usage.\n`)
      return 2
    }
    if (e instanceof WiretraceError) {
      io.stderr.write(`${e.message}\n`)
      return 1
    }
    io.stderr.write(`wiretrace: unexpected error: ${(e as Error).stack ?? String(e)}\n`)
    return 1
  }
}

/**
 * parseArgs, with the mistakes it would word in its own terms caught first and said in ours:
 * an unknown option (with the known one it is closest to), an option that takes a value and
 * has none (`--workers` at the end, `--workers --format json`, `--out=`) and a value given to a
 * switch (`--quiet=yes`). `--workers -1` is read as `--workers=-1` (parseArgs calls a value that
 * starts with '-' ambiguous), so a negative number gets the same range message as any other bad
 * value. `help` is the command's help, whose placeholders (`--workers N`) the messages quote.
 */
function parseCommand<T extends NonNullable<ParseArgsConfig['options']>>(help: string, argv: string[], options: T) {
  const args: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    const next = argv[i + 1]
    if (a === '--') {
      args.push(...argv.slice(i))
      break
    }
    const eq = a.indexOf('=')
    const name = a.startsWith('--') ? a.slice(2, eq < 0 ? undefined : eq) : undefined
    const option = name !== undefined && Object.hasOwn(options, name) ? options[name] : undefined
    if (option === undefined && (name !== undefined || /^-[^-\d].+/.test(a))) throw unknownOption(a, options)
    if (name === undefined || option === undefined) args.push(a)
    else if (option.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value, got '${a.slice(eq + 1)}'`)
      args.push(a)
    } else if (eq >= 0) {
      if (eq === a.length - 1) throw missingValue(name, help)
      args.push(a)
    } else if (next === undefined) throw missingValue(name, help)
    else if (/^-(\d|\.\d|Infinity\b)/.test(next)) {
      args.push(`${a}=${next}`)
      i++
    } else if (next.length > 1 && next.startsWith('-')) {
      const flag = next.split('=')[0] as string
      const isOption = (flag.startsWith('--') && Object.hasOwn(options, flag.slice(2))) || next === '-h'
      throw missingValue(
        name,
        help,
        isOption ? `, got the option '${flag}'` : `; a value that starts with '-' is written --${name}=${next}`,
      )
    } else {
      args.push(a, next)
      i++
    }
  }
  return parseArgs({ args, allowPositionals: true, strict: true, options })
}

/**
 * `unknown option '--worker'; did you mean --workers?`, when one of the command's options is
 * that close. A long name with one dash (`-workers`) is read as the long name, not as -w -o -r….
 */
function unknownOption(given: string, options: object): UsageError {
  const flag = given.split('=')[0] as string
  const near = closest(flag.replace(/^--?/, ''), Object.keys(options))
  return new UsageError(`unknown option '${flag}'${near ? `; did you mean --${near}?` : ''}`)
}

/** `--workers needs a value (--workers N)`, the placeholder read from the command's help. */
function missingValue(name: string, help: string, tail = ''): UsageError {
  const shape = new RegExp(`^\\s+--${name} (\\S+)`, 'm').exec(help)?.[1]
  return new UsageError(`--${name} needs a value${shape ? ` (--${name} ${shape})` : ''}${tail}`)
}

function parseEncoding(value: string | undefined): InputEncoding | undefined {
  if (value === undefined) return undefined
  const e = value.toLowerCase() === 'utf8' ? 'utf-8' : value.toLowerCase()
  if (!(INPUT_ENCODINGS as readonly string[]).includes(e))
    throw new UsageError(`--encoding must be ${INPUT_ENCODINGS.join(', ')}, got '${value}'`)
  return e as InputEncoding
}

/**
 * Fail before the work, not after it: the directory an output goes into must exist and be
 * writable, and the output must not be a directory.
 */
async function checkOutput(flag: string, path: string | undefined): Promise<void> {
  if (path === undefined) return
  const fail = (why: string) => new WiretraceError('INPUT_ERROR', `cannot write ${flag} ${path}: ${why}`)
  const dir = dirname(resolve(path))
  const st = await stat(dir).catch(() => undefined)
  if (!st) throw fail(`the directory ${dir} does not exist (create it first)`)
  if (!st.isDirectory()) throw fail(`${dir} is not a directory`)
  if ((await stat(path).catch(() => undefined))?.isDirectory()) throw fail('it is a directory; give a file name')
  await access(dir, constants.W_OK).catch((e: NodeJS.ErrnoException) => {
    throw fail(`the directory ${dir} is not writable (${e.code})`)
  })
}

function parseNumber(name: string, value: string | undefined, min: number, max: number, integer = false): number | undefined {
  if (value === undefined) return undefined
  const n = value.trim() === '' ? Number.NaN : Number(value)
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got '${value}'`)
  }
  return n
}

/** --min-confidence: P for every linking relation, or REL=P,… for the relations named. */
function parseFloors(value: string | undefined): number | LinkFloors | undefined {
  if (value === undefined || !value.includes('=')) return parseNumber('min-confidence', value, 0, 1)
  const floors: LinkFloors = {}
  for (const part of value.split(',')) {
    const [name = '', p = ''] = part.split('=').map((x) => x.trim())
    if (!LINKING_RELATIONS.includes(name as Relation)) {
      throw new UsageError(
        `--min-confidence: '${name}' is not a linking relation (${LINKING_RELATIONS.join(', ')}), in '${value}'`,
      )
    }
    floors[name as Relation] = parseNumber(`min-confidence ${name}`, p, 0, 1) as number
  }
  return floors
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function parseFormat<F extends string>(value: string | undefined, formats: readonly F[]): F {
  const f = value ?? 'text'
  if (!formats.includes(f as F)) {
    throw new UsageError(`--format must be ${formats.slice(0, -1).join(', ')} or ${formats[formats.length - 1]}, got '${f}'`)
  }
  return f as F
}

function parseRelations(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const list = value
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '')
  if (list.length === 0) throw new UsageError(`--relations needs at least one relation, got '${value}'`)
  for (const r of list) {
    if (LINKING_RELATIONS.includes(r as Relation)) continue
    // related and unrelated never put a member in a cluster: a filter on them keeps nothing.
    if (RELATIONS.includes(r as Relation)) {
      throw new UsageError(
        `--relations: '${r}' never links an article to a cluster (members are linked by ${LINKING_RELATIONS.join(', ')}); 'wiretrace diff A B' names how two texts relate`,
      )
    }
    const near = closest(r, LINKING_RELATIONS)
    throw new UsageError(
      `--relations: '${r}' is not one of ${LINKING_RELATIONS.join(', ')}${near ? ` (did you mean '${near}'?)` : ''}`,
    )
  }
  return list
}

/** Write `content` (a string, or pieces of one) to `out`, or to stdout ending with a newline. */
async function emit(io: Io, out: string | undefined, content: string | readonly string[], progress?: Progress): Promise<void> {
  if (out) {
    try {
      await writeTextFile(out, content)
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code ?? String(cause)
      throw new WiretraceError('INPUT_ERROR', `cannot write ${out}: ${code}`, { cause })
    }
  } else {
    progress?.done() // the report may go to the same terminal: the progress line first leaves it
    const pieces = typeof content === 'string' ? [content] : content
    for (const piece of pieces) io.stdout.write(piece)
    if (!pieces.at(-1)?.endsWith('\n')) io.stdout.write('\n')
  }
}

async function scan(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(SCAN_HELP, argv, {
    format: { type: 'string' },
    out: { type: 'string' },
    'keep-list': { type: 'string' },
    'min-size': { type: 'string' },
    relations: { type: 'string' },
    threshold: { type: 'string' },
    'paragraph-threshold': { type: 'string' },
    'no-anchors': { type: 'boolean' },
    reference: { type: 'string', multiple: true },
    model: { type: 'string' },
    'window-days': { type: 'string' },
    index: { type: 'string' },
    replace: { type: 'boolean' },
    store: { type: 'string' },
    namespace: { type: 'string' },
    'max-length': { type: 'string' },
    workers: { type: 'string' },
    encoding: { type: 'string' },
    'text-field': { type: 'string' },
    'id-field': { type: 'string' },
    'skip-bad-lines': { type: 'boolean' },
    'max-bucket': { type: 'string' },
    'min-confidence': { type: 'string' },
    'no-split-templates': { type: 'boolean' },
    details: { type: 'boolean' },
    'no-color': { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout.write(`${SCAN_HELP}\n`)
    return 0
  }
  if (positionals.length !== 1)
    throw new UsageError(`scan takes one input (a directory, a .jsonl/.json file or -), got ${positionals.length}`)
  const format = parseFormat(values.format, ['text', 'json', 'html', 'csv'] as const)
  const minSize = parseNumber('min-size', values['min-size'], 2, 1e9, true)
  const relations = parseRelations(values.relations)
  const threshold = parseNumber('threshold', values.threshold, 0.01, 0.99)
  const paragraphThreshold = parseNumber('paragraph-threshold', values['paragraph-threshold'], 0.01, 0.99)
  const windowDays = parseNumber('window-days', values['window-days'], 0, 1e6)
  const maxLength = parseNumber('max-length', values['max-length'], 1, 1e9, true)
  const workers = parseNumber('workers', values.workers, 1, 256, true)
  const maxBucket = parseNumber('max-bucket', values['max-bucket'], 1, 1e9, true)
  const minConfidence = parseFloors(values['min-confidence'])
  if (windowDays !== undefined && !values.index && !values.store)
    throw new UsageError('--window-days needs --index FILE or --store URL (the window applies to the stored articles)')
  if (values.index && values.store) throw new UsageError('--index and --store are two kinds of index: give one')
  if (values.replace && !values.index) throw new UsageError('--replace goes with --index (it replaces stored articles)')
  if (values.store && !/^rediss?:\/\//.test(values.store))
    throw new UsageError(`--store must be a redis:// or rediss:// URL, got '${values.store}'`)
  if (values.namespace !== undefined && !values.store) throw new UsageError('--namespace goes with --store')
  const encoding = parseEncoding(values.encoding)
  if ((values['text-field'] ?? 'text') === (values['id-field'] ?? 'id'))
    throw new UsageError(`--text-field and --id-field name the same field, '${values['id-field'] ?? 'id'}' (defaults: text, id)`)
  const quiet = values.quiet === true
  const progress = new Progress(io.stderr, !quiet && io.stderr.isTTY === true)
  const warn = (msg: string) => {
    progress.done() // a warning on a line of its own, not over the progress line
    if (!quiet) io.stderr.write(`wiretrace: warning: ${msg}\n`)
  }
  await checkOutput('--out', values.out)
  await checkOutput('--keep-list', values['keep-list'])
  await checkOutput('--index', values.index)
  const model = values.model !== undefined ? await readModel(values.model) : undefined

  // For a large input file, threads start now, loading the code and the language model while
  // this thread reads the input (a small one may start none: runCorpus decides after reading).
  // --store keeps its sketches on this thread (scanInMemory starts its own workers).
  const threads = workers ?? availableParallelism()
  const pool = threads > 1 && !values.store && (await isLargeFile(positionals[0] as string)) ? new WorkerPool(threads) : undefined
  try {
    progress.stage('reading', 'records')
    const input = await readArticles(positionals[0] as string, {
      ...(maxLength !== undefined ? { maxLength } : {}),
      ...(encoding ? { encoding } : {}),
      ...(values['text-field'] !== undefined ? { textField: values['text-field'] } : {}),
      ...(values['id-field'] !== undefined ? { idField: values['id-field'] } : {}),
      skipBadLines: values['skip-bad-lines'] === true,
      onSkip: (s: InputSkip) => warn(`skipped ${s.where}${s.id !== s.where ? ` (${s.id})` : ''}: ${s.detail}`),
      onProgress: (n) => progress.update(n),
    })
    const records = input.articles.length + input.skipped.length
    progress.update(records, records, true)
    checkDistinctIds(input)
    let articles: Article[] = input.articles
    let previous = 0
    // Ids of the articles that earlier runs stored (--index or --store): the report marks them.
    const storedIds = new Set<string>()
    let entries: StateEntry[] = []
    if (values.index) {
      const merged = mergeIndex(values.index, await loadState(values.index), input.articles, {
        replace: values.replace === true,
        windowDays,
        now: new Date(),
        warn,
      })
      articles = merged.entries.map((e) => e.article)
      entries = merged.entries
      for (const id of merged.stored) storedIds.add(id)
      previous = merged.stored.length
    }
    const ids = new Set(articles.map((a) => a.id))
    for (const r of values.reference ?? []) if (!ids.has(r)) warn(`--reference ${r} matches no article`)

    const options: ClusterOptions = {
      ...(threshold !== undefined ? { threshold } : {}),
      ...(paragraphThreshold !== undefined ? { paragraphThreshold } : {}),
      ...(values['no-anchors'] ? { anchors: false } : {}),
      ...(values.reference ? { references: values.reference } : {}),
      ...(maxLength !== undefined ? { maxLength } : {}),
      ...(maxBucket !== undefined ? { maxBucket } : {}),
      ...(minConfidence !== undefined ? { minConfidence } : {}),
      ...(values['no-split-templates'] ? { splitTemplates: false } : {}),
      ...(model ? { model } : {}),
    }
    const inputSkipped: SkippedArticle[] = input.skipped.map((s) => ({
      id: s.id,
      reason: s.reason,
      detail: s.reason === 'bad-line' ? `${s.where}: ${s.detail}` : s.detail,
    }))
    const run = { articles, inputSkipped, options, workers, pool, model, progress, warn }
    let scanned: Scanned
    if (values.store) {
      const store = values.store
      scanned = await scanInMemory(run, async (analyses) => {
        const found = await syncWithStore(store, values.namespace, windowDays, analyses, options)
        for (const a of found) storedIds.add(a.id)
        previous = found.length
        return found
      })
    } else scanned = await scanOnPool(run)
    // The workers are done: let them go before the report is built and written.
    await pool?.close()
    const { result, diffs, views } = scanned
    const built = reportFromViews(result, diffs, views, values.index || values.store ? { stored: storedIds } : {})
    const report =
      minSize !== undefined || relations !== undefined
        ? filterReport(built, { ...(minSize !== undefined ? { minSize } : {}), ...(relations ? { relations } : {}) })
        : built
    progress.stage(`writing ${values.out ?? 'the report'}`)
    if (values['keep-list'])
      await emit(
        io,
        values['keep-list'],
        keepList(report)
          .map((id) => `${id}\n`)
          .join(''),
        progress,
      )
    if (format === 'json') await emit(io, values.out, layoutJsonPieces(report), progress)
    else if (format === 'csv') await emit(io, values.out, formatCsv(report), progress)
    else if (format === 'html') await emit(io, values.out, renderHtml(report), progress)
    else {
      const color = !values.out && !values['no-color'] && io.stdout.isTTY === true
      await emit(io, values.out, formatText(report, { color, details: values.details === true }), progress)
    }
    // Only now: a run whose outputs could not be written leaves the index as it was.
    if (values.index) await saveState(values.index, entries)
    progress.done()
    if (result.stats.leftOut > 0) warn(leftOutWarning(result.stats.leftOut))
    if (!quiet) {
      const s = result.stats
      io.stderr.write(
        `wiretrace: ${plural(s.articles, 'article')}${previous ? ` (${previous} from the ${values.store ? 'shared store' : 'index'})` : ''}, ${plural(report.stats.clusters, 'cluster')}, ${plural(report.stats.singletons, 'singleton')}, ${result.skipped.length} skipped${s.templates ? `, ${plural(s.templates, 'link')} between reports cut from one template left out` : ''}${values.out ? ` → ${values.out}` : ''}${values['keep-list'] ? `, ids to keep → ${values['keep-list']}` : ''}\n`,
      )
    }
    return 0
  } finally {
    await pool?.close()
  }
}

/** A file of over 1 MB (about 500 news articles of JSONL, fewer gzipped): worth starting threads for before it is read. */
async function isLargeFile(path: string): Promise<boolean> {
  if (path === '-') return false
  try {
    const s = await stat(path)
    return s.isFile() && s.size > (path.endsWith('.gz') ? 256 << 10 : 1 << 20)
  } catch {
    return false // readArticles names the problem
  }
}

/** What both routes of scan give the report. */
interface Scanned {
  result: ClusterResult
  diffs: ClusterDiff[]
  views: Map<string, ArticleView>
}

/** A scan's articles (input and index), its input skips, and how to run and tell. */
interface ScanRun {
  articles: Article[]
  inputSkipped: SkippedArticle[]
  options: ClusterOptions
  workers: number | undefined
  /** The pool started before reading, for scanOnPool. */
  pool: WorkerPool | undefined
  model: DerivationModel | undefined
  progress: Progress
  warn: (msg: string) => void
}

/**
 * scan on the engine's file driver (runCorpus on the array): pass 1 on a pool of workers that
 * send back packed sketches and report views, candidates here, then completion, comparison,
 * clustering and diffs of each connected group of pairs on the workers.
 */
async function scanOnPool(run: ScanRun): Promise<Scanned> {
  const { articles, inputSkipped, progress, warn } = run
  // Records skipped at input count as done, so the bar ends at the count the summary gives.
  const total = articles.length + inputSkipped.length
  progress.stage('sketching')
  const views = new Map<string, ArticleView>()
  const notAnalysed: { at: number; msg: string }[] = []
  const diffs: ClusterDiff[] = []
  let verifying = false
  const result = await runCorpus(
    articles,
    {
      ...run.options,
      ...(run.workers !== undefined ? { workers: run.workers } : {}),
      onDiff: (d) => diffs.push(d),
      diff: run.model ? { model: run.model } : {},
      onProgress: (p) => {
        if (p.stage === 'sketch') {
          progress.update(inputSkipped.length + p.done, total)
          if (p.done < articles.length) return
          progress.update(total, total, true)
          // In input order, as the articles were read.
          for (const n of notAnalysed.sort((x, y) => x.at - y.at)) warn(n.msg)
          progress.stage('candidates')
        } else if (p.stage === 'verify') {
          // The workers diff each group's clusters as they verify it.
          if (!verifying) progress.stage('verifying and diffing', 'articles')
          verifying = true
          progress.update(p.done, p.total)
        }
      },
    },
    {
      views: true,
      ...(run.pool ? { pool: run.pool } : {}),
      onSketch: (batch, packed, start) => {
        const rows = Array.from(batch.positions, (p) => articles[start + p] as Article)
        for (const v of unpackViews(packed as ViewBatch, rows)) views.set(v.article.id, v)
        for (const s of batch.skipped) notAnalysed.push({ at: start + s.position, msg: `skipped ${s.id}: ${s.detail}` })
      },
    },
  )
  const skipped = [...inputSkipped, ...result.skipped].sort((a, b) => (a.id < b.id ? -1 : 1))
  return {
    result: { ...result, skipped, stats: { ...result.stats, articles: total, skipped: skipped.length } },
    diffs,
    views,
  }
}

/**
 * scan with every sketch on the main thread (pass 1 on workers, sent back as analyses): the
 * route of --store, whose shared index adds analyses of stored articles before clustering.
 */
async function scanInMemory(run: ScanRun, fromStore: (analyses: AnalysisOk[]) => Promise<AnalysisOk[]>): Promise<Scanned> {
  const { articles, inputSkipped, options, model, progress, warn } = run
  const total = articles.length + inputSkipped.length
  progress.stage('sketching')
  // Sketches: clustering completes the analyses of the articles that meet a candidate (a few in
  // a typical feed), and the report reads no more than a sketch of the others.
  const results = await sketchParallel(articles, {
    ...options,
    ...(run.workers !== undefined ? { workers: run.workers } : {}),
    onProgress: (d) => progress.update(inputSkipped.length + d, total),
  })
  progress.update(total, total, true)
  const { analyses, skipped: notAnalysed } = partitionAnalyses(results)
  for (const r of notAnalysed) warn(`skipped ${r.id}: ${r.detail}`)
  const skipped: SkippedArticle[] = [...inputSkipped, ...notAnalysed]
  const found = await fromStore(analyses)
  analyses.push(...found)
  analyses.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  skipped.sort((a, b) => (a.id < b.id ? -1 : 1))
  const result = clusterSketches(analyses, skipped, total + found.length, options, (p) => {
    if (p.stage === 'candidates') progress.stage('candidates')
    else {
      if (p.done === 0) progress.stage('verifying', 'pairs')
      progress.update(p.done, p.total)
    }
  })
  const byId = new Map(analyses.map((a) => [a.id, a]))
  progress.stage('diffing', 'clusters')
  const diffs = result.clusters.map((c, i) => {
    progress.update(i, result.clusters.length)
    return diffCluster(c, byId, model ? { model } : {})
  })
  progress.update(diffs.length, diffs.length, true)
  return { result, diffs, views: new Map(analyses.map((a) => [a.id, articleView(a)])) }
}

/** Ids are unique in the input: a repeated one is refused naming where both records are. */
function checkDistinctIds(input: ReadResult): void {
  const seen = new Map<string, string>()
  const places = [
    ...input.articles.map((a, i) => [a.id, input.places[i] as string] as const),
    // A bad line without an id has its place for an id: not an id a record can repeat.
    ...input.skipped.filter((s) => s.id !== s.where).map((s) => [s.id, s.where] as const),
  ]
  for (const [id, where] of places) {
    const first = seen.get(id)
    if (first !== undefined) {
      throw new WiretraceError('DUPLICATE_ID', `article id "${id}" occurs more than once: at ${first} and at ${where}`)
    }
    seen.set(id, where)
  }
}

/**
 * This run's articles with those an index holds: an id in both is refused (DUPLICATE_ID) unless
 * `replace`; under a window, articles older than the newest by more than `windowDays` leave, an
 * undated article counting from when a run indexed it (`now` for this run's). Returns the entries
 * to cluster and save, and the ids that came from the index.
 */
function mergeIndex(
  path: string,
  state: { entries: StateEntry[] },
  fresh: readonly Article[],
  o: { replace: boolean; windowDays: number | undefined; now: Date; warn: (msg: string) => void },
): { entries: StateEntry[]; stored: string[] } {
  const freshIds = new Set(fresh.map((a) => a.id))
  const reused = state.entries.filter((e) => freshIds.has(e.article.id))
  if (reused.length > 0 && !o.replace) {
    const [first] = reused as [StateEntry]
    const more =
      reused.length > 1
        ? ` (and ${reused.length - 1} more: ${reused
            .slice(1, 4)
            .map((e) => `"${e.article.id}"`)
            .join(', ')}${reused.length > 4 ? ', …' : ''})`
        : ''
    throw new WiretraceError(
      'DUPLICATE_ID',
      `article id "${first.article.id}" is already in the index ${path} (stored by a run at ${first.indexedAt})${more}: give the new article another id, or --replace to replace the stored one`,
    )
  }
  if (reused.length > 0)
    o.warn(
      `replaced ${reused.length} stored article${reused.length === 1 ? '' : 's'} with the new one: ${reused.map((e) => e.article.id).join(', ')}`,
    )
  const kept = state.entries.filter((e) => !freshIds.has(e.article.id))
  const indexedAt = o.now.toISOString()
  let entries = [...kept, ...fresh.map((article) => ({ article, indexedAt }))]
  if (o.windowDays !== undefined) {
    const time = (e: StateEntry) => {
      const t = parsePublishedAt(e.article.publishedAt ?? '')
      return Number.isNaN(t) ? Date.parse(e.indexedAt) : t
    }
    // A loop, not Math.max(...times): an index of a few hundred thousand articles overflows the stack.
    let newest = Number.NEGATIVE_INFINITY
    for (const e of entries) newest = Math.max(newest, time(e))
    const cutoff = newest - o.windowDays * 86_400_000
    const before = entries.length
    entries = entries.filter((e) => time(e) >= cutoff)
    if (before > entries.length) o.warn(`${before - entries.length} articles left the ${o.windowDays}-day window`)
  }
  const keptIds = new Set(kept.map((e) => e.article.id))
  return { entries, stored: entries.filter((e) => keptIds.has(e.article.id)).map((e) => e.article.id) }
}

/**
 * The shared index: find what other runs and workers stored that matches these articles,
 * fetch those articles (stored as payloads) so they are verified and clustered with the input,
 * then store the input. ioredis is loaded only here, so the CLI works without it.
 */
async function syncWithStore(
  url: string,
  namespace: string | undefined,
  windowDays: number | undefined,
  analyses: AnalysisOk[],
  options: ClusterOptions,
): Promise<AnalysisOk[]> {
  const { createRedisStore } = await import('../redis/index.js')
  const store = await createRedisStore({
    url,
    ...(namespace ? { namespace } : {}),
    ...(windowDays !== undefined ? { windowMs: windowDays * 86_400_000 } : {}),
  })
  try {
    const index = new SharedIndex(store, options)
    const mine = new Set(analyses.map((a) => a.id))
    // Wording matches, and anchor matches in another language only: within one language, shared
    // names and figures alone are not a link (the batch path's rule), so those are not fetched.
    const candidates = await index.query(
      analyses.map((a) => a.fingerprint),
      'counted',
    )
    const others = [...new Set(candidates.flat())].filter((id) => !mine.has(id)).sort()
    const payloads = await store.payloads(others)
    const found: AnalysisOk[] = []
    payloads.forEach((p, i) => {
      if (p === undefined) return // expired between query and fetch
      const a = analyze(recordToArticle(JSON.parse(p), `store:${others[i]}`), options)
      if (a.status === 'ok') found.push(a)
    })
    await index.insert(
      analyses.map((a) => {
        const t = parsePublishedAt(a.article.publishedAt ?? '')
        return { fingerprint: a.fingerprint, time: Number.isNaN(t) ? Date.now() : t, payload: JSON.stringify(a.article) }
      }),
    )
    return found
  } finally {
    await store.close()
  }
}

async function diff(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(DIFF_HELP, argv, {
    format: { type: 'string' },
    out: { type: 'string' },
    model: { type: 'string' },
    encoding: { type: 'string' },
    'no-color': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout.write(`${DIFF_HELP}\n`)
    return 0
  }
  const model = values.model !== undefined ? await readModel(values.model) : undefined
  if (positionals.length !== 2) throw new UsageError(`diff takes two files (reference and copy), got ${positionals.length}`)
  const format = parseFormat(values.format, ['text', 'json', 'html'] as const)
  const encoding = parseEncoding(values.encoding)
  await checkOutput('--out', values.out)
  const sides: AnalysisOk[] = []
  for (const path of positionals) {
    const { articles, skipped } = await readArticles(path, encoding ? { encoding } : {})
    const a = articles[0]
    if (!a || articles.length !== 1) {
      throw new WiretraceError(
        'INPUT_ERROR',
        `${path}: expected one article, found ${articles.length}${skipped.length ? ` (${skipped[0]?.detail})` : ''}`,
      )
    }
    const analysis = analyze(a)
    if (analysis.status !== 'ok') throw new WiretraceError('INPUT_ERROR', `${path}: ${analysis.detail}`)
    sides.push(analysis)
  }
  const [reference, copy] = sides as [AnalysisOk, AnalysisOk]
  const d = diffArticles(reference, copy, model ? { model } : {})
  // The diff reads the files in the order given. When both are dated and the first was published
  // after the second, say so: the rows then show what the later text has beyond the earlier, and
  // the other order shows what the later one did with it. Undated, a story with paragraphs of its
  // own added and the truncated original read alike, so nothing is claimed.
  if (parsePublishedAt(reference.article.publishedAt ?? '') > parsePublishedAt(copy.article.publishedAt ?? '')) {
    io.stderr.write(
      `wiretrace: note: "${reference.id}" was published after "${copy.id}" (${d.relation}); to see what "${reference.id}" did with it, give "${copy.id}" first\n`,
    )
  }
  if (format === 'json') await emit(io, values.out, `${JSON.stringify(d, null, 2)}\n`)
  else if (format === 'html') await emit(io, values.out, renderDiffHtml(d))
  else await emit(io, values.out, formatDiffText(d, { color: !values.out && !values['no-color'] && io.stdout.isTTY === true }))
  return 0
}

/** `calibrate` warns when the calibrated model links this many more of the pairs across the labels than the base (and at least this share of them). */
const ACROSS_WARNING_MIN = 2
const ACROSS_WARNING_SHARE = 0.03

async function calibrateCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(CALIBRATE_HELP, argv, {
    out: { type: 'string' },
    corpus: { type: 'string' },
    base: { type: 'string' },
    l2: { type: 'string' },
    folds: { type: 'string' },
    'no-shared-words': { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout.write(`${CALIBRATE_HELP}\n`)
    return 0
  }
  if (positionals.length !== 1)
    throw new UsageError(`calibrate takes one pairs file (.jsonl or .json), got ${positionals.length}`)
  const l2 = parseNumber('l2', values.l2, 0, 1e6)
  const folds = parseNumber('folds', values.folds, 0, 100, true)
  await checkOutput('--out', values.out)
  const base = values.base !== undefined ? await readModel(values.base) : undefined
  const pairs = await readLabelledPairs(positionals[0] as string, values.corpus !== undefined ? { corpus: values.corpus } : {})
  const result = calibrate(pairs, {
    ...(base ? { base } : {}),
    ...(l2 !== undefined ? { l2 } : {}),
    ...(folds !== undefined ? { folds } : {}),
    ...(values['no-shared-words'] ? { sharedWords: false } : {}),
  })
  if (values.out) await writeModel(result.model, values.out)
  else io.stdout.write(`${JSON.stringify(result.model, null, 2)}\n`)
  const was = base ? 'base' : 'shipped'
  if (!values.quiet) {
    const pct = (x: number) => `${Math.round(100 * x)}%`
    const classes = (['whole', 'part', 'none'] as const)
      .filter((c) => result.perClass[c])
      .map((c) => `${c} ${result.perClass[c]}`)
      .join(', ')
    const cv = `${folds ?? 5}-fold cross-validation`
    const after =
      result.agreement.calibrated === null
        ? 'no cross-validated figure (fewer pairs than folds)'
        : `calibrated ${pct(result.agreement.calibrated)} (${cv})`
    const extent = result.extentAgreement
    io.stderr.write(
      `wiretrace: ${plural(result.pairs, 'labelled pair')} (${classes}); link decisions agreeing with the labels: ${was} model ${pct(result.agreement.base)}, ${after}; extents (none, part, whole): ${was} ${pct(extent.base)}${extent.calibrated === null ? '' : `, calibrated ${pct(extent.calibrated)}`}${values.out ? ` → ${values.out}` : ''}\n`,
    )
  }
  // Written as asked, but never quietly: a model that agrees less with the labels than the one it
  // started from is worse on them (with a handful of labels, one pair moves the figure a lot).
  const worse = (x: { base: number; calibrated: number | null }) => x.calibrated !== null && x.calibrated < x.base
  if (worse(result.agreement) || worse(result.extentAgreement)) {
    io.stderr.write(
      `wiretrace: warning: in cross-validation the calibrated model agrees with your labels less than the ${was} model does; keep the ${was} model, or add labels and calibrate again\n`,
    )
  }
  // Labels of one kind (every pair about one event) teach a model to link different stories:
  // the pairs made across the labels show it.
  const across = result.across
  if (across && across.calibrated - across.base >= Math.max(ACROSS_WARNING_MIN, ACROSS_WARNING_SHARE * across.pairs)) {
    io.stderr.write(
      `wiretrace: warning: the calibrated model links ${across.calibrated} of ${plural(across.pairs, 'pair')} made across your labelled pairs (an article of one with an article of another: mostly different stories), the ${was} model ${across.base}; add labelled pairs of different stories, or keep the ${was} model\n`,
    )
  }
  return 0
}
