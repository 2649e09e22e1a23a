// Tests of corpus-wide entities: fuzzy lookup by name and alias, merge and split batches, and their undo.
import { describe, expect, it } from 'vitest';
import { EntityRecord } from './model.ts';
import {
  entityIdFor,
  findEntities,
  inverseBatch,
  mentionKey,
  mergeBatch,
  nameSimilarity,
  normalizeName,
  splitBatch,
  translitKey,
  type EntityBatch,
  type Mention,
} from './entities.ts';

const entity = (id: string, name: string, type: string, aliases: string[] = [], note?: string): EntityRecord => ({
  id,
  name,
  type,
  aliases,
  ...(note ? { note } : {}),
});

/** The entities and the mention links of a corpus, as the workspace keeps them, in a form tests can compare. */
interface State {
  entities: EntityRecord[];
  mentions: Mention[];
}

/** Apply a batch the way Workspace.applyEntityBatch does: remove, then upsert, then relink. */
function apply(state: State, batch: EntityBatch): State {
  const next = new Map(state.entities.map((e) => [e.id, e]));
  for (const id of batch.remove) next.delete(id);
  for (const e of batch.upsert) next.set(e.id, e);
  const links = new Map(batch.relink.map((r) => [mentionKey(r), r.entity]));
  const mentions = state.mentions.flatMap((m) => {
    const target = links.get(mentionKey(m));
    if (target === undefined) return [m];
    return target === null ? [] : [{ ...m, entity: target }];
  });
  for (const m of mentions) expect(next.has(m.entity), `mention ${m.annotationId} links to a missing entity ${m.entity}`).toBe(true);
  return { entities: [...next.values()], mentions };
}

/** Apply a batch and return the batch that undoes it, as the workspace does. */
function applyWithInverse(state: State, batch: EntityBatch): { state: State; inverse: EntityBatch } {
  const previous = new Map<string, string | null>();
  for (const r of batch.relink) previous.set(mentionKey(r), state.mentions.find((m) => mentionKey(m) === mentionKey(r))?.entity ?? null);
  return { state: apply(state, batch), inverse: inverseBatch(state.entities, batch, previous) };
}

/** A state with its entities in id order, for comparing states whose lists were rebuilt. */
const sorted = (s: State): State => ({
  entities: [...s.entities].sort((a, b) => a.id.localeCompare(b.id)),
  mentions: [...s.mentions].sort((a, b) => mentionKey(a).localeCompare(mentionKey(b))),
});

const mention = (docId: string, annotationId: string, text: string, entityId: string, label = 'ORG'): Mention => ({
  docId,
  annotationId,
  label,
  text,
  start: 0,
  end: text.length,
  entity: entityId,
});

describe('normalizeName and translitKey', () => {
  it('fold case, diacritics, punctuation, apostrophes and a leading "the"', () => {
    expect(normalizeName('  The Islamic-State ')).toBe('islamic state');
    expect(normalizeName('Deir ez-Zôr')).toBe('deir ez zor');
    expect(normalizeName("Ma'arrat al-Nu‘man")).toBe('maarrat al nu man');
    expect(normalizeName('…')).toBe('');
  });

  it('meet for transliterations of one Arabic name, whatever the particle or its case', () => {
    const keys = ['Deir ez-Zor', 'Deir el-Zour', 'Deir az-Zour', 'Deir Ez-Zor', 'DEIR EZ-ZOR'].map(translitKey);
    expect(new Set(keys).size).toBe(1);
    expect(translitKey('Al-Raqqa')).toBe(translitKey('Raqqa'));
    expect(translitKey('Albu Kamal')).toBe(translitKey('Al Bukamal'));
    expect(translitKey('Albukamal')).toBe(translitKey('Al Bukamal'));
  });
});

describe('nameSimilarity', () => {
  it('is 1 for the same name written differently, and symmetric', () => {
    expect(nameSimilarity('Islamic State', 'the islamic state')).toBe(1);
    expect(nameSimilarity('Deir ez-Zor', 'Deir el-Zour')).toBe(nameSimilarity('Deir el-Zour', 'Deir ez-Zor'));
    expect(nameSimilarity('', 'Raqqa')).toBe(0);
  });

  it('gives a typed beginning or leading whole words a good score, but not two letters cut from a word', () => {
    expect(nameSimilarity('Isl', 'Islamic State')).toBeGreaterThan(0.6);
    expect(nameSimilarity('Deir', 'Deir ez-Zor')).toBeGreaterThan(0.6);
    expect(nameSimilarity('IS fighters', 'IS')).toBeGreaterThan(0.6);
    expect(nameSimilarity('Israel', 'IS')).toBeLessThan(0.45);
    expect(nameSimilarity('IS', 'Istanbul')).toBeLessThan(0.45);
  });
});

