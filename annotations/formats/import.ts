// Applying imported documents to a workspace: find or create each article, check every annotation, store them in one write. Node only.
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ApiError, RestoredAnnotation, type ImportRunResult } from '../api/contract.ts';
import { decodeBytes } from '../corpus/decode.ts';
import { MAX_FILE_BYTES, hashText, readDocument } from '../corpus/scan.ts';
import { LabelDef, type Annotation, type DocumentEntry, type Relation } from '../model.ts';
import { CodePointIndex, sliceCodePoints } from '../offsets.ts';
import { writeFileDurable } from '../store/durable-file.ts';
import type { Workspace } from '../workspace.ts';
import { goldArticles } from './gold.ts';
import { detectFormat, readerFor, readers } from './index.ts';
import { readInputs, type Progress } from './io.ts';
import type { FormatProblem, ImportedAnnotation, ImportedDocument, InputFile } from './types.ts';

/** What an import did. */
/** What an import did: the API's ImportRunResult (one shape for the CLI, the app and the tests). */
export type ImportSummary = ImportRunResult;

export interface ImportOptions {
  /** Provenance recorded on annotations that carry none (e.g. "import:brat"). */
  source?: string;
  onProgress?: Progress;
  /** Clock, for tests. */
  now?: () => Date;
}

/** New articles written between two rescans of the folder. */
const BATCH = 500;
/** Articles written, and documents stored, at once. */
const CONCURRENCY = 8;
/** Longest quote shown in a problem. */
const QUOTE = 40;

/** Colours for labels an import adds (Paul Tol's muted scheme): the first not in use, else by name. */
const NEW_LABEL_COLOURS = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499', '#DDDDDD'];

const LABEL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const quote = (s: string): string => JSON.stringify(s.length > QUOTE ? `${[...s].slice(0, QUOTE).join('')}…` : s);

/**
 * The path a new article gets in the folder: forward slashes, relative, no `..`, no hidden part (the scan
 * would not read it), ending in .txt or .md (".txt" is added otherwise). A reason when it cannot be used.
 */
export function articlePath(raw: string): { path: string } | { reason: string } {
  const p = raw.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return { reason: `path ${quote(raw)} is absolute` };
  if (/[\u0000-\u001f\u007f]/.test(p)) return { reason: `path ${quote(raw)} has control characters` };
  const segments = p.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0) return { reason: 'empty path' };
  if (segments.includes('..')) return { reason: `path ${quote(raw)} leaves the folder` };
  if (segments.some((s) => s.startsWith('.'))) return { reason: `path ${quote(raw)} names a hidden file or folder, which Gloss does not read` };
  const rel = segments.join('/');
  return { path: /\.(txt|md)$/i.test(rel) ? rel : `${rel}.txt` };
}

/** A document checked and ready to store: text with LF line ends, offsets in that text. */
interface Prepared {
  doc: ImportedDocument;
  text: string;
  hash: string;
  annotations: ImportedAnnotation[];
  relations: Relation[];
}

/**
 * Line ends to LF as Gloss reads articles, moving offsets accordingly: each CRLF before an offset takes
 * one code point off it. Quotes are normalised the same way.
 */
function normaliseNewlines(doc: ImportedDocument): { text: string; annotations: ImportedAnnotation[] } {
  if (!doc.text.includes('\r')) return { text: doc.text, annotations: doc.annotations };
  const removed: number[] = [];
  let cp = 0;
  for (let i = 0; i < doc.text.length; i++) {
    const c = doc.text.charCodeAt(i);
    if (c === 13 && doc.text.charCodeAt(i + 1) === 10) removed.push(cp);
    if (!(c >= 0xd800 && c <= 0xdbff && i + 1 < doc.text.length)) cp++;
  }
  const shift = (o: number): number => {
    let lo = 0;
    let hi = removed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (removed[mid] < o) lo = mid + 1;
      else hi = mid;
    }
    return o - lo;
  };
  const lf = (s: string) => s.replace(/\r\n?/g, '\n');
  return {
    text: lf(doc.text),
    annotations: doc.annotations.map((a) => ({
      ...a,
      start: Number.isInteger(a.start) ? shift(a.start) : a.start,
      end: Number.isInteger(a.end) ? shift(a.end) : a.end,
      ...(a.text !== undefined ? { text: lf(a.text) } : {}),
    })),
  };
}

