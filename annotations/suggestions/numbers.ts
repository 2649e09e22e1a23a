// Numbers and quantity phrases shared by the suggestion engines: digits, number words, vague words
// ("dozens"), qualifiers ("up to", "at least") and ranges, each turned into low / high / approx. Pure.

/** A word or punctuation mark of a text, with UTF-16 offsets into that text. */
export interface Token {
  text: string;
  /** The text in lower case, with a trailing possessive 's removed. */
  lower: string;
  start: number;
  end: number;
}

// Dotted abbreviations ("U.S.", "U.S.-led"), words (letters, digits, joined by apostrophes and hyphens; digit
// groups joined by , and .) or one other character. Hyphenated compounds stay one token so "17-vehicle"
// and "52-month" never read as counts.
const TOKEN_RE = /(?:\p{Lu}\.){2,}(?:[‐-][\p{L}\p{N}]+)*|[\p{L}\p{N}]+(?:[.,](?=\d{1,3}(?!\d))\d+|[.](?=\d)\d+)*(?:['’‐-][\p{L}\p{N}]+)*|\S/gu;

/** Splits text[from, to) into tokens (offsets stay relative to the whole text). */
export function tokenize(text: string, from = 0, to = text.length): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = TOKEN_RE.exec(text)) !== null && m.index < to) {
    const t = m[0];
    let lower = t.toLowerCase();
    if (lower.length > 2 && (lower.endsWith("'s") || lower.endsWith('’s'))) lower = lower.slice(0, -2);
    out.push({ text: t, lower, start: m.index, end: m.index + t.length });
  }
  return out;
}

/** Number words below twenty. */
const UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const SCALES = new Map<string, number>([['hundred', 100], ['thousand', 1000], ['million', 1_000_000], ['billion', 1_000_000_000]]);

/** A cardinal number read from tokens. */
export interface Cardinal {
  value: number;
  /** Index of the first token after the number. */
  next: number;
  /** Written with words ("seven") rather than digits. */
  words: boolean;
}

const DIGITS_RE = /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

/** Every number word below a hundred, compounds included ("twenty-one"), for one lookup per token. */
const NUMBER_WORDS = new Map<string, number>([
  ...Object.entries(UNITS),
  ...Object.entries(TENS),
  ...Object.entries(TENS).flatMap(([t, tv]) => Object.entries(UNITS).filter(([, uv]) => uv > 0 && uv < 10).map(([u, uv]) => [`${t}-${u}`, tv + uv] as [string, number])),
]);

function wordValue(w: string): number | null {
  return NUMBER_WORDS.get(w) ?? null;
}

/**
 * The cardinal number starting at tokens[i]: digits ("1,220", "3.5 million"), words ("two hundred and
 * fifty", "twenty-one"), "a hundred", "a dozen", "two dozen", "half a dozen", "a couple of"; null if none.
 */
export function parseCardinal(tokens: readonly Token[], i: number): Cardinal | null {
  const t = tokens[i];
  if (!t) return null;
  const w = t.lower;
  if (DIGITS_RE.test(w)) {
    let value = Number(w.replace(/,/g, ''));
    let next = i + 1;
    const scale = tokens[next]?.lower;
    if (scale && (scale === 'million' || scale === 'billion' || scale === 'thousand')) {
      value *= SCALES.get(scale)!;
      next++;
    }
    return { value, next, words: false };
  }
  if (w === 'half' && tokens[i + 1]?.lower === 'a' && tokens[i + 2]?.lower === 'dozen') return { value: 6, next: i + 3, words: true };
  if (w === 'a' || w === 'an') {
    const n = tokens[i + 1]?.lower;
    if (n === 'dozen') return { value: 12, next: i + 2, words: true };
    if (n === 'couple' && tokens[i + 2]?.lower === 'of') return { value: 2, next: i + 3, words: true };
    if (n === 'hundred' || n === 'thousand' || n === 'million') {
      const rest = parseWords(tokens, i + 1, 0);
      return rest ? { value: rest.value, next: rest.next, words: true } : null;
    }
    return null;
  }
  return parseWords(tokens, i, null);
}

/** Number words from tokens[i]; `seed` 0 lets the sequence start with a scale word ("a hundred"). */
function parseWords(tokens: readonly Token[], i: number, seed: number | null): Cardinal | null {
  let total = 0;
  let current = 0;
  // What the last word was decides what may follow: "twenty five" joins, "five twenty" does not.
  let last: 'unit' | 'tens' | 'scale' | null = seed === null ? null : 'unit';
  let next = i;
  for (let j = i; j < tokens.length; j++) {
    const w = tokens[j].lower;
    const v = wordValue(w);
    if (v !== null) {
      const isTens = v >= 20 && v % 10 === 0 && !w.includes('-');
      if (last === 'unit' || (last === 'tens' && (v >= 10 || v === 0))) break;
      current += v;
      last = isTens ? 'tens' : 'unit';
      next = j + 1;
      continue;
    }
    if (w === 'dozen' && (last === 'unit' || last === 'tens') && seed === null) {
      current *= 12;
      last = 'scale';
      next = j + 1;
      continue;
    }
    const s = SCALES.get(w);
    if (s !== undefined && last !== null) {
      if (s === 100) current = (current || 1) * 100;
      else {
        total += (current || 1) * s;
        current = 0;
      }
      last = 'scale';
      next = j + 1;
      continue;
    }
    if (w === 'and' && last === 'scale' && wordValue(tokens[j + 1]?.lower ?? '') !== null) continue;
    break;
  }
  if (last === null || next === i) return null;
  return { value: total + current, next, words: true };
}

