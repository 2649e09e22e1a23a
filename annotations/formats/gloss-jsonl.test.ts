// Gloss JSONL: the golden export, spans that slice to their text (in Python too), lossless round trips through
// a real workspace, and imports that refuse bad documents whole.
import { execFileSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabelDef, type DocumentEntry } from '../model.ts';
import { sliceCodePoints } from '../offsets.ts';
import { Workspace } from '../workspace.ts';
import { defaultSelection, fixtureDocuments, runWriter } from './events-w3c.fixture.ts';
import { documentLine, reader, writer } from './gloss-jsonl.ts';
import { importDocuments, importFrom } from './import.ts';
import { detectFormat } from './index.ts';
import { exportWorkspace, readInputs } from './io.ts';
import type { ExportDocument, FormatWriter } from './types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const GOLDEN = path.join(here, '__golden__', 'gloss', 'corpus.jsonl');
const LABELS = LabelDef.array().parse(JSON.parse(await fsp.readFile(path.join(here, '../../resources/labels.json'), 'utf8')));
const NOW = new Date('2024-07-01T12:00:00.000Z');

let tmp: string;
let n = 0;
const open: Workspace[] = [];

beforeAll(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-jsonl-')));
});

afterAll(async () => {
  for (const ws of open) await ws.close().catch(() => undefined);
  await fsp.rm(tmp, { recursive: true, force: true });
});

/** A new folder under the temp dir. */
async function folder(name: string): Promise<string> {
  const dir = path.join(tmp, `${name}-${n++}`);
  await fsp.mkdir(dir, { recursive: true });
  return dir;
}

async function openWorkspace(dir: string): Promise<Workspace> {
  const ws = await Workspace.open(dir, { userDataDir: path.join(tmp, 'user-data'), defaultLabels: LABELS, author: 'tester', now: () => NOW, saveDelayMs: 0 });
  open.push(ws);
  return ws;
}

/**
 * A workspace holding the shared fixture: each article written as a file (the first with CRLF line ends,
 * as it came), then its annotations, relations, status and date stored through the workspace.
 */
async function fixtureWorkspace(): Promise<{ ws: Workspace; docs: ExportDocument[] }> {
  const dir = await folder('fixture');
  const docs = fixtureDocuments();
  for (const [i, doc] of docs.entries()) {
    const file = path.join(dir, ...doc.path.split('/'));
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(file, i === 0 ? doc.text.replace(/\n/g, '\r\n') : doc.text);
  }
  const ws = await openWorkspace(dir);
  for (const doc of docs) {
    const entry = ws.view().documents.find((d) => d.path === doc.path)!;
    await ws.importDocument(entry.id, { annotations: doc.annotations, relations: doc.relations, status: doc.meta.status, dct: doc.meta.dct });
  }
  return { ws, docs };
}

async function exportToString(ws: Workspace, options: Parameters<typeof exportWorkspace>[3], w: FormatWriter = writer): Promise<string> {
  const out = path.join(await folder('out'), 'corpus.jsonl');
  await exportWorkspace(ws, w, out, options);
  return fsp.readFile(out, 'utf8');
}

/** Everything the store knows of each document, by path. */
async function snapshot(ws: Workspace): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const entry of ws.view().documents) {
    const { id, status, dct, dctSource, hash, title, annotationCount }: DocumentEntry = entry;
    out[entry.path] = { entry: { id, status, dct, dctSource, hash, title, annotationCount }, ...(await ws.stored(entry.id)) };
  }
  return { labels: ws.view().labels, documents: out };
}

