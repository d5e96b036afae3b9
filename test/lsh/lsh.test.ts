import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { analyze } from '../../src/analyze.js'
import {
  bandKeys,
  CHANNEL_ANCHOR,
  CHANNEL_DOC,
  CHANNEL_PARAGRAPH,
  type IndexOptions,
  LshIndex,
  resolveIndexConfig,
  SharedIndex,
} from '../../src/lsh/lsh.js'
import { MAX_BANDS } from '../../src/lsh/params.js'
import { MemoryStore } from '../../src/lsh/store.js'
import type { Fingerprint } from '../../src/sketch/fingerprint.js'
import { codeOf } from '../helpers/errors.js'
import { fingerprintOf } from '../helpers/fingerprints.js'
import { shareBand } from '../helpers/reference.js'
import { fcOptions } from '../helpers/seed.js'

const TWO_32 = 4294967296
const TWO_42 = 4398046511104

// A tiny signature alphabet so that bands collide often: a band of 2 rows over {0,1,2} matches 1 time in 9.
const BANDS = 4
const ROWS = 2
const sigArb = fc
  .array(fc.integer({ min: 0, max: 2 }), { minLength: BANDS * ROWS, maxLength: BANDS * ROWS })
  .map((xs) => Uint32Array.from(xs))
const idArb = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f')

type Op =
  | { op: 'insert'; id: string; sig: Uint32Array }
  | { op: 'remove'; id: string }
  | { op: 'query'; id: string; sig: Uint32Array }
  | { op: 'has'; id: string }

/** Fixed bandings on every channel: no optimiser run per index (each costs milliseconds). */
const SMALL_INDEX = { params: { bands: BANDS, rows: ROWS }, paragraphParams: { bands: 4, rows: 2 }, anchors: false }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('insert' as const), id: idArb, sig: sigArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), id: idArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('query' as const), id: fc.oneof(idArb, fc.constant('q')), sig: sigArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('has' as const), id: idArb }) },
)

/** The brute-force model: a Map of signatures; a candidate is any other document sharing a whole band. */
class ModelIndex {
  readonly docs = new Map<string, Uint32Array>()
  query(id: string, sig: Uint32Array): string[] {
    return [...this.docs]
      .filter(([other, s]) => other !== id && shareBand(s, sig, BANDS, ROWS))
      .map(([other]) => other)
      .sort()
  }
}

const fp = (id: string, sig: Uint32Array) => fingerprintOf(id, sig)
const analyzed = (id: string, text: string): Fingerprint => {
  const a = analyze({ id, text })
  if (a.status !== 'ok') throw new Error(`${id} did not analyse`)
  return a.fingerprint
}

