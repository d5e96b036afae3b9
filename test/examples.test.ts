import { describe, expect, it } from 'vitest'
import { runScript } from './helpers/cli.js'

describe('examples/stream.ts', () => {
  it('says which article is the original: 003 (the fullest version) is the source of its earlier truncated copy 001', () => {
    const stdout = runScript('examples/stream.ts')
    const after003 = stdout.slice(stdout.indexOf('+ 003'))
    expect(after003).toMatch(/^ {4}original of 001 \(001 is a copy of it\): "001" is taken from "003"/m)
    expect(stdout).not.toMatch(/copy of 001/)
    // 001 and 002 (same day) share a part, and the model judges the likelier side: whichever it
    // is, the line's form agrees with the reason ("partial of 001" when 002 derives, "original of
    // 001" when 001 does).
    const line002 = /\+ 002 [^\n]*\n {4}([^\n]*)/.exec(stdout)?.[1] ?? ''
    expect(line002).toMatch(
      /^(partial of 001: part of "002" derives from "001"|original of 001 \(001 is a partial copy of it\): part of "001" derives from "002")/,
    )
  })
})
