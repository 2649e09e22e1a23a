// Tests of simpleWordBreaks: the same word boundaries as Intl.Segmenter on every string it accepts.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simpleWordBreaks } from './word-breaks.ts';

const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
const reference = (s: string): number[] => Array.from(segmenter.segment(s), (p) => p.index);

/** A small seeded PRNG, so a failure names a string that fails again. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('simpleWordBreaks', () => {
  it('splits words, numbers, contractions, abbreviations and punctuation as Intl.Segmenter does', () => {
    for (const s of [
      "Dozens of lorries can't reach al-Bab; 1,000 fled U.S. strikes at 10:30 on 9/11 (3.5bn, e.g. 3rd) foo_bar _x",
      'He said “no” — twice… ’90s, ‘quoted’ rock’n’roll, café Zürich ©2019\u00a0km',
      'a:b a.b a,b 1:2 1.2 1,2 1;2 a;b \'a\' x\'\'y 2\'3 a__1 __ . .. ,',
      '',
      '\t\v\f\r\n  x',
    ]) {
      expect(simpleWordBreaks(s), s).toEqual(reference(s));
    }
  });

  it('agrees with Intl.Segmenter on 100,000 random strings of the characters it handles', () => {
    const random = rng(7);
    const handled = [...Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)), '\u00a0', '’', '‘', '“', '”', '—', '–', '©', '…', 'é', 'À', 'ÿ', 'ñ'];
    const likely = "aaaabbZ00129._,;:'  \"-()!?/";
    for (let t = 0; t < 100_000; t++) {
      let s = '';
      const length = 1 + Math.floor(random() * 24);
      for (let i = 0; i < length; i++) s += random() < 0.5 ? likely[Math.floor(random() * likely.length)] : handled[Math.floor(random() * handled.length)];
      const breaks = simpleWordBreaks(s);
      if (JSON.stringify(breaks) !== JSON.stringify(reference(s))) expect(breaks, JSON.stringify(s)).toEqual(reference(s));
    }
  });

  it('agrees with Intl.Segmenter on every line of the seed articles', () => {
    const dir = new URL('../../../shared/corpus/seeds/', import.meta.url);
    for (const name of readdirSync(dir)) {
      for (const line of readFileSync(new URL(name, dir), 'utf8').split('\n')) {
        const breaks = simpleWordBreaks(line);
        if (breaks) expect(breaks, line).toEqual(reference(line));
      }
    }
  });

  it('leaves strings with other characters to the segmenter', () => {
    for (const s of ['ناقلة', 'e\u0301', '中文', 'a\u200db', '😀', 'ß\u00ad']) expect(simpleWordBreaks(s)).toBeNull();
  });
});
