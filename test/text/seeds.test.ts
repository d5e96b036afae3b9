import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { learnBoilerplate } from '../../src/text/boilerplate.js'
import { segmentParagraphs } from '../../src/text/segment.js'
import { seed } from '../helpers/seeds.js'

const ok = (id: string) => analyze(seed(id)) as AnalysisOk

describe('segmentation on the seeds', () => {
  it('finds the paragraphs of both conventions (blank lines; one paragraph per line)', () => {
    // 000–002 separate paragraphs with blank lines (002 with runs of whitespace-only lines too);
    // 003 puts one paragraph per line; 004 mixes both and has a heading block.
    expect(ok('000').paragraphs).toHaveLength(12)
    expect(ok('001').paragraphs).toHaveLength(11)
    expect(ok('002').paragraphs).toHaveLength(15)
    expect(ok('003').paragraphs).toHaveLength(45)
    expect(ok('004').paragraphs).toHaveLength(18)
  })

  it('keeps offsets into the original text', () => {
    for (const id of ['000', '001', '002', '003', '004']) {
      const text = seed(id).text
      for (const p of segmentParagraphs(text))
        expect(text.slice(p.start, p.end).replace(/\s+/g, ' ')).toBe(p.text.replace(/\s+/g, ' '))
    }
  })

  it('marks headings, datelines and bylines', () => {
    const p3 = ok('003').paragraphs
    expect(p3[0]?.kind).toBe('heading') // "Syria rebels enter strategic city of Homs – war monitor"
    expect(p3.filter((p) => p.kind === 'heading').map((p) => p.text)).toEqual([
      'Syria rebels enter strategic city of Homs – war monitor',
      '‘Scared’',
      'Soldiers ‘fled’',
      '‘Tired of war’',
    ])
    const p4 = ok('004').paragraphs
    expect(p4.slice(0, 3).map((p) => [p.kind, p.text])).toEqual([
      ['heading', 'Syrian rebel control key city of Homs'],
      ['dateline', '08-12-2024'],
      ['byline', 'Rudaw'],
    ])
  })
})

describe('boilerplate on the seeds', () => {
  it('removes the advertisement notice glued onto 003’s paragraphs, and reports it', () => {
    const a = ok('003')
    expect(a.paragraphs.some((p) => /advertisement/i.test(p.text))).toBe(false)
    expect(a.paragraphs[6]?.text.startsWith('Commander Hassan Abdel Ghani')).toBe(true)
    const ads = a.removed.filter((r) => r.rule === 'advert-notice')
    expect(ads).toHaveLength(2)
    for (const r of ads) expect(seed('003').text.slice(r.start, r.end)).toBe(r.text)
  })

  it('removes the "date" header line of 000–002', () => {
    for (const id of ['000', '001', '002']) {
      const a = ok(id)
      expect(a.paragraphs[0]?.text.startsWith('date ')).toBe(false)
      expect(a.removed.map((r) => r.rule)).toContain('date-header')
    }
  })

  it('removes Rudaw’s site chrome and its trailing comment policy and "The Latest"', () => {
    const a = ok('004')
    const all = a.paragraphs.map((p) => p.text).join('\n')
    expect(all).not.toMatch(/A\+ A-|Rudaw moderates|Post a comment|The Latest|Tishreen Dam/)
    expect(a.paragraphs.at(-1)?.text).toMatch(/^UN Security Council Resolution 2254/)
    const trailing = a.removed.find((r) => r.rule === 'trailing-section')
    expect(trailing?.text).toMatch(/^Comments[\s\S]*an apparent war crime/)
    expect(a.removed.map((r) => r.rule)).toContain('font-size-controls')
  })

  it('takes user patterns, and learns recurring lines of a source from a corpus', () => {
    const custom = analyze(seed('001'), {
      boilerplateRules: [{ name: 'app-credit', scope: 'inline', pattern: /\(APP - UrduPoint[^)]*\)\s*/g }],
    }) as AnalysisOk
    expect(custom.paragraphs[0]?.text).toMatch(/^Beirut, A war monitor/)
    expect(custom.removed.map((r) => r.rule)).toContain('app-credit')

    const docs = Array.from({ length: 6 }, (_, i) => ({
      source: 'Daily',
      text: `Story number ${i} says something different about topic ${i}.\n\nFollow us on Telegram for the latest updates\n\nMore text ${i * 7}.`,
    }))
    const learned = learnBoilerplate(docs, { minDocs: 5 })
    expect(Object.keys(learned.sources)).toEqual(['Daily'])
    const a = analyze({ id: 'x', source: 'Daily', text: docs[0]!.text }, { learnedBoilerplate: learned }) as AnalysisOk
    expect(a.paragraphs.map((p) => p.text)).not.toContain('Follow us on Telegram for the latest updates')
    expect(a.removed.find((r) => r.scope === 'learned')?.text).toBe('Follow us on Telegram for the latest updates')
    // Another source is untouched.
    const b = analyze({ id: 'y', source: 'Other', text: docs[0]!.text }, { learnedBoilerplate: learned }) as AnalysisOk
    expect(b.paragraphs.map((p) => p.text)).toContain('Follow us on Telegram for the latest updates')
  })
})

describe('edge cases', () => {
  it('gives skipped results with reasons, never exceptions, for unusable text', () => {
    expect(analyze({ id: 'e', text: '' })).toMatchObject({ status: 'skipped', reason: 'empty' })
    expect(analyze({ id: 'w', text: ' \n\t ' })).toMatchObject({ status: 'skipped', reason: 'empty' })
    expect(analyze({ id: 'b', text: 'A+ A-\n\nAdvertisement' })).toMatchObject({ status: 'skipped', reason: 'boilerplate-only' })
    expect(analyze({ id: 'p', text: '— … ! ?' })).toMatchObject({ status: 'skipped', reason: 'no-shingles' })
    expect(analyze({ id: 'h', text: 'word '.repeat(30) }, { maxLength: 100 })).toMatchObject({
      status: 'skipped',
      reason: 'too-large',
    })
  })

  it('refuses what is not an article, naming the field', () => {
    expect(() => analyze('text' as never)).toThrow(/article must be an object/)
    expect(() => analyze({ id: 'x', text: 42 } as never)).toThrow(/text must be a string, got 42/)
    expect(() => analyze({ id: '', text: 'a' })).toThrow(/id must be a non-empty string/)
    expect(() => analyze({ id: 'x', text: null } as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARTICLE' }))
  })
})
