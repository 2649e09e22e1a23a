// What an export keeps of a document under the user's choices. Pure: shared by the export driver and tests.
import type { ExportDocument, ExportOptions } from './types.ts';

const byPosition = (a: { start: number; end: number; id: string }, b: { start: number; end: number; id: string }) =>
  a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Keep the chosen labels (all when none are named) and, unless asked, leave out suggestions never
 * accepted; relations that lose an end go with them. Annotations come out sorted by position.
 */
export function selectForExport(doc: ExportDocument, options: Pick<ExportOptions, 'labels' | 'includePending'>): ExportDocument {
  const chosen = options.labels ? new Set(options.labels) : null;
  const annotations = doc.annotations
    .filter((a) => (!chosen || chosen.has(a.label)) && (options.includePending || !a.pending))
    .sort(byPosition);
  const ids = new Set(annotations.map((a) => a.id));
  return { ...doc, annotations, relations: doc.relations.filter((r) => ids.has(r.from) && ids.has(r.to)) };
}
