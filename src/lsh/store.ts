import { WiretraceError } from '../errors.js'
/**
 * Band keys of one document: each is `channel · 2^42 + band · 2^32 + bandHash`, a safe integer,
 * so that keys of the document, paragraph and anchor channels never collide with each other.
 */
export type BandKeys = Float64Array

/** One document as a store keeps it. */
export interface StoreEntry {
  id: string
  keys: BandKeys
  /** When the article was published or seen (epoch ms); stores with a window expire by it. */
  time?: number
  /** Serialized fingerprint, so any process can verify candidates another one inserted. */
  payload?: string
}

/**
 * Where an index keeps its buckets. Asynchronous so that a networked store (Redis) fits the
 * same interface as the in-memory and batch ones. Implementations must make `add` idempotent
 * per id: adding the same id again replaces it.
 */
export interface IndexStore {
  readonly kind: string
  add(entries: readonly StoreEntry[]): Promise<void>
  /** For each key list, the ids of stored documents that share at least one key, sorted. */
  query(keys: readonly BandKeys[]): Promise<string[][]>
  remove(ids: readonly string[]): Promise<void>
  has(id: string): Promise<boolean>
  size(): Promise<number>
  /** The payloads stored with `add`, in the order asked; undefined where none. */
  payloads(ids: readonly string[]): Promise<(string | undefined)[]>
  /**
   * Record how the keys are made (a description from {@link SharedIndex}), or throw
   * `PARAMS_MISMATCH` when the store holds keys made another way: processes sharing a store must
   * key documents alike, or they silently miss each other's matches. Optional.
   */
  bindIndex?(description: string): Promise<void>
  close?(): Promise<void>
}

/**
 * The error a store gives when {@link IndexStore.bindIndex} meets another description: names the
 * fields that differ (descriptions are {@link describeIndex} JSON), or both texts when one is not.
 */
export function indexMismatch(where: string, stored: string, wanted: string, fix: string): WiretraceError {
  let held = stored
  let mine = wanted
  try {
    const a = JSON.parse(stored) as Record<string, unknown>
    const b = JSON.parse(wanted) as Record<string, unknown>
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    held = keys.map((k) => `${k}=${JSON.stringify(a[k]) ?? 'none'}`).join(', ')
    mine = keys.map((k) => `${k}=${JSON.stringify(b[k]) ?? 'none'}`).join(', ')
  } catch {
    // not JSON: show them whole
  }
  return new WiretraceError(
    'PARAMS_MISMATCH',
    `${where} holds documents keyed with ${held}, but this index keys them with ${mine}; use the same index options and sketch parameters in every process that shares it, ${fix}`,
  )
}

/**
 * The in-memory store: a Map from band key to the ids in that bucket. Its synchronous methods
 * serve the in-process index; the async ones implement {@link IndexStore}.
 */
export class MemoryStore implements IndexStore {
  readonly kind = 'memory'
  private readonly buckets = new Map<number, string[]>()
  private readonly docs = new Map<string, StoreEntry>()
  private index: string | undefined

  addSync(entry: StoreEntry): void {
    if (this.docs.has(entry.id)) this.removeSync(entry.id)
    this.docs.set(entry.id, entry)
    for (const k of entry.keys) {
      const bucket = this.buckets.get(k)
      if (bucket) {
        if (bucket[bucket.length - 1] !== entry.id) bucket.push(entry.id)
      } else this.buckets.set(k, [entry.id])
    }
  }

  /** Ids sharing a key; buckets already holding more than `maxBucket` ids are skipped as too common. */
  querySync(keys: BandKeys, maxBucket = Number.POSITIVE_INFINITY): string[] {
    const out = new Set<string>()
    for (const k of keys) {
      const bucket = this.buckets.get(k)
      if (bucket && bucket.length <= maxBucket) for (const id of bucket) out.add(id)
    }
    return [...out].sort()
  }

  /** Like {@link querySync}, but buckets over `maxBucket` are returned apart (ids in insertion order, not copied) instead of skipped. */
  querySyncFloods(keys: BandKeys, maxBucket: number): { ids: string[]; floods: (readonly string[])[] } {
    const out = new Set<string>()
    const floods: (readonly string[])[] = []
    for (const k of keys) {
      const bucket = this.buckets.get(k)
      if (!bucket) continue
      if (bucket.length > maxBucket) floods.push(bucket)
      else for (const id of bucket) out.add(id)
    }
    return { ids: [...out].sort(), floods }
  }

  removeSync(id: string): boolean {
    const entry = this.docs.get(id)
    if (!entry) return false
    this.docs.delete(id)
    for (const k of entry.keys) {
      const bucket = this.buckets.get(k)
      if (!bucket) continue
      const rest = bucket.filter((x) => x !== id)
      if (rest.length === 0) this.buckets.delete(k)
      else this.buckets.set(k, rest)
    }
    return true
  }

  hasSync(id: string): boolean {
    return this.docs.has(id)
  }

  get sizeSync(): number {
    return this.docs.size
  }

  entries(): IterableIterator<StoreEntry> {
    return this.docs.values()
  }

  bucketCount(): number {
    return this.buckets.size
  }

  async add(entries: readonly StoreEntry[]): Promise<void> {
    for (const e of entries) this.addSync(e)
  }
  async query(keys: readonly BandKeys[]): Promise<string[][]> {
    return keys.map((k) => this.querySync(k))
  }
  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.removeSync(id)
  }
  async has(id: string): Promise<boolean> {
    return this.hasSync(id)
  }
  async size(): Promise<number> {
    return this.docs.size
  }
  async payloads(ids: readonly string[]): Promise<(string | undefined)[]> {
    return ids.map((id) => this.docs.get(id)?.payload)
  }
  /** Binds until the store is empty again (the in-memory counterpart of clearing a Redis namespace). */
  async bindIndex(description: string): Promise<void> {
    if (this.docs.size === 0) this.index = undefined
    this.index ??= description
    if (this.index !== description) throw indexMismatch('this memory store', this.index, description, 'or another store')
  }
}
