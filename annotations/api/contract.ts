// The one API contract between the UI and the back end: every call, its payload schema and its result type.
// Both shells (Electron IPC, HTTP) carry exactly these calls; the renderer's client type is derived from here.
import { z } from 'zod';
import {
  Annotation,
  DocumentStatus,
  EntityRecord,
  LabelDef,
  Relation,
  RelationTypeDef,
  type DocumentEntry,
  type SkippedFile,
  type StoreProblem,
} from '../model.ts';
import type { FormatProblem } from '../formats/types.ts';
import type { EventRow } from '../formats/events-csv.ts';
import type { Mention } from '../entities.ts';
import type { KnownName } from '../suggestions/types.ts';

/** Where a workspace's annotations are stored, told to the user. */
export interface StoreLocation {
  /** `folder`: `<folder>/.gloss/`; `user-data`: the per-user data directory (the folder is not writable). */
  kind: 'folder' | 'user-data';
  /** Directory shown to the user. */
  dir: string;
}

/** What the UI knows of the open corpus folder. */
export interface WorkspaceView {
  /** Stable id of the folder (hash of its real path). */
  id: string;
  /** Folder name, for display. */
  name: string;
  /** Folder path, for display only; never sent back. */
  folder: string;
  store: StoreLocation;
  labels: LabelDef[];
  relationTypes: RelationTypeDef[];
  documents: DocumentEntry[];
  skipped: SkippedFile[];
  problems: StoreProblem[];
}

/** A document opened for reading: its text and annotations. */
export interface LoadedDocument {
  entry: DocumentEntry;
  /** The decoded, LF-normalized text that offsets refer to. */
  text: string;
  /** Annotations whose quoted text is found at their offsets. */
  annotations: Annotation[];
  /** Relations between those annotations. */
  relations: Relation[];
  /** Annotations whose offsets no longer match the text (the file changed); kept, never dropped. */
  orphans: Annotation[];
  /** How many annotations were found elsewhere in a changed text and moved there (already saved). */
  reanchored?: number;
}

export interface AppInfo {
  version: string;
  shell: 'electron' | 'browser';
  author: string;
}

/** A complete backup of the store: copies of workspace.json and docs/*.json taken at `created`. */
export interface BackupSummary {
  id: string;
  /** ISO time the copy was taken. */
  created: string;
  /** How many store files it holds. */
  files: number;
}

/** Id of a backup: its folder name under backups/ (never a path). */
export const BackupId = z.string().regex(/^[0-9A-Za-z-]{1,64}$/, 'not a backup id');

/**
 * A store file, relative to the store folder: `workspace.json` or `docs/<docId>.json`. The only paths
 * that cross the API, and only these two shapes: never `..`, never absolute.
 */
export const StoreFilePath = z.string().regex(/^(workspace\.json|docs\/[A-Za-z0-9_-]{1,128}\.json)$/, 'not a store file');

export interface RecentFolder {
  id: string;
  name: string;
  folder: string;
}

/** A call's declaration: its input schema, and (as a phantom type) its result. */
export interface CallSpec<I extends z.ZodType, O> {
  input: I;
  doc: string;
  /** Phantom field carrying the result type; never set. */
  readonly _output?: O;
}

function call<O>() {
  return <I extends z.ZodType>(input: I, doc: string): CallSpec<I, O> => ({ input, doc });
}

/** Document ids are derived names ('d' + hex), never paths: nothing path-like gets as far as a lookup. */
const DocId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'not a document id');
const Empty = z.object({}).strict();

/** A new annotation as the UI proposes it; the back end fills in text, author and times. */
export const NewAnnotation = z
  .object({
    id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/),
    label: z.string().min(1).max(64),
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
  })
  .strict();
export type NewAnnotation = z.infer<typeof NewAnnotation>;

/** Limits of `attrs` on a restored annotation: plain JSON, this deep and this many values at most. */
const MAX_ATTRS_DEPTH = 8;
const MAX_ATTRS_NODES = 1000;

