// Tests of titleOf and detectPublicationDate, on the seed articles and small texts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectPublicationDate, titleOf } from './metadata.ts';

const seed = (name: string): string =>
  readFileSync(new URL(`../../../shared/corpus/seeds/${name}`, import.meta.url), 'utf8');

describe('titleOf', () => {
  it('is the first non-empty line, trimmed', () => {
    expect(titleOf('\n  \n\t Hundreds leave Baghouz  \nbody')).toBe('Hundreds leave Baghouz');
    expect(titleOf(seed('000_e55e6185f7ffecdf.txt'))).toBe('Hundreds leave ISIS pocket of Baghouz in mass surrender');
  });

  it('is empty when there is no text', () => {
    expect(titleOf('')).toBe('');
    expect(titleOf(' \n\n\t\n')).toBe('');
  });

  it('is cut to 300 code points without splitting a surrogate pair', () => {
    expect(titleOf('x'.repeat(500))).toHaveLength(300);
    const emoji = titleOf('🙂'.repeat(400));
    expect([...emoji]).toHaveLength(300);
    expect(emoji).toBe('🙂'.repeat(300));
  });
});

describe('detectPublicationDate', () => {
  it('finds the dates of the seed articles', () => {
    expect(detectPublicationDate(seed('001_0195c39c9476f768.txt'))).toBe('2017-08-30');
    expect(detectPublicationDate(seed('003_8798c921b24b83f5.txt'))).toBe('2017-09-08');
  });

  it('returns null when the article has only relative dates', () => {
    expect(detectPublicationDate(seed('000_e55e6185f7ffecdf.txt'))).toBeNull();
    expect(detectPublicationDate('Fighting resumed on Monday.\nLast week the convoy left.')).toBeNull();
  });

  it('reads ISO and English dates', () => {
    expect(detectPublicationDate('Posted 2019-03-05T10:00:00Z')).toBe('2019-03-05');
    expect(detectPublicationDate('Title\n\nMarch 5, 2019 — Raqqa')).toBe('2019-03-05');
    expect(detectPublicationDate('Tuesday 5th March 2019 10:00 GMT')).toBe('2019-03-05');
  });

  it('ignores partial dates, relative dates, reading times and implausible years', () => {
    expect(detectPublicationDate('4 min read\nnow, 3 days ago, last week, since August 29, in September 2017')).toBeNull();
    expect(detectPublicationDate('Updated 2 hours ago\n12:30\n8 September, 2017')).toBe('2017-09-08');
    expect(detectPublicationDate('on 5 March 1850 the town')).toBeNull();
  });

  it('reads each date whole among other numbers, and takes the first full one', () => {
    const filler = 'The 2015 ceasefire and 1,990 fighters; code 20201 and room 1999b. '.repeat(4);
    expect(detectPublicationDate(`${filler}Published on Tuesday, the twenty-seventh of September, 2016 at noon. Also 1 May 2017.`)).toBe('2016-09-27');
    expect(detectPublicationDate(`${filler}\n2018-11-03T08:00:00Z updated 4 June 2019`)).toBe('2018-11-03');
    expect(detectPublicationDate(`${'word '.repeat(100)}March 5, 2019 ${'more '.repeat(30)}6 April 2020`)).toBe('2019-03-05');
  });

  it('only looks at the start of the text', () => {
    expect(detectPublicationDate('x'.repeat(3000) + ' 5 March 2019')).toBeNull();
  });
});
