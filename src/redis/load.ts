import type { Cluster, Redis } from 'ioredis'
import { WiretraceError } from '../errors.js'

/** The parts of the ioredis module the store uses. */
export interface IoredisModule {
  Redis: typeof Redis
  Cluster: typeof Cluster
}

type Importer = () => Promise<unknown>

const importIoredis: Importer = () => import('ioredis')

/**
 * Load ioredis on first use, so that the core package and this entry point import without it.
 * A missing package becomes `MISSING_DEPENDENCY` with the install command.
 */
export async function loadIoredis(importer: Importer = importIoredis): Promise<IoredisModule> {
  let mod: Record<string, unknown>
  try {
    mod = (await importer()) as Record<string, unknown>
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new WiretraceError(
        'MISSING_DEPENDENCY',
        "the Redis store needs the 'ioredis' package (an optional peer dependency of wiretrace): run `npm install ioredis`",
        { cause },
      )
    }
    throw cause
  }
  const fallback = (mod.default ?? {}) as Record<string, unknown>
  const RedisClass = (mod.Redis ?? fallback.Redis ?? mod.default) as typeof Redis | undefined
  const ClusterClass = (mod.Cluster ?? fallback.Cluster) as typeof Cluster | undefined
  if (typeof RedisClass !== 'function' || typeof ClusterClass !== 'function') {
    throw new WiretraceError(
      'MISSING_DEPENDENCY',
      'the installed ioredis does not export Redis and Cluster: install ioredis 5 (`npm install ioredis@5`)',
    )
  }
  return { Redis: RedisClass, Cluster: ClusterClass }
}
