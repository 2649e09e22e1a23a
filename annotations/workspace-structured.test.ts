// Tests of structured annotation in an open folder: attributes and notes, relations, the document date,
// schema edits, corpus-wide entities, the events table, and tagging all occurrences.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from './api/contract.ts';
import { readDefaultSchema } from './api/service.ts';
import { mergeBatch, splitBatch, type EntityBatch } from './entities.ts';
import { DocumentFile, WorkspaceFile, type LabelDef } from './model.ts';
import { Workspace, type WorkspaceOptions } from './workspace.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEEDS = path.resolve(here, '../../shared/corpus/seeds');
const DEFAULTS = await readDefaultSchema(path.resolve(here, '../resources'));
const BAGHOUZ_FILE = '000_e55e6185f7ffecdf.txt';
const STRIKE_FILE = '003_8798c921b24b83f5.txt';
const STRIKE_SENTENCE =
  'The US-led coalition has killed dozens of militants linked to a convoy of Islamic State buses stranded in the middle of the Syrian desert, the US military said.';

let tmp: string;
let corpus: string;
let userData: string;
let clock: number;
const open: Workspace[] = [];

const options = (): WorkspaceOptions => ({
  userDataDir: userData,
  defaultLabels: DEFAULTS.labels,
  defaultRelationTypes: DEFAULTS.relationTypes,
  author: 'tester',
  now: () => new Date((clock += 1000)),
  saveDelayMs: 0,
});

async function openWs(): Promise<Workspace> {
  const ws = await Workspace.open(corpus, options());
  open.push(ws);
  return ws;
}

/** Close a workspace (so another can open the folder) and forget it. */
async function closeWs(ws: Workspace): Promise<void> {
  await ws.close();
  open.splice(open.indexOf(ws), 1);
}

const cpLength = (s: string): number => Array.from(s).length;

