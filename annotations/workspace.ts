// An open corpus folder: its documents, its store, and the annotation operations on them. Node only.
import { promises as fsp } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  ApiError,
  type AnnotationChanges,
  type BackupSummary,
  type EntityView,
  type EventTableRow,
  type LoadedDocument,
  type NewAnnotation,
  type Occurrence,
  type WorkspaceView,
} from './api/contract.ts';
import {
  Annotation,
  EntityRecord,
  LabelDef,
  Relation,
  type DocumentEntry,
  type DocumentFile,
  type DocumentStatus,
  type RelationTypeDef,
  type SkippedFile,
} from './model.ts';
import { attributesOf, checkAttrs, relationProblem, schemaProblems, upgradeSchema, type Schema } from './schema.ts';
import { inverseBatch, mentionKey, normalizeName, type EntityBatch, type Mention } from './entities.ts';
import { eventRows } from './formats/events-csv.ts';
import type { KnownName, Suggestion } from './suggestions/types.ts';
import { CodePointIndex, sliceCodePoints } from './offsets.ts';
import { contextOf, reanchor } from './anchors.ts';
import { readDocument, scanCorpus, type ScannedDocument } from './corpus/scan.ts';
import { CorpusStore, STORE_DIR_NAME, resolveStoreLocation, workspaceIdFor } from './store/store.ts';
import type { DurableJsonFile } from './store/durable-file.ts';
import { acquireStoreLock, type StoreLock } from './store/lock.ts';
import {
  DEFAULT_BACKUP_INTERVAL_MINUTES,
  DEFAULT_BACKUP_KEEP,
  createBackup,
  listBackups,
  removeIncompleteBackups,
  tidyBackups,
} from './store/backup.ts';

