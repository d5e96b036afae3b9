import { describe, expect, it } from 'vitest'
import {
  type Anchor,
  anchorHash,
  anchorHashes,
  anchorHashList,
  anchorHashScratch,
  extractAnchors,
  nameKey,
} from '../../src/text/anchors.js'
import { has, NTREX, readJsonl } from '../helpers/corpora.js'

const keys = (text: string, kind?: Anchor['kind']): string[] =>
  extractAnchors(text)
    .filter((a) => kind === undefined || a.kind === kind)
    .map((a) => a.key)

const find = (text: string, key: string): Anchor | undefined => extractAnchors(text).find((a) => a.key === key)

describe('numbers', () => {
  it('reads thousands separators of every convention as the same number', () => {
    for (const t of [
      '3,500',
      '3.500',
      '3 500',
      '3\u00a0500',
      '3\u202f500',
      '3\u2009500',
      "3'500",
      '٣٥٠٠',
      '٣٬٥٠٠',
      '۳۵۰۰',
      '３５００',
    ]) {
      expect(keys(`They freed ${t} prisoners.`, 'number'), t).toEqual(['3500'])
    }
    expect(keys('1,234,567 and 1.234.567 and 1 234 567', 'number')).toEqual(['1234567', '1234567', '1234567'])
  })

  it('reads decimal points and commas alike, and the Arabic decimal separator', () => {
    expect(keys('Growth was 2.94 percent', 'number')).toEqual(['2.94'])
    expect(keys('El crecimiento fue de 2,94 por ciento', 'number')).toEqual(['2.94'])
    expect(keys('بلغ النمو ٢٫٩٤ في المئة', 'number')).toEqual(['2.94'])
    expect(keys('3,500.25 dollars and 3.500,25 euros', 'number')).toEqual(['3500.25', '3500.25'])
  })

  it('multiplies amounts written with words, in any language', () => {
    const amounts = [
      '2.94 million viewers',
      '2,94 millones de espectadores',
      '2,94 millions de téléspectateurs',
      '2,94 Millionen Zuschauer',
      '2,94 млн зрителей',
      '2.94 مليون مشاهد',
    ]
    for (const t of amounts) expect(keys(t, 'number'), t).toEqual(['2940000'])
    expect(keys('3.5 billion', 'number')).toEqual(['3500000000'])
    expect(keys('3,5 mil millones', 'number')).toEqual(['3500000000'])
    expect(keys('3,5 milliards', 'number')).toEqual(['3500000000'])
    expect(keys('350万人', 'number')).toEqual(['3500000'])
    expect(keys('3億円', 'number')).toEqual(['300000000'])
  })

  it('does not join a year and the next number into one', () => {
    expect(keys('In 2019 500 people came', 'number')).toEqual(['2019', '500'])
  })

  it('drops small counts, down-weights years and two-digit numbers, skips clock times', () => {
    expect(keys('3 people and 7 cars', 'number')).toEqual([])
    expect(find('in 2024', '2024')?.weight).toBe(0.3)
    expect(find('about 45 people', '45')?.weight).toBe(0.5)
    expect(find('about 4,500 people', '4500')?.weight).toBe(1)
    expect(keys('at 10:30 local time', 'number')).toEqual([])
    expect(keys('a 3.5 percent rise', 'number')).toEqual(['3.5']) // a decimal is specific even if small
  })
})

