// What the CLI's scan report reads of each article (report/build.ts's ArticleView), packed by a
// pass-1 worker beside the sketches: paragraph spans in one transferable array, and the few
// strings (language, heading, removed boilerplate) as plain arrays. The main thread holds the
// articles themselves, so it rebuilds every view without cloning an analysis.
import type { Analysis, AnalysisOk, Article } from '../analyze.js'
import { type ArticleView, articleView } from '../report/build.js'
import type { RemovedText } from '../text/boilerplate.js'

/** The views of the analysed articles of one pass-1 batch, in the batch's row order. */
export interface ViewBatch {
  kind: 'view-batch'
  langs: (string | undefined)[]
  headings: (string | undefined)[]
  /** Row r's spans are spans[2·spanStarts[r] … 2·spanStarts[r+1]), start and end in turn. */
  spanStarts: Uint32Array
  spans: Uint32Array
  /** Rows with removed text, ascending, and their removed text (most rows have none). */
  removedRows: Uint32Array
  removed: RemovedText[][]
}

/** Pack the views of the `ok` results of a batch (the rows of packSketches, in order). */
export function packViews(results: readonly Analysis[]): ViewBatch {
  const ok = results.filter((r): r is AnalysisOk => r.status === 'ok')
  const views = ok.map(articleView)
  const spanStarts = new Uint32Array(ok.length + 1)
  views.forEach((v, r) => {
    spanStarts[r + 1] = (spanStarts[r] as number) + (v.spans as [number, number][]).length
  })
  const spans = new Uint32Array(2 * (spanStarts[ok.length] as number))
  const removedRows: number[] = []
  const removed: RemovedText[][] = []
  views.forEach((v, r) => {
    let at = 2 * (spanStarts[r] as number)
    for (const [s, e] of v.spans as [number, number][]) {
      spans[at++] = s
      spans[at++] = e
    }
    if (v.removed.length > 0) {
      removedRows.push(r)
      removed.push(v.removed)
    }
  })
  return {
    kind: 'view-batch',
    langs: views.map((v) => v.lang),
    headings: views.map((v) => v.heading),
    spanStarts,
    spans,
    removedRows: Uint32Array.from(removedRows),
    removed,
  }
}

/** The buffers of a view batch, for a zero-copy postMessage. */
export function viewBuffers(b: ViewBatch): ArrayBuffer[] {
  return [b.spanStarts, b.spans, b.removedRows].map((a) => a.buffer as ArrayBuffer)
}

/** The views again: `articles[r]` is the article of row r. */
export function unpackViews(b: ViewBatch, articles: readonly Article[]): ArticleView[] {
  const out: ArticleView[] = []
  let k = 0
  for (let r = 0; r < articles.length; r++) {
    const spans: [number, number][] = []
    for (let p = b.spanStarts[r] as number; p < (b.spanStarts[r + 1] as number); p++) {
      spans.push([b.spans[2 * p] as number, b.spans[2 * p + 1] as number])
    }
    const hasRemoved = k < b.removedRows.length && b.removedRows[k] === r
    out.push({
      article: articles[r] as Article,
      lang: b.langs[r],
      heading: b.headings[r],
      spans,
      removed: hasRemoved ? (b.removed[k++] as RemovedText[]) : [],
    })
  }
  return out
}
