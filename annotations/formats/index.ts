// The registry of dataset formats: writers and readers by name, and a guess of an input's format. Pure.
import * as brat from './brat.ts';
import * as conll from './conll.ts';
import * as doccano from './doccano.ts';
import * as eventsCsv from './events-csv.ts';
import * as gloss from './gloss-jsonl.ts';
import * as gold from './gold.ts';
import * as labelstudio from './labelstudio.ts';
import * as spacy from './spacy.ts';
import * as w3c from './w3c.ts';
import type { FormatReader, FormatWriter, InputFile } from './types.ts';

/** Every export format, by the name used on the command line and in the menus, in menu order. */
export const writers: Readonly<Record<string, FormatWriter>> = Object.freeze(
  Object.fromEntries(
    [gloss.writer, brat.writer, doccano.writer, conll.writer, spacy.writer, labelstudio.writer, w3c.writer, eventsCsv.writer].map((w) => [w.name, w]),
  ),
);

/** Every import format, by name. */
export const readers: Readonly<Record<string, FormatReader>> = Object.freeze(
  Object.fromEntries([gloss.reader, gold.reader, brat.reader, doccano.reader, labelstudio.reader, conll.reader].map((r) => [r.name, r])),
);

const has = (record: Readonly<Record<string, unknown>>, name: string): boolean => Object.prototype.hasOwnProperty.call(record, name);

/** The writer called `name`, or null. */
export function writerFor(name: string): FormatWriter | null {
  return has(writers, name) ? writers[name] : null;
}

/** The reader called `name`, or null. */
export function readerFor(name: string): FormatReader | null {
  return has(readers, name) ? readers[name] : null;
}

/** The first non-blank line of a text. */
function firstLine(content: string): string {
  const lines = content.split('\n');
  return lines.find((l) => l.trim() !== '') ?? '';
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** What a JSON Lines record looks like. */
function sniffRecord(first: Record<string, unknown>): string | null {
  if ('offsetUnit' in first) return 'gloss';
  if (gold.looksLikeGold(first)) return 'gold';
  if (typeof first.text === 'string' && ('entities' in first || 'label' in first)) return 'doccano';
  return null;
}

/** What a whole JSON document looks like. */
function sniffJson(value: unknown): string | null {
  const task = Array.isArray(value) ? value[0] : value;
  if (isObject(task) && isObject(task.data) && ('annotations' in task || 'predictions' in task)) return 'labelstudio';
  return null;
}

/** What one file looks like, by its name, else (for a name that says nothing) by its content; null when nothing fits. */
function sniff(file: InputFile): string | null {
  const name = file.path.toLowerCase();
  if (name.endsWith('.ann')) return 'brat';
  if (/\.(conll|bio|iob|iob2)$/.test(name)) return 'conll';
  if (/\.(txt|md)$/.test(name)) return null;
  const first = parse(firstLine(file.content));
  if (/\.(jsonl|ndjson)$/.test(name)) return isObject(first) ? sniffRecord(first) : null;
  if (name.endsWith('.json')) return sniffJson(parse(file.content));
  return (isObject(first) ? sniffRecord(first) : null) ?? sniffJson(parse(file.content));
}

/**
 * Guess the import format of some input files (a file the user named, or a folder's files): the first
 * file that looks like a format with a registered reader decides. Null when none does.
 */
export function detectFormat(files: InputFile[]): string | null {
  for (const file of files) {
    const name = sniff(file);
    if (name && readerFor(name)) return name;
  }
  return null;
}
