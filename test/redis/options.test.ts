// Options, loading and codec: no Redis server needed.

import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { WiretraceError } from '../../src/errors.js'
import { decodeRecord, encodeRecord, KeyTable, splitIds, unionGroups } from '../../src/redis/codec.js'
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
  })
})
