// How an article's text becomes reader blocks, and the one mapping between reader (ProseMirror)
// positions and stored text offsets. Pure arithmetic: no ProseMirror import, so it is testable anywhere.
import { CodePointIndex } from './offsets.ts';

/**
 * A displayed block: a non-blank line of the text, or a piece of a line longer than `MAX_BLOCK_UNITS`.
 * The first line is the title when it fits in one block.
 */
export interface Block {
  kind: 'title' | 'paragraph';
  /** UTF-16 offsets into the text, end exclusive. */
  from: number;
  to: number;
}

/**
 * The layout of a text as a ProseMirror document of textblocks, one per non-blank line. A block i
 * opens at position `open[i]`; its content starts at `open[i] + 1` and it closes `to - from` later,
 * so the next block opens 2 positions after the content ends. Newlines and blank lines between blocks
 * are not shown; an offset there maps to the nearest block edge.
 */
export class TextMapping {
  readonly blocks: Block[];
  /** Position of the first content character of each block. */
  private readonly contentStart: number[];
  readonly index: CodePointIndex;

  constructor(readonly text: string) {
    this.index = new CodePointIndex(text);
    this.blocks = splitBlocks(text);
    this.contentStart = [];
    let pos = 0;
    for (const b of this.blocks) {
      this.contentStart.push(pos + 1);
      pos += b.to - b.from + 2;
    }
  }

  /** Size of the ProseMirror document's content. */
  get docSize(): number {
    const last = this.blocks.length - 1;
    return last < 0 ? 0 : this.contentStart[last] + (this.blocks[last].to - this.blocks[last].from) + 1;
  }

  /** Position of the first content character of block `i`. */
  blockStart(i: number): number {
    return this.contentStart[i];
  }

  /**
   * Stored offset (code points) -> reader position. An offset between blocks goes to the start of the
   * next block (`bias` 'start', for span starts) or the end of the previous one ('end', for span ends).
   */
  toPos(offset: number, bias: 'start' | 'end' = 'start'): number {
    return this.utf16ToPos(this.index.toUtf16(offset), bias);
  }

  /** Reader position -> stored offset (code points). Positions between blocks go to the nearest block edge. */
  toOffset(pos: number): number {
    return this.index.toCodePoint(this.posToUtf16(pos));
  }

  /** UTF-16 offset -> reader position. */
  utf16ToPos(u16: number, bias: 'start' | 'end' = 'start'): number {
    const n = this.blocks.length;
    if (n === 0) return 0;
    // Last block whose from <= u16.
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.blocks[mid].from <= u16) lo = mid;
      else hi = mid - 1;
    }
    const b = this.blocks[lo];
    if (u16 < b.from) return this.contentStart[0]; // before the first block
    // On the seam between two pieces of one long line, a span end stays in the piece it ends.
    if (u16 === b.from && bias === 'end' && lo > 0 && this.blocks[lo - 1].to === u16) {
      const prev = this.blocks[lo - 1];
      return this.contentStart[lo - 1] + (prev.to - prev.from);
    }
    if (u16 <= b.to) return this.contentStart[lo] + (u16 - b.from);
    // In the gap after block lo.
    if (bias === 'end' || lo === n - 1) return this.contentStart[lo] + (b.to - b.from);
    return this.contentStart[lo + 1];
  }

  /** Reader position -> UTF-16 offset. */
  posToUtf16(pos: number): number {
    const n = this.blocks.length;
    if (n === 0) return 0;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.contentStart[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    const b = this.blocks[lo];
    const rel = Math.max(0, Math.min(pos - this.contentStart[lo], b.to - b.from));
    return b.from + rel;
  }
}

/**
 * Longest block, in UTF-16 units. One paragraph's DOM is rebuilt whenever a highlight in it changes, so a
 * line of megabytes (a scraped page with no line breaks) is shown as many blocks of about this size.
 */
export const MAX_BLOCK_UNITS = 10_000;
/** A long line is cut at a sentence end or a space found in this many units before the block limit. */
const CUT_SEARCH_UNITS = 2_000;
/** Characters that belong to the character before them: a cut never goes before one of them. */
const CLINGS_TO_PREVIOUS = /^[\p{M}\u200c\u200d\p{Emoji_Modifier}\u{e0020}-\u{e007f}\udc00-\udfff]$/u;

