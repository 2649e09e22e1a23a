// Snapshot copies of a store (workspace.json and docs/*.json) under backups/<id>/, rotated. Node only.
// A backup is complete once its manifest.json exists: copies are written first, the manifest last.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DocumentFile, WorkspaceFile } from '../model.ts';
import { ApiError, BackupId, StoreFilePath, type BackupSummary } from '../api/contract.ts';
import { StoreFileError, parseStoreJson, syncDir, writeFileDurable } from './durable-file.ts';

/** Folder of the backups inside a store directory. */
export const BACKUPS_DIR_NAME = 'backups';
/** Written last into a backup folder; a folder without a valid one is an interrupted backup. */
export const MANIFEST_NAME = 'manifest.json';
export const DEFAULT_BACKUP_INTERVAL_MINUTES = 60;
export const DEFAULT_BACKUP_KEEP = 20;

const BackupManifest = z.object({
  format: z.literal('gloss-backup'),
  version: z.literal(1),
  id: BackupId,
  created: z.string(),
  files: z.array(z.object({ path: StoreFilePath, size: z.number().int().nonnegative(), sha256: z.string() })),
});
type BackupManifest = z.infer<typeof BackupManifest>;

/** A complete backup as read from its manifest. */
export interface Backup extends BackupSummary {
  manifest: BackupManifest;
}

/** The schema a store file must satisfy, by its store-relative path. */
function schemaFor(rel: string): z.ZodType<unknown> {
  return rel === 'workspace.json' ? WorkspaceFile : DocumentFile;
}

/** Does this text parse and validate as the store file `rel`? Throws StoreFileError when not. */
export function checkStoreFile(file: string, rel: string, raw: string): void {
  parseStoreJson(file, raw, schemaFor(rel));
}

/** Store-relative paths (forward slashes) of the store files that exist now: workspace.json, docs/*.json. */
export async function listStoreFiles(storeDir: string): Promise<string[]> {
  const files: string[] = [];
  if (await isFile(path.join(storeDir, 'workspace.json'))) files.push('workspace.json');
  const names = await fsp.readdir(path.join(storeDir, 'docs')).catch(() => [] as string[]);
  for (const name of names.sort()) {
    const rel = `docs/${name}`;
    if (StoreFilePath.safeParse(rel).success && (await isFile(path.join(storeDir, 'docs', name)))) files.push(rel);
  }
  return files;
}

/** Complete backups, newest first. */
export async function listBackups(storeDir: string): Promise<Backup[]> {
  const root = path.join(storeDir, BACKUPS_DIR_NAME);
  const names = await fsp.readdir(root).catch(() => [] as string[]);
  const backups: Backup[] = [];
  for (const name of names) {
    const manifest = await readManifest(path.join(root, name));
    if (manifest && manifest.id === name) {
      backups.push({ id: name, created: manifest.created, files: manifest.files.length, manifest });
    }
  }
  return backups.sort((a, b) => (a.created === b.created ? (a.id < b.id ? 1 : -1) : a.created < b.created ? 1 : -1));
}

