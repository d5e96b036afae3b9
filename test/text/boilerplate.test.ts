import { describe, expect, it } from 'vitest'
import { analyze } from '../../src/index.js'

const removedBy = (text: string, rule: string): string[] => {
  const r = analyze({ id: 'a', text })
  return r.removed.filter((x) => x.rule === rule).map((x) => x.text)
}

describe('share-links rule', () => {
  it.each(['x', 'X', 'a', 'ok', 'Xi'])('keeps the short real text %j (not boilerplate-only)', (text) => {
    const r = analyze({ id: 'a', text })
    expect(r.status).toBe('ok')
    expect(r.removed).toEqual([])
  })

  it('keeps a one-letter paragraph inside an article', () => {
    expect(removedBy('The vote was close.\n\nX\n\nThe count ends on Monday.', 'share-links')).toEqual([])
  })

  it.each([
    'Share',
    'Share this article',
    'Share on X',
    'share on twitter',
    'Facebook',
    'Email',
    'Facebook | X | Email',
    'x | twitter',
  ])('still removes the share line %j', (line) => {
    expect(removedBy(`The vote was close and the count ends on Monday.\n\n${line}`, 'share-links')).toEqual([line])
    const alone = analyze({ id: 'a', text: line })
    expect(alone.status === 'skipped' && alone.reason).toBe('boilerplate-only')
  })
})
