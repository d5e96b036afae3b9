/**
 * Benchmark of the Redis store (`wiretrace/redis`): inserts/s and queries/s from one process and
 * from two processes sharing a namespace, and Redis memory per indexed document.
 *
 *   npx tsx bench/redis.ts [--url redis://127.0.0.1:6379] [--docs 20000] [--batch 500] [--warmup N]
 *                          [--index '{"anchors":false}' …] [--reps 1] [--out results.md]
 *
 * Uses --url, else WIRETRACE_REDIS_URL, else starts its own redis-server on a free port (when one
 * is on the PATH). Datasets: the first --docs Reuters-21578 stories (when
 * ../shared/corpora/reuters21578.jsonl.gz is there; analysed before timing, payload = the
 * serialized fingerprint; band keys as SharedIndex stores them), once per index: the default
 * three channels; fewer paragraph bands (`paragraphThreshold: 0.7`); that without the anchor
 * channel (single-language feeds); the document channel alone (`{ paragraphs: false, anchors:
 * false }`: 25 bands of 5 rows, the index datasketch's MinHashLSH(threshold=0.5, num_perm=128)
 * builds) — or each --index given instead (IndexOptions as JSON; repeatable); and synthetic
 * documents with 100 band keys each (20 document bands + 8 bands × 10 paragraphs, no payload). Every timed run is a child
 * process holding only its entries. Before timing, each one adds and queries --warmup documents
 * (default: --docs; other ids, another namespace, then cleared), so that the figures are those of
 * a process that has been running for a while (compiled code, grown heap, scripts loaded);
 * --warmup 0 times the cold start instead. With --reps N, every dataset runs N times, in turns,
 * and the table gives medians (and the range of inserts/s, 1 process). Prints a markdown table.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { analyze } from '../src/analyze.js'
import { type IndexOptions, SharedIndex } from '../src/lsh/lsh.js'
import { MemoryStore, type StoreEntry } from '../src/lsh/store.js'
import { RedisStore } from '../src/redis/index.js'
import type { Fingerprint } from '../src/sketch/fingerprint.js'
import { serializeFingerprint } from '../src/sketch/serialize.js'
import { corpusExists, defaultCorpusPath, type ReutersRecord, readJsonl } from './corpus.js'

const SELF = fileURLToPath(import.meta.url)

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : fallback
}

// ---------------------------------------------------------------------------- data

interface Dataset {
  name: string
  entries: StoreEntry[]
}

/** The first `n` Reuters stories, analysed once, keyed under each index. */
async function reutersDatasets(n: number, indexes: readonly (IndexOptions | undefined)[]): Promise<Dataset[]> {
  const path = defaultCorpusPath()
  if (!corpusExists(path)) {
    console.error(`bench/redis: Reuters corpus not found at ${path}; running on synthetic documents only`)
    return []
  }
  const fps: Fingerprint[] = []
  for await (const r of readJsonl<ReutersRecord>(path)) {
    if (fps.length >= n) break
    if (!r.text) continue
    const a = analyze({ id: r.id, text: r.text })
    if (a.status === 'ok') fps.push(a.fingerprint)
  }
  const payloads = fps.map((fp) => JSON.stringify(serializeFingerprint(fp)))
  return indexes.map((options) => {
    const index = new SharedIndex(new MemoryStore(), options ?? {})
    return {
      name: `Reuters-21578, ${options ? `index ${JSON.stringify(options)}` : 'default index'}`,
      entries: fps.map((fp, i) => ({ id: fp.id, keys: index.keys(fp), payload: payloads[i] })),
    }
  })
}

function syntheticDataset(n: number): Dataset {
  let seed = 0x9e3779b9
  const rnd = () => {
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return seed >>> 0
  }
  const entries: StoreEntry[] = []
  for (let d = 0; d < n; d++) {
    const keys = new Float64Array(100)
    for (let b = 0; b < 20; b++) keys[b] = b * 2 ** 32 + rnd()
    for (let p = 0; p < 10; p++) for (let b = 0; b < 8; b++) keys[20 + p * 8 + b] = 2 ** 42 + b * 2 ** 32 + rnd()
    // one document in 20 is a copy of the one before (shares its document bands and half its paragraphs)
    if (d % 20 === 19) keys.set((entries[d - 1] as StoreEntry).keys.subarray(0, 60))
    entries.push({ id: `synthetic-${d}`, keys })
  }
  return { name: 'synthetic, 100 keys/doc', entries }
}

function writeDataset(ds: Dataset, file: string): void {
  const lines = ds.entries.map((e) =>
    JSON.stringify({
      id: e.id,
      k: Buffer.from(e.keys.buffer, e.keys.byteOffset, e.keys.byteLength).toString('base64'),
      p: e.payload,
    }),
  )
  writeFileSync(file, lines.join('\n'))
}

