// Tests of the brat standoff export and import: golden files, Python slicing the spans, export -> import
// -> export stability, code point offsets, CRLF texts, events, and bad lines reported with file and line.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { reader, writer } from './brat.ts';
import { LABELS, asInput, asStored, defaultSelection, fixtureDocuments, namesDocument, python, runWriter } from './standoff.fixture.ts';
import type { ExportDocument, InputFile } from './types.ts';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), '__golden__/brat');

function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const rel of readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, rel);
    if (statSync(full).isFile()) files.set(rel.split(path.sep).join('/'), readFileSync(full, 'utf8'));
  }
  return files;
}

const sortedEntries = (files: Map<string, string>) => [...files].sort(([a], [b]) => (a < b ? -1 : 1));

const tmp: string[] = [];
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));

function writeTree(files: Map<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gloss-brat-'));
  tmp.push(dir);
  for (const [rel, data] of files) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), data);
  }
  return dir;
}

describe('brat export', () => {
  const docs = defaultSelection(fixtureDocuments());
  const { files, problems } = runWriter(writer, docs);

  it('matches the golden files', () => {
    expect(sortedEntries(files)).toEqual(sortedEntries(readTree(GOLDEN)));
  });

  it('writes a .txt and an .ann per document (any extension becomes .txt), and the .conf files', () => {
    expect([...files.keys()].sort()).toEqual([
      '2017/raqqa.ann',
      '2017/raqqa.txt',
      '2019/baghuz.ann',
      '2019/baghuz.txt',
      'annotation.conf',
      'notes/empty.ann',
      'notes/empty.txt',
      'visual.conf',
    ]);
    expect(files.get('notes/empty.ann')).toBe('');
    expect(files.get('2017/raqqa.txt')).toBe(docs[0].text);
  });

  it('reports only what brat cannot carry: a value with spaces annotation.conf cannot list', () => {
    expect(problems).toEqual([{ file: 'annotation.conf', reason: expect.stringContaining('"residents of the city"') }]);
  });

  it('counts code points: spans after an emoji and over combining accents are not shifted', () => {
    const ann = files.get('2017/raqqa.ann')!;
    // A flag (two astral code points) and 😢 come first: in UTF-16 José would start at 223.
    expect(ann).toContain('T11\tPERSON 220 225\tJose\u0301\n');
    expect(ann).toContain('T9\tCASUALTIES 174 186\t12 wounded 😢\n');
    expect(ann).toContain('T8\tLOCATION 155 164\tالرَّقَّة\n');
    expect(files.get('2019/baghuz.ann')).toContain('T4\tEVENT 64 70\tقُتِلَ\n');
  });

  it('cuts a span across a line break into fragments, quoted with a space as brat does', () => {
    expect(files.get('2017/raqqa.ann')).toContain('T10\tLOCATION 192 199;200 206\tthe old bridge\n');
  });

  it('writes attributes (true bare, false and null not at all), relations and notes', () => {
    const ann = files.get('2017/raqqa.ann')!;
    expect(ann).toContain('A1\tconfirmed T1\n');
    expect(ann).toContain('A6\tlow T6 8\n');
    expect(ann).toContain('A11\tgroup T9 residents of the city\n');
    expect(ann).not.toMatch(/approx|high T7/);
    expect(ann).toContain('R6\tactor Arg1:T13 Arg2:T12\n');
    expect(ann).toContain('#1\tAnnotatorNotes T11\tCafé owner; eyewitness, "quoted twice"\n');
  });

  it('leaves the pending suggestion out by default', () => {
    expect(files.get('2017/raqqa.ann')).not.toContain('reported');
    const all = runWriter(writer, fixtureDocuments()).files.get('2017/raqqa.ann')!;
    expect(all).toContain('\tEVENT 165 173\treported\n');
  });

  it('gives annotation.conf the relation types and attribute values present', () => {
    const conf = files.get('annotation.conf')!;
    expect(conf).toContain('[entities]\nPERSON\nORG\nLOCATION\nDATE\nCASUALTIES\nWEAPON\nEVENT\n');
    expect(conf).toContain('victims\tArg1:EVENT, Arg2:CASUALTIES\n');
    expect(conf).toContain('low\tArg:CASUALTIES, Value:3|5|8|12\n');
    expect(conf).toContain('confirmed\tArg:EVENT\n');
    expect(files.get('visual.conf')).toContain('CASUALTIES\tbgColor:#D55E00\n');
  });

  it('gives spans that Python, slicing the .txt by code points, finds holding each annotation text', () => {
    const dir = writeTree(files);
    const slices = python(
      `
import json, os, sys
root = sys.argv[1]
out = []
for base, _, names in sorted(os.walk(root)):
    for name in sorted(names):
        if not name.endswith('.ann'):
            continue
        text = open(os.path.join(base, name[:-4] + '.txt'), encoding='utf-8', newline='').read()
        for line in open(os.path.join(base, name), encoding='utf-8', newline=''):
            if not line.startswith('T'):
                continue
            _id, data, quoted = line.rstrip('\\n').split('\\t', 2)
            frags = [tuple(map(int, f.split(' '))) for f in data.split(' ', 1)[1].split(';')]
            assert ' '.join(text[s:e] for s, e in frags) == quoted, (name, line)
            out.append([os.path.relpath(os.path.join(base, name), root), data.split(' ')[0], text[frags[0][0]:frags[-1][1]]])
print(json.dumps(out))
`,
      dir,
    ) as Array<[string, string, string]>;
    const expected = docs.flatMap((d) => d.annotations.map((a) => [d.path.replace(/\.\w+$/, '.ann'), a.label, a.text]));
    expect([...slices].sort()).toEqual([...expected].sort());
    expect(slices).toHaveLength(19);
  });
});

