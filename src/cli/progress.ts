/** A one-line progress bar on a TTY stream: documents done, rate and ETA. Silent elsewhere. */
export class Progress {
  private readonly start = Date.now()
  private last = 0
  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly label: string,
    private readonly enabled = stream.isTTY === true,
  ) {}

  update(done: number, total: number): void {
    if (!this.enabled) return
    const now = Date.now()
    if (now - this.last < 100 && done < total) return
    this.last = now
    const secs = Math.max(0.001, (now - this.start) / 1000)
    const rate = done / secs
    const eta = rate > 0 ? (total - done) / rate : 0
    const width = 24
    const filled = total > 0 ? Math.round((done / total) * width) : 0
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`
    this.stream.write(`\r${this.label} ${bar} ${done}/${total} docs · ${rate.toFixed(0)} docs/s · ETA ${formatSeconds(eta)}  `)
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
