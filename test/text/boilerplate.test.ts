import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { analyze } from '../../src/index.js'
import {
  type BoilerplateRule,
  type CleanedParagraph,
  collapseSpaces,
  DEFAULT_BOILERPLATE_RULES,
  learnBoilerplate,
  matchSpans,
  RULE_HINTS,
  removeBoilerplate,
} from '../../src/text/boilerplate.js'
import { segmentParagraphs } from '../../src/text/segment.js'
import { fcOptions } from '../helpers/seed.js'
import { anyText } from '../helpers/unicode.js'

const removedBy = (text: string, rule: string): string[] => {
  const r = analyze({ id: 'a', text })
  return r.removed.filter((x) => x.rule === rule).map((x) => x.text)
}

describe('share-links rule', () => {
  it.each(['x', 'X', 'a', 'ok', 'Xi'])('keeps the short real text %j (not boilerplate-only)', (text) => {
    const r = analyze({ id: 'a', text })
    expect(r.status).toBe('ok')
    expect(r.removed).toEqual([])
  })

  it('keeps a one-letter paragraph inside an article', () => {
    expect(removedBy('The vote was close.\n\nX\n\nThe count ends on Monday.', 'share-links')).toEqual([])
  })

  it.each([
    'Share',
    'Share this article',
    'Share on X',
    'share on twitter',
    'Facebook',
    'Email',
    'Facebook | X | Email',
    'x | twitter',
  ])('still removes the share line %j', (line) => {
    expect(removedBy(`The vote was close and the count ends on Monday.\n\n${line}`, 'share-links')).toEqual([line])
    const alone = analyze({ id: 'a', text: line })
    expect(alone.status === 'skipped' && alone.reason).toBe('boilerplate-only')
  })
})

describe('removeBoilerplate internals (same results as matchAll and replace, with less work)', () => {
  const patterns = [
    ...DEFAULT_BOILERPLATE_RULES.filter((r) => r.scope === 'inline').map((r) => r.pattern),
    /x*/g,
    /(?:)/gu,
    /\p{L}*/gu,
    /a|b/gy,
    /\s+/g,
  ]

  it('matchSpans finds the non-empty matches matchAll finds', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...patterns), (t, re) => {
        const expected = [...t.matchAll(re)].filter((m) => m[0].length > 0).map((m) => [m.index, m.index + m[0].length])
        expect(matchSpans(t, re)).toEqual(expected)
        expect(re.lastIndex).toBe(0)
      }),
      fcOptions(300),
    )
  })

  it('a paragraph longer than the maxLength hint says is one the rule does not match, and one as long is still dropped', () => {
    const copyright = DEFAULT_BOILERPLATE_RULES.find((r) => r.name === 'copyright') as BoilerplateRule
    const bound = RULE_HINTS.get(copyright.pattern)?.maxLength as number
    const tails = [
      'may not be published, broadcast, rewritten or redistributed.',
      'All rights reserved.',
      '', // "Copyright " + up to 80 characters
    ]
    for (const tail of tails) {
      for (let n = bound - 70; n <= bound + 5; n++) {
        const text = tail === '' ? `Copyright ${'x'.repeat(n - 10)}` : `${'x'.repeat(n - tail.length)}${tail}`
        const matches = copyright.pattern.test(text)
        expect(matches && text.length > bound, text).toBe(false)
        const body = 'Rebels entered the city of Homs on Saturday, the army said in a statement.'
        expect(removedBy(`${body}\n\n${text}\n\n${body} Again.`, 'copyright'), text).toEqual(matches ? [text] : [])
      }
    }
    // The bound is reached: the longest branch matches at exactly its length.
    expect(copyright.pattern.test(`${'x'.repeat(80)}may not be published, broadcast, rewritten or redistributed.`)).toBe(true)
    expect(bound).toBe(80 + 60)
  })

  it('collapseSpaces is replace(/[\\s\\u00A0]+/g, " ")', () => {
    const spaced = fc
      .array(fc.constantFrom('a', 'Share', ' ', '  ', '\t', '\u00a0', '\u2009', '\u3000', '\ufeff', '\u200b', '\n'), {
        maxLength: 12,
      })
      .map((p) => p.join(''))
    fc.assert(
      fc.property(fc.oneof(anyText, spaced), (t) => {
        expect(collapseSpaces(t)).toBe(t.replace(/[\s\u00A0]+/g, ' '))
      }),
      fcOptions(500),
    )
  })

  it('an inline rule is only run on a text its prefilter finds', () => {
    const advert = DEFAULT_BOILERPLATE_RULES.find((r) => r.name === 'advert-notice') as BoilerplateRule
    const pre = RULE_HINTS.get(advert.pattern)?.prefilter as RegExp
    for (const t of [
      'Article continues below advertisement',
      'STORY CONTINUES AFTER THIS ADVERTISEMENT',
      'Scroll to continue with content',
    ]) {
      advert.pattern.lastIndex = 0
      expect(advert.pattern.test(t)).toBe(true)
      expect(pre.test(t)).toBe(true)
    }
    fc.assert(
      fc.property(anyText, (t) => {
        advert.pattern.lastIndex = 0
        if (advert.pattern.test(t)) expect(pre.test(t)).toBe(true)
      }),
      fcOptions(200),
    )
    advert.pattern.lastIndex = 0
  })
})

