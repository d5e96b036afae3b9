// The store over TLS with an ACL user, against a real redis-server that this file starts (with a
// throwaway certificate made by openssl). Skips when redis-server or openssl is missing, unless
// WIRETRACE_REQUIRE_REDIS=1 (CI).

import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { WiretraceError } from '../../src/errors.js'
import { MemoryStore, type StoreEntry } from '../../src/lsh/store.js'
import { RedisStore } from '../../src/redis/index.js'
import { freePort, REDIS_REQUIRED, sleep } from './helpers.js'

const USER = 'indexer'
const PASSWORD = 'wt-s3cret-pw'

const docs: StoreEntry[] = Array.from({ length: 40 }, (_, d) => ({
  id: `doc-${d}`,
  keys: Float64Array.from({ length: 12 }, (_, i) => (i < 6 ? i * 2 ** 32 + (d % 10) : 2 ** 42 + i * 2 ** 32 + d * 31 + i)),
  payload: `payload ${d}`,
}))

/** Where the server runs, or why it cannot (a tool missing, or a redis-server without TLS or Redis 6.2 ACLs). */
type Server = { dir: string; port: number; ca: string } | { why: string }

async function startServer(): Promise<Server> {
  const missing = ['redis-server', 'openssl'].filter((cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).error)
  if (missing.length > 0) return { why: `${missing.join(' and ')} not on the PATH` }
  let dir = ''
  try {
    dir = mkdtempSync(join(tmpdir(), 'wt-redis-tls-'))
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ].concat(['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]),
      { stdio: 'ignore' },
    )
    const ca = readFileSync(join(dir, 'cert.pem'), 'utf8')
    const port = await freePort()
    // TLS only (no plain port); the default user is off; the indexer may touch only keys of the
    // namespaces that start with "tenant-a".
    writeFileSync(
      join(dir, 'redis.conf'),
      [
        'port 0',
        `tls-port ${port}`,
        'bind 127.0.0.1',
        `tls-cert-file ${join(dir, 'cert.pem')}`,
        `tls-key-file ${join(dir, 'key.pem')}`,
        `tls-ca-cert-file ${join(dir, 'cert.pem')}`,
        'tls-auth-clients no',
        'save ""',
        'appendonly no',
        `dir ${dir}`,
        `pidfile ${join(dir, 'redis.pid')}`,
        'daemonize yes',
        'user default off',
        `user ${USER} on >${PASSWORD} ~{tenant-a* &* +@all`,
        '',
      ].join('\n'),
    )
    execFileSync('redis-server', [join(dir, 'redis.conf')])
    for (let i = 0; ; i++) {
      const r = new Redis({ port, host: '127.0.0.1', tls: { ca }, username: USER, password: PASSWORD, lazyConnect: true })
      r.on('error', () => {})
      try {
        await r.connect()
        await r.ping()
        break
      } catch (err) {
        if (i > 100) throw new Error(`the TLS server did not answer: ${(err as Error).message}`)
        await sleep(50)
      } finally {
        r.disconnect()
      }
    }
    return { dir, port, ca }
  } catch (err) {
    stopServer(dir)
    const e = err as { message: string; stderr?: Buffer }
    return { why: `could not start a TLS redis-server: ${e.stderr?.toString().trim() || e.message}` }
  }
}

function stopServer(dir: string): void {
  if (!dir) return
  try {
    process.kill(Number(readFileSync(join(dir, 'redis.pid'), 'utf8')))
  } catch {
    // not started
  }
  rmSync(dir, { recursive: true, force: true })
}

const server = await startServer()
if ('why' in server) {
  if (REDIS_REQUIRED) throw new Error(`WIRETRACE_REQUIRE_REDIS=1 but ${server.why}`)
  console.warn(`[wiretrace] skipping test/redis/secure.test.ts: ${server.why}`)
}
const { dir, port, ca } = 'why' in server ? { dir: '', port: 0, ca: '' } : server
// a worker that dies before afterAll still stops the daemonized server
process.once('exit', () => stopServer(dir))

