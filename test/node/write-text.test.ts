// writeTextFile writes a report a megabyte of text at a time: the bytes must be writeFile's.
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { writeTextFile } from '../../src/node/io.js'
import { scratchDir } from '../helpers/files.js'

const scratch = scratchDir('wiretrace-write-')
afterAll(() => scratch.remove())

describe('writeTextFile', () => {
  it('writes the UTF-8 of the string, with a surrogate pair across a chunk boundary kept whole', async () => {
    const chunk = 1 << 20
    // An emoji (two UTF-16 units) straddling the first boundary, a two-byte and a three-byte character after it.
    const text = `${'a'.repeat(chunk - 1)}😀é…${'b'.repeat(chunk)}😀`
    const path = scratch.file('big.txt')
    await writeTextFile(path, text)
    expect(readFileSync(path).equals(Buffer.from(text, 'utf8'))).toBe(true)
  })

  it('writes an empty file for an empty string and replaces what was there', async () => {
    const path = scratch.file('empty.txt', 'old content')
    await writeTextFile(path, '')
    expect(readFileSync(path, 'utf8')).toBe('')
  })

  it('writes pieces as their concatenation', async () => {
    const pieces = ['a'.repeat((1 << 20) + 3), '', 'é…😀', 'b'.repeat(10)]
    const path = scratch.file('pieces.txt', 'old content')
    await writeTextFile(path, pieces)
    expect(readFileSync(path).equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true)
  })
})