/**
 * Is this plain JSON (strings, finite numbers, booleans, null, arrays, plain objects) within the depth
 * and size limits? Checked without recursion, so a hostile nesting cannot exhaust the stack here.
 */
function isBoundedJson(value: unknown, maxDepth: number, maxNodes: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  let nodes = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (++nodes > maxNodes || depth > maxDepth) return false;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false;
      continue;
    }
    if (Array.isArray(v)) {
      for (const item of v) stack.push([item, depth + 1]);
      continue;
    }
    if (typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return false;
    for (const item of Object.values(v)) stack.push([item, depth + 1]);
  }
  return true;
}

/**
 * An annotation handed back for undo. It was the back end's own, but it crosses the boundary, so every
 * free-form field is bounded: an unbounded `attrs` nested thousands deep would be stored, and then no
 * save of that document could serialise it again.
 */
export const RestoredAnnotation = Annotation.extend({
  prefix: z.string().max(256).optional(),
  suffix: z.string().max(256).optional(),
  author: z.string().max(256),
  created: z.string().max(64),
  modified: z.string().max(64),
  attrs: z
    .record(z.string().max(64), z.unknown())
    .refine((attrs) => isBoundedJson(attrs, MAX_ATTRS_DEPTH, MAX_ATTRS_NODES), 'attrs: too large, too deep or not plain JSON')
    .optional(),
  note: z.string().max(100_000).optional(),
});

/** Attribute values as the UI sends them: flat, each a string, number, boolean or null (null clears). */
const AttrValues = z.record(z.string().min(1).max(64), z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()])).refine(
  (attrs) => Object.keys(attrs).length <= 50,
  'at most 50 attributes',
);

export const AnnotationChanges = z
  .object({
    label: z.string().min(1).max(64).optional(),
    start: z.number().int().nonnegative().optional(),
    end: z.number().int().nonnegative().optional(),
    /** The annotation's attribute values, all of them (what is left out is cleared); checked against the label. */
    attrs: AttrValues.optional(),
    /** Free-text note; empty removes it. */
    note: z.string().max(100_000).optional(),
  })
  .strict();
export type AnnotationChanges = z.infer<typeof AnnotationChanges>;

/** An entity as the entities view lists it. */
export interface EntityView extends EntityRecord {
  mentions: number;
  documents: number;
}

/** A mention of an entity, with the title of its document. */
export interface MentionView extends Mention {
  title: string;
}

/** A change to the entities (annotations/entities.ts EntityBatch), checked. */
export const EntityBatchInput = z
  .object({
    upsert: z.array(EntityRecord).max(1000),
    remove: z.array(z.string().min(1).max(64)).max(1000),
    relink: z
      .array(z.object({ docId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/), annotationId: z.string().min(1).max(64), entity: z.string().min(1).max(64).nullable() }).strict())
      .max(100_000),
  })
  .strict();

/** One row of the events table: the events CSV's columns, the EVENT's annotation id, and what could not be read. */
export type EventTableRow = EventRow & {
  annotation_id: string;
  /** Each linked CASUALTIES figure as read: its text, then low–high, group and outcome when coded. */
  victims: string[];
  problems: string[];
};

/** Where a string occurs, for "tag all occurrences". Offsets in code points. */
export interface Occurrence {
  docId: string;
  title: string;
  start: number;
  end: number;
  /** Up to 60 characters of the line before and after, for the preview. */
  before: string;
  after: string;
  /** An annotation of the chosen label is at exactly this span already. */
  tagged: boolean;
}

/** A dataset format's name (`gloss`, `brat`, ...): looked up in the registry, never a path. */
const FormatName = z.string().regex(/^[a-z0-9-]{1,32}$/, 'not a format name');

/** The choices of an export (annotations/formats/types.ts ExportOptions), checked. */
export const ExportChoices = z
  .object({
    documents: z.enum(['all', 'done']),
    labels: z.array(z.string().min(1).max(64)).max(1000).optional(),
    includePending: z.boolean().optional(),
  })
  .strict();

