// The CLI's JSON layout: indented like JSON.stringify(x, null, 2) down to the records, each record
// (an array element holding at most two levels of nesting: a paragraph row, a story paragraph,
// a member, a passage, a skipped article) on one line. Indenting every field of a flood's
// 150,000 diff rows was 60 % of the report's bytes; one record a line still reads, and greps, well.

/** Containers nested below `value` (0 for a primitive or an empty container), up to `cap`. */
function height(value: unknown, cap: number): number {
  if (value === null || typeof value !== 'object') return 0
  let h = 0
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    if (v === null || typeof v !== 'object') continue
    h = Math.max(h, 1 + height(v, cap - 1))
    if (h > cap) return h
  }
  return h
}

/** Array elements nested no deeper than this go on one line. */
const RECORD_HEIGHT = 2

/**
 * `value` as JSON text with a trailing newline: the same value as `JSON.stringify(value)`, laid
 * out as described above. Only JSON-safe data (what `buildReport` returns) is expected.
 */
export function layoutJson(value: unknown): string {
  const out: string[] = []
  write(value, '', false, out)
  out.push('\n')
  return out.join('')
}

function write(value: unknown, indent: string, element: boolean, out: string[]): void {
  if (value === null || typeof value !== 'object' || (element && height(value, RECORD_HEIGHT) <= RECORD_HEIGHT)) {
    out.push(JSON.stringify(value) ?? 'null')
    return
  }
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]')
      return
    }
    out.push('[')
    value.forEach((v, i) => {
      out.push(i === 0 ? '\n' : ',\n', inner)
      write(v, inner, true, out)
    })
    out.push('\n', indent, ']')
    return
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function')
  if (entries.length === 0) {
    out.push('{}')
    return
  }
  out.push('{')
  entries.forEach(([k, v], i) => {
    out.push(i === 0 ? '\n' : ',\n', inner, JSON.stringify(k), ': ')
    write(v, inner, false, out)
  })
  out.push('\n', indent, '}')
}
