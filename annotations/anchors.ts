// Re-anchoring: where an annotation's span is in a text that changed since it was made. Pure.
// Follows the Hypothesis client: stored offsets first, then the exact quote, then a fuzzy match, each
// checked against the prefix/suffix saved with the annotation.
import approxSearch from 'approx-string-match';
import { CodePointIndex, sliceCodePoints } from './offsets.ts';

/** How many code points before and after a span are saved with it (prefix/suffix). */
export const CONTEXT_LENGTH = 32;

/**
 * Lowest similarity (0..1, averaged over the stored prefix and suffix) at which the text around a
 * candidate counts as the annotation's own context. Two unrelated 32-code-point stretches of news text
 * score about 0.2-0.3 (normalised edit distance), so 0.5 needs one side nearly intact, or both sides
 * partly intact, and is not reached by chance.
 */
export const MIN_CONTEXT_SIMILARITY = 0.5;

/**
 * Quotes at least this long (code points) are distinctive on their own: a unique exact occurrence is
 * accepted even when the context around it changed, and a fuzzy match needs no context (one error is
 * then at most 10% of the quote). Shorter quotes (names, mostly) recur, so they need their context.
 */
export const MIN_DISTINCT_QUOTE = 10;

/** Quotes shorter than this are never matched fuzzily: one error would be a third of the quote or more. */
export const MIN_FUZZY_QUOTE = 4;

/** Texts up to this many UTF-16 units are searched whole when the window around the old position fails. */
export const MAX_FULL_SEARCH = 1_000_000;

/** At most this many exact occurrences (the nearest to the old position) are weighed by their context. */
const MAX_EXACT_CANDIDATES = 1000;

/** Fuzzy searches after the best matches of a round were all refused (each round excludes them). */
const FUZZY_ROUNDS = 3;

/** How an annotation was found: at its offsets, by its quote, by its quote and context, or approximately. */
export type AnchorMethod = 'position' | 'quote' | 'context' | 'fuzzy';

/** What re-anchoring needs of an annotation (code point offsets, end exclusive). */
export interface AnchorTarget {
  start: number;
  end: number;
  text: string;
  prefix?: string;
  suffix?: string;
}

/** Where an annotation is now, in code points. */
export interface Anchor {
  start: number;
  end: number;
  method: AnchorMethod;
}

/** The text around a span, saved with an annotation so it can be found again. */
export interface SpanContext {
  prefix: string;
  suffix: string;
}

/** The up to CONTEXT_LENGTH code points before `start` and after `end` (code point offsets). */
export function contextOf(text: string, start: number, end: number, index = new CodePointIndex(text)): SpanContext {
  return {
    prefix: sliceCodePoints(text, Math.max(0, start - CONTEXT_LENGTH), start, index),
    suffix: sliceCodePoints(text, end, end + CONTEXT_LENGTH, index),
  };
}

/**
 * Find an annotation in `text`, or null when it is not clearly there (an orphan).
 * Order: (1) its offsets still hold its quote (and, when it has context, the context there agrees or no
 * other occurrence's does): 'position'; (2) exact occurrences of the quote, a single
 * one ('quote') or the one whose surroundings best match the stored prefix/suffix ('context'), the
 * nearest to the old start breaking ties; (3) an approximate match with up to max(1, length/10) errors,
 * searched near the old start first, ranked by errors, context and nearness: 'fuzzy'. Candidates of (2)
 * and (3) must pass MIN_CONTEXT_SIMILARITY when the annotation has context, else be distinctive
 * (MIN_DISTINCT_QUOTE), since moving an annotation to the wrong mention is worse than an orphan.
 */
