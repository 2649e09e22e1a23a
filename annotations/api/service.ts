// The API implemented once over the core; both shells (Electron IPC, HTTP) route every call here. Node only.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Low } from 'lowdb';
import { z } from 'zod';
import { LabelDef, RelationTypeDef } from '../model.ts';
import { Workspace } from '../workspace.ts';
import { DurableJsonFile } from '../store/durable-file.ts';
import { STORE_DIR_NAME, workspaceIdFor } from '../store/store.ts';
import { watchCorpus } from '../corpus/watch.ts';
import { readerFor, readers, writerFor, writers } from '../formats/index.ts';
import { defaultExportLocation, exportWorkspace } from '../formats/io.ts';
import { importFrom } from '../formats/import.ts';
import type { FormatReader, FormatWriter } from '../formats/types.ts';
import {
  ApiError,
  channels,
  parseInput,
  toErrorResult,
  type ApiHandlers,
  type CallOutput,
  type Channel,
  type EventName,
  type EventPayloads,
  type TaskProgress,
  type RecentFolder,
  type Result,
} from './contract.ts';

/**
 * The schema a new workspace starts with: resources/labels.json (labels and their attributes) and
 * resources/relation-types.json (none when that file is missing).
 */
export async function readDefaultSchema(resourcesDir: string): Promise<{ labels: LabelDef[]; relationTypes: RelationTypeDef[] }> {
  const labels = z.array(LabelDef).parse(JSON.parse(await fsp.readFile(path.join(resourcesDir, 'labels.json'), 'utf8')));
  const typesFile = path.join(resourcesDir, 'relation-types.json');
  const raw = await fsp.readFile(typesFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '[]';
    throw err;
  });
  return { labels, relationTypes: z.array(RelationTypeDef).parse(JSON.parse(raw)) };
}

/** The project's resources/ folder (labels, sample corpus) when running from a checkout. */
export function checkoutResourcesDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources');
}

export interface ServiceOptions {
  shell: 'electron' | 'browser';
  version: string;
  /** Per-user data directory (recent folders, stores of read-only folders, the sample corpus copy). */
  userDataDir: string;
  /** Where resources/ is (differs in a packaged app). */
  resourcesDir?: string;
  /** Ask the user for a folder (desktop only). */
  chooseFolder?: () => Promise<string | null>;
  /** Ask the user for a file or folder to import in this format (desktop only); null when cancelled. */
  chooseImportFile?: (reader: FormatReader) => Promise<string | null>;
  /**
   * Ask the user where to export (desktop only): a folder when the writer writes one (its defaultOutput
   * ends with '/'), else a file (suggest defaultOutput); null when cancelled. Without it, exports go to a
   * new folder under the store's exports/.
   */
  chooseExportTarget?: (writer: FormatWriter) => Promise<string | null>;
  /** Progress of a running export or import (documents), at most about a hundred times per run. */
  onProgress?: (progress: { task: 'export' | 'import'; done: number; total: number }) => void;
  /** Called after a folder was opened (the desktop shell updates its menu and title). */
  onOpened?: (ws: Workspace) => void;
  /** Push an event to the UI (IPC message in the desktop shell, server-sent event in the browser). */
  onEvent?: <E extends EventName>(event: E, payload: EventPayloads[E]) => void;
  /** Watch the open folder for changes (default true). */
  watch?: boolean;
  /** Quiet time before a document save (WorkspaceOptions.saveDelayMs), for tests. */
  saveDelayMs?: number;
}

/** Calls that may write to the store (tracked so flush and close wait for them). */
const SAVING_CALLS = /^(annotations:(?!occurrences)|relations:|entities:apply|schema:update|suggestions:(?!known)|document:(load|setDate|setStatus))/;
/** Calls after which what the events table and entities view show may differ. */
const CHANGING_CALLS = /^(annotations:(?!occurrences)|relations:|entities:apply|schema:update|suggestions:(?!known)|document:setDate)/;