function readDataset(file: string): StoreEntry[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => {
      const o = JSON.parse(l) as { id: string; k: string; p?: string }
      const b = Buffer.from(o.k, 'base64')
      const keys = new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))
      return { id: o.id, keys, ...(o.p !== undefined ? { payload: o.p } : {}) }
    })
}

// ---------------------------------------------------------------------------- measuring

async function redisCpu(r: Redis): Promise<number> {
  const info = await r.info('cpu')
  const get = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0)
  return get('used_cpu_user') + get('used_cpu_sys')
}

/** Redis memory in use, once the lazy freeing of deleted keys (UNLINK) has finished. */
async function usedMemory(r: Redis): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const info = await r.info('memory')
    const pending = Number(/lazyfree_pending_objects:(\d+)/.exec(info)?.[1] ?? 0)
    if (pending === 0) return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return Number(/used_memory:(\d+)/.exec(await r.info('memory'))?.[1] ?? 0)
}

interface Timing {
  wall: number
  clientCpu: number
}

async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  await fn()
  const c = process.cpuUsage(c0)
  return { wall: (performance.now() - t0) / 1000, clientCpu: (c.user + c.system) / 1e6 }
}

/** Add and query the first `n` entries under other ids in a scratch namespace, then clear it. */
async function warmUp(entries: readonly StoreEntry[], n: number, url: string, batchSize: number): Promise<void> {
  if (n <= 0) return
  const store = await RedisStore.connect({
    url,
    namespace: `wt-bench-warmup-${process.pid}-${Date.now().toString(36)}`,
    batchSize,
  })
  const docs = entries.slice(0, n).map((e) => ({ ...e, id: `warmup:${e.id}` }))
  await store.add(docs)
  await store.query(docs.map((e) => e.keys))
  await store.clear()
  await store.close()
}

/** What a child reports: its share of the documents, and wall clock and CPU time per phase. */
interface ChildResult {
  n: number
  t0: number
  t1: number
  t2: number
  t3: number
  insCpu: number
  qCpu: number
  singles: number
  singleWall: number
}

/**
 * Child process: a fresh heap holding only its entries (every `parts`-th one), so that the client
 * figures are those of the store. Warms up, then at each "go" from the parent inserts, queries in
 * batches, and (with `singles` > 0) queries that many documents one at a time.
 */
async function child(): Promise<void> {
  const [, , , file, part, parts, namespace, url, batch, warmup, singles] = process.argv
  const entries = readDataset(file as string).filter((_, i) => i % Number(parts) === Number(part))
  await warmUp(entries, Math.ceil(Number(warmup) / Number(parts)), url as string, Number(batch))
  const store = await RedisStore.connect({ url: url as string, namespace: namespace as string, batchSize: Number(batch) })
  const go = () => new Promise<void>((resolve) => process.stdin.once('data', () => resolve()))
  process.stdout.write('ready\n')
  await go()
  const t0 = Date.now()
  const ins = await timed(() => store.add(entries))
  const t1 = Date.now()
  process.stdout.write('inserted\n')
  await go()
  const t2 = Date.now()
  const q = await timed(() => store.query(entries.map((e) => e.keys)))
  const t3 = Date.now()
  process.stdout.write('queried\n')
  await go()
  const one = entries.slice(0, Number(singles))
  const qs = await timed(async () => {
    for (const e of one) await store.query([e.keys])
  })
  await store.close()
  const result: ChildResult = {
    n: entries.length,
    t0,
    t1,
    t2,
    t3,
    insCpu: ins.clientCpu,
    qCpu: q.clientCpu,
    singles: one.length,
    singleWall: qs.wall,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0))
}

function lines(cp: ChildProcess): AsyncIterator<string> {
  let buf = ''
  const queue: string[] = []
  let wake: (() => void) | undefined
  cp.stdout?.on('data', (d) => {
    buf += d
    let i = buf.indexOf('\n')
    while (i >= 0) {
      queue.push(buf.slice(0, i))
      buf = buf.slice(i + 1)
      i = buf.indexOf('\n')
    }
    wake?.()
  })
  return {
    async next() {
      while (queue.length === 0) await new Promise<void>((r) => (wake = r))
      return { value: queue.shift() as string, done: false }
    },
  }
}

interface Row {
  dataset: string
  docs: number
  keysPerDoc: number
  payloadBytes: number
  insert1: number
  insert2: number
  queryBatch1: number
  queryBatch2: number
  querySingle: number
  bytesPerDoc: number
  redisUsInsert: number
  clientUsInsert: number
  redisUsQuery: number
  clientUsQuery: number
}

interface Run {
  results: ChildResult[]
  /** Redis CPU seconds and memory at the steps: before the inserts, after them, after the batched queries. */
  cpu: number[]
  mem: number[]
}