/** True when a block may end at `cut`: no surrogate pair, grapheme or joined emoji sequence is split there. */
function canCutAt(text: string, cut: number): boolean {
  if (text.charCodeAt(cut - 1) === 0x200d) return false;
  return !CLINGS_TO_PREVIOUS.test(String.fromCodePoint(text.codePointAt(cut)!));
}

/**
 * Where to end a block that starts at `start` inside a line that goes on past `start + MAX_BLOCK_UNITS`:
 * after the space following the last sentence end (". ", "! ", "? ") in the last 2,000 units of the
 * window, else after the last space there, else at the limit moved back so that it splits neither a
 * surrogate pair nor a character from its combining marks, joiners or emoji modifiers.
 */
function cutLongLine(text: string, start: number): number {
  const limit = start + MAX_BLOCK_UNITS;
  const floor = limit - CUT_SEARCH_UNITS;
  let space = -1;
  for (let i = limit - 1; i > floor; i--) {
    if (text.charCodeAt(i) !== 0x20) continue;
    const before = text[i - 1];
    if (before === '.' || before === '!' || before === '?') return i + 1;
    if (space < 0) space = i + 1;
  }
  if (space > 0) return space;
  let cut = limit;
  // Bounded so that a pathological run of combining marks still gets cut.
  while (cut > floor && !canCutAt(text, cut)) cut--;
  if (cut > floor) return cut;
  // Thousands of marks on one character: give up on graphemes, keep surrogate pairs whole.
  const low = text.charCodeAt(limit);
  return low >= 0xdc00 && low <= 0xdfff ? limit - 1 : limit;
}

/**
 * Split a text into blocks: every line that holds a non-whitespace character. A line longer than
 * `MAX_BLOCK_UNITS` becomes consecutive blocks (each one's `to` is the next one's `from`), all
 * paragraphs: a heading of ten thousand characters is no title.
 */
export function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    if (/\S/.test(text.slice(from, to))) {
      if (to - from <= MAX_BLOCK_UNITS) {
        blocks.push({ kind: blocks.length === 0 ? 'title' : 'paragraph', from, to });
      } else {
        let start = from;
        while (to - start > MAX_BLOCK_UNITS) {
          const cut = cutLongLine(text, start);
          blocks.push({ kind: 'paragraph', from: start, to: cut });
          start = cut;
        }
        blocks.push({ kind: 'paragraph', from: start, to });
      }
    }
    from = to + 1;
  }
  return blocks;
}

const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
/** Characters trimmed from selection edges: spaces and punctuation that never ends a name ("." may: "U.S."). */
const EDGE_TRIM = /[\s,;:!?"“”‘’«»()[\]{}]/u;

function isWordAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  // Surrogate halves: test the whole code point.
  if (c >= 0xdc00 && c <= 0xdfff && i > 0) return WORD_CHAR.test(text.slice(i - 1, i + 1));
  if (c >= 0xd800 && c <= 0xdbff) return WORD_CHAR.test(text.slice(i, i + 2));
  return WORD_CHAR.test(text[i]);
}

/**
 * Snap a selection (UTF-16 offsets) to whole words: whitespace and punctuation such as commas and quotes
 * at the edges are trimmed, and an edge that
 * cuts a word extends to the word's boundary. A selection inside a single word that touches neither of
 * its boundaries is taken as deliberate and kept. Returns null when nothing but whitespace is selected.
 */
export function snapToWords(text: string, from: number, to: number): { from: number; to: number } | null {
  let a = Math.max(0, Math.min(from, to));
  let b = Math.min(text.length, Math.max(from, to));
  while (a < b && EDGE_TRIM.test(text[a])) a++;
  while (b > a && EDGE_TRIM.test(text[b - 1])) b--;
  if (a === b) return null;
  const cutsStart = isWordAt(text, a - 1) && isWordAt(text, a);
  const cutsEnd = isWordAt(text, b - 1) && isWordAt(text, b);
  if (cutsStart && cutsEnd) {
    // Inside one word on purpose (e.g. "Hizb" of "Hizballah")? Only if no boundary lies between.
    let inOneWord = true;
    for (let i = a; i < b; i++) {
      if (!isWordAt(text, i)) {
        inOneWord = false;
        break;
      }
    }
    if (inOneWord) return { from: a, to: b };
  }
  if (cutsStart) while (a > 0 && isWordAt(text, a - 1)) a--;
  if (cutsEnd) while (b < text.length && isWordAt(text, b)) b++;
  return { from: a, to: b };
}
