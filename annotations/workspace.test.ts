// Tests of an open corpus folder: the document index, annotation operations, persistence and orphans.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiError } from './api/contract.ts';
import { documentIdFor, hashText } from './corpus/scan.ts';
import { contextOf } from './anchors.ts';
import { LabelDef, type Annotation, type DocumentFile, type WorkspaceFile } from './model.ts';
import { workspaceIdFor } from './store/store.ts';
import { Workspace, type WorkspaceOptions } from './workspace.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEEDS = path.resolve(here, '../../shared/corpus/seeds');
const LABELS = z.array(LabelDef).parse(JSON.parse(await fsp.readFile(path.resolve(here, '../resources/labels.json'), 'utf8')));
const BAGHOUZ_FILE = '000_e55e6185f7ffecdf.txt';

let tmp: string;
let corpus: string;
let userData: string;
let clock: number;
const open: Workspace[] = [];

const options = (): WorkspaceOptions => ({
  userDataDir: userData,
  defaultLabels: LABELS,
  author: 'tester',
  now: () => new Date((clock += 1000)),
  // Saves at once: some tests fake the timers (workspace-durability.test.ts covers the debounce).
  saveDelayMs: 0,
});

async function openWs(folder = corpus): Promise<Workspace> {
  const ws = await Workspace.open(folder, options());
  open.push(ws);
  return ws;
}

/** Code point offset of the first occurrence of `needle` in `text`. */
function codePointIndexOf(text: string, needle: string): number {
  const u16 = text.indexOf(needle);
  if (u16 < 0) throw new Error(`${needle} not in text`);
  return Array.from(text.slice(0, u16)).length;
}

const cpLength = (s: string): number => Array.from(s).length;

