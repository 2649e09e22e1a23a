// Tests of the CoNLL-2003 BIO export and import: golden files, NLTK's ConllCorpusReader reading the export
// (Debian's python3-nltk), layer files for overlapping spans, and the reader's round trip and problems.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Annotation } from '../model.ts';
import { sliceCodePoints } from '../offsets.ts';
import { reader, writer } from './conll.ts';
import { edgeDocument } from './conll-spacy.fixture.ts';
import { defaultSelection, fixtureDocuments, runWriter } from './events-w3c.fixture.ts';
import { WHITESPACE } from './tokenize.ts';
import type { ExportDocument, ImportedDocument, InputFile } from './types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const GOLDEN = path.join(here, '__golden__/conll');
const PYTHON = '/usr/bin/python3';

/** The documents as the export driver hands them over with default choices (no pending suggestions). */
const exported = (): ExportDocument[] => [...defaultSelection(fixtureDocuments()), edgeDocument()];

const squeeze = (s: string): string => Array.from(s).filter((ch) => !WHITESPACE.test(ch)).join('');

/** Read CoNLL files with NLTK; per file, per document (split at the empty grid -DOCSTART- leaves), its
 * sentences as [word, tag] pairs and the entities of chunked_sents() as [label, words joined]. */
const NLTK_SCRIPT = String.raw`
import json, sys
from nltk.corpus.reader import ConllCorpusReader
root, files = sys.argv[1], sys.argv[2:]
out = {}
for f in files:
    r = ConllCorpusReader(root, [f], ('words', 'pos', 'ignore', 'chunk'))
    docs = []
    for sent, tree in zip(r.iob_sents(), r.chunked_sents()):
        if len(sent) == 0:
            docs.append({'sentences': [], 'entities': []})
            continue
        assert all(pos == '-X-' for (_, pos, _) in sent), sent
        doc = docs[-1]
        doc['sentences'].append([[w, tag] for (w, _, tag) in sent])
        for sub in tree:
            if hasattr(sub, 'label'):
                doc['entities'].append([sub.label(), ''.join(w for (w, _) in sub.leaves())])
    out[f] = docs
print(json.dumps(out, ensure_ascii=False))
`;

interface NltkDocument {
  sentences: Array<Array<[string, string]>>;
  entities: Array<[string, string]>;
}

function readWithNltk(dir: string, files: string[]): Record<string, NltkDocument[]> {
  const out = execFileSync(PYTHON, ['-c', NLTK_SCRIPT, dir, ...files], { encoding: 'utf8' });
  return JSON.parse(out) as Record<string, NltkDocument[]>;
}

/** An imported document as the export driver would hand it back (fields a store would fill in). */
function asExport(doc: ImportedDocument, i: number): ExportDocument {
  const annotations: Annotation[] = doc.annotations.map((a, k) => ({
    id: `i${i}-${k}`,
    label: a.label,
    start: a.start,
    end: a.end,
    text: sliceCodePoints(doc.text, a.start, a.end),
    author: 'import',
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
  }));
  annotations.sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1));
  return { id: `doc${i}`, path: doc.path ?? `doc${i}.txt`, text: doc.text, meta: { title: '', dct: null, status: 'new' }, annotations, relations: [] };
}

const filesOf = (run: { files: Map<string, string> }): InputFile[] => [...run.files].map(([p, content]) => ({ path: `conll/${p}`, content }));