/** What an export did. */
export interface ExportRunResult {
  documents: number;
  annotations: number;
  problems: FormatProblem[];
  /** The file or folder written, for display only; never sent back. */
  location: string;
}

/** What an import did. */
export interface ImportRunResult {
  format: string;
  /** Documents whose annotations were stored, of which `created` were new articles written into the folder. */
  documents: number;
  created: number;
  annotations: number;
  /** Documents, lines or files not imported at all; `problems` says why. */
  refused: number;
  problems: FormatProblem[];
  /** Imported, but worth knowing: labels added to the schema, articles written under another name. */
  notices: FormatProblem[];
}

/**
 * Every call between UI and back end. Channel names are `area:verb`.
 * Inputs are validated with these schemas by each carrier before the service sees them.
 */
export const contract = {
  'app:info': call<AppInfo>()(Empty, 'Version, shell kind and the current author name.'),
  'workspace:get': call<WorkspaceView | null>()(Empty, 'The open corpus folder, or null when none is open.'),
  'workspace:openDialog': call<WorkspaceView | null>()(
    Empty,
    'Ask the user for a folder (desktop only) and open it; null when cancelled.',
  ),
  'workspace:recent': call<RecentFolder[]>()(Empty, 'Recently opened folders, newest first.'),
  'workspace:openRecent': call<WorkspaceView>()(
    z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'not a folder id') }).strict(),
    'Open a recently opened folder by its id.',
  ),
  'document:load': call<LoadedDocument>()(
    z.object({ docId: DocId }).strict(),
    'Read a document and its annotations.',
  ),
  'document:setStatus': call<DocumentEntry>()(
    z.object({ docId: DocId, status: DocumentStatus }).strict(),
    'Mark a document new, in progress or done; resolves once durably saved.',
  ),
  'annotations:create': call<Annotation>()(
    z.object({ docId: DocId, annotation: NewAnnotation }).strict(),
    'Add an annotation; resolves once it is durably saved.',
  ),
  'annotations:update': call<Annotation>()(
    z.object({ docId: DocId, id: z.string().min(1).max(64), changes: AnnotationChanges }).strict(),
    'Change label or span of an annotation; resolves once durably saved.',
  ),
  'annotations:delete': call<{ annotation: Annotation; relations: Relation[] }>()(
    z.object({ docId: DocId, id: z.string().min(1).max(64) }).strict(),
    'Remove an annotation and the relations it was an end of, and return them (for undo); resolves once durably saved.',
  ),
  'annotations:restore': call<Annotation>()(
    z.object({ docId: DocId, annotation: RestoredAnnotation, relations: z.array(Relation).max(1000).optional() }).strict(),
    'Put back an annotation exactly as it was, with its relations (undo of delete); resolves once durably saved.',
  ),
  'annotations:occurrences': call<Occurrence[]>()(
    z.object({ docId: DocId, text: z.string().min(1).max(1000), label: z.string().min(1).max(64), scope: z.enum(['document', 'corpus']) }).strict(),
    'Where a text occurs as whole words in this document or the whole corpus (at most 10,000 places), for tagging them all.',
  ),
  'annotations:createMany': call<Array<{ docId: string; annotation: Annotation }>>()(
    z
      .object({
        items: z.array(z.object({ docId: DocId, annotation: NewAnnotation.extend({ attrs: AttrValues.optional() }).strict() }).strict()).min(1).max(10_000),
      })
      .strict(),
    'Add many annotations (tag all occurrences), checked all before any is stored; resolves once durably saved.',
  ),
  'relations:create': call<Relation>()(
    z.object({ docId: DocId, relation: Relation.strict() }).strict(),
    "Link two annotations of a document with a relation type of the schema; resolves once durably saved.",
  ),
  'relations:delete': call<Relation>()(
    z.object({ docId: DocId, id: z.string().min(1).max(64) }).strict(),
    'Remove a relation and return it (for undo); resolves once durably saved.',
  ),
  'document:setDate': call<DocumentEntry>()(
    z.object({ docId: DocId, dct: z.string().max(10).nullable() }).strict(),
    "Set or clear a document's publication date (YYYY-MM-DD); resolves once durably saved.",
  ),
  'schema:usage': call<Record<string, number>>()(Empty, 'How many annotations carry each label, across the corpus.'),
  'schema:update': call<WorkspaceView>()(
    z
      .object({
        labels: z.array(LabelDef).max(200),
        relationTypes: z.array(RelationTypeDef).max(200),
        /** Old label name -> new: annotations, entity types and relation-type ends follow. */
        renames: z.record(z.string().min(1).max(64), z.string().min(1).max(64)).optional(),
        /** Old relation type name -> new: stored relations follow. */
        relationRenames: z.record(z.string().min(1).max(64), z.string().min(1).max(64)).optional(),
        /** Also remove what removed labels and relation types still carry (annotations, relations, entities). */
        removeAnnotations: z.boolean().optional(),
      })
      .strict(),
    'Replace the label schema. Relation types name labels by their old names when `renames` renames them. Renamed labels and relation types carry what uses them; removing a used one needs removeAnnotations.',
  ),
  'entities:list': call<EntityView[]>()(Empty, "The corpus's entities with their mention and document counts."),
  'entities:mentions': call<MentionView[]>()(
    z.object({ entityId: z.string().min(1).max(64) }).strict(),
    "Every annotation of the corpus linked to an entity.",
  ),
  'entities:apply': call<{ inverse: z.infer<typeof EntityBatchInput>; entities: EntityView[] }>()(
    z.object({ batch: EntityBatchInput }).strict(),
    'Create, edit, merge or split entities (a batch of records and relinked mentions); returns the batch that undoes it.',
  ),
  'suggestions:known': call<KnownName[]>()(Empty, "Names the corpus knows (entities' names and aliases), for the entity suggestions."),
  'suggestions:add': call<Annotation[]>()(
    z
      .object({
        docId: DocId,
        suggestions: z
          .array(
            z
              .object({
                label: z.string().min(1).max(64),
                start: z.number().int().nonnegative(),
                end: z.number().int().nonnegative(),
                text: z.string().max(10_000),
                attrs: z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()])),
                score: z.number().finite(),
                engine: z.string().min(1).max(100),
              })
              .strict(),
          )
          .max(100_000),
      })
      .strict(),
    'Store suggestions as pending annotations, leaving out those already there or rejected before; returns what was stored.',
  ),
  'suggestions:resolve': call<{ accepted: Annotation[]; rejected: Annotation[] }>()(
    z.object({ docId: DocId, accept: z.array(z.string().min(1).max(64)).max(100_000), reject: z.array(z.string().min(1).max(64)).max(100_000) }).strict(),
    'Accept some pending suggestions and reject others in one save; returns them as they were (for undo).',
  ),
  'suggestions:reopen': call<Annotation[]>()(
    z.object({ docId: DocId, annotations: z.array(RestoredAnnotation).max(100_000) }).strict(),
    'Put suggestions back as pending, as they were before being accepted or rejected (undo).',
  ),
  'events:list': call<EventTableRow[]>()(Empty, 'One row per EVENT annotation of the corpus, with its linked date, place, actors, victims and weapon.'),
  'workspace:flush': call<null>()(
    Empty,
    'Write every change still waiting for its (debounced) save now; resolves once durable. For blur / page hide.',
  ),
  'backups:list': call<BackupSummary[]>()(Empty, "Complete backups of the open folder's store, newest first."),
  'backups:restore': call<WorkspaceView>()(
    z.object({ id: BackupId, file: StoreFilePath }).strict(),
    "Put one store file back from a backup (the current one goes to quarantine/); returns the updated view.",
  ),
  'formats:list': call<FormatInfo[]>()(Empty, 'The dataset formats Gloss can export and import.'),
  'export:run': call<ExportRunResult | null>()(
    z.object({ format: FormatName, options: ExportChoices }).strict(),
    'Export the open folder in a format: to a place the user picks (desktop; null when cancelled), else to a new folder in the store.',
  ),
  'import:run': call<ImportRunResult | null>()(
    z.object({ format: FormatName }).strict(),
    'Ask the user for a file or folder to import in a format (desktop only; null when cancelled) and import it into the open folder.',
  ),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type CallInput<C extends Channel> = z.input<Contract[C]['input']>;
