import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { clusterArticles } from '../../src/cluster/cluster.js'
import { buildReport } from '../../src/report/index.js'
import { seed } from '../helpers/seeds.js'
import { handMadeResult, hostileReport, reportOf, seedReport } from './fixtures.js'
import { keywordsOf, type Schema, SUPPORTED, validate } from './json-schema.js'

// ajv is not installed (and no dependency may be added), so the schema is checked by the small
// validator in ./json-schema.ts, which implements exactly the keywords the schema uses.
const SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), '../../schema/report.schema.json')
const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Schema
/** A report as plain JSON, as a consumer would read it. */
const asJson = (x: unknown) => JSON.parse(JSON.stringify(x)) as Record<string, unknown>

describe('schema/report.schema.json', () => {
  it('is a draft 2020-12 schema for wiretrace/report version 5', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    const props = schema.properties as Record<string, Schema>
    expect(props.format?.const).toBe('wiretrace/report')
    expect(props.version?.const).toBe(5)
  })

  it('uses only keywords the test validator checks', () => {
    expect([...keywordsOf(schema)].filter((k) => !SUPPORTED.has(k))).toEqual([])
  })

  // Fails while src/text/boilerplate.ts reports the offsets of an inline rule with capture groups
  // (advert-notice, in 003) as strings: replace() passes the groups before the offset.
  it('accepts the seed report', () => {
    expect(validate(asJson(seedReport()), schema)).toEqual([])
  })

  it('accepts a report with markup in its data, a hand-made one, a stamped one and an empty one', () => {
    expect(validate(asJson(hostileReport()), schema)).toEqual([])
    expect(validate(asJson(buildReport(handMadeResult(), [], { generatedAt: new Date(0) })), schema)).toEqual([])
    expect(validate(asJson(buildReport(clusterArticles([]))), schema)).toEqual([])
  })

  it('accepts origin marks on members, singletons and skipped articles, and only new or stored', () => {
    const marked = asJson(buildReport(handMadeResult(), [], { stored: ['b'] }))
    expect(validate(marked, schema)).toEqual([])
    const singletons = marked.singletons as Record<string, unknown>[]
    expect(singletons.length).toBeGreaterThan(0)
    const bad = { ...marked, singletons: [{ ...singletons[0], origin: 'old' }] }
    expect(validate(bad, schema)).toEqual(['$.singletons[0].origin: "old" is not one of ["new","stored"]'])
  })

  describe('edge cases', () => {
    // 000 and 001 only: a small report that is valid whatever the seed report holds.
    const good = asJson(reportOf([seed('000'), seed('001')]))
    const cluster = (good.clusters as Record<string, unknown>[])[0] as Record<string, unknown>

    it('rejects another version, a missing field and an unknown field', () => {
      expect(validate({ ...good, version: 4 }, schema)).toEqual(['$.version: expected 5'])
      const { stats: _stats, ...noStats } = good
      expect(validate(noStats, schema)).toEqual(['$: missing required "stats"'])
      expect(validate({ ...good, extra: true }, schema)).toEqual(['$: unexpected property "extra"'])
    })

    it('rejects a bad relation, a ratio out of range and a wrong type deep inside', () => {
      const members = cluster.members as Record<string, unknown>[]
      const bad = {
        ...good,
        clusters: [{ ...cluster, members: [members[0], { ...members[1], relation: 'stolen', jaccard: 1.5 }] }],
      }
      expect(validate(bad, schema)).toEqual([
        '$.clusters[0].members[1].relation: "stolen" is not one of ["reference","duplicate","copy","rewrite","partial","translation","related","unrelated"]',
        '$.clusters[0].members[1].jaccard: 1.5 > 1',
      ])
      const offsets = {
        ...good,
        boilerplate: [
          { article: '004', removed: [{ kind: 'boilerplate', rule: 'x', scope: 'inline', text: '', start: '1', end: 2 }] },
        ],
      }
      expect(validate(offsets, schema)).toEqual(['$.boilerplate[0].removed[0].start: expected integer, got string'])
    })

    it('accepts compact member diffs only: a version 1 diff with both texts is refused', () => {
      const diff = cluster.diff as Record<string, unknown>
      const [first] = diff.diffs as Record<string, unknown>[]
      const { texts: _texts, ...v1 } = first as Record<string, unknown>
      const old = { ...good, clusters: [{ ...cluster, diff: { ...diff, version: 1, diffs: [{ ...v1, version: 1 }] } }] }
      expect(validate(old, schema)).toEqual([
        '$.clusters[0].diff.version: expected 2',
        '$.clusters[0].diff.diffs[0]: missing required "texts"',
        '$.clusters[0].diff.diffs[0].version: expected 2',
      ])
      const full = { ...good, clusters: [{ ...cluster, diff: { ...diff, diffs: [{ ...first, texts: 'full' }] } }] }
      expect(validate(full, schema)).toEqual(['$.clusters[0].diff.diffs[0].texts: expected "compact"'])
    })

    it('accepts diff: null but not a missing diff', () => {
      expect(validate({ ...good, clusters: [{ ...cluster, diff: null }] }, schema)).toEqual([])
      const { diff: _diff, ...noDiff } = cluster
      expect(validate({ ...good, clusters: [noDiff] }, schema)).toEqual(['$.clusters[0]: missing required "diff"'])
    })
  })
})
