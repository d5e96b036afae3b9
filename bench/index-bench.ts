/**
 * `npm run bench -- index`: LSH index build and query on Reuters: `LshIndex` (Map buckets) and
 * the batch path (`batchCandidatePairs`, `BatchStore`: sorted typed arrays), throughput and bytes
 * per indexed document (heap + typed arrays after a full GC, and `BatchStats.bytes`).
 */
import type { AnalysisOk } from '../src/analyze.js'
import { BatchStore, batchCandidatePairs } from '../src/lsh/batch.js'
import { bandKeys, LshIndex, resolveIndexConfig } from '../src/lsh/lsh.js'
import { analyzeParallel } from '../src/node/parallel.js'
import type { Fingerprint } from '../src/sketch/fingerprint.js'
import { type BenchFlags, fmt, liveBytes, loadCorpus, median, section, table, textBytes, time, timeAsync } from './common.js'

export async function benchIndex(flags: BenchFlags): Promise<void> {
  const m0 = liveBytes()
  let articles = await loadCorpus(flags)
  const m1 = liveBytes()
  const bytes = textBytes(articles)
  const results = await analyzeParallel(articles, { workers: flags.workers })
  const analyses = results.filter((r): r is AnalysisOk => r.status === 'ok')
  results.length = 0
  // Worker threads send back a copy of each article with its analysis: drop ours.
  articles = []
  const m2 = liveBytes()
  const n = analyses.length
  const fps: Fingerprint[] = analyses.map((a) => a.fingerprint)
  const copies = structuredClone(fps)
  const m3 = liveBytes()
  copies.length = 0
  const perDoc = (x: number) => fmt(x / n, 0)
  const config = resolveIndexConfig({}, (fps[0] as Fingerprint).params)

  // Band keys alone (what both paths compute per document).
  let keys: Float64Array[] = []
  const keySeconds: number[] = []
  for (let r = 0; r < flags.reps; r++) keySeconds.push(time(() => (keys = fps.map((fp) => bandKeys(fp, config)))))
  const keyBytes = keys.reduce((s, k) => s + k.byteLength, 0)
  const keysPerDoc = keys.reduce((s, k) => s + k.length, 0) / n

  // LshIndex: build (insert computes band keys) and query every document.
  const buildSeconds: number[] = []
  const querySeconds: number[] = []
  let lshBytes = 0
  let lshCandidates = 0
  for (let r = 0; r < flags.reps; r++) {
    const before = r === 0 ? liveBytes() : undefined
    const index = new LshIndex()
    buildSeconds.push(
      time(() => {
        for (const fp of fps) index.insert(fp)
      }),
    )
    if (before) lshBytes = liveBytes().total - before.total
    let c = 0
    querySeconds.push(
      time(() => {
        for (const fp of fps) c += index.query(fp).length
      }),
    )
    lshCandidates = c
  }

  // Batch: all candidate pairs at once from the band keys.
  const pairSeconds: number[] = []
  let stats = batchCandidatePairs(keys.slice(0, 10), 500).stats
  for (let r = 0; r < flags.reps; r++) pairSeconds.push(time(() => (stats = batchCandidatePairs(keys, 500).stats)))
  // The same per channel group, as clusterAnalyses runs it: wording (document + paragraph) and anchors.
  const wordingKeys = fps.map((fp) => bandKeys(fp, config, 'wording'))
  const anchorKeys = fps.map((fp) => bandKeys(fp, config, 'anchor'))
  let wording = stats
  let anchor = stats
  const wordingSeconds: number[] = []
  const anchorSeconds: number[] = []
  for (let r = 0; r < flags.reps; r++) {
    wordingSeconds.push(time(() => (wording = batchCandidatePairs(wordingKeys, 500).stats)))
    anchorSeconds.push(time(() => (anchor = batchCandidatePairs(anchorKeys, 500).stats)))
  }
  const pairsCell = (st: typeof stats) =>
    `${st.pairs.toLocaleString('en-US')} pairs, ${st.sharedBuckets.toLocaleString('en-US')} shared buckets, ${st.oversizedBuckets} oversized`

  // BatchStore: add (appends the keys), first query sorts, then queries binary-search.
  const addSeconds: number[] = []
  const sortSeconds: number[] = []
  const storeQuerySeconds: number[] = []
  let storeBytes = { heap: 0, typed: 0, sorted: 0 }
  let storeCandidates = 0
  for (let r = 0; r < flags.reps; r++) {
    const before = r === 0 ? liveBytes() : undefined
    const store = new BatchStore()
    addSeconds.push(await timeAsync(() => store.add(fps.map((fp) => ({ id: fp.id, keys: bandKeys(fp, config) })))))
    const added = before ? { live: liveBytes().total, typed: store.bytes() } : undefined
    sortSeconds.push(await timeAsync(() => store.query([keys[0] as Float64Array])))
    if (before && added) {
      const after = liveBytes().total
      storeBytes = { heap: after - before.total, typed: store.bytes(), sorted: store.bytes() - added.typed }
    }
    let res: string[][] = []
    storeQuerySeconds.push(await timeAsync(async () => (res = await store.query(keys))))
    storeCandidates = res.reduce((s, ids) => s + ids.length, 0) - n // each document finds itself
  }

  const rate = (sec: number[]) => fmt(n / median(sec), 0)
  const s = (sec: number[]) => fmt(median(sec), 2)
  section(
    'index: build and query, Reuters-21578',
    table(
      ['structure', 'operation', 'seconds', 'docs/s', 'result'],
      [
        ['(both)', '`bandKeys` for every document', s(keySeconds), rate(keySeconds), `${fmt(keysPerDoc, 1)} band keys/doc`],
        [
          '`LshIndex` (Map buckets)',
          'build: `insert` each fingerprint',
          s(buildSeconds),
          rate(buildSeconds),
          `${n.toLocaleString('en-US')} docs`,
        ],
        [
          '`LshIndex`',
          'query each fingerprint',
          s(querySeconds),
          rate(querySeconds),
          `${fmt(lshCandidates / n, 2)} candidates/query (${(lshCandidates / 2).toLocaleString('en-US')} pairs)`,
        ],
        ['`batchCandidatePairs`', 'all candidate pairs, all channels', s(pairSeconds), rate(pairSeconds), pairsCell(stats)],
        [
          '`batchCandidatePairs`',
          'wording channels (document + paragraph)',
          s(wordingSeconds),
          rate(wordingSeconds),
          pairsCell(wording),
        ],
        ['`batchCandidatePairs`', 'anchor channel alone', s(anchorSeconds), rate(anchorSeconds), pairsCell(anchor)],
        ['`BatchStore`', '`add` (computes keys, appends)', s(addSeconds), rate(addSeconds), ''],
        ['`BatchStore`', 'first query: sort every band slot', s(sortSeconds), rate(sortSeconds), ''],
        [
          '`BatchStore`',
          'query each document (one batch call)',
          s(storeQuerySeconds),
          rate(storeQuerySeconds),
          `${fmt(storeCandidates / n, 2)} candidates/query`,
        ],
      ],
      ['l', 'l', 'r', 'r', 'l'],
    ),
    [
      `${n.toLocaleString('en-US')} analysed documents (${fmt(bytes / 1e6, 1)} MB of text), default options (document 25×5, ` +
        `paragraph ${config.paragraph?.bands}×${config.paragraph?.rows}, anchor ${config.anchor?.bands}×${config.anchor?.rows}); ` +
        `median of ${flags.reps} runs; docs/s = documents (or queries) per second on one thread. LshIndex and BatchStore ` +
        'index every channel; clusterAnalyses groups the wording channels and the anchor channel apart and keeps anchor-only ' +
        'pairs only across languages.',
    ],
  )
  section(
    'index: memory per document',
    table(
      ['what', 'bytes/doc', 'how measured'],
      [
        [
          'article (text + fields) as loaded',
          perDoc(m1.total - m0.total),
          `heap + external after GC, ${fmt(bytes / n, 0)} bytes of UTF-8 text/doc`,
        ],
        [
          '`AnalysisOk` from a worker, with its article',
          perDoc(m2.total - m0.total),
          'heap + external after GC (paragraph texts, exact sets, fingerprint, article)',
        ],
        ['`Fingerprint` alone', perDoc(m3.total - m2.total), 'heap + external of a structuredClone of every fingerprint'],
        ['band keys (Float64Array per doc)', perDoc(keyBytes), 'byteLength'],
        ['`LshIndex` (without the fingerprints it references)', perDoc(lshBytes), 'heap + external delta of a build'],
        ['`BatchStore` after the sort', perDoc(storeBytes.heap), 'heap + external delta (ids, keys, sorted slots)'],
        [
          '`BatchStore.bytes()`',
          perDoc(storeBytes.typed),
          `typed arrays: keys + sorted slots (${perDoc(storeBytes.sorted)} of them sorted)`,
        ],
        ['`batchCandidatePairs` `BatchStats.bytes`', perDoc(stats.bytes), 'packed entries + pair array, transient'],
      ],
      ['l', 'r', 'l'],
    ),
  )
}
