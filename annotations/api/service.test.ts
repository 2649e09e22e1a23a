// Tests of GlossService: payload validation, errors as values, recent folders and the sample corpus.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Annotation, DocumentEntry } from '../model.ts';
import { workspaceIdFor } from '../store/store.ts';
import type { Workspace } from '../workspace.ts';
import type { LoadedDocument, RecentFolder, Result, WorkspaceView } from './contract.ts';
import { GlossService, checkoutResourcesDir, type ServiceOptions } from './service.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEEDS = path.resolve(here, '../../../shared/corpus/seeds');

let tmp: string;
let userData: string;
const services: GlossService[] = [];

function makeService(extra: Partial<ServiceOptions> = {}): GlossService {
  const service = new GlossService({ shell: 'browser', version: '9.8.7', userDataDir: userData, saveDelayMs: 10, ...extra });
  services.push(service);
  return service;
}

/** A corpus folder with copies of the seed articles. */
async function seedCorpus(name: string): Promise<string> {
  const folder = path.join(tmp, name);
  await fsp.mkdir(folder);
  for (const file of await fsp.readdir(SEEDS)) {
    await fsp.copyFile(path.join(SEEDS, file), path.join(folder, file));
    await fsp.chmod(path.join(folder, file), 0o644);
  }
  return folder;
}

function ok<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

function errorCode(result: Result<unknown>): string {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('expected an error');
  expect(typeof result.error.message).toBe('string');
  expect(result.error.message.length).toBeGreaterThan(0);
  return result.error.code;
}

beforeEach(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-service-')));
  userData = path.join(tmp, 'user-data');
});

afterEach(async () => {
  for (const s of services.splice(0)) await s.close().catch(() => undefined);
  await fsp.rm(tmp, { recursive: true, force: true });
});

describe('GlossService with no folder open', () => {
  it("answers 'workspace:get' with null", async () => {
    const service = makeService();
    expect(await service.dispatch('workspace:get', {})).toEqual({ ok: true, value: null });
    expect(await service.dispatch('workspace:get', undefined)).toEqual({ ok: true, value: null });
    expect(await service.dispatch('workspace:get', null)).toEqual({ ok: true, value: null });
    expect(service.current).toBeNull();
  });

  it("answers 'app:info' with version, shell and an author", async () => {
    const info = ok<{ version: string; shell: string; author: string }>(await makeService().dispatch('app:info', {}));
    expect(info.version).toBe('9.8.7');
    expect(info.shell).toBe('browser');
    expect(info.author.length).toBeGreaterThan(0);
  });

  it("refuses document and annotation calls with 'unavailable'", async () => {
    const service = makeService();
    const annotation = { id: 'a1', label: 'LOCATION', start: 0, end: 3 };
    expect(errorCode(await service.dispatch('annotations:create', { docId: 'd1', annotation }))).toBe('unavailable');
    expect(errorCode(await service.dispatch('document:load', { docId: 'd1' }))).toBe('unavailable');
    expect(errorCode(await service.dispatch('annotations:delete', { docId: 'd1', id: 'a1' }))).toBe('unavailable');
  });

  it("refuses 'workspace:openDialog' with 'unavailable' when the shell cannot ask for a folder", async () => {
    expect(errorCode(await makeService().dispatch('workspace:openDialog', {}))).toBe('unavailable');
  });

  it('has an empty recent list', async () => {
    expect(await makeService().dispatch('workspace:recent', {})).toEqual({ ok: true, value: [] });
  });
});

