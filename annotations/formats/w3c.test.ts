// Tests of the W3C Web Annotation export: golden file, the W3C test suite's JSON schemas run with ajv,
// code point selectors checked by Python, relations as linking annotations, and valid IRIs for any id.
import { execFileSync } from 'node:child_process';
import { promises as fsp, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { LabelDef } from '../model.ts';
import { Workspace } from '../workspace.ts';
import { defaultSelection, fixtureDocuments, runWriter } from './events-w3c.fixture.ts';
import { exportWorkspace } from './io.ts';
import type { ExportContext, ExportDocument } from './types.ts';
import { ANNO_CONTEXT, annotationIri, writer } from './w3c.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SUITE = path.resolve(here, '../../../shared/validators/web-annotation-tests');
const GOLDEN = path.join(here, '__golden__/w3c/annotations.jsonld');
const PYTHON = '/usr/bin/python3';

type Json = Record<string, unknown>;
const readJson = (file: string): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;

/** The assertion files a `.test` file of the suite lists (paths relative to the suite). */
const assertionsOf = (testFile: string): string[] => readJson(path.join(SUITE, testFile)).assertions as string[];

/** Every assertion file under a folder of the suite whose assertionType is "must". */
const mustsUnder = (folder: string): string[] =>
  readdirSync(path.join(SUITE, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => `${folder}/${f.split(path.sep).join('/')}`)
    .filter((f) => readJson(path.join(SUITE, f)).assertionType === 'must')
    .sort();

/**
 * The suite's schemas are draft-04 and refer to each other by file name (`bodyTarget.json#/...`): load
 * the definitions once, then compile each assertion. Two assertion files share an id in different
 * folders, so assertions are compiled without theirs (their refs are relative and resolve the same).
 */
function suiteValidator() {
  // meta: false leaves out ajv 6's default draft-07 meta-schema, which warns under schemaId 'id'.
  // extendRefs: a few schemas put keywords beside a $ref; apply them too (stricter than draft-04, which ignores them).
  const ajv = new Ajv({ schemaId: 'id', meta: false, format: 'full', allErrors: true, extendRefs: true });
  const require = createRequire(import.meta.url);
  ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
  for (const file of readdirSync(path.join(SUITE, 'definitions')).filter((f) => f.endsWith('.json'))) {
    ajv.addSchema(readJson(path.join(SUITE, 'definitions', file)));
  }
  const compiled = new Map<string, Ajv.ValidateFunction>();
  return (assertion: string, data: unknown): { expected: string; type: string; errors: string | null } => {
    const schema = readJson(path.join(SUITE, assertion));
    let validate = compiled.get(assertion);
    if (!validate) {
      const { id: _id, ...rest } = schema;
      validate = ajv.compile(rest);
      compiled.set(assertion, validate);
    }
    const ok = validate(data) as boolean;
    return {
      expected: schema.expectedResult as string,
      type: schema.assertionType as string,
      errors: ok ? null : ajv.errorsText(validate.errors),
    };
  };
}

/** Assertions whose outcome disagrees with the expected result, as "assertion: errors" lines. */
function failures(check: ReturnType<typeof suiteValidator>, assertions: string[], data: unknown): string[] {
  const out: string[] = [];
  for (const a of assertions) {
    const r = check(a, data);
    const passed = r.errors === null;
    if (passed !== (r.expected === 'valid')) out.push(`${a}: ${r.errors ?? 'unexpectedly valid'}`);
  }
  return out;
}

/** Optional assertions ("should"/"may") this export implements for every span annotation. */
const SPAN_OPTIONALS = [
  'annotations/3.1-bodyKeyFound.json',
  'annotations/3.3.1-annotationCreatedImplemented.json',
  'annotations/3.3.1-annotationModifiedImplemented.json',
  'annotations/3.3.1-annotationCreatorImplemented.json',
  'annotations/3.3.1-annotationSingleCreatorImplemented.json',
  'annotations/3.3.2-annotationCreatorAgentTypeImplemented.json',
  'annotations/3.3.2-annotationCreatorAgentNameImplemented.json',
  'annotations/3.3.2-annotationCreatorAgentSingleNameImplemented.json',
  'annotations/3.3.5-annotationMotivationImplemented.json',
  'annotations/3.3.5-annotationSingleMotivationImplemented.json',
  'annotations/bodiesTargets/3.2.4-bodyETB.json',
  'annotations/bodiesTargets/3.2.4-bodyETBTypeTextualBody.json',
  'annotations/bodiesTargets/3.3.5-bodyPurpose.json',
  'annotations/bodiesTargets/4-targSpecificResource.json',
  'annotations/specificResource/4.2-selectorFound.json',
  'annotations/specificResource/4.2.4-textQuoteSelector.json',
  'annotations/specificResource/4.2.5-textPositionSelector.json',
];
/** Optional assertions this export implements for every relation ("linking") annotation. */
const RELATION_OPTIONALS = [
  'annotations/3.1-bodyKeyFound.json',
  'annotations/3.3.5-annotationSingleMotivationImplemented.json',
  'annotations/bodiesTargets/3.3.5-bodyPurpose.json',
  'annotations/bodiesTargets/4-bodySpecificResource.json',
];
/** Optional assertions this export implements for the collection and its embedded page. */
const COLLECTION_OPTIONALS = [
  'collections/5.1-collectionLabelImplemented.json',
  'collections/5.1-collectionTotalImplemented.json',
  'collections/5.1-collectionFirstImplemented.json',
  'collections/5.1-collectionLastImplemented.json',
];

const exportText = (docs: ExportDocument[]) => runWriter(writer, docs).files.get('annotations.jsonld') ?? '';
const itemsOf = (collection: Json) => (collection.first as Json).items as Json[];
/** An embedded annotation standing alone: it inherits the collection's @context. */
const standalone = (item: Json): Json => ({ '@context': ANNO_CONTEXT, ...item });
const isSpan = (item: Json) => item.motivation === 'classifying';

describe('W3C Web Annotation export', () => {
  let check: ReturnType<typeof suiteValidator>;
  let text: string;
  let collection: Json;
  beforeAll(() => {
    check = suiteValidator();
    text = exportText(defaultSelection(fixtureDocuments()));
    collection = JSON.parse(text) as Json;
  });

  it('matches the golden file', () => {
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('is one AnnotationCollection with an embedded page holding every annotation and relation', () => {
    expect(collection['@context']).toBe(ANNO_CONTEXT);
    expect(collection.type).toBe('AnnotationCollection');
    const items = itemsOf(collection);
    const docs = defaultSelection(fixtureDocuments());
    const spans = docs.reduce((n, d) => n + d.annotations.length, 0);
    const relations = docs.reduce((n, d) => n + d.relations.length, 0);
    expect(items.filter(isSpan)).toHaveLength(spans);
    expect(items.filter((i) => i.motivation === 'linking')).toHaveLength(relations);
    expect(collection.total).toBe(spans + relations);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    // The pending suggestion is not there.
    expect(text).not.toContain('a-pending');
  });

  it('passes every MUST assertion of the W3C annotation test suite, for every annotation', () => {
    const musts = assertionsOf('annotations/annotationMusts.test');
    // The list is the whole set: all 54 "must" assertions of the suite's annotations/ folder.
    expect([...musts].sort()).toEqual(mustsUnder('annotations'));
    expect(musts).toHaveLength(54);
    for (const item of itemsOf(collection)) {
      expect(failures(check, musts, standalone(item)), String(item.id)).toEqual([]);
    }
  });

  it('passes the MUST assertions for collections and pages', () => {
    const musts = [...assertionsOf('collections/collectionMusts.test'), ...assertionsOf('collections/pages/pageMusts.test')];
    expect([...musts].sort()).toEqual(mustsUnder('collections'));
    expect(musts).toHaveLength(25);
    expect(failures(check, musts, collection)).toEqual([]);
  });

  it('implements the optional features it claims: creator, dates, motivation, purposes, both selectors', () => {
    for (const item of itemsOf(collection)) {
      const list = isSpan(item) ? SPAN_OPTIONALS : RELATION_OPTIONALS;
      expect(failures(check, list, standalone(item)), String(item.id)).toEqual([]);
    }
    expect(failures(check, COLLECTION_OPTIONALS, collection)).toEqual([]);
  });

  it('the schemas do reject broken annotations (the check is not vacuous)', () => {
    const good = standalone(itemsOf(collection)[0]);
    const musts = assertionsOf('annotations/annotationMusts.test');
    expect(failures(check, musts, { ...good, id: 'not a uri' })).toEqual([
      expect.stringMatching(/^annotations\/3\.1-annotationIdValidated\.json: /),
    ]);
    const { target: _t, ...noTarget } = good;
    expect(failures(check, musts, noTarget).join('\n')).toContain('3.1-targetKeyFound');
    expect(failures(check, musts, { ...good, created: '2024-05-01' }).join('\n')).toContain('3.3.1-annotationCreatedValidated');
    expect(failures(check, musts, { ...good, '@context': 'http://example.org/other' }).join('\n')).toContain('3.1-annotationContextValidated');
    const badSelector = { ...good, target: { ...(good.target as Json), selector: { type: 'TextPositionSelector', start: -1, end: 2 } } };
    expect(failures(check, SPAN_OPTIONALS, badSelector).join('\n')).toContain('4.2.5-textPositionSelector');
  });

  it('Python slices every TextPositionSelector (code points) to its TextQuoteSelector exact, prefix and suffix', () => {
    const docs = defaultSelection(fixtureDocuments());
    const texts = Object.fromEntries(docs.map((d) => [`urn:gloss:doc:${d.id}`, d.text]));
    const quotes = Object.fromEntries(docs.flatMap((d) => d.annotations.map((a) => [annotationIri(d.id, a.id), a.text])));
    const script = `
import json, sys
data = json.load(sys.stdin)
bad, checked = [], 0
for item in data['collection']['first']['items']:
    target = item['target']
    if not isinstance(target, dict):
        continue
    text = data['texts'][target['source']]
    quote = next(s for s in target['selector'] if s['type'] == 'TextQuoteSelector')
    pos = next(s for s in target['selector'] if s['type'] == 'TextPositionSelector')
    start, end = pos['start'], pos['end']
    checked += 1
    if text[start:end] != quote['exact'] or text[start:end] != data['quotes'][item['id']]:
        bad.append(item['id'])
    if not text[:start].endswith(quote.get('prefix', '')) or not text[end:].startswith(quote.get('suffix', '')):
        bad.append(item['id'] + ' context')
print(json.dumps({'checked': checked, 'bad': bad}))
`;
    const out = execFileSync(PYTHON, ['-c', script], { input: JSON.stringify({ collection, texts, quotes }), encoding: 'utf8' });
    const result = JSON.parse(out) as { checked: number; bad: string[] };
    expect(result.bad).toEqual([]);
    expect(result.checked).toBe(Object.keys(quotes).length);
  });

  it('counts code points: after a flag emoji (two astral characters) positions differ from UTF-16 ones', () => {
    const date = itemsOf(collection).find((i) => String(i.id).endsWith(':annotation:a-date'))!;
    const selectors = (date.target as Json).selector as Json[];
    const raqqa = fixtureDocuments()[0];
    expect(selectors[1]).toEqual({ type: 'TextPositionSelector', start: 34, end: 49 });
    expect(raqqa.text.indexOf('29 August, 2017')).toBe(36);
    expect(selectors[0]).toMatchObject({ exact: '29 August, 2017', prefix: 'alition strikes hit Raqqa 🇸🇾 on ' });
  });

  it('writes attributes as a describing JSON body and the note as a commenting body', () => {
    const items = itemsOf(collection);
    const cas = items.find((i) => String(i.id).endsWith(':annotation:a-cas'))!;
    const describing = (cas.body as Json[]).find((b) => b.purpose === 'describing')!;
    expect(describing.format).toBe('application/json');
    expect(JSON.parse(describing.value as string)).toEqual({ low: 8, high: 8, approx: false, group: 'civilians', outcome: 'killed' });
    const jose = items.find((i) => String(i.id).endsWith(':annotation:a-jose'))!;
    expect(jose.body).toContainEqual({
      type: 'TextualBody',
      value: 'Owner of the café, "eyewitness"; quoted twice\nsecond line',
      format: 'text/plain',
      purpose: 'commenting',
    });
  });

  it('exports a relation as a linking annotation: target the from annotation, linking body the to annotation', () => {
    const r8 = itemsOf(collection).find((i) => String(i.id).endsWith(':relation:r8'))!;
    const doc = 'd0a1b2c3d4e5f6a7b';
    expect(r8).toEqual({
      id: `urn:gloss:doc:${doc}:relation:r8`,
      type: 'Annotation',
      motivation: 'linking',
      body: [
        { type: 'SpecificResource', source: annotationIri(doc, 'a-ev2'), purpose: 'linking' },
        { type: 'TextualBody', value: 'actor', purpose: 'tagging' },
      ],
      target: annotationIri(doc, 'a-is'),
    });
    const ids = new Set(itemsOf(collection).map((i) => i.id));
    expect(ids.has(annotationIri(doc, 'a-ev2')) && ids.has(annotationIri(doc, 'a-is'))).toBe(true);
  });

  it('gives any imported id a valid IRI, and reports relations whose ends were not exported', () => {
    const [doc] = fixtureDocuments();
    doc.id = 'd é/1';
    doc.annotations[0].id = 'T1 (brat) #é';
    const run = runWriter(writer, [doc]);
    const items = itemsOf(JSON.parse(run.files.get('annotations.jsonld')!) as Json);
    expect(items[0].id).toBe('urn:gloss:doc:d%20%C3%A9%2F1:annotation:T1%20(brat)%20%23%C3%A9');
    const musts = assertionsOf('annotations/annotationMusts.test');
    for (const item of items) expect(failures(check, musts, standalone(item)), String(item.id)).toEqual([]);
    // Without the driver's selection the writer still checks ends itself: a-inj gone leaves r6 and r9 one end short.
    doc.annotations = doc.annotations.filter((a) => a.id !== 'a-inj');
    const dropped = runWriter(writer, [doc]);
    expect(dropped.problems.map((p) => p.reason)).toEqual([
      'relation r6 (victims) links an annotation that is not exported; left out',
      'relation r9 (victims) links an annotation that is not exported; left out',
    ]);
    expect(dropped.problems.every((p) => p.file === doc.path)).toBe(true);
    expect(dropped.files.get('annotations.jsonld')).not.toContain(':relation:r6"');
  });

  it('through the real export of a folder on disk: pending left out, selectors slice the CRLF article as Python reads it', async () => {
    const tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-w3c-')));
    const dir = path.join(tmp, 'corpus');
    const labels = LabelDef.array().parse(JSON.parse(readFileSync(path.join(here, '../../resources/labels.json'), 'utf8')));
    const docs = fixtureDocuments();
    for (const [i, doc] of docs.entries()) {
      const file = path.join(dir, ...doc.path.split('/'));
      await fsp.mkdir(path.dirname(file), { recursive: true });
      await fsp.writeFile(file, i === 0 ? doc.text.replace(/\n/g, '\r\n') : doc.text);
    }
    const ws = await Workspace.open(dir, { userDataDir: path.join(tmp, 'user'), defaultLabels: labels, author: 't', saveDelayMs: 0 });
    try {
      const paths: Record<string, string> = {};
      for (const doc of docs) {
        const entry = ws.view().documents.find((d) => d.path === doc.path)!;
        paths[`urn:gloss:doc:${entry.id}`] = path.join(dir, ...doc.path.split('/'));
        await ws.importDocument(entry.id, { annotations: doc.annotations, relations: doc.relations, status: doc.meta.status, dct: doc.meta.dct });
      }
      const out = path.join(tmp, 'out', 'annotations.jsonld');
      const summary = await exportWorkspace(ws, writer, out, { documents: 'all' });
      expect(summary.problems).toEqual([]);
      const exported = JSON.parse(await fsp.readFile(out, 'utf8')) as Json;
      const expected = defaultSelection(docs);
      const spans = expected.reduce((n, d) => n + d.annotations.length, 0);
      expect(exported.total).toBe(spans + expected.reduce((n, d) => n + d.relations.length, 0));
      expect(JSON.stringify(exported)).not.toContain('a-pending');
      const script = `
import json, sys
data = json.load(sys.stdin)
bad, checked = [], 0
for item in data['collection']['first']['items']:
    if not isinstance(item['target'], dict):
        continue
    with open(data['paths'][item['target']['source']], encoding='utf-8') as f:
        text = f.read()
    quote, pos = item['target']['selector']
    checked += 1
    if text[pos['start']:pos['end']] != quote['exact']:
        bad.append(item['id'])
print(json.dumps({'checked': checked, 'bad': bad}))
`;
      const result = JSON.parse(execFileSync(PYTHON, ['-c', script], { input: JSON.stringify({ collection: exported, paths }), encoding: 'utf8' }));
      expect(result).toEqual({ checked: spans, bad: [] });
    } finally {
      await ws.close();
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  });

  it('an export of no documents is still a valid, empty collection', () => {
    const empty = JSON.parse(exportText([])) as Json;
    expect(empty.total).toBe(0);
    expect(itemsOf(empty)).toEqual([]);
    const musts = [...assertionsOf('collections/collectionMusts.test'), ...assertionsOf('collections/pages/pageMusts.test')];
    expect(failures(check, musts, empty)).toEqual([]);
  });

  it('keeps two exports running at once apart, and names each collection after its documents', () => {
    const docs = defaultSelection(fixtureDocuments());
    const chunks = { a: [] as string[], b: [] as string[] };
    const ctxA: ExportContext = { labels: [], report: () => {} };
    const ctxB: ExportContext = { labels: [], report: () => {} };
    const push = (k: 'a' | 'b', c: { data: string }[] | undefined) => chunks[k].push(...(c ?? []).map((x) => x.data));
    push('a', writer.begin?.(ctxA));
    push('b', writer.begin?.(ctxB));
    push('a', writer.document(docs[0], 0, ctxA));
    push('b', writer.document(docs[2], 0, ctxB));
    push('a', writer.document(docs[2], 1, ctxA));
    push('a', writer.end?.(ctxA));
    push('b', writer.end?.(ctxB));
    expect(chunks.a.join('')).toBe(exportText([docs[0], docs[2]]));
    expect(chunks.b.join('')).toBe(exportText([docs[2]]));
    const idOf = (s: string) => (JSON.parse(s) as Json).id;
    expect(idOf(chunks.a.join(''))).not.toBe(idOf(chunks.b.join('')));
    expect(idOf(exportText(docs))).toBe(collection.id);
  });
});
