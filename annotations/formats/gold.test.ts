// The gold adapter: flat attributes and UTF-16 offsets read right, texts found beside the gold, and the shared
// corpus's dev.jsonl imported into an empty folder and into one that has the articles already.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabelDef } from '../model.ts';
import { sliceCodePoints } from '../offsets.ts';
import { Workspace } from '../workspace.ts';
import { goldArticles, reader } from './gold.ts';
import { importFrom } from './import.ts';
import { detectFormat } from './index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.resolve(here, '../../../shared/corpus');
const GOLD = path.join(CORPUS, 'gold', 'dev.jsonl');
const LABELS = LabelDef.array().parse(JSON.parse(await fsp.readFile(path.join(here, '../../resources/labels.json'), 'utf8')));

interface GoldAnnotation {
  label: string;
  start: number;
  end: number;
  text: string;
  [attr: string]: unknown;
}
interface GoldLine {
  doc: string;
  dct: string;
  annotations: GoldAnnotation[];
}
const gold: GoldLine[] = (await fsp.readFile(GOLD, 'utf8'))
  .trimEnd()
  .split('\n')
  .map((l) => JSON.parse(l));

let tmp: string;
let n = 0;
const open: Workspace[] = [];

beforeAll(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-gold-')));
});

afterAll(async () => {
  for (const ws of open) await ws.close().catch(() => undefined);
  await fsp.rm(tmp, { recursive: true, force: true });
});

async function emptyWorkspace(): Promise<Workspace> {
  const dir = path.join(tmp, `ws-${n++}`);
  await fsp.mkdir(dir);
  return openAt(dir);
}

async function openAt(dir: string): Promise<Workspace> {
  const ws = await Workspace.open(dir, { userDataDir: path.join(tmp, 'user-data'), defaultLabels: LABELS, author: 'tester', saveDelayMs: 0 });
  open.push(ws);
  return ws;
}

/** Every gold annotation of every document is stored with its span, quote and flat attributes. */
async function expectGoldIn(ws: Workspace): Promise<void> {
  for (const line of gold) {
    const entry = ws.view().documents.find((d) => d.path === line.doc)!;
    expect(entry, line.doc).toBeDefined();
    expect(entry.dct).toBe(line.dct);
    const { text, annotations } = await ws.load(entry.id);
    expect(annotations).toHaveLength(line.annotations.length);
    for (const g of line.annotations) {
      const { label, start, end, text: quote, ...attrs } = g;
      const found = annotations.filter((a) => a.label === label && a.start === start && a.end === end);
      expect(found, `${line.doc} ${label} ${start}-${end}`).toHaveLength(1);
      expect(sliceCodePoints(text, start, end)).toBe(quote);
      expect(found[0]).toMatchObject({ text: quote, author: 'gold', source: 'import:gold' });
      expect(found[0].attrs).toEqual(Object.keys(attrs).length > 0 ? attrs : undefined);
    }
  }
}

