import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A private temporary directory for a test file's inputs and outputs. */
export interface Scratch {
  dir: string
  /** The path of `name` in the directory, written first when `content` is given. */
  file(name: string, content?: string | Buffer): string
  remove(): void
}

export function scratchDir(prefix: string): Scratch {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return {
    dir,
    file(name, content) {
      const path = join(dir, name)
      if (content !== undefined) writeFileSync(path, content)
      return path
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** Records as JSON Lines, one a line, with a final newline. */
export const jsonl = (records: unknown[]): string => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`
