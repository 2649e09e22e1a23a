// Tests of opening a workspace fast without giving anything up: the backup of the store as found is made
// in the background but before the session's first write; an unchanged folder reopens without writing;
// a document's store file is read once however often it is used.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import { documentIdFor } from './corpus/scan.ts';
import { LabelDef, type DocumentFile } from './model.ts';
import { readBackupFile } from './store/backup.ts';
import { Workspace, type WorkspaceOptions } from './workspace.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEEDS = path.resolve(here, '../../shared/corpus/seeds');
const LABELS = z.array(LabelDef).parse(JSON.parse(await fsp.readFile(path.resolve(here, '../resources/labels.json'), 'utf8')));
const FIRST = '000_e55e6185f7ffecdf.txt';
const HOUR = 3_600_000;

let tmp: string;
let corpus: string;
let backupTime: number;
const opened: Workspace[] = [];

const options = (): WorkspaceOptions => ({
  userDataDir: path.join(tmp, 'user-data'),
  defaultLabels: LABELS,
  author: 'tester',
  saveDelayMs: 0,
  backupClock: () => new Date(backupTime),
});

async function openWs(): Promise<Workspace> {
  const ws = await Workspace.open(corpus, options());
  opened.push(ws);
  return ws;
}

const tag = (ws: Workspace, id: string, start: number) => ws.create(documentIdFor(FIRST), { id, label: 'EVENT', start, end: start + 4 });

beforeEach(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-open-')));
  corpus = path.join(tmp, 'corpus');
  backupTime = Date.UTC(2024, 0, 1);
  await fsp.cp(SEEDS, corpus, { recursive: true });
});

afterEach(async () => {
  for (const ws of opened.splice(0)) await ws.close().catch(() => undefined);
  await fsp.rm(tmp, { recursive: true, force: true });
});

it('backs up the store as found, in the background, before the first write of a session', { timeout: 30_000 }, async () => {
  let ws = await openWs();
  await tag(ws, 'a1', 0);
  await ws.close();
  // Half an hour on, no backup is due: a1b is in the store and in no backup.
  backupTime += HOUR / 2;
  ws = await openWs();
  await tag(ws, 'a1b', 20);
  await ws.close();
  backupTime += 2 * HOUR;
  ws = await openWs();
  // Edited at once: the save waits for the session's backup, which holds the file as it was found.
  await tag(ws, 'a2', 10);
  const [newest] = await ws.backups();
  expect(newest.created).toBe(new Date(backupTime).toISOString());
  const copy = JSON.parse((await readBackupFile(path.join(corpus, '.gloss'), newest.id, `docs/${documentIdFor(FIRST)}.json`)).toString()) as DocumentFile;
  expect(copy.annotations.map((a) => a.id)).toEqual(['a1', 'a1b']);
  const saved = JSON.parse(await fsp.readFile(path.join(corpus, '.gloss', 'docs', `${documentIdFor(FIRST)}.json`), 'utf8')) as DocumentFile;
  expect(saved.annotations.map((a) => a.id)).toEqual(['a1', 'a2', 'a1b']);
});

it('reopens an unchanged folder without writing its index, and writes it when an article changed', { timeout: 30_000 }, async () => {
  const index = path.join(corpus, '.gloss', 'workspace.json');
  const first = await openWs();
  await first.close();
  const written = await fsp.stat(index);
  await (await openWs()).close();
  const after = await fsp.stat(index);
  expect([after.ino, after.mtimeMs]).toEqual([written.ino, written.mtimeMs]);

  await fsp.appendFile(path.join(corpus, FIRST), '\nA new last line.\n');
  const ws = await openWs();
  expect((await fsp.stat(index)).mtimeMs).not.toBe(written.mtimeMs);
  const entry = ws.view().documents.find((d) => d.path === FIRST)!;
  expect(JSON.parse(await fsp.readFile(index, 'utf8')).documents.find((d: { path: string }) => d.path === FIRST).hash).toBe(entry.hash);
});

it('keeps one copy of a document file in memory while it is used, and its edits', { timeout: 30_000 }, async () => {
  const ws = await openWs();
  const docId = documentIdFor(FIRST);
  const held = await ws.store.document(docId, FIRST, '');
  await tag(ws, 'a1', 0);
  // Other documents read in between (a corpus-wide pass) do not make a second copy of this one.
  for (const d of ws.view().documents) await ws.stored(d.id);
  expect(await ws.store.document(docId, FIRST, '')).toBe(held);
  expect(held.data.annotations.map((a) => a.id)).toEqual(['a1']);
  expect(await ws.store.annotationCount(docId, FIRST, '')).toBe(1);
});
