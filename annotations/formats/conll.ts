// CoNLL-2003 style BIO (IOB2) export and import: one token per line, `-DOCSTART-` per document, a blank line
// after each sentence; spans that overlap others go to extra layer files. Pure.
import { LabelDef } from '../model.ts';
import { CodePointIndex, sliceCodePoints } from '../offsets.ts';
import { assignLayers, tokenizeSpans, type Token, type TokenRange } from './tokenize.ts';
import type { ExportContext, ExportDocument, FormatProblem, FormatReader, FormatWriter, ImportedAnnotation, ImportedDocument, InputFile, OutputChunk } from './types.ts';

/** The file holding every document with its non-overlapping layer of spans. */
export const CONLL_MAIN_FILE = 'corpus.conll';

/** The file of extra layer `layer` (1-based counting of layers: the main file is layer 1). */
export function conllLayerFile(layer: number): string {
  return `layer-${layer}.conll`;
}

/** CoNLL-2003's document separator, with its POS, chunk and NER columns. */
const DOCSTART = '-DOCSTART- -X- -X- O';
/** The placeholder POS and chunk columns of every token line (Gloss has neither). */
const PLACEHOLDERS = '-X- -X-';

const LAYER_FILE = /^layer-\d+\.conll$/i;

const quote = (s: string): string => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);

/**
 * Token ranges [from, to) of the sentences to write: the tokenizer's sentences, except that sentences a span
 * runs across are joined, so no entity is cut by a sentence break.
 */
function sentenceGroups(sentenceSizes: number[], ranges: readonly TokenRange[]): Array<[number, number]> {
  const sentenceOf = new Int32Array(sentenceSizes.reduce((a, b) => a + b, 0));
  let t = 0;
  sentenceSizes.forEach((size, s) => sentenceOf.fill(s, t, (t += size)));
  const joinNext = new Uint8Array(sentenceSizes.length);
  for (const r of ranges) {
    if (r.last <= r.first) continue;
    for (let s = sentenceOf[r.first]; s < sentenceOf[r.last - 1]; s++) joinNext[s] = 1;
  }
  const groups: Array<[number, number]> = [];
  let from = 0;
  t = 0;
  sentenceSizes.forEach((size, s) => {
    t += size;
    if (!joinNext[s]) {
      groups.push([from, t]);
      from = t;
    }
  });
  return groups;
}

/** One document in CoNLL lines: the `-DOCSTART-` block, then each sentence followed by a blank line. */
function documentBlock(tokens: readonly Token[], tags: readonly string[], groups: ReadonlyArray<[number, number]>): string {
  const lines = [DOCSTART, ''];
  for (const [from, to] of groups) {
    for (let t = from; t < to; t++) lines.push(`${tokens[t].text} ${PLACEHOLDERS} ${tags[t]}`);
    lines.push('');
  }
  return lines.join('\n') + '\n';
}

/**
 * The CoNLL writer. `corpus.conll` holds every document; when spans overlap, a non-overlapping layer
 * (longest first) goes there and the rest into `layer-2.conll`, `layer-3.conll`, ..., which hold only the
 * documents that need them, in corpus order. Each document that needed them is reported, as is every span
 * that covers no token.
 */
export const writer: FormatWriter = {
  name: 'conll',
  description: 'CoNLL-2003 BIO (IOB2): one token per line, -DOCSTART- per document; overlapping spans in layer files',
  defaultOutput: 'conll/',
  document(doc: ExportDocument, _index: number, ctx: ExportContext): OutputChunk[] {
    const { sentences, tokens, ranges } = tokenizeSpans(doc.text, doc.annotations);
    ranges.forEach((r, i) => {
      if (r.last > r.first) return;
      const a = doc.annotations[i];
      ctx.report({ file: doc.path, reason: `annotation ${a.id} (${a.label}) ${quote(a.text)} covers no token (only whitespace, or empty); left out` });
    });
    const layers = assignLayers(ranges, tokens.length);
    const groups = sentenceGroups(sentences.map((s) => s.tokens.length), ranges);
    const tags: string[][] = [];
    layers.forEach((layer, i) => {
      if (layer < 0) return;
      tags[layer] ??= new Array<string>(tokens.length).fill('O');
      const { first, last } = ranges[i];
      const label = doc.annotations[i].label;
      tags[layer][first] = `B-${label}`;
      for (let t = first + 1; t < last; t++) tags[layer][t] = `I-${label}`;
    });
    const chunks: OutputChunk[] = [{ file: CONLL_MAIN_FILE, data: documentBlock(tokens, tags[0] ?? new Array<string>(tokens.length).fill('O'), groups) }];
    for (let layer = 1; layer < tags.length; layer++) chunks.push({ file: conllLayerFile(layer + 1), data: documentBlock(tokens, tags[layer], groups) });
    if (tags.length > 1) {
      const counts = tags.slice(1).map((_, k) => layers.filter((l) => l === k + 1).length);
      const where = counts.map((n, k) => `${conllLayerFile(k + 2)} (${n})`).join(', ');
      const moved = counts.reduce((a, b) => a + b, 0);
      ctx.report({ file: doc.path, reason: `${moved} of ${doc.annotations.length} annotations overlap others; written to ${where}` });
    }
    return chunks;
  },
};

