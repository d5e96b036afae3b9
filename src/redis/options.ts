import type { ConnectionOptions } from 'node:tls'
import { describeValue, invalid } from '../errors.js'

/** A Redis Cluster node: `"host:port"`, `"redis://host:port"` or `{ host, port }`. */
export type RedisClusterNode = string | { host: string; port: number }

/**
 * Options for {@link RedisStore.connect} and {@link createRedisStore}. All of them are optional;
 * `namespace`, `windowMs` and `shards` must be the same in every process that shares an index
 * (the store records them in Redis and refuses a mismatch).
 */
export interface RedisStoreOptions {
  /**
   * Server URL, `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. Ignored when
   * `cluster` is given. @default 'redis://127.0.0.1:6379'
   */
  url?: string
  /** ACL user name (Redis 6+); overrides one in `url`. @default undefined */
  username?: string
  /** Password (of `username`, or the `requirepass` one); overrides one in `url`. @default undefined */
  password?: string
  /**
   * TLS: `true`, or Node `tls.connect` options (ca, cert, servername…). A `rediss://` URL turns it
   * on too. @default false
   */
  tls?: boolean | ConnectionOptions
  /**
   * Seed nodes of a Redis Cluster; when given, the store talks to the cluster (ioredis `Cluster`)
   * instead of `url`. @default undefined
   */
  cluster?: readonly RedisClusterNode[]
  /**
   * Prefix of every key, so that several indexes (or other data) share one Redis. Letters, digits
   * and `_ . : -`, up to 64 characters. @default 'wiretrace'
   */
  namespace?: string
  /**
   * Time window in milliseconds: a document stops matching `windowMs` after its `time` (its
   * publication time, or the time it was added when it has none) and Redis deletes its keys by
   * itself (key expiry), with no sweeper process. `undefined` keeps documents until removed.
   * @default undefined
   */
  windowMs?: number
  /** Documents per pipelined batch in `add` and `query`. @default 500 */
  batchSize?: number
  /**
   * Number of hash-tagged shards the buckets and records are spread over. Each shard is one
   * Redis Cluster slot, so use at least 4× the number of primaries. Fixed per namespace.
   * @default 64
   */
  shards?: number
  /** A command without a reply after this long fails with `STORE_ERROR`. @default 30000 */
  commandTimeoutMs?: number
  /** Connecting (and waiting for a reconnection) fails with `STORE_ERROR` after this long. @default 10000 */
  connectTimeoutMs?: number
}

export const DEFAULT_REDIS_STORE_OPTIONS = {
  url: 'redis://127.0.0.1:6379',
  tls: false,
  namespace: 'wiretrace',
  batchSize: 500,
  shards: 64,
  commandTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
} as const

/** Options after defaults and validation. */
export interface ResolvedRedisStoreOptions {
  url: string | undefined
  username: string | undefined
  password: string | undefined
  tls: ConnectionOptions | undefined
  cluster: { host: string; port: number }[] | undefined
  namespace: string
  windowMs: number | undefined
  batchSize: number
  shards: number
  commandTimeoutMs: number
  connectTimeoutMs: number
}

const KNOWN = new Set([
  'url',
  'username',
  'password',
  'tls',
  'cluster',
  'namespace',
  'windowMs',
  'batchSize',
  'shards',
  'commandTimeoutMs',
  'connectTimeoutMs',
])

const NAMESPACE = /^[A-Za-z0-9_.:-]{1,64}$/
/** Ten years: anything longer is a unit mistake. */
const MAX_WINDOW = 10 * 366 * 86_400_000

function int(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`redis store: ${name} must be an integer from ${min} to ${max}, got ${describeValue(value)}`)
  }
  return value
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw invalid(`redis store: ${name} must be a string, got ${describeValue(value)}`)
  return value
}

function parseNode(node: unknown, i: number): { host: string; port: number } {
  if (typeof node === 'string') {
    const text = /^rediss?:\/\//.test(node) ? node : `redis://${node}`
    let u: URL
    try {
      u = new URL(text)
    } catch {
      throw invalid(`redis store: cluster[${i}] must be "host:port", got ${describeValue(node)}`)
    }
    const port = u.port === '' ? 6379 : Number(u.port)
    if (u.hostname === '') throw invalid(`redis store: cluster[${i}] has no host: ${describeValue(node)}`)
    return { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port }
  }
  if (node && typeof node === 'object') {
    const n = node as { host?: unknown; port?: unknown }
    if (typeof n.host !== 'string' || n.host === '') {
      throw invalid(`redis store: cluster[${i}].host must be a non-empty string, got ${describeValue(n.host)}`)
    }
    return { host: n.host, port: int(`cluster[${i}].port`, n.port ?? 6379, 1, 65535) }
  }
  throw invalid(`redis store: cluster[${i}] must be "host:port" or { host, port }, got ${describeValue(node)}`)
}

