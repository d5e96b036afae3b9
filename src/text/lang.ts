import { argString, WiretraceError } from '../errors.js'
import { FNV_SEED, fnvStep, hashChars, mix32 } from '../sketch/hash.js'

/**
 * Language identification, cheap enough to run on every paragraph.
 *
 * Three stages, cheapest first; each answers only when it is sure, and `undefined` means "cannot
 * tell" (`analyze` then gives a paragraph its document's language):
 *
 * 1. **Script.** Letters are counted by script over the first {@link SCAN_LIMIT} characters. Fewer
 *    than {@link MIN_LETTERS} letters: `undefined`. A script that one language dominates names it
 *    (Hangul → ko, kana → ja, Han alone → zh, Greek → el, Hebrew → he, Thai → th, …). Arabic script is
 *    split by the letters only Urdu, Pashto, Kurdish or Persian use (none of them → ar); Cyrillic by
 *    the letters only Kazakh, Belarusian, Ukrainian, Macedonian or Serbian use.
 * 2. **Function words.** In Latin and Cyrillic text the most frequent function words of 23
 *    languages vote (plus 5 "decoy" languages, close relatives whose win means "ask the model").
 *    The language with the most wins if it has {@link MIN_VOTES} and, against every other language,
 *    its own words (not shared with that language) outnumber twice that language's own words.
 * 3. **n-gram model** (`tinyld`; its light model imports in 49 ms instead of 179 ms but called Latvian prose English), only for prose the first two leave open: at least
 *    {@link MIN_LETTERS_MODEL} letters, letters three quarters of the non-space characters. Its
 *    answer counts if its score is 1.5 times the runner-up's.
 *
 * On NTREX (en, es, fr, de, ar) stages 1–2 name 100% of documents and 90% of lines, 99.9% of them
 * correctly; shorter or mixed lines get `undefined`. See bench/lang.ts.
 */

/** Texts with fewer letters than this get `undefined`. */
export const MIN_LETTERS = 12
/** Texts with fewer letters than this that stages 1–2 leave open get `undefined` rather than a model guess. */
export const MIN_LETTERS_MODEL = 200
/** Characters looked at: the language of a document is clear long before its end. */
export const SCAN_LIMIT = 400
/** Function words the winning language needs in the text. */
export const MIN_VOTES = 3
const MODEL_SAMPLE = 200
const MODEL_MARGIN = 1.5

// Scripts. Index into the counts array.
enum S {
  Other,
  Latin,
  Cyrillic,
  Greek,
  Armenian,
  Hebrew,
  Arabic,
  Devanagari,
  Bengali,
  Gurmukhi,
  Gujarati,
  Oriya,
  Tamil,
  Telugu,
  Kannada,
  Malayalam,
  Sinhala,
  Thai,
  Lao,
  Tibetan,
  Myanmar,
  Georgian,
  Hangul,
  Ethiopic,
  Khmer,
  Kana,
  Han,
  Thaana,
  Count,
}

/** Scripts that one language dominates so clearly that the script names it. */
const SCRIPT_LANG: Partial<Record<S, string>> = {
  [S.Greek]: 'el',
  [S.Armenian]: 'hy',
  [S.Hebrew]: 'he',
  [S.Bengali]: 'bn',
  [S.Gurmukhi]: 'pa',
  [S.Gujarati]: 'gu',
  [S.Oriya]: 'or',
  [S.Tamil]: 'ta',
  [S.Telugu]: 'te',
  [S.Kannada]: 'kn',
  [S.Malayalam]: 'ml',
  [S.Sinhala]: 'si',
  [S.Thai]: 'th',
  [S.Lao]: 'lo',
  [S.Tibetan]: 'bo',
  [S.Myanmar]: 'my',
  [S.Georgian]: 'ka',
  [S.Hangul]: 'ko',
  [S.Ethiopic]: 'am',
  [S.Khmer]: 'km',
  [S.Thaana]: 'dv',
}