describe('Gloss JSONL writer', () => {
  it('writes the fixture exactly as the golden file (checked by eye: one line per document, keys in order, pending left out)', async () => {
    const { files, problems } = runWriter(writer, defaultSelection(fixtureDocuments()));
    expect(problems).toEqual([]);
    expect([...files.keys()]).toEqual(['corpus.jsonl']);
    expect(files.get('corpus.jsonl')).toBe(await fsp.readFile(GOLDEN, 'utf8'));
  });

  it('writes every span so that code points of the text give the quote, in JavaScript and in Python', async () => {
    const golden = await fsp.readFile(GOLDEN, 'utf8');
    let spans = 0;
    for (const line of golden.trimEnd().split('\n')) {
      const doc = JSON.parse(line);
      expect(doc.offsetUnit).toBe('codepoint');
      for (const a of doc.annotations) {
        expect(sliceCodePoints(doc.text, a.start, a.end)).toBe(a.text);
        spans++;
      }
    }
    expect(spans).toBe(20);
    const script = [
      'import json, sys',
      'n = 0',
      'for line in open(sys.argv[1], encoding="utf-8"):',
      '    doc = json.loads(line)',
      '    for a in doc["annotations"]:',
      '        assert doc["text"][a["start"]:a["end"]] == a["text"], (a["id"], doc["text"][a["start"]:a["end"]], a["text"])',
      '        n += 1',
      'print(n)',
    ].join('\n');
    expect(execFileSync('/usr/bin/python3', ['-c', script, GOLDEN], { encoding: 'utf8' }).trim()).toBe(String(spans));
  });

  it('escapes the line separators U+2028 and U+2029, which Python splitlines would break a line at', () => {
    const [doc] = fixtureDocuments();
    const line = documentLine({ ...doc, text: 'a\u2028b\u2029c', annotations: [], relations: [] });
    expect(line).not.toMatch(/[\u2028\u2029]/);
    expect(line).toContain('a\\u2028b\\u2029c');
    expect(JSON.parse(line).text).toBe('a\u2028b\u2029c');
  });
});

