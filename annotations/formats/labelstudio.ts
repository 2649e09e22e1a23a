// Label Studio JSON tasks: one task per document with `data.text`, the analyst's annotations as one
// annotation `result` list (labels, per-region numbers, choices and text areas, relations) and pending
// suggestions as `predictions`. Offsets count code points, as Label Studio's Python back end does. Pure.
import type { Annotation } from '../model.ts';
import { sliceCodePoints } from '../offsets.ts';
import { SourceText, derivedId, exportableAnnotations, idProblem, isPlainObject, labelProblem, quoteProblem, relationTypeProblem, spanProblem } from './source-text.ts';
import type { ExportContext, ExportDocument, FormatProblem, FormatReader, FormatWriter, ImportedAnnotation, ImportedDocument, OutputChunk } from './types.ts';

/** Name of the single output file. */
export const LABELSTUDIO_FILE = 'labelstudio.json';

/** The `from_name` of the labels control and the `to_name` of the text, as in the config in docs/formats.md. */
const LABELS = 'label';
const TEXT = 'text';
/** Relation type given to a Label Studio relation that has no label. */
export const UNLABELLED_RELATION = 'related';

/** One attribute as a per-region result: its type and the key of `value` holding it, or why it cannot be. */
function attributeResult(value: unknown): { type: string; key: string; value: unknown } | { lost: string } | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? { type: 'number', key: 'number', value } : { lost: 'not a finite number' };
  if (typeof value === 'boolean') return { type: 'choices', key: 'choices', value: [String(value)] };
  if (typeof value === 'string') return { type: 'textarea', key: 'text', value: [value] };
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return { type: 'choices', key: 'choices', value };
  return { lost: 'Label Studio has no result type for a list of that kind or an object' };
}

/** The results of some annotations and the relations between them. */
function results(annotations: Annotation[], doc: ExportDocument, report: (reason: string) => void): unknown[] {
  const out: unknown[] = [];
  for (const a of annotations) {
    out.push({
      id: a.id,
      from_name: LABELS,
      to_name: TEXT,
      type: 'labels',
      value: { start: a.start, end: a.end, text: a.text, labels: [a.label] },
      ...(a.note !== undefined && a.note !== '' ? { meta: { text: [a.note] } } : {}),
    });
    for (const [name, v] of Object.entries(a.attrs ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
      const r = attributeResult(v);
      if (r === null) continue;
      if ('lost' in r) {
        report(`annotation ${a.id}: attribute ${name} left out: ${r.lost}`);
        continue;
      }
      if (Array.isArray(v) && v.length === 1) report(`annotation ${a.id}: attribute ${name}, a list of one, is written as one choice and reads back as a string`);
      out.push({ id: a.id, from_name: name, to_name: TEXT, type: r.type, value: { start: a.start, end: a.end, [r.key]: r.value } });
    }
  }
  const ids = new Set(annotations.map((a) => a.id));
  const order = new Map(annotations.map((a, i) => [a.id, i]));
  const relations = doc.relations
    .filter((r) => ids.has(r.from) && ids.has(r.to))
    .sort((x, y) => order.get(x.from)! - order.get(y.from)! || order.get(x.to)! - order.get(y.to)! || (x.type < y.type ? -1 : x.type > y.type ? 1 : 0));
  for (const r of relations) out.push({ from_id: r.from, to_id: r.to, type: 'relation', direction: 'right', labels: [r.type] });
  return out;
}

/** One document as a Label Studio task (one line of the output array). */
function taskLine(doc: ExportDocument, index: number, ctx: ExportContext): string {
  const report = (reason: string) => ctx.report({ file: doc.path, reason });
  const { annotations } = exportableAnnotations(doc, report);
  const accepted = annotations.filter((a) => !a.pending);
  const pending = annotations.filter((a) => a.pending);
  const acceptedIds = new Set(accepted.map((a) => a.id));
  const exported = new Set(annotations.map((a) => a.id));
  for (const r of doc.relations) {
    if (!exported.has(r.from) || !exported.has(r.to)) report(`relation ${r.id} (${r.type}) left out: one of its annotations is not exported`);
    else if (acceptedIds.has(r.from) !== acceptedIds.has(r.to)) report(`relation ${r.id} (${r.type}) left out: it links a pending suggestion to an accepted annotation, and Label Studio keeps the two apart`);
  }
  const task = {
    id: index + 1,
    data: { text: doc.text, path: doc.path, gloss_id: doc.id, title: doc.meta.title, dct: doc.meta.dct },
    annotations: accepted.length ? [{ result: results(accepted, doc, report) }] : [],
    ...(pending.length ? { predictions: [{ model_version: 'gloss', result: results(pending, doc, report) }] } : {}),
  };
  return JSON.stringify(task).replace(/[\u2028\u2029]/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}

/**
 * Writes `labelstudio.json`: a JSON array with one task per line, so a problem's line number names its
 * task. Accepted annotations are the task's one annotation; pending suggestions are its predictions.
 */
export const writer: FormatWriter = {
  name: 'labelstudio',
  description: 'Label Studio JSON tasks: labels, per-region numbers, choices and text, relations; suggestions as predictions (code point offsets)',
  defaultOutput: LABELSTUDIO_FILE,
  begin: (): OutputChunk[] => [{ file: LABELSTUDIO_FILE, data: '[' }],
  document: (doc, index, ctx): OutputChunk[] => [{ file: LABELSTUDIO_FILE, data: `${index === 0 ? '\n' : ',\n'}${taskLine(doc, index, ctx)}` }],
  end: (): OutputChunk[] => [{ file: LABELSTUDIO_FILE, data: '\n]\n' }],
};

/** Where each element of a top-level JSON array lies: its start and end (UTF-16 offsets) and first line. */
function elements(json: string): Array<{ start: number; end: number; line: number }> {
  const out: Array<{ start: number; end: number; line: number }> = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expecting = false;
  let open: { start: number; line: number } | null = null;
  const close = (end: number) => {
    if (open) out.push({ ...open, end });
    open = null;
  };
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      else if (c === '\n') line++;
      continue;
    }
    if (c === '\n') line++;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
    if (depth === 0 && c !== '[') return [{ start: i, end: json.length, line }];
    if (depth === 1 && expecting && c !== ']') {
      open = { start: i, line };
      expecting = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expecting = true;
    } else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) close(i);
    } else if (c === ',' && depth === 1) {
      close(i);
      expecting = true;
    }
  }
  close(json.length);
  return out;
}

