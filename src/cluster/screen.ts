import { equalCount, estimateJaccard } from '../sketch/minhash.js'
import { intersectionSize } from '../sketch/shingle.js'

/**
 * A cheap screen on signatures before the exact comparison: LSH candidates that share no
 * paragraph-like wording, little document wording and few anchors cannot reach a linking
 * relation. The bounds sit well below the relation thresholds (see DESIGN.md), so the screen
 * only saves time.
 */
export const SCREEN = {
  /** Estimated document Jaccard that always passes. */
  document: 0.15,
  /** Estimated Jaccard of some paragraph pair that passes. */
  paragraph: 0.25,
  /** Anchor Jaccard that passes (translations share anchors, not words)… */
  anchors: 0.1,
  /** …with at least this many shared anchors. */
  sharedAnchors: 3,
}

/**
 * The parts of a fingerprint the screen reads (a whole Fingerprint will do). Signatures may be
 * cut to their low 16 bits (clusterCorpus keeps them so): equal values stay equal, so every
 * count can only grow and the screen passes a superset of the pairs it passes on full values.
 */
export interface ScreenSketch {
  signature: Uint32Array | Uint16Array
  anchors: Uint32Array
  paragraphs: readonly { signature: Uint32Array | Uint16Array }[]
}

export function worthComparing(a: ScreenSketch, b: ScreenSketch): boolean {
  if (estimateJaccard(a.signature, b.signature) >= SCREEN.document) return true
  const shared = intersectionSize(a.anchors, b.anchors)
  if (shared >= SCREEN.sharedAnchors && shared / (a.anchors.length + b.anchors.length - shared) >= SCREEN.anchors) return true
  const k = a.paragraphs[0]?.signature.length ?? 0
  const need = Math.ceil(SCREEN.paragraph * k)
  for (const p of a.paragraphs) {
    for (const q of b.paragraphs) {
      if (equalCount(p.signature, q.signature) >= need) return true
    }
  }
  return false
}