/** A document being read: its sentences of tokens and its entities as token ranges. */
interface ReadDocument {
  line: number;
  sentences: string[][];
  entities: Array<{ label: string; sentence: number; first: number; last: number }>;
  bad: boolean;
}

/** Per-file reading state: the column count, tags that began an entity with I- or E-. */
interface FileState {
  file: string;
  columns: { count: number; line: number } | null;
  irregular: { count: number; line: number } | null;
  problems: FormatProblem[];
}

const TAG = /^([BIES])-(.+)$/;

/** Read one file into documents (bad ones flagged, their problems recorded). */
function readFile(file: InputFile, state: FileState): ReadDocument[] {
  const docs: ReadDocument[] = [];
  let doc: ReadDocument | null = null;
  let sentence: string[] = [];
  let open: { label: string; first: number } | null = null;
  const close = (upTo: number): void => {
    if (open && doc) doc.entities.push({ label: open.label, sentence: doc.sentences.length, first: open.first, last: upTo });
    open = null;
  };
  const endSentence = (): void => {
    close(sentence.length);
    if (doc && sentence.length > 0) doc.sentences.push(sentence);
    sentence = [];
  };
  const malformed = (line: number, why: string): void => {
    if (!doc) return;
    doc.bad = true;
    state.problems.push({ file: state.file, line, reason: `${why}; the document of line ${doc.line} is not imported` });
  };
  const content = file.content.startsWith('\ufeff') ? file.content.slice(1) : file.content;
  const lines = content.split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    const body = raw.replace(/^[ \t]+|[ \t\r]+$/g, '');
    if (body.trim() === '') {
      endSentence();
      return;
    }
    const cols = body.split(/[ \t]+/);
    if (cols[0] === '-DOCSTART-') {
      endSentence();
      doc = { line, sentences: [], entities: [], bad: false };
      docs.push(doc);
      return;
    }
    if (!doc) {
      doc = { line, sentences: [], entities: [], bad: false };
      docs.push(doc);
    }
    if (cols.length < 2) {
      malformed(line, 'a token line needs a token and a tag');
      return;
    }
    if (!state.columns) state.columns = { count: cols.length, line };
    else if (cols.length !== state.columns.count) {
      malformed(line, `expected ${state.columns.count} columns (as on line ${state.columns.line}), found ${cols.length}`);
      return;
    }
    const tag = cols[cols.length - 1];
    const at = sentence.length;
    sentence.push(cols[0]);
    if (tag === 'O') {
      close(at);
      return;
    }
    const m = TAG.exec(tag);
    if (!m) {
      malformed(line, `tag ${quote(tag)} is not O, or B-, I-, E- or S- and a label`);
      return;
    }
    const [, kind, label] = m;
    if (!LabelDef.shape.name.safeParse(label).success) {
      malformed(line, `label ${quote(label)} is not a label name (letters, digits, _ and -, at most 64)`);
      return;
    }
    const current = open as { label: string; first: number } | null;
    const continues = current !== null && current.label === label && (kind === 'I' || kind === 'E');
    if (!continues) {
      close(at);
      open = { label, first: at };
      if (kind === 'I' || kind === 'E') {
        state.irregular ??= { count: 0, line };
        state.irregular.count++;
      }
    }
    if (kind === 'E' || kind === 'S') close(at + 1);
  });
  endSentence();
  return docs;
}

