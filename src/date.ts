// Publication dates: the forms wiretrace accepts, read the same on every machine. Date.parse
// alone takes almost anything ("1" is 2001-01-01) and reads zone-less times in local time.

/** The accepted forms, for error messages. */
export const PUBLISHED_AT_FORMS =
  'an ISO 8601 date (2024-03-05, 2024-03-05T14:30:00Z, 2024-03-05 14:30+01:00), an RFC 2822 date (Tue, 05 Mar 2024 14:30:00 GMT) or D-MON-YYYY HH:MM:SS (3-MAR-1987 04:23:44.53); times without a zone are UTC'

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i
const DMY = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/
const RFC2822 =
  /^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s+(?:GMT|UTC?|Z|[+-]\d{4}|[ECMP][SD]T)$/i
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

function utc(y: string, mo: number, d: string, h = '0', mi = '0', s = '0', frac = ''): number {
  const fields = [Number(y), mo, Number(d), Number(h), Number(mi), Number(s)] as const
  const t = Date.UTC(
    fields[0],
    fields[1] - 1,
    fields[2],
    fields[3],
    fields[4],
    fields[5],
    Math.round(Number(`0.${frac || '0'}`) * 1000),
  )
  const back = new Date(t)
  // Date.UTC rolls 31 February over into March: refuse what does not come back as written.
  const same =
    back.getUTCFullYear() === fields[0] &&
    back.getUTCMonth() === fields[1] - 1 &&
    back.getUTCDate() === fields[2] &&
    back.getUTCHours() === fields[3] &&
    back.getUTCMinutes() === fields[4] &&
    back.getUTCSeconds() === fields[5]
  return same ? t : Number.NaN
}

/**
 * The instant of a publication date in one of {@link PUBLISHED_AT_FORMS}, in ms since the epoch;
 * NaN for anything else.
 */
export function parsePublishedAt(value: string): number {
  const s = value.trim()
  const iso = ISO.exec(s)
  if (iso) {
    const [, y, mo, d, h, mi, sec, frac, zone] = iso as unknown as string[]
    const t = utc(y as string, Number(mo), d as string, h, mi, sec, frac)
    if (!zone || zone.toUpperCase() === 'Z') return t
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone) as RegExpExecArray
    const minutes = Number(z[2]) * 60 + Number(z[3] ?? 0)
    return minutes > 18 * 60 ? Number.NaN : t - (z[1] === '-' ? -1 : 1) * minutes * 60_000
  }
  const dmy = DMY.exec(s)
  if (dmy) {
    const [, d, mon, y, h, mi, sec, frac] = dmy as unknown as string[]
    const mo = MONTHS.indexOf((mon as string).toLowerCase()) + 1
    return mo === 0 ? Number.NaN : utc(y as string, mo, d as string, h, mi, sec, frac)
  }
  // RFC 2822 always carries a zone, so Date.parse reads it the same everywhere.
  return RFC2822.test(s) ? Date.parse(s) : Number.NaN
}