describe('CoNLL export', () => {
  it('matches the golden files and reports what it could not put in the main file', () => {
    const run = runWriter(writer, exported());
    expect([...run.files.keys()].sort()).toEqual(readdirSync(GOLDEN).sort());
    for (const [file, text] of run.files) expect(text, file).toBe(readFileSync(path.join(GOLDEN, file), 'utf8'));
    expect(run.problems).toEqual([
      { file: '2017/raqqa "strike", part 1.txt', reason: '2 of 13 annotations overlap others; written to layer-2.conll (2)' },
      { file: 'edge/hizb.txt', reason: 'annotation e-blank (LOCATION) "   " covers no token (only whitespace, or empty); left out' },
      { file: 'edge/hizb.txt', reason: '3 of 9 annotations overlap others; written to layer-2.conll (2), layer-3.conll (1)' },
    ]);
  });

  it('writes the CoNLL-2003 layout: -DOCSTART- block, four columns, a blank line after each sentence', () => {
    const text = runWriter(writer, exported()).files.get('corpus.conll') ?? '';
    expect(text.startsWith('-DOCSTART- -X- -X- O\n\nCoalition -X- -X- O\n')).toBe(true);
    expect(text.endsWith('. -X- -X- O\n\n')).toBe(true);
    for (const line of text.split('\n')) {
      if (line === '') continue;
      expect(line.split(' '), line).toHaveLength(4);
      expect(line).toMatch(/^\S+ -X- -X- (O|[BI]-[A-Z]+)$/u);
    }
  });

  it('writes a document without tokens as its -DOCSTART- block alone', () => {
    const doc: ExportDocument = { id: 'e', path: 'blank.txt', text: ' \n\n', meta: { title: '', dct: null, status: 'new' }, annotations: [], relations: [] };
    expect(runWriter(writer, [doc]).files.get('corpus.conll')).toBe('-DOCSTART- -X- -X- O\n\n');
  });

  describe("read by NLTK's ConllCorpusReader", () => {
    let dir = '';
    let nltk: Record<string, NltkDocument[]> = {};
    const docs = exported();

    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'gloss-conll-'));
      const run = runWriter(writer, docs);
      for (const [file, text] of run.files) writeFileSync(path.join(dir, file), text);
      nltk = readWithNltk(dir, [...run.files.keys()].sort());
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('finds every document and sentence, and every character of the text in the words', () => {
      const main = nltk['corpus.conll'];
      expect(main).toHaveLength(4);
      expect(main.map((d) => d.sentences.length)).toEqual([4, 1, 2, 2]);
      main.forEach((d, i) => expect(d.sentences.flat().map(([w]) => w).join('')).toBe(squeeze(docs[i].text)));
    });

    it('gives the tags of the emoji and the Arabic sentences', () => {
      expect(nltk['corpus.conll'][0].sentences[0]).toEqual([
        ['Coalition', 'O'],
        ['strikes', 'O'],
        ['hit', 'O'],
        ['Raqqa', 'B-LOCATION'],
        ['🇸🇾', 'O'],
        ['on', 'O'],
        ['29', 'B-DATE'],
        ['August', 'I-DATE'],
        [',', 'I-DATE'],
        ['2017', 'I-DATE'],
        ['.', 'O'],
      ]);
      expect(nltk['corpus.conll'][2].sentences[1]).toEqual([
        ['قُتِلَ', 'B-EVENT'],
        ['5', 'B-CASUALTIES'],
        ['مدنيين', 'I-CASUALTIES'],
        ['في', 'O'],
        ['الباغوز', 'B-LOCATION'],
        ['.', 'O'],
      ]);
      expect(nltk['corpus.conll'][3].sentences[1].slice(6, 10)).toEqual([
        ['Hizb’s', 'I-ORG'],
        ['chief', 'I-ORG'],
        ['👨‍👩‍👧', 'O'],
        ['fled', 'O'],
      ]);
    });

    it('loses no span: the main file and the layer files together hold every annotation that covers a token', () => {
      const layers = ['corpus.conll', 'layer-2.conll', 'layer-3.conll'];
      // Layer files hold only the documents that need them, in corpus order: Raqqa and the edge document.
      expect(layers.map((f) => nltk[f].length)).toEqual([4, 2, 1]);
      const inFile = (file: string, doc: number): Array<[string, string]> => {
        const docsOfFile = nltk[file];
        if (file === 'corpus.conll') return docsOfFile[doc].entities;
        const index = file === 'layer-2.conll' ? { 0: 0, 3: 1 } : { 3: 0 };
        const k = (index as Record<number, number>)[doc];
        return k === undefined ? [] : docsOfFile[k].entities;
      };
      docs.forEach((doc, i) => {
        const found = layers.flatMap((f) => inFile(f, i)).map(([l, t]) => `${l} ${t}`);
        const expected = doc.annotations.filter((a) => squeeze(a.text) !== '').map((a) => `${a.label} ${squeeze(a.text)}`);
        expect(found.sort(), doc.path).toEqual(expected.sort());
      });
      // The main layer keeps the outer of nested spans.
      expect(nltk['corpus.conll'][0].entities).toContainEqual(['CASUALTIES', 'eightcivilians,including"threechildren"']);
      expect(nltk['layer-2.conll'][0].entities).toEqual([
        ['WEAPON', 'airstrike'],
        ['CASUALTIES', 'threechildren'],
      ]);
    });
  });
});