/**
 * `parts` child processes share one namespace: all insert at once, then all query. The parent
 * reads Redis CPU and memory between the steps, then checks that every document got in.
 */
async function runChildren(file: string, parts: number, n: number, o: RunOptions, admin: Redis): Promise<Run> {
  const namespace = `wt-bench-${parts}p-${process.pid}-${Date.now().toString(36)}`
  const kids = Array.from({ length: parts }, (_, part) =>
    spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        SELF,
        '--child',
        file,
        String(part),
        String(parts),
        namespace,
        o.url,
        String(o.batchSize),
        String(o.warmup),
        String(parts === 1 ? Math.min(1000, n) : 0),
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['pipe', 'pipe', 'inherit'] },
    ),
  )
  const out = kids.map(lines)
  const step = async (expect: string) => {
    for (const o of out) {
      const line = (await o.next()).value
      if (line !== expect) throw new Error(`bench child said ${line}, expected ${expect}`)
    }
  }
  const go = () => {
    for (const k of kids) k.stdin?.write('go\n')
  }
  await step('ready')
  const mem = [await usedMemory(admin)]
  const cpu = [await redisCpu(admin)]
  go()
  await step('inserted')
  cpu.push(await redisCpu(admin))
  mem.push(await usedMemory(admin))
  go()
  await step('queried')
  cpu.push(await redisCpu(admin))
  go()
  const results = await Promise.all(out.map(async (o) => JSON.parse((await o.next()).value) as ChildResult))
  const check = await RedisStore.connect({ url: o.url, namespace, batchSize: o.batchSize })
  const size = await check.size()
  if (size !== n) throw new Error(`${parts}-process run indexed ${size} of ${n} documents`)
  await check.clear()
  await check.close()
  return { results, cpu, mem }
}

interface RunOptions {
  url: string
  batchSize: number
  warmup: number
}

async function runDataset(ds: Dataset, o: RunOptions, admin: Redis, tmp: string): Promise<Row> {
  const n = ds.entries.length
  let keys = 0
  let payload = 0
  for (const e of ds.entries) {
    keys += e.keys.length
    payload += e.payload ? Buffer.byteLength(e.payload) : 0
  }
  const file = join(tmp, 'data.jsonl')
  writeDataset(ds, file)
  const span = (rs: ChildResult[], a: 't0' | 't2', b: 't1' | 't3') =>
    (Math.max(...rs.map((r) => r[b])) - Math.min(...rs.map((r) => r[a]))) / 1000

  const one = await runChildren(file, 1, n, o, admin)
  const two = await runChildren(file, 2, n, o, admin)
  const r1 = one.results[0] as ChildResult
  const [cpu0, cpu1, cpu2] = one.cpu as [number, number, number]
  const [mem0, mem1] = one.mem as [number, number]
  return {
    dataset: ds.name,
    docs: n,
    keysPerDoc: keys / n,
    payloadBytes: payload / n,
    insert1: n / span(one.results, 't0', 't1'),
    insert2: n / span(two.results, 't0', 't1'),
    queryBatch1: n / span(one.results, 't2', 't3'),
    queryBatch2: n / span(two.results, 't2', 't3'),
    querySingle: r1.singles / r1.singleWall,
    bytesPerDoc: (mem1 - mem0) / n,
    redisUsInsert: ((cpu1 - cpu0) / n) * 1e6,
    clientUsInsert: (r1.insCpu / n) * 1e6,
    redisUsQuery: ((cpu2 - cpu1) / n) * 1e6,
    clientUsQuery: (r1.qCpu / n) * 1e6,
  }
}

/** Field by field, the median of several runs of one dataset. */
function medianRow(rows: readonly Row[]): Row {
  const first = rows[0] as Row
  const out = { ...first }
  for (const k of Object.keys(first) as (keyof Row)[]) {
    if (typeof first[k] !== 'number') continue
    const xs = rows.map((r) => r[k] as number).sort((a, b) => a - b)
    const m = xs.length >> 1
    ;(out as Record<string, unknown>)[k] = xs.length % 2 ? xs[m] : ((xs[m - 1] as number) + (xs[m] as number)) / 2
  }
  return out
}

// ---------------------------------------------------------------------------- server

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => resolve(p))
    })
  })
}

async function startRedis(tmp: string): Promise<{ url: string; stop: () => void }> {
  const port = await freePort()
  const pidfile = join(tmp, 'redis.pid')
  execFileSync('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    tmp,
    '--daemonize',
    'yes',
    '--pidfile',
    pidfile,
  ])
  const url = `redis://127.0.0.1:${port}`
  const r = new Redis(url, { retryStrategy: (t) => (t > 50 ? null : 100) })
  r.on('error', () => {}) // refused until the server listens; the ping waits for it
  await r.ping()
  r.disconnect()
  return {
    url,
    stop: () => {
      try {
        process.kill(Number(readFileSync(pidfile, 'utf8')))
      } catch {
        // already gone
      }
    },
  }
}

