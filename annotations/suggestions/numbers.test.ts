// Tests of number and quantity parsing: digits, number words, vague words, qualifiers, ranges.
import { describe, expect, it } from 'vitest';
import { numberValue, parseQuantity, tokenize } from './numbers.ts';

function quantity(text: string): { text: string; low: number | null; high: number | null; approx: boolean; vague: boolean; bound: string | null } | null {
  const q = parseQuantity(tokenize(text), 0);
  return q && { text: text.slice(q.start, q.end), low: q.low, high: q.high, approx: q.approx, vague: q.vague, bound: q.bound };
}

describe('numberValue', () => {
  it.each<[string, number]>([
    ['7', 7], ['1,220', 1220], ['37,000', 37000], ['3.5 million', 3_500_000], ['2 million', 2_000_000],
    ['seven', 7], ['Eleven', 11], ['twenty-one', 21], ['twenty one', 21], ['ninety-nine', 99],
    ['two hundred and fifty', 250], ['a hundred', 100], ['one thousand two hundred', 1200],
    ['three thousand', 3000], ['a dozen', 12], ['two dozen', 24], ['half a dozen', 6], ['a couple of', 2],
    ['zero', 0],
  ])('%s = %d', (text, value) => {
    expect(numberValue(text)).toBe(value);
  });

  it.each(['five twenty', 'twenty twelve', 'hundred', 'dozens', 'the', '', 'first', '17-vehicle', 'one two'])('%s is not one number', (text) => {
    expect(numberValue(text)).toBeNull();
  });
});

describe('parseQuantity', () => {
  it('reads a plain figure as exact', () => {
    expect(quantity('eight Lebanese troops')).toEqual({ text: 'eight', low: 8, high: 8, approx: false, vague: false, bound: null });
    expect(quantity('1,220 strikes')).toEqual({ text: '1,220', low: 1220, high: 1220, approx: false, vague: false, bound: null });
  });

  it.each([
    ['about 85 IS fighters', 'about 85'], ['an estimated 50 fighters', 'an estimated 50'], ['around 300 people', 'around 300'],
    ['some 40 villagers', 'some 40'], ['approximately 12 people', 'approximately 12'], ['roughly 200 people', 'roughly 200'],
  ])('reads %s as a point estimate', (text, surface) => {
    const q = quantity(text)!;
    expect(q.text).toBe(surface);
    expect(q.low).toBe(q.high);
    expect(q.low).not.toBeNull();
    expect(q.approx).toBe(true);
  });

  it.each([
    ['up to 118 civilians', 118], ['as many as 60 people', 60], ['nearly 100 soldiers', 100], ['almost 30 people', 30],
    ['fewer than 10 people', 10], ['no more than five people', 5],
  ])('reads %s as an upper bound, keeping the figure as low and high', (text, high) => {
    expect(quantity(text)).toMatchObject({ low: high, high, approx: true, bound: 'upper' });
  });

  it.each([
    ['at least 20 civilians', 20], ['more than 300 fighters', 300], ['over 1,000 people', 1000], ['upwards of 50 people', 50],
    ['no fewer than 12 people', 12], ['in excess of 400 people', 400], ['more than a dozen fighters', 12],
  ])('reads %s as a lower bound, keeping the figure as low and high', (text, low) => {
    expect(quantity(text)).toMatchObject({ low, high: low, approx: true, bound: 'lower' });
  });

  it('reads ranges', () => {
    expect(quantity('between 10 and 15 people')).toMatchObject({ text: 'between 10 and 15', low: 10, high: 15, approx: false });
    expect(quantity('from 20 to 30 people')).toMatchObject({ low: 20, high: 30, approx: false });
    expect(quantity('10 to 15 people')).toMatchObject({ text: '10 to 15', low: 10, high: 15 });
    expect(quantity('10-15 people')).toMatchObject({ text: '10-15', low: 10, high: 15 });
    expect(quantity('two or three protesters')).toMatchObject({ text: 'two or three', low: 2, high: 3 });
    expect(quantity('about 10 to 15 people')).toMatchObject({ low: 10, high: 15, approx: true });
    expect(quantity('20 or more people')).toMatchObject({ text: '20 or more', low: 20, high: 20, approx: true, bound: 'lower' });
  });

  it('does not read a descending pair or mixed words and digits as a range', () => {
    expect(quantity('15-10 people')).toBeNull();
    expect(quantity('five or 6 people')).toMatchObject({ text: 'five', low: 5, high: 5 });
  });

  it.each([
    ['dozens of militants', 'dozens of'], ['Dozens were killed', 'Dozens'], ['hundreds of people', 'hundreds of'],
    ['tens of thousands of people', 'tens of thousands of'], ['scores of civilians', 'scores of'],
    ['a handful of aid workers', 'a handful of'], ['an unknown number of fighters', 'an unknown number of'],
    ['an unspecified number of IS fighters', 'an unspecified number of'], ['many ISIS fighters', 'many'],
    ['several soldiers', 'several'], ['a few civilians', 'a few'], ['a number of people', 'a number of'],
    ['a few dozen protesters', 'a few dozen'], ['several hundred people', 'several hundred'],
    ['several thousand of them', 'several thousand of'], ['a few hundred', 'a few hundred'],
  ])('reads %s as vague', (text, surface) => {
    expect(quantity(text)).toEqual({ text: surface, low: null, high: null, approx: true, vague: true, bound: null });
  });

  it.each(['some of whom', 'over the weekend', 'a number', 'the convoy', 'about the attack', 'between them'])('finds no quantity in %s', (text) => {
    expect(quantity(text)).toBeNull();
  });
});

describe('tokenize', () => {
  it('keeps hyphenated compounds, digit groups and decimals whole', () => {
    expect(tokenize('The 17-vehicle convoy, 1,220 strikes, 3.5 km; 52-month record.').map((t) => t.text)).toEqual([
      'The', '17-vehicle', 'convoy', ',', '1,220', 'strikes', ',', '3.5', 'km', ';', '52-month', 'record', '.',
    ]);
  });

  it('splits a figure from the comma or full stop after it', () => {
    expect(tokenize('killing 10, wounding 20.').map((t) => t.text)).toEqual(['killing', '10', ',', 'wounding', '20', '.']);
  });

  it('drops the possessive in the lower-case form and keeps offsets', () => {
    const tokens = tokenize("xx Syria's army", 3);
    expect(tokens.map((t) => t.lower)).toEqual(['syria', 'army']);
    expect(tokens[1]).toMatchObject({ start: 11, end: 15 });
  });
});
