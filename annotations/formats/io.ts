// The file side of dataset formats: streaming an export to disk document by document, and reading import inputs. Node only.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../api/contract.ts';
import { decodeBytes } from '../corpus/decode.ts';
import { ARTICLE_EXTENSIONS } from '../corpus/scan.ts';
import type { Workspace } from '../workspace.ts';
import { selectForExport } from './select.ts';
import type { ExportContext, ExportOptions, FormatProblem, FormatWriter, InputFile, OutputChunk } from './types.ts';

/** What an export did. */
export interface ExportSummary {
  /** Documents written. */
  documents: number;
  /** Annotations written (after the choices of labels and suggestions). */
  annotations: number;
  /** Files written. */
  files: number;
  /** What the format could not carry, annotations no longer matching their text, documents that failed. */
  problems: FormatProblem[];
  /** The file or folder written (absolute). */
  location: string;
}

/** Called after each document: how many are done out of how many. */
export type Progress = (done: number, total: number) => void;

/** Output buffered in memory before it is appended to its files. */
const FLUSH_BYTES = 1 << 20;

/** Does this writer produce a folder (its suggested output ends with '/')? */
export function writesFolder(writer: FormatWriter): boolean {
  return writer.defaultOutput.endsWith('/');
}

/**
 * Where an export goes when nobody chose: a new folder `<store>/exports/<format>-<UTC time>/` (inside the
 * store, so the corpus scan never takes exported .txt files for articles). A folder format writes into it,
 * a single-file format writes its suggested file name there. Nothing is created yet.
 */
export async function defaultExportLocation(ws: Workspace, writer: FormatWriter, now: Date = new Date()): Promise<string> {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '').replace('T', '-');
  const base = path.join(ws.store.dir, 'exports', `${writer.name}-${stamp}`);
  let dir = base;
  for (let n = 2; await exists(dir); n++) dir = `${base}-${n}`;
  return writesFolder(writer) ? dir : path.join(dir, writer.defaultOutput);
}

async function exists(p: string): Promise<boolean> {
  return fsp.lstat(p).then(
    () => true,
    () => false,
  );
}

