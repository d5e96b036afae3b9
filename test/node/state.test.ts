// The index state file (version 2: 'WTST', the version, the payload's length and CRC-32, then
// gzipped JSON) read through loadState: every kind of damage is CORRUPT_DATA, an unknown version
// UNSUPPORTED_VERSION, and each message names the file and what is wrong with it. The CLI's view
// of the same files is in test/cli/index-faults.test.ts.
import { readFileSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import type { WiretraceErrorCode } from '../../src/errors.js'
import { loadState, saveState } from '../../src/node/state.js'
import { ByteWriter, closeFrame, openFrame } from '../../src/sketch/serialize.js'
import { expectRejects, type MessagePart } from '../helpers/errors.js'
import { scratchDir } from '../helpers/files.js'

const scratch = scratchDir('wiretrace-state-')
afterAll(() => scratch.remove())

const entries = [
  { article: { id: 'a', text: 'Rebels captured the Syrian city of Homs on Sunday.' }, indexedAt: '2024-12-08T08:00:00.000Z' },
  { article: { id: 'b', text: 'Stocks rose on Wall Street on Monday.', source: 'wire' }, indexedAt: '2024-12-09T08:00:00.000Z' },
]

/** A version-2 file around `payload`, with a matching length and checksum (as the writer frames it). */
function framed(payload: Uint8Array, version = 2): Buffer {
  const w = new ByteWriter()
  w.u32(0x54535457)
  w.u8(version)
  const at = openFrame(w)
  w.raw(payload)
  return Buffer.from(closeFrame(w, at))
}

const document = (doc: unknown) => framed(gzipSync(JSON.stringify(doc)))

async function expectLoadError(name: string, bytes: Buffer | string, code: WiretraceErrorCode, ...parts: MessagePart[]) {
  const path = scratch.file(name, bytes)
  const err = await expectRejects(loadState(path), code, path, ...parts)
  // The file is left as it was: a damaged index is for the user to look at, not to overwrite.
  expect(readFileSync(path).equals(Buffer.from(bytes))).toBe(true)
  return err
}

describe('loadState: a version-2 index', () => {
  it('reads what saveState wrote, and a missing file as an empty index', async () => {
    const path = scratch.file('good.idx')
    await saveState(path, entries)
    expect(readFileSync(path).subarray(0, 5)).toEqual(Buffer.from([0x57, 0x54, 0x53, 0x54, 2]))
    expect(await loadState(path)).toEqual({ format: 'wiretrace/state', version: 2, entries })
    expect((await loadState(scratch.file('none.idx'))).entries).toEqual([])
  })

  it('truncated anywhere: CORRUPT_DATA naming the file and the byte it stops at', async () => {
    const path = scratch.file('whole.idx')
    await saveState(path, entries)
    const bytes = readFileSync(path)
    await expectLoadError('cut-magic.idx', bytes.subarray(0, 3), 'CORRUPT_DATA', 'is not a wiretrace index file')
    await expectLoadError('cut-version.idx', bytes.subarray(0, 4), 'CORRUPT_DATA', 'is truncated at byte 4')
    await expectLoadError('cut-length.idx', bytes.subarray(0, 7), 'CORRUPT_DATA', 'is truncated at byte 5')
    await expectLoadError('cut-crc.idx', bytes.subarray(0, 11), 'CORRUPT_DATA', 'is truncated at byte 9')
    for (const at of [13, 20, bytes.length - 1]) {
      await expectLoadError(
        `cut-${at}.idx`,
        bytes.subarray(0, at),
        'CORRUPT_DATA',
        `is damaged: truncated at byte ${at} (needs ${bytes.length - at} more)`,
      )
    }
    await expectLoadError(
      'long.idx',
      Buffer.concat([bytes, Buffer.from('xx')]),
      'CORRUPT_DATA',
      `2 unexpected trailing bytes after byte ${bytes.length}`,
    )
  })

  it('an empty file or a bad magic: CORRUPT_DATA, not a wiretrace index file', async () => {
    const path = scratch.file('magic.idx')
    await saveState(path, entries)
    const bytes = readFileSync(path)
    await expectLoadError('empty.idx', Buffer.alloc(0), 'CORRUPT_DATA', 'is not a wiretrace index file')
    for (const at of [0, 3]) {
      const bad = Buffer.from(bytes)
      bad[at] = (bad[at] as number) ^ 0x01
      await expectLoadError(`magic-${at}.idx`, bad, 'CORRUPT_DATA', "is not a wiretrace index file (no 'WTST' header")
    }
  })

  it('a version this build does not read: UNSUPPORTED_VERSION naming it and the versions it reads', async () => {
    const payload = gzipSync(JSON.stringify({ format: 'wiretrace/state', version: 2, entries: [] }))
    for (const v of [3, 255]) {
      await expectLoadError(
        `v${v}.idx`,
        framed(payload, v),
        'UNSUPPORTED_VERSION',
        `index version ${v} is not supported (this build reads 1 and 2)`,
      )
    }
    // Only version 2 has a header: a header with an older version is no index any build wrote.
    for (const v of [0, 1]) {
      const err = await expectLoadError(`h${v}.idx`, framed(payload, v), 'CORRUPT_DATA', `its 'WTST' header says version ${v}`)
      expect(err.message).not.toContain('this build reads 1')
    }
  })

  it('a damaged byte in the payload: CORRUPT_DATA naming the byte range whose checksum fails', async () => {
    const path = scratch.file('flip.idx')
    await saveState(path, entries)
    const bytes = readFileSync(path)
    for (const at of [13, bytes.length - 1]) {
      const bad = Buffer.from(bytes)
      bad[at] = (bad[at] as number) ^ 0x40
      await expectLoadError(
        `flip-${at}.idx`,
        bad,
        'CORRUPT_DATA',
        `is damaged: the checksum of bytes 13-${bytes.length} does not match`,
      )
    }
    const crc = Buffer.from(bytes)
    crc[9] = (crc[9] as number) ^ 0x01 // the stored checksum itself
    await expectLoadError('flip-crc.idx', crc, 'CORRUPT_DATA', 'does not match')
  })

  it('a payload with a good checksum that is not gzip, or gzip that is not JSON: CORRUPT_DATA', async () => {
    await expectLoadError(
      'plain.idx',
      framed(Buffer.from('{"format":"wiretrace/state"}')),
      'CORRUPT_DATA',
      'is damaged: the payload from byte 13 is not gzipped JSON (',
    )
    const gz = gzipSync(JSON.stringify({ format: 'wiretrace/state', version: 2, entries: [] }))
    await expectLoadError(
      'gzip-cut.idx',
      framed(gz.subarray(0, gz.length - 6)),
      'CORRUPT_DATA',
      'the payload from byte 13 is not gzipped JSON',
    )
    await expectLoadError(
      'gzip-text.idx',
      framed(gzipSync('{"format": ')),
      'CORRUPT_DATA',
      'the payload from byte 13 is not gzipped JSON',
    )
  })

  it('gzipped JSON that is not a version-2 state document: CORRUPT_DATA saying which part is wrong', async () => {
    const not = 'is damaged: the payload is not a version-2 wiretrace/state document'
    await expectLoadError('null.idx', document(null), 'CORRUPT_DATA', not)
    await expectLoadError('other.idx', document({ format: 'something/else', version: 2, entries: [] }), 'CORRUPT_DATA', not)
    await expectLoadError('inner-v1.idx', document({ format: 'wiretrace/state', version: 1, entries: [] }), 'CORRUPT_DATA', not)
    const doc = (e: unknown) => document({ format: 'wiretrace/state', version: 2, entries: e })
    await expectLoadError('entries.idx', doc({}), 'CORRUPT_DATA', '"entries" is not a list, got an object')
    await expectLoadError('entry.idx', doc([entries[0], 7]), 'CORRUPT_DATA', 'entries[1] is 7, not an entry')
    await expectLoadError(
      'date.idx',
      doc([{ ...entries[0], indexedAt: 'yesterday' }]),
      'CORRUPT_DATA',
      'entries[0].indexedAt is "yesterday", not an ISO date',
    )
    const noText = doc([{ article: { id: 'x' }, indexedAt: '2024-12-08T08:00:00.000Z' }])
    // The record reader's error, as for an input line: the file and the entry.
    await expectLoadError('article.idx', noText, 'INPUT_ERROR', 'article.idx: entries[0].article: record has no "text" field')
  })
})

describe('loadState: a damaged version-1 index (gzipped JSON, no header)', () => {
  it('gzip that does not inflate: CORRUPT_DATA saying it may be a damaged version-1 index', async () => {
    const gz = gzipSync(JSON.stringify({ format: 'wiretrace/state', version: 1, articles: [] }))
    await expectLoadError(
      'v1-cut.idx',
      gz.subarray(0, 20),
      'CORRUPT_DATA',
      'is a gzip file that does not inflate (',
      'if it is a version-1 wiretrace index, it is damaged',
    )
    const bad = Buffer.from(gz)
    bad[gz.length - 5] = (bad[gz.length - 5] as number) ^ 0xff // the gzip trailer's length
    await expectLoadError('v1-trailer.idx', bad, 'CORRUPT_DATA', 'is a gzip file that does not inflate (')
  })

  it('a version-1 document cut inside its JSON: CORRUPT_DATA, invalid JSON', async () => {
    const json = JSON.stringify({ format: 'wiretrace/state', version: 1, articles: [{ id: 'a', text: 'x' }] })
    await expectLoadError('v1-json.idx', gzipSync(json.slice(0, 40)), 'CORRUPT_DATA', 'is damaged: invalid JSON (')
  })
})

it('writes an index whose damage loadState finds (the round trip through a file)', async () => {
  const path = scratch.file('trip.idx')
  await saveState(path, entries)
  const bytes = readFileSync(path)
  bytes[bytes.length - 3] = (bytes[bytes.length - 3] as number) ^ 0x10
  writeFileSync(path, bytes)
  await expectRejects(loadState(path), 'CORRUPT_DATA', `wiretrace index ${path} is damaged`)
})
