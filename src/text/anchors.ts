import anyAsciiImport from 'any-ascii'
import { argOptions, argString } from '../errors.js'
import { FNV_SEED, fnvStep, hashChars, mix32 } from '../sketch/hash.js'
import { isFunctionWord } from './lang.js'

/**
 * Language-independent evidence that a translation keeps: numbers and amounts, dates, names
 * (transliterated to Latin and reduced to a spelling-tolerant key), URLs and @handles / #hashtags.
 * `key` is the canonical form compared across documents and languages.
 */
export interface Anchor {
  kind: AnchorKind
  key: string
  /**
   * How informative the anchor is, in (0, 1]: 1 for a specific number or name; less for years
   * (0.3), two-digit numbers (0.5), bare months and weekdays (0.3), names of very frequent places
   * (0.3), short name keys (0.5) and names found without capital letters (0.5, Arabic script).
   */
  weight: number
}

export type AnchorKind = 'number' | 'date' | 'name' | 'url' | 'handle'

/** Internal switches, for measuring alternatives (bench/lang.ts). Not part of the public API. */
export interface AnchorTuning {
  /** Name candidates in Arabic script, which has no capitals: every word that is not a common word, or none. @default 'words' */
  arabicNames?: 'words' | 'none'
  /** Drop German capitalised common nouns (after an article, or with a noun suffix). @default true */
  germanNouns?: boolean
  /** Keep sentence-initial capitalised words that are not function words. @default false */
  sentenceInitial?: boolean
  /** Classes kept in a name key. @default 4 */
  keyLength?: number
  /** Classes an Arabic-script word's key needs to count as a name. @default 4 */
  arabicMinClasses?: number
  /** Share of long-vowel letters (ا و ي ى after the first letter) an Arabic-script name candidate needs. @default 0 */
  arabicVowels?: number
}

const DEFAULT_TUNING: Required<AnchorTuning> = {
  arabicNames: 'words',
  germanNouns: true,
  sentenceInitial: false,
  keyLength: 4,
  arabicMinClasses: 4,
  arabicVowels: 0,
}

// ---------------------------------------------------------------------------------------------
// Name keys

// any-ascii is ESM-only. Required from a CommonJS build (Node's require of ESM), the bundler's interop
// hands over the module namespace instead of its default export: accept both.
const anyAscii: (s: string) => string =
  typeof anyAsciiImport === 'function'
    ? anyAsciiImport
    : (anyAsciiImport as unknown as { default: (s: string) => string }).default

const transliterated = new Map<string, string>()

function toAscii(word: string): string {
  let s = transliterated.get(word)
  if (s === undefined) {
    s = anyAscii(word).toLowerCase()
    if (transliterated.size > 20_000) transliterated.clear()
    transliterated.set(word, s)
  }
  return s
}

// Consonant classes: letters a translation or a transliteration swaps stay in one class.
// Vowels, h, w and y are dropped (Arabic script and transliterations write vowels inconsistently).
const CLASS: Record<string, string> = {
  b: 'b',
  p: 'b',
  f: 'f',
  v: 'f',
  c: 'k',
  g: 'k',
  j: 'k',
  k: 'k',
  q: 'k',
  s: 's',
  z: 's',
  x: 's',
  t: 't',
  d: 't',
  l: 'l',
  m: 'm',
  n: 'n',
  r: 'r',
}

/**
 * Spelling-tolerant key of a name in any script, so that variants and transliterations meet:
 * "Damascus", "Damasco", "Damaskus", "Дамаск" and "دمشق" all give `tmsk`; "Warren" and "وارين" give `rn`.
 *
 * The name is transliterated to ASCII (`any-ascii`), digraphs are folded (sh, ch, sch, tsh → s;
 * th, dh → t; ph → f; kh → h; c → s before e/i/y), letters map to consonant classes
 * (b=p, f=v, c=g=j=k=q, s=z=x, t=d, l, m, n, r), vowels and h/w/y are dropped, repeats merge, and
 * the first four classes are kept. Fewer than two classes: '' (too short to mean anything).
 */
export function nameKey(word: string, length = 4): string {
  argString('nameKey', 'word', word)
  if (length !== 4) return computeNameKey(word, length)
  let key = nameKeys.get(word)
  if (key === undefined) {
    key = computeNameKey(word, 4)
    if (nameKeys.size > 20_000) nameKeys.clear()
    nameKeys.set(word, key)
  }
  return key
}

const nameKeys = new Map<string, string>()

