import { SKETCH_ARRAYS, type SketchBatch } from '../cluster/packed.js'

/**
 * Bytes of one slab: over glibc's largest mmap threshold (32 MiB), so that each slab is a mapping
 * of its own, returned to the system when it is collected.
 */
const SLAB_BYTES = 64 << 20

type Packed = Uint16Array | Uint32Array | Float64Array

/**
 * Pass 1's sketches, copied as they arrive into large slabs. A worker's batch comes in buffers of a
 * few hundred kilobytes, allocated in that thread's malloc arena; kept to the end of the candidate
 * search and then dropped, they stay in the process's RSS as free arena space that pass 2's heap
 * (mapped apart) cannot use: about 1 GB at 500,000 generated articles. Copied, the worker's
 * buffers die young and are reused by its next batches, and the slabs leave with the sketches.
 */
export class SketchSlabs {
  private slab: ArrayBuffer | undefined
  private at = 0

  /** The batch with its typed arrays copied into slabs (values unchanged). */
  batch(b: SketchBatch): SketchBatch {
    const out = { ...b } as Record<(typeof SKETCH_ARRAYS)[number], Packed>
    for (const f of SKETCH_ARRAYS) out[f] = this.copy(b[f])
    return out as SketchBatch
  }

  private copy<T extends Packed>(a: T): T {
    // An array as large as a slab has a mapping of its own already.
    if (a.byteLength === 0 || a.byteLength > SLAB_BYTES / 4) return a
    if (!this.slab || this.at + a.byteLength > SLAB_BYTES) {
      this.slab = new ArrayBuffer(SLAB_BYTES)
      this.at = 0
    }
    const out = new (a.constructor as new (buffer: ArrayBuffer, offset: number, length: number) => T)(
      this.slab,
      this.at,
      a.length,
    )
    out.set(a)
    // 8-byte aligned for the next Float64Array.
    this.at += (a.byteLength + 7) & ~7
    return out
  }
}