/** The text of a read document (tokens joined by spaces, sentences by newlines) and its annotations. */
function rebuild(doc: ReadDocument): { text: string; annotations: ImportedAnnotation[] } {
  // UTF-16 offsets of each token while the text is built; code points once it is whole.
  const starts: number[][] = [];
  const ends: number[][] = [];
  let offset = 0;
  const lines = doc.sentences.map((tokens, s) => {
    starts[s] = [];
    ends[s] = [];
    if (s > 0) offset++;
    tokens.forEach((t, i) => {
      if (i > 0) offset++;
      starts[s].push(offset);
      offset += t.length;
      ends[s].push(offset);
    });
    return tokens.join(' ');
  });
  const text = lines.join('\n');
  const index = new CodePointIndex(text);
  const annotations = doc.entities.map((e) => {
    const start = index.toCodePoint(starts[e.sentence][e.first]);
    const end = index.toCodePoint(ends[e.sentence][e.last - 1]);
    return { label: e.label, start, end, text: sliceCodePoints(text, start, end, index) };
  });
  return { text, annotations };
}

/** `dir/stem` of a path, for naming the documents it creates. */
function stemOf(path: string): string {
  return path.replace(/\.[^./]*$/, '');
}

/**
 * The CoNLL reader. Any number of whitespace-separated columns (at least 2): the first is the token, the
 * last the tag (O, B-, I-, and also E-, S- of BIOES). An I- that does not continue an entity of its label
 * begins one (the IOB1 reading, so original CoNLL-2003 files read right; counted in one problem per file).
 * The text is rebuilt: tokens joined by single spaces, sentences by newlines. A document with a malformed
 * line is left out whole, with a problem per bad line. `layer-N.conll` files next to a `corpus.conll` add
 * their spans to the matching documents of that file (same rebuilt text).
 */
export const reader: FormatReader = {
  name: 'conll',
  description: 'CoNLL BIO / IOB2 (also IOB1, BIOES): token first, tag last; -DOCSTART- separates documents',
  accepts: (path) => /\.(conll|bio|iob|iob2)$/i.test(path),
  read(files: InputFile[]): { documents: ImportedDocument[]; problems: FormatProblem[] } {
    const problems: FormatProblem[] = [];
    const byFile = new Map<string, ImportedDocument[]>();
    for (const file of files) {
      const state: FileState = { file: file.path, columns: null, irregular: null, problems };
      const docs = readFile(file, state);
      if (state.irregular) {
        problems.push({
          file: file.path,
          line: state.irregular.line,
          reason: `${state.irregular.count} entities begin with I- or E- rather than B- (read as IOB1: such a tag after O or another label begins an entity)`,
        });
      }
      const width = Math.max(3, String(docs.length).length);
      const out: ImportedDocument[] = [];
      docs.forEach((d, i) => {
        if (d.bad) return;
        if (d.sentences.length === 0) {
          problems.push({ file: file.path, line: d.line, reason: 'document has no tokens; not imported' });
          return;
        }
        const { text, annotations } = rebuild(d);
        out.push({ path: `${stemOf(file.path)}-${String(i + 1).padStart(width, '0')}.txt`, text, annotations, origin: { file: file.path, line: d.line } });
      });
      byFile.set(file.path, out);
    }
    const documents: ImportedDocument[] = [];
    for (const [path, docs] of byFile) {
      const dir = path.slice(0, path.lastIndexOf('/') + 1);
      const main = LAYER_FILE.test(path.slice(dir.length)) ? byFile.get(dir + CONLL_MAIN_FILE) : undefined;
      if (!main) {
        documents.push(...docs);
        continue;
      }
      let next = 0;
      for (const d of docs) {
        let k = next;
        while (k < main.length && main[k].text !== d.text) k++;
        if (k === main.length) {
          problems.push({ file: path, line: d.origin.line, reason: `document matches no document of ${CONLL_MAIN_FILE}; imported as a document of its own` });
          documents.push(d);
          continue;
        }
        main[k].annotations.push(...d.annotations);
        main[k].annotations.sort((a, b) => a.start - b.start || a.end - b.end);
        next = k + 1;
      }
    }
    return { documents, problems };
  },
};
