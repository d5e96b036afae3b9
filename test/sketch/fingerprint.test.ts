import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { analyze } from '../../src/analyze.js'
import { describeParams, sameParams } from '../../src/sketch/fingerprint.js'
import { estimateJaccard } from '../../src/sketch/minhash.js'
import { DEFAULT_SKETCH } from '../helpers/fingerprints.js'
import { fcOptions } from '../helpers/seed.js'
import { anyText } from '../helpers/unicode.js'

describe('analyze on arbitrary Unicode', () => {
  it('returns ok or skipped and never throws, in both schemes and with diacritic folding', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom('oph' as const, 'kperm' as const), fc.boolean(), (text, scheme, foldDiacritics) => {
        const a = analyze({ id: 'x', text }, { scheme, foldDiacritics, numPerm: 16, paragraphPerm: 8 })
        expect(['ok', 'skipped']).toContain(a.status)
        if (a.status === 'ok') {
          const fp = a.fingerprint
          expect(fp.signature).toHaveLength(16)
          expect(fp.shingleCount).toBe(a.shingles.length)
          expect(fp.shingleCount).toBeGreaterThan(0)
          for (const p of fp.paragraphs) {
            expect(p.signature).toHaveLength(8)
            expect(p.start).toBeGreaterThanOrEqual(0)
            expect(p.end).toBeLessThanOrEqual(text.length)
          }
        } else {
          expect(a.detail).toBeTypeOf('string')
        }
      }),
      fcOptions(400),
    )
  })

  it('returns a fingerprint whose signature estimates Jaccard 1 against itself', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const a = analyze({ id: 'x', text })
        const b = analyze({ id: 'y', text })
        if (a.status !== 'ok' || b.status !== 'ok') return
        expect(estimateJaccard(a.fingerprint.signature, b.fingerprint.signature)).toBe(1)
      }),
      fcOptions(100, 1),
    )
  })
})

describe('sameParams / describeParams', () => {
  it('returns false when any single parameter differs, and names every parameter', () => {
    const changes = { numPerm: 64, paragraphPerm: 16, seed: 2, shingleSize: 4, charShingleSize: 5, scheme: 'kperm' as const }
    for (const [k, v] of Object.entries(changes)) {
      expect(sameParams(DEFAULT_SKETCH, { ...DEFAULT_SKETCH, [k]: v })).toBe(false)
      expect(describeParams({ ...DEFAULT_SKETCH, [k]: v })).toContain(`${k}=${v}`)
    }
    expect(sameParams(DEFAULT_SKETCH, { ...DEFAULT_SKETCH })).toBe(true)
  })
})

describe('edge cases', () => {
  it('returns skipped (not a throw) for empty, whitespace-only and punctuation-only text', () => {
    for (const text of ['', '   \n\t ', '\u00a0\u200b\ufeff', '... --- !!!', '\udc00\ud800', '😀 👍']) {
      expect(analyze({ id: 'x', text }).status).toBe('skipped')
    }
  })

  it('returns ok for a single word and for a single CJK character', () => {
    expect(analyze({ id: 'x', text: 'Homs' }).status).toBe('ok')
    expect(analyze({ id: 'x', text: '北' }).status).toBe('ok')
  })
})
