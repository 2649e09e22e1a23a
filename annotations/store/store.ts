// The store of one corpus folder: where it lives, the workspace file, and one lowdb file per document.
// Node only. Unusable files are moved to quarantine/ and reported, never overwritten.
import fsSync, { promises as fsp } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Low } from 'lowdb';
import { z } from 'zod';
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
  parseStoreJson,
  TEMP_SUFFIX,
  quarantine,
  syncDir,
  writeFileDurable,
  type WriteDelay,
} from './durable-file.ts';
import { findGoodCopy, listBackups, readBackupFile } from './backup.ts';

/** Name of the store folder inside a corpus folder. */
export const STORE_DIR_NAME = '.gloss';
/**
 * A cache in the store folder (not a store file: never backed up, safe to delete): the size, times, inode
 * and annotation count of each document file when it was last found valid, so that opening a store reads
 * only the document files that changed since.
 */
export const CHECKED_FILE_NAME = 'checked.json';
/** Document files kept in memory after their last use (more stay while someone holds them or saves them). */
const RECENT_DOCUMENTS = 16;
/** Longest the integrity check reads files without letting other work run, in ms (reads are synchronous). */
const SLICE_MS = 8;

/** What the check cache knows of one document file. */
const Checked = z.object({ size: z.number(), mtimeMs: z.number(), ctimeMs: z.number(), ino: z.number(), annotations: z.number() });
type Checked = z.infer<typeof Checked>;
const CheckedFile = z.object({ version: z.literal(1), files: z.record(z.string(), Checked) });

/**
 * Is the file as `stats` describe it the one `known` describes? A save writes a new file and renames it
 * over the old one, so it changes the inode as well as the times, even where times are coarse.
 */
const unchanged = (known: Omit<Checked, 'annotations'>, stats: fsSync.Stats): boolean =>
  known.size === stats.size && known.mtimeMs === stats.mtimeMs && known.ctimeMs === stats.ctimeMs && known.ino === stats.ino;

/** A document's store file in memory: pinned in the store while it has a save waiting or running. */
class DocumentDb extends Low<DocumentFile> {
  constructor(
    adapter: DurableJsonFile<DocumentFile>,
    data: DocumentFile,
    private readonly pins: Set<DocumentDb>,
  ) {
    super(adapter, data);
  }

  override async write(): Promise<void> {
    this.pins.add(this);
    try {
      await super.write();
    } finally {
      if (!(this.adapter as DurableJsonFile<DocumentFile>).busy) this.pins.delete(this);
    }
  }
}

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

/** The workspace data but its document list, serialized. */
const restOf = (data: WorkspaceFile): string => JSON.stringify({ ...data, documents: [] });

/** The files of one store directory. */
export class CorpusStore {
  readonly problems: StoreProblem[] = [];
  /**
   * Document files read, by id. Held weakly: one copy per document exists as long as anyone holds it (no
   * second copy can be read beside it and undo its saves), while a corpus-wide read (an export) does not
   * keep every file in memory. `recent` and `pinned` (saves under way) hold them strongly.
   */
  private readonly docs = new Map<string, WeakRef<Low<DocumentFile>>>();
  private readonly recent = new Map<string, Low<DocumentFile>>();
  private readonly pinned = new Set<DocumentDb>();
  private readonly loading = new Map<string, Promise<Low<DocumentFile>>>();
  /** What the check on open found of each document file, by id; dropped when the file is written. */
  private readonly checked = new Map<string, Checked>();
  /** Documents that have a store file: found valid on open, or written since. */
  private readonly present = new Set<string>();
  /** Every write to the store waits for this first (see holdWrites). */
  private writeGate: (() => Promise<void>) | null = null;
  /** Documents being put back from a backup: their next read waits for the copy. */
  private readonly restoring = new Map<string, Promise<void>>();
  private workspaceDb!: Low<WorkspaceFile>;
  /** The workspace file as read, but its document list (see saveWorkspaceIfChanged); null once saved. */
  private restAsRead: string | null = null;

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
    const fresh = (): WorkspaceFile => ({
      format: WORKSPACE_FORMAT,
      version: WORKSPACE_VERSION,
      created: new Date().toISOString(),
      labels: defaults.labels,
      documents: [],
      settings: {},
    });
    const workspaceFile = path.join(location.dir, 'workspace.json');
    const adapter = new DurableJsonFile(workspaceFile, WorkspaceFile, NO_DELAY, () => store.writeGate?.());
    store.workspaceDb = new Low(adapter, fresh());
    await store.readOrQuarantine(store.workspaceDb, fresh);
    store.noteWorkspaceRead();
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