describe('CoNLL import', () => {
  it('reads its own export back, the layer files merged into their documents', () => {
    const docs = exported();
    const { documents, problems } = reader.read(filesOf(runWriter(writer, docs)));
    expect(problems).toEqual([]);
    expect(documents.map((d) => d.path)).toEqual(['conll/corpus-001.txt', 'conll/corpus-002.txt', 'conll/corpus-003.txt', 'conll/corpus-004.txt']);
    expect(documents[1].text).toBe('Nothing annotated here .');
    expect(documents[2].text).toBe('Clashes in Baghuz during the week of 4 March 2019 killed dozens of fighters .\nقُتِلَ 5 مدنيين في الباغوز .');
    documents.forEach((d, i) => {
      for (const a of d.annotations) expect(sliceCodePoints(d.text, a.start, a.end)).toBe(a.text);
      const got = d.annotations.map((a) => `${a.label} ${squeeze(a.text ?? '')}`).sort();
      const want = docs[i].annotations.filter((a) => squeeze(a.text) !== '').map((a) => `${a.label} ${squeeze(a.text)}`).sort();
      expect(got, d.path).toEqual(want);
    });
    // Offsets after the flag emoji count it as two code points.
    const raqqa = documents[0];
    const date = raqqa.annotations.find((a) => a.label === 'DATE');
    expect(date).toMatchObject({ start: 34, end: 50, text: '29 August , 2017' });
  });

  it('gives the same tokens and tags when its import is exported again', () => {
    const first = runWriter(writer, exported());
    const { documents } = reader.read(filesOf(first));
    const second = runWriter(writer, documents.map(asExport));
    const lines = (s: string | undefined) => (s ?? '').split('\n').filter((l) => l !== '');
    expect([...second.files.keys()].sort()).toEqual([...first.files.keys()].sort());
    for (const [file, text] of first.files) expect(lines(second.files.get(file)), file).toEqual(lines(text));
  });

  it('reads IOB1 (CoNLL-2003 as published) and BIOES, and reports the I- that began entities once per file', () => {
    const file = {
      path: 'eng.conll',
      content: [
        '-DOCSTART- -X- -X- O',
        '',
        'Ministers NNS I-NP O',
        'in IN I-PP O',
        'Paris NNP I-NP I-LOC',
        'met VBD I-VP O',
        'Anna NNP I-NP I-PER',
        'Berg NNP I-NP I-PER',
        'Jon NNP I-NP B-PER',
        '. . O O',
        '',
        'Oslo NNP I-NP S-LOC',
        'New NNP I-NP B-LOC',
        'York NNP I-NP E-LOC',
        '',
      ].join('\r\n'),
    };
    const { documents, problems } = reader.read([file]);
    expect(documents).toHaveLength(1);
    const [doc] = documents;
    expect(doc).toMatchObject({ path: 'eng-001.txt', text: 'Ministers in Paris met Anna Berg Jon .\nOslo New York', origin: { file: 'eng.conll', line: 1 } });
    expect(doc.annotations.map((a) => [a.label, a.text])).toEqual([
      ['LOC', 'Paris'],
      ['PER', 'Anna Berg'],
      ['PER', 'Jon'],
      ['LOC', 'Oslo'],
      ['LOC', 'New York'],
    ]);
    expect(problems).toEqual([{ file: 'eng.conll', line: 5, reason: expect.stringMatching(/^2 entities begin with I- or E- rather than B-/) }]);
  });

  it('counts offsets in code points', () => {
    const { documents } = reader.read([{ path: 'a.bio', content: '😀\tO\nCafe\u0301\tB-LOC\nالرَّقَّة\tI-LOC\n' }]);
    expect(documents[0].text).toBe('😀 Cafe\u0301 الرَّقَّة');
    expect(documents[0].annotations).toEqual([{ label: 'LOC', start: 2, end: 17, text: 'Cafe\u0301 الرَّقَّة' }]);
  });

  it('leaves out a document with a malformed line, whole, and says which file, line and why', () => {
    const content = [
      '-DOCSTART- -X- -X- O',
      '',
      'Good -X- -X- B-ORG',
      '',
      '-DOCSTART- -X- -X- O',
      '',
      'Bad -X- B-ORG',
      'tag -X- -X- X-ORG',
      'label -X- -X- B-ORG!',
      'alone',
      '',
      '-DOCSTART- -X- -X- O',
      '',
      '-DOCSTART- -X- -X- O',
      'Fine -X- -X- O',
    ].join('\n');
    const { documents, problems } = reader.read([{ path: 'dir/x.conll', content }]);
    expect(documents.map((d) => [d.path, d.text])).toEqual([
      ['dir/x-001.txt', 'Good'],
      ['dir/x-004.txt', 'Fine'],
    ]);
    expect(problems).toEqual([
      { file: 'dir/x.conll', line: 7, reason: 'expected 4 columns (as on line 3), found 3; the document of line 5 is not imported' },
      { file: 'dir/x.conll', line: 8, reason: 'tag "X-ORG" is not O, or B-, I-, E- or S- and a label; the document of line 5 is not imported' },
      { file: 'dir/x.conll', line: 9, reason: 'label "ORG!" is not a label name (letters, digits, _ and -, at most 64); the document of line 5 is not imported' },
      { file: 'dir/x.conll', line: 10, reason: 'a token line needs a token and a tag; the document of line 5 is not imported' },
      { file: 'dir/x.conll', line: 12, reason: 'document has no tokens; not imported' },
    ]);
  });

  it('reads a file without -DOCSTART- as one document', () => {
    const { documents } = reader.read([{ path: 'plain.iob', content: 'A O\nB B-X\n\nC I-X\n' }]);
    expect(documents.map((d) => [d.text, d.annotations.map((a) => a.text)])).toEqual([['A B\nC', ['B', 'C']]]);
  });

  it('imports a layer document that matches none of corpus.conll as a document of its own, with a problem', () => {
    const files = [
      { path: 'out/corpus.conll', content: '-DOCSTART- -X- -X- O\n\nOne -X- -X- O\n\n' },
      { path: 'out/layer-2.conll', content: '-DOCSTART- -X- -X- O\n\nTwo -X- -X- B-ORG\n\n' },
      { path: 'other/layer-2.conll', content: 'Three -X- -X- B-ORG\n' },
    ];
    const { documents, problems } = reader.read(files);
    expect(documents.map((d) => d.text)).toEqual(['One', 'Two', 'Three']);
    expect(problems).toEqual([{ file: 'out/layer-2.conll', line: 1, reason: 'document matches no document of corpus.conll; imported as a document of its own' }]);
  });

  it('accepts the usual CoNLL file names only', () => {
    expect(['a.conll', 'b.BIO', 'c.iob', 'd.iob2', 'e.txt', 'f.json'].map((p) => reader.accepts(p))).toEqual([true, true, true, true, false, false]);
  });
});
