// Worker thread: analyses batches of articles sent by analyzeParallel.
import { parentPort } from 'node:worker_threads'
import { type Analysis, type AnalyzeOptions, type Article, analyzeResolved, resolveAnalyzeOptions } from '../analyze.js'

interface Job {
  id: number
  articles: Article[]
  options: AnalyzeOptions
}

let cached: { key: AnalyzeOptions; resolved: ReturnType<typeof resolveAnalyzeOptions> } | undefined

parentPort?.on('message', (job: Job) => {
  if (!cached || cached.key !== job.options) cached = { key: job.options, resolved: resolveAnalyzeOptions(job.options) }
  const results: Analysis[] = job.articles.map((a) =>
    analyzeResolved(a, (cached as { resolved: ReturnType<typeof resolveAnalyzeOptions> }).resolved),
  )
  parentPort?.postMessage({ id: job.id, results })
})
