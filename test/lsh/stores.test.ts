import { describe, expect, it } from 'vitest'
import { type AnalysisOk, analyze } from '../../src/analyze.js'
import { BatchStore, batchCandidatePairs } from '../../src/lsh/batch.js'
import { bandKeys, LshIndex, resolveIndexConfig, SharedIndex } from '../../src/lsh/lsh.js'
import { MemoryStore } from '../../src/lsh/store.js'
import { loadSeeds } from '../helpers/seeds.js'

const seeds = loadSeeds().map((s) => analyze(s) as AnalysisOk)
const config = resolveIndexConfig({}, seeds[0]!.fingerprint.params)

describe('BatchStore', () => {
  it('returns exactly the candidates of the in-memory store', async () => {
    const memory = new MemoryStore()
    const batch = new BatchStore()
    const entries = seeds.map((a) => ({ id: a.id, keys: bandKeys(a.fingerprint, config), payload: a.id.repeat(2) }))
    await memory.add(entries)
    await batch.add(entries)
    const keys = entries.map((e) => e.keys)
    expect(await batch.query(keys)).toEqual(await memory.query(keys))
    expect(await batch.payloads(['001', 'nope'])).toEqual(['001001', undefined])
    expect(await batch.size()).toBe(5)
    expect(batch.bytes()).toBeGreaterThan(0)
    await batch.remove(['003'])
    await memory.remove(['003'])
    expect(await batch.has('003')).toBe(false)
    expect(await batch.query(keys)).toEqual(await memory.query(keys))
  })

  it('agrees with the pairs found by sorting, and with SharedIndex over it', async () => {
    const keys = seeds.map((a) => bandKeys(a.fingerprint, config))
    const { pairs, stats } = batchCandidatePairs(keys)
    const fromSort = new Set<string>()
    for (let i = 0; i < pairs.length; i += 2) fromSort.add(`${seeds[pairs[i]!]!.id}-${seeds[pairs[i + 1]!]!.id}`)
    const index = new SharedIndex(new BatchStore())
    await index.insert(seeds.map((a) => ({ fingerprint: a.fingerprint })))
    const found = await index.query(seeds.map((a) => a.fingerprint))
    const fromStore = new Set<string>()
    found.forEach((ids, i) => {
      for (const id of ids) {
        const a = seeds[i]!.id
        fromStore.add(a < id ? `${a}-${id}` : `${id}-${a}`)
      }
    })
    expect([...fromStore].sort()).toEqual([...fromSort].sort())
    expect(stats.pairs).toBe(fromSort.size)
  })

  it('skips and counts buckets too common to mean anything', () => {
    const same = Float64Array.of(7, 8)
    const { pairs, stats } = batchCandidatePairs([same, same, same, Float64Array.of(9)], 2)
    expect(pairs.length).toBe(0)
    expect(stats.oversizedBuckets).toBe(2)
  })
})

describe('LshIndex snapshots', () => {
  it('round-trip: the loaded index answers as the saved one', () => {
    const index = new LshIndex({ threshold: 0.6 })
    for (const a of seeds.slice(0, 4)) index.insert(a.fingerprint, Date.parse('2024-12-08'))
    const loaded = LshIndex.load(index.save())
    expect(loaded.ids()).toEqual(index.ids())
    expect(loaded.config).toEqual(index.config)
    for (const a of seeds) expect(loaded.query(a.fingerprint)).toEqual(index.query(a.fingerprint))
    expect(loaded.get('001')?.signature).toEqual(seeds[1]!.fingerprint.signature)
  })

  it('refuses other formats, other versions and truncated snapshots', () => {
    const index = new LshIndex()
    index.insert(seeds[0]!.fingerprint)
    const bytes = index.save()
    const code = (c: string) => expect.objectContaining({ code: c })
    expect(() => LshIndex.load(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(code('CORRUPT_DATA'))
    const v3 = bytes.slice()
    v3[4] = 3
    expect(() => LshIndex.load(v3)).toThrow(code('UNSUPPORTED_VERSION'))
    expect(() => LshIndex.load(v3)).toThrow(/version 3 is not supported \(this build reads 1 and 2\)/)
    const damaged = bytes.slice()
    damaged[20] = (damaged[20] as number) ^ 0x10 // in the options JSON
    expect(() => LshIndex.load(damaged)).toThrow(code('CORRUPT_DATA'))
    expect(() => LshIndex.load(damaged)).toThrow(/index snapshot is damaged: the checksum of bytes 13-\d+ does not match/)
    expect(() => LshIndex.load(bytes.slice(0, bytes.length - 3))).toThrow(code('CORRUPT_DATA'))
  })
})