describe('dates', () => {
  it('gives a date the same key in every language and script', () => {
    const dates = [
      'on 8 December',
      'on December 8, 2024',
      'el 8 de diciembre',
      'le 8 décembre',
      'am 8. Dezember',
      '8 декабря',
      'يوم ٨ ديسمبر',
      'في 8 كانون الأول',
      '12月8日',
      '12월 8일',
      'on 2024-12-08',
    ]
    for (const t of dates) expect(keys(t, 'date'), t).toEqual(['12-08'])
  })

  it('keys weekdays and bare months, with little weight', () => {
    for (const t of ['on Saturday', 'el sábado', 'samedi', 'am Samstag', 'в субботу', 'يوم السبت']) {
      expect(
        extractAnchors(t).filter((a) => a.kind === 'date'),
        t,
      ).toEqual([{ kind: 'date', key: 'd6', weight: 0.3 }])
    }
    expect(find('en noviembre', '11')?.weight).toBe(0.3)
  })

  it('does not take "may" or "march" for months unless they are dates', () => {
    expect(keys('Rebels may march on the capital', 'date')).toEqual([])
    expect(keys('on May 5', 'date')).toEqual(['05-05'])
  })

  it('takes only the listed words themselves for months, not words whose scan key collides with one', () => {
    // "hrpbruaa" and "yrkupvx" have the word-list keys of "december" and "janvier" (the scanner's
    // FNV steps, 30 bits), at the same length: the lists compare the letters.
    expect(keys('hrpbruaa', 'date')).toEqual([])
    expect(keys('yrkupvx 5', 'date')).toEqual([])
    expect(keys('december', 'date')).toEqual(['12'])
    expect(keys('janvier 5', 'date')).toEqual(['01-05'])
  })

  it('gives the same anchors however the texts before it read (the token slots are reused)', () => {
    const text = 'Shares of Acme rose 3,500 on 8 December, NATO said.'
    const alone = extractAnchors(text)
    extractAnchors('Der Mann und die Frau haben das Haus am 6. Mai gekauft, sagte Merkel. '.repeat(2000))
    extractAnchors('May')
    expect(extractAnchors(text)).toEqual(alone)
    expect(keys('May', 'date')).toEqual([])
  })
})

describe('nameKey', () => {
  it('meets across spellings and scripts', () => {
    const damascus = ['Damascus', 'Damasco', 'Damaskus', 'Дамаск', 'دمشق']
    for (const n of damascus) expect(nameKey(n), n).toBe(nameKey('Damascus'))
    expect(nameKey('إليزابيث')).toBe(nameKey('Elizabeth'))
    expect(nameKey('ماساتشوستس')).toBe(nameKey('Massachusetts'))
    expect(nameKey('Путин')).toBe(nameKey('Putin'))
    expect(nameKey('Владимир')).toBe(nameKey('Vladimir'))
    expect(nameKey('Μητσοτάκης')).toBe(nameKey('Mitsotakis'))
    expect(nameKey('ウォーレン')).toBe(nameKey('Warren'))
    expect(nameKey('الأسد')).toBe(nameKey('al-Assad'))
    expect(nameKey('al-Assad')).toBe(nameKey('Assad'))
    expect(nameKey('Хомс')).toBe(nameKey('Homs'))
  })

  it('keeps different names apart', () => {
    const names = ['Damascus', 'Homs', 'Aleppo', 'Beirut', 'Warren', 'Trump', 'Putin', 'Merkel', 'Boston', 'Baghdad']
    expect(new Set(names.map((n) => nameKey(n))).size).toBe(names.length)
  })

  it('gives nothing for a single consonant', () => {
    expect(nameKey('Ai')).toBe('')
    expect(nameKey('A')).toBe('')
  })
})

