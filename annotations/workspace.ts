// An open corpus folder: its documents, its store, and the annotation operations on them. Node only.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ApiError, type AnnotationChanges, type BackupSummary, type LoadedDocument, type NewAnnotation, type WorkspaceView } from './api/contract.ts';
import { Annotation, LabelDef, Relation, type DocumentEntry, type DocumentFile, type DocumentStatus, type SkippedFile } from './model.ts';
import { CodePointIndex, sliceCodePoints } from './offsets.ts';
import { contextOf, reanchor } from './anchors.ts';
import { readDocument, scanCorpus, type ScannedDocument } from './corpus/scan.ts';
import { CorpusStore, STORE_DIR_NAME, resolveStoreLocation, workspaceIdFor } from './store/store.ts';
import type { DurableJsonFile } from './store/durable-file.ts';
import { acquireStoreLock, type StoreLock } from './store/lock.ts';
import { DEFAULT_BACKUP_INTERVAL_MINUTES, DEFAULT_BACKUP_KEEP, createBackup, listBackups, rotateBackups } from './store/backup.ts';

export interface WorkspaceOptions {
  /** Per-user data directory: the store's fallback when the folder is not writable. */
  userDataDir: string;
  /** Labels of a new workspace. */
  defaultLabels: LabelDef[];
  /** Author recorded on new annotations unless the workspace settings name one. */
  author: string;
  /** Clock, for tests. */
  now?: () => Date;
  /** Quiet time a document save waits for, so a burst of edits costs one write (0: write at once). */
  saveDelayMs?: number;
  /** Longest a document save waits after the first unsaved edit, however busy the editing. */
  maxSaveDelayMs?: number;
  /** Which shell opens the folder (named in the lock, for the message another instance shows). */
  shell?: string;
  /** Clock of the backup schedule, for tests (default: the real time). */
  backupClock?: () => Date;
}

/** Default quiet time before a document save. */
export const DEFAULT_SAVE_DELAY_MS = 1000;
/** Default longest wait of a document save. */
export const DEFAULT_MAX_SAVE_DELAY_MS = 3000;

interface CachedText {
  /** Hash of the entry when the text was read: a rescan that saw the file change makes it stale. */
  hash: string;
  text: string;
  index: CodePointIndex;
}

/** How many document texts stay in memory for validating edits. */
const TEXT_CACHE_SIZE = 8;

/** An open corpus folder. */
export class Workspace {
  private skipped: SkippedFile[] = [];
  private readonly texts = new Map<string, CachedText>();
  private workspaceSaveTimer: NodeJS.Timeout | null = null;
  private lock: StoreLock | null = null;
  private closed = false;
  /** Flushes under way: edits reaching their save meanwhile are written at once, not after the quiet time. */
  private flushing = 0;
  /** When the last backup was made (or failed), by the backup clock, in ms. */
  private lastBackupAt = -Infinity;
  private backupRunning: Promise<void> | null = null;

  private constructor(
    readonly root: string,
    readonly id: string,
    readonly store: CorpusStore,
    private readonly options: WorkspaceOptions,
  ) {}

  /** Open a folder: resolve its store, scan its articles, and reconcile the document index. */
  static async open(folder: string, options: WorkspaceOptions): Promise<Workspace> {
    let root: string;
    try {
      root = await fsp.realpath(folder);
      if (!(await fsp.stat(root)).isDirectory()) throw new Error('not a folder');
    } catch (err) {
      throw new ApiError('not-found', `Cannot open ${folder}: ${(err as Error).message}`);
    }
    const location = await resolveStoreLocation(root, options.userDataDir);
    // Before anything touches the store: another instance's temp files and saves must be left alone.
    const lock = await acquireStoreLock(location.dir, options.shell ?? 'gloss');
    try {
      const quietMs = options.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS;
      const saveDelay = { quietMs, maxMs: options.maxSaveDelayMs ?? DEFAULT_MAX_SAVE_DELAY_MS };
      const store = await CorpusStore.open(location, { labels: options.defaultLabels }, { saveDelay });
      const ws = new Workspace(root, workspaceIdFor(root), store, options);
      ws.lock = lock;
      // A crash between a new backup and the rotation after it leaves one too many.
      await rotateBackups(store.dir, ws.backupSettings().keep);
      // A snapshot of the store as found, before this session changes it.
      const [newest] = await listBackups(store.dir);
      ws.lastBackupAt = newest ? Date.parse(newest.created) : -Infinity;
      if (ws.backupDue()) await ws.backupNow();
      await ws.rescan();
      return ws;
    } catch (err) {
      await lock.release().catch(() => undefined);
      throw err;
    }
  }

