// Export to an events CSV shaped like ACLED and UCDP: one row per EVENT annotation, with its date, actors,
// place, casualty figures and weapon taken from the annotations the EVENT is related to.
import type { Annotation, Relation } from '../model.ts';
import { CodePointIndex, sliceCodePoints } from '../offsets.ts';
import type { ExportContext, ExportDocument, FormatWriter, OutputChunk } from './types.ts';

const FILE = 'events.csv';

/** The columns, in order. */
export const EVENT_COLUMNS = [
  'event_id',
  'event_date',
  'time_precision',
  'date_start',
  'date_end',
  'event_type',
  'actor1',
  'actor2',
  'other_actors',
  'location',
  'fatalities_low',
  'fatalities_best',
  'fatalities_high',
  'civilian_deaths',
  'injured_low',
  'injured_high',
  'weapon',
  'source',
  'source_date',
  'notes',
  'document_id',
  'document_path',
  'start',
  'end',
  'event_text',
] as const;
export type EventColumn = (typeof EVENT_COLUMNS)[number];
export type EventRow = Record<EventColumn, string>;

/** Which relation type links an EVENT to which labels (either direction counts). */
const LINKS = {
  time: ['DATE'],
  actor: ['ORG', 'PERSON'],
  place: ['LOCATION'],
  victims: ['CASUALTIES'],
  weapon: ['WEAPON'],
} as const;
type LinkType = keyof typeof LINKS;

const CIVILIAN_GROUPS = new Set(['civilians', 'children', 'women']);

/** A calendar period read from a TIMEX3-style value: first and last day, and ACLED's time precision. */
export interface Period {
  start: string;
  end: string;
  precision: 1 | 2 | 3;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const iso = (d: Date): string => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const utc = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d));
const addDays = (d: Date, n: number): Date => new Date(d.getTime() + n * 86_400_000);
const daysIn = (y: number, m: number): number => utc(y, m + 1, 0).getUTCDate();

/** Monday of ISO week `w` of ISO year `y` (week 1 holds the year's first Thursday, i.e. 4 January). */
function isoWeekMonday(y: number, w: number): Date {
  const jan4 = utc(y, 1, 4);
  const dow = (jan4.getUTCDay() + 6) % 7;
  return addDays(jan4, (w - 1) * 7 - dow);
}

/**
 * The period a TIMEX3-style value names, or null for values that are no calendar period (PAST_REF,
 * PRESENT_REF, seasons, malformed). Precision follows ACLED: 1 a day (with or without a part of day or a
 * time), 2 a week or weekend, 3 a month, quarter, half year or year.
 */
export function periodOf(value: string): Period | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})(T[\w:.+-]*)?$/.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return null;
    const day = iso(utc(y, mo, d));
    return { start: day, end: day, precision: 1 };
  }
  m = /^(\d{4})-W(\d{2})(?:-(WE|[1-7]))?$/.exec(value);
  if (m) {
    const [y, w] = [Number(m[1]), Number(m[2])];
    const monday = isoWeekMonday(y, w);
    // A year has week 53 only when it starts or (leap) ends on a Thursday: the Monday must stay in year y's weeks.
    if (w < 1 || w > 53 || isoWeekMonday(y + 1, 1).getTime() <= monday.getTime()) return null;
    if (m[3] === 'WE') return { start: iso(addDays(monday, 5)), end: iso(addDays(monday, 6)), precision: 2 };
    if (m[3]) {
      const day = iso(addDays(monday, Number(m[3]) - 1));
      return { start: day, end: day, precision: 1 };
    }
    return { start: iso(monday), end: iso(addDays(monday, 6)), precision: 2 };
  }
  m = /^(\d{4})-(\d{2})$/.exec(value);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    if (mo < 1 || mo > 12) return null;
    return { start: iso(utc(y, mo, 1)), end: iso(utc(y, mo, daysIn(y, mo))), precision: 3 };
  }
  m = /^(\d{4})-(Q[1-4]|H[12])$/.exec(value);
  if (m) {
    const y = Number(m[1]);
    const months = m[2][0] === 'Q' ? 3 : 6;
    const first = (Number(m[2][1]) - 1) * months + 1;
    const last = first + months - 1;
    return { start: iso(utc(y, first, 1)), end: iso(utc(y, last, daysIn(y, last))), precision: 3 };
  }
  m = /^(\d{4})$/.exec(value);
  if (m) return { start: `${m[1]}-01-01`, end: `${m[1]}-12-31`, precision: 3 };
  return null;
}

