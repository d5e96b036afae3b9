import { checkInteger, describeValue, invalid } from '../errors.js'
import { normalizeText } from '../text/normalize.js'
import { scanTokens } from '../text/tokenize.js'
import { combine, fmix32 } from './hash.js'
import { type MinHashScheme, minhash } from './minhash.js'

/** Options for {@link signText}. */
export interface SignOptions {
  /** Values in the signature. @default 128 */
  numPerm?: number
  /** Hash seed. @default 1 */
  seed?: number
  /** Words per shingle. @default 3 */
  shingleSize?: number
  /** @default 'oph' */
  scheme?: MinHashScheme
}

/** A bare document signature. */
export interface TextSignature {
  kind: 'signature'
  signature: Uint32Array
  /** Distinct shingles: with the Jaccard estimate it gives containment. */
  shingleCount: number
}

let tokens: Uint32Array = new Uint32Array(4096)
let shingles: Uint32Array = new Uint32Array(4096)

/**
 * The fast path from raw text to a MinHash signature, for document-level deduplication when
 * paragraphs, boilerplate and diffs are not needed: normalise, hash tokens, shingle within each
 * line, sign. Reuses its buffers, so it allocates almost nothing per document. Its signatures
 * are not those of `analyze` (which removes boilerplate and joins hard-wrapped lines first).
 *
 * @example signText('Rebels entered the city of Homs.').shingleCount // 4
 */
export function signText(text: string, options: SignOptions = {}): TextSignature {
  if (typeof text !== 'string') throw invalid(`signText: text must be a string, got ${describeValue(text)}`)
  const numPerm = checkInteger('numPerm', options.numPerm ?? 128, 1, 65535)
  const seed = checkInteger('seed', options.seed ?? 1, 0, 0xffffffff)
  const k = checkInteger('shingleSize', options.shingleSize ?? 3, 1, 16)
  let count = 0
  for (const line of text.split('\n')) {
    const norm = normalizeText(line)
    if (norm === '') continue
    let n = 0
    scanTokens(norm, (h) => {
      if (n === tokens.length) tokens = grow(tokens)
      tokens[n++] = h
    })
    if (n === 0) continue
    const width = Math.min(k, n)
    const m = n >= k ? n - k + 1 : 1
    while (count + m > shingles.length) shingles = grow(shingles)
    for (let i = 0; i < m; i++) {
      let h = seed ^ width
      for (let j = 0; j < width; j++) h = combine(h, tokens[i + j] as number)
      shingles[count++] = fmix32(h)
    }
  }
  const all = shingles.subarray(0, count)
  const signature = minhash(all, numPerm, seed, options.scheme ?? 'oph')
  return { kind: 'signature', signature, shingleCount: distinct(all) }
}

function grow(a: Uint32Array): Uint32Array {
  const b = new Uint32Array(a.length * 2)
  b.set(a)
  return b
}

function distinct(a: Uint32Array): number {
  if (a.length < 2) return a.length
  const s = a.slice().sort()
  let d = 1
  for (let i = 1; i < s.length; i++) if (s[i] !== s[i - 1]) d++
  return d
}
