// What the standoff formats (brat, doccano, Label Studio) share: a document text as another tool counted
// it, mapped to Gloss offsets, and the checks every exported or imported span goes through. Pure.
import { Annotation, LabelDef, Relation } from '../model.ts';
import { CodePointIndex, sliceCodePoints } from '../offsets.ts';
import type { ExportDocument } from './types.ts';

/**
 * A document text as the other tool saw it. Its offsets count code points of that raw text, which may
 * still hold CRLF or lone CR line ends (a brat .txt written on Windows, a JSON string with "\r\n"); Gloss
 * counts code points of the LF-normalised text, so every offset read goes through `toGloss`.
 */
export class SourceText {
  /** The LF-normalised text, as Gloss stores it. */
  readonly text: string;
  /** Length of the raw text in code points: the bound for offsets read from the file. */
  readonly length: number;
  private readonly index: CodePointIndex;
  /** Raw code point offsets of the CRs dropped before an LF, ascending. */
  private readonly droppedCr: number[] = [];

  constructor(readonly raw: string) {
    this.index = new CodePointIndex(raw);
    this.length = this.index.length;
    this.text = raw.replace(/\r\n?/g, '\n');
    if (this.text.length !== raw.length) {
      for (let i = 0, cp = 0; i < raw.length; i++, cp++) {
        const c = raw.charCodeAt(i);
        if (c === 0x0d && raw.charCodeAt(i + 1) === 0x0a) this.droppedCr.push(cp);
        else if (c >= 0xd800 && c <= 0xdbff && (raw.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
      }
    }
  }

  /** The raw text between two raw code point offsets (what the other tool quotes). */
  slice(start: number, end: number): string {
    return sliceCodePoints(this.raw, start, end, this.index);
  }

  /** A raw code point offset as a Gloss offset (an offset between CR and LF lands on the LF). */
  toGloss(offset: number): number {
    let lo = 0;
    let hi = this.droppedCr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.droppedCr[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return offset - lo;
  }
}

/** Why a label cannot be a Gloss label (null when it can). */
export function labelProblem(label: unknown): string | null {
  if (typeof label !== 'string') return 'the label is not a string';
  const parsed = LabelDef.shape.name.safeParse(label);
  return parsed.success ? null : `label ${JSON.stringify(label)}: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
}

/** Why a relation type cannot be a Gloss relation type (null when it can). */
export function relationTypeProblem(type: unknown): string | null {
  if (typeof type !== 'string') return 'the relation type is not a string';
  return Relation.shape.type.safeParse(type).success ? null : `relation type ${JSON.stringify(type)}: 1 to 64 characters`;
}

/** Why an annotation id read from a file cannot be a Gloss id (null when it can). */
export function idProblem(id: string): string | null {
  return Annotation.shape.id.safeParse(id).success ? null : `id ${JSON.stringify(id.slice(0, 80))}: 1 to 64 characters`;
}

/** Offsets must be whole numbers, start before end, end within the text. Null when they are. */
export function spanProblem(start: unknown, end: unknown, length: number): string | null {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return `offsets ${String(start)}-${String(end)} are not whole numbers`;
  const s = start as number;
  const e = end as number;
  if (s < 0 || e <= s) return `offsets ${s}-${e}: the start must be at least 0 and before the end`;
  if (e > length) return `offsets ${s}-${e} are past the end of the text (${length} characters)`;
  return null;
}

/** A quote that differs from the text at its offsets, as a reason; null when they agree. */
export function quoteProblem(quoted: string, actual: string, start: number, end: number): string | null {
  if (quoted === actual) return null;
  const show = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
  return `quoted text ${show(quoted)} does not match the document text ${show(actual)} at ${start}-${end}`;
}

/**
 * The annotations of a document an exporter can write: offsets inside the text and quote equal to the
 * text at them. Others (an orphan that lost its text) are reported to `report` and left out.
 */
export function exportableAnnotations(doc: ExportDocument, report: (reason: string) => void): { annotations: Annotation[]; index: CodePointIndex } {
  const index = new CodePointIndex(doc.text);
  const annotations = doc.annotations.filter((a) => {
    const problem = spanProblem(a.start, a.end, index.length) ?? quoteProblem(a.text, sliceCodePoints(doc.text, a.start, a.end, index), a.start, a.end);
    if (problem) report(`annotation ${a.id} (${a.label}) left out: ${problem}`);
    return !problem;
  });
  return { annotations, index };
}

/** JSON with object keys sorted, so equal values give equal strings whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A plain JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** FNV-1a over UTF-16 code units, as 8 hex digits: short, deterministic ids from content. */
function hash32(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * An id made from what an annotation or relation is (its label and span, its ends and type), for formats
 * whose own ids are renumbered on every export (brat's T1, R1) or absent (Label Studio relations): the
 * same thing imported twice gets the same id, so a second import replaces it instead of adding a copy.
 * `taken` holds the ids of the document so far; a repeat gets a suffix.
 */
export function derivedId(prefix: string, parts: Array<string | number>, taken: Set<string>): string {
  const base = `${prefix}-${hash32(parts.join('\u0000'))}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}