  /** Re-read the folder's file list, reusing index entries whose size and mtime did not change. */
  async rescan(): Promise<void> {
    const data = this.store.workspace;
    const previous = new Map(data.documents.map((d) => [d.path, d]));
    const { documents, skipped } = await scanCorpus(this.root, { previous, storeDirName: STORE_DIR_NAME });
    await this.followRenames(previous, documents);
    const entries: DocumentEntry[] = [];
    for (const doc of documents) {
      // Counts in the index are a cache: recount when the document's file is newer than the index
      // (a crash can beat the index's debounced save; file times are coarse, so "as new" counts too) or
      // when the index has no entry.
      const mtime = await this.store.documentFileMtime(doc.id);
      let count = previous.get(doc.path)?.annotationCount;
      if (mtime === null) count = 0;
      else if (count === undefined || mtime >= this.store.workspaceMtimeAtOpen) {
        count = (await this.store.document(doc.id, doc.path, doc.hash)).data.annotations.length;
      }
      const status = previous.get(doc.path)?.status;
      entries.push({ ...doc, annotationCount: count, ...(status ? { status } : {}) });
    }
    data.documents = entries;
    this.skipped = skipped;
    await this.store.saveWorkspace();
  }

  /**
   * A file that vanished while a new one with the same text appeared was renamed or moved: its
   * annotations move with it (document ids derive from paths, so the store file is carried over).
   */
  private async followRenames(previous: Map<string, DocumentEntry>, scanned: ScannedDocument[]): Promise<void> {
    const present = new Set(scanned.map((d) => d.path));
    const goneByHash = new Map<string, DocumentEntry[]>();
    for (const entry of previous.values()) {
      if (present.has(entry.path)) continue;
      goneByHash.set(entry.hash, [...(goneByHash.get(entry.hash) ?? []), entry]);
    }
    if (goneByHash.size === 0) return;
    for (const doc of scanned) {
      if (previous.has(doc.path)) continue;
      const candidates = goneByHash.get(doc.hash);
      // Only an unambiguous match moves annotations; two vanished copies of one text stay where they were.
      if (candidates?.length !== 1) continue;
      const [old] = candidates;
      goneByHash.delete(doc.hash);
      if (await this.store.moveDocumentFile(old.id, doc.id, doc.path)) this.texts.delete(old.id);
      // What the index knew of it (review status, annotation count) follows too.
      previous.set(doc.path, { ...old, id: doc.id, path: doc.path });
    }
  }

  /** What the UI shows of this workspace. */
  view(): WorkspaceView {
    const data = this.store.workspace;
    return {
      id: this.id,
      name: path.basename(this.root),
      folder: this.root,
      store: this.store.location,
      labels: data.labels,
      documents: data.documents,
      skipped: this.skipped,
      problems: this.store.problems,
    };
  }

  get author(): string {
    return this.store.workspace.settings.author ?? this.options.author;
  }

