// The store of one corpus folder: where it lives, the workspace file, and one lowdb file per document.
// Node only. Unusable files are moved to quarantine/ and reported, never overwritten.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Low } from 'lowdb';
import {
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  DocumentFile,
  OFFSET_UNIT,
  WORKSPACE_FORMAT,
  WORKSPACE_VERSION,
  WorkspaceFile,
  type LabelDef,
  type StoreProblem,
} from '../model.ts';
import type { StoreLocation } from '../api/contract.ts';
import {
  DurableJsonFile,
  NO_DELAY,
  StoreFileError,
  TEMP_SUFFIX,
  quarantine,
  syncDir,
  writeFileDurable,
  type WriteDelay,
} from './durable-file.ts';
import { checkStoreFile, findGoodCopy, listBackups, readBackupFile, removeIncompleteBackups } from './backup.ts';

/** Name of the store folder inside a corpus folder. */
export const STORE_DIR_NAME = '.gloss';

/** Stable id of a corpus folder: a hash of its real path. */
export function workspaceIdFor(realRoot: string): string {
  return 'w' + createHash('sha256').update(realRoot).digest('hex').slice(0, 16);
}

/**
 * Decide where a folder's annotations live: `<folder>/.gloss/` when it can be written, else a folder
 * per workspace under the user data directory.
 */
export async function resolveStoreLocation(realRoot: string, userDataDir: string): Promise<StoreLocation> {
  const inFolder = path.join(realRoot, STORE_DIR_NAME);
  try {
    await fsp.mkdir(inFolder, { recursive: true });
    const probe = path.join(inFolder, `.write-probe-${process.pid}`);
    await fsp.writeFile(probe, '');
    await fsp.rm(probe, { force: true });
    return { kind: 'folder', dir: inFolder };
  } catch {
    const dir = path.join(userDataDir, 'stores', workspaceIdFor(realRoot));
    await fsp.mkdir(dir, { recursive: true });
    return { kind: 'user-data', dir };
  }
}

/** The files of one store directory. */
export class CorpusStore {
  readonly problems: StoreProblem[] = [];
  private readonly docs = new Map<string, Low<DocumentFile>>();
  private readonly loading = new Map<string, Promise<Low<DocumentFile>>>();
  /** Documents being put back from a backup: their next read waits for the copy. */
  private readonly restoring = new Map<string, Promise<void>>();
  private workspaceDb!: Low<WorkspaceFile>;

  private constructor(
    readonly location: StoreLocation,
    private readonly saveDelay: WriteDelay,
  ) {}

  /**
   * Open (or create) the store at `location`: remove leftovers of a crash (temp files, interrupted
   * backups), check that every store file parses and validates (quarantining those that do not), and
   * read the workspace file; `defaults` seed a new one. `saveDelay` debounces document saves.
   */
  static async open(
    location: StoreLocation,
    defaults: { labels: LabelDef[] },
    options: { saveDelay?: WriteDelay } = {},
  ): Promise<CorpusStore> {
    const store = new CorpusStore(location, options.saveDelay ?? NO_DELAY);
    await fsp.mkdir(store.docsDir, { recursive: true });
    await store.removeStaleTempFiles();
    await removeIncompleteBackups(location.dir);
    const fresh = (): WorkspaceFile => ({
      format: WORKSPACE_FORMAT,
      version: WORKSPACE_VERSION,
      created: new Date().toISOString(),
      labels: defaults.labels,
      documents: [],
      settings: {},
    });
    const workspaceFile = path.join(location.dir, 'workspace.json');
    store.workspaceMtimeAtOpen = (await fsp.stat(workspaceFile).catch(() => null))?.mtimeMs ?? 0;
    const adapter = new DurableJsonFile(workspaceFile, WorkspaceFile);
    store.workspaceDb = new Low(adapter, fresh());
    await store.readOrQuarantine(store.workspaceDb, fresh);
    await store.checkDocumentFiles();
    return store;
  }

  get dir(): string {
    return this.location.dir;
  }

  get docsDir(): string {
    return path.join(this.location.dir, 'docs');
  }

  get quarantineDir(): string {
    return path.join(this.location.dir, 'quarantine');
  }

  /** The workspace data (mutate, then `saveWorkspace`). */
  get workspace(): WorkspaceFile {
    return this.workspaceDb.data;
  }

  /** Durably save the workspace file (coalesced). */
  saveWorkspace(): Promise<void> {
    return this.workspaceDb.write();
  }

  /** Path of a document's store file. */
  documentFilePath(docId: string): string {
    return path.join(this.docsDir, `${docId}.json`);
  }

  /**
   * Carry a document's store file over to a new id and path (the article was renamed). The new file is
   * written durably before the old one is removed, so a crash in between leaves a copy, never nothing.
   * Returns false when there is nothing to move or the new id already has a file.
   */
  async moveDocumentFile(oldId: string, newId: string, newPath: string): Promise<boolean> {
    if ((await this.documentFileMtime(oldId)) === null || (await this.documentFileMtime(newId)) !== null) return false;
    const db = await this.document(oldId, newPath, '');
    await (db.adapter as DurableJsonFile<DocumentFile>).flush();
    const moved: DocumentFile = { ...db.data, docId: newId, path: newPath };
    await writeFileDurable(this.documentFilePath(newId), JSON.stringify(moved, null, 1) + '\n');
    this.docs.delete(oldId);
    await fsp.rm(this.documentFilePath(oldId), { force: true });
    await syncDir(this.docsDir);
    return true;
  }