describe('LshIndex', () => {
  it('behaves like a brute-force band-sharing model under any sequence of insert, remove, query and has', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const index = new LshIndex(SMALL_INDEX)
        const model = new ModelIndex()
        for (const o of ops) {
          switch (o.op) {
            case 'insert':
              index.insert(fp(o.id, o.sig))
              model.docs.set(o.id, o.sig)
              break
            case 'remove':
              expect(index.remove(o.id)).toBe(model.docs.delete(o.id))
              break
            case 'query':
              expect(index.query(fp(o.id, o.sig))).toEqual(model.query(o.id, o.sig))
              break
            case 'has':
              expect(index.has(o.id)).toBe(model.docs.has(o.id))
              break
          }
          expect(index.size).toBe(model.docs.size)
        }
      }),
      fcOptions(300),
    )
  })

  it('returns [] for a never-seen text, and on an empty index, without throwing', () => {
    const empty = new LshIndex()
    expect(empty.query(analyzed('n', 'Nothing like this was ever indexed here before today.'))).toEqual([])
    const index = new LshIndex()
    index.insert(analyzed('a', 'Rebels entered the city of Homs on Saturday after a long siege, residents said.'))
    index.insert(analyzed('b', 'The central bank raised interest rates again to fight stubborn inflation.'))
    expect(index.query(analyzed('n', 'a quiet afternoon of knitting and tea on the porch with the old cat'))).toEqual([])
    expect(index.query(analyzed('x', 'Rebels entered the city of Homs on Saturday after a long siege, residents said.'))).toEqual(
      ['a'],
    )
  })

  it('does not return the queried document itself', () => {
    const index = new LshIndex()
    const a = analyzed('a', 'Rebels entered the city of Homs on Saturday after a long siege, residents said.')
    index.insert(a)
    expect(index.query(a)).toEqual([])
  })

  it('throws PARAMS_MISMATCH when fingerprints made with other parameters are mixed, and stays unchanged', () => {
    const index = new LshIndex()
    const text = 'Rebels entered the city of Homs on Saturday after a long siege, residents said.'
    index.insert(analyzed('a', text))
    for (const options of [
      { numPerm: 64 },
      { seed: 2 },
      { shingleSize: 4 },
      { scheme: 'kperm' as const },
      { paragraphPerm: 16 },
    ]) {
      const a = analyze({ id: 'b', text }, options)
      if (a.status !== 'ok') throw new Error('did not analyse')
      expect(codeOf(() => index.insert(a.fingerprint))).toBe('PARAMS_MISMATCH')
      expect(codeOf(() => index.query(a.fingerprint))).toBe('PARAMS_MISMATCH')
      expect(() => index.insert(a.fingerprint)).toThrow(/"b" was made with .*but the index holds/)
    }
    expect(index.size).toBe(1)
    expect(index.has('b')).toBe(false)
  })

  it('replaces the bands of an id inserted again', () => {
    const index = new LshIndex(SMALL_INDEX)
    index.insert(fp('a', Uint32Array.of(1, 1, 1, 1, 1, 1, 1, 1)))
    index.insert(fp('a', Uint32Array.of(2, 2, 2, 2, 2, 2, 2, 2)))
    expect(index.size).toBe(1)
    expect(index.query(fp('q', Uint32Array.of(1, 1, 1, 1, 1, 1, 1, 1)))).toEqual([])
    expect(index.query(fp('q', Uint32Array.of(2, 2, 0, 0, 0, 0, 0, 0)))).toEqual(['a'])
  })
})

describe('SharedIndex over a MemoryStore', () => {
  it('returns the same candidates as LshIndex for the same documents', async () => {
    const sigs = fc.sample(fc.tuple(idArb, sigArb), { seed: 11, numRuns: 30 })
    const local = new LshIndex(SMALL_INDEX)
    const shared = new SharedIndex(new MemoryStore(), SMALL_INDEX)
    for (const [id, sig] of sigs.slice(0, 15)) local.insert(fp(id, sig))
    await shared.insert(sigs.slice(0, 15).map(([id, sig]) => ({ fingerprint: fp(id, sig) })))
    const queries = sigs.slice(15).map(([, sig], i) => fp(`q${i}`, sig))
    expect(await shared.query(queries)).toEqual(queries.map((q) => local.query(q)))
  })

  it('rejects a fingerprint with other parameters with PARAMS_MISMATCH', async () => {
    const shared = new SharedIndex(new MemoryStore())
    await shared.insert([{ fingerprint: fp('a', new Uint32Array(128)) }])
    await expect(shared.insert([{ fingerprint: fingerprintOf('b', new Uint32Array(128), { seed: 9 }) }])).rejects.toMatchObject({
      code: 'PARAMS_MISMATCH',
    })
  })
})