  /**
   * Read a document's text and annotations. When the file changed, annotations are found again
   * (anchors.ts) and the moved ones saved at once; those not found are orphans, left in the store
   * untouched and tried again on every load.
   */
  async load(docId: string): Promise<LoadedDocument> {
    const entry = this.entry(docId);
    const { text, index } = await this.text(entry, true);
    const db = await this.store.document(docId, entry.path, entry.hash);
    if (entry.annotationCount !== db.data.annotations.length) {
      entry.annotationCount = db.data.annotations.length;
      this.scheduleWorkspaceSave();
    }
    const { all, orphans, reanchored } = this.anchorAll(db.data.annotations, text, index);
    if (reanchored > 0) {
      db.data.annotations = all;
      db.data.hash = entry.hash;
      // Not awaited: the reader need not wait for the debounced save. Should it fail or the process
      // die first, the next load re-anchors again from the untouched file.
      this.commit(entry, db).catch(() => undefined);
    }
    const orphaned = new Set(orphans);
    const annotations = db.data.annotations.filter((a) => !orphaned.has(a));
    return { entry: this.entry(docId), text, annotations, orphans, reanchored };
  }

  /** Each annotation found in the text: moved ones get new offsets, quote, context and modified time. */
  private anchorAll(stored: Annotation[], text: string, index: CodePointIndex) {
    const orphans: Annotation[] = [];
    let reanchored = 0;
    let now: string | undefined;
    const all = stored.map((a) => {
      const found = reanchor(text, a, index);
      if (!found) orphans.push(a);
      if (!found || found.method === 'position') return a;
      reanchored++;
      now ??= this.now();
      return { ...a, ...this.span(text, index, found.start, found.end), modified: now };
    });
    return { all, orphans, reanchored };
  }

  /** What the store keeps of a span besides its offsets: the quote and its context. */
  private span(text: string, index: CodePointIndex, start: number, end: number) {
    return { start, end, text: sliceCodePoints(text, start, end, index), ...contextOf(text, start, end, index) };
  }

  /** Set a document's review status; resolves when the index is on disk. */
  async setStatus(docId: string, status: DocumentStatus): Promise<DocumentEntry> {
    const entry = this.entry(docId);
    if (status === 'new') delete entry.status;
    else entry.status = status;
    await this.store.saveWorkspace();
    return entry;
  }

  /** Add an annotation; resolves when it is on disk. */
  async create(docId: string, input: NewAnnotation): Promise<Annotation> {
    const { entry, db, text, index } = await this.open(docId);
    if (db.data.annotations.some((a) => a.id === input.id)) {
      throw new ApiError('conflict', `An annotation with id ${input.id} exists already`);
    }
    this.checkLabel(input.label);
    this.checkSpan(input.start, input.end, index.length);
    const now = this.now();
    const annotation: Annotation = {
      id: input.id,
      label: input.label,
      ...this.span(text, index, input.start, input.end),
      author: this.author,
      created: now,
      modified: now,
    };
    db.data.annotations.push(annotation);
    db.data.hash = entry.hash;
    await this.commit(entry, db);
    return annotation;
  }

  /** Change an annotation's label or span; resolves when it is on disk. */
  async update(docId: string, id: string, changes: AnnotationChanges): Promise<Annotation> {
    const { entry, db, text, index } = await this.open(docId);
    const i = db.data.annotations.findIndex((a) => a.id === id);
    if (i < 0) throw new ApiError('not-found', `No annotation ${id} in this document`);
    const old = db.data.annotations[i];
    const next: Annotation = { ...old, ...stripUndefined(changes), modified: this.now() };
    this.checkLabel(next.label);
    this.checkSpan(next.start, next.end, index.length);
    Object.assign(next, this.span(text, index, next.start, next.end));
    db.data.annotations[i] = next;
    await this.commit(entry, db);
    return next;
  }

  /** Remove an annotation and return it; resolves when the removal is on disk. */
  async remove(docId: string, id: string): Promise<Annotation> {
    const { entry, db } = await this.open(docId);
    const i = db.data.annotations.findIndex((a) => a.id === id);
    if (i < 0) throw new ApiError('not-found', `No annotation ${id} in this document`);
    const [removed] = db.data.annotations.splice(i, 1);
    // A relation cannot outlive either of its ends.
    if (db.data.relations) db.data.relations = db.data.relations.filter((r) => r.from !== id && r.to !== id);
    await this.commit(entry, db);
    return removed;
  }

