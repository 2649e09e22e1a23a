// The dates engine: finds calendar references in news text and normalises them to TIMEX3-style values
// against the publication date (dct). chrono-node parses explicit calendar dates; the rules here add
// what news needs: past bias, weekdays, parts of day, weeks, weekends, months, years, PAST_REF. Pure.
import * as chrono from 'chrono-node';
import { numberValue } from './numbers.ts';
import { finish, segments, type Utf16Suggestion } from './text.ts';
import type { Suggestion, SuggestContext, SuggestionEngine } from './types.ts';

// ---- calendar arithmetic on day numbers (days since 1970-01-01, UTC, no time zones involved) ----

const DAY_MS = 86_400_000;
const dayNumber = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / DAY_MS;
function civil(day: number): [number, number, number] {
  const d = new Date(day * DAY_MS);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}
/** 0 = Sunday ... 6 = Saturday, as chrono and Date count. */
const weekdayOf = (day: number): number => (((day + 4) % 7) + 7) % 7;
/** The Monday of the ISO week holding `day`. */
const mondayOf = (day: number): number => day - ((weekdayOf(day) + 6) % 7);
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The ISO week of a day: its year (that of the week's Thursday) and number. */
export function isoWeek(day: number): { year: number; week: number } {
  const thursday = mondayOf(day) + 3;
  const year = civil(thursday)[0];
  return { year, week: Math.floor((thursday - dayNumber(year, 1, 1)) / 7) + 1 };
}

const dayValue = (day: number): string => {
  const [y, m, d] = civil(day);
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
};
const weekValue = (day: number): string => {
  const { year, week } = isoWeek(day);
  return `${pad(year, 4)}-W${pad(week)}`;
};
const monthValue = (y: number, m: number): string => {
  const norm = (y * 12 + (m - 1));
  return `${pad(Math.floor(norm / 12), 4)}-${pad((norm % 12) + 1)}`;
};

/** The dct as a day number, or null when absent or not a real YYYY-MM-DD date. */
export function parseDct(dct: string | null | undefined): number | null {
  const m = dct ? /^(\d{4})-(\d{2})-(\d{2})/.exec(dct) : null;
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = dayNumber(y, mo, d);
  const [cy, cm, cd] = civil(day);
  return cy === y && cm === mo && cd === d ? day : null;
}

// ---- vocabulary ----

const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9,
  october: 10, november: 11, december: 12,
  jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};
const WEEKDAYS: Record<string, number> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };
const PART_OF_DAY: Record<string, string> = { morning: 'TMO', afternoon: 'TAF', evening: 'TEV', night: 'TNI', overnight: 'TNI' };
const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12,
};
const SEASONS: Record<string, string> = { spring: 'SP', summer: 'SU', autumn: 'FA', fall: 'FA', winter: 'WI' };

/** "late August" -> end; the TIMEX3 mod of a modifier word. */
function modOf(word: string | undefined): string | undefined {
  if (!word) return undefined;
  const w = word.toLowerCase().replace(/\s+/g, ' ');
  if (w === 'early' || /\b(?:beginning|start)\b/.test(w)) return 'start';
  if (w === 'late' || /\bend\b/.test(w)) return 'end';
  if (w === 'mid' || /\bmiddle\b/.test(w)) return 'mid';
  return undefined;
}

// ---- tense: which way an undated weekday or month points ----

const FUTURE_WORDS = new Set([
  'will', 'shall', "won't", 'won’t', 'tomorrow', 'upcoming', 'due', 'scheduled', 'expected', 'planned', 'plans',
  'plan', 'intends', 'intend', 'going', 'forthcoming',
]);
const PAST_WORDS = new Set([
  'said', 'told', 'was', 'were', 'had', 'did', 'ago', 'yesterday', 'began', 'came', 'met', 'left', 'took', 'went',
  'fled', 'fought', 'saw', 'made', 'gave', 'held', 'hit', 'struck', 'shot', 'sent', 'spoke', 'stood', 'won', 'lost',
  'fell', 'rose', 'led', 'brought', 'caught', 'found', 'got', 'kept', 'knew', 'ran', 'sought', 'thought', 'threw',
  'wrote', 'drove', 'broke', 'chose', 'flew', 'arose', 'overran', 'since', 'laid', 'paid', 'slew', 'swept', 'withdrew',
]);
/** Lower-case words ending in -ed that are not verbs. */
const NOT_PAST_ED = /(?:eed|hundred|kindred|sacred|naked|wicked|rugged)$/;

function tenseOf(word: string): 'past' | 'future' | null {
  const w = word.toLowerCase();
  if (FUTURE_WORDS.has(w) || w.endsWith("'ll") || w.endsWith('’ll')) return 'future';
  if (PAST_WORDS.has(w)) return 'past';
  // Lower-case -ed words are past forms or participles; names (Ahmed, United) are capitalised.
  if (word === w && w.length > 4 && w.endsWith('ed') && !NOT_PAST_ED.test(w)) return 'past';
  return null;
}

const WORD_RE = /[\p{L}'’]+/gu;

/** Words after which a past form is a participle, not a tense: "will be held", "expected to be signed". */
const NON_FINITE_BEFORE = new Set(['be', 'to', 'being']);

/** The nearest tense marker in `before` (read backwards) and `after`; ties go to the words before. */
function nearestTense(before: string, after: string): 'past' | 'future' | null {
  const bw = before.match(WORD_RE) ?? [];
  const aw = after.match(WORD_RE) ?? [];
  const marker = (words: string[], k: number): 'past' | 'future' | null => {
    const t = tenseOf(words[k]);
    return t === 'past' && k > 0 && NON_FINITE_BEFORE.has(words[k - 1].toLowerCase()) ? null : t;
  };
  for (let i = 0; i < Math.max(aw.length, bw.length) && i < 12; i++) {
    const tb = i < bw.length ? marker(bw, bw.length - 1 - i) : null;
    if (tb) return tb;
    const ta = i < aw.length ? marker(aw, i) : null;
    if (ta) return ta;
  }
  return null;
}

/**
 * Whether the expression at text[start, end) refers forward: the nearest tense marker in its clause
 * (between commas), else in its sentence. News reports the past, so the default is past.
 */
function isFuture(text: string, seg: { start: number; end: number }, start: number, end: number): boolean {
  const before = text.slice(Math.max(seg.start, start - 160), start);
  const after = text.slice(end, Math.min(seg.end, end + 160));
  const sentBefore = before.slice(Math.max(0, lastIndexOfRe(before, /[.!?;]\s/g) + 1));
  const sentAfterEnd = after.search(/[.!?;](?:\s|$)/);
  const sentAfter = sentAfterEnd === -1 ? after : after.slice(0, sentAfterEnd);
  const clauseBefore = sentBefore.slice(sentBefore.lastIndexOf(',') + 1);
  const commaAfter = sentAfter.indexOf(',');
  const clauseAfter = commaAfter === -1 ? sentAfter : sentAfter.slice(0, commaAfter);
  const t = nearestTense(clauseBefore, clauseAfter) ?? nearestTense(sentBefore, sentAfter);
  return t === 'future';
}

function lastIndexOfRe(s: string, re: RegExp): number {
  let last = -1;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) last = m.index;
  return last;
}

