// Tests of never losing work: debounced saves and flush, the single-instance lock, backups, the integrity
// check on open and restoring a store file from a backup, through Workspace and GlossService.
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, type BackupSummary, type Result, type WorkspaceView } from './api/contract.ts';
import { GlossService } from './api/service.ts';
import { documentIdFor } from './corpus/scan.ts';
import { LabelDef, WorkspaceFile, type DocumentFile } from './model.ts';
import { LockInfo } from './store/lock.ts';
import { Workspace, type WorkspaceOptions } from './workspace.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEEDS = path.resolve(here, '../../shared/corpus/seeds');
const LABELS = z.array(LabelDef).parse(JSON.parse(await fsp.readFile(path.resolve(here, '../resources/labels.json'), 'utf8')));
const FIRST = '000_e55e6185f7ffecdf.txt';
const SECOND = '001_0195c39c9476f768.txt';
const HOUR = 3_600_000;
/** Backups run in the background after a change; a loaded machine may take a while. */
const POLL = { timeout: 15_000 };
/** Files are fsynced many times per test. */
const SLOW = { timeout: 60_000 };

let tmp: string;
let corpus: string;
let store: string;
let userData: string;
/** The backup clock: tests move it. */
let backupTime: number;
const opened: Workspace[] = [];
const services: GlossService[] = [];

const options = (extra: Partial<WorkspaceOptions> = {}): WorkspaceOptions => ({
  userDataDir: userData,
  defaultLabels: LABELS,
  author: 'tester',
  saveDelayMs: 10,
  backupClock: () => new Date(backupTime),
  ...extra,
});

async function openWs(extra: Partial<WorkspaceOptions> = {}): Promise<Workspace> {
  const ws = await Workspace.open(corpus, options(extra));
  opened.push(ws);
  return ws;
}

async function apiError(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

function ok<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

const docFile = (name: string) => path.join(store, 'docs', `${documentIdFor(name)}.json`);
const storedIds = async (name: string): Promise<string[]> =>
  (JSON.parse(await fsp.readFile(docFile(name), 'utf8')) as DocumentFile).annotations.map((a) => a.id);
const tag = (ws: Workspace, name: string, id: string, start = 0) =>
  ws.create(documentIdFor(name), { id, label: 'EVENT', start, end: start + 4 });

beforeEach(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-durability-')));
  corpus = path.join(tmp, 'corpus');
  store = path.join(corpus, '.gloss');
  userData = path.join(tmp, 'user-data');
  backupTime = Date.UTC(2024, 0, 1);
  await fsp.mkdir(corpus);
  for (const name of await fsp.readdir(SEEDS)) {
    await fsp.copyFile(path.join(SEEDS, name), path.join(corpus, name));
    await fsp.chmod(path.join(corpus, name), 0o644);
  }
});

afterEach(async () => {
  for (const s of services.splice(0)) await s.close().catch(() => undefined);
  for (const ws of opened.splice(0)) await ws.close().catch(() => undefined);
  await fsp.rm(tmp, { recursive: true, force: true });
});