  /** Put back an annotation exactly as it was (undo of a removal). */
  async restore(docId: string, annotation: Annotation): Promise<Annotation> {
    const { entry, db, text, index } = await this.open(docId);
    if (db.data.annotations.some((a) => a.id === annotation.id)) {
      throw new ApiError('conflict', `An annotation with id ${annotation.id} exists already`);
    }
    this.checkSpan(annotation.start, annotation.end, index.length);
    if (sliceCodePoints(text, annotation.start, annotation.end, index) !== annotation.text) {
      throw new ApiError('conflict', 'The text at this annotation has changed; it cannot be restored here');
    }
    const restored = Annotation.parse({ ...annotation, ...this.span(text, index, annotation.start, annotation.end) });
    db.data.annotations.push(restored);
    await this.commit(entry, db);
    return restored;
  }

  /** A document as exports need it: what `load` gives (re-anchoring as it does) and its relations. */
  async loadForExport(docId: string): Promise<LoadedDocument & { relations: Relation[] }> {
    const loaded = await this.load(docId);
    const db = await this.store.document(docId, loaded.entry.path, loaded.entry.hash);
    return { ...loaded, relations: db.data.relations ?? [] };
  }

  /** What the store holds for a document (orphans included), without reading its text. */
  async stored(docId: string): Promise<{ annotations: Annotation[]; relations: Relation[] }> {
    const entry = this.entry(docId);
    const db = await this.store.document(docId, entry.path, entry.hash);
    return { annotations: db.data.annotations, relations: db.data.relations ?? [] };
  }

  /** Add labels to the schema (names not in it yet); resolves when the index is on disk. */
  async addLabels(labels: LabelDef[]): Promise<LabelDef[]> {
    const data = this.store.workspace;
    const added = labels.filter((l, i) => !data.labels.some((d) => d.name === l.name) && labels.findIndex((o) => o.name === l.name) === i);
    if (added.length === 0) return [];
    data.labels = [...data.labels, ...added.map((l) => LabelDef.parse(l))];
    await this.store.saveWorkspace();
    return added;
  }

  /**
   * Store annotations and relations read from a dataset into a document, in one durable write. Everything
   * is checked first (labels in the schema, spans inside the text, quotes matching it, relation ends
   * present, ids unique) and nothing changes when anything fails. An annotation or relation with the id
   * of a stored one replaces it. Quote and context are taken from the text when not given. `dct` (when it
   * differs from what the index has) becomes the user's date; `status` sets the review state.
   */
  async importDocument(
    docId: string,
    input: { annotations: Annotation[]; relations: Relation[]; status?: DocumentStatus; dct?: string | null },
  ): Promise<{ added: number; replaced: number }> {
    const { entry, db, text, index } = await this.open(docId);
    const incoming = new Map<string, Annotation>();
    for (const a of input.annotations) {
      if (incoming.has(a.id)) throw new ApiError('invalid-input', `Annotation id ${a.id} is used twice`);
      this.checkLabel(a.label);
      this.checkSpan(a.start, a.end, index.length);
      const quote = sliceCodePoints(text, a.start, a.end, index);
      if (a.text !== quote) throw new ApiError('invalid-input', `Annotation ${a.id}: its quoted text does not match the text at ${a.start}-${a.end}`);
      const context = contextOf(text, a.start, a.end, index);
      incoming.set(a.id, Annotation.parse({ ...a, prefix: a.prefix ?? context.prefix, suffix: a.suffix ?? context.suffix }));
    }
    const kept = db.data.annotations.filter((a) => !incoming.has(a.id));
    const replaced = db.data.annotations.length - kept.length;
    const annotations = [...kept, ...incoming.values()];
    const ids = new Set(annotations.map((a) => a.id));
    const relationIds = new Set<string>();
    for (const r of input.relations) {
      if (relationIds.has(r.id)) throw new ApiError('invalid-input', `Relation id ${r.id} is used twice`);
      relationIds.add(r.id);
      if (!ids.has(r.from) || !ids.has(r.to)) throw new ApiError('invalid-input', `Relation ${r.id} links an annotation that is not in the document`);
    }
    const relations = [...(db.data.relations ?? []).filter((r) => !relationIds.has(r.id)), ...input.relations.map((r) => Relation.parse(r))];
    db.data.annotations = annotations;
    if (relations.length > 0 || db.data.relations) db.data.relations = relations;
    db.data.hash = entry.hash;
    if (input.status) {
      if (input.status === 'new') delete entry.status;
      else entry.status = input.status;
    }
    if (input.dct !== undefined && input.dct !== entry.dct) {
      entry.dct = input.dct;
      entry.dctSource = input.dct === null ? null : 'user';
    }
    const written = this.commit(entry, db);
    // An import is not a burst of edits: its write need not wait for the editing debounce.
    void (db.adapter as DurableJsonFile<DocumentFile>).flush().catch(() => undefined);
    await written;
    return { added: incoming.size - replaced, replaced };
  }

