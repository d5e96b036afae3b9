import { describe, expect, it } from 'vitest'
import { parsePublishedAt } from '../src/date.js'

const iso = (s: string) => {
  const t = parsePublishedAt(s)
  return Number.isNaN(t) ? 'refused' : new Date(t).toISOString()
}

describe('parsePublishedAt', () => {
  it('reads ISO 8601 with or without a zone (none is UTC), RFC 2822 and the Reuters form', () => {
    expect(iso('2024-03-05')).toBe('2024-03-05T00:00:00.000Z')
    expect(iso('2024-03-05T14:30:00')).toBe('2024-03-05T14:30:00.000Z')
    expect(iso('2024-03-05 14:30+01:00')).toBe('2024-03-05T13:30:00.000Z')
    expect(iso('2024-03-05T14:30:00.25-0500')).toBe('2024-03-05T19:30:00.250Z')
    expect(iso('Tue, 05 Mar 2024 14:30:00 GMT')).toBe('2024-03-05T14:30:00.000Z')
    expect(iso('5 Mar 2024 14:30:00 +0200')).toBe('2024-03-05T12:30:00.000Z')
    expect(iso('3-MAR-1987 04:23:44.53')).toBe('1987-03-03T04:23:44.530Z')
    expect(iso('26-feb-1987 15:01:01.79')).toBe('1987-02-26T15:01:01.790Z')
    expect(iso('3-MAR-1987')).toBe('1987-03-03T00:00:00.000Z')
  })

  it('refuses what Date.parse would guess at, and dates that do not exist', () => {
    for (const s of [
      '1',
      'last Tuesday',
      'March 3 1987',
      '2024-02-30',
      '2024-13-01',
      '3-FOO-1987',
      '2024-03-05T25:00',
      'Tue, 05 Mar 2024 14:30:00',
      '',
    ]) {
      expect(iso(s), s).toBe('refused')
    }
  })
})