describe('findEntities', () => {
  const corpus = [
    entity('e:is', 'Islamic State', 'ORG', ['ISIS', 'IS']),
    entity('e:deir', 'Deir ez-Zor', 'LOCATION'),
    entity('e:bukamal', 'Albu Kamal', 'LOCATION'),
    entity('e:sdf', 'Syrian Democratic Forces', 'ORG', ['SDF']),
    entity('e:israel', 'Israel', 'LOCATION'),
    entity('e:palmyra', 'Palmyra', 'LOCATION', ['Tadmur']),
  ];
  const ids = (query: string, options?: Parameters<typeof findEntities>[2]) => findEntities(corpus, query, options).map((m) => m.entity.id);

  it('finds the Islamic State by IS, ISIS and its name, saying which name matched', () => {
    for (const q of ['IS', 'ISIS', 'Islamic State', 'the Islamic State', 'islamic state', 'ISLAMIC STATE']) {
      const [best] = findEntities(corpus, q);
      expect(best?.entity.id, q).toBe('e:is');
      expect(best.score, q).toBe(1);
    }
    expect(findEntities(corpus, 'ISIS')[0].matched).toBe('ISIS');
    expect(findEntities(corpus, 'the Islamic State')[0].matched).toBe('Islamic State');
  });

  it('finds Deir ez-Zor under its transliterations', () => {
    for (const q of ['Deir ez-Zor', 'Deir el-Zour', 'Deir az-Zour', 'Deir Ez-Zor', 'Deir Ezzor', 'Dayr al-Zawr']) {
      expect(ids(q)[0], q).toBe('e:deir');
    }
  });

  it('finds Albu Kamal under its transliterations', () => {
    for (const q of ['Albu Kamal', 'Al Bukamal', 'Albukamal', 'Boukamal', 'Abu Kamal', 'al-Bukamal']) {
      expect(ids(q)[0], q).toBe('e:bukamal');
    }
  });

  it('forgives a typo', () => {
    expect(ids('Palmira')[0]).toBe('e:palmyra');
    expect(ids('Syrian Democratc Forces')[0]).toBe('e:sdf');
    expect(ids('Deir ez-Zorr')[0]).toBe('e:deir');
  });

  it('does not match unrelated names', () => {
    for (const q of ['Raqqa', 'Aleppo', 'Damascus', 'Hama', 'Idlib', 'Russia', 'Istanbul', 'Syrian Arab Army', 'Iraq']) {
      expect(ids(q), q).toEqual([]);
    }
    expect(ids('Israel')).toEqual(['e:israel']);
  });

  it('orders ties by type (the one asked for first), then name, and keeps to the limit and the minimum score', () => {
    const twins = [entity('e:b', 'Hasakah', 'ORG'), entity('e:a', 'Hasakah', 'LOCATION'), entity('e:c', 'Hasakah', 'PERSON')];
    expect(findEntities(twins, 'Hasakah', { type: 'LOCATION' }).map((m) => m.entity.id)).toEqual(['e:a', 'e:b', 'e:c']);
    expect(findEntities(twins, 'Hasakah', { type: 'PERSON', limit: 2 }).map((m) => m.entity.id)).toEqual(['e:c', 'e:b']);
    expect(findEntities(corpus, 'Palmira', { minScore: 0.99 })).toEqual([]);
    expect(findEntities([], 'Raqqa')).toEqual([]);
  });
});

