/** Every error wiretrace throws is a WiretraceError; `code` is stable, the message names the bad value. */
export type WiretraceErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_ARTICLE'
  | 'DUPLICATE_ID'
  | 'PARAMS_MISMATCH'
  | 'UNSUPPORTED_VERSION'
  | 'CORRUPT_DATA'
  | 'MISSING_DEPENDENCY'
  | 'STORE_ERROR'
  | 'INPUT_ERROR'

export class WiretraceError extends Error {
  readonly code: WiretraceErrorCode
  constructor(code: WiretraceErrorCode, message: string, options?: { cause?: unknown }) {
    super(`wiretrace: ${message}`, options)
    this.name = 'WiretraceError'
    this.code = code
  }
}

/** Short, safe rendering of a bad value for an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string') return value.length > 40 ? `a string of length ${value.length}` : JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (Array.isArray(value)) return `an array of length ${value.length}`
  return typeof value === 'object' ? 'an object' : typeof value
}

export function invalid(message: string): WiretraceError {
  return new WiretraceError('INVALID_ARGUMENT', message)
}

/** An input the CLI or the Node reader cannot use (a file, a line, a byte), with its cause. */
export function inputError(message: string, cause?: unknown): WiretraceError {
  return new WiretraceError('INPUT_ERROR', message, cause === undefined ? undefined : { cause })
}

/** `value`, the argument `name` of `fn`, must be a string. */
export function argString(fn: string, name: string, value: unknown): string {
  if (typeof value !== 'string') throw invalid(`${fn}: ${name} must be a string, got ${describeValue(value)}`)
  return value
}

/** `value`, the argument `name` of `fn`, must be a finite number. */
export function argNumber(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value))
    throw invalid(`${fn}: ${name} must be a number, got ${describeValue(value)}`)
  return value
}

/** `value`, the argument `name` of `fn`, must be an array (of `what`). */
export function argArray<T>(fn: string, name: string, value: unknown, what: string): readonly T[] {
  if (!Array.isArray(value)) throw invalid(`${fn}: ${name} must be an array of ${what}, got ${describeValue(value)}`)
  return value as readonly T[]
}

/** `value`, the argument `name` of `fn`, must be iterable (an array, a Set, a generator …), not a string. */
export function argIterable<T>(fn: string, name: string, value: unknown, what: string): Iterable<T> {
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function'
  )
    throw invalid(`${fn}: ${name} must be an iterable of ${what} (an array, say), got ${describeValue(value)}`)
  return value as Iterable<T>
}

/** `value`, the argument `name` of `fn`, must be an array or typed array of numbers. */
export function argNumbers(fn: string, name: string, value: unknown): ArrayLike<number> {
  if (!ArrayBuffer.isView(value) && !Array.isArray(value))
    throw invalid(`${fn}: ${name} must be an array or typed array of numbers, got ${describeValue(value)}`)
  return value as unknown as ArrayLike<number>
}

/** An options argument: absent, or an object. */
export function argOptions(fn: string, name: string, value: unknown): void {
  if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value)))
    throw invalid(`${fn}: ${name} must be an options object, got ${describeValue(value)}`)
}

export function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}, got ${describeValue(value)}`)
  }
  return value
}

export function checkNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(`${name} must be a number from ${min} to ${max}, got ${describeValue(value)}`)
  }
  return value
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Whether `s` has an unpaired UTF-16 surrogate (no UTF-8 encoding: it cannot be stored or sent as it is). */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s)
}