/** The value of a number written in digits or words ("two hundred and fifty" -> 250); null if it is not one. */
export function numberValue(s: string): number | null {
  const tokens = tokenize(s);
  const c = parseCardinal(tokens, 0);
  return c && c.next === tokens.length ? c.value : null;
}

/** How a qualifier bounds the figure after it: an estimate ("about"), an upper ("up to") or a lower bound ("at least"). */
type QualifierEffect = 'approx' | 'upper' | 'lower';

/**
 * Qualifiers, longest first when they share a start. Every qualifier makes the figure approximate; low
 * and high stay the figures the text gives ("up to 118" is 118 to 118, approx), as the gold codes them,
 * and the direction of a bound is kept apart in `Quantity.bound`.
 */
const QUALIFIERS: ReadonlyArray<readonly [string, QualifierEffect]> = [
  ['an estimated', 'approx'], ['estimated', 'approx'], ['an approximate', 'approx'], ['approximately', 'approx'],
  ['about', 'approx'], ['around', 'approx'], ['roughly', 'approx'], ['some', 'approx'], ['circa', 'approx'],
  ['up to', 'upper'], ['as many as', 'upper'], ['nearly', 'upper'], ['almost', 'upper'], ['close to', 'upper'],
  ['just under', 'upper'], ['fewer than', 'upper'], ['less than', 'upper'], ['no more than', 'upper'],
  ['not more than', 'upper'], ['under', 'upper'],
  ['at least', 'lower'], ['more than', 'lower'], ['over', 'lower'], ['just over', 'lower'], ['well over', 'lower'],
  ['upwards of', 'lower'], ['in excess of', 'lower'], ['no fewer than', 'lower'], ['no less than', 'lower'],
  ['not less than', 'lower'], ['a minimum of', 'lower'],
];

const QUALIFIER_SEQS = QUALIFIERS.map(([p, e]) => ({ words: p.split(' '), effect: e })).sort((a, b) => b.words.length - a.words.length);

/** Entries of a table of word sequences, by first word, in table order: one lookup per token. */
function byFirstWord<T extends { words: readonly string[] }>(table: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const e of table) out.set(e.words[0], [...(out.get(e.words[0]) ?? []), e]);
  return out;
}
const QUALIFIERS_BY_FIRST = byFirstWord(QUALIFIER_SEQS);

/**
 * Vague quantities: no figure, approx. `of`: whether the word takes "of" before its noun ("dozens of
 * civilians"), which then belongs to the phrase; 'required' when the word cannot stand alone.
 */
const VAGUE: ReadonlyArray<{ words: string[]; of: 'optional' | 'required' | 'never' }> = [
  // "a few dozen", "several hundred": a vague multiple, read before "a few" and "several" alone.
  ...['a few', 'several'].flatMap((w) => ['dozen', 'hundred', 'thousand'].map((m) => ({ words: [...w.split(' '), m], of: 'optional' as const }))),
  { words: ['tens', 'of', 'thousands'], of: 'optional' },
  { words: ['hundreds', 'of', 'thousands'], of: 'optional' },
  { words: ['dozens'], of: 'optional' },
  { words: ['scores'], of: 'optional' },
  { words: ['hundreds'], of: 'optional' },
  { words: ['thousands'], of: 'optional' },
  { words: ['millions'], of: 'optional' },
  { words: ['an', 'unknown', 'number'], of: 'required' },
  { words: ['an', 'unspecified', 'number'], of: 'required' },
  { words: ['an', 'undetermined', 'number'], of: 'required' },
  { words: ['an', 'undisclosed', 'number'], of: 'required' },
  { words: ['an', 'unconfirmed', 'number'], of: 'required' },
  { words: ['a', 'large', 'number'], of: 'required' },
  { words: ['a', 'small', 'number'], of: 'required' },
  { words: ['a', 'number'], of: 'required' },
  { words: ['a', 'handful'], of: 'optional' },
  { words: ['a', 'few'], of: 'never' },
  { words: ['several'], of: 'never' },
  { words: ['many'], of: 'never' },
  { words: ['numerous'], of: 'never' },
  { words: ['countless'], of: 'never' },
  { words: ['multiple'], of: 'never' },
];

const VAGUE_BY_FIRST = byFirstWord(VAGUE);

