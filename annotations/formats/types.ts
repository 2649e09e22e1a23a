// The shapes every dataset format shares: what an exporter is given and writes, what an importer reads
// and returns. Pure: formats turn data into text chunks and back; annotations/formats/io.ts does the files.
import type { Annotation, DocumentStatus, LabelDef, Relation } from '../model.ts';

/** One document as exporters see it. Offsets are code points into `text` (LF line endings). */
export interface ExportDocument {
  id: string;
  /** Path relative to the corpus folder, forward slashes. */
  path: string;
  text: string;
  meta: {
    title: string;
    /** Publication date YYYY-MM-DD, when known. */
    dct: string | null;
    status: DocumentStatus;
  };
  /** Sorted by start, then end, then id. */
  annotations: Annotation[];
  relations: Relation[];
}

/** What every format may need besides the documents. */
export interface ExportContext {
  labels: LabelDef[];
  /** Tell the user about something the format could not carry (e.g. overlapping spans in CoNLL). */
  report(problem: FormatProblem): void;
}

/** A piece of output: `data` is appended to `file` (a relative path; created on its first chunk). */
export interface OutputChunk {
  file: string;
  data: string;
}

/**
 * An export format. `begin` runs before the first document, `document` once per document in order
 * (`index` counts from 0, for separators), `end` after the last. Each returns the chunks to write; the
 * caller streams them to disk, so a format never holds the whole corpus.
 */
export interface FormatWriter {
  /** Short name used on the command line (`--format NAME`). */
  name: string;
  /** One line for menus and --help. */
  description: string;
  /** The file or folder name suggested for the output (e.g. "corpus.jsonl", "brat/"). A trailing / means a folder. */
  defaultOutput: string;
  begin?(ctx: ExportContext): OutputChunk[];
  document(doc: ExportDocument, index: number, ctx: ExportContext): OutputChunk[];
  end?(ctx: ExportContext): OutputChunk[];
}

/** A file given to an importer: its path (relative to what the user named) and its decoded text. */
export interface InputFile {
  path: string;
  content: string;
}

/** An annotation as read from another format; missing fields are filled in when it is stored. */
export interface ImportedAnnotation {
  id?: string;
  label: string;
  /** Code points. */
  start: number;
  end: number;
  /** The quoted text when the format carries it; checked against the document text. */
  text?: string;
  attrs?: Record<string, unknown>;
  note?: string;
  author?: string;
  created?: string;
  modified?: string;
  source?: string;
  /** The proposing engine's confidence in [0, 1]. */
  score?: number;
  pending?: boolean;
  prefix?: string;
  suffix?: string;
}

/** A document as read from another format. */
export interface ImportedDocument {
  /** Where the article should live in the folder when it is new (relative, forward slashes). */
  path?: string;
  /** Keep the document id of a Gloss JSONL export, so a round trip gives the same workspace. */
  id?: string;
  text: string;
  meta?: { title?: string; dct?: string | null; status?: DocumentStatus };
  annotations: ImportedAnnotation[];
  relations?: Relation[];
  /** Where it came from, for problems: the input file and line (1-based) of the document. */
  origin: { file: string; line?: number };
}

/** Something wrong in the input or something a format cannot carry: file, line and a reason. */
export interface FormatProblem {
  file: string;
  line?: number;
  reason: string;
}

/** An import format: parse the input files into documents; bad parts become problems, never exceptions. */
export interface FormatReader {
  name: string;
  description: string;
  /** Which input files this format reads (others in a folder are ignored). */
  accepts(path: string): boolean;
  read(files: InputFile[]): { documents: ImportedDocument[]; problems: FormatProblem[] };
}

/** Choices when exporting. */
export interface ExportOptions {
  /** All documents, or only those marked done. */
  documents: 'all' | 'done';
  /** Only these labels (all when absent); relations whose ends are left out go too. */
  labels?: string[];
  /** Include suggestions the analyst never accepted (`pending`); default false. */
  includePending?: boolean;
}