function computeNameKey(word: string, length: number): string {
  // The Arabic article, written ال or al-/el-/ad-/ash-… in transliteration: "al-Assad" = "الأسد" = "Assad".
  const bare = word.length > 3 && word.startsWith('ال') ? word.slice(2) : word
  let s = toAscii(bare)
    .replace(/^(?:al|el|ad|ar|as|at|an|ash|az|ath)[-'’ ]+/, '')
    .replace(/[^a-z]/g, '')
  if (s.length < 2) return ''
  s = s
    .replace(/tsch|tch|tsh|sch|sh|ch|zh|cz/g, 's')
    .replace(/ph/g, 'f')
    .replace(/th|dh/g, 't')
    .replace(/kh/g, 'h')
    .replace(/ck|qu/g, 'k')
    .replace(/c(?=[eiy])/g, 's')
  let key = ''
  let last = ''
  for (let i = 0; i < s.length && key.length < length; i++) {
    const k = CLASS[s[i] as string]
    if (k === undefined) continue // vowel, h, w, y
    if (k !== last) key += k
    last = k
  }
  return key.length >= 2 ? key : ''
}

// ---------------------------------------------------------------------------------------------
// Word lists (written for this module; months, weekdays and number words are common knowledge).

/** Word → value, each word also capitalised and in capitals, so that lookups need no case folding. */
function wordMap(lists: Record<string, string>): Map<string, number> {
  const m = new Map<string, number>()
  for (const [value, words] of Object.entries(lists)) {
    for (const w of words.split(' ')) {
      m.set(w, Number(value))
      m.set(w[0]?.toUpperCase() + w.slice(1), Number(value))
      m.set(w.toUpperCase(), Number(value))
    }
  }
  return m
}

const MONTHS = wordMap({
  1: 'january jan januar jänner janvier enero janeiro gennaio januari январь января січень січня يناير كانون_الثاني',
  2: 'february feb februar février febrero fevereiro febbraio februari февраль февраля лютий лютого فبراير شباط',
  3: 'march mar märz mars marzo março maart март марта березень березня مارس آذار',
  4: 'april apr avril abril aprile апрель апреля квітень квітня أبريل إبريل ابريل نيسان',
  5: 'may mai mayo maio maggio mei май мая травень травня مايو أيار',
  6: 'june jun juni juin junio junho giugno июнь июня червень червня يونيو يونيه حزيران',
  7: 'july jul juli juillet julio julho luglio июль июля липень липня يوليو يوليه تموز',
  8: 'august aug août agosto augustus август августа серпень серпня أغسطس اغسطس آب',
  9: 'september sep sept septembre septiembre setiembre setembro settembre сентябрь сентября вересень вересня سبتمبر أيلول',
  10: 'october oct oktober octobre octubre outubro ottobre октябрь октября жовтень жовтня أكتوبر اكتوبر تشرين_الأول',
  11: 'november nov novembre noviembre novembro ноябрь ноября листопад листопада نوفمبر تشرين_الثاني',
  12: 'december dec dezember décembre diciembre dezembro dicembre декабрь декабря грудень грудня ديسمبر كانون_الأول',
})
/** English month words that are also common words or abbreviations: they count only when capitalised… */
const CAPITALISED_MONTHS = new Set([
  'may',
  'mar',
  'march',
  'august',
  'jan',
  'jun',
  'jul',
  'sep',
  'oct',
  'nov',
  'dec',
  'apr',
  'feb',
  'aug',
  'sept',
])
/** …and, with German/Dutch "Mai"/"mei", only next to a day number. */
const AMBIGUOUS_MONTHS = new Set([...CAPITALISED_MONTHS, 'mai', 'mei'])

const WEEKDAYS = wordMap({
  1: 'monday montag lundi lunes lunedì maandag понедельник الاثنين الإثنين',
  2: 'tuesday dienstag mardi martes martedì dinsdag вторник الثلاثاء',
  3: 'wednesday mittwoch mercredi miércoles mercoledì woensdag среда среду الأربعاء',
  4: 'thursday donnerstag jeudi jueves giovedì donderdag четверг الخميس',
  5: 'friday freitag vendredi viernes venerdì vrijdag пятница пятницу الجمعة',
  6: 'saturday samstag sonnabend samedi sábado sabato zaterdag суббота субботу السبت',
  7: 'sunday sonntag dimanche domingo domenica zondag воскресенье الأحد',
})

/** Month words → 1–12, weekdays → 101–107: one lookup per word. */
const DATE_WORDS = new Map<string, number>([...MONTHS, ...[...WEEKDAYS].map(([w, d]) => [w, 100 + d] as [string, number])])

const MAGNITUDES = wordMap({
  1e3: 'thousand thousands mil mille tausend duizend mila тысяч тысячи тысяча тыс ألف آلاف الف',
  1e6: 'million millions mn millón millones millionen mio milhão milhões milione milioni miljoen миллион миллиона миллионов млн مليون ملايين',
  1e9: 'billion billions bn milliard milliards milliarde milliarden mrd bilhão bilhões miliardo miliardi miljard миллиард миллиарда миллиардов млрд مليار مليارات بليون',
  1e12: 'trillion trillions billón billones billionen триллион триллиона триллионов трлн تريليون',
})
const CJK_MAGNITUDES: Record<string, number> = {
  千: 1e3,
  万: 1e4,
  萬: 1e4,
  亿: 1e8,
  億: 1e8,
  兆: 1e12,
  천: 1e3,
  만: 1e4,
  억: 1e8,
}

/** Places and bodies in most international news: their names weigh 0.3. */
const FREQUENT =
  'America American Washington London Paris Moscow Beijing Chinese Russia Russian Europe European Britain British Israel Ukraine Reuters'
let frequentKeys: Set<string> | undefined

/** Keys of {@link FREQUENT} (computed on first use: nothing is transliterated at import time). */
function isFrequentName(key: string): boolean {
  frequentKeys ??= new Set(
    FREQUENT.split(' ')
      .map((w) => nameKey(w))
      .filter((k) => k.length >= 3), // two-class keys are weak already, and shared by many names
  )
  return frequentKeys.has(key)
}

const FREQUENT_ACRONYMS = new Set(['us', 'usa', 'uk', 'eu', 'un', 'ap', 'afp', 'bbc', 'cnn', 'tv', 'ok'])

/** Words that are capitalised in running text without being names. */
const NOT_NAMES = new Set(
  'Mr Mrs Ms Dr Prof Sen Rep Gov Gen Col Lt Sgt St Jr Sr Sra Mme Mlle Herr Frau Hr I II III IV VI VII VIII IX XI XII'.split(' '),
)

// Arabic: common words that are not names, after the clitics و ف ب ل ك and the article ال are removed.
const ARABIC_STOP = new Set(
  (
    'في من الى إلى على عن مع هذا هذه ذلك تلك هؤلاء هذان هاتان الذي التي الذين اللذين اللتين اللواتي ما ماذا لماذا كيف متى أين اين هل ' +
    'لا لم لن ليس ليست إن ان أن إنه انه أنه أنها انها إنها أنهم انهم كان كانت كانوا يكون تكون قد لقد ثم أو او أم بل لكن حتى إذا اذا ' +
    'إلا الا كل بعض غير بين بعد قبل خلال منذ عند عندما حيث حول ضد دون نحو لدى أمام امام وراء فوق تحت أي أيضا ايضا فقط جدا كما مثل ' +
    'لأن لان بسبب وفق وفقا حسب هو هي هم هن نحن أنا انا أنت انت له لها لهم لنا به بها بهم منه منها منهم عليه عليها عليهم إليه اليه ' +
    'إليها فيه فيها فيهم عنه عنها معه معها ذات نفس تم يتم قال قالت يقول تقول أضاف اضاف أضافت أكد اكد أكدت أشار اشار أشارت أعلن اعلن ' +
    'أعلنت يوم عام سنة الماضي المقبل الأول الثاني الثالث أكثر اكثر أقل اقل أحد احد إحدى احدى واحد واحدة اثنين اثنان ثلاثة أربعة خمسة ' +
    'عشرة مئة مائة وقت مرة شخص أشخاص حوالي نحو بنحو إضافة اضافة وذلك كذلك هناك هنا الآن حاليا أمس اليوم غدا شهر أسبوع ساعة ' +
    'التي الذي عليه لدي لديه لديها لديهم يمكن يجب ضمن عبر لدى تلك لها حين بينما ولكن لكنه إنما أما إما سوف ستكون سيكون أصبح ' +
    'أصبحت ظل مازال ما زال يزال جميع معظم عدد عدة كثير قليل كبير صغير جديد جديدة أخرى آخر اخرى اخر خاصة عامة رئيس وزير ' +
    'حكومة دولة مدينة منطقة قوات الناس الشعب شركة مجلس حزب انتخابات الرئيس الرئاسة'
  ).split(' '),
)

// German: a capitalised word after one of these is a common noun, not a name.
const GERMAN_DETERMINERS = new Set(
  'der die das den dem des ein eine einer einem einen eines kein keine keinen keinem keiner im am zum zur vom beim ins ans aufs seine seiner seinem seinen ihre ihrer ihrem ihren unsere dieser diese dieses diesem diesen jeder jede jedes alle viele mehrere einige neue neuen neuer'.split(
    ' ',
  ),
)
/** Words only German uses among the languages that capitalise: two of them, and few of NOT_GERMAN, make a German paragraph. */
const GERMAN_MARKERS = new Set(
  'der das und den dem ist nicht sich wurde wurden eine einer einem einen auch nach bei sind hat haben wird im zum zur vom beim über die Der Das Den Dem Die Eine Im'.split(
    ' ',
  ),
)
const NOT_GERMAN = new Set('the and of een het le la les et du el los las y'.split(' '))
const GERMAN_NOUN_SUFFIX =
  /(?:ung|ungen|heit|heiten|keit|keiten|schaft|schaften|tion|tionen|tät|täten|ismus|chen|nis|nisse|tum|ling|ment|ments|ur|uren|ik|iken|ie|ien|ei|eien|erin|orin|atin|entin|istin|innen|ums)$/

/** A word of DATE_WORDS, GERMAN_MARKERS, NOT_GERMAN or NOT_NAMES, with what each list says of it. */
interface ListedWord {
  word: string
  date: number | undefined
  german: boolean
  notGerman: boolean
  notName: boolean
}

/**
 * The words of DATE_WORDS, GERMAN_MARKERS, NOT_GERMAN and NOT_NAMES in an open-addressing table
 * keyed by their FNV-1a steps, which the scanner computes as it reads a word: most words miss at
 * the first empty slot, with no string built or hashed. A hit is checked letter by letter
 * ({@link listedAt}), so a colliding word is never taken for a listed one.
 */
const LIST_BITS = 14
const LIST_MASK = (1 << LIST_BITS) - 1
/** Slot → index in LISTED_WORDS, or -1. */
const LIST_SLOTS = new Int32Array(1 << LIST_BITS).fill(-1)
/** Slot → the FNV steps of its word. */
const LIST_KEYS = new Int32Array(1 << LIST_BITS)
const LISTED_WORDS: ListedWord[] = []

function listSlot(h: number): number {
  return (h ^ (h >>> LIST_BITS)) & LIST_MASK
}

for (const w of new Set([...DATE_WORDS.keys(), ...GERMAN_MARKERS, ...NOT_GERMAN, ...NOT_NAMES])) {
  let h = FNV_SEED
  for (let i = 0; i < w.length; i++) h = fnvStep(h, w.charCodeAt(i))
  let slot = listSlot(h)
  while ((LIST_SLOTS[slot] as number) >= 0) slot = (slot + 1) & LIST_MASK
  LIST_SLOTS[slot] = LISTED_WORDS.length
  LIST_KEYS[slot] = h
  LISTED_WORDS.push({
    word: w,
    date: DATE_WORDS.get(w),
    german: GERMAN_MARKERS.has(w),
    notGerman: NOT_GERMAN.has(w),
    notName: NOT_NAMES.has(w),
  })
}

/** The listed word that `text[start, end)` is (its FNV steps `h`), if any. */
function listedAt(text: string, start: number, end: number, h: number): ListedWord | undefined {
  for (let slot = listSlot(h); ; slot = (slot + 1) & LIST_MASK) {
    const e = LIST_SLOTS[slot] as number
    if (e < 0) return undefined
    if (LIST_KEYS[slot] !== h) continue
    const w = (LISTED_WORDS[e] as ListedWord).word
    if (w.length !== end - start) continue
    let j = 0
    while (j < w.length && w.charCodeAt(j) === text.charCodeAt(start + j)) j++
    if (j === w.length) return LISTED_WORDS[e]
  }
}

// ---------------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------------
// Scanning: one pass over the characters, no regular expression per token.

const OTHER = 1
const LETTER = 2
const DIGIT = 3
const SPACE = 4
const charClass = new Uint8Array(65536)
const LETTER_RE = /[\p{L}\p{M}]/u
const DIGIT_RE = /\p{Nd}/u
const SPACE_RE = /\s/u

function classOf(c: number): number {
  let k = charClass[c] as number
  if (k === 0) {
    const ch = String.fromCharCode(c)
    k = DIGIT_RE.test(ch) ? DIGIT : LETTER_RE.test(ch) ? LETTER : SPACE_RE.test(ch) ? SPACE : OTHER
    charClass[c] = k
  }
  return k
}

/** Numeric value of a decimal digit of any script (Unicode puts each script's 0–9 in a row). */
function digitOf(c: number): number {
  if (c <= 0x39) return c - 0x30
  let v = 0
  while (v < 9 && classOf(c - v - 1) === DIGIT) v++
  return v
}

function isDigitAt(text: string, i: number): boolean {
  return i < text.length && classOf(text.charCodeAt(i)) === DIGIT
}

/** Exactly three digits at `i`, not followed by a fourth. */
function isGroup(text: string, i: number): boolean {
  return isDigitAt(text, i) && isDigitAt(text, i + 1) && isDigitAt(text, i + 2) && !isDigitAt(text, i + 3)
}

/** . ! ? : ; " “ ” « » „ 。 ！ ？ ؟ end a sentence (or open a quotation, which starts one). */
function isBreak(c: number): boolean {
  return (
    c === 0x2e ||
    c === 0x21 ||
    c === 0x3f ||
    c === 0x3a ||
    c === 0x3b ||
    c === 0x22 ||
    c === 0x201c ||
    c === 0x201d ||
    c === 0xab ||
    c === 0xbb ||
    c === 0x201e ||
    c === 0x3002 ||
    c === 0xff01 ||
    c === 0xff1f ||
    c === 0x61f
  )
}

/** , . space, no-break space, narrow no-break space, thin space, ' ’ and the Arabic thousands separator ٬ */
function isGroupSeparator(c: number): boolean {
  return (
    c === 0x2c ||
    c === 0x2e ||
    c === 0x20 ||
    c === 0xa0 ||
    c === 0x202f ||
    c === 0x2009 ||
    c === 0x27 ||
    c === 0x2019 ||
    c === 0x66c
  )
}

/** . , and the Arabic decimal separator ٫ */
function isDecimalPoint(c: number): boolean {
  return c === 0x2e || c === 0x2c || c === 0x66b
}

function isUpperCode(c: number): boolean {
  if (c < 0x80) return c >= 0x41 && c <= 0x5a
  const ch = String.fromCharCode(c)
  return ch !== ch.toLowerCase()
}

interface Token {
  kind: 'word' | 'num'
  start: number
  end: number
  /** Words: the word once {@link wordOf} has read it, else ''; numbers: ''. */
  text: string
  /** Numbers: the value, thousands separators read; words: their FNV steps (for listedAt). */
  value: number
  /** Words: has an apostrophe (l'Assemblée, Trump's). */
  apostrophe: boolean
  /** Numbers: has a decimal part. */
  decimal: boolean
  /** Numbers: digits before any separator. */
  lead: number
  /** Words: first word of a sentence. */
  initial: boolean
  /** Only spaces (or nothing) since the previous token. */
  tight: boolean
}

const LINKS =
  /\bhttps?:\/\/[^\s"'<>()[\]{}]+|\bwww\.[^\s"'<>()[\]{}]+|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}|(?<![\p{L}\p{N}_@#&])[@#][\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*/gu

/** URLs, e-mail addresses, @handles and #hashtags become anchors; returns their spans, for the scanner to skip. */
function linkAnchors(text: string, out: Anchor[]): number[] {
  const spans: number[] = []
  if (!(text.includes('@') || text.includes('#') || text.includes('://') || text.includes('www.'))) return spans
  for (const m of text.matchAll(LINKS)) {
    const raw = m[0]
    const c = raw.charCodeAt(0)
    if (c === 0x40 || c === 0x23) emit(out, 'handle', raw.toLowerCase(), 1)
    else if (raw.includes('@') && !raw.includes('/')) emit(out, 'url', `mailto:${raw.toLowerCase()}`, 1)
    else {
      const key = raw
        .toLowerCase()
        .replace(/^https?:\/\/(?:www\.)?|^www\./, '')
        .replace(/[.,;:!?'"]+$/, '')
        .replace(/\/$/, '')
      emit(out, 'url', key, 1)
    }
    spans.push(m.index, m.index + raw.length)
  }
  return spans
}

// The tokens of the text being read, reused from call to call (one Token object a slot, never
// handed out): `scan` fills slots [0, count) and leaves `undefined` at `count`, so that looking
// one or two tokens past the last finds nothing, as it would past the end of a fresh array.
const tokenObjects: Token[] = []
const MAX_KEPT_TOKENS = 1 << 16
const tokens: (Token | undefined)[] = []

/** The text being read: {@link wordOf} cuts words from it. */
let scanned = ''

/** A word token's word, cut from the text on first use (most words are only looked up in the lists). */
function wordOf(tok: Token): string {
  if (tok.text === '') tok.text = scanned.slice(tok.start, tok.end)
  return tok.text
}

/** Token slot `i`, set to a token of these fields (the others false or 0). */
function nextToken(i: number, kind: Token['kind'], start: number, end: number, value: number, tight: boolean): Token {
  let tok = tokenObjects[i]
  if (tok === undefined) {
    tok = { kind, start, end, text: '', value, apostrophe: false, decimal: false, lead: 0, initial: false, tight }
    tokenObjects.push(tok)
  } else {
    tok.kind = kind
    tok.start = start
    tok.end = end
    tok.text = ''
    tok.value = value
    tok.apostrophe = tok.decimal = tok.initial = false
    tok.lead = 0
    tok.tight = tight
  }
  tokens[i] = tok
  return tok
}

/**
 * Split text into word and number tokens. Numbers are read as they are scanned: a `,` `.` space,
 * no-break or thin space, `'` or `٬` followed by exactly three digits, after a lead of one to three
 * digits, separates thousands (the same separator throughout: "3,500", "3.500", "3 500", "1.234.567");
 * a `.` `,` or `٫` before other digits is a decimal point. ISO dates become anchors at once, and
 * times (10:30) are skipped.
 */
function scan(text: string, out: Anchor[], skip: number[]): number {
  let count = 0
  const n = text.length
  let brk = true // a sentence starts at the next word
  let tight = true
  let dotOnly = true // the gap holds only spaces and periods
  let newline = false
  let abbrev = false // the previous word is "U", "Sen", "Mr"…: a period after it does not end a sentence
  let si = 0
  let i = 0
  while (i < n) {
    if (si < skip.length && i >= (skip[si] as number)) {
      i = skip[si + 1] as number
      si += 2
      brk = newline = abbrev = false
      tight = dotOnly = true
      continue
    }
    const c = text.charCodeAt(i)
    const k = classOf(c)
    if (k === LETTER) {
      const start = i++
      // The word's FNV steps, for the word lists (listedAt).
      let h = fnvStep(FNV_SEED, c)
      let apostrophe = false
      while (i < n) {
        const d = text.charCodeAt(i)
        if (classOf(d) === LETTER) {
          h = fnvStep(h, d)
          i++
        } else if ((d === 0x27 || d === 0x2019) && i + 1 < n && classOf(text.charCodeAt(i + 1)) === LETTER) {
          h = fnvStep(fnvStep(h, d), text.charCodeAt(i + 1))
          apostrophe = true
          i += 2
        } else break
      }
      const initial = newline || (brk && !(dotOnly && abbrev))
      const tok = nextToken(count++, 'word', start, i, h, tight)
      tok.apostrophe = apostrophe
      tok.initial = initial
      const len = i - start
      abbrev = len <= 4 && isUpperCode(c) && (len === 1 || !isUpperCode(text.charCodeAt(start + 1)))
      brk = newline = false
      tight = dotOnly = true
      continue
    }
    if (k === DIGIT) {
      const start = i
      if (
        i + 10 <= n &&
        text.charCodeAt(i + 4) === 0x2d &&
        text.charCodeAt(i + 7) === 0x2d &&
        /^\d{4}-\d{2}-\d{2}$/.test(text.slice(i, i + 10)) &&
        !isDigitAt(text, i + 10)
      ) {
        const y = Number(text.slice(i, i + 4))
        const mo = Number(text.slice(i + 5, i + 7))
        const d = Number(text.slice(i + 8, i + 10))
        if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31) emit(out, 'date', `${pad(mo)}-${pad(d)}`, 1)
        pushNumber(out, y, false)
        i += 10
        brk = newline = abbrev = false
        tight = dotOnly = true
        continue
      }
      let int = 0
      let lead = 0
      while (i < n && classOf(text.charCodeAt(i)) === DIGIT) {
        int = int * 10 + digitOf(text.charCodeAt(i))
        i++
        lead++
      }
      if (
        lead <= 2 &&
        text.charCodeAt(i) === 0x3a &&
        isDigitAt(text, i + 1) &&
        isDigitAt(text, i + 2) &&
        !isDigitAt(text, i + 3)
      ) {
        i += 3 // 10:30
        brk = newline = abbrev = false
        tight = dotOnly = true
        continue
      }
      let sep = -1
      if (lead <= 3) {
        while (i < n && isGroupSeparator(text.charCodeAt(i)) && (sep < 0 || text.charCodeAt(i) === sep) && isGroup(text, i + 1)) {
          sep = text.charCodeAt(i)
          for (let j = i + 1; j < i + 4; j++) int = int * 10 + digitOf(text.charCodeAt(j))
          i += 4
        }
      }
      let value = int
      let decimal = false
      if (i + 1 < n && isDecimalPoint(text.charCodeAt(i)) && text.charCodeAt(i) !== sep && isDigitAt(text, i + 1)) {
        let j = i + 1
        let frac = ''
        while (j < n && classOf(text.charCodeAt(j)) === DIGIT) frac += String(digitOf(text.charCodeAt(j++)))
        value = Number(`${int}.${frac}`)
        decimal = true
        i = j
      }
      const tok = nextToken(count++, 'num', start, i, value, tight)
      tok.decimal = decimal
      tok.lead = lead
      brk = newline = abbrev = false
      tight = dotOnly = true
      continue
    }
    if (k !== SPACE) {
      tight = false
      if (c !== 0x2e) dotOnly = false
    }
    if (c === 0x0a || c === 0x0d || c === 0x2029) newline = true
    else if (isBreak(c)) brk = true
    i++
  }
  tokens[count] = undefined
  return count
}

function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v)
  return String(Number(v.toPrecision(10)))
}

function scriptClass(c: number): 'cased' | 'arabic' | 'kana' | 'cjk' | 'other' {
  if (c < 0x590) return c >= 0x2b0 && c < 0x370 ? 'other' : 'cased' // Latin, Greek, Cyrillic, Armenian
  if (c >= 0x600 && c < 0x700) return 'arabic'
  if (c >= 0x750 && c < 0x780) return 'arabic'
  if (c >= 0x8a0 && c < 0x900) return 'arabic'
  if (c >= 0x1e00 && c < 0x2000) return 'cased'
  if (c >= 0x30a0 && c < 0x3100) return 'kana'
  if (c >= 0x3040 && c < 0x30a0) return 'cjk'
  if ((c >= 0x3400 && c < 0xa000) || (c >= 0xac00 && c < 0xd7b0) || (c >= 0xf900 && c < 0xfb00)) return 'cjk'
  if (c >= 0xfb50 && c < 0xff00) return 'arabic'
  return 'other'
}

const ARABIC_PREFIX = /^(?:[وف]?(?:[بلك]?ال|لل)|[وف])(?=..)/

/** Long-vowel letters after the first: transliterated foreign names spell their vowels out, Arabic words mostly do not. */
function longVowels(stem: string): number {
  let n = 0
  for (let i = 1; i < stem.length; i++) {
    const c = stem.charCodeAt(i)
    if (c === 0x627 || c === 0x648 || c === 0x64a || c === 0x649) n++
  }
  return n
}

/** Drop the clitics و ف (and, so), ب ل ك (in, for, like) and the article ال from an Arabic word. */
function arabicStem(w: string): string {
  const c = w.charCodeAt(0)
  return c === 0x648 || c === 0x641 || c === 0x628 || c === 0x644 || c === 0x643 || c === 0x627 ? w.replace(ARABIC_PREFIX, '') : w
}

let usedFlags = new Uint8Array(1024)

/**
 * Extract anchors from original-case text (a paragraph or a whole document): numbers and amounts,
 * dates, names, URLs, e-mail addresses, @handles and #hashtags. The same anchor may appear more than
 * once; {@link anchorHashes} makes the set.
 *
 * @example extractAnchors('Rebels freed 3,500 prisoners in Homs on 8 December.').map((a) => a.key)
 * // ['12-08', '3500', 'ms']: the date, the number, the name "Homs"
 */
export function extractAnchors(text: string, tuning?: AnchorTuning): Anchor[] {
  argString('extractAnchors', 'text', text)
  argOptions('extractAnchors', 'tuning', tuning)
  return collect(text, tuning ? { ...DEFAULT_TUNING, ...tuning } : DEFAULT_TUNING, [])
}

// The hash sink of anchorHashList: while `hashing`, emit() hashes each anchor into `hashed`
// instead of making it.
let hashing = false
let hashed: Uint32Array = new Uint32Array(256)
let hashedCount = 0
const NO_ANCHORS: Anchor[] = []

function pushHash(h: number): void {
  if (hashedCount === hashed.length) {
    const bigger = new Uint32Array(2 * hashed.length)
    bigger.set(hashed)
    hashed = bigger
  }
  hashed[hashedCount++] = h
}

/** One anchor: made, or (for anchorHashList) hashed. */
function emit(out: Anchor[], kind: AnchorKind, key: string, weight: number): void {
  if (hashing) pushHash(hashChars(key, KIND_SEED[kind]))
  else out.push({ kind, key, weight })
}

const digits = new Uint8Array(16)

/** `hashChars(String(value), seed)` of a safe integer ≥ 0, from its digits. */
function digitsHash(value: number, seed: number): number {
  let n = 0
  let x = value
  do {
    const d = x % 10
    digits[n++] = d
    x = (x - d) / 10
  } while (x > 0)
  let h = (FNV_SEED ^ seed) >>> 0
  while (n > 0) h = fnvStep(h, 0x30 + (digits[--n] as number))
  return mix32(h)
}

/**
 * `anchorHash` of each of `extractAnchors(text)` (default tuning), in the same order, at the
 * front of {@link anchorHashScratch}; returns their number. Pass 1 reads this: no anchor object
 * is made, nor, for an integer, its key.
 */
export function anchorHashList(text: string): number {
  // A very long text's array is dropped at the next call, once its reader is done with it.
  if (hashed.length > MAX_KEPT_TOKENS) hashed = new Uint32Array(256)
  hashing = true
  hashedCount = 0
  try {
    collect(text, DEFAULT_TUNING, NO_ANCHORS)
  } finally {
    hashing = false
  }
  return hashedCount
}

/** The array {@link anchorHashList} writes to (valid until its next call). */
export function anchorHashScratch(): Uint32Array {
  return hashed
}

function collect(text: string, t: Required<AnchorTuning>, out: Anchor[]): Anchor[] {
  // The tokens and the flags are reused: nothing extractAnchors calls extracts anchors.
  scanned = text
  const count = scan(text, out, linkAnchors(text, out))
  // Tokens consumed by a date or an amount.
  if (usedFlags.length < count) usedFlags = new Uint8Array(2 * count)
  else usedFlags.fill(0, 0, count)
  const used = usedFlags
  let german = 0
  let notGerman = 0

  // Dates and amounts first: they consume the numbers next to month names and magnitude words.
  for (let i = 0; i < count; i++) {
    const tok = tokens[i] as Token
    if (tok.kind === 'num') {
      const next = tokens[i + 1]
      // CJK: 11月6日, 350万, 3億
      const after = text.charCodeAt(tok.end)
      if ((after === 0x6708 || after === 0xc6d4) && !tok.decimal && tok.value >= 1 && tok.value <= 12) {
        // the day follows the month sign, maybe after a space: 12月8日, 12월 8일
        let k = i + 1
        while (tokens[k]?.kind === 'word' && (tokens[k] as Token).start <= tok.end + 1) k++
        const day = tokens[k]?.kind === 'num' && (tokens[k] as Token).start <= tok.end + 2 ? tokens[k] : undefined
        const dayMark = day ? text.charCodeAt(day.end) : 0
        if (day && (dayMark === 0x65e5 || dayMark === 0xc77c) && day.value >= 1 && day.value <= 31) {
          emit(out, 'date', `${pad(tok.value)}-${pad(day.value)}`, 1)
          used[i] = used[k] = 1
        } else {
          emit(out, 'date', `${pad(tok.value)}`, 0.3)
          used[i] = 1
        }
        continue
      }
      const cjk = after >= 0x3000 ? CJK_MAGNITUDES[String.fromCharCode(after)] : undefined
      if (cjk !== undefined) {
        pushNumber(out, tok.value * cjk, false)
        used[i] = 1
        continue
      }
      if (next?.kind === 'word' && next.tight) {
        let mag = MAGNITUDES.get(wordOf(next))
        const then = tokens[i + 2]
        if (mag === 1e3 && then?.kind === 'word' && then.tight && MAGNITUDES.get(wordOf(then)) === 1e6) mag = 1e9 // "mil millones"
        if (mag !== undefined) {
          pushNumber(out, tok.value * mag, false)
          used[i] = 1
        }
      }
      continue
    }
    // Month names, with the day next to them: "6 November", "November 6", "6 de noviembre", "6. November".
    const len = tok.end - tok.start
    const listed = listedAt(text, tok.start, tok.end, tok.value)
    if (listed && len <= 6 && t.germanNouns) {
      if (listed.german) german++
      else if (listed.notGerman) notGerman++
    }
    if (len < 3 || len > 11) continue
    const code = listed?.date
    if (code !== undefined && code > 100) {
      emit(out, 'date', `d${code - 100}`, 0.3)
      used[i] = 1
      continue
    }
    let month = code
    if (month === undefined && len === 5 && text.charCodeAt(tok.start) >= 0x600) {
      const w = wordOf(tok)
      const n = tokens[i + 1]
      if ((w === 'تشرين' || w === 'كانون') && n?.kind === 'word') month = MONTHS.get(`${w}_${wordOf(n)}`)
    }
    if (month !== undefined) {
      const w = wordOf(tok)
      const day = dayNear(tokens, i, text)
      const lower = w.toLowerCase()
      if (AMBIGUOUS_MONTHS.has(lower) && day < 0) continue
      if (CAPITALISED_MONTHS.has(lower) && !isUpperCode(w.charCodeAt(0))) continue
      if (day >= 0) {
        emit(out, 'date', `${pad(month)}-${pad((tokens[day] as Token).value)}`, 1)
        used[day] = 1
      } else emit(out, 'date', `${pad(month)}`, 0.3)
      used[i] = 1 // not a name
    }
  }

  const germanMode = german >= 2 && german > 2 * notGerman
  for (let i = 0; i < count; i++) {
    if (used[i]) continue
    const tok = tokens[i] as Token
    if (tok.kind === 'num') {
      // Digits glued to letters ("F-16", "G20") still count: they survive translation.
      pushNumber(out, tok.value, tok.decimal)
      continue
    }
    const first = text.charCodeAt(tok.start)
    const script = scriptClass(first)
    if (script === 'cased') {
      if (!isUpperCode(first) && !tok.apostrophe) continue
      pushCasedName(out, tokens, i, t, germanMode)
      continue
    }
    const w = wordOf(tok)
    if (script === 'arabic') {
      if (t.arabicNames === 'none') continue
      const stem = arabicStem(w)
      if (stem.length < 3 || ARABIC_STOP.has(w) || ARABIC_STOP.has(stem)) continue
      if (MAGNITUDES.has(stem) || MAGNITUDES.has(w)) continue
      if (t.arabicVowels > 0 && longVowels(stem) < t.arabicVowels * stem.length) continue
      const key = nameKey(stem, t.keyLength)
      if (key.length >= t.arabicMinClasses) emit(out, 'name', key, 0.5)
    } else if (script === 'kana') {
      // Katakana spells foreign names (and loanwords) in Japanese.
      for (const run of w.match(/[\u30a0-\u30ff]{2,}/g) ?? []) {
        const key = nameKey(run.replace(/[\u30fb\u30fc]/g, ''), t.keyLength)
        if (key) emit(out, 'name', key, 0.5)
      }
    }
    // Han, Hangul, Hebrew, Indic scripts…: no capitals and no reliable cue; numbers and Latin words only.
  }
  // A very long text's tokens are not kept (nor, through their words, the text).
  if (count > MAX_KEPT_TOKENS) tokenObjects.length = tokens.length = 0
  scanned = ''
  return out
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

function pushNumber(out: Anchor[], value: number, decimal: boolean): void {
  if (!Number.isFinite(value)) return
  if (!decimal && value < 10) return // small counts are everywhere, and often spelled out
  const year = !decimal && Number.isInteger(value) && value >= 1900 && value <= 2100
  // An integer's key is its digits: hashed as they are, with no string made.
  if (hashing && Number.isSafeInteger(value)) pushHash(digitsHash(value, KIND_SEED.number))
  else emit(out, 'number', formatValue(value), year ? 0.3 : value < 100 ? 0.5 : 1)
}

/** Index of a day number (1–31) next to the month word at `i`, or -1. */
function isDay(t: Token | undefined): boolean {
  return t !== undefined && t.kind === 'num' && !t.decimal && t.value >= 1 && t.value <= 31 && t.lead <= 2
}

function dayNear(tokens: (Token | undefined)[], i: number, text: string): number {
  // before: "6 November", "6. November", "6 de noviembre", "le 6 novembre"
  const prev = tokens[i - 1]
  const cur = tokens[i] as Token
  if (prev && isDay(prev) && /^[\s.]*$/.test(text.slice(prev.end, cur.start))) return i - 1
  if (prev?.kind === 'word' && /^(?:de|del|du|di|of)$/i.test(wordOf(prev)) && isDay(tokens[i - 2])) return i - 2
  // after: "November 6", "November 6, 2018"
  const next = tokens[i + 1]
  if (next && isDay(next) && /^[\s.]*$/.test(text.slice(cur.end, next.start))) return i + 1
  return -1
}

function pushCasedName(
  out: Anchor[],
  tokens: (Token | undefined)[],
  i: number,
  t: Required<AnchorTuning>,
  germanMode: boolean,
): void {
  const tok = tokens[i] as Token
  let w = wordOf(tok)
  // Elision and possessive: l'Assemblée, d'Elizabeth, dell'Italia → the name; Trump's → Trump.
  if (tok.apostrophe) {
    const apo = w.indexOf("'") >= 0 ? w.indexOf("'") : w.indexOf('’')
    const head = w.slice(0, apo)
    const tail = w.slice(apo + 1)
    if (head === head.toLowerCase()) w = tail
    else if (tail === 's' || tail === 'S') w = head
    if (!isUpperCode(w.charCodeAt(0))) return
  }
  const letters = w.length
  if (letters < 2) return
  // The word as scanned: the table says whether it is listed; a part of it: the set.
  if (tok.apostrophe ? NOT_NAMES.has(w) : listedAt(scanned, tok.start, tok.end, tok.value)?.notName) return
  // ALL CAPS: an acronym (NATO, BBC), keyed as spelled; but not in a headline in capitals.
  if (isUpperCode(w.charCodeAt(1)) && w === w.toUpperCase()) {
    if (letters > 6 || shouting(tokens[i - 1]) || shouting(tokens[i + 1])) return
    const key = toAscii(w).replace(/[^a-z0-9]/g, '')
    if (key.length >= 2) emit(out, 'name', `=${key}`, FREQUENT_ACRONYMS.has(key) ? 0.3 : 1)
    return
  }
  if (tok.initial && (!t.sentenceInitial || isFunctionWord(w.toLowerCase()))) return
  if (germanMode) {
    const prev = tokens[i - 1]
    const p = prev?.kind === 'word' ? wordOf(prev) : ''
    // After an article, an inflected adjective ("der neuen Regierung") or a number, a capitalised word is a noun.
    const afterDeterminer =
      p !== '' &&
      (GERMAN_DETERMINERS.has(p.toLowerCase()) ||
        (p.length >= 4 && !isUpperCode(p.charCodeAt(0)) && /(?:e|en|er|es|em)$/.test(p)))
    if (afterDeterminer || prev?.kind === 'num' || GERMAN_NOUN_SUFFIX.test(w.toLowerCase()) || letters >= 14) return
  }
  const key = nameKey(w, t.keyLength)
  if (!key) return
  const weight = isFrequentName(key) ? 0.3 : key.length < 3 ? 0.5 : 1
  emit(out, 'name', key, weight)
}

/** A word in capitals, as in a headline set in capitals. */
function shouting(tok: Token | undefined): boolean {
  if (tok === undefined || tok.kind !== 'word' || tok.end - tok.start < 2) return false
  const w = wordOf(tok)
  return isUpperCode(w.charCodeAt(1)) && w === w.toUpperCase()
}

const KIND_SEED: Record<AnchorKind, number> = { number: 1, name: 2, url: 3, handle: 3, date: 4 }

/** The hash of one anchor's kind and key: {@link anchorHashes} makes the set of them. */
export function anchorHash(a: Anchor): number {
  return hashChars(a.key, KIND_SEED[a.kind])
}

/** Anchors as a sorted set of hashes (kind and key), for set comparison and LSH. */
export function anchorHashes(anchors: Anchor[]): Uint32Array {
  const h = new Uint32Array(anchors.length)
  for (let i = 0; i < anchors.length; i++) h[i] = anchorHash(anchors[i] as Anchor)
  h.sort()
  let n = 0
  for (let i = 0; i < h.length; i++) if (i === 0 || h[i] !== h[n - 1]) h[n++] = h[i] as number
  return h.slice(0, n)
}