export type CallOutput<C extends Channel> = Exclude<Contract[C]['_output'], undefined>;

/** The API as the renderer sees it: one async function per channel. */
export type GlossApi = { [C in Channel]: (input: CallInput<C>) => Promise<CallOutput<C>> };

/** Every channel, in declaration order; the preload's allow-list. */
export const channels = Object.keys(contract) as Channel[];

/** An error that crosses the boundary as a value. */
export interface ApiErrorValue {
  code: 'invalid-input' | 'not-found' | 'conflict' | 'unavailable' | 'forbidden' | 'internal';
  message: string;
}

/** What every call returns on the wire. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorValue };

/** Thrown by services and re-thrown by clients; carries a code the UI can act on. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorValue['code'],
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Longest validation message: it quotes the payload (an unknown key, say), which may be megabytes. */
const MAX_MESSAGE = 300;

function clip(message: string): string {
  if (message.length <= MAX_MESSAGE) return message;
  // Never end on half a surrogate pair.
  const cut = /[\uD800-\uDBFF]/.test(message[MAX_MESSAGE - 1]) ? MAX_MESSAGE - 1 : MAX_MESSAGE;
  return `${message.slice(0, cut)}…`;
}

/** Validate a raw payload for a channel; throws ApiError('invalid-input') with a readable message. */
export function parseInput<C extends Channel>(channel: C, raw: unknown): z.output<Contract[C]['input']> {
  const spec = contract[channel];
  if (!spec) throw new ApiError('not-found', `Unknown call ${String(channel)}`);
  const parsed = spec.input.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError('invalid-input', clip(`${channel}: ${issue?.path.join('.') || 'input'}: ${issue?.message}`));
  }
  return parsed.data as z.output<Contract[C]['input']>;
}

