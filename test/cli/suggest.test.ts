// The edit distance behind "did you mean --workers?", and which candidate it picks.
import { describe, expect, it } from 'vitest'
import { closest, editDistance } from '../../src/cli/suggest.js'

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('', '')).toBe(0)
    expect(editDistance('workers', 'workers')).toBe(0)
    expect(editDistance('', 'out')).toBe(3)
    expect(editDistance('out', '')).toBe(3)
    expect(editDistance('worker', 'workers')).toBe(1)
    expect(editDistance('workers', 'worker')).toBe(1)
    expect(editDistance('colour', 'color')).toBe(1)
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('window_days', 'window-days')).toBe(1)
  })

  it('counts a swap of two adjacent characters as one edit', () => {
    expect(editDistance('fromat', 'format')).toBe(1)
    expect(editDistance('max-lenght', 'max-length')).toBe(1)
    expect(editDistance('ab', 'ba')).toBe(1)
    // Optimal string alignment: a swapped pair is not edited again.
    expect(editDistance('ca', 'abc')).toBe(3)
  })

  it('is symmetric', () => {
    const words = ['', 'a', 'out', 'form', 'format', 'fromat', 'no-color', 'colour', 'threshold', 'paragraph-threshold']
    for (const a of words) for (const b of words) expect(editDistance(a, b), `${a} ${b}`).toBe(editDistance(b, a))
  })
})

describe('closest', () => {
  const options = ['format', 'out', 'threshold', 'paragraph-threshold', 'workers', 'no-color', 'l2', 'quiet']

  it('names the option one or two edits away', () => {
    expect(closest('worker', options)).toBe('workers')
    expect(closest('fromat', options)).toBe('format')
    expect(closest('form', options)).toBe('format')
    expect(closest('treshold', options)).toBe('threshold')
    expect(closest('paragraph-treshold', options)).toBe('paragraph-threshold')
    expect(closest('no-colour', options)).toBe('no-color')
  })

  it('allows one edit for a short word, and suggests nothing that is far', () => {
    expect(closest('l3', options)).toBe('l2')
    expect(closest('ou', options)).toBe('out')
    expect(closest('in', options)).toBeUndefined()
    expect(closest('bogus', options)).toBeUndefined()
    expect(closest('colour', options)).toBeUndefined()
    expect(closest('anything', [])).toBeUndefined()
  })

  it('takes the nearest, and the first of equals', () => {
    expect(closest('outs', ['outer', 'out'])).toBe('out')
    expect(closest('ab', ['ac', 'ad'])).toBe('ac')
  })
})
