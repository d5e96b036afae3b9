import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { layoutJson, layoutJsonPieces } from '../../src/report/layout.js'
import { seedReport } from './fixtures.js'

describe('layoutJson (the CLI’s JSON report layout)', () => {
  it('writes the same value as JSON.stringify, whatever the value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(JSON.parse(layoutJson(v))).toEqual(JSON.parse(JSON.stringify(v)))
      }),
    )
    const report = seedReport()
    expect(JSON.parse(layoutJson(report))).toEqual(JSON.parse(JSON.stringify(report)))
  })

  it('indents down to the records, and writes each record, each list of ids and each summary on one line', () => {
    const value = {
      format: 'x',
      stats: { a: 1, b: 2 },
      clusters: [
        {
          kind: 'cluster',
          members: [{ id: 'a', spans: [[0, 1]] }],
          diff: {
            members: ['a', 'b'],
            languages: { a: 'en' },
            diffs: [
              {
                summary: { n: 1, counts: { kept: 2 } },
                paragraphs: [{ status: 'kept', changes: [{ op: 'equal', text: 'a' }] }],
                boilerplate: { reference: [{ rule: 'r' }], copy: [] },
              },
            ],
          },
        },
      ],
      links: [{ a: 'a', passages: [{ a: { start: 0 } }] }],
      empty: [],
    }
    expect(layoutJson(value)).toBe(
      [
        '{',
        '  "format": "x",',
        '  "stats": {',
        '    "a": 1,',
        '    "b": 2',
        '  },',
        '  "clusters": [',
        '    {',
        '      "kind": "cluster",',
        '      "members": [',
        '        {"id":"a","spans":[[0,1]]}',
        '      ],',
        '      "diff": {',
        '        "members": ["a","b"],',
        '        "languages": {"a":"en"},',
        '        "diffs": [',
        '          {',
        '            "summary": {"n":1,"counts":{"kept":2}},',
        '            "paragraphs": [',
        '              {"status":"kept","changes":[{"op":"equal","text":"a"}]}',
        '            ],',
        '            "boilerplate": {"reference":[{"rule":"r"}],"copy":[]}',
        '          }',
        '        ]',
        '      }',
        '    }',
        '  ],',
        '  "links": [',
        '    {"a":"a","passages":[{"a":{"start":0}}]}',
        '  ],',
        '  "empty": []',
        '}',
        '',
      ].join('\n'),
    )
  })

  it('comes in pieces of about a megabyte that join into the layout', () => {
    // 3,000 records of about 1 KB: a few pieces, each closed once it passes a megabyte.
    const records = Array.from({ length: 3000 }, (_, i) => ({ id: `m${i}`, text: `${'wire text '.repeat(100)}😀` }))
    const value = { kind: 'cluster', members: records, links: [] }
    const pieces = layoutJsonPieces(value)
    expect(pieces.join('')).toBe(layoutJson(value))
    expect(JSON.parse(pieces.join(''))).toEqual(value)
    expect(pieces.length).toBe(Math.ceil(pieces.join('').length / (1 << 20)))
    for (const p of pieces.slice(0, -1)) {
      expect(p.length).toBeGreaterThanOrEqual(1 << 20)
      expect(p.length).toBeLessThan((1 << 20) + 1200)
    }
    expect(layoutJsonPieces(null)).toEqual(['null\n'])
    // Keys JSON leaves out are left out, and an object of nothing but those is empty.
    expect(layoutJson({ a: undefined, b: [1, { c: () => 1 }], d: { e: undefined } })).toBe(
      '{\n  "b": [\n    1,\n    {}\n  ],\n  "d": {}\n}\n',
    )
  })

  it('writes a record shared by several arrays each time, and past the records it remembers', () => {
    // diffMembers makes a flood's alike rows one object; the layout remembers a record's JSON by
    // object, a bounded number at a time: 10,000 distinct rows between two uses of a shared one.
    const kept = { status: 'kept', reference: [1], copy: [1] }
    const diffs = Array.from({ length: 10_000 }, (_, i) => ({
      copy: `m${i}`,
      paragraphs: [{ status: 'edited', reference: [0], copy: [0], copyText: `headline ${i}` }, kept],
    }))
    const value = { diff: { diffs } }
    const text = layoutJson(value)
    expect(text).toBe(layoutJson(JSON.parse(JSON.stringify(value))))
    expect(JSON.parse(text)).toEqual(value)
    expect(text.split('{"status":"kept","reference":[1],"copy":[1]}').length - 1).toBe(10_000)
    // A shared record changed between two layouts is written as it is now.
    kept.status = 'moved'
    expect(JSON.parse(layoutJson(value)).diff.diffs[9_999].paragraphs[1].status).toBe('moved')
  })
})
