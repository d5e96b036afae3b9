import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { layoutJson } from '../../src/report/layout.js'
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
})