describe('merge', () => {
  const before = (): State => ({
    entities: [
      entity('e:is', 'IS', 'ORG', [], 'Short form used by Reuters.'),
      entity('e:islamic-state', 'Islamic State', 'ORG', ['Islamic State of Iraq and the Levant'], 'The jihadist group.'),
      entity('e:isis', 'ISIS', 'ORG', ['ISIL']),
      entity('e:sdf', 'SDF', 'ORG'),
    ],
    mentions: [
      mention('d1', 'a1', 'IS', 'e:is'),
      mention('d1', 'a2', 'Islamic State', 'e:islamic-state'),
      mention('d2', 'a1', 'ISIS', 'e:isis'),
      mention('d2', 'a7', 'Daesh', 'e:isis'),
      mention('d3', 'a1', 'IS', 'e:is'),
      mention('d3', 'a2', 'SDF', 'e:sdf'),
    ],
  });

  it('makes IS, Islamic State and ISIS one entity with all their mentions, their names as aliases, and their notes', () => {
    const start = before();
    const batch = mergeBatch(start.entities, 'e:islamic-state', ['e:is', 'e:isis'], start.mentions);
    expect(batch.remove.sort()).toEqual(['e:is', 'e:isis']);
    const after = apply(start, batch);
    expect(after.entities.map((e) => e.id)).toEqual(['e:islamic-state', 'e:sdf']);
    const merged = after.entities[0];
    expect(merged.name).toBe('Islamic State');
    expect(merged.type).toBe('ORG');
    expect(merged.aliases).toEqual(['Islamic State of Iraq and the Levant', 'IS', 'ISIS', 'ISIL', 'Daesh']);
    expect(merged.note).toBe('The jihadist group.\n\nShort form used by Reuters.');
    expect(after.mentions.filter((m) => m.entity === 'e:islamic-state').map(mentionKey).sort()).toEqual(
      ['d1\u0000a1', 'd1\u0000a2', 'd2\u0000a1', 'd2\u0000a7', 'd3\u0000a1'].sort(),
    );
    expect(after.mentions.find((m) => m.annotationId === 'a2' && m.docId === 'd3')!.entity).toBe('e:sdf');
    // Only mentions that change are relinked.
    expect(batch.relink).toHaveLength(4);
  });

  it('adds no alias twice, nor the kept name, whatever the case or spelling of the duplicates', () => {
    const entities = [entity('e:a', 'Islamic State', 'ORG', ['ISIS']), entity('e:b', 'the islamic state', 'ORG', ['isis', 'Daesh'])];
    const mentions = [mention('d1', 'x', 'ISLAMIC STATE', 'e:b'), mention('d1', 'y', 'Daesh', 'e:b')];
    const [merged] = mergeBatch(entities, 'e:a', ['e:b'], mentions).upsert;
    expect(merged.aliases).toEqual(['ISIS', 'Daesh']);
    expect(merged.note).toBeUndefined();
  });

  it('ignores the kept entity among those merged in, and refuses unknown ids', () => {
    const start = before();
    const batch = mergeBatch(start.entities, 'e:is', ['e:is', 'e:isis', 'e:isis'], start.mentions);
    expect(batch.remove).toEqual(['e:isis']);
    expect(() => mergeBatch(start.entities, 'e:nope', ['e:is'], start.mentions)).toThrow('No entity e:nope');
    expect(() => mergeBatch(start.entities, 'e:is', ['e:nope'], start.mentions)).toThrow('No entity e:nope');
  });

  it('is undone exactly by its inverse', () => {
    const start = before();
    const { state: merged, inverse } = applyWithInverse(start, mergeBatch(start.entities, 'e:islamic-state', ['e:is', 'e:isis'], start.mentions));
    const undone = apply(merged, inverse);
    expect(sorted(undone)).toEqual(sorted(start));
    // Undoing the undo merges again.
    const { state: redone } = applyWithInverse(undone, inverseBatch(merged.entities, inverse, new Map(inverse.relink.map((r) => [mentionKey(r), 'e:islamic-state']))));
    expect(sorted(redone)).toEqual(sorted(merged));
  });
});

