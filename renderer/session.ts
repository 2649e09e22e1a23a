// One open document in the UI: its annotations, the selected one, undo/redo, and the save state.
// Changes show at once and are sent to the back end; "saved" means the store confirmed every change.
import type { Annotation, LabelDef, Relation, RelationTypeDef } from '../annotations/model.ts';
import type { GlossApi, LoadedDocument } from '../annotations/api/contract.ts';
import { checkAttrs, relationProblem, relationTypesFor } from '../annotations/schema.ts';
import { sliceCodePoints } from '../annotations/offsets.ts';
import { contextOf } from '../annotations/anchors.ts';
import { TextMapping } from '../annotations/layout.ts';

/** What changed, for the reader to update its highlights. */
export interface SessionChange {
  added: Annotation[];
  removed: Annotation[];
}

type Op =
  | { kind: 'create'; annotation: Annotation; relations: Relation[] }
  | { kind: 'delete'; annotation: Annotation; relations: Relation[] }
  | { kind: 'update'; before: Annotation; after: Annotation }
  | { kind: 'relate'; relation: Relation }
  | { kind: 'unrelate'; relation: Relation }
  /** Annotations added together (tag all occurrences); undone together. */
  | { kind: 'batch'; annotations: Annotation[]; remove: boolean }
  /** Suggestions accepted and rejected (as they were, pending), and the undo of that. */
  | { kind: 'resolve'; accepted: Annotation[]; rejected: Annotation[] }
  | { kind: 'reopen'; accepted: Annotation[]; rejected: Annotation[] };

/** Linking the selected annotation to another: the candidates, the one in focus, the types that fit it. */
export interface LinkMode {
  source: string;
  candidates: string[];
  index: number;
}

export type SaveState = { status: 'saved' } | { status: 'saving' } | { status: 'error'; message: string };

