// The small workspace the brat, doccano and Label Studio tests export and import again: an emoji (inside
// a span and before others), Arabic with diacritics, combining accents, text that came from CRLF input,
// a span across a line break, overlapping and nested spans, attributes (numbers, strings with spaces,
// true, false, null), relations, a note and a pending suggestion with a relation of its own.
import { execFileSync } from 'node:child_process';
import type { Annotation, LabelDef, Relation } from '../model.ts';
import { CodePointIndex, sliceCodePoints } from '../offsets.ts';
import type { ExportDocument, FormatProblem, FormatWriter, ImportedDocument, InputFile } from './types.ts';
import { runWriter as runShared, type ExportRun } from './events-w3c.fixture.ts';

/** The label schema of the fixture workspace (Gloss's default labels). */
export const LABELS: LabelDef[] = [
  { name: 'PERSON', key: '1', color: '#E69F00', description: '' },
  { name: 'ORG', key: '2', color: '#56B4E9', description: '' },
  { name: 'LOCATION', key: '3', color: '#009E73', description: '' },
  { name: 'DATE', key: '4', color: '#F0E442', description: '' },
  { name: 'CASUALTIES', key: '5', color: '#D55E00', description: '' },
  { name: 'WEAPON', key: '6', color: '#0072B2', description: '' },
  { name: 'EVENT', key: '7', color: '#CC79A7', description: '' },
];

const STAMP = { author: 'Analyst One', created: '2024-05-01T09:30:00.000Z', modified: '2024-05-02T10:00:00.000Z' };

/** The code point span of the `nth` (0-based) occurrence of `quote` in `text`. */
export function spanOf(text: string, quote: string, nth = 0): { start: number; end: number } {
  let u16 = -1;
  for (let i = 0; i <= nth; i++) {
    u16 = text.indexOf(quote, u16 + 1);
    if (u16 < 0) throw new Error(`${JSON.stringify(quote)} #${nth} is not in the text`);
  }
  const start = new CodePointIndex(text).toCodePoint(u16);
  return { start, end: start + [...quote].length };
}

const annotate = (text: string, id: string, label: string, quote: string, extra: Partial<Annotation> = {}): Annotation => ({
  id,
  label,
  ...spanOf(text, quote),
  text: quote,
  ...STAMP,
  ...extra,
});
const byPosition = (a: { start: number; end: number; id: string }, b: { start: number; end: number; id: string }) =>
  a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const rel = (id: string, type: string, from: string, to: string): Relation => ({ id, type, from, to });

// The article file had CRLF line ends; Gloss stores the text with LF.
const RAQQA_FILE = [
  'Coalition airstrike hit Raqqa 🇸🇾 on 29 August, 2017.',
  'The US-led coalition said the strike killed eight civilians, including "three children".',
  'Residents of الرَّقَّة reported 12 wounded 😢 near the old',
  'bridge. Cafe\u0301 owner Jose\u0301 said fighters of IS attacked a checkpoint.',
  '',
].join('\r\n');
const RAQQA = RAQQA_FILE.replace(/\r\n/g, '\n');

const raqqa: ExportDocument = {
  id: 'd0a1b2c3d4e5f6a7',
  path: '2017/raqqa.txt',
  text: RAQQA,
  meta: { title: 'Coalition airstrike hit Raqqa 🇸🇾 on 29 August, 2017.', dct: '2017-08-30', status: 'done' },
  annotations: [
    annotate(RAQQA, 'a-ev1', 'EVENT', 'airstrike', { attrs: { type: 'airstrike', confirmed: true } }),
    annotate(RAQQA, 'a-weap', 'WEAPON', 'airstrike'),
    annotate(RAQQA, 'a-loc0', 'LOCATION', 'Raqqa'),
    annotate(RAQQA, 'a-date', 'DATE', '29 August, 2017', { attrs: { value: '2017-08-29' } }),
    annotate(RAQQA, 'a-org', 'ORG', 'US-led coalition'),
    annotate(RAQQA, 'a-cas', 'CASUALTIES', 'eight civilians, including "three children"', {
      attrs: { low: 8, high: 8, approx: false, group: 'civilians', outcome: 'killed' },
    }),
    annotate(RAQQA, 'a-kids', 'CASUALTIES', 'three children', { attrs: { low: 3, high: null, group: 'children', outcome: 'killed' } }),
    annotate(RAQQA, 'a-loc1', 'LOCATION', 'الرَّقَّة'),
    annotate(RAQQA, 'a-pending', 'EVENT', 'reported', { pending: true, source: 'suggest:events', author: 'suggest' }),
    annotate(RAQQA, 'a-inj', 'CASUALTIES', '12 wounded 😢', { attrs: { low: 12, group: 'residents of the city', outcome: 'injured' } }),
    annotate(RAQQA, 'a-bridge', 'LOCATION', 'the old\nbridge'),
    annotate(RAQQA, 'a-jose', 'PERSON', 'Jose\u0301', { note: 'Café owner; eyewitness, "quoted twice"' }),
    annotate(RAQQA, 'a-is', 'ORG', 'IS'),
    annotate(RAQQA, 'a-ev2', 'EVENT', 'attacked', { attrs: { type: 'attack' } }),
  ].sort(byPosition),
  relations: [
    rel('r-time', 'time', 'a-ev1', 'a-date'),
    rel('r-actor', 'actor', 'a-ev1', 'a-org'),
    rel('r-place', 'place', 'a-ev1', 'a-loc0'),
    rel('r-victims', 'victims', 'a-ev1', 'a-cas'),
    rel('r-weapon', 'weapon', 'a-ev1', 'a-weap'),
    rel('r-actor2', 'actor', 'a-ev2', 'a-is'),
    rel('r-pending', 'victims', 'a-pending', 'a-inj'),
  ],
};

