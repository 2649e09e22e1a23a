// Text helpers shared by the suggestion engines: cutting a long text into short segments (so parsers
// never see a megabyte at once) and turning UTF-16 spans into code point suggestions. Pure.
import { CodePointIndex } from '../offsets.ts';
import type { Suggestion } from './types.ts';

/** A stretch of the text, UTF-16 offsets, end exclusive. */
export interface Segment {
  start: number;
  end: number;
}

/** Where a sentence may end: . ! ? (and closing quotes) followed by white space. */
const SENTENCE_END_RE = /[.!?]["'”’)\]]*\s/g;

/**
 * The text's non-blank lines, each cut into pieces of at most `maxLength` UTF-16 units, preferably after
 * a sentence end, else at a space. Linear in the text's length.
 */
export function segments(text: string, maxLength = 2000): Segment[] {
  const out: Segment[] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? text.length : nl;
    let start = lineStart;
    while (lineEnd - start > maxLength) {
      const limit = start + maxLength;
      let cut = -1;
      SENTENCE_END_RE.lastIndex = start + Math.floor(maxLength / 2);
      let m: RegExpExecArray | null;
      while ((m = SENTENCE_END_RE.exec(text)) !== null && m.index + m[0].length <= limit) cut = m.index + m[0].length;
      if (cut === -1) {
        const space = text.lastIndexOf(' ', limit);
        cut = space > start ? space + 1 : limit;
      }
      out.push({ start, end: cut });
      start = cut;
    }
    if (/\S/.test(text.slice(start, lineEnd))) out.push({ start, end: lineEnd });
    lineStart = lineEnd + 1;
  }
  return out;
}

/** A suggestion still counted in UTF-16 units, as JavaScript strings and regular expressions count. */
export type Utf16Suggestion = Omit<Suggestion, 'text' | 'engine'>;

/**
 * Finishes an engine's proposals: sorts them by start, adds their text and the engine tag, and converts
 * their offsets to code points (the unit every stored offset uses).
 */
export function finish(text: string, found: Utf16Suggestion[], engine: string): Suggestion[] {
  const index = new CodePointIndex(text);
  return found
    .sort((a, b) => a.start - b.start || b.end - a.end)
    .map((s) => ({
      ...s,
      text: text.slice(s.start, s.end),
      start: index.toCodePoint(s.start),
      end: index.toCodePoint(s.end),
      engine,
    }));
}