describe('debounced document saves', SLOW, () => {
  it('an edit resolves only once written; flush writes it without waiting for quiet', async () => {
    const ws = await openWs({ saveDelayMs: HOUR, maxSaveDelayMs: HOUR });
    let done = false;
    const created = tag(ws, FIRST, 'a1').then(() => (done = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    await expect(fsp.access(docFile(FIRST))).rejects.toMatchObject({ code: 'ENOENT' });
    await ws.flush();
    await created;
    expect(await storedIds(FIRST)).toEqual(['a1']);
  });

  it('edits made together resolve together, each one on disk when its call resolves', async () => {
    const ws = await openWs({ saveDelayMs: 30 });
    const ids = Array.from({ length: 10 }, (_, i) => `a${i}`);
    await Promise.all(
      ids.map(async (id, i) => {
        await tag(ws, FIRST, id, i * 5);
        expect(await storedIds(FIRST)).toContain(id);
      }),
    );
    expect((await storedIds(FIRST)).sort()).toEqual([...ids].sort());
  });

  it('a busy document is saved within maxSaveDelayMs even when it is never quiet', async () => {
    const ws = await openWs({ saveDelayMs: HOUR, maxSaveDelayMs: 30 });
    await tag(ws, FIRST, 'a1');
    expect(await storedIds(FIRST)).toEqual(['a1']);
  });

  it('close() writes what waits and lets go of the lock', async () => {
    const ws = await openWs({ saveDelayMs: HOUR, maxSaveDelayMs: HOUR });
    const created = tag(ws, SECOND, 'late');
    await ws.close();
    await created;
    expect(await storedIds(SECOND)).toEqual(['late']);
    await expect(fsp.access(path.join(store, 'lock'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("'workspace:flush' writes pending edits and answers null; GlossService.close() flushes too", async () => {
    const service = new GlossService({ shell: 'browser', version: '0', userDataDir: userData, saveDelayMs: HOUR, watch: false });
    services.push(service);
    expect(await service.dispatch('workspace:flush', {})).toEqual({ ok: true, value: null });
    await service.openFolder(corpus);
    const docId = documentIdFor(FIRST);
    const first = service.dispatch('annotations:create', { docId, annotation: { id: 'a1', label: 'EVENT', start: 0, end: 4 } });
    expect(await service.dispatch('workspace:flush', {})).toEqual({ ok: true, value: null });
    expect(ok(await first)).toMatchObject({ id: 'a1' });
    expect(await storedIds(FIRST)).toEqual(['a1']);
    expect((await service.dispatch('workspace:flush', { now: true })).ok).toBe(false);

    const second = service.dispatch('annotations:create', { docId, annotation: { id: 'a2', label: 'EVENT', start: 5, end: 9 } });
    await service.close();
    ok(await second);
    expect(await storedIds(FIRST)).toEqual(['a1', 'a2']);
  });
});

describe('one Gloss per folder', SLOW, () => {
  it('refuses a second Workspace on the folder in the same process until the first closes', async () => {
    const first = await openWs();
    const err = await apiError(Workspace.open(corpus, options()));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/^This folder is open in another Gloss \(pid \d+, since .+\)\. Close it there first\.$/);
    const lock = LockInfo.parse(JSON.parse(await fsp.readFile(path.join(store, 'lock'), 'utf8')));
    expect(lock).toMatchObject({ pid: process.pid, hostname: os.hostname(), shell: 'gloss' });
    await first.close();
    const second = await openWs();
    expect(second.view().documents).toHaveLength(5);
  });

  it('takes over the lock of a process that died', async () => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => child.once('exit', r));
    await fsp.mkdir(store, { recursive: true });
    const stale = { pid: child.pid, hostname: os.hostname(), started: '2024-01-01T00:00:00.000Z', shell: 'electron', token: 't', instance: 'i' };
    await fsp.writeFile(path.join(store, 'lock'), JSON.stringify(stale));
    const ws = await openWs({ shell: 'browser' });
    expect(ws.view().problems).toEqual([]);
    expect(LockInfo.parse(JSON.parse(await fsp.readFile(path.join(store, 'lock'), 'utf8')))).toMatchObject({
      pid: process.pid,
      shell: 'browser',
    });
  });

  it('GlossService reopening its own folder keeps the open workspace instead of conflicting', async () => {
    const service = new GlossService({ shell: 'electron', version: '0', userDataDir: userData, watch: false });
    services.push(service);
    const ws = await service.openFolder(corpus);
    expect(await service.openFolder(path.join(corpus, '.'))).toBe(ws);
    expect(LockInfo.parse(JSON.parse(await fsp.readFile(path.join(store, 'lock'), 'utf8'))).shell).toBe('electron');
  });
});

describe('backups', SLOW, () => {
  it('backs up after the first change, then once an interval of work has passed', async () => {
    const ws = await openWs();
    // A new folder has nothing to copy on open.
    expect(await ws.backups()).toEqual([]);
    await tag(ws, FIRST, 'a1');
    await expect.poll(async () => (await ws.backups()).length, POLL).toBe(1);
    backupTime += 30 * 60_000;
    await tag(ws, FIRST, 'a2', 10);
    backupTime += 31 * 60_000;
    await tag(ws, FIRST, 'a3', 20);
    await expect.poll(async () => (await ws.backups()).length, POLL).toBe(2);
    const [newest, oldest] = await ws.backups();
    expect(newest).toEqual({ id: '2024-01-01T01-01-00-000Z', created: '2024-01-01T01:01:00.000Z', files: 2 });
    expect(oldest.created).toBe('2024-01-01T00:00:00.000Z');
    // The one taken after a3 holds all three: a2 (30 minutes in) did not cause one.
    const copy = JSON.parse(await fsp.readFile(path.join(store, 'backups', newest.id, 'docs', `${documentIdFor(FIRST)}.json`), 'utf8'));
    expect(copy.annotations.map((a: { id: string }) => a.id)).toEqual(['a1', 'a2', 'a3']);
  });

  it('backs up on open when the newest backup is older than the interval', async () => {
    const ws = await openWs();
    await tag(ws, FIRST, 'a1');
    await expect.poll(async () => (await ws.backups()).length, POLL).toBe(1);
    await tag(ws, SECOND, 'b1');
    await ws.close();
    backupTime += 2 * HOUR;
    const again = await openWs();
    const backups = await again.backups();
    expect(backups.map((b) => b.created)).toEqual(['2024-01-01T02:00:00.000Z', '2024-01-01T00:00:00.000Z']);
    expect(backups[0].files).toBe(3);
  });

  it('follows settings.backups (interval and how many to keep), which the schema validates', async () => {
    const ws = await openWs();
    ws.store.workspace.settings.backups = { intervalMinutes: 5, keep: 2 };
    for (let i = 0; i < 4; i++) {
      await tag(ws, FIRST, `a${i}`, i * 10);
      await expect.poll(async () => (await ws.backups())[0]?.created, POLL).toBe(new Date(backupTime).toISOString());
      backupTime += 5 * 60_000;
    }
    expect((await ws.backups()).map((b) => b.created)).toEqual(['2024-01-01T00:15:00.000Z', '2024-01-01T00:10:00.000Z']);
    expect(await fsp.readdir(path.join(store, 'backups'))).toHaveLength(2);

    const file = (backups: unknown) => ({ ...ws.store.workspace, settings: { backups } });
    expect(WorkspaceFile.safeParse(file({ intervalMinutes: 30 })).success).toBe(true);
    expect(WorkspaceFile.safeParse(file({ keep: 0 })).success).toBe(false);
    expect(WorkspaceFile.safeParse(file({ keep: 2.5 })).success).toBe(false);
    expect(WorkspaceFile.safeParse(file({ intervalMinutes: 'hourly' })).success).toBe(false);
  });
});

describe('integrity check on open and restore from a backup', SLOW, () => {
  /** A store with a1 in FIRST and b1 in SECOND, backed up, then closed. */
  async function backedUp(): Promise<void> {
    const ws = await openWs();
    await tag(ws, FIRST, 'a1');
    await tag(ws, SECOND, 'b1');
    await ws.close();
    backupTime += 2 * HOUR;
    await (await openWs()).close();
  }

  function service(): GlossService {
    const s = new GlossService({ shell: 'browser', version: '0', userDataDir: userData, saveDelayMs: 10, watch: false });
    services.push(s);
    return s;
  }

  it('quarantines a damaged document file nobody opened, names a backup with a good copy, and restores it', async () => {
    await backedUp();
    const damaged = '{"format":"gloss-document","version":1,"annotations":[{"id":';
    await fsp.writeFile(docFile(SECOND), damaged);

    const s = service();
    const view = (await s.openFolder(corpus)).view();
    // Newest first: the one this open made (without the damaged file), then the two of backedUp().
    const backups = ok<BackupSummary[]>(await s.dispatch('backups:list', {}));
    expect(backups.map((b) => b.files)).toEqual([2, 3, 2]);
    const good = backups[1];
    expect(good).toEqual({ id: '2024-01-01T02-00-00-000Z', created: '2024-01-01T02:00:00.000Z', files: 3 });
    expect(view.problems).toEqual([
      {
        file: `docs/${documentIdFor(SECOND)}.json`,
        movedTo: expect.stringContaining(path.join(store, 'quarantine')),
        reason: expect.stringMatching(/not valid JSON/),
        backup: { id: good.id, created: good.created },
      },
    ]);
    expect(await fsp.readFile(view.problems[0].movedTo, 'utf8')).toBe(damaged);
    expect(view.documents.find((d) => d.path === SECOND)!.annotationCount).toBe(0);

    const restored = ok<WorkspaceView>(await s.dispatch('backups:restore', { id: good.id, file: view.problems[0].file }));
    expect(restored.problems).toEqual([]);
    expect(restored.documents.find((d) => d.path === SECOND)!.annotationCount).toBe(1);
    expect(await storedIds(SECOND)).toEqual(['b1']);
    const loaded = ok<{ annotations: Array<{ id: string }> }>(await s.dispatch('document:load', { docId: documentIdFor(SECOND) }));
    expect(loaded.annotations.map((a) => a.id)).toEqual(['b1']);
  });

  it('moves the current file to quarantine and drops the cached copy, so later edits build on the restored one', async () => {
    await backedUp();
    const s = service();
    await s.openFolder(corpus);
    const docId = documentIdFor(FIRST);
    ok(await s.dispatch('annotations:create', { docId, annotation: { id: 'a2', label: 'EVENT', start: 10, end: 14 } }));
    const current = await fsp.readFile(docFile(FIRST), 'utf8');
    const stale = await s.current!.store.document(docId, FIRST, '');

    const [newest] = ok<BackupSummary[]>(await s.dispatch('backups:list', {}));
    ok(await s.dispatch('backups:restore', { id: newest.id, file: `docs/${docId}.json` }));
    expect(await storedIds(FIRST)).toEqual(['a1']);
    const quarantined = await fsp.readdir(path.join(store, 'quarantine'));
    expect(quarantined).toHaveLength(1);
    expect(await fsp.readFile(path.join(store, 'quarantine', quarantined[0]), 'utf8')).toBe(current);
    // The copy held before the restore can no longer write over it.
    await expect(stale.write()).rejects.toThrow(/replaced/);

    ok(await s.dispatch('annotations:create', { docId, annotation: { id: 'a3', label: 'EVENT', start: 20, end: 24 } }));
    expect(await storedIds(FIRST)).toEqual(['a1', 'a3']);
  });

  it('restores workspace.json (labels and settings) and re-indexes the folder', async () => {
    const ws = await openWs();
    ws.store.workspace.settings.author = 'from the backup';
    await tag(ws, FIRST, 'a1');
    await ws.close();
    backupTime += 2 * HOUR;
    await (await openWs()).close();
    await fsp.writeFile(path.join(store, 'workspace.json'), '');

    const s = service();
    const view = (await s.openFolder(corpus)).view();
    expect(view.problems).toMatchObject([{ file: 'workspace.json', reason: 'empty file', backup: { id: expect.any(String) } }]);
    expect(s.current!.author).not.toBe('from the backup');
    const restored = ok<WorkspaceView>(await s.dispatch('backups:restore', { id: view.problems[0].backup!.id, file: 'workspace.json' }));
    expect(restored.problems).toEqual([]);
    expect(s.current!.author).toBe('from the backup');
    expect(restored.documents).toHaveLength(5);
    expect(restored.documents.find((d) => d.path === FIRST)!.annotationCount).toBe(1);
  });

  it('refuses ids and files that are not in a backup, never reading outside it', async () => {
    await backedUp();
    const s = service();
    await s.openFolder(corpus);
    const [newest] = ok<BackupSummary[]>(await s.dispatch('backups:list', {}));
    const code = async (input: unknown) => {
      const result = await s.dispatch('backups:restore', input);
      expect(result.ok).toBe(false);
      return result.ok ? '' : result.error.code;
    };
    expect(await code({ id: newest.id, file: '../workspace.json' })).toBe('invalid-input');
    expect(await code({ id: newest.id, file: '/etc/passwd' })).toBe('invalid-input');
    expect(await code({ id: newest.id, file: 'docs/../../secret.json' })).toBe('invalid-input');
    expect(await code({ id: newest.id, file: 'lock' })).toBe('invalid-input');
    expect(await code({ id: '../backups', file: 'workspace.json' })).toBe('invalid-input');
    expect(await code({ id: newest.id, file: 'workspace.json', extra: 1 })).toBe('invalid-input');
    expect(await code({ id: newest.id, file: 'docs/d0000000000000000.json' })).toBe('not-found');
    expect(await code({ id: '2099-01-01T00-00-00-000Z', file: 'workspace.json' })).toBe('not-found');
    expect((await s.dispatch('backups:list', { all: true })).ok).toBe(false);
  });
});
