import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { type Evidence, MIN_PASSAGE, MIN_RUN, measureEvidence, RUN_GAP, verbatimRuns } from '../../src/compare/evidence.js'
import { greedyTiles, type Tile } from '../../src/compare/tiling.js'
import { sentenceAnchors, textView } from '../../src/compare/view.js'
import { greedyTilesRef } from '../helpers/reference.js'
import { fcOptions, sample } from '../helpers/seed.js'
import { loadSeeds } from '../helpers/seeds.js'

// Thirty plain words (none a boilerplate line, byline or date), two numbers for the figures.
const WORDS = (
  'the of and river stone market council harbour winter bridge garden mayor train ledger valley ' +
  'tower signal copper forest island parade meadow canal rocket lantern orchard saddle tunnel 12 7'
).split(' ')

type Doc = number[][][] // paragraphs → sentences → word indexes
const sentence = fc.array(fc.nat(WORDS.length - 1), { minLength: 2, maxLength: 8 })
const doc: fc.Arbitrary<Doc> = fc.array(fc.array(sentence, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 })

/** Sentences start with a capital (or a sentence break would not be seen) and end with '. '; paragraphs with a blank line. */
function render(d: Doc, words: readonly string[] = WORDS): string {
  const s = (w: number[]) => {
    const t = w.map((i) => words[i]).join(' ')
    return t.charAt(0).toUpperCase() + t.slice(1) + '.'
  }
  return d.map((p) => p.map(s).join(' ')).join('\n\n')
}

/** `b` takes over some of `a`'s sentences (op 1), with one word changed (op 2), or keeps its own (op 0). */
const pair = fc.tuple(doc, doc, fc.array(fc.nat(2), { maxLength: 12 }), fc.nat(WORDS.length - 1)).map(([a, b, ops, w]) => {
  const flat = a.flat()
  let k = 0
  const mixed = b.map((p) =>
    p.map((s) => {
      const op = ops[k] ?? 0
      const src = flat[k++ % flat.length] as number[]
      return op === 0 ? s : op === 1 ? src : [...src.slice(0, -1), w]
    }),
  )
  return [render(a), render(mixed)] as const
})

let ids = 0
function analysed(text: string): AnalysisOk {
  const x = analyze({ id: `t${ids++}`, text }, { detectLanguage: false })
  if (x.status !== 'ok') throw new Error(`skipped: ${text}`)
  return x
}

const key = (t: Tile) => `${t.aStart}/${t.bStart}/${t.length}`

/** Chaining, stated pairwise: sorted tiles split wherever a tile does not follow its predecessor closely on both sides. */
function runsRef(tiles: readonly Tile[]) {
  return runGroupsRef(tiles).map((g) => g.run)
}

/** {@link runsRef}, each passage with the tiles it chains. */
function runGroupsRef(tiles: readonly Tile[]) {
  const sorted = [...tiles].sort((x, y) => x.aStart - y.aStart || x.bStart - y.bStart)
  const groups: Tile[][] = []
  sorted.forEach((t, i) => {
    const p = sorted[i - 1]
    const joins =
      p &&
      t.aStart - (p.aStart + p.length) <= RUN_GAP &&
      t.bStart >= p.bStart + p.length &&
      t.bStart - (p.bStart + p.length) <= RUN_GAP
    if (joins) groups[groups.length - 1]?.push(t)
    else groups.push([t])
  })
  return groups
    .map((g) => {
      const [first, last] = [g[0] as Tile, g[g.length - 1] as Tile]
      const tokens = g.reduce((s, t) => s + t.length, 0)
      const run = {
        aStart: first.aStart,
        aEnd: last.aStart + last.length,
        bStart: first.bStart,
        bEnd: last.bStart + last.length,
        tokens,
      }
      return { run, tiles: g }
    })
    .filter((r) => r.run.tokens >= MIN_PASSAGE)
}

/** Content weight log(S / df) over both texts' sentences; share of a's distinct tokens' weight found in b. */
function contentUnigramsRef(a: AnalysisOk, b: AnalysisOk): number {
  const va = textView(a)
  const vb = textView(b)
  const df = new Map<number, Set<string>>()
  for (const [tag, v] of [['a', va] as const, ['b', vb] as const]) {
    v.tokens.forEach((t, i) => {
      if (!df.has(t)) df.set(t, new Set())
      df.get(t)?.add(`${tag}${v.sentenceOf[i]}`)
    })
  }
  const S = va.sentenceCount + vb.sentenceCount
  const inB = new Set(vb.tokens)
  let found = 0
  let all = 0
  for (const t of new Set(va.tokens)) {
    const w = Math.log(S / (df.get(t)?.size as number))
    all += w
    if (inB.has(t)) found += w
  }
  return all === 0 ? 0 : found / all
}

