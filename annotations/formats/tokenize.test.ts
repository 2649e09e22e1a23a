// Tests of the tokenizer behind the CoNLL and spaCy exports: code point offsets, no whitespace in tokens
// (as Python counts whitespace), sentence rules, forced breaks and the layering of overlapping spans.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sliceCodePoints } from '../offsets.ts';
import { assignLayers, tokenize, tokenizeSpans, WHITESPACE } from './tokenize.ts';

const PYTHON = '/usr/bin/python3';

const words = (text: string, breaks: number[] = []): string[][] => tokenize(text, breaks).map((s) => s.tokens.map((t) => t.text));

describe('tokenize', () => {
  it('counts offsets in code points and every token slices back to its text', () => {
    const text = 'Raqqa 🇸🇾 on 29 August.\nالرَّقَّة 😢 Cafe\u0301 👨‍👩‍👧 end';
    const sentences = tokenize(text);
    const tokens = sentences.flatMap((s) => s.tokens);
    expect(tokens.map((t) => t.text)).toEqual(['Raqqa', '🇸🇾', 'on', '29', 'August', '.', 'الرَّقَّة', '😢', 'Cafe\u0301', '👨‍👩‍👧', 'end']);
    for (const t of tokens) expect(sliceCodePoints(text, t.start, t.end)).toBe(t.text);
    // The flag is two code points (four UTF-16 units): "on" starts at code point 9, not 11.
    expect(tokens[2]).toEqual({ start: 9, end: 11, text: 'on' });
    const arabic = tokens[6];
    expect([arabic.start, arabic.end]).toEqual([23, 32]);
    expect(sentences.map((s) => [s.start, s.end])).toEqual([
      [0, 22],
      [23, Array.from(text).length],
    ]);
  });

  it('puts every non-whitespace character in exactly one token and no whitespace in any', () => {
    const text = ' a\u00a0b\u2003c\u2028d\u0085e\u001cf\u200bg\ufeffh i \u0301j\t\u3000k \u200f z\n\n\u00a0 ';
    const tokens = tokenize(text).flatMap((s) => s.tokens);
    const covered = new Set<number>();
    for (const t of tokens) {
      expect(WHITESPACE.test(t.text)).toBe(false);
      for (let cp = t.start; cp < t.end; cp++) {
        expect(covered.has(cp)).toBe(false);
        covered.add(cp);
      }
    }
    Array.from(text).forEach((ch, cp) => expect(covered.has(cp)).toBe(!WHITESPACE.test(ch)));
    // Invisible format characters and lone combining marks are not whitespace: they are kept (spaCy needs every one).
    expect(tokens.map((t) => t.text)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', '\u200b', 'g\ufeffh', 'i', '\u0301', 'j', 'k', '\u200f', 'z']);
  });

  it('uses exactly the whitespace of Python str.isspace() (NLTK splits columns with str.split())', () => {
    const python = execFileSync(PYTHON, ['-c', 'import sys\nprint(",".join(str(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()))'], { encoding: 'utf8' });
    const ours: number[] = [];
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      if (WHITESPACE.test(String.fromCodePoint(c))) ours.push(c);
    }
    expect(ours.join(',')).toBe(python.trim());
  });

  it('ends a sentence at every line break, so a headline is its own sentence, and drops empty ones', () => {
    expect(words('Floods in the north\n\nRain fell. It stopped!\n   \nEnd')).toEqual([
      ['Floods', 'in', 'the', 'north'],
      ['Rain', 'fell', '.'],
      ['It', 'stopped', '!'],
      ['End'],
    ]);
  });

  it('does not end a sentence after a title abbreviation or an initial', () => {
    expect(words('Mr. Smith met Dr. Jones and George W. Bush. They left.')).toEqual([
      ['Mr', '.', 'Smith', 'met', 'Dr', '.', 'Jones', 'and', 'George', 'W', '.', 'Bush', '.'],
      ['They', 'left', '.'],
    ]);
  });

  it('cuts very long sentences at a space and very long tokens in pieces, never inside a character', () => {
    const sentences = tokenize('word '.repeat(3000));
    expect(sentences.length).toBeGreaterThan(3);
    expect(sentences.flatMap((s) => s.tokens.map((t) => t.text))).toEqual(new Array(3000).fill('word'));
    const blob = tokenize('x'.repeat(2500)).flatMap((s) => s.tokens);
    expect(blob.map((t) => t.text.length)).toEqual([1024, 1024, 452]);
    expect(blob.map((t) => [t.start, t.end])).toEqual([
      [0, 1024],
      [1024, 2048],
      [2048, 2500],
    ]);
    // A letter outside the BMP (Gothic) straddling the window's end stays whole.
    const gothic = tokenize('x'.repeat(1023) + '\u{10330}'.repeat(3)).flatMap((s) => s.tokens);
    expect(gothic.map((t) => t.text)).toEqual(['x'.repeat(1023), '\u{10330}'.repeat(3)]);
    expect(gothic[1]).toMatchObject({ start: 1023, end: 1026 });
  });

  it('cuts tokens at forced breaks, in code points', () => {
    const text = '😀 Hizballah';
    // "Hizb" is code points 2-6 (UTF-16 3-7).
    expect(words(text, [6])).toEqual([['😀', 'Hizb', 'allah']]);
    // Breaks at token edges or in whitespace change nothing.
    expect(words(text, [0, 1, 2, 11])).toEqual([['😀', 'Hizballah']]);
  });
});

describe('tokenizeSpans', () => {
  it('gives each span the tokens inside it, whitespace edges left out', () => {
    const text = 'Hizballah fighters met  Mr. Smith .';
    const spans = [
      { start: 0, end: 4, label: 'ORG' },
      { start: 22, end: 33, label: 'PERSON' }, // "  Mr. Smith" with two leading spaces
      { start: 22, end: 24, label: 'X' }, // only spaces
    ];
    const { tokens, ranges } = tokenizeSpans(text, spans);
    const textOf = (r: { first: number; last: number }) => tokens.slice(r.first, r.last).map((t) => t.text);
    expect(textOf(ranges[0])).toEqual(['Hizb']);
    expect(textOf(ranges[1])).toEqual(['Mr', '.', 'Smith']);
    expect(ranges[2].last - ranges[2].first).toBe(0);
  });
});

describe('assignLayers', () => {
  it('keeps the longest span of nested ones in layer 0 and stacks the others', () => {
    // Tokens 0..9: outer [0,6), nested [2,4), partial overlap [5,8), disjoint [8,9), empty.
    const ranges = [
      { first: 0, last: 6 },
      { first: 2, last: 4 },
      { first: 5, last: 8 },
      { first: 8, last: 9 },
      { first: 3, last: 3 },
    ];
    expect(assignLayers(ranges, 10)).toEqual([0, 1, 1, 0, -1]);
  });

  it('prefers the earlier of two equally long overlapping spans, then the given order', () => {
    // The two copies of [0,3) come first (earlier start), in the given order; [2,5) overlaps both.
    expect(assignLayers([{ first: 2, last: 5 }, { first: 0, last: 3 }, { first: 0, last: 3 }], 5)).toEqual([2, 0, 1]);
  });
});
