import type { Cluster, Redis } from 'ioredis'
import { describeValue, hasLoneSurrogate, invalid, WiretraceError } from '../errors.js'
import { type BandKeys, type IndexStore, indexMismatch, type StoreEntry } from '../lsh/store.js'
import {
  type DocRecord,
  decodeRecord,
  encodeRecord,
  fieldArray,
  idHash,
  type KeyGroup,
  KeyTable,
  keyShard,
  LAYOUT_VERSION,
  MAX_BAND_KEY,
  type PostingSet,
  planPostings,
  sameKeys,
  unionGroups,
} from './codec.js'
import { type IoredisModule, loadIoredis } from './load.js'
import { type RedisStoreOptions, type ResolvedRedisStoreOptions, resolveRedisStoreOptions, safeUrl } from './options.js'
import { SCRIPTS, type ScriptName } from './scripts.js'

type Client = Redis | Cluster
type Arg = string | Buffer | number

/** A window is cut into this many generations: a bucket hash holds one generation and expires as a whole. */
const GENERATIONS_PER_WINDOW = 4
/** Batches of one `add` call in flight at once (their ids are distinct), so client and server work overlap. */
const PIPELINE_DEPTH = 2
/**
 * On a single server, script calls are packed up to this many postings (or looked-up fields):
 * big enough to save round trips, small enough (about 10 ms of Redis time) not to stall others.
 */
const POSTINGS_PER_CALL = 8192
/** The same for the record scripts, in documents. */
const RECORDS_PER_CALL = 1000
/** A bucket value longer than this moves to a set (see scripts.ts): about 60 ids. */
const OVERFLOW_BYTES = 1024
/** Re-read the server clock this often. */
const CLOCK_REFRESH_MS = 30_000

/** A document of a batch, with everything derived from the entry and the clock. */
interface Prepared {
  id: string
  /** `\0id\0`, as stored in bucket values. */
  value: Buffer
  keys: Float64Array
  time: number
  gen: number
  /** Commit score: when the document stops matching, or Infinity. */
  expires: number
  /** Key expiry of the record (epoch ms), 0 for none. */
  pxat: number
  payload: string | undefined
  shard: number
}

