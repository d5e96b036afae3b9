import type { Fingerprint } from '../sketch/fingerprint.js'
import { estimateJaccard } from '../sketch/minhash.js'
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

export function worthComparing(a: Fingerprint, b: Fingerprint): boolean {
  if (estimateJaccard(a.signature, b.signature) >= SCREEN.document) return true
  const shared = intersectionSize(a.anchors, b.anchors)
  if (shared >= SCREEN.sharedAnchors && shared / (a.anchors.length + b.anchors.length - shared) >= SCREEN.anchors) return true
  const k = a.paragraphs[0]?.signature.length ?? 0
  const need = Math.ceil(SCREEN.paragraph * k)
  for (const p of a.paragraphs) {
    for (const q of b.paragraphs) {
      let eq = 0
      for (let i = 0; i < k; i++) if (p.signature[i] === q.signature[i]) eq++
      if (eq >= need) return true
    }
  }
  return false
}
