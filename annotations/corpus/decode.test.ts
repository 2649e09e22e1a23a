// Tests of decodeBytes: encodings, BOMs, line ends, binary and empty files.
import { describe, expect, it } from 'vitest';
import { decodeBytes, FALLBACK_ENCODING } from './decode.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...parts: Array<number[] | Uint8Array>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => Array.from(p)));

function utf16(s: string, order: 'le' | 'be'): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i + (order === 'le' ? 0 : 1)] = c & 0xff;
    out[2 * i + (order === 'le' ? 1 : 0)] = c >> 8;
  }
  return out;
}

const SAMPLE = 'Raqqa, 5 March 2019 — “Daesh” fighters 🙂 الرقة\u00a0x\n';

describe('decodeBytes', () => {
  it('decodes UTF-8 without BOM', () => {
    expect(decodeBytes(utf8(SAMPLE))).toEqual({ ok: true, text: SAMPLE, encoding: 'utf-8' });
  });

  it('strips a UTF-8 BOM and keeps a later U+FEFF', () => {
    expect(decodeBytes(bytes([0xef, 0xbb, 0xbf], utf8('a\ufeffb')))).toEqual({
      ok: true,
      text: 'a\ufeffb',
      encoding: 'utf-8 (BOM)',
    });
  });

  it('decodes UTF-16 LE and BE with BOM', () => {
    expect(decodeBytes(bytes([0xff, 0xfe], utf16(SAMPLE, 'le')))).toEqual({ ok: true, text: SAMPLE, encoding: 'utf-16le' });
    expect(decodeBytes(bytes([0xfe, 0xff], utf16(SAMPLE, 'be')))).toEqual({ ok: true, text: SAMPLE, encoding: 'utf-16be' });
  });

  it('detects UTF-16 without BOM', () => {
    const text = 'Hundreds leave ISIS pocket of Baghouz\r\nin mass surrender\r\n';
    expect(decodeBytes(utf16(text, 'le'))).toEqual({ ok: true, text: text.replace(/\r\n/g, '\n'), encoding: 'utf-16le' });
    expect(decodeBytes(utf16(text, 'be'))).toMatchObject({ ok: true, encoding: 'utf-16be' });
  });

  it('falls back to Windows-1252 for invalid UTF-8', () => {
    const result = decodeBytes(bytes(utf8('He said '), [0x93, 0x48, 0x69, 0x94, 0x20, 0xe9, 0x80]));
    expect(result).toEqual({ ok: true, text: 'He said “Hi” é€', encoding: FALLBACK_ENCODING });
    expect(FALLBACK_ENCODING).toBe('windows-1252 (fallback: invalid UTF-8)');
  });

  it('turns CRLF and lone CR into LF and changes nothing else', () => {
    const text = '  a\r\nb\rc\n\r\nd\u00a0e\u200b \t';
    expect(decodeBytes(utf8(text))).toEqual({ ok: true, text: '  a\nb\nc\n\nd\u00a0e\u200b \t', encoding: 'utf-8' });
  });

  it('keeps decomposed characters as they are (no Unicode normalization)', () => {
    const text = 'Cafe\u0301 ﷺ 👩‍👩‍👧';
    expect(decodeBytes(utf8(text))).toMatchObject({ ok: true, text });
  });

  it('refuses known binary formats', () => {
    const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d];
    expect(decodeBytes(bytes(png))).toEqual({ ok: false, reason: 'binary file (PNG image)' });
    expect(decodeBytes(utf8('%PDF-1.7\n%âãÏÓ\n'))).toEqual({ ok: false, reason: 'binary file (PDF document)' });
    expect(decodeBytes(bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0]))).toEqual({
      ok: false,
      reason: 'binary file (ZIP archive or Office document)',
    });
    expect(decodeBytes(bytes([0xff, 0xd8, 0xff, 0xe0]))).toMatchObject({ ok: false, reason: 'binary file (JPEG image)' });
  });

  it('refuses files with NUL bytes', () => {
    expect(decodeBytes(bytes(utf8('some text'), [0], utf8('more text, much more text')))).toEqual({
      ok: false,
      reason: 'binary file (contains NUL bytes)',
    });
    // Many NULs in pairs, but the "UTF-16" it would give is full of control characters.
    expect(decodeBytes(bytes([1, 0, 2, 0, 3, 0, 4, 0]))).toMatchObject({ ok: false, reason: 'binary file (contains NUL bytes)' });
  });

  it('refuses whitespace-only files and files thick with control characters, keeps a stray one', () => {
    expect(decodeBytes(utf8(' \r\n\t\u00a0\u3000\n'))).toEqual({ ok: false, reason: 'empty file (only whitespace)' });
    expect(decodeBytes(bytes([0xff, 0xfe], utf16('  \n', 'le')))).toEqual({ ok: false, reason: 'empty file (only whitespace)' });
    expect(decodeBytes(utf16(' \n \n \n', 'le'))).toEqual({ ok: false, reason: 'empty file (only whitespace)' });
    expect(decodeBytes(bytes([1, 2, 3, 0x1b, 0x1f, 0x0a, 0x7f]))).toEqual({ ok: false, reason: 'binary file (contains control characters)' });
    expect(decodeBytes(utf8('ab\u0001\u0002 \u0003'))).toMatchObject({ ok: false });
    const article = 'Raqqa, 5 March 2019. Fighting went on near the stadium.\n\u001a';
    expect(decodeBytes(utf8(article))).toEqual({ ok: true, text: article, encoding: 'utf-8' });
  });

  it('refuses empty files, BOM included', () => {
    for (const b of [[], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]]) {
      expect(decodeBytes(bytes(b))).toEqual({ ok: false, reason: 'empty file' });
    }
  });
});
