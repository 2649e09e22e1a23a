// `gloss suggest INPUT --out OUT.jsonl`: runs the suggestion engines over a folder, a Gloss JSONL file or a gold file and writes pending suggestions as Gloss JSONL;
// `gloss suggest FOLDER --apply` stores them as pending suggestions in the folder's workspace.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { contextOf } from '../annotations/anchors.ts';
import { decodeBytes } from '../annotations/corpus/decode.ts';
import { documentIdFor, readDocument, scanCorpus } from '../annotations/corpus/scan.ts';
import { titleOf } from '../annotations/corpus/metadata.ts';
import { documentLine, reader as glossReader } from '../annotations/formats/gloss-jsonl.ts';
import { reader as goldReader } from '../annotations/formats/gold.ts';
import { detectFormat } from '../annotations/formats/index.ts';
import { readInputs } from '../annotations/formats/io.ts';
import type { FormatProblem, InputFile } from '../annotations/formats/types.ts';
import type { Annotation } from '../annotations/model.ts';
import { CodePointIndex } from '../annotations/offsets.ts';
import { suggest, type KnownName, type Suggestion } from '../annotations/suggestions/index.ts';
import { printable, progressPrinter } from './workspace.ts';

/** Author recorded on suggested annotations. */
export const SUGGEST_AUTHOR = 'gloss-suggest';

/** Labels whose accepted annotations teach the entity engine the corpus's own names. */
const ENTITY_LABELS = new Set(['PERSON', 'ORG', 'LOCATION']);

