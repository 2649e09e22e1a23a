// Export to W3C Web Annotation JSON-LD: one AnnotationCollection whose embedded page holds every span
// (TextQuoteSelector + TextPositionSelector in code points) and every relation (a "linking" annotation).
import { contextOf } from '../anchors.ts';
import type { Annotation, Relation } from '../model.ts';
import { CodePointIndex, sliceCodePoints } from '../offsets.ts';
import type { ExportContext, ExportDocument, FormatWriter, OutputChunk } from './types.ts';

/** The JSON-LD context every Web Annotation document names. */
export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';

const FILE = 'annotations.jsonld';
/** Indentation of an item inside `first.items`, so the streamed file reads like one pretty-printed object. */
const ITEM_INDENT = '      ';

/**
 * IRIs are URNs under `urn:gloss:`: the document is `urn:gloss:doc:<docId>`, an annotation
 * `urn:gloss:doc:<docId>:annotation:<id>`, a relation `...:relation:<id>`. Ids are percent-encoded so
 * any imported id ("T1", "a b", "é") still gives a valid IRI.
 */
export function documentIri(docId: string): string {
  return `urn:gloss:doc:${encodeURIComponent(docId)}`;
}

/** The IRI of one annotation of a document. */
export function annotationIri(docId: string, annotationId: string): string {
  return `${documentIri(docId)}:annotation:${encodeURIComponent(annotationId)}`;
}

/** The IRI of the "linking" annotation that carries one relation. */
export function relationIri(docId: string, relationId: string): string {
  return `${documentIri(docId)}:relation:${encodeURIComponent(relationId)}`;
}

/** Per-export state, keyed by the export's context so concurrent exports through the one writer stay apart. */
interface Run {
  items: number;
  /** FNV-1a 64 over the exported document ids: the collection's id names what was exported. */
  hash: bigint;
}
const runs = new WeakMap<ExportContext, Run>();
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;

function runOf(ctx: ExportContext): Run {
  let run = runs.get(ctx);
  if (!run) {
    run = { items: 0, hash: FNV_OFFSET };
    runs.set(ctx, run);
  }
  return run;
}