/** The line on which each element of a top-level JSON array starts (one entry for a top-level object). */
export function elementLines(json: string): number[] {
  return elements(json).map((e) => e.line);
}

/**
 * The line of a JSON syntax error: from the position in the message when there is one, else the line of
 * the first array element that does not parse on its own.
 */
function errorLine(json: string, err: Error): number | undefined {
  const m = /position (\d+)/.exec(err.message);
  if (m) {
    let line = 1;
    for (let i = 0; i < Math.min(Number(m[1]), json.length); i++) if (json.charCodeAt(i) === 10) line++;
    return line;
  }
  for (const e of elements(json)) {
    try {
      JSON.parse(json.slice(e.start, e.end));
    } catch {
      return e.line;
    }
  }
  return undefined;
}

/** An attribute value from a per-region result, or why it cannot be read. */
function attributeValue(type: unknown, value: Record<string, unknown>): { value: unknown } | { bad: string } {
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string');
  switch (type) {
    case 'number':
    case 'rating': {
      const n = value[type];
      return typeof n === 'number' && Number.isFinite(n) ? { value: n } : { bad: `value.${type} is not a number` };
    }
    case 'choices': {
      const c = value.choices;
      if (!strings(c)) return { bad: 'value.choices is not a list of strings' };
      if (c.length > 1) return { value: c };
      return { value: c[0] === 'true' ? true : c[0] === 'false' ? false : c[0] };
    }
    case 'textarea': {
      const t = value.text;
      if (typeof t === 'string') return { value: t };
      if (!strings(t)) return { bad: 'value.text is not a list of strings' };
      return { value: t.length === 1 ? t[0] : t };
    }
    default:
      return { bad: `result type ${JSON.stringify(type)} has no Gloss equivalent on a span (Gloss reads labels, number, rating, choices, textarea and relation)` };
  }
}