/** Delete backup folders that have no valid manifest: backups interrupted by a crash. */
export async function removeIncompleteBackups(storeDir: string): Promise<void> {
  const root = path.join(storeDir, BACKUPS_DIR_NAME);
  const names = await fsp.readdir(root).catch(() => [] as string[]);
  for (const name of names) {
    const dir = path.join(root, name);
    if (!(await fsp.stat(dir).then((s) => s.isDirectory(), () => false))) continue;
    // Only a manifest that is missing or invalid marks an interrupted backup; a read error is no proof.
    const raw = await fsp.readFile(path.join(dir, MANIFEST_NAME), 'utf8').catch((err: NodeJS.ErrnoException) =>
      err.code === 'ENOENT' ? '' : null,
    );
    // Best effort: a folder that cannot be removed now is still ignored, and tried again next time.
    if (raw !== null && !parseManifest(raw)) await fsp.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Copy every good store file into a new backup and drop the oldest beyond `keep`. Files that do not
 * validate are left out (a backup holds good copies only). Returns null, writing nothing, when there is
 * nothing to copy or nothing changed since the newest backup.
 */
export async function createBackup(storeDir: string, options: { now: Date; keep: number }): Promise<Backup | null> {
  const files: Array<{ rel: string; bytes: Buffer; sha256: string }> = [];
  for (const rel of await listStoreFiles(storeDir)) {
    const file = path.join(storeDir, rel);
    const bytes = await fsp.readFile(file).catch(() => null);
    if (!bytes) continue;
    try {
      checkStoreFile(file, rel, bytes.toString('utf8'));
    } catch (err) {
      if (err instanceof StoreFileError) continue;
      throw err;
    }
    files.push({ rel, bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  if (files.length === 0) return null;
  const [newest] = await listBackups(storeDir);
  if (newest && sameFiles(newest.manifest, files)) return null;

  const root = path.join(storeDir, BACKUPS_DIR_NAME);
  await fsp.mkdir(root, { recursive: true });
  const created = options.now.toISOString();
  const { id, dir } = await makeBackupDir(root, created.replace(/[:.]/g, '-'));
  await fsp.mkdir(path.join(dir, 'docs'));
  for (const f of files) await writeFileDurable(path.join(dir, f.rel), f.bytes);
  await syncDir(path.join(dir, 'docs'));
  const manifest: BackupManifest = {
    format: 'gloss-backup',
    version: 1,
    id,
    created,
    files: files.map((f) => ({ path: f.rel, size: f.bytes.length, sha256: f.sha256 })),
  };
  await writeFileDurable(path.join(dir, MANIFEST_NAME), JSON.stringify(manifest, null, 1) + '\n');
  await syncDir(root);
  await rotateBackups(storeDir, options.keep);
  return { id, created, files: files.length, manifest };
}

/** Delete the oldest complete backups beyond the newest `keep`. */
export async function rotateBackups(storeDir: string, keep: number): Promise<void> {
  const root = path.join(storeDir, BACKUPS_DIR_NAME);
  for (const old of (await listBackups(storeDir)).slice(keep)) {
    const dir = path.join(root, old.id);
    // Manifest first: a crash in the middle leaves an incomplete backup (ignored), never a complete-looking one.
    await fsp.rm(path.join(dir, MANIFEST_NAME), { force: true });
    await syncDir(dir);
    await fsp.rm(dir, { recursive: true, force: true });
  }
  await syncDir(root).catch(() => undefined);
}

/**
 * The bytes of store file `rel` in backup `id`, checked strictly: the id must name a complete backup,
 * the file must be in its manifest, and the copy must match the manifest's hash and validate.
 */
export async function readBackupFile(storeDir: string, id: string, rel: string): Promise<Buffer> {
  if (!BackupId.safeParse(id).success) throw new ApiError('invalid-input', 'Not a backup id');
  if (!StoreFilePath.safeParse(rel).success) throw new ApiError('invalid-input', 'Not a store file');
  const dir = path.join(storeDir, BACKUPS_DIR_NAME, id);
  const manifest = await readManifest(dir);
  if (!manifest || manifest.id !== id) throw new ApiError('not-found', `No backup ${id}`);
  const entry = manifest.files.find((f) => f.path === rel);
  if (!entry) throw new ApiError('not-found', `Backup ${id} has no copy of ${rel}`);
  const file = path.join(dir, rel);
  const bytes = await fsp.readFile(file).catch(() => null);
  if (!bytes || createHash('sha256').update(bytes).digest('hex') !== entry.sha256) {
    throw new ApiError('unavailable', `The copy of ${rel} in backup ${id} is damaged`);
  }
  try {
    checkStoreFile(file, rel, bytes.toString('utf8'));
  } catch (err) {
    if (err instanceof StoreFileError) throw new ApiError('unavailable', `The copy of ${rel} in backup ${id} is unusable: ${err.reason}`);
    throw err;
  }
  return bytes;
}

/** The newest backup among `backups` holding a good copy of `rel`, or null. */
export async function findGoodCopy(storeDir: string, rel: string, backups: Backup[]): Promise<{ id: string; created: string } | null> {
  for (const b of backups) {
    if (!b.manifest.files.some((f) => f.path === rel)) continue;
    const ok = await readBackupFile(storeDir, b.id, rel).then(
      () => true,
      () => false,
    );
    if (ok) return { id: b.id, created: b.created };
  }
  return null;
}

function sameFiles(manifest: BackupManifest, files: Array<{ rel: string; sha256: string }>): boolean {
  if (manifest.files.length !== files.length) return false;
  const byPath = new Map(manifest.files.map((f) => [f.path, f.sha256]));
  return files.every((f) => byPath.get(f.rel) === f.sha256);
}

/** Create a new backup folder named after its time, with a counter when that name is taken. */
async function makeBackupDir(root: string, base: string): Promise<{ id: string; dir: string }> {
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    const dir = path.join(root, id);
    try {
      await fsp.mkdir(dir);
      return { id, dir };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

async function readManifest(dir: string): Promise<BackupManifest | null> {
  const raw = await fsp.readFile(path.join(dir, MANIFEST_NAME), 'utf8').catch(() => null);
  return raw === null ? null : parseManifest(raw);
}

function parseManifest(raw: string): BackupManifest | null {
  try {
    return BackupManifest.parse(JSON.parse(raw));
  } catch {
    return null;
  }
}

async function isFile(p: string): Promise<boolean> {
  return fsp.stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
}
