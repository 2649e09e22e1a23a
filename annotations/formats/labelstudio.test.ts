// Tests of the Label Studio JSON export and import: golden file, Python slicing the spans, export -> import
// -> export stability, code point offsets (not the UTF-16 ones of Label Studio #1347), predictions, and bad
// tasks reported with file, line and reason.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LABELSTUDIO_FILE, elementLines, reader, writer } from './labelstudio.ts';
import { asStored, defaultSelection, fixtureDocuments, namesDocument, python, runWriter } from './standoff.fixture.ts';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), '__golden__/labelstudio/labelstudio.json');

type Result = { id?: string; type: string; from_name?: string; value: Record<string, unknown>; from_id?: string; to_id?: string; labels?: string[]; meta?: unknown };
type Task = { id: number; data: Record<string, unknown>; annotations: Array<{ result: Result[] }>; predictions?: Array<{ result: Result[] }> };

describe('Label Studio export', () => {
  const docs = defaultSelection(fixtureDocuments());
  const { files, problems } = runWriter(writer, docs);
  const out = files.get(LABELSTUDIO_FILE)!;
  const tasks = JSON.parse(out) as Task[];

  it('matches the golden file: a JSON array, one task per line, and reports nothing', () => {
    expect([...files.keys()]).toEqual([LABELSTUDIO_FILE]);
    expect(out).toBe(readFileSync(GOLDEN, 'utf8'));
    expect(out.split('\n')).toHaveLength(6);
    expect(problems).toEqual([]);
  });

  it('writes labels, per-region numbers, choices and text areas, notes as region meta, and relations', () => {
    const result = tasks[0].annotations[0].result;
    const of = (id: string) => result.filter((r) => r.id === id);
    expect(tasks[0].data).toEqual({ text: docs[0].text, path: '2017/raqqa.txt', gloss_id: 'd0a1b2c3d4e5f6a7', title: docs[0].meta.title, dct: '2017-08-30' });
    expect(of('a-cas').map((r) => [r.type, r.from_name, r.value])).toEqual([
      ['labels', 'label', { start: 97, end: 140, text: 'eight civilians, including "three children"', labels: ['CASUALTIES'] }],
      ['choices', 'approx', { start: 97, end: 140, choices: ['false'] }],
      ['textarea', 'group', { start: 97, end: 140, text: ['civilians'] }],
      ['number', 'high', { start: 97, end: 140, number: 8 }],
      ['number', 'low', { start: 97, end: 140, number: 8 }],
      ['textarea', 'outcome', { start: 97, end: 140, text: ['killed'] }],
    ]);
    // null (the unknown high of a-kids) is left out.
    expect(of('a-kids').map((r) => r.from_name)).toEqual(['label', 'group', 'low', 'outcome']);
    expect(of('a-jose')[0]).toMatchObject({ value: { start: 220, end: 225, text: 'Jose\u0301' }, meta: { text: ['Café owner; eyewitness, "quoted twice"'] } });
    expect(result).toContainEqual({ from_id: 'a-ev2', to_id: 'a-is', type: 'relation', direction: 'right', labels: ['actor'] });
    expect(tasks[1].annotations).toEqual([]);
  });

  it('leaves the pending suggestion out by default and writes it as a prediction when asked to include it', () => {
    expect(out).not.toContain('a-pending');
    const all = JSON.parse(runWriter(writer, fixtureDocuments()).files.get(LABELSTUDIO_FILE)!) as Task[];
    expect(all[0].annotations[0].result.some((r) => r.id === 'a-pending')).toBe(false);
    expect(all[0].predictions).toEqual([
      {
        model_version: 'gloss',
        result: [{ id: 'a-pending', from_name: 'label', to_name: 'text', type: 'labels', value: { start: 165, end: 173, text: 'reported', labels: ['EVENT'] } }],
      },
    ]);
  });

  it('gives spans that Python, slicing the text by code points, finds holding each quote and annotation text', () => {
    const slices = python(
      `
import json, sys
out = []
for task in json.loads(sys.argv[1]):
    text = task['data']['text']
    for a in task['annotations']:
        for r in a['result']:
            if r['type'] == 'labels':
                v = r['value']
                assert text[v['start']:v['end']] == v['text'], r
                out.append([task['data']['path'], v['labels'][0], text[v['start']:v['end']]])
print(json.dumps(out))
`,
      out,
    ) as Array<[string, string, string]>;
    expect(slices).toEqual(docs.flatMap((d) => d.annotations.map((a) => [d.path, a.label, a.text])));
    expect(slices).toHaveLength(19);
  });
});

