// Tests of the scorer on small hand-made cases: lenient one-to-one matching, ignored surfaces, values.
import { describe, expect, it } from 'vitest';
import { scoreDocument, summarize, valueMatches, type GoldSpan, type PredictedSpan } from './score.ts';

const gold = (label: string, start: number, end: number, text: string, values: Record<string, unknown> = {}): GoldSpan => ({ label, start, end, text, ...values });
const pred = (label: string, start: number, end: number, text: string, attrs: Record<string, unknown> = {}): PredictedSpan => ({ label, start, end, text, attrs });

function row(gs: GoldSpan[], ps: PredictedSpan[], label: string, ignore: string[] = []) {
  return summarize([scoreDocument(gs, ps, ignore)]).find((r) => r.label === label)!;
}

describe('span matching', () => {
  it('counts an overlapping prediction of the same label as a match', () => {
    const r = row([gold('DATE', 10, 25, 'late on Sunday', { value: '2019-02-10' })], [pred('DATE', 18, 24, 'Sunday', { value: '2019-02-10' })], 'DATE');
    expect(r).toMatchObject({ gold: 1, predicted: 1, tp: 1, precision: 1, recall: 1, f1: 1, valueAccuracy: 1 });
  });

  it('does not match touching spans or other labels', () => {
    const s = scoreDocument([gold('ORG', 0, 5, 'Hamas')], [pred('ORG', 5, 9, 'said'), pred('LOCATION', 0, 5, 'Hamas')]);
    const [loc, org] = summarize([s]);
    expect(org).toMatchObject({ label: 'ORG', gold: 1, predicted: 1, tp: 0, precision: 0, recall: 0, f1: 0 });
    expect(loc).toMatchObject({ label: 'LOCATION', gold: 0, predicted: 1, tp: 0, precision: 0, recall: null, f1: 0 });
    expect(s.errors.map((e) => e.kind)).toEqual(['false negative', 'false positive', 'false positive']);
  });

  it('matches one to one: a second prediction over the same gold span is a false positive', () => {
    const r = row([gold('PERSON', 0, 11, 'Ryan Dillon')], [pred('PERSON', 0, 4, 'Ryan'), pred('PERSON', 5, 11, 'Dillon')], 'PERSON');
    expect(r).toMatchObject({ tp: 1, predicted: 2, precision: 0.5, recall: 1 });
    expect(r.f1).toBeCloseTo(2 / 3);
  });

  it('prefers the exact span, then the larger overlap, when choosing pairs', () => {
    const s = scoreDocument(
      [gold('LOCATION', 0, 11, 'Deir ez-Zor'), gold('LOCATION', 12, 17, 'Syria')],
      [pred('LOCATION', 0, 17, 'Deir ez-Zor Syria'), pred('LOCATION', 12, 17, 'Syria')],
    );
    expect(summarize([s])[0]).toMatchObject({ tp: 2, predicted: 2, gold: 2 });
  });

  it('sums documents', () => {
    const a = scoreDocument([gold('DATE', 0, 6, 'Monday', { value: '2019-02-11' })], [pred('DATE', 0, 6, 'Monday', { value: '2019-02-11' })]);
    const b = scoreDocument([gold('DATE', 0, 6, 'Monday', { value: '2019-02-11' })], []);
    expect(summarize([a, b])[0]).toMatchObject({ gold: 2, predicted: 1, tp: 1, precision: 1, recall: 0.5 });
  });
});

describe('ignored surfaces', () => {
  it('drops ignored texts on both sides', () => {
    const s = scoreDocument(
      [gold('ORG', 0, 2, 'US'), gold('ORG', 10, 19, 'Hizballah')],
      [pred('ORG', 0, 2, 'US'), pred('ORG', 30, 36, 'Syrian'), pred('ORG', 10, 19, 'Hizballah')],
      ['US', 'Syrian'],
    );
    expect(summarize([s])[0]).toMatchObject({ gold: 1, predicted: 1, tp: 1, f1: 1 });
    expect(s.errors).toEqual([]);
  });
});

describe('values', () => {
  it('checks DATE value, and mod only when the gold has one', () => {
    const g = gold('DATE', 0, 11, 'late August', { value: '2017-08' });
    expect(valueMatches(g, pred('DATE', 0, 11, 'late August', { value: '2017-08', mod: 'end' }))).toBe(true);
    expect(valueMatches(g, pred('DATE', 0, 11, 'late August', { value: '2017-09' }))).toBe(false);
    const withMod = gold('DATE', 0, 11, 'late August', { value: '2017-08', mod: 'end' });
    expect(valueMatches(withMod, pred('DATE', 0, 11, 'late August', { value: '2017-08' }))).toBe(false);
    expect(valueMatches(withMod, pred('DATE', 0, 11, 'late August', { value: '2017-08', mod: 'end' }))).toBe(true);
  });

  it('checks CASUALTIES low, high, group and outcome, with null and missing alike', () => {
    const g = gold('CASUALTIES', 0, 18, 'many ISIS fighters', { low: null, high: null, approx: true, group: 'fighters', outcome: 'killed' });
    expect(valueMatches(g, pred('CASUALTIES', 0, 18, 'many ISIS fighters', { high: null, group: 'fighters', outcome: 'killed' }))).toBe(true);
    expect(valueMatches(g, pred('CASUALTIES', 0, 18, 'many ISIS fighters', { low: null, high: null, group: 'fighters', outcome: 'injured' }))).toBe(false);
    expect(valueMatches(g, pred('CASUALTIES', 0, 18, 'many ISIS fighters', { low: 0, high: null, group: 'fighters', outcome: 'killed' }))).toBe(false);
  });

  it('has no values for entity labels', () => {
    expect(valueMatches(gold('ORG', 0, 2, 'IS'), pred('ORG', 0, 2, 'IS', { entity: 'x' }))).toBeNull();
  });

  it('reports value accuracy over matched spans and lists wrong values', () => {
    const s = scoreDocument(
      [gold('DATE', 0, 9, 'last week', { value: '2017-W35' }), gold('DATE', 20, 28, 'Saturday', { value: '2017-09-02' }), gold('DATE', 40, 44, '2014', { value: '2014' })],
      [pred('DATE', 0, 9, 'last week', { value: '2017-W35' }), pred('DATE', 20, 28, 'Saturday', { value: '2017-08-26' })],
    );
    expect(summarize([s])[0]).toMatchObject({ tp: 2, valueChecked: 2, valueCorrect: 1, valueAccuracy: 0.5 });
    expect(s.errors.map((e) => [e.kind, (e.gold ?? e.predicted)!.text])).toEqual([['wrong value', 'Saturday'], ['false negative', '2014']]);
  });

  it('leaves ratios undefined when there is nothing to divide', () => {
    expect(summarize([scoreDocument([], [])])).toEqual([]);
    expect(row([gold('ORG', 0, 2, 'IS')], [], 'ORG')).toMatchObject({ precision: null, recall: 0, f1: 0, valueAccuracy: null });
  });
});