export interface WorkspaceOptions {
  /** Per-user data directory: the store's fallback when the folder is not writable. */
  userDataDir: string;
  /** Labels of a new workspace. */
  defaultLabels: LabelDef[];
  /** Relation types of a new workspace (and of one made before relation types existed). */
  defaultRelationTypes?: RelationTypeDef[];
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
  /** Edits changed counts of the index since it was last saved. */
  private countsUnsaved = false;
  /** The backup of the session's start (see open), made in the background. */
  private opened: Promise<void> = Promise.resolve();
  private entryIndex: { documents: DocumentEntry[]; byId: Map<string, DocumentEntry> } | null = null;

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
      // Workspaces made before typed attributes and relations get the defaults' (saved with the index below).
      const upgraded = upgradeSchema(store.workspace, { labels: options.defaultLabels, relationTypes: options.defaultRelationTypes ?? [] });
      store.workspace.labels = upgraded.labels;
      store.workspace.relationTypes = upgraded.relationTypes;
      // Backups a crash interrupted, and one too many (a crash before the rotation after a backup).
      await tidyBackups(store.dir, ws.backupSettings().keep);
      // A snapshot of the store as found, before this session changes it: made in the background once
      // the folder is open, and every write to the store waits for it (one while opening, such as the
      // index when the folder changed, starts it and waits).
      let first: Promise<void> | null = null;
      const backupFirst = (): Promise<void> => (first ??= ws.firstBackup());
      store.holdWrites(backupFirst);
      await ws.rescan();
      ws.opened = backupFirst();
      ws.backupRunning = ws.opened.finally(() => {
        ws.backupRunning = null;
      });
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
      // Counts in the saved index are a cache that edits do not keep saving; the store knows them.
      const count = this.store.knownAnnotationCount(doc.id) ?? (await this.store.annotationCount(doc.id, doc.path, doc.hash));
      const status = previous.get(doc.path)?.status;
      entries.push({ ...doc, annotationCount: count, ...(status ? { status } : {}) });
    }
    const unchanged = entries.length === data.documents.length && entries.every((e, i) => sameEntry(e, data.documents[i]));
    data.documents = entries;
    this.skipped = skipped;
    await this.store.saveWorkspaceIfChanged(unchanged);
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
      relationTypes: data.relationTypes ?? [],
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
    const shown = new Set(annotations.map((a) => a.id));
    // Relations of orphans stay stored with them, but the reader cannot show them.
    const relations = (db.data.relations ?? []).filter((r) => shown.has(r.from) && shown.has(r.to));
    return { entry: this.entry(docId), text, annotations, relations, orphans, reanchored };
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
    const [created] = await this.createMany([{ docId, annotation: input }]);
    return created.annotation;
  }

  /** Change an annotation's label or span; resolves when it is on disk. */
  async update(docId: string, id: string, changes: AnnotationChanges): Promise<Annotation> {
    const { entry, db, text, index } = await this.open(docId);
    const i = db.data.annotations.findIndex((a) => a.id === id);
    if (i < 0) throw new ApiError('not-found', `No annotation ${id} in this document`);
    const old = db.data.annotations[i];
    const { attrs, note, ...rest } = changes;
    const next: Annotation = { ...old, ...stripUndefined(rest), modified: this.now() };
    this.checkLabel(next.label);
    this.checkSpan(next.start, next.end, index.length);
    if (attrs !== undefined || next.label !== old.label) {
      // A new label keeps only the values its own attributes can hold.
      const wanted = attrs ?? this.compatibleAttrs(next.label, old.attrs ?? {});
      const checked = checkAttrs(this.store.workspace.labels, next.label, wanted, this.entityIds());
      if (!checked.ok) throw new ApiError('invalid-input', checked.problems.join('; '));
      if (Object.keys(checked.attrs).length) next.attrs = checked.attrs;
      else delete next.attrs;
    }
    if (note !== undefined) {
      if (note.trim() === '') delete next.note;
      else next.note = note;
    }
    if (next.label !== old.label && db.data.relations?.some((r) => r.from === id || r.to === id)) {
      const types = this.store.workspace.relationTypes ?? [];
      const byId = new Map(db.data.annotations.map((a) => [a.id, a]));
      for (const r of db.data.relations) {
        if (r.from !== id && r.to !== id) continue;
        const from = r.from === id ? next.label : byId.get(r.from)?.label ?? '';
        const to = r.to === id ? next.label : byId.get(r.to)?.label ?? '';
        const problem = relationProblem(types, r.type, from, to);
        if (problem) throw new ApiError('conflict', `${problem}: remove the ${r.type} relation first`);
      }
    }
    Object.assign(next, this.span(text, index, next.start, next.end));
    db.data.annotations[i] = next;
    await this.commit(entry, db);
    return next;
  }

  /** Remove an annotation and return it; resolves when the removal is on disk. */
  async remove(docId: string, id: string): Promise<Annotation> {
    return (await this.removeWithRelations(docId, id)).annotation;
  }

  /**
   * Remove an annotation and the relations it was an end of (a relation cannot outlive either end);
   * returns both, so an undo can put them back. Resolves when the removal is on disk.
   */
  async removeWithRelations(docId: string, id: string): Promise<{ annotation: Annotation; relations: Relation[] }> {
    const { entry, db } = await this.open(docId);
    const i = db.data.annotations.findIndex((a) => a.id === id);
    if (i < 0) throw new ApiError('not-found', `No annotation ${id} in this document`);
    const [removed] = db.data.annotations.splice(i, 1);
    const relations = (db.data.relations ?? []).filter((r) => r.from === id || r.to === id);
    if (db.data.relations) db.data.relations = db.data.relations.filter((r) => r.from !== id && r.to !== id);
    await this.commit(entry, db);
    return { annotation: removed, relations };
  }

  /**
   * Link two annotations of a document. The type must allow the two labels at its ends, both ends must
   * exist, and the same link may not exist twice. Resolves when durable.
   */
  async createRelation(docId: string, relation: Relation): Promise<Relation> {
    const { entry, db } = await this.open(docId);
    const relations = db.data.relations ?? [];
    if (relations.some((r) => r.id === relation.id)) throw new ApiError('conflict', `A relation with id ${relation.id} exists already`);
    const from = db.data.annotations.find((a) => a.id === relation.from);
    const to = db.data.annotations.find((a) => a.id === relation.to);
    if (!from || !to) throw new ApiError('not-found', 'Both ends of a relation must be annotations of this document');
    if (from.id === to.id) throw new ApiError('invalid-input', 'A relation links two different annotations');
    const problem = relationProblem(this.store.workspace.relationTypes ?? [], relation.type, from.label, to.label);
    if (problem) throw new ApiError('invalid-input', problem);
    if (relations.some((r) => r.type === relation.type && r.from === relation.from && r.to === relation.to)) {
      throw new ApiError('conflict', `These two annotations are linked by ${relation.type} already`);
    }
    const created = Relation.parse(relation);
    db.data.relations = [...relations, created];
    await this.commit(entry, db);
    return created;
  }

  /** Remove a relation and return it; resolves when durable. */
  async removeRelation(docId: string, id: string): Promise<Relation> {
    const { entry, db } = await this.open(docId);
    const found = db.data.relations?.find((r) => r.id === id);
    if (!found || !db.data.relations) throw new ApiError('not-found', `No relation ${id} in this document`);
    db.data.relations = db.data.relations.filter((r) => r.id !== id);
    await this.commit(entry, db);
    return found;
  }

  /** Set (or clear) a document's publication date, which relative dates are read against. */
  async setDate(docId: string, dct: string | null): Promise<DocumentEntry> {
    const entry = this.entry(docId);
    if (dct !== null) {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dct);
      const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
      if (!m || !d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
        throw new ApiError('invalid-input', `${dct} is not a calendar date (YYYY-MM-DD)`);
      }
    }
    entry.dct = dct;
    entry.dctSource = dct === null ? null : 'user';
    await this.store.saveWorkspace();
    return entry;
  }

  /** The label schema: labels with their attributes, and relation types. */
  schema(): Schema {
    const data = this.store.workspace;
    return { labels: data.labels, relationTypes: data.relationTypes ?? [] };
  }

  /** How many stored annotations carry each label, across the corpus. */
  async labelUsage(): Promise<Record<string, number>> {
    const usage: Record<string, number> = {};
    await this.eachStored(async (_entry, db) => {
      for (const a of db.data.annotations) usage[a.label] = (usage[a.label] ?? 0) + 1;
    });
    return usage;
  }

  /**
   * Replace the schema. `renames` (old label name -> new) carry existing annotations, relation ends and
   * entity types over to the new names. Removing a label that annotations carry is refused unless
   * `removeAnnotations` says to remove those annotations (and their relations) too.
   */
  async setSchema(
    next: Schema,
    options: { renames?: Record<string, string>; relationRenames?: Record<string, string>; removeAnnotations?: boolean } = {},
  ): Promise<WorkspaceView> {
    const renames = new Map(Object.entries(options.renames ?? {}).filter(([from, to]) => from !== to));
    const typeRenames = new Map(Object.entries(options.relationRenames ?? {}).filter(([from, to]) => from !== to));
    // Relation types that still name a renamed label follow the rename.
    const follow = (names: string[]) => names.map((n) => renames.get(n) ?? n);
    next = { ...next, relationTypes: next.relationTypes.map((t) => ({ ...t, from: follow(t.from), to: follow(t.to) })) };
    const newNames = new Set(next.labels.map((l) => l.name));
    const newTypes = new Set(next.relationTypes.map((t) => t.name));
    // Before the schema's own problems: a bad rename also shows as relation ends naming missing labels.
    for (const [from, to] of renames) {
      if (!newNames.has(to)) throw new ApiError('invalid-input', `${from} is renamed to ${to}, which is not in the new schema`);
    }
    for (const [from, to] of typeRenames) {
      if (!newTypes.has(to)) throw new ApiError('invalid-input', `Relation type ${from} is renamed to ${to}, which is not in the new schema`);
    }
    const problems = schemaProblems(next);
    if (problems.length) throw new ApiError('invalid-input', problems.join('; '));
    const oldNames = this.store.workspace.labels.map((l) => l.name);
    const dropped = new Set(oldNames.filter((n) => !renames.has(n) && !newNames.has(n)));
    const oldTypes = (this.store.workspace.relationTypes ?? []).map((t) => t.name);
    const droppedTypes = new Set(oldTypes.filter((n) => !typeRenames.has(n) && !newTypes.has(n)));
    const entities = this.store.workspace.entities ?? [];
    if ((dropped.size || droppedTypes.size) && !options.removeAnnotations) {
      // What would go: annotations of removed labels, relations of removed types, entities of removed labels.
      const used: string[] = [];
      const usage = await this.labelUsage();
      for (const n of dropped) if ((usage[n] ?? 0) > 0) used.push(`${n} is used by ${usage[n]} annotation${usage[n] === 1 ? '' : 's'}`);
      for (const n of dropped) {
        const count = entities.filter((e) => e.type === n).length;
        if (count > 0) used.push(`${n} is the type of ${count} entit${count === 1 ? 'y' : 'ies'}`);
      }
      if (droppedTypes.size) {
        const relUsage: Record<string, number> = {};
        await this.eachStored(async (_entry, db) => {
          for (const r of db.data.relations ?? []) if (droppedTypes.has(r.type)) relUsage[r.type] = (relUsage[r.type] ?? 0) + 1;
        });
        for (const [n, count] of Object.entries(relUsage)) used.push(`relation type ${n} is used by ${count} relation${count === 1 ? '' : 's'}`);
      }
      if (used.length) throw new ApiError('conflict', used.join('; '));
    }
    if (renames.size || dropped.size || typeRenames.size || droppedTypes.size) {
      await this.eachStored(async (entry, db) => {
        let changed = false;
        const gone = new Set<string>();
        db.data.annotations = db.data.annotations.filter((a) => {
          if (dropped.has(a.label)) {
            gone.add(a.id);
            return false;
          }
          const to = renames.get(a.label);
          if (to) {
            a.label = to;
            changed = true;
          }
          return true;
        });
        if (db.data.relations) {
          const before = db.data.relations.length;
          db.data.relations = db.data.relations.filter((r) => !gone.has(r.from) && !gone.has(r.to) && !droppedTypes.has(r.type));
          for (const r of db.data.relations) {
            const to = typeRenames.get(r.type);
            if (to) {
              r.type = to;
              changed = true;
            }
          }
          if (db.data.relations.length !== before) changed = true;
        }
        if (changed || gone.size) await this.commit(entry, db);
      });
      this.store.workspace.entities = entities.filter((e) => !dropped.has(e.type)).map((e) => ({ ...e, type: renames.get(e.type) ?? e.type }));
    }
    // An edited label states its attributes, even none: only labels of old workspaces lack the list,
    // and those get the defaults' on open (upgradeSchema).
    this.store.workspace.labels = next.labels.map((l) => LabelDef.parse({ ...l, attributes: l.attributes ?? [] }));
    this.store.workspace.relationTypes = next.relationTypes;
    await this.store.saveWorkspace();
    return this.view();
  }

  /** Every annotation of the corpus linked to an entity (or to `entityId` only). */
  async mentions(entityId?: string): Promise<Mention[]> {
    const out: Mention[] = [];
    await this.eachStored(async (entry, db) => {
      for (const a of db.data.annotations) {
        const entity = a.attrs?.entity;
        if (typeof entity !== 'string' || (entityId !== undefined && entity !== entityId)) continue;
        out.push({ docId: entry.id, annotationId: a.id, label: a.label, text: a.text, start: a.start, end: a.end, entity });
      }
    });
    return out;
  }

  /** The corpus's entities with how many mentions and documents each has. */
  async entityViews(): Promise<EntityView[]> {
    const counts = new Map<string, { mentions: number; docs: Set<string> }>();
    for (const m of await this.mentions()) {
      const c = counts.get(m.entity) ?? { mentions: 0, docs: new Set<string>() };
      c.mentions++;
      c.docs.add(m.docId);
      counts.set(m.entity, c);
    }
    return (this.store.workspace.entities ?? []).map((e) => ({ ...e, mentions: counts.get(e.id)?.mentions ?? 0, documents: counts.get(e.id)?.docs.size ?? 0 }));
  }

  /**
   * Apply a change to the entities (create, edit, merge, split: see entities.ts) and return the batch that
   * undoes it. Everything is checked before anything changes: records valid, types labels of the
   * schema, relinked annotations present and of a label with an entity attribute, no mention left
   * linking to a removed entity. Document files are written first, then the index.
   */
  async applyEntityBatch(batch: EntityBatch): Promise<{ inverse: EntityBatch; entities: EntityView[] }> {
    const before = this.store.workspace.entities ?? [];
    const next = new Map(before.map((e) => [e.id, e]));
    for (const id of batch.remove) next.delete(id);
    for (const raw of batch.upsert) {
      const e = EntityRecord.parse(raw);
      if (!this.store.workspace.labels.some((l) => l.name === e.type)) throw new ApiError('invalid-input', `Entity ${e.name}: unknown type ${e.type}`);
      next.set(e.id, e);
    }
    const byDoc = new Map<string, Map<string, string | null>>();
    for (const r of batch.relink) {
      if (r.entity !== null && !next.has(r.entity)) throw new ApiError('invalid-input', `No entity ${r.entity}`);
      this.entry(r.docId);
      const m = byDoc.get(r.docId) ?? new Map<string, string | null>();
      m.set(r.annotationId, r.entity);
      byDoc.set(r.docId, m);
    }
    const previous = new Map<string, string | null>();
    const removed = new Set(batch.remove.filter((id) => !next.has(id)));
    const dbs: Array<{ entry: DocumentEntry; db: Awaited<ReturnType<CorpusStore['document']>> }> = [];
    await this.eachStored(async (entry, db) => {
      const relinks = byDoc.get(entry.id);
      for (const a of db.data.annotations) {
        const target = relinks?.get(a.id);
        const current = typeof a.attrs?.entity === 'string' ? a.attrs.entity : null;
        if (target !== undefined) {
          if (target !== null && !attributesOf(this.store.workspace.labels, a.label).some((d) => d.name === 'entity' && d.type === 'entity')) {
            throw new ApiError('invalid-input', `${a.label} annotations cannot link to an entity`);
          }
          previous.set(mentionKey({ docId: entry.id, annotationId: a.id }), current);
        } else if (current !== null && removed.has(current)) {
          throw new ApiError('conflict', `Entity ${current} still has mentions; relink them first (merge does)`);
        }
      }
      if (relinks) dbs.push({ entry, db });
    }, removed.size ? undefined : [...byDoc.keys()]);
    for (const [docId, relinks] of byDoc) {
      for (const annotationId of relinks.keys()) {
        if (!previous.has(mentionKey({ docId, annotationId }))) throw new ApiError('not-found', `No annotation ${annotationId} in document ${docId}`);
      }
    }
    const inverse = inverseBatch(before, batch, previous);
    const now = this.now();
    for (const { entry, db } of dbs) {
      const relinks = byDoc.get(entry.id)!;
      for (const a of db.data.annotations) {
        const target = relinks.get(a.id);
        if (target === undefined) continue;
        const attrs = { ...(a.attrs ?? {}) };
        if (target === null) delete attrs.entity;
        else attrs.entity = target;
        if (Object.keys(attrs).length) a.attrs = attrs;
        else delete a.attrs;
        a.modified = now;
      }
      await this.commit(entry, db);
    }
    this.store.workspace.entities = [...next.values()];
    await this.store.saveWorkspace();
    return { inverse, entities: await this.entityViews() };
  }

  /** One row per EVENT annotation of the corpus, with what its relations link it to. */
  async eventTable(): Promise<EventTableRow[]> {
    const rows: EventTableRow[] = [];
    const labels = this.store.workspace.labels;
    await this.eachStored(async (entry, db) => {
      if (!db.data.annotations.some((a) => a.label === 'EVENT')) return;
      const { text, index } = await this.text(entry, false);
      // An article changed on disk since its annotations were saved: read them where they are now, as
      // load does (without saving), and leave out those not found.
      const anchored = db.data.hash === entry.hash ? { all: db.data.annotations, orphans: [] } : this.anchorAll(db.data.annotations, text, index);
      const orphaned = new Set(anchored.orphans);
      const found = anchored.all.filter((a) => !orphaned.has(a));
      const doc = {
        id: entry.id,
        path: entry.path,
        text,
        meta: { title: entry.title, dct: entry.dct, status: entry.status ?? 'new' },
        annotations: found,
        relations: db.data.relations ?? [],
      } as const;
      const notes: string[] = [];
      const sorted = [...found].sort((a, b) => a.start - b.start || a.end - b.end);
      const byId = new Map(sorted.map((a) => [a.id, a]));
      for (const row of eventRows({ ...doc, annotations: sorted, relations: [...doc.relations] }, { labels, report: (p) => notes.push(p.reason) })) {
        const id = row.event_id.slice(entry.id.length + 1);
        const victims = doc.relations
          .filter((r) => r.type === 'victims' && (r.from === id || r.to === id))
          .map((r) => byId.get(r.from === id ? r.to : r.from))
          .filter((a): a is Annotation => !!a)
          .map(describeCasualties);
        rows.push({ ...row, annotation_id: id, victims, problems: notes.filter((n) => n.includes(`EVENT ${id} `)) });
      }
    });
    return rows;
  }

  /**
   * Where `needle` occurs as a whole word sequence (case-sensitive) in one document or in the corpus,
   * with the annotations of `label` already there marked, for "tag all occurrences".
   */
  async occurrences(needle: string, label: string, scope: { docId: string } | 'corpus'): Promise<Occurrence[]> {
    if (needle.trim() === '') return [];
    const entries = scope === 'corpus' ? this.store.workspace.documents : [this.entry(scope.docId)];
    const out: Occurrence[] = [];
    for (const entry of entries) {
      const { text, index } = await this.text(entry, false);
      const db = await this.store.document(entry.id, entry.path, entry.hash);
      const tagged = new Set(db.data.annotations.filter((a) => a.label === label).map((a) => `${a.start}:${a.end}`));
      for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
        // Part of a longer word: look on from the next character, or "Bab Bab" in "XBab Bab Bab" is missed.
        while (at >= 0 && (isWordChar(codePointBefore(text, at)) || isWordChar(text.codePointAt(at + needle.length)))) at = text.indexOf(needle, at + 1);
        if (at < 0) break;
        const start = index.toCodePoint(at);
        const end = index.toCodePoint(at + needle.length);
        const lineStart = text.lastIndexOf('\n', at) + 1;
        const lineEnd = text.indexOf('\n', at);
        const from = Math.max(lineStart, at - 60);
        const to = Math.min(lineEnd < 0 ? text.length : lineEnd, at + needle.length + 60);
        out.push({
          docId: entry.id,
          title: entry.title,
          start,
          end,
          before: text.slice(from, at),
          after: text.slice(at + needle.length, to),
          tagged: tagged.has(`${start}:${end}`),
        });
        if (out.length >= 10_000) return out;
      }
    }
    return out;
  }

  /**
   * Add many annotations at once (tag all occurrences), one durable write per document; all are checked
   * before any is stored. Returns what was stored, by document.
   */
  async createMany(items: Array<{ docId: string; annotation: NewAnnotation & { attrs?: Record<string, unknown> } }>): Promise<Array<{ docId: string; annotation: Annotation }>> {
    const byDoc = new Map<string, typeof items>();
    for (const item of items) byDoc.set(item.docId, [...(byDoc.get(item.docId) ?? []), item]);
    const prepared: Array<{ entry: DocumentEntry; db: Awaited<ReturnType<CorpusStore['document']>>; add: Annotation[] }> = [];
    const now = this.now();
    const entityIds = this.entityIds();
    for (const [docId, group] of byDoc) {
      const { entry, db, text, index } = await this.open(docId);
      const ids = new Set(db.data.annotations.map((a) => a.id));
      const add: Annotation[] = [];
      for (const { annotation: input } of group) {
        if (ids.has(input.id)) throw new ApiError('conflict', `An annotation with id ${input.id} exists already`);
        ids.add(input.id);
        this.checkLabel(input.label);
        this.checkSpan(input.start, input.end, index.length);
        const checked = checkAttrs(this.store.workspace.labels, input.label, input.attrs ?? {}, entityIds);
        if (!checked.ok) throw new ApiError('invalid-input', checked.problems.join('; '));
        add.push({
          id: input.id,
          label: input.label,
          ...this.span(text, index, input.start, input.end),
          author: this.author,
          created: now,
          modified: now,
          ...(Object.keys(checked.attrs).length ? { attrs: checked.attrs } : {}),
        });
      }
      prepared.push({ entry, db, add });
    }
    const out: Array<{ docId: string; annotation: Annotation }> = [];
    for (const { entry, db, add } of prepared) {
      db.data.annotations.push(...add);
      db.data.hash = entry.hash;
      await this.commit(entry, db);
      for (const annotation of add) out.push({ docId: entry.id, annotation });
    }
    return out;
  }

  /**
   * Store suggestions as pending annotations of a document, in one durable write. Never twice: a
   * suggestion is left out when an annotation of its label (pending or not) overlaps it, or when the
   * analyst rejected that label and span before. A suggested entity the corpus does not know yet becomes
   * an entity record (named as the engine's canonical name). Values that do not fit the schema are
   * dropped, not the suggestion. Returns what was stored.
   */
  async addSuggestions(docId: string, suggestions: readonly Suggestion[]): Promise<Annotation[]> {
    const { entry, db, text, index } = await this.open(docId);
    const labels = this.store.workspace.labels;
    const rejected = new Set((db.data.rejected ?? []).map((r) => `${r.label}:${r.start}:${r.end}`));
    const byLabel = new Map<string, Annotation[]>();
    for (const a of db.data.annotations) byLabel.set(a.label, [...(byLabel.get(a.label) ?? []), a]);
    const entities = [...(this.store.workspace.entities ?? [])];
    const known = new Set(entities.map((e) => e.id));
    const now = this.now();
    const added: Annotation[] = [];
    for (const s of suggestions) {
      if (!labels.some((l) => l.name === s.label) || s.start >= s.end || s.end > index.length) continue;
      if (rejected.has(`${s.label}:${s.start}:${s.end}`)) continue;
      const same = byLabel.get(s.label) ?? [];
      if (same.some((a) => a.start < s.end && s.start < a.end)) continue;
      const { canonical, ...proposed } = s.attrs;
      const entity = proposed.entity;
      if (typeof entity === 'string' && !known.has(entity)) {
        const name = typeof canonical === 'string' && canonical.trim() ? canonical.trim() : sliceCodePoints(text, s.start, s.end, index);
        // An entity the analyst already has under that name is the one meant.
        const key = normalizeName(name);
        const same = entities.find((e) => e.type === s.label && [e.name, ...e.aliases].some((n) => normalizeName(n) === key));
        if (same) proposed.entity = same.id;
        else if (EntityRecord.safeParse({ id: entity, name, type: s.label, aliases: [] }).success) {
          entities.push({ id: entity, name, type: s.label, aliases: [] });
          known.add(entity);
        }
      }
      const attrs = this.compatibleAttrs(s.label, proposed, known);
      const annotation: Annotation = {
        id: `s-${randomUUID()}`,
        label: s.label,
        ...this.span(text, index, s.start, s.end),
        author: this.author,
        created: now,
        modified: now,
        ...(Object.keys(attrs).length ? { attrs } : {}),
        source: `suggest:${s.engine}`,
        score: Math.min(1, Math.max(0, s.score)),
        pending: true,
      };
      added.push(annotation);
      byLabel.set(s.label, [...same, annotation]);
    }
    if (added.length === 0) return [];
    this.store.workspace.entities = entities;
    db.data.annotations.push(...added);
    db.data.hash = entry.hash;
    await this.commit(entry, db);
    await this.store.saveWorkspace();
    return added;
  }

  /**
   * Accept pending suggestions (they become ordinary annotations, keeping their source and score; their
   * values are checked as any edit's) and reject others (removed, and remembered so they are not
   * proposed again). One durable write; returns the annotations as they were before, for undo.
   */
  async resolveSuggestions(docId: string, accept: readonly string[], reject: readonly string[]): Promise<{ accepted: Annotation[]; rejected: Annotation[] }> {
    const { entry, db } = await this.open(docId);
    const byId = new Map(db.data.annotations.map((a) => [a.id, a]));
    const pick = (id: string) => {
      const a = byId.get(id);
      if (!a) throw new ApiError('not-found', `No annotation ${id} in this document`);
      if (!a.pending) throw new ApiError('conflict', `Annotation ${id} is not a suggestion`);
      return a;
    };
    const accepted = accept.map(pick);
    const rejected = reject.map(pick);
    const now = this.now();
    const entityIds = this.entityIds();
    const next = new Map<string, Annotation>();
    for (const a of accepted) {
      const checked = checkAttrs(this.store.workspace.labels, a.label, a.attrs ?? {}, entityIds);
      if (!checked.ok) throw new ApiError('invalid-input', `${a.label} “${a.text}”: ${checked.problems.join('; ')}`);
      const { pending: _pending, ...rest } = a;
      next.set(a.id, { ...rest, author: this.author, modified: now });
    }
    const gone = new Set(rejected.map((a) => a.id));
    db.data.annotations = db.data.annotations.filter((a) => !gone.has(a.id)).map((a) => next.get(a.id) ?? a);
    if (gone.size && db.data.relations) db.data.relations = db.data.relations.filter((r) => !gone.has(r.from) && !gone.has(r.to));
    if (rejected.length) {
      db.data.rejected = [...(db.data.rejected ?? []), ...rejected.map((a) => ({ label: a.label, start: a.start, end: a.end, text: a.text }))];
    }
    await this.commit(entry, db);
    return { accepted, rejected };
  }

  /**
   * Undo of `resolveSuggestions`: put these suggestions back as they were (pending), whether they were
   * accepted (replaced) or rejected (restored, and no longer remembered as rejected).
   */
  async reopenSuggestions(docId: string, annotations: readonly Annotation[]): Promise<Annotation[]> {
    const { entry, db, text, index } = await this.open(docId);
    const back: Annotation[] = [];
    for (const raw of annotations) {
      this.checkLabel(raw.label);
      this.checkSpan(raw.start, raw.end, index.length);
      if (sliceCodePoints(text, raw.start, raw.end, index) !== raw.text) {
        throw new ApiError('conflict', 'The text at this suggestion has changed; it cannot be put back');
      }
      back.push(Annotation.parse({ ...raw, pending: true }));
    }
    const ids = new Set(back.map((a) => a.id));
    const spans = new Set(back.map((a) => `${a.label}:${a.start}:${a.end}`));
    db.data.annotations = [...db.data.annotations.filter((a) => !ids.has(a.id)), ...back];
    if (db.data.rejected) db.data.rejected = db.data.rejected.filter((r) => !spans.has(`${r.label}:${r.start}:${r.end}`));
    await this.commit(entry, db);
    return back;
  }

  /** Names the corpus knows, for the entity suggestions: every entity's name and aliases. */
  knownNames(): KnownName[] {
    return (this.store.workspace.entities ?? []).flatMap((e) => [e.name, ...e.aliases].map((name) => ({ label: e.type, name, entityId: e.id })));
  }

  /** Run `fn` over the store file of every document that has one (or of `only`), one at a time. */
  private async eachStored(
    fn: (entry: DocumentEntry, db: Awaited<ReturnType<CorpusStore['document']>>) => Promise<void>,
    only?: string[],
  ): Promise<void> {
    const entries = only ? only.map((id) => this.entry(id)) : this.store.workspace.documents;
    for (const entry of entries) {
      if (!only && entry.annotationCount === 0 && (await this.store.documentFileMtime(entry.id)) === null) continue;
      await fn(entry, await this.store.document(entry.id, entry.path, entry.hash));
    }
  }

  private entityIds(): Set<string> {
    return new Set((this.store.workspace.entities ?? []).map((e) => e.id));
  }

  /** The values of `attrs` that `label`'s attributes can hold (by name and type); the rest are left out. */
  private compatibleAttrs(label: string, attrs: Record<string, unknown>, entityIds: ReadonlySet<string> = this.entityIds()): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(attrs)) {
      const checked = checkAttrs(this.store.workspace.labels, label, { [name]: value }, entityIds);
      if (checked.ok) Object.assign(out, checked.attrs);
    }
    return out;
  }

  /** Put back an annotation exactly as it was (undo of a removal), with the relations it had. */
  async restore(docId: string, annotation: Annotation, relations: Relation[] = []): Promise<Annotation> {
    const { entry, db, text, index } = await this.open(docId);
    if (db.data.annotations.some((a) => a.id === annotation.id)) {
      throw new ApiError('conflict', `An annotation with id ${annotation.id} exists already`);
    }
    this.checkSpan(annotation.start, annotation.end, index.length);
    if (sliceCodePoints(text, annotation.start, annotation.end, index) !== annotation.text) {
      throw new ApiError('conflict', 'The text at this annotation has changed; it cannot be restored here');
    }
    const restored = Annotation.parse({ ...annotation, ...this.span(text, index, annotation.start, annotation.end) });
    const ids = new Set([...db.data.annotations.map((a) => a.id), restored.id]);
    const existing = new Set((db.data.relations ?? []).map((r) => r.id));
    // Relations come back only where the other end is still there.
    const back = relations.filter((r) => (r.from === restored.id || r.to === restored.id) && ids.has(r.from) && ids.has(r.to) && !existing.has(r.id));
    db.data.annotations.push(restored);
    if (back.length) db.data.relations = [...(db.data.relations ?? []), ...back.map((r) => Relation.parse(r))];
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
      if (this.workspaceSaveTimer || this.countsUnsaved) {
        if (this.workspaceSaveTimer) clearTimeout(this.workspaceSaveTimer);
        this.workspaceSaveTimer = null;
        this.countsUnsaved = false;
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

  /** Complete backups of the store, newest first (once the one of the session's start is made). */
  async backups(): Promise<BackupSummary[]> {
    await this.opened;
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

  /**
   * The backup of a session's start: drop backups whose manifest is unreadable, snapshot the store if the
   * newest backup is older than the interval, then let writes go. Never fails (the writes waiting for it
   * go on).
   */
  private async firstBackup(): Promise<void> {
    try {
      await removeIncompleteBackups(this.store.dir);
      const [newest] = await listBackups(this.store.dir);
      this.lastBackupAt = newest ? Date.parse(newest.created) : -Infinity;
      if (this.backupDue()) await this.backupNow();
    } catch {
      // As a failed backup of backupNow: tried again an interval later.
    }
    this.store.holdWrites(null);
  }

  /** After a durable change: start a backup in the background when the interval has passed. */
  private maybeBackup(): void {
    if (this.closed || this.backupRunning || !this.backupDue()) return;
    this.backupRunning = this.backupNow().finally(() => {
      this.backupRunning = null;
    });
  }

  private entry(docId: string): DocumentEntry {
    // By id through a map of the current list (a rescan replaces the list): a corpus-wide pass over
    // 10,000 documents must not search the list once per document.
    const documents = this.store.workspace.documents;
    if (this.entryIndex?.documents !== documents) this.entryIndex = { documents, byId: new Map(documents.map((d) => [d.id, d])) };
    const entry = this.entryIndex.byId.get(docId);
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
    // Not saved with each edit (that would cost as much as the index is big): on flush and close.
    this.countsUnsaved = true;
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

/** A casualty figure as the events table shows it: "dozens of militants (? fighters killed, approx.)". */
function describeCasualties(a: Annotation): string {
  const { low, high, group, outcome, approx } = a.attrs ?? {};
  const figure = low === undefined && high === undefined ? '?' : low === high || high === undefined ? String(low) : low === undefined ? `up to ${String(high)}` : `${String(low)}–${String(high)}`;
  const coded = [figure, group, outcome].filter((v) => v !== undefined && v !== '').join(' ');
  return `${a.text} (${coded}${approx === true ? ', approx.' : ''})`;
}

/** The code point that ends just before UTF-16 offset `at` (a whole surrogate pair, not its low half). */
function codePointBefore(text: string, at: number): number | undefined {
  if (at <= 0) return undefined;
  const low = text.charCodeAt(at - 1);
  const high = at >= 2 ? text.charCodeAt(at - 2) : 0;
  return low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? text.codePointAt(at - 2) : low;
}

/** A letter or digit: a match next to one is part of a longer word. */
function isWordChar(cp: number | undefined): boolean {
  return cp !== undefined && /[\p{L}\p{N}]/u.test(String.fromCodePoint(cp));
}

/** Do two index entries hold the same values (all of them are primitives)? */
function sameEntry(a: DocumentEntry, b: DocumentEntry): boolean {
  const keys = Object.keys(a) as Array<keyof DocumentEntry>;
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