/** The keys and arguments of one hash tag for a script call, and its size. */
interface Group {
  keys: string[]
  args: Arg[]
  weight: number
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

function groupBy<T>(items: readonly T[], key: (t: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>()
  for (const it of items) {
    const k = key(it)
    const list = m.get(k)
    if (list) list.push(it)
    else m.set(k, [it])
  }
  return m
}

function checkId(id: unknown, where: string): string {
  if (typeof id !== 'string' || id === '')
    throw invalid(`redis store: ${where} id must be a non-empty string, got ${describeValue(id)}`)
  if (id.includes('\0')) throw invalid(`redis store: ${where} id ${describeValue(id)} contains a NUL character`)
  if (hasLoneSurrogate(id)) throw invalid(`redis store: ${where} id ${describeValue(id)} has an unpaired surrogate`)
  if (id.length > 4096) throw invalid(`redis store: ${where} id is longer than 4096 characters`)
  return id
}

function checkEntry(e: unknown, i: number): StoreEntry {
  if (!e || typeof e !== 'object') throw invalid(`redis store: entries[${i}] must be an object, got ${describeValue(e)}`)
  const x = e as Partial<StoreEntry>
  checkId(x.id, `entries[${i}]`)
  const keys = x.keys as ArrayLike<number> | undefined
  if (!keys || typeof keys !== 'object' || typeof keys.length !== 'number') {
    throw invalid(`redis store: entries[${i}] ("${x.id}") keys must be a Float64Array of band keys, got ${describeValue(keys)}`)
  }
  for (let j = 0; j < keys.length; j++) {
    const k = keys[j] as number
    if (!Number.isInteger(k) || k < 0 || k > MAX_BAND_KEY) {
      throw invalid(
        `redis store: entries[${i}] ("${x.id}") keys[${j}] must be an integer from 0 to 2^48-1, got ${describeValue(k)}`,
      )
    }
  }
  if (x.time !== undefined && (typeof x.time !== 'number' || !Number.isFinite(x.time))) {
    throw invalid(`redis store: entries[${i}] ("${x.id}") time must be epoch milliseconds, got ${describeValue(x.time)}`)
  }
  if (x.payload !== undefined && typeof x.payload !== 'string') {
    throw invalid(`redis store: entries[${i}] ("${x.id}") payload must be a string, got ${describeValue(x.payload)}`)
  }
  return x as StoreEntry
}

function errorText(err: unknown): string {
  const e = err as { name?: string; message?: string } | null
  const msg = e?.message ?? String(err)
  if (
    e?.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|aborted due to connection close|Stream isn't writeable|isn't ready and enableOfflineQueue|ECONNRESET|EPIPE|ECONNREFUSED|Socket closed/i.test(
      msg,
    )
  ) {
    return `lost the connection to Redis (${msg})`
  }
  if (/Command timed out/i.test(msg)) return `Redis did not answer in time (${msg})`
  return msg
}

/**
 * An {@link IndexStore} in Redis (standalone or Cluster) that many processes share. Create it
 * with {@link RedisStore.connect} (or {@link createRedisStore}); close it when done.
 *
 * Layout (namespace `ns`, shard `s` of a band key or an id, generation `g` of a time):
 * - `{ns:s}:p:g` hash: band key (6 bytes) → `\0id\0id\0` — the LSH buckets.
 * - `{ns:s}:d:id` string: the document's record (its keys, time and payload).
 * - `{ns:s}:c` sorted set: committed ids, scored by when they stop matching.
 * - `{ns}:meta`: the namespace's layout, shard count and window.
 * - `{ns}:index`: how `SharedIndex` keys the documents (sketch parameters, bands per channel);
 *   a `SharedIndex` keyed otherwise is refused (see {@link RedisStore.bindIndex}).
 *
 * A document is visible only once its id is in a commit set, which `add` writes last: a crash
 * mid-batch leaves postings that readers ignore and a retry completes. See DESIGN.md.
 *
 * @example
 * const store = await RedisStore.connect({ url: 'redis://127.0.0.1:6379', namespace: 'news', windowMs: 3 * 86_400_000 })
 * const index = new SharedIndex(store)
 * await index.insert([{ fingerprint, time: Date.parse(article.publishedAt), payload }])
 * await store.close()
 */
export class RedisStore implements IndexStore {
  readonly kind = 'redis'
  readonly namespace: string
  /** The time window (ms), or undefined when documents never expire. */
  readonly windowMs: number | undefined
  readonly shards: number
  readonly batchSize: number
  private readonly genMs: number
  private clockOffset = 0
  private clockAt = Number.NEGATIVE_INFINITY
  private closed = false
  private lastError: string | undefined

  private constructor(
    private readonly client: Client,
    private readonly options: ResolvedRedisStoreOptions,
  ) {
    this.namespace = options.namespace
    this.windowMs = options.windowMs
    this.shards = options.shards
    this.batchSize = options.batchSize
    this.genMs = options.windowMs ? Math.max(1, Math.ceil(options.windowMs / GENERATIONS_PER_WINDOW)) : 0
    client.on('error', (err: Error) => {
      this.lastError = err.message
    })
  }

  /**
   * Connect, check the namespace's settings against the ones recorded in Redis, and return the
   * store. Throws `INVALID_ARGUMENT` for bad options, `MISSING_DEPENDENCY` without ioredis and
   * `STORE_ERROR` when Redis is unreachable.
   */
  static async connect(options: RedisStoreOptions = {}): Promise<RedisStore> {
    const o = resolveRedisStoreOptions(options)
    const io = await loadIoredis()
    const client = makeClient(io, o)
    for (const [name, def] of Object.entries(SCRIPTS)) client.defineCommand(name, def)
    let lastError: string | undefined
    const onError = (err: Error) => {
      lastError = err.message
    }
    client.on('error', onError)
    try {
      await withTimeout(client.connect(), o.connectTimeoutMs, 'connecting')
    } catch (cause) {
      client.disconnect()
      throw new WiretraceError(
        'STORE_ERROR',
        `redis store: could not connect to ${where(o)}: ${lastError ?? (cause as Error).message ?? String(cause)}`,
        { cause },
      )
    }
    client.off('error', onError)
    const store = new RedisStore(client, o)
    try {
      await store.init()
    } catch (err) {
      client.disconnect()
      throw err
    }
    return store
  }

  private key = {
    postings: (s: number, gen: number) => `{${this.namespace}:${s}}:p:${gen}`,
    record: (s: number, id: string) => `{${this.namespace}:${s}}:d:${id}`,
    commit: (s: number) => `{${this.namespace}:${s}}:c`,
    meta: () => `{${this.namespace}}:meta`,
    index: () => `{${this.namespace}}:index`,
  }

  private get redis(): Redis {
    return this.client as Redis
  }

  private async init(): Promise<void> {
    const wanted = { layout: LAYOUT_VERSION, shards: this.shards, windowMs: this.windowMs ?? null }
    const [info, , stored] = await this.call('connect', () =>
      Promise.all([
        this.redis.info('server').catch(() => ''),
        this.redis.set(this.key.meta(), JSON.stringify(wanted), 'NX'),
        this.redis.get(this.key.meta()),
      ]),
    )
    const version = /redis_version:(\d+)\.(\d+)/.exec(info)
    if (version && (Number(version[1]) < 6 || (Number(version[1]) === 6 && Number(version[2]) < 2))) {
      throw new WiretraceError('STORE_ERROR', `redis store: needs Redis 6.2 or newer, the server is ${version[1]}.${version[2]}`)
    }
    let have: { layout?: unknown; shards?: unknown; windowMs?: unknown } = {}
    try {
      have = JSON.parse(stored ?? '{}')
    } catch {
      // reported below as a mismatch
    }
    if (have.layout !== wanted.layout || have.shards !== wanted.shards || have.windowMs !== wanted.windowMs) {
      throw invalid(
        `redis store: namespace "${this.namespace}" already holds an index with ${describeMeta(have)}, but this store was opened with ${describeMeta(wanted)}; open it with the same settings, use another namespace, or clear() it first`,
      )
    }
    await this.syncClock(true)
  }

  /** Estimated server clock (epoch ms): expiry is Redis's, so the window follows its clock. */
  private now(): number {
    return Date.now() + this.clockOffset
  }

  private async syncClock(force = false): Promise<void> {
    if (!force && Date.now() - this.clockAt < CLOCK_REFRESH_MS) return
    const t0 = Date.now()
    const [sec, micro] = await this.call('reading the server clock', () => this.redis.time())
    const t1 = Date.now()
    this.clockOffset = Number(sec) * 1000 + Math.floor(Number(micro) / 1000) - (t0 + t1) / 2
    this.clockAt = t1
  }

  /** Wait for the connection (after a drop, ioredis reconnects); fail clearly if it does not come back. */
  private async ready(op: string): Promise<void> {
    if (this.closed) throw new WiretraceError('STORE_ERROR', `redis store: ${op}: the store is closed`)
    if (this.client.status === 'ready') return
    const client = this.client
    // A cluster client gives up after its retries ('end'): start it again rather than fail forever.
    if (client.status === 'end' || client.status === 'wait') client.connect().catch(() => {})
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.off('ready', onReady)
        reject(
          new WiretraceError(
            'STORE_ERROR',
            `redis store: ${op}: Redis at ${where(this.options)} is unreachable (connection ${client.status}${this.lastError ? `: ${this.lastError}` : ''})`,
          ),
        )
      }, this.options.connectTimeoutMs)
      const onReady = () => {
        clearTimeout(timer)
        resolve()
      }
      client.once('ready', onReady)
    })
  }

  private async call<T>(op: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      if (err instanceof WiretraceError) throw err
      throw new WiretraceError('STORE_ERROR', `redis store: ${op}: ${errorText(err)}`, { cause: err })
    }
  }

  private run(name: ScriptName, keys: readonly string[], args: readonly Arg[], buffer = false): Promise<unknown> {
    const fn = (this.client as unknown as Record<string, (...a: Arg[]) => Promise<unknown>>)[buffer ? `${name}Buffer` : name]
    if (!fn) throw new Error(`script ${name} is not defined`)
    return fn.call(this.client, keys.length, ...keys, ...args)
  }

  /**
   * Run a script over groups (the keys of one hash tag each): one call per group in a cluster,
   * where a call must stay in one slot; on a single server, groups packed into calls of at most
   * `maxWeight` (postings, fields or documents), which saves round trips while keeping each
   * script short. Returns the calls' array results concatenated in group order.
   */
  private async runGroups(
    name: ScriptName,
    groups: readonly Group[],
    maxWeight: number,
    prefix: Arg[] = [],
    buffer = false,
  ): Promise<unknown[]> {
    const calls: Group[][] = []
    let current: Group[] = []
    let weight = 0
    for (const g of groups) {
      if (current.length > 0 && (this.client.isCluster || weight + g.weight > maxWeight)) {
        calls.push(current)
        current = []
        weight = 0
      }
      current.push(g)
      weight += g.weight
    }
    if (current.length > 0) calls.push(current)
    const results = await Promise.all(
      calls.map((c) => {
        const keys: string[] = []
        const args: Arg[] = [...prefix]
        for (const g of c) {
          for (const k of g.keys) keys.push(k)
          for (const x of g.args) args.push(x)
        }
        return this.run(name, keys, args, buffer)
      }),
    )
    const out: unknown[] = []
    for (const r of results) if (Array.isArray(r)) for (const x of r) out.push(x)
    return out
  }

  /**
   * Groups for the record scripts: documents by id shard; keys are the shard's commit set and the
   * records, args the count and one tuple per document. Results come back in `order`.
   */
  private recordGroups<T>(items: readonly T[], idOf: (t: T) => string, tuple: (t: T) => Arg[]): { groups: Group[]; order: T[] } {
    const groups: Group[] = []
    const order: T[] = []
    for (const [s, list] of groupBy(items, (t) => idHash(idOf(t)) % this.shards)) {
      const keys = [this.key.commit(s)]
      const args: Arg[] = [list.length]
      for (const t of list) {
        keys.push(this.key.record(s, idOf(t)))
        for (const x of tuple(t)) args.push(x)
        order.push(t)
      }
      groups.push({ keys, args, weight: list.length })
    }
    return { groups, order }
  }

  // ---------------------------------------------------------------- add

  /**
   * Index documents, `batchSize` at a time. Idempotent: adding an id again replaces it (and adding
   * the same entry twice changes nothing). Each document becomes visible to readers all at once,
   * when its commit is written. On failure, throws `STORE_ERROR` saying how many were committed;
   * calling `add` again with the same entries is safe and completes the job.
   */
  async add(entries: readonly StoreEntry[]): Promise<void> {
    if (!Array.isArray(entries)) throw invalid(`redis store: add expects an array of entries, got ${describeValue(entries)}`)
    const last = new Map<string, StoreEntry>()
    entries.forEach((e, i) => {
      const x = checkEntry(e, i)
      last.delete(x.id)
      last.set(x.id, x)
    })
    const docs = [...last.values()]
    if (docs.length === 0) return
    await this.ready('add')
    await this.syncClock()
    const batches = chunk(docs, this.batchSize)
    let next = 0
    let done = 0
    let failure: unknown
    const worker = async () => {
      while (failure === undefined && next < batches.length) {
        const batch = batches[next++] as StoreEntry[]
        try {
          await this.addBatch(batch)
          done += batch.length
        } catch (err) {
          failure ??= err
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(PIPELINE_DEPTH, batches.length) }, worker))
    if (failure !== undefined) {
      if (failure instanceof WiretraceError && failure.code !== 'STORE_ERROR') throw failure
      const detail =
        failure instanceof WiretraceError ? failure.message.replace(/^wiretrace: redis store: (add: )?/, '') : errorText(failure)
      throw new WiretraceError(
        'STORE_ERROR',
        `redis store: add failed after committing ${done} of ${docs.length} documents: ${detail}. No document is half-indexed; calling add() again with the same entries is safe (it is idempotent).`,
        { cause: failure },
      )
    }
  }

  private prepare(e: StoreEntry, now: number): Prepared | null {
    const time = Math.min(e.time ?? now, now)
    let gen = 0
    let expires = Number.POSITIVE_INFINITY
    let pxat = 0
    if (this.windowMs) {
      expires = time + this.windowMs
      if (expires <= now) return null
      gen = Math.floor(time / this.genMs)
      pxat = this.genExpiry(gen)
    }
    return {
      id: e.id,
      value: Buffer.from(`\0${e.id}\0`, 'utf8'),
      keys: e.keys instanceof Float64Array ? e.keys : Float64Array.from(e.keys),
      time,
      gen,
      expires,
      pxat,
      payload: e.payload,
      shard: idHash(e.id) % this.shards,
    }
  }

  /** A generation's bucket hash expires when the last document that can be in it stops matching. */
  private genExpiry(gen: number): number {
    return this.windowMs ? (gen + 1) * this.genMs + this.windowMs : 0
  }

  private recordOf(d: Prepared, groups: KeyGroup[], payload: string | undefined): Buffer {
    const rec: DocRecord = { time: d.time, expires: d.expires, groups, payload }
    return encodeRecord(rec)
  }

  private async addBatch(entries: StoreEntry[]): Promise<void> {
    const now = this.now()
    const docs: Prepared[] = []
    const expired: string[] = []
    for (const e of entries) {
      const d = this.prepare(e, now)
      if (d) docs.push(d)
      else expired.push(e.id)
    }
    // An entry already outside the window replaces an older version by nothing.
    if (expired.length > 0) await this.removeIds(expired, 'add')
    if (docs.length === 0) return

    // 1. Intent: each id without a record gets its final record now (keys and payload), so that
    //    every posting written next is accounted for; returns existing records and commit scores.
    const records = new Map<Prepared, Buffer>()
    for (const d of docs) records.set(d, this.recordOf(d, [{ gen: d.gen, keys: d.keys }], d.payload))
    /** The record the commit writes, or '' when the one in Redis is already it. */
    const commitRecord = new Map<Prepared, Buffer | ''>()
    const fresh: Prepared[] = []
    const changed: { doc: Prepared; old: DocRecord }[] = []
    await this.call('add', async () => {
      const { groups, order } = this.recordGroups(
        docs,
        (d) => d.id,
        (d) => [d.id, records.get(d) as Buffer, String(d.pxat)],
      )
      const res = (await this.runGroups('wtIntent', groups, RECORDS_PER_CALL, [], true)) as (Buffer | null)[]
      order.forEach((d, i) => {
        const oldBuf = res[2 * i]
        const score = res[2 * i + 1]
        const rec = records.get(d) as Buffer
        if (!oldBuf) {
          fresh.push(d)
          commitRecord.set(d, '')
          return
        }
        commitRecord.set(d, oldBuf.equals(rec) ? '' : rec)
        const old = decodeRecord(oldBuf, d.id)
        if (sameKeys(old.groups, [{ gen: d.gen, keys: d.keys }])) {
          // Already indexed under the same keys: its postings are in place if it is committed.
          const live = score != null && (score.toString() === 'inf' || Number(score.toString()) > now)
          if (!live) fresh.push(d)
        } else changed.push({ doc: d, old })
      })
    })

    // 2. Replacements: mark pending with the union of old and new keys, then drop the old postings.
    if (changed.length > 0) {
      await this.call('add', () => {
        const { groups } = this.recordGroups(
          changed,
          (c) => c.doc.id,
          ({ doc, old }) => {
            const union = unionGroups(old.groups, [{ gen: doc.gen, keys: doc.keys }])
            const pxat = this.windowMs ? Math.max(...union.map((g) => this.genExpiry(g.gen))) : 0
            return [doc.id, this.recordOf(doc, union, undefined), String(pxat)]
          },
        )
        return this.runGroups('wtPending', groups, RECORDS_PER_CALL)
      })
      const stale: PostingSet[] = []
      for (const { doc, old } of changed) {
        for (const g of old.groups) {
          const keep = g.gen === doc.gen ? new Set(doc.keys) : undefined
          const keys = keep ? g.keys.filter((k) => !keep.has(k)) : g.keys
          if (keys.length > 0) stale.push({ value: doc.value, gen: g.gen, keys })
        }
        fresh.push(doc)
        commitRecord.set(doc, records.get(doc) as Buffer)
      }
      await this.writePostings('wtRemovePostings', stale, 'add')
    }

    // 3. Postings, grouped per shard and generation.
    await this.writePostings(
      'wtAddPostings',
      fresh.map((d) => ({ value: d.value, gen: d.gen, keys: d.keys })),
      'add',
    )

    // 4. Commit: ids into the commit sets (and the final record where the intent did not write it).
    //    Only now are the documents visible.
    await this.call('add', () => {
      const { groups } = this.recordGroups(
        docs,
        (d) => d.id,
        (d) => [
          d.id,
          commitRecord.get(d) ?? (records.get(d) as Buffer),
          String(d.pxat),
          d.expires === Number.POSITIVE_INFINITY ? '+inf' : String(d.expires),
        ],
      )
      return this.runGroups('wtCommit', groups, RECORDS_PER_CALL)
    })
  }

  /**
   * Add or remove postings: one blob per (shard, generation) — split when one grows past
   * POSTINGS_PER_CALL, so that no script runs long — with buckets shared within the call merged
   * into one value (a field appears once per call). See planPostings.
   */
  private async writePostings(script: 'wtAddPostings' | 'wtRemovePostings', sets: PostingSet[], op: string): Promise<void> {
    if (sets.length === 0) return
    const calls = planPostings(sets, this.shards, POSTINGS_PER_CALL, this.client.isCluster)
    const add = script === 'wtAddPostings'
    await this.call(op, () =>
      Promise.all(
        calls.map((c) => {
          const keys: string[] = []
          const args: Arg[] = add ? [String(OVERFLOW_BYTES), c.values.length] : [c.values.length]
          for (const v of c.values) args.push(v)
          for (const g of c.groups) {
            keys.push(this.key.postings(g.shard, g.gen))
            args.push(add ? String(this.genExpiry(g.gen)) : '0', g.fields, g.values)
          }
          return this.run(script, keys, args)
        }),
      ),
    )
  }

  // ---------------------------------------------------------------- query

  /**
   * For each key list, the ids of committed, unexpired documents that share at least one band
   * key with it, sorted (the same answer as {@link MemoryStore.query}).
   */
  async query(keys: readonly BandKeys[]): Promise<string[][]> {
    if (!Array.isArray(keys)) throw invalid(`redis store: query expects an array of key lists, got ${describeValue(keys)}`)
    keys.forEach((k, i) => {
      if (!k || typeof (k as ArrayLike<number>).length !== 'number') {
        throw invalid(`redis store: query keys[${i}] must be a Float64Array of band keys, got ${describeValue(k)}`)
      }
      for (let j = 0; j < k.length; j++) {
        const x = k[j] as number
        if (!Number.isInteger(x) || x < 0 || x > MAX_BAND_KEY) {
          throw invalid(`redis store: query keys[${i}][${j}] must be an integer from 0 to 2^48-1, got ${describeValue(x)}`)
        }
      }
    })
    if (keys.length === 0) return []
    await this.ready('query')
    await this.syncClock()
    const out: string[][] = []
    for (const batch of chunk(keys, this.batchSize)) out.push(...(await this.queryBatch(batch)))
    return out
  }

  private liveGens(now: number): number[] {
    if (!this.windowMs) return [0]
    const from = Math.floor((now - this.windowMs) / this.genMs) - 1
    const to = Math.floor(now / this.genMs) + 1
    const gens: number[] = []
    for (let g = from; g <= to; g++) gens.push(g)
    return gens
  }

  private async queryBatch(batch: readonly BandKeys[]): Promise<string[][]> {
    const now = this.now()
    const S = this.shards
    // Distinct keys of the batch: each gets an index u, a shard and a place in its shard's list.
    let total = 0
    for (const ks of batch) total += ks.length
    const table = new KeyTable(total)
    const uShard: number[] = []
    const uPlace: number[] = []
    const fields: number[][] = Array.from({ length: S }, () => [])
    const refs: Int32Array[] = []
    for (const ks of batch) {
      const r = new Int32Array(ks.length)
      for (let j = 0; j < ks.length; j++) {
        const k = ks[j] as number
        let u = table.get(k)
        if (u < 0) {
          u = uShard.length
          table.set(k, u)
          const s = keyShard(k, S)
          const list = fields[s] as number[]
          uShard.push(s)
          uPlace.push(list.length)
          list.push(k)
        }
        r[j] = u
      }
      refs.push(r)
    }
    const gens = this.liveGens(now)
    const groups: Group[] = []
    const order: number[] = []
    for (let s = 0; s < S; s++) {
      const fs = fields[s] as number[]
      if (fs.length === 0) continue
      groups.push({ keys: gens.map((g) => this.key.postings(s, g)), args: [fieldArray(fs)], weight: fs.length })
      order.push(s)
    }
    const values: (string | null)[][] = new Array(S)
    const res = (await this.call('query', () =>
      this.runGroups('wtQueryPostings', groups, POSTINGS_PER_CALL, [String(gens.length)]),
    )) as (string | null)[][]
    order.forEach((s, i) => {
      values[s] = res[i] as (string | null)[]
    })
    // Ids interned as numbers: each bucket value is split once, each id checked and ranked once.
    // The id lists of all distinct keys live in one array: key u's ids are pool[start[u]..start[u+1]).
    const idOf = new Map<string, number>()
    const idStr: string[] = []
    const start = new Int32Array(uShard.length + 1)
    let pool = new Int32Array(Math.max(1024, 4 * uShard.length))
    let n = 0
    for (let u = 0; u < uShard.length; u++) {
      start[u] = n
      const v = values[uShard[u] as number]?.[uPlace[u] as number]
      if (!v) continue
      let from = 1
      for (let i = v.indexOf('\0', 1); i > 0; i = v.indexOf('\0', i + 1)) {
        if (i > from) {
          const id = v.slice(from, i)
          let x = idOf.get(id)
          if (x === undefined) {
            x = idStr.length
            idOf.set(id, x)
            idStr.push(id)
          }
          if (n === pool.length) {
            const grown = new Int32Array(n * 2)
            grown.set(pool)
            pool = grown
          }
          pool[n++] = x
        }
        from = i + 1
      }
    }
    start[uShard.length] = n
    const live = await this.liveIds(idStr, now, 'query')
    // Rank of each live id in sorted order (the order MemoryStore returns), -1 for the others.
    const sorted = idStr.filter((id) => live.has(id)).sort()
    const rank = new Int32Array(idStr.length).fill(-1)
    sorted.forEach((id, r) => {
      rank[idOf.get(id) as number] = r
    })
    const stamp = new Int32Array(idStr.length)
    let picked = new Int32Array(64)
    return refs.map((r, d) => {
      let m = 0
      for (let j = 0; j < r.length; j++) {
        const u = r[j] as number
        for (let x = start[u] as number; x < (start[u + 1] as number); x++) {
          const id = pool[x] as number
          if (stamp[id] === d + 1) continue
          stamp[id] = d + 1
          const k = rank[id] as number
          if (k < 0) continue
          if (m === picked.length) {
            const grown = new Int32Array(m * 2)
            grown.set(picked)
            picked = grown
          }
          picked[m++] = k
        }
      }
      const out = picked.subarray(0, m).sort()
      return Array.from(out, (k) => sorted[k] as string)
    })
  }

  /** The ids among `ids` that are committed and not expired. */
  private async liveIds(ids: readonly string[], now: number, op: string): Promise<Set<string>> {
    const live = new Set<string>()
    if (ids.length === 0) return live
    await this.call(op, () =>
      Promise.all(
        [...groupBy(ids, (id) => idHash(id) % this.shards)].map(async ([s, list]) => {
          const scores = await this.redis.zmscore(this.key.commit(s), ...list)
          list.forEach((id, i) => {
            const sc = scores[i]
            if (sc != null && (sc === 'inf' || Number(sc) > now)) live.add(id)
          })
        }),
      ),
    )
    return live
  }

  // ---------------------------------------------------------------- the rest of IndexStore

  /** Remove documents (unknown ids are ignored). */
  async remove(ids: readonly string[]): Promise<void> {
    if (!Array.isArray(ids)) throw invalid(`redis store: remove expects an array of ids, got ${describeValue(ids)}`)
    for (const [i, id] of ids.entries()) checkId(id, `ids[${i}]`)
    if (ids.length === 0) return
    await this.ready('remove')
    for (const batch of chunk([...new Set(ids)], this.batchSize)) await this.removeIds(batch, 'remove')
  }

  private async removeIds(ids: readonly string[], op: string): Promise<void> {
    // Uncommit first (readers stop seeing the ids), then drop postings, then the records.
    const { groups, order } = this.recordGroups(
      ids,
      (id) => id,
      (id) => [id],
    )
    const recs = (await this.call(op, () => this.runGroups('wtTake', groups, RECORDS_PER_CALL, [], true))) as (Buffer | null)[]
    const stale: PostingSet[] = []
    const found: string[] = []
    order.forEach((id, i) => {
      const buf = recs[i]
      if (!buf) return
      const value = Buffer.from(`\0${id}\0`, 'utf8')
      for (const g of decodeRecord(buf, id).groups) stale.push({ value, gen: g.gen, keys: g.keys })
      found.push(id)
    })
    await this.writePostings('wtRemovePostings', stale, op)
    if (found.length === 0) return
    const del = this.recordGroups(
      found,
      (id) => id,
      (id) => [id],
    )
    await this.call(op, () => this.runGroups('wtDelete', del.groups, RECORDS_PER_CALL))
  }

  /** Whether `id` is committed and inside the window. */
  async has(id: string): Promise<boolean> {
    checkId(id, 'has:')
    await this.ready('has')
    await this.syncClock()
    return (await this.liveIds([id], this.now(), 'has')).has(id)
  }

  /** Number of committed documents inside the window. */
  async size(): Promise<number> {
    await this.ready('size')
    await this.syncClock()
    const min = `(${Math.floor(this.now())}`
    const counts = await this.call('size', () =>
      Promise.all(Array.from({ length: this.shards }, (_, s) => this.redis.zcount(this.key.commit(s), min, '+inf'))),
    )
    return counts.reduce((a, b) => a + b, 0)
  }

  /** The payloads stored with `add`, in the order asked; undefined for unknown, expired or payload-less ids. */
  async payloads(ids: readonly string[]): Promise<(string | undefined)[]> {
    if (!Array.isArray(ids)) throw invalid(`redis store: payloads expects an array of ids, got ${describeValue(ids)}`)
    for (const [i, id] of ids.entries()) checkId(id, `ids[${i}]`)
    if (ids.length === 0) return []
    await this.ready('payloads')
    await this.syncClock()
    const now = this.now()
    const found = new Map<string, string | undefined>()
    for (const batch of chunk([...new Set(ids)], this.batchSize)) {
      const live = await this.liveIds(batch, now, 'payloads')
      await this.call('payloads', () =>
        Promise.all(
          [...groupBy([...live], (id) => idHash(id) % this.shards)].map(async ([s, list]) => {
            const bufs = await this.redis.mgetBuffer(...list.map((id) => this.key.record(s, id)))
            list.forEach((id, i) => {
              const b = bufs[i]
              if (b) found.set(id, decodeRecord(b, id).payload)
            })
          }),
        ),
      )
    }
    return ids.map((id) => found.get(id))
  }

  /**
   * Record how the namespace's documents are keyed (see {@link IndexStore.bindIndex}; `SharedIndex`
   * calls it with every insert and query), or throw `PARAMS_MISMATCH` when another process keyed
   * them otherwise. Like the settings in `{ns}:meta`, the keying has no expiry: it holds until
   * `clear()`.
   */
  async bindIndex(description: string): Promise<void> {
    if (typeof description !== 'string' || description === '') {
      throw invalid(`redis store: bindIndex expects a non-empty description, got ${describeValue(description)}`)
    }
    await this.ready('bindIndex')
    // One script: a clear() between a SET NX and a GET would otherwise let any keying through.
    const stored = (await this.call('bindIndex', () => this.run('wtBind', [this.key.index()], [description]))) as string
    if (stored !== description) {
      throw indexMismatch(
        `redis store: namespace "${this.namespace}"`,
        stored,
        description,
        'use another namespace, or clear() it first',
      )
    }
  }

  /** Delete every key of this namespace (the index and its settings). Other namespaces are untouched. */
  async clear(): Promise<void> {
    await this.ready('clear')
    const nodes: Redis[] = this.client.isCluster ? (this.client as Cluster).nodes('master') : [this.client as Redis]
    const pattern = `{${this.namespace}:*`
    await this.call('clear', async () => {
      for (const node of nodes) {
        let cursor = '0'
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
          cursor = next
          const byTag = new Map<string, string[]>()
          for (const k of keys) {
            const tag = k.slice(0, k.indexOf('}') + 1)
            const l = byTag.get(tag)
            if (l) l.push(k)
            else byTag.set(tag, [k])
          }
          await Promise.all([...byTag.values()].map((ks) => this.redis.unlink(...ks)))
        } while (cursor !== '0')
      }
      await this.redis.unlink(this.key.meta(), this.key.index())
    })
  }

  /** Close the connection (waits for replies to commands already sent). */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    try {
      await this.client.quit()
    } catch {
      this.client.disconnect()
    }
  }
}