describe('Gloss JSONL through a workspace', () => {
  let ws: Workspace;
  let docs: ExportDocument[];

  beforeAll(async () => {
    ({ ws, docs } = await fixtureWorkspace());
  });

  it('exports what the fixture holds: same annotations, relations, status and date (ids and titles are the workspace\'s)', async () => {
    const exported = (await exportToString(ws, { documents: 'all' })).trimEnd().split('\n').map((l) => JSON.parse(l));
    const expected = defaultSelection(docs);
    expect(exported.map((d) => d.path)).toEqual(expected.map((d) => d.path).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    for (const doc of exported) {
      const want = expected.find((d) => d.path === doc.path)!;
      expect(doc.text).toBe(want.text);
      expect(doc.meta.dct).toBe(want.meta.dct);
      expect(doc.meta.status).toBe(want.meta.status);
      expect(doc.relations).toEqual(want.relations);
      expect(doc.annotations.map(({ prefix: _p, suffix: _s, ...a }: Record<string, unknown>) => a)).toEqual(want.annotations);
    }
  });

  it('is lossless: export, import into an empty folder, export again gives the same bytes and the same workspace', async () => {
    const first = await exportToString(ws, { documents: 'all', includePending: true });
    const file = path.join(await folder('in'), 'corpus.jsonl');
    await fsp.writeFile(file, first);
    const copy = await openWorkspace(await folder('copy'));
    const summary = await importFrom(copy, file, null);
    expect(summary).toMatchObject({ format: 'gloss', documents: 3, created: 3, refused: 0, problems: [], notices: [] });
    expect(await exportToString(copy, { documents: 'all', includePending: true })).toBe(first);
    expect(await snapshot(copy)).toEqual(await snapshot(ws));

    // Importing the same file again replaces by id: nothing doubles, nothing changes.
    const again = await importFrom(copy, file, 'gloss');
    expect(again).toMatchObject({ documents: 3, created: 0, refused: 0 });
    expect(await snapshot(copy)).toEqual(await snapshot(ws));
  });

  it('leaves out documents not done, labels not chosen (and relations losing an end), and pending suggestions unless asked', async () => {
    const done = (await exportToString(ws, { documents: 'done' })).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(done.map((d) => d.meta.status)).toEqual(['done']);
    expect(done[0].annotations.some((a: { pending?: boolean }) => a.pending)).toBe(false);

    const some = (await exportToString(ws, { documents: 'all', labels: ['EVENT', 'LOCATION'], includePending: true })).trimEnd().split('\n').map((l) => JSON.parse(l));
    const raqqa = some.find((d) => d.meta.status === 'done');
    expect(new Set(raqqa.annotations.map((a: { label: string }) => a.label))).toEqual(new Set(['EVENT', 'LOCATION']));
    expect(raqqa.annotations.some((a: { pending?: boolean }) => a.pending)).toBe(true);
    expect(raqqa.relations.map((r: { id: string }) => r.id)).toEqual(['r3', 'r4']);

    await expect(exportWorkspace(ws, writer, path.join(await folder('x'), 'a.jsonl'), { documents: 'all', labels: ['NOPE'] })).rejects.toThrow(/Unknown label: NOPE/);
  });

  it('refuses to export a folder of articles into the corpus folder itself, where they would be read as articles', async () => {
    const folderWriter: FormatWriter = { name: 'txt', description: 'texts', defaultOutput: 'txt/', document: (d) => [{ file: d.path, data: d.text }] };
    await expect(exportWorkspace(ws, folderWriter, path.join(ws.root, 'out'), { documents: 'all' })).rejects.toThrow(/inside the corpus folder/);
    // Inside the store (hidden) it is fine, and chunk files land under the folder.
    const out = path.join(ws.store.dir, 'exports', 'txt-test');
    const summary = await exportWorkspace(ws, folderWriter, out, { documents: 'all' });
    expect(summary).toMatchObject({ documents: 3, files: 3, location: out });
    expect(await fsp.readFile(path.join(out, '2019', 'baghuz.txt'), 'utf8')).toBe(docs[2].text);
    // A folder that already holds files would mix an old export into the new one.
    await expect(exportWorkspace(ws, folderWriter, out, { documents: 'all' })).rejects.toThrow(/already holds files/);
  });
});

describe('Gloss JSONL import', () => {
  const TEXT = 'Fighters 😀 entered Raqqa.\n';
  const good = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      path: 'a.txt',
      text: TEXT,
      offsetUnit: 'codepoint',
      annotations: [{ id: 'x1', label: 'LOCATION', start: 19, end: 24, text: 'Raqqa' }],
      ...over,
    });

  it('refuses a bad document whole and reports file, line and reason; the good ones import', async () => {
    const lines = [
      good(),
      '{"path": "broken.txt", "text": ',
      good({ path: 'past.txt', text: 'Short.\n', annotations: [{ id: 'p', label: 'ORG', start: 0, end: 5 }, { id: 'q', label: 'ORG', start: 3, end: 40 }] }),
      good({ path: 'quote.txt', text: 'Another text about Raqqa.\n', annotations: [{ id: 'q', label: 'LOCATION', start: 19, end: 24, text: 'Mosul' }] }),
      JSON.stringify({ doc: '001.txt', annotations: [] }),
      good({ path: 'rel.txt', text: 'Third text.\n', annotations: [{ id: 'a', label: 'ORG', start: 0, end: 5 }], relations: [{ id: 'r', type: 'x', from: 'a', to: 'zz' }] }),
      good({ path: 'backwards.txt', text: 'Fourth text.\n', annotations: [{ id: 'a', label: 'ORG', start: 5, end: 5 }] }),
      good({ path: 'dup.txt', text: 'Fifth text.\n', annotations: [{ id: 'a', label: 'ORG', start: 0, end: 5 }, { id: 'a', label: 'ORG', start: 6, end: 10 }] }),
      good({ path: 'badlabel.txt', text: 'Sixth text.\n', annotations: [{ id: 'a', label: 'NO SPACES', start: 0, end: 5 }] }),
      '',
    ];
    const file = path.join(await folder('bad'), 'mixed.jsonl');
    await fsp.writeFile(file, lines.join('\n'));
    const dir = await folder('into');
    const ws = await openWorkspace(dir);
    const progress: number[][] = [];
    const summary = await importFrom(ws, file, 'gloss', { onProgress: (done, total) => progress.push([done, total]) });
    // Lines 2 and 5 are not documents at all; the other seven are counted through, refused or not.
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7].map((d) => [d, 7]));
    expect(summary.documents).toBe(1);
    expect(summary.refused).toBe(8);
    const reasons = summary.problems.map((p) => `${p.file}:${p.line}: ${p.reason}`);
    expect(reasons).toEqual([
      expect.stringMatching(/^mixed\.jsonl:2: malformed JSON/),
      expect.stringMatching(/^mixed\.jsonl:5: this looks like a gold file .*--format gold/),
      'mixed.jsonl:3: annotation q (ORG 3-40): offset 40 is past the end of the text (7 characters)',
      'mixed.jsonl:4: annotation q (LOCATION 19-24): quoted text "Mosul" does not match the text there, "Raqqa"',
      'mixed.jsonl:6: relation r (x): links an annotation that is not in this document',
      'mixed.jsonl:7: annotation a (ORG 5-5): start is not before end',
      'mixed.jsonl:8: annotation a (ORG 6-10): id used twice',
      expect.stringMatching(/^mixed\.jsonl:9: annotation a \(NO SPACES 0-5\): label "NO SPACES" is not a usable label name/),
    ]);
    // Nothing half-imported: only the good document's article was written.
    expect((await fsp.readdir(dir)).filter((f) => !f.startsWith('.'))).toEqual(['a.txt']);
    expect(ws.view().documents.map((d) => [d.path, d.annotationCount])).toEqual([['a.txt', 1]]);
  });

  it('attaches to the article with the same text, wherever it is, and adds unknown labels to the schema', async () => {
    const dir = await folder('attach');
    await fsp.mkdir(path.join(dir, 'sub'));
    await fsp.writeFile(path.join(dir, 'sub', 'mine.txt'), TEXT);
    const ws = await openWorkspace(dir);
    const parsed = reader.read([{ path: 'in.jsonl', content: good({ annotations: [{ id: 'x1', label: 'VEHICLE', start: 0, end: 8 }] }) }]);
    expect(parsed.problems).toEqual([]);
    const summary = await importDocuments(ws, parsed.documents, { now: () => NOW });
    expect(summary).toMatchObject({ documents: 1, created: 0, annotations: 1, refused: 0 });
    expect(summary.notices).toEqual([{ file: 'in.jsonl', line: 1, reason: 'label VEHICLE was not in the schema: added (colour #332288, no key)' }]);
    expect(ws.view().labels.at(-1)).toEqual({ name: 'VEHICLE', key: '', color: '#332288', description: 'Added by an import.' });
    const [entry] = ws.view().documents;
    const stored = (await ws.stored(entry.id)).annotations;
    expect(stored).toEqual([
      { id: 'x1', label: 'VEHICLE', start: 0, end: 8, text: 'Fighters', prefix: '', suffix: ' 😀 entered Raqqa.\n', author: 'tester', created: NOW.toISOString(), modified: NOW.toISOString() },
    ]);
  });

  it('writes new articles only inside the folder, under a free name when the path is taken', async () => {
    const dir = await folder('paths');
    await fsp.writeFile(path.join(dir, 'a.txt'), 'A different article.\n');
    const ws = await openWorkspace(dir);
    const docs = [
      ...reader.read([{ path: 'in.jsonl', content: [good(), good({ path: '../escape.txt', text: 'Escape.\n', annotations: [] }), good({ path: '/etc/x.txt', text: 'Abs.\n', annotations: [] }), good({ path: 'sub/.hidden.txt', text: 'Hidden.\n', annotations: [] }), good({ path: 'notes/report', text: 'No extension.\n', annotations: [] })].join('\n') }]).documents,
    ];
    const summary = await importDocuments(ws, docs);
    expect(summary.problems.map((p) => `${p.line}: ${p.reason}`)).toEqual([
      '2: path "../escape.txt" leaves the folder',
      '3: path "/etc/x.txt" is absolute',
      '4: path "sub/.hidden.txt" names a hidden file or folder, which Gloss does not read',
    ]);
    expect(summary.notices.map((p) => `${p.line}: ${p.reason}`)).toEqual([
      '1: a.txt exists with another text: the article was written as a-2.txt',
      '5: the article was written as notes/report.txt',
    ]);
    expect(ws.view().documents.map((d) => d.path)).toEqual(['a-2.txt', 'a.txt', 'notes/report.txt']);
    expect(await fsp.readFile(path.join(dir, 'a-2.txt'), 'utf8')).toBe(TEXT);
    await expect(fsp.stat(path.join(tmp, 'escape.txt'))).rejects.toThrow();
  });

  it('moves offsets of a text with CRLF line ends to the LF text Gloss reads', async () => {
    const text = 'One\r\nTwo: Mosul\r\nThree 😀 Raqqa\r\n';
    const ws = await openWorkspace(await folder('crlf'));
    const summary = await importDocuments(ws, [
      {
        path: 'crlf.txt',
        text,
        annotations: [
          { label: 'LOCATION', start: 10, end: 15, text: 'Mosul' },
          { label: 'LOCATION', start: 25, end: 30, text: 'Raqqa' },
          { label: 'EVENT', start: 0, end: 8, text: 'One\r\nTwo' },
        ],
        origin: { file: 'x' },
      },
    ]);
    expect(summary).toMatchObject({ documents: 1, refused: 0 });
    const loaded = await ws.load(ws.view().documents[0].id);
    expect(loaded.text).toBe(text.replace(/\r\n/g, '\n'));
    expect(loaded.annotations.map((a) => [a.start, a.end, a.text])).toEqual([
      [0, 7, 'One\nTwo'],
      [9, 14, 'Mosul'],
      [23, 28, 'Raqqa'],
    ]);
  });
});