/** A non-negative whole number from an attribute (numbers, or digits in a string as some imports give). */
function count(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
  return null;
}

/**
 * Low and high totals over casualty annotations. Each contributes [low, high], a missing bound taking the
 * other's value; one with neither ("dozens") makes the high total unknown but keeps the known lows as a
 * lower bound. Empty when no figure is known at all.
 */
export function totals(casualties: Annotation[]): { low: string; high: string } {
  let low = 0;
  let high = 0;
  let known = false;
  let unbounded = false;
  for (const c of casualties) {
    const l = count(c.attrs?.low);
    const h = count(c.attrs?.high);
    if (l === null && h === null) {
      unbounded = true;
      continue;
    }
    known = true;
    low += l ?? h!;
    high += h ?? l!;
  }
  return { low: known ? String(low) : '', high: known && !unbounded ? String(high) : '' };
}

const attr = (a: Annotation, key: string): string => {
  const v = a.attrs?.[key];
  return typeof v === 'string' ? v.trim() : '';
};

/**
 * Spreadsheets run a cell starting with = + - @ (or a tab or carriage return before one) as a formula,
 * and article text is untrusted: such fields get a leading apostrophe, as OWASP advises for CSV exports.
 */
function neutralise(field: string): string {
  return /^[=+\-@\t\r]/.test(field) ? `'${field}` : field;
}

/** One field quoted per RFC 4180: quotes around fields with a comma, quote, CR or LF; inner quotes doubled. */
export function csvField(value: string): string {
  const v = neutralise(value);
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One CSV record, CRLF-terminated as RFC 4180 asks. */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}

/** Longest piece handed to the segmenter at once: V8's Intl.Segmenter takes time quadratic in the length. */
const SEGMENT_WINDOW = 4096;

/**
 * Sentence boundaries (UTF-16 offsets) of a text, from the built-in Unicode sentence segmenter, run line by
 * line (a line break always ends a sentence in news text) and on long lines window by window.
 */
function sentenceStarts(text: string): number[] {
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  const starts: number[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    for (let from = lineStart; from < lineEnd; ) {
      let to = Math.min(lineEnd, from + SEGMENT_WINDOW);
      if (to < lineEnd) {
        const space = text.lastIndexOf(' ', to);
        if (space > from) to = space + 1;
      }
      for (const s of segmenter.segment(text.slice(from, to))) starts.push(from + s.index);
      from = to;
    }
    if (lineEnd === lineStart) starts.push(lineStart);
    lineStart = lineEnd + 1;
  }
  return starts;
}

/** The sentence(s) holding UTF-16 range [from, to), trimmed: the quoted evidence of an event. */
function evidence(text: string, starts: number[], from: number, to: number): string {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= from) lo = mid;
    else hi = mid - 1;
  }
  let last = lo;
  while (last + 1 < starts.length && starts[last + 1] < Math.max(to, from + 1)) last++;
  const end = last + 1 < starts.length ? starts[last + 1] : text.length;
  return text.slice(starts[lo], end).trim();
}

/** The annotations linked to `event` by relations of each known type, in the order the relations were made. */
function linked(event: Annotation, relations: Relation[], byId: Map<string, Annotation>, doc: ExportDocument, ctx: ExportContext) {
  const out: Record<LinkType, Annotation[]> = { time: [], actor: [], place: [], victims: [], weapon: [] };
  for (const r of relations) {
    const type = r.type.toLowerCase();
    if (!(type in LINKS)) continue;
    const otherId = r.from === event.id ? r.to : r.to === event.id ? r.from : null;
    if (otherId === null) continue;
    const other = byId.get(otherId);
    if (!other) continue;
    const allowed: readonly string[] = LINKS[type as LinkType];
    if (!allowed.includes(other.label)) {
      ctx.report({
        file: doc.path,
        reason: `relation ${r.id} (${r.type}) links EVENT ${event.id} to a ${other.label}, not ${allowed.join(' or ')}; left out of events.csv`,
      });
      continue;
    }
    out[type as LinkType].push(other);
  }
  return out;
}

