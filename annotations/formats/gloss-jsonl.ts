// Gloss JSONL, the native interchange format: one document per line with its text, annotations and relations. Pure.
import { z } from 'zod';
import { DocumentStatus, OFFSET_UNIT, Relation, type Annotation } from '../model.ts';
import type { ExportDocument, FormatProblem, FormatReader, FormatWriter, ImportedAnnotation, ImportedDocument, InputFile } from './types.ts';

/** Name of the single output file. */
export const GLOSS_JSONL_FILE = 'corpus.jsonl';

/**
 * One annotation with its keys in a fixed order (optional ones only when set), so the same workspace
 * always gives the same bytes.
 */
function annotationLine(a: Annotation): Record<string, unknown> {
  const out: Record<string, unknown> = { id: a.id, label: a.label, start: a.start, end: a.end, text: a.text };
  if (a.attrs !== undefined) out.attrs = a.attrs;
  out.author = a.author;
  out.created = a.created;
  out.modified = a.modified;
  if (a.note !== undefined) out.note = a.note;
  if (a.source !== undefined) out.source = a.source;
  if (a.score !== undefined) out.score = a.score;
  if (a.pending !== undefined) out.pending = a.pending;
  if (a.prefix !== undefined) out.prefix = a.prefix;
  if (a.suffix !== undefined) out.suffix = a.suffix;
  return out;
}

/**
 * The line of one document, without its newline. U+2028 and U+2029 are escaped: JSON allows them raw,
 * but some line readers (Python's str.splitlines, for one) take them for line breaks.
 */
export function documentLine(doc: ExportDocument): string {
  const line = {
    id: doc.id,
    path: doc.path,
    text: doc.text,
    meta: { dct: doc.meta.dct, title: doc.meta.title, status: doc.meta.status },
    offsetUnit: OFFSET_UNIT,
    annotations: doc.annotations.map(annotationLine),
    relations: doc.relations.map((r) => ({ id: r.id, type: r.type, from: r.from, to: r.to })),
    entities: [],
  };
  const json = JSON.stringify(line);
  // Looking for either character first costs a fifteenth of a replace that finds none (the usual case).
  if (!json.includes('\u2028') && !json.includes('\u2029')) return json;
  return json.replace(/[\u2028\u2029]/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}

/** Writes `corpus.jsonl`, one line per document. */
export const writer: FormatWriter = {
  name: 'gloss',
  description: 'Gloss JSONL: one document per line with text, annotations, attributes, notes and relations (lossless)',
  defaultOutput: GLOSS_JSONL_FILE,
  document: (doc) => [{ file: GLOSS_JSONL_FILE, data: documentLine(doc) + '\n' }],
};

const Line = z.object({
  id: z.string().min(1).max(128).optional(),
  path: z.string().min(1).max(4096).optional(),
  text: z.string(),
  meta: z
    .object({ dct: z.string().nullable().optional(), title: z.string().optional(), status: DocumentStatus.optional() })
    .optional(),
  offsetUnit: z.literal(OFFSET_UNIT),
  annotations: z
    .array(
      z.object({
        id: z.string().min(1).max(64),
        label: z.string().min(1).max(64),
        start: z.number().int().nonnegative(),
        end: z.number().int().nonnegative(),
        text: z.string().optional(),
        attrs: z.record(z.string(), z.unknown()).optional(),
        author: z.string().optional(),
        created: z.string().optional(),
        modified: z.string().optional(),
        note: z.string().optional(),
        source: z.string().max(200).optional(),
        score: z.number().min(0).max(1).optional(),
        pending: z.boolean().optional(),
        prefix: z.string().optional(),
        suffix: z.string().optional(),
      }),
    )
    .default([]),
  relations: z.array(Relation).default([]),
  entities: z.array(z.unknown()).default([]),
});

/** Longest stretch of a bad line quoted in a problem. */
const MAX_REASON = 200;

/** Why a parsed line is not a Gloss JSONL document, in one line. */
function explain(value: unknown, error: z.ZodError): string {
  const record = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  if (record && !('offsetUnit' in record) && 'doc' in record) {
    return 'this looks like a gold file ("doc", no "offsetUnit"): use --format gold';
  }
  if (record && 'offsetUnit' in record && record.offsetUnit !== OFFSET_UNIT) {
    return `offsetUnit ${JSON.stringify(record.offsetUnit).slice(0, 40)} is not supported (only "${OFFSET_UNIT}")`;
  }
  const issue = error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue?.message ?? 'not a Gloss document'}`.slice(0, MAX_REASON);
}

/** One line of a Gloss JSONL file as a document, or the reason it is not one. */
export function parseDocumentLine(raw: string, origin: { file: string; line: number }): ImportedDocument | FormatProblem {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return { ...origin, reason: `malformed JSON: ${(err as Error).message}`.slice(0, MAX_REASON) };
  }
  const parsed = Line.safeParse(value);
  if (!parsed.success) return { ...origin, reason: explain(value, parsed.error) };
  const line = parsed.data;
  const annotations: ImportedAnnotation[] = line.annotations.map((a) => {
    const out: ImportedAnnotation = { id: a.id, label: a.label, start: a.start, end: a.end };
    for (const key of ['text', 'attrs', 'author', 'created', 'modified', 'note', 'source', 'score', 'pending', 'prefix', 'suffix'] as const) {
      if (a[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = a[key];
    }
    return out;
  });
  const meta: NonNullable<ImportedDocument['meta']> = {};
  if (line.meta?.title !== undefined) meta.title = line.meta.title;
  if (line.meta?.dct !== undefined) meta.dct = line.meta.dct;
  if (line.meta?.status !== undefined) meta.status = line.meta.status;
  return {
    ...(line.path !== undefined ? { path: line.path } : {}),
    ...(line.id !== undefined ? { id: line.id } : {}),
    text: line.text,
    meta,
    annotations,
    relations: line.relations,
    origin,
  };
}

/** Lines of a file with their 1-based numbers, blank ones left out. Decoded input has LF line ends. */
export function* numberedLines(file: InputFile): Generator<{ raw: string; line: number }> {
  let line = 0;
  let from = 0;
  const content = file.content;
  while (from <= content.length) {
    const nl = content.indexOf('\n', from);
    const to = nl < 0 ? content.length : nl;
    line++;
    const raw = content.slice(from, to);
    if (raw.trim() !== '') yield { raw, line };
    if (nl < 0) break;
    from = nl + 1;
  }
}

/** Reads `.jsonl` / `.ndjson` files of Gloss documents; a bad line is a problem, the others still import. */
export const reader: FormatReader = {
  name: 'gloss',
  description: writer.description,
  accepts: (p) => /\.(jsonl|ndjson)$/i.test(p),
  read(files) {
    const documents: ImportedDocument[] = [];
    const problems: FormatProblem[] = [];
    for (const file of files) {
      for (const { raw, line } of numberedLines(file)) {
        const result = parseDocumentLine(raw, { file: file.path, line });
        if ('reason' in result) problems.push(result);
        else documents.push(result);
      }
    }
    return { documents, problems };
  },
};