describe('gold reader', () => {
  it('turns UTF-16 offsets into code points, keeps flat attributes, and gives every span a stable id', () => {
    const text = 'On 😀 day, 12 people died in Raqqa.\n';
    const line = {
      doc: 'a.txt',
      dct: '2017-08-30',
      ignore: ['US'],
      annotations: [
        { label: 'CASUALTIES', start: 11, end: 20, text: '12 people', low: 12, high: 12, approx: false, group: 'people', outcome: 'killed' },
        { label: 'LOCATION', start: 29, end: 34, text: 'Raqqa' },
        { label: 'LOCATION', start: 29, end: 34, text: 'Raqqa' },
      ],
    };
    const { documents, problems } = reader.read([
      { path: 'gold/dev.jsonl', content: JSON.stringify(line) + '\n' },
      { path: 'seeds/a.txt', content: text },
    ]);
    expect(problems).toEqual([]);
    expect(documents).toEqual([
      {
        path: 'a.txt',
        text,
        meta: { dct: '2017-08-30' },
        annotations: [
          {
            id: 'gold-11-20-CASUALTIES',
            label: 'CASUALTIES',
            start: 10,
            end: 19,
            text: '12 people',
            attrs: { low: 12, high: 12, approx: false, group: 'people', outcome: 'killed' },
            author: 'gold',
            source: 'import:gold',
          },
          { id: 'gold-29-34-LOCATION', label: 'LOCATION', start: 28, end: 33, text: 'Raqqa', author: 'gold', source: 'import:gold' },
          { id: 'gold-29-34-LOCATION-2', label: 'LOCATION', start: 28, end: 33, text: 'Raqqa', author: 'gold', source: 'import:gold' },
        ],
        origin: { file: 'gold/dev.jsonl', line: 1 },
      },
    ]);
    for (const a of documents[0].annotations) expect(sliceCodePoints(text, a.start, a.end)).toBe(a.text);
    expect(goldArticles([{ path: 'dev.jsonl', content: JSON.stringify(line) }])).toEqual(['a.txt']);
  });

  it('reports lines it cannot use: malformed, not gold, no text, an offset inside a character', () => {
    const { documents, problems } = reader.read([
      {
        path: 'dev.jsonl',
        content: [
          '{"doc": ',
          '{"text": "x"}',
          JSON.stringify({ doc: 'missing.txt', annotations: [] }),
          JSON.stringify({ doc: 'a.txt', annotations: [{ label: 'X', start: 1, end: 2 }] }),
        ].join('\n'),
      },
      { path: 'a.txt', content: '😀 x' },
    ]);
    expect(documents).toEqual([]);
    expect(problems).toEqual([
      { file: 'dev.jsonl', line: 1, reason: expect.stringMatching(/^malformed JSON/) },
      { file: 'dev.jsonl', line: 2, reason: expect.stringMatching(/^not a gold line: doc/) },
      { file: 'dev.jsonl', line: 3, reason: 'no article text for missing.txt (not in the folder, nor in ../seeds beside the gold folder)' },
      { file: 'dev.jsonl', line: 4, reason: 'annotations.0 (X 1-2): offsets past the end of a.txt or inside a character' },
    ]);
  });

  it('is told apart from Gloss JSONL by its shape', () => {
    expect(detectFormat([{ path: 'dev.jsonl', content: (gold.map((l) => JSON.stringify(l)).join('\n')) }])).toBe('gold');
  });
});

describe('importing the shared gold (../shared/corpus/gold/dev.jsonl)', () => {
  it('brings the articles in from ../seeds into an empty folder, with every span, quote, attribute and date', async () => {
    const ws = await emptyWorkspace();
    const summary = await importFrom(ws, GOLD, null);
    expect(summary).toMatchObject({ format: 'gold', documents: 3, created: 3, refused: 0, problems: [], notices: [] });
    expect(summary.annotations).toBe(gold.reduce((n, l) => n + l.annotations.length, 0));
    expect((await fsp.readdir(ws.root)).filter((f) => !f.startsWith('.')).sort()).toEqual(gold.map((l) => l.doc).sort());
    for (const line of gold) {
      expect(await fsp.readFile(path.join(ws.root, line.doc), 'utf8')).toBe(await fsp.readFile(path.join(CORPUS, 'seeds', line.doc), 'utf8'));
    }
    await expectGoldIn(ws);

    // The same gold again replaces (stable ids): nothing doubles.
    const again = await importFrom(ws, GOLD, 'gold');
    expect(again).toMatchObject({ documents: 3, created: 0, refused: 0 });
    await expectGoldIn(ws);
  });

  it('attaches to the articles a folder has already (the sample corpus), writing nothing new', async () => {
    const dir = path.join(tmp, `sample-${n++}`);
    await fsp.cp(path.join(CORPUS, 'seeds'), dir, { recursive: true });
    const ws = await openAt(dir);
    const summary = await importFrom(ws, GOLD, 'gold');
    expect(summary).toMatchObject({ documents: 3, created: 0, refused: 0 });
    expect(ws.view().documents).toHaveLength(5);
    await expectGoldIn(ws);
  });

  it('reads the whole corpus folder (gold and seeds side by side), guessing the format', async () => {
    const ws = await emptyWorkspace();
    const summary = await importFrom(ws, CORPUS, null);
    expect(summary).toMatchObject({ format: 'gold', documents: 3, created: 3, refused: 0 });
    await expectGoldIn(ws);
  });
});
