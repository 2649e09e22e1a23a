// Tests of store backups: what is copied (linked when unchanged), the manifest written last, rotation, and strict restore lookups.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/contract.ts';
import type { DocumentFile, WorkspaceFile } from '../model.ts';
import { TEMP_SUFFIX } from './durable-file.ts';
import {
  BACKUPS_DIR_NAME,
  MANIFEST_NAME,
  createBackup,
  findGoodCopy,
  listBackups,
  readBackupFile,
  removeIncompleteBackups,
  tidyBackups,
} from './backup.ts';

let store: string;
let backupsDir: string;

const workspace = (author = 'a'): WorkspaceFile => ({
  format: 'gloss-workspace',
  version: 1,
  created: '2024-01-01T00:00:00.000Z',
  labels: [{ name: 'PERSON', key: '1', color: '#E69F00', description: '' }],
  documents: [],
  settings: { author },
});

const doc = (docId: string, ids: string[] = []): DocumentFile => ({
  format: 'gloss-document',
  version: 1,
  docId,
  path: `${docId}.txt`,
  hash: 'h',
  offsetUnit: 'codepoint',
  annotations: ids.map((id) => ({
    id,
    label: 'PERSON',
    start: 0,
    end: 1,
    text: 'x',
    author: 'me',
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
  })),
});

const write = (rel: string, data: unknown) =>
  fsp.writeFile(path.join(store, rel), typeof data === 'string' ? data : JSON.stringify(data, null, 1) + '\n');

const at = (minutes: number) => new Date(Date.UTC(2024, 0, 1, 0, minutes));

