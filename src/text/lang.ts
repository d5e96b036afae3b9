/**
 * Language identification. Placeholder until a measured choice of package is made:
 * returns undefined (unknown) so that callers treat language as not given.
 */
export function detectLanguage(_text: string): string | undefined {
  return undefined
}