  /** Modification time of a document's store file, or null when it has none (without reading it). */
  async documentFileMtime(docId: string): Promise<number | null> {
    return fsp.stat(this.documentFilePath(docId)).then(
      (st) => st.mtimeMs,
      () => null,
    );
  }

  /** Modification time of the workspace file as it was found on open (0 for a new one). */
  workspaceMtimeAtOpen = 0;

  /**
   * The store file of a document, read once and then kept. A new (empty) one is made when none exists;
   * an unusable one is quarantined and reported, and a new empty one takes its place.
   */
  document(docId: string, docPath: string, hash: string): Promise<Low<DocumentFile>> {
    const open = this.docs.get(docId);
    if (open) return Promise.resolve(open);
    let pending = this.loading.get(docId);
    if (!pending) {
      pending = (async () => {
        const fresh = (): DocumentFile => ({
          format: DOCUMENT_FORMAT,
          version: DOCUMENT_VERSION,
          docId,
          path: docPath,
          hash,
          offsetUnit: OFFSET_UNIT,
          annotations: [],
        });
        await this.restoring.get(docId);
        const db = new Low(new DurableJsonFile(this.documentFilePath(docId), DocumentFile, this.saveDelay), fresh());
        await this.readOrQuarantine(db, fresh);
        this.docs.set(docId, db);
        this.loading.delete(docId);
        return db;
      })();
      this.loading.set(docId, pending);
    }
    return pending;
  }

  /** Write every pending (debounced) save now and wait until all are durable. */
  async flush(): Promise<void> {
    await (this.workspaceDb.adapter as DurableJsonFile<WorkspaceFile>).flush();
    await Promise.all([...this.docs.values()].map((db) => (db.adapter as DurableJsonFile<DocumentFile>).flush()));
  }

  /**
   * Put store file `rel` (`workspace.json` or `docs/<id>.json`) back from backup `id`: pending saves of
   * it are written first, the current file goes to quarantine/, the copy is written durably, and the next
   * read of the document reads it. Problems reported for that file are dropped.
   */
  async restoreFromBackup(id: string, rel: string): Promise<void> {
    const bytes = await readBackupFile(this.dir, id, rel);
    const target = path.join(this.dir, rel);
    if (rel === 'workspace.json') {
      await (this.workspaceDb.adapter as DurableJsonFile<WorkspaceFile>).flush();
      await this.replaceFile(target, bytes);
      await this.workspaceDb.read();
      // The restored index's counts may predate any document file: have them all recounted.
      this.workspaceMtimeAtOpen = 0;
    } else {
      const docId = path.basename(rel, '.json');
      const previous = this.restoring.get(docId);
      const restore = (async () => {
        await previous;
        const loaded = await this.loading.get(docId)?.catch(() => undefined);
        const open = this.docs.get(docId) ?? loaded;
        this.docs.delete(docId);
        // Edits that still hold the old copy must not write it over the restored one.
        if (open) await (open.adapter as DurableJsonFile<DocumentFile>).close();
        await this.replaceFile(target, bytes);
      })();
      this.restoring.set(docId, restore);
      try {
        await restore;
      } finally {
        if (this.restoring.get(docId) === restore) this.restoring.delete(docId);
      }
    }
    for (let i = this.problems.length - 1; i >= 0; i--) if (this.problems[i].file === rel) this.problems.splice(i, 1);
  }

  /** Move the current file (if any) to quarantine/, then write `bytes` in its place durably. */
  private async replaceFile(target: string, bytes: Uint8Array): Promise<void> {
    const exists = await fsp.stat(target).then(
      () => true,
      () => false,
    );
    if (exists) await quarantine(target, this.quarantineDir);
    await writeFileDurable(target, bytes);
  }

  private async readOrQuarantine<T>(db: Low<T>, fresh: () => T): Promise<void> {
    try {
      await db.read();
    } catch (err) {
      if (!(err instanceof StoreFileError)) throw err;
      await this.quarantineAndReport(err);
      db.data = fresh();
    }
  }

  /** Every document file must parse and validate, not only the ones opened later. */
  private async checkDocumentFiles(): Promise<void> {
    for (const name of (await fsp.readdir(this.docsDir)).sort()) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const file = path.join(this.docsDir, name);
      let raw: string;
      try {
        if (!(await fsp.stat(file)).isFile()) continue;
        raw = await fsp.readFile(file, 'utf8');
      } catch {
        continue;
      }
      try {
        checkStoreFile(file, `docs/${name}`, raw);
      } catch (err) {
        if (!(err instanceof StoreFileError)) throw err;
        await this.quarantineAndReport(err);
      }
    }
  }

  /** Move an unusable file aside and report it, naming the newest backup with a good copy. */
  private async quarantineAndReport(err: StoreFileError): Promise<void> {
    const movedTo = await quarantine(err.file, this.quarantineDir);
    const file = path.relative(this.dir, err.file).split(path.sep).join('/');
    const backup = await findGoodCopy(this.dir, file, await listBackups(this.dir)).catch(() => null);
    this.problems.push({ file, movedTo, reason: err.reason, ...(backup ? { backup } : {}) });
  }

  private async removeStaleTempFiles(): Promise<void> {
    for (const dir of [this.dir, this.docsDir]) {
      for (const name of await fsp.readdir(dir)) {
        if (name.endsWith(TEMP_SUFFIX)) await fsp.rm(path.join(dir, name), { force: true });
      }
    }
  }
}