/** A quantity phrase: the figures it gives and where it lies. */
export interface Quantity {
  /** UTF-16 offsets of the phrase (qualifier included) in the tokenized text. */
  start: number;
  end: number;
  low: number | null;
  high: number | null;
  approx: boolean;
  /** No figure at all ("dozens", "an unknown number of"). */
  vague: boolean;
  /** Whether a qualifier makes the figures an upper ("up to", "nearly") or a lower bound ("at least", "or more"). */
  bound: 'upper' | 'lower' | null;
  /** Index of the first token of the phrase and of the first token after it. */
  first: number;
  next: number;
}

function matchSeq(tokens: readonly Token[], i: number, words: readonly string[]): boolean {
  for (let k = 0; k < words.length; k++) if (tokens[i + k]?.lower !== words[k]) return false;
  return true;
}

/** Words that can start a quantity phrase, for a cheap test before the full parse. */
const STARTS = new Set<string>([
  ...Object.keys(UNITS), ...Object.keys(TENS), 'a', 'an', 'half', 'between', 'from',
  ...QUALIFIERS.map(([p]) => p.split(' ')[0]), ...VAGUE.map((v) => v.words[0]),
]);

/** Whether tokens[i] could start a quantity phrase (a digit, a number word, a qualifier or a vague word). */
export function mayStartQuantity(tokens: readonly Token[], i: number): boolean {
  const w = tokens[i]?.lower;
  if (!w) return false;
  const c = w.charCodeAt(0);
  return (c >= 48 && c <= 57) || STARTS.has(w) || wordValue(w) !== null;
}

/** A range written as one token: "10-15", "10–15". */
const RANGE_TOKEN_RE = /^(\d{1,3}(?:,\d{3})*|\d+)[‐–-](\d{1,3}(?:,\d{3})*|\d+)$/;

/**
 * The quantity phrase starting at tokens[i], or null: [qualifier] number [to|or|- number], "between N and
 * M", "from N to M", "N or more", or [qualifier] vague word [of].
 */
export function parseQuantity(tokens: readonly Token[], i: number): Quantity | null {
  if (!mayStartQuantity(tokens, i)) return null;
  const first = i;
  let effect: QualifierEffect | null = null;
  for (const q of QUALIFIERS_BY_FIRST.get(tokens[i].lower) ?? []) {
    if (matchSeq(tokens, i, q.words)) {
      effect = q.effect;
      i += q.words.length;
      break;
    }
  }
  const done = (low: number | null, high: number | null, approx: boolean, vague: boolean, next: number, bound: Quantity['bound'] = null): Quantity => ({
    start: tokens[first].start, end: tokens[next - 1].end, low, high, approx, vague, bound, first, next,
  });
  const w = tokens[i]?.lower;
  if (w === undefined) return null;

  // "between 10 and 15", "from 10 to 15"
  if ((w === 'between' || w === 'from') && effect === null) {
    const a = parseCardinal(tokens, i + 1);
    const joiner = w === 'between' ? 'and' : 'to';
    if (a && tokens[a.next]?.lower === joiner) {
      const b = parseCardinal(tokens, a.next + 1);
      if (b && b.value > a.value) return done(a.value, b.value, false, false, b.next);
    }
    return null;
  }

  for (const v of VAGUE_BY_FIRST.get(w) ?? []) {
    if (!matchSeq(tokens, i, v.words)) continue;
    let next = i + v.words.length;
    const hasOf = tokens[next]?.lower === 'of';
    if (v.of === 'required' && !hasOf) return null;
    if (v.of !== 'never' && hasOf) next++;
    return done(null, null, true, true, next);
  }

  const rangeTok = RANGE_TOKEN_RE.exec(w);
  if (rangeTok) {
    const a = Number(rangeTok[1].replace(/,/g, ''));
    const b = Number(rangeTok[2].replace(/,/g, ''));
    if (b <= a) return null;
    return bounded(a, b, effect, i + 1, done);
  }

  const a = parseCardinal(tokens, i);
  if (!a) return null;
  // "to" and "or" join a second figure: "10 to 15", "two or three"; a dash joins across spaces too.
  const joiner = tokens[a.next]?.lower;
  if (joiner === 'to' || joiner === 'or' || joiner === '-' || joiner === '–') {
    const b = parseCardinal(tokens, a.next + 1);
    if (b && b.value > a.value && b.words === a.words) return bounded(a.value, b.value, effect, b.next, done);
  }
  // "20 or more"
  if (effect === null && joiner === 'or' && tokens[a.next + 1]?.lower === 'more') return done(a.value, a.value, true, false, a.next + 2, 'lower');
  return bounded(a.value, a.value, effect, a.next, done);
}

function bounded(
  low: number, high: number, effect: QualifierEffect | null, next: number,
  done: (low: number | null, high: number | null, approx: boolean, vague: boolean, next: number, bound?: Quantity['bound']) => Quantity,
): Quantity {
  return done(low, high, effect !== null, false, next, effect === 'upper' || effect === 'lower' ? effect : null);
}
