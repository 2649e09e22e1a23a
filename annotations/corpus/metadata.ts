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

/**
 * The first full date (day, month and year all written out, year 1900..2100) in the first 2500
 * characters, as 'YYYY-MM-DD'; null if there is none. Relative expressions ('now', 'last week',
 * '3 days ago'), weekdays and dates without a year are ignored.
 */
export function detectPublicationDate(text: string): string | null {
  const head = text.slice(0, DATE_SEARCH_CHARS);
  if (!/(?:19|20|21)\d\d/.test(head)) return null; // no year anywhere: skip the (slower) parser
  for (const result of chrono.parse(head)) {
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
