// Property: whatever bytes, JSON or JSONL lines the CLI's input reader is given, every record ends
// as an article, a counted skip, or the read ends in a WiretraceError with a code. Never a raw
// exception, never a record lost without a count.
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { WiretraceError } from '../../src/errors.js'
import { type ReadOptions, type ReadResult, readArticles } from '../../src/node/io.js'
import { scratchDir } from '../helpers/files.js'

const scratch = scratchDir('wiretrace-input-prop-')
afterAll(() => scratch.remove())

let n = 0
/** Read `content` from a fresh file named *`ext`: the result, or the WiretraceError it threw. */
async function read(content: string | Uint8Array, ext: string, options: ReadOptions = {}): Promise<ReadResult | WiretraceError> {
  const path = scratch.file(`in-${n++}${ext}`, typeof content === 'string' ? content : Buffer.from(content))
  try {
    return await readArticles(path, options)
  } catch (e) {
    expect(e, String((e as Error)?.stack)).toBeInstanceOf(WiretraceError)
    expect((e as WiretraceError).code).toMatch(/^[A-Z_]+$/)
    return e as WiretraceError
  }
}

/** Lines of a JSONL input that hold something (blank lines are not records), decoded leniently. */
function recordLines(bytes: Uint8Array): number {
  const decoder = new TextDecoder()
  let count = 0
  let from = 0
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      if (decoder.decode(bytes.subarray(from, i)).trim() !== '') count++
      from = i + 1
    }
  }
  return count
}

const records = (r: ReadResult) => r.articles.length + r.skipped.length

const recordLike = fc.record(
  {
    id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    text: fc.oneof(fc.string(), fc.lorem(), fc.integer()),
    publishedAt: fc.oneof(fc.constant('3-MAR-1987 04:23:44.53'), fc.constant('2024-01-02T10:00:00Z'), fc.string()),
    source: fc.oneof(fc.string(), fc.integer()),
  },
  { requiredKeys: [] },
)
const line = fc.oneof(
  recordLike.map((r) => JSON.stringify(r)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
  fc.constant(''),
)

describe('the input reader on arbitrary input', () => {
  it('arbitrary bytes, as .jsonl (plain and gzipped), .json and .txt', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.boolean(), async (bytes, skipBadLines) => {
        for (const [content, ext] of [
          [bytes, '.jsonl'],
          [gzipSync(bytes), '.jsonl.gz'],
          [bytes, '.jsonl.gz'], // not gzip at all
          [bytes, '.json'],
          [bytes, '.txt'],
        ] as const) {
          const r = await read(content, ext, { skipBadLines })
          if (r instanceof WiretraceError) continue
          if (ext === '.txt') expect(records(r)).toBe(1)
          else if (ext !== '.json') expect(records(r)).toBe(recordLines(bytes))
        }
        // With skipBadLines, only an input with no records (or UTF-16 read as UTF-8) ends the read.
        const r = await read(bytes, '.jsonl', { skipBadLines: true })
        if (r instanceof WiretraceError) expect(r.message).toMatch(/no articles in|UTF-16/)
        else expect(records(r)).toBe(recordLines(bytes))
      }),
      { numRuns: 150 },
    )
  })

  it('arbitrary JSON documents: one record per array element (or the one value)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.array(recordLike)), async (value) => {
        const r = await read(JSON.stringify(value), '.json')
        if (r instanceof WiretraceError) return
        expect(records(r)).toBe(Array.isArray(value) ? value.length : 1)
        expect(r.places).toHaveLength(r.articles.length)
      }),
      { numRuns: 150 },
    )
  })

  it('arbitrary JSONL lines: with --skip-bad-lines every line that holds something is an article or a counted skip', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), async (lines, eol) => {
        const content = Buffer.from(lines.join(eol))
        const strict = await read(content, '.jsonl')
        const lenient = await read(content, '.jsonl', { skipBadLines: true })
        const expected = recordLines(content)
        if (lenient instanceof WiretraceError) expect(expected).toBe(0)
        else {
          expect(records(lenient)).toBe(expected)
          for (const s of lenient.skipped) expect(s.where).toMatch(/\.jsonl:\d+$/)
        }
        // Without the flag a read either takes every record, or stops with a code.
        if (!(strict instanceof WiretraceError)) expect(records(strict)).toBe(expected)
      }),
      { numRuns: 200 },
    )
  })
})
