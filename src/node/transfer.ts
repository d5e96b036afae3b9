/**
 * Gather every Uint32Array inside `value` (plain objects and arrays, walked in place) into one
 * buffer, to transfer with postMessage instead of cloning. An analysis holds about thirty small
 * sets and signatures an article; cloned, each costs a serialisation on the worker and a backing
 * store of its own on the receiving thread, which together cost about as much as the analysis.
 * Each array becomes a view of the one buffer with the same values, and an array met twice (a
 * paragraph's anchors are also its sketch's) stays one array. Returns the buffer to transfer.
 */
export function poolArrays(value: unknown): ArrayBuffer[] {
  const found = new Map<Uint32Array, number>()
  const places: { holder: Record<string | number, unknown>; key: string | number; array: Uint32Array }[] = []
  let total = 0
  const walk = (holder: Record<string | number, unknown>, key: string | number): void => {
    const v = holder[key]
    if (v instanceof Uint32Array) {
      if (!found.has(v)) {
        found.set(v, total)
        total += v.length
      }
      places.push({ holder, key, array: v })
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v as unknown as Record<number, unknown>, i)
    } else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      for (const k of Object.keys(v)) walk(v as Record<string, unknown>, k)
    }
  }
  walk({ value }, 'value')
  const pool = new Uint32Array(total)
  const views = new Map<Uint32Array, Uint32Array>()
  for (const [array, at] of found) {
    pool.set(array, at)
    views.set(array, pool.subarray(at, at + array.length))
  }
  for (const { holder, key, array } of places) holder[key] = views.get(array)
  return [pool.buffer]
}