describe('GlossService.dispatch input validation', () => {
  const bad: Array<[string, string, unknown, string]> = [
    ['unknown channel', 'workspace:delete', {}, 'not-found'],
    ['empty channel', '', {}, 'not-found'],
    ['prototype key as channel', '__proto__', {}, 'not-found'],
    ['inherited key as channel', 'toString', {}, 'not-found'],
    ['missing docId', 'document:load', {}, 'invalid-input'],
    ['empty docId', 'document:load', { docId: '' }, 'invalid-input'],
    ['docId of the wrong type', 'document:load', { docId: 42 }, 'invalid-input'],
    ['extra key', 'document:load', { docId: 'd1', path: '../../etc/passwd' }, 'invalid-input'],
    ['extra key on an empty call', 'workspace:get', { folder: '/' }, 'invalid-input'],
    ['a string payload', 'document:load', 'd1', 'invalid-input'],
    ['an array payload', 'workspace:get', [], 'invalid-input'],
    ['missing annotation', 'annotations:create', { docId: 'd1' }, 'invalid-input'],
    [
      'negative start',
      'annotations:create',
      { docId: 'd1', annotation: { id: 'a1', label: 'LOCATION', start: -1, end: 3 } },
      'invalid-input',
    ],
    [
      'fractional offset',
      'annotations:create',
      { docId: 'd1', annotation: { id: 'a1', label: 'LOCATION', start: 0.5, end: 3 } },
      'invalid-input',
    ],
    [
      'offset as a string',
      'annotations:create',
      { docId: 'd1', annotation: { id: 'a1', label: 'LOCATION', start: '0', end: 3 } },
      'invalid-input',
    ],
    [
      'annotation id with odd characters',
      'annotations:create',
      { docId: 'd1', annotation: { id: '../a1', label: 'LOCATION', start: 0, end: 3 } },
      'invalid-input',
    ],
    [
      'client-supplied text on create',
      'annotations:create',
      { docId: 'd1', annotation: { id: 'a1', label: 'LOCATION', start: 0, end: 3, text: 'x' } },
      'invalid-input',
    ],
    ['unknown change', 'annotations:update', { docId: 'd1', id: 'a1', changes: { text: 'x' } }, 'invalid-input'],
    ['negative end change', 'annotations:update', { docId: 'd1', id: 'a1', changes: { end: -2 } }, 'invalid-input'],
    ['missing id', 'annotations:delete', { docId: 'd1' }, 'invalid-input'],
    ['restore without fields', 'annotations:restore', { docId: 'd1', annotation: { id: 'a1' } }, 'invalid-input'],
    ['openRecent without id', 'workspace:openRecent', {}, 'invalid-input'],
  ];

  for (const [what, channel, payload, code] of bad) {
    it(`answers ${what} with '${code}' and does not throw`, async () => {
      const service = makeService();
      const result = await service.dispatch(channel, payload);
      expect(errorCode(result)).toBe(code);
    });
  }

  it('validates before running: a bad payload gets invalid-input even with a folder open', async () => {
    const service = makeService();
    await service.openFolder(await seedCorpus('corpus'));
    const result = await service.dispatch('annotations:create', { docId: 'd1', annotation: { id: 'a1', label: 'X', start: -5, end: 1 } });
    expect(errorCode(result)).toBe('invalid-input');
    if (!result.ok) expect(result.error.message).toMatch(/annotation\.start/);
  });

  it('turns unexpected failures into an internal error value', async () => {
    const folder = await seedCorpus('corpus');
    // No labels.json in this resources folder: opening fails with a plain Node error.
    const service = makeService({ resourcesDir: path.join(tmp, 'no-resources'), chooseFolder: async () => folder });
    const result = await service.dispatch('workspace:openDialog', {});
    expect(errorCode(result)).toBe('internal');
  });
});

