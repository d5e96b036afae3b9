// wiretrace/redis: an IndexStore in Redis that many processes share. ioredis is an optional peer
// dependency, loaded only when a store connects; the core package never imports this file.

export type { RedisClusterNode, RedisStoreOptions } from './options.js'
export { DEFAULT_REDIS_STORE_OPTIONS, resolveRedisStoreOptions } from './options.js'
export { createRedisStore, RedisStore } from './store.js'