describe('bandKeys', () => {
  const long = Array.from(
    { length: 4 },
    (_, i) =>
      `Paragraph ${i}: Rebels led by Ahmed Rahmoun entered Homs, Hama and Aleppo on 12 March 2024, said Reuters, citing 3,500 witnesses and ${i * 17 + 40} officials in Damascus.`,
  ).join('\n\n')

  it('returns safe-integer keys whose channel and band can be read back, one per band and channel', () => {
    const f = analyzed('a', long)
    const index = new LshIndex()
    index.insert(f)
    const config = index.config
    const keys = bandKeys(f, config)
    const seen = { [CHANNEL_DOC]: new Set<number>(), [CHANNEL_PARAGRAPH]: new Set<number>(), [CHANNEL_ANCHOR]: new Set<number>() }
    for (const k of keys) {
      expect(Number.isSafeInteger(k)).toBe(true)
      const channel = Math.floor(k / TWO_42)
      const band = Math.floor((k - channel * TWO_42) / TWO_32)
      expect([CHANNEL_DOC, CHANNEL_PARAGRAPH, CHANNEL_ANCHOR]).toContain(channel)
      seen[channel as 0 | 1 | 2].add(band)
    }
    expect(seen[CHANNEL_DOC].size).toBe(config.doc.bands)
    expect(Math.max(...seen[CHANNEL_DOC])).toBe(config.doc.bands - 1)
    expect(seen[CHANNEL_PARAGRAPH].size).toBe(config.paragraph?.bands)
    expect(seen[CHANNEL_ANCHOR].size).toBe(config.anchor?.bands)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('keys only the channels asked for: paragraphs and anchors can be left out', () => {
    const f = analyzed('a', long)
    const channels = (options: IndexOptions) =>
      [...new Set(Array.from(bandKeys(f, resolveIndexConfig(options, f.params)), (k) => Math.floor(k / TWO_42)))].sort()
    expect(channels({})).toEqual([CHANNEL_DOC, CHANNEL_PARAGRAPH, CHANNEL_ANCHOR])
    expect(channels({ anchors: false })).toEqual([CHANNEL_DOC, CHANNEL_PARAGRAPH])
    expect(channels({ paragraphs: false })).toEqual([CHANNEL_DOC, CHANNEL_ANCHOR])
    const docOnly = resolveIndexConfig({ paragraphs: false, anchors: false }, f.params)
    expect(bandKeys(f, docOnly).length).toBe(docOnly.doc.bands)
    expect(docOnly.doc).toEqual({ bands: 25, rows: 5 }) // datasketch's MinHashLSH(threshold=0.5, num_perm=128)
  })

  it('rejects a channel switch that is not a boolean, naming it', () => {
    expect(() => resolveIndexConfig({ paragraphs: 'no' as unknown as boolean }, { numPerm: 128, paragraphPerm: 32 })).toThrow(
      /paragraphs must be true or false, got/,
    )
    expect(() => new LshIndex({ anchors: 0 as unknown as boolean })).toThrow(/anchors must be true or false/)
  })

  it('keeps the band number below 1024 even for the largest allowed banding', () => {
    const sig = Uint32Array.from({ length: MAX_BANDS }, (_, i) => i)
    const config = {
      doc: { bands: MAX_BANDS, rows: 1 },
      paragraph: { bands: 1, rows: 1 },
      anchor: null,
      minParagraphShingles: 1,
      minAnchors: 1,
    }
    const keys = bandKeys(fingerprintOf('a', sig), config)
    for (const k of keys) expect(k).toBeLessThan(TWO_42) // all in the document channel
  })
})

describe('edge cases', () => {
  it('remove returns false for an unknown id and has returns false afterwards', () => {
    const index = new LshIndex()
    expect(index.remove('nope')).toBe(false)
    expect(index.has('nope')).toBe(false)
    expect(index.size).toBe(0)
  })

  it('indexes a document whose signature is all 0xffffffff (an empty set) without matching others', () => {
    const index = new LshIndex(SMALL_INDEX)
    index.insert(fp('empty', new Uint32Array(8).fill(0xffffffff)))
    expect(index.query(fp('q', Uint32Array.of(1, 2, 1, 2, 1, 2, 1, 2)))).toEqual([])
  })
})

describe('the anchor channel: which documents it holds', () => {
  // Two texts with nothing in common but their names and figures (a translation, say).
  const other = (id: string, anchors: number[], salt: number) => ({
    ...fingerprintOf(
      id,
      Uint32Array.from({ length: 128 }, (_, i) => (i * 2654435761 + salt) >>> 0),
    ),
    anchors: Uint32Array.from(anchors).sort(),
  })
  it('holds a short text of five names and figures, not one of four (the default minAnchors)', () => {
    for (const [n, found] of [
      [5, true],
      [4, false],
    ] as const) {
      const anchors = Array.from({ length: n }, (_, i) => 1000 + i * 7919)
      const index = new LshIndex()
      index.insert(other('en', anchors, 1))
      expect(index.query(other('es', anchors, 99))).toEqual(found ? ['en'] : [])
    }
  })
})
