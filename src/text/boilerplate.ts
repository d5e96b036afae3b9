import { argIterable, argOptions, describeValue, invalid } from '../errors.js'
import { hashChars } from '../sketch/hash.js'
import { normalizeText } from './normalize.js'
import { isSpace, type Segment, segmentParagraphs } from './segment.js'

/**
 * A boilerplate pattern.
 * - `inline`: the match is cut out of the paragraph it is in (cruft glued onto text).
 * - `paragraph`: a paragraph the pattern matches whole is dropped.
 * - `trailing`: a paragraph the pattern matches whole, in the second half of the article,
 *   starts a trailing block (comments, "The Latest") that is dropped to the end.
 */
export interface BoilerplateRule {
  name: string
  scope: 'inline' | 'paragraph' | 'trailing'
  pattern: RegExp
}

/** The built-in rules. Each is documented by its name; add your own with `boilerplateRules`. */
export const DEFAULT_BOILERPLATE_RULES: readonly BoilerplateRule[] = [
  { name: 'date-header', scope: 'inline', pattern: /^\s*date\s+\d{4}-\d{2}-\d{2}\s+/gi },
  {
    name: 'advert-notice',
    scope: 'inline',
    pattern:
      /\s*((article|story) continues (after|below) (this )?advertisement|scroll to continue with content|continue reading the main story)\s*/gi,
  },
  { name: 'font-size-controls', scope: 'paragraph', pattern: /^(a\s*\+\s*a\s*-|a-\s*a\+|text size:?.*)$/i },
  {
    name: 'advertisement',
    scope: 'paragraph',
    pattern: /^(advertisement|sponsored( content)?|scroll to continue( with content)?)$/i,
  },
  {
    name: 'share-links',
    scope: 'paragraph',
    // "X" (the network) stands alone only after "share on" or in a list of networks: a lone
    // one-letter paragraph is text, not a share button.
    pattern:
      /^(share( this( article| story)?)?|share on (facebook|twitter|x|whatsapp|email|linkedin)|facebook|twitter|whatsapp|email|linkedin|(facebook|twitter|x|whatsapp|email|linkedin)( ?\| ?(facebook|twitter|x|whatsapp|email|linkedin))+)$/i,
  },
  {
    name: 'form-chrome',
    scope: 'paragraph',
    pattern:
      /^(post a comment|required|submit|subscribe( now)?|sign up( now)?|log ?in|print|listen to this (article|story)|(email|print|share)( \| (email|print|share))+)$/i,
  },
  {
    name: 'promo',
    scope: 'paragraph',
    pattern:
      /^((sign up|subscribe) (for|to) .{0,80}(newsletter|alerts|updates)\b.{0,80}|download (the|our) .{0,60}\bapp\b.{0,60}|have a (news )?tip\?.{0,80})$/i,
  },
  {
    name: 'copyright',
    scope: 'paragraph',
    pattern:
      /^((©|\(c\)|copyright)\s.{0,80}|.{0,80}all rights reserved\.?|.{0,80}may not be published, broadcast, rewritten or redistributed\.?)$/i,
  },
  {
    name: 'trailing-section',
    scope: 'trailing',
    pattern:
      /^(comments?|\d+ comments?|the latest|latest news|related( articles| stories| news| content)?|read more|more from .{1,40}|recommended( for you)?|most (read|popular|viewed)|you may also like|trending( now)?)$/i,
  },
]

/** A piece of text the pipeline removed, reported instead of silently dropped. */
export interface RemovedText {
  kind: 'boilerplate'
  /** The rule's name, or `learned` for boilerplate learned from a corpus. */
  rule: string
  scope: 'inline' | 'paragraph' | 'trailing' | 'learned'
  text: string
  /** Offsets into the article text. */
  start: number
  end: number
}

/** Paragraphs that recur across many documents of one source, learned by {@link learnBoilerplate}. */
export interface LearnedBoilerplate {
  kind: 'learned-boilerplate'
  version: 1
  /** Hashes of normalised paragraph text, per source (`*` when articles carry no source). */
  sources: Record<string, number[]>
}

/** Options for {@link learnBoilerplate}. */
export interface LearnBoilerplateOptions {
  /** A paragraph must occur in at least this many documents of one source. @default 5 */
  minDocs?: number
  /** …and in at least this share of that source's documents. @default 0.2 */
  minShare?: number
  /** Longer paragraphs are never learned: syndicated article text recurs too. @default 40 */
  maxWords?: number
}

function paragraphKey(text: string): number {
  return hashChars(normalizeText(text))
}

/**
 * Learn boilerplate from a corpus: short paragraphs that recur in many documents of one source
 * (site chrome, standard footers). Pass the result to `analyze` as `learnedBoilerplate`.
 */