/** Is `target` inside `dir` (or `dir` itself)? Both absolute. */
function within(dir: string, target: string): boolean {
  const rel = path.relative(dir, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Refuse an output the corpus scan would read back as articles: a folder export, or a .txt/.md file,
 * inside the corpus folder but not inside a hidden folder (the store among them). Also refuse to write
 * a folder export into a folder that already holds files (stale files of an older export would mix in).
 */
async function checkTarget(ws: Workspace, writer: FormatWriter, out: string): Promise<void> {
  const real = await realpathOfNearest(out);
  if (within(ws.root, real)) {
    const rel = path.relative(ws.root, real).split(path.sep);
    const hidden = rel.some((s) => s.startsWith('.'));
    const article = ARTICLE_EXTENSIONS.has(path.extname(real).toLowerCase());
    if (!hidden && (writesFolder(writer) || article)) {
      throw new ApiError('invalid-input', `${out} is inside the corpus folder: its files would be read as articles; choose a place outside it`);
    }
  }
  if (writesFolder(writer)) {
    const st = await fsp.stat(out).catch(() => null);
    if (st && !st.isDirectory()) throw new ApiError('invalid-input', `${out} exists and is not a folder`);
    if (st && (await fsp.readdir(out)).length > 0) {
      throw new ApiError('invalid-input', `${out} already holds files: choose a new or empty folder`);
    }
  } else if ((await fsp.stat(out).catch(() => null))?.isDirectory()) {
    throw new ApiError('invalid-input', `${out} is a folder: the ${writer.name} format writes one file; name the file`);
  }
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (for paths not made yet). */
async function realpathOfNearest(p: string): Promise<string> {
  const abs = path.resolve(p);
  const rest: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      return path.join(await fsp.realpath(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return abs;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

/**
 * Appends chunks to their files: each file is created (truncated) on its first chunk and appended to
 * after; data is buffered up to FLUSH_BYTES in all, so a long export costs few writes and little memory.
 */
class ChunkSink {
  private readonly buffers = new Map<string, string[]>();
  private readonly created = new Set<string>();
  private buffered = 0;

  constructor(private readonly resolve: (file: string) => string) {}

  get files(): number {
    return new Set([...this.created, ...this.buffers.keys()]).size;
  }

  async add(chunks: OutputChunk[]): Promise<void> {
    for (const chunk of chunks) {
      const target = this.resolve(chunk.file);
      const list = this.buffers.get(target);
      if (list) list.push(chunk.data);
      else this.buffers.set(target, [chunk.data]);
      this.buffered += chunk.data.length;
    }
    if (this.buffered >= FLUSH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    for (const [target, parts] of this.buffers) {
      // Bytes outside the JavaScript heap, freed as soon as written: a joined string of a megabyte would
      // land in the old generation and pile up there, with every flush after it, until a full collection.
      const data = Buffer.concat(parts.map((p) => Buffer.from(p, 'utf8')));
      if (this.created.has(target)) await fsp.appendFile(target, data);
      else {
        await fsp.mkdir(path.dirname(target), { recursive: true });
        await fsp.writeFile(target, data);
        this.created.add(target);
      }
    }
    this.buffers.clear();
    this.buffered = 0;
  }
}

/**
 * Where a chunk's file goes. A folder format: relative to `out`. A single-file format: its suggested file
 * (`writer.defaultOutput`) is `out` itself, any other file goes beside `out`. A format naming an absolute
 * path or one with `..` is a bug, refused.
 */
function chunkTarget(writer: FormatWriter, out: string): (file: string) => string {
  return (file) => {
    const parts = file.split(/[\\/]/);
    if (path.isAbsolute(file) || /^[A-Za-z]:/.test(file) || parts.includes('..') || file === '') {
      throw new Error(`format ${writer.name} asked to write outside its output: ${JSON.stringify(file)}`);
    }
    if (writesFolder(writer)) return path.join(out, ...parts);
    return file === writer.defaultOutput ? out : path.join(path.dirname(out), ...parts);
  };
}

/**
 * Export the workspace with `writer` to `out` (a folder for folder formats, else a file; parent folders
 * are created). Documents are read one at a time through the workspace (so annotations that moved with
 * their text are found again first) and handed to the writer in index order: all of them or only those
 * marked done, only the chosen labels (relations losing an end go too), and pending suggestions only when
 * asked. Annotations no longer matching their text are left out and reported. Unknown labels in
 * `options.labels` and an output inside the corpus folder are refused (ApiError) before anything is written.
 */
export async function exportWorkspace(
  ws: Workspace,
  writer: FormatWriter,
  out: string,
  options: ExportOptions,
  onProgress?: Progress,
): Promise<ExportSummary> {
  const location = path.resolve(out);
  const schema = ws.store.workspace.labels;
  const unknown = (options.labels ?? []).filter((l) => !schema.some((d) => d.name === l));
  if (unknown.length > 0) throw new ApiError('invalid-input', `Unknown label${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  await checkTarget(ws, writer, location);

  const chosen = options.labels ? new Set(options.labels) : null;
  const problems: FormatProblem[] = [];
  const ctx: ExportContext = {
    labels: chosen ? schema.filter((l) => chosen.has(l.name)) : schema,
    report: (problem) => void problems.push(problem),
  };
  const entries = ws.store.workspace.documents.filter((d) => options.documents === 'all' || d.status === 'done').map((d) => d.id);
  const sink = new ChunkSink(chunkTarget(writer, location));
  // A folder export leaves its (possibly empty) folder behind even when no document is written.
  if (writesFolder(writer)) await fsp.mkdir(location, { recursive: true });
  let documents = 0;
  let annotations = 0;
  await sink.add(writer.begin?.(ctx) ?? []);
  for (const [i, docId] of entries.entries()) {
    const loaded = await ws.loadForExport(docId).catch((err: Error) => err);
    if (loaded instanceof Error) {
      problems.push({ file: ws.store.workspace.documents.find((d) => d.id === docId)?.path ?? docId, reason: `not exported: ${loaded.message}` });
      onProgress?.(i + 1, entries.length);
      continue;
    }
    const { entry, text, orphans, relations } = loaded;
    if (orphans.length > 0) {
      problems.push({ file: entry.path, reason: `${orphans.length} annotation${orphans.length > 1 ? 's' : ''} no longer matching the text left out` });
    }
    const doc = selectForExport(
      {
        id: entry.id,
        path: entry.path,
        text,
        meta: { title: entry.title, dct: entry.dct, status: entry.status ?? 'new' },
        annotations: loaded.annotations,
        relations,
      },
      options,
    );
    let chunks: OutputChunk[];
    try {
      chunks = writer.document(doc, documents, ctx);
    } catch (err) {
      problems.push({ file: entry.path, reason: `not exported: ${(err as Error).message}` });
      onProgress?.(i + 1, entries.length);
      continue;
    }
    await sink.add(chunks);
    documents++;
    annotations += doc.annotations.length;
    onProgress?.(i + 1, entries.length);
  }
  await sink.add(writer.end?.(ctx) ?? []);
  await sink.flush();
  return { documents, annotations, files: sink.files, problems, location };
}

/** What `readInputs` read: the files (paths relative to what was named) and those it could not read. */
export interface Inputs {
  files: InputFile[];
  problems: FormatProblem[];
  /** Whether the input named was a single file (else a folder). */
  single: boolean;
}

const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Decoded text of an input file: like an article (decode.ts), except that an empty file is simply empty. */
function decodeInput(bytes: Uint8Array): { ok: true; text: string } | { ok: false; reason: string } {
  const decoded = decodeBytes(bytes);
  if (decoded.ok) return decoded;
  // An empty .ann file is a document without annotations, not an error.
  if (decoded.reason.startsWith('empty')) return { ok: true, text: new TextDecoder().decode(bytes).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n') };
  return decoded;
}

/**
 * Read an import's input: a file (read whatever its name), or a folder and its subfolders (hidden ones
 * left out), taking only the files `reader.accepts`, in natural path order. Each file is decoded as an
 * article is (BOMs, UTF-16, Windows-1252 fallback, line ends to LF). Unreadable files are problems.
 * Throws ApiError('not-found') when the input does not exist.
 */
export async function readInputs(input: string, reader: { accepts(path: string): boolean }): Promise<Inputs> {
  const abs = path.resolve(input);
  const st = await fsp.stat(abs).catch(() => null);
  if (!st) throw new ApiError('not-found', `${input} does not exist`);
  const files: InputFile[] = [];
  const problems: FormatProblem[] = [];
  const read = async (file: string, rel: string) => {
    try {
      const decoded = decodeInput(await fsp.readFile(file));
      if (decoded.ok) files.push({ path: rel, content: decoded.text });
      else problems.push({ file: rel, reason: decoded.reason });
    } catch (err) {
      problems.push({ file: rel, reason: `unreadable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
    }
  };
  if (!st.isDirectory()) {
    await read(abs, path.basename(abs));
    return { files, problems, single: true };
  }
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = await fsp.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => naturalOrder.compare(a.name, b.name) || (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const child = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(child, childRel);
      else if ((entry.isFile() || entry.isSymbolicLink()) && reader.accepts(childRel)) await read(child, childRel);
    }
  };
  await walk(abs, '');
  return { files, problems, single: false };
}