/**
 * Check one document before anything is written: every span inside the text with start < end, its quote
 * (when given) equal to the text there, label names usable, ids unique, relations linking annotations of
 * the document, attributes plain bounded JSON. Returns the problems (empty: the document can be stored).
 */
function prepare(doc: ImportedDocument, now: string): Prepared | FormatProblem[] {
  const origin = { file: doc.origin.file, ...(doc.origin.line !== undefined ? { line: doc.origin.line } : {}) };
  const problems: FormatProblem[] = [];
  const bad = (reason: string) => void problems.push({ ...origin, reason });
  const { text, annotations } = normaliseNewlines(doc);
  const index = new CodePointIndex(text);
  const ids = new Set<string>();
  for (const [i, a] of annotations.entries()) {
    const name = `annotation ${a.id ?? i + 1} (${a.label} ${a.start}-${a.end})`;
    if (a.id !== undefined) {
      if (ids.has(a.id)) bad(`${name}: id used twice`);
      ids.add(a.id);
    }
    if (!LABEL_NAME.test(a.label)) bad(`${name}: label ${quote(a.label)} is not a usable label name (letters, digits, _ and -)`);
    if (!Number.isInteger(a.start) || !Number.isInteger(a.end) || a.start < 0) {
      bad(`${name}: offsets must be whole numbers from 0`);
      continue;
    }
    if (a.start >= a.end) {
      bad(`${name}: start is not before end`);
      continue;
    }
    if (a.end > index.length) {
      bad(`${name}: offset ${a.end} is past the end of the text (${index.length} characters)`);
      continue;
    }
    const actual = sliceCodePoints(text, a.start, a.end, index);
    if (a.text !== undefined && a.text !== actual) bad(`${name}: quoted text ${quote(a.text)} does not match the text there, ${quote(actual)}`);
    const check = RestoredAnnotation.safeParse({
      id: a.id ?? 'x',
      label: a.label,
      start: a.start,
      end: a.end,
      text: actual,
      author: a.author ?? '',
      created: a.created ?? now,
      modified: a.modified ?? now,
      ...(a.attrs !== undefined ? { attrs: a.attrs } : {}),
      ...(a.note !== undefined ? { note: a.note } : {}),
      ...(a.source !== undefined ? { source: a.source } : {}),
      ...(a.score !== undefined ? { score: a.score } : {}),
      ...(a.pending !== undefined ? { pending: a.pending } : {}),
      ...(a.prefix !== undefined ? { prefix: a.prefix } : {}),
      ...(a.suffix !== undefined ? { suffix: a.suffix } : {}),
    });
    if (!check.success) {
      const issue = check.error.issues[0];
      bad(`${name}: ${issue?.path.join('.') || 'annotation'}: ${issue?.message}`);
    }
  }
  const relationIds = new Set<string>();
  for (const r of doc.relations ?? []) {
    if (relationIds.has(r.id)) bad(`relation ${r.id}: id used twice`);
    relationIds.add(r.id);
    if (!ids.has(r.from) || !ids.has(r.to)) bad(`relation ${r.id} (${r.type}): links an annotation that is not in this document`);
  }
  if (problems.length > 0) return problems;
  return { doc, text, hash: hashText(text), annotations, relations: doc.relations ?? [] };
}

