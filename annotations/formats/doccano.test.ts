// Tests of the doccano JSONL export and import: golden file, Python slicing the spans, export -> import ->
// export stability, code point offsets, doccano's own forms, CRLF texts, and bad lines reported with file and line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DOCCANO_FILE, reader, writer } from './doccano.ts';
import { asStored, defaultSelection, fixtureDocuments, namesDocument, python, runWriter } from './standoff.fixture.ts';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), '__golden__/doccano/doccano.jsonl');

describe('doccano export', () => {
  const docs = defaultSelection(fixtureDocuments());
  const { files, problems } = runWriter(writer, docs);
  const out = files.get(DOCCANO_FILE)!;
  const lines = out.trimEnd().split('\n').map((l) => JSON.parse(l));

  it('matches the golden file, one document per line, and reports nothing', () => {
    expect([...files.keys()]).toEqual([DOCCANO_FILE]);
    expect(out).toBe(readFileSync(GOLDEN, 'utf8'));
    expect(problems).toEqual([]);
  });

  it('writes the entities + relations form with code point offsets, meta and the gloss key', () => {
    const [raqqa] = lines;
    expect(Object.keys(raqqa)).toEqual(['id', 'text', 'entities', 'relations', 'path', 'title', 'dct', 'gloss']);
    // After a flag (two astral code points) and 😢: in UTF-16 José would start at 223.
    expect(raqqa.entities).toContainEqual({ id: 11, label: 'PERSON', start_offset: 220, end_offset: 225 });
    expect(raqqa.entities).toContainEqual({ id: 10, label: 'LOCATION', start_offset: 192, end_offset: 206 });
    expect(raqqa.relations).toContainEqual({ id: 6, from_id: 13, to_id: 12, type: 'actor' });
    expect(raqqa.gloss.annotations[5]).toEqual({
      id: 'a-cas',
      label: 'CASUALTIES',
      start_offset: 97,
      end_offset: 140,
      attrs: { low: 8, high: 8, approx: false, group: 'civilians', outcome: 'killed' },
      author: 'Analyst One',
      created: '2024-05-01T09:30:00.000Z',
      modified: '2024-05-02T10:00:00.000Z',
    });
    expect(raqqa.gloss.annotations[10]).toMatchObject({ id: 'a-jose', start_offset: 220, note: 'Café owner; eyewitness, "quoted twice"' });
    expect(raqqa.gloss.relations[5]).toEqual({ id: 'r-actor2', from: 'a-ev2', to: 'a-is', type: 'actor' });
    expect(lines.map((l) => [l.id, l.path, l.dct, l.gloss.status])).toEqual([
      [1, '2017/raqqa.txt', '2017-08-30', 'done'],
      [2, 'notes/empty.txt', '2019-03-12', 'new'],
      [3, '2019/baghuz.md', null, 'in-progress'],
    ]);
  });

  it('leaves the pending suggestion out by default and marks it pending when asked to include it', () => {
    expect(out).not.toContain('a-pending');
    const all = runWriter(writer, fixtureDocuments()).files.get(DOCCANO_FILE)!;
    const raqqa = JSON.parse(all.split('\n')[0]);
    expect(raqqa.gloss.annotations.find((g: { id: string }) => g.id === 'a-pending')).toMatchObject({
      label: 'EVENT',
      start_offset: 165,
      end_offset: 173,
      pending: true,
      source: 'suggest:events',
    });
    expect(raqqa.entities).toContainEqual({ id: 9, label: 'EVENT', start_offset: 165, end_offset: 173 });
  });

  it('gives spans that Python, slicing the text by code points, finds holding each annotation text', () => {
    const slices = python(
      `
import json, sys
out = []
for line in sys.argv[1].splitlines():
    d = json.loads(line)
    out += [[d['path'], e['label'], d['text'][e['start_offset']:e['end_offset']]] for e in d['entities']]
print(json.dumps(out))
`,
      out,
    ) as Array<[string, string, string]>;
    expect(slices).toEqual(docs.flatMap((d) => d.annotations.map((a) => [d.path, a.label, a.text])));
    expect(slices).toHaveLength(19);
  });
});

