// spaCy's Doc JSON (what `Doc.to_json()` writes and `Doc(vocab).from_json()` reads): text, tokens, ents
// and the "sc" span group, offsets in code points (Python string indices). One array of documents. Pure.
import { CodePointIndex } from '../offsets.ts';
import { assignLayers, tokenizeSpans, type Token } from './tokenize.ts';
import type { ExportContext, ExportDocument, FormatWriter, OutputChunk } from './types.ts';

/** Name of the single output file. */
export const SPACY_FILE = 'spacy.json';

/** The span group holding every span, overlaps included; "sc" is spaCy's default for its span categorizer. */
export const SPAN_GROUP = 'sc';

interface JsonSpan {
  start: number;
  end: number;
  label: string;
  kb_id: string;
}

/**
 * The token list spaCy rebuilds from these tokens and the text: it gives each token at most one trailing
 * " " and turns any other whitespace into a token of its own (spaCy's `get_words_and_spaces`), and
 * `from_json` insists that its list and ours agree. So whitespace runs, less a single space after a
 * token, are tokens here too.
 */
function spacyTokens(text: string, tokens: readonly Token[]): Array<{ id: number; start: number; end: number }> {
  const index = new CodePointIndex(text);
  const out: Array<{ id: number; start: number; end: number }> = [];
  const push = (start: number, end: number): void => {
    out.push({ id: out.length, start, end });
  };
  let pos = 0;
  for (const t of tokens) {
    if (t.start > pos) push(pos, t.start);
    push(t.start, t.end);
    pos = t.end;
    if (pos < index.length && text[index.toUtf16(pos)] === ' ') pos++;
  }
  if (pos < index.length) push(pos, index.length);
  return out;
}

const escapeLineSeparators = (json: string): string => json.replace(/[\u2028\u2029]/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));

/**
 * The spaCy writer: `spacy.json`, an array with one object per document (one per line). `ents` is the
 * non-overlapping layer (longest first, as in the CoNLL export), `spans.sc` every span; both start and end
 * on token boundaries because tokens are cut at every span edge. A span with whitespace at an edge is
 * narrowed to its non-whitespace part (reported); one that covers no token is left out (reported).
 */
export const writer: FormatWriter = {
  name: 'spacy',
  description: "spaCy Doc JSON (Doc.from_json): text, tokens, ents and spans['sc'], code point offsets",
  defaultOutput: SPACY_FILE,
  begin: (): OutputChunk[] => [{ file: SPACY_FILE, data: '[' }],
  document(doc: ExportDocument, index: number, ctx: ExportContext): OutputChunk[] {
    const { tokens, ranges } = tokenizeSpans(doc.text, doc.annotations);
    const layers = assignLayers(ranges, tokens.length);
    const ents: JsonSpan[] = [];
    const group: JsonSpan[] = [];
    doc.annotations.forEach((a, i) => {
      const { first, last } = ranges[i];
      if (last <= first) {
        ctx.report({ file: doc.path, reason: `annotation ${a.id} (${a.label}) covers no token (only whitespace, or empty); left out` });
        return;
      }
      const span = { start: tokens[first].start, end: tokens[last - 1].end, label: a.label, kb_id: '' };
      if (span.start !== a.start || span.end !== a.end) {
        ctx.report({ file: doc.path, reason: `annotation ${a.id} (${a.label}) has whitespace at an edge; exported as ${span.start}-${span.end} instead of ${a.start}-${a.end}` });
      }
      group.push(span);
      if (layers[i] === 0) ents.push(span);
    });
    ents.sort((x, y) => x.start - y.start);
    const json = {
      text: doc.text,
      ents: ents.map(({ start, end, label }) => ({ start, end, label })),
      spans: { [SPAN_GROUP]: group },
      meta: { id: doc.id, path: doc.path, title: doc.meta.title, dct: doc.meta.dct },
      tokens: spacyTokens(doc.text, tokens),
    };
    return [{ file: SPACY_FILE, data: (index > 0 ? ',\n' : '\n') + escapeLineSeparators(JSON.stringify(json)) }];
  },
  end: (): OutputChunk[] => [{ file: SPACY_FILE, data: '\n]\n' }],
};