describe('brat import', () => {
  const originals = defaultSelection(fixtureDocuments());
  const first = runWriter(writer, originals);
  const { documents, problems } = reader.read(asInput(first.files));

  it('reads its own export back without problems', () => {
    expect(problems).toEqual([]);
    expect(documents.map((d) => [d.path, d.origin.file])).toEqual([
      ['2017/raqqa.txt', '2017/raqqa.ann'],
      ['2019/baghuz.txt', '2019/baghuz.ann'],
      ['notes/empty.txt', 'notes/empty.ann'],
    ]);
  });

  it('gives back every span, label, attribute (as brat keeps them), note and relation', () => {
    const raqqa = documents[0];
    const original = originals[0];
    const key = (a: { label: string; start: number; end: number }) => `${a.label} ${a.start}-${a.end}`;
    expect(raqqa.annotations.map(key).sort()).toEqual(original.annotations.map(key).sort());
    const bridge = raqqa.annotations.find((a) => a.label === 'LOCATION' && a.text?.includes('\n'))!;
    expect(bridge).toMatchObject({ start: 192, end: 206, text: 'the old\nbridge' });
    const cas = raqqa.annotations.find((a) => a.text === 'eight civilians, including "three children"')!;
    // brat has no false and no null: an absent binary attribute is false.
    expect(cas.attrs).toEqual({ group: 'civilians', high: 8, low: 8, outcome: 'killed' });
    expect(raqqa.annotations.find((a) => a.label === 'EVENT' && a.start === 10)!.attrs).toEqual({ confirmed: true, type: 'airstrike' });
    expect(raqqa.annotations.find((a) => a.label === 'PERSON')!.note).toBe('Café owner; eyewitness, "quoted twice"');
    const byId = new Map(raqqa.annotations.map((a) => [a.id, a]));
    const rels = raqqa.relations!.map((r) => `${byId.get(r.from)!.text} -${r.type}-> ${byId.get(r.to)!.text}`).sort();
    const origById = new Map(original.annotations.map((a) => [a.id, a]));
    expect(rels).toEqual(original.relations.map((r) => `${origById.get(r.from)!.text} -${r.type}-> ${origById.get(r.to)!.text}`).sort());
  });

  it('makes the same ids for the same annotations, so importing twice replaces instead of copying', () => {
    const again = reader.read(asInput(first.files)).documents;
    expect(again[0].annotations.map((a) => a.id)).toEqual(documents[0].annotations.map((a) => a.id));
    expect(new Set(documents[0].annotations.map((a) => a.id)).size).toBe(documents[0].annotations.length);
  });

  it('export -> import -> export is byte-for-byte stable', () => {
    const second = runWriter(writer, asStored(documents, originals));
    expect(sortedEntries(second.files)).toEqual(sortedEntries(first.files));
  });

  it('maps offsets counted over a CRLF .txt to the LF text Gloss keeps', () => {
    const crlf = 'Strike on Raqqa 🇸🇾.\r\nJose\u0301 fled\r\nto الرَّقَّة.\r\n';
    // Offsets as brat (Python) counts them in that file: CR included, the flag two code points.
    const files: InputFile[] = [
      { path: 'w/a.txt', content: crlf },
      { path: 'w/a.ann', content: 'T1\tPERSON 21 26\tJose\u0301\r\nT2\tLOCATION 21 31;33 45\tJose\u0301 fled to الرَّقَّة\r\n' },
    ];
    const { documents: [doc], problems } = reader.read(files);
    expect(problems).toEqual([]);
    expect(doc.text).toBe(crlf.replace(/\r\n/g, '\n'));
    expect(doc.annotations.map((a) => [a.start, a.end, a.text])).toEqual([
      [20, 25, 'Jose\u0301'],
      [20, 43, 'Jose\u0301 fled\nto الرَّقَّة'],
    ]);
  });

  it('also reads a CRLF .txt whose offsets were counted without the CRs (brat reading with universal newlines)', () => {
    const crlf = 'Strike on Raqqa 🇸🇾.\r\nJose\u0301 fled\r\nto الرَّقَّة.\r\n';
    const { documents: [doc], problems } = reader.read([
      { path: 'a.txt', content: crlf },
      { path: 'a.ann', content: 'T1\tPERSON 20 25\tJose\u0301\nT2\tLOCATION 34 43\tالرَّقَّة\n' },
    ]);
    expect(problems).toEqual([]);
    expect(doc.annotations.map((a) => [a.start, a.end, a.text])).toEqual([
      [20, 25, 'Jose\u0301'],
      [34, 43, 'الرَّقَّة'],
    ]);
  });

  it('reads events: the trigger is the annotation, each argument a relation, attributes and notes on the event go to it', () => {
    const text = 'IS attacked Baghuz.';
    const { documents: [doc], problems } = reader.read([
      { path: 'e.txt', content: text },
      {
        path: 'e.ann',
        content: 'T1\tORG 0 2\tIS\nT2\tEVENT 3 11\tattacked\nT3\tLOCATION 12 18\tBaghuz\nE1\tEVENT:T2 actor:T1 place:T3\nA1\tconfirmed E1\n#1\tAnnotatorNotes E1\tseen on video\n',
      },
    ]);
    expect(problems).toEqual([]);
    const event = doc.annotations.find((a) => a.label === 'EVENT')!;
    expect(event).toMatchObject({ start: 3, end: 11, attrs: { confirmed: true }, note: 'seen on video' });
    const byId = new Map(doc.annotations.map((a) => [a.id, a.text]));
    expect(doc.relations!.map((r) => [byId.get(r.from), r.type, byId.get(r.to)])).toEqual([
      ['attacked', 'actor', 'IS'],
      ['attacked', 'place', 'Baghuz'],
    ]);
  });

  it('reports each bad line with file, line and reason, and keeps no bad annotation', () => {
    const text = 'Clashes in Baghuz killed 5 😢.\nMore later.';
    const ann = [
      'T1\tEVENT 0 7\tClashes', // 1: good
      'T2 LOCATION 11 17 Baghuz', // 2: no tab
      'T3\tLOCATION eleven 17\tBaghuz', // 3: not offsets
      'T4\tCASUALTIES 25 99\t5', // 4: past the end
      'T5\tLOCATION 11 17\tRaqqa', // 5: quote does not match
      'T6\tLOCATION 0 7;11 17\tClashes Baghuz', // 6: gap is not a line break
      'A1\tconfirmed T9', // 7: no such annotation
      'R1\tplace Arg1:T1', // 8: one argument
      'N1\tReference T1 Wikidata:Q1\tClashes', // 9: no Gloss equivalent
      'T1\tEVENT 0 7\tClashes', // 10: id used twice
      'T7\tbad label 0 7\tClashes', // 11: space in label (malformed)
      'T8\tCASUALTIES 25 28\t5 😢', // 12: good, after the emoji
      '',
    ].join('\n');
    const { documents: [doc], problems } = reader.read([
      { path: 'x/bad.txt', content: text },
      { path: 'x/bad.ann', content: ann },
    ]);
    expect(problems.map((p) => [p.file, p.line])).toEqual([2, 3, 4, 5, 6, 10, 11, 7, 8, 9].map((line) => ['x/bad.ann', line]));
    const reason = (line: number) => problems.find((p) => p.line === line)!.reason;
    expect(reason(2)).toMatch(/no tab/);
    expect(reason(3)).toMatch(/malformed text-bound/);
    expect(reason(4)).toMatch(/past the end of the text \(41 characters\)/);
    expect(reason(5)).toMatch(/quoted text "Raqqa" does not match the document text "Baghuz"/);
    expect(reason(6)).toMatch(/not a line break/);
    expect(reason(7)).toMatch(/T9, which is not/);
    expect(reason(8)).toMatch(/malformed relation/);
    expect(reason(9)).toMatch(/normalization/);
    expect(reason(10)).toMatch(/used twice/);
    // The document comes back, named by every problem, so the import pipeline refuses all of it.
    expect(problems.every((p) => namesDocument(p, doc))).toBe(true);
    expect(doc.annotations.map((a) => [a.label, a.text])).toEqual([
      ['EVENT', 'Clashes'],
      ['CASUALTIES', '5 😢'],
    ]);
  });

  it('reports an .ann without its .txt and a .txt without its .ann, and imports neither', () => {
    const { documents: docs, problems: probs } = reader.read([
      { path: 'a.ann', content: 'T1\tORG 0 2\tIS\n' },
      { path: 'README.txt', content: 'About this collection.' },
    ]);
    expect(docs).toEqual([]);
    expect(probs).toEqual([
      { file: 'a.ann', reason: expect.stringContaining('no a.txt') },
      { file: 'README.txt', reason: expect.stringContaining('no .ann') },
    ]);
  });
});

