import { createRequire } from 'node:module'
import { type DetectAll, setNgramModel } from '../text/lang.js'

/**
 * Load language identification's n-gram model (`tinyld`, about 0.3 s) the first time a text needs
 * it rather than at start-up: the CLI and its worker threads, which import the pipeline module by
 * module and not through the package entry. Most texts never reach the n-gram stage.
 */
export function loadNgramModelOnFirstUse(): void {
  const require = createRequire(import.meta.url)
  setNgramModel(() => (require('tinyld') as { detectAll: DetectAll }).detectAll, true)
}
