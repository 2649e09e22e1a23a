// Tests of re-anchoring annotations in a changed text: position, quote, context, fuzzy, and orphans.
import { describe, expect, it } from 'vitest';
import { CONTEXT_LENGTH, MAX_FULL_SEARCH, contextOf, reanchor, similarity, type AnchorTarget } from './anchors.ts';
import { decodeBytes } from './corpus/decode.ts';
import { CodePointIndex, sliceCodePoints } from './offsets.ts';

const ARTICLE = [
  'Hundreds leave ISIS pocket of Baghous in mass surrender',
  '',
  'The Syrian Democratic Forces surrounded ISIS but the offensive was paused in Baghous late on Sunday.',
  '',
  '"We are slowing down the offensive in Baghous due to civilians held as human shields," Mustafa Bali said.',
  '',
  'Dozens of lorries that moved people from the camp headed back there on Monday.',
  '',
].join('\n');

const cpIndexOf = (text: string, needle: string, from = 0): number => {
  const u16 = text.indexOf(needle, new CodePointIndex(text).toUtf16(from));
  if (u16 < 0) throw new Error(`${needle} not in text`);
  return new CodePointIndex(text).toCodePoint(u16);
};
const cpLength = (s: string): number => Array.from(s).length;

/** An annotation on the `nth` occurrence (0-based) of `quote`, with its context, as the store keeps it. */
function annotate(text: string, quote: string, nth = 0, withContext = true): AnchorTarget {
  let start = cpIndexOf(text, quote);
  for (let i = 0; i < nth; i++) start = cpIndexOf(text, quote, start + 1);
  const end = start + cpLength(quote);
  return { start, end, text: quote, ...(withContext ? contextOf(text, start, end) : {}) };
}

/** The text at an anchor. */
const at = (text: string, r: { start: number; end: number } | null) => (r ? sliceCodePoints(text, r.start, r.end) : null);

describe('contextOf', () => {
  it('takes up to 32 code points either side, fewer at the edges of the text', () => {
    const a = annotate(ARTICLE, 'Hundreds');
    expect(a.prefix).toBe('');
    expect(a.suffix).toBe(' leave ISIS pocket of Baghous in');
    expect(cpLength(a.suffix!)).toBe(CONTEXT_LENGTH);
    const last = annotate(ARTICLE, 'Monday.');
    expect(last.suffix).toBe('\n');
    expect(cpLength(last.prefix!)).toBe(CONTEXT_LENGTH);
  });

  it('counts code points, so emoji are never cut in half', () => {
    const text = '😀'.repeat(40) + 'Mosul' + '🚀'.repeat(40);
    const ctx = contextOf(text, 40, 45);
    expect(ctx.prefix).toBe('😀'.repeat(32));
    expect(ctx.suffix).toBe('🚀'.repeat(32));
  });
});

