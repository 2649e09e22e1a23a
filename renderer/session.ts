// One open document in the UI: its annotations, the selected one, undo/redo, and the save state.
// Changes show at once and are sent to the back end; "saved" means the store confirmed every change.
import type { Annotation } from '../annotations/model.ts';
import type { GlossApi, LoadedDocument } from '../annotations/api/contract.ts';
import { sliceCodePoints } from '../annotations/offsets.ts';
import { contextOf } from '../annotations/anchors.ts';
import { TextMapping } from '../annotations/layout.ts';

/** What changed, for the reader to update its highlights. */
export interface SessionChange {
  added: Annotation[];
  removed: Annotation[];
}

type Op =
  | { kind: 'create'; annotation: Annotation }
  | { kind: 'delete'; annotation: Annotation }
  | { kind: 'update'; before: Annotation; after: Annotation };

export type SaveState = { status: 'saved' } | { status: 'saving' } | { status: 'error'; message: string };

/** The state of one open document, observable by React (subscribe/version) and by the reader (onChange). */
export class DocumentSession {
  readonly mapping: TextMapping;
  private readonly byId = new Map<string, Annotation>();
  private sortedCache: Annotation[] | null = null;
  private undoStack: Op[] = [];
  private redoStack: Op[] = [];
  private pending = 0;
  /** Changes go to the back end one after another, in the order they were made. */
  private queue: Promise<void> = Promise.resolve();
  private lastError: string | null = null;
  private listeners = new Set<() => void>();
  private changeListeners = new Set<(c: SessionChange) => void>();
  /** Bumped on every change; React reads it through useSyncExternalStore. */
  version = 0;
  selectedId: string | null = null;

  constructor(
    private readonly api: GlossApi,
    readonly doc: LoadedDocument,
    private readonly author: string,
  ) {
    this.mapping = new TextMapping(doc.text);
    for (const a of doc.annotations) this.byId.set(a.id, a);
  }

  get docId(): string {
    return this.doc.entry.id;
  }

  /** Annotations in text order. */
  get annotations(): Annotation[] {
    if (!this.sortedCache) {
      this.sortedCache = [...this.byId.values()].sort((a, b) => a.start - b.start || b.end - a.end);
    }
    return this.sortedCache;
  }

  get(id: string): Annotation | undefined {
    return this.byId.get(id);
  }

  get saveState(): SaveState {
    if (this.lastError) return { status: 'error', message: this.lastError };
    return this.pending > 0 ? { status: 'saving' } : { status: 'saved' };
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Listen to annotation changes (the reader's highlights). */
  onChange(listener: (c: SessionChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Tag [start, end) (code points) with a label. Returns the new annotation. */
  create(label: string, start: number, end: number): Annotation {
    const now = new Date().toISOString();
    const annotation: Annotation = {
      id: crypto.randomUUID(),
      label,
      start,
      end,
      text: sliceCodePoints(this.doc.text, start, end, this.mapping.index),
      ...contextOf(this.doc.text, start, end, this.mapping.index),
      author: this.author,
      created: now,
      modified: now,
    };
    this.apply({ kind: 'create', annotation }, true);
    this.select(annotation.id);
    return annotation;
  }

  /** Remove an annotation. */
  remove(id: string): void {
    const annotation = this.byId.get(id);
    if (annotation) this.apply({ kind: 'delete', annotation }, true);
  }

  /** Give an annotation another label. */
  relabel(id: string, label: string): void {
    const before = this.byId.get(id);
    if (!before || before.label === label) return;
    this.apply({ kind: 'update', before, after: { ...before, label, modified: new Date().toISOString() } }, true);
  }

  undo(): void {
    const op = this.undoStack.pop();
    if (op) this.apply(inverse(op), false, 'undo');
  }

  redo(): void {
    const op = this.redoStack.pop();
    if (op) this.apply(op, false, 'redo');
  }

  select(id: string | null): void {
    if (id !== null && !this.byId.has(id)) id = null;
    if (id === this.selectedId) return;
    const previous = this.selectedId ? this.byId.get(this.selectedId) : undefined;
    this.selectedId = id;
    const current = id ? this.byId.get(id) : undefined;
    // Re-show both so the reader restyles them.
    const touched = [previous, current].filter((a): a is Annotation => !!a);
    this.emit({ added: touched, removed: touched });
  }

  /** Resolves when every change sent so far has been answered. */
  async settled(): Promise<void> {
    while (this.pending > 0) await new Promise((r) => setTimeout(r, 10));
  }

  private apply(op: Op, record: boolean, direction: 'do' | 'undo' | 'redo' = 'do'): void {
    const { added, removed } = this.applyLocally(op);
    if (record) {
      this.undoStack.push(op);
      this.redoStack = [];
    } else if (direction === 'undo') {
      this.redoStack.push(inverse(op));
    } else {
      this.undoStack.push(op);
    }
    this.emit({ added, removed });
    this.pending++;
    this.notify();
    const sent = this.queue.then(() => this.send(op, direction));
    this.queue = sent.catch(() => undefined);
    sent.catch((err: unknown) => {
      // The store refused: take the change back so the screen shows what is saved.
      this.applyLocally(inverse(op));
      this.emit({ added: removed, removed: added });
      this.lastError = `Not saved: ${(err as Error).message}`;
      this.notify();
    });
  }

  private applyLocally(op: Op): SessionChange {
    this.sortedCache = null;
    switch (op.kind) {
      case 'create':
        this.byId.set(op.annotation.id, op.annotation);
        return { added: [op.annotation], removed: [] };
      case 'delete':
        this.byId.delete(op.annotation.id);
        if (this.selectedId === op.annotation.id) this.selectedId = null;
        return { added: [], removed: [op.annotation] };
      case 'update':
        this.byId.set(op.after.id, op.after);
        return { added: [op.after], removed: [op.before] };
    }
  }

  private async send(op: Op, direction: 'do' | 'undo' | 'redo'): Promise<void> {
    try {
      const docId = this.docId;
      let saved: Annotation | null = null;
      if (op.kind === 'create') {
        // Undo of a delete, and redo of a create, put the original record back.
        saved = direction !== 'do'
          ? await this.api['annotations:restore']({ docId, annotation: op.annotation })
          : await this.api['annotations:create']({
              docId,
              annotation: { id: op.annotation.id, label: op.annotation.label, start: op.annotation.start, end: op.annotation.end },
            });
      } else if (op.kind === 'delete') {
        await this.api['annotations:delete']({ docId, id: op.annotation.id });
      } else {
        saved = await this.api['annotations:update']({
          docId,
          id: op.after.id,
          changes: { label: op.after.label, start: op.after.start, end: op.after.end },
        });
      }
      // Keep the store's record (its text, author and times) where the annotation is still shown.
      if (saved && this.byId.has(saved.id)) {
        const shown = this.byId.get(saved.id)!;
        if (shown.label === saved.label && shown.start === saved.start && shown.end === saved.end) {
          this.byId.set(saved.id, saved);
          this.sortedCache = null;
        }
      }
      this.lastError = null;
    } finally {
      this.pending--;
      this.notify();
    }
  }

  private emit(change: SessionChange): void {
    for (const l of this.changeListeners) l(change);
    this.notify();
  }

  private notify(): void {
    this.version++;
    for (const l of this.listeners) l();
  }
}

function inverse(op: Op): Op {
  switch (op.kind) {
    case 'create':
      return { kind: 'delete', annotation: op.annotation };
    case 'delete':
      return { kind: 'create', annotation: op.annotation };
    case 'update':
      return { kind: 'update', before: op.after, after: op.before };
  }
}