function scriptOf(c: number): S {
  if (c < 0x80) return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a ? S.Latin : S.Other
  if (c < 0x250) return c >= 0xc0 && c !== 0xd7 && c !== 0xf7 ? S.Latin : S.Other
  if (c < 0x370) return c >= 0x300 ? S.Other : S.Latin // IPA, modifiers; combining marks count as nothing
  if (c < 0x400) return S.Greek
  if (c < 0x530) return S.Cyrillic
  if (c < 0x590) return S.Armenian
  if (c < 0x600) return S.Hebrew
  if (c < 0x700) return isArabicLetter(c) ? S.Arabic : S.Other
  if (c < 0x780) return c >= 0x750 ? S.Arabic : S.Other // 0700–074F Syriac: not handled
  if (c < 0x7c0) return S.Thaana
  if (c < 0x900) return c >= 0x8a0 ? S.Arabic : S.Other
  if (c < 0xe00) {
    if (c < 0x980) return S.Devanagari
    if (c < 0xa00) return S.Bengali
    if (c < 0xa80) return S.Gurmukhi
    if (c < 0xb00) return S.Gujarati
    if (c < 0xb80) return S.Oriya
    if (c < 0xc00) return S.Tamil
    if (c < 0xc80) return S.Telugu
    if (c < 0xd00) return S.Kannada
    if (c < 0xd80) return S.Malayalam
    return S.Sinhala
  }
  if (c < 0xe80) return S.Thai
  if (c < 0xf00) return S.Lao
  if (c < 0x1000) return S.Tibetan
  if (c < 0x10a0) return S.Myanmar
  if (c < 0x1100) return S.Georgian
  if (c < 0x1200) return S.Hangul
  if (c < 0x1380) return S.Ethiopic
  if (c >= 0x1780 && c < 0x1800) return S.Khmer
  if (c >= 0x1e00 && c < 0x1f00) return S.Latin
  if (c >= 0x1f00 && c < 0x2000) return S.Greek
  if (c >= 0x3040 && c < 0x3100) return c === 0x30fb || c === 0x30fc ? S.Other : S.Kana
  if ((c >= 0x3400 && c < 0x4dc0) || (c >= 0x4e00 && c < 0xa000) || (c >= 0xf900 && c < 0xfb00)) return S.Han
  if (c >= 0xac00 && c < 0xd7b0) return S.Hangul
  if (c >= 0x3130 && c < 0x3190) return S.Hangul
  if (c >= 0xfb50 && c < 0xfe00) return S.Arabic
  if (c >= 0xfe70 && c < 0xff00) return S.Arabic
  if (c >= 0xff21 && c < 0xff5b) return S.Latin // full-width Latin
  return S.Other
}

function isArabicLetter(c: number): boolean {
  // Letters 0620–064A, 066E–06D3, 06D5, 06EE–06FF; not digits, punctuation or harakat.
  return (
    (c >= 0x620 && c <= 0x64a) ||
    (c >= 0x66e && c <= 0x6d3) ||
    c === 0x6d5 ||
    (c >= 0x6ee && c <= 0x6ff && (c < 0x6f0 || c > 0x6f9))
  )
}

// Arabic-script letters used by one language family and not by Arabic.
const URDU = new Set([0x679, 0x688, 0x691, 0x6ba, 0x6be, 0x6c1, 0x6d2]) // ٹ ڈ ڑ ں ھ ہ ے
const PASHTO = new Set([0x67c, 0x681, 0x685, 0x689, 0x693, 0x696, 0x69a, 0x6ab, 0x6bc, 0x6cd, 0x6d0]) // ټ ځ څ ډ ړ ږ ښ ګ ڼ ۍ ې
const KURDISH = new Set([0x695, 0x6b5, 0x6c6, 0x6ce, 0x6d5]) // ڕ ڵ ۆ ێ ە
const PERSIAN = new Set([0x67e, 0x686, 0x698, 0x6af, 0x6a9, 0x6cc]) // پ چ ژ گ ک ی

function arabicScriptLanguage(text: string, end: number): string {
  let ur = 0
  let ps = 0
  let ku = 0
  let fa = 0
  let words = 0
  let al = 0
  let prev = 0x20
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x600) {
      prev = c
      continue
    }
    if (URDU.has(c)) ur++
    else if (PASHTO.has(c)) ps++
    else if (KURDISH.has(c)) ku++
    else if (PERSIAN.has(c)) fa++
    if (!(prev >= 0x600 && prev < 0x700) && isArabicLetter(c)) {
      words++
      // The article ال (alef or alef-with-hamza-wasla, then lam) opens a quarter of Arabic words and few Persian ones.
      if ((c === 0x627 || c === 0x671) && text.charCodeAt(i + 1) === 0x644) al++
    }
    prev = c
  }
  if (ur >= 2 && ur >= ps && ur >= ku) return 'ur'
  if (ps >= 2 && ps >= ku) return 'ps'
  if (ku >= 2) return 'ku'
  if (fa >= 2 && al < 0.1 * words) return 'fa'
  return 'ar'
}