async function apiError(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

beforeEach(async () => {
  store = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-backup-')));
  backupsDir = path.join(store, BACKUPS_DIR_NAME);
  await fsp.mkdir(path.join(store, 'docs'));
});

afterEach(async () => {
  await fsp.rm(store, { recursive: true, force: true });
});

describe('createBackup', () => {
  it('copies workspace.json and docs/*.json byte for byte, and writes the manifest', async () => {
    await write('workspace.json', workspace());
    await write('docs/d1.json', doc('d1', ['a1']));
    await write('docs/d2.json', doc('d2'));
    // Not store files: a stray file, a temp file, quarantined files.
    await write('docs/d1.json.bak', 'old');
    await write(`docs/.d1.json.1.ab${TEMP_SUFFIX}`, '{"trunc');
    await fsp.mkdir(path.join(store, 'quarantine'));
    await write('quarantine/workspace.json.x', 'bad');

    const backup = await createBackup(store, { now: at(0), keep: 20 });
    expect(backup).toMatchObject({ id: '2024-01-01T00-00-00-000Z', created: '2024-01-01T00:00:00.000Z', files: 3 });
    const dir = path.join(backupsDir, backup!.id);
    expect((await fsp.readdir(dir)).sort()).toEqual(['docs', MANIFEST_NAME, 'workspace.json']);
    expect((await fsp.readdir(path.join(dir, 'docs'))).sort()).toEqual(['d1.json', 'd2.json']);
    for (const rel of ['workspace.json', 'docs/d1.json', 'docs/d2.json']) {
      expect(await fsp.readFile(path.join(dir, rel))).toEqual(await fsp.readFile(path.join(store, rel)));
    }
    const manifest = JSON.parse(await fsp.readFile(path.join(dir, MANIFEST_NAME), 'utf8'));
    expect(manifest).toMatchObject({ format: 'gloss-backup', version: 1, id: backup!.id, created: backup!.created });
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(['workspace.json', 'docs/d1.json', 'docs/d2.json']);
    expect((await listBackups(store)).map(({ id, created, files }) => ({ id, created, files }))).toEqual([
      { id: backup!.id, created: backup!.created, files: 3 },
    ]);
  });

  it('makes nothing when there are no store files or nothing changed since the newest backup', async () => {
    expect(await createBackup(store, { now: at(0), keep: 20 })).toBeNull();
    await write('workspace.json', workspace());
    expect(await createBackup(store, { now: at(1), keep: 20 })).not.toBeNull();
    expect(await createBackup(store, { now: at(2), keep: 20 })).toBeNull();
    await write('docs/d1.json', doc('d1'));
    const next = await createBackup(store, { now: at(3), keep: 20 });
    expect(next?.files).toBe(2);
    expect((await listBackups(store)).map((b) => b.created)).toEqual([at(3).toISOString(), at(1).toISOString()]);
  });

  it('leaves out store files that do not validate (a backup holds good copies only)', async () => {
    await write('workspace.json', workspace());
    await write('docs/d1.json', doc('d1'));
    await write('docs/d2.json', '{"format":"gloss-document","version":7}');
    const backup = await createBackup(store, { now: at(0), keep: 20 });
    expect(backup!.manifest.files.map((f) => f.path)).toEqual(['workspace.json', 'docs/d1.json']);
  });

  it('keeps the newest `keep` backups and deletes the older ones', async () => {
    for (let i = 0; i < 5; i++) {
      await write('workspace.json', workspace(`author ${i}`));
      await createBackup(store, { now: at(i), keep: 2 });
    }
    const kept = await listBackups(store);
    expect(kept.map((b) => b.created)).toEqual([at(4).toISOString(), at(3).toISOString()]);
    expect((await fsp.readdir(backupsDir)).sort()).toEqual(kept.map((b) => b.id).sort());
  });

  it('names two backups of the same millisecond apart', async () => {
    await write('workspace.json', workspace('one'));
    const a = await createBackup(store, { now: at(0), keep: 20 });
    await write('workspace.json', workspace('two'));
    const b = await createBackup(store, { now: at(0), keep: 20 });
    expect(b!.id).toBe(`${a!.id}-2`);
    expect(await listBackups(store)).toHaveLength(2);
  });
});

describe('interrupted backups', () => {
  it('are ignored by listBackups and removed by removeIncompleteBackups; complete ones stay', async () => {
    await write('workspace.json', workspace());
    const good = await createBackup(store, { now: at(0), keep: 20 });
    // A crash before the manifest, and one in the middle of writing it.
    const noManifest = path.join(backupsDir, '2024-01-01T01-00-00-000Z');
    await fsp.mkdir(path.join(noManifest, 'docs'), { recursive: true });
    await fsp.writeFile(path.join(noManifest, 'workspace.json'), '{}');
    const halfManifest = path.join(backupsDir, '2024-01-01T02-00-00-000Z');
    await fsp.mkdir(halfManifest);
    await fsp.writeFile(path.join(halfManifest, MANIFEST_NAME), '{"format":"gloss-ba');

    expect((await listBackups(store)).map((b) => b.id)).toEqual([good!.id]);
    await removeIncompleteBackups(store);
    expect(await fsp.readdir(backupsDir)).toEqual([good!.id]);
    expect(await createBackup(store, { now: at(5), keep: 20 })).toBeNull();
  });
});

describe('readBackupFile', () => {
  async function setup() {
    await write('workspace.json', workspace());
    await write('docs/d1.json', doc('d1', ['a1']));
    const backup = (await createBackup(store, { now: at(0), keep: 20 }))!;
    return backup;
  }

  it('returns the bytes of a file listed in the manifest', async () => {
    const backup = await setup();
    expect(await readBackupFile(store, backup.id, 'docs/d1.json')).toEqual(await fsp.readFile(path.join(store, 'docs/d1.json')));
  });

  it('refuses ids and paths that are not plain names, and files or backups that do not exist', async () => {
    const backup = await setup();
    await fsp.writeFile(path.join(store, 'secret.json'), '{}');
    for (const id of ['..', '../..', '/tmp', 'a/b', '', `${backup.id}/..`]) {
      expect((await apiError(readBackupFile(store, id, 'workspace.json'))).code).toBe('invalid-input');
    }
    for (const rel of ['../secret.json', '/etc/passwd', 'docs/../secret.json', 'docs/../../x.json', 'quarantine/x.json', 'manifest.json', 'docs\\d1.json']) {
      expect((await apiError(readBackupFile(store, backup.id, rel))).code).toBe('invalid-input');
    }
    expect((await apiError(readBackupFile(store, backup.id, 'docs/d9.json'))).code).toBe('not-found');
    expect((await apiError(readBackupFile(store, '2030-01-01T00-00-00-000Z', 'workspace.json'))).code).toBe('not-found');
  });

  it('refuses a copy that no longer matches its manifest, and findGoodCopy skips it for an older good one', async () => {
    const older = await setup();
    await write('docs/d1.json', doc('d1', ['a1', 'a2']));
    const newer = (await createBackup(store, { now: at(1), keep: 20 }))!;
    expect(await findGoodCopy(store, 'docs/d1.json', await listBackups(store))).toEqual({ id: newer.id, created: newer.created });

    await fsp.writeFile(path.join(backupsDir, newer.id, 'docs', 'd1.json'), '{"tampered": true}');
    expect((await apiError(readBackupFile(store, newer.id, 'docs/d1.json'))).code).toBe('unavailable');
    expect(await findGoodCopy(store, 'docs/d1.json', await listBackups(store))).toEqual({ id: older.id, created: older.created });
    expect(await findGoodCopy(store, 'docs/d7.json', await listBackups(store))).toBeNull();
  });
});

describe('incremental backups', () => {
  it('hard-link copies of files unchanged since the newest backup, and copy the changed ones', async () => {
    await write('workspace.json', workspace());
    await write('docs/d1.json', doc('d1', ['a1']));
    await write('docs/d2.json', doc('d2'));
    const first = (await createBackup(store, { now: at(0), keep: 20 }))!;
    await write('docs/d2.json', doc('d2', ['b1']));
    const second = (await createBackup(store, { now: at(1), keep: 20 }))!;
    const ino = async (id: string, rel: string) => (await fsp.stat(path.join(backupsDir, id, rel))).ino;
    expect(await ino(second.id, 'docs/d1.json')).toBe(await ino(first.id, 'docs/d1.json'));
    expect(await ino(second.id, 'workspace.json')).toBe(await ino(first.id, 'workspace.json'));
    expect(await ino(second.id, 'docs/d2.json')).not.toBe(await ino(first.id, 'docs/d2.json'));
    for (const rel of ['workspace.json', 'docs/d1.json', 'docs/d2.json']) {
      expect(await readBackupFile(store, second.id, rel)).toEqual(await fsp.readFile(path.join(store, rel)));
    }
    expect(JSON.parse((await readBackupFile(store, first.id, 'docs/d2.json')).toString()).annotations).toEqual([]);
    // Rotating the older one away leaves the linked copies of the newer one whole.
    await createBackup(store, { now: at(2), keep: 1 }).then((b) => expect(b).toBeNull());
    await write('docs/d1.json', doc('d1', ['a1', 'a2']));
    await createBackup(store, { now: at(3), keep: 1 });
    const [kept] = await listBackups(store);
    expect(await fsp.readdir(backupsDir)).toEqual([kept.id]);
    for (const rel of ['workspace.json', 'docs/d1.json', 'docs/d2.json']) {
      expect(await readBackupFile(store, kept.id, rel)).toEqual(await fsp.readFile(path.join(store, rel)));
    }
  });

  it('read a file again when it was replaced, even with the same size and times', async () => {
    await write('workspace.json', workspace());
    await write('docs/d1.json', doc('d1', ['a1']));
    await createBackup(store, { now: at(0), keep: 20 });
    // Same length and the old modification time put back, as a save within the same tick of a coarse clock.
    const file = path.join(store, 'docs/d1.json');
    const before = await fsp.stat(file);
    const other = JSON.stringify(doc('d1', ['a9']), null, 1) + '\n';
    expect(other.length).toBe(before.size);
    await fsp.writeFile(`${file}.new`, other);
    await fsp.rename(`${file}.new`, file);
    await fsp.utimes(file, before.atime, before.mtime);
    const next = (await createBackup(store, { now: at(1), keep: 20 }))!;
    expect(JSON.parse((await readBackupFile(store, next.id, 'docs/d1.json')).toString()).annotations[0].id).toBe('a9');
  });
});

describe('tidyBackups', () => {
  it('deletes folders without a manifest and the oldest complete backups beyond keep', async () => {
    for (let i = 0; i < 3; i++) {
      await write('workspace.json', workspace(`author ${i}`));
      await createBackup(store, { now: at(i), keep: 20 });
    }
    const interrupted = path.join(backupsDir, '2024-01-01T05-00-00-000Z');
    await fsp.mkdir(path.join(interrupted, 'docs'), { recursive: true });
    await fsp.writeFile(path.join(interrupted, `.manifest.json.1.ab${TEMP_SUFFIX}`), '{"format"');
    await tidyBackups(store, 2);
    const kept = await listBackups(store);
    expect(kept.map((b) => b.created)).toEqual([at(2).toISOString(), at(1).toISOString()]);
    expect((await fsp.readdir(backupsDir)).sort()).toEqual(kept.map((b) => b.id).sort());
  });
});