/** The ApiError a promise rejects with. */
async function apiError(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

const readJson = async <T>(file: string): Promise<T> => JSON.parse(await fsp.readFile(file, 'utf8')) as T;

beforeEach(async () => {
  clock = Date.UTC(2024, 0, 1);
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-ws-')));
  corpus = path.join(tmp, 'corpus');
  userData = path.join(tmp, 'user-data');
  await fsp.mkdir(corpus);
  for (const name of await fsp.readdir(SEEDS)) {
    await fsp.copyFile(path.join(SEEDS, name), path.join(corpus, name));
    await fsp.chmod(path.join(corpus, name), 0o644);
  }
});

afterEach(async () => {
  vi.useRealTimers();
  for (const ws of open.splice(0)) await ws.close().catch(() => undefined);
  await fsp.rm(tmp, { recursive: true, force: true });
});

describe('Workspace.open', () => {
  it('indexes the 5 seed articles in natural order with ids, titles and hashes', async () => {
    const ws = await openWs();
    const view = ws.view();
    const names = (await fsp.readdir(SEEDS)).sort();
    expect(names).toHaveLength(5);
    expect(view.documents.map((d) => d.path)).toEqual(names);
    expect(view.id).toBe(workspaceIdFor(corpus));
    expect(view.name).toBe('corpus');
    expect(view.folder).toBe(corpus);
    expect(view.store).toEqual({ kind: 'folder', dir: path.join(corpus, '.gloss') });
    expect(view.labels).toEqual(LABELS);
    expect(view.skipped).toEqual([]);
    expect(view.problems).toEqual([]);
    for (const doc of view.documents) {
      const text = await fsp.readFile(path.join(corpus, doc.path), 'utf8');
      expect(doc.id).toBe(documentIdFor(doc.path));
      expect(doc.id).toMatch(/^d[0-9a-f]{16}$/);
      expect(doc.hash).toBe(hashText(text));
      expect(doc.title).toBe(text.split('\n')[0].trim());
      expect(doc.length).toBe(cpLength(text));
      expect(doc.annotationCount).toBe(0);
    }
    expect(view.documents[0].title).toBe('Hundreds leave ISIS pocket of Baghouz in mass surrender');
    expect(new Set(view.documents.map((d) => d.id)).size).toBe(5);
    // The index is saved on open.
    const saved = await readJson<WorkspaceFile>(path.join(corpus, '.gloss', 'workspace.json'));
    expect(saved.documents.map((d) => d.id)).toEqual(view.documents.map((d) => d.id));
  });

  it('rejects a folder that does not exist or is a file with not-found', async () => {
    expect((await apiError(Workspace.open(path.join(tmp, 'nope'), options()))).code).toBe('not-found');
    expect((await apiError(Workspace.open(path.join(corpus, BAGHOUZ_FILE), options()))).code).toBe('not-found');
  });

  it('reports non-article files as skipped', async () => {
    await fsp.writeFile(path.join(corpus, 'photo.jpg'), 'x');
    const ws = await openWs();
    expect(ws.view().skipped).toEqual([{ path: 'photo.jpg', reason: expect.stringMatching(/unsupported/) }]);
    expect(ws.view().documents).toHaveLength(5);
  });
});

describe('annotations on a seed article', () => {
  async function setup() {
    const ws = await openWs();
    const entry = ws.view().documents.find((d) => d.path === BAGHOUZ_FILE)!;
    const text = await fsp.readFile(path.join(corpus, BAGHOUZ_FILE), 'utf8');
    const start = codePointIndexOf(text, 'Baghouz');
    return { ws, docId: entry.id, text, start, end: start + cpLength('Baghouz') };
  }

  it('creates an annotation that is on disk when the call resolves, and survives a re-open', async () => {
    const { ws, docId, start, end } = await setup();
    const created = await ws.create(docId, { id: 'a1', label: 'LOCATION', start, end });
    expect(created).toMatchObject({ id: 'a1', label: 'LOCATION', start, end, text: 'Baghouz', author: 'tester' });
    expect(created.created).toBe('2024-01-01T00:00:01.000Z');
    expect(created.modified).toBe(created.created);

    // On disk already, before any close.
    const file = path.join(corpus, '.gloss', 'docs', `${docId}.json`);
    const stored = await readJson<DocumentFile>(file);
    expect(stored).toMatchObject({
      format: 'gloss-document',
      version: 1,
      docId,
      path: BAGHOUZ_FILE,
      offsetUnit: 'codepoint',
      hash: ws.view().documents[0].hash,
    });
    expect(stored.annotations).toEqual([created]);

    await ws.close();
    const again = await openWs();
    expect(again).not.toBe(ws);
    const loaded = await again.load(docId);
    expect(loaded.orphans).toEqual([]);
    expect(loaded.annotations).toHaveLength(1);
    const [a] = loaded.annotations;
    expect(a).toMatchObject({ id: 'a1', label: 'LOCATION', start, end, text: 'Baghouz', author: 'tester' });
    expect(a.created).toBe(created.created);
    expect(a.modified).toBe(created.modified);
    expect(loaded.text.slice(start, end)).toBe('Baghouz');
    expect(loaded.entry.annotationCount).toBe(1);
  });

  it('updates (relabel and re-span), removes and restores, each persisted', async () => {
    const { ws, docId, start, end } = await setup();
    const file = path.join(corpus, '.gloss', 'docs', `${docId}.json`);
    const created = await ws.create(docId, { id: 'a1', label: 'LOCATION', start, end });

    const relabelled = await ws.update(docId, 'a1', { label: 'ORG' });
    expect(relabelled).toMatchObject({ id: 'a1', label: 'ORG', start, end, text: 'Baghouz', created: created.created });
    expect(relabelled.modified > created.modified).toBe(true);
    expect((await readJson<DocumentFile>(file)).annotations).toEqual([relabelled]);

    const narrowed = await ws.update(docId, 'a1', { start: start + 1, end: end - 1, label: undefined });
    expect(narrowed).toMatchObject({ label: 'ORG', start: start + 1, end: end - 1, text: 'aghou' });

    const removed = await ws.remove(docId, 'a1');
    expect(removed).toEqual(narrowed);
    expect((await readJson<DocumentFile>(file)).annotations).toEqual([]);
    expect((await ws.load(docId)).annotations).toEqual([]);

    const restored = await ws.restore(docId, removed);
    expect(restored).toEqual(removed);
    expect((await readJson<DocumentFile>(file)).annotations).toEqual([removed]);
    expect((await ws.load(docId)).annotations).toEqual([removed]);
  });

  it('keeps annotations sorted by offset', async () => {
    const { ws, docId, text } = await setup();
    const second = codePointIndexOf(text, 'Syrian');
    await ws.create(docId, { id: 'late', label: 'ORG', start: second, end: second + 6 });
    await ws.create(docId, { id: 'early', label: 'LOCATION', start: 0, end: 8 });
    expect((await ws.load(docId)).annotations.map((a) => a.id)).toEqual(['early', 'late']);
  });

  it('refuses bad edits with the right error codes, changing nothing', async () => {
    const { ws, docId, text, start, end } = await setup();
    const length = cpLength(text);
    const file = path.join(corpus, '.gloss', 'docs', `${docId}.json`);
    const a1 = await ws.create(docId, { id: 'a1', label: 'LOCATION', start, end });

    expect((await apiError(ws.create(docId, { id: 'x', label: 'NOPE', start, end }))).code).toBe('invalid-input');
    expect((await apiError(ws.create(docId, { id: 'x', label: 'LOCATION', start: 5, end: 5 }))).code).toBe('invalid-input');
    expect((await apiError(ws.create(docId, { id: 'x', label: 'LOCATION', start: 9, end: 5 }))).code).toBe('invalid-input');
    expect((await apiError(ws.create(docId, { id: 'x', label: 'LOCATION', start: 0, end: length + 1 }))).code).toBe(
      'invalid-input',
    );
    expect((await apiError(ws.create(docId, { id: 'a1', label: 'LOCATION', start: 0, end: 3 }))).code).toBe('conflict');
    expect((await apiError(ws.create('dnope', { id: 'x', label: 'LOCATION', start, end }))).code).toBe('not-found');
    expect((await apiError(ws.load('dnope'))).code).toBe('not-found');

    expect((await apiError(ws.update(docId, 'missing', { label: 'ORG' }))).code).toBe('not-found');
    expect((await apiError(ws.update(docId, 'a1', { label: 'NOPE' }))).code).toBe('invalid-input');
    expect((await apiError(ws.update(docId, 'a1', { end: length + 5 }))).code).toBe('invalid-input');
    expect((await apiError(ws.update(docId, 'a1', { start: end }))).code).toBe('invalid-input');
    expect((await apiError(ws.remove(docId, 'missing'))).code).toBe('not-found');

    expect((await apiError(ws.restore(docId, a1))).code).toBe('conflict');
    const wrongText: Annotation = { ...a1, id: 'a2', text: 'Raqqa' };
    expect((await apiError(ws.restore(docId, wrongText))).code).toBe('conflict');
    const pastEnd: Annotation = { ...a1, id: 'a3', start: length, end: length + 7 };
    expect((await apiError(ws.restore(docId, pastEnd))).code).toBe('invalid-input');

    // A span that ends exactly at the end of the text is fine.
    const last = await ws.create(docId, { id: 'last', label: 'EVENT', start: length - 1, end: length });
    expect(last.text).toBe(Array.from(text).at(-1));

    // Nothing of the refused edits reached the file or the loaded state.
    const stored = await readJson<DocumentFile>(file);
    expect(stored.annotations.map((a) => a.id)).toEqual(['a1', 'last']);
    expect(stored.annotations[0]).toEqual(a1);
    expect((await ws.load(docId)).annotations.map((a) => a.id)).toEqual(['a1', 'last']);
  });

  it('follows creates and removes in the annotation counts of view().documents', async () => {
    const { ws, docId, start, end } = await setup();
    const count = () => ws.view().documents.find((d) => d.id === docId)!.annotationCount;
    const others = () => ws.view().documents.filter((d) => d.id !== docId).map((d) => d.annotationCount);
    expect(count()).toBe(0);
    await ws.create(docId, { id: 'a1', label: 'LOCATION', start, end });
    expect(count()).toBe(1);
    await ws.create(docId, { id: 'a2', label: 'EVENT', start: 0, end: 7 });
    expect(count()).toBe(2);
    await ws.remove(docId, 'a1');
    expect(count()).toBe(1);
    await ws.restore(docId, (await ws.remove(docId, 'a2')) as Annotation);
    expect(count()).toBe(1);
    expect(others()).toEqual([0, 0, 0, 0]);
  });

  it('close() writes the debounced workspace index', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { ws, docId, start, end } = await setup();
    const wsFile = path.join(corpus, '.gloss', 'workspace.json');
    const savedCount = async () =>
      (await readJson<WorkspaceFile>(wsFile)).documents.find((d) => d.id === docId)!.annotationCount;
    await ws.create(docId, { id: 'a1', label: 'LOCATION', start, end });
    // The index save is debounced (the timer cannot fire here: timers are fake).
    expect(await savedCount()).toBe(0);
    await ws.close();
    expect(await savedCount()).toBe(1);

    // A re-opened workspace reads the saved count without opening the document.
    vi.useRealTimers();
    const again = await openWs();
    expect(again.view().documents.find((d) => d.id === docId)!.annotationCount).toBe(1);
  });

  it('recounts on open when a crash beat the debounced index save', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { ws, docId, start, end } = await setup();
    await ws.create(docId, { id: 'a1', label: 'LOCATION', start, end });
    // No close(): the process "crashed" with the index on disk still saying 0.
    const wsFile = path.join(corpus, '.gloss', 'workspace.json');
    expect((await readJson<WorkspaceFile>(wsFile)).documents.find((d) => d.id === docId)!.annotationCount).toBe(0);
    vi.useRealTimers();
    // A crashed process's lock is taken over on the next open; here it is simply gone.
    await fsp.rm(path.join(corpus, '.gloss', 'lock'));
    const again = await openWs();
    expect(again.view().documents.find((d) => d.id === docId)!.annotationCount).toBe(1);
  });

  it('keeps annotations whose text changed on disk as orphans, never dropping them', async () => {
    const { ws, docId, text, start, end } = await setup();
    const file = path.join(corpus, '.gloss', 'docs', `${docId}.json`);
    const kept = await ws.create(docId, { id: 'kept', label: 'EVENT', start: 0, end: 7 });
    const moved = await ws.create(docId, { id: 'moved', label: 'LOCATION', start, end });
    expect(kept.text).toBe('Hundred');

    // The article is edited: the headline loses 'Baghouz'. The other mentions have other context, so
    // the annotation is not moved onto one of them.
    const edited = text.replace('Hundreds leave ISIS pocket of Baghouz', 'Hundreds leave the last ISIS pocket');
    expect(edited).toContain('Baghouz');
    expect(edited).not.toBe(text);
    await fsp.writeFile(path.join(corpus, BAGHOUZ_FILE), edited);

    const loaded = await ws.load(docId);
    expect(loaded.text).toBe(edited);
    expect(loaded.annotations).toEqual([kept]);
    expect(loaded.orphans).toEqual([moved]);
    expect(loaded.entry.hash).toBe(hashText(edited));
    expect(loaded.entry.length).toBe(cpLength(edited));
    // Still in the store file.
    expect((await readJson<DocumentFile>(file)).annotations.map((a) => a.id)).toEqual(['kept', 'moved']);

    // Also after a re-open, and when the text got shorter than the annotation's end.
    await ws.close();
    await fsp.writeFile(path.join(corpus, BAGHOUZ_FILE), 'Short.\n');
    const again = await openWs();
    const reloaded = await again.load(docId);
    expect(reloaded.annotations).toEqual([]);
    expect(reloaded.orphans.map((a) => a.id)).toEqual(['kept', 'moved']);
    expect((await readJson<DocumentFile>(file)).annotations).toHaveLength(2);
  });

  it('refuses edits of a document whose file was deleted with unavailable', async () => {
    const { ws, docId, start, end } = await setup();
    await fsp.rm(path.join(corpus, BAGHOUZ_FILE));
    expect((await apiError(ws.load(docId))).code).toBe('unavailable');
    expect((await apiError(ws.create(docId, { id: 'a1', label: 'LOCATION', start, end }))).code).toBe('unavailable');
  });
});