const BAGHUZ = ['Clashes in Baghuz killed dozens of fighters, a café owner said.', 'قُتِلَ 5 مدنيين في الباغوز.', ''].join('\n');

const baghuz: ExportDocument = {
  id: 'd1111222233334444',
  path: '2019/baghuz.md',
  text: BAGHUZ,
  meta: { title: 'Clashes in Baghuz killed dozens of fighters, a café owner said.', dct: null, status: 'in-progress' },
  annotations: [
    annotate(BAGHUZ, 'b-ev1', 'EVENT', 'Clashes', { attrs: { type: 'battle' } }),
    annotate(BAGHUZ, 'b-loc1', 'LOCATION', 'Baghuz'),
    annotate(BAGHUZ, 'b-cas1', 'CASUALTIES', 'dozens of fighters', { attrs: { low: null, approx: true, group: 'fighters' } }),
    annotate(BAGHUZ, 'b-ev2', 'EVENT', 'قُتِلَ', { attrs: { type: 'killing' } }),
    annotate(BAGHUZ, 'b-cas2', 'CASUALTIES', '5 مدنيين', { attrs: { low: 5, high: 5 } }),
    annotate(BAGHUZ, 'b-loc2', 'LOCATION', 'الباغوز'),
  ].sort(byPosition),
  relations: [rel('s1', 'place', 'b-ev1', 'b-loc1'), rel('s2', 'victims', 'b-ev1', 'b-cas1'), rel('s3', 'victims', 'b-ev2', 'b-cas2'), rel('s4', 'place', 'b-ev2', 'b-loc2')],
};

const empty: ExportDocument = {
  id: 'd9999888877776666',
  path: 'notes/empty.txt',
  text: 'Nothing annotated here.\n',
  meta: { title: 'Nothing annotated here.', dct: '2019-03-12', status: 'new' },
  annotations: [],
  relations: [],
};

/** The fixture documents, every annotation included (the pending suggestion too). */
export function fixtureDocuments(): ExportDocument[] {
  return structuredClone([raqqa, empty, baghuz]);
}

export { defaultSelection } from './events-w3c.fixture.ts';

/** Run a writer over documents as the export driver does (begin, each document, end), in memory. */
export function runWriter(writer: FormatWriter, docs: ExportDocument[], labels: LabelDef[] = LABELS): ExportRun {
  return runShared(writer, docs, labels);
}

/** Files of an export as a reader gets them back. */
export const asInput = (files: Map<string, string>): InputFile[] => [...files].map(([path, content]) => ({ path, content }));

/**
 * Imported documents as the workspace would hand them to the next export: the pipeline
 * (annotations/formats/import.ts) fills in missing ids and authorship and keeps annotations sorted by
 * start, end, id. Ids it makes up are deliberately unlike the originals, so a stable round trip cannot
 * lean on them. A document attaches to the fixture document with the same text; meta comes from the
 * import when it carries some.
 */
export function asStored(imported: ImportedDocument[], originals: ExportDocument[]): ExportDocument[] {
  return imported.map((doc, n) => {
    const original = originals.find((o) => o.text === doc.text);
    const annotations: Annotation[] = doc.annotations
      .map((a, i) => ({
        id: a.id ?? `zz-${n}-${doc.annotations.length - i}`,
        label: a.label,
        start: a.start,
        end: a.end,
        text: sliceCodePoints(doc.text, a.start, a.end),
        author: a.author ?? 'importer',
        created: a.created ?? '2025-01-01T00:00:00.000Z',
        modified: a.modified ?? '2025-01-01T00:00:00.000Z',
        ...(a.attrs !== undefined ? { attrs: a.attrs } : {}),
        ...(a.note !== undefined ? { note: a.note } : {}),
        ...(a.source !== undefined ? { source: a.source } : {}),
        ...(a.pending !== undefined ? { pending: a.pending } : {}),
      }))
      .sort(byPosition);
    return {
      id: doc.id ?? original?.id ?? `new-${n}`,
      path: doc.path ?? original?.path ?? `imported-${n}.txt`,
      text: doc.text,
      meta: {
        title: doc.meta?.title ?? original?.meta.title ?? '',
        dct: doc.meta?.dct !== undefined ? doc.meta.dct : (original?.meta.dct ?? null),
        status: doc.meta?.status ?? original?.meta.status ?? 'new',
      },
      annotations,
      relations: doc.relations ?? [],
    };
  });
}

/**
 * Is a document refused because of these problems? The rule the import pipeline applies to the readers
 * of this fixture's formats: a problem names the document's origin file and, when the origin has a line,
 * that line.
 */
export const namesDocument = (p: FormatProblem, doc: ImportedDocument): boolean =>
  p.file === doc.origin.file && (doc.origin.line === undefined || p.line === doc.origin.line);

/** Debian's Python (the one with the standard library only needed here), not the pyenv one on PATH. */
export const PYTHON = '/usr/bin/python3';

/** Run a Python script with arguments; its stdout parsed as JSON. */
export function python(script: string, ...args: string[]): unknown {
  return JSON.parse(execFileSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8' }));
}
