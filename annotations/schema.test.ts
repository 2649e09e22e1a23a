// Tests of the annotation schema's rules: consistency, attribute values, relation ends, upgrades, JSON files.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EntityRecord, LabelDef, RelationTypeDef } from './model.ts';
import { readDefaultSchema } from './api/service.ts';
import {
  RESERVED_KEYS,
  checkAttrs,
  isTimexValue,
  relationProblem,
  relationTypesFor,
  schemaFromJson,
  schemaProblems,
  schemaToJson,
  upgradeSchema,
  type Schema,
} from './schema.ts';

const RESOURCES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../resources');
const DEFAULTS = await readDefaultSchema(RESOURCES);
const LABELS = DEFAULTS.labels;
const TYPES = DEFAULTS.relationTypes;

const label = (name: string, key: string, attributes?: LabelDef['attributes']): LabelDef => ({
  name,
  key,
  color: '#112233',
  description: '',
  ...(attributes ? { attributes } : {}),
});

/** The problems of checkAttrs, or [] when it accepted. */
function problemsOf(result: ReturnType<typeof checkAttrs>): string[] {
  return result.ok ? [] : result.problems;
}

/** The cleaned values of checkAttrs; fails the test when it refused. */
function cleaned(result: ReturnType<typeof checkAttrs>): Record<string, unknown> {
  if (!result.ok) throw new Error(`refused: ${result.problems.join('; ')}`);
  return result.attrs;
}

