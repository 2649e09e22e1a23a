// Unit tests of DocumentSession: every change (attributes, relations, deletes with relations, tag all,
// suggestions) shows at once, is sent in order, and is undone and redone exactly.
import { describe, expect, it } from 'vitest';
import type { GlossApi, LoadedDocument } from '../annotations/api/contract.ts';
import type { Annotation, LabelDef, RelationTypeDef } from '../annotations/model.ts';
import { DocumentSession } from './session.ts';

const TEXT = 'The coalition struck Raqqa on Monday, killing 12 civilians.';
const LABELS: LabelDef[] = [
  { name: 'ORG', key: '2', color: '#56B4E9', description: '' },
  { name: 'LOCATION', key: '3', color: '#009E73', description: '' },
  { name: 'DATE', key: '4', color: '#F0E442', description: '', attributes: [{ name: 'value', type: 'date' }] },
  {
    name: 'CASUALTIES',
    key: '5',
    color: '#D55E00',
    description: '',
    attributes: [
      { name: 'low', type: 'number' },
      { name: 'high', type: 'number' },
      { name: 'group', type: 'enum', values: ['civilians', 'fighters'] },
    ],
  },
  { name: 'EVENT', key: '7', color: '#CC79A7', description: '' },
];
const TYPES: RelationTypeDef[] = [
  { name: 'time', from: ['EVENT'], to: ['DATE'] },
  { name: 'place', from: ['EVENT'], to: ['LOCATION'] },
  { name: 'actor', from: ['EVENT'], to: ['ORG'] },
  { name: 'victims', from: ['EVENT'], to: ['CASUALTIES'] },
];

const at = (s: string) => [TEXT.indexOf(s), TEXT.indexOf(s) + s.length] as const;

function ann(id: string, label: string, s: string, extra: Partial<Annotation> = {}): Annotation {
  const [start, end] = at(s);
  return { id, label, start, end, text: s, author: 'me', created: 't', modified: 't', ...extra };
}

/** A fake back end that records each call and answers as the store would. */
function fakeApi() {
  const calls: Array<[string, unknown]> = [];
  const handler = {
    get(_t: object, channel: string) {
      return async (input: { annotation?: Annotation; changes?: Partial<Annotation>; id?: string }) => {
        calls.push([channel, input]);
        if (channel === 'annotations:create' || channel === 'annotations:restore') return { ...input.annotation, author: 'me', created: 't', modified: 't' };
        if (channel === 'annotations:update') return null;
        if (channel === 'annotations:delete') return { annotation: null, relations: [] };
        return null;
      };
    },
  };
  return { api: new Proxy({}, handler) as GlossApi, calls };
}

function open(annotations: Annotation[], relations: LoadedDocument['relations'] = []) {
  const { api, calls } = fakeApi();
  const doc = {
    entry: { id: 'd1', path: 'a.txt', hash: 'h', size: 1, mtimeMs: 1, encoding: 'utf-8', title: 't', dct: '2017-08-30', dctSource: null, length: TEXT.length, annotationCount: annotations.length },
    text: TEXT,
    annotations,
    relations,
    orphans: [],
  } satisfies LoadedDocument;
  return { session: new DocumentSession(api, doc, 'me'), calls };
}