/** The documents a changing call named: its docId, the documents of its items or of its relinked mentions. */
function changedDocuments(input: unknown): string[] {
  const { docId, items, batch } = (input ?? {}) as { docId?: string; items?: Array<{ docId: string }>; batch?: { relink: Array<{ docId: string }> } };
  const ids = docId !== undefined ? [docId] : (items ?? batch?.relink ?? []).map((i) => i.docId);
  return [...new Set(ids)];
}

const RecentFile = z.object({ folders: z.array(z.string()) });
const MAX_RECENT = 10;

/** The back end: the open workspace and one handler per channel of the contract. */
export class GlossService {
  private ws: Workspace | null = null;
  private stopWatching: (() => void) | null = null;
  /** Rescans run one at a time. */
  private rescans: Promise<void> = Promise.resolve();
  private recentDb: Low<z.infer<typeof RecentFile>> | null = null;
  /** Calls under way that may save (annotation changes, loads that re-anchor). */
  private readonly edits = new Set<Promise<unknown>>();
  readonly handlers: ApiHandlers;

  constructor(private readonly options: ServiceOptions) {
    this.handlers = {
      'app:info': async () => ({
        version: options.version,
        shell: options.shell,
        author: this.ws?.author ?? defaultAuthor(),
      }),
      'workspace:get': async () => this.ws?.view() ?? null,
      'workspace:openDialog': async () => {
        if (!options.chooseFolder) {
          throw new ApiError('unavailable', 'The browser shell serves one folder: restart `gloss serve FOLDER` to open another.');
        }
        const folder = await options.chooseFolder();
        return folder ? (await this.openFolder(folder)).view() : null;
      },
      'workspace:recent': async () => this.recent(),
      'workspace:openRecent': async ({ id }) => {
        const found = (await this.recent()).find((r) => r.id === id);
        if (!found) throw new ApiError('not-found', 'That folder is no longer in the recent list');
        return (await this.openFolder(found.folder)).view();
      },
      'document:load': async ({ docId }) => this.workspace().load(docId),
      'document:setStatus': async ({ docId, status }) => this.workspace().setStatus(docId, status),
      'annotations:create': async ({ docId, annotation }) => this.workspace().create(docId, annotation),
      'annotations:update': async ({ docId, id, changes }) => this.workspace().update(docId, id, changes),
      'annotations:delete': async ({ docId, id }) => this.workspace().removeWithRelations(docId, id),
      'annotations:restore': async ({ docId, annotation, relations }) => this.workspace().restore(docId, annotation, relations),
      'annotations:occurrences': async ({ docId, text, label, scope }) =>
        this.workspace().occurrences(text, label, scope === 'corpus' ? 'corpus' : { docId }),
      'annotations:createMany': async ({ items }) => this.workspace().createMany(items),
      'relations:create': async ({ docId, relation }) => this.workspace().createRelation(docId, relation),
      'relations:delete': async ({ docId, id }) => this.workspace().removeRelation(docId, id),
      'document:setDate': async ({ docId, dct }) => this.workspace().setDate(docId, dct),
      'schema:usage': async () => this.workspace().labelUsage(),
      'schema:update': async ({ labels, relationTypes, renames, relationRenames, removeAnnotations }) =>
        this.workspace().setSchema({ labels, relationTypes }, { renames, relationRenames, removeAnnotations }),
      'entities:list': async () => this.workspace().entityViews(),
      'entities:mentions': async ({ entityId }) => {
        const ws = this.workspace();
        const titles = new Map(ws.view().documents.map((d) => [d.id, d.title]));
        return (await ws.mentions(entityId)).map((m) => ({ ...m, title: titles.get(m.docId) ?? '' }));
      },
      'entities:apply': async ({ batch }) => this.workspace().applyEntityBatch(batch),
      'events:list': async () => this.workspace().eventTable(),
      'suggestions:known': async () => this.workspace().knownNames(),
      'suggestions:add': async ({ docId, suggestions }) => this.workspace().addSuggestions(docId, suggestions),
      'suggestions:resolve': async ({ docId, accept, reject }) => this.workspace().resolveSuggestions(docId, accept, reject),
      'suggestions:reopen': async ({ docId, annotations }) => this.workspace().reopenSuggestions(docId, annotations),
      'workspace:flush': async () => {
        await this.ws?.flush(this.edits);
        return null;
      },
      'backups:list': async () => this.workspace().backups(),
      'backups:restore': async ({ id, file }) => this.workspace().restoreBackup(id, file),
      'formats:list': async () => {
        const names = [...new Set([...Object.keys(writers), ...Object.keys(readers)])];
        return names.map((name) => ({
          name,
          description: (writers[name] ?? readers[name]).description,
          export: name in writers,
          import: name in readers,
        }));
      },
      'export:run': async ({ format, options: choices }) => {
        const ws = this.workspace();
        const writer = writerFor(format);
        if (!writer) throw new ApiError('invalid-input', `Unknown export format ${format}`);
        const out = options.chooseExportTarget ? await options.chooseExportTarget(writer) : await defaultExportLocation(ws, writer);
        if (!out) return null;
        const { documents, annotations, problems, location } = await exportWorkspace(ws, writer, out, choices, this.progress('export'));
        return { documents, annotations, problems, location };
      },
      'import:run': async ({ format }) => {
        const ws = this.workspace();
        const reader = readerFor(format);
        if (!reader) throw new ApiError('invalid-input', `Unknown import format ${format}`);
        if (!options.chooseImportFile) {
          throw new ApiError(
            'unavailable',
            'The browser shell cannot pick files to import: stop `gloss serve`, run `gloss import FILE --format ' + format + ' --into FOLDER`, then serve the folder again.',
          );
        }
        const input = await options.chooseImportFile(reader);
        if (!input) return null;
        // Not while the watcher's rescan runs (nor it while the import writes articles and rescans); a flush
        // or close waits for it, but not for the dialog before it.
        const summary = await this.track(this.exclusive(() => importFrom(ws, input, format, { onProgress: this.progress('import') })));
        options.onEvent?.('corpus:changed', null);
        return summary;
      },
    };
  }

