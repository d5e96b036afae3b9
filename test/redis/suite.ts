// The stores a suite opens, cleared and closed when the suite is done (kept apart from helpers.ts,
// which the child-process worker imports outside vitest).
import { afterAll } from 'vitest'
import { RedisStore } from '../../src/redis/index.js'
import { uniqueNamespace } from './helpers.js'

type ConnectOptions = Parameters<typeof RedisStore.connect>[0]

export function suiteStores(base: ConnectOptions = {}): {
  stores: RedisStore[]
  open: (name: string, extra?: ConnectOptions) => Promise<RedisStore>
} {
  const stores: RedisStore[] = []
  afterAll(async () => {
    for (const s of stores) {
      await s.clear().catch(() => {})
      await s.close()
    }
  })
  return {
    stores,
    open: async (name, extra = {}) => {
      const s = await RedisStore.connect({ ...base, namespace: uniqueNamespace(name), ...extra })
      stores.push(s)
      return s
    },
  }
}
