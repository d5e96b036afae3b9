import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { analyze, resolveAnalyzeOptions, sketchParams } from '../../src/analyze.js'
import { WiretraceError, type WiretraceErrorCode } from '../../src/errors.js'
import type { Fingerprint, ParagraphSketch, SketchParams } from '../../src/sketch/fingerprint.js'
import { crc32 } from '../../src/sketch/hash.js'
import {
  deserializeFingerprint,
  fingerprintFromBytes,
  fingerprintToBytes,
  type SerializedFingerprint,
  serializeFingerprint,
  toBase64,
} from '../../src/sketch/serialize.js'
import { fcOptions } from '../helpers/seed.js'
import { unicodeString } from '../helpers/unicode.js'

const u32 = fc.integer({ min: 0, max: 0xffffffff })
/** Well-formed strings (a lone surrogate cannot survive UTF-8; see the edge cases). */
const text = (minLength = 0) => unicodeString({ minLength, maxLength: 20 })
const lang = fc.option(fc.constantFrom('en', 'fr', 'th', 'ar', 'zh-Hant', 'pt-BR'), { nil: undefined })

const paramsArb: fc.Arbitrary<SketchParams> = fc.record({
  numPerm: fc.integer({ min: 1, max: 64 }),
  paragraphPerm: fc.integer({ min: 1, max: 16 }),
  seed: u32,
  shingleSize: fc.integer({ min: 1, max: 16 }),
  charShingleSize: fc.integer({ min: 0, max: 64 }),
  scheme: fc.constantFrom('oph', 'kperm'),
})

const paragraphArb = (perm: number): fc.Arbitrary<ParagraphSketch> =>
  fc
    .record({
      start: u32,
      end: u32,
      kind: fc.constantFrom('body', 'heading', 'dateline', 'byline'),
      length: u32,
      shingleCount: u32,
      signature: fc.uint32Array({ minLength: perm, maxLength: perm }),
      anchors: fc.uint32Array({ maxLength: 8 }),
      lang,
    })
    .map(({ lang, ...p }) => (lang ? { ...p, lang } : p))

const fingerprintArb: fc.Arbitrary<Fingerprint> = paramsArb.chain((params) =>
  fc
    .record({
      id: text(1),
      shingleCount: u32,
      signature: fc.uint32Array({ minLength: params.numPerm, maxLength: params.numPerm }),
      paragraphs: fc.array(paragraphArb(params.paragraphPerm), { maxLength: 4 }),
      anchors: fc.uint32Array({ maxLength: 12 }),
      lang,
    })
    .map(({ lang, ...f }) => ({ kind: 'fingerprint' as const, version: 1 as const, params, ...f, ...(lang ? { lang } : {}) })),
)

/** Recompute the checksum of version-2 fingerprint bytes, to reach the checks behind it. */
function reseal(bytes: Uint8Array): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(9, crc32(bytes.subarray(13)), true)
  return bytes
}

/** Call `f`, expect a WiretraceError with `code`, and return its message. */
function errorOf(f: () => unknown, code: WiretraceErrorCode): string {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(WiretraceError)
    expect((e as WiretraceError).code, (e as Error).message).toBe(code)
    return (e as Error).message
  }
  throw new Error(`expected a ${code} error, nothing was thrown`)
}

const SAMPLE: Fingerprint = (() => {
  const a = analyze({
    id: 'homs-1',
    text: 'Rebels entered Homs on Saturday.\n\nAbout 3,500 people fled the city, officials said.',
  })
  if (a.status !== 'ok') throw new Error('sample did not analyse')
  return a.fingerprint
})()