  /**
   * Hold every write to the store (saves, moves, restores) until `gate()` resolves; it is called at the
   * first write, so it may start the work it waits for (a backup of the store as it was found). Null
   * lets writes go at once (the gate's own work calls it before writing).
   */
  holdWrites(gate: (() => Promise<void>) | null): void {
    this.writeGate = gate;
  }

  /**
   * How many annotations a document's store file holds, without keeping it in memory: from the copy in
   * memory, else from what the check on open found, else read (0 when there is no file).
   */
  async annotationCount(docId: string, docPath: string, hash: string): Promise<number> {
    return this.knownAnnotationCount(docId) ?? (await this.document(docId, docPath, hash)).data.annotations.length;
  }

  /** annotationCount when it is known without reading the file (undefined when it is not). */
  knownAnnotationCount(docId: string): number | undefined {
    const open = this.docs.get(docId)?.deref();
    if (open) return open.data.annotations.length;
    const checked = this.checked.get(docId);
    if (checked) return checked.annotations;
    return this.present.has(docId) ? undefined : 0;
  }

  /** Remember the workspace file as just read (for saveWorkspaceIfChanged), if there was one. */
  private noteWorkspaceRead(): void {
    this.restAsRead = (this.workspaceDb.adapter as DurableJsonFile<WorkspaceFile>).known ? restOf(this.workspaceDb.data) : null;
  }

  /** Durably save the workspace file (coalesced). */
  saveWorkspace(): Promise<void> {
    this.restAsRead = null;
    return this.workspaceDb.write();
  }

