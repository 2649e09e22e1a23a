// Tests of the structured-annotation channels through GlossService.dispatch: payload checks, errors as
// values, and the 'annotations:changed' event after every change.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Annotation, Relation } from '../model.ts';
import type { EntityView, EventPayloads, EventTableRow, LoadedDocument, MentionView, Occurrence, Result, WorkspaceView } from './contract.ts';
import { GlossService } from './service.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEEDS = path.resolve(here, '../../../shared/corpus/seeds');
const STRIKE_FILE = '003_8798c921b24b83f5.txt';

let tmp: string;
let service: GlossService;
let events: Array<EventPayloads['annotations:changed']>;
let docId: string;
let otherId: string;
let text: string;

function ok<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

function error(result: Result<unknown>): { code: string; message: string } {
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

/** Code point span of the first `needle` at or after `within`. */
function span(needle: string, within = ''): { start: number; end: number } {
  const at = text.indexOf(needle, text.indexOf(within));
  const start = Array.from(text.slice(0, at)).length;
  return { start, end: start + Array.from(needle).length };
}

const call = (channel: string, payload: unknown) => service.dispatch(channel, payload);

beforeEach(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-service-structured-')));
  const folder = path.join(tmp, 'corpus');
  await fsp.mkdir(folder);
  for (const file of await fsp.readdir(SEEDS)) {
    await fsp.copyFile(path.join(SEEDS, file), path.join(folder, file));
    await fsp.chmod(path.join(folder, file), 0o644);
  }
  events = [];
  service = new GlossService({
    shell: 'browser',
    version: 'test',
    userDataDir: path.join(tmp, 'user-data'),
    saveDelayMs: 0,
    watch: false,
    onEvent: (event, payload) => {
      if (event === 'annotations:changed') events.push(payload as EventPayloads['annotations:changed']);
    },
  });
  const view = (await service.openFolder(folder)).view();
  docId = view.documents.find((d) => d.path === STRIKE_FILE)!.id;
  otherId = view.documents.find((d) => d.path !== STRIKE_FILE)!.id;
  text = ok<LoadedDocument>(await call('document:load', { docId })).text;
});

afterEach(async () => {
  await service.close().catch(() => undefined);
  await fsp.rm(tmp, { recursive: true, force: true });
});