/** Reads one annotation's (or prediction's) result list into `out`; problems go to `fail`. */
function readResults(
  items: unknown,
  pending: boolean,
  source: SourceText,
  out: { annotations: ImportedAnnotation[]; relations: Array<{ id: string; type: string; from: string; to: string }>; ids: Set<string>; relationIds: Set<string> },
  fail: (reason: string) => void,
): void {
  const where = pending ? 'prediction' : 'annotation';
  if (!Array.isArray(items)) return fail(`the ${where}'s "result" is not a list`);
  const regions = new Map<string, ImportedAnnotation & { attrs: Record<string, unknown> }>();
  // A prediction the annotator accepted reappears in the annotation with the same id: the annotation wins.
  const superseded = new Set<string>();
  for (const [i, item] of items.entries()) {
    if (!isPlainObject(item) || item.type !== 'labels') continue;
    const name = `${where} result ${i + 1}`;
    const value = item.value;
    if (typeof item.id !== 'string' || !isPlainObject(value)) {
      fail(`${name}: a labels result needs an "id" string and a "value" object`);
      continue;
    }
    if (pending && out.ids.has(item.id)) {
      superseded.add(item.id);
      continue;
    }
    const labels: unknown[] = Array.isArray(value.labels) ? value.labels : [];
    const bad =
      idProblem(item.id) ??
      (out.ids.has(item.id) || regions.has(item.id) ? `id ${item.id} is used twice` : null) ??
      (labels.length !== 1 ? `region ${item.id} has ${labels.length} labels; a Gloss span has exactly one` : null) ??
      labelProblem(labels[0]) ??
      spanProblem(value.start, value.end, source.length) ??
      (typeof value.text === 'string' ? quoteProblem(value.text, source.slice(value.start as number, value.end as number), value.start as number, value.end as number) : null);
    if (bad) {
      fail(`${name}: ${bad}`);
      continue;
    }
    const start = source.toGloss(value.start as number);
    const end = source.toGloss(value.end as number);
    const meta = isPlainObject(item.meta) ? item.meta.text : undefined;
    const note = typeof meta === 'string' ? meta : Array.isArray(meta) && meta.every((m) => typeof m === 'string') ? meta.join('\n') : undefined;
    regions.set(item.id, {
      id: item.id,
      label: labels[0] as string,
      start,
      end,
      text: sliceCodePoints(source.text, start, end),
      attrs: {},
      ...(note ? { note } : {}),
      ...(pending ? { pending: true } : {}),
    });
  }

  const attrs = new Map<string, Map<string, unknown>>();
  for (const [i, item] of items.entries()) {
    const name = `${where} result ${i + 1}`;
    if (!isPlainObject(item)) {
      fail(`${name}: not an object`);
      continue;
    }
    if (item.type === 'labels') continue;
    if (item.type === 'relation') {
      if (pending && (superseded.has(String(item.from_id)) || superseded.has(String(item.to_id)))) continue;
      const from = regions.get(String(item.from_id));
      const to = regions.get(String(item.to_id));
      const labels = item.labels ?? [];
      const bad =
        !from || !to
          ? `relation ${JSON.stringify(item.from_id)} -> ${JSON.stringify(item.to_id)} links a region that is not in this ${where}`
          : !Array.isArray(labels)
            ? 'relation "labels" is not a list'
            : (labels.map(relationTypeProblem).find((p) => p) ?? null);
      if (bad) {
        fail(`${name}: ${bad}`);
        continue;
      }
      const pairs = item.direction === 'left' ? [[to!, from!]] : item.direction === 'bi' ? [[from!, to!], [to!, from!]] : [[from!, to!]];
      for (const type of (labels as string[]).length ? (labels as string[]) : [UNLABELLED_RELATION]) {
        for (const [a, b] of pairs) {
          out.relations.push({ id: derivedId('ls-rel', [type, a.id!, b.id!], out.relationIds), type, from: a.id!, to: b.id! });
        }
      }
      continue;
    }
    if (typeof item.id === 'string' && pending && superseded.has(item.id)) continue;
    const region = typeof item.id === 'string' ? regions.get(item.id) : undefined;
    if (!region) {
      fail(`${name}: a ${JSON.stringify(item.type)} result not tied to a labelled span (Gloss has no document-level labels)`);
      continue;
    }
    const attr = typeof item.from_name === 'string' && item.from_name !== '' ? item.from_name : null;
    const read = isPlainObject(item.value) ? attributeValue(item.type, item.value) : { bad: 'no "value" object' };
    const own = attrs.get(region.id!) ?? new Map<string, unknown>();
    attrs.set(region.id!, own);
    const bad = !attr ? 'no "from_name" naming the attribute' : 'bad' in read ? read.bad : own.has(attr) ? `attribute ${attr} is set twice on region ${region.id}` : null;
    if (bad) fail(`${name}: ${bad}`);
    else own.set(attr!, (read as { value: unknown }).value);
  }

  for (const region of regions.values()) {
    out.ids.add(region.id!);
    const { attrs: _none, ...rest } = region;
    const own = attrs.get(region.id!);
    out.annotations.push(own && own.size ? { ...rest, attrs: Object.fromEntries(own) } : rest);
  }
}

