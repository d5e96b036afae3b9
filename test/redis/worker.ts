// Child process of the two-process test: ingests every `parts`-th document of the shared test
// corpus, starting at `part`, into a namespace.
// Usage: node --import tsx test/redis/worker.ts <url> <namespace> <reuters> <part> <parts>

import { SharedIndex } from '../../src/lsh/lsh.js'
import { RedisStore } from '../../src/redis/index.js'
import { serializeFingerprint } from '../../src/sketch/serialize.js'
import { testCorpus } from './helpers.js'

async function main(): Promise<void> {
  const [url, namespace, reuters, part, parts] = process.argv.slice(2)
  if (!url || !namespace || !reuters || !part || !parts)
    throw new Error('usage: worker.ts <url> <namespace> <reuters> <part> <parts>')
  const fps = testCorpus(Number(reuters)).filter((_, i) => i % Number(parts) === Number(part))
  const store = await RedisStore.connect({ url, namespace, batchSize: 32 })
  try {
    const index = new SharedIndex(store)
    // Small batches, in several calls, so that the two processes really interleave.
    for (let i = 0; i < fps.length; i += 40) {
      const part = fps.slice(i, i + 40)
      await index.insert(part.map((fp) => ({ fingerprint: fp, payload: JSON.stringify(serializeFingerprint(fp)) })))
    }
    process.stdout.write(`${JSON.stringify({ inserted: fps.length })}\n`)
  } finally {
    await store.close()
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
