// The domain model of Gloss: labels, documents, annotations, and the on-disk shapes of the store.
// Pure: zod schemas and types only, so the renderer, the shells and the store all share one definition.
import { z } from 'zod';

/** Unit of every stored offset: Unicode code points, as Python and the W3C model count. */
export const OFFSET_UNIT = 'codepoint' as const;

/** Kinds of attribute value: free text, a number, one of a list, a TIMEX3-style date, yes/no, a corpus entity. */
export const AttributeType = z.enum(['text', 'number', 'enum', 'date', 'boolean', 'entity']);
export type AttributeType = z.infer<typeof AttributeType>;

/** A typed field of a label (CASUALTIES: low, high, group ...); values live in `Annotation.attrs`. */
export const AttributeDef = z.object({
  name: z.string().min(1).max(64).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a letter or _, then letters, digits and _'),
  type: AttributeType,
  /** The allowed values of an enum attribute. */
  values: z.array(z.string().min(1).max(64)).max(200).optional(),
  description: z.string().max(500).optional(),
});
export type AttributeDef = z.infer<typeof AttributeDef>;

/** A label of the annotation schema (PERSON, ORG, ...). `key` is the keyboard shortcut. */
export const LabelDef = z.object({
  name: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
  key: z.string().max(1),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  description: z.string().max(500).default(''),
  /** Typed fields of annotations with this label; absent means none. */
  attributes: z.array(AttributeDef).max(50).optional(),
});
export type LabelDef = z.infer<typeof LabelDef>;

/**
 * A relation type of the schema: a directed link from an annotation with one of the `from` labels to one
 * with one of the `to` labels (EVENT -place-> LOCATION). An empty list allows any label at that end.
 */
export const RelationTypeDef = z.object({
  name: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
  from: z.array(z.string().min(1).max(64)).max(200),
  to: z.array(z.string().min(1).max(64)).max(200),
  description: z.string().max(500).optional(),
});
export type RelationTypeDef = z.infer<typeof RelationTypeDef>;

/** A corpus-wide entity (one actor, person or place) that PERSON/ORG/LOCATION mentions link to by `attrs.entity`. */
export const EntityRecord = z.object({
  id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_:.-]+$/),
  name: z.string().min(1).max(300),
  /** The label its mentions carry (PERSON, ORG, LOCATION ...). */
  type: z.string().min(1).max(64),
  aliases: z.array(z.string().min(1).max(300)).max(500),
  note: z.string().max(10_000).optional(),
});
export type EntityRecord = z.infer<typeof EntityRecord>;

/** An annotation: a labelled span of a document's text, offsets in code points, end exclusive. */
export const Annotation = z.object({
  id: z.string().min(1).max(64),
  label: z.string().min(1).max(64),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /** The quoted text at [start, end) when the annotation was made; used to re-anchor. */
  text: z.string(),
  /**
   * Up to 32 code points of text before and after the span when it was saved, so it can be found again
   * when the file changes (see anchors.ts). Optional: files saved before they existed still validate.
   */
  prefix: z.string().optional(),
  suffix: z.string().optional(),
  author: z.string(),
  created: z.string(),
  modified: z.string(),
  attrs: z.record(z.string(), z.unknown()).optional(),
  note: z.string().optional(),
  /** What proposed it, when not the analyst by hand (e.g. "suggest:dates@1", "import:brat"). */
  source: z.string().max(200).optional(),
  /** How sure the engine that proposed it was, in [0, 1]. */
  score: z.number().min(0).max(1).optional(),
  /** A suggestion the analyst has not accepted yet; exports leave these out unless asked. */
  pending: z.boolean().optional(),
});
export type Annotation = z.infer<typeof Annotation>;

/** A typed, directed link between two annotations of one document (e.g. EVENT -place-> LOCATION). */
export const Relation = z.object({
  id: z.string().min(1).max(64),
  type: z.string().min(1).max(64),
  /** Annotation ids. */
  from: z.string().min(1).max(64),
  to: z.string().min(1).max(64),
});
export type Relation = z.infer<typeof Relation>;

/** Where the analyst is with a document. */
export const DocumentStatus = z.enum(['new', 'in-progress', 'done']);
export type DocumentStatus = z.infer<typeof DocumentStatus>;

/** One article of the corpus as the workspace index knows it (no text: texts load on demand). */
export const DocumentEntry = z.object({
  /** Stable id derived from the relative path. */
  id: z.string(),
  /** Path relative to the corpus folder, always with forward slashes. */
  path: z.string(),
  /** sha256 of the decoded, LF-normalized text. */
  hash: z.string(),
  size: z.number(),
  mtimeMs: z.number(),
  encoding: z.string(),
  title: z.string(),
  /** Publication date (document creation time) as YYYY-MM-DD, when known. */
  dct: z.string().nullable(),
  dctSource: z.enum(['detected', 'user']).nullable(),
  /** Number of characters (code points) of the text. */
  length: z.number(),
  annotationCount: z.number(),
  /** Review state; absent means new. */
  status: DocumentStatus.optional(),
});
export type DocumentEntry = z.infer<typeof DocumentEntry>;

export const WORKSPACE_FORMAT = 'gloss-workspace';
export const WORKSPACE_VERSION = 1;
export const DOCUMENT_FORMAT = 'gloss-document';
export const DOCUMENT_VERSION = 1;

/** How often the store is copied to `backups/` (minutes of work between copies) and how many copies stay. */
export const BackupSettings = z.object({
  intervalMinutes: z.number().min(1).max(10_080).optional(),
  keep: z.number().int().min(1).max(1000).optional(),
});
export type BackupSettings = z.infer<typeof BackupSettings>;

/** The workspace file: label schema, document index and settings of one corpus folder. */
export const WorkspaceFile = z.object({
  format: z.literal(WORKSPACE_FORMAT),
  version: z.literal(WORKSPACE_VERSION),
  created: z.string(),
  labels: z.array(LabelDef),
  /** Relation types of the schema; absent in workspaces made before relations (the defaults are added). */
  relationTypes: z.array(RelationTypeDef).optional(),
  /** Corpus-wide entities. */
  entities: z.array(EntityRecord).optional(),
  documents: z.array(DocumentEntry),
  settings: z.object({ author: z.string().optional(), backups: BackupSettings.optional() }).passthrough(),
});
export type WorkspaceFile = z.infer<typeof WorkspaceFile>;

/** One store file per document: its annotations. */
export const DocumentFile = z.object({
  format: z.literal(DOCUMENT_FORMAT),
  version: z.literal(DOCUMENT_VERSION),
  docId: z.string(),
  path: z.string(),
  /** Hash of the text the offsets refer to. */
  hash: z.string(),
  offsetUnit: z.literal(OFFSET_UNIT),
  annotations: z.array(Annotation),
  /** Links between this document's annotations; absent in files that have none. */
  relations: z.array(Relation).optional(),
  /** Suggestions the analyst rejected: never proposed again for the same label and span. */
  rejected: z.array(z.object({ label: z.string(), start: z.number().int(), end: z.number().int(), text: z.string() })).optional(),
});
export type DocumentFile = z.infer<typeof DocumentFile>;

/** Why a file of the folder was not opened as an article. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** A store file that could not be read; it was moved aside, never overwritten. */
export interface StoreProblem {
  file: string;
  movedTo: string;
  reason: string;
  /** The newest backup that holds a good copy of this file, when one does (restore with `backups:restore`). */
  backup?: { id: string; created: string };
}
