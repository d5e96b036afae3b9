import { expect } from 'vitest'
import { WiretraceError, type WiretraceErrorCode } from '../../src/errors.js'

/** What an error message must hold: a string it contains, or a pattern it matches. */
export type MessagePart = string | RegExp

/** A wiretrace message (a WiretraceError's, or the CLI's stderr): starts with "wiretrace: " and holds every part. */
export function expectMessage(message: string, parts: readonly MessagePart[]): void {
  expect(message.startsWith('wiretrace: ')).toBe(true)
  for (const p of parts) {
    if (typeof p === 'string') expect(message).toContain(p)
    else expect(message).toMatch(p)
  }
}

function expectWiretraceError(caught: unknown, nothing: string, code: WiretraceErrorCode, parts: MessagePart[]): WiretraceError {
  expect(caught, nothing).toBeInstanceOf(WiretraceError)
  const err = caught as WiretraceError
  expect(err.code, err.message).toBe(code)
  expectMessage(err.message, parts)
  return err
}

/** Run `fn`, expect a WiretraceError with `code` whose message starts with "wiretrace: " and holds every part. */
export function expectError(fn: () => unknown, code: WiretraceErrorCode, ...parts: MessagePart[]): WiretraceError {
  let caught: unknown
  try {
    fn()
  } catch (e) {
    caught = e
  }
  return expectWiretraceError(caught, 'expected a throw', code, parts)
}

/** Like {@link expectError}, for a promise that must reject. */
export async function expectRejects(
  promise: Promise<unknown>,
  code: WiretraceErrorCode,
  ...parts: MessagePart[]
): Promise<WiretraceError> {
  const caught = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  return expectWiretraceError(caught, 'expected a rejection', code, parts)
}

/** The code of the WiretraceError `f` throws, or undefined when it returns. */
export function codeOf(f: () => unknown): WiretraceErrorCode | undefined {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(WiretraceError)
    return (e as WiretraceError).code
  }
  return undefined
}
