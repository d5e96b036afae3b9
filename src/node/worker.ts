// Worker thread: analyses batches for analyzeParallel, and runs both passes of clusterCorpus.
import { parentPort } from 'node:worker_threads'
import { type Analysis, type AnalyzeOptions, type Article, analyzeResolved, resolveAnalyzeOptions } from '../analyze.js'
import { runCorpusJob } from './corpus-job.js'
import { loadNgramModelOnFirstUse } from './ngram.js'
import { poolArrays } from './transfer.js'

// tinyld loads the first time a text needs it, not at start-up (see setNgramModel).
loadNgramModelOnFirstUse()

interface Job {
  id: number
  articles: Article[]
  options: AnalyzeOptions
  /** Sketches only (analyzeResolved's `sketchOnly`). */
  sketchOnly?: boolean
}

let cached: { key: AnalyzeOptions; resolved: ReturnType<typeof resolveAnalyzeOptions> } | undefined

parentPort?.on('message', (job: Job | { type: string; id: number }) => {
  if ('type' in job) {
    try {
      const { reply, transfer } = runCorpusJob(job as Parameters<typeof runCorpusJob>[0])
      parentPort?.postMessage(reply, transfer)
    } catch (e) {
      const err = e as Error & { code?: string }
      parentPort?.postMessage({ id: job.id, error: { message: err.message, code: err.code } })
    }
    return
  }
  if (!cached || cached.key !== job.options) cached = { key: job.options, resolved: resolveAnalyzeOptions(job.options) }
  const o = (cached as { resolved: ReturnType<typeof resolveAnalyzeOptions> }).resolved
  const results: Analysis[] = job.articles.map((a) => analyzeResolved(a, o, job.sketchOnly === true))
  parentPort?.postMessage({ id: job.id, results }, poolArrays(results))
})
