import { Worker } from 'node:worker_threads'
import { WiretraceError } from '../errors.js'

function startWorker(): Worker {
  // From the built package the worker sits beside this file as worker.js; from the TypeScript
  // sources (tests, tsx) it is worker.ts and needs tsx's loader registered inside the thread.
  const here = import.meta.url
  if (here.endsWith('.ts')) {
    const src = JSON.stringify(new URL('./worker.ts', here).href)
    return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${src}) })`, { eval: true })
  }
  return new Worker(new URL(here.endsWith('.cjs') ? './worker.cjs' : './worker.js', here))
}

interface Pending {
  resolve: (reply: unknown) => void
  reject: (e: unknown) => void
}

/**
 * Worker threads that live for a whole call: jobs go to the least busy worker, replies come back
 * by job id. A worker's error reply, or its death, rejects the jobs it holds; after a death every
 * later job is rejected with the same error (a message to a dead thread would be lost, and a
 * worker that fails while loading holds no job yet).
 */
export class WorkerPool {
  private readonly workers: { worker: Worker; busy: number }[]
  private readonly pending = new Map<number, Pending & { worker: number }>()
  private died: Error | undefined
  private closed = false

  constructor(size: number) {
    this.workers = Array.from({ length: size }, (_, i) => {
      const worker = startWorker()
      worker.on('message', (msg: { id: number; error?: { message: string; code?: string } }) => {
        const p = this.pending.get(msg.id)
        if (!p) return
        this.pending.delete(msg.id)
        ;(this.workers[i] as { busy: number }).busy--
        if (msg.error) {
          const code = (msg.error.code ?? 'INVALID_ARGUMENT') as ConstructorParameters<typeof WiretraceError>[0]
          p.reject(new WiretraceError(code, msg.error.message))
        } else p.resolve(msg)
      })
      worker.on('error', (e) =>
        this.fail(i, new WiretraceError('INVALID_ARGUMENT', `worker thread failed: ${e.message}`, { cause: e })),
      )
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(i, new WiretraceError('INVALID_ARGUMENT', `worker thread exited with code ${code}`))
      })
      return { worker, busy: 0 }
    })
  }

  /**
   * The worker a job should go to: the least busy, and among those the one `score` ranks
   * highest (a job that finds more of its work already on one thread), else the first.
   */
  choose(score?: (worker: number) => number): number {
    let best = 0
    let bestScore = score ? score(0) : 0
    for (let i = 1; i < this.workers.length; i++) {
      const busy = (this.workers[i] as { busy: number }).busy
      const least = (this.workers[best] as { busy: number }).busy
      if (busy > least) continue
      const s = score ? score(i) : 0
      if (busy < least || s > bestScore) {
        best = i
        bestScore = s
      }
    }
    return best
  }

  /** Run a job on worker `at` (by default the least busy, see {@link choose}). */
  run<R>(job: { id: number } & Record<string, unknown>, transfer: ArrayBuffer[] = [], at = this.choose()): Promise<R> {
    if (this.died) return Promise.reject(this.died)
    if (!Number.isInteger(at) || at < 0 || at >= this.workers.length) {
      return Promise.reject(new WiretraceError('INVALID_ARGUMENT', `no worker ${at} in a pool of ${this.workers.length}`))
    }
    const best = at
    const w = this.workers[best] as { worker: Worker; busy: number }
    return new Promise<R>((resolve, reject) => {
      this.pending.set(job.id, { resolve: resolve as (r: unknown) => void, reject, worker: best })
      w.busy++
      w.worker.postMessage(job, transfer)
    })
  }

  private fail(worker: number, e: Error): void {
    this.died ??= e
    for (const [id, p] of this.pending) {
      if (p.worker !== worker) continue
      this.pending.delete(id)
      p.reject(e)
    }
  }

  get size(): number {
    return this.workers.length
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.died ??= new WiretraceError('INVALID_ARGUMENT', 'worker pool is closed')
    await Promise.all(this.workers.map((w) => w.worker.terminate()))
  }
}

/** At most `limit` jobs in flight; the first failure stops everything that waits. */
export class Flight {
  private active = 0
  private waiters: (() => void)[] = []
  private failure: unknown
  private readonly all: Promise<void>[] = []

  constructor(private readonly limit: number) {}

  async start<R>(job: () => Promise<R>, then: (r: R) => void): Promise<void> {
    while (this.active >= this.limit && this.failure === undefined) await new Promise<void>((r) => this.waiters.push(r))
    if (this.failure !== undefined) throw this.failure
    this.active++
    const p = job()
      .then(then)
      .catch((e) => {
        this.failure ??= e
      })
      .finally(() => {
        this.active--
        for (const w of this.waiters.splice(0)) w()
      })
    this.all.push(p)
  }

  async drain(): Promise<void> {
    await Promise.all(this.all)
    if (this.failure !== undefined) throw this.failure
  }
}
