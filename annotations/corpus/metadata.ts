// Metadata read from an article's text: its title and its publication date (DCT).
// Pure: no Node imports; chrono-node does the date parsing.
import * as chrono from 'chrono-node';

/** Maximum length of a title, in code points. */
export const MAX_TITLE_LENGTH = 300;
/** How much of the start of an article is searched for its publication date. */
export const DATE_SEARCH_CHARS = 2500;

/** The first non-empty line of the text, trimmed and cut to 300 code points; '' if there is none. */
export function titleOf(text: string): string {
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(start, end).trim();
    if (line) return line.length > MAX_TITLE_LENGTH ? [...line].slice(0, MAX_TITLE_LENGTH).join('') : line;
    start = end + 1;
  }
  return '';
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** How far before and after a year-like number a full date written around it can reach, in UTF-16 units. */
const DATE_REACH_BEFORE = 80;
const DATE_REACH_AFTER = 40;
const YEAR_LIKE = /(?:19|20|21)\d\d/g;
/** What a full date needs besides its year: a month name, or numbers joined as in 5/3/2019, 2019-03-05, 2019 3 5. */
const MONTH_LIKE =
  /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b|\d[/.-]\d|\d{4}\s+\d{1,2}\s+\d/i;

/** The first full date chrono finds in head[from, to), the window widened to whole words. */
function dateIn(head: string, from: number, to: number): string | null {
  while (from > 0 && !/\s/.test(head[from - 1])) from--;
  while (to < head.length && !/\s/.test(head[to])) to++;
  const window = head.slice(from, to);
  if (!MONTH_LIKE.test(window)) return null;
  for (const result of chrono.parse(window)) {
    const { start } = result;
    if (!start.isCertain('day') || !start.isCertain('month') || !start.isCertain('year')) continue;
    const year = start.get('year');
    const month = start.get('month');
    const day = start.get('day');
    if (year === null || month === null || day === null || year < 1900 || year > 2100) continue;
    // chrono marks relative dates ('last week') as certain; require the year to be written in the match.
    if (!new RegExp(`(?:^|\\D)${year}(?:\\D|$)`).test(result.text)) continue;
    return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  }
  return null;
}

/**
 * The first full date (day, month and year all written out, year 1900..2100) in the first 2500
 * characters, as 'YYYY-MM-DD'; null if there is none. Relative expressions ('now', 'last week',
 * '3 days ago'), weekdays and dates without a year are ignored.
 */
export function detectPublicationDate(text: string): string | null {
  const head = text.slice(0, DATE_SEARCH_CHARS);
  // A full date has its year written out, so chrono (about 0.2 ms per 2,500 characters, the most costly
  // step of indexing a folder) reads only the stretches around year-like numbers, in text order.
  let from = -1;
  let to = -1;
  for (const m of head.matchAll(YEAR_LIKE)) {
    const a = Math.max(0, m.index - DATE_REACH_BEFORE);
    const b = Math.min(head.length, m.index + 4 + DATE_REACH_AFTER);
    if (from >= 0 && a <= to) {
      to = b;
      continue;
    }
    const found = from >= 0 ? dateIn(head, from, to) : null;
    if (found) return found;
    from = a;
    to = b;
  }
  return from >= 0 ? dateIn(head, from, to) : null;
}