// ---- resolution against the dct ----

/** The weekday `wd` relative to dct: on or before it (past), on or after it (future), or by a modifier. */
function resolveWeekday(dct: number, wd: number, how: 'past' | 'future' | 'last' | 'next' | 'this'): number {
  switch (how) {
    case 'past': return dct - ((weekdayOf(dct) - wd + 7) % 7);
    case 'future': return dct + ((wd - weekdayOf(dct) + 7) % 7);
    case 'last': return dct - 1 - ((weekdayOf(dct - 1) - wd + 7) % 7);
    case 'next': return dct + 1 + ((wd - weekdayOf(dct + 1) + 7) % 7);
    case 'this': return mondayOf(dct) + ((wd + 6) % 7);
  }
}

/** The year of a month (and day) given without one: the latest not after the dct, or the first not before it. */
function yearFor(dct: number, month: number, day: number | null, future: boolean): number {
  const [y, m, d] = civil(dct);
  const after = month > m || (month === m && day !== null && day > d);
  const before = month < m || (month === m && day !== null && day < d);
  if (future) return before ? y + 1 : y;
  return after ? y - 1 : y;
}

// ---- candidates ----

interface Candidate extends Utf16Suggestion {
  /** Rules are preferred over chrono for the same span. */
  rule: boolean;
}

type Emit = (start: number, end: number, value: string, score: number, mod?: string) => void;

interface RuleContext {
  text: string;
  seg: { start: number; end: number };
  dct: number | null;
  emit: Emit;
}

/** Leading words that belong to the sentence, not the date ("on Monday" -> "Monday"). */
const LEADING_PREP_RE = /^(?:(?:on|in|at|since|by|from|until|till|of|during|between|and|to|through)\s+)+/i;

