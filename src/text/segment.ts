import { argNumber, argString } from '../errors.js'
/** What a paragraph is, where it can be recognised. */
export type ParagraphKind = 'heading' | 'dateline' | 'byline' | 'body'

/** A paragraph of the original text: `start`/`end` are UTF-16 offsets into the article text. */
export interface Segment {
  start: number
  end: number
  /** The paragraph's text, with its lines joined by single spaces. */
  text: string
  kind: ParagraphKind
}

interface Line {
  start: number
  end: number
  text: string
}

const LINE_BREAK = /\r\n|[\n\r\u2028\u2029\v\f\u0085]/g

function splitLines(text: string): Line[] {
  const lines: Line[] = []
  let pos = 0
  for (const m of text.matchAll(LINE_BREAK)) {
    lines.push({ start: pos, end: m.index, text: text.slice(pos, m.index) })
    pos = m.index + m[0].length
  }
  lines.push({ start: pos, end: text.length, text: text.slice(pos) })
  return lines
}

const BLANK = /^[\s\u00A0\u200B\uFEFF]*$/
const TERMINAL = /[.!?;:…。！？]["'”’»)\]]*$/

/**
 * A block of lines is hard-wrapped prose (one paragraph) when its lines are of similar,
 * moderate length and most of them stop mid-sentence; otherwise each line is its own paragraph
 * (seed 003 puts one paragraph per line with no blank lines between).
 */
function isHardWrapped(lines: Line[]): boolean {
  if (lines.length < 2) return false
  const body = lines.slice(0, -1).map((l) => l.text.trim())
  const maxLen = Math.max(...lines.map((l) => l.text.trim().length))
  if (maxLen > 140 || maxLen < 30) return false
  const open = body.filter((t) => !TERMINAL.test(t)).length
  const long = body.filter((t) => t.length >= 0.55 * maxLen).length
  return open >= body.length * 0.5 && long >= body.length * 0.7
}

const DATE_ONLY =
  /^(\d{1,4}[-./]\d{1,2}[-./]\d{1,4}|\d{1,2}\s+\p{L}+\.?\s+\d{4}|\p{L}+\.?\s+\d{1,2},?\s+\d{4})(\s+\d{1,2}:\d{2}(\s*[ap]\.?m\.?)?)?$/iu
const BYLINE = /^(by|from|reporting by|written by|par|von|por)\s+\p{Lu}/iu

/** Guess a paragraph's kind from its text and place. */
export function classifyParagraph(text: string, index: number): ParagraphKind {
  argString('classifyParagraph', 'text', text)
  argNumber('classifyParagraph', 'index', index)
  const t = text.trim()
  if (DATE_ONLY.test(t)) return 'dateline'
  // Only counts up to 14 decide anything below: a long paragraph's words are not all counted.
  const words = wordCount(t, 15)
  if (BYLINE.test(t) && words <= 12) return 'byline'
  if (words <= 3 && index <= 4 && !/[.!?,;:]$/.test(t) && /^\p{Lu}/u.test(t) && !/["“”]/.test(t)) {
    // A short capitalised name near the top, e.g. "Rudaw" or "Reuters Staff".
    if (index > 0) return 'byline'
  }
  if (words <= 14 && !endsSentence(t)) return 'heading'
  return 'body'
}

/**
 * `t.split(/\s+/).length` for a trimmed `t` (one more than its runs of spaces), with no array
 * made; counting stops at `limit`.
 */
export function wordCount(t: string, limit = Number.POSITIVE_INFINITY): number {
  let n = 1
  for (let i = 0; i < t.length && n < limit; i++) if (isSpace(t.charCodeAt(i)) && !isSpace(t.charCodeAt(i + 1))) n++
  return n
}

/** Whether UTF-16 unit `c` is `\s`: ECMAScript's WhiteSpace and LineTerminator (NaN, past the end, is not). */
export function isSpace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d)
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  )
}

function endsSentence(t: string): boolean {
  const core = t.replace(/["'”’»)\]]+$/, '')
  return /[.!?,;:…。！？]$/.test(core)
}

/**
 * Split text into paragraphs, keeping offsets. Blank lines separate paragraphs; inside a block,
 * each line is a paragraph unless the block is hard-wrapped prose.
 *
 * @example segmentParagraphs('Title\nFirst line.\n\nSecond.').map((p) => p.text) // ['Title', 'First line.', 'Second.']
 */
export function segmentParagraphs(text: string): Segment[] {
  argString('segmentParagraphs', 'text', text)
  const out: Segment[] = []
  let block: Line[] = []
  const flush = () => {
    if (block.length === 0) return
    const groups = isHardWrapped(block) ? [block] : block.map((l) => [l])
    for (const g of groups) {
      const first = g[0] as Line
      const last = g[g.length - 1] as Line
      const joined = g.map((l) => l.text.trim()).join(' ')
      const lead = first.text.length - first.text.trimStart().length
      const trail = last.text.length - last.text.trimEnd().length
      out.push({ start: first.start + lead, end: last.end - trail, text: joined, kind: 'body' })
    }
    block = []
  }
  for (const line of splitLines(text)) {
    if (BLANK.test(line.text)) flush()
    else block.push(line)
  }
  flush()
  for (let i = 0; i < out.length; i++) (out[i] as Segment).kind = classifyParagraph((out[i] as Segment).text, i)
  return out
}