  /** Validate a raw payload and run a call; never throws: errors come back as values. */
  async dispatch(channel: string, raw: unknown): Promise<Result<unknown>> {
    try {
      if (!(channels as string[]).includes(channel)) throw new ApiError('not-found', `Unknown call ${channel}`);
      const c = channel as Channel;
      const input = parseInput(c, raw);
      const handler = this.handlers[c] as (input: unknown) => Promise<CallOutput<typeof c>>;
      const running = handler(input);
      // Calls that may save: a flush or close must wait for those already made.
      if (SAVING_CALLS.test(c)) this.track(running);
      const value = await running;
      if (CHANGING_CALLS.test(c)) {
        this.options.onEvent?.('annotations:changed', { docIds: changedDocuments(input) });
      }
      return { ok: true, value };
    } catch (err) {
      return toErrorResult(err);
    }
  }

  /** Remember a call that may save until it settles, so flush and close can wait for it. */
  private track<T>(running: Promise<T>): Promise<T> {
    this.edits.add(running);
    void running.catch(() => undefined).finally(() => this.edits.delete(running));
    return running;
  }

  /** Open a corpus folder (closing the previous one) and remember it as recent. */
  async openFolder(folder: string): Promise<Workspace> {
    const current = this.ws;
    if (current && (await fsp.realpath(folder).catch(() => null)) === current.root) {
      // Open here already: a second Workspace on the folder would be refused by its lock.
      await this.rescanAfterChange(current);
      await this.remember(current.root);
      this.options.onOpened?.(current);
      this.options.onEvent?.('workspace:opened', null);
      return current;
    }
    const defaults = await readDefaultSchema(this.resourcesDir);
    const next = await Workspace.open(folder, {
      userDataDir: this.options.userDataDir,
      defaultLabels: defaults.labels,
      defaultRelationTypes: defaults.relationTypes,
      author: defaultAuthor(),
      shell: this.options.shell,
      saveDelayMs: this.options.saveDelayMs,
    });
    this.stopWatching?.();
    this.stopWatching = null;
    await this.ws?.close(this.edits);
    this.ws = next;
    await this.remember(next.root);
    if (this.options.watch !== false) {
      this.stopWatching = watchCorpus(next.root, () => this.rescanAfterChange(next), { storeDirName: STORE_DIR_NAME });
    }
    this.options.onOpened?.(next);
    this.options.onEvent?.('workspace:opened', null);
    return next;
  }

