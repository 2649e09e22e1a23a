// Tests of the store of one corpus folder: its location, the workspace file, document files and quarantine.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DocumentFile, WorkspaceFile, type LabelDef } from '../model.ts';
import { TEMP_SUFFIX } from './durable-file.ts';
import { CHECKED_FILE_NAME, CorpusStore, STORE_DIR_NAME, resolveStoreLocation, workspaceIdFor } from './store.ts';

const LABELS: LabelDef[] = [
  { name: 'PERSON', key: '1', color: '#E69F00', description: 'People' },
  { name: 'LOCATION', key: '3', color: '#009E73', description: 'Places' },
];

let tmp: string;
let root: string;
let userData: string;

beforeEach(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-store-')));
  root = path.join(tmp, 'corpus');
  userData = path.join(tmp, 'user-data');
  await fsp.mkdir(root);
});

afterEach(async () => {
  await fsp.chmod(root, 0o755).catch(() => undefined);
  await fsp.rm(tmp, { recursive: true, force: true });
});

const readJson = async (file: string): Promise<unknown> => JSON.parse(await fsp.readFile(file, 'utf8'));

describe('workspaceIdFor', () => {
  it('is a stable short id per path', () => {
    expect(workspaceIdFor('/a/b')).toMatch(/^w[0-9a-f]{16}$/);
    expect(workspaceIdFor('/a/b')).toBe(workspaceIdFor('/a/b'));
    expect(workspaceIdFor('/a/b')).not.toBe(workspaceIdFor('/a/c'));
  });
});

