import type { PairEvidence } from './evidence.js'
import { Scratch, u8 } from './scratch.js'
import type { Tile } from './tiling.js'
import type { TextView } from './view.js'

/** A passage of one article found in the other, as character spans of both texts. */
export interface Passage {
  /** Verbatim runs (with gaps of a few words, none of them a figure or a name), or sentences reworded or translated. */
  mode: 'verbatim' | 'reworded' | 'translated'
  /** UTF-16 offsets into each article's text: `text.slice(start, end)`. */
  a: { start: number; end: number }
  b: { start: number; end: number }
  /** Tokens of each side in the passage. */
  tokens: { a: number; b: number }
}

/** Aligned sentences at least this similar are a reworded (or translated) passage. */
const MIN_REWORDED = 0.5
const inVerbatimScratch = new Scratch(u8)

/**
 * The passages `a` and `b` share: verbatim runs chained across small gaps (evidence.ts,
 * `verbatimRuns`), split where a gap holds a figure or a name on either side, then sentences of
 * `a` aligned with `b`'s at a similarity of {@link MIN_REWORDED} or more that the runs do not
 * already cover, merged while both sides go on in order.
 */
export function passagesOf(ev: PairEvidence, crossLanguage: boolean): Passage[] {
  const va = ev.views.a
  const vb = ev.views.b
  const out: Passage[] = []
  const inVerbatim = inVerbatimScratch.take(va.tokens.length, true)
  const tiles = [...ev.tiles].sort((x, y) => x.aStart - y.aStart)
  let k = 0
  for (const r of ev.runs) {
    // The run's tiles are those that start in its range on a (tiles never overlap on a side).
    while (k < tiles.length && (tiles[k] as Tile).aStart < r.aStart) k++
    let piece: { a0: number; a1: number; b0: number; b1: number; n: number } | null = null
    for (; k < tiles.length && (tiles[k] as Tile).aStart < r.aEnd; k++) {
      const t = tiles[k] as Tile
      if (piece && !differs(va, piece.a1, t.aStart) && !differs(vb, piece.b1, t.bStart)) {
        piece.a1 = t.aStart + t.length
        piece.b1 = t.bStart + t.length
        piece.n += t.length
        continue
      }
      if (piece) out.push(span('verbatim', va, vb, piece.a0, piece.a1, piece.b0, piece.b1, piece.n, piece.n))
      piece = { a0: t.aStart, a1: t.aStart + t.length, b0: t.bStart, b1: t.bStart + t.length, n: t.length }
    }
    if (piece) out.push(span('verbatim', va, vb, piece.a0, piece.a1, piece.b0, piece.b1, piece.n, piece.n))
    inVerbatim.fill(1, r.aStart, r.aEnd)
  }
  const mode = crossLanguage ? 'translated' : 'reworded'
  let run: { a0: number; a1: number; b0: number; b1: number; lastB: number; ta: number; tb: number } | null = null
  const flushRun = () => {
    if (run) out.push(span(mode, va, vb, run.a0, run.a1, run.b0, run.b1, run.ta, run.tb))
    run = null
  }
  for (const p of ev.sentencesA) {
    const a0 = va.sentences[p.a] as number
    const a1 = va.sentences[p.a + 1] as number
    let covered = 0
    for (let i = a0; i < a1; i++) covered += inVerbatim[i] as number
    if (p.similarity < MIN_REWORDED || covered * 2 >= a1 - a0) {
      flushRun()
      continue
    }
    const b0 = vb.sentences[p.b] as number
    const b1 = vb.sentences[p.b + 1] as number
    if (run && run.a1 === a0 && (p.b === run.lastB || p.b === run.lastB + 1)) {
      run.a1 = a1
      run.ta += a1 - a0
      if (p.b !== run.lastB) {
        run.b1 = b1
        run.tb += b1 - b0
      }
      run.lastB = p.b
    } else {
      flushRun()
      run = { a0, a1, b0, b1, lastB: p.b, ta: a1 - a0, tb: b1 - b0 }
    }
  }
  flushRun()
  return out.sort((x, y) => x.a.start - y.a.start || x.b.start - y.b.start)
}

/**
 * A gap in a verbatim run holds a figure or a name: the run is reported as two passages there, so
 * that a template's frame filled in with other amounts and issuers is not marked copied across them.
 */
function differs(v: TextView, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (v.specific[i]) return true
  return false
}

function span(
  mode: Passage['mode'],
  va: TextView,
  vb: TextView,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  ta: number,
  tb: number,
): Passage {
  return {
    mode,
    a: { start: va.start[a0] as number, end: withPunctuation(va.analysis.article.text, va.end[a1 - 1] as number) },
    b: { start: vb.start[b0] as number, end: withPunctuation(vb.analysis.article.text, vb.end[b1 - 1] as number) },
    tokens: { a: ta, b: tb },
  }
}

const TRAILING = /[^\s\p{L}\p{N}]/u

/** A passage ends after the punctuation that closes its last word ("season." not "season"). */
function withPunctuation(text: string, end: number): number {
  let e = end
  while (e < text.length && TRAILING.test(text.charAt(e))) e++
  return e
}
