// The CLI's JSON layout: indented like JSON.stringify(x, null, 2) down to the report's records,
// each record (a diff row, a cluster member, a story paragraph, a link, a singleton, a skipped
// article, an article's boilerplate) on one line, and so are lists of ids, a diff's summary and
// its boilerplate. Indenting every field of a flood's 150,000 diff rows and 10,000 links was 60 % of
// the report's bytes and most of the time to write it; one record a line still reads, and greps, well.

/** Arrays whose elements are the report's records: each element on one line. */
const RECORD_ARRAYS = new Set(['clusters.members', 'story', 'paragraphs', 'links', 'singletons', 'skipped', 'boilerplate'])
/** Objects inside a record-holding structure that read best whole: a diff's summary, its boilerplate, the languages. */
const ONE_LINE_OBJECTS = new Set(['summary', 'languages', 'boilerplate'])

/**
 * A report as JSON text with a trailing newline: the same value as `JSON.stringify(report)`,
 * laid out as described above (any JSON-safe value is written correctly; the layout rules name
 * the report's fields).
 */
export function layoutJson(value: unknown): string {
  return layoutJsonPieces(value).join('')
}

/** Characters at which {@link layoutJsonPieces} closes a piece. */
const PIECE = 1 << 20
/** Records whose JSON {@link Pieces} remembers at once. */
const RECORDS = 4096

/**
 * {@link layoutJson} in pieces of about a megabyte (more when one record is longer), each ending
 * between two JSON tokens: their concatenation is the layout. For writing a large report: the
 * layout's many small strings are joined a megabyte at a time and die young, instead of all
 * surviving (and being copied by the collector) until one string of the whole report is made.
 */
export function layoutJsonPieces(value: unknown): string[] {
  const out = new Pieces()
  write(value, '', '', out)
  out.push('\n')
  return out.close()
}

class Pieces {
  private parts: string[] = []
  private size = 0
  private readonly done: string[] = []
  private readonly records = new Map<object, string>()

  push(s: string): void {
    this.parts.push(s)
    this.size += s.length
    if (this.size >= PIECE) this.flush()
  }

  /**
   * A record's JSON, remembered by object for the next {@link RECORDS} records met: a flood's member
   * diffs share their alike rows (diffMembers), each written once, not once per member. Bounded,
   * so that the strings of a large report still die young.
   */
  record(v: unknown): string {
    if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null'
    let s = this.records.get(v)
    if (s === undefined) {
      if (this.records.size >= RECORDS) this.records.clear()
      s = JSON.stringify(v) ?? 'null'
      this.records.set(v, s)
    }
    return s
  }

  close(): string[] {
    this.flush()
    return this.done
  }

  private flush(): void {
    if (this.parts.length === 0) return
    this.done.push(this.parts.join(''))
    this.parts = []
    this.size = 0
  }
}

const isPrimitive = (v: unknown) => v === null || typeof v !== 'object'

/** `key`: the property that holds `value` ('clusters.members' for a cluster's members, '' at the top). */
function write(value: unknown, indent: string, key: string, out: Pieces): void {
  if (
    isPrimitive(value) ||
    (Array.isArray(value) && value.every(isPrimitive)) ||
    (!Array.isArray(value) && ONE_LINE_OBJECTS.has(key))
  ) {
    out.push(JSON.stringify(value) ?? 'null')
    return
  }
  const inner = `${indent}  `
  // Each separator is one string: a flood's report has millions of them.
  const first = `\n${inner}`
  const next = `,\n${inner}`
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]')
      return
    }
    const records = RECORD_ARRAYS.has(key)
    out.push('[')
    for (let i = 0; i < value.length; i++) {
      const v = value[i]
      if (records) out.push((i === 0 ? first : next) + out.record(v))
      else {
        out.push(i === 0 ? first : next)
        write(v, inner, '', out)
      }
    }
    out.push(`\n${indent}]`)
    return
  }
  // A cluster's members (objects) are records; a cluster diff's members (ids) are one line anyway.
  const inCluster = (value as { kind?: unknown }).kind === 'cluster'
  let written = 0
  for (const k of Object.keys(value as object)) {
    const v = (value as Record<string, unknown>)[k]
    if (v === undefined || typeof v === 'function') continue
    out.push(`${written === 0 ? `{${first}` : next}${JSON.stringify(k)}: `)
    written++
    write(v, inner, inCluster && k === 'members' ? 'clusters.members' : k, out)
  }
  out.push(written === 0 ? '{}' : `\n${indent}}`)
}