describe('GlossService with a folder open', () => {
  it('runs the annotation calls end to end, returning { ok: true, value }', async () => {
    const service = makeService();
    const folder = await seedCorpus('corpus');
    const ws = await service.openFolder(folder);
    expect(service.current).toBe(ws);

    const view = ok<WorkspaceView>(await service.dispatch('workspace:get', {}));
    expect(view.folder).toBe(folder);
    expect(view.documents).toHaveLength(5);
    const doc = view.documents[0] as DocumentEntry;

    const loaded = ok<LoadedDocument>(await service.dispatch('document:load', { docId: doc.id }));
    const start = Array.from(loaded.text.slice(0, loaded.text.indexOf('Baghouz'))).length;
    const created = ok<Annotation>(
      await service.dispatch('annotations:create', {
        docId: doc.id,
        annotation: { id: 'a1', label: 'LOCATION', start, end: start + 7 },
      }),
    );
    expect(created).toMatchObject({ id: 'a1', label: 'LOCATION', text: 'Baghouz' });

    const updated = ok<Annotation>(
      await service.dispatch('annotations:update', { docId: doc.id, id: 'a1', changes: { label: 'ORG' } }),
    );
    expect(updated.label).toBe('ORG');

    const { annotation: deleted, relations } = ok<{ annotation: Annotation; relations: unknown[] }>(
      await service.dispatch('annotations:delete', { docId: doc.id, id: 'a1' }),
    );
    expect(deleted).toEqual(updated);
    expect(relations).toEqual([]);
    expect(ok<LoadedDocument>(await service.dispatch('document:load', { docId: doc.id })).annotations).toEqual([]);

    const restored = ok<Annotation>(await service.dispatch('annotations:restore', { docId: doc.id, annotation: deleted }));
    expect(restored).toEqual(deleted);
    expect(ok<LoadedDocument>(await service.dispatch('document:load', { docId: doc.id })).annotations).toEqual([deleted]);
    expect(ok<WorkspaceView>(await service.dispatch('workspace:get', {})).documents[0].annotationCount).toBe(1);
  });

  it('returns workspace errors as values with their codes', async () => {
    const service = makeService();
    const view = (await service.openFolder(await seedCorpus('corpus'))).view();
    const docId = view.documents[0].id;
    const create = (annotation: unknown) => service.dispatch('annotations:create', { docId, annotation });
    expect(errorCode(await create({ id: 'a1', label: 'NOPE', start: 0, end: 3 }))).toBe('invalid-input');
    expect(errorCode(await create({ id: 'a1', label: 'EVENT', start: 3, end: 3 }))).toBe('invalid-input');
    expect(errorCode(await create({ id: 'a1', label: 'EVENT', start: 0, end: 10_000_000 }))).toBe('invalid-input');
    ok(await create({ id: 'a1', label: 'EVENT', start: 0, end: 3 }));
    expect(errorCode(await create({ id: 'a1', label: 'EVENT', start: 0, end: 3 }))).toBe('conflict');
    expect(errorCode(await service.dispatch('document:load', { docId: 'dmissing' }))).toBe('not-found');
    expect(errorCode(await service.dispatch('annotations:delete', { docId, id: 'zzz' }))).toBe('not-found');
  });

  it('opens a folder from the dialog, or nothing when it is cancelled', async () => {
    const folder = await seedCorpus('corpus');
    let answer: string | null = null;
    const opened: Workspace[] = [];
    const service = makeService({ chooseFolder: async () => answer, onOpened: (ws) => opened.push(ws) });
    expect(await service.dispatch('workspace:openDialog', {})).toEqual({ ok: true, value: null });
    expect(opened).toEqual([]);
    answer = folder;
    const view = ok<WorkspaceView>(await service.dispatch('workspace:openDialog', {}));
    expect(view.folder).toBe(folder);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toBe(service.current);
    answer = path.join(tmp, 'gone');
    expect(errorCode(await service.dispatch('workspace:openDialog', {}))).toBe('not-found');
    // The open folder stays open after a failed open.
    expect(ok<WorkspaceView>(await service.dispatch('workspace:get', {})).folder).toBe(folder);
  });
});

