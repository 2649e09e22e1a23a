// Conversion between UTF-16 offsets (what JavaScript strings and ProseMirror count) and code points
// (what Gloss stores and exports, like Python and the W3C model). Pure.

/**
 * An index of one text's astral characters (those outside the BMP, two UTF-16 units each), so offsets
 * convert in O(log n) with O(number of astral characters) memory. For BMP-only text both units agree.
 */
export class CodePointIndex {
  /** UTF-16 offsets of the high surrogates of well-formed surrogate pairs, ascending. */
  private readonly astral: number[] = [];
  /** Length of the text in code points. */
  readonly length: number;
  /** Length of the text in UTF-16 code units. */
  readonly utf16Length: number;

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          this.astral.push(i);
          i++;
        }
      }
    }
    this.utf16Length = text.length;
    this.length = text.length - this.astral.length;
  }

  /** Code point offset -> UTF-16 offset. Offsets past the end clamp to the end. */
  toUtf16(cp: number): number {
    if (this.astral.length === 0) return Math.min(cp, this.utf16Length);
    // The k-th astral char (0-based) at UTF-16 offset a_k sits at code point offset a_k - k.
    // Count astral chars with code point offset < cp.
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.astral[mid] - mid < cp) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(cp + lo, this.utf16Length);
  }

  /** UTF-16 offset -> code point offset. An offset inside a surrogate pair counts as before the pair. */
  toCodePoint(u16: number): number {
    if (this.astral.length === 0) return Math.min(u16, this.utf16Length);
    // Count astral chars that end at or before u16 (a_k + 2 <= u16), i.e. a_k < u16 - 1.
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.astral[mid] < u16 - 1) lo = mid + 1;
      else hi = mid;
    }
    const inside = lo < this.astral.length && this.astral[lo] === u16 - 1;
    return Math.min(u16, this.utf16Length) - lo - (inside ? 1 : 0);
  }

  /** Whether any character of the text is outside the BMP. */
  get hasAstral(): boolean {
    return this.astral.length > 0;
  }
}

/** The substring between two code point offsets. */
export function sliceCodePoints(text: string, start: number, end: number, index = new CodePointIndex(text)): string {
  return text.slice(index.toUtf16(start), index.toUtf16(end));
}