const SHARES = ['unigrams', 'contentUnigrams', 'contentBigrams', 'trigrams', 'verbatim', 'verbatimQuoted', 'aligned', 'covered']
  .concat([
    'order',
    'anchors',
    'numbersSwapped',
    'figures',
    'specificsSwapped',
    'anchorOrder',
    'figuresKept',
    'verbatimPassages',
    'closeSentences',
    'otherUsed',
  ])
  .map((k) => k as keyof Evidence)

describe('verbatimRuns', () => {
  it('returns the runs of a pairwise chaining reference, on tiles of random token arrays', () => {
    const tokens = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 60 })
    fc.assert(
      fc.property(tokens, tokens, (a, b) => {
        const tiles = greedyTiles(a, b, MIN_RUN)
        expect(verbatimRuns(tiles)).toEqual(runsRef(tiles))
      }),
      fcOptions(1000),
    )
  })

  it('returns one passage across gaps of RUN_GAP, none across wider gaps, backwards or under MIN_PASSAGE', () => {
    const G = RUN_GAP
    const t = (aStart: number, bStart: number, length = 3) => ({ aStart, bStart, length })
    // Three tiles of 3, each G tokens after the last on both sides (given unsorted): one passage of 9.
    expect(verbatimRuns([t(6 + 2 * G, 6 + 2 * G), t(0, 0), t(3 + G, 3 + G)])).toEqual([
      { aStart: 0, aEnd: 9 + 2 * G, bStart: 0, bEnd: 9 + 2 * G, tokens: 9 },
    ])
    expect(verbatimRuns([t(0, 0), t(3 + G, 3 + G)])).toEqual([]) // 6 tiled tokens: no passage
    expect(verbatimRuns([t(0, 0, 5), t(6 + G, 5)])).toEqual([]) // a gap of G + 1
    expect(verbatimRuns([t(0, 10, 5), t(5, 0, 5)])).toEqual([]) // b goes backwards
    expect(verbatimRuns([t(0, 0, MIN_PASSAGE)])).toEqual([
      { aStart: 0, aEnd: MIN_PASSAGE, bStart: 0, bEnd: MIN_PASSAGE, tokens: MIN_PASSAGE },
    ])
  })
})