/** The ApiError a promise rejects with. */
async function apiError(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

const readJson = async <T>(file: string): Promise<T> => JSON.parse(await fsp.readFile(file, 'utf8')) as T;
const docFile = (docId: string) => path.join(corpus, '.gloss', 'docs', `${docId}.json`);

/** Every store file parses and validates against the model. */
async function expectStoreValid(): Promise<void> {
  WorkspaceFile.parse(await readJson(path.join(corpus, '.gloss', 'workspace.json')));
  for (const name of await fsp.readdir(path.join(corpus, '.gloss', 'docs'))) {
    if (name.endsWith('.json')) DocumentFile.parse(await readJson(path.join(corpus, '.gloss', 'docs', name)));
  }
}

/** An open document: its id and text, and code point spans of strings in it. */
interface Doc {
  docId: string;
  text: string;
  /** The span of `needle`, searched from the first occurrence of `within` (default: the start). */
  span(needle: string, within?: string): { start: number; end: number };
}

async function doc(ws: Workspace, file: string): Promise<Doc> {
  const entry = ws.view().documents.find((d) => d.path === file)!;
  const text = await fsp.readFile(path.join(corpus, file), 'utf8');
  return {
    docId: entry.id,
    text,
    span(needle, within = '') {
      const from = text.indexOf(within);
      const at = text.indexOf(needle, from);
      if (from < 0 || at < 0) throw new Error(`${needle} not in text`);
      const start = cpLength(text.slice(0, at));
      return { start, end: start + cpLength(needle) };
    },
  };
}

/** The strike of 003 coded as the issue describes: an airstrike, its date, place, actor and victims. */
async function codeStrike(ws: Workspace) {
  const d = await doc(ws, STRIKE_FILE);
  const { docId } = d;
  await ws.create(docId, { id: 'ev', label: 'EVENT', ...d.span('killed', STRIKE_SENTENCE) });
  await ws.create(docId, { id: 'date', label: 'DATE', ...d.span('August 29') });
  await ws.create(docId, { id: 'place', label: 'LOCATION', ...d.span('Syrian desert', STRIKE_SENTENCE) });
  await ws.create(docId, { id: 'actor', label: 'ORG', ...d.span('US-led coalition', STRIKE_SENTENCE) });
  await ws.create(docId, { id: 'victims', label: 'CASUALTIES', ...d.span('dozens of militants', STRIKE_SENTENCE) });
  await ws.update(docId, 'ev', { attrs: { type: 'airstrike' }, note: 'Coalition strike on the convoy.' });
  await ws.update(docId, 'date', { attrs: { value: '2017-08-29' } });
  await ws.update(docId, 'victims', { attrs: { low: '24', high: 99, approx: true, group: 'fighters', outcome: 'killed' } });
  await ws.createRelation(docId, { id: 'r-time', type: 'time', from: 'ev', to: 'date' });
  await ws.createRelation(docId, { id: 'r-place', type: 'place', from: 'ev', to: 'place' });
  await ws.createRelation(docId, { id: 'r-actor', type: 'actor', from: 'ev', to: 'actor' });
  await ws.createRelation(docId, { id: 'r-victims', type: 'victims', from: 'ev', to: 'victims' });
  return d;
}

beforeEach(async () => {
  clock = Date.UTC(2024, 0, 1);
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-ws-structured-')));
  corpus = path.join(tmp, 'corpus');
  userData = path.join(tmp, 'user-data');
  await fsp.mkdir(corpus);
  for (const name of await fsp.readdir(SEEDS)) {
    await fsp.copyFile(path.join(SEEDS, name), path.join(corpus, name));
    await fsp.chmod(path.join(corpus, name), 0o644);
  }
});

afterEach(async () => {
  for (const ws of open.splice(0)) await ws.close().catch(() => undefined);
  await fsp.rm(tmp, { recursive: true, force: true });
});

describe('the schema of a workspace', () => {
  it('starts with the default labels and relation types, saved in the workspace file', async () => {
    const ws = await openWs();
    expect(ws.schema()).toEqual(DEFAULTS);
    expect(ws.view().relationTypes).toEqual(DEFAULTS.relationTypes);
    const saved = await readJson<WorkspaceFile>(path.join(corpus, '.gloss', 'workspace.json'));
    expect(saved.relationTypes).toEqual(DEFAULTS.relationTypes);
  });

  it("upgrades a workspace made before attributes: default labels get the defaults' attributes, once", async () => {
    let ws = await openWs();
    await closeWs(ws);
    const file = path.join(corpus, '.gloss', 'workspace.json');
    const old = await readJson<WorkspaceFile>(file);
    const custom: LabelDef = { name: 'RUMOUR', key: '9', color: '#123456', description: 'Unconfirmed.' };
    old.labels = [...old.labels.map(({ attributes: _gone, ...l }) => l), custom];
    delete old.relationTypes;
    await fsp.writeFile(file, JSON.stringify(old));

    ws = await openWs();
    expect(ws.schema().labels).toEqual([...DEFAULTS.labels, custom]);
    expect(ws.schema().relationTypes).toEqual(DEFAULTS.relationTypes);
    await closeWs(ws);
    const saved = await readJson<WorkspaceFile>(file);
    expect(saved.relationTypes).toEqual(DEFAULTS.relationTypes);
    expect(saved.labels.find((l) => l.name === 'RUMOUR')).toEqual(custom);
  });
});

describe('attributes, notes and relations in the store', () => {
  it('round-trips attributes, notes and relations through close and reopen, in files that validate', async () => {
    let ws = await openWs();
    const { docId } = await codeStrike(ws);
    const before = await ws.load(docId);
    expect(before.annotations.find((a) => a.id === 'ev')).toMatchObject({ attrs: { type: 'airstrike' }, note: 'Coalition strike on the convoy.', text: 'killed' });
    expect(before.annotations.find((a) => a.id === 'victims')!.attrs).toEqual({ low: 24, high: 99, approx: true, group: 'fighters', outcome: 'killed' });
    expect(before.relations.map((r) => r.id)).toEqual(['r-time', 'r-place', 'r-actor', 'r-victims']);
    // Durable when the calls resolved: the file has it all before any close.
    const onDisk = DocumentFile.parse(await readJson(docFile(docId)));
    expect(onDisk.annotations).toEqual(before.annotations);
    expect(onDisk.relations).toEqual(before.relations);

    await closeWs(ws);
    await expectStoreValid();
    ws = await openWs();
    const after = await ws.load(docId);
    expect(after.annotations).toEqual(before.annotations);
    expect(after.relations).toEqual(before.relations);
    expect(after.orphans).toEqual([]);
  });

  it('refuses attribute values that do not fit the label, with the reasons, changing nothing', async () => {
    const ws = await openWs();
    const d = await codeStrike(ws);
    const stored = await fsp.readFile(docFile(d.docId), 'utf8');
    const refused = async (id: string, attrs: Record<string, unknown>) => {
      const err = await apiError(ws.update(d.docId, id, { attrs: attrs as Record<string, string> }));
      expect(err.code).toBe('invalid-input');
      return err.message;
    };
    expect(await refused('victims', { low: 50, high: 12 })).toBe('low (50) is greater than high (12)');
    expect(await refused('victims', { low: -1 })).toBe('low: must not be negative');
    expect(await refused('victims', { group: 'aliens', outcome: 'killed' })).toMatch(/^group: "aliens" is not one of civilians/);
    expect(await refused('date', { value: 'yesterday' })).toMatch(/^value: "yesterday" is not a date value/);
    expect(await refused('ev', { type: 'airstrike', low: 3 })).toBe('EVENT has no attribute low');
    expect(await refused('actor', { entity: 'e:nobody' })).toBe('entity: no entity e:nobody in this corpus');
    expect(await fsp.readFile(docFile(d.docId), 'utf8')).toBe(stored);
  });

  it('replaces all attribute values on update (null and empty clear), and sets or clears the note', async () => {
    const ws = await openWs();
    const d = await codeStrike(ws);
    const changed = await ws.update(d.docId, 'victims', { attrs: { low: 30, high: null, group: '', outcome: 'killed' } });
    expect(changed.attrs).toEqual({ low: 30, outcome: 'killed' });
    // A change of span or label only leaves attributes and note alone.
    const moved = await ws.update(d.docId, 'ev', d.span('killed', STRIKE_SENTENCE));
    expect(moved).toMatchObject({ attrs: { type: 'airstrike' }, note: 'Coalition strike on the convoy.' });
    const cleared = await ws.update(d.docId, 'ev', { attrs: {}, note: '  ' });
    expect(cleared.attrs).toBeUndefined();
    expect(cleared.note).toBeUndefined();
    const stored = DocumentFile.parse(await readJson(docFile(d.docId))).annotations.find((a) => a.id === 'ev')!;
    expect('attrs' in stored || 'note' in stored).toBe(false);
  });

  it('keeps only the attribute values a new label can hold when relabelling', async () => {
    const ws = await openWs();
    const d = await doc(ws, STRIKE_FILE);
    await ws.applyEntityBatch({ upsert: [{ id: 'e:dillon', name: 'Ryan Dillon', type: 'PERSON', aliases: [] }], remove: [], relink: [] });
    await ws.create(d.docId, { id: 'p', label: 'PERSON', ...d.span('Colonel Ryan Dillon') });
    await ws.update(d.docId, 'p', { attrs: { entity: 'e:dillon' }, note: 'The spokesman.' });
    // ORG has an entity attribute too: the link stays; DATE has none: it goes. The note always stays.
    expect(await ws.update(d.docId, 'p', { label: 'ORG' })).toMatchObject({ label: 'ORG', attrs: { entity: 'e:dillon' }, note: 'The spokesman.' });
    const dated = await ws.update(d.docId, 'p', { label: 'DATE' });
    expect(dated.attrs).toBeUndefined();
    expect(dated.note).toBe('The spokesman.');
    // Values given with the new label are checked against it.
    expect(await ws.update(d.docId, 'p', { label: 'CASUALTIES', attrs: { low: 1 } })).toMatchObject({ label: 'CASUALTIES', attrs: { low: 1 } });
    expect((await apiError(ws.update(d.docId, 'p', { label: 'EVENT', attrs: { low: 1 } }))).code).toBe('invalid-input');
    // Relabelling CASUALTIES keeps the values of attributes with the same name and a fitting type.
    await ws.update(d.docId, 'p', { attrs: { low: 3, high: 5, group: 'civilians' } });
    const custom: LabelDef = {
      name: 'WOUNDED',
      key: '8',
      color: '#abcdef',
      description: '',
      attributes: [
        { name: 'low', type: 'number' },
        { name: 'group', type: 'text' },
        { name: 'high', type: 'boolean' },
      ],
    };
    await ws.setSchema({ labels: [...DEFAULTS.labels, custom], relationTypes: DEFAULTS.relationTypes });
    expect((await ws.update(d.docId, 'p', { label: 'WOUNDED' })).attrs).toEqual({ low: 3, group: 'civilians' });
  });

  it('refuses a relabel that a relation of the annotation does not allow', async () => {
    const ws = await openWs();
    const d = await codeStrike(ws);
    const err = await apiError(ws.update(d.docId, 'date', { label: 'LOCATION' }));
    expect(err.code).toBe('conflict');
    expect(err.message).toBe('A time relation points to DATE, not LOCATION: remove the time relation first');
    expect((await ws.load(d.docId)).annotations.find((a) => a.id === 'date')!.label).toBe('DATE');
    await ws.removeRelation(d.docId, 'r-time');
    expect((await ws.update(d.docId, 'date', { label: 'LOCATION' })).label).toBe('LOCATION');
  });
});

describe('relations', () => {
  it('links annotations only as the relation types allow', async () => {
    const ws = await openWs();
    const d = await doc(ws, STRIKE_FILE);
    await ws.create(d.docId, { id: 'ev', label: 'EVENT', ...d.span('killed', STRIKE_SENTENCE) });
    await ws.create(d.docId, { id: 'date', label: 'DATE', ...d.span('August 29') });
    const ok = await ws.createRelation(d.docId, { id: 'r1', type: 'time', from: 'ev', to: 'date' });
    expect(ok).toEqual({ id: 'r1', type: 'time', from: 'ev', to: 'date' });

    const refused = async (relation: { id: string; type: string; from: string; to: string }) => apiError(ws.createRelation(d.docId, relation));
    const backwards = await refused({ id: 'r2', type: 'time', from: 'date', to: 'ev' });
    expect(backwards).toMatchObject({ code: 'invalid-input', message: 'A time relation starts at EVENT, not DATE' });
    expect(await refused({ id: 'r2', type: 'cause', from: 'ev', to: 'date' })).toMatchObject({ code: 'invalid-input', message: 'Unknown relation type cause' });
    expect(await refused({ id: 'r2', type: 'place', from: 'ev', to: 'date' })).toMatchObject({ code: 'invalid-input' });
    expect(await refused({ id: 'r2', type: 'time', from: 'ev', to: 'date' })).toMatchObject({ code: 'conflict', message: 'These two annotations are linked by time already' });
    expect(await refused({ id: 'r1', type: 'time', from: 'ev', to: 'date' })).toMatchObject({ code: 'conflict' });
    expect(await refused({ id: 'r2', type: 'time', from: 'ev', to: 'gone' })).toMatchObject({ code: 'not-found' });
    expect(await refused({ id: 'r2', type: 'time', from: 'gone', to: 'date' })).toMatchObject({ code: 'not-found' });
    expect(await refused({ id: 'r2', type: 'time', from: 'ev', to: 'ev' })).toMatchObject({ code: 'invalid-input' });
    expect((await apiError(ws.createRelation('dnope', { id: 'r2', type: 'time', from: 'ev', to: 'date' }))).code).toBe('not-found');

    expect(DocumentFile.parse(await readJson(docFile(d.docId))).relations).toEqual([ok]);
    expect((await apiError(ws.removeRelation(d.docId, 'r9'))).code).toBe('not-found');
    expect(await ws.removeRelation(d.docId, 'r1')).toEqual(ok);
    expect((await ws.load(d.docId)).relations).toEqual([]);
  });

  it('removes an annotation with its relations, and an undo brings both back', async () => {
    const ws = await openWs();
    const d = await codeStrike(ws);
    const before = await ws.load(d.docId);
    const { annotation, relations } = await ws.removeWithRelations(d.docId, 'ev');
    expect(relations.map((r) => r.id)).toEqual(['r-time', 'r-place', 'r-actor', 'r-victims']);
    const gone = DocumentFile.parse(await readJson(docFile(d.docId)));
    expect(gone.relations).toEqual([]);
    expect(gone.annotations.map((a) => a.id)).not.toContain('ev');

    expect(await ws.restore(d.docId, annotation, relations)).toEqual(annotation);
    const back = await ws.load(d.docId);
    expect(back.annotations).toEqual(before.annotations);
    expect([...back.relations].sort((a, b) => a.id.localeCompare(b.id))).toEqual([...before.relations].sort((a, b) => a.id.localeCompare(b.id)));
  });

  it('restores only the relations whose other end is still there', async () => {
    const ws = await openWs();
    const d = await codeStrike(ws);
    const { annotation, relations } = await ws.removeWithRelations(d.docId, 'ev');
    await ws.remove(d.docId, 'place');
    await ws.restore(d.docId, annotation, relations);
    expect((await ws.load(d.docId)).relations.map((r) => r.id).sort()).toEqual(['r-actor', 'r-time', 'r-victims']);
  });

  it('keeps the relations of annotations orphaned by an edit of the file, and shows none of them', async () => {
    let ws = await openWs();
    const d = await codeStrike(ws);
    await closeWs(ws);
    await fsp.writeFile(path.join(corpus, STRIKE_FILE), 'All gone.\n');
    ws = await openWs();
    const loaded = await ws.load(d.docId);
    expect(loaded.annotations).toEqual([]);
    expect(loaded.relations).toEqual([]);
    expect(loaded.orphans).toHaveLength(5);
    expect((await ws.stored(d.docId)).relations).toHaveLength(4);
  });
});

describe('the document date', () => {
  it('takes calendar dates and null, as the user set them, and refuses others', async () => {
    let ws = await openWs();
    const { docId } = await doc(ws, STRIKE_FILE);
    expect(await ws.setDate(docId, '2017-09-08')).toMatchObject({ dct: '2017-09-08', dctSource: 'user' });
    expect(await ws.setDate(docId, '2016-02-29')).toMatchObject({ dct: '2016-02-29', dctSource: 'user' });
    for (const bad of ['2017-02-29', '2017-13-01', '2017-00-10', '2017-9-8', '08/09/2017', '2017-09-08T00:00', '']) {
      const err = await apiError(ws.setDate(docId, bad));
      expect(err.code, bad).toBe('invalid-input');
      expect(err.message).toMatch(/is not a calendar date \(YYYY-MM-DD\)$/);
    }
    await closeWs(ws);
    ws = await openWs();
    expect(ws.view().documents.find((e) => e.id === docId)).toMatchObject({ dct: '2016-02-29', dctSource: 'user' });
    expect(await ws.setDate(docId, null)).toMatchObject({ dct: null, dctSource: null });
    expect((await apiError(ws.setDate('dnope', '2017-01-01'))).code).toBe('not-found');
  });
});

describe('editing the schema', () => {
  const renamed = (from: string, to: string) => ({
    labels: DEFAULTS.labels.map((l) => (l.name === from ? { ...l, name: to } : l)),
    relationTypes: DEFAULTS.relationTypes.map((t) => ({ ...t, from: t.from.map((n) => (n === from ? to : n)), to: t.to.map((n) => (n === from ? to : n)) })),
  });

  it('carries annotations, relation types and entity types over to a renamed label', async () => {
    let ws = await openWs();
    const d = await codeStrike(ws);
    await ws.applyEntityBatch({ upsert: [{ id: 'e:coalition', name: 'US-led coalition', type: 'ORG', aliases: [] }], remove: [], relink: [] });
    await ws.update(d.docId, 'actor', { attrs: { entity: 'e:coalition' } });

    const view = await ws.setSchema(renamed('ORG', 'GROUP'), { renames: { ORG: 'GROUP' } });
    expect(view.labels.map((l) => l.name)).toContain('GROUP');
    expect(view.relationTypes.find((t) => t.name === 'actor')!.to).toEqual(['GROUP', 'PERSON']);
    expect((await ws.load(d.docId)).annotations.find((a) => a.id === 'actor')).toMatchObject({ label: 'GROUP', attrs: { entity: 'e:coalition' } });
    expect((await ws.entityViews()).find((e) => e.id === 'e:coalition')!.type).toBe('GROUP');
    expect(await ws.labelUsage()).toMatchObject({ GROUP: 1, EVENT: 1 });
    // The renamed type still allows EVENT -actor-> GROUP: linking the pair again is a duplicate, not a type error.
    expect(await apiError(ws.createRelation(d.docId, { id: 'r2', type: 'actor', from: 'ev', to: 'actor' }))).toMatchObject({
      code: 'conflict',
      message: 'These two annotations are linked by actor already',
    });

    await closeWs(ws);
    await expectStoreValid();
    ws = await openWs();
    expect(ws.schema().labels.map((l) => l.name)).toContain('GROUP');
    expect(ws.schema().labels.map((l) => l.name)).not.toContain('ORG');
    expect((await ws.load(d.docId)).annotations.find((a) => a.id === 'actor')!.label).toBe('GROUP');
  });

  it('renames the ends of relation types too when they still name the old label', async () => {
    const ws = await openWs();
    const d = await codeStrike(ws);
    const { labels } = renamed('EVENT', 'INCIDENT');
    const view = await ws.setSchema({ labels, relationTypes: DEFAULTS.relationTypes }, { renames: { EVENT: 'INCIDENT' } });
    expect(view.relationTypes.every((t) => t.from.length === 1 && t.from[0] === 'INCIDENT')).toBe(true);
    expect((await ws.load(d.docId)).annotations.find((a) => a.id === 'ev')!.label).toBe('INCIDENT');
  });

  it('swaps two label names', async () => {
    const ws = await openWs();
    const d = await doc(ws, STRIKE_FILE);
    await ws.create(d.docId, { id: 'p', label: 'PERSON', ...d.span('Colonel Ryan Dillon') });
    await ws.create(d.docId, { id: 'o', label: 'ORG', ...d.span('Pentagon') });
    const labels = DEFAULTS.labels.map((l) => (l.name === 'PERSON' ? { ...l, name: 'ORG' } : l.name === 'ORG' ? { ...l, name: 'PERSON' } : l));
    await ws.setSchema({ labels, relationTypes: DEFAULTS.relationTypes }, { renames: { PERSON: 'ORG', ORG: 'PERSON' } });
    const byId = new Map((await ws.load(d.docId)).annotations.map((a) => [a.id, a.label]));
    expect(byId).toEqual(new Map([['p', 'ORG'], ['o', 'PERSON']]));
  });

  it('refuses to remove a label in use, with the count, unless told to remove its annotations and their relations', async () => {
    const ws = await openWs();
    const d = await codeStrike(ws);
    await ws.create(d.docId, { id: 'd2', label: 'DATE', ...d.span('08 September, 2017') });
    const other = await doc(ws, BAGHOUZ_FILE);
    await ws.create(other.docId, { id: 'd3', label: 'DATE', start: 0, end: 3 });
    const without = {
      labels: DEFAULTS.labels.filter((l) => l.name !== 'DATE'),
      relationTypes: DEFAULTS.relationTypes.filter((t) => t.name !== 'time'),
    };
    const err = await apiError(ws.setSchema(without));
    expect(err).toMatchObject({ code: 'conflict', message: 'DATE is used by 3 annotations; relation type time is used by 1 relation' });
    expect(ws.schema().labels.map((l) => l.name)).toContain('DATE');
    expect((await ws.load(d.docId)).annotations).toHaveLength(6);

    // A label nobody uses goes without asking.
    const noWeapon = { labels: without.labels.filter((l) => l.name !== 'WEAPON'), relationTypes: without.relationTypes.filter((t) => t.name !== 'weapon') };
    expect((await apiError(ws.setSchema(noWeapon))).message).toBe('DATE is used by 3 annotations; relation type time is used by 1 relation');
    await ws.setSchema({ labels: DEFAULTS.labels.filter((l) => l.name !== 'WEAPON'), relationTypes: DEFAULTS.relationTypes.filter((t) => t.name !== 'weapon') });
    expect(ws.schema().labels.map((l) => l.name)).not.toContain('WEAPON');

    await ws.setSchema(noWeapon, { removeAnnotations: true });
    const loaded = await ws.load(d.docId);
    expect(loaded.annotations.map((a) => a.id).sort()).toEqual(['actor', 'ev', 'place', 'victims']);
    expect(loaded.relations.map((r) => r.id).sort()).toEqual(['r-actor', 'r-place', 'r-victims']);
    expect((await ws.load(other.docId)).annotations).toEqual([]);
    expect(ws.view().documents.find((e) => e.id === other.docId)!.annotationCount).toBe(0);
    expect(await ws.labelUsage()).toEqual({ EVENT: 1, LOCATION: 1, ORG: 1, CASUALTIES: 1 });
    await expectStoreValid();
  });

  it('renames a relation type with its relations, and asks before removing one in use or a label entities are typed by', async () => {
    const ws = await openWs();
    const d = await codeStrike(ws);
    const renamedTypes = DEFAULTS.relationTypes.map((t) => (t.name === 'place' ? { ...t, name: 'location' } : t));
    await ws.setSchema({ labels: DEFAULTS.labels, relationTypes: renamedTypes }, { relationRenames: { place: 'location' } });
    expect((await ws.load(d.docId)).relations.find((r) => r.id === 'r-place')!.type).toBe('location');
    expect((await ws.eventTable())[0].location).toBe('');

    const noLocationType = renamedTypes.filter((t) => t.name !== 'location');
    expect((await apiError(ws.setSchema({ labels: DEFAULTS.labels, relationTypes: noLocationType }))).message).toBe(
      'relation type location is used by 1 relation',
    );
    await ws.setSchema({ labels: DEFAULTS.labels, relationTypes: noLocationType }, { removeAnnotations: true });
    expect((await ws.load(d.docId)).relations.map((r) => r.type)).not.toContain('location');

    await ws.applyEntityBatch({ upsert: [{ id: 'e:w', name: 'Javelin', type: 'WEAPON', aliases: [] }], remove: [], relink: [] });
    const noWeapon = { labels: DEFAULTS.labels.filter((l) => l.name !== 'WEAPON'), relationTypes: noLocationType.filter((t) => t.name !== 'weapon') };
    expect((await apiError(ws.setSchema(noWeapon))).message).toBe('WEAPON is the type of 1 entity');
    await ws.setSchema(noWeapon, { removeAnnotations: true });
    expect((await ws.entityViews()).map((e) => e.id)).not.toContain('e:w');
    await expectStoreValid();
  });

  it('refuses an inconsistent schema and a rename to a label that is not in it', async () => {
    const ws = await openWs();
    const dup = { labels: [...DEFAULTS.labels, { ...DEFAULTS.labels[0], key: '9' }], relationTypes: [] };
    expect(await apiError(ws.setSchema(dup))).toMatchObject({ code: 'invalid-input', message: 'Two labels are named PERSON' });
    expect(await apiError(ws.setSchema(DEFAULTS, { renames: { ORG: 'GROUP' } }))).toMatchObject({
      code: 'invalid-input',
      message: 'ORG is renamed to GROUP, which is not in the new schema',
    });
    expect(ws.schema()).toEqual(DEFAULTS);
  });

  it('keeps a label whose attributes the analyst removed without any after reopening', async () => {
    let ws = await openWs();
    const labels = DEFAULTS.labels.map(({ attributes, ...l }) => (l.name === 'DATE' ? l : { ...l, attributes }));
    await ws.setSchema({ labels, relationTypes: DEFAULTS.relationTypes });
    await closeWs(ws);
    ws = await openWs();
    expect(ws.schema().labels.find((l) => l.name === 'DATE')!.attributes ?? []).toEqual([]);
  });
});

describe('entities across the corpus', () => {
  /** IS, Islamic State and ISIS as three entities, with mentions in two documents. */
  async function setup() {
    const ws = await openWs();
    const strike = await doc(ws, STRIKE_FILE);
    const baghouz = await doc(ws, BAGHOUZ_FILE);
    await ws.applyEntityBatch({
      upsert: [
        { id: 'e:is', name: 'IS', type: 'ORG', aliases: [], note: 'As Reuters writes it.' },
        { id: 'e:islamic-state', name: 'Islamic State', type: 'ORG', aliases: [] },
        { id: 'e:isis', name: 'ISIS', type: 'ORG', aliases: ['ISIL'] },
      ],
      remove: [],
      relink: [],
    });
    await ws.create(strike.docId, { id: 's1', label: 'ORG', ...strike.span('IS', 'targets') });
    await ws.create(strike.docId, { id: 's2', label: 'ORG', ...strike.span('Islamic State') });
    await ws.create(strike.docId, { id: 's3', label: 'ORG', ...strike.span('ISIS') });
    await ws.create(baghouz.docId, { id: 'b1', label: 'ORG', ...baghouz.span('ISIS') });
    await ws.update(strike.docId, 's1', { attrs: { entity: 'e:is' } });
    await ws.update(strike.docId, 's2', { attrs: { entity: 'e:islamic-state' } });
    await ws.update(strike.docId, 's3', { attrs: { entity: 'e:isis' } });
    await ws.update(baghouz.docId, 'b1', { attrs: { entity: 'e:isis' } });
    return { ws, strike, baghouz };
  }

  /** What can be seen of the entities: records (in id order), mention links and the document files. */
  async function snapshot(ws: Workspace, docIds: string[]) {
    const views = await ws.entityViews();
    return {
      entities: [...views].sort((a, b) => a.id.localeCompare(b.id)),
      mentions: (await ws.mentions()).map((m) => `${m.docId}/${m.annotationId}->${m.entity}`).sort(),
      files: await Promise.all(docIds.map(async (id) => DocumentFile.parse(await readJson(docFile(id))).annotations.map((a) => ({ id: a.id, attrs: a.attrs })))),
    };
  }

  it('lists entities with their mention and document counts, and the mentions of one', async () => {
    const { ws, strike } = await setup();
    const views = await ws.entityViews();
    expect(views.map((e) => [e.id, e.mentions, e.documents])).toEqual([
      ['e:is', 1, 1],
      ['e:islamic-state', 1, 1],
      ['e:isis', 2, 2],
    ]);
    expect(await ws.mentions('e:islamic-state')).toEqual([
      { docId: strike.docId, annotationId: 's2', label: 'ORG', text: 'Islamic State', ...strike.span('Islamic State'), entity: 'e:islamic-state' },
    ]);
  });

  it('merges IS, Islamic State and ISIS across two documents into one entity with all their mentions, and undoes it', async () => {
    const { ws, strike, baghouz } = await setup();
    const docIds = [strike.docId, baghouz.docId];
    const before = await snapshot(ws, docIds);
    const batch = mergeBatch(await ws.entityViews(), 'e:islamic-state', ['e:is', 'e:isis'], await ws.mentions());
    const { inverse, entities } = await ws.applyEntityBatch(batch);

    expect(entities).toHaveLength(1);
    expect(entities[0]).toMatchObject({ id: 'e:islamic-state', name: 'Islamic State', aliases: ['IS', 'ISIS', 'ISIL'], note: 'As Reuters writes it.', mentions: 4, documents: 2 });
    expect((await ws.mentions()).every((m) => m.entity === 'e:islamic-state')).toBe(true);
    const saved = await readJson<WorkspaceFile>(path.join(corpus, '.gloss', 'workspace.json'));
    expect(saved.entities!.map((e) => e.id)).toEqual(['e:islamic-state']);
    expect(DocumentFile.parse(await readJson(docFile(baghouz.docId))).annotations[0].attrs).toEqual({ entity: 'e:islamic-state' });

    const { inverse: redo } = await ws.applyEntityBatch(inverse);
    expect(await snapshot(ws, docIds)).toEqual(before);
    // Redo (the inverse of the undo) merges again.
    await ws.applyEntityBatch(redo);
    expect((await ws.entityViews()).map((e) => [e.id, e.mentions])).toEqual([['e:islamic-state', 4]]);
  });

  it('splits mentions off into a new entity, and undoes it', async () => {
    const { ws, strike, baghouz } = await setup();
    await ws.applyEntityBatch(mergeBatch(await ws.entityViews(), 'e:islamic-state', ['e:is', 'e:isis'], await ws.mentions()));
    const docIds = [strike.docId, baghouz.docId];
    const before = await snapshot(ws, docIds);
    const batch = splitBatch(await ws.entityViews(), 'e:islamic-state', [{ docId: baghouz.docId, annotationId: 'b1' }], await ws.mentions(), { id: 'e:isis-2', name: 'ISIS in Baghouz' });
    const { inverse, entities } = await ws.applyEntityBatch(batch);
    expect(entities.map((e) => [e.id, e.mentions, e.documents])).toEqual([
      ['e:islamic-state', 3, 1],
      ['e:isis-2', 1, 1],
    ]);
    // ISIS is still the text of a mention that stayed, so the alias stays too; the new entity gets it as well.
    expect(entities[0].aliases).toContain('ISIS');
    expect(entities[1]).toMatchObject({ type: 'ORG', aliases: ['ISIS'] });
    expect((await ws.mentions('e:isis-2')).map((m) => m.annotationId)).toEqual(['b1']);

    await ws.applyEntityBatch(inverse);
    expect(await snapshot(ws, docIds)).toEqual(before);
  });

  it('checks a batch before changing anything', async () => {
    const { ws, strike, baghouz } = await setup();
    const docIds = [strike.docId, baghouz.docId];
    const before = await snapshot(ws, docIds);
    const refused = async (batch: EntityBatch) => apiError(ws.applyEntityBatch(batch));
    expect(await refused({ upsert: [], remove: ['e:isis'], relink: [] })).toMatchObject({ code: 'conflict' });
    expect(await refused({ upsert: [{ id: 'e:x', name: 'X', type: 'NOPE', aliases: [] }], remove: [], relink: [] })).toMatchObject({ code: 'invalid-input' });
    expect(await refused({ upsert: [], remove: [], relink: [{ docId: strike.docId, annotationId: 's1', entity: 'e:nope' }] })).toMatchObject({ code: 'invalid-input' });
    expect(await refused({ upsert: [], remove: [], relink: [{ docId: strike.docId, annotationId: 'zz', entity: 'e:is' }] })).toMatchObject({ code: 'not-found' });
    expect(await refused({ upsert: [], remove: [], relink: [{ docId: 'dnope', annotationId: 's1', entity: 'e:is' }] })).toMatchObject({ code: 'not-found' });
    await ws.create(strike.docId, { id: 'ev', label: 'EVENT', ...strike.span('killed', STRIKE_SENTENCE) });
    expect(await refused({ upsert: [], remove: [], relink: [{ docId: strike.docId, annotationId: 'ev', entity: 'e:is' }] })).toMatchObject({ code: 'invalid-input' });
    // A valid relink in one document and a bad one in another: neither is applied.
    expect(
      await refused({
        upsert: [],
        remove: [],
        relink: [
          { docId: baghouz.docId, annotationId: 'b1', entity: 'e:is' },
          { docId: strike.docId, annotationId: 'ev', entity: 'e:is' },
        ],
      }),
    ).toMatchObject({ code: 'invalid-input' });
    await ws.remove(strike.docId, 'ev');
    expect(await snapshot(ws, docIds)).toEqual(before);
  });
});

describe('the events table', () => {
  it('gives the coded strike one row with its date, place, actor, fatalities, source and sentence', async () => {
    const ws = await openWs();
    const d = await codeStrike(ws);
    await ws.setDate(d.docId, '2017-09-08');
    const rows = await ws.eventTable();
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({
      annotation_id: 'ev',
      event_id: `${d.docId}:ev`,
      document_id: d.docId,
      document_path: STRIKE_FILE,
      event_type: 'airstrike',
      event_date: '2017-08-29',
      time_precision: '1',
      date_start: '2017-08-29',
      date_end: '2017-08-29',
      location: 'Syrian desert',
      actor1: 'US-led coalition',
      actor2: '',
      fatalities_low: '24',
      fatalities_best: '24',
      fatalities_high: '99',
      civilian_deaths: '',
      source: 'US-led coalition targets IS fighters from stranded convoy',
      source_date: '2017-09-08',
      notes: STRIKE_SENTENCE,
      event_text: 'killed',
      problems: [],
    });
    expect(row.start).toBe(String(d.span('killed', STRIKE_SENTENCE).start));
  });

  it('follows changes: a removed relation empties its column, and a new event adds a row', async () => {
    const ws = await openWs();
    const d = await codeStrike(ws);
    await ws.removeRelation(d.docId, 'r-place');
    const other = await doc(ws, BAGHOUZ_FILE);
    await ws.create(other.docId, { id: 'ev', label: 'EVENT', ...other.span('surrender') });
    const rows = await ws.eventTable();
    expect(rows.map((r) => [r.document_id, r.annotation_id, r.location])).toEqual(
      expect.arrayContaining([
        [d.docId, 'ev', ''],
        [other.docId, 'ev', ''],
      ]),
    );
    expect(rows).toHaveLength(2);
  });

  it('reads events of an article edited on disk where they are now, leaving out those no longer found', async () => {
    let ws = await openWs();
    const d = await codeStrike(ws);
    await closeWs(ws);
    // A line added at the top moves every annotation; no load has re-anchored them yet.
    await fsp.writeFile(path.join(corpus, STRIKE_FILE), `Updated on 9 September.\n${d.text}`);
    ws = await openWs();
    let rows = await ws.eventTable();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event_text: 'killed', location: 'Syrian desert', actor1: 'US-led coalition', event_date: '2017-08-29', notes: STRIKE_SENTENCE });
    expect(Number(rows[0].start)).toBe(d.span('killed', STRIKE_SENTENCE).start + cpLength('Updated on 9 September.\n'));

    // The sentence of the event is gone: it is an orphan, kept in the store but not a row.
    await fsp.writeFile(path.join(corpus, STRIKE_FILE), d.text.replace(STRIKE_SENTENCE, 'The paragraph was rewritten.'));
    await ws.rescan();
    rows = await ws.eventTable();
    expect(rows).toEqual([]);
    expect((await ws.stored(d.docId)).annotations.map((a) => a.id)).toContain('ev');
  });

  it("tells each event's problems to that event only", async () => {
    const ws = await openWs();
    const d = await doc(ws, STRIKE_FILE);
    await ws.create(d.docId, { id: 'e1', label: 'EVENT', ...d.span('killed', STRIKE_SENTENCE) });
    await ws.create(d.docId, { id: 'e12', label: 'EVENT', ...d.span('struck') });
    const date = await ws.create(d.docId, { id: 'bad', label: 'DATE', ...d.span('August 29') });
    // A value no edit would accept, as an old store or an import may hold.
    await ws.remove(d.docId, 'bad');
    await ws.restore(d.docId, { ...date, attrs: { value: 'late summer' } });
    await ws.createRelation(d.docId, { id: 'r', type: 'time', from: 'e12', to: 'bad' });
    const rows = await ws.eventTable();
    const byId = new Map(rows.map((r) => [r.annotation_id, r]));
    expect(byId.get('e1')!.problems).toEqual([]);
    expect(byId.get('e12')!.problems).toEqual([expect.stringContaining('"late summer" is not a calendar date')]);
  });
});