describe('structured annotation over dispatch', () => {
  it('codes an event with attributes and relations, tells the UI of each change, and lists it in the events table', async () => {
    const create = (id: string, label: string, s: { start: number; end: number }) => call('annotations:create', { docId, annotation: { id, label, ...s } });
    ok(await create('ev', 'EVENT', span('killed', 'The US-led coalition has')));
    ok(await create('date', 'DATE', span('August 29')));
    expect(events).toEqual([{ docIds: [docId] }, { docIds: [docId] }]);

    const updated = ok<Annotation>(await call('annotations:update', { docId, id: 'date', changes: { attrs: { value: '2017-08-29', mod: null }, note: 'Start of the stall.' } }));
    expect(updated).toMatchObject({ attrs: { value: '2017-08-29' }, note: 'Start of the stall.' });
    ok(await call('annotations:update', { docId, id: 'ev', changes: { attrs: { type: 'airstrike' } } }));
    const relation = ok<Relation>(await call('relations:create', { docId, relation: { id: 'r1', type: 'time', from: 'ev', to: 'date' } }));
    expect(relation).toEqual({ id: 'r1', type: 'time', from: 'ev', to: 'date' });
    expect(events).toHaveLength(5);

    const [row] = ok<EventTableRow[]>(await call('events:list', {}));
    expect(row).toMatchObject({ annotation_id: 'ev', document_id: docId, event_type: 'airstrike', event_date: '2017-08-29', problems: [] });

    const removed = ok<{ annotation: Annotation; relations: Relation[] }>(await call('annotations:delete', { docId, id: 'ev' }));
    expect(removed.relations).toEqual([relation]);
    expect(ok<EventTableRow[]>(await call('events:list', {}))).toEqual([]);
    ok(await call('annotations:restore', { docId, annotation: removed.annotation, relations: removed.relations }));
    expect(ok<LoadedDocument>(await call('document:load', { docId })).relations).toEqual([relation]);
    expect(ok<Relation>(await call('relations:delete', { docId, id: 'r1' }))).toEqual(relation);
    expect(events).toHaveLength(8);
    expect(events.every((e) => e.docIds.length === 1 && e.docIds[0] === docId)).toBe(true);
  });

  it('answers refused changes with error values, and tells the UI of nothing', async () => {
    ok(await call('annotations:create', { docId, annotation: { id: 'c', label: 'CASUALTIES', ...span('dozens of militants') } }));
    ok(await call('annotations:create', { docId, annotation: { id: 'd', label: 'DATE', ...span('August 29') } }));
    events = [];
    expect(error(await call('annotations:update', { docId, id: 'c', changes: { attrs: { low: 50, high: 12 } } }))).toEqual({
      code: 'invalid-input',
      message: 'low (50) is greater than high (12)',
    });
    expect(error(await call('relations:create', { docId, relation: { id: 'r', type: 'time', from: 'd', to: 'c' } }))).toMatchObject({ code: 'invalid-input' });
    expect(error(await call('relations:create', { docId, relation: { id: 'r', type: 'time', from: 'd', to: 'gone' } }))).toMatchObject({ code: 'not-found' });
    expect(error(await call('relations:delete', { docId, id: 'nope' }))).toMatchObject({ code: 'not-found' });
    expect(error(await call('document:setDate', { docId, dct: '2017-02-30' }))).toMatchObject({ code: 'invalid-input' });
    expect(error(await call('entities:apply', { batch: { upsert: [], remove: [], relink: [{ docId, annotationId: 'c', entity: 'e:none' }] } }))).toMatchObject({ code: 'invalid-input' });
    expect(error(await call('annotations:createMany', { items: [{ docId, annotation: { id: 'n', label: 'NOPE', start: 0, end: 2 } }] }))).toMatchObject({ code: 'invalid-input' });
    expect(events).toEqual([]);
  });

  it('refuses malformed payloads of the new channels before they reach the workspace', async () => {
    const bad: Array<[string, unknown]> = [
      ['annotations:update', { docId, id: 'x', changes: { attrs: { low: { nested: 1 } } } }],
      ['annotations:update', { docId, id: 'x', changes: { attrs: { low: [1] } } }],
      ['annotations:update', { docId, id: 'x', changes: { attrs: { '': 1 } } }],
      ['annotations:update', { docId, id: 'x', changes: { attrs: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, 1])) } }],
      ['relations:create', { docId, relation: { id: 'r', type: 'time', from: 'a', to: 'b', extra: 1 } }],
      ['relations:create', { docId, relation: { id: '', type: 'time', from: 'a', to: 'b' } }],
      ['document:setDate', { docId, dct: '2017-09-08T00:00:00Z' }],
      ['document:setDate', { docId }],
      ['annotations:occurrences', { docId, text: '', label: 'ORG', scope: 'document' }],
      ['annotations:occurrences', { docId, text: 'IS', label: 'ORG', scope: 'folder' }],
      ['annotations:createMany', { items: [] }],
      ['annotations:createMany', { items: [{ docId: '../x', annotation: { id: 'a', label: 'ORG', start: 0, end: 1 } }] }],
      ['schema:update', { labels: [], relationTypes: [], renames: { ORG: '' } }],
      ['schema:update', { labels: [{ name: 'A', key: '1', color: 'red' }], relationTypes: [] }],
      ['entities:apply', { batch: { upsert: [{ id: 'has space', name: 'X', type: 'ORG', aliases: [] }], remove: [], relink: [] } }],
      ['entities:apply', { batch: { upsert: [], remove: [] } }],
      ['entities:mentions', {}],
      ['events:list', { docId }],
      ['schema:usage', { label: 'ORG' }],
    ];
    for (const [channel, payload] of bad) {
      expect(error(await call(channel, payload)).code, `${channel} ${JSON.stringify(payload).slice(0, 80)}`).toBe('invalid-input');
    }
    expect(events).toEqual([]);
  });

  it('sets and clears the document date', async () => {
    expect(ok<{ dct: string | null; dctSource: string | null }>(await call('document:setDate', { docId, dct: '2017-09-08' }))).toMatchObject({ dct: '2017-09-08', dctSource: 'user' });
    expect(ok<WorkspaceView>(await call('workspace:get', {})).documents.find((d) => d.id === docId)!.dct).toBe('2017-09-08');
    expect(ok<{ dct: string | null }>(await call('document:setDate', { docId, dct: null })).dct).toBeNull();
    expect(events).toEqual([{ docIds: [docId] }, { docIds: [docId] }]);
  });

  it('tags all occurrences found in the corpus, naming every document changed', async () => {
    const found = ok<Occurrence[]>(await call('annotations:occurrences', { docId, text: 'Islamic State', label: 'ORG', scope: 'corpus' }));
    expect(new Set(found.map((o) => o.docId)).size).toBeGreaterThan(1);
    const inDoc = ok<Occurrence[]>(await call('annotations:occurrences', { docId, text: 'Islamic State', label: 'ORG', scope: 'document' }));
    expect(inDoc.every((o) => o.docId === docId)).toBe(true);
    expect(events).toEqual([]);

    const items = found.map((o, i) => ({ docId: o.docId, annotation: { id: `t${i}`, label: 'ORG', start: o.start, end: o.end } }));
    const created = ok<Array<{ docId: string; annotation: Annotation }>>(await call('annotations:createMany', { items }));
    expect(created.map((c) => c.annotation.text)).toEqual(found.map(() => 'Islamic State'));
    expect(events).toHaveLength(1);
    expect([...events[0].docIds].sort()).toEqual([...new Set(found.map((o) => o.docId))].sort());
    const again = ok<Occurrence[]>(await call('annotations:occurrences', { docId, text: 'Islamic State', label: 'ORG', scope: 'corpus' }));
    expect(again.every((o) => o.tagged)).toBe(true);
  });

  it('renames and removes labels, counting their use', async () => {
    ok(await call('annotations:create', { docId, annotation: { id: 'w', label: 'WEAPON', ...span('airstrike') } }));
    expect(ok<Record<string, number>>(await call('schema:usage', {}))).toEqual({ WEAPON: 1 });
    const view = ok<WorkspaceView>(await call('workspace:get', {}));
    const labels = view.labels.map((l) => (l.name === 'WEAPON' ? { ...l, name: 'MEANS' } : l));
    events = [];
    const renamed = ok<WorkspaceView>(await call('schema:update', { labels, relationTypes: view.relationTypes, renames: { WEAPON: 'MEANS' } }));
    expect(renamed.relationTypes.find((t) => t.name === 'weapon')!.to).toEqual(['MEANS']);
    expect(ok<Record<string, number>>(await call('schema:usage', {}))).toEqual({ MEANS: 1 });
    expect(events).toHaveLength(1);

    const without = { labels: labels.filter((l) => l.name !== 'MEANS'), relationTypes: renamed.relationTypes.filter((t) => t.name !== 'weapon') };
    expect(error(await call('schema:update', without))).toEqual({ code: 'conflict', message: 'MEANS is used by 1 annotation' });
    ok(await call('schema:update', { ...without, removeAnnotations: true }));
    expect(ok<Record<string, number>>(await call('schema:usage', {}))).toEqual({});
  });

  it('creates, lists, merges and unmerges entities, with the titles of their mentions', async () => {
    ok(await call('annotations:create', { docId, annotation: { id: 'o1', label: 'ORG', ...span('Islamic State') } }));
    ok(await call('annotations:create', { docId, annotation: { id: 'o2', label: 'ORG', ...span('ISIS') } }));
    const batch = {
      upsert: [
        { id: 'e:is', name: 'Islamic State', type: 'ORG', aliases: [] },
        { id: 'e:isis', name: 'ISIS', type: 'ORG', aliases: [] },
      ],
      remove: [],
      relink: [
        { docId, annotationId: 'o1', entity: 'e:is' },
        { docId, annotationId: 'o2', entity: 'e:isis' },
      ],
    };
    events = [];
    const created = ok<{ inverse: unknown; entities: EntityView[] }>(await call('entities:apply', { batch }));
    expect(created.entities.map((e) => [e.id, e.mentions])).toEqual([
      ['e:is', 1],
      ['e:isis', 1],
    ]);
    expect(events).toEqual([{ docIds: [docId] }]);
    expect(ok<EntityView[]>(await call('entities:list', {}))).toEqual(created.entities);
    const [mention] = ok<MentionView[]>(await call('entities:mentions', { entityId: 'e:isis' }));
    expect(mention).toMatchObject({ docId, annotationId: 'o2', text: 'ISIS', title: 'US-led coalition targets IS fighters from stranded convoy' });

    const merge = {
      upsert: [{ id: 'e:is', name: 'Islamic State', type: 'ORG', aliases: ['ISIS'] }],
      remove: ['e:isis'],
      relink: [{ docId, annotationId: 'o2', entity: 'e:is' }],
    };
    const merged = ok<{ inverse: typeof merge; entities: EntityView[] }>(await call('entities:apply', { batch: merge }));
    expect(merged.entities).toEqual([{ id: 'e:is', name: 'Islamic State', type: 'ORG', aliases: ['ISIS'], mentions: 2, documents: 1 }]);
    // The inverse crosses back as a valid payload and undoes the merge.
    const undone = ok<{ entities: EntityView[] }>(await call('entities:apply', { batch: merged.inverse }));
    expect([...undone.entities].sort((a, b) => a.id.localeCompare(b.id))).toEqual(created.entities);
    expect(error(await call('entities:apply', { batch: { upsert: [], remove: [], relink: [{ docId: otherId, annotationId: 'o1', entity: 'e:is' }] } })).code).toBe('not-found');
  });
});