describe('serializeFingerprint / deserializeFingerprint', () => {
  it('round-trips arbitrary fingerprints through JSON text', () => {
    fc.assert(
      fc.property(fingerprintArb, (fp) => {
        const json = JSON.parse(JSON.stringify(serializeFingerprint(fp)))
        expect(deserializeFingerprint(json, fp.params)).toEqual(fp)
      }),
      fcOptions(150),
    )
  })

  it('returns the same serialized form after a round trip (a canonical encoding)', () => {
    fc.assert(
      fc.property(fingerprintArb, (fp) => {
        const s = serializeFingerprint(fp)
        expect(serializeFingerprint(deserializeFingerprint(s))).toEqual(s)
      }),
      fcOptions(200),
    )
  })

  it('round-trips the fingerprints analyze makes of arbitrary texts', () => {
    const words = fc.constantFrom('Homs', 'rebels', '3,500', 'fled', 'said', 'ข่าว', '北京', 'قال', '“quoted”', 'é')
    const article = fc.array(fc.array(words, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 5 })
    const options = fc.record({
      scheme: fc.constantFrom('oph' as const, 'kperm' as const),
      shingleSize: fc.integer({ min: 1, max: 5 }),
    })
    fc.assert(
      fc.property(article, options, (paras, o) => {
        const a = analyze({ id: 'a', text: paras.map((p) => p.join(' ')).join('\n\n') }, o)
        if (a.status !== 'ok') return
        const expected = sketchParams(resolveAnalyzeOptions(o))
        expect(deserializeFingerprint(JSON.parse(JSON.stringify(serializeFingerprint(a.fingerprint))), expected)).toEqual(
          a.fingerprint,
        )
      }),
      fcOptions(100),
    )
  })

  it('returns a JSON-safe object with a format tag, version and id', () => {
    const s = serializeFingerprint(SAMPLE)
    expect(s).toMatchObject({ format: 'wiretrace/fingerprint', version: 2, id: 'homs-1' })
    expect(typeof s.data).toBe('string')
  })
})

