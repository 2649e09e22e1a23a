// Tests of the text <-> reader position mapping and of word snapping.
import { describe, expect, it } from 'vitest';
import { MAX_BLOCK_UNITS, TextMapping, snapToWords, splitBlocks } from './layout.ts';

/** Reference: walk the blocks exactly as ProseMirror lays out textblocks (open token, text, close token). */
function referencePositions(text: string): Map<number, number> {
  const map = new Map<number, number>();
  let pos = 0;
  for (const b of splitBlocks(text)) {
    pos += 1; // opening token of the textblock
    for (let u = b.from; u <= b.to; u++) map.set(u, pos + (u - b.from));
    pos += b.to - b.from + 1; // text and closing token
  }
  return map;
}

describe('splitBlocks', () => {
  it('makes the first non-blank line the title and skips blank lines', () => {
    const text = '\n  \nTitle\n\nFirst para\n   \nSecond';
    expect(splitBlocks(text).map((b) => [b.kind, text.slice(b.from, b.to)])).toEqual([
      ['title', 'Title'],
      ['paragraph', 'First para'],
      ['paragraph', 'Second'],
    ]);
  });
});

/** The pieces of the text's blocks, checked to be consecutive (no gap between two pieces of one line). */
function pieces(text: string): string[] {
  const blocks = splitBlocks(text);
  for (let i = 1; i < blocks.length; i++) expect(blocks[i].from).toBe(blocks[i - 1].to);
  for (const b of blocks) expect(b.to - b.from).toBeLessThanOrEqual(MAX_BLOCK_UNITS);
  return blocks.map((b) => text.slice(b.from, b.to));
}

describe('splitBlocks on lines longer than a block', () => {
  const sentences = (n: number): string =>
    Array.from({ length: n }, (_, i) => `Sentence ${i} says the convoy ${i % 3 ? 'moved' : 'stopped'}${'.!?'[i % 3]}`).join(' ');

  it('cuts a long line after a sentence end', () => {
    const line = sentences(700);
    expect(line.length).toBeGreaterThan(25_000);
    const parts = pieces(line);
    expect(parts.length).toBe(3);
    expect(parts.join('')).toBe(line);
    for (const p of parts.slice(0, -1)) {
      expect(p).toMatch(/[.!?] $/);
      expect(p.length).toBeGreaterThan(MAX_BLOCK_UNITS - 2_000);
    }
    for (const p of parts.slice(1)) expect(p).toMatch(/^Sentence \d+ says/);
  });

  it('cuts at a space when no sentence ends near the limit', () => {
    const line = Array.from({ length: 5_000 }, (_, i) => `word${i}`).join(' ');
    const parts = pieces(line);
    expect(parts.join('')).toBe(line);
    for (const p of parts.slice(0, -1)) expect(p).toMatch(/^word\d+( word\d+)* $/);
  });

  it('cuts hard when the line has no space at all', () => {
    const line = 'x'.repeat(25_000);
    expect(pieces(line).map((p) => p.length)).toEqual([10_000, 10_000, 5_000]);
  });

  it('never cuts inside a surrogate pair, an emoji sequence or a letter with its marks', () => {
    const cases: Array<[string, string]> = [
      ['😀', '😀'],
      ['👩\u200d👩\u200d👧', '👩\u200d👩\u200d👧'],
      ['👍🏽', '👍🏽'],
      ['e\u0301\u0301', 'e\u0301\u0301'],
    ];
    for (const [cluster] of cases) {
      // Put the cluster across the limit at every offset it can straddle.
      for (let shift = 0; shift < cluster.length; shift++) {
        const line = 'a'.repeat(MAX_BLOCK_UNITS - 1 - shift) + cluster + 'b'.repeat(15_000);
        const parts = pieces(line);
        expect(parts.join('')).toBe(line);
        expect(parts[1].startsWith(cluster) || parts[0].endsWith(cluster)).toBe(true);
        for (const p of parts) expect(p).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      }
    }
    // A line of emoji only: every cut falls between two of them.
    const emoji = '🚀'.repeat(12_000);
    for (const p of pieces(emoji)) expect(p).toMatch(/^(🚀)+$/u);
  });

  it('makes no title of a first line too long for one block, and keeps the other lines as they were', () => {
    const long = sentences(400);
    const text = `${long}\n\nShort para\n${long}`;
    const blocks = splitBlocks(text);
    expect(blocks.every((b) => b.kind === 'paragraph')).toBe(true);
    expect(blocks.map((b) => text.slice(b.from, b.to))).toContain('Short para');
    expect(splitBlocks(`Title\n${long}`)[0]).toEqual({ kind: 'title', from: 0, to: 5 });
  });
});