describe('readInputs', () => {
  it('reads a folder recursively in natural order, only the accepted files, never hidden ones, decoding like articles', async () => {
    const dir = await folder('inputs');
    await fsp.mkdir(path.join(dir, 'b'));
    await fsp.mkdir(path.join(dir, '.hidden'));
    await fsp.writeFile(path.join(dir, 'doc10.jsonl'), '\uFEFF{"a":1}\r\n');
    await fsp.writeFile(path.join(dir, 'doc2.jsonl'), Buffer.from('caf\xe9', 'latin1'));
    await fsp.writeFile(path.join(dir, 'b', 'c.jsonl'), '');
    await fsp.writeFile(path.join(dir, '.hidden', 'd.jsonl'), 'x');
    await fsp.writeFile(path.join(dir, 'e.txt'), 'x');
    const { files, problems, single } = await readInputs(dir, reader);
    expect(single).toBe(false);
    expect(problems).toEqual([]);
    expect(files).toEqual([
      { path: 'b/c.jsonl', content: '' },
      { path: 'doc2.jsonl', content: 'café' },
      { path: 'doc10.jsonl', content: '{"a":1}\n' },
    ]);
    await expect(readInputs(path.join(dir, 'nope'), reader)).rejects.toThrow(/does not exist/);
    expect((await readInputs(path.join(dir, 'e.txt'), reader)).files).toEqual([{ path: 'e.txt', content: 'x' }]);
  });
});

