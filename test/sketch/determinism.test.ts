import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { analyze } from '../../src/analyze.js'
import { minhash } from '../../src/sketch/minhash.js'
import { toSortedSet, wordShingles } from '../../src/sketch/shingle.js'
import { normalizeText } from '../../src/text/normalize.js'
import { hashTokens } from '../../src/text/tokenize.js'
import { fnv1aRef } from '../helpers/reference.js'
import { type ChildResult, signatures } from '../helpers/signature-child.js'

const ENGLISH = 'Rebels entered the city of Homs on Saturday, 3,500 people fled, officials said.'
const TEXTS = [
  ENGLISH,
  'The “ceasefire” held — barely.\n\nA second paragraph follows, with Café Müller and 12.5% inflation in 2024.',
  'รัฐบาลไทยประกาศมาตรการใหม่เพื่อช่วยเหลือเกษตรกรในภาคอีสาน',
  '我们今天去北京大学参观了图书馆。日本語の文章も少し混ぜます。',
  'قال الرئيس إن الحكومة ستعلن عن خطة جديدة يوم الأحد',
  'Emoji 😀 and a̐ combining mark, ﬁne ligatures, ＦＵＬＬＷＩＤＴＨ ١٢٣ digits.',
]

/** Reference FNV-1a of the comma-joined decimal signature values. */
const GOLDEN_DIGEST = { oph: 0xbddac18e, kperm: 0x9c273fc5 }

const CHILD = fileURLToPath(new URL('../helpers/signature-child.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

function runChild(texts: string[], env: Record<string, string>): ChildResult[] {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    input: JSON.stringify(texts),
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  })
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`)
  return JSON.parse(r.stdout) as ChildResult[]
}

const hex = (xs: readonly number[]) => xs.map((x) => `0x${x.toString(16).padStart(8, '0')}`)
/** Digest of a whole signature by the reference FNV-1a, independent of the library's hashing. */
const digest = (xs: ArrayLike<number>) => fnv1aRef(Array.from(xs).join(','))

function pipelineSignature(text: string, scheme: 'oph' | 'kperm'): Uint32Array {
  return minhash(toSortedSet(wordShingles(hashTokens(normalizeText(text)), 3, 1)), 128, 1, scheme)
}

describe('signature determinism', () => {
  it('returns the same signature for the same input on repeated calls', () => {
    const first = TEXTS.map(signatures)
    // Interleave other work that fills the module-level caches (permutations, character classes).
    minhash([1, 2, 3], 64, 99, 'kperm')
    hashTokens('ǅ 𝒜 ꙮ ๑๒๓')
    expect(TEXTS.map(signatures)).toEqual(first)
  })

  it('returns the same signatures in a child process, also with another locale and input order', () => {
    const here = TEXTS.map(signatures)
    expect(runChild(TEXTS, {})).toEqual(here)
    const reversed = runChild([...TEXTS].reverse(), { LANG: 'th_TH.UTF-8', LC_ALL: 'th_TH.UTF-8', TZ: 'Asia/Tokyo' })
    expect(reversed.reverse()).toEqual(here)
  }, 60_000)

  it('returns the pinned OPH signature (a change of hash, shingling or densification shows here)', () => {
    const sig = pipelineSignature(ENGLISH, 'oph')
    expect(hex([...sig.slice(0, 8)])).toEqual([
      '0x4e455f44',
      '0xb4d58677',
      '0x15af803c',
      '0x1ac7bf4a',
      '0xc828cc8f',
      '0x4e455f44',
      '0x1cf4f565',
      '0x15af803c',
    ])
    expect(digest(sig)).toBe(GOLDEN_DIGEST.oph)
  })

  it('returns the pinned k-permutation signature', () => {
    const sig = pipelineSignature(ENGLISH, 'kperm')
    expect(hex([...sig.slice(0, 8)])).toEqual([
      '0x1db94c48',
      '0x0e2d020f',
      '0x05b3e0e2',
      '0x238302cd',
      '0x06b6bd47',
      '0x04a4f779',
      '0x010de047',
      '0x271f3c35',
    ])
    expect(digest(sig)).toBe(GOLDEN_DIGEST.kperm)
  })

  it('analyze returns a signature equal to minhash of its own shingle set', () => {
    for (const scheme of ['oph', 'kperm'] as const) {
      const a = analyze({ id: 'x', text: ENGLISH }, { scheme })
      expect(a.status).toBe('ok')
      if (a.status !== 'ok') continue
      expect([...a.fingerprint.signature]).toEqual([...minhash(a.shingles, 128, 1, scheme)])
    }
  })
})