describe('the default schema', () => {
  it('is consistent and has the attributes and relation types the issue asks for', () => {
    expect(schemaProblems(DEFAULTS)).toEqual([]);
    const attrs = (name: string) => LABELS.find((l) => l.name === name)?.attributes?.map((a) => `${a.name}:${a.type}`);
    expect(attrs('DATE')).toEqual(['value:date', 'mod:enum']);
    expect(attrs('CASUALTIES')).toEqual(['low:number', 'high:number', 'approx:boolean', 'group:enum', 'outcome:enum']);
    expect(attrs('EVENT')).toEqual(['type:enum']);
    for (const name of ['PERSON', 'ORG', 'LOCATION']) expect(attrs(name)).toEqual(['entity:entity']);
    expect(TYPES.map((t) => t.name)).toEqual(['time', 'place', 'actor', 'victims', 'weapon']);
  });

  it('reads the default relation types as none when resources has no relation-types.json', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-schema-'));
    try {
      await fsp.copyFile(path.join(RESOURCES, 'labels.json'), path.join(dir, 'labels.json'));
      expect(await readDefaultSchema(dir)).toEqual({ labels: LABELS, relationTypes: [] });
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('schemaProblems', () => {
  const ok: Schema = { labels: [label('A', '1'), label('B', '2')], relationTypes: [{ name: 'link', from: ['A'], to: ['B'] }] };

  it('accepts a consistent schema', () => {
    expect(schemaProblems(ok)).toEqual([]);
  });

  it('finds two labels with one name', () => {
    expect(schemaProblems({ labels: [label('A', '1'), label('A', '2')], relationTypes: [] })).toEqual(['Two labels are named A']);
  });

  it('finds two labels with one key, but lets any number of labels have no key', () => {
    expect(schemaProblems({ ...ok, labels: [label('A', '1'), label('B', '1')] })).toEqual(['B and A both use the key 1']);
    expect(schemaProblems({ ...ok, labels: [label('A', ''), label('B', ''), label('C', '')] })).toEqual([]);
  });

  it("refuses the reader's command keys, in either case", () => {
    expect(RESERVED_KEYS).toEqual(expect.arrayContaining(['r', '/']));
    expect(schemaProblems({ ...ok, labels: [label('A', 'R'), label('B', '/')] })).toEqual([
      `A: the key R is taken by a command (${RESERVED_KEYS.join(' ')})`,
      `B: the key / is taken by a command (${RESERVED_KEYS.join(' ')})`,
    ]);
    for (const key of RESERVED_KEYS) expect(schemaProblems({ labels: [label('A', key)], relationTypes: [] }), key).toHaveLength(1);
  });

  it('finds an enum without values, a value listed twice and two attributes with one name', () => {
    const problems = schemaProblems({
      labels: [
        label('A', '1', [
          { name: 'kind', type: 'enum' },
          { name: 'size', type: 'enum', values: [] },
          { name: 'mode', type: 'enum', values: ['x', 'y', 'x'] },
          { name: 'n', type: 'number' },
          { name: 'n', type: 'text' },
        ]),
      ],
      relationTypes: [],
    });
    expect(problems).toEqual([
      'A.kind is a list but has no values',
      'A.size is a list but has no values',
      'A.mode lists a value twice',
      'A has two attributes named n',
    ]);
  });

  it('finds relation ends naming labels that are not in the schema', () => {
    const problems = schemaProblems({ ...ok, relationTypes: [{ name: 'link', from: ['A', 'GHOST'], to: ['NOPE'] }] });
    expect(problems).toEqual([
      'Relation link names the label GHOST, which is not in the schema',
      'Relation link names the label NOPE, which is not in the schema',
    ]);
  });

  it('finds two relation types with one name', () => {
    const twice = { name: 'link', from: ['A'], to: ['B'] };
    expect(schemaProblems({ ...ok, relationTypes: [twice, twice] })).toEqual(['Two relation types are named link']);
  });

  it('explains bad label, attribute and relation names and colours', () => {
    const problems = schemaProblems({
      labels: [
        label('has space', '1'),
        { ...label('C', '3'), color: 'red' },
        label('D', '4', [{ name: '1st', type: 'text' }]),
        label('', '5'),
        label('E', '66'),
      ],
      relationTypes: [{ name: 'a/b', from: [], to: [] }],
    });
    expect(problems).toHaveLength(6);
    expect(problems[0]).toMatch(/^Label has space: name: .*letters, digits, _ and - only/);
    expect(problems[1]).toMatch(/^Label C: color: /);
    expect(problems[2]).toMatch(/^Label D: attributes\.0\.name: .*a letter or _/);
    expect(problems[3]).toMatch(/^Label \(unnamed\): name: /);
    expect(problems[4]).toMatch(/^Label E: key: /);
    expect(problems[5]).toMatch(/^Relation a\/b: name: /);
  });

  it('refuses an attribute named __proto__, which a plain object cannot hold as a value', () => {
    const problems = schemaProblems({ labels: [label('A', '1', [{ name: '__proto__', type: 'text' }])], relationTypes: [] });
    expect(problems).toEqual([expect.stringMatching(/^A\.__proto__: /)]);
  });
});

describe('isTimexValue', () => {
  it.each(['2017-08-30', '2017-08', '2017', '2017-W35', '2017-W34-WE', '2017-W35-3', '2019-02-11TNI', '2019-02-11TMO', '2019-02-11T14:30', '2017-Q3', '2017-H2', '2017-SU', '201X', '20XX', 'PAST_REF', 'PRESENT_REF', 'FUTURE_REF', '2016-02-29'])(
    'accepts %s',
    (value) => {
      expect(isTimexValue(value)).toBe(true);
    },
  );

  it.each(['2017-13', '2017-00', '2017-W60', '2017-W00', 'yesterday', '', '17', '2017-8-30', '2017-08-32', '2017-02-30', '2017-02-29', '2017-04-31', '2019-02-11TXX', 'past_ref', ' 2017', '2017-08-30T25'])(
    'refuses %j',
    (value) => {
      expect(isTimexValue(value)).toBe(false);
    },
  );
});

describe('checkAttrs', () => {
  const entities = new Set(['e:islamic-state', 'e:raqqa']);

  it('takes numbers and strings of digits as numbers, and refuses negative or non-numeric ones', () => {
    expect(cleaned(checkAttrs(LABELS, 'CASUALTIES', { low: 12, high: '40' }))).toEqual({ low: 12, high: 40 });
    expect(cleaned(checkAttrs(LABELS, 'CASUALTIES', { low: 0, high: ' 7 ' }))).toEqual({ low: 0, high: 7 });
    expect(cleaned(checkAttrs(LABELS, 'CASUALTIES', { low: 2.5 }))).toEqual({ low: 2.5 });
    expect(problemsOf(checkAttrs(LABELS, 'CASUALTIES', { low: -3 }))).toEqual(['low: must not be negative']);
    expect(problemsOf(checkAttrs(LABELS, 'CASUALTIES', { low: '-3' }))).toEqual(['low: must not be negative']);
    expect(problemsOf(checkAttrs(LABELS, 'CASUALTIES', { low: 'dozens' }))).toEqual(['low: "dozens" is not a number']);
    expect(problemsOf(checkAttrs(LABELS, 'CASUALTIES', { low: '1e3' }))).toEqual(['low: "1e3" is not a number']);
    expect(problemsOf(checkAttrs(LABELS, 'CASUALTIES', { low: Number.NaN }))).toEqual(['low: "NaN" is not a number']);
    expect(problemsOf(checkAttrs(LABELS, 'CASUALTIES', { high: Number.POSITIVE_INFINITY }))).toEqual(['high: "Infinity" is not a number']);
    expect(problemsOf(checkAttrs(LABELS, 'CASUALTIES', { low: true }))).toEqual(['low: "true" is not a number']);
  });

  it('refuses low greater than high with a message, and accepts either bound alone', () => {
    expect(problemsOf(checkAttrs(LABELS, 'CASUALTIES', { low: 50, high: 12 }))).toEqual(['low (50) is greater than high (12)']);
    expect(problemsOf(checkAttrs(LABELS, 'CASUALTIES', { low: '50', high: '12' }))).toEqual(['low (50) is greater than high (12)']);
    expect(cleaned(checkAttrs(LABELS, 'CASUALTIES', { low: 12, high: 12 }))).toEqual({ low: 12, high: 12 });
    expect(cleaned(checkAttrs(LABELS, 'CASUALTIES', { high: 12 }))).toEqual({ high: 12 });
    expect(cleaned(checkAttrs(LABELS, 'CASUALTIES', { low: 50, high: '' }))).toEqual({ low: 50 });
  });

  it('accepts only the listed values of an enum', () => {
    expect(cleaned(checkAttrs(LABELS, 'CASUALTIES', { group: 'civilians', outcome: 'killed' }))).toEqual({ group: 'civilians', outcome: 'killed' });
    expect(cleaned(checkAttrs(LABELS, 'EVENT', { type: 'shelling/missile attack' }))).toEqual({ type: 'shelling/missile attack' });
    const [problem] = problemsOf(checkAttrs(LABELS, 'CASUALTIES', { group: 'Civilians' }));
    expect(problem).toBe('group: "Civilians" is not one of civilians, fighters, soldiers, children, women, men, people, unknown');
    expect(problemsOf(checkAttrs(LABELS, 'EVENT', { type: 3 }))).toHaveLength(1);
  });

  it('accepts TIMEX3-style dates (trimmed) and refuses others with examples', () => {
    for (const value of ['2017-08-30', '2017-08', '2017', '2017-W35', '2017-W34-WE', '2019-02-11TNI', 'PAST_REF']) {
      expect(cleaned(checkAttrs(LABELS, 'DATE', { value }))).toEqual({ value });
    }
    expect(cleaned(checkAttrs(LABELS, 'DATE', { value: ' 2017-08-29 ', mod: 'end' }))).toEqual({ value: '2017-08-29', mod: 'end' });
    for (const value of ['2017-13', '2017-W60', 'yesterday', 20170830]) {
      const [problem] = problemsOf(checkAttrs(LABELS, 'DATE', { value }));
      expect(problem).toMatch(/^value: ".*" is not a date value \(e\.g\. 2017-08-30/);
    }
  });

  it('accepts only booleans for a boolean', () => {
    expect(cleaned(checkAttrs(LABELS, 'CASUALTIES', { approx: true }))).toEqual({ approx: true });
    expect(cleaned(checkAttrs(LABELS, 'CASUALTIES', { approx: false }))).toEqual({ approx: false });
    expect(problemsOf(checkAttrs(LABELS, 'CASUALTIES', { approx: 'true' }))).toEqual(['approx: must be true or false']);
    expect(problemsOf(checkAttrs(LABELS, 'CASUALTIES', { approx: 1 }))).toEqual(['approx: must be true or false']);
  });

  it('accepts text up to its longest length', () => {
    const labels = [label('NOTE', '1', [{ name: 'comment', type: 'text' }])];
    expect(cleaned(checkAttrs(labels, 'NOTE', { comment: 'x'.repeat(10_000) }))).toEqual({ comment: 'x'.repeat(10_000) });
    expect(problemsOf(checkAttrs(labels, 'NOTE', { comment: 'x'.repeat(10_001) }))).toEqual(['comment: longer than 10000 characters']);
    expect(problemsOf(checkAttrs(labels, 'NOTE', { comment: 5 }))).toEqual(['comment: must be text']);
  });

  it('accepts entity ids of the corpus only (a set or a map of records)', () => {
    expect(cleaned(checkAttrs(LABELS, 'ORG', { entity: 'e:islamic-state' }, entities))).toEqual({ entity: 'e:islamic-state' });
    expect(problemsOf(checkAttrs(LABELS, 'ORG', { entity: 'e:nobody' }, entities))).toEqual(['entity: no entity e:nobody in this corpus']);
    expect(problemsOf(checkAttrs(LABELS, 'ORG', { entity: '../x y' }, entities))).toEqual(['entity: not an entity id']);
    const records = new Map<string, EntityRecord>([['e:raqqa', { id: 'e:raqqa', name: 'Raqqa', type: 'LOCATION', aliases: [] }]]);
    expect(cleaned(checkAttrs(LABELS, 'LOCATION', { entity: 'e:raqqa' }, records))).toEqual({ entity: 'e:raqqa' });
    expect(problemsOf(checkAttrs(LABELS, 'LOCATION', { entity: 'e:islamic-state' }, records))).toHaveLength(1);
    // Without a set of entities only the form of the id is checked.
    expect(cleaned(checkAttrs(LABELS, 'LOCATION', { entity: 'e:anything' }))).toEqual({ entity: 'e:anything' });
  });

  it('refuses attributes the label does not have', () => {
    expect(problemsOf(checkAttrs(LABELS, 'EVENT', { low: 3 }))).toEqual(['EVENT has no attribute low']);
    expect(problemsOf(checkAttrs(LABELS, 'WEAPON', { type: 'airstrike' }))).toEqual(['WEAPON has no attribute type']);
    expect(problemsOf(checkAttrs(LABELS, 'NO_SUCH_LABEL', { type: 'airstrike' }))).toEqual(['NO_SUCH_LABEL has no attribute type']);
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}') as Record<string, unknown>;
    expect(problemsOf(checkAttrs(LABELS, 'EVENT', hostile))).toEqual(['EVENT has no attribute __proto__', 'EVENT has no attribute constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('drops empty values instead of storing them, even of unknown attributes', () => {
    expect(cleaned(checkAttrs(LABELS, 'CASUALTIES', { low: null, high: undefined, group: '', outcome: 'killed' }))).toEqual({ outcome: 'killed' });
    expect(cleaned(checkAttrs(LABELS, 'EVENT', { gone: null }))).toEqual({});
    expect(cleaned(checkAttrs(LABELS, 'EVENT', {}))).toEqual({});
  });

  it('reports every problem at once', () => {
    expect(problemsOf(checkAttrs(LABELS, 'CASUALTIES', { low: -1, group: 'aliens', extra: 1 }))).toEqual([
      'low: must not be negative',
      'group: "aliens" is not one of civilians, fighters, soldiers, children, women, men, people, unknown',
      'CASUALTIES has no attribute extra',
    ]);
  });
});

describe('relation constraints', () => {
  it('allows the default types between the labels they name, in their direction only', () => {
    expect(relationProblem(TYPES, 'time', 'EVENT', 'DATE')).toBeNull();
    expect(relationProblem(TYPES, 'place', 'EVENT', 'LOCATION')).toBeNull();
    expect(relationProblem(TYPES, 'actor', 'EVENT', 'ORG')).toBeNull();
    expect(relationProblem(TYPES, 'actor', 'EVENT', 'PERSON')).toBeNull();
    expect(relationProblem(TYPES, 'victims', 'EVENT', 'CASUALTIES')).toBeNull();
    expect(relationProblem(TYPES, 'weapon', 'EVENT', 'WEAPON')).toBeNull();
    expect(relationProblem(TYPES, 'time', 'DATE', 'EVENT')).toBe('A time relation starts at EVENT, not DATE');
    expect(relationProblem(TYPES, 'actor', 'EVENT', 'LOCATION')).toBe('A actor relation points to ORG or PERSON, not LOCATION');
    expect(relationProblem(TYPES, 'cause', 'EVENT', 'EVENT')).toBe('Unknown relation type cause');
  });

  it('lets an empty end list take any label', () => {
    const types: RelationTypeDef[] = [{ name: 'same-as', from: [], to: [] }, { name: 'part-of', from: ['EVENT'], to: [] }];
    expect(relationProblem(types, 'same-as', 'ORG', 'PERSON')).toBeNull();
    expect(relationProblem(types, 'part-of', 'EVENT', 'DATE')).toBeNull();
    expect(relationProblem(types, 'part-of', 'DATE', 'EVENT')).not.toBeNull();
  });

  it('lists the types that fit two labels', () => {
    expect(relationTypesFor(TYPES, 'EVENT', 'ORG').map((t) => t.name)).toEqual(['actor']);
    expect(relationTypesFor(TYPES, 'EVENT', 'DATE').map((t) => t.name)).toEqual(['time']);
    expect(relationTypesFor(TYPES, 'DATE', 'EVENT')).toEqual([]);
    expect(relationTypesFor([...TYPES, { name: 'any', from: [], to: [] }], 'DATE', 'EVENT').map((t) => t.name)).toEqual(['any']);
  });
});

describe('upgradeSchema', () => {
  /** Labels of a workspace made before attributes: defaults' names without attributes, and one of the analyst's. */
  const old = (): LabelDef[] => [
    ...LABELS.map(({ attributes: _dropped, ...rest }) => ({ ...rest, color: '#000000' })),
    label('WEAPON_TYPE', '8', [{ name: 'calibre', type: 'text' }]),
    label('RUMOUR', '9'),
  ];

  it("gives labels without attributes the defaults', leaving the analyst's labels and other fields alone", () => {
    const up = upgradeSchema({ labels: old() }, DEFAULTS);
    for (const name of ['PERSON', 'ORG', 'LOCATION', 'DATE', 'CASUALTIES', 'EVENT']) {
      const l = up.labels.find((x) => x.name === name)!;
      expect(l.attributes).toEqual(LABELS.find((x) => x.name === name)!.attributes);
      // The workspace's own colour and key stay.
      expect(l.color).toBe('#000000');
    }
    expect(up.labels.find((l) => l.name === 'WEAPON')!.attributes).toBeUndefined();
    expect(up.labels.find((l) => l.name === 'WEAPON_TYPE')).toEqual(label('WEAPON_TYPE', '8', [{ name: 'calibre', type: 'text' }]));
    expect(up.labels.find((l) => l.name === 'RUMOUR')).toEqual(label('RUMOUR', '9'));
    expect(up.labels.map((l) => l.name)).toEqual(old().map((l) => l.name));
    expect(schemaProblems(up)).toEqual([]);
  });

  it("keeps a label's own attributes, even an empty list", () => {
    const labels = old().map((l) => (l.name === 'DATE' ? { ...l, attributes: [] } : l.name === 'EVENT' ? { ...l, attributes: [{ name: 'x', type: 'text' as const }] } : l));
    const up = upgradeSchema({ labels }, DEFAULTS);
    expect(up.labels.find((l) => l.name === 'DATE')!.attributes).toEqual([]);
    expect(up.labels.find((l) => l.name === 'EVENT')!.attributes).toEqual([{ name: 'x', type: 'text' }]);
  });

  it('adds the default relation types once, and leaves them alone after', () => {
    const up = upgradeSchema({ labels: old() }, DEFAULTS);
    expect(up.relationTypes).toEqual(TYPES);
    const again = upgradeSchema(up, DEFAULTS);
    expect(again).toEqual(up);
    // An analyst who removed every relation type keeps none.
    expect(upgradeSchema({ labels: up.labels, relationTypes: [] }, DEFAULTS).relationTypes).toEqual([]);
    const own = [{ name: 'cause', from: ['EVENT'], to: ['EVENT'] }];
    expect(upgradeSchema({ labels: up.labels, relationTypes: own }, DEFAULTS).relationTypes).toEqual(own);
  });

  it("keeps only the ends of default relation types that name the workspace's labels", () => {
    const labels = [label('EVENT', '1'), label('ORG', '2'), label('DATE', '3')];
    const up = upgradeSchema({ labels }, DEFAULTS);
    expect(up.relationTypes).toEqual([
      { ...TYPES.find((t) => t.name === 'time')!, from: ['EVENT'], to: ['DATE'] },
      { ...TYPES.find((t) => t.name === 'actor')!, from: ['EVENT'], to: ['ORG'] },
    ]);
    expect(schemaProblems(up)).toEqual([]);
  });
});

describe('schema files', () => {
  it('round-trips a schema through JSON', () => {
    const json = schemaToJson(DEFAULTS);
    expect(JSON.parse(json)).toMatchObject({ format: 'gloss-schema', version: 1 });
    expect(json.endsWith('\n')).toBe(true);
    expect(schemaFromJson(json)).toEqual(DEFAULTS);
  });

  it('reads a bare array of labels, as resources/labels.json is', async () => {
    const raw = await fsp.readFile(path.join(RESOURCES, 'labels.json'), 'utf8');
    expect(schemaFromJson(raw)).toEqual({ labels: LABELS, relationTypes: [] });
  });

  it('fills in label descriptions left out of a hand-written file', () => {
    const schema = schemaFromJson(JSON.stringify({ labels: [{ name: 'A', key: '8', color: '#ffffff' }] }));
    expect(schema).toEqual({ labels: [{ name: 'A', key: '8', color: '#ffffff', description: '' }], relationTypes: [] });
  });

  it.each([
    ['not JSON', '{"labels": [', /^Not JSON: /],
    ['null', 'null', /^A schema file holds "labels"/],
    ['a number', '42', /^A schema file holds "labels"/],
    ['no labels', '{"relationTypes": []}', /^A schema file holds "labels"/],
    ['a bad label', '{"labels": [{"name": "A B", "key": "1", "color": "#000000"}]}', /^labels: 0\.name: /],
    ['a label without colour', '{"labels": [{"name": "A", "key": "1"}]}', /^labels: 0\.color: /],
    ['a bad relation type', '{"labels": [], "relationTypes": [{"name": "x"}]}', /^relationTypes: 0\.from: /],
    ['relation types not a list', '{"labels": [], "relationTypes": 3}', /^relationTypes: /],
    [
      'an inconsistent schema',
      '{"labels": [{"name": "A", "key": "1", "color": "#000000"}, {"name": "B", "key": "1", "color": "#000000"}], "relationTypes": [{"name": "r", "from": ["A"], "to": ["C"]}]}',
      /^B and A both use the key 1; Relation r names the label C, which is not in the schema$/,
    ],
  ])('refuses %s with a readable error', (_name, json, message) => {
    expect(() => schemaFromJson(json)).toThrow(message);
  });
});
