/**
 * Edit distance of two strings: insertions, deletions, substitutions and swaps of two adjacent
 * characters each cost 1 (optimal string alignment). A swap counts once because `--fromat` is
 * one slip of the fingers, not two.
 */
export function editDistance(a: string, b: string): number {
  // Three rows of the table are enough: a swap looks two rows back.
  let before: number[] = []
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] as number) + 1)
      row.push(d)
    }
    before = previous
    previous = row
  }
  return previous[b.length] as number
}

/**
 * The candidate closest to `word`, if it is close enough to be what was meant: at most one edit
 * for a word of up to three characters, two for a longer one (a short word is a short distance
 * from too much). Ties go to the earlier candidate.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = word.length <= 3 ? 1 : 2
  let best: string | undefined
  let bestDistance = limit + 1
  for (const c of candidates) {
    const d = editDistance(word, c)
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  return best
}
