// Sentences and word tokens of a text with exact code point offsets, for the token-based exports (CoNLL,
// spaCy). Built on Intl.Segmenter, which Node and Chromium both carry. Pure.
import { CodePointIndex, sliceCodePoints } from '../offsets.ts';
import { simpleWordBreaks } from './word-breaks.ts';

/** A token: a run of non-whitespace characters. Offsets are code points, end exclusive. */
export interface Token {
  start: number;
  end: number;
  text: string;
}

/** A sentence: its tokens, and the code point offsets of its first token's start and last token's end. */
export interface Sentence {
  start: number;
  end: number;
  tokens: Token[];
}

/**
 * Whitespace as Python's `str.isspace()` counts it (and so `str.split()`, which NLTK uses to cut CoNLL
 * columns). Every character that Python's `str.splitlines()` breaks at is in it. U+FEFF is not (JavaScript's
 * `\s` has it, Python does not), so it stays inside tokens, as spaCy expects.
 */
export const WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
/** Runs of non-whitespace characters. */
const NON_WHITESPACE_RUNS = new RegExp(`(?:(?!${WHITESPACE.source})[\\s\\S])+`, 'g');

/**
 * Abbreviations after which the sentence segmenter's break is undone (it breaks after "Mr." before a
 * capital, and V8 ignores ICU's `-u-ss-standard` suppressions). English titles common in news, and single
 * capital initials ("George W. Bush") except "I".
 */
const ABBREVIATION_END = /(?:^|[^\p{L}\p{N}.])(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Maj|Capt|Sgt|Cpl|Adm|Sen|Rep|Gov|Pres|Rev|Hon|St|Mt|Jr|Sr|No|Nos|vs|[A-HJ-Z])\.$/u;

let whitespaceTable: Uint8Array | undefined;

/** 1 for each UTF-16 unit that is WHITESPACE (all of them are in the BMP), else 0. */
function whitespaceUnits(): Uint8Array {
  if (!whitespaceTable) {
    whitespaceTable = new Uint8Array(0x10000);
    for (let c = 0; c < 0x10000; c++) if (WHITESPACE.test(String.fromCharCode(c))) whitespaceTable[c] = 1;
  }
  return whitespaceTable;
}

let sentenceSegmenter: Intl.Segmenter | undefined;
let wordSegmenter: Intl.Segmenter | undefined;

// A fixed locale, so Node and Chromium segment alike whatever the user's locale (the rules barely depend on it).
function segmenters(): { sentences: Intl.Segmenter; words: Intl.Segmenter } {
  sentenceSegmenter ??= new Intl.Segmenter('en', { granularity: 'sentence' });
  wordSegmenter ??= new Intl.Segmenter('en', { granularity: 'word' });
  return { sentences: sentenceSegmenter, words: wordSegmenter };
}

/**
 * Longest stretch handed to a segmenter at once, in UTF-16 units. V8 walks the segments of one string in
 * time quadratic in its length (a 300,000-unit string takes 44 s by words); windows keep it linear.
 */
const SENTENCE_WINDOW = 4096;
const WORD_WINDOW = 1024;

/**
 * The segments of `text` between UTF-16 offsets `from` and `to`, as [start, end) UTF-16 offsets, found
 * window by window: all segments of a window but its last are kept, and the next window starts where that
 * last one did, so each kept boundary saw its context. A segment that fills a whole window (a sentence or a
 * "word" longer than the window) is cut: at the window's last whitespace when `atSpace`, else at its end
 * (never inside a surrogate pair).
 */
function segments(seg: Intl.Segmenter, text: string, from: number, to: number, window: number, atSpace: boolean): number[] {
  // Flat [start, end, start, end, ...]: no array per segment (a text has a segment per word).
  const out: number[] = [];
  let pos = from;
  while (pos < to) {
    const end = Math.min(to, pos + window);
    const piece = text.slice(pos, end);
    // Word breaks of plain text are computed directly (the same breaks, without an object per segment).
    const parts = (seg === wordSegmenter ? simpleWordBreaks(piece, pos) : null) ?? Array.from(seg.segment(piece), (p) => pos + p.index);
    if (end === to) {
      for (let i = 0; i < parts.length; i++) out.push(parts[i], i + 1 < parts.length ? parts[i + 1] : to);
      return out;
    }
    if (parts.length > 1) {
      for (let i = 0; i + 1 < parts.length; i++) out.push(parts[i], parts[i + 1]);
      pos = parts[parts.length - 1];
      continue;
    }
    let cut = end;
    if (atSpace) {
      let k = end;
      while (k > pos + 1 && !WHITESPACE.test(text[k - 1])) k--;
      if (k > pos + 1) cut = k;
    }
    const c = text.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff && cut - 1 > pos) cut--;
    out.push(pos, cut);
    pos = cut;
  }
  return out;
}

/** UTF-16 ranges of the sentences of one line (no newline inside), abbreviation breaks undone. */
function lineSentences(text: string, from: number, to: number, seg: Intl.Segmenter): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = from;
  const found = segments(seg, text, from, to, SENTENCE_WINDOW, true);
  for (let i = 0; i < found.length; i += 2) {
    const segStart = found[i];
    const end = found[i + 1];
    if (end < to && ABBREVIATION_END.test(text.slice(segStart, end).trimEnd())) continue;
    out.push([start, end]);
    start = end;
  }
  return out;
}

