// Tests of `suggest`: the engines together, and how their outputs are merged.
import { describe, expect, it } from 'vitest';
import { ENGINES, suggest } from './index.ts';
import type { Suggestion, SuggestionEngine } from './types.ts';

const s = (label: string, start: number, end: number, score = 0.5, engine = 'fake@1'): Suggestion => ({ label, start, end, text: '', attrs: {}, score, engine });
const fake = (name: string, out: Suggestion[]): SuggestionEngine => ({ name, version: 1, suggest: () => out });

describe('ENGINES', () => {
  it('holds the dates and casualties engines, named uniquely', () => {
    const names = ENGINES.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['dates', 'casualties']));
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('suggest', () => {
  it('runs every engine and sorts by start', () => {
    const text = 'On Monday, a strike in Marib killed 12 civilians. Talks resume next week.';
    // Entity suggestions (places, groups) come from another engine; this test follows dates and casualties.
    const out = suggest(text, { dct: '2021-03-10' }).filter((x) => x.label === 'DATE' || x.label === 'CASUALTIES');
    expect(out.map((x) => [x.label, x.text, x.attrs])).toEqual([
      ['DATE', 'Monday', { value: '2021-03-08' }],
      ['CASUALTIES', '12 civilians', { low: 12, high: 12, approx: false, group: 'civilians', outcome: 'killed' }],
      ['DATE', 'next week', { value: '2021-W11' }],
    ]);
    expect(out.map((x) => x.engine)).toEqual(['dates@1', 'casualties@1', 'dates@1']);
  });

  it('drops exact duplicates', () => {
    const out = suggest('x', { dct: null }, [fake('a', [s('ORG', 0, 5)]), fake('b', [s('ORG', 0, 5)])]);
    expect(out).toHaveLength(1);
  });

  it('keeps the longer of two overlapping suggestions with one label, then the higher score', () => {
    const longer = suggest('x', { dct: null }, [fake('a', [s('LOCATION', 0, 4, 0.9)]), fake('b', [s('LOCATION', 0, 11, 0.3)])]);
    expect(longer.map((x) => [x.start, x.end])).toEqual([[0, 11]]);
    const scored = suggest('x', { dct: null }, [fake('a', [s('LOCATION', 0, 5, 0.4)]), fake('b', [s('LOCATION', 2, 7, 0.8)])]);
    expect(scored.map((x) => [x.start, x.end])).toEqual([[2, 7]]);
  });

  it('keeps the first engine on a full tie', () => {
    const out = suggest('x', { dct: null }, [fake('a', [s('ORG', 0, 5, 0.5, 'a@1')]), fake('b', [s('ORG', 1, 6, 0.5, 'b@1')])]);
    expect(out.map((x) => x.engine)).toEqual(['a@1']);
  });

  it('keeps overlapping suggestions of different labels', () => {
    const out = suggest('x', { dct: null }, [fake('a', [s('ORG', 0, 9), s('LOCATION', 4, 9)])]);
    expect(out.map((x) => x.label)).toEqual(['ORG', 'LOCATION']);
  });

  it('keeps non-overlapping neighbours, including ones that touch', () => {
    const out = suggest('x', { dct: null }, [fake('a', [s('DATE', 10, 20, 0.9), s('DATE', 0, 10), s('DATE', 20, 30), s('DATE', 5, 25, 0.1)])]);
    expect(out.map((x) => [x.start, x.end])).toEqual([[5, 25]]);
    const apart = suggest('x', { dct: null }, [fake('a', [s('DATE', 20, 30), s('DATE', 0, 10), s('DATE', 10, 20)])]);
    expect(apart.map((x) => [x.start, x.end])).toEqual([[0, 10], [10, 20], [20, 30]]);
  });

  it('returns nothing for an empty text', () => {
    expect(suggest('', { dct: '2020-01-01' })).toEqual([]);
  });
});