export function reanchor(text: string, a: AnchorTarget, index = new CodePointIndex(text)): Anchor | null {
  const quote = a.text;
  if (quote.length === 0) return null;
  const scorer = new CandidateScorer(text, a, index);
  if (a.start < a.end && a.end <= index.length && sliceCodePoints(text, a.start, a.end, index) === quote) {
    const position: Anchor = { start: a.start, end: a.end, method: 'position' };
    // An edit before the span can shift another mention of the same words onto its offsets: when the
    // context there disagrees, an occurrence whose context agrees wins; if there is none, the offsets hold.
    if (!scorer.hasContext || scorer.context(a.start, a.end) >= MIN_CONTEXT_SIMILARITY) return position;
    const exact = findExact(text, quote, a, scorer, index);
    return 'anchor' in exact && exact.anchor.method === 'context' ? exact.anchor : position;
  }
  const exact = findExact(text, quote, a, scorer, index);
  if ('anchor' in exact) return exact.anchor;
  return findFuzzy(text, quote, a, scorer, index, exact.refused);
}

interface Range {
  start: number;
  end: number;
}

/** Exact occurrences: the accepted anchor, or the UTF-16 ranges refused (kept out of the fuzzy search). */
function findExact(
  text: string,
  quote: string,
  a: AnchorTarget,
  scorer: CandidateScorer,
  index: CodePointIndex,
): { anchor: Anchor } | { refused: Range[] } {
  const quoteCps = codePointLength(quote);
  const occurrences: Range[] = [];
  for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1)) {
    occurrences.push({ start: at, end: at + quote.length });
  }
  if (occurrences.length === 0) return { refused: [] };
  const candidates = occurrences
    .map((r) => {
      const start = index.toCodePoint(r.start);
      return { start, end: start + quoteCps, distance: Math.abs(start - a.start) };
    })
    .sort((x, y) => x.distance - y.distance)
    .slice(0, MAX_EXACT_CANDIDATES);
  if (!scorer.hasContext) {
    const [nearest] = candidates;
    return { anchor: { start: nearest.start, end: nearest.end, method: 'quote' } };
  }
  // Sorted by distance, so among equal context scores the nearest stays first.
  const scored = candidates.map((c) => ({ ...c, context: scorer.context(c.start, c.end) }));
  const ranked = [...scored].sort((x, y) => y.context - x.context || x.distance - y.distance);
  const [best, second] = ranked;
  const unique = candidates.length === 1;
  if (best.context >= MIN_CONTEXT_SIMILARITY || (unique && quoteCps >= MIN_DISTINCT_QUOTE)) {
    const method = !unique && best.context > second.context ? 'context' : 'quote';
    return { anchor: { start: best.start, end: best.end, method } };
  }
  return { refused: occurrences };
}

/** Approximate matches near the old start, then (for texts up to MAX_FULL_SEARCH) anywhere. */
function findFuzzy(
  text: string,
  quote: string,
  a: AnchorTarget,
  scorer: CandidateScorer,
  index: CodePointIndex,
  refused: Range[],
): Anchor | null {
  const quoteCps = codePointLength(quote);
  if (quoteCps < MIN_FUZZY_QUOTE) return null;
  if (!scorer.hasContext && quoteCps < MIN_DISTINCT_QUOTE) return null;
  const maxErrors = Math.max(1, Math.floor(quoteCps / 10));
  const hint = index.toUtf16(Math.min(a.start, index.length));
  const radius = 2000 + 20 * quote.length;
  const window = { start: Math.max(0, hint - radius), end: Math.min(text.length, hint + quote.length + radius) };
  const whole = { start: 0, end: text.length };
  const areas = [window];
  if (window.start > 0 || window.end < text.length) {
    if (text.length <= MAX_FULL_SEARCH) areas.push(whole);
  }
  // What one area refused stays refused in the next, so the whole-text search looks further.
  const excluded = [...refused];
  for (const area of areas) {
    for (let round = 0; round < FUZZY_ROUNDS; round++) {
      const matches = searchOutside(text, quote, maxErrors, area, excluded);
      if (matches.length === 0) break;
      let best: { anchor: Anchor; rank: number } | null = null;
      for (const m of matches) {
        const start = index.toCodePoint(m.start);
        const end = codePointEnd(index, m.end);
        if (start >= end) continue;
        const context = scorer.hasContext ? scorer.context(start, end) : 1;
        if (context < MIN_CONTEXT_SIMILARITY) continue;
        // Errors weigh most; then context; nearness and a length like the quote's only break ties.
        const rank =
          50 * (1 - m.errors / quote.length) +
          40 * context +
          2 * (1 - Math.abs(start - a.start) / Math.max(1, index.length)) -
          0.01 * Math.abs(end - start - quoteCps);
        if (!best || rank > best.rank) best = { anchor: { start, end, method: 'fuzzy' }, rank };
      }
      if (best) return best.anchor;
      excluded.push(...matches);
    }
  }
  return null;
}