  /** A progress callback passing every hundredth of a run (and its end) on to `onProgress`. */
  private progress(task: 'export' | 'import'): ((done: number, total: number) => void) | undefined {
    const { onProgress, onEvent } = this.options;
    if (!onProgress && !onEvent) return undefined;
    const report = (p: TaskProgress) => {
      onProgress?.(p);
      onEvent?.('task:progress', p);
    };
    let last = -1;
    return (done, total) => {
      const step = Math.floor((done * 100) / Math.max(total, 1));
      if (step === last && done !== total) return;
      last = step;
      report({ task, done, total });
    };
  }

  /** Run `fn` when no rescan is under way, and let no rescan start until it is done. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.rescans.then(fn);
    this.rescans = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Re-read the folder after the watcher saw a change, then tell the UI. */
  private rescanAfterChange(ws: Workspace): Promise<void> {
    this.rescans = this.rescans
      .then(async () => {
        if (this.ws !== ws) return;
        await ws.rescan();
        this.options.onEvent?.('corpus:changed', null);
      })
      .catch(() => undefined);
    return this.rescans;
  }

  /**
   * The folder to open when none is named: the last one used, else a copy of the bundled sample corpus
   * in the user data directory (so the app's own files are never written to).
   */
  async defaultFolder(): Promise<string> {
    for (const r of await this.recent()) {
      if (await isDirectory(r.folder)) return r.folder;
    }
    return this.sampleCorpus();
  }

  /** Copy the bundled sample corpus to the user data directory once, and return its path. */
  async sampleCorpus(): Promise<string> {
    const target = path.join(this.options.userDataDir, 'sample-corpus');
    if (!(await isDirectory(target))) {
      const source = path.join(this.resourcesDir, 'corpus');
      await fsp.mkdir(this.options.userDataDir, { recursive: true });
      const tmp = `${target}.partial-${process.pid}`;
      await fsp.cp(source, tmp, { recursive: true });
      await fsp.rename(tmp, target);
    }
    return target;
  }

  /** Flush pending writes and let go of the workspace. */
  async close(): Promise<void> {
    this.stopWatching?.();
    this.stopWatching = null;
    await this.ws?.close(this.edits);
  }

  /** The open workspace, for the shells. */
  get current(): Workspace | null {
    return this.ws;
  }

  private workspace(): Workspace {
    if (!this.ws) throw new ApiError('unavailable', 'No folder is open');
    return this.ws;
  }

  private get resourcesDir(): string {
    return this.options.resourcesDir ?? checkoutResourcesDir();
  }

  private async recentStore(): Promise<Low<z.infer<typeof RecentFile>>> {
    if (!this.recentDb) {
      await fsp.mkdir(this.options.userDataDir, { recursive: true });
      const db = new Low(new DurableJsonFile(path.join(this.options.userDataDir, 'recent.json'), RecentFile), {
        folders: [],
      });
      // A broken recent list is not worth a quarantine: start a new one.
      await db.read().catch(() => undefined);
      this.recentDb = db;
    }
    return this.recentDb;
  }

  private async recent(): Promise<RecentFolder[]> {
    const db = await this.recentStore();
    return db.data.folders.map((folder) => ({ id: workspaceIdFor(folder), name: path.basename(folder), folder }));
  }

  private async remember(folder: string): Promise<void> {
    const db = await this.recentStore();
    db.data.folders = [folder, ...db.data.folders.filter((f) => f !== folder)].slice(0, MAX_RECENT);
    await db.write();
  }
}

/** The per-user data directory, the same one Electron's app.getPath('userData') gives for "Gloss". */
export function defaultUserDataDir(): string {
  if (process.env.GLOSS_HOME) return path.resolve(process.env.GLOSS_HOME);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Gloss');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Gloss');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Gloss');
}

/** The author recorded on annotations: the OS user name. */
export function defaultAuthor(): string {
  try {
    return os.userInfo().username || 'analyst';
  } catch {
    return 'analyst';
  }
}

async function isDirectory(p: string): Promise<boolean> {
  return fsp.stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
