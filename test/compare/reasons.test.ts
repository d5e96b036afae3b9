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
  it('call two stories of one place and day unrelated when only their names and the day are shared', () => {
    const a =
      'Farmers drove hundreds of tractors onto motorways near Utrecht on Tuesday in protest at nitrogen rules, ' +
      'blocking traffic for several hours, police said. It was the largest protest this year, organisers said, and ' +
      'more blockades were planned near The Hague later in the week. Farm groups say the rules, meant to cut ' +
      'emissions near nature reserves, would force thousands of livestock farms in the Netherlands to close.'
    const b =
      'House prices in the Netherlands rose 4.1 percent in the third quarter from a year earlier, the statistics ' +
      'office said on Tuesday, the fastest pace in two years. Prices climbed most in Utrecht and The Hague, where few ' +
      'new homes have been built. Economists expect mortgage rates to ease next year, which could push prices higher still.'
    const c = compare(analysedText(a), analysedText(b))
    expect(c.anchorJaccard).toBeGreaterThan(0.5) // Utrecht, The Hague, the Netherlands, Tuesday
    expect(c.relation).toBe('unrelated')
    expect(c.reason).toMatch(/^little in common: .* of content words and \d+% of names and figures shared/)
  })
})

describe('the verbatim share in a reason', () => {
  it('says apart the quotes taken word for word, which the verbatim runs leave out', () => {
    const quote = '"We will not leave the port until the owners pay what they owe us," said Mira Sallen.'
    const text = [
      'Dock workers in Varnholm walked out on Tuesday over unpaid wages.',
      quote,
      '"Every crane stands still and every ship waits," she added.',
      '"This is the third month without pay for four hundred families," Sallen told reporters.',
      'The port authority said talks would resume on Thursday.',
    ].join('\n\n')
    const c = compare(analysedText(text), analysedText(text.split('\n\n').slice(0, 4).join('\n\n')))
    // A truncated reprint, all of it verbatim, most of it quotes.
    expect(c.reason).toMatch(/\d+% of its words in verbatim runs \(longest \d+\), \d+% more in quotes shared word for word/)
  })
})