describe('tagging all occurrences', () => {
  it('finds whole words only, case-sensitively, marking those already tagged with the label', async () => {
    const ws = await openWs();
    const d = await doc(ws, STRIKE_FILE);
    const found = await ws.occurrences('IS', 'ORG', { docId: d.docId });
    const words = d.text.match(/(?<![\p{L}\p{N}])IS(?![\p{L}\p{N}])/gu)!;
    expect(found).toHaveLength(words.length);
    expect(found.length).toBeGreaterThan(5);
    const chars = Array.from(d.text);
    for (const o of found) {
      expect(chars.slice(o.start, o.end).join('')).toBe('IS');
      expect(o.docId).toBe(d.docId);
      expect(o.title).toBe('US-led coalition targets IS fighters from stranded convoy');
      expect(o.before.endsWith('ISIS')).toBe(false);
      expect(o.tagged).toBe(false);
    }
    expect(found[0]).toMatchObject({ before: 'US-led coalition targets ', after: ' fighters from stranded convoy' });
    await ws.create(d.docId, { id: 'tagged', label: 'ORG', start: found[1].start, end: found[1].end });
    expect((await ws.occurrences('IS', 'ORG', { docId: d.docId })).map((o) => o.tagged)).toEqual(found.map((_, i) => i === 1));
    expect((await ws.occurrences('IS', 'PERSON', { docId: d.docId })).some((o) => o.tagged)).toBe(false);
    const lower = await ws.occurrences('is', 'ORG', { docId: d.docId });
    expect(lower.length).toBeGreaterThan(0);
    expect(lower.every((o) => chars.slice(o.start, o.end).join('') === 'is')).toBe(true);
    expect(await ws.occurrences('Is', 'ORG', { docId: d.docId })).toEqual([]);
    expect(await ws.occurrences('   ', 'ORG', { docId: d.docId })).toEqual([]);
    expect((await apiError(ws.occurrences('IS', 'ORG', { docId: 'dnope' }))).code).toBe('not-found');
  });

  it('searches the whole corpus', async () => {
    const ws = await openWs();
    const found = await ws.occurrences('Islamic State', 'ORG', 'corpus');
    const expected = await Promise.all(
      ws.view().documents.map(async (e) => ((await fsp.readFile(path.join(corpus, e.path), 'utf8')).match(/Islamic State(?![\p{L}\p{N}])/gu) ?? []).length),
    );
    expect(found).toHaveLength(expected.reduce((a, b) => a + b, 0));
    expect(new Set(found.map((o) => o.docId)).size).toBe(expected.filter((n) => n > 0).length);
  });

  it('finds a repeated phrase right after a place where it was part of a longer word, and counts astral letters as letters', async () => {
    await fsp.writeFile(path.join(corpus, 'extra.txt'), 'Odd names\n\nXBab Bab Bab. 𝐀Bab Bab and Bab Bab😀 here.\n');
    const ws = await openWs();
    const d = await doc(ws, 'extra.txt');
    const found = await ws.occurrences('Bab Bab', 'ORG', { docId: d.docId });
    const chars = Array.from(d.text);
    const starts = found.map((o) => o.start);
    expect(found.every((o) => chars.slice(o.start, o.end).join('') === 'Bab Bab')).toBe(true);
    expect(starts).toEqual([d.span('Bab Bab.').start, d.span('Bab Bab😀').start]);
  });

  it('creates many annotations in several documents, all or nothing', async () => {
    const ws = await openWs();
    const strike = await doc(ws, STRIKE_FILE);
    const baghouz = await doc(ws, BAGHOUZ_FILE);
    await ws.applyEntityBatch({ upsert: [{ id: 'e:isis', name: 'ISIS', type: 'ORG', aliases: [] }], remove: [], relink: [] });
    const good = [
      { docId: strike.docId, annotation: { id: 't1', label: 'ORG', ...strike.span('ISIS'), attrs: { entity: 'e:isis' } } },
      { docId: baghouz.docId, annotation: { id: 't1', label: 'ORG', ...baghouz.span('ISIS'), attrs: { entity: 'e:isis' } } },
      { docId: baghouz.docId, annotation: { id: 't2', label: 'ORG', ...baghouz.span('ISIS', 'Baghouz in') } },
    ];
    const stored = async () => [strike.docId, baghouz.docId].map((id) => ws.view().documents.find((e) => e.id === id)!.annotationCount);
    const bad: Array<[string, (typeof good)[number]]> = [
      ['unknown label', { docId: baghouz.docId, annotation: { id: 't3', label: 'NOPE', start: 0, end: 3 } }],
      ['empty span', { docId: baghouz.docId, annotation: { id: 't3', label: 'ORG', start: 3, end: 3 } }],
      ['past the end', { docId: baghouz.docId, annotation: { id: 't3', label: 'ORG', start: 0, end: 10_000_000 } }],
      ['id used twice', { docId: baghouz.docId, annotation: { id: 't2', label: 'ORG', start: 0, end: 3 } }],
      ['bad attribute', { docId: baghouz.docId, annotation: { id: 't3', label: 'ORG', start: 0, end: 3, attrs: { entity: 'e:nobody' } } }],
      ['unknown document', { docId: 'dnope', annotation: { id: 't3', label: 'ORG', start: 0, end: 3 } }],
    ];
    for (const [name, item] of bad) {
      const err = await apiError(ws.createMany([...good, item]));
      expect(['invalid-input', 'conflict', 'not-found'], name).toContain(err.code);
      expect(await stored(), name).toEqual([0, 0]);
    }
    expect((await ws.load(strike.docId)).annotations).toEqual([]);

    const created = await ws.createMany(good);
    expect(created.map((c) => [c.docId, c.annotation.id, c.annotation.text, c.annotation.attrs])).toEqual([
      [strike.docId, 't1', 'ISIS', { entity: 'e:isis' }],
      [baghouz.docId, 't1', 'ISIS', { entity: 'e:isis' }],
      [baghouz.docId, 't2', 'ISIS', undefined],
    ]);
    expect(await stored()).toEqual([1, 2]);
    expect(DocumentFile.parse(await readJson(docFile(baghouz.docId))).annotations.map((a) => a.id)).toEqual(['t1', 't2']);
    // Ids must be new in their document.
    expect((await apiError(ws.createMany([good[0]]))).code).toBe('conflict');
    expect((await ws.entityViews())[0]).toMatchObject({ mentions: 2, documents: 2 });
  });
});