/** Check every option and apply the defaults; throws `INVALID_ARGUMENT` naming the bad one. */
export function resolveRedisStoreOptions(options: RedisStoreOptions = {}): ResolvedRedisStoreOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalid(`redis store: options must be an object, got ${describeValue(options)}`)
  }
  for (const k of Object.keys(options)) {
    if (!KNOWN.has(k)) throw invalid(`redis store: unknown option "${k}" (known: ${[...KNOWN].join(', ')})`)
  }
  const o = options as Record<string, unknown>
  const d = DEFAULT_REDIS_STORE_OPTIONS

  let cluster: { host: string; port: number }[] | undefined
  if (o.cluster !== undefined) {
    if (!Array.isArray(o.cluster) || o.cluster.length === 0) {
      throw invalid(`redis store: cluster must be a non-empty array of "host:port" nodes, got ${describeValue(o.cluster)}`)
    }
    if (o.url !== undefined) throw invalid('redis store: give either url or cluster, not both')
    cluster = o.cluster.map(parseNode)
  }

  let username = optionalString('username', o.username)
  let password = optionalString('password', o.password)
  let url: string | undefined
  let tlsFromUrl = false
  if (!cluster) {
    url = optionalString('url', o.url) ?? d.url
    let u: URL
    try {
      u = new URL(url)
    } catch {
      throw invalid(`redis store: url must look like redis://host:port, got ${describeValue(url)}`)
    }
    if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
      throw invalid(`redis store: url must start with redis:// or rediss://, got ${describeValue(`${u.protocol}//…`)}`)
    }
    if (u.hostname === '') throw invalid(`redis store: url has no host: ${describeValue(safeUrl(url))}`)
    tlsFromUrl = u.protocol === 'rediss:'
    // The client takes the URL's credentials over its options, both of them as soon as the URL
    // has either: when an option replaces one, move the other out of the URL too.
    if ((username !== undefined || password !== undefined) && (u.username || u.password)) {
      username ??= u.username ? decodeURIComponent(u.username) : undefined
      password ??= u.password ? decodeURIComponent(u.password) : undefined
      u.username = ''
      u.password = ''
      url = u.toString()
    }
  }

  let tls: ConnectionOptions | undefined
  if (o.tls === true) tls = {}
  else if (o.tls && typeof o.tls === 'object' && !Array.isArray(o.tls)) tls = o.tls as ConnectionOptions
  else if (o.tls !== undefined && o.tls !== false) {
    throw invalid(`redis store: tls must be true, false or tls.connect options, got ${describeValue(o.tls)}`)
  }
  if (!tls && tlsFromUrl) tls = {}

  const namespace = optionalString('namespace', o.namespace) ?? d.namespace
  if (!NAMESPACE.test(namespace)) {
    throw invalid(
      `redis store: namespace must be 1 to 64 letters, digits or "_ . : -" (no braces or spaces: it becomes a hash tag), got ${describeValue(namespace)}`,
    )
  }

  return {
    url,
    username,
    password,
    tls,
    cluster,
    namespace,
    windowMs: o.windowMs === undefined ? undefined : int('windowMs', o.windowMs, 1, MAX_WINDOW),
    batchSize: o.batchSize === undefined ? d.batchSize : int('batchSize', o.batchSize, 1, 100_000),
    shards: o.shards === undefined ? d.shards : int('shards', o.shards, 1, 16_384),
    commandTimeoutMs:
      o.commandTimeoutMs === undefined ? d.commandTimeoutMs : int('commandTimeoutMs', o.commandTimeoutMs, 1, 3_600_000),
    connectTimeoutMs:
      o.connectTimeoutMs === undefined ? d.connectTimeoutMs : int('connectTimeoutMs', o.connectTimeoutMs, 1, 3_600_000),
  }
}

/** A URL with its password masked, for messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparseable url)'
  }
}
