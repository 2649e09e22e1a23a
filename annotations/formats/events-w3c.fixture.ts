// The small workspace the format tests export (emoji, Arabic with diacritics, a combining accent, CRLF input,
// overlapping and nested spans, attributes, relations, a note, a pending suggestion) and a writer runner.
import type { Annotation, Relation } from '../model.ts';
import { CodePointIndex } from '../offsets.ts';
import type { ExportContext, ExportDocument, FormatProblem, FormatWriter } from './types.ts';
import { selectForExport } from './select.ts';
import type { LabelDef } from '../model.ts';

const STAMP = { author: 'Analyst One', created: '2024-05-01T09:30:00.000Z', modified: '2024-05-02T10:00:00.000Z' };

/** The code point offsets of the `nth` occurrence (0-based) of `quote` in `text`. */
export function spanOf(text: string, quote: string, nth = 0): { start: number; end: number } {
  let u16 = -1;
  for (let i = 0; i <= nth; i++) {
    u16 = text.indexOf(quote, u16 + 1);
    if (u16 < 0) throw new Error(`"${quote}" #${nth} not in text`);
  }
  const index = new CodePointIndex(text);
  const start = index.toCodePoint(u16);
  return { start, end: start + Array.from(quote).length };
}

function annotate(text: string, id: string, label: string, quote: string, extra: Partial<Annotation> = {}, nth = 0): Annotation {
  return { id, label, ...spanOf(text, quote, nth), text: quote, ...STAMP, ...extra };
}

const byStart = (a: Annotation, b: Annotation) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1);
const rel = (id: string, type: string, from: string, to: string): Relation => ({ id, type, from, to });

// Written with CRLF as the file had it; Gloss normalises line endings before anything is stored.
const RAQQA_FILE = [
  'Coalition strikes hit Raqqa 🇸🇾 on 29 August, 2017.',
  'The US-led coalition said an airstrike killed eight civilians, including "three children", near al-Raqqa.',
  'Residents of الرَّقَّة reported 12 to 15 wounded 😢 after the strike.',
  'Cafe\u0301 owner Jose\u0301 said: "fighters of IS attacked a checkpoint, then fled".',
  '',
].join('\r\n');
const RAQQA = RAQQA_FILE.replace(/\r\n/g, '\n');

const raqqa: ExportDocument = {
  id: 'd0a1b2c3d4e5f6a7b',
  path: '2017/raqqa "strike", part 1.txt',
  text: RAQQA,
  meta: { title: 'Strike on "Raqqa", 30 August', dct: '2017-08-30', status: 'done' },
  annotations: [
    annotate(RAQQA, 'a-date', 'DATE', '29 August, 2017', { attrs: { value: '2017-08-29' } }),
    annotate(RAQQA, 'a-loc0', 'LOCATION', 'Raqqa'),
    annotate(RAQQA, 'a-org', 'ORG', 'US-led coalition'),
    annotate(RAQQA, 'a-ev1', 'EVENT', 'airstrike', { attrs: { type: 'airstrike', confirmed: true } }),
    // Same span, another label: overlapping annotations.
    annotate(RAQQA, 'a-weap', 'WEAPON', 'airstrike'),
    annotate(RAQQA, 'a-cas', 'CASUALTIES', 'eight civilians, including "three children"', {
      attrs: { low: 8, high: 8, approx: false, group: 'civilians', outcome: 'killed' },
    }),
    // Nested inside a-cas.
    annotate(RAQQA, 'a-cas-kids', 'CASUALTIES', 'three children', {
      attrs: { low: 3, high: 3, approx: false, group: 'children', outcome: 'killed' },
    }),
    annotate(RAQQA, 'a-loc1', 'LOCATION', 'al-Raqqa'),
    annotate(RAQQA, 'a-loc2', 'LOCATION', 'الرَّقَّة'),
    annotate(RAQQA, 'a-inj', 'CASUALTIES', '12 to 15 wounded', {
      attrs: { low: 12, high: 15, approx: false, group: 'people', outcome: 'injured' },
    }),
    annotate(RAQQA, 'a-pending', 'EVENT', 'reported', { pending: true, source: 'suggest:events', author: 'suggest' }),
    annotate(RAQQA, 'a-jose', 'PERSON', 'Jose\u0301', { note: 'Owner of the café, "eyewitness"; quoted twice\nsecond line' }),
    annotate(RAQQA, 'a-is', 'ORG', 'IS'),
    annotate(RAQQA, 'a-ev2', 'EVENT', 'attacked', { attrs: { type: 'attack' } }),
  ].sort(byStart),
  relations: [
    rel('r1', 'time', 'a-ev1', 'a-date'),
    rel('r2', 'actor', 'a-ev1', 'a-org'),
    rel('r3', 'place', 'a-ev1', 'a-loc1'),
    rel('r4', 'place', 'a-ev1', 'a-loc2'),
    rel('r5', 'victims', 'a-ev1', 'a-cas'),
    rel('r6', 'victims', 'a-ev1', 'a-inj'),
    rel('r7', 'weapon', 'a-ev1', 'a-weap'),
    // Drawn from the actor to the event: either direction links.
    rel('r8', 'actor', 'a-is', 'a-ev2'),
    rel('r9', 'victims', 'a-pending', 'a-inj'),
  ],
};

