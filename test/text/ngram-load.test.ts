// The n-gram model (tinyld, about 0.3 s to load) is loaded the first time a text needs it when the
// CLI or a worker thread hands over a loader; a text the first two stages name never loads it.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { expectMessage } from '../helpers/errors.js'

const LATVIAN =
  'Nemiernieki sestdien ienāca pilsētā, liecinieki stāstīja, ka armija atkāpās uz piekrasti, bet iedzīvotāji palika savās mājās un gaidīja ziņas no galvaspilsētas, kur valdība apspriedās visu nakti bez pārtraukuma. ' +
  'Ministrs paziņoja, ka situācija ir nopietna, taču kontrolējama, un aicināja cilvēkus saglabāt mieru.'
const ENGLISH = 'The rebels entered the city on Saturday, witnesses said, and the army withdrew to the coast.'

/** lang.ts afresh: its model state is per module instance. */
async function freshLang() {
  vi.resetModules()
  return import('../../src/text/lang.js')
}

describe('the n-gram model, loaded on first need', () => {
  const getBuiltinModule = process.getBuiltinModule
  afterEach(() => {
    process.getBuiltinModule = getBuiltinModule
  })

  it('calls the loader once, and only for a text the script and function words leave open', async () => {
    const lang = await freshLang()
    let loads = 0
    lang.setNgramModel(() => {
      loads++
      return () => [
        { lang: 'lv', accuracy: 0.9 },
        { lang: 'lt', accuracy: 0.1 },
      ]
    }, true)
    expect(lang.detectLanguage(ENGLISH)).toBe('en')
    expect(loads).toBe(0)
    expect(lang.detectLanguage(LATVIAN)).toBe('lv')
    expect(lang.detectLanguage(LATVIAN)).toBe('lv')
    expect(loads).toBe(1)
  })

  it('loads tinyld through Node when nothing was handed over', async () => {
    const lang = await freshLang()
    expect(lang.detectLanguage(LATVIAN)).toBe('lv')
  })

  it('says what is missing when it has no model and cannot require one', async () => {
    const lang = await freshLang()
    process.getBuiltinModule = undefined as unknown as typeof process.getBuiltinModule
    expect(lang.detectLanguage(ENGLISH)).toBe('en')
    let caught: { name?: string; code?: string; message: string } | undefined
    try {
      lang.detectLanguage(LATVIAN)
    } catch (e) {
      caught = e as typeof caught
    }
    // A WiretraceError of the fresh module graph (instanceof would compare with another class).
    expect(caught?.name).toBe('WiretraceError')
    expect(caught?.code).toBe('MISSING_DEPENDENCY')
    expectMessage(caught?.message ?? '', ['the n-gram model (tinyld) is not loaded'])
  })
})
