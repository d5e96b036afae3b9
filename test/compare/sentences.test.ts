import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import {
  alignSentences,
  MIN_SENTENCE_SIMILARITY,
  PairWeights,
  type SentencePair,
  sentenceSimilarities,
} from '../../src/compare/sentences.js'
import { type TextView, textView } from '../../src/compare/view.js'
import { fcOptions } from '../helpers/seed.js'

/** alignSentences reads only the sentence count and starts: a minimal view with sentences of the given lengths. */
function fakeView(lengths: readonly number[]): TextView {
  const sentences = [0]
  for (const l of lengths) sentences.push((sentences[sentences.length - 1] as number) + l)
  return { sentenceCount: lengths.length, sentences: Uint32Array.from(sentences) } as unknown as TextView
}

/** Best score by exhaustive search: each row takes nothing or a column at or after the last one taken. */
function bestAlignment(sim: Float64Array, lens: readonly number[], nb: number): number {
  const go = (i: number, lo: number): number => {
    if (i === lens.length) return 0
    let best = go(i + 1, lo)
    for (let j = lo; j < nb; j++) {
      const s = sim[i * nb + j] as number
      if (s >= MIN_SENTENCE_SIMILARITY) best = Math.max(best, s * (lens[i] as number) + go(i + 1, j))
    }
    return best
  }
  return go(0, 0)
}

const matrix = fc
  .record({
    lens: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 5 }),
    nb: fc.integer({ min: 1, max: 5 }),
    // Values around the threshold, exact zeros and ones, and anything in between.
    values: fc.array(
      fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, MIN_SENTENCE_SIMILARITY, 0.29999, 0.5)),
      { minLength: 25, maxLength: 25 },
    ),
  })
  .map(({ lens, nb, values }) => ({ lens, nb, sim: Float64Array.from(values.slice(0, lens.length * nb)) }))

describe('alignSentences', () => {
  it('returns a valid in-order alignment whose score is the best of an exhaustive search', () => {
    fc.assert(
      fc.property(matrix, ({ lens, nb, sim }) => {
        const pairs: SentencePair[] = alignSentences(fakeView(lens), fakeView(new Array(nb).fill(1)), sim)
        let score = 0
        pairs.forEach((p, k) => {
          const prev = pairs[k - 1]
          if (prev) expect(p.a).toBeGreaterThan(prev.a) // each sentence of a at most once
          if (prev) expect(p.b).toBeGreaterThanOrEqual(prev.b) // b in reading order (shared: a split)
          expect(p.b).toBeLessThan(nb)
          expect(p.similarity).toBe(sim[p.a * nb + p.b])
          expect(p.similarity).toBeGreaterThanOrEqual(MIN_SENTENCE_SIMILARITY)
          score += p.similarity * (lens[p.a] as number)
        })
        expect(score).toBeCloseTo(bestAlignment(sim, lens, nb), 9)
      }),
      fcOptions(3000),
    )
  })

  it('returns nothing for a text without sentences, and lets two sentences share one (a split)', () => {
    expect(alignSentences(fakeView([]), fakeView([3]), new Float64Array(0))).toEqual([])
    expect(alignSentences(fakeView([3]), fakeView([]), new Float64Array(0))).toEqual([])
    // Rows 0 and 1 both best match column 0; crossing (1 → 0 after 0 → 1) is not allowed.
    expect(alignSentences(fakeView([4, 4]), fakeView([8, 8]), Float64Array.of(0.9, 0.4, 0.8, 0.2))).toEqual([
      { a: 0, b: 0, similarity: 0.9 },
      { a: 1, b: 0, similarity: 0.8 },
    ])
    expect(alignSentences(fakeView([1, 10]), fakeView([5, 5]), Float64Array.of(0, 0.9, 0.9, 0))).toEqual([
      { a: 1, b: 0, similarity: 0.9 },
    ])
  })
})

// Random articles from a small vocabulary, so that sentences share words and document frequencies vary.
const WORDS = 'the of and river stone market council harbour winter bridge garden mayor train valley tower 12'.split(' ')
const sentence = fc.array(fc.nat(WORDS.length - 1), { minLength: 1, maxLength: 7 })
const article = fc.array(fc.array(sentence, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }).map((ps) =>
  ps
    .map((p) =>
      p
        .map((s) => {
          const t = s.map((i) => WORDS[i]).join(' ')
          return t.charAt(0).toUpperCase() + t.slice(1) + '.'
        })
        .join(' '),
    )
    .join('\n\n'),
)

let ids = 0
function view(text: string): TextView {
  const x = analyze({ id: `s${ids++}`, text }, { detectLanguage: false })
  if (x.status !== 'ok') throw new Error(`skipped: ${text}`)
  return textView(x as AnalysisOk)
}

/** Distinct tokens of each sentence of a view. */
function sentenceSets(v: TextView): Set<number>[] {
  const out = Array.from({ length: v.sentenceCount }, () => new Set<number>())
  v.tokens.forEach((t, i) => {
    out[v.sentenceOf[i] as number]?.add(t)
  })
  return out
}

describe('sentenceSimilarities', () => {
  it('returns, in one language, the weighted share of a sentence’s distinct words found in the other (log(1 + S/df))', () => {
    fc.assert(
      fc.property(article, article, (ta, tb) => {
        const a = view(ta)
        const b = view(tb)
        const sa = sentenceSets(a)
        const sb = sentenceSets(b)
        // Sentence frequency over both texts' sentences.
        const df = new Map<number, number>()
        for (const s of [...sa, ...sb]) for (const t of s) df.set(t, (df.get(t) ?? 0) + 1)
        const S = sa.length + sb.length
        const w = (t: number) => Math.log(1 + S / (df.get(t) as number))
        const mass = (s: Set<number>, inside?: Set<number>) =>
          [...s].reduce((x, t) => x + (!inside || inside.has(t) ? w(t) : 0), 0)
        const weights = new PairWeights(a, b)
        expect(weights.total).toBe(S)
        for (let i = 0; i < a.tokens.length; i++) {
          expect(weights.weight[weights.indexA[i] as number]).toBeCloseTo(w(a.tokens[i] as number), 12)
        }
        const { ab, ba } = sentenceSimilarities(a, b, weights, false)
        const nb = sb.length
        expect(ab.length).toBe(sa.length * nb)
        sa.forEach((x, i) => {
          sb.forEach((y, j) => {
            expect(ab[i * nb + j], `ab ${i},${j}`).toBeCloseTo(mass(x, y) / mass(x), 12)
            expect(ba[i * nb + j], `ba ${i},${j}`).toBeCloseTo(mass(y, x) / mass(y), 12)
          })
        })
      }),
      fcOptions(300, 1),
    )
  })

  it('returns 1 for a sentence all of whose words are in the other, and 0 for one sharing none', () => {
    const a = view('River stone market. Mayor train.')
    const b = view('The river and the stone of the market. Council harbour.')
    const { ab } = sentenceSimilarities(a, b, new PairWeights(a, b), false)
    expect(Array.from(ab)).toEqual([1, 0, 0, 0])
  })
})
