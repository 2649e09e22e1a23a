// Turns the bytes of a corpus file into text: detects the encoding, refuses binary files, normalizes line ends.
// Pure: TextDecoder and Uint8Array only, so it runs in Node, Electron and the browser alike.

export type DecodeResult = { ok: true; text: string; encoding: string } | { ok: false; reason: string };

/** Encoding label used when a file is not valid UTF-8 and is read as Windows-1252 instead. */
export const FALLBACK_ENCODING = 'windows-1252 (fallback: invalid UTF-8)';

/** Signatures of common binary formats, checked at the start of the file. */
const MAGIC: ReadonlyArray<[name: string, bytes: number[]]> = [
  ['PNG image', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]], // GIF8
  ['PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['ZIP archive or Office document', [0x50, 0x4b, 0x03, 0x04]],
  ['ZIP archive or Office document', [0x50, 0x4b, 0x05, 0x06]],
  ['old Microsoft Office document', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]],
  ['gzip archive', [0x1f, 0x8b]],
  ['7-Zip archive', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['RAR archive', [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07]], // Rar!
  ['ELF executable', [0x7f, 0x45, 0x4c, 0x46]],
];

const startsWith = (bytes: Uint8Array, sig: readonly number[]): boolean =>
  bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);

/** Strict decode; null when the bytes are not valid in that encoding. BOMs are handled by the caller. */
function decode(encoding: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Windows-1252 code points of bytes 0x80..0x9F (WHATWG table); other bytes map to the same code point. */
const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

/** Windows-1252 decoding done by hand: Node 20's TextDecoder('windows-1252') wrongly decodes as Latin-1. */
function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 8192) {
    const codes = Array.from(bytes.subarray(i, i + 8192), (b) => (b >= 0x80 && b < 0xa0 ? CP1252_80_9F[b - 0x80] : b));
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

/** CRLF and lone CR become LF; nothing else is touched. */
const normalizeNewlines = (text: string): string => (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);

/** True when decoded text has no control characters other than tab, LF, VT, FF and CR. */
const looksLikeText = (text: string): boolean => !/[\u0000-\u0008\u000e-\u001f]/.test(text);

/**
 * Last checks on decoded single-byte or UTF-8 text: a file of nothing but whitespace has nothing to
 * annotate, and one where control characters make up over a tenth of the visible characters is binary.
 * A stray control character in a real article (a DOS end-of-file mark, a scraper's leftover) is kept.
 */
function accept(text: string, encoding: string): DecodeResult {
  if (!/\S/.test(text)) return { ok: false, reason: 'empty file (only whitespace)' };
  const controls = text.match(/[\u0000-\u0008\u000e-\u001f]/g)?.length ?? 0;
  if (controls > 0 && controls * 10 > text.replace(/\s+/g, '').length) {
    return { ok: false, reason: 'binary file (contains control characters)' };
  }
  return { ok: true, text: normalizeNewlines(text), encoding };
}

/** Guesses UTF-16 without BOM: many NULs on one side of the byte pairs, almost none on the other. */
function guessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < bytes.length; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = bytes.length / 2;
  if (oddNul >= 0.3 * pairs && evenNul <= 0.05 * pairs) return 'utf-16le'; // 'A' = 41 00
  if (evenNul >= 0.3 * pairs && oddNul <= 0.05 * pairs) return 'utf-16be'; // 'A' = 00 41
  return null;
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): DecodeResult {
  const text = decode(encoding, bytes);
  if (text === null) return { ok: false, reason: `invalid ${encoding.toUpperCase()} text` };
  if (!looksLikeText(text)) return { ok: false, reason: 'binary file (contains control characters)' };
  return accept(text, encoding);
}

/**
 * Decodes the bytes of an article. Order: empty check, binary signatures, BOMs (UTF-8, UTF-16 LE/BE),
 * UTF-16 without BOM by NUL-byte statistics, NUL bytes (binary), strict UTF-8, then Windows-1252 as fallback;
 * whitespace-only text and text thick with control characters are refused.
 * The text is returned exactly as read except that CRLF and lone CR are turned into LF.
 */
export function decodeBytes(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return { ok: false, reason: 'empty file' };
  for (const [name, sig] of MAGIC) {
    if (startsWith(bytes, sig)) return { ok: false, reason: `binary file (${name})` };
  }

  if (startsWith(bytes, [0xff, 0xfe, 0, 0]) || startsWith(bytes, [0, 0, 0xfe, 0xff])) {
    return { ok: false, reason: 'unsupported encoding (UTF-32)' };
  }
  const le = startsWith(bytes, [0xff, 0xfe]);
  if (le || startsWith(bytes, [0xfe, 0xff])) {
    if (bytes.length === 2) return { ok: false, reason: 'empty file' };
    return utf16(bytes.subarray(2), le ? 'utf-16le' : 'utf-16be');
  }

  const bom = startsWith(bytes, [0xef, 0xbb, 0xbf]);
  const body = bom ? bytes.subarray(3) : bytes;
  if (body.length === 0) return { ok: false, reason: 'empty file' };
  if (!bom) {
    const guess = guessUtf16(body);
    if (guess) {
      const result = utf16(body, guess);
      if (result.ok || result.reason.startsWith('empty')) return result;
    }
  }
  if (body.includes(0)) return { ok: false, reason: 'binary file (contains NUL bytes)' };

  const utf8 = decode('utf-8', body);
  if (utf8 !== null) return accept(utf8, bom ? 'utf-8 (BOM)' : 'utf-8');
  return accept(decodeWindows1252(body), FALLBACK_ENCODING);
}
