// A wire story and floods of its copies, shared by the flood tests. Synthetic text only.
import type { Article } from '../../src/analyze.js'

export const WIRE = [
  'The Larchmont Harbour Authority on Tuesday approved a 412 million dollar expansion of its eastern container terminal, ending two years of dispute with fishing cooperatives over dredging in the bay.',
  'Under the plan, the terminal will add four deep-water berths and raise its yearly capacity to 1.9 million containers by 2029, authority chairwoman Petra Vandermeer told reporters after the vote.',
  'The fishing cooperatives had argued that dredging would destroy the oyster beds north of the breakwater. The authority agreed to fund a 38 million dollar restoration programme and to halt dredging during the spawning season.',
  'Shipping lines welcomed the decision, saying congestion at the existing quays had forced vessels to wait up to six days for a berth last winter.',
  'Construction is expected to begin in the spring, with the first two berths opening in late 2027, the authority said in a statement.',
].join('\n\n')

const pad = (i: number) => String(i).padStart(5, '0')
export const exactCopies = (n: number): Article[] => Array.from({ length: n }, (_, i) => ({ id: `copy-${pad(i)}`, text: WIRE }))
const OUTLETS = ['Courier', 'Gazette', 'Herald', 'Observer', 'Tribune', 'Sentinel', 'Chronicle', 'Post']
/** Near-copies: each outlet puts its own headline line above the wire text. */
export const nearCopies = (n: number): Article[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `near-${pad(i)}`,
    text: `${OUTLETS[i % OUTLETS.length]} edition ${i}: harbour vote, reader desk ${(i * 7919) % 1000}\n\n${WIRE}`,
  }))