describe.skipIf('why' in server)('RedisStore over TLS with an ACL user', () => {
  const stores: RedisStore[] = []

  afterAll(async () => {
    for (const s of stores) await s.close()
    stopServer(dir)
  })

  const connect = async (options: Parameters<typeof RedisStore.connect>[0]) => {
    const s = await RedisStore.connect({ connectTimeoutMs: 3000, ...options })
    stores.push(s)
    return s
  }
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected a STORE_ERROR')
      },
      (e: unknown) => e as WiretraceError,
    )

  it('adds and queries over rediss:// as the ACL user, with the same answers as MemoryStore', async () => {
    const store = await connect({
      url: `rediss://${USER}:${PASSWORD}@127.0.0.1:${port}`,
      tls: { ca },
      namespace: 'tenant-a-news',
    })
    await store.add(docs)
    const mem = new MemoryStore()
    await mem.add(docs)
    const keys = docs.map((d) => d.keys)
    expect(await store.query(keys)).toEqual(await mem.query(keys))
    expect(await store.payloads(['doc-3'])).toEqual(['payload 3'])
    // username and password given as options (they override the URL's)
    const other = await connect({
      url: `rediss://nobody:wrong@127.0.0.1:${port}`,
      tls: { ca },
      username: USER,
      password: PASSWORD,
      namespace: 'tenant-a-news',
    })
    expect(await other.size()).toBe(docs.length)
    // one of the two as an option: the other still comes from the URL
    for (const [url, extra] of [
      [`rediss://${USER}:wrong@127.0.0.1:${port}`, { password: PASSWORD }],
      [`rediss://nobody:${PASSWORD}@127.0.0.1:${port}`, { username: USER }],
    ] as const) {
      const one = await connect({ url, tls: { ca }, namespace: 'tenant-a-news', ...extra })
      expect(await one.size()).toBe(docs.length)
    }
    // the server saw the ACL user on the store's connection
    const admin = new Redis({ port, host: '127.0.0.1', tls: { ca }, username: USER, password: PASSWORD })
    try {
      const list = (await admin.client('LIST')) as string
      expect(list).toMatch(new RegExp(`name=wiretrace:tenant-a-news .*user=${USER}`))
    } finally {
      admin.disconnect()
    }
    await store.clear()
  })

  it('fails with STORE_ERROR on a wrong password, without printing it', async () => {
    const err = await failure(connect({ url: `rediss://127.0.0.1:${port}`, tls: { ca }, username: USER, password: 'not-it' }))
    expect(err).toBeInstanceOf(WiretraceError)
    expect(err.code).toBe('STORE_ERROR')
    expect(err.message).toMatch(/WRONGPASS|invalid username-password/)
    expect(err.message).not.toContain('not-it')
  })

  it('fails with STORE_ERROR on a namespace the ACL user may not touch, naming the refusal', async () => {
    const err = await failure(
      connect({ url: `rediss://127.0.0.1:${port}`, tls: { ca }, username: USER, password: PASSWORD, namespace: 'tenant-b' }),
    )
    expect(err.code).toBe('STORE_ERROR')
    expect(err.message).toMatch(/NOPERM/)
  })

  it('fails with STORE_ERROR when the server certificate is not trusted, or TLS is off', async () => {
    const untrusted = await failure(
      connect({ url: `rediss://127.0.0.1:${port}`, username: USER, password: PASSWORD, namespace: 'tenant-a-x' }),
    )
    expect(untrusted.code).toBe('STORE_ERROR')
    expect(untrusted.message).toMatch(/certificate/i)
    const plain = await failure(connect({ url: `redis://127.0.0.1:${port}`, username: USER, password: PASSWORD }))
    expect(plain.code).toBe('STORE_ERROR')
    expect(plain.message).toContain(`127.0.0.1:${port}`)
  })
})
