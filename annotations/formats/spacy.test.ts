// Tests of the spaCy Doc JSON export: golden file, and Python (no spaCy: it cannot be installed here)
// slicing every span by code points and checking the token list is the one spaCy's from_json rebuilds.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Annotation } from '../model.ts';
import { CodePointIndex } from '../offsets.ts';
import { edgeDocument } from './conll-spacy.fixture.ts';
import { defaultSelection, fixtureDocuments, runWriter, spanOf } from './events-w3c.fixture.ts';
import { writer } from './spacy.ts';
import { WHITESPACE } from './tokenize.ts';
import type { ExportDocument } from './types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const GOLDEN = path.join(here, '__golden__/spacy/spacy.json');
const PYTHON = '/usr/bin/python3';

const exported = (): ExportDocument[] => [...defaultSelection(fixtureDocuments()), edgeDocument()];

const EDGE_SPACE = new RegExp(`^${WHITESPACE.source}+|${WHITESPACE.source}+$`, 'g');

/**
 * Checks, in Python, of an exported file against the texts the annotations quote: every span of
 * spans.sc slices (Python str indices, i.e. code points) to its expected text; ents are sorted, do not
 * overlap and are spans of sc; every span starts and ends on token edges (what char_span needs); and
 * the tokens are those spaCy rebuilds from them and the text: in order, ids 0..n-1, non-whitespace
 * tokens without whitespace, one " " allowed after a non-whitespace token, any other whitespace a token
 * of its own, never two whitespace tokens in a row, all of the text covered.
 */
const CHECK_SCRIPT = String.raw`
import json, sys
docs = json.load(open(sys.argv[1], encoding='utf-8'))
expected = json.load(open(sys.argv[2], encoding='utf-8'))
assert isinstance(docs, list) and len(docs) == len(expected), (len(docs), len(expected))
counts = {'documents': 0, 'tokens': 0, 'ents': 0, 'spans': 0}
for d, want in zip(docs, expected):
    text, tokens = d['text'], d['tokens']
    pos, prev = 0, None  # prev: None at the start, else whether the previous token is whitespace
    for i, t in enumerate(tokens):
        assert t['id'] == i, t
        piece = text[t['start']:t['end']]
        assert piece != '', t
        ws = piece.isspace()
        assert ws or not any(c.isspace() for c in piece), piece
        start = pos + 1 if prev is False and text[pos:pos + 1] == ' ' else pos
        assert t['start'] == start, (i, t, start)
        assert not (ws and prev is True), 'two whitespace tokens in a row'
        pos, prev = t['end'], ws
    tail = text[pos + 1:] if prev is False and text[pos:pos + 1] == ' ' else text[pos:]
    assert tail == '', repr(tail)
    starts = {t['start'] for t in tokens}
    ends = {t['end'] for t in tokens}
    sc = d['spans']['sc']
    assert [[s['label'], text[s['start']:s['end']]] for s in sc] == want, ([[s['label'], text[s['start']:s['end']]] for s in sc], want)
    for s in sc:
        assert s['start'] in starts and s['end'] in ends, s
        assert set(s) == {'start', 'end', 'label', 'kb_id'}, s
    ents = d['ents']
    keys = {(s['start'], s['end'], s['label']) for s in sc}
    for a, b in zip(ents, ents[1:]):
        assert a['end'] <= b['start'], (a, b)
    for e in ents:
        assert (e['start'], e['end'], e['label']) in keys, e
    counts['documents'] += 1
    counts['tokens'] += len(tokens)
    counts['ents'] += len(ents)
    counts['spans'] += len(sc)
print(json.dumps(counts))
`;