describe('reanchor', () => {
  it("keeps the offsets when the edit is after the span ('position')", () => {
    const a = annotate(ARTICLE, 'Mustafa Bali');
    const edited = ARTICLE.replace('on Monday.', 'on Monday night, an SDF source said.');
    expect(reanchor(edited, a)).toEqual({ start: a.start, end: a.end, method: 'position' });
  });

  it('keeps the offsets when both sides of the span were rewritten and no other mention fits better', () => {
    const a = annotate(ARTICLE, 'Baghous', 2);
    const i = ARTICLE.lastIndexOf('Baghous');
    const edited = ARTICLE.slice(0, i - 20).padEnd(i, '~') + 'Baghous' + '~'.repeat(20) + ARTICLE.slice(i + 27);
    expect(sliceCodePoints(edited, a.start, a.end)).toBe('Baghous');
    expect(reanchor(edited, a)).toEqual({ start: a.start, end: a.end, method: 'position' });
  });

  it("follows the span when text is inserted or deleted before it ('quote')", () => {
    const a = annotate(ARTICLE, 'Mustafa Bali');
    const inserted = ARTICLE.replace('Hundreds leave', 'Breaking: hundreds leave');
    const moved = reanchor(inserted, a);
    expect(moved).toEqual({ start: a.start + 'Breaking: h'.length - 1, end: a.end + 10, method: 'quote' });
    expect(at(inserted, moved)).toBe('Mustafa Bali');

    const deleted = ARTICLE.replace(' in mass surrender', '');
    const back = reanchor(deleted, a);
    expect(back).toEqual({ start: a.start - 18, end: a.end - 18, method: 'quote' });
    expect(at(deleted, back)).toBe('Mustafa Bali');
  });

  it("picks the right one of several occurrences by its prefix and suffix ('context')", () => {
    // The annotated mention is the third 'Baghous'; after the insertion the second one sits nearest
    // to the old offsets, so only the context can tell them apart.
    const a = annotate(ARTICLE, 'Baghous', 2);
    const shift = a.start - cpIndexOf(ARTICLE, 'Baghous', cpIndexOf(ARTICLE, 'Baghous') + 1);
    const edited = ARTICLE.replace('Hundreds', 'Hundreds' + ' '.repeat(shift));
    const found = reanchor(edited, a)!;
    expect(found.method).toBe('context');
    expect(found.start).toBe(a.start + shift);
    expect(at(edited, found)).toBe('Baghous');
    expect(sliceCodePoints(edited, found.end, found.end + 16)).toBe(' due to civilian');

    // Two code points further, nothing sits at the old offsets and the wrong mention is the nearest.
    const further = ARTICLE.replace('Hundreds', 'Hundreds' + ' '.repeat(shift + 2));
    expect(reanchor(further, a)).toEqual({ start: a.start + shift + 2, end: a.end + shift + 2, method: 'context' });
  });

  it('without stored context, takes the occurrence nearest the old offsets', () => {
    const a = annotate(ARTICLE, 'Baghous', 1, false);
    const edited = ARTICLE.replace('Hundreds', 'Many hundreds');
    const found = reanchor(edited, a)!;
    expect(found).toEqual({ start: a.start + 5, end: a.end + 5, method: 'quote' });
  });

  it("finds a span whose own text was corrected, 'Baghous' -> 'Baghouz' ('fuzzy')", () => {
    const a = annotate(ARTICLE, 'Baghous', 1);
    const edited = ARTICLE.replaceAll('Baghous', 'Baghouz');
    const found = reanchor(edited, a);
    expect(found).toEqual({ start: a.start, end: a.end, method: 'fuzzy' });
    expect(at(edited, found)).toBe('Baghouz');
  });

  it('finds the corrected span even when the old spelling survives elsewhere with other context', () => {
    const a = annotate(ARTICLE, 'Baghous', 2);
    // Only the annotated mention is corrected (and moved by an insertion before it).
    const i = ARTICLE.lastIndexOf('Baghous');
    const edited = 'Update: ' + ARTICLE.slice(0, i) + 'Baghouz' + ARTICLE.slice(i + 7);
    const found = reanchor(edited, a);
    expect(found).toEqual({ start: a.start + 8, end: a.end + 8, method: 'fuzzy' });
    expect(at(edited, found)).toBe('Baghouz');
  });

  it('orphans a span whose paragraph was deleted, though its quote occurs elsewhere', () => {
    const a = annotate(ARTICLE, 'Baghous', 2);
    const paragraph = ARTICLE.split('\n')[4];
    const edited = ARTICLE.replace(paragraph + '\n\n', '');
    expect(edited).toContain('Baghous');
    expect(reanchor(edited, a)).toBeNull();
  });

  it('orphans a span whose paragraph was deleted when nothing like it is left', () => {
    const a = annotate(ARTICLE, 'Mustafa Bali');
    const edited = ARTICLE.replace(ARTICLE.split('\n')[4] + '\n\n', '');
    expect(reanchor(edited, a)).toBeNull();
  });

  it('re-anchors an orphan once its text is restored', () => {
    const a = annotate(ARTICLE, 'Mustafa Bali');
    const without = ARTICLE.replace('Mustafa Bali said', 'a spokesman said');
    expect(reanchor(without, a)).toBeNull();
    expect(reanchor(ARTICLE, a)).toEqual({ start: a.start, end: a.end, method: 'position' });
    const restoredLater = 'Correction appended.\n' + ARTICLE;
    expect(at(restoredLater, reanchor(restoredLater, a))).toBe('Mustafa Bali');
  });

  it('counts code points across emoji, Arabic with diacritics and combining accents before the span', () => {
    const base = 'Strike 🚀 on الرَّقَّة, café\u0301 owner Mustafa Bali killed 😀\n';
    const a = annotate(base, 'Mustafa Bali');
    expect(a.start).toBe(Array.from(base.slice(0, base.indexOf('Mustafa'))).length);
    expect(a.start).toBe(base.indexOf('Mustafa') - 1);

    const edited = '🇸🇾🚀 ' + base.replace('café\u0301', 'cafe\u0301\u0301 🙂');
    const found = reanchor(edited, a)!;
    expect(found.method).toBe('quote');
    expect(found.start).toBe(Array.from(edited.slice(0, edited.indexOf('Mustafa'))).length);
    expect(found.end - found.start).toBe(12);
    expect(Array.from(edited).slice(found.start, found.end).join('')).toBe('Mustafa Bali');
  });

  it('ends a fuzzy match after a whole emoji, never inside one', () => {
    const base = 'Reports 😀😀 from the town: a Raqqa 🚀 strike hit the market at noon.\n';
    const a = annotate(base, 'Raqqa 🚀 strike');
    const edited = '🙂 ' + base.replace('Raqqa 🚀 strike', 'Raqa 🚀 strike');
    const found = reanchor(edited, a)!;
    expect(found.method).toBe('fuzzy');
    expect(Array.from(edited).slice(found.start, found.end).join('')).toBe('Raqa 🚀 strike');
  });

  it('still holds after the file changes from LF to CRLF line endings (decoding normalises)', () => {
    const a = annotate(ARTICLE, 'Mustafa Bali');
    const crlf = new TextEncoder().encode(ARTICLE.replaceAll('\n', '\r\n'));
    const decoded = decodeBytes(crlf);
    expect(decoded.ok && decoded.text).toBe(ARTICLE);
    expect(reanchor((decoded as { text: string }).text, a)).toEqual({ start: a.start, end: a.end, method: 'position' });

    const cr = decodeBytes(new TextEncoder().encode('Intro.\r' + ARTICLE.replaceAll('\n', '\r')));
    const moved = reanchor((cr as { text: string }).text, a)!;
    expect(moved).toMatchObject({ start: a.start + 7, method: 'quote' });
  });

  it('needs context or a distinctive quote: a short unique quote with new surroundings is orphaned', () => {
    const a = annotate(ARTICLE, 'Mustafa Bali');
    const long: AnchorTarget = { ...annotate(ARTICLE, 'Mustafa Bali said'), prefix: 'x'.repeat(32), suffix: 'y'.repeat(32) };
    const rewritten = 'Nothing else here.\nA statement by Mustafa Bali said little more.\n';
    // 'Mustafa Bali' is 12 code points: distinctive enough on its own.
    expect(at(rewritten, reanchor(rewritten, a))).toBe('Mustafa Bali');
    expect(at(rewritten, reanchor(rewritten, long))).toBe('Mustafa Bali said');

    const shortQuote = annotate(ARTICLE, 'ISIS', 1);
    const moved = 'Unrelated story: ISIS claimed nothing.\n';
    expect(reanchor(moved, shortQuote)).toBeNull();
    // Without stored context (annotations saved before context existed) the quote alone decides.
    expect(reanchor(moved, { ...shortQuote, prefix: undefined, suffix: undefined })).toMatchObject({ method: 'quote' });
  });

  it('matches fuzzily without stored context only for quotes of 10 code points or more', () => {
    const short = { ...annotate(ARTICLE, 'Baghous', 1, false) };
    const edited = ARTICLE.replaceAll('Baghous', 'Baghouz');
    expect(reanchor(edited, short)).toBeNull();

    const long = annotate(ARTICLE, 'Mustafa Bali said', 0, false);
    const found = reanchor(ARTICLE.replace('Mustafa Bali', 'Mustafa Balli'), long)!;
    expect(found.method).toBe('fuzzy');
    expect(at(ARTICLE.replace('Mustafa Bali', 'Mustafa Balli'), found)).toBe('Mustafa Balli said');
  });

  it('refuses fuzzy matches with more than max(1, length/10) errors', () => {
    const a = annotate(ARTICLE, 'Mustafa Bali');
    expect(reanchor(ARTICLE.replace('Mustafa Bali', 'Mustapha Bali'), a)).toBeNull(); // 2 errors in 12
    expect(at(ARTICLE.replace('Mustafa Bali', 'Mustafa Baly'), reanchor(ARTICLE.replace('Mustafa Bali', 'Mustafa Baly'), a))).toBe(
      'Mustafa Baly',
    );
  });

  it('searches the whole text when the span moved far from its old position', () => {
    const a = annotate(ARTICLE, 'Baghous', 1);
    const filler = 'Lorem ipsum dolor sit amet. '.repeat(1000); // 28,000 characters, past the search window
    const edited = filler + ARTICLE.replaceAll('Baghous', 'Baghouz');
    const found = reanchor(edited, a)!;
    expect(found).toEqual({ start: a.start + filler.length, end: a.end + filler.length, method: 'fuzzy' });
  });

  it('searches only near the old position in texts over the full-search limit', () => {
    const a = annotate(ARTICLE, 'Baghous', 1);
    const filler = 'Lorem ipsum dolor sit amet. '.repeat(Math.ceil(MAX_FULL_SEARCH / 28));
    const far = filler + ARTICLE.replaceAll('Baghous', 'Baghouz');
    expect(reanchor(far, a)).toBeNull();
    const near = ARTICLE.replaceAll('Baghous', 'Baghouz') + filler;
    expect(reanchor(near, a)).toEqual({ start: a.start, end: a.end, method: 'fuzzy' });
    // Exact quotes are still found anywhere.
    const exact = filler + ARTICLE;
    expect(reanchor(exact, a)).toMatchObject({ start: a.start + filler.length, method: 'context' });
  });

  it('never anchors an empty quote elsewhere', () => {
    expect(reanchor(ARTICLE, { start: 5, end: 9, text: '' })).toBeNull();
  });
});

describe('similarity', () => {
  it('is 1 minus the edit distance over the longer length, in code points', () => {
    const cps = (s: string) => Array.from(s, (c) => c.codePointAt(0)!);
    expect(similarity(cps('Baghous'), cps('Baghouz'))).toBeCloseTo(6 / 7);
    expect(similarity(cps('😀ab'), cps('🚀ab'))).toBeCloseTo(2 / 3);
    expect(similarity(cps(''), cps(''))).toBe(1);
    expect(similarity(cps('abc'), cps(''))).toBe(0);
  });
});
