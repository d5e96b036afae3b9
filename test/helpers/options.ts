import { clusterArticles } from '../../src/cluster/cluster.js'
import { Detector, type DetectorOptions } from '../../src/cluster/detector.js'
import { clusterCorpus } from '../../src/node/corpus.js'
import { expectError, expectRejects } from './errors.js'

/**
 * A clustering option's bad value refused, naming it, by the memory driver (`message`, the whole
 * message's start), the stream (`name`) and the file driver (`name`), the last before it reads
 * its input: a missing file would be an INPUT_ERROR.
 */
export async function expectRefusedEverywhere(options: DetectorOptions, message: string, name: string): Promise<void> {
  expectError(() => clusterArticles([], options), 'INVALID_ARGUMENT', message)
  expectError(() => new Detector(options), 'INVALID_ARGUMENT', name)
  await expectRejects(clusterCorpus('/nonexistent/wiretrace.jsonl', { ...options, workers: 1 }), 'INVALID_ARGUMENT', name)
}
