// Verbatim passages as compare reports them: runs of shared words, never marked copied across a
// figure or a name that differs.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compare } from '../../src/compare/compare.js'
import { measureEvidence } from '../../src/compare/evidence.js'
import { passagesOf } from '../../src/compare/passages.js'
import { analysedText, bondNotice } from '../helpers/notices.js'
import { fcOptions } from '../helpers/seed.js'

const numbers = (s: string) => (s.match(/\d[\d,./-]*/g) ?? []).sort()

describe('verbatim passages', () => {
  it('are not reported across a figure or a name that differs (template notices for two issuers)', () => {
    const a = bondNotice('Koval Finance', '150', '8-1/4', '101-1/2', 'Brandt Securities')
    const b = bondNotice('Marlow Holdings', '200', '7-7/8', '101-1/4', 'Osterby Bank')
    const c = compare(analysedText(a), analysedText(b))
    const verbatim = c.passages.filter((p) => p.mode === 'verbatim')
    expect(verbatim.length).toBeGreaterThan(1)
    for (const p of verbatim) {
      const sa = a.slice(p.a.start, p.a.end)
      const sb = b.slice(p.b.start, p.b.end)
      expect(numbers(sa), `${sa} / ${sb}`).toEqual(numbers(sb))
      for (const name of ['Koval', 'Marlow', 'Brandt', 'Osterby']) {
        expect(sa.includes(name), sa).toBe(false)
        expect(sb.includes(name), sb).toBe(false)
      }
    }
  })

  it('still chains a run across a gap of ordinary words', () => {
    const a = 'Dock workers in Varnholm stopped work on Tuesday, bringing the harbour to a standstill for the day.'
    const b = 'Dock workers in Varnholm stopped work on Tuesday, halting the harbour to a standstill for the day.'
    const v = compare(analysedText(a), analysedText(b)).passages.filter((p) => p.mode === 'verbatim')
    expect(v).toHaveLength(1)
    expect(a.slice(v[0]?.a.start, v[0]?.a.end)).toBe(a)
  })

  // Words, capitalised names and figures: a gap holds one of each kind in some draws.
  const WORDS = 'the of harbour winter bridge mayor train valley tower copper canal Varnholm Osterby 12 7 40'.split(' ')
  const sentence = fc.array(fc.nat(WORDS.length - 1), { minLength: 3, maxLength: 9 })
  const text = (ss: number[][]) =>
    ss.map((w) => {
      const t = w.map((i) => WORDS[i]).join(' ')
      return `${t.charAt(0).toUpperCase()}${t.slice(1)}.`
    })
  // `b` takes `a`'s sentences, some with one word replaced.
  const pair = fc
    .tuple(fc.array(sentence, { minLength: 1, maxLength: 5 }), fc.array(fc.tuple(fc.nat(8), fc.nat(WORDS.length - 1))))
    .map(([ss, edits]) => {
      const other = ss.map((w) => [...w])
      for (const [k, word] of edits) {
        const s = other[k % other.length] as number[]
        s[(k * 7) % s.length] = word
      }
      return [text(ss).join(' '), text(other).join(' ')] as const
    })

  it('cover every tiled token of the runs and no figure or name outside the tiles (property)', () => {
    fc.assert(
      fc.property(pair, ([ta, tb]) => {
        const [x, y] = [analysedText(ta), analysedText(tb)]
        const ev = measureEvidence(x, y, false)
        const verbatim = passagesOf(ev, false).filter((p) => p.mode === 'verbatim')
        // Tiled tokens are kept whole: the pieces of a run hold exactly its tiled tokens.
        const runTokens = ev.runs.reduce((s, r) => s + r.tokens, 0)
        expect(verbatim.reduce((s, p) => s + p.tokens.a, 0)).toBe(runTokens)
        for (const side of ['a', 'b'] as const) {
          const v = ev.views[side]
          const tiled = new Uint8Array(v.tokens.length)
          for (const t of ev.tiles)
            tiled.fill(1, side === 'a' ? t.aStart : t.bStart, (side === 'a' ? t.aStart : t.bStart) + t.length)
          const inRun = new Uint8Array(v.tokens.length)
          for (const r of ev.runs)
            for (const t of ev.tiles) {
              const at = side === 'a' ? t.aStart : t.bStart
              if (t.aStart >= r.aStart && t.aStart < r.aEnd) inRun.fill(1, at, at + t.length)
            }
          const inside = (i: number) =>
            verbatim.some((p) => (v.start[i] as number) >= p[side].start && (v.end[i] as number) <= p[side].end)
          for (let i = 0; i < v.tokens.length; i++) {
            if (inRun[i]) expect(inside(i), `tiled token ${i} of ${side}`).toBe(true)
            if (!tiled[i] && v.specific[i]) expect(inside(i), `untiled figure or name ${i} of ${side}`).toBe(false)
          }
        }
      }),
      fcOptions(300, 7),
    )
  })
})