/** The state of one open document, observable by React (subscribe/version) and by the reader (onChange). */
export class DocumentSession {
  readonly mapping: TextMapping;
  private readonly byId = new Map<string, Annotation>();
  private readonly relationsById = new Map<string, Relation>();
  /** Set while the analyst picks the other end of a new relation. */
  link: LinkMode | null = null;
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
    for (const r of doc.relations ?? []) this.relationsById.set(r.id, r);
  }

  /** Relations of this document, in the order they were made. */
  get relations(): Relation[] {
    return [...this.relationsById.values()];
  }

  /** The relations an annotation is an end of. */
  relationsOf(id: string): Relation[] {
    return this.relations.filter((r) => r.from === id || r.to === id);
  }

  /**
   * How an annotation is shown besides its label: selected, linked to the selected one, or the
   * candidate in focus while linking.
   */
  emphasis(id: string): { selected: boolean; related: boolean; candidate: boolean } {
    const sel = this.selectedId;
    return {
      selected: id === sel,
      related: !!sel && id !== sel && this.relationsOf(sel).some((r) => r.from === id || r.to === id),
      candidate: !!this.link && this.link.candidates[this.link.index] === id,
    };
  }

  /** Everything whose emphasis depends on the selection and link mode, to re-show when they change. */
  private emphasized(): Annotation[] {
    const ids = new Set<string>();
    if (this.selectedId) {
      ids.add(this.selectedId);
      for (const r of this.relationsOf(this.selectedId)) ids.add(r.from).add(r.to);
    }
    if (this.link) ids.add(this.link.candidates[this.link.index]);
    return [...ids].map((id) => this.byId.get(id)).filter((a): a is Annotation => !!a);
  }

  /** Re-show what was emphasized before `change` and what is after. */
  private restyle(change: () => void): void {
    const before = this.emphasized();
    change();
    const touched = [...new Map([...before, ...this.emphasized()].map((a) => [a.id, a])).values()];
    this.emit({ added: touched, removed: touched });
  }

  get docId(): string {
    return this.doc.entry.id;
  }

  /** Annotations in text order (a new array after each change, so it can key memoized work). */
  get annotations(): Annotation[] {
    if (!this.sortedCache) {
      this.sortedCache = [...this.byId.values()].sort((a, b) => a.start - b.start || b.end - a.end);
    }
    return this.sortedCache;
  }

  /**
   * Put one annotation into the list in text order, take it out, or put another with the same span in its
   * place, without sorting it all again: sorting 50,000 annotations on every edit would cost a frame. A new
   * annotation goes after those with its span, as the full sort (stable, in insertion order) puts it.
   */
  private resort(a: Annotation, change: 'add' | 'remove' | Annotation = 'add'): void {
    const list = this.sortedCache;
    if (!list) return;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = list[mid];
      if (m.start < a.start || (m.start === a.start && m.end >= a.end)) lo = mid + 1;
      else hi = mid;
    }
    if (change === 'add') {
      this.sortedCache = list.toSpliced(lo, 0, a);
      return;
    }
    // lo is past every annotation with this span: look back through them for this id.
    for (let i = lo - 1; i >= 0 && list[i].start === a.start && list[i].end === a.end; i--) {
      if (list[i].id === a.id) {
        this.sortedCache = change === 'remove' ? list.toSpliced(i, 1) : list.with(i, change);
        return;
      }
    }
    this.sortedCache = null;
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
    this.apply({ kind: 'create', annotation, relations: [] }, true);
    this.select(annotation.id);
    return annotation;
  }

  /** Add many annotations at once (tag all occurrences in this document); one undo step. */
  createMany(spans: Array<{ label: string; start: number; end: number; attrs?: Record<string, unknown> }>): Annotation[] {
    const now = new Date().toISOString();
    const annotations = spans.map((s) => ({
      id: crypto.randomUUID(),
      label: s.label,
      start: s.start,
      end: s.end,
      text: sliceCodePoints(this.doc.text, s.start, s.end, this.mapping.index),
      ...contextOf(this.doc.text, s.start, s.end, this.mapping.index),
      author: this.author,
      created: now,
      modified: now,
      ...(s.attrs && Object.keys(s.attrs).length ? { attrs: s.attrs } : {}),
    }));
    if (annotations.length) this.apply({ kind: 'batch', annotations, remove: false }, true);
    return annotations;
  }

  /** Pending suggestions, in text order. */
  get suggestions(): Annotation[] {
    return this.annotations.filter((a) => a.pending);
  }

  /** Show suggestions the store has just saved as pending (not an edit of the analyst's: no undo step). */
  addPending(annotations: Annotation[]): void {
    if (annotations.length === 0) return;
    this.sortedCache = null;
    for (const a of annotations) this.byId.set(a.id, a);
    this.emit({ added: annotations, removed: [] });
  }

  /** Accept and reject pending suggestions (one undo step). */
  resolve(accept: string[], reject: string[]): void {
    const pick = (ids: string[]) => ids.map((id) => this.byId.get(id)).filter((a): a is Annotation => !!a?.pending);
    const accepted = pick(accept);
    const rejected = pick(reject);
    if (accepted.length + rejected.length > 0) this.apply({ kind: 'resolve', accepted, rejected }, true);
  }

  /** Select the next pending suggestion after the selected one (or after `from`), wrapping; null when none is left. */
  nextPending(step: 1 | -1 = 1): Annotation | null {
    const list = this.suggestions;
    if (list.length === 0) return null;
    const current = this.selectedId ? this.byId.get(this.selectedId) : undefined;
    const pos = current ? current.start : -1;
    const next =
      step > 0
        ? (list.find((a) => a.start > pos || (a.start === pos && current && a.id !== current.id && a.end < current.end)) ?? list[0])
        : ([...list].reverse().find((a) => a.start < pos) ?? list[list.length - 1]);
    this.select(next.id);
    return next;
  }

  /** Remove an annotation (and the relations it is an end of, which undo brings back). */
  remove(id: string): void {
    const annotation = this.byId.get(id);
    if (annotation) this.apply({ kind: 'delete', annotation, relations: this.relationsOf(id) }, true);
  }

  /**
   * Set an annotation's attribute values (all of them) and note. Values are checked against the label's
   * attributes first; returns the problems (nothing changes) or null when the change was made.
   */
  edit(id: string, labels: readonly LabelDef[], attrs: Record<string, unknown>, note?: string): string[] | null {
    const before = this.byId.get(id);
    if (!before) return ['That annotation is gone'];
    const checked = checkAttrs(labels, before.label, attrs);
    if (!checked.ok) return checked.problems;
    const after: Annotation = { ...before, modified: new Date().toISOString() };
    if (Object.keys(checked.attrs).length) after.attrs = checked.attrs;
    else delete after.attrs;
    if (note !== undefined) {
      if (note.trim() === '') delete after.note;
      else after.note = note;
    }
    if (JSON.stringify(after.attrs ?? {}) === JSON.stringify(before.attrs ?? {}) && (after.note ?? '') === (before.note ?? '')) return null;
    this.apply({ kind: 'update', before, after }, true);
    return null;
  }

  /** Link two annotations; returns a problem (nothing changes) or null. */
  relate(types: readonly RelationTypeDef[], type: string, from: string, to: string): string | null {
    const a = this.byId.get(from);
    const b = this.byId.get(to);
    if (!a || !b) return 'Both ends must be annotations of this article';
    const problem = relationProblem(types, type, a.label, b.label);
    if (problem) return problem;
    if (this.relations.some((r) => r.type === type && r.from === from && r.to === to)) return `Already linked by ${type}`;
    this.apply({ kind: 'relate', relation: { id: crypto.randomUUID(), type, from, to } }, true);
    return null;
  }

  /** Remove a relation. */
  unrelate(relationId: string): void {
    const relation = this.relationsById.get(relationId);
    if (relation) this.apply({ kind: 'unrelate', relation }, true);
  }

  /**
   * Start linking the selected annotation: candidates are the annotations a relation type of the schema
   * allows at the other end (either direction), nearest first. Returns false when there are none.
   */
  startLink(types: readonly RelationTypeDef[]): boolean {
    const source = this.selectedId ? this.byId.get(this.selectedId) : undefined;
    if (!source) return false;
    const linked = (a: Annotation) =>
      this.linkTypes(types, source, a).every((f) => this.relations.some((r) => r.type === f.type && r.from === f.from && r.to === f.to));
    // Annotations already linked by every type that fits them are left out: the nearest unlinked comes first.
    const candidates = this.annotations
      .filter((a) => a.id !== source.id && this.linkTypes(types, source, a).length > 0 && !linked(a))
      .sort((x, y) => Math.abs(x.start - source.start) - Math.abs(y.start - source.start))
      .map((a) => a.id);
    if (candidates.length === 0) return false;
    this.restyle(() => (this.link = { source: source.id, candidates, index: 0 }));
    return true;
  }

  /** Move the focus to the next (or previous) candidate, or to a given one (a click). */
  moveLink(step: number, to?: string): void {
    const link = this.link;
    if (!link) return;
    const index = to !== undefined ? link.candidates.indexOf(to) : (link.index + step + link.candidates.length) % link.candidates.length;
    if (index < 0) return;
    this.restyle(() => (this.link = { ...link, index }));
  }

  /** Stop linking. */
  cancelLink(): void {
    if (this.link) this.restyle(() => (this.link = null));
  }

  /**
   * The relations that may join `a` and `b`, as [type, from, to]: types from a to b first, then from b
   * to a (selecting a DATE and linking it to an EVENT makes EVENT -time-> DATE).
   */
  linkTypes(types: readonly RelationTypeDef[], a: Annotation, b: Annotation): Array<{ type: string; from: string; to: string }> {
    return [
      ...relationTypesFor(types, a.label, b.label).map((t) => ({ type: t.name, from: a.id, to: b.id })),
      ...relationTypesFor(types, b.label, a.label).map((t) => ({ type: t.name, from: b.id, to: a.id })),
    ];
  }

  /** Link the source to the candidate in focus with the `choice`-th fitting type; returns a problem or null. */
  finishLink(types: readonly RelationTypeDef[], choice = 0): string | null {
    const link = this.link;
    if (!link) return null;
    const a = this.byId.get(link.source);
    const b = this.byId.get(link.candidates[link.index]);
    if (!a || !b) return 'That annotation is gone';
    const fits = this.linkTypes(types, a, b);
    const pick = fits[choice];
    if (!pick) return null;
    this.cancelLink();
    return this.relate(types, pick.type, pick.from, pick.to);
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
    // Re-show the old and new selection and their related annotations so the reader restyles them.
    this.restyle(() => {
      this.selectedId = id;
      this.link = null;
    });
  }

  /** Select the next (step 1) or previous (-1) annotation in text order, from the selected one or the start. */
  selectAdjacent(step: 1 | -1): Annotation | null {
    const list = this.annotations;
    if (list.length === 0) return null;
    const i = this.selectedId ? list.findIndex((a) => a.id === this.selectedId) : -1;
    const next = i < 0 ? (step > 0 ? list[0] : list[list.length - 1]) : list[(i + step + list.length) % list.length];
    this.select(next.id);
    return next;
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
    if (op.kind !== 'create' && op.kind !== 'delete' && op.kind !== 'update') this.sortedCache = null;
    switch (op.kind) {
      case 'create':
        if (this.byId.has(op.annotation.id)) this.sortedCache = null;
        else this.resort(op.annotation);
        this.byId.set(op.annotation.id, op.annotation);
        for (const r of op.relations) this.relationsById.set(r.id, r);
        return { added: [op.annotation, ...this.ends(op.relations)], removed: this.ends(op.relations) };
      case 'delete':
        this.resort(this.byId.get(op.annotation.id) ?? op.annotation, 'remove');
        this.byId.delete(op.annotation.id);
        for (const r of op.relations) this.relationsById.delete(r.id);
        if (this.selectedId === op.annotation.id) this.selectedId = null;
        if (this.link && (this.link.source === op.annotation.id || this.link.candidates.includes(op.annotation.id))) this.link = null;
        return { added: this.ends(op.relations), removed: [op.annotation, ...this.ends(op.relations)] };
      case 'update': {
        const shown = this.byId.get(op.after.id);
        // A relabel or an attribute edit keeps its place; a span that moved is sorted in afresh.
        if (shown && shown.start === op.after.start && shown.end === op.after.end) this.resort(shown, op.after);
        else this.sortedCache = null;
        this.byId.set(op.after.id, op.after);
        return { added: [op.after], removed: [op.before] };
      }
      case 'relate':
        this.relationsById.set(op.relation.id, op.relation);
        return { added: this.ends([op.relation]), removed: this.ends([op.relation]) };
      case 'unrelate':
        this.relationsById.delete(op.relation.id);
        return { added: this.ends([op.relation]), removed: this.ends([op.relation]) };
      case 'resolve': {
        const done = op.accepted.map((a) => {
          const { pending: _p, ...rest } = a;
          return { ...rest, author: this.author, modified: new Date().toISOString() };
        });
        for (const a of done) this.byId.set(a.id, a);
        for (const a of op.rejected) this.byId.delete(a.id);
        if (op.rejected.some((a) => a.id === this.selectedId)) this.selectedId = null;
        return { added: done, removed: [...op.accepted, ...op.rejected] };
      }
      case 'reopen': {
        const shown = [...op.accepted, ...op.rejected].map((a) => this.byId.get(a.id)).filter((a): a is Annotation => !!a);
        for (const a of [...op.accepted, ...op.rejected]) this.byId.set(a.id, a);
        return { added: [...op.accepted, ...op.rejected], removed: shown };
      }
      case 'batch':
        for (const a of op.annotations) {
          if (op.remove) this.byId.delete(a.id);
          else this.byId.set(a.id, a);
        }
        if (op.remove && op.annotations.some((a) => a.id === this.selectedId)) this.selectedId = null;
        return op.remove ? { added: [], removed: op.annotations } : { added: op.annotations, removed: [] };
    }
  }

  /** The annotations at the ends of these relations that are shown (to restyle them). */
  private ends(relations: Relation[]): Annotation[] {
    return relations.flatMap((r) => [this.byId.get(r.from), this.byId.get(r.to)]).filter((a): a is Annotation => !!a);
  }

  private async send(op: Op, direction: 'do' | 'undo' | 'redo'): Promise<void> {
    try {
      const docId = this.docId;
      let saved: Annotation | null = null;
      if (op.kind === 'create') {
        // Undo of a delete, and redo of a create, put the original record back (with its relations).
        saved = direction !== 'do'
          ? await this.api['annotations:restore']({ docId, annotation: op.annotation, relations: op.relations })
          : await this.api['annotations:create']({
              docId,
              annotation: { id: op.annotation.id, label: op.annotation.label, start: op.annotation.start, end: op.annotation.end },
            });
      } else if (op.kind === 'delete') {
        await this.api['annotations:delete']({ docId, id: op.annotation.id });
      } else if (op.kind === 'update') {
        saved = await this.api['annotations:update']({
          docId,
          id: op.after.id,
          changes: {
            label: op.after.label,
            start: op.after.start,
            end: op.after.end,
            attrs: (op.after.attrs ?? {}) as Record<string, string | number | boolean | null>,
            note: op.after.note ?? '',
          },
        });
      } else if (op.kind === 'resolve') {
        await this.api['suggestions:resolve']({ docId, accept: op.accepted.map((a) => a.id), reject: op.rejected.map((a) => a.id) });
      } else if (op.kind === 'reopen') {
        await this.api['suggestions:reopen']({ docId, annotations: [...op.accepted, ...op.rejected] });
      } else if (op.kind === 'relate') {
        await this.api['relations:create']({ docId, relation: op.relation });
      } else if (op.kind === 'unrelate') {
        await this.api['relations:delete']({ docId, id: op.relation.id });
      } else if (op.remove) {
        for (const a of op.annotations) await this.api['annotations:delete']({ docId, id: a.id });
      } else if (direction === 'do') {
        const items = op.annotations.map((a) => ({
          docId,
          annotation: { id: a.id, label: a.label, start: a.start, end: a.end, ...(a.attrs ? { attrs: a.attrs as Record<string, string | number | boolean | null> } : {}) },
        }));
        await this.api['annotations:createMany']({ items });
      } else {
        for (const a of op.annotations) await this.api['annotations:restore']({ docId, annotation: a });
      }
      // Keep the store's record (its text, author and times) where the annotation is still shown.
      if (saved && this.byId.has(saved.id)) {
        const shown = this.byId.get(saved.id)!;
        if (
          shown.label === saved.label &&
          shown.start === saved.start &&
          shown.end === saved.end &&
          JSON.stringify(shown.attrs ?? {}) === JSON.stringify(saved.attrs ?? {}) &&
          (shown.note ?? '') === (saved.note ?? '')
        ) {
          this.resort(shown, saved);
          this.byId.set(saved.id, saved);
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
      return { kind: 'delete', annotation: op.annotation, relations: op.relations };
    case 'delete':
      return { kind: 'create', annotation: op.annotation, relations: op.relations };
    case 'update':
      return { kind: 'update', before: op.after, after: op.before };
    case 'relate':
      return { kind: 'unrelate', relation: op.relation };
    case 'unrelate':
      return { kind: 'relate', relation: op.relation };
    case 'batch':
      return { kind: 'batch', annotations: op.annotations, remove: !op.remove };
    case 'resolve':
      return { kind: 'reopen', accepted: op.accepted, rejected: op.rejected };
    case 'reopen':
      return { kind: 'resolve', accepted: op.accepted, rejected: op.rejected };
  }
}
