import type { Article } from '../../src/analyze.js'

/** Eight short stories on eight subjects, written for the tests: no two share a story. */
export const EIGHT_STORIES: Article[] = [
  'The city council of Lindorf voted on Tuesday to close the old harbour bridge for repairs. Engineers found rust in the main girders. Traffic will move to the northern ring road until March.',
  'A farmer in the Vell valley harvested a pumpkin weighing 612 kilograms, a regional record. He fed it milk and shade cloth all summer. The county fair gave him a blue ribbon and a tractor voucher.',
  'Shares in Orbex Mining fell nine percent after the company cut its copper forecast. Heavy rain flooded two pits in the south. Analysts said output would recover by the third quarter.',
  'The national chess championship ended in a draw between the two grandmasters after eleven hours. Both players refused a rematch. The federation will split the prize money equally.',
  'Doctors at Saint Aldric hospital performed the first hand transplant in the province. The patient lost both hands in a factory accident two years ago. She is recovering well, surgeons said.',
  'A storm with winds of 140 kilometres an hour tore roofs from homes on the Karst islands overnight. Ferries were cancelled and schools stayed shut. No one was hurt, the coast guard said.',
  'The museum of modern art reopened its east wing with a show of woven tapestries from the 1920s. Curators spent four years restoring the works. Tickets sold out within a day.',
  'Police arrested three men suspected of stealing rare orchids from the botanical garden. The plants were found in a van near the border. The garden says some species are worth thousands.',
].map((text, i) => ({ id: `story-${i}`, text }))
