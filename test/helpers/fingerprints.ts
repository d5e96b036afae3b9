import type { Fingerprint, SketchParams } from '../../src/sketch/fingerprint.js'
import { type MinHashScheme, minhash } from '../../src/sketch/minhash.js'

export const DEFAULT_SKETCH: SketchParams = {
  numPerm: 128,
  paragraphPerm: 32,
  seed: 1,
  shingleSize: 3,
  charShingleSize: 0,
  scheme: 'oph',
}

/** A document-only fingerprint around a given signature: no paragraphs, no anchors. */
export function fingerprintOf(id: string, signature: Uint32Array, params: Partial<SketchParams> = {}): Fingerprint {
  const p = { ...DEFAULT_SKETCH, numPerm: signature.length, ...params }
  return {
    kind: 'fingerprint',
    version: 1,
    id,
    params: p,
    shingleCount: 0,
    signature,
    paragraphs: [],
    anchors: new Uint32Array(0),
  }
}

/** A document-only fingerprint of a set of element hashes, signed like `analyze` signs shingles. */
export function fingerprintOfSet(
  id: string,
  set: ArrayLike<number>,
  numPerm = 128,
  scheme: MinHashScheme = 'oph',
  seed = 1,
): Fingerprint {
  return { ...fingerprintOf(id, minhash(set, numPerm, seed, scheme), { scheme, seed }), shingleCount: set.length }
}