export function learnBoilerplate(
  articles: Iterable<{ text: string; source?: string }>,
  options: LearnBoilerplateOptions = {},
): LearnedBoilerplate {
  argIterable('learnBoilerplate', 'articles', articles, 'articles')
  argOptions('learnBoilerplate', 'options', options)
  const minDocs = options.minDocs ?? 5
  const minShare = options.minShare ?? 0.2
  const maxWords = options.maxWords ?? 40
  if (!(minDocs >= 1)) throw invalid(`learnBoilerplate: minDocs must be at least 1, got ${minDocs}`)
  const perSource = new Map<string, { docs: number; counts: Map<number, number> }>()
  for (const a of articles) {
    if (!a || typeof a.text !== 'string')
      throw invalid(`learnBoilerplate: articles must hold { text, source? } objects, got ${describeValue(a)}`)
    const source = a.source ?? '*'
    let entry = perSource.get(source)
    if (!entry) perSource.set(source, (entry = { docs: 0, counts: new Map() }))
    entry.docs++
    const seen = new Set<number>()
    for (const seg of segmentParagraphs(a.text)) {
      if (seg.text.split(/\s+/).length > maxWords) continue
      const key = paragraphKey(seg.text)
      if (seen.has(key)) continue
      seen.add(key)
      entry.counts.set(key, (entry.counts.get(key) ?? 0) + 1)
    }
  }
  const sources: Record<string, number[]> = {}
  for (const [source, { docs, counts }] of [...perSource].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const keys = [...counts].filter(([, c]) => c >= minDocs && c >= minShare * docs).map(([k]) => k)
    if (keys.length > 0) sources[source] = keys.sort((a, b) => a - b)
  }
  return { kind: 'learned-boilerplate', version: 1, sources }
}

export interface BoilerplateInput {
  rules: readonly BoilerplateRule[]
  learned?: LearnedBoilerplate
  source?: string
  /**
   * Paragraphs already cleaned under these same rules, by text, kept by the caller: a flood's
   * reprints repeat every paragraph, and the rules' expressions are most of the cost.
   */
  memo?: Map<string, CleanedParagraph>
}

/** What the rules make of one paragraph's text, wherever it stands. */
export interface CleanedParagraph {
  /** The text after the inline rules, trimmed. */
  text: string
  /** The inline removals, with their offsets in the paragraph's own text. */
  cuts: { rule: string; text: string; from: number; to: number }[]
  /** The text with runs of spaces collapsed, as the paragraph rules read it. */
  whole: string
  /** The paragraph and trailing rules that match it, in rule order (which one applies depends on where it stands). */
  matches: BoilerplateRule[]
}

/** The inline rules applied to a paragraph's text, and the paragraph rules that match what is left. */
export function cleanParagraph(text: string, rules: readonly BoilerplateRule[]): CleanedParagraph {
  let t = text
  // pos[i] is the offset in `text` of t[i], so every removal maps back to the original even after
  // earlier rules shortened the paragraph.
  let pos: number[] | undefined
  const cuts: CleanedParagraph['cuts'] = []
  for (const rule of rules) {
    if (rule.scope !== 'inline') continue
    if (RULE_HINTS.get(rule.pattern)?.prefilter?.test(t) === false) continue
    const spans = matchSpans(t, globalPattern(rule.pattern))
    if (spans.length === 0) continue
    pos ??= Array.from({ length: t.length }, (_, i) => i)
    let next = ''
    const nextPos: number[] = []
    let at = 0
    for (const [from, to] of spans) {
      next += t.slice(at, from)
      // One by one: spread into push, a paragraph of some 100,000 characters overflowed the stack.
      for (let k = at; k < from; k++) nextPos.push(pos[k] as number)
      cuts.push({ rule: rule.name, text: t.slice(from, to), from: pos[from] as number, to: (pos[to - 1] as number) + 1 })
      at = to
    }
    next += t.slice(at)
    for (let k = at; k < t.length; k++) nextPos.push(pos[k] as number)
    t = next
    pos = nextPos
  }
  t = t.trim()
  const whole = collapseSpaces(t)
  const matches: BoilerplateRule[] = []
  if (whole !== '') {
    for (const rule of rules) {
      if (rule.scope === 'inline') continue
      if (whole.length > (RULE_HINTS.get(rule.pattern)?.maxLength ?? Number.POSITIVE_INFINITY)) continue
      rule.pattern.lastIndex = 0
      if (rule.pattern.test(whole)) matches.push(rule)
    }
  }
  return { text: t, cuts, whole, matches }
}

/** Paragraphs cleaned per memo at most; past it the memo starts again. */
const MAX_CLEANED = 4096

