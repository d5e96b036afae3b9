// The reason of a verdict names the evidence that decided it.
import { describe, expect, it } from 'vitest'
import { compare } from '../../src/compare/compare.js'
import { analysedText, bondNotice } from '../helpers/notices.js'

describe('reasons', () => {
  it('say that template notices kept apart share their wording but not their names and figures', () => {
    const c = compare(
      analysedText(bondNotice('Koval Finance', '150', '8-1/4', '101-1/2', 'Brandt Securities')),
      analysedText(bondNotice('Marlow Holdings', '200', '7-7/8', '101-1/4', 'Osterby Bank')),
    )
    expect(c.extent).toBe('none')
    expect(c.reason).toMatch(/^same wording, other facts: \d+% of its words in verbatim runs/)
    expect(c.reason).toMatch(/names and figures in its aligned sentences swapped/)
    expect(c.reason).not.toMatch(/independent text/)
  })

  it('keep "same story, independent text" for independent reports of one event', () => {
    const a =
      'Dock workers in Varnholm walked out on Tuesday over pay, union leader Mira Sallen said, after talks with ' +
      'the port authority broke down. About 1,200 workers joined the strike, which halted container traffic.'
    const b =
      'Container traffic at Varnholm stood still as some 1,200 dockers struck. Mira Sallen, who leads their ' +
      'union, blamed the port authority for ending negotiations; a spokesman for the authority declined to comment.'
    const c = compare(analysedText(a), analysedText(b))
    expect(c.relation).toBe('related')
    expect(c.reason).toMatch(/^same story, independent text: \d+ names and figures shared/)
  })
})