function trimmedSpan(text: string, start: number, end: number): [number, number] {
  const s = text.slice(start, end);
  const lead = LEADING_PREP_RE.exec(s)?.[0].length ?? 0;
  const trail = /[\s,.;:!?'"”’)]*$/.exec(s.slice(lead))?.[0].length ?? 0;
  return [start + lead, end - trail];
}

/** Part of day written just after ("Monday night") or before ("the night of Monday") a day expression. */
function partOfDay(text: string, seg: { start: number; end: number }, start: number, end: number): { code: string; start: number; end: number } | null {
  const after = /^(?:['’]s)?\s+(morning|afternoon|evening|night|overnight)\b/i.exec(text.slice(end, Math.min(seg.end, end + 20)));
  if (after) return { code: PART_OF_DAY[after[1].toLowerCase()], start, end: end + after[0].length };
  const before = /\b(morning|afternoon|evening|night)\s+of\s+$/i.exec(text.slice(Math.max(seg.start, start - 25), start));
  if (before) return { code: PART_OF_DAY[before[1].toLowerCase()], start: start - before[0].length, end };
  return null;
}

/** "late on Sunday", "early Monday": the modifier before a day, with where it starts. */
function dayModifier(text: string, seg: { start: number; end: number }, start: number): { mod: string; start: number } | null {
  const m = /\b(late|early)(?:\s+on)?\s+$/i.exec(text.slice(Math.max(seg.start, start - 15), start));
  return m ? { mod: modOf(m[1])!, start: start - m[0].length } : null;
}

/** Emits a day, extended by a part of day and a late/early modifier found around it. */
function emitDay(ctx: RuleContext, start: number, end: number, day: number, score: number): void {
  const pod = partOfDay(ctx.text, ctx.seg, start, end);
  let s = pod ? pod.start : start;
  const e = pod ? pod.end : end;
  const mod = dayModifier(ctx.text, ctx.seg, s);
  if (mod) s = mod.start;
  ctx.emit(s, e, dayValue(day) + (pod ? pod.code : ''), score, mod?.mod);
}

const WEEKDAY_RE = /\b(?:([Ll]ast|[Nn]ext|[Tt]his(?:\s+(?:coming|past))?|[Cc]oming|[Pp]ast)\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?![\p{L}\p{N}])/gu;
/** Named days that are not a date relative to the dct ("Good Friday", "Bloody Sunday") or not one day ("every Friday"). */
const WEEKDAY_BLOCK_BEFORE_RE = /\b(?:every|each|most|all|other|Good|Black|Bloody|Holy|Palm|Easter|Ash|Cyber|Super|Maundy|Whit)\s+$/;
const WEEKDAY_BLOCK_AFTER_RE = /^\s+(?:prayers?|sermons?|market)\b/i;

function weekdays(ctx: RuleContext, seg: string, base: number): void {
  if (ctx.dct === null) return;
  for (const m of seg.matchAll(WEEKDAY_RE)) {
    const start = base + m.index!;
    const end = start + m[0].length;
    if (WEEKDAY_BLOCK_BEFORE_RE.test(ctx.text.slice(Math.max(ctx.seg.start, start - 10), start))) continue;
    if (WEEKDAY_BLOCK_AFTER_RE.test(ctx.text.slice(end, end + 12))) continue;
    const wd = WEEKDAYS[m[2].toLowerCase()];
    const pre = m[1]?.toLowerCase().replace(/\s+/g, ' ');
    let how: 'past' | 'future' | 'last' | 'next' | 'this';
    if (pre === 'last' || pre === 'past' || pre === 'this past') how = 'last';
    else if (pre === 'next' || pre === 'coming' || pre === 'this coming') how = 'next';
    else if (pre === 'this') how = 'this';
    else how = isFuture(ctx.text, ctx.seg, start, end) ? 'future' : 'past';
    emitDay(ctx, start, end, resolveWeekday(ctx.dct, wd, how), pre ? 0.9 : 0.85);
  }
}

const RELATIVE_RE = /\b(?:(early|mid|late|earlier|later|(?:the\s+)?(?:end|beginning|start|middle)\s+of)(?:[\s-]+(?:on\s+|in\s+)?))?(last|this\s+past|this|next)\s+(week|weekend|month|year)(?![\p{L}\p{N}‐-])/giu;

function relatives(ctx: RuleContext, seg: string, base: number): void {
  if (ctx.dct === null) return;
  const dct = ctx.dct;
  for (const m of seg.matchAll(RELATIVE_RE)) {
    const start = base + m.index!;
    const end = start + m[0].length;
    const mod = modOf(m[1]);
    const which = m[2].toLowerCase().replace(/\s+/g, ' ');
    // "the last week", "the next month": a stretch of time counted from now, not a calendar week.
    if (which !== 'this' && /\bthe\s+$/i.test(ctx.text.slice(Math.max(ctx.seg.start, start - 5), start))) continue;
    const offset = which === 'last' || which === 'this past' ? -1 : which === 'next' ? 1 : 0;
    const unit = m[3].toLowerCase();
    let value: string;
    if (unit === 'week') value = weekValue(dct + 7 * offset);
    else if (unit === 'weekend') {
      // "this past weekend" is the latest weekend begun by the dct; last/next count ISO weeks.
      const saturday = which === 'this past' ? resolveWeekday(dct, 6, 'past') : mondayOf(dct) + 5 + 7 * offset;
      value = `${weekValue(saturday)}-WE`;
    } else if (unit === 'month') {
      const [y, mo] = civil(dct);
      value = monthValue(y, mo + offset);
    } else value = pad(civil(dct)[0] + offset, 4);
    ctx.emit(start, end, value, 0.9, mod);
  }
}

const THE_WEEKEND_RE = /\b(?:over|at|on|during|through|throughout)\s+the\s+weekend(?![\p{L}‐-])/giu;

function theWeekend(ctx: RuleContext, seg: string, base: number): void {
  if (ctx.dct === null) return;
  for (const m of seg.matchAll(THE_WEEKEND_RE)) {
    const end = base + m.index! + m[0].length;
    const start = end - 'the weekend'.length;
    const saturday = resolveWeekday(ctx.dct, 6, isFuture(ctx.text, ctx.seg, start, end) ? 'future' : 'past');
    ctx.emit(start, end, `${weekValue(saturday)}-WE`, 0.8);
  }
}

const TODAY_RE = /\b(?:(earlier|later)\s+)?(the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|tonight|yesterday|tomorrow|last\s+night|this\s+(?:morning|afternoon|evening))(?:\s+(morning|afternoon|evening|night))?(?![\p{L}])/giu;

function deictic(ctx: RuleContext, seg: string, base: number): void {
  if (ctx.dct === null) return;
  for (const m of seg.matchAll(TODAY_RE)) {
    const start = base + m.index!;
    const end = start + m[0].length;
    const word = m[2].toLowerCase().replace(/\s+/g, ' ');
    // "USA Today", "Today programme": the newspaper or show, not the day.
    if (word === 'today' && m[2][0] === 'T' && /[A-Z]\w*\s+$/.test(ctx.text.slice(Math.max(ctx.seg.start, start - 12), start)) && !/^\s*[,.]/.test(ctx.text.slice(end, end + 2))) continue;
    let day = ctx.dct;
    let pod = m[3] ? PART_OF_DAY[m[3].toLowerCase()] : '';
    if (word === 'yesterday') day -= 1;
    else if (word === 'tomorrow') day += 1;
    else if (word === 'the day before yesterday') day -= 2;
    else if (word === 'the day after tomorrow') day += 2;
    else if (word === 'tonight') pod = 'TNI';
    else if (word === 'last night') {
      day -= 1;
      pod = 'TNI';
    } else if (word.startsWith('this ')) pod = PART_OF_DAY[word.slice(5)];
    ctx.emit(start, end, dayValue(day) + pod, 0.9);
  }
}

const AGO_RE = /\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3}|a\s+few|several|a\s+couple\s+of)\s+(day|week|month|year)s?\s+ago\b/giu;

function ago(ctx: RuleContext, seg: string, base: number): void {
  for (const m of seg.matchAll(AGO_RE)) {
    const start = base + m.index!;
    const end = start + m[0].length;
    const count = m[1].toLowerCase();
    if (/few|several|couple/.test(count)) {
      ctx.emit(start, end, 'PAST_REF', 0.6);
      continue;
    }
    if (ctx.dct === null) continue;
    const n = count === 'a' || count === 'an' ? 1 : numberValue(count);
    if (n === null) continue;
    const unit = m[2].toLowerCase();
    const [y, mo] = civil(ctx.dct);
    const value = unit === 'day' ? dayValue(ctx.dct - n) : unit === 'week' ? weekValue(ctx.dct - 7 * n) : unit === 'month' ? monthValue(y, mo - n) : pad(y - n, 4);
    ctx.emit(start, end, value, 0.85);
  }
}

const PART_OF_YEAR_RE = /\bthe\s+(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|last|final)\s+(month|quarter|half)\s+of\s+(?:(the|this|last|next)\s+year|((?:19|20)\d\d)(?!\d))/giu;

function partsOfYear(ctx: RuleContext, seg: string, base: number): void {
  for (const m of seg.matchAll(PART_OF_YEAR_RE)) {
    const start = base + m.index!;
    const end = start + m[0].length;
    let year: number;
    if (m[4]) year = Number(m[4]);
    else {
      if (ctx.dct === null) continue;
      const rel = m[3].toLowerCase();
      year = civil(ctx.dct)[0] + (rel === 'last' ? -1 : rel === 'next' ? 1 : 0);
    }
    const unit = m[2].toLowerCase();
    const size = unit === 'month' ? 12 : unit === 'quarter' ? 4 : 2;
    const ord = m[1].toLowerCase();
    const n = ord === 'last' || ord === 'final' ? size : ORDINALS[ord];
    if (n > size) continue;
    const value = unit === 'month' ? monthValue(year, n) : `${pad(year, 4)}-${unit === 'quarter' ? 'Q' : 'H'}${n}`;
    ctx.emit(start, end, value, 0.9);
  }
}

const MONTH_NAMES = 'January|February|March|April|May|June|July|August|September|October|November|December';

/**
 * "the first week of 2023", "the last week of March", "the second week of last month". Weeks are ISO
 * weeks, and the n-th week of a month or year is the one holding its n-th Thursday (the last week: its
 * last Thursday), which is ISO 8601's own rule for week 1 of a year: a week belongs to the month or
 * year that holds most of its days. So "the first week of 2023" is 2023-W01 (2 to 8 January, though
 * 1 January was a Sunday), and "the first week of September 2023" is 2023-W36 (4 to 10 September, not
 * the week of Friday 1 September, which lies mostly in August).
 */
const WEEK_OF_RE = new RegExp(
  String.raw`\bthe\s+(first|second|third|fourth|fifth|last|final)\s+week\s+of\s+(?:(${MONTH_NAMES})(?:,?\s+((?:19|20)\d\d))?|((?:19|20)\d\d)|(this|last|next)\s+(month|year))(?![\p{L}\p{N}‐-])`,
  'giu',
);

/** The Thursday of the n-th week (n = 0: the last) of the days [first, last]; null when there is none. */
function nthThursday(first: number, last: number, n: number): number | null {
  if (n === 0) return last - ((weekdayOf(last) - 4 + 7) % 7);
  const day = first + ((4 - weekdayOf(first) + 7) % 7) + 7 * (n - 1);
  return day <= last ? day : null;
}

function weeksOf(ctx: RuleContext, seg: string, base: number): void {
  for (const m of seg.matchAll(WEEK_OF_RE)) {
    const start = base + m.index!;
    const end = start + m[0].length;
    const ord = m[1].toLowerCase();
    const n = ord === 'last' || ord === 'final' ? 0 : ORDINALS[ord];
    let first: number;
    let last: number;
    if (m[4] || m[6]?.toLowerCase() === 'year') {
      let year: number;
      if (m[4]) year = Number(m[4]);
      else {
        if (ctx.dct === null) continue;
        const rel = m[5].toLowerCase();
        year = civil(ctx.dct)[0] + (rel === 'last' ? -1 : rel === 'next' ? 1 : 0);
      }
      [first, last] = [dayNumber(year, 1, 1), dayNumber(year, 12, 31)];
    } else {
      let year: number;
      let month: number;
      if (m[2]) {
        month = MONTHS[m[2].toLowerCase()];
        if (m[3]) year = Number(m[3]);
        else {
          if (ctx.dct === null) continue;
          year = yearFor(ctx.dct, month, null, isFuture(ctx.text, ctx.seg, start, end));
        }
      } else {
        if (ctx.dct === null) continue;
        const rel = m[5].toLowerCase();
        const [y, mo] = civil(ctx.dct);
        const norm = y * 12 + (mo - 1) + (rel === 'last' ? -1 : rel === 'next' ? 1 : 0);
        [year, month] = [Math.floor(norm / 12), (norm % 12) + 1];
      }
      [first, last] = [dayNumber(year, month, 1), dayNumber(year, month + 1, 1) - 1];
    }
    const thursday = nthThursday(first, last, n);
    if (thursday !== null) ctx.emit(start, end, weekValue(thursday), 0.85);
  }
}

// ---- holidays ----

/**
 * A holiday: a fixed Gregorian date, or a date of the Islamic (Umm al-Qura) calendar. Ramadan itself is
 * left out: it is a month that straddles two Gregorian months, so no day or month value fits it; its
 * first day ("the start of Ramadan") is one day and is read.
 */
type Holiday = { gregorian: [number, number] } | { islamic: Array<[number, number]> };

const FITR: Holiday = { islamic: [[10, 1]] };
const ADHA: Holiday = { islamic: [[12, 10]] };

/** Holiday names (lower case, spaces and dashes collapsed) and whether they stand alone. */
function holidayOf(name: string): { holiday: Holiday; full: boolean } | null {
  const n = name.toLowerCase().replace(/[\s‐-]+/g, ' ').replace(/’/g, "'");
  if (n === "new year's eve") return { holiday: { gregorian: [12, 31] }, full: true };
  if (n === "new year's day") return { holiday: { gregorian: [1, 1] }, full: true };
  if (n === 'christmas eve') return { holiday: { gregorian: [12, 24] }, full: true };
  if (n === 'christmas day') return { holiday: { gregorian: [12, 25] }, full: true };
  if (n === 'christmas') return { holiday: { gregorian: [12, 25] }, full: false };
  if (/fitr$/.test(n)) return { holiday: FITR, full: true };
  if (/(?:adha|kebir|kabir)$/.test(n) || n === 'tabaski') return { holiday: ADHA, full: true };
  if (n === 'eid') return { holiday: { islamic: [[10, 1], [12, 10]] }, full: false };
  if (/ramadan$/.test(n)) return { holiday: { islamic: [[9, 1]] }, full: true };
  return null;
}

const HOLIDAY_RE = /\b(?:(?:[Ll]ast|[Tt]his|[Nn]ext)\s+)?(New\s+Year['’]s\s+(?:Eve|Day)|Christmas(?:\s+(?:Eve|Day))?|Eid(?:[\s‐-]+(?:al|el|ul)[\s‐-]?(?:Fitr|Adha|Kebir|Kabir))?|Tabaski|(?:the\s+)?(?:start|beginning|first\s+day)\s+of\s+Ramadan)(?:,?\s+((?:19|20)\d\d))?(?![\p{L}\p{N}])/gu;
/** Words before a bare "Christmas" or "Eid" that make it a day: "over Christmas", "before Eid". */
const HOLIDAY_PREP_RE = /\b(?:on|at|over|before|after|since|until|till|by|during|around|for|of|ahead\s+of|last|this|next)\s+$/i;
/** Words after "Christmas" that make it a thing, not a day. */
const HOLIDAY_THING_RE = /^\s+(?:trees?|markets?|cards?|carols?|decorations?|lights|shopping|gifts?|presents?|songs?|music|Island|message|dinner|lunch)\b/i;

let islamicFormat: Intl.DateTimeFormat | null | undefined;

/** A formatter for the Umm al-Qura calendar, or null where the platform's Intl lacks it (small ICU builds). */
function islamicCalendar(): Intl.DateTimeFormat | null {
  if (islamicFormat !== undefined) return islamicFormat;
  try {
    const f = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura', { timeZone: 'UTC', month: 'numeric', day: 'numeric' });
    islamicFormat = f.resolvedOptions().calendar === 'islamic-umalqura' ? f : null;
  } catch {
    islamicFormat = null;
  }
  return islamicFormat;
}

/** Islamic month and day of each day of a Gregorian year, computed once per year. */
const islamicYears = new Map<number, Map<number, number[]>>();

/** The days of Gregorian year `year` whose Islamic month and day are (month, day). */
function islamicDays(year: number, month: number, day: number): number[] {
  const f = islamicCalendar();
  if (!f) return [];
  let byDate = islamicYears.get(year);
  if (!byDate) {
    byDate = new Map();
    for (let d = dayNumber(year, 1, 1); d < dayNumber(year + 1, 1, 1); d++) {
      let im = 0;
      let id = 0;
      for (const part of f.formatToParts(new Date(d * DAY_MS))) {
        if (part.type === 'month') im = Number(part.value);
        else if (part.type === 'day') id = Number(part.value);
      }
      const key = im * 100 + id;
      byDate.set(key, [...(byDate.get(key) ?? []), d]);
    }
    islamicYears.set(year, byDate);
  }
  return byDate.get(month * 100 + day) ?? [];
}

/** Every day of the holiday in Gregorian years [from, to], in order. */
function holidayDays(h: Holiday, from: number, to: number): number[] {
  const out: number[] = [];
  for (let y = from; y <= to; y++) {
    if ('gregorian' in h) out.push(dayNumber(y, h.gregorian[0], h.gregorian[1]));
    else for (const [m, d] of h.islamic) out.push(...islamicDays(y, m, d));
  }
  return out.sort((a, b) => a - b);
}

/**
 * Holidays: "New Year's Eve", "Christmas Day", "Eid al-Adha", "the start of Ramadan". With a year, that
 * year's; with last / next, the one before / after the dct; else the latest not after the dct, or the
 * first not before it when the tense says future. A bare "Christmas" or "Eid" is read only after a
 * word that makes it a day ("over Christmas", "before Eid"). Islamic dates need Intl's Umm al-Qura
 * calendar (Node and browsers with full ICU); where it is missing they are not proposed.
 */
function holidays(ctx: RuleContext, seg: string, base: number): void {
  for (const m of seg.matchAll(HOLIDAY_RE)) {
    const start = base + m.index!;
    const end = start + m[0].length;
    const found = holidayOf(m[1].replace(/^(?:the\s+)?(?:start|beginning|first\s+day)\s+of\s+/i, ''));
    if (!found) continue;
    const rel = /^(last|this|next)\s/i.exec(m[0])?.[1].toLowerCase();
    const before = ctx.text.slice(Math.max(ctx.seg.start, start - 12), start);
    if (/\b(?:every|each)\s+$/i.test(before)) continue;
    // A bare "Christmas" or "Eid" needs a word that makes it a day, and is a name before a capitalised word ("Eid Mohamed").
    const next = ctx.text.slice(end, end + 16);
    if (!found.full && !rel && !m[2] && (!HOLIDAY_PREP_RE.test(before) || HOLIDAY_THING_RE.test(next) || /^\s+\p{Lu}/u.test(next))) continue;
    let day: number | undefined;
    if (m[2]) day = holidayDays(found.holiday, Number(m[2]), Number(m[2]))[0];
    else {
      if (ctx.dct === null) continue;
      const dct = ctx.dct;
      const y = civil(dct)[0];
      const days = holidayDays(found.holiday, y - 1, y + 1);
      if (rel === 'last') day = days.filter((d) => d < dct).pop();
      else if (rel === 'next') day = days.find((d) => d > dct);
      else if (rel === 'this') day = days.filter((d) => civil(d)[0] === y).sort((a, b) => Math.abs(a - dct) - Math.abs(b - dct))[0];
      else if (isFuture(ctx.text, ctx.seg, start, end)) day = days.find((d) => d >= dct);
      else day = days.filter((d) => d <= dct).pop();
    }
    if (day !== undefined) ctx.emit(start, end, dayValue(day), 0.85);
  }
}

/**
 * "the night of 3 to 4 March", "the night of March 3-4", "the night of Saturday to Sunday": one night
 * across two days is the first day's night.
 */
const NIGHT_RANGE_RE = new RegExp(
  String.raw`\bnight\s+of\s+(?:(\d{1,2})(?:st|nd|rd|th)?\s*(?:to|into|and|[-–])\s*(\d{1,2})(?:st|nd|rd|th)?\s+(${MONTH_NAMES}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)|(${MONTH_NAMES}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)\s+(\d{1,2})(?:st|nd|rd|th)?\s*(?:to|into|and|[-–])\s*(\d{1,2})(?:st|nd|rd|th)?|(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s+(?:to|into|and)\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))(?:,?\s+((?:19|20)\d\d))?(?![\p{L}\p{N}])`,
  'gu',
);

function nightRanges(ctx: RuleContext, seg: string, base: number): void {
  for (const m of seg.matchAll(NIGHT_RANGE_RE)) {
    const start = base + m.index!;
    const end = start + m[0].length;
    let day: number;
    if (m[7]) {
      const [a, b] = [WEEKDAYS[m[7].toLowerCase()], WEEKDAYS[m[8].toLowerCase()]];
      if (ctx.dct === null || (a + 1) % 7 !== b) continue;
      day = resolveWeekday(ctx.dct, a, isFuture(ctx.text, ctx.seg, start, end) ? 'future' : 'past');
    } else {
      const [d1, d2, name] = m[1] ? [Number(m[1]), Number(m[2]), m[3]] : [Number(m[5]), Number(m[6]), m[4]];
      if (d2 !== d1 + 1) continue;
      const month = MONTHS[name.toLowerCase().replace(/\.$/, '')];
      let year: number;
      if (m[9]) year = Number(m[9]);
      else {
        if (ctx.dct === null) continue;
        year = yearFor(ctx.dct, month, d1, isFuture(ctx.text, ctx.seg, start, end));
      }
      day = dayNumber(year, month, d1);
      if (civil(day)[1] !== month) continue;
    }
    ctx.emit(start, end, `${dayValue(day)}TNI`, 0.9);
  }
}

const MODIFIER = String.raw`(early|mid|late|(?:the\s+)?(?:end|beginning|start|middle)\s+of)`;
const MONTH_RE = new RegExp(
  String.raw`\b(?:${MODIFIER}[\s-]+)?(?:(last|next|this)\s+)?(January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)(?![\p{L}])(?:,?\s+(?:of\s+)?((?:19|20)\d\d)(?![\p{N}]))?`,
  'giu',
);
const FULL_MONTH_RE = /^(?:January|February|March|April|May|June|July|August|September|October|November|December)$/;
/** Words after which a bare "May" or "March" is a month, not a verb. */
const MONTH_PREP_RE = /\b(?:in|since|until|till|by|from|through|of|during|to|between|and|before|after|early|mid|late|last|next|this|the|end|start|beginning|middle|or)[\s-]+$/i;

function months(ctx: RuleContext, seg: string, base: number): void {
  for (const m of seg.matchAll(MONTH_RE)) {
    const name = m[3];
    if (name[0] !== name[0].toUpperCase()) continue;
    const start = base + m.index!;
    const end = start + m[0].length;
    const month = MONTHS[name.toLowerCase().replace(/\.$/, '')];
    const year = m[4] ? Number(m[4]) : null;
    const bare = !m[1] && !m[2] && year === null;
    if (bare) {
      const before = ctx.text.slice(Math.max(ctx.seg.start, start - 15), start);
      const hasPrep = MONTH_PREP_RE.test(before);
      // "Jan" is a name and "Mar." too short to trust alone; "May" and "March" are verbs unless a preposition says otherwise.
      if (!FULL_MONTH_RE.test(name)) continue;
      if (!hasPrep && (name === 'March' || name === 'May')) continue;
      // "June Smith", "August Bebel": a month name followed by a capitalised word is a name.
      if (!hasPrep && /^\s+[A-Z][a-z]/.test(ctx.text.slice(end, end + 3))) continue;
    }
    const mod = modOf(m[1]);
    if (year !== null) {
      ctx.emit(start, end, monthValue(year, month), 0.9, mod);
      continue;
    }
    if (ctx.dct === null) continue;
    const rel = m[2]?.toLowerCase();
    const [y, mo] = civil(ctx.dct);
    let value: string;
    if (rel === 'this') value = monthValue(y, month);
    else if (rel === 'last') value = monthValue(month < mo ? y : y - 1, month);
    else if (rel === 'next') value = monthValue(month > mo ? y : y + 1, month);
    else value = monthValue(yearFor(ctx.dct, month, null, isFuture(ctx.text, ctx.seg, start, end)), month);
    ctx.emit(start, end, value, 0.85, mod);
  }
}

const YEAR_RE = new RegExp(String.raw`(?<![\p{L}\p{N}$€£#.,/])(?:${MODIFIER}[\s-]+)?((?:19|20)\d\d)(?![\p{L}\p{N}]|[.,/]\d|:\d)`, 'giu');
const DECADE_RE = /\b(?:(early|mid|late)[\s-]+)?(?:the\s+)?((?:19|20)\d)0s\b/giu;
/** Capitalised words that may stand right before a year. */
const NAME_BEFORE_YEAR_OK = /^(?:In|Since|Until|Till|By|From|During|Before|After|Through|Throughout|Of|To|And|Or|Between|The|Early|Mid|Late|Spring|Summer|Autumn|Fall|Winter|Year|January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)$/;
/** Words before a year that make it a year; words after a number that make it a count. */
const YEAR_PREP_RE = /\b(?:in|since|until|till|by|from|during|before|after|through|throughout|of|to|and|or|between|year|spring|summer|autumn|fall|winter|early|mid|late|the|since early|since late)\s+$/i;
const QUANTITY_BEFORE_RE = /\b(?:about|some|nearly|almost|than|up\s+to|at\s+least|approximately|roughly|estimated|another|additional|total\s+of|remaining|at|no\.?|number|resolution|route|flight|page|line|code|room|model|type|over|under|only|just|all)\s+$/i;
const COUNT_AFTER_RE = /^\s*(?:%|per\s*cent|percent|GMT|UTC|hours?|hrs|local|[a-z]+-?(?:people|persons|civilians|fighters|militants|troops|soldiers|children|women|men|members|residents|refugees|families|homes|houses|buildings|vehicles|trucks|cars|buses|tanks|strikes|airstrikes|missiles|rockets|shells|bombs|rounds|metres|meters|kilometres|kilometers|km|miles|feet|tonnes|tons|dollars|euros|pounds|barrels|cases|deaths|votes|seats|hectares|acres|incidents|attacks|prisoners|detainees|hostages|students|workers|staff|police|officers|jobs|sites|villages|towns|units|pieces|times|others)\b)/i;

function years(ctx: RuleContext, seg: string, base: number): void {
  for (const m of seg.matchAll(YEAR_RE)) {
    const start = base + m.index!;
    const end = start + m[0].length;
    const yearStart = end - m[2].length;
    const before = ctx.text.slice(Math.max(ctx.seg.start, yearStart - 20), yearStart);
    const after = ctx.text.slice(end, Math.min(ctx.seg.end, end + 24));
    if (!m[1] && QUANTITY_BEFORE_RE.test(before)) continue;
    // After a hyphen only as the second year of a range ("2014-2017"), not in codes ("Su-2025").
    if (!m[1] && /[-‐–]$/.test(before) && !/(?:19|20)\d\d\s*[-‐–]$/.test(before)) continue;
    // "Vision 2030", "Euro 2016": a name, unless the word before is a temporal one ("In 2014", "April 2014").
    const named = /(?:^|[^\p{L}])(\p{Lu}\p{L}*)\s+$/u.exec(before);
    if (!m[1] && named && !NAME_BEFORE_YEAR_OK.test(named[1])) continue;
    if (COUNT_AFTER_RE.test(after)) continue;
    // Without a temporal word before it, a year must not be followed by a plural noun ("2000 families").
    if (!m[1] && !YEAR_PREP_RE.test(before) && !/(?:19|20)\d\d\s*[-‐–]$/.test(before) && !/^\s*$/.test(before) && /^\s+[a-z]+s\b/.test(after) && !/^\s+(?:was|has|is|as|this|its|saw)\b/.test(after)) continue;
    ctx.emit(start, end, m[2], m[1] ? 0.85 : 0.8, modOf(m[1]));
  }
  for (const m of seg.matchAll(DECADE_RE)) {
    const start = base + m.index!;
    ctx.emit(start, start + m[0].length, m[2], 0.8, modOf(m[1]));
  }
}

const SEASON_RE = /\b(?:(last|this|next)\s+)?(spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?((?:19|20)\d\d)(?!\d))?\b/giu;

function seasons(ctx: RuleContext, seg: string, base: number): void {
  for (const m of seg.matchAll(SEASON_RE)) {
    if (!m[1] && !m[3]) continue;
    const start = base + m.index!;
    let year: number;
    if (m[3]) year = Number(m[3]);
    else {
      if (ctx.dct === null) continue;
      const rel = m[1].toLowerCase();
      year = civil(ctx.dct)[0] + (rel === 'last' ? -1 : rel === 'next' ? 1 : 0);
    }
    ctx.emit(start, start + m[0].length, `${pad(year, 4)}-${SEASONS[m[2].toLowerCase()]}`, 0.8);
  }
}

/** Vague past references. "in the past" is one only when no duration follows ("in the past two days"). */
const PAST_REF_RE = /\b(?:recently|lately|in\s+recent\s+(?:days|weeks|months|years|times)|in\s+the\s+past(?!\s+(?:\d|few|several|couple|two|three|four|five|six|seven|eight|nine|ten|twelve|day|week|fortnight|month|year|decade|hour|century))|earlier(?:\s+on)?(?=\s*[.,;:!?)"”’]|\s*$))/giu;

function pastRefs(ctx: RuleContext, seg: string, base: number): void {
  for (const m of seg.matchAll(PAST_REF_RE)) {
    const start = base + m.index!;
    const end = start + m[0].length;
    // "two days earlier", "hours earlier": relative to another event, not to the dct.
    if (/^earlier/i.test(m[0]) && /\b(?:days?|weeks?|months?|years?|hours?|minutes?|moments?|decades?|\d+|than)\s+$/i.test(ctx.text.slice(Math.max(ctx.seg.start, start - 12), start))) continue;
    ctx.emit(start, end, 'PAST_REF', 0.6);
  }
}

// ---- chrono: explicit calendar dates ("30 August, 2017", "Aug. 29", "2017-08-30", "3/4/2019") ----

/** A cheap test for text chrono could find a calendar date in. */
const CHRONO_TRIGGER_RE = /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*\d|\d(?:st|nd|rd|th)?\s+(?:of\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}/;
const TIME = String.raw`\d{1,2}[:.]\d{2}(?![./-]\d)(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?|\d{1,2}\s*[ap]\.?m\.?(?:\s+[A-Z]{2,4})?`;
const TIME_LEAD_RE = new RegExp(String.raw`^(?:at\s+)?(?:${TIME})\s*,?\s*(?:on\s+)?`, 'i');
const TIME_TRAIL_RE = new RegExp(String.raw`\s*,?\s*(?:at\s+)?(?:${TIME})$`, 'i');
const CALENDAR_TEXT_RE = /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}/i;
const RANGE_SPLIT_RE = /\s*(?:[-–—]|\bto\b|\buntil\b|\btill\b|\bthrough\b|\band\b)\s*/gi;

function chronoDates(ctx: RuleContext, seg: string, base: number, ref: Date): void {
  if (!CHRONO_TRIGGER_RE.test(seg)) return;
  for (const r of chrono.strict.parse(seg, ref)) {
    const start = base + r.index;
    const end = start + r.text.length;
    // A month written in lower case is a word ("may"); numeric dates need a year ("24/7", "3/4" are not dates).
    if (/\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/.test(r.text) && !/[A-Z]/.test(r.text)) continue;
    if (!/[A-Za-z]/.test(r.text) && !r.start.isCertain('year')) continue;
    // Only written calendar dates: chrono's relative readings ("a week after", "in 3 days") are not anchored to the dct.
    if (!CALENDAR_TEXT_RE.test(r.text)) continue;
    if (/[\p{L}\p{N}]/u.test(ctx.text[start - 1] ?? '') || /[\p{L}]/u.test(ctx.text[end] ?? '')) continue;
    if (numericDate(ctx, start, end)) continue;
    if (!r.end) {
      emitChrono(ctx, start, end, r.start);
      continue;
    }
    // A range ("August 3-9", "3 to 5 March"): one date for each end.
    let cut: RegExpExecArray | null = null;
    RANGE_SPLIT_RE.lastIndex = 0;
    for (let m = RANGE_SPLIT_RE.exec(r.text); m; m = RANGE_SPLIT_RE.exec(r.text)) cut = m;
    if (!cut) {
      emitChrono(ctx, start, end, r.start);
      continue;
    }
    emitChrono(ctx, start, start + cut.index, r.start);
    emitChrono(ctx, start + cut.index + cut[0].length, end, r.end);
  }
}

const NUMERIC_DATE_RE = /^(\d{1,2})([/.-])(\d{1,2})\2((?:19|20)\d\d)$/;

/**
 * An all-numeric date with the year last ("12/03/2023", "12.03.2023"). Dots are written day first; with
 * slashes or dashes both orders are in use (the United States writes the month first, most of the world
 * the day), so when both readings are valid the one nearer the dct is taken: a dateline or a reported
 * event lies close to the publication date. False when the text is no such date (chrono reads it).
 */
function numericDate(ctx: RuleContext, start: number, end: number): boolean {
  let [s, e] = trimmedSpan(ctx.text, start, end);
  const lead = TIME_LEAD_RE.exec(ctx.text.slice(s, e));
  if (lead) s += lead[0].length;
  const trail = TIME_TRAIL_RE.exec(ctx.text.slice(s, e));
  if (trail) e -= trail[0].length;
  const m = NUMERIC_DATE_RE.exec(ctx.text.slice(s, e));
  if (!m) return false;
  const [a, b, year] = [Number(m[1]), Number(m[3]), Number(m[4])];
  const valid = (month: number, day: number): number | null => {
    if (month < 1 || month > 12 || day < 1) return null;
    const dn = dayNumber(year, month, day);
    return civil(dn)[1] === month ? dn : null;
  };
  const dayFirst = valid(b, a);
  const monthFirst = m[2] === '.' ? null : valid(a, b);
  let day = dayFirst ?? monthFirst;
  if (dayFirst !== null && monthFirst !== null && dayFirst !== monthFirst) {
    // Without a dct, the month-first reading chrono would give.
    day = ctx.dct === null ? monthFirst : Math.abs(dayFirst - ctx.dct) <= Math.abs(monthFirst - ctx.dct) ? dayFirst : monthFirst;
  }
  if (day !== null) emitDay(ctx, s, e, day, 0.9);
  return true;
}

function emitChrono(ctx: RuleContext, start: number, end: number, c: chrono.ParsedComponents): void {
  if (!c.isCertain('day') || !c.isCertain('month')) return;
  const month = c.get('month')!;
  const day = c.get('day')!;
  let year: number;
  if (c.isCertain('year')) year = c.get('year')!;
  else {
    if (ctx.dct === null) return;
    year = yearFor(ctx.dct, month, day, isFuture(ctx.text, ctx.seg, start, end));
  }
  if (year < 1000 || year > 2999) return;
  const dn = dayNumber(year, month, day);
  if (civil(dn)[1] !== month) return;
  let [s, e] = trimmedSpan(ctx.text, start, end);
  // chrono keeps a clock time next to the date ("10:32 GMT, 12 March 2019"); the DATE is the day.
  const lead = TIME_LEAD_RE.exec(ctx.text.slice(s, e));
  if (lead) s += lead[0].length;
  const trail = TIME_TRAIL_RE.exec(ctx.text.slice(s, e));
  if (trail) e -= trail[0].length;
  emitDay(ctx, s, e, dn, c.isCertain('year') ? 0.95 : 0.9);
}

// ---- the engine ----

/** Cheap tests (no Unicode mode, mostly literal) that decide which rules a segment needs. */
const WEEKDAY_KEY_RE = /[MTWFS][a-z]{2,5}day/;
const RELATIVE_KEY_RE = /(?:last|this|next)\s+(?:week|month|year)/;
const DEICTIC_KEY_RE = /today|tonight|yesterday|tomorrow|last\s+night|this\s+(?:morning|afternoon|evening)/;
const MONTH_KEY_RE = /Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec/;
const SEASON_KEY_RE = /spring|summer|autumn|fall|winter/;
const PAST_KEY_RE = /recent|lately|past|earlier/;
const HOLIDAY_KEY_RE = /Christmas|New Year|Eid|Tabaski|Ramadan/;

/** Keeps the longest of overlapping candidates (rules before chrono on a tie), in text order. */
function resolveOverlaps(cands: Candidate[]): Candidate[] {
  const byStrength = [...cands].sort((a, b) => b.end - b.start - (a.end - a.start) || Number(b.rule) - Number(a.rule) || b.score - a.score);
  const kept: Candidate[] = [];
  for (const c of byStrength) if (!kept.some((k) => k.start < c.end && c.start < k.end)) kept.push(c);
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Date suggestions for a text. Relative expressions (weekdays, "last week", months without a year, "today")
 * need the dct; without one only absolute dates (with a year) and PAST_REF are proposed, since a guess
 * at the anchor would be wrong more often than right.
 */
export function suggestDates(text: string, ctx: SuggestContext): Suggestion[] {
  const dct = parseDct(ctx.dct);
  const ref = dct === null ? new Date() : (() => {
    const [y, m, d] = civil(dct);
    return new Date(y, m - 1, d, 12);
  })();
  const found: Candidate[] = [];
  for (const seg of segments(text, 1500)) {
    const s = text.slice(seg.start, seg.end);
    const segCands: Candidate[] = [];
    const make = (rule: boolean): Emit => (start, end, value, score, mod) => {
      const attrs: Record<string, unknown> = { value };
      if (mod) attrs.mod = mod;
      segCands.push({ label: 'DATE', start, end, attrs, score, rule });
    };
    const ruleCtx: RuleContext = { text, seg, dct, emit: make(true) };
    // Each rule runs only where a cheap test finds its key word: most segments need two or three rules.
    const lower = s.toLowerCase();
    if (WEEKDAY_KEY_RE.test(s)) weekdays(ruleCtx, s, seg.start);
    if (RELATIVE_KEY_RE.test(lower)) relatives(ruleCtx, s, seg.start);
    if (lower.includes('weekend')) theWeekend(ruleCtx, s, seg.start);
    if (DEICTIC_KEY_RE.test(lower)) deictic(ruleCtx, s, seg.start);
    if (lower.includes(' ago')) ago(ruleCtx, s, seg.start);
    if (/(?:month|quarter|half) of/.test(lower)) partsOfYear(ruleCtx, s, seg.start);
    if (lower.includes('week of')) weeksOf(ruleCtx, s, seg.start);
    if (HOLIDAY_KEY_RE.test(s)) holidays(ruleCtx, s, seg.start);
    if (lower.includes('night of')) nightRanges(ruleCtx, s, seg.start);
    if (MONTH_KEY_RE.test(s)) months(ruleCtx, s, seg.start);
    if (/(?:19|20)\d\d/.test(s)) years(ruleCtx, s, seg.start);
    if (SEASON_KEY_RE.test(lower)) seasons(ruleCtx, s, seg.start);
    if (PAST_KEY_RE.test(lower)) pastRefs(ruleCtx, s, seg.start);
    chronoDates({ ...ruleCtx, emit: make(false) }, s, seg.start, ref);
    found.push(...resolveOverlaps(segCands));
  }
  return finish(text, found.map(({ rule: _rule, ...c }) => c), `${datesEngine.name}@${datesEngine.version}`);
}

/** The dates engine: DATE suggestions with TIMEX3-style `value` (and `mod`) resolved against the dct. */
export const datesEngine: SuggestionEngine = {
  name: 'dates',
  version: 1,
  suggest: suggestDates,
};