const BAGHUZ = [
  'Clashes in Baghuz during the week of 4 March 2019 killed dozens of fighters.',
  'قُتِلَ 5 مدنيين في الباغوز.',
  '',
].join('\n');

const baghuz: ExportDocument = {
  id: 'd1111222233334444',
  path: '2019/baghuz.txt',
  text: BAGHUZ,
  meta: { title: 'Baghuz, week 10', dct: null, status: 'in-progress' },
  annotations: [
    annotate(BAGHUZ, 'b-ev1', 'EVENT', 'Clashes', { attrs: { type: 'battle' } }),
    annotate(BAGHUZ, 'b-loc1', 'LOCATION', 'Baghuz'),
    annotate(BAGHUZ, 'b-date', 'DATE', 'the week of 4 March 2019', { attrs: { value: '2019-W10' } }),
    annotate(BAGHUZ, 'b-cas1', 'CASUALTIES', 'dozens of fighters', {
      attrs: { low: null, high: null, approx: true, group: 'fighters', outcome: 'killed' },
    }),
    annotate(BAGHUZ, 'b-ev2', 'EVENT', 'قُتِلَ', { attrs: { type: 'killing' } }),
    annotate(BAGHUZ, 'b-cas2', 'CASUALTIES', '5 مدنيين', {
      attrs: { low: 5, high: 5, approx: false, group: 'civilians', outcome: 'killed' },
    }),
    annotate(BAGHUZ, 'b-loc2', 'LOCATION', 'الباغوز'),
  ].sort(byStart),
  relations: [
    rel('s1', 'time', 'b-ev1', 'b-date'),
    rel('s2', 'place', 'b-ev1', 'b-loc1'),
    rel('s3', 'victims', 'b-ev1', 'b-cas1'),
    rel('s4', 'victims', 'b-ev2', 'b-cas2'),
    rel('s5', 'place', 'b-ev2', 'b-loc2'),
  ],
};

const empty: ExportDocument = {
  id: 'd9999888877776666',
  path: 'notes/empty.txt',
  text: 'Nothing annotated here.\n',
  meta: { title: 'Empty', dct: '2019-03-12', status: 'new' },
  annotations: [],
  relations: [],
};

/** The fixture documents, every annotation included (pending ones too). */
export function fixtureDocuments(): ExportDocument[] {
  return structuredClone([raqqa, empty, baghuz]);
}

/**
 * The documents as an export with default choices hands them to a writer: suggestions never accepted
 * are left out, and so are the relations that lose an end with them.
 */
export function defaultSelection(docs: ExportDocument[]): ExportDocument[] {
  return docs.map((d) => selectForExport(d, {}));
}

/** What an export produced: each file's whole text, and the problems reported. */
export interface ExportRun {
  files: Map<string, string>;
  problems: FormatProblem[];
}

/** Run a writer over documents the way the export driver does (begin, each document, end), in memory. */
export function runWriter(writer: FormatWriter, docs: ExportDocument[], labels: LabelDef[] = []): ExportRun {
  const files = new Map<string, string>();
  const problems: FormatProblem[] = [];
  const ctx: ExportContext = { labels, report: (p) => void problems.push(p) };
  const add = (chunks: { file: string; data: string }[] | undefined) => {
    for (const c of chunks ?? []) files.set(c.file, (files.get(c.file) ?? '') + c.data);
  };
  add(writer.begin?.(ctx));
  docs.forEach((doc, i) => add(writer.document(doc, i, ctx)));
  add(writer.end?.(ctx));
  return { files, problems };
}