/** Turn anything thrown by a handler into a wire Result. */
export function toErrorResult(err: unknown): Result<never> {
  if (err instanceof ApiError) return { ok: false, error: { code: err.code, message: err.message } };
  const message = err instanceof Error ? err.message : String(err);
  return { ok: false, error: { code: 'internal', message } };
}

/** Is this string a channel of the contract? */
export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** The back end's side: one handler per channel, implemented once over the core. */
export type ApiHandlers = { [C in Channel]: (input: z.output<Contract[C]['input']>) => Promise<CallOutput<C>> };

/**
 * Events the back end pushes to the UI: another folder was opened (desktop), files of the open folder
 * changed on disk (the UI re-reads the document list and, if its article changed, the article),
 * progress of a long export or import, and File > Export… / Import… in the desktop menu.
 */
export const events = ['workspace:opened', 'corpus:changed', 'task:progress', 'menu:dataset', 'annotations:changed'] as const;
export type EventName = (typeof events)[number];

/** How far a long export or import has come. */
export interface TaskProgress {
  task: 'export' | 'import';
  done: number;
  total: number;
}

/** What each event carries. */
export interface EventPayloads {
  'workspace:opened': null;
  'corpus:changed': null;
  'task:progress': TaskProgress;
  /** The desktop menu asks the UI to open its export or import dialog. */
  'menu:dataset': 'export' | 'import';
  /** Annotations, relations or entities of these documents changed (the events table and entities view refresh). */
  'annotations:changed': { docIds: string[] };
}

/** A dataset format as the UI lists it. */
export interface FormatInfo {
  name: string;
  description: string;
  /** Whether Gloss can write it, and read it. */
  export: boolean;
  import: boolean;
}

export type IpcBridge = { [C in Channel]: (input: CallInput<C>) => Promise<Result<CallOutput<C>>> } & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
};
