// Tests of code point <-> UTF-16 offset conversion.
import { describe, expect, it } from 'vitest';
import { CodePointIndex, sliceCodePoints } from './offsets.ts';

/** Reference conversion by iterating code points. */
function reference(text: string) {
  const cpToU16: number[] = [];
  let u = 0;
  for (const ch of text) {
    cpToU16.push(u);
    u += ch.length;
  }
  cpToU16.push(u);
  return cpToU16;
}

describe('CodePointIndex', () => {
  const samples = [
    'plain ASCII text',
    'Strike 🚀 on Raqqa 🇸🇾 flags',
    'مقتل ٥ مدنيين في الرَّقَّة',
    'cafe\u0301 and e\u0301te\u0301',
    '𝒜𝒷𝒸 astral only 😀😀😀',
    '',
  ];
  for (const text of samples) {
    it(`agrees with iteration for ${JSON.stringify(text).slice(0, 30)}`, () => {
      const idx = new CodePointIndex(text);
      const ref = reference(text);
      expect(idx.length).toBe(ref.length - 1);
      ref.forEach((u16, cp) => {
        expect(idx.toUtf16(cp)).toBe(u16);
        expect(idx.toCodePoint(u16)).toBe(cp);
      });
    });
  }

  it('counts an emoji as one code point and two UTF-16 units', () => {
    const text = 'a😀b';
    const idx = new CodePointIndex(text);
    expect(idx.length).toBe(3);
    expect(idx.utf16Length).toBe(4);
    expect(idx.toUtf16(2)).toBe(3);
    // Inside the surrogate pair: the position before the emoji.
    expect(idx.toCodePoint(2)).toBe(1);
  });

  it('keeps combining marks as their own code points', () => {
    const text = 'cafe\u0301!';
    expect(new CodePointIndex(text).length).toBe(6);
    expect(sliceCodePoints(text, 0, 5)).toBe('cafe\u0301');
  });

  it('clamps offsets past the end', () => {
    const idx = new CodePointIndex('ab😀');
    expect(idx.toUtf16(99)).toBe(4);
    expect(idx.toCodePoint(99)).toBe(3);
  });

  it('slices by code points the way Python would', () => {
    const text = '🚀 Mosul, الرَّقَّة';
    // Python: text[2:7] == 'Mosul'
    expect(sliceCodePoints(text, 2, 7)).toBe('Mosul');
    expect(sliceCodePoints(text, 9, 18)).toBe('الرَّقَّة');
  });
});