/** Remove boilerplate from segmented paragraphs; everything removed is returned in `removed`. */
export function removeBoilerplate(
  text: string,
  segments: Segment[],
  input: BoilerplateInput,
): { segments: Segment[]; removed: RemovedText[] } {
  const removed: RemovedText[] = []
  const learnedKeys = learnedSet(input)
  const kept: Segment[] = []
  const memo = input.memo
  let trailingFrom = -1
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as Segment
    let c = memo?.get(seg.text)
    if (!c) {
      c = cleanParagraph(seg.text, input.rules)
      if (memo) {
        if (memo.size >= MAX_CLEANED) memo.clear()
        memo.set(seg.text, c)
      }
    }
    for (const cut of c.cuts)
      removed.push({
        kind: 'boilerplate',
        rule: cut.rule,
        scope: 'inline',
        text: cut.text,
        start: seg.start + cut.from,
        end: seg.start + cut.to,
      })
    let dropped: RemovedText | undefined
    if (c.whole === '')
      dropped = {
        kind: 'boilerplate',
        rule: 'empty-after-cleaning',
        scope: 'paragraph',
        text: seg.text,
        start: seg.start,
        end: seg.end,
      }
    // The first rule that matches decides; a trailing section starts only in an article's second half.
    for (const rule of c.matches) {
      if (dropped) break
      if (rule.scope === 'trailing') {
        if (i < segments.length / 2 || i === 0) continue
        trailingFrom = i
        break
      }
      dropped = { kind: 'boilerplate', rule: rule.name, scope: 'paragraph', text: seg.text, start: seg.start, end: seg.end }
    }
    if (trailingFrom >= 0) break
    if (!dropped && learnedKeys?.has(paragraphKey(c.whole))) {
      dropped = { kind: 'boilerplate', rule: 'learned', scope: 'learned', text: seg.text, start: seg.start, end: seg.end }
    }
    if (dropped) {
      if (dropped.rule !== 'empty-after-cleaning' || seg.text.trim() !== '') removed.push(dropped)
      continue
    }
    kept.push(c.text === seg.text ? seg : { ...seg, text: c.text })
  }
  if (trailingFrom >= 0) {
    const first = segments[trailingFrom] as Segment
    const last = segments[segments.length - 1] as Segment
    removed.push({
      kind: 'boilerplate',
      rule: 'trailing-section',
      scope: 'trailing',
      text: text.slice(first.start, last.end),
      start: first.start,
      end: last.end,
    })
  }
  removed.sort((a, b) => a.start - b.start)
  return { segments: kept, removed }
}

/**
 * Shortcuts for built-in rules, by pattern, each giving the rule's result for less work:
 * - `prefilter`: what an inline rule's text must contain for the rule to match at all, a plain
 *   search that fails fast where the rule's leading `\s*` makes the expression try every position;
 * - `maxLength`: the longest text (UTF-16 units) a paragraph rule can match whole, where the rule's
 *   `.{0,80}` would otherwise be tried, and backtracked, on every paragraph of an article.
 *   copyright: `.{0,80}` + "may not be published, broadcast, rewritten or redistributed" (59) +
 *   "." = 140, its longest branch (no flag lets one unit match more than one).
 */
export const RULE_HINTS = new Map<RegExp, { prefilter?: RegExp; maxLength?: number }>()
for (const rule of DEFAULT_BOILERPLATE_RULES) {
  if (rule.name === 'advert-notice') RULE_HINTS.set(rule.pattern, { prefilter: /continue/i })
  if (rule.name === 'copyright') RULE_HINTS.set(rule.pattern, { maxLength: 140 })
}

/** The non-empty matches of global `re` in `t`, as [start, end) spans: what `t.matchAll(re)` finds, with no iterator or clone. */
export function matchSpans(t: string, re: RegExp): [number, number][] {
  const cuts: [number, number][] = []
  const unicode = re.unicode || (re as { unicodeSets?: boolean }).unicodeSets === true
  re.lastIndex = 0
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    if (m[0].length > 0) cuts.push([m.index, m.index + m[0].length])
    // An empty match: step over one character (one code point with the u or v flag), as matchAll does.
    else re.lastIndex = unicode && isPairAt(t, re.lastIndex) ? re.lastIndex + 2 : re.lastIndex + 1
  }
  re.lastIndex = 0
  return cuts
}

function isPairAt(t: string, i: number): boolean {
  const c = t.charCodeAt(i)
  return c >= 0xd800 && c <= 0xdbff && i + 1 < t.length && (t.charCodeAt(i + 1) & 0xfc00) === 0xdc00
}

/** `t.replace(/\s+/g, ' ')`, returning `t` itself, with no regular expression, when it has no run to collapse. */
export function collapseSpaces(t: string): string {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i)
    if (c === 0x20 ? isSpace(t.charCodeAt(i + 1)) : isSpace(c)) return t.replace(SPACE_RUNS, ' ')
  }
  return t
}

const SPACE_RUNS = /\s+/g

const globals = new WeakMap<RegExp, RegExp>()

/** matchAll needs the g flag; user patterns may lack it. */
function globalPattern(re: RegExp): RegExp {
  if (re.global) return re
  let g = globals.get(re)
  if (!g) globals.set(re, (g = new RegExp(re.source, `${re.flags}g`)))
  return g
}

function learnedSet(input: BoilerplateInput): Set<number> | undefined {
  if (!input.learned) return undefined
  const keys = input.learned.sources[input.source ?? '*'] ?? input.learned.sources['*']
  return keys ? new Set(keys) : undefined
}