/** Cyrillic letters that single out a language (checked in this order). */
const CYRILLIC_MARKS: [string, RegExp][] = [
  ['kk', /[әғқұ]/i],
  ['be', /[ўЎ]/],
  ['uk', /[ієїґІЄЇҐ]/],
  ['mk', /[ѓќѕЃЌЅ]/],
  ['sr', /[ђћјљњџЂЋЈЉЊЏ]/],
  ['ru', /[ыэёЫЭЁ]/],
]

// ---------------------------------------------------------------------------------------------
// Function words. Written for this module from general knowledge of each language: the 20–40 most
// frequent short words of running news text. Languages marked `decoy` vote so that their text is
// not claimed by a close relative, but a decoy win goes to the n-gram model instead.

const FUNCTION_WORDS: Record<string, string> = {
  // "per" and "no" are English too: without them, a price table's "pence per kilo … No.2 … No.3"
  // voted Catalan (seven Reuters tables, one at 0.92); and "Co" ends many a company's name, where
  // a headline in capitals ("… TO WALT DISNEY CO") voted Polish ("co", what).
  en: 'the of and to in is was that for it with as on by at from his he be are have has had this which were not but they said will would an been their its who after than she her we there also when more about into over can could a were our these those while during because should per no co',
  es: 'el la los las de del y en que un una por con para se es al lo su sus como más pero fue ha han este esta estos entre también sobre desde cuando muy sin dijo según hay o le les ya era son porque está no ni hasta tras durante había ser sido tiene otro otra todos todo puede donde a',
  fr: 'le la les de des du et en un une est que qui dans pour par sur au aux pas ne il elle ont été avec ce cette ces plus son sa ses mais selon à a se sont était leur leurs qu où aussi être ou fait nous vous ils elles lors après dont',
  de: 'der die das und in den von zu mit ist des dem nicht ein eine auf für sich im auch es an als nach wie bei aus wird hat sie er war dass wurde einer einem einen noch oder sind werden vor über zum zur haben hatte wurden diese dieser seine ihre sagte vom',
  pt: 'o os a as de do da dos das e em no na nos nas um uma que para com por é não se ao aos mais foi como pelo pela seu sua seus suas também mas ele ela disse são está ou à às foram ser tem entre sobre após quando',
  it: 'il lo la i gli le di del della dei delle e è in un una che per con non si da al alla nel nella sono ha anche come più ma questo questa dopo ad dal dalla degli sul sulla stato stata essere hanno tra fra a',
  nl: 'de het een en van in is op te dat die niet met voor zijn er aan ook als bij door naar om maar wordt werd nog heeft hij zij was tot uit deze dit hun worden werden zou heeft',
  ca: 'el la els les de del dels i a en que un una per amb és no es al als més però va van ser seu seva seus aquest aquesta també com sobre han ha hi ho fins des',
  ro: 'și în de la cu a al ai ale pe nu că este din o un care pentru mai sunt fost să se au fi ca dar după prin acest această lui iar sau',
  pl: 'i w z na się nie do że to jest o a jak po od za przez dla co ale jego przy być był była oraz już tym także które który są jej ich',
  cs: 'a v se na je že s z do to o jako pro by ale i jsou byl byla které který jeho také podle při už tak než jen jejich bylo',
  sk: 'a v sa na je že s z do to o ako pre by ale aj sú bol bola ktoré ktorý jeho tiež podľa pri už tak než len ich bolo',
  sv: 'och i att det som en på är av för med till den har de inte om ett var jag men från vid sig efter också kan hade blev sina eller under',
  da: 'og i at det som en på er af for med til den har de ikke om et var jeg men fra ved sig efter også kan havde blev sine eller under',
  no: 'og i at det som en på er av for med til den har de ikke om et var jeg men fra ved seg etter også kan hadde ble sine eller under',
  fi: 'ja on ei että se oli hän ovat mutta kun myös tai joka kuin sen ole vuonna mukaan jo nyt hänen tämä sekä olisi jotka',
  hu: 'a az és hogy nem is egy meg de van volt ez azt már csak mint még el ki be fel után szerint pedig lesz vagy amely',
  tr: 've bir bu da de için ile çok daha olan gibi ne ama o en sonra kadar olarak değil ya her şey diye göre ise',
  id: 'yang dan di ke dari ini itu dengan untuk tidak dalam akan pada juga ada oleh adalah atau karena sudah telah bisa mereka kata para tersebut',
  vi: 'của và các là có được trong cho không với một những người này đã để khi từ theo về năm cũng như tại ra',
  ru: 'и в не на что с по это как из для он она его был была от к но также который которые о же то бы за',
  uk: 'і в не на що з у та це як до для він вона його був була від але також який які й за про',
  bg: 'и в не на че с по това като от за да се е са той тя или но който които ще си',
  // Decoys: close relatives of the languages above, and languages the model knows better.
  ms: 'yang dan di ke dari ini itu dengan untuk tidak dalam akan pada juga ada oleh adalah atau kerana sudah telah boleh mereka kata bagi ialah beliau',
  hr: 'je i u na da se za su od a s ne koji koja što o kao iz bi to ali sa će nakon prema te',
  sl: 'je in v na da se za so z ki pa od tudi s po ne kot bi iz o ter še',
  sr: 'и у не на да се је су за од са што који која као из али ће',
  mk: 'и во не на дека со по тоа како од за да се е тој таа или но кој што ќе',
}
const DECOYS = new Set(['ms', 'hr', 'sl', 'sr', 'mk'])

