import { mulberry32 } from '../../bench/generate.js'
import type { Article } from '../../src/analyze.js'

/** A synthetic base corpus for the generator: pseudo-words with English function words, so tests never need Reuters. */
export function syntheticBase(count: number, seed = 42): Article[] {
  const rnd = mulberry32(seed)
  const int = (n: number) => Math.floor(rnd() * n)
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'ne', 'dri', 'pul', 'sen', 'gor', 'bel', 'fin', 'tor', 'que', 'shi']
  const vocab = new Set<string>()
  while (vocab.size < 3000) {
    let w = ''
    for (let s = 1 + int(3); s > 0; s--) w += syllables[int(syllables.length)]
    if (w.length > 2) vocab.add(w)
  }
  const words = [...vocab]
  const fn = ['the', 'of', 'and', 'to', 'in', 'said', 'a', 'for', 'on', 'with']
  // Zipf-ish: rank r with weight 1/(r+1)
  const word = () => words[Math.floor(words.length ** rnd()) - 1] as string
  const sentence = () => {
    const n = 7 + int(9)
    const out: string[] = []
    for (let i = 0; i < n; i++) out.push(rnd() < 0.35 ? (fn[int(fn.length)] as string) : word())
    if (rnd() < 0.3) out.push(String(1 + int(999)))
    const s = out.join(' ')
    return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`
  }
  const articles: Article[] = []
  for (let a = 0; a < count; a++) {
    const title = Array.from({ length: 4 + int(4) }, word)
      .join(' ')
      .toUpperCase()
    const paragraphs = [title]
    const body = a % 7 === 0 ? 1 + int(2) : 3 + int(7)
    for (let p = 0; p < body; p++) paragraphs.push(Array.from({ length: 1 + int(3) }, sentence).join(' '))
    articles.push({ id: `syn-${a}`, text: paragraphs.join('\n\n') })
  }
  return articles
}
