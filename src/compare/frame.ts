import type { AnalysisOk } from '../analyze.js'
import type { PairEvidence } from './evidence.js'
import { HashSet } from './scratch.js'
import { hasView, pairView, textView } from './view.js'

/**
 * What two texts share in their aligned sentences (the frame), and the figures and names each
 * puts where the other has others (the fillers). Two notices cut from one template share the
 * frame and swap the fillers; so can a re-send that corrects a figure. What tells them apart is
 * a third text: another notice of the template fills the same frame with values of its own
 * ({@link refills}).
 */
export interface SwapFrame {
  /** Distinct tokens that both sentences of an aligned pair have, sorted. */
  frame: Uint32Array
  /**
   * Specific tokens (figures, capitalised words) that one sentence of an aligned pair has and
   * the other lacks, kept only where both sides lack some of the other's: a swap, not an
   * addition. Distinct, sorted, per side.
   */
  fillers: { a: Uint32Array; b: Uint32Array }
}

/** The thresholds of {@link refills} and of the template check (see PairVerifier). */
export const REFILL = Object.freeze({
  /** A third text holds at least this share of the frame… */
  frame: 0.8,
  /** …and at most this share of each side's fillers. */
  fillers: 0.5,
  /**
   * The third articles looked at per link, the first each side met: a flood's leader met
   * thousands, and a link is refilled by one of its first few or by none.
   */
  thirds: 32,
  /**
   * The check applies when the fillers are at least this share of the frame: a template's frame
   * is short and its swapped values a large part of it; a syndicated story's frame is long, and
   * an outlet's edited figure a small part of it (generated copies with edited figures: median
   * 0.06).
   */
  swapShare: 0.1,
})

/** Reused sets: the two sentences of an aligned pair, and the frame and fillers of a pair. */
const sets = { a: new HashSet(), b: new HashSet(), frame: new HashSet(), fa: new HashSet(), fb: new HashSet() }

/** The frame and fillers of a pair's aligned sentences; undefined when no aligned pair swaps on both sides. */
export function swapFrame(ev: PairEvidence): SwapFrame | undefined {
  const va = ev.views.a
  const vb = ev.views.b
  // Every link that swaps a value is measured here (a flood's 10,000 reprints, each with its own
  // edition number, among them): hash sets of our own, not Sets, which box hashes over 2^31.
  const { a: ta, b: tb } = sets
  const inFrame = sets.frame.reset(Math.min(va.tokens.length, vb.tokens.length))
  const inA = sets.fa.reset(va.tokens.length)
  const inB = sets.fb.reset(vb.tokens.length)
  const frame: number[] = []
  const fa: number[] = []
  const fb: number[] = []
  for (const p of ev.sentencesA) {
    const a0 = va.sentences[p.a] as number
    const a1 = va.sentences[p.a + 1] as number
    const b0 = vb.sentences[p.b] as number
    const b1 = vb.sentences[p.b + 1] as number
    ta.reset(a1 - a0)
    tb.reset(b1 - b0)
    for (let k = a0; k < a1; k++) ta.add(va.tokens[k] as number)
    for (let k = b0; k < b1; k++) tb.add(vb.tokens[k] as number)
    let xa = 0
    let shared = 0
    let figures = 0
    for (let k = a0; k < a1; k++) {
      const t = va.tokens[k] as number
      if (!tb.has(t)) {
        if (va.specific[k]) {
          xa++
          figures += va.numeric[k] as number
        }
      } else {
        shared++
        if (inFrame.add(t)) frame.push(t)
      }
    }
    if (xa === 0) continue
    let xb = 0
    for (let k = b0; k < b1; k++) {
      if (vb.specific[k] && !ta.has(vb.tokens[k] as number)) {
        xb++
        figures += vb.numeric[k] as number
      }
    }
    // A slot needs a frame around it. Two sentences that share less than they swap, and swap only
    // words, are each outlet's own line ("Reporting by …; Editing by …" with other names), not a
    // template's; a notice set out line by line ("Pay May 15") swaps figures.
    if (xb === 0 || (shared <= xa + xb && figures === 0)) continue
    for (let k = a0; k < a1; k++) {
      const t = va.tokens[k] as number
      if (va.specific[k] && !tb.has(t) && inA.add(t)) fa.push(t)
    }
    for (let k = b0; k < b1; k++) {
      const t = vb.tokens[k] as number
      if (vb.specific[k] && !ta.has(t) && inB.add(t)) fb.push(t)
    }
  }
  if (fa.length === 0 || frame.length === 0) return undefined
  return { frame: sortedOf(frame), fillers: { a: sortedOf(fa), b: sortedOf(fb) } }
}

/** (fillers of both sides) / frame: how much of what the pair shares its swaps amount to. */
export function swapShare(f: SwapFrame): number {
  return (f.fillers.a.length + f.fillers.b.length) / f.frame.length
}

/**
 * Whether a third text, given by its distinct tokens (sorted), fills the pair's frame anew: it
 * holds at least 80 % of the frame and at most half of each side's fillers.
 */
export function refills(f: SwapFrame, tokens: Uint32Array): boolean {
  if (countIn(f.frame, tokens) < REFILL.frame * f.frame.length) return false
  return (
    countIn(f.fillers.a, tokens) <= REFILL.fillers * f.fillers.a.length &&
    countIn(f.fillers.b, tokens) <= REFILL.fillers * f.fillers.b.length
  )
}

/** Distinct tokens of an analysis' text, sorted (built without keeping a view it has not got). */
export function tokenSet(x: AnalysisOk): Uint32Array {
  // A shallow copy gets a view in reused memory, which the analysis does not keep (see pairView);
  // one it has is used as it is.
  const tokens = (hasView(x) ? textView(x) : pairView({ ...x }, 0)).tokens
  const seen = sets.frame.reset(tokens.length)
  const out: number[] = []
  for (const t of tokens) if (seen.add(t)) out.push(t)
  return sortedOf(out)
}

/** Distinct values, sorted. */
function sortedOf(s: Iterable<number>): Uint32Array {
  return Uint32Array.from(s).sort()
}

/** How many of sorted `xs` are in sorted `ys`. */
function countIn(xs: Uint32Array, ys: Uint32Array): number {
  let n = 0
  let j = 0
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number
    while (j < ys.length && (ys[j] as number) < x) j++
    if (j < ys.length && ys[j] === x) n++
  }
  return n
}