describe('doccano import', () => {
  const originals = defaultSelection(fixtureDocuments());
  const first = runWriter(writer, fixtureDocuments()).files.get(DOCCANO_FILE)!;
  const { documents, problems } = reader.read([{ path: 'in/doccano.jsonl', content: first }]);

  it('reads its own export back: ids, attributes, notes, authorship, pending, relations, meta', () => {
    expect(problems).toEqual([]);
    expect(documents.map((d) => [d.id, d.path, d.origin])).toEqual([
      ['d0a1b2c3d4e5f6a7', '2017/raqqa.txt', { file: 'in/doccano.jsonl', line: 1 }],
      ['d9999888877776666', 'notes/empty.txt', { file: 'in/doccano.jsonl', line: 2 }],
      ['d1111222233334444', '2019/baghuz.md', { file: 'in/doccano.jsonl', line: 3 }],
    ]);
    const all = fixtureDocuments();
    for (const [i, doc] of documents.entries()) {
      expect(doc.annotations).toEqual(all[i].annotations.map(({ prefix: _p, suffix: _s, ...a }) => a));
      const byId = (rs: Array<{ id: string }>) => [...rs].sort((x, y) => (x.id < y.id ? -1 : 1));
      expect(byId(doc.relations!)).toEqual(byId(all[i].relations));
      expect(doc.meta).toEqual({ title: all[i].meta.title, dct: all[i].meta.dct, status: all[i].meta.status });
    }
  });

  it('finds the Gloss ids and attributes again after doccano renumbered, reordered and edited the entities', () => {
    const line = JSON.parse(runWriter(writer, originals).files.get(DOCCANO_FILE)!.split('\n')[2]);
    // As doccano exports a project: database ids, its own order, one entity relabelled by the analyst.
    line.entities = line.entities.map((e: { id: number }) => ({ ...e, id: e.id + 700 })).reverse();
    line.relations = line.relations.map((r: { id: number; from_id: number; to_id: number }) => ({ ...r, id: r.id + 90, from_id: r.from_id + 700, to_id: r.to_id + 700 }));
    line.entities.find((e: { label: string }) => e.label === 'LOCATION').label = 'ORG';
    const { documents: [doc], problems: probs } = reader.read([{ path: 'from-doccano.jsonl', content: JSON.stringify(line) }]);
    expect(probs).toEqual([]);
    const byId = new Map(doc.annotations.map((a) => [a.id, a]));
    expect(byId.get('b-cas1')).toMatchObject({ attrs: { low: null, approx: true, group: 'fighters' }, author: 'Analyst One' });
    expect(byId.get('b-ev2')!.attrs).toEqual({ type: 'killing' });
    // The relabelled entity is a new annotation: doccano's id, none of the old extras.
    expect(byId.get('doccano-706')).toEqual({ id: 'doccano-706', label: 'ORG', start: 83, end: 90, text: 'الباغوز' });
    expect(doc.relations!.map((r) => r.id).sort()).toEqual(['doccano-r94', 's1', 's2', 's3']);
  });

  it('export -> import -> export is byte-for-byte stable', () => {
    const defaults = runWriter(writer, originals).files.get(DOCCANO_FILE)!;
    const again = reader.read([{ path: 'x.jsonl', content: defaults }]);
    expect(again.problems).toEqual([]);
    expect(runWriter(writer, asStored(again.documents, originals)).files.get(DOCCANO_FILE)).toBe(defaults);
  });

  it("reads doccano's own exports: entities with database ids, or label triples, offsets in code points", () => {
    const text = 'Strike 🇸🇾 on Raqqa; Jose\u0301 fled to الرَّقَّة.';
    const input = [
      JSON.stringify({ id: 7, text, entities: [{ id: 501, label: 'LOCATION', start_offset: 13, end_offset: 18 }, { id: 502, label: 'PERSON', start_offset: 20, end_offset: 25 }], relations: [{ id: 9, from_id: 502, to_id: 501, type: 'fled_from' }], Comments: [] }),
      JSON.stringify({ text, label: [[34, 43, 'LOCATION']] }),
    ].join('\n');
    const { documents: [a, b], problems: probs } = reader.read([{ path: 'doccano.jsonl', content: input }]);
    expect(probs).toEqual([]);
    expect(a.annotations).toEqual([
      { id: 'doccano-501', label: 'LOCATION', start: 13, end: 18, text: 'Raqqa' },
      { id: 'doccano-502', label: 'PERSON', start: 20, end: 25, text: 'Jose\u0301' },
    ]);
    expect(a.relations).toEqual([{ id: 'doccano-r9', type: 'fled_from', from: 'doccano-502', to: 'doccano-501' }]);
    expect(a.path).toBeUndefined();
    expect(b.annotations).toEqual([{ label: 'LOCATION', start: 34, end: 43, text: 'الرَّقَّة' }]);
  });

  it('maps offsets counted over a text with CRLF to the LF text Gloss keeps', () => {
    const text = 'Raqqa 🇸🇾\r\nJose\u0301 fled\r\n';
    const { documents: [doc], problems: probs } = reader.read([
      { path: 'c.jsonl', content: JSON.stringify({ text, entities: [{ id: 1, label: 'PERSON', start_offset: 10, end_offset: 15 }] }) },
    ]);
    expect(probs).toEqual([]);
    expect(doc.text).toBe('Raqqa 🇸🇾\nJose\u0301 fled\n');
    expect(doc.annotations[0]).toMatchObject({ start: 9, end: 14, text: 'Jose\u0301' });
  });

  it('reports each bad line with file, line and reason; a document with a bad part comes back named by its problems', () => {
    const good = { text: 'IS attacked Baghuz.', entities: [{ id: 1, label: 'ORG', start_offset: 0, end_offset: 2 }] };
    const input = [
      JSON.stringify(good),
      '{"text": "broken", "entities": [',
      JSON.stringify({ ...good, entities: [...good.entities, { id: 2, label: 'LOCATION', start_offset: 12, end_offset: 40 }] }),
      '',
      JSON.stringify({ ...good, entities: [{ id: 1, label: 'Armed group', start_offset: 0, end_offset: 2 }] }),
      JSON.stringify({ ...good, relations: [{ id: 1, from_id: 1, to_id: 5, type: 'place' }] }),
      JSON.stringify({ ...good, gloss: { annotations: [{ id: 'a', label: 'ORG', start_offset: 0, end_offset: 2, attrs: 'not an object' }] } }),
      JSON.stringify({ text: 'A report.', label: ['NEWS'] }),
      JSON.stringify({ entities: [] }),
    ].join('\r\n');
    const { documents: docs, problems: probs } = reader.read([{ path: 'in/bad.jsonl', content: input }]);
    expect(probs.map((p) => [p.file, p.line])).toEqual([2, 3, 5, 6, 7, 8, 9].map((line) => ['in/bad.jsonl', line]));
    const reason = (line: number) => probs.find((p) => p.line === line)!.reason;
    expect(reason(2)).toMatch(/^not JSON/);
    expect(reason(3)).toBe('entity 2: offsets 12-40 are past the end of the text (19 characters)');
    expect(reason(5)).toMatch(/label "Armed group": letters, digits, _ and - only/);
    expect(reason(6)).toMatch(/to_id 5 is not an entity of this line/);
    expect(reason(7)).toMatch(/"gloss" key is not as Gloss writes it: annotations.0.attrs/);
    expect(reason(8)).toMatch(/text classification/);
    expect(reason(9)).toMatch(/"text" string/);
    // Lines 1, 3, 5, 6, 7, 8 come back; each problem names its own document by file and line.
    expect(docs.map((d) => d.origin.line)).toEqual([1, 3, 5, 6, 7, 8]);
    for (const doc of docs) expect(probs.filter((p) => namesDocument(p, doc)).length).toBe(doc.origin.line === 1 ? 0 : 1);
    expect(docs[1].annotations.map((a) => a.label)).toEqual(['ORG']);
  });
});