// ---------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const docs = Number(arg('docs', '20000'))
  const batchSize = Number(arg('batch', '500'))
  const warmup = Number(arg('warmup', String(docs)))
  const reps = Number(arg('reps', '1'))
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`bench/redis: --reps must be a positive integer, got ${arg('reps')}`)
  const tmp = mkdtempSync(join(tmpdir(), 'wiretrace-bench-redis-'))
  let server: { url: string; stop: () => void } | undefined
  let url = arg('url') ?? process.env.WIRETRACE_REDIS_URL
  try {
    if (!url) {
      server = await startRedis(tmp)
      url = server.url
      console.error(`bench/redis: started redis-server at ${url}`)
    }
    const admin = new Redis(url)
    const version = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1]
    const load = loadavg()[0]?.toFixed(1)
    console.error(`bench/redis: preparing ${docs} documents per dataset…`)
    const given = process.argv.flatMap((a, i) =>
      a === '--index' ? [JSON.parse(process.argv[i + 1] as string) as IndexOptions] : [],
    )
    const indexes =
      given.length > 0
        ? given
        : [
            undefined,
            { paragraphThreshold: 0.7 },
            { paragraphThreshold: 0.7, anchors: false },
            { paragraphs: false, anchors: false },
          ]
    const datasets = [...(await reutersDatasets(docs, indexes)), ...(given.length > 0 ? [] : [syntheticDataset(docs)])]
    // Each rep runs every dataset once, so that a slow spell of a shared machine hits all of them.
    const runs: Row[][] = datasets.map(() => [])
    for (let rep = 0; rep < reps; rep++) {
      for (const [i, ds] of datasets.entries()) {
        console.error(`bench/redis: ${ds.name}${reps > 1 ? ` (run ${rep + 1} of ${reps})` : ''}…`)
        runs[i]?.push(await runDataset(ds, { url, batchSize, warmup }, admin, tmp))
      }
    }
    admin.disconnect()
    const rows = runs.map(medianRow)
    const f0 = (x: number) => Math.round(x).toLocaleString('en-US')
    const range = (i: number) => {
      const xs = (runs[i] as Row[]).map((r) => r.insert1)
      return reps > 1 ? ` (${f0(Math.min(...xs))}–${f0(Math.max(...xs))})` : ''
    }
    const out: string[] = []
    out.push(
      `Redis ${version} on localhost, ${cpus().length} CPU(s) (${cpus()[0]?.model.trim()}), load average ${load} at start; batchSize ${batchSize}; warm-up ${warmup} documents; ${reps > 1 ? `medians of ${reps} runs taken in turns` : 'one run'}; Node ${process.version}.`,
      '',
      '| dataset | docs | band keys/doc | payload B/doc | inserts/s, 1 process | inserts/s, 2 processes | queries/s, 1 process (batched) | queries/s, 2 processes (batched) | queries/s, one at a time | Redis memory B/doc |',
      '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    )
    for (const [i, r] of rows.entries()) {
      out.push(
        `| ${r.dataset} | ${f0(r.docs)} | ${r.keysPerDoc.toFixed(1)} | ${f0(r.payloadBytes)} | ${f0(r.insert1)}${range(i)} | ${f0(r.insert2)} | ${f0(r.queryBatch1)} | ${f0(r.queryBatch2)} | ${f0(r.querySingle)} | ${f0(r.bytesPerDoc)} |`,
      )
    }
    out.push(
      '',
      'CPU time per document, one process (what the rates above become when neither side waits for a CPU):',
      '',
      '| dataset | insert: Redis µs/doc | insert: client µs/doc | query: Redis µs/doc | query: client µs/doc | insert bound by one Redis core, docs/s |',
      '|---|--:|--:|--:|--:|--:|',
    )
    for (const r of rows) {
      out.push(
        `| ${r.dataset} | ${r.redisUsInsert.toFixed(1)} | ${r.clientUsInsert.toFixed(1)} | ${r.redisUsQuery.toFixed(1)} | ${r.clientUsQuery.toFixed(1)} | ${f0(1e6 / r.redisUsInsert)} |`,
      )
    }
    const text = out.join('\n')
    console.log(text)
    const file = arg('out')
    if (file) writeFileSync(file, `${text}\n`)
  } finally {
    server?.stop()
    rmSync(tmp, { recursive: true, force: true })
  }
}

if (process.argv[2] === '--child') {
  child().catch((err) => {
    console.error(err)
    process.exit(1)
  })
} else {
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
