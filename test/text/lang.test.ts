import { describe, expect, it } from 'vitest'
import { detectLanguage, detectLanguageWith, isFunctionWord, voteLanguage } from '../../src/text/lang.js'
import { has, NTREX, readJsonl } from '../helpers/corpora.js'

// Short sentences written for these tests (one news-like sentence per language).
const SENTENCES: [string, string][] = [
  ['en', 'The rebels entered the city on Saturday, witnesses said, and the army withdrew to the coast.'],
  ['es', 'Los rebeldes entraron en la ciudad el sábado, según los testigos, y el ejército se retiró hacia la costa.'],
  ['fr', "Les rebelles sont entrés dans la ville samedi, selon des témoins, et l'armée s'est retirée vers la côte."],
  ['de', 'Die Rebellen sind am Samstag in die Stadt eingedrungen, sagten Zeugen, und die Armee zog sich an die Küste zurück.'],
  ['pt', 'Os rebeldes entraram na cidade no sábado, segundo testemunhas, e o exército recuou para a costa.'],
  ['it', "I ribelli sono entrati nella città sabato, secondo i testimoni, e l'esercito si è ritirato verso la costa."],
  [
    'nl',
    'De rebellen zijn zaterdag de stad binnengetrokken, zeggen getuigen, en het leger heeft zich naar de kust teruggetrokken.',
  ],
  ['ca', "Els rebels van entrar a la ciutat dissabte, segons els testimonis, i l'exèrcit es va retirar cap a la costa."],
  ['pl', 'Rebelianci weszli do miasta w sobotę, jak podają świadkowie, a armia wycofała się na wybrzeże.'],
  ['sv', 'Rebellerna tog sig in i staden på lördagen, enligt vittnen, och armén drog sig tillbaka till kusten.'],
  ['tr', 've isyancılar cumartesi günü şehre girdi, tanıklara göre ordu da sahile çekildi ve bu çok önemli bir gelişme oldu.'],
  ['id', 'Para pemberontak memasuki kota pada hari Sabtu, kata para saksi, dan tentara mundur ke pantai.'],
  ['ar', 'دخل المتمردون المدينة يوم السبت بحسب شهود عيان، وانسحب الجيش نحو الساحل.'],
  ['fa', 'شورشیان روز شنبه وارد شهر شدند، به گفته شاهدان، و ارتش به سمت ساحل عقب نشینی کرد.'],
  ['ur', 'باغی ہفتے کے روز شہر میں داخل ہوئے، عینی شاہدین نے بتایا، اور فوج ساحل کی طرف پیچھے ہٹ گئی۔'],
  ['ru', 'Повстанцы вошли в город в субботу, сообщили свидетели, и армия отступила к побережью.'],
  ['uk', 'Повстанці увійшли до міста в суботу, повідомили свідки, і армія відступила до узбережжя.'],
  ['bg', 'Бунтовниците влязоха в града в събота, казаха свидетели, и армията се оттегли към брега, че това е така.'],
  ['sr', 'Побуњеници су ушли у град у суботу, рекли су сведоци, а војска се повукла ка обали.'],
  ['el', 'Οι αντάρτες μπήκαν στην πόλη το Σάββατο, είπαν μάρτυρες, και ο στρατός αποσύρθηκε προς την ακτή.'],
  ['he', 'המורדים נכנסו לעיר ביום שבת, אמרו עדים, והצבא נסוג לעבר החוף.'],
  ['zh', '叛军周六进入该市，目击者说，军队撤向海岸。'],
  ['ja', '反政府勢力は土曜日に市内に入り、軍は海岸へ撤退したと目撃者は語った。'],
  ['ko', '반군은 토요일에 도시에 진입했고 군대는 해안으로 철수했다고 목격자들이 말했다.'],
  ['th', 'กลุ่มกบฏเข้าเมืองเมื่อวันเสาร์ และกองทัพถอยไปทางชายฝั่ง พยานกล่าว'],
]