describe('finding annotations again in a changed file', () => {
  /** The seed article with a typo, 'battle of Baghous', opened and annotated. */
  async function setup() {
    const ws = await openWs();
    const entry = ws.view().documents.find((d) => d.path === BAGHOUZ_FILE)!;
    const seed = await fsp.readFile(path.join(corpus, BAGHOUZ_FILE), 'utf8');
    const text = seed.replace('battle of Baghouz', 'battle of Baghous');
    await fsp.writeFile(path.join(corpus, BAGHOUZ_FILE), text);
    const docId = entry.id;
    expect((await ws.load(docId)).text).toBe(text);
    const span = (id: string, label: string, quote: string) => {
      const start = codePointIndexOf(text, quote);
      return ws.create(docId, { id, label, start, end: start + cpLength(quote) });
    };
    const created = {
      head: await span('head', 'LOCATION', 'Baghouz'),
      bali: await span('bali', 'PERSON', 'Mustafa Bali'),
      typo: await span('typo', 'LOCATION', 'Baghous'),
      lorries: await span('lorries', 'WEAPON', 'lorries'),
    };
    const file = path.join(corpus, '.gloss', 'docs', `${docId}.json`);
    return { ws, docId, text, created, file };
  }

  /** The paragraph of 'lorries' and the blank line after it (it has a no-break space, so it is not typed here). */
  const lorriesParagraph = (text: string) => text.split('\n').find((l) => l.startsWith('Dozens of lorries'))! + '\n\n';

  it('saves prefix and suffix with created, updated and restored annotations', async () => {
    const { ws, docId, text, created, file } = await setup();
    const { bali } = created;
    expect({ prefix: bali.prefix, suffix: bali.suffix }).toEqual(contextOf(text, bali.start, bali.end));
    expect(bali.prefix).toBe('an shields by Daesh," spokesman ');
    const narrowed = await ws.update(docId, 'bali', { start: bali.start + 8 });
    expect(narrowed).toMatchObject({ text: 'Bali', prefix: 'ds by Daesh," spokesman Mustafa ', suffix: created.bali.suffix });
    await ws.remove(docId, 'bali');
    // The store is the authority on context: what the client sends is replaced.
    const restored = await ws.restore(docId, { ...narrowed, prefix: 'forged', suffix: 'forged' });
    expect(restored).toEqual(narrowed);
    const stored = (await readJson<DocumentFile>(file)).annotations.find((a) => a.id === 'bali');
    expect(stored).toEqual(narrowed);
  });

  it('moves annotations after edits before and inside them, orphans a deleted one, and saves once', async () => {
    const { ws, docId, text, created, file } = await setup();
    const lorries = lorriesParagraph(text);
    // Text inserted after the headline (before 'bali' and 'typo'), the typo fixed, a paragraph deleted.
    const edited = text
      .replace('civilian casualties\n', 'civilian casualties, officials said on Monday\n')
      .replace('battle of Baghous', 'battle of Baghouz')
      .replace(lorries, '');
    await fsp.writeFile(path.join(corpus, BAGHOUZ_FILE), edited);

    const loaded = await ws.load(docId);
    // Re-anchored offsets are saved in the background; wait for them to be durable.
    await ws.flush();
    expect(loaded.reanchored).toBe(2);
    expect(loaded.annotations.map((a) => a.id)).toEqual(['head', 'bali', 'typo']);
    expect(loaded.orphans).toEqual([created.lorries]);
    const byId = new Map(loaded.annotations.map((a) => [a.id, a]));
    expect(byId.get('head')).toEqual(created.head);
    const shift = ', officials said on Monday'.length;
    expect(byId.get('bali')).toMatchObject({ start: created.bali.start + shift, end: created.bali.end + shift, text: 'Mustafa Bali' });
    expect(byId.get('typo')).toMatchObject({ start: created.typo.start + shift, end: created.typo.end + shift, text: 'Baghouz' });
    for (const a of loaded.annotations) {
      expect(Array.from(edited).slice(a.start, a.end).join('')).toBe(a.text);
      expect({ prefix: a.prefix, suffix: a.suffix }).toEqual(contextOf(edited, a.start, a.end));
    }
    expect(byId.get('bali')!.modified > created.lorries.modified).toBe(true);
    expect(byId.get('bali')!.created).toBe(created.bali.created);

    // On disk: the new offsets, the new hash, and the orphan exactly as it was.
    const stored = await readJson<DocumentFile>(file);
    expect(stored.hash).toBe(hashText(edited));
    expect(stored.annotations).toEqual([...loaded.annotations, created.lorries].sort((a, b) => a.start - b.start));
    expect(stored.annotations.find((a) => a.id === 'lorries')).toEqual(created.lorries);

    // A second load finds everything where it was saved: nothing moves, nothing is written.
    const before = await fsp.readFile(file, 'utf8');
    const again = await ws.load(docId);
    // Re-anchored offsets are saved in the background; wait for them to be durable.
    await ws.flush();
    expect(again.reanchored).toBe(0);
    expect(again.annotations).toEqual(loaded.annotations);
    expect(again.orphans).toEqual([created.lorries]);
    expect(await fsp.readFile(file, 'utf8')).toBe(before);
  });

  it('brings an orphan back when its paragraph is restored, also after a re-open', async () => {
    const { ws, docId, text, created, file } = await setup();
    await fsp.writeFile(path.join(corpus, BAGHOUZ_FILE), text.replace(lorriesParagraph(text), ''));
    expect((await ws.load(docId)).orphans.map((a) => a.id)).toEqual(['lorries']);
    await ws.close();

    await fsp.writeFile(path.join(corpus, BAGHOUZ_FILE), 'Breaking.\n' + text);
    const reopened = await openWs();
    const loaded = await reopened.load(docId);
    // Re-anchored offsets are saved in the background; wait for them to be durable.
    await reopened.flush();
    expect(loaded.orphans).toEqual([]);
    expect(loaded.reanchored).toBe(4);
    const lorries = loaded.annotations.find((a) => a.id === 'lorries')!;
    expect(lorries).toMatchObject({ start: created.lorries.start + 10, text: 'lorries', created: created.lorries.created });
    const stored = await readJson<DocumentFile>(file);
    expect(stored.annotations.find((a) => a.id === 'lorries')).toEqual(lorries);
  });

  it('keeps every anchor when the file only changes from LF to CRLF line endings', async () => {
    const { ws, docId, text, created, file } = await setup();
    const before = await fsp.readFile(file, 'utf8');
    await fsp.writeFile(path.join(corpus, BAGHOUZ_FILE), text.replaceAll('\n', '\r\n'));
    const loaded = await ws.load(docId);
    // Re-anchored offsets are saved in the background; wait for them to be durable.
    await ws.flush();
    expect(loaded.text).toBe(text);
    expect(loaded.reanchored).toBe(0);
    expect(loaded.orphans).toEqual([]);
    expect(loaded.annotations).toEqual(Object.values(created).sort((a, b) => a.start - b.start));
    expect(await fsp.readFile(file, 'utf8')).toBe(before);
  });

  it('re-anchors annotations saved before prefix and suffix existed, and adds them', async () => {
    const { ws, docId, text, file } = await setup();
    await ws.close();
    // An older store file: no context on any annotation.
    const old = await readJson<DocumentFile>(file);
    for (const a of old.annotations) {
      delete a.prefix;
      delete a.suffix;
    }
    await fsp.writeFile(file, JSON.stringify(old));
    await fsp.writeFile(path.join(corpus, BAGHOUZ_FILE), 'Breaking.\n' + text);

    const reopened = await openWs();
    const loaded = await reopened.load(docId);
    await reopened.flush();
    expect(loaded.orphans).toEqual([]);
    expect(loaded.reanchored).toBe(4);
    const bali = loaded.annotations.find((a) => a.id === 'bali')!;
    expect(bali.text).toBe('Mustafa Bali');
    expect(bali.start).toBe(old.annotations.find((a) => a.id === 'bali')!.start + 10);
    const stored = (await readJson<DocumentFile>(file)).annotations.find((a) => a.id === 'bali')!;
    expect(stored.prefix).toBe('an shields by Daesh," spokesman ');
    expect(stored.start).toBe(bali.start);
  });
});