/** Run the Python checks on an export of `docs` (or on `content` in its place); what the script counted. */
function checkWithPython(docs: ExportDocument[], content?: string): { documents: number; tokens: number; ents: number; spans: number } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gloss-spacy-'));
  try {
    const file = path.join(dir, 'spacy.json');
    writeFileSync(file, content ?? runWriter(writer, docs).files.get('spacy.json') ?? '');
    // The expected texts come from the annotations' own quotes, trimmed where the export narrows a span.
    const expected = docs.map((d) => d.annotations.map((a) => [a.label, a.text.replace(EDGE_SPACE, '')]).filter(([, t]) => t !== ''));
    const side = path.join(dir, 'expected.json');
    writeFileSync(side, JSON.stringify(expected));
    return JSON.parse(execFileSync(PYTHON, ['-c', CHECK_SCRIPT, file, side], { encoding: 'utf8' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('spaCy export', () => {
  it('matches the golden file and reports the spans it narrowed or left out', () => {
    const run = runWriter(writer, exported());
    expect([...run.files.keys()]).toEqual(['spacy.json']);
    expect(run.files.get('spacy.json')).toBe(readFileSync(GOLDEN, 'utf8'));
    expect(run.problems).toEqual([
      { file: 'edge/hizb.txt', reason: 'annotation e-beirut (LOCATION) has whitespace at an edge; exported as 36-42 instead of 35-42' },
      { file: 'edge/hizb.txt', reason: 'annotation e-blank (LOCATION) covers no token (only whitespace, or empty); left out' },
    ]);
  });

  it('passes the Python checks: spans slice to their text by code points, tokens as spaCy rebuilds them', () => {
    expect(checkWithPython(exported())).toEqual({ documents: 4, tokens: 122, ents: 23, spans: 28 });
  });

  it('has Python checks that catch UTF-16 offsets, the usual exporter bug after an emoji', () => {
    const docs = exported();
    type Doc = { text: string; ents: Span[]; spans: { sc: Span[] }; tokens: Span[] };
    type Span = { start: number; end: number };
    const parsed = JSON.parse(runWriter(writer, docs).files.get('spacy.json') ?? '') as Doc[];
    for (const d of parsed) {
      const index = new CodePointIndex(d.text);
      for (const s of [...d.ents, ...d.spans.sc, ...d.tokens]) [s.start, s.end] = [index.toUtf16(s.start), index.toUtf16(s.end)];
    }
    expect(() => checkWithPython(docs, JSON.stringify(parsed))).toThrow(/AssertionError/);
  });

  it('puts the non-overlapping layer in ents, longest first, and every span in spans.sc', () => {
    const [raqqa] = JSON.parse(runWriter(writer, exported()).files.get('spacy.json') ?? '') as Array<{
      text: string;
      ents: Array<{ start: number; end: number; label: string }>;
      spans: { sc: Array<{ start: number; end: number; label: string }> };
      meta: Record<string, unknown>;
    }>;
    const cps = Array.from(raqqa.text);
    const show = (s: { start: number; end: number; label: string }) => `${s.label} ${cps.slice(s.start, s.end).join('')}`;
    expect(raqqa.ents.map(show)).toContain('CASUALTIES eight civilians, including "three children"');
    expect(raqqa.ents.map(show)).not.toContain('CASUALTIES three children');
    expect(raqqa.ents.map(show)).toContain('EVENT airstrike');
    expect(raqqa.ents.map(show)).not.toContain('WEAPON airstrike');
    expect(raqqa.spans.sc.map(show)).toEqual(expect.arrayContaining(['CASUALTIES three children', 'WEAPON airstrike', 'PERSON Jose\u0301', 'LOCATION الرَّقَّة']));
    expect(raqqa.meta).toEqual({ id: 'd0a1b2c3d4e5f6a7b', path: '2017/raqqa "strike", part 1.txt', title: 'Strike on "Raqqa", 30 August', dct: '2017-08-30' });
  });

  it('escapes U+2028 and U+2029, handles an empty text, and writes an empty array for no documents', () => {
    const text = 'Line one\u2028Aleppo 😀 after  two spaces\u2029 end ';
    const stamp = { author: 'a', created: 'c', modified: 'm' };
    const annotations: Annotation[] = [{ id: 'x', label: 'LOCATION', ...spanOf(text, 'Aleppo'), text: 'Aleppo', ...stamp }];
    const docs: ExportDocument[] = [
      { id: 'ls', path: 'ls.txt', text, meta: { title: 't', dct: null, status: 'new' }, annotations, relations: [] },
      { id: 'empty', path: 'empty.txt', text: '', meta: { title: '', dct: null, status: 'new' }, annotations: [], relations: [] },
    ];
    const out = runWriter(writer, docs).files.get('spacy.json') ?? '';
    expect(out).not.toMatch(/[\u2028\u2029]/);
    expect(out).toContain('\\u2028');
    expect(checkWithPython(docs)).toEqual({ documents: 2, tokens: 11, ents: 1, spans: 1 });
    expect(JSON.parse(runWriter(writer, []).files.get('spacy.json') ?? '')).toEqual([]);
  });
});
