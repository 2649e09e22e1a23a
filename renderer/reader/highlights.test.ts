// Tests of decorationSet: the same decoration set DecorationSet.create builds, made in one pass.
import { describe, expect, it } from 'vitest';
import { DecorationSet, type Decoration } from 'prosemirror-view';
import { TextMapping } from '../../annotations/layout.ts';
import { documentFor } from './schema.ts';
import { decorationSet, type Highlight } from './highlights.ts';

/** A small seeded PRNG, so a failure repeats. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A set's shape as DecorationSet keeps it: its own decorations, then each child's range and subset. */
function shape(set: DecorationSet): unknown {
  const inner = set as unknown as { local: Decoration[]; children: Array<number | DecorationSet> };
  return {
    local: inner.local.map((d) => [d.from, d.to, (d.spec as { id: string }).id, (d as unknown as { type: { attrs: unknown } }).type.attrs]),
    children: inner.children.map((c) => (typeof c === 'number' ? c : shape(c))),
  };
}

const text = [
  'A title line',
  '',
  'First paragraph, with words to tag.',
  'Second one right after it.',
  '',
  'Third: the last paragraph of this text, longer than the others by a few words.',
].join('\n');

describe('decorationSet', () => {
  const mapping = new TextMapping(text);
  const doc = documentFor(mapping);

  it('builds the tree DecorationSet.create builds, for random highlights (inside, across and between blocks, empty, nested, repeated)', () => {
    const random = rng(3);
    let nonEmpty = 0;
    for (let round = 0; round < 200; round++) {
      const highlights: Highlight[] = [];
      const n = Math.floor(random() * 40);
      for (let i = 0; i < n; i++) {
        const a = Math.floor(random() * (text.length + 1));
        const b = Math.min(text.length, a + Math.floor(random() * (random() < 0.2 ? 60 : 12)));
        highlights.push({
          id: `h${i}`,
          label: ['PERSON', 'ORG', 'LOCATION'][i % 3],
          from: mapping.toPos(a, 'start'),
          to: mapping.toPos(b, 'end'),
          selected: i === 0,
          pending: i % 5 === 0,
          title: `hover ${i}`,
        });
      }
      if (n > 0) nonEmpty++;
      if (n > 2) highlights.push({ ...highlights[1], id: 'same-span' });
      const reference = DecorationSet.create(doc, highlights.map((h) => decorationSet(doc, [h]).find()).flat());
      expect(shape(decorationSet(doc, highlights))).toEqual(shape(reference));
      expect(decorationSet(doc, highlights).find().length).toBe(reference.find().length);
    }
    expect(nonEmpty).toBeGreaterThan(150);
  });

  it('is empty without highlights or with only empty ones', () => {
    expect(decorationSet(doc, [])).toBe(DecorationSet.empty);
    expect(decorationSet(doc, [{ id: 'e', label: 'ORG', from: 5, to: 5 }])).toBe(DecorationSet.empty);
  });
});