const LANGS = Object.keys(FUNCTION_WORDS)
// Hash of a function word (see {@link wordHash}) → indices of the languages that list it, in an
// open-addressed table: the vote looks up every short word of a text, and a Map keyed by numbers
// past 2^31 (heap numbers, not small integers) costs several times more per lookup.
const VOTE_BITS = 12
const VOTE_MASK = (1 << VOTE_BITS) - 1
const VOTE_KEYS = new Uint32Array(1 << VOTE_BITS)
const VOTE_SLOTS = new Int32Array(1 << VOTE_BITS).fill(-1)
const VOTE_LISTS: number[][] = []

function voteSlot(h: number): number {
  let slot = Math.imul(h, 0x9e3779b1) >>> (32 - VOTE_BITS)
  while (VOTE_SLOTS[slot] !== -1 && VOTE_KEYS[slot] !== h) slot = (slot + 1) & VOTE_MASK
  return slot
}

/** The languages that list the function word of hash `h`, or undefined. */
function votesOf(h: number): number[] | undefined {
  const e = VOTE_SLOTS[voteSlot(h)] as number
  return e < 0 ? undefined : VOTE_LISTS[e]
}

LANGS.forEach((lang, li) => {
  for (const w of new Set((FUNCTION_WORDS[lang] as string).split(' '))) {
    const h = hashChars(w)
    const slot = voteSlot(h)
    const e = VOTE_SLOTS[slot] as number
    if (e >= 0) (VOTE_LISTS[e] as number[]).push(li)
    else {
      VOTE_KEYS[slot] = h
      VOTE_SLOTS[slot] = VOTE_LISTS.push([li]) - 1
    }
  }
})

const MAX_VOTE_WORDS = 80
// Scratch space for voteLanguage (single-threaded, not re-entrant: nothing it calls votes).
const TOTALS = new Uint16Array(LANGS.length)
const SHARED = new Uint16Array(LANGS.length)
const HITS: number[][] = new Array(MAX_VOTE_WORDS)

/** Lower-case form of each UTF-16 unit, filled on first use (Romanian ş ţ with cedilla fold to ș ț). */
const LOWER = new Uint16Array(65536)

function lower(c: number): number {
  let l = LOWER[c] as number
  if (l === 0) {
    const s = String.fromCharCode(c).toLowerCase()
    l = s.length === 1 ? s.charCodeAt(0) : c
    if (l === 0x15f) l = 0x219
    else if (l === 0x163) l = 0x21b
    LOWER[c] = l
  }
  return l
}

/** The hash `hashChars` gives the lower-cased, NFC word at `text[start, end)`, without building it when possible. */
function wordHash(text: string, start: number, end: number): number {
  let h = FNV_SEED
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0x300 && c < 0x370) return hashChars(foldWord(text.slice(start, end))) // combining mark: normalise first
    h = fnvStep(h, c >= 0x61 && c <= 0x7a ? c : lower(c))
  }
  return mix32(h)
}