describe('detectFormat', () => {
  it('tells the formats apart by file name, else by the first record', () => {
    const cases: Array<[string, string, string | null]> = [
      ['a/b.ann', 'T1\tORG 0 2\tIS\n', 'brat'],
      ['corpus.conll', '-DOCSTART- O\n', 'conll'],
      ['corpus.jsonl', '\n{"id":"d1","text":"x","offsetUnit":"codepoint","annotations":[]}\n', 'gloss'],
      ['dev.jsonl', '{"doc":"a.txt","annotations":[]}\n', 'gold'],
      ['d.jsonl', '{"text":"x","entities":[]}\n', 'doccano'],
      ['tasks.json', '[{"data":{"text":"x"},"annotations":[]}]', 'labelstudio'],
      ['export.out', '{"text":"x","label":[[0,1,"ORG"]]}\n{"text":"y","label":[]}\n', 'doccano'],
      ['export.out', '[\n {"data": {"text": "x"}, "annotations": []}\n]\n', 'labelstudio'],
      ['article.txt', '{"offsetUnit":"codepoint"}', null],
      ['odd.jsonl', '{"foo":1}\n', null],
      ['broken.json', '{', null],
    ];
    for (const [file, content, format] of cases) expect(detectFormat([{ path: file, content }]), file).toBe(format);
    // In a folder, the first file that looks like something decides; articles say nothing.
    expect(detectFormat([{ path: 'seeds/a.txt', content: 'An article.' }, { path: 'gold/dev.jsonl', content: '{"doc":"a.txt","annotations":[]}' }])).toBe('gold');
  });
});
