// wiretrace/node: file input, worker threads and index files. Node only.
import { readFile, rename, writeFile } from 'node:fs/promises'
import { argString, describeValue, invalid, WiretraceError } from '../errors.js'
import { LshIndex } from '../lsh/lsh.js'
import { loadNgramModelOnFirstUse } from './ngram.js'

// tinyld loads the first time a text needs it, not at start-up (see setNgramModel).
loadNgramModelOnFirstUse()

export { readArticles, recordToArticle, parseJsonArticles } from './io.js'
export { readLabelledPairs, readModel, writeModel } from './model-io.js'
export { analyzeParallel, clusterArticlesParallel } from './parallel.js'
export { clusterCorpus } from './corpus.js'
export { loadState, saveState } from './state.js'
export type { InputEncoding, InputSkip, ReadOptions, ReadResult, RecordOptions } from './io.js'
export type { ReadPairsOptions } from './model-io.js'
export type { ParallelOptions } from './parallel.js'
export type { CorpusOptions, CorpusProgress } from './corpus.js'
export type { StateFile } from './state.js'

/** Write an index snapshot to a file (atomically: a temporary file, then a rename). */
export async function saveIndex(index: LshIndex, path: string): Promise<void> {
  if (!(index instanceof LshIndex)) throw invalid(`saveIndex: index must be an LshIndex, got ${describeValue(index)}`)
  argString('saveIndex', 'path', path)
  const tmp = `${path}.tmp-${process.pid}`
  await writeFile(tmp, index.save())
  await rename(tmp, path)
}

/** Read an index snapshot written by {@link saveIndex}. */
export async function loadIndex(path: string): Promise<LshIndex> {
  argString('loadIndex', 'path', path)
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (cause) {
    throw new WiretraceError(
      'INPUT_ERROR',
      `cannot read index ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      { cause },
    )
  }
  return LshIndex.load(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
}
