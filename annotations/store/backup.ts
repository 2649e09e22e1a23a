// Snapshot copies of a store (workspace.json and docs/*.json) under backups/<id>/, rotated. Node only.
// A backup is complete once its manifest.json exists: copies are written first, the manifest last.
// Files unchanged since the newest backup are hard links to its copies, so a backup costs what changed.
import fsSync, { promises as fsp } from 'node:fs';
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
  files: z.array(
    z.object({
      path: StoreFilePath,
      size: z.number().int().nonnegative(),
      sha256: z.string(),
      // The store file's times and inode when it was copied: a later backup links this copy while they hold.
      mtimeMs: z.number().optional(),
      ctimeMs: z.number().optional(),
      ino: z.number().optional(),
    }),
  ),
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

/** Longest a backup reads store files without letting other work run, in ms (reads are synchronous). */
const SLICE_MS = 8;
/** Copies written (and fsynced) at once: the file system commits concurrent fsyncs together. */
const WRITE_CONCURRENCY = 8;

type ManifestFile = BackupManifest['files'][number];

/**
 * Copy every good store file into a new backup and drop the oldest beyond `keep`. Files that do not
 * validate are left out (a backup holds good copies only). A file whose size and times are those the
 * newest backup recorded is not read again: its copy there is hard-linked (copied where links fail).
 * Returns null, writing nothing, when there is nothing to copy or nothing changed since the newest backup.
 * Holds one file in memory at a time.
 */
export async function createBackup(storeDir: string, options: { now: Date; keep: number }): Promise<Backup | null> {
  const backups = await listBackups(storeDir);
  const [newest] = backups;
  const before = new Map(newest?.manifest.files.map((f) => [f.path, f]));
  const files: Array<{ entry: ManifestFile; linked: boolean }> = [];
  const slice = slicer();
  for (const rel of await storeFileNames(storeDir)) {
    await slice();
    const found = snapshot(storeDir, rel, before.get(rel));
    if (found) files.push(found);
  }
  if (files.length === 0) return null;
  if (newest && sameFiles(newest.manifest, files.map((f) => ({ rel: f.entry.path, sha256: f.entry.sha256 })))) return null;

  const root = path.join(storeDir, BACKUPS_DIR_NAME);
  await fsp.mkdir(root, { recursive: true });
  const created = options.now.toISOString();
  const { id, dir } = await makeBackupDir(root, created.replace(/[:.]/g, '-'));
  await fsp.mkdir(path.join(dir, 'docs'));
  const kept: ManifestFile[] = [];
  let next = 0;
  const copyNext = async (): Promise<void> => {
    while (next < files.length) {
      const { entry, linked } = files[next++];
      const target = path.join(dir, entry.path);
      if (linked) {
        await linkOrCopy(path.join(root, newest!.id, entry.path), target);
        kept.push(entry);
        continue;
      }
      await slice();
      const copy = snapshot(storeDir, entry.path, undefined, entry);
      if (!copy?.bytes) continue;
      await writeSynced(target, copy.bytes);
      kept.push(copy.entry);
    }
  };
  await Promise.all(Array.from({ length: WRITE_CONCURRENCY }, copyNext));
  await syncDir(path.join(dir, 'docs'));
  await syncDir(dir);
  const order = new Map(files.map((f, i) => [f.entry.path, i]));
  kept.sort((a, b) => order.get(a.path)! - order.get(b.path)!);
  const manifest: BackupManifest = { format: 'gloss-backup', version: 1, id, created, files: kept };
  await writeFileDurable(path.join(dir, MANIFEST_NAME), JSON.stringify(manifest, null, 1) + '\n');
  await syncDir(root);
  const backup = { id, created, files: kept.length, manifest };
  await rotateBackups(storeDir, options.keep, [backup, ...backups]);
  return backup;
}