describe('a long paragraph', () => {
  it('has an inline notice removed whatever its length (300,000 characters overflowed the stack)', () => {
    const text = `Article continues after this advertisement ${'word '.repeat(60_000)}`
    const r = analyze({ id: 'a', text })
    expect(r.status).toBe('ok')
    expect(r.removed.map((x) => [x.rule, x.start])).toEqual([['advert-notice', 0]])
  })
})

describe('paragraphs cleaned once (a memo by text)', () => {
  // Paragraphs that rules remove whole, in part, only in an article's second half, or not at all.
  const PIECES = [
    'The rebels entered the city on Saturday, witnesses said.',
    'Article continues after this advertisement The army withdrew to the coast.',
    'date 2024-12-08 Homs fell overnight.',
    'Advertisement',
    'Share on Facebook',
    'Related stories',
    'The Latest',
    '© 2024 AFP. All rights reserved.',
    'Scroll to continue with content',
    '   ',
    'Officials gave no figure for the dead.',
    'Read more',
    'Subscribe to our newsletter for daily updates',
  ]
  const article = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 12 }).map((ps) => ps.join('\n\n'))
  const learned = learnBoilerplate(
    Array.from({ length: 6 }, () => ({ text: 'Officials gave no figure for the dead.\n\nSomething else', source: 's' })),
  )

  it('removes what a fresh reading removes, wherever a paragraph met before stands (against no memo)', () => {
    fc.assert(
      fc.property(fc.array(article, { minLength: 1, maxLength: 6 }), fc.boolean(), (texts, withLearned) => {
        const memo = new Map<string, CleanedParagraph>()
        const input = { rules: DEFAULT_BOILERPLATE_RULES, source: 's', ...(withLearned ? { learned } : {}) }
        for (const text of texts) {
          const fresh = removeBoilerplate(text, segmentParagraphs(text), input)
          expect(removeBoilerplate(text, segmentParagraphs(text), { ...input, memo })).toEqual(fresh)
        }
      }),
      fcOptions(300),
    )
  })

  it('keeps each text cleaned once for the rules it was given', () => {
    const memo = new Map<string, CleanedParagraph>()
    const text = 'Advertisement\n\nThe rebels entered the city.\n\nAdvertisement'
    removeBoilerplate(text, segmentParagraphs(text), { rules: DEFAULT_BOILERPLATE_RULES, memo })
    expect([...memo.keys()].sort()).toEqual(['Advertisement', 'The rebels entered the city.'])
    expect(memo.get('Advertisement')?.matches.map((r) => r.name)).toEqual(['advertisement'])
  })
})