describe('deserializeFingerprint refuses', () => {
  const good = serializeFingerprint(SAMPLE)

  it('an unknown version, with UNSUPPORTED_VERSION naming it', () => {
    expect(errorOf(() => deserializeFingerprint({ ...good, version: 3 }), 'UNSUPPORTED_VERSION')).toMatch(
      /version 3 is not supported \(this build reads 1 and 2\)/,
    )
    expect(errorOf(() => deserializeFingerprint({ ...good, version: '1' }), 'UNSUPPORTED_VERSION')).toContain('"1"')
    const bytes = fingerprintToBytes(SAMPLE)
    bytes[4] = 7
    expect(errorOf(() => fingerprintFromBytes(bytes), 'UNSUPPORTED_VERSION')).toMatch(/version 7/)
  })

  it('another format, with CORRUPT_DATA naming it', () => {
    expect(errorOf(() => deserializeFingerprint({ ...good, format: 'wiretrace/index' }), 'CORRUPT_DATA')).toContain(
      '"wiretrace/index"',
    )
    for (const bad of [null, undefined, 42, 'wiretrace/fingerprint', [], {}]) {
      expect(errorOf(() => deserializeFingerprint(bad), 'CORRUPT_DATA')).toMatch(/not a serialized wiretrace fingerprint/)
    }
    expect(errorOf(() => deserializeFingerprint({ ...good, data: 5 }), 'CORRUPT_DATA')).toMatch(/no data/)
    expect(errorOf(() => deserializeFingerprint({ ...good, data: '***' }), 'CORRUPT_DATA')).toMatch(/base64/)
    const bytes = fingerprintToBytes(SAMPLE)
    bytes[0] = 0
    expect(errorOf(() => fingerprintFromBytes(bytes), 'CORRUPT_DATA')).toMatch(/magic/)
  })

  it('every truncation of the data, with CORRUPT_DATA saying where', () => {
    fc.assert(
      fc.property(fingerprintArb, (fp) => {
        const bytes = fingerprintToBytes(fp)
        for (let n = 0; n < bytes.length; n++) {
          const msg = errorOf(() => fingerprintFromBytes(bytes.subarray(0, n)), 'CORRUPT_DATA')
          expect(msg).toMatch(/truncated at byte \d+/)
        }
      }),
      fcOptions(25),
    )
    const data = good.data.slice(0, -8)
    expect(errorOf(() => deserializeFingerprint({ ...good, data }), 'CORRUPT_DATA')).toMatch(/truncated/)
  })

  it('trailing bytes, with CORRUPT_DATA counting them', () => {
    const bytes = fingerprintToBytes(SAMPLE)
    const longer = new Uint8Array(bytes.length + 3)
    longer.set(bytes)
    expect(errorOf(() => fingerprintFromBytes(longer), 'CORRUPT_DATA')).toMatch(/3 unexpected trailing bytes/)
    expect(errorOf(() => deserializeFingerprint({ ...good, data: toBase64(longer) }), 'CORRUPT_DATA')).toMatch(/trailing/)
  })

  it('an unknown scheme code or paragraph kind, with CORRUPT_DATA', () => {
    const bytes = fingerprintToBytes(SAMPLE)
    // after magic (4), version (1), length and checksum (8), numPerm (2), paragraphPerm (2), seed (4), shingle sizes (2)
    bytes[23] = 9
    expect(errorOf(() => fingerprintFromBytes(reseal(bytes)), 'CORRUPT_DATA')).toMatch(/scheme code 9/)
    const paragraph: ParagraphSketch = { ...(SAMPLE.paragraphs[0] as ParagraphSketch), kind: 'byline' }
    const withParagraph = fingerprintToBytes({ ...SAMPLE, paragraphs: [paragraph] })
    // The paragraph starts where a paragraph-less encoding ends: start (4), end (4), then the kind.
    const kindAt = fingerprintToBytes({ ...SAMPLE, paragraphs: [] }).length + 8
    expect(withParagraph[kindAt]).toBe(3) // 'byline'
    withParagraph[kindAt] = 200
    expect(errorOf(() => fingerprintFromBytes(reseal(withParagraph)), 'CORRUPT_DATA')).toMatch(/paragraph 0 has an unknown kind/)
  })

  it('random corruption with a WiretraceError or a clean decode, never another exception', () => {
    fc.assert(
      fc.property(
        fingerprintArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        (fp, flips) => {
          const bytes = fingerprintToBytes(fp)
          for (const [at, x] of flips) bytes[at % bytes.length] = (bytes[at % bytes.length] as number) ^ x
          try {
            fingerprintFromBytes(bytes)
          } catch (e) {
            expect(e).toBeInstanceOf(WiretraceError)
            expect(['CORRUPT_DATA', 'UNSUPPORTED_VERSION']).toContain((e as WiretraceError).code)
          }
        },
      ),
      fcOptions(500),
    )
  })

  it('invalid UTF-8 in the id, with CORRUPT_DATA (not a TypeError from TextDecoder)', () => {
    const bytes = fingerprintToBytes({ ...SAMPLE, id: 'abc' })
    const at = bytes.indexOf(0x61) // 'a' of the id
    bytes[at] = 0xff
    expect(errorOf(() => fingerprintFromBytes(reseal(bytes)), 'CORRUPT_DATA')).toMatch(/invalid UTF-8/)
  })

  it.each([
    ['numPerm', { numPerm: 64 }, 'numPerm=64', 'numPerm=128'],
    ['paragraphPerm', { paragraphPerm: 16 }, 'paragraphPerm=16', 'paragraphPerm=32'],
    ['seed', { seed: 2 }, 'seed=2', 'seed=1'],
    ['shingleSize', { shingleSize: 5 }, 'shingleSize=5', 'shingleSize=3'],
    ['charShingleSize', { charShingleSize: 4 }, 'charShingleSize=4', 'charShingleSize=0'],
    ['scheme', { scheme: 'kperm' as const }, 'scheme=kperm', 'scheme=oph'],
  ])('a fingerprint made with another %s, with PARAMS_MISMATCH naming both values', (_name, change, made, wanted) => {
    const expected = sketchParams(resolveAnalyzeOptions({}))
    const a = analyze({ id: 'x', text: 'Rebels entered the city of Homs on Saturday morning.' }, change)
    if (a.status !== 'ok') throw new Error('did not analyse')
    const msg = errorOf(() => deserializeFingerprint(serializeFingerprint(a.fingerprint), expected), 'PARAMS_MISMATCH')
    expect(msg).toContain(`made with`)
    expect(msg.slice(0, msg.indexOf('expected'))).toContain(made)
    expect(msg.slice(msg.indexOf('expected'))).toContain(wanted)
  })
})

