// doccano JSONL, sequence labelling with relations: one document per line with `entities` and `relations`;
// what doccano has no field for (Gloss ids, attributes, notes, authorship) rides in a `gloss` key, matched
// back by label and span. Offsets count code points, as doccano's Python back end does. Pure.
import { z } from 'zod';
import { DocumentStatus, type Annotation } from '../model.ts';
import {
  SourceText,
  exportableAnnotations,
  idProblem,
  isPlainObject,
  labelProblem,
  relationTypeProblem,
  spanProblem,
} from './source-text.ts';
import { sliceCodePoints } from '../offsets.ts';
import type { ExportDocument, ExportContext, FormatProblem, FormatReader, FormatWriter, ImportedAnnotation, ImportedDocument, OutputChunk } from './types.ts';

/** Name of the single output file. */
export const DOCCANO_FILE = 'doccano.jsonl';

/** What Gloss keeps of one annotation, with the label and span that find its entity again; keys in a fixed order. */
function glossAnnotation(a: Annotation): Record<string, unknown> {
  const out: Record<string, unknown> = { id: a.id, label: a.label, start_offset: a.start, end_offset: a.end };
  if (a.attrs !== undefined) out.attrs = a.attrs;
  if (a.note !== undefined) out.note = a.note;
  out.author = a.author;
  out.created = a.created;
  out.modified = a.modified;
  if (a.source !== undefined) out.source = a.source;
  if (a.pending !== undefined) out.pending = a.pending;
  return out;
}