describe('TextMapping', () => {
  const texts = {
    seedLike: 'Hundreds leave ISIS pocket of Baghouz\n\nThe final offensive was paused\n\nBeta V.1.0\n',
    emoji: 'Strike 🚀 hits\n\n🇸🇾 flags over Raqqa 😀 today\n',
    arabic: 'عنوان\n\nمقتل ٥ مدنيين في الرَّقَّة\n',
    combining: 'Cafe\u0301 owner\n\nThe cafe\u0301 was hit.\n',
  };

  for (const [name, text] of Object.entries(texts)) {
    it(`maps every in-block offset to the ProseMirror position and back (${name})`, () => {
      const m = new TextMapping(text);
      const ref = referencePositions(text);
      for (const [u16, pos] of ref) {
        expect(m.utf16ToPos(u16)).toBe(pos);
        expect(m.posToUtf16(pos)).toBe(u16);
        const cp = m.index.toCodePoint(u16);
        // Code point offsets round-trip through positions wherever they fall on a character boundary.
        if (m.index.toUtf16(cp) === u16) {
          expect(m.toPos(cp)).toBe(pos);
          expect(m.toOffset(pos)).toBe(cp);
        }
      }
    });
  }

  const longLines = {
    sentences: `Title\n\n${Array.from({ length: 1_400 }, (_, i) => `Line ${i} ends here.`).join(' ')}\nTail\n`,
    noSpaces: `${'y'.repeat(25_000)}\n`,
    emojiAtCuts: `T\n${'ab😀'.repeat(9_000)}x`,
  };
  for (const [name, text] of Object.entries(longLines)) {
    it(`maps a line split into several blocks like ProseMirror, seams included (${name})`, () => {
      const m = new TextMapping(text);
      expect(m.blocks.filter((b, i) => i > 0 && m.blocks[i - 1].to === b.from).length).toBeGreaterThan(1);
      const ref = referencePositions(text);
      const got: number[] = [];
      const want: number[] = [];
      const back: number[] = [];
      for (const [u16, pos] of ref) {
        got.push(m.utf16ToPos(u16));
        want.push(pos);
        back.push(m.posToUtf16(pos) - u16);
      }
      expect(got).toEqual(want);
      expect(back.every((d) => d === 0)).toBe(true);
      expect(m.docSize).toBe(Math.max(...ref.values()) + 1);

      for (let i = 1; i < m.blocks.length; i++) {
        const seam = m.blocks[i].from;
        if (m.blocks[i - 1].to !== seam) continue;
        const prevEnd = m.blockStart(i - 1) + (m.blocks[i - 1].to - m.blocks[i - 1].from);
        // A stored offset on the seam: a span starting there opens the next block, one ending there closes the previous.
        expect(m.utf16ToPos(seam, 'start')).toBe(m.blockStart(i));
        expect(m.utf16ToPos(seam, 'end')).toBe(prevEnd);
        expect(m.posToUtf16(prevEnd)).toBe(seam);
        expect(m.posToUtf16(m.blockStart(i))).toBe(seam);
        const cp = m.index.toCodePoint(seam);
        expect(m.index.toUtf16(cp)).toBe(seam); // seams fall on character boundaries
        expect(m.toPos(cp, 'start')).toBe(m.blockStart(i));
        expect(m.toPos(cp, 'end')).toBe(prevEnd);
        expect(m.toOffset(prevEnd)).toBe(cp);
        expect(m.toOffset(m.blockStart(i))).toBe(cp);
        // A span across the seam reads back the same text.
        const from = m.toPos(cp - 3, 'start');
        const to = m.toPos(cp + 3, 'end');
        expect(text.slice(m.posToUtf16(from), m.posToUtf16(to))).toBe([...text.slice(m.index.toUtf16(cp - 3), m.index.toUtf16(cp + 3))].join(''));
      }
    });
  }

  it('gives the document size ProseMirror computes', () => {
    const m = new TextMapping('Title\n\nA para\nB');
    // <title>Title</title><p>A para</p><p>B</p> = 7 + 8 + 3
    expect(m.docSize).toBe(18);
  });

  it('maps offsets in the gap between blocks to the next start or the previous end', () => {
    const text = 'Title\n\nBody';
    const m = new TextMapping(text);
    const gap = 6; // the second "\n"
    expect(m.utf16ToPos(gap, 'start')).toBe(m.blockStart(1));
    expect(m.utf16ToPos(gap, 'end')).toBe(m.blockStart(0) + 5);
  });

  it('maps a span with an emoji before it to the right positions', () => {
    const text = 'T\n\n😀 Mosul';
    const m = new TextMapping(text);
    // "Mosul" is at code points 5..10 (T, \n, \n, 😀, space), UTF-16 6..11.
    const from = m.toPos(5);
    const to = m.toPos(10, 'end');
    expect(text.slice(m.posToUtf16(from), m.posToUtf16(to))).toBe('Mosul');
  });
});

describe('snapToWords', () => {
  const text = 'The Syrian Democratic Forces surrounded Baghouz, late on Sunday.';
  const sel = (s: string) => {
    const i = text.indexOf(s);
    return [i, i + s.length] as const;
  };
  const snapped = (from: number, to: number) => {
    const r = snapToWords(text, from, to);
    return r && text.slice(r.from, r.to);
  };

  it('extends an edge that cuts a word', () => {
    expect(snapped(...sel('yrian Democratic'))).toBe('Syrian Democratic');
    expect(snapped(...sel('Syrian Democ'))).toBe('Syrian Democratic');
  });
  it('trims whitespace and punctuation at the edges, but keeps a final period (U.S.)', () => {
    const [a, b] = sel(' Baghouz, ');
    expect(snapped(a, b)).toBe('Baghouz');
    expect(snapped(...sel('Sunday.'))).toBe('Sunday.');
    expect(snapped(...sel('Baghouz'))).toBe('Baghouz');
  });
  it('keeps a deliberate selection inside one word', () => {
    expect(snapped(...sel('ghou'))).toBe('ghou');
  });
  it('returns null for whitespace only', () => {
    expect(snapToWords('a   b', 1, 4)).toBeNull();
  });
  it('handles reversed selections', () => {
    const [a, b] = sel('Baghouz');
    expect(snapped(b, a)).toBe('Baghouz');
  });
  it('treats Arabic letters with diacritics as word characters', () => {
    const t = 'في الرَّقَّة اليوم';
    const i = t.indexOf('الرَّ');
    const r = snapToWords(t, i, i + 3)!;
    expect(t.slice(r.from, r.to)).toBe('الرَّقَّة');
  });
});