/** approxSearch over `area` minus the `excluded` UTF-16 ranges; offsets are into the whole text. */
function searchOutside(text: string, quote: string, maxErrors: number, area: Range, excluded: Range[]) {
  const cuts = excluded.filter((r) => r.end > area.start && r.start < area.end).sort((x, y) => x.start - y.start);
  const found: { start: number; end: number; errors: number }[] = [];
  let from = area.start;
  const searchUpTo = (to: number) => {
    if (to - from < quote.length - maxErrors) return;
    for (const m of approxSearch(text.slice(from, to), quote, maxErrors)) {
      found.push({ start: m.start + from, end: m.end + from, errors: m.errors });
    }
  };
  for (const cut of cuts) {
    if (cut.start > from) searchUpTo(cut.start);
    from = Math.max(from, cut.end);
  }
  if (from < area.end) searchUpTo(area.end);
  // Each segment reports its own best; only the fewest errors overall compete.
  const fewest = Math.min(...found.map((m) => m.errors));
  return found.filter((m) => m.errors === fewest);
}

/** Compares the text around candidate spans with the annotation's stored prefix and suffix. */
class CandidateScorer {
  private readonly prefixText: string;
  private readonly suffixText: string;
  // Code points of the sides, made on first use: an annotation whose context is found unchanged (every
  // one of a document that did not change, on each load) never needs them.
  private prefixCps: number[] | null = null;
  private suffixCps: number[] | null = null;
  private readonly prefixLength: number;
  private readonly suffixLength: number;

  constructor(
    private readonly text: string,
    a: AnchorTarget,
    private readonly index: CodePointIndex,
  ) {
    this.prefixText = a.prefix ?? '';
    this.suffixText = a.suffix ?? '';
    this.prefixLength = countCodePoints(this.prefixText);
    this.suffixLength = countCodePoints(this.suffixText);
  }

  private get prefix(): number[] {
    return (this.prefixCps ??= codePoints(this.prefixText));
  }

  private get suffix(): number[] {
    return (this.suffixCps ??= codePoints(this.suffixText));
  }

  /** An empty stored side (a span at the start or end of its text) tells nothing, so it does not count. */
  get hasContext(): boolean {
    return this.prefixText.length > 0 || this.suffixText.length > 0;
  }

  /** Mean similarity (0..1) of the stored sides to the text around [start, end) (code points). */
  context(start: number, end: number): number {
    let sum = 0;
    let sides = 0;
    if (this.prefixText.length > 0) {
      const before = sliceCodePoints(this.text, Math.max(0, start - this.prefixLength), start, this.index);
      sum += before === this.prefixText ? 1 : similarity(codePoints(before), this.prefix);
      sides++;
    }
    if (this.suffixText.length > 0) {
      const after = sliceCodePoints(this.text, end, end + this.suffixLength, this.index);
      sum += after === this.suffixText ? 1 : similarity(codePoints(after), this.suffix);
      sides++;
    }
    return sides === 0 ? 0 : sum / sides;
  }
}

/** 1 - (edit distance / length of the longer), over code points. */
export function similarity(x: number[], y: number[]): number {
  const longer = Math.max(x.length, y.length);
  if (longer === 0) return 1;
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return 1 - row[y.length] / longer;
}

/** Code points in a (well-formed) string, counted without allocating. */
function countCodePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

function codePoints(s: string): number[] {
  return Array.from(s, (c) => c.codePointAt(0)!);
}

function codePointLength(s: string): number {
  return new CodePointIndex(s).length;
}

/** A UTF-16 end offset as a code point offset, rounding up when it falls inside a surrogate pair. */
function codePointEnd(index: CodePointIndex, u16: number): number {
  const cp = index.toCodePoint(u16);
  return index.toUtf16(cp) < u16 ? cp + 1 : cp;
}
