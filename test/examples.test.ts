import { describe, expect, it } from 'vitest'
import { runScript } from './helpers/cli.js'

describe('examples/stream.ts', () => {
  it('says which article is the original: 003 (the fullest version) is the source of its earlier truncated copy 001', () => {
    const stdout = runScript('examples/stream.ts')
    const after003 = stdout.slice(stdout.indexOf('+ 003'))
    expect(after003).toMatch(/^ {4}original of 001 \(001 is a copy of it\): "001" is taken from "003"/m)
    expect(stdout).not.toMatch(/copy of 001/)
    // 000 and 001 share a part, and the line's form agrees with the reason: 001 is the original.
    const line001 = /\+ 001 [^\n]*\n {4}([^\n]*)/.exec(stdout)?.[1] ?? ''
    expect(line001).toMatch(/^original of 000 \(000 is a partial copy of it\): part of "000" derives from "001"/)
    // 002 shares a part with 001 too, but only at about 0.64, under the default floor of partial
    // links (0.7): a new story when it comes, joined when 003, its source, does.
    const line002 = /\+ 002 [^\n]*\n {4}([^\n]*)/.exec(stdout)?.[1] ?? ''
    expect(line002).toBe('new story')
    expect(after003).toMatch(/^ {4}original of 002 \(002 is a translation of it\)/m)
  })
})