/** Yields to other work when the current slice of synchronous reads has run SLICE_MS. */
function slicer(): () => Promise<void> {
  let start = performance.now();
  return async () => {
    if (performance.now() - start < SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    start = performance.now();
  };
}

/** Names a store file could have (workspace.json, docs/*.json), unchecked: snapshot() skips what is no file. */
async function storeFileNames(storeDir: string): Promise<string[]> {
  const names = await fsp.readdir(path.join(storeDir, 'docs')).catch(() => [] as string[]);
  return ['workspace.json', ...names.sort().map((n) => `docs/${n}`).filter((rel) => StoreFilePath.safeParse(rel).success)];
}

/** Unchanged since `entry` was taken? Saves replace files (new inode, new times), so all four tell. */
const sameStats = (entry: ManifestFile, stats: fsSync.Stats): boolean =>
  entry.size === stats.size && entry.mtimeMs === stats.mtimeMs && entry.ctimeMs === stats.ctimeMs && entry.ino === stats.ino;

/**
 * Store file `rel` as a backup sees it, read through one handle (so size, times and bytes belong
 * together even while saves replace the file). When its size and times are those of `previous` (the
 * newest backup's entry), nothing is read and `linked` says to link that copy. Otherwise the file is
 * read and validated; `bytes` are returned only when `checked` (this backup's first look at the file)
 * is given, and the file still has its size, times and hash the check is trusted. Null when the file is
 * missing, not a regular file, unreadable or does not validate.
 */
function snapshot(
  storeDir: string,
  rel: string,
  previous: ManifestFile | undefined,
  checked?: ManifestFile,
): { entry: ManifestFile; linked: boolean; bytes?: Buffer } | null {
  const file = path.join(storeDir, rel);
  let fd: number;
  try {
    fd = fsSync.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const stats = fsSync.fstatSync(fd);
    if (!stats.isFile()) return null;
    if (previous && sameStats(previous, stats)) return { entry: previous, linked: true };
    const bytes = fsSync.readFileSync(fd);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (!(checked && sameStats(checked, stats) && checked.sha256 === sha256)) checkStoreFile(file, rel, bytes.toString('utf8'));
    const entry = { path: rel, size: bytes.length, sha256, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino };
    return checked ? { entry, linked: false, bytes } : { entry, linked: false };
  } catch (err) {
    if (err instanceof StoreFileError || (err as NodeJS.ErrnoException).code) return null;
    throw err;
  } finally {
    fsSync.closeSync(fd);
  }
}

/** Write a new file and fsync it (the backup's folder is fsynced once, after all its files). */
async function writeSynced(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await fsp.open(file, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Hard-link a copy of an older backup (copies are never changed in place); copy it where links are refused. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await fsp.link(from, to);
  } catch {
    await writeSynced(to, await fsp.readFile(from));
  }
}

/**
 * What opening a store does to its backups, cheaply: folders without a manifest (a crash before the
 * backup finished) are deleted, and the oldest complete ones beyond `keep` (a crash before the rotation
 * after a backup). Manifests are only parsed when there are too many; removeIncompleteBackups also
 * catches a manifest that is there but unreadable.
 */
export async function tidyBackups(storeDir: string, keep: number): Promise<void> {
  const root = path.join(storeDir, BACKUPS_DIR_NAME);
  const names = await fsp.readdir(root).catch(() => [] as string[]);
  let complete = 0;
  for (const name of names) {
    const dir = path.join(root, name);
    const manifest = await fsp.stat(path.join(dir, MANIFEST_NAME)).then(
      () => true,
      (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' || err.code === 'ENOTDIR' ? false : null),
    );
    if (manifest) complete++;
    // A read error other than "not there" is no proof of an interrupted backup.
    else if (manifest === false && (await fsp.stat(dir).then((s) => s.isDirectory(), () => false))) {
      await fsp.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }
  if (complete > keep) await rotateBackups(storeDir, keep);
}

/** Delete the oldest complete backups beyond the newest `keep` (`known`: the list, when the caller has it). */
export async function rotateBackups(storeDir: string, keep: number, known?: Backup[]): Promise<void> {
  const root = path.join(storeDir, BACKUPS_DIR_NAME);
  for (const old of (known ?? (await listBackups(storeDir))).slice(keep)) {
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