function foldWord(w: string): string {
  return w.toLowerCase().normalize('NFC').replace(/ş/g, 'ș').replace(/ţ/g, 'ț')
}

/** Whether `word` is a function word of one of the voting languages ("the", "der", "и", …), in any case. */
export function isFunctionWord(word: string): boolean {
  return votesOf(wordHash(word, 0, word.length)) !== undefined
}

/**
 * Function-word vote over the words of `text[0, end)`. The language with the most function words
 * wins if it has {@link MIN_VOTES} of them and, against every other language, the words only it
 * lists outnumber twice the words only the other lists (so Spanish beats Catalan on "y", "los",
 * "por", not on the "de", "la", "que" they share). Returns undefined when no language wins so, or
 * when a decoy wins. Decides early, every 16 words, once the rule holds.
 */
export function voteLanguage(text: string, end = text.length): string | undefined {
  return vote(text, end).lang
}

/** The vote, with how many words it read and how many were function words. */
function vote(text: string, end: number): { lang: string | undefined; hits: number; words: number } {
  const totals = TOTALS.fill(0)
  let hits = 0
  let words = 0
  let i = 0
  while (i < end && words < MAX_VOTE_WORDS) {
    const c = text.charCodeAt(i)
    if (!isWordChar(c)) {
      i++
      continue
    }
    // Hash the word as it is read (lower-cased; see wordHash).
    const start = i
    let h = FNV_SEED
    let marks = false
    for (; i < end; i++) {
      const d = text.charCodeAt(i)
      if (d < 0x80) {
        if (d >= 0x61 && d <= 0x7a) h = fnvStep(h, d)
        else if (d >= 0x41 && d <= 0x5a) h = fnvStep(h, d | 0x20)
        else break
      } else if (isWordChar(d)) {
        if (d >= 0x300 && d < 0x370) marks = true
        h = fnvStep(h, lower(d))
      } else break
    }
    if (i - start > 10) continue // function words are short
    words++
    if (i - start === 1 && c < 0x5b) continue // "I", "A.": initials and numerals, not words
    const ls = votesOf(marks ? wordHash(text, start, i) : mix32(h))
    if (!ls) continue
    HITS[hits++] = ls
    for (const li of ls) (totals[li] as number)++
    if (hits >= 6 && (words & 15) === 0) {
      const lang = decide(hits, totals)
      if (lang !== undefined) return { lang: lang === '' ? undefined : lang, hits, words }
    }
  }
  const lang = decide(hits, totals)
  return { lang: lang === '' ? undefined : lang, hits, words }
}

/** The vote's winner; '' for a decoy; undefined when no language wins clearly. */
function decide(hits: number, totals: Uint16Array): string | undefined {
  let best = 0
  for (let li = 1; li < totals.length; li++) if ((totals[li] as number) > (totals[best] as number)) best = li
  const top = totals[best] as number
  if (top < MIN_VOTES) return undefined
  // Words the winner shares with each other language.
  const shared = SHARED.fill(0)
  for (let h = 0; h < hits; h++) {
    const ls = HITS[h] as number[]
    if (ls.includes(best)) for (const li of ls) (shared[li] as number)++
  }
  for (let li = 0; li < totals.length; li++) {
    if (li === best || totals[li] === 0) continue
    const mine = top - (shared[li] as number)
    const theirs = (totals[li] as number) - (shared[li] as number)
    if (mine < 2 * theirs + 1) return undefined
  }
  const lang = LANGS[best] as string
  return DECOYS.has(lang) ? '' : lang
}

function isWordChar(c: number): boolean {
  if (c < 0x80) return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a
  return (c >= 0xc0 && c < 0x530 && c !== 0xd7 && c !== 0xf7) || (c >= 0x1e00 && c < 0x1f00)
}

// ---------------------------------------------------------------------------------------------

/** A fallback for what script and function words leave open: text → ISO 639-1 code and its margin over the runner-up, or undefined. */
export type LanguageModel = (text: string) => { lang: string; margin: number } | undefined

/** `tinyld`'s detector: every language's score for a text, best first. */
export type DetectAll = (text: string) => { lang: string; accuracy: number }[]

let detectAll: DetectAll | undefined
let loadDetectAll: (() => DetectAll) | undefined

