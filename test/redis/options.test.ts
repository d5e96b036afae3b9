// Options, loading and codec: no Redis server needed.

import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { WiretraceError } from '../../src/errors.js'
import {
  decodeRecord,
  encodeRecord,
  fieldArray,
  idHash,
  KeyTable,
  keyShard,
  MAX_GROUP,
  type PostingCall,
  planPostings,
  splitIds,
  unionGroups,
} from '../../src/redis/codec.js'
import { createRedisStore, RedisStore, resolveRedisStoreOptions } from '../../src/redis/index.js'
import { loadIoredis } from '../../src/redis/load.js'

function code(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return err instanceof WiretraceError ? `${err.code}: ${err.message}` : `not a WiretraceError: ${String(err)}`
  }
  return undefined
}

describe('RedisStore options', () => {
  it('has documented defaults', () => {
    const o = resolveRedisStoreOptions()
    expect(o).toMatchObject({
      url: 'redis://127.0.0.1:6379',
      namespace: 'wiretrace',
      batchSize: 500,
      shards: 64,
      windowMs: undefined,
    })
    expect(o.tls).toBeUndefined()
    expect(resolveRedisStoreOptions({ url: 'rediss://cache.example:6380' }).tls).toEqual({})
  })

  it('lets a username or password option replace the one in the URL, keeping the other (the client reads both from the URL)', () => {
    const both = resolveRedisStoreOptions({ url: 'redis://old:pw@h:7000/2', username: 'new', password: 'pw2' })
    expect(both).toMatchObject({ url: 'redis://h:7000/2', username: 'new', password: 'pw2' })
    const onlyPassword = resolveRedisStoreOptions({ url: 'redis://old:pw@h:7000', password: 'pw2' })
    expect(onlyPassword).toMatchObject({ url: 'redis://h:7000', username: 'old', password: 'pw2' })
    const onlyUser = resolveRedisStoreOptions({ url: 'redis://old:p%40ss@h:7000', username: 'new' })
    expect(onlyUser).toMatchObject({ url: 'redis://h:7000', username: 'new', password: 'p@ss' })
    const passwordInUrl = resolveRedisStoreOptions({ url: 'redis://:pw@h:7000', username: 'new' })
    expect(passwordInUrl).toMatchObject({ url: 'redis://h:7000', username: 'new', password: 'pw' })
    expect(resolveRedisStoreOptions({ url: 'redis://old:pw@h:7000' }).url).toBe('redis://old:pw@h:7000')
  })

  it.each([
    [{ namespace: 'a{b}' }, /namespace must be/],
    [{ namespace: '' }, /namespace must be/],
    [{ namespace: 'has space' }, /namespace must be/],
    [{ shards: 0 }, /shards must be an integer from 1/],
    [{ batchSize: 1.5 }, /batchSize must be an integer/],
    [{ windowMs: -1 }, /windowMs must be an integer from 1/],
    [{ windowMs: '1d' }, /windowMs must be an integer/],
    [{ url: 'http://localhost:6379' }, /url must start with redis:\/\/ or rediss:\/\//],
    [{ url: 'localhost:6379' }, /url must start with redis:\/\//],
    [{ url: 'not a url' }, /url must look like redis:\/\/host:port/],
    [{ cluster: [] }, /cluster must be a non-empty array/],
    [{ cluster: ['127.0.0.1:7000'], url: 'redis://127.0.0.1:6379' }, /either url or cluster/],
    [{ cluster: [{ host: '', port: 1 }] }, /cluster\[0\]\.host/],
    [{ cluster: [{ host: 'h', port: 99999 }] }, /cluster\[0\]\.port/],
    [{ tls: 'yes' }, /tls must be true, false or tls.connect options/],
    [{ password: 42 }, /password must be a string/],
    [{ windowMS: 1000 }, /unknown option "windowMS"/],
  ])('rejects %j', (options, message) => {
    const got = code(() => resolveRedisStoreOptions(options as never))
    expect(got).toMatch(/^INVALID_ARGUMENT: /)
    expect(got).toMatch(message)
  })

  it('parses cluster nodes', () => {
    expect(
      resolveRedisStoreOptions({ cluster: ['10.0.0.1:7000', 'redis://10.0.0.2:7001', { host: 'h', port: 7002 }] }).cluster,
    ).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
      { host: 'h', port: 7002 },
    ])
  })

  it('connect rejects bad options before touching the network', async () => {
    await expect(RedisStore.connect({ shards: -3 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await expect(createRedisStore({ url: 'http://x' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
  })

  it('reports an unreachable server as STORE_ERROR without leaking the password', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer()
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port
        srv.close(() => resolve(p))
      })
    })
    const err = await RedisStore.connect({ url: `redis://:secret@127.0.0.1:${port}`, connectTimeoutMs: 3000 }).catch((e) => e)
    expect(err).toBeInstanceOf(WiretraceError)
    expect(err.code).toBe('STORE_ERROR')
    expect(err.message).toMatch(/could not connect to redis:\/\/:\*\*\*@127\.0\.0\.1/)
    expect(err.message).not.toContain('secret')
  })
})

describe('loading ioredis', () => {
  it('says to install ioredis when it is missing', async () => {
    const missing = Object.assign(new Error("Cannot find package 'ioredis'"), { code: 'ERR_MODULE_NOT_FOUND' })
    const err = await loadIoredis(() => Promise.reject(missing)).catch((e) => e)
    expect(err).toBeInstanceOf(WiretraceError)
    expect(err.code).toBe('MISSING_DEPENDENCY')
    expect(err.message).toContain('npm install ioredis')
  })

  it('loads the installed ioredis', async () => {
    const io = await loadIoredis()
    expect(typeof io.Redis).toBe('function')
    expect(typeof io.Cluster).toBe('function')
  })
})

describe('redis store codec', () => {
  it('shards ids with a hash frozen with the layout (changing it moves every stored record)', () => {
    expect(['', 'afp-1', 'g000001', 'ü'].map(idHash)).toEqual([2872998923, 1602351855, 1820155465, 134528209])
  })

  it('round-trips a record', () => {
    const rec = {
      time: 1733616000000,
      expires: Number.POSITIVE_INFINITY,
      groups: [{ gen: 0, keys: Float64Array.from([0, 1, 2 ** 42 + 5 * 2 ** 32 + 123456789, 2 ** 48 - 1]) }],
      payload: 'pay\u00e9load \u{1F600}',
    }
    expect(decodeRecord(encodeRecord(rec), 'x')).toEqual(rec)
    const none = { ...rec, payload: undefined }
    expect(decodeRecord(encodeRecord(none), 'x')).toEqual(none)
    expect(() => decodeRecord(Buffer.from('garbage'), 'x')).toThrow(/unreadable/)
  })

  it('splits bucket values and merges key groups', () => {
    expect(splitIds('\0a\0bb\0c\u00e9\0')).toEqual(['a', 'bb', 'c\u00e9'])
    const u = unionGroups(
      [{ gen: 1, keys: Float64Array.from([1, 2]) }],
      [
        { gen: 1, keys: Float64Array.from([2, 3]) },
        { gen: 2, keys: Float64Array.from([9]) },
      ],
    )
    expect(u.map((g) => [g.gen, [...g.keys].sort()])).toEqual([
      [1, [1, 2, 3]],
      [2, [9]],
    ])
  })

  it('KeyTable maps band keys like a Map', () => {
    const t = new KeyTable(4)
    const m = new Map<number, number>()
    for (let i = 0; i < 5000; i++) {
      const k = Math.floor(Math.random() * 2 ** 46)
      expect(t.set(k, i)).toBe(m.get(k) ?? -1)
      m.set(k, i)
    }
    for (const [k, v] of m) expect(t.get(k)).toBe(v)
    expect(t.get(2 ** 47)).toBe(-1)
    const k = 2 ** 45 + 17
    expect(t.setIfAbsent(k, 7)).toBe(-1)
    expect(t.setIfAbsent(k, 8)).toBe(7)
    expect(t.get(k)).toBe(7)
  })
})

/** Read the MessagePack arrays planPostings writes (array 32 of fixstr(6) fields, or of small uints). */
function readArray(b: Buffer, what: 'fields' | 'uints'): (number | string)[] {
  expect(b[0]).toBe(0xdd)
  const n = b.readUInt32BE(1)
  const out: (number | string)[] = []
  let o = 5
  for (let i = 0; i < n; i++) {
    if (what === 'fields') {
      expect(b[o]).toBe(0xa6)
      out.push(b.readUInt32LE(o + 1) + b.readUInt16LE(o + 5) * 2 ** 32)
      o += 7
    } else if ((b[o] as number) < 0x80) out.push(b[o++] as number)
    else if (b[o] === 0xcc) {
      out.push(b[o + 1] as number)
      o += 2
    } else {
      expect(b[o]).toBe(0xcd)
      out.push(b.readUInt16BE(o + 1))
      o += 3
    }
  }
  expect(o).toBe(b.length)
  return out
}

/** Every posting of the calls as "key id" strings (ids of merged values expanded), and per call its postings. */
function postingsOf(calls: PostingCall[], shards: number): string[] {
  const out: string[] = []
  for (const c of calls) {
    for (const g of c.groups) {
      const keys = readArray(g.fields, 'fields') as number[]
      const vals = readArray(g.values, 'uints') as number[]
      expect(keys.length).toBe(g.count)
      expect(vals.length).toBe(g.count)
      keys.forEach((k, i) => {
        expect(keyShard(k, shards)).toBe(g.shard)
        const v = c.values[(vals[i] as number) - 1] as Buffer
        for (const id of splitIds(v.toString())) out.push(`${k} ${id}`)
      })
    }
  }
  return out.sort()
}

describe('planPostings (the posting scripts argument)', () => {
  const value = (id: string) => Buffer.from(`\0${id}\0`)
  let x = 12345
  const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0)
  const sets = Array.from({ length: 300 }, (_, d) => ({
    value: value(`doc-${d}`),
    gen: d % 3 === 0 ? 7 : 8,
    keys: Float64Array.from({ length: 40 }, (_, i) => (i % 4) * 2 ** 42 + (i % 10) * 2 ** 32 + rnd()),
  }))
  // shared buckets within a generation, a key repeated within a set, and the largest key
  for (let d = 3; d < 300; d += 3) sets[d]?.keys.set((sets[d - 3] as { keys: Float64Array }).keys.subarray(0, 5))
  ;(sets[1] as { keys: Float64Array }).keys[1] = (sets[1] as { keys: Float64Array }).keys[0] as number
  ;(sets[2] as { keys: Float64Array }).keys[0] = 2 ** 48 - 1
  const expected = new Set<string>()
  for (const [d, s] of sets.entries()) for (const k of s.keys) expected.add(`${s.gen}:${k} doc-${d}`)

  it('writes every posting once, merges shared buckets, and keeps shards and generations apart', () => {
    const calls = planPostings(sets, 16, 1000, false)
    const got = new Set<string>()
    for (const c of calls) {
      expect(c.postings).toBeLessThanOrEqual(1000)
      expect(c.postings).toBe(c.groups.reduce((a, g) => a + g.count, 0))
      for (const g of c.groups) {
        const fields = readArray(g.fields, 'fields') as number[]
        // a field appears once per generation within a call
        expect(new Set(fields).size).toBe(fields.length)
        for (const p of postingsOf([{ ...c, groups: [g] }], 16)) got.add(`${g.gen}:${p}`)
      }
    }
    expect([...got].sort()).toEqual([...expected].sort())
    // the shared buckets of one generation became one posting with a merged value
    const merged = calls.flatMap((c) => c.values).filter((v) => splitIds(v.toString()).length > 1)
    expect(merged.length).toBeGreaterThan(0)
    expect(
      fieldArray([2 ** 48 - 1])
        .subarray(1)
        .equals(Buffer.from([0, 0, 0, 1, 0xa6, 255, 255, 255, 255, 255, 255])),
    ).toBe(true)
  })

  it('splits calls at maxPostings and groups at MAX_GROUP, and makes one group per call for a cluster', () => {
    const big = Array.from({ length: 200 }, (_, d) => ({
      value: value(`b${d}`),
      gen: 0,
      keys: Float64Array.from({ length: 50 }, () => rnd() * 7),
    }))
    const one = planPostings(big, 1, 65535, false)
    expect(one.length).toBe(1)
    expect(one[0]?.groups.map((g) => g.count)).toEqual([MAX_GROUP, MAX_GROUP, MAX_GROUP, 10000 - 3 * MAX_GROUP])
    const cluster = planPostings(big, 4, 8192, true)
    for (const c of cluster) expect(c.groups.length).toBe(1)
    expect(postingsOf(cluster, 4)).toEqual(postingsOf(planPostings(big, 4, 500, false), 4))
    expect(postingsOf(cluster, 4).length).toBe(10000)
  })
})