/** Reads one task; problems go to `fail` (which names the task's line). */
function readTask(task: unknown, origin: { file: string; line: number }, fail: (reason: string) => void): ImportedDocument | null {
  if (!isPlainObject(task) || !isPlainObject(task.data) || typeof task.data.text !== 'string') {
    fail('expected a task with a "data" object holding a "text" string');
    return null;
  }
  const data = task.data;
  const source = new SourceText(data.text as string);
  const sets = (list: unknown, key: string): unknown[] => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
      fail(`"${key}" is not a list`);
      return [];
    }
    const kept = list.filter((a) => !(isPlainObject(a) && a.was_cancelled === true));
    if (kept.length > 1) fail(`the task has ${kept.length} ${key} (several annotators or models); Gloss keeps one of each: export one per task`);
    return kept.slice(0, 1);
  };
  const out = { annotations: [] as ImportedAnnotation[], relations: [] as Array<{ id: string; type: string; from: string; to: string }>, ids: new Set<string>(), relationIds: new Set<string>() };
  // Label Studio before 1.0 called annotations "completions".
  for (const a of sets(task.annotations ?? task.completions, task.annotations !== undefined ? 'annotations' : 'completions')) {
    readResults(isPlainObject(a) ? a.result : undefined, false, source, out, fail);
  }
  for (const p of sets(task.predictions, 'predictions')) readResults(isPlainObject(p) ? p.result : undefined, true, source, out, fail);

  const meta: NonNullable<ImportedDocument['meta']> = {};
  if (typeof data.title === 'string') meta.title = data.title;
  if (typeof data.dct === 'string' || data.dct === null) meta.dct = data.dct;
  return {
    ...(typeof data.path === 'string' && data.path !== '' ? { path: data.path } : {}),
    ...(typeof data.gloss_id === 'string' && data.gloss_id !== '' ? { id: data.gloss_id } : {}),
    text: source.text,
    ...(Object.keys(meta).length ? { meta } : {}),
    annotations: out.annotations,
    relations: out.relations,
    origin,
  };
}

/**
 * Reads Label Studio JSON exports (an array of tasks, or one task). Each document's `origin` is its file
 * and the line its task starts on; every problem about it has that same file and line. In a file written
 * on one line every task starts on line 1, so a problem there names them all (the reason says which task).
 */
export const reader: FormatReader = {
  name: 'labelstudio',
  description: 'Label Studio JSON tasks: labels, per-region numbers, choices and text areas, relations; predictions as suggestions',
  accepts: (path) => /\.json$/i.test(path),

  read(files) {
    const documents: ImportedDocument[] = [];
    const problems: FormatProblem[] = [];
    for (const file of files) {
      let value: unknown;
      try {
        value = JSON.parse(file.content);
      } catch (err) {
        const line = errorLine(file.content, err as Error);
        problems.push({ file: file.path, ...(line !== undefined ? { line } : {}), reason: `not JSON: ${(err as Error).message}` });
        continue;
      }
      const tasks = Array.isArray(value) ? value : [value];
      const lines = elementLines(file.content);
      tasks.forEach((task, i) => {
        const origin = { file: file.path, line: lines[i] ?? 1 };
        const name = `task ${i + 1}${isPlainObject(task) && (typeof task.id === 'number' || typeof task.id === 'string') ? ` (id ${task.id})` : ''}`;
        const doc = readTask(task, origin, (reason) => void problems.push({ ...origin, reason: `${name}: ${reason}` }));
        if (doc) documents.push(doc);
      });
    }
    return { documents, problems };
  },
};