/** The row of one EVENT annotation. */
export function eventRow(
  doc: ExportDocument,
  event: Annotation,
  ctx: ExportContext,
  cache: { index: CodePointIndex; byId: Map<string, Annotation>; sentences: number[] },
): EventRow {
  const { index, byId, sentences } = cache;
  const links = linked(event, doc.relations, byId, doc, ctx);
  const text = (a: Annotation) => sliceCodePoints(doc.text, a.start, a.end, index);

  let period: Period | null = null;
  for (const date of links.time) {
    const value = attr(date, 'value');
    period = periodOf(value);
    if (period) break;
    if (!/^(PAST|PRESENT|FUTURE)_REF$/.test(value)) {
      ctx.report({
        file: doc.path,
        reason: `DATE ${date.id} value "${value}" is not a calendar date; EVENT ${event.id} takes the publication date`,
      });
    }
  }

  const actors = links.actor.map(text);
  const killed = links.victims.filter((c) => attr(c, 'outcome').toLowerCase() === 'killed');
  const injured = links.victims.filter((c) => attr(c, 'outcome').toLowerCase() === 'injured');
  const fatalities = totals(killed);
  const civilians = totals(killed.filter((c) => CIVILIAN_GROUPS.has(attr(c, 'group').toLowerCase())));
  const hurt = totals(injured);
  const dct = doc.meta.dct ?? '';

  return {
    event_id: `${doc.id}:${event.id}`,
    event_date: period ? period.start : dct,
    time_precision: period ? String(period.precision) : dct ? '3' : '',
    date_start: period?.start ?? '',
    date_end: period?.end ?? '',
    event_type: attr(event, 'type'),
    actor1: actors[0] ?? '',
    actor2: actors[1] ?? '',
    other_actors: actors.slice(2).join('; '),
    location: links.place.map(text).join('; '),
    fatalities_low: fatalities.low,
    // ACLED codes the most conservative figure, so the best estimate is the low one.
    fatalities_best: fatalities.low,
    fatalities_high: fatalities.high,
    civilian_deaths: civilians.low,
    injured_low: hurt.low,
    injured_high: hurt.high,
    weapon: links.weapon.map(text).join('; '),
    source: doc.meta.title,
    source_date: dct,
    notes: evidence(doc.text, sentences, index.toUtf16(event.start), index.toUtf16(event.end)),
    document_id: doc.id,
    document_path: doc.path,
    start: String(event.start),
    end: String(event.end),
    event_text: text(event),
  };
}

/** The events CSV writer: UTF-8 with a byte order mark (so Excel reads it as UTF-8), CRLF records. */
export const writer: FormatWriter = {
  name: 'events-csv',
  description: 'Events CSV, one row per EVENT with ACLED/UCDP-style columns (offsets in code points)',
  defaultOutput: FILE,
  begin(): OutputChunk[] {
    return [{ file: FILE, data: '\uFEFF' + csvRecord(EVENT_COLUMNS) }];
  },
  document(doc: ExportDocument, _index: number, ctx: ExportContext): OutputChunk[] {
    const rows = eventRows(doc, ctx);
    if (rows.length === 0) return [];
    return [{ file: FILE, data: rows.map((row) => csvRecord(EVENT_COLUMNS.map((c) => row[c]))).join('') }];
  },
};

/** The rows of every EVENT annotation of a document, in text order (the events table and the CSV). */
export function eventRows(doc: ExportDocument, ctx: ExportContext): EventRow[] {
  const events = doc.annotations.filter((a) => a.label === 'EVENT');
  if (events.length === 0) return [];
  const cache = {
    index: new CodePointIndex(doc.text),
    byId: new Map(doc.annotations.map((a) => [a.id, a])),
    sentences: sentenceStarts(doc.text),
  };
  return events.map((e) => eventRow(doc, e, ctx, cache));
}