describe('DocumentSession', () => {
  it('checks attribute values before changing anything, and undoes and redoes an edit', async () => {
    const { session, calls } = open([ann('c', 'CASUALTIES', '12 civilians')]);
    expect(session.edit('c', LABELS, { low: 12, high: 5 })).toEqual(['low (12) is greater than high (5)']);
    expect(session.get('c')!.attrs).toBeUndefined();
    expect(session.canUndo).toBe(false);

    expect(session.edit('c', LABELS, { low: '12', high: 12, group: 'civilians' }, 'from the ministry')).toBeNull();
    expect(session.get('c')).toMatchObject({ attrs: { low: 12, high: 12, group: 'civilians' }, note: 'from the ministry' });
    session.undo();
    expect(session.get('c')!.attrs).toBeUndefined();
    expect(session.get('c')!.note).toBeUndefined();
    session.redo();
    expect(session.get('c')!.attrs).toEqual({ low: 12, high: 12, group: 'civilians' });
    await session.settled();
    const updates = calls.filter(([c]) => c === 'annotations:update').map(([, i]) => (i as { changes: { attrs: unknown; note: string } }).changes);
    expect(updates.map((u) => [u.attrs, u.note])).toEqual([
      [{ low: 12, high: 12, group: 'civilians' }, 'from the ministry'],
      [{}, ''],
      [{ low: 12, high: 12, group: 'civilians' }, 'from the ministry'],
    ]);
  });

  it('links by keyboard: candidates nearest first, already linked ones left out; checks relation types', async () => {
    const { session, calls } = open([ann('e', 'EVENT', 'struck'), ann('o', 'ORG', 'coalition'), ann('l', 'LOCATION', 'Raqqa'), ann('d', 'DATE', 'Monday'), ann('c', 'CASUALTIES', '12 civilians')]);
    session.select('e');
    expect(session.startLink(TYPES)).toBe(true);
    // "Raqqa" (22) is nearer to "struck" (14) than "coalition" (4).
    expect(session.link!.candidates).toEqual(['l', 'o', 'd', 'c']);
    expect(session.emphasis('l').candidate).toBe(true);
    session.moveLink(1);
    expect(session.emphasis('o').candidate).toBe(true);
    expect(session.finishLink(TYPES)).toBeNull();
    expect(session.relations).toEqual([expect.objectContaining({ type: 'actor', from: 'e', to: 'o' })]);
    expect(session.emphasis('o').related).toBe(true);

    expect(session.startLink(TYPES)).toBe(true);
    expect(session.link!.candidates).toEqual(['l', 'd', 'c']);
    session.cancelLink();
    // From the other end: selecting the DATE and linking makes EVENT -time-> DATE.
    session.select('d');
    session.startLink(TYPES);
    expect(session.link!.candidates).toEqual(['e']);
    session.finishLink(TYPES);
    expect(session.relations.map((r) => [r.type, r.from, r.to])).toContainEqual(['time', 'e', 'd']);
    expect(session.relate(TYPES, 'time', 'd', 'e')).toMatch(/starts at EVENT/);
    expect(session.relate(TYPES, 'time', 'e', 'd')).toBe('Already linked by time');

    session.undo();
    expect(session.relations).toHaveLength(1);
    await session.settled();
    expect(calls.map(([c]) => c)).toEqual(['relations:create', 'relations:create', 'relations:delete']);
  });

  it('removing an annotation removes its relations, and undo brings both back through restore', async () => {
    const { session, calls } = open([ann('e', 'EVENT', 'struck'), ann('l', 'LOCATION', 'Raqqa')], [{ id: 'r1', type: 'place', from: 'e', to: 'l' }]);
    session.remove('l');
    expect(session.relations).toEqual([]);
    session.undo();
    expect(session.get('l')).toBeDefined();
    expect(session.relations).toEqual([{ id: 'r1', type: 'place', from: 'e', to: 'l' }]);
    await session.settled();
    const restore = calls.find(([c]) => c === 'annotations:restore')![1] as { relations: unknown[] };
    expect(restore.relations).toEqual([{ id: 'r1', type: 'place', from: 'e', to: 'l' }]);
  });

  it('tags many at once as one undo step', async () => {
    const { session, calls } = open([]);
    session.createMany([
      { label: 'ORG', start: at('coalition')[0], end: at('coalition')[1] },
      { label: 'LOCATION', start: at('Raqqa')[0], end: at('Raqqa')[1] },
    ]);
    expect(session.annotations.map((a) => a.text)).toEqual(['coalition', 'Raqqa']);
    session.undo();
    expect(session.annotations).toEqual([]);
    await session.settled();
    expect(calls.map(([c]) => c)).toEqual(['annotations:createMany', 'annotations:delete', 'annotations:delete']);
  });

  it('accepts and rejects suggestions, moves through them, and undoes a resolution', async () => {
    const pending = { pending: true, source: 'suggest:dates@1', score: 0.9 };
    const { session, calls } = open([ann('s1', 'DATE', 'Monday', { ...pending, attrs: { value: '2017-08-28' } }), ann('s2', 'CASUALTIES', '12 civilians', pending), ann('o', 'ORG', 'coalition')]);
    expect(session.suggestions.map((a) => a.id)).toEqual(['s1', 's2']);
    expect(session.nextPending()!.id).toBe('s1');
    expect(session.nextPending()!.id).toBe('s2');
    expect(session.nextPending()!.id).toBe('s1');
    session.resolve(['s1'], ['s2']);
    expect(session.get('s1')!.pending).toBeUndefined();
    expect(session.get('s1')!.source).toBe('suggest:dates@1');
    expect(session.get('s2')).toBeUndefined();
    expect(session.suggestions).toEqual([]);
    session.undo();
    expect(session.suggestions.map((a) => a.id)).toEqual(['s1', 's2']);
    await session.settled();
    expect(calls.map(([c]) => c)).toEqual(['suggestions:resolve', 'suggestions:reopen']);
    expect(calls[0][1]).toEqual({ docId: 'd1', accept: ['s1'], reject: ['s2'] });
  });
});