describe('Label Studio import', () => {
  const originals = defaultSelection(fixtureDocuments());

  it('reads its own export back: ids, labels, attributes with their types, notes, relations, predictions as pending', () => {
    const first = runWriter(writer, fixtureDocuments()).files.get(LABELSTUDIO_FILE)!;
    const { documents, problems } = reader.read([{ path: 'ls.json', content: first }]);
    expect(problems).toEqual([]);
    expect(documents.map((d) => [d.id, d.path, d.origin.line])).toEqual([
      ['d0a1b2c3d4e5f6a7', '2017/raqqa.txt', 2],
      ['d9999888877776666', 'notes/empty.txt', 3],
      ['d1111222233334444', '2019/baghuz.md', 4],
    ]);
    const raqqa = documents[0];
    const byId = new Map(raqqa.annotations.map((a) => [a.id, a]));
    expect(byId.get('a-cas')).toEqual({
      id: 'a-cas',
      label: 'CASUALTIES',
      start: 97,
      end: 140,
      text: 'eight civilians, including "three children"',
      attrs: { approx: false, group: 'civilians', high: 8, low: 8, outcome: 'killed' },
    });
    expect(byId.get('a-ev1')!.attrs).toEqual({ confirmed: true, type: 'airstrike' });
    expect(byId.get('a-jose')!.note).toBe('Café owner; eyewitness, "quoted twice"');
    expect(byId.get('a-pending')).toMatchObject({ pending: true, label: 'EVENT', start: 165, end: 173 });
    expect(byId.get('a-bridge')).toMatchObject({ start: 192, end: 206, text: 'the old\nbridge' });
    const rels = raqqa.relations!.map((r) => `${r.from} -${r.type}-> ${r.to}`).sort();
    expect(rels).toEqual(fixtureDocuments()[0].relations.filter((r) => r.id !== 'r-pending').map((r) => `${r.from} -${r.type}-> ${r.to}`).sort());
  });

  it('export -> import -> export is byte-for-byte stable', () => {
    const first = runWriter(writer, originals).files.get(LABELSTUDIO_FILE)!;
    const { documents, problems } = reader.read([{ path: 'ls.json', content: first }]);
    expect(problems).toEqual([]);
    expect(runWriter(writer, asStored(documents, originals)).files.get(LABELSTUDIO_FILE)).toBe(first);
  });

  it("reads Label Studio's own export: pretty-printed, choices, unlabelled and reversed relations, accepted predictions", () => {
    const text = 'Strike 🇸🇾 on Raqqa; Jose\u0301 fled to الرَّقَّة.';
    const region = (id: string, start: number, end: number, label: string, quote: string) => ({ id, from_name: 'label', to_name: 'text', type: 'labels', value: { start, end, text: quote, labels: [label] } });
    const task = {
      id: 42,
      data: { text },
      annotations: [
        { id: 1, was_cancelled: true, result: [] },
        {
          id: 2,
          result: [
            region('Xa1', 13, 18, 'LOCATION', 'Raqqa'),
            region('Xa2', 20, 25, 'PERSON', 'Jose\u0301'),
            { id: 'Xa2', from_name: 'role', to_name: 'text', type: 'choices', value: { start: 20, end: 25, choices: ['witness'] } },
            { id: 'Xa2', from_name: 'tags', to_name: 'text', type: 'choices', value: { start: 20, end: 25, choices: ['local', 'named'] } },
            { from_id: 'Xa1', to_id: 'Xa2', type: 'relation', direction: 'left', labels: ['fled_from'] },
            { from_id: 'Xa2', to_id: 'Xa1', type: 'relation', direction: 'right', labels: [] },
          ],
        },
      ],
      predictions: [{ model_version: 'ner-1', result: [region('Xa1', 13, 18, 'LOCATION', 'Raqqa'), region('p9', 34, 43, 'LOCATION', 'الرَّقَّة')] }],
    };
    const content = JSON.stringify([task], null, 2);
    const { documents: [doc], problems } = reader.read([{ path: 'project-1.json', content }]);
    expect(problems).toEqual([]);
    expect(doc.origin).toEqual({ file: 'project-1.json', line: 2 });
    expect(doc.path).toBeUndefined();
    expect(doc.annotations).toEqual([
      { id: 'Xa1', label: 'LOCATION', start: 13, end: 18, text: 'Raqqa' },
      { id: 'Xa2', label: 'PERSON', start: 20, end: 25, text: 'Jose\u0301', attrs: { role: 'witness', tags: ['local', 'named'] } },
      { id: 'p9', label: 'LOCATION', start: 34, end: 43, text: 'الرَّقَّة', pending: true },
    ]);
    expect(doc.relations!.map((r) => [r.from, r.type, r.to])).toEqual([
      ['Xa2', 'fled_from', 'Xa1'],
      ['Xa2', 'related', 'Xa1'],
    ]);
  });

  it('finds the line each task starts on, so a problem names its task', () => {
    expect(elementLines('[\n  {"a": "[{,"},\n  {"b": [1,\n 2]}\n  ,\n  {}\n]')).toEqual([2, 3, 6]);
    expect(elementLines('  {"data": {}}')).toEqual([1]);
    expect(elementLines('[]')).toEqual([]);
  });

  it('reports offsets counted in UTF-16 (Label Studio #1347) as quotes that do not match, never importing them shifted', () => {
    const text = '😢 killed in Baghuz today.';
    // A frontend counting UTF-16 units puts Baghuz at 13-19; in code points it is 12-18.
    const task = { data: { text }, annotations: [{ result: [{ id: 'r1', from_name: 'label', to_name: 'text', type: 'labels', value: { start: 13, end: 19, text: 'Baghuz', labels: ['LOCATION'] } }] }] };
    const { documents: [doc], problems } = reader.read([{ path: 'utf16.json', content: JSON.stringify([task]) }]);
    expect(problems).toEqual([{ file: 'utf16.json', line: 1, reason: 'task 1: annotation result 1: quoted text "Baghuz" does not match the document text "aghuz " at 13-19' }]);
    expect(doc.annotations).toEqual([]);
    expect(problems.every((p) => namesDocument(p, doc))).toBe(true);
  });

  it('reports each bad task with file, line and reason, and returns it named by its problems', () => {
    const ok = (id: string, start: number, end: number, quote: string, label = 'ORG') => ({ id, from_name: 'label', to_name: 'text', type: 'labels', value: { start, end, text: quote, labels: [label] } });
    const text = 'IS attacked Baghuz.';
    const tasks = [
      { id: 1, data: { text }, annotations: [{ result: [ok('a', 0, 2, 'IS')] }] },
      { id: 2, data: { text }, annotations: [{ result: [ok('a', 12, 40, 'Baghuz')] }] },
      { id: 3, data: { text }, annotations: [{ result: [ok('a', 0, 2, 'IS'), { id: 'zz', from_name: 'n', to_name: 'text', type: 'number', value: { number: 3 } }] }] },
      { id: 4, data: { text }, annotations: [{ result: [{ ...ok('a', 0, 2, 'IS'), value: { start: 0, end: 2, text: 'IS', labels: ['ORG', 'PERSON'] } }] }] },
      { id: 5, data: { text }, annotations: [{ result: [ok('a', 0, 2, 'IS'), { id: 'a', from_name: 'where', to_name: 'text', type: 'rectanglelabels', value: {} }] }] },
      { id: 6, data: { text }, annotations: [{ result: [ok('a', 0, 2, 'IS')] }, { result: [ok('b', 3, 11, 'attacked', 'EVENT')] }] },
      { id: 7, data: { body: text }, annotations: [] },
      { id: 8, data: { text }, annotations: [{ result: [ok('a', 0, 2, 'IS'), { from_id: 'a', to_id: 'q', type: 'relation', labels: ['place'] }] }] },
    ];
    const content = `[\n${tasks.map((t) => JSON.stringify(t)).join(',\n')}\n]\n`;
    const { documents, problems } = reader.read([{ path: 'bad.json', content }]);
    expect(problems.map((p) => [p.file, p.line])).toEqual([3, 4, 5, 6, 7, 8, 9].map((line) => ['bad.json', line]));
    const reason = (line: number) => problems.find((p) => p.line === line)!.reason;
    expect(reason(3)).toBe('task 2 (id 2): annotation result 1: offsets 12-40 are past the end of the text (19 characters)');
    expect(reason(4)).toMatch(/^task 3 \(id 3\): annotation result 2: a "number" result not tied to a labelled span/);
    expect(reason(5)).toMatch(/region a has 2 labels; a Gloss span has exactly one/);
    expect(reason(6)).toMatch(/result type "rectanglelabels" has no Gloss equivalent/);
    expect(reason(7)).toMatch(/2 annotations \(several annotators or models\)/);
    expect(reason(8)).toMatch(/"data" object holding a "text" string/);
    expect(reason(9)).toMatch(/links a region that is not in this annotation/);
    expect(documents.map((d) => d.origin.line)).toEqual([2, 3, 4, 5, 6, 7, 9]);
    for (const doc of documents) expect(problems.some((p) => namesDocument(p, doc))).toBe(doc.origin.line !== 2);
  });

  it('reports a file that is not JSON with the line of the error', () => {
    const { documents, problems } = reader.read([{ path: 'broken.json', content: '[\n{"data": {"text": "a"}},\n{"data": }\n]' }]);
    expect(documents).toEqual([]);
    expect(problems).toEqual([{ file: 'broken.json', line: 3, reason: expect.stringMatching(/^not JSON/) }]);
  });
});