describe('recent folders', () => {
  it('remembers opened folders newest first, and reopens one by id', async () => {
    const service = makeService();
    const a = await seedCorpus('alpha');
    const b = await seedCorpus('beta');
    await service.openFolder(a);
    await service.openFolder(b);
    const recent = ok<RecentFolder[]>(await service.dispatch('workspace:recent', {}));
    expect(recent).toEqual([
      { id: workspaceIdFor(b), name: 'beta', folder: b },
      { id: workspaceIdFor(a), name: 'alpha', folder: a },
    ]);

    const view = ok<WorkspaceView>(await service.dispatch('workspace:openRecent', { id: workspaceIdFor(a) }));
    expect(view.folder).toBe(a);
    expect(view.id).toBe(workspaceIdFor(a));
    expect(ok<WorkspaceView>(await service.dispatch('workspace:get', {})).folder).toBe(a);
    expect(ok<RecentFolder[]>(await service.dispatch('workspace:recent', {})).map((r) => r.name)).toEqual([
      'alpha',
      'beta',
    ]);

    expect(errorCode(await service.dispatch('workspace:openRecent', { id: 'w0000000000000000' }))).toBe('not-found');
  });

  it('keeps the list across service instances, without duplicates', async () => {
    const a = await seedCorpus('alpha');
    const first = makeService();
    await first.openFolder(a);
    await first.openFolder(a);
    await first.close();
    const second = makeService();
    expect(ok<RecentFolder[]>(await second.dispatch('workspace:recent', {}))).toEqual([
      { id: workspaceIdFor(a), name: 'alpha', folder: a },
    ]);
  });

  it('starts a new list when recent.json is broken', async () => {
    await fsp.mkdir(userData, { recursive: true });
    await fsp.writeFile(path.join(userData, 'recent.json'), '{ not json');
    const service = makeService();
    expect(await service.dispatch('workspace:recent', {})).toEqual({ ok: true, value: [] });
    const a = await seedCorpus('alpha');
    await service.openFolder(a);
    expect(JSON.parse(await fsp.readFile(path.join(userData, 'recent.json'), 'utf8'))).toEqual({ folders: [a] });
  });
});

describe('defaultFolder', () => {
  it('copies the bundled sample corpus into the user data directory when nothing was opened before', async () => {
    const service = makeService();
    const folder = await service.defaultFolder();
    expect(folder).toBe(path.join(userData, 'sample-corpus'));
    const names = (await fsp.readdir(folder)).sort();
    expect(names).toHaveLength(5);
    expect(names.every((n) => n.endsWith('.txt'))).toBe(true);
    const bundled = path.join(checkoutResourcesDir(), 'corpus');
    expect(names).toEqual((await fsp.readdir(bundled)).sort());
    for (const n of names) {
      expect(await fsp.readFile(path.join(folder, n))).toEqual(await fsp.readFile(path.join(bundled, n)));
    }
    // No partial copy is left behind, and a second call reuses the copy.
    expect((await fsp.readdir(userData)).filter((n) => n.includes('partial'))).toEqual([]);
    await fsp.writeFile(path.join(folder, 'mine.txt'), 'kept');
    expect(await service.defaultFolder()).toBe(folder);
    expect(await fsp.readFile(path.join(folder, 'mine.txt'), 'utf8')).toBe('kept');

    // It opens as a workspace with its store inside the copy.
    const ws = await service.openFolder(folder);
    expect(ws.view().documents).toHaveLength(6);
    expect(ws.view().store).toEqual({ kind: 'folder', dir: path.join(folder, '.gloss') });
  });

  it('prefers the most recent folder that still exists', async () => {
    const a = await seedCorpus('alpha');
    const b = await seedCorpus('beta');
    const service = makeService();
    await service.openFolder(a);
    await service.openFolder(b);
    expect(await service.defaultFolder()).toBe(b);
    await fsp.rm(b, { recursive: true });
    expect(await service.defaultFolder()).toBe(a);
    await fsp.rm(a, { recursive: true });
    expect(await service.defaultFolder()).toBe(path.join(userData, 'sample-corpus'));
  });
});