describe('resolveStoreLocation', () => {
  it("uses <folder>/.gloss for a writable folder, and leaves no probe file", async () => {
    const location = await resolveStoreLocation(root, userData);
    expect(location).toEqual({ kind: 'folder', dir: path.join(root, STORE_DIR_NAME) });
    expect((await fsp.stat(location.dir)).isDirectory()).toBe(true);
    expect(await fsp.readdir(location.dir)).toEqual([]);
    // The user data directory is not touched.
    await expect(fsp.access(userData)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('falls back to the user data directory when the folder cannot be written', async () => {
    await fsp.chmod(root, 0o555);
    // Root (as in CI) can write into a read-only folder anyway: probe, and if so make `.gloss` a plain
    // file instead, so that creating the store folder fails and the same fallback path runs.
    const probe = path.join(root, 'probe');
    const rootCanWrite = await fsp.writeFile(probe, '').then(
      () => true,
      () => false,
    );
    if (rootCanWrite) {
      await fsp.rm(probe);
      await fsp.chmod(root, 0o755);
      await fsp.writeFile(path.join(root, STORE_DIR_NAME), 'not a folder');
    }
    const location = await resolveStoreLocation(root, userData);
    expect(location.kind).toBe('user-data');
    expect(location.dir).toBe(path.join(userData, 'stores', workspaceIdFor(root)));
    expect((await fsp.stat(location.dir)).isDirectory()).toBe(true);
    if (rootCanWrite) {
      expect(await fsp.readFile(path.join(root, STORE_DIR_NAME), 'utf8')).toBe('not a folder');
    } else {
      await expect(fsp.access(path.join(root, STORE_DIR_NAME))).rejects.toMatchObject({ code: 'ENOENT' });
    }
    // And a store opens there.
    const store = await CorpusStore.open(location, { labels: LABELS });
    await store.saveWorkspace();
    expect(await fsp.readdir(location.dir)).toContain('workspace.json');
  });
});

describe('CorpusStore', () => {
  const openStore = async () => CorpusStore.open(await resolveStoreLocation(root, userData), { labels: LABELS });

  it('creates workspace.json on the first save, with format, version and the default labels', async () => {
    const store = await openStore();
    const file = path.join(store.dir, 'workspace.json');
    expect(store.dir).toBe(path.join(root, STORE_DIR_NAME));
    expect((await fsp.stat(store.docsDir)).isDirectory()).toBe(true);
    await expect(fsp.access(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(store.workspace.labels).toEqual(LABELS);

    await store.saveWorkspace();
    const json = (await readJson(file)) as WorkspaceFile;
    expect(json.format).toBe('gloss-workspace');
    expect(json.version).toBe(1);
    expect(json.labels).toEqual(LABELS);
    expect(json.documents).toEqual([]);
    expect(Number.isNaN(Date.parse(json.created))).toBe(false);
    expect(WorkspaceFile.safeParse(json).success).toBe(true);
    expect(store.problems).toEqual([]);
  });

  it('reads back a saved workspace, keeping its own labels over the defaults', async () => {
    const store = await openStore();
    store.workspace.labels = [{ name: 'ORG', key: '2', color: '#56B4E9', description: '' }];
    store.workspace.settings.author = 'someone';
    await store.saveWorkspace();
    const again = await openStore();
    expect(again.workspace.labels.map((l) => l.name)).toEqual(['ORG']);
    expect(again.workspace.settings.author).toBe('someone');
    expect(again.workspace.created).toBe(store.workspace.created);
  });

  it('quarantines a corrupt workspace.json, reports it, keeps its bytes, and starts a fresh one', async () => {
    const dir = path.join(root, STORE_DIR_NAME);
    await fsp.mkdir(dir);
    const corrupt = Buffer.from('{"format":"gloss-workspace","version":1,"labels":[{"na');
    await fsp.writeFile(path.join(dir, 'workspace.json'), corrupt);

    const store = await openStore();
    expect(store.problems).toHaveLength(1);
    const [problem] = store.problems;
    expect(problem.file).toBe('workspace.json');
    expect(problem.reason).toMatch(/not valid JSON/);
    expect(path.dirname(problem.movedTo)).toBe(store.quarantineDir);
    expect(path.basename(problem.movedTo).startsWith('workspace.json.')).toBe(true);
    expect(await fsp.readFile(problem.movedTo)).toEqual(corrupt);

    // A fresh workspace takes its place and is saved to the original name.
    expect(store.workspace.labels).toEqual(LABELS);
    expect(store.workspace.documents).toEqual([]);
    await store.saveWorkspace();
    const json = (await readJson(path.join(dir, 'workspace.json'))) as WorkspaceFile;
    expect(json.format).toBe('gloss-workspace');
    expect(json.labels).toEqual(LABELS);
    // Opening again finds nothing wrong.
    expect((await openStore()).problems).toEqual([]);
  });

  it('quarantines a workspace.json of an unknown version', async () => {
    const dir = path.join(root, STORE_DIR_NAME);
    await fsp.mkdir(dir);
    const future = JSON.stringify({ format: 'gloss-workspace', version: 99, created: 'x', labels: [], documents: [], settings: {} });
    await fsp.writeFile(path.join(dir, 'workspace.json'), future);
    const store = await openStore();
    expect(store.problems).toHaveLength(1);
    expect(store.problems[0].reason).toMatch(/version/);
    expect(await fsp.readFile(store.problems[0].movedTo, 'utf8')).toBe(future);
  });

  it('creates an empty document file on demand and keeps one instance per document', async () => {
    const store = await openStore();
    expect(await store.documentFileMtime('d1')).toBeNull();
    const [a, b] = await Promise.all([store.document('d1', 'a.txt', 'h1'), store.document('d1', 'a.txt', 'h1')]);
    expect(a).toBe(b);
    expect(await store.document('d1', 'a.txt', 'h1')).toBe(a);
    expect(a.data).toMatchObject({
      format: 'gloss-document',
      version: 1,
      docId: 'd1',
      path: 'a.txt',
      hash: 'h1',
      offsetUnit: 'codepoint',
      annotations: [],
    });
    await a.write();
    expect(await store.documentFileMtime('d1')).toEqual(expect.any(Number));
    expect(store.documentFilePath('d1')).toBe(path.join(store.docsDir, 'd1.json'));
    expect(DocumentFile.safeParse(await readJson(store.documentFilePath('d1'))).success).toBe(true);
  });

  it('quarantines a corrupt document file on open (before anything reads it), keeps its bytes, and gives a fresh one', async () => {
    const first = await openStore();
    await first.saveWorkspace();
    const docFile = first.documentFilePath('dabc');
    const garbage = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x7b]);
    await fsp.writeFile(docFile, garbage);

    const store = await openStore();
    expect(store.problems).toHaveLength(1);
    await expect(fsp.access(docFile)).rejects.toMatchObject({ code: 'ENOENT' });
    const db = await store.document('dabc', 'sub/x.txt', 'hash-x');
    expect(store.problems).toHaveLength(1);
    const [problem] = store.problems;
    expect(problem.file).toBe('docs/dabc.json');
    expect(problem.backup).toBeUndefined();
    expect(problem.reason).toMatch(/not valid JSON/);
    expect(path.dirname(problem.movedTo)).toBe(store.quarantineDir);
    expect(await fsp.readFile(problem.movedTo)).toEqual(garbage);

    expect(db.data.annotations).toEqual([]);
    expect(db.data.docId).toBe('dabc');
    await db.write();
    const json = (await readJson(docFile)) as DocumentFile;
    expect(json).toMatchObject({ format: 'gloss-document', docId: 'dabc', path: 'sub/x.txt', hash: 'hash-x' });
  });

  it('quarantines a document file of the wrong shape (annotation without offsets)', async () => {
    const store = await openStore();
    const content = JSON.stringify({
      format: 'gloss-document',
      version: 1,
      docId: 'dbad',
      path: 'a.txt',
      hash: 'h',
      offsetUnit: 'codepoint',
      annotations: [{ id: 'a1', label: 'PERSON', text: 'x', author: 'me', created: 'c', modified: 'm' }],
    });
    await fsp.writeFile(store.documentFilePath('dbad'), content);
    await store.document('dbad', 'a.txt', 'h');
    expect(store.problems).toHaveLength(1);
    expect(store.problems[0].reason).toMatch(/unexpected content at annotations\.0\.start/);
    expect(await fsp.readFile(store.problems[0].movedTo, 'utf8')).toBe(content);
  });

  it('removes stale temp files on open, and only those', async () => {
    const first = await openStore();
    await first.saveWorkspace();
    const staleTop = path.join(first.dir, `.workspace.json.123.abcd1234${TEMP_SUFFIX}`);
    const staleDoc = path.join(first.docsDir, `.d1.json.456.deadbeef${TEMP_SUFFIX}`);
    const keep = path.join(first.docsDir, 'd1.json.bak');
    await fsp.writeFile(staleTop, 'half written');
    await fsp.writeFile(staleDoc, '{"trunc');
    await fsp.writeFile(keep, 'keep me');

    const store = await openStore();
    await expect(fsp.access(staleTop)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(fsp.access(staleDoc)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fsp.readFile(keep, 'utf8')).toBe('keep me');
    expect(await fsp.readdir(store.dir)).toContain('workspace.json');
    expect(store.problems).toEqual([]);
  });

  it('flush waits for pending writes of the workspace and documents', async () => {
    const store = await openStore();
    const db = await store.document('d9', 'n.txt', 'h');
    db.data.annotations.push({
      id: 'a1',
      label: 'PERSON',
      start: 0,
      end: 1,
      text: 'x',
      author: 'me',
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
    });
    void db.write();
    store.workspace.settings.author = 'flushed';
    void store.saveWorkspace();
    await store.flush();
    expect(((await readJson(store.documentFilePath('d9'))) as DocumentFile).annotations).toHaveLength(1);
    expect(((await readJson(path.join(store.dir, 'workspace.json'))) as WorkspaceFile).settings.author).toBe('flushed');
  });
});

describe('checked.json, the cache of the check on open', () => {
  const openStore = async () => CorpusStore.open(await resolveStoreLocation(root, userData), { labels: LABELS });
  const docJson = (docId: string, n: number) =>
    JSON.stringify({
      format: 'gloss-document',
      version: 1,
      docId,
      path: `${docId}.txt`,
      hash: 'h',
      offsetUnit: 'codepoint',
      annotations: Array.from({ length: n }, (_, i) => ({ id: `a${i}`, label: 'PERSON', start: i, end: i + 1, text: 'x', author: 'me', created: 't', modified: 't' })),
    });

  it('records each valid document file, and reads again on open only those that changed since', async () => {
    const first = await openStore();
    await first.saveWorkspace();
    await fsp.writeFile(first.documentFilePath('d1'), docJson('d1', 2));
    await fsp.writeFile(first.documentFilePath('d2'), docJson('d2', 3));
    const store = await openStore();
    expect(store.knownAnnotationCount('d1')).toBe(2);
    expect(store.knownAnnotationCount('d2')).toBe(3);
    expect(store.knownAnnotationCount('d3')).toBe(0);
    const cacheFile = path.join(store.dir, CHECKED_FILE_NAME);
    const cache = JSON.parse(await fsp.readFile(cacheFile, 'utf8'));
    expect(Object.keys(cache.files).sort()).toEqual(['d1.json', 'd2.json']);

    // A count the cache alone holds shows the unchanged file was not read; the changed one was.
    cache.files['d1.json'].annotations = 7;
    await fsp.writeFile(cacheFile, JSON.stringify(cache));
    await fsp.writeFile(store.documentFilePath('d2'), docJson('d2', 4));
    const again = await openStore();
    expect(again.knownAnnotationCount('d1')).toBe(7);
    expect(again.knownAnnotationCount('d2')).toBe(4);

    // A damaged cache costs a full check, nothing else.
    await fsp.writeFile(cacheFile, '{"version":1,"files":');
    const full = await openStore();
    expect(full.knownAnnotationCount('d1')).toBe(2);
    expect(full.problems).toEqual([]);
  });

  it('forgets what it found of a document file once it is written', async () => {
    const first = await openStore();
    await first.saveWorkspace();
    await fsp.writeFile(first.documentFilePath('d1'), docJson('d1', 2));
    const store = await openStore();
    const db = await store.document('d1', 'd1.txt', 'h');
    db.data.annotations.pop();
    await db.write();
    expect(await store.annotationCount('d1', 'd1.txt', 'h')).toBe(1);
    expect((await openStore()).knownAnnotationCount('d1')).toBe(1);
  });
});
