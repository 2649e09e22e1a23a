// What every suggestion engine takes and returns. Pure: engines read a text and propose labelled spans
// with structured values; the workspace stores accepted ones as annotations with their provenance.

/** A proposed annotation. Offsets are Unicode code points into the LF-normalised text, end exclusive. */
export interface Suggestion {
  label: string;
  start: number;
  end: number;
  /** The text at [start, end). */
  text: string;
  /** Structured values in the label's attribute names (DATE: value, mod; CASUALTIES: low, high, approx, group, outcome; entities: entity). */
  attrs: Record<string, unknown>;
  /** Confidence in [0, 1]. */
  score: number;
  /** Which engine proposed it, with its version, e.g. "dates@1". Stored as the annotation's `source`. */
  engine: string;
}

/** A name the analyst already tagged or listed as an entity alias: the corpus's own dictionary. */
export interface KnownName {
  label: string;
  name: string;
  /** The corpus entity it belongs to, when linked. */
  entityId?: string;
}

/** Everything an engine may use besides the text. */
export interface SuggestContext {
  /** Publication date of the document (YYYY-MM-DD), the anchor for relative dates; null when unknown. */
  dct: string | null;
  /** Names learned from the corpus (accepted annotations, entity aliases). */
  known?: readonly KnownName[];
}

/** An engine: a pure function from a text to suggestions, sorted by start. */
export interface SuggestionEngine {
  name: string;
  version: number;
  suggest(text: string, ctx: SuggestContext): Suggestion[];
}