describe('names in text', () => {
  it('finds names in Latin, Cyrillic and Arabic translations of one sentence', () => {
    const en = keys('The rebels said they had reached Damascus after taking Homs.', 'name')
    const es = keys('Los rebeldes dijeron que habían llegado a Damasco tras tomar Homs.', 'name')
    const ru = keys('Повстанцы заявили, что дошли до Дамаска после взятия Хомса.', 'name')
    const ar = keys('قال المتمردون إنهم وصلوا إلى دمشق بعد السيطرة على حمص.', 'name')
    const damascus = nameKey('Damascus')
    for (const k of [en, es, ru, ar]) expect(k).toContain(damascus)
    expect(en).toContain(nameKey('Homs'))
    expect(es).toContain(nameKey('Homs'))
  })

  it('skips sentence-initial function words and titles, not names after an abbreviation', () => {
    const k = keys('The U.S. Sen. Elizabeth Warren spoke. Mr. Trump did not.', 'name')
    expect(k).toContain(nameKey('Elizabeth'))
    expect(k).toContain(nameKey('Warren'))
    expect(k).toContain(nameKey('Trump'))
    expect(k).not.toContain(nameKey('The'))
    expect(k).not.toContain(nameKey('Mr'))
  })

  it('keys acronyms as spelled, but not a headline in capitals', () => {
    expect(keys('He said NATO would meet.', 'name')).toEqual(['=nato'])
    expect(keys('Он сказал, что НАТО соберётся.', 'name')).toEqual(['=nato'])
    expect(keys('HARBOUR GRAIN REVIEW: NATO MEETS', 'name')).toEqual([])
  })

  it('drops German common nouns but keeps German names', () => {
    const k = keys(
      'Die Regierung hat am Montag in Berlin mit der Opposition und Angela Merkel über die Zukunft gesprochen.',
      'name',
    )
    expect(k).toEqual(expect.arrayContaining([nameKey('Berlin'), nameKey('Angela'), nameKey('Merkel')]))
    for (const noun of ['Regierung', 'Opposition', 'Zukunft']) expect(k).not.toContain(nameKey(noun))
  })

  it('strips elision and possessives', () => {
    expect(keys("L'armée de l'Ukraine et d'Emmanuel Macron", 'name')).toEqual(
      expect.arrayContaining([nameKey('Ukraine'), nameKey('Emmanuel'), nameKey('Macron')]),
    )
    expect(keys("They praised Trump's plan", 'name')).toEqual([nameKey('Trump')])
  })

  it('finds katakana names in Japanese, and only numbers and dates in Chinese', () => {
    expect(keys('エリザベス・ウォーレン上院議員は語った。', 'name')).toContain(nameKey('Warren'))
    expect(keys('沃伦参议员说，3500名囚犯于12月8日获释。').sort()).toEqual(['12-08', '3500'])
  })

  it('down-weights very frequent places and short keys', () => {
    expect(find('They flew to Washington.', nameKey('Washington'))?.weight).toBe(0.3)
    expect(find('They flew to Homs.', nameKey('Homs'))?.weight).toBe(0.5)
    expect(find('They flew to Damascus.', nameKey('Damascus'))?.weight).toBe(1)
  })
})

describe('links', () => {
  it('keeps URLs, e-mail addresses, handles and hashtags, without counting their digits', () => {
    const a = extractAnchors(
      'See https://www.example.com/news/2024/12/08/homs. Write to desk@example.org, follow @AFP and #Homs2024.',
    )
    expect(a.filter((x) => x.kind === 'url').map((x) => x.key)).toEqual([
      'example.com/news/2024/12/08/homs',
      'mailto:desk@example.org',
    ])
    expect(a.filter((x) => x.kind === 'handle').map((x) => x.key)).toEqual(['@afp', '#homs2024'])
    expect(a.filter((x) => x.kind === 'number')).toEqual([])
  })
})

describe('anchorHashes', () => {
  it('is a sorted set that separates kinds', () => {
    const h = anchorHashes(extractAnchors('3,500 and 3.500 and 3 500 in Homs, Homs, Homs'))
    expect(h.length).toBe(2)
    expect([...h]).toEqual([...h].sort((a, b) => a - b))
    const asNumber = anchorHashes([{ kind: 'number', key: 'x', weight: 1 }])
    const asName = anchorHashes([{ kind: 'name', key: 'x', weight: 1 }])
    expect(asNumber[0]).not.toBe(asName[0])
  })

  it('makes a translation share anchors with its original', () => {
    const en = anchorHashes(extractAnchors('Rebels freed 3,500 prisoners in Damascus on 8 December, Ahmed al-Sharaa said.'))
    const es = anchorHashes(
      extractAnchors('Los rebeldes liberaron a 3.500 presos en Damasco el 8 de diciembre, dijo Ahmed al Sharaa.'),
    )
    const other = anchorHashes(extractAnchors('Shares in Boston rose 4.5 percent on Tuesday after the company reported results.'))
    const shared = (a: Uint32Array, b: Uint32Array): number => [...a].filter((x) => b.includes(x)).length
    expect(shared(en, es)).toBeGreaterThanOrEqual(4) // 3500, 12-08, Damascus, Ahmed, Sharaa
    expect(shared(en, other)).toBe(0)
  })
})