/** Why a text cannot be written as an article Gloss reads back unchanged, or null when it can. */
function unwritable(text: string): string | null {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > MAX_FILE_BYTES) return 'the text is too large for an article';
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return `the text cannot be an article: ${decoded.reason}`;
  if (decoded.text !== text) return 'the text would not read back unchanged (it starts with a byte order mark)';
  return null;
}

/** Runs `fn` on every item with at most `limit` calls in flight. */
async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function exists(p: string): Promise<boolean> {
  return fsp.lstat(p).then(
    () => true,
    () => false,
  );
}

/** `a/b.txt`, `a/b-2.txt`, `a/b-3.txt`, ...: the first path free on disk and not planned in this import. */
async function freePath(root: string, rel: string, planned: Set<string>): Promise<string> {
  const ext = path.posix.extname(rel);
  const stem = rel.slice(0, rel.length - ext.length);
  let candidate = rel;
  for (let n = 2; planned.has(candidate) || (await exists(path.join(root, candidate))); n++) candidate = `${stem}-${n}${ext}`;
  return candidate;
}

const inside = (dir: string, target: string): boolean => {
  const rel = path.relative(dir, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

/** Label definitions for names not in the schema: a colour not used yet, no key. */
function newLabels(names: string[], schema: LabelDef[]): LabelDef[] {
  const used = new Set(schema.map((l) => l.color.toUpperCase()));
  return names.map((name) => {
    const free = NEW_LABEL_COLOURS.find((c) => !used.has(c.toUpperCase()));
    let h = 0;
    for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
    const color = free ?? NEW_LABEL_COLOURS[h % NEW_LABEL_COLOURS.length];
    used.add(color.toUpperCase());
    return LabelDef.parse({ name, key: '', color, description: 'Added by an import.' });
  });
}

/** The stored form of imported annotations, filling in what the input left out. */
function toStored(
  prepared: Prepared,
  existing: Annotation[],
  defaults: { author: string; now: string; source?: string },
): Annotation[] {
  const bySpan = new Map(existing.map((a) => [`${a.label}\u0000${a.start}\u0000${a.end}`, a]));
  const index = new CodePointIndex(prepared.text);
  return prepared.annotations.map((a) => {
    // Without an id, the same label on the same span is the same annotation: re-importing replaces it.
    const base: Partial<Annotation> = a.id === undefined ? (bySpan.get(`${a.label}\u0000${a.start}\u0000${a.end}`) ?? {}) : {};
    const attrs = a.attrs ?? base.attrs;
    const note = a.note ?? base.note;
    const source = a.source ?? base.source ?? defaults.source;
    const pending = a.pending ?? base.pending;
    const score = a.score ?? base.score;
    return {
      id: a.id ?? base.id ?? randomUUID(),
      label: a.label,
      start: a.start,
      end: a.end,
      text: sliceCodePoints(prepared.text, a.start, a.end, index),
      ...(a.prefix !== undefined ? { prefix: a.prefix } : {}),
      ...(a.suffix !== undefined ? { suffix: a.suffix } : {}),
      author: a.author ?? base.author ?? defaults.author,
      created: a.created ?? base.created ?? defaults.now,
      modified: a.modified ?? defaults.now,
      ...(attrs !== undefined ? { attrs } : {}),
      ...(note !== undefined ? { note } : {}),
      ...(source !== undefined ? { source } : {}),
      ...(score !== undefined ? { score } : {}),
      ...(pending !== undefined ? { pending } : {}),
    };
  });
}

/** A document headed for the workspace: an article there already, or one to write at `path`. */
type Target = { kind: 'existing'; entry: DocumentEntry } | { kind: 'new'; path: string; written?: boolean };

/**
 * Apply imported documents to a workspace. Each document is checked first (see `prepare`); one with any
 * bad annotation or relation is not imported at all, each problem reported with file, line and reason.
 * A good one attaches to the article with the same text (content hash; the one at its `path` or with its
 * `id` when there are several), else its article is written into the folder under its `path` (a free
 * name when that is taken, reported; refused when the path is absolute, leaves the folder or is hidden),
 * the folder rescanned, and its annotations stored in one durable write. An annotation with the id of a
 * stored one replaces it; one without id replaces a stored one with the same label and span. Labels not in
 * the schema are added (new colour, no key) and reported as notices. Meta: `status` and `dct` are applied;
 * the title is always the article's own.
 */
export async function importDocuments(ws: Workspace, docs: ImportedDocument[], options: ImportOptions = {}): Promise<Omit<ImportSummary, 'format'>> {
  const clock = () => (options.now?.() ?? new Date()).toISOString();
  const summary = { documents: 0, created: 0, annotations: 0, refused: 0, problems: [] as FormatProblem[], notices: [] as FormatProblem[] };
  let done = 0;
  /** A document refused before anything was written for it. */
  const refuse = (problems: FormatProblem[]) => {
    summary.refused++;
    summary.problems.push(...problems);
    options.onProgress?.(++done, docs.length);
  };
  const root = await fsp.realpath(ws.root);
  /** Articles planned in this import, by path and by text hash (two documents with one text share it). */
  const planned = new Set<string>();
  const plannedByHash = new Map<string, Target & { kind: 'new' }>();
  for (let from = 0; from < docs.length; from += BATCH) {
    const batch: Array<{ prepared: Prepared; target: Target }> = [];
    const byHash = new Map<string, DocumentEntry[]>();
    for (const entry of ws.view().documents) byHash.set(entry.hash, [...(byHash.get(entry.hash) ?? []), entry]);
    for (const doc of docs.slice(from, from + BATCH)) {
      const prepared = prepare(doc, clock());
      if (Array.isArray(prepared)) {
        refuse(prepared);
        continue;
      }
      const origin = { file: doc.origin.file, ...(doc.origin.line !== undefined ? { line: doc.origin.line } : {}) };
      const same = byHash.get(prepared.hash);
      if (same) {
        const entry = same.find((e) => e.path === doc.path) ?? same.find((e) => e.id === doc.id) ?? same[0];
        batch.push({ prepared, target: { kind: 'existing', entry } });
        continue;
      }
      const sharing = plannedByHash.get(prepared.hash);
      if (sharing) {
        batch.push({ prepared, target: sharing });
        continue;
      }
      const why = unwritable(prepared.text);
      if (why) {
        refuse([{ ...origin, reason: why }]);
        continue;
      }
      const wanted = articlePath(doc.path ?? `imported/${prepared.hash.slice(0, 16)}.txt`);
      if ('reason' in wanted) {
        refuse([{ ...origin, reason: wanted.reason }]);
        continue;
      }
      const free = await freePath(root, wanted.path, planned);
      if (free !== wanted.path) summary.notices.push({ ...origin, reason: `${wanted.path} exists with another text: the article was written as ${free}` });
      else if (doc.path !== undefined && free !== doc.path) summary.notices.push({ ...origin, reason: `the article was written as ${free}` });
      planned.add(free);
      const target: Target & { kind: 'new' } = { kind: 'new', path: free };
      plannedByHash.set(prepared.hash, target);
      batch.push({ prepared, target });
    }

    // New articles first, durably, then one rescan indexes them all.
    const toWrite = [...new Set(batch.map((b) => b.target).filter((t): t is Target & { kind: 'new' } => t.kind === 'new' && t.written === undefined))];
    const writeProblems = new Map<Target, FormatProblem>();
    await forEachLimited(toWrite, CONCURRENCY, async (target) => {
      const { prepared } = batch.find((b) => b.target === target)!;
      const abs = path.join(root, ...target.path.split('/'));
      try {
        await fsp.mkdir(path.dirname(abs), { recursive: true });
        if (!inside(root, path.join(await fsp.realpath(path.dirname(abs)), path.basename(abs)))) throw new Error('its folder leads outside the corpus folder');
        if (await exists(abs)) throw new Error('a file appeared there meanwhile');
        await writeFileDurable(abs, prepared.text);
        target.written = true;
      } catch (err) {
        target.written = false;
        writeProblems.set(target, { file: prepared.doc.origin.file, line: prepared.doc.origin.line, reason: `cannot write ${target.path}: ${(err as Error).message}` });
      }
    });
    for (const target of toWrite) {
      const problem = writeProblems.get(target);
      if (problem) summary.problems.push(problem);
      else summary.created++;
    }
    if (toWrite.some((t) => t.written)) await ws.rescan();

    const schema = ws.view().labels;
    const missing = [...new Set(batch.flatMap(({ prepared }) => prepared.annotations.map((a) => a.label)))].filter((n) => !schema.some((l) => l.name === n));
    if (missing.length > 0) {
      const added = await ws.addLabels(newLabels(missing, schema));
      for (const label of added) {
        const first = batch.find(({ prepared }) => prepared.annotations.some((a) => a.label === label.name))!.prepared.doc.origin;
        summary.notices.push({ file: first.file, line: first.line, reason: `label ${label.name} was not in the schema: added (colour ${label.color}, no key)` });
      }
    }

    // Documents are stored several at a time (their durable writes overlap); two for one article, one after the other.
    const byPath = new Map(ws.view().documents.map((d) => [d.path, d]));
    const outcomes: Array<{ stored: number } | { problem: FormatProblem } | { writeFailed: true }> = new Array(batch.length);
    const chains = new Map<string, Promise<unknown>>();
    await forEachLimited([...batch.keys()], CONCURRENCY, async (i) => {
      const { prepared, target } = batch[i];
      const { doc } = prepared;
      const origin = { file: doc.origin.file, ...(doc.origin.line !== undefined ? { line: doc.origin.line } : {}) };
      let entry: DocumentEntry | undefined;
      if (target.kind === 'existing') entry = target.entry;
      else if (!target.written) outcomes[i] = { writeFailed: true };
      else {
        entry = byPath.get(target.path);
        if (!entry || entry.hash !== prepared.hash) {
          const skipped = ws.view().skipped.find((s) => s.path === target.path);
          outcomes[i] = { problem: { ...origin, reason: `${target.path} was written but does not read back as the same article${skipped ? `: ${skipped.reason}` : ''}` } };
          entry = undefined;
        }
      }
      if (entry) {
        const id = entry.id;
        const store = async () => {
          try {
            const existing = target.kind === 'existing' ? (await ws.stored(id)).annotations : [];
            const annotations = toStored(prepared, existing, { author: ws.author, now: clock(), source: options.source });
            const result = await ws.importDocument(id, {
              annotations,
              relations: prepared.relations,
              ...(doc.meta?.status !== undefined ? { status: doc.meta.status } : {}),
              ...(doc.meta?.dct !== undefined ? { dct: doc.meta.dct } : {}),
            });
            outcomes[i] = { stored: result.added + result.replaced };
          } catch (err) {
            outcomes[i] = { problem: { ...origin, reason: err instanceof ApiError ? err.message : `not stored: ${(err as Error).message}` } };
          }
        };
        const run = (chains.get(id) ?? Promise.resolve()).then(store);
        chains.set(id, run);
        await run;
      }
      options.onProgress?.(++done, docs.length);
    });

    let removedAny = false;
    for (const [i, outcome] of outcomes.entries()) {
      if ('stored' in outcome) {
        summary.documents++;
        summary.annotations += outcome.stored;
        continue;
      }
      summary.refused++;
      if ('writeFailed' in outcome) continue;
      summary.problems.push(outcome.problem);
      const { target } = batch[i];
      // Nothing half-imported: the article written for it goes too (unless another document shares it).
      const shared = batch.some((b, j) => b.target === target && 'stored' in outcomes[j]);
      if (target.kind === 'new' && target.written && !shared) {
        await fsp.rm(path.join(root, ...target.path.split('/')), { force: true });
        summary.created--;
        target.written = false;
        removedAny = true;
      }
    }
    if (removedAny) await ws.rescan();
  }
  return summary;
}

/** The article texts a gold file annotates: from the folder when it has the article, else ../seeds or beside the gold file. */
async function goldTexts(ws: Workspace, input: string, single: boolean, files: InputFile[]): Promise<InputFile[]> {
  const present = new Set(files.map((f) => f.path));
  const dirs = [
    ...new Set(
      files
        .filter((f) => !/\.(txt|md)$/i.test(f.path))
        .flatMap((f) => {
          const dir = single ? path.dirname(path.resolve(input)) : path.dirname(path.join(path.resolve(input), f.path));
          return [path.join(dir, '..', 'seeds'), dir];
        }),
    ),
  ];
  const out: InputFile[] = [];
  for (const doc of goldArticles(files)) {
    if (present.has(doc)) continue;
    const safe = articlePath(doc);
    if ('reason' in safe || safe.path !== doc) continue;
    const entry = ws.view().documents.find((d) => d.path === doc);
    if (entry) {
      const read = await readDocument(ws.root, entry.path).catch(() => null);
      if (read) {
        out.push({ path: doc, content: read.text });
        continue;
      }
    }
    for (const dir of dirs) {
      const bytes = await fsp.readFile(path.join(dir, ...doc.split('/'))).catch(() => null);
      const decoded = bytes && decodeBytes(bytes);
      if (decoded?.ok) {
        out.push({ path: doc, content: decoded.text });
        break;
      }
    }
  }
  return out;
}

/**
 * Read `input` (a file or a folder) in `format` (guessed from the files when null) and import it into
 * the workspace (see `importDocuments`). Annotations from formats other than Gloss JSONL are marked with
 * their provenance (`import:<format>`). Throws ApiError: 'not-found' when the input does not exist,
 * 'invalid-input' for an unknown format or one that cannot be guessed.
 */
export async function importFrom(
  ws: Workspace,
  input: string,
  format: string | null,
  options: Omit<ImportOptions, 'source'> = {},
): Promise<ImportSummary> {
  let reader = format === null ? null : readerFor(format);
  if (format !== null && !reader) {
    throw new ApiError('invalid-input', `Unknown import format ${format} (known: ${Object.keys(readers).join(', ')})`);
  }
  const any = { accepts: (p: string) => Object.values(readers).some((r) => r.accepts(p)) };
  const inputs = await readInputs(input, reader ?? any);
  if (!reader) {
    const guessed = detectFormat(inputs.files);
    if (!guessed) throw new ApiError('invalid-input', `Cannot tell the format of ${input}: name it with --format (${Object.keys(readers).join(', ')})`);
    reader = readerFor(guessed)!;
  }
  const chosen = reader;
  const files = inputs.single ? inputs.files : inputs.files.filter((f) => chosen.accepts(f.path));
  if (chosen.name === 'gold') files.push(...(await goldTexts(ws, input, inputs.single, files)));
  const { documents, problems } = chosen.read(files);
  // Nothing half-imported: a document any problem points at (same file, and same line when the document
  // has one) is refused whole.
  const names = (p: FormatProblem, d: ImportedDocument) =>
    p.file === d.origin.file && (d.origin.line === undefined || p.line === d.origin.line);
  const accepted = documents.filter((d) => !problems.some((p) => names(p, d)));
  const refusedByReader = documents.length - accepted.length;
  const unattached = problems.filter((p) => !documents.some((d) => names(p, d))).length;
  const result = await importDocuments(ws, accepted, { ...options, source: chosen.name === 'gloss' ? undefined : `import:${chosen.name}` });
  return {
    format: chosen.name,
    ...result,
    refused: result.refused + refusedByReader + unattached + inputs.problems.length,
    problems: [...inputs.problems, ...problems, ...result.problems],
  };
}
