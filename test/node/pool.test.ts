// The worker pool: a dead worker must not swallow later jobs. A message posted to an exited thread
// is lost, so before this a worker that died while loading (holding no job yet) hung the scan.
import type { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { WorkerPool } from '../../src/node/pool.js'
import { expectRejects } from '../helpers/errors.js'

const job = (id: number) => ({
  id,
  articles: [{ id: `a${id}`, text: 'The harbour council approved the terminal expansion on Tuesday.' }],
  options: {},
})

describe('WorkerPool', () => {
  it('runs jobs, then rejects every job after a worker dies, naming the failure', async () => {
    const pool = new WorkerPool(1)
    try {
      const reply = await pool.run<{ id: number; results: { status: string }[] }>(job(1))
      expect(reply.results[0]?.status).toBe('ok')
      const { workers } = pool as unknown as { workers: { worker: Worker }[] }
      await workers[0]?.worker.terminate()
      await expectRejects(pool.run(job(2)), 'INVALID_ARGUMENT', 'worker thread exited with code 1')
      await expectRejects(pool.run(job(3)), 'INVALID_ARGUMENT', 'worker thread exited with code 1')
    } finally {
      await pool.close()
    }
  })

  it('rejects jobs once closed', async () => {
    const pool = new WorkerPool(1)
    await pool.close()
    await expectRejects(pool.run(job(1)), 'INVALID_ARGUMENT', 'worker pool is closed')
  })
})
