/**
 * A one-line progress display on a TTY stream, one stage after another (reading, sketching,
 * candidates, verifying, diffing, writing): count done, rate and ETA. Silent elsewhere.
 */
export class Progress {
  private start = Date.now()
  private last = 0
  private label = ''
  private unit = 'docs'
  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly enabled = stream.isTTY === true,
  ) {}

  /** Start a stage: its counts from now on are of `unit`. */
  stage(label: string, unit = 'docs'): void {
    this.label = label
    this.unit = unit
    this.start = Date.now()
    this.last = 0
    this.update(0)
  }

  /** `done` of `total` (unknown total: a count and rate only); redrawn at most every 100 ms, and at the end. */
  update(done: number, total?: number, force = false): void {
    if (!this.enabled) return
    const now = Date.now()
    if (!force && now - this.last < 100 && (total === undefined || done < total)) return
    this.last = now
    const secs = Math.max(0.001, (now - this.start) / 1000)
    const rate = done / secs
    if (total === undefined) {
      const count = done > 0 ? ` ${done} ${this.unit} · ${rate.toFixed(0)} ${this.unit}/s` : ''
      this.stream.write(`\r\x1b[2K${this.label}${count}`)
      return
    }
    const eta = rate > 0 ? (total - done) / rate : 0
    const width = 24
    const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : width
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`
    this.stream.write(
      `\r\x1b[2K${this.label} ${bar} ${done}/${total} ${this.unit} · ${rate.toFixed(0)} ${this.unit}/s · ETA ${formatSeconds(eta)}`,
    )
  }

  done(): void {
    if (this.enabled) this.stream.write('\r\x1b[2K')
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?'
  if (s < 60) return `${s.toFixed(0)}s`
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`
}