describe('brat export of what brat cannot hold', () => {
  const doc = (extra: Partial<ExportDocument>): ExportDocument => ({
    id: 'd',
    path: 'a.txt',
    text: 'one\ntwo three\n',
    meta: { title: 't', dct: null, status: 'new' },
    annotations: [],
    relations: [],
    ...extra,
  });
  const stamp = { author: 'a', created: 'c', modified: 'm' };

  it('writes line breaks in notes and values as spaces, drops objects and reports each', () => {
    const { files, problems } = runWriter(writer, [
      doc({
        annotations: [{ id: 'x', label: 'ORG', start: 4, end: 7, text: 'two', ...stamp, note: 'first\nsecond', attrs: { 'side name': 'a\nb', nested: { a: 1 } } }],
      }),
    ]);
    expect(files.get('a.ann')).toBe('T1\tORG 4 7\ttwo\nA1\tside_name T1 a b\n#1\tAnnotatorNotes T1\tfirst second\n');
    expect(problems.map((p) => p.reason)).toEqual([
      expect.stringContaining('nested'),
      expect.stringContaining('written as side_name'),
      expect.stringContaining('line breaks in the value'),
      expect.stringContaining('line breaks in its note'),
      expect.stringContaining('annotation.conf cannot list values of attribute side_name'),
    ]);
  });

  it('trims a line break at either end of a span and reports it; leaves out a span of line breaks only', () => {
    const { files, problems } = runWriter(writer, [
      doc({
        annotations: [
          { id: 'x', label: 'ORG', start: 3, end: 7, text: '\ntwo', ...stamp },
          { id: 'y', label: 'ORG', start: 3, end: 4, text: '\n', ...stamp },
        ],
      }),
    ]);
    expect(files.get('a.ann')).toBe('T1\tORG 4 7\ttwo\n');
    expect(problems.map((p) => p.reason)).toEqual([expect.stringContaining('nothing but line breaks'), expect.stringContaining('written without it')]);
  });

  it('leaves out an annotation whose quote no longer matches its offsets, and says so', () => {
    const { files, problems } = runWriter(writer, [doc({ annotations: [{ id: 'x', label: 'ORG', start: 4, end: 7, text: 'six', ...stamp }] })]);
    expect(files.get('a.ann')).toBe('');
    expect(problems).toEqual([{ file: 'a.txt', reason: expect.stringContaining('quoted text "six" does not match') }]);
  });

  it('writes two documents whose names differ only by extension to two different files', () => {
    const { files, problems } = runWriter(writer, [doc({ path: 'a.md' }), doc({ path: 'a.txt', id: 'e' })]);
    expect([...files.keys()].filter((f) => f.startsWith('a.'))).toEqual(['a.txt', 'a.ann', 'a.txt.txt', 'a.txt.ann']);
    expect(problems).toEqual([{ file: 'a.txt', reason: expect.stringContaining('written as a.txt.txt') }]);
  });

  it('keeps the state of two exports running at once apart', () => {
    const labels = LABELS;
    const one = { labels, report: () => {} };
    const two = { labels, report: () => {} };
    writer.begin!(one);
    writer.begin!(two);
    writer.document(doc({ annotations: [{ id: 'x', label: 'ORG', start: 4, end: 7, text: 'two', ...stamp, attrs: { only: 'one' } }] }), 0, one);
    writer.document(doc({}), 0, two);
    expect(writer.end!(two)[0].data).not.toContain('only');
    expect(writer.end!(one)[0].data).toContain('only\tArg:ORG, Value:one');
  });
});