  /**
   * Write every pending save (documents and the index) now, without waiting for quiet; resolves when
   * durable. `inFlight`: calls already made that have not reached their save yet (still reading); they
   * are waited for and written at once too.
   */
  async flush(inFlight: Iterable<Promise<unknown>> = []): Promise<void> {
    this.flushing++;
    try {
      await Promise.allSettled(inFlight);
      if (this.workspaceSaveTimer) {
        clearTimeout(this.workspaceSaveTimer);
        this.workspaceSaveTimer = null;
        await this.store.saveWorkspace();
      }
      await this.store.flush();
    } finally {
      this.flushing--;
    }
  }

  /**
   * Write everything pending (waiting for `inFlight` calls, as flush does), finish a running backup, and
   * let go of the folder's lock (call before quitting). Edits that still arrive are written at once.
   */
  async close(inFlight: Iterable<Promise<unknown>> = []): Promise<void> {
    this.closed = true;
    try {
      await this.flush(inFlight);
      await this.backupRunning;
    } finally {
      await this.lock?.release();
    }
  }

  /** Complete backups of the store, newest first. */
  async backups(): Promise<BackupSummary[]> {
    return (await listBackups(this.store.dir)).map(({ id, created, files }) => ({ id, created, files }));
  }

  /**
   * Put one store file (`workspace.json` or `docs/<id>.json`, as listed in the backup's manifest) back
   * from backup `id`; the current file goes to quarantine/. Returns the updated view.
   */
  async restoreBackup(id: string, file: string): Promise<WorkspaceView> {
    if (file === 'workspace.json') {
      // The restored index replaces the one in memory; rescan reconciles it with the folder.
      if (this.workspaceSaveTimer) clearTimeout(this.workspaceSaveTimer);
      this.workspaceSaveTimer = null;
      await this.store.restoreFromBackup(id, file);
      await this.rescan();
    } else {
      await this.store.restoreFromBackup(id, file);
      const entry = this.store.workspace.documents.find((d) => `docs/${d.id}.json` === file);
      if (entry) {
        entry.annotationCount = (await this.store.document(entry.id, entry.path, entry.hash)).data.annotations.length;
        this.scheduleWorkspaceSave();
      }
    }
    return this.view();
  }

  private backupSettings(): { intervalMs: number; keep: number } {
    const settings = this.store.workspace.settings.backups;
    return {
      intervalMs: (settings?.intervalMinutes ?? DEFAULT_BACKUP_INTERVAL_MINUTES) * 60_000,
      keep: settings?.keep ?? DEFAULT_BACKUP_KEEP,
    };
  }

  private backupTime(): Date {
    return this.options.backupClock?.() ?? new Date();
  }

