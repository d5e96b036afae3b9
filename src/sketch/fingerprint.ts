import type { ParagraphKind } from '../text/segment.js'
import type { MinHashScheme } from './minhash.js'

/** The parameters a signature was made with; signatures made with different ones never mix. */
export interface SketchParams {
  numPerm: number
  paragraphPerm: number
  seed: number
  shingleSize: number
  charShingleSize: number
  scheme: MinHashScheme
}

/** Sketch of one paragraph: small enough to keep for every paragraph of a large corpus. */
export interface ParagraphSketch {
  start: number
  end: number
  kind: ParagraphKind
  /** Characters of cleaned text. */
  length: number
  shingleCount: number
  signature: Uint32Array
  /** Hashes of the paragraph's anchors (numbers, names, URLs), sorted. */
  anchors: Uint32Array
  lang?: string
}

/**
 * The fingerprint of an article: a document signature, its shingle count (for containment)
 * and one small signature per paragraph (to find a short copy inside a long original).
 */
export interface Fingerprint {
  kind: 'fingerprint'
  version: 1
  id: string
  params: SketchParams
  shingleCount: number
  signature: Uint32Array
  paragraphs: ParagraphSketch[]
  /** Sorted anchor hashes of the whole document. */
  anchors: Uint32Array
  lang?: string
}

export function sameParams(a: SketchParams, b: SketchParams): boolean {
  return (
    a.numPerm === b.numPerm &&
    a.paragraphPerm === b.paragraphPerm &&
    a.seed === b.seed &&
    a.shingleSize === b.shingleSize &&
    a.charShingleSize === b.charShingleSize &&
    a.scheme === b.scheme
  )
}

export function describeParams(p: SketchParams): string {
  return `numPerm=${p.numPerm}, paragraphPerm=${p.paragraphPerm}, seed=${p.seed}, shingleSize=${p.shingleSize}, charShingleSize=${p.charShingleSize}, scheme=${p.scheme}`
}