describe('code point offsets', () => {
  const TEXT = 'Strike 🚀 on الرَّقَّة and Mosul, café\u0301 owner killed\n';

  async function setup() {
    const folder = path.join(tmp, 'unicode');
    await fsp.mkdir(folder);
    await fsp.writeFile(path.join(folder, 'strike.txt'), TEXT);
    const ws = await openWs(folder);
    const [entry] = ws.view().documents;
    return { ws, folder, docId: entry.id, entry };
  }

  it('stores and re-reads spans after astral characters, Arabic diacritics and combining accents', async () => {
    const { ws, folder, docId, entry } = await setup();
    expect(entry.length).toBe(cpLength(TEXT));
    expect(entry.length).toBe(TEXT.length - 1); // one astral character

    const mosul = codePointIndexOf(TEXT, 'Mosul');
    expect(TEXT.indexOf('Mosul')).toBe(mosul + 1); // UTF-16 offsets differ by the rocket's second unit
    const a = await ws.create(docId, { id: 'mosul', label: 'LOCATION', start: mosul, end: mosul + 5 });
    expect(a.text).toBe('Mosul');

    const rocket = codePointIndexOf(TEXT, '🚀');
    const r = await ws.create(docId, { id: 'rocket', label: 'WEAPON', start: rocket, end: rocket + 1 });
    expect(r.text).toBe('🚀');

    const raqqa = 'الرَّقَّة';
    const q = codePointIndexOf(TEXT, raqqa);
    const aq = await ws.create(docId, { id: 'raqqa', label: 'LOCATION', start: q, end: q + cpLength(raqqa) });
    expect(aq.text).toBe(raqqa);

    const cafe = 'café\u0301';
    const c = codePointIndexOf(TEXT, cafe);
    expect(cpLength(cafe)).toBe(5);
    const ac = await ws.create(docId, { id: 'cafe', label: 'ORG', start: c, end: c + 5 });
    expect(ac.text).toBe(cafe);

    const stored = await readJson<DocumentFile>(path.join(folder, '.gloss', 'docs', `${docId}.json`));
    expect(stored.offsetUnit).toBe('codepoint');
    const byId = new Map(stored.annotations.map((x) => [x.id, x]));
    expect(byId.get('mosul')).toMatchObject({ start: mosul, end: mosul + 5, text: 'Mosul' });
    expect(byId.get('rocket')).toMatchObject({ start: 7, end: 8, text: '🚀' });
    expect(byId.get('raqqa')!.text).toBe(raqqa);
    expect(byId.get('cafe')!.text).toBe(cafe);

    await ws.close();
    const loaded = await (await openWs(folder)).load(docId);
    expect(loaded.orphans).toEqual([]);
    expect(loaded.annotations.map((x) => x.id)).toEqual(['rocket', 'raqqa', 'mosul', 'cafe']);
    for (const x of loaded.annotations) expect(Array.from(loaded.text).slice(x.start, x.end).join('')).toBe(x.text);
  });

  it('allows the last code point as an end offset, and refuses one past it', async () => {
    const { ws, docId } = await setup();
    const n = cpLength(TEXT);
    const err = await apiError(ws.create(docId, { id: 'x', label: 'EVENT', start: n - 3, end: n + 1 }));
    expect(err.code).toBe('invalid-input');
    const a = await ws.create(docId, { id: 'x', label: 'EVENT', start: n - 7, end: n });
    expect(a.text).toBe('killed\n');
  });
});
