// Tests of the text <-> reader position mapping and of word snapping.
import { describe, expect, it } from 'vitest';
import { TextMapping, snapToWords, splitBlocks } from './layout.ts';

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
