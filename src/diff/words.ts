import diff from 'fast-diff'
import { argArray, argString, describeValue, invalid } from '../errors.js'
import type { DiffWordsOptions, InlineChange } from './types.js'

export const DEFAULT_DIFF_WORDS_OPTIONS: Readonly<Required<DiffWordsOptions>> = { joinChanges: true }

// A figure (digits joined by one mark: "1.20", "3,500", "6-3/16", "10:30"), so that an edited
// figure reads as one change and not "[-1-]{+0+}.[-20-]{+85+}"; a word (letters, digits, marks,
// with inner apostrophes: "Syria's"); a run of whitespace; or one other character (a whole code
// point). Together they cover every string exactly.
const TOKEN = /\p{N}+(?:[.,:/\-–]\p{N}+)+|[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*|\s+|[\s\S]/gu

/** Split text into word, whitespace and punctuation tokens; their concatenation is the text. */
export function wordTokens(text: string): string[] {
  argString('wordTokens', 'text', text)
  return text.match(TOKEN) ?? []
}

// Each distinct token becomes one UTF-16 code unit, never a surrogate (fast-diff would treat a
// lone surrogate as half a character): the private-use area first, then the rest of the BMP.
const SYMBOLS = 0x10000 - 0x800

function symbol(n: number): string {
  const first = 0x10000 - 0xe000
  return String.fromCharCode(n < first ? 0xe000 + n : n - first)
}

/**
 * Word-level diff of two texts, computed with fast-diff over word tokens so that changes read as
 * whole words. The `equal` and `delete` texts, in order, rebuild `reference`; the `equal` and
 * `insert` texts rebuild `copy`, exactly (see {@link applyChanges}).
 *
 * @example
 * diffWords('Rebels entered Homs.', 'Rebels took Homs.')
 * // [{ op: 'equal', text: 'Rebels ' }, { op: 'delete', text: 'entered' },
 * //  { op: 'insert', text: 'took' }, { op: 'equal', text: ' Homs.' }]
 */
export function diffWords(reference: string, copy: string, options: DiffWordsOptions = {}): InlineChange[] {
  if (typeof reference !== 'string') throw invalid(`diffWords: reference must be a string, got ${describeValue(reference)}`)
  if (typeof copy !== 'string') throw invalid(`diffWords: copy must be a string, got ${describeValue(copy)}`)
  const joinChanges = options.joinChanges ?? DEFAULT_DIFF_WORDS_OPTIONS.joinChanges
  if (reference === copy) return reference === '' ? [] : [{ op: 'equal', text: reference }]
  const ta = wordTokens(reference)
  const tb = wordTokens(copy)
  const codes = new Map<string, string>()
  const tokens: string[] = []
  const encode = (list: string[]): string | null => {
    let s = ''
    for (const t of list) {
      let c = codes.get(t)
      if (c === undefined) {
        if (tokens.length === SYMBOLS) return null
        c = symbol(tokens.length)
        codes.set(t, c)
        tokens.push(t)
      }
      s += c
    }
    return s
  }
  const ea = encode(ta)
  const eb = ea === null ? null : encode(tb)
  if (ea === null || eb === null) {
    // More distinct tokens than code units: replace the whole text (still exact).
    return [
      ...(reference ? [{ op: 'delete' as const, text: reference }] : []),
      ...(copy ? [{ op: 'insert' as const, text: copy }] : []),
    ]
  }
  const decoded = new Map<string, string>()
  for (const [t, c] of codes) decoded.set(c, t)
  const ops: InlineChange[] = diff(ea, eb).map(([op, s]) => {
    let text = ''
    for (const ch of s) text += decoded.get(ch) as string
    return { op: op === 0 ? 'equal' : op < 0 ? 'delete' : 'insert', text }
  })
  return joinChanges ? joinRuns(ops) : ops
}

/** Fold changes separated only by whitespace into one delete followed by one insert. */
function joinRuns(ops: InlineChange[]): InlineChange[] {
  const out: InlineChange[] = []
  let del = ''
  let ins = ''
  const flush = () => {
    if (del) out.push({ op: 'delete', text: del })
    if (ins) out.push({ op: 'insert', text: ins })
    del = ''
    ins = ''
  }
  for (let k = 0; k < ops.length; k++) {
    const c = ops[k] as InlineChange
    if (c.op === 'delete') del += c.text
    else if (c.op === 'insert') ins += c.text
    else if ((del || ins) && k + 1 < ops.length && (ops[k + 1] as InlineChange).op !== 'equal' && /^\s+$/.test(c.text)) {
      // The space belongs to both sides of the joined change.
      del += c.text
      ins += c.text
    } else {
      flush()
      out.push(c)
    }
  }
  flush()
  return out
}

/**
 * Apply word-level changes to the reference text and return the copy's text. Throws
 * `INVALID_ARGUMENT` when the changes do not start from `reference`.
 *
 * @example
 * applyChanges('Rebels entered Homs.', diffWords('Rebels entered Homs.', 'Rebels took Homs.')) // 'Rebels took Homs.'
 */
export function applyChanges(reference: string, changes: readonly InlineChange[]): string {
  argString('applyChanges', 'reference', reference)
  argArray('applyChanges', 'changes', changes, 'inline changes')
  let at = 0
  let out = ''
  for (const [i, c] of changes.entries()) {
    if (c.op === 'insert') {
      out += c.text
      continue
    }
    if (c.op !== 'equal' && c.op !== 'delete') throw invalid(`applyChanges: changes[${i}].op must be equal, insert or delete`)
    if (!reference.startsWith(c.text, at)) {
      throw invalid(`applyChanges: changes[${i}] (${c.op} ${describeValue(c.text)}) does not match the reference at offset ${at}`)
    }
    at += c.text.length
    if (c.op === 'equal') out += c.text
  }
  if (at !== reference.length)
    throw invalid(`applyChanges: the changes cover ${at} of the reference's ${reference.length} characters`)
  return out
}