  private backupDue(): boolean {
    return this.backupTime().getTime() - this.lastBackupAt >= this.backupSettings().intervalMs;
  }

  /**
   * Snapshot the store now. When there was nothing new to copy the schedule stays as it was, so the next
   * change is copied. A failed backup must not fail an edit; it is tried again an interval later.
   */
  private async backupNow(): Promise<void> {
    const now = this.backupTime();
    try {
      if (await createBackup(this.store.dir, { now, keep: this.backupSettings().keep })) this.lastBackupAt = now.getTime();
    } catch {
      // Nothing to tell the user mid-edit; the previous backups stay.
      this.lastBackupAt = now.getTime();
    }
  }

  /** After a durable change: start a backup in the background when the interval has passed. */
  private maybeBackup(): void {
    if (this.closed || this.backupRunning || !this.backupDue()) return;
    this.backupRunning = this.backupNow().finally(() => {
      this.backupRunning = null;
    });
  }

  private entry(docId: string): DocumentEntry {
    const entry = this.store.workspace.documents.find((d) => d.id === docId);
    if (!entry) throw new ApiError('not-found', `No document ${docId} in this folder`);
    return entry;
  }

  private async open(docId: string) {
    const entry = this.entry(docId);
    const { text, index } = await this.text(entry, false);
    const db = await this.store.document(docId, entry.path, entry.hash);
    return { entry, db, text, index };
  }

  /** The text of a document: from the cache, or read (always read when `fresh`). */
  private async text(entry: DocumentEntry, fresh: boolean): Promise<CachedText> {
    const cached = this.texts.get(entry.id);
    if (cached && !fresh && cached.hash === entry.hash) return cached;
    let doc;
    try {
      doc = await readDocument(this.root, entry.path);
    } catch (err) {
      throw new ApiError('unavailable', `Cannot read ${entry.path}: ${(err as Error).message}`);
    }
    if (doc.hash !== entry.hash || doc.size !== entry.size || doc.mtimeMs !== entry.mtimeMs) {
      // The file changed on disk since it was indexed: index what is there now.
      Object.assign(entry, { hash: doc.hash, size: doc.size, mtimeMs: doc.mtimeMs, encoding: doc.encoding });
      entry.length = new CodePointIndex(doc.text).length;
      this.scheduleWorkspaceSave();
    }
    const value = { hash: entry.hash, text: doc.text, index: new CodePointIndex(doc.text) };
    this.texts.delete(entry.id);
    this.texts.set(entry.id, value);
    while (this.texts.size > TEXT_CACHE_SIZE) this.texts.delete(this.texts.keys().next().value as string);
    return value;
  }

  private async commit(entry: DocumentEntry, db: { data: { annotations: Annotation[] }; write(): Promise<void> }) {
    db.data.annotations.sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1));
    entry.annotationCount = db.data.annotations.length;
    this.scheduleWorkspaceSave();
    const written = db.write();
    // A failed write is reported through the edit's own promise, not this one.
    if (this.flushing > 0 || this.closed) void this.store.flush().catch(() => undefined);
    await written;
    this.maybeBackup();
  }

  /** The workspace file only caches counts and index data, so its saves are debounced. */
  private scheduleWorkspaceSave(): void {
    if (this.workspaceSaveTimer) return;
    this.workspaceSaveTimer = setTimeout(() => {
      this.workspaceSaveTimer = null;
      this.store.saveWorkspace().catch(() => undefined);
    }, 500);
  }

  private checkLabel(label: string): void {
    if (!this.store.workspace.labels.some((l) => l.name === label)) {
      throw new ApiError('invalid-input', `Unknown label ${label}`);
    }
  }

  private checkSpan(start: number, end: number, length: number): void {
    if (!(start < end)) throw new ApiError('invalid-input', 'An annotation must cover at least one character');
    if (end > length) throw new ApiError('invalid-input', `Offset ${end} is past the end of the text (${length})`);
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