/**
 * Split a text into sentences of tokens.
 *
 * - Sentences: every line (text between `\n`s) is cut by Intl.Segmenter's sentence rules (UAX #29), so a
 *   line break always ends a sentence and a headline line is a sentence of its own; a break right after a
 *   common abbreviation (`Mr.`, `Dr.`, an initial) is undone. Sentences without tokens are dropped.
 * - Tokens: Intl.Segmenter's word segments (words, numbers like `3.5`, `can't`, punctuation marks, emoji
 *   sequences, each kept whole), cut again at whitespace and with the whitespace dropped. So every
 *   non-whitespace character belongs to exactly one token, and no token contains whitespace (`WHITESPACE`).
 * - Very long runs: a sentence longer than 4096 UTF-16 units is cut at a space, a token longer than 1024
 *   (a URL, a blob) is cut in pieces, so that segmenting stays linear in the length of the text.
 * - `breaks`: code point offsets where a token must also end (annotation boundaries), so a span that starts
 *   or ends inside a word still falls on token boundaries, exactly.
 */
export function tokenize(text: string, breaks: Iterable<number> = []): Sentence[] {
  const { sentences: sentenceSeg, words: wordSeg } = segmenters();
  const space = whitespaceUnits();
  const index = new CodePointIndex(text);
  const cuts = [...new Set(breaks)].sort((a, b) => a - b);
  let cut = 0;
  const out: Sentence[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? text.length : nl;
    for (const [from, to] of lineSentences(text, lineStart, lineEnd, sentenceSeg)) {
      const tokens: Token[] = [];
      const words = segments(wordSeg, text, from, to, WORD_WINDOW, false);
      for (let w = 0; w < words.length; w += 2) {
        const segStart = words[w];
        const segEnd = words[w + 1];
        // Most segments are one word or one run of spaces: only a mixed one is searched for its runs.
        let spaces = 0;
        for (let i = segStart; i < segEnd; i++) spaces += space[text.charCodeAt(i)];
        if (spaces === segEnd - segStart) continue;
        const pieces = spaces === 0 ? [{ index: 0, 0: text.slice(segStart, segEnd) }] : text.slice(segStart, segEnd).matchAll(NON_WHITESPACE_RUNS);
        for (const piece of pieces) {
          const u16Start = segStart + (piece.index ?? 0);
          const u16End = u16Start + piece[0].length;
          let start = index.toCodePoint(u16Start);
          const end = index.toCodePoint(u16End);
          while (cut < cuts.length && cuts[cut] <= start) cut++;
          if (cut >= cuts.length || cuts[cut] >= end) {
            tokens.push({ start, end, text: piece[0] });
            continue;
          }
          for (; cut < cuts.length && cuts[cut] < end; cut++) {
            tokens.push({ start, end: cuts[cut], text: sliceCodePoints(text, start, cuts[cut], index) });
            start = cuts[cut];
          }
          tokens.push({ start, end, text: sliceCodePoints(text, start, end, index) });
        }
      }
      if (tokens.length > 0) out.push({ start: tokens[0].start, end: tokens[tokens.length - 1].end, tokens });
    }
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  return out;
}

/** A labelled span as the token exports see it. Offsets are code points, end exclusive. */
export interface SpanLike {
  start: number;
  end: number;
  label: string;
}

/** Where a span falls in the flat token list: tokens [first, last) — empty when it covers no token. */
export interface TokenRange {
  first: number;
  last: number;
}

/**
 * Tokenize a document so every span starts and ends on token boundaries, and find each span's tokens:
 * those lying inside it. A span's tokens run from its first to its last non-whitespace character, so a
 * span with whitespace at an edge loses only that whitespace; one of only whitespace covers no token.
 */
export function tokenizeSpans(text: string, spans: readonly SpanLike[]): { sentences: Sentence[]; tokens: Token[]; ranges: TokenRange[] } {
  const breaks: number[] = [];
  for (const s of spans) breaks.push(s.start, s.end);
  const sentences = tokenize(text, breaks);
  const tokens = sentences.flatMap((s) => s.tokens);
  const ranges = spans.map((s) => {
    const first = firstTokenAtOrAfter(tokens, s.start);
    let last = first;
    while (last < tokens.length && tokens[last].end <= s.end) last++;
    return { first, last };
  });
  return { sentences, tokens, ranges };
}

/** Index of the first token starting at or after `offset` (tokens.length when none). */
function firstTokenAtOrAfter(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Share token ranges out into layers in which no two overlap: longest range first (then earliest, then
 * the given order), each into the first layer where it fits. Layer 0 thus holds a maximal set of
 * non-overlapping spans that prefers the outermost of nested ones, as CoNLL-2003 does. Empty ranges get -1.
 */
export function assignLayers(ranges: readonly TokenRange[], tokenCount: number): number[] {
  const order = ranges
    .map((_, i) => i)
    .filter((i) => ranges[i].last > ranges[i].first)
    .sort((a, b) => {
      const ra = ranges[a];
      const rb = ranges[b];
      return rb.last - rb.first - (ra.last - ra.first) || ra.first - rb.first || a - b;
    });
  const layers: Uint8Array[] = [];
  const out = ranges.map(() => -1);
  for (const i of order) {
    const { first, last } = ranges[i];
    let layer = 0;
    for (; layer < layers.length; layer++) {
      const used = layers[layer];
      let free = true;
      for (let t = first; t < last && free; t++) free = used[t] === 0;
      if (free) break;
    }
    if (layer === layers.length) layers.push(new Uint8Array(tokenCount));
    layers[layer].fill(1, first, last);
    out[i] = layer;
  }
  return out;
}