describe('split', () => {
  const before = (): State => ({
    entities: [entity('e:is', 'Islamic State', 'ORG', ['IS', 'ISIS', 'Daesh'], 'Mixed up with the rebels.'), entity('e:fsa', 'Free Syrian Army', 'ORG')],
    mentions: [
      mention('d1', 'a1', 'IS', 'e:is'),
      mention('d1', 'a2', 'ISIS', 'e:is'),
      mention('d2', 'a1', 'Islamic State', 'e:is'),
      mention('d2', 'a2', 'Jaish al-Islam', 'e:is'),
      mention('d3', 'a1', 'Jaish al-Islam', 'e:is'),
      mention('d3', 'a2', 'Daesh', 'e:is'),
      mention('d3', 'a3', 'FSA', 'e:fsa'),
    ],
  });
  const moving = [
    { docId: 'd2', annotationId: 'a2' },
    { docId: 'd3', annotationId: 'a1' },
  ];

  it('moves the chosen mentions to a new entity of the same type, their texts as its aliases', () => {
    const start = before();
    const { entities } = start;
    const withAlias = entities.map((e) => (e.id === 'e:is' ? { ...e, aliases: [...e.aliases, 'Jaish al-Islam'] } : e));
    const batch = splitBatch(withAlias, 'e:is', moving, start.mentions, { id: 'e:jaish', name: 'Army of Islam' });
    const after = apply({ ...start, entities: withAlias }, batch);
    const fresh = after.entities.find((e) => e.id === 'e:jaish')!;
    expect(fresh).toEqual({ id: 'e:jaish', name: 'Army of Islam', type: 'ORG', aliases: ['Jaish al-Islam'] });
    const old = after.entities.find((e) => e.id === 'e:is')!;
    // The alias only the moved mentions used moves with them; the note stays.
    expect(old.aliases).toEqual(['IS', 'ISIS', 'Daesh']);
    expect(old.note).toBe('Mixed up with the rebels.');
    expect(after.mentions.filter((m) => m.entity === 'e:jaish').map(mentionKey)).toEqual(['d2\u0000a2', 'd3\u0000a1']);
    expect(after.mentions.filter((m) => m.entity === 'e:is').map((m) => m.text)).toEqual(['IS', 'ISIS', 'Islamic State', 'Daesh']);
  });

  it('leaves an alias with the old entity while mentions that stay still use it', () => {
    const start = before();
    const batch = splitBatch(start.entities, 'e:is', [{ docId: 'd1', annotationId: 'a2' }], [...start.mentions, mention('d4', 'a1', 'ISIS', 'e:is')], {
      id: 'e:isis',
      name: 'ISIS',
    });
    const [old, fresh] = batch.upsert;
    expect(old.aliases).toEqual(['IS', 'ISIS', 'Daesh']);
    // The new entity's name is not repeated as its alias.
    expect(fresh.aliases).toEqual([]);
  });

  it('refuses mentions of another entity and an id that is taken', () => {
    const start = before();
    expect(() => splitBatch(start.entities, 'e:is', [{ docId: 'd3', annotationId: 'a3' }], start.mentions, { id: 'e:x', name: 'X' })).toThrow(/do not link to Islamic State/);
    expect(() => splitBatch(start.entities, 'e:is', moving, start.mentions, { id: 'e:fsa', name: 'X' })).toThrow(/exists already/);
    expect(() => splitBatch(start.entities, 'e:nope', moving, start.mentions, { id: 'e:x', name: 'X' })).toThrow('No entity e:nope');
  });

  it('is undone exactly by its inverse', () => {
    const start = before();
    const { state: split, inverse } = applyWithInverse(start, splitBatch(start.entities, 'e:is', moving, start.mentions, { id: 'e:jaish', name: 'Army of Islam' }));
    expect(inverse.remove).toEqual(['e:jaish']);
    expect(sorted(apply(split, inverse))).toEqual(sorted(start));
  });
});

describe('inverseBatch', () => {
  it('undoes a new entity linked to unlinked mentions by removing it and unlinking them', () => {
    const start: State = { entities: [], mentions: [] };
    const batch: EntityBatch = { upsert: [entity('e:x', 'X', 'ORG')], remove: [], relink: [{ docId: 'd1', annotationId: 'a1', entity: 'e:x' }] };
    const inverse = inverseBatch(start.entities, batch, new Map([[mentionKey({ docId: 'd1', annotationId: 'a1' }), null]]));
    expect(inverse).toEqual({ upsert: [], remove: ['e:x'], relink: [{ docId: 'd1', annotationId: 'a1', entity: null }] });
  });

  it('undoes an edit of a record by putting the old record back', () => {
    const old = entity('e:x', 'X', 'ORG', ['Ex'], 'note');
    const inverse = inverseBatch([old], { upsert: [{ ...old, name: 'Y', aliases: [] }], remove: [], relink: [] }, new Map());
    expect(inverse).toEqual({ upsert: [old], remove: [], relink: [] });
  });
});

describe('entityIdFor', () => {
  it('makes a readable id from a name, unique among those taken', () => {
    expect(entityIdFor('Islamic State', new Set())).toBe('e:islamic-state');
    expect(entityIdFor('Deir ez-Zôr', new Set())).toBe('e:deir-ez-zor');
    expect(entityIdFor('Islamic State', new Set(['e:islamic-state', 'e:islamic-state-2']))).toBe('e:islamic-state-3');
    expect(entityIdFor('داعش', new Set())).toBe('e:entity');
    expect(entityIdFor('x'.repeat(300), new Set())).toMatch(/^e:x{48}$/);
  });

  it('makes ids an entity record accepts', () => {
    for (const name of ['Islamic State', 'داعش', '  ', 'A/B\\C', 'x'.repeat(300)]) {
      const id = entityIdFor(name, new Set());
      expect(EntityRecord.safeParse({ id, name: 'n', type: 'ORG', aliases: [] }).success, id).toBe(true);
    }
  });
});
