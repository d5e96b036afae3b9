// Run in a separate process by test/sketch/determinism.test.ts: prints the signatures of the
// texts given as JSON on stdin, so that the test can compare them with its in-process values.
import { analyze } from '../../src/analyze.js'
import { hashString } from '../../src/sketch/hash.js'
import { minhash } from '../../src/sketch/minhash.js'
import { toSortedSet, wordShingles } from '../../src/sketch/shingle.js'
import { normalizeText } from '../../src/text/normalize.js'
import { hashTokens } from '../../src/text/tokenize.js'

export interface ChildResult {
  hashes: number[]
  /** Signature of the lower-level pipeline (normalize → tokens → shingles → minhash), per scheme. */
  pipeline: { oph: number[]; kperm: number[] }
  /** Document signature from `analyze`, per scheme. */
  analyzed: { oph: number[] | null; kperm: number[] | null }
}

export function signatures(text: string): ChildResult {
  const shingles = toSortedSet(wordShingles(hashTokens(normalizeText(text)), 3, 1))
  const analyzed = (scheme: 'oph' | 'kperm') => {
    const a = analyze({ id: 'x', text }, { scheme })
    return a.status === 'ok' ? [...a.fingerprint.signature] : null
  }
  return {
    hashes: [hashString(text), hashString(text, 12345)],
    pipeline: { oph: [...minhash(shingles, 128, 1, 'oph')], kperm: [...minhash(shingles, 128, 1, 'kperm')] },
    analyzed: { oph: analyzed('oph'), kperm: analyzed('kperm') },
  }
}

if (process.argv[1]?.endsWith('signature-child.ts')) {
  let input = ''
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (chunk) => (input += chunk))
  process.stdin.on('end', () => {
    const texts = JSON.parse(input) as string[]
    process.stdout.write(JSON.stringify(texts.map(signatures)))
  })
}