function mix(hash: bigint, s: string): bigint {
  // Code units, then a separator no id contains, so ["ab","c"] and ["a","bc"] hash apart.
  for (let i = 0; i <= s.length; i++) {
    hash ^= BigInt(i < s.length ? s.charCodeAt(i) : 0x1f);
    hash = (hash * FNV_PRIME) & MASK64;
  }
  return hash;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The model requires xsd:dateTime with a timezone. Gloss writes ISO strings in UTC; anything else that
 * still parses is rewritten in UTC, and what does not parse is left out rather than exported invalid.
 */
function dateTime(value: string): string | undefined {
  if (DATE_TIME.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Keys sorted at every level, so the same attributes always serialise to the same text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function stamps(a: { created: string; modified: string; author: string }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (a.author) out.creator = { type: 'Person', name: a.author };
  const created = dateTime(a.created);
  if (created) out.created = created;
  const modified = dateTime(a.modified);
  if (modified) out.modified = modified;
  return out;
}

/** One span as a Web Annotation: classifying body (the label), describing body (attrs), commenting body (note). */
export function spanAnnotation(doc: ExportDocument, a: Annotation, index: CodePointIndex): Record<string, unknown> {
  const body: Record<string, unknown>[] = [{ type: 'TextualBody', value: a.label, purpose: 'classifying' }];
  if (a.attrs && Object.keys(a.attrs).length > 0) {
    body.push({ type: 'TextualBody', value: canonicalJson(a.attrs), format: 'application/json', purpose: 'describing' });
  }
  if (a.note) body.push({ type: 'TextualBody', value: a.note, format: 'text/plain', purpose: 'commenting' });
  // Quote and context come from the document text, not the stored copy: they must agree with the positions.
  const exact = sliceCodePoints(doc.text, a.start, a.end, index);
  const { prefix, suffix } = contextOf(doc.text, a.start, a.end, index);
  const quote: Record<string, unknown> = { type: 'TextQuoteSelector', exact };
  if (prefix) quote.prefix = prefix;
  if (suffix) quote.suffix = suffix;
  return {
    id: annotationIri(doc.id, a.id),
    type: 'Annotation',
    motivation: 'classifying',
    ...stamps(a),
    body,
    target: {
      type: 'SpecificResource',
      source: documentIri(doc.id),
      selector: [quote, { type: 'TextPositionSelector', start: a.start, end: a.end }],
    },
  };
}

/**
 * A relation as a Web Annotation. The model has no relations, and an annotation's targets are an
 * unordered set, so two targets would lose the direction: the target is the `from` annotation, a
 * SpecificResource body with purpose "linking" is the `to` annotation, and a tagging body names the type.
 * Relations carry no author or dates in Gloss, so these annotations have none either.
 */
export function relationAnnotation(doc: ExportDocument, r: Relation): Record<string, unknown> {
  return {
    id: relationIri(doc.id, r.id),
    type: 'Annotation',
    motivation: 'linking',
    body: [
      { type: 'SpecificResource', source: annotationIri(doc.id, r.to), purpose: 'linking' },
      { type: 'TextualBody', value: r.type, purpose: 'tagging' },
    ],
    target: annotationIri(doc.id, r.from),
  };
}

function indent(json: string): string {
  return ITEM_INDENT + json.replace(/\n/g, `\n${ITEM_INDENT}`);
}

/** The W3C Web Annotation writer. */
export const writer: FormatWriter = {
  name: 'w3c',
  description: 'W3C Web Annotation JSON-LD (an AnnotationCollection; TextQuote + TextPosition selectors, code points)',
  defaultOutput: FILE,
  begin(ctx: ExportContext): OutputChunk[] {
    runs.set(ctx, { items: 0, hash: FNV_OFFSET });
    const head = [
      '{',
      `  "@context": ${JSON.stringify(ANNO_CONTEXT)},`,
      '  "type": "AnnotationCollection",',
      '  "label": "Annotations exported from Gloss",',
      '  "first": {',
      '    "type": "AnnotationPage",',
      '    "startIndex": 0,',
      '    "items": [',
    ].join('\n');
    return [{ file: FILE, data: head }];
  },
  document(doc: ExportDocument, _index: number, ctx: ExportContext): OutputChunk[] {
    const run = runOf(ctx);
    run.hash = mix(run.hash, doc.id);
    const index = new CodePointIndex(doc.text);
    const ids = new Set(doc.annotations.map((a) => a.id));
    const items: Record<string, unknown>[] = doc.annotations.map((a) => spanAnnotation(doc, a, index));
    for (const r of doc.relations) {
      if (!ids.has(r.from) || !ids.has(r.to)) {
        ctx.report({ file: doc.path, reason: `relation ${r.id} (${r.type}) links an annotation that is not exported; left out` });
        continue;
      }
      items.push(relationAnnotation(doc, r));
    }
    if (items.length === 0) return [];
    const data = items.map((item, i) => (run.items + i === 0 ? '\n' : ',\n') + indent(JSON.stringify(item, null, 2))).join('');
    run.items += items.length;
    return [{ file: FILE, data }];
  },
  end(ctx: ExportContext): OutputChunk[] {
    const run = runOf(ctx);
    runs.delete(ctx);
    const id = `urn:gloss:collection:${run.hash.toString(16).padStart(16, '0')}`;
    const page = `${id}:page:0`;
    const tail = [
      run.items > 0 ? '\n    ],' : '],',
      `    "id": ${JSON.stringify(page)}`,
      '  },',
      `  "last": ${JSON.stringify(page)},`,
      `  "total": ${run.items},`,
      `  "id": ${JSON.stringify(id)}`,
      '}',
      '',
    ].join('\n');
    return [{ file: FILE, data: tail }];
  },
};