/**
 * Hand language identification `tinyld`'s detector (`setNgramModel(detectAll)`), or a function
 * that loads it (`setNgramModel(load, true)`), called the first time a text needs the n-gram
 * stage. Loading `tinyld` takes about 0.3 s, most of a command's start-up, and the first two
 * stages leave few texts to it (no NTREX document): the package entry hands it over as it loads,
 * so that browsers and bundlers import it as usual; the CLI and its worker threads load it on
 * first need.
 */
export function setNgramModel(detect: DetectAll | (() => DetectAll), lazy = false): void {
  if (lazy) loadDetectAll = detect as () => DetectAll
  else detectAll = detect as DetectAll
}

function ngramDetector(): DetectAll {
  if (detectAll) return detectAll
  // Modules imported one by one (the tests, the benchmarks) get it from Node's require.
  const load = loadDetectAll ?? nodeRequire()
  if (!load) {
    throw new WiretraceError(
      'MISSING_DEPENDENCY',
      'language identification: the n-gram model (tinyld) is not loaded; import wiretrace from its package entry',
    )
  }
  detectAll = load()
  return detectAll
}

function nodeRequire(): (() => DetectAll) | undefined {
  const node = (globalThis as unknown as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const module = node?.getBuiltinModule?.('node:module') as { createRequire(from: string): (id: string) => unknown } | undefined
  if (!module) return undefined
  return () => (module.createRequire(import.meta.url)('tinyld') as { detectAll: DetectAll }).detectAll
}

/** The `tinyld` n-gram model, kept only when its best score is {@link MODEL_MARGIN} times the runner-up's. */
export const tinyldModel: LanguageModel = (text) => {
  const all = ngramDetector()(text)
  const first = all[0]
  if (!first?.lang) return undefined
  const second = all[1]?.accuracy ?? 0
  const margin = second > 0 ? first.accuracy / second : 10
  return margin >= MODEL_MARGIN ? { lang: first.lang, margin } : undefined
}

/** Where an answer came from, for measurement. */
export type LanguageStage = 'short' | 'script' | 'vote' | 'model' | 'none'

/** A language identification with how sure it is. */
export interface LanguageGuess {
  /** ISO 639-1 code; undefined when the text cannot tell (confidence under {@link MIN_CONFIDENCE}). */
  lang: string | undefined
  /** In [0, 1]: how much evidence the answer rests on (see {@link detectLanguageWith}). */
  confidence: number
  stage: LanguageStage
}

/** Answers below this confidence are `undefined`: tables, figures, headlines of a few words. */
export const MIN_CONFIDENCE = 0.5
/**
 * Two texts are in different languages only when both identifications reach this confidence:
 * a guess on a table of figures must not make two English stories a translation.
 */
export const CONFIDENT = 0.8

const COUNTS = new Uint16Array(S.Count)

/**
 * Detect with an explicit fallback model, and say which stage answered and how sure it is.
 * `detectLanguage` is this with the `tinyld` model; the benchmark swaps the model to compare packages.
 *
 * Confidence grows with the evidence each stage has:
 * - script: the letters seen, full from 40 letters on (a Han, kana or Hangul character counts four);
 * - function words: how many (full from 6, when the vote stops early) and how dense (full from one word in five; English
 *   prose has two in five, a table of figures or a headline few);
 * - n-gram model: its margin over the runner-up (full at 3×), times the share of word tokens
 *   among word and number tokens (a table is mostly numbers), and never above 0.75, so that a
 *   model guess alone never makes two texts "different languages".
 */
export function detectLanguageWith(text: string, model: LanguageModel | undefined): LanguageGuess {
  const guess = guessLanguage(text, model)
  return guess.lang !== undefined && guess.confidence < MIN_CONFIDENCE ? { ...guess, lang: undefined } : guess
}

function guessLanguage(text: string, model: LanguageModel | undefined): LanguageGuess {
  const end = Math.min(text.length, SCAN_LIMIT)
  const counts = COUNTS.fill(0)
  let latin = 0 // ASCII letters, counted apart: the common case
  let spaces = 0
  let digits = 0
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) {
      if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) latin++
      else if (c <= 0x20) spaces++
      else if (c >= 0x30 && c <= 0x39) digits++
      continue
    }
    const s = c >= 0xd800 && c < 0xdc00 ? surrogateScript(text.codePointAt(i) as number) : scriptOf(c)
    if (s !== S.Other) (counts[s] as number)++
  }
  ;(counts[S.Latin] as number) += latin
  const letters = sumLetters(counts)
  if (letters < MIN_LETTERS) return { lang: undefined, confidence: 0, stage: 'short' }
  // A Han, kana or Hangul character says about as much as a word of other scripts.
  const dense = (counts[S.Han] as number) + (counts[S.Kana] as number) + (counts[S.Hangul] as number)
  const byScript = (lang: string): LanguageGuess => ({
    lang,
    confidence: Math.min(1, (letters + 3 * dense) / 40),
    stage: 'script',
  })
  let script: S = S.Other
  for (let s = 1; s < S.Count; s++) if ((counts[s] as number) > (counts[script] as number)) script = s as S
  // CJK: kana anywhere means Japanese (Japanese mixes kana with Han); Hangul means Korean.
  const kana = counts[S.Kana] as number
  const han = counts[S.Han] as number
  if (script === S.Han || script === S.Kana) {
    if (kana >= 0.05 * (kana + han) && kana >= 2) return byScript('ja')
    if ((counts[S.Hangul] as number) >= 0.05 * letters) return byScript('ko')
    return byScript('zh')
  }
  const direct = SCRIPT_LANG[script]
  if (direct) return byScript(direct)
  if (script === S.Arabic) return byScript(arabicScriptLanguage(text, end))
  if (script === S.Cyrillic) {
    const sample = text.slice(0, end)
    for (const [lang, re] of CYRILLIC_MARKS) {
      if (lang === 'ru') break // ы/э/ё are not rare in other languages; decide after the vote
      if (re.test(sample)) return byScript(lang)
    }
  }
  if (script === S.Latin || script === S.Cyrillic) {
    const voted = vote(text, end)
    if (voted.lang) {
      const confidence = Math.min(1, voted.hits / 6) * Math.min(1, voted.hits / voted.words / 0.2)
      return { lang: voted.lang, confidence, stage: 'vote' }
    }
    if (script === S.Cyrillic && /[ыэё]/i.test(text.slice(0, end))) return byScript('ru')
  }
  // The model only sees prose: enough letters, and letters most of what is not space (not a table of figures).
  if (letters < MIN_LETTERS_MODEL || letters < 0.75 * (end - spaces) || !model) {
    return { lang: undefined, confidence: 0, stage: 'none' }
  }
  const answer = model(text.length > MODEL_SAMPLE ? text.slice(0, MODEL_SAMPLE) : text)
  if (!answer) return { lang: undefined, confidence: 0, stage: 'none' }
  const wordShare = letters / (letters + 4 * digits) // about four characters a word
  const confidence = Math.min(MODEL_MAX_CONFIDENCE, ((answer.margin - 1) / 2) * Math.max(0, (wordShare - 0.6) / 0.3))
  return { lang: answer.lang, confidence, stage: 'model' }
}

