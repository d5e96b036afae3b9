/**
 * Benchmark of the Redis store (`wiretrace/redis`): inserts/s and queries/s from one process and
 * from two processes sharing a namespace, and Redis memory per indexed document.
 *
 *   npx tsx bench/redis.ts [--url redis://127.0.0.1:6379] [--docs 20000] [--batch 500] [--out results.md]
 *
 * Uses --url, else WIRETRACE_REDIS_URL, else starts its own redis-server on a free port (when one
 * is on the PATH). Datasets: the first --docs Reuters-21578 stories (when
 * ../shared/corpora/reuters21578.jsonl.gz is there; analysed before timing, payload = the
 * serialized fingerprint) and synthetic documents with 100 band keys each (20 document bands +
 * 8 bands × 10 paragraphs, no payload). Prints a markdown table.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { Redis } from 'ioredis'
import { analyze } from '../src/analyze.js'
import { SharedIndex } from '../src/index/lsh.js'
import { MemoryStore, type StoreEntry } from '../src/index/store.js'
import { RedisStore } from '../src/redis/index.js'
import { serializeFingerprint } from '../src/sketch/serialize.js'

const SELF = fileURLToPath(import.meta.url)
const REUTERS = fileURLToPath(new URL('../../shared/corpora/reuters21578.jsonl.gz', import.meta.url))

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : fallback
}

// ---------------------------------------------------------------------------- data

interface Dataset {
  name: string
  entries: StoreEntry[]
}

function reutersDataset(n: number): Dataset | undefined {
  if (!existsSync(REUTERS)) {
    console.error(`bench/redis: Reuters corpus not found at ${REUTERS}; running on synthetic documents only`)
    return undefined
  }
  const index = new SharedIndex(new MemoryStore())
  const entries: StoreEntry[] = []
  for (const line of gunzipSync(readFileSync(REUTERS)).toString('utf8').split('\n')) {
    if (entries.length >= n) break
    if (!line.trim()) continue
    const r = JSON.parse(line) as { id: string; text?: string }
    if (!r.text) continue
    const a = analyze({ id: r.id, text: r.text })
    if (a.status !== 'ok') continue
    entries.push({ id: a.id, keys: index.keys(a.fingerprint), payload: JSON.stringify(serializeFingerprint(a.fingerprint)) })
  }
  return { name: 'Reuters-21578', entries }
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

async function usedMemory(r: Redis): Promise<number> {
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

/** Child process: insert then query every `parts`-th entry, when the parent says go. */
async function child(): Promise<void> {
  const [, , , file, part, parts, namespace, url, batch] = process.argv
  const entries = readDataset(file as string).filter((_, i) => i % Number(parts) === Number(part))
  const store = await RedisStore.connect({ url: url as string, namespace: namespace as string, batchSize: Number(batch) })
  process.stdout.write('ready\n')
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()))
  const t0 = Date.now()
  const ins = await timed(() => store.add(entries))
  const t1 = Date.now()
  process.stdout.write('inserted\n')
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()))
  const t2 = Date.now()
  const q = await timed(() => store.query(entries.map((e) => e.keys)))
  const t3 = Date.now()
  await store.close()
  const result = { n: entries.length, t0, t1, t2, t3, insCpu: ins.clientCpu, qCpu: q.clientCpu }
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

async function runDataset(ds: Dataset, url: string, batchSize: number, admin: Redis, tmp: string): Promise<Row> {
  const n = ds.entries.length
  const ns = (tag: string) => `wt-bench-${tag}-${process.pid}-${Date.now().toString(36)}`
  let keys = 0
  let payload = 0
  for (const e of ds.entries) {
    keys += e.keys.length
    payload += e.payload ? Buffer.byteLength(e.payload) : 0
  }

  // one process
  const store = await RedisStore.connect({ url, namespace: ns('one'), batchSize })
  const mem0 = await usedMemory(admin)
  const cpu0 = await redisCpu(admin)
  const ins = await timed(() => store.add(ds.entries))
  const cpu1 = await redisCpu(admin)
  const mem1 = await usedMemory(admin)
  const qb = await timed(() => store.query(ds.entries.map((e) => e.keys)))
  const cpu2 = await redisCpu(admin)
  const singles = ds.entries.slice(0, Math.min(1000, n))
  const qs = await timed(async () => {
    for (const e of singles) await store.query([e.keys])
  })
  await store.clear()
  await store.close()

  // two processes, one namespace
  const file = join(tmp, 'data.jsonl')
  writeDataset(ds, file)
  const namespace = ns('two')
  const kids = [0, 1].map((part) =>
    spawn(process.execPath, ['--import', 'tsx', SELF, '--child', file, String(part), '2', namespace, url, String(batchSize)], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  )
  const out = kids.map(lines)
  for (const o of out) await o.next() // ready
  for (const k of kids) k.stdin?.write('go\n')
  for (const o of out) await o.next() // inserted
  for (const k of kids) k.stdin?.write('go\n')
  const res = (await Promise.all(out.map(async (o) => JSON.parse((await o.next()).value)))) as {
    n: number
    t0: number
    t1: number
    t2: number
    t3: number
  }[]
  const insWall = (Math.max(...res.map((r) => r.t1)) - Math.min(...res.map((r) => r.t0))) / 1000
  const qWall = (Math.max(...res.map((r) => r.t3)) - Math.min(...res.map((r) => r.t2))) / 1000
  const check = await RedisStore.connect({ url, namespace, batchSize })
  const size = await check.size()
  if (size !== n) throw new Error(`two-process run indexed ${size} of ${n} documents`)
  await check.clear()
  await check.close()

  return {
    dataset: ds.name,
    docs: n,
    keysPerDoc: keys / n,
    payloadBytes: payload / n,
    insert1: n / ins.wall,
    insert2: n / insWall,
    queryBatch1: n / qb.wall,
    queryBatch2: n / qWall,
    querySingle: singles.length / qs.wall,
    bytesPerDoc: (mem1 - mem0) / n,
    redisUsInsert: ((cpu1 - cpu0) / n) * 1e6,
    clientUsInsert: (ins.clientCpu / n) * 1e6,
    redisUsQuery: ((cpu2 - cpu1) / n) * 1e6,
    clientUsQuery: (qb.clientCpu / n) * 1e6,
  }
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
    const datasets = [reutersDataset(docs), syntheticDataset(docs)].filter((d): d is Dataset => d !== undefined)
    const rows: Row[] = []
    for (const ds of datasets) {
      console.error(`bench/redis: ${ds.name}…`)
      rows.push(await runDataset(ds, url, batchSize, admin, tmp))
    }
    admin.disconnect()

    const f0 = (x: number) => Math.round(x).toLocaleString('en-US')
    const out: string[] = []
    out.push(
      `Redis ${version} on localhost, ${cpus().length} CPU(s) (${cpus()[0]?.model.trim()}), load average ${load} at start; batchSize ${batchSize}; Node ${process.version}.`,
      '',
      '| dataset | docs | band keys/doc | payload B/doc | inserts/s, 1 process | inserts/s, 2 processes | queries/s, 1 process (batched) | queries/s, 2 processes (batched) | queries/s, one at a time | Redis memory B/doc |',
      '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    )
    for (const r of rows) {
      out.push(
        `| ${r.dataset} | ${f0(r.docs)} | ${r.keysPerDoc.toFixed(1)} | ${f0(r.payloadBytes)} | ${f0(r.insert1)} | ${f0(r.insert2)} | ${f0(r.queryBatch1)} | ${f0(r.queryBatch2)} | ${f0(r.querySingle)} | ${f0(r.bytesPerDoc)} |`,
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