/** One document as a doccano line (without its newline). */
function documentLine(doc: ExportDocument, index: number, ctx: ExportContext): string {
  const report = (reason: string) => ctx.report({ file: doc.path, reason });
  const { annotations } = exportableAnnotations(doc, report);
  const number = new Map(annotations.map((a, i) => [a.id, i + 1]));
  const relations = doc.relations
    .filter((r) => {
      const kept = number.has(r.from) && number.has(r.to);
      if (!kept) report(`relation ${r.id} (${r.type}) left out: one of its annotations is not exported`);
      return kept;
    })
    .map((r) => ({ r, from: number.get(r.from)!, to: number.get(r.to)! }))
    .sort((x, y) => x.from - y.from || x.to - y.to || (x.r.type < y.r.type ? -1 : x.r.type > y.r.type ? 1 : 0) || (x.r.id < y.r.id ? -1 : 1));
  const line = {
    id: index + 1,
    text: doc.text,
    entities: annotations.map((a, i) => ({ id: i + 1, label: a.label, start_offset: a.start, end_offset: a.end })),
    relations: relations.map(({ r, from, to }, i) => ({ id: i + 1, from_id: from, to_id: to, type: r.type })),
    path: doc.path,
    title: doc.meta.title,
    dct: doc.meta.dct,
    gloss: {
      id: doc.id,
      status: doc.meta.status,
      annotations: annotations.map(glossAnnotation),
      relations: relations.map(({ r }) => ({ id: r.id, from: r.from, to: r.to, type: r.type })),
    },
  };
  // JSON allows U+2028 and U+2029 raw, but some line readers (Python's str.splitlines) split on them.
  return JSON.stringify(line).replace(/[\u2028\u2029]/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}

/** Writes `doccano.jsonl`, one document per line, entities and relations numbered from 1 in each line. */
export const writer: FormatWriter = {
  name: 'doccano',
  description: 'doccano JSONL (entities and relations), Gloss ids and attributes kept in a "gloss" key (code point offsets)',
  defaultOutput: DOCCANO_FILE,
  document: (doc, index, ctx): OutputChunk[] => [{ file: DOCCANO_FILE, data: `${documentLine(doc, index, ctx)}\n` }],
};

/** The `gloss` key as this writer writes it; anything else there is a problem, not silently dropped. */
const GlossExtras = z.object({
  id: z.string().min(1).max(128).optional(),
  status: DocumentStatus.optional(),
  annotations: z
    .array(
      z.object({
        id: z.string().min(1).max(64),
        label: z.string(),
        start_offset: z.number(),
        end_offset: z.number(),
        attrs: z.record(z.string(), z.unknown()).optional(),
        note: z.string().optional(),
        author: z.string().optional(),
        created: z.string().optional(),
        modified: z.string().optional(),
        source: z.string().max(200).optional(),
        pending: z.boolean().optional(),
      }),
    )
    .optional(),
  relations: z.array(z.object({ id: z.string().min(1).max(64), from: z.string(), to: z.string(), type: z.string() })).optional(),
});

/** Key of an entity or `gloss` record: its label and span as the line gives them. */
const spanKey = (label: unknown, start: unknown, end: unknown): string => JSON.stringify([label, start, end]);

/** A doccano id (a number, or a string in some exports) as a map key. */
const keyOf = (id: unknown): string | null => (Number.isSafeInteger(id) || (typeof id === 'string' && id !== '') ? String(id) : null);

/** Reads one line; problems go to `fail` (which names the line); null when nothing of it can be used. */
function readLine(value: unknown, origin: { file: string; line: number }, fail: (reason: string) => void): ImportedDocument | null {
  if (!isPlainObject(value) || typeof value.text !== 'string') {
    fail('expected a JSON object with a "text" string');
    return null;
  }
  const source = new SourceText(value.text);
  const extras = value.gloss === undefined ? { success: true as const, data: {} } : GlossExtras.safeParse(value.gloss);
  if (!extras.success) {
    const issue = extras.error.issues[0];
    fail(`the "gloss" key is not as Gloss writes it: ${issue?.path.join('.') || 'gloss'}: ${issue?.message}`);
  }
  const gloss: z.infer<typeof GlossExtras> = extras.success ? extras.data : {};

  // doccano writes `entities` for projects with relations and `label: [[start, end, "LABEL"], ...]` without.
  let spans: Array<{ key: string | null; label: unknown; start: unknown; end: unknown; where: string }> = [];
  if (value.entities !== undefined) {
    if (!Array.isArray(value.entities)) fail('"entities" is not a list');
    else {
      spans = value.entities.map((e: unknown, i) =>
        isPlainObject(e) ? { key: keyOf(e.id), label: e.label, start: e.start_offset, end: e.end_offset, where: `entity ${keyOf(e.id) ?? i + 1}` } : { key: null, label: null, start: null, end: null, where: `entity ${i + 1}` },
      );
    }
  } else if (value.label !== undefined) {
    if (!Array.isArray(value.label)) fail('"label" is not a list');
    else if (value.label.some((l: unknown) => typeof l === 'string')) fail('"label" holds document categories (text classification), not spans');
    else spans = value.label.map((l: unknown, i) => (Array.isArray(l) && l.length === 3 ? { key: null, label: l[2], start: l[0], end: l[1], where: `label ${i + 1}` } : { key: null, label: null, start: null, end: null, where: `label ${i + 1}` }));
  }

  // Extras go back to the entity with the same label and span. An entity moved or relabelled in doccano
  // finds none and comes in as a new annotation; extras of entities deleted there are simply not used.
  const extrasBySpan = new Map<string, Array<NonNullable<typeof gloss.annotations>[number]>>();
  for (const g of gloss.annotations ?? []) {
    const key = spanKey(g.label, g.start_offset, g.end_offset);
    extrasBySpan.set(key, [...(extrasBySpan.get(key) ?? []), g]);
  }
  const annotations: ImportedAnnotation[] = [];
  const idOf = new Map<string, string>();
  const ids = new Set<string>();
  for (const span of spans) {
    if (span.label === null && span.start === null) {
      fail(`${span.where}: expected {"id", "label", "start_offset", "end_offset"} or [start, end, "LABEL"]`);
      continue;
    }
    const bad = labelProblem(span.label) ?? spanProblem(span.start, span.end, source.length);
    if (bad) {
      fail(`${span.where}: ${bad}`);
      continue;
    }
    const extra = extrasBySpan.get(spanKey(span.label, span.start, span.end))?.shift();
    const id = extra?.id ?? (span.key !== null ? `doccano-${span.key}` : undefined);
    if (id !== undefined) {
      const badId = idProblem(id) ?? (ids.has(id) ? `id ${id} is used twice` : null);
      if (badId) {
        fail(`${span.where}: ${badId}`);
        continue;
      }
      ids.add(id);
      if (span.key !== null) idOf.set(span.key, id);
    }
    const start = source.toGloss(span.start as number);
    const end = source.toGloss(span.end as number);
    const a: ImportedAnnotation = { ...(id !== undefined ? { id } : {}), label: span.label as string, start, end, text: sliceCodePoints(source.text, start, end) };
    if (extra) {
      const { id: _id, label: _label, start_offset: _start, end_offset: _end, ...rest } = extra;
      Object.assign(a, rest);
    }
    annotations.push(a);
  }

  const relations: Array<{ id: string; type: string; from: string; to: string }> = [];
  const relationIds = new Set<string>();
  if (value.relations !== undefined && !Array.isArray(value.relations)) fail('"relations" is not a list');
  for (const [i, r] of (Array.isArray(value.relations) ? value.relations : []).entries()) {
    const where = `relation ${isPlainObject(r) ? (keyOf(r.id) ?? i + 1) : i + 1}`;
    if (!isPlainObject(r)) {
      fail(`${where}: expected {"id", "from_id", "to_id", "type"}`);
      continue;
    }
    const from = idOf.get(keyOf(r.from_id) ?? '');
    const to = idOf.get(keyOf(r.to_id) ?? '');
    const key = keyOf(r.id);
    const known = gloss.relations?.find((g) => g.from === from && g.to === to && g.type === r.type && !relationIds.has(g.id));
    const id = known?.id ?? (key !== null ? `doccano-r${key}` : `doccano-r-${i + 1}`);
    const bad =
      relationTypeProblem(r.type) ??
      (!from ? `from_id ${JSON.stringify(r.from_id)} is not an entity of this line` : !to ? `to_id ${JSON.stringify(r.to_id)} is not an entity of this line` : null) ??
      idProblem(id) ??
      (relationIds.has(id) ? `id ${id} is used twice` : null);
    if (bad) fail(`${where}: ${bad}`);
    else {
      relationIds.add(id);
      relations.push({ id, type: r.type as string, from: from!, to: to! });
    }
  }

  const meta: NonNullable<ImportedDocument['meta']> = {};
  if (typeof value.title === 'string') meta.title = value.title;
  if (typeof value.dct === 'string' || value.dct === null) meta.dct = value.dct;
  if (gloss.status) meta.status = gloss.status;
  return {
    ...(typeof value.path === 'string' && value.path !== '' ? { path: value.path } : {}),
    ...(gloss.id ? { id: gloss.id } : {}),
    text: source.text,
    ...(Object.keys(meta).length ? { meta } : {}),
    annotations,
    relations,
    origin,
  };
}

/**
 * Reads doccano JSONL (the `entities` form, and the `label: [[start, end, "LABEL"]]` form). Each document's
 * `origin` is its file and line; every problem about it has that same file and line, so a document is
 * sound only when no problem names its line. A line that is not JSON gives a problem and no document.
 */
export const reader: FormatReader = {
  name: 'doccano',
  description: 'doccano JSONL: "text" with "entities" and "relations" (or "label" spans)',
  accepts: (path) => /\.(jsonl|ndjson)$/i.test(path),

  read(files) {
    const documents: ImportedDocument[] = [];
    const problems: FormatProblem[] = [];
    for (const file of files) {
      file.content.split(/\r\n|\r|\n/).forEach((text, i) => {
        if (text.trim() === '') return;
        const origin = { file: file.path, line: i + 1 };
        const fail = (reason: string): void => void problems.push({ ...origin, reason });
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (err) {
          return fail(`not JSON: ${(err as Error).message}`);
        }
        const doc = readLine(value, origin, fail);
        if (doc) documents.push(doc);
      });
    }
    return { documents, problems };
  },
};