/** Connect a {@link RedisStore}; the same as `RedisStore.connect(options)`. */
export function createRedisStore(options: RedisStoreOptions = {}): Promise<RedisStore> {
  return RedisStore.connect(options)
}

function where(o: ResolvedRedisStoreOptions): string {
  return o.cluster ? `cluster ${o.cluster.map((n) => `${n.host}:${n.port}`).join(',')}` : safeUrl(o.url as string)
}

function describeMeta(m: { layout?: unknown; shards?: unknown; windowMs?: unknown }): string {
  return `layout=${describeValue(m.layout)}, shards=${describeValue(m.shards)}, windowMs=${m.windowMs === null ? 'none' : describeValue(m.windowMs)}`
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

function makeClient(io: IoredisModule, o: ResolvedRedisStoreOptions): Client {
  const common: Record<string, unknown> = {
    connectTimeout: o.connectTimeoutMs,
    commandTimeout: o.commandTimeoutMs,
    // A dropped connection fails the commands in flight at once instead of queueing or resending
    // them: the caller gets a STORE_ERROR and retries (every write is idempotent).
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectionName: `wiretrace:${o.namespace}`,
  }
  if (o.username !== undefined) common.username = o.username
  if (o.password !== undefined) common.password = o.password
  if (o.tls) common.tls = o.tls
  if (o.cluster) {
    return new io.Cluster(o.cluster, {
      lazyConnect: true,
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      // ioredis groups auto-pipelined custom commands by their first argument (the key count for
      // a script), not by their first key; sent one by one they route by key (and are still
      // written to the socket without waiting for replies).
      autoPipeliningIgnoredCommands: Object.keys(SCRIPTS),
      clusterRetryStrategy: (times: number) => (times > 10 ? null : Math.min(100 * times, 2000)),
      redisOptions: common,
      ...(o.tls ? { dnsLookup: (address: string, cb: (err: null, address: string) => void) => cb(null, address) } : {}),
    })
  }
  return new io.Redis(o.url as string, {
    ...common,
    lazyConnect: true,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    retryStrategy: (times: number) => Math.min(50 * times, 2000),
  })
}