const hasNtrex = has(NTREX, 'anchors on NTREX (test/text/anchors.test.ts)')

describe.skipIf(!hasNtrex)('anchors on NTREX (skipped without ../shared/corpora)', () => {
  interface Doc {
    story: string
    lang: string
    text: string
  }
  // A skipped suite's body still runs to collect its tests: read only when the corpus is there.
  const docs = hasNtrex ? readJsonl<Doc>(NTREX) : []
  const set = (d: Doc): Set<number> => new Set(d.text.split('\n').flatMap((l) => [...anchorHashes(extractAnchors(l))]))
  const jaccard = (a: Set<number>, b: Set<number>): number => {
    let i = 0
    for (const x of a) if (b.has(x)) i++
    return i / (a.size + b.size - i || 1)
  }

  it.each(['es', 'fr', 'de', 'ar'])(
    'an English article shares far more anchors with its %s translation than with other stories',
    (lang) => {
      const stories = [...new Set(docs.map((d) => d.story))].slice(0, 40)
      const en = new Map(stories.map((s) => [s, set(docs.find((d) => d.story === s && d.lang === 'en') as Doc)]))
      const tr = new Map(stories.map((s) => [s, set(docs.find((d) => d.story === s && d.lang === lang) as Doc)]))
      let t = 0
      let f = 0
      let nf = 0
      for (const s of stories) {
        t += jaccard(en.get(s) as Set<number>, tr.get(s) as Set<number>)
        for (const o of stories) {
          if (o === s) continue
          f += jaccard(en.get(s) as Set<number>, tr.get(o) as Set<number>)
          nf++
        }
      }
      const meanTrue = t / stories.length
      const meanFalse = f / nf
      expect(meanTrue).toBeGreaterThan(lang === 'ar' ? 0.12 : 0.3)
      expect(meanTrue).toBeGreaterThan(8 * meanFalse)
    },
  )
})

describe('anchorHashList (pass 1)', () => {
  /** What pass 1 must make: the anchors' hashes in order, as extractAnchors finds them. */
  const reference = (text: string): number[] => extractAnchors(text).map(anchorHash)
  const listed = (text: string): number[] => Array.from(anchorHashScratch().subarray(0, anchorHashList(text)))

  it('hashes each name as extractAnchors keys it, the first time and after (nameKey caches 20,000 words)', () => {
    // 20,000 distinct names, each met three times in different texts: nameKey's cache fills and
    // starts again, and each word is looked up both ways.
    const letters = 'bcdfgklmnprstvz'
    const name = (i: number): string => {
      let s = 'K'
      for (let x = i + 1; x > 0; x = Math.floor(x / letters.length)) s += `a${letters[x % letters.length]}`
      return s
    }
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 20_000; i += 4) {
        const text = `Talks between ${name(i)} and ${name(i + 1)} went on; ${name(i + 2)} met ${name(i + 3)} and ${name(i)} again. Sen Al Ng left.`
        expect(listed(text)).toEqual(reference(text))
      }
    }
  })

  it('leaves a word with no key, and a long name, as the reference does', () => {
    for (const text of [
      'Then Oa and Ee met Aeiou, and Oa met Ee.',
      'Schwarzeneggerhausen and Schwarzeneggerhausen met Ng.',
      'Ng Ng Ng',
    ])
      expect(listed(text)).toEqual(reference(text))
  })
})