/** One document to run the engines over. */
interface SuggestInput {
  id: string;
  path: string;
  text: string;
  dct: string | null;
  title: string;
  /** Annotations the input already has (label and code point span), so they are not proposed again. */
  existing: Array<{ label: string; start: number; end: number }>;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * A stable id for a suggestion: label and span (code points), so suggesting again and importing again
 * replaces instead of doubling.
 */
export function suggestionId(s: Pick<Suggestion, 'label' | 'start' | 'end'>): string {
  return `sug-${s.label}-${s.start}-${s.end}`.slice(0, 64);
}

/** A suggestion as a pending annotation with its provenance (`source`: engine@version) and context. */
export function toPendingAnnotation(text: string, s: Suggestion, now: string, index: CodePointIndex): Annotation {
  const { prefix, suffix } = contextOf(text, s.start, s.end, index);
  return {
    id: suggestionId(s),
    label: s.label,
    start: s.start,
    end: s.end,
    text: s.text,
    prefix,
    suffix,
    author: SUGGEST_AUTHOR,
    created: now,
    modified: now,
    ...(Object.keys(s.attrs).length > 0 ? { attrs: s.attrs } : {}),
    // The same provenance the app records: "suggest:" + engine@version, and the engine's confidence.
    source: `suggest:${s.engine}`,
    score: Math.round(Math.min(1, Math.max(0, s.score)) * 1000) / 1000,
    pending: true,
  };
}

/**
 * `--apply`: run the engines over every article of an opened workspace and store what they propose as
 * pending suggestions (the workspace leaves out what is annotated already or was rejected), learning
 * the corpus's entity names. Returns the counts per label.
 */
async function applyToWorkspace(folder: string, labels: string[] | undefined): Promise<{ docs: number; byLabel: Map<string, number>; total: number }> {
  const { openWorkspace } = await import('./workspace.ts');
  const ws = await openWorkspace(folder);
  const byLabel = new Map<string, number>();
  let total = 0;
  const progress = progressPrinter('suggested');
  try {
    const documents = ws.view().documents;
    for (const [i, entry] of documents.entries()) {
      const { text, entry: current } = await ws.load(entry.id);
      const found = suggest(text, { dct: current.dct, known: ws.knownNames() }).filter((s) => !labels || labels.includes(s.label));
      const stored = await ws.addSuggestions(entry.id, found);
      for (const a of stored) byLabel.set(a.label, (byLabel.get(a.label) ?? 0) + 1);
      total += stored.length;
      progress(i + 1, documents.length);
    }
    return { docs: documents.length, byLabel, total };
  } finally {
    await ws.close();
  }
}

/** The articles of a folder, as the app scans them (dct: the detected publication date). */
async function fromFolder(folder: string): Promise<{ docs: SuggestInput[]; problems: FormatProblem[] }> {
  const scan = await scanCorpus(folder);
  const docs: SuggestInput[] = [];
  const problems: FormatProblem[] = scan.skipped.map((s) => ({ file: s.path, reason: `not read: ${s.reason}` }));
  for (const entry of scan.documents) {
    try {
      const { text } = await readDocument(folder, entry.path);
      docs.push({ id: entry.id, path: entry.path, text, dct: entry.dct, title: entry.title, existing: [] });
    } catch (err) {
      problems.push({ file: entry.path, reason: `not read: ${(err as Error).message}` });
    }
  }
  return { docs, problems };
}

/** The article texts a gold file names: from --texts, else ../seeds beside the gold's folder, else beside the gold file. */
async function goldTexts(goldFile: string, files: InputFile[], textsDir: string | undefined): Promise<InputFile[]> {
  const dir = path.dirname(path.resolve(goldFile));
  const dirs = textsDir !== undefined ? [path.resolve(textsDir)] : [path.join(dir, '..', 'seeds'), dir];
  const docs = new Set<string>();
  for (const f of files) {
    for (const raw of f.content.split('\n')) {
      try {
        const value = JSON.parse(raw) as { doc?: unknown };
        if (typeof value.doc === 'string') docs.add(value.doc);
      } catch {
        // Reported by the gold reader.
      }
    }
  }
  const out: InputFile[] = [];
  for (const doc of docs) {
    // A gold line names an article; it must stay inside the folder it is looked up in.
    if (path.isAbsolute(doc) || doc.split(/[\\/]/).includes('..')) continue;
    for (const d of dirs) {
      const bytes = await fsp.readFile(path.join(d, ...doc.split('/'))).catch(() => null);
      const decoded = bytes && decodeBytes(bytes);
      if (decoded?.ok) {
        out.push({ path: doc, content: decoded.text });
        break;
      }
    }
  }
  return out;
}

/** The documents of a Gloss JSONL or gold file (the format is told by its first line). */
async function fromFile(file: string, textsDir: string | undefined): Promise<{ docs: SuggestInput[]; problems: FormatProblem[]; known: KnownName[] }> {
  const inputs = await readInputs(file, { accepts: () => true });
  const format = detectFormat(inputs.files);
  if (format !== 'gloss' && format !== 'gold') {
    throw new Error(`${file} is neither a folder, a Gloss JSONL file nor a gold file`);
  }
  const known: KnownName[] = [];
  const docs: SuggestInput[] = [];
  if (format === 'gold') {
    const texts = await goldTexts(file, inputs.files, textsDir);
    const { documents, problems } = goldReader.read([...inputs.files, ...texts]);
    for (const d of documents) {
      const p = d.path ?? `${d.origin.file}-${d.origin.line}.txt`;
      // The gold's own annotations are what suggestions are scored against: never shown to the engines.
      docs.push({ id: documentIdFor(p), path: p, text: d.text, dct: d.meta?.dct ?? null, title: titleOf(d.text), existing: [] });
    }
    return { docs, problems: [...inputs.problems, ...problems], known };
  }
  const { documents, problems } = glossReader.read(inputs.files);
  for (const d of documents) {
    const p = d.path ?? `imported/${d.origin.line}.txt`;
    const accepted = d.annotations.filter((a) => !a.pending);
    for (const a of accepted) {
      if (!ENTITY_LABELS.has(a.label)) continue;
      const name = a.text ?? [...d.text].slice(a.start, a.end).join('');
      const entity = a.attrs?.entity;
      known.push({ label: a.label, name, ...(typeof entity === 'string' ? { entityId: entity } : {}) });
    }
    docs.push({
      id: d.id ?? documentIdFor(p),
      path: p,
      text: d.text.replace(/\r\n?/g, '\n'),
      dct: d.meta?.dct ?? null,
      title: d.meta?.title ?? titleOf(d.text),
      existing: d.annotations.map((a) => ({ label: a.label, start: a.start, end: a.end })),
    });
  }
  return { docs, problems: [...inputs.problems, ...problems], known: dedupeKnown(known) };
}

/** One entry per label and name. */
function dedupeKnown(known: KnownName[]): KnownName[] {
  const seen = new Map<string, KnownName>();
  for (const k of known) if (!seen.has(`${k.label}\u0000${k.name}`)) seen.set(`${k.label}\u0000${k.name}`, k);
  return [...seen.values()];
}

/**
 * Runs `gloss suggest` and returns the exit code: 0 when written (unreadable files and bad lines listed
 * on stderr), 1 when the input or the output is wrong, 2 for a usage error.
 */
export async function runSuggest(args: string[], usage: string): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { out: { type: 'string' }, texts: { type: 'string' }, labels: { type: 'string' }, apply: { type: 'boolean' } },
      allowPositionals: true,
    });
  } catch (err) {
    process.stderr.write(`gloss: ${(err as Error).message}\n\n${usage}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || (values.out === undefined) === !values.apply) {
    process.stderr.write(`gloss: suggest takes one folder or JSONL file and either --out FILE or (a folder) --apply\n\n${usage}\n`);
    return 2;
  }
  const input = positionals[0];
  const st = await fsp.stat(input).catch((err: NodeJS.ErrnoException) => err);
  if (st instanceof Error) {
    process.stderr.write(`gloss: cannot read ${printable(input)}: ${st.code ?? st.message}\n`);
    return 1;
  }
  const labels = values.labels?.split(',').map((l) => l.trim()).filter((l) => l !== '');
  if (values.apply) {
    if (!st.isDirectory()) {
      process.stderr.write(`gloss: --apply stores suggestions in a folder's workspace: ${printable(input)} is not a folder\n`);
      return 2;
    }
    const started = performance.now();
    try {
      const { docs, byLabel, total } = await applyToWorkspace(path.resolve(input), labels);
      const counts = [...byLabel.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([l, n]) => `${l} ${n}`);
      process.stdout.write(
        `Stored ${plural(total, 'suggestion', 'suggestions')}${counts.length > 0 ? ` (${counts.join(', ')})` : ''} in ` +
          `${plural(docs, 'document', 'documents')} in ${((performance.now() - started) / 1000).toFixed(1)} s; they wait for review in the app.\n`,
      );
      return 0;
    } catch (err) {
      process.stderr.write(`gloss: ${printable((err as Error).message)}\n`);
      return 1;
    }
  }
  if (values.out === undefined) return 2;
  const out = path.resolve(values.out);
  if ((await fsp.stat(out).catch(() => null))?.isDirectory()) {
    process.stderr.write(`gloss: ${printable(out)} is a folder: name the file to write\n`);
    return 1;
  }
  const started = performance.now();
  let loaded: { docs: SuggestInput[]; problems: FormatProblem[]; known?: KnownName[] };
  try {
    loaded = st.isDirectory() ? await fromFolder(path.resolve(input)) : await fromFile(input, values.texts);
  } catch (err) {
    process.stderr.write(`gloss: ${printable((err as Error).message)}\n`);
    return 1;
  }
  for (const p of loaded.problems) process.stderr.write(`${printable(p.file)}${p.line !== undefined ? `:${p.line}` : ''}: ${printable(p.reason)}\n`);

  const now = new Date().toISOString();
  const byLabel = new Map<string, number>();
  const progress = progressPrinter('suggested');
  let total = 0;
  let handle;
  try {
    await fsp.mkdir(path.dirname(out), { recursive: true });
    handle = await fsp.open(out, 'w');
    for (const [i, doc] of loaded.docs.entries()) {
      const taken = new Set(doc.existing.map((a) => `${a.label}\u0000${a.start}\u0000${a.end}`));
      const found = suggest(doc.text, { dct: doc.dct, known: loaded.known ?? [] }).filter(
        (s) => (!labels || labels.includes(s.label)) && !taken.has(`${s.label}\u0000${s.start}\u0000${s.end}`),
      );
      const index = new CodePointIndex(doc.text);
      const annotations = found.map((s) => toPendingAnnotation(doc.text, s, now, index));
      const line = documentLine({ id: doc.id, path: doc.path, text: doc.text, meta: { title: doc.title, dct: doc.dct, status: 'new' }, annotations, relations: [] });
      await handle.write(line + '\n');
      for (const s of found) byLabel.set(s.label, (byLabel.get(s.label) ?? 0) + 1);
      total += found.length;
      progress(i + 1, loaded.docs.length);
    }
  } catch (err) {
    process.stderr.write(`gloss: cannot write ${printable(out)}: ${printable((err as Error).message)}\n`);
    return 1;
  } finally {
    await handle?.close();
  }
  const counts = [...byLabel.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([l, n]) => `${l} ${n}`);
  process.stdout.write(
    `Suggested ${plural(total, 'annotation', 'annotations')}${counts.length > 0 ? ` (${counts.join(', ')})` : ''} for ` +
      `${plural(loaded.docs.length, 'document', 'documents')} in ${((performance.now() - started) / 1000).toFixed(1)} s; wrote ${printable(out)}.\n`,
  );
  return 0;
}
