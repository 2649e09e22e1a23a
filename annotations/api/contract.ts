// The one API contract between the UI and the back end: every call, its payload schema and its result type.
// Both shells (Electron IPC, HTTP) carry exactly these calls; the renderer's client type is derived from here.
import { z } from 'zod';
import { Annotation, type DocumentEntry, type LabelDef, type SkippedFile, type StoreProblem } from '../model.ts';

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
  /** Annotations whose offsets no longer match the text (the file changed); kept, never dropped. */
  orphans: Annotation[];
}

export interface AppInfo {
  version: string;
  shell: 'electron' | 'browser';
  author: string;
}

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

const DocId = z.string().min(1).max(128);
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

export const AnnotationChanges = z
  .object({
    label: z.string().min(1).max(64).optional(),
    start: z.number().int().nonnegative().optional(),
    end: z.number().int().nonnegative().optional(),
  })
  .strict();
export type AnnotationChanges = z.infer<typeof AnnotationChanges>;

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
    z.object({ id: z.string().min(1).max(128) }).strict(),
    'Open a recently opened folder by its id.',
  ),
  'document:load': call<LoadedDocument>()(
    z.object({ docId: DocId }).strict(),
    'Read a document and its annotations.',
  ),
  'annotations:create': call<Annotation>()(
    z.object({ docId: DocId, annotation: NewAnnotation }).strict(),
    'Add an annotation; resolves once it is durably saved.',
  ),
  'annotations:update': call<Annotation>()(
    z.object({ docId: DocId, id: z.string().min(1).max(64), changes: AnnotationChanges }).strict(),
    'Change label or span of an annotation; resolves once durably saved.',
  ),
  'annotations:delete': call<Annotation>()(
    z.object({ docId: DocId, id: z.string().min(1).max(64) }).strict(),
    'Remove an annotation and return it (for undo); resolves once durably saved.',
  ),
  'annotations:restore': call<Annotation>()(
    z.object({ docId: DocId, annotation: Annotation }).strict(),
    'Put back an annotation exactly as it was (undo of delete); resolves once durably saved.',
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

/** Validate a raw payload for a channel; throws ApiError('invalid-input') with a readable message. */
export function parseInput<C extends Channel>(channel: C, raw: unknown): z.output<Contract[C]['input']> {
  const spec = contract[channel];
  if (!spec) throw new ApiError('not-found', `Unknown call ${String(channel)}`);
  const parsed = spec.input.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError('invalid-input', `${channel}: ${issue?.path.join('.') || 'input'}: ${issue?.message}`);
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
 * Events the back end pushes to the UI: another folder was opened (desktop), or files of the open folder
 * changed on disk (the UI re-reads the document list and, if its article changed, the article).
 */
export const events = ['workspace:opened', 'corpus:changed'] as const;
export type EventName = (typeof events)[number];

/**
 * What the desktop preload exposes on `window.gloss`: one function per channel returning the wire Result,
 * plus a subscription to back-end events. Declared here so preload and renderer share one type.
 */
export type IpcBridge = { [C in Channel]: (input: CallInput<C>) => Promise<Result<CallOutput<C>>> } & {
  on(event: EventName, listener: () => void): () => void;
};