describe('detectLanguage', () => {
  it.each(SENTENCES)('names %s', (lang, text) => {
    expect(detectLanguage(text)).toBe(lang)
  })

  it('returns undefined for text too short to tell', () => {
    for (const t of ['', 'Homs', 'OK!', '2024-12-08', 'Reuters', '— AFP']) expect(detectLanguage(t)).toBeUndefined()
  })

  it('returns undefined for headlines and tables without function words, instead of guessing', () => {
    expect(detectLanguage('Homs falls to rebels')).toBeUndefined()
    expect(detectLanguage('Shr 27 cts vs 29 cts Net 13,555,000 vs 14,635,000 Revs 104,606,000 vs 110,311,000')).toBeUndefined()
  })

  it('does not call an English price table Catalan for its "per" and "No", nor a headline Polish for "Co"', () => {
    // English uses both words too ("pence per kilo", "No.2 grade"); before they were English
    // function words, seven Reuters price tables came out Catalan, one at 0.92.
    const table =
      'LONDON COCOA PHYSICALS - MAY 4 pence per kilo No.1 SPOT 60.00 61.00 Jun 61.50 62.50 Jul 61.00 62.00 No.2 Jun 57.50 58.50 Jul unquoted No.3 Jun 56.00 57.00 Jul unquoted per tonne'
    expect(detectLanguage(table)).not.toBe('ca')
    expect(voteLanguage('No 1 grade per lb, No 2 grade per lb, No 3 per lb, no bids per ton')).not.toBe('ca')
    // "Co" closes a company's name; Polish "co" is "what". An English headline in capitals was Polish.
    expect(detectLanguage('ACME TO SELL CHICAGO RADIO STATION TO GLOBAL MEDIA CO')).not.toBe('pl')
    expect(
      detectLanguage('Nie wiadomo, co się stało z rannymi, jak podają świadkowie, a policja nie chce tego komentować.'),
    ).toBe('pl')
  })

  it('ignores letter case', () => {
    expect(detectLanguage('THE RAIN IN SPAIN FALLS MAINLY ON THE PLAIN AND THE HILLS OF THE NORTH')).toBe('en')
    expect(detectLanguage('LA LLUVIA EN SEVILLA ES UNA MARAVILLA Y LOS CAMPOS DEL SUR')).toBe('es')
  })

  it('tells Spanish from Catalan and Portuguese by the words only one of them uses', () => {
    expect(voteLanguage('Los dos acusados fueron condenados el martes por el tribunal.')).toBe('es')
    expect(voteLanguage('Els dos acusats van ser condemnats dimarts pel tribunal amb els vots de tots.')).toBe('ca')
    expect(voteLanguage('Os dois acusados foram condenados na terça-feira pelo tribunal.')).toBe('pt')
  })

  it('does not call a language when its close relative has as much evidence', () => {
    // "el", "la", "de", "que" are both Spanish and Catalan
    expect(voteLanguage('el la de que')).toBeUndefined()
  })

  it('reads NFD text and Romanian cedilla letters like their composed forms', () => {
    const nfd = 'Les rebelles sont entrés dans la ville samedi, selon des témoins.'.normalize('NFD')
    expect(detectLanguage(nfd)).toBe('fr')
    expect(voteLanguage('Guvernul a anunţat că este pregătit să negocieze cu sindicatele şi că va face asta.')).toBe('ro')
  })

  it('looks at the beginning only, so a long text costs no more than its first characters', () => {
    const long = `${SENTENCES[0]?.[1]} ${'x'.repeat(1_000_000)}`
    const t0 = performance.now()
    for (let i = 0; i < 100; i++) detectLanguage(long)
    expect(performance.now() - t0).toBeLessThan(1000)
    expect(detectLanguage(long)).toBe('en')
  })

  it('says which stage answered', () => {
    expect(detectLanguageWith('Homs', undefined).stage).toBe('short')
    expect(detectLanguageWith('دخل المتمردون المدينة يوم السبت', undefined).stage).toBe('script')
    expect(detectLanguageWith(SENTENCES[0]?.[1] as string, undefined).stage).toBe('vote')
  })

  it('hands only long prose that the first stages leave open to the model', () => {
    const calls: string[] = []
    const model = (t: string) => {
      calls.push(t)
      return { lang: 'xx', margin: 10 }
    }
    expect(detectLanguageWith('Homs falls to rebels', model).lang).toBeUndefined()
    // Latvian is not among the voting languages: 200+ letters of it go to the model.
    const lv =
      'Nemiernieki sestdien ienāca pilsētā, liecinieki stāstīja, ka armija atkāpās uz piekrasti, bet iedzīvotāji palika savās mājās un gaidīja ziņas no galvaspilsētas, kur valdība apspriedās visu nakti bez pārtraukuma. ' +
      'Ministrs paziņoja, ka situācija ir nopietna, taču kontrolējama, un aicināja cilvēkus saglabāt mieru.'
    expect(detectLanguageWith(lv, model)).toEqual({ lang: 'xx', stage: 'model', confidence: 0.75 })
    expect(calls).toHaveLength(1)
    expect(detectLanguage(lv)).toBe('lv')
  })

  it('knows function words in any case', () => {
    expect(isFunctionWord('the')).toBe(true)
    expect(isFunctionWord('The')).toBe(true)
    expect(isFunctionWord('Der')).toBe(true)
    expect(isFunctionWord('Damascus')).toBe(false)
  })
})

const hasNtrex = has(NTREX, 'detectLanguage on NTREX (test/text/lang.test.ts)')

describe.skipIf(!hasNtrex)('detectLanguage on NTREX (skipped without ../shared/corpora)', () => {
  // A skipped suite's body still runs to collect its tests: read only when the corpus is there.
  const docs = hasNtrex ? readJsonl<{ lang: string; text: string }>(NTREX) : []

  it('names every document, and is right on 99.5% of the lines it names', () => {
    expect(docs.filter((d) => detectLanguage(d.text) === d.lang).length).toBe(docs.length)
    let answered = 0
    let right = 0
    for (const d of docs) {
      for (const line of d.text.split('\n')) {
        const lang = detectLanguage(line)
        if (lang === undefined) continue
        answered++
        if (lang === d.lang) right++
      }
    }
    expect(right / answered).toBeGreaterThan(0.995)
    expect(answered).toBeGreaterThan(10_000) // of 11,982 lines
  })
})
