// A validator for the subset of JSON Schema (draft 2020-12) that schema/report.schema.json uses.
// ajv is not a dependency and this is all the report schema needs; SUPPORTED lists the keywords,
// and a test checks that the schema uses no other, so a keyword this file ignores cannot slip in.

export type Schema = { [keyword: string]: unknown }

/** Keywords that constrain, and that this validator checks. */
const CHECKED = [
  '$ref',
  'type',
  'const',
  'enum',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'minimum',
  'maximum',
  'oneOf',
] as const
/** Keywords that only annotate. */
const ANNOTATIONS = ['$schema', '$id', '$defs', 'title', 'description', 'format'] as const

export const SUPPORTED: ReadonlySet<string> = new Set([...CHECKED, ...ANNOTATIONS])

/** Every keyword used anywhere in `schema` (property names under `properties`/`$defs` excluded). */
export function keywordsOf(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const s of schema) keywordsOf(s, out)
    return out
  }
  if (!schema || typeof schema !== 'object') return out
  for (const [k, v] of Object.entries(schema)) {
    out.add(k)
    if (k === 'properties' || k === '$defs') for (const sub of Object.values(v as object)) keywordsOf(sub, out)
    else if (k === 'items' || k === 'additionalProperties' || k === 'oneOf') keywordsOf(v, out)
  }
  return out
}

function typeOf(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

function resolve(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`)
  let node: unknown = root
  for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part]
  if (!node || typeof node !== 'object') throw new Error(`unresolved $ref ${ref}`)
  return node as Schema
}

/** Validate `value` against `schema`; returns the errors, each with its JSON path ([] when valid). */
export function validate(value: unknown, schema: Schema, root: Schema = schema, path = '$'): string[] {
  const errors: string[] = []
  if (schema.$ref !== undefined) errors.push(...validate(value, resolve(root, schema.$ref as string), root, path))
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string]
    const t = typeOf(value)
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
      return [...errors, `${path}: expected ${types.join(' or ')}, got ${t}`]
    }
  }
  if ('const' in schema && value !== schema.const) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`)
  if (schema.enum !== undefined && !(schema.enum as unknown[]).includes(value)) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`)
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < (schema.minimum as number)) errors.push(`${path}: ${value} < ${schema.minimum}`)
    if (schema.maximum !== undefined && value > (schema.maximum as number)) errors.push(`${path}: ${value} > ${schema.maximum}`)
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < (schema.minItems as number)) {
      errors.push(`${path}: fewer than ${schema.minItems} items`)
    }
    if (schema.items !== undefined) {
      value.forEach((v, i) => {
        errors.push(...validate(v, schema.items as Schema, root, `${path}[${i}]`))
      })
    }
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>
    const props = (schema.properties ?? {}) as Record<string, Schema>
    for (const k of (schema.required ?? []) as string[]) if (!(k in obj)) errors.push(`${path}: missing required "${k}"`)
    for (const [k, v] of Object.entries(obj)) {
      const sub = props[k]
      if (sub) errors.push(...validate(v, sub, root, `${path}.${k}`))
      else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property "${k}"`)
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        errors.push(...validate(v, schema.additionalProperties as Schema, root, `${path}.${k}`))
      }
    }
  }
  if (schema.oneOf !== undefined) {
    const results = (schema.oneOf as Schema[]).map((s) => validate(value, s, root, path))
    const passing = results.filter((r) => r.length === 0).length
    if (passing > 1) errors.push(`${path}: matches ${passing} of the oneOf alternatives, expected exactly 1`)
    // None matches: the errors of an alternative of the right type say why.
    if (passing === 0) {
      const typed = results.filter((r) => !r.some((e) => e.startsWith(`${path}: expected `)))
      errors.push(...(typed[0] ?? results[0] ?? []))
    }
  }
  return errors
}