  /**
   * saveWorkspace, unless the file already holds exactly this (reopening an unchanged folder writes
   * nothing). `documentsAsRead`: the caller knows the document list equals the one read from the file;
   * then, as long as nothing was saved since the read, only the rest of the index is compared (the list
   * of 10,000 documents need not be serialized again to find out).
   */
  async saveWorkspaceIfChanged(documentsAsRead = false): Promise<void> {
    const data = this.workspaceDb.data;
    if (documentsAsRead && this.restAsRead !== null && restOf(data) === this.restAsRead) return;
    if ((this.workspaceDb.adapter as DurableJsonFile<WorkspaceFile>).differs(data)) await this.saveWorkspace();
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
    await this.writeGate?.();
    const db = await this.document(oldId, newPath, '');
    await (db.adapter as DurableJsonFile<DocumentFile>).flush();
    const moved: DocumentFile = { ...db.data, docId: newId, path: newPath };
    await writeFileDurable(this.documentFilePath(newId), JSON.stringify(moved, null, 1) + '\n');
    this.forget(oldId);
    this.checked.delete(newId);
    this.present.add(newId);
    await fsp.rm(this.documentFilePath(oldId), { force: true });
    this.present.delete(oldId);
    this.checked.delete(oldId);
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

  /** The copy in memory of a document's store file, if any (and mark it recently used). */
  private openDocument(docId: string): Low<DocumentFile> | undefined {
    const open = this.docs.get(docId)?.deref();
    if (!open) {
      this.docs.delete(docId);
      return undefined;
    }
    this.recent.delete(docId);
    this.recent.set(docId, open);
    while (this.recent.size > RECENT_DOCUMENTS) this.recent.delete(this.recent.keys().next().value as string);
    return open;
  }

  /** Drop the copy in memory of a document's store file (it was moved or is being replaced). */
  private forget(docId: string): void {
    this.docs.delete(docId);
    this.recent.delete(docId);
  }

  /**
   * The store file of a document, read once and then kept while in use. A new (empty) one is made when
   * none exists; an unusable one is quarantined and reported, and a new empty one takes its place.
   */
  document(docId: string, docPath: string, hash: string): Promise<Low<DocumentFile>> {
    const open = this.openDocument(docId);
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
        const beforeWrite = () => {
          // The file changes: what the check found of it no longer holds.
          this.checked.delete(docId);
          this.present.add(docId);
          return this.writeGate?.();
        };
        const trusted = (stats: fsSync.Stats): boolean => {
          const known = this.checked.get(docId);
          return !!known && unchanged(known, stats);
        };
        const adapter = new DurableJsonFile(this.documentFilePath(docId), DocumentFile, this.saveDelay, beforeWrite, trusted);
        const db = new DocumentDb(adapter, fresh(), this.pinned);
        await this.readOrQuarantine(db, fresh);
        this.docs.set(docId, new WeakRef(db));
        this.loading.delete(docId);
        this.openDocument(docId);
        return db;
      })();
      this.loading.set(docId, pending);
    }
    return pending;
  }

  /** Write every pending (debounced) save now and wait until all are durable. */
  async flush(): Promise<void> {
    await (this.workspaceDb.adapter as DurableJsonFile<WorkspaceFile>).flush();
    await Promise.all([...this.pinned].map((db) => (db.adapter as DurableJsonFile<DocumentFile>).flush()));
  }

  /**
   * Put store file `rel` (`workspace.json` or `docs/<id>.json`) back from backup `id`: pending saves of
   * it are written first, the current file goes to quarantine/, the copy is written durably, and the next
   * read of the document reads it. Problems reported for that file are dropped.
   */
  async restoreFromBackup(id: string, rel: string): Promise<void> {
    const bytes = await readBackupFile(this.dir, id, rel);
    await this.writeGate?.();
    const target = path.join(this.dir, rel);
    if (rel === 'workspace.json') {
      await (this.workspaceDb.adapter as DurableJsonFile<WorkspaceFile>).flush();
      await this.replaceFile(target, bytes);
      await this.workspaceDb.read();
      this.noteWorkspaceRead();
    } else {
      const docId = path.basename(rel, '.json');
      const previous = this.restoring.get(docId);
      const restore = (async () => {
        await previous;
        const loaded = await this.loading.get(docId)?.catch(() => undefined);
        const open = this.docs.get(docId)?.deref() ?? loaded;
        this.forget(docId);
        this.checked.delete(docId);
        this.present.add(docId);
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

  /**
   * Every document file must parse and validate, not only the ones opened later. Files whose size, times
   * and inode are those recorded in checked.json when they were last found valid are not read again (see
   * `unchanged`); the others are read, and the cache is rewritten when it changed.
   */
  private async checkDocumentFiles(): Promise<void> {
    const cacheFile = path.join(this.dir, CHECKED_FILE_NAME);
    const cached = await fsp
      .readFile(cacheFile, 'utf8')
      .then((raw) => CheckedFile.parse(JSON.parse(raw)).files)
      .catch(() => ({}) as Record<string, Checked>);
    const found: Record<string, Checked> = {};
    let changed = false;
    let sliceStart = performance.now();
    for (const name of (await fsp.readdir(this.docsDir)).sort()) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
      const file = path.join(this.docsDir, name);
      const docId = name.slice(0, -'.json'.length);
      // The usual case, a file unchanged since its last check, costs one stat.
      const known = cached[name];
      let seen: fsSync.Stats | undefined;
      try {
        seen = known ? fsSync.statSync(file) : undefined;
      } catch {
        // Looked at again below, where any error is handled.
      }
      if (known && seen?.isFile() && unchanged(known, seen)) {
        found[name] = known;
        this.checked.set(docId, known);
        this.present.add(docId);
        continue;
      }
      let fd: number;
      try {
        fd = fsSync.openSync(file, 'r');
      } catch {
        continue;
      }
      let result: Checked | StoreFileError | null = null;
      try {
        const stats = fsSync.fstatSync(fd);
        if (!stats.isFile()) continue;
        changed = true;
        const data = parseStoreJson(file, fsSync.readFileSync(fd, 'utf8'), DocumentFile);
        result = { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino, annotations: data.annotations.length };
      } catch (err) {
        if (err instanceof StoreFileError) result = err;
        else if (!(err as NodeJS.ErrnoException).code) throw err;
      } finally {
        fsSync.closeSync(fd);
      }
      if (result instanceof StoreFileError) await this.quarantineAndReport(result);
      else if (result) {
        found[name] = result;
        this.checked.set(docId, result);
        this.present.add(docId);
      }
    }
    if (changed || Object.keys(cached).length !== Object.keys(found).length) {
      // A cache: losing it costs one full check, so it need not be durable, only whole (temp file, rename).
      const temp = `${cacheFile}.${process.pid}${TEMP_SUFFIX}`;
      await fsp
        .writeFile(temp, JSON.stringify({ version: 1, files: found }))
        .then(() => fsp.rename(temp, cacheFile))
        .catch(() => fsp.rm(temp, { force: true }));
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