describe('checksums (format version 2)', () => {
  it('detects every single changed character of the base64 data, as CORRUPT_DATA', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .!'
    fc.assert(
      fc.property(fingerprintArb, fc.nat(), fc.constantFrom(...alphabet), (fp, at, c) => {
        const good = serializeFingerprint(fp)
        const i = at % good.data.length
        fc.pre(good.data[i] !== c)
        const data = good.data.slice(0, i) + c + good.data.slice(i + 1)
        expect(errorOf(() => deserializeFingerprint({ ...good, data }), 'CORRUPT_DATA')).toMatch(/^wiretrace: /)
      }),
      fcOptions(1000),
    )
  })

  it('detects a change of the last character that atob would decode to the same bytes', () => {
    // Some id length makes the data end in padding, where the last character has unused bits.
    const s = ['', 'x', 'xx']
      .map((extra) => serializeFingerprint({ ...SAMPLE, id: SAMPLE.id + extra }))
      .find((x) => x.data.endsWith('=')) as SerializedFingerprint
    const at = s.data.search(/=/) - 1
    expect(at).toBeGreaterThan(0)
    // Flip the lowest bit of the character before the padding: unused bits, same bytes.
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
    const flipped = chars[chars.indexOf(s.data[at] as string) ^ 1] as string
    const data = s.data.slice(0, at) + flipped + s.data.slice(at + 1)
    expect(atob(data)).toBe(atob(s.data))
    expect(errorOf(() => deserializeFingerprint({ ...s, data }), 'CORRUPT_DATA')).toMatch(/canonical/)
  })

  it('names the damaged byte range and both checksums', () => {
    const bytes = fingerprintToBytes(SAMPLE)
    bytes[30] = (bytes[30] as number) ^ 1
    expect(errorOf(() => fingerprintFromBytes(bytes), 'CORRUPT_DATA')).toMatch(
      new RegExp(
        `fingerprint is damaged: the checksum of bytes 13-${bytes.length} does not match \\(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\\)`,
      ),
    )
  })

  it('refuses a version byte that disagrees with the wrapper, so damage cannot skip the checksum', () => {
    const bytes = fingerprintToBytes(SAMPLE)
    bytes[4] = 1
    const good = serializeFingerprint(SAMPLE)
    expect(errorOf(() => deserializeFingerprint({ ...good, data: toBase64(bytes) }), 'CORRUPT_DATA')).toMatch(
      /data holds format version 1, the wrapper says 2/,
    )
  })

  it('still reads version 1 (written before checksums)', () => {
    const v2 = fingerprintToBytes(SAMPLE)
    // Version 1 is version 2 without the length and checksum.
    const v1 = new Uint8Array(v2.length - 8)
    v1.set(v2.subarray(0, 5))
    v1.set(v2.subarray(13), 5)
    v1[4] = 1
    expect(fingerprintFromBytes(v1)).toEqual(SAMPLE)
    expect(deserializeFingerprint({ format: 'wiretrace/fingerprint', version: 1, id: SAMPLE.id, data: toBase64(v1) })).toEqual(
      SAMPLE,
    )
  })
})

describe('edge cases', () => {
  it('round-trips an empty id, no paragraphs and maximal values', () => {
    const fp: Fingerprint = {
      ...SAMPLE,
      id: '',
      shingleCount: 0xffffffff,
      paragraphs: [],
      anchors: Uint32Array.of(0, 0xffffffff),
      params: { ...SAMPLE.params, seed: 0xffffffff },
    }
    expect(deserializeFingerprint(serializeFingerprint(fp))).toEqual(fp)
  })

  it('round-trips ids outside the BMP and with combining marks', () => {
    for (const id of ['😀/1', 'a\u0301', '北京-2024', '\u0000']) {
      expect(deserializeFingerprint(serializeFingerprint({ ...SAMPLE, id })).id).toBe(id)
    }
  })

  it('accepts a fingerprint without expected params whatever they are', () => {
    const fp = { ...SAMPLE, params: { ...SAMPLE.params, seed: 99 } }
    expect(deserializeFingerprint(serializeFingerprint(fp)).params.seed).toBe(99)
  })
})