describe('measureEvidence', () => {
  it('returns unigrams, tokens, lengthRatio, verbatim shares and the longest run of a brute-force count', () => {
    fc.assert(
      fc.property(pair, ([ta, tb]) => {
        const [x, y] = [analysed(ta), analysed(tb)]
        const va = textView(x).tokens
        const vb = textView(y).tokens
        const [n, m] = [va.length, vb.length]
        const ev = measureEvidence(x, y, false)
        const setA = new Set(va)
        const setB = new Set(vb)
        expect(ev.a.unigrams).toBeCloseTo([...setA].filter((t) => setB.has(t)).length / setA.size, 12)
        expect(ev.a.contentUnigrams).toBeCloseTo(contentUnigramsRef(x, y), 12)
        expect(ev.b.contentUnigrams).toBeCloseTo(contentUnigramsRef(y, x), 12)
        expect(ev.a.tokens).toBe(n)
        expect(ev.a.lengthRatio).toBeCloseTo(Math.log((n + 1) / (m + 1)), 12)
        // Tiled tokens of a, by brute force, with the texts in the canonical order (the shorter
        // first, then by id) and mirrored back; no quotation marks, so none is quoted.
        const flip = n > m || (n === m && x.id > y.id)
        const mirror = (t: Tile): Tile => ({ aStart: t.bStart, bStart: t.aStart, length: t.length })
        const canonical = flip ? greedyTilesRef(vb, va, MIN_RUN) : greedyTilesRef(va, vb, MIN_RUN)
        const tiles = flip ? canonical.map(mirror) : canonical
        expect(new Set(ev.tiles.map(key))).toEqual(new Set(tiles.map(key)))
        expect(ev.tiles.length).toBe(tiles.length)
        const tiled = new Uint8Array(n)
        for (const t of tiles) tiled.fill(1, t.aStart, t.aStart + t.length)
        expect(ev.a.verbatimQuoted).toBe(0)
        expect(ev.a.verbatim + ev.a.verbatimQuoted).toBeCloseTo(tiled.reduce((s, f) => s + f, 0) / n, 12)
        let run = 0
        let longest = 0
        for (const f of tiled) longest = Math.max(longest, (run = f ? run + 1 : 0))
        expect(ev.a.longestRun).toBe(longest)
        // Passages: tokens of each side in the passages' own tiles (chained in the canonical order).
        const inRun = { a: new Uint8Array(n), b: new Uint8Array(m) }
        for (const g of runGroupsRef(canonical)) {
          for (const t of g.tiles.map((u) => (flip ? mirror(u) : u))) {
            inRun.a.fill(1, t.aStart, t.aStart + t.length)
            inRun.b.fill(1, t.bStart, t.bStart + t.length)
          }
        }
        const count = (u: Uint8Array) => u.reduce((s, f) => s + f, 0)
        expect(ev.a.verbatimPassages).toBeCloseTo(n === 0 ? 0 : count(inRun.a) / n, 12)
        expect(ev.b.verbatimPassages).toBeCloseTo(m === 0 ? 0 : count(inRun.b) / m, 12)
        for (const e of [ev.a, ev.b]) {
          for (const k of SHARES) {
            expect(e[k], k).toBeGreaterThanOrEqual(0)
            expect(e[k], k).toBeLessThanOrEqual(1 + 1e-12)
          }
          expect(e.aligned).toBeLessThanOrEqual(e.covered + 1e-12)
        }
      }),
      fcOptions(300),
    )
  })

  it('returns the two sides swapped when the articles are swapped, tiles and passages included', () => {
    fc.assert(
      fc.property(pair, ([ta, tb]) => {
        const [x, y] = [analysed(ta), analysed(tb)]
        const ab = measureEvidence(x, y, false)
        const ba = measureEvidence(y, x, false)
        expect(new Set(ba.tiles.map((t) => key({ aStart: t.bStart, bStart: t.aStart, length: t.length })))).toEqual(
          new Set(ab.tiles.map(key)),
        )
        expect(ba.runs.map((r) => [r.bStart, r.bEnd, r.aStart, r.aEnd, r.tokens]).sort()).toEqual(
          ab.runs.map((r) => [r.aStart, r.aEnd, r.bStart, r.bEnd, r.tokens]).sort(),
        )
        for (const [one, other] of [
          [ba.a, ab.b],
          [ba.b, ab.a],
        ] as const) {
          for (const k of Object.keys(one) as (keyof Evidence)[]) expect(one[k], k).toBeCloseTo(other[k], 9)
        }
      }),
      fcOptions(300, 1),
    )
  })

  // Tiling breaks ties by position: "River river river stone river river stone." against "Stone
  // river river river canal river river stone." tiles 6 of the first's 7 tokens one way and 3 the
  // other, so the evidence tiles the pair in one order whichever article comes first.
  it('tiles a pair whose tiling depends on the order the same way in both orders', () => {
    const x = analysed('River river river stone river river stone.')
    const y = analysed('Stone river river river canal river river stone.')
    expect(greedyTilesRef(textView(x).tokens, textView(y).tokens, MIN_RUN)).not.toEqual(
      greedyTilesRef(textView(y).tokens, textView(x).tokens, MIN_RUN).map((t) => ({
        aStart: t.bStart,
        bStart: t.aStart,
        length: t.length,
      })),
    )
    expect(measureEvidence(x, y, false).a.verbatim).toBe(measureEvidence(y, x, false).b.verbatim)
  })

  it("counts a passage's own tiles only, not another tile inside its span on the other side", () => {
    // a: [alpha bravo charlie delta] echo foxtrot [golf hotel india juliet] … [kilo lima mike]
    // b: [alpha bravo charlie delta] [kilo lima mike] november [golf hotel india juliet] …
    // One passage of 8 tokens (two tiles of 4 across small gaps on both sides); "kilo lima mike"
    // lies inside its span on b but is a tile of its own, far off on a, and too short to count.
    const x = analysed(
      'Alpha bravo charlie delta echo foxtrot golf hotel india juliet oscar papa quebec romeo sierra tango kilo lima mike.',
    )
    const y = analysed(
      'Alpha bravo charlie delta kilo lima mike november golf hotel india juliet uniform victor whiskey xray yankee zulu amber basil cedar dune.',
    )
    const ev = measureEvidence(x, y, false)
    expect(ev.runs).toEqual([{ aStart: 0, aEnd: 10, bStart: 0, bEnd: 12, tokens: 8 }])
    expect(ev.b.verbatim).toBeCloseTo(11 / 22, 12)
    expect(ev.b.verbatimPassages).toBeCloseTo(8 / 22, 12)
    expect(ev.a.verbatimPassages).toBeCloseTo(8 / 19, 12)
  })

  it('reads a figure as one unit and does not count a sentence with other figures as covered', () => {
    const frame = (rate: string, amount: string) =>
      analysed(
        `The Federal Reserve entered the government securities market to arrange ${amount} billion dlrs of customer repurchase agreements, a spokesman said. Dealers said Federal funds were trading at ${rate} pct when the Fed began its indirect supply of reserves.`,
      )
    const same = measureEvidence(frame('6-3/16', '1.5'), frame('6-3/16', '1.5'), false)
    expect(same.a.numbersSwapped).toBe(0)
    expect(same.a.covered).toBeCloseTo(1, 12)
    // "6-3/16" and "6-1/16" share the pieces "6" and "16": read piece by piece, nothing is swapped.
    const rate = measureEvidence(frame('6-3/16', '1.5'), frame('6-1/16', '1.5'), false)
    expect(rate.a.numbersSwapped).toBeCloseTo(1 / 3, 12) // one of two figures, over (2 + 1)
    expect(rate.a.covered).toBeGreaterThan(0.3)
    expect(rate.a.covered).toBeLessThan(0.7)
    expect(rate.a.aligned).toBeLessThan(same.a.aligned)
    // Both sentences report other figures: neither counts as covered.
    const both = measureEvidence(frame('6-3/16', '1.5'), frame('6-1/16', '2.5'), false)
    expect(both.a.covered).toBe(0)
    expect(both.a.numbersSwapped).toBeCloseTo(2 / 3, 12)
  })

  it('returns figuresKept of a count of the figures in the raw text, figures written whole ("6-3/16")', () => {
    // Words and figures, some written with a joining mark: the reference reads figures off the
    // rendered text with a pattern, not off the token view.
    const FIGURES = ['12', '7', '6-3/16', '1.5', '2030', '4/5']
    const words = [...WORDS.slice(0, 20), ...FIGURES]
    const sentenceF = fc.array(fc.nat(words.length - 1), { minLength: 2, maxLength: 8 })
    const docF = fc.array(sentenceF, { minLength: 1, maxLength: 5 })
    const renderF = (d: number[][]) => render([d], words)
    const figuresOf = (t: string) => new Set(t.match(/\d+(?:[-/.]\d+)*/g) ?? [])
    const keptRef = (x: string, y: string) => {
      const mine = figuresOf(x)
      const theirs = figuresOf(y)
      if (mine.size === 0) return 1
      return [...mine].filter((f) => theirs.has(f)).length / (mine.size + 1)
    }
    fc.assert(
      fc.property(docF, docF, (a, b) => {
        const [ta, tb] = [renderF(a), renderF(b)]
        const ev = measureEvidence(analysed(ta), analysed(tb), false)
        expect(ev.a.figuresKept).toBeCloseTo(keptRef(ta, tb), 12)
        expect(ev.b.figuresKept).toBeCloseTo(keptRef(tb, ta), 12)
      }),
      fcOptions(200, 3),
    )
  })

  it('returns anchorOrder the same from both sides, 0 within one language, n / (n + 2) for a text against itself', () => {
    fc.assert(
      fc.property(pair, ([ta, tb]) => {
        const [x, y] = [analysed(ta), analysed(tb)]
        const across = measureEvidence(x, y, true)
        expect(across.a.anchorOrder).toBe(across.b.anchorOrder)
        expect(across.a.anchorOrder).toBeGreaterThanOrEqual(0)
        expect(across.a.anchorOrder).toBeLessThan(1)
        expect(measureEvidence(x, y, false).a.anchorOrder).toBe(0)
      }),
      fcOptions(100, 4),
    )
    for (const s of loadSeeds()) {
      const ev = measureEvidence(analysed(s.text), analysed(s.text), true)
      const v = ev.views.a
      let n = 0
      for (let i = 0; i < v.sentenceCount; i++) n += sentenceAnchors(v, i).length
      expect(ev.a.anchorOrder).toBeCloseTo(n / (n + 2), 12)
    }
  })

  it('returns full overlap for an article against itself (two analyses, two ids)', () => {
    for (const text of sample(doc.map(render), 30, 2)) {
      const ev = measureEvidence(analysed(text), analysed(text), false)
      const shortText = textView(ev.views.a.analysis).tokens.length < MIN_RUN
      for (const e of [ev.a, ev.b]) {
        expect(e.unigrams).toBe(1)
        expect(e.verbatim).toBe(shortText ? 0 : 1)
        expect(e.covered).toBeCloseTo(1, 12)
        expect(e.order).toBeCloseTo(1, 12)
        expect(e.numbersSwapped).toBe(0)
      }
    }
    // The seed articles quote: there tiled tokens in quotes count as verbatimQuoted instead.
    for (const s of loadSeeds()) {
      const ev = measureEvidence(analysed(s.text), analysed(s.text), false)
      expect(ev.a.unigrams).toBe(1)
      expect(ev.a.verbatim + ev.a.verbatimQuoted).toBeCloseTo(1, 12)
      expect(ev.a.order).toBeCloseTo(1, 12)
      expect(ev.a.numbersSwapped).toBe(0)
      expect(ev.a.specificsSwapped).toBe(0)
    }
  })
})
