// Reader of the shared corpus's gold files (gold/dev.jsonl): flat attributes, UTF-16 offsets, no texts. Pure.
import { z } from 'zod';
import { CodePointIndex } from '../offsets.ts';
import { numberedLines } from './gloss-jsonl.ts';
import type { FormatProblem, FormatReader, ImportedAnnotation, ImportedDocument, InputFile } from './types.ts';

/** Author recorded on gold annotations (the file names none). */
export const GOLD_AUTHOR = 'gold';
/** Provenance recorded on gold annotations. */
export const GOLD_SOURCE = 'import:gold';

const GoldLine = z.object({
  doc: z.string().min(1).max(4096),
  dct: z.string().nullable().optional(),
  ignore: z.array(z.string()).optional(),
  annotations: z.array(
    z
      .object({
        label: z.string().min(1).max(64),
        start: z.number().int().nonnegative(),
        end: z.number().int().nonnegative(),
        text: z.string().optional(),
      })
      .catchall(z.unknown()),
  ),
});

/** Is this parsed JSON line shaped like a gold line (a "doc", annotations, no "offsetUnit")? */
export function looksLikeGold(value: unknown): boolean {
  return (
    !!value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as Record<string, unknown>).doc === 'string' &&
    Array.isArray((value as Record<string, unknown>).annotations) &&
    !('offsetUnit' in value) &&
    !('text' in value)
  );
}

const isArticle = (p: string): boolean => /\.(txt|md)$/i.test(p);
const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** The article paths (`doc`) the gold files among `files` annotate, in order, each once. */
export function goldArticles(files: InputFile[]): string[] {
  const docs = new Set<string>();
  for (const file of files) {
    if (isArticle(file.path)) continue;
    for (const { raw } of numberedLines(file)) {
      try {
        const value = JSON.parse(raw);
        if (looksLikeGold(value)) docs.add(value.doc);
      } catch {
        // Reported by read().
      }
    }
  }
  return [...docs];
}

/**
 * A stable id per gold span, so importing the same gold twice replaces instead of duplicating:
 * label and UTF-16 offsets, with a counter for exact repeats.
 */
function goldId(label: string, start: number, end: number, seen: Map<string, number>): string {
  const base = `gold-${start}-${end}-${label}`.slice(0, 60);
  const n = (seen.get(base) ?? 0) + 1;
  seen.set(base, n);
  return n === 1 ? base : `${base}-${n}`;
}

/** One gold line as a document whose text is `text`; offsets go from UTF-16 units to code points. */
function toDocument(line: z.infer<typeof GoldLine>, text: string, origin: { file: string; line: number }): ImportedDocument | FormatProblem {
  const index = new CodePointIndex(text);
  const seen = new Map<string, number>();
  const annotations: ImportedAnnotation[] = [];
  for (const [i, a] of line.annotations.entries()) {
    const start = index.toCodePoint(a.start);
    const end = index.toCodePoint(a.end);
    if (a.end > text.length || index.toUtf16(start) !== a.start || index.toUtf16(end) !== a.end) {
      return { ...origin, reason: `annotations.${i} (${a.label} ${a.start}-${a.end}): offsets past the end of ${line.doc} or inside a character` };
    }
    const { label, start: _s, end: _e, text: quote, ...attrs } = a;
    annotations.push({
      id: goldId(label, a.start, a.end, seen),
      label,
      start,
      end,
      ...(quote !== undefined ? { text: quote } : {}),
      ...(Object.keys(attrs).length > 0 ? { attrs } : {}),
      author: GOLD_AUTHOR,
      source: GOLD_SOURCE,
    });
  }
  return { path: line.doc, text, meta: line.dct !== undefined ? { dct: line.dct } : {}, annotations, origin };
}

/**
 * Reads gold `.jsonl` files. The gold names its articles (`doc`) but holds no text: the texts come from
 * the article files given alongside (`.txt` / `.md` among `files`), matched by path, then by file name.
 * The list of words to `ignore` when scoring has no place in a workspace and is left out.
 */
export const reader: FormatReader = {
  name: 'gold',
  description: 'Gold annotations of the shared corpus (gold/*.jsonl: flat attributes, texts from the articles)',
  accepts: (p) => /\.(jsonl|ndjson|txt|md)$/i.test(p),
  read(files) {
    const byPath = new Map<string, string>();
    const byName = new Map<string, string | null>();
    for (const f of files.filter((f) => isArticle(f.path))) {
      byPath.set(f.path, f.content);
      // Two articles with one name would be a guess: neither is taken by name.
      byName.set(baseName(f.path), byName.has(baseName(f.path)) ? null : f.content);
    }
    const documents: ImportedDocument[] = [];
    const problems: FormatProblem[] = [];
    for (const file of files.filter((f) => !isArticle(f.path))) {
      for (const { raw, line } of numberedLines(file)) {
        const origin = { file: file.path, line };
        let value: unknown;
        try {
          value = JSON.parse(raw);
        } catch (err) {
          problems.push({ ...origin, reason: `malformed JSON: ${(err as Error).message}`.slice(0, 200) });
          continue;
        }
        const parsed = GoldLine.safeParse(value);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          problems.push({ ...origin, reason: `not a gold line: ${issue?.path.join('.') || 'line'}: ${issue?.message}`.slice(0, 200) });
          continue;
        }
        const text = byPath.get(parsed.data.doc) ?? byName.get(baseName(parsed.data.doc));
        if (text == null) {
          problems.push({ ...origin, reason: `no article text for ${parsed.data.doc} (not in the folder, nor in ../seeds beside the gold folder)` });
          continue;
        }
        const doc = toDocument(parsed.data, text, origin);
        if ('reason' in doc) problems.push(doc);
        else documents.push(doc);
      }
    }
    return { documents, problems };
  },
};