const MODEL_MAX_CONFIDENCE = 0.75

function sumLetters(counts: Uint16Array): number {
  let n = 0
  for (let s = 1; s < counts.length; s++) n += counts[s] as number
  return n
}

function surrogateScript(cp: number): S {
  if (cp >= 0x20000 && cp < 0x32000) return S.Han // CJK extensions B–H
  return S.Other
}

/**
 * The language of `text` as an ISO 639-1 code (`en`, `es`, `fr`, `de`, `ar`, `zh`, …), or
 * `undefined` when it cannot tell: under 12 letters; or no script or function-word evidence and
 * under 200 letters of prose for the n-gram model. Looks at the first 400 characters only.
 *
 * @example detectLanguage('Les rebelles sont entrés dans la ville de Homs samedi.') // 'fr'
 * @example detectLanguage('Homs') // undefined
 */
export function detectLanguage(text: string): string | undefined {
  argString('detectLanguage', 'text', text)
  return detectLanguageWith(text, tinyldModel).lang
}

/**
 * {@link detectLanguage} with its confidence in [0, 1]: a pair of texts counts as two languages
 * only when both reach {@link CONFIDENT}.
 *
 * @example identifyLanguage('Shr 27 cts vs 29 cts Net 13,555,000 vs 14,635,000') // { lang: undefined, confidence: 0, … }
 */
export function identifyLanguage(text: string): LanguageGuess {
  argString('identifyLanguage', 'text', text)
  return detectLanguageWith(text, tinyldModel)
}
