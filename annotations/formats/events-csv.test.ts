// Tests of the events CSV export: golden file, Python's csv module reading it back (quotes, commas, BOM,
// code point offsets), TIMEX3 periods and ACLED precision, casualty totals, problems and formula cells.
import { execFileSync } from 'node:child_process';
import { promises as fsp, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LabelDef, type Annotation } from '../model.ts';
import { Workspace } from '../workspace.ts';
import { EVENT_COLUMNS, csvField, csvRecord, periodOf, totals, writer } from './events-csv.ts';
import { defaultSelection, fixtureDocuments, runWriter, spanOf } from './events-w3c.fixture.ts';
import { exportWorkspace } from './io.ts';
import type { ExportDocument } from './types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const GOLDEN = path.join(here, '__golden__/events-csv/events.csv');
const PYTHON = '/usr/bin/python3';

const csvOf = (docs: ExportDocument[]) => runWriter(writer, docs).files.get('events.csv') ?? '';

/** Python's csv module reads the export (BOM stripped by utf-8-sig) and slices each row's span. */
function pythonRead(csvText: string, docs: ExportDocument[]) {
  const script = `
import csv, io, json, sys
data = json.load(sys.stdin)
raw = data['csv'].encode('utf-8')
rows = list(csv.DictReader(io.StringIO(raw.decode('utf-8-sig'), newline='')))
sliced = [data['texts'][r['document_id']][int(r['start']):int(r['end'])] for r in rows]
print(json.dumps({'bom': raw.startswith(b'\\xef\\xbb\\xbf'), 'header': list(rows[0].keys()) if rows else [], 'rows': rows, 'sliced': sliced}))
`;
  const texts = Object.fromEntries(docs.map((d) => [d.id, d.text]));
  const out = execFileSync(PYTHON, ['-c', script], { input: JSON.stringify({ csv: csvText, texts }), encoding: 'utf8' });
  return JSON.parse(out) as { bom: boolean; header: string[]; rows: Record<string, string>[]; sliced: string[] };
}

const STAMP = { author: 'a', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z' };

/** A one-sentence document with annotations on quotes and relations given as [type, fromId, toId]. */
function docWith(text: string, spans: [string, string, string, Annotation['attrs']?][], relations: [string, string, string][]): ExportDocument {
  return {
    id: 'dtest',
    path: 'test.txt',
    text,
    meta: { title: 'Test', dct: '2020-06-15', status: 'done' },
    annotations: spans.map(([id, label, quote, attrs]) => ({ id, label, ...spanOf(text, quote), text: quote, ...STAMP, ...(attrs ? { attrs } : {}) })),
    relations: relations.map(([type, from, to], i) => ({ id: `r${i}`, type, from, to })),
  };
}

describe('events CSV export', () => {
  it('matches the golden file', () => {
    expect(csvOf(defaultSelection(fixtureDocuments()))).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it("is read back by Python's csv module: one row per EVENT, commas and quotes intact, spans slice to the event", () => {
    const docs = defaultSelection(fixtureDocuments());
    const read = pythonRead(csvOf(docs), docs);
    expect(read.bom).toBe(true);
    expect(read.header).toEqual([...EVENT_COLUMNS]);
    expect(read.rows).toHaveLength(4);
    const events = docs.flatMap((d) => d.annotations.filter((a) => a.label === 'EVENT'));
    expect(read.rows.map((r) => r.event_text)).toEqual(events.map((e) => e.text));
    expect(read.sliced).toEqual(events.map((e) => e.text));
    const [strike, attack, clashes, killing] = read.rows;
    expect(strike.source).toBe('Strike on "Raqqa", 30 August');
    expect(strike.document_path).toBe('2017/raqqa "strike", part 1.txt');
    expect(strike.notes).toBe('The US-led coalition said an airstrike killed eight civilians, including "three children", near al-Raqqa.');
    expect(attack.notes).toBe('Cafe\u0301 owner Jose\u0301 said: "fighters of IS attacked a checkpoint, then fled".');
    expect(killing.notes).toBe('قُتِلَ 5 مدنيين في الباغوز.');
    expect(killing.location).toBe('الباغوز');
    expect(clashes.event_text).toBe('Clashes');
    // Code points: after the flag emoji (two astral characters) a UTF-16 count would be 2 higher.
    expect(strike.start).toBe('80');
    expect(docs[0].text.indexOf('airstrike')).toBe(82);
  });

  it('fills the linked columns from relations, in either direction', () => {
    const docs = defaultSelection(fixtureDocuments());
    const rows = pythonRead(csvOf(docs), docs).rows;
    expect(rows[0]).toMatchObject({
      event_id: 'd0a1b2c3d4e5f6a7b:a-ev1',
      event_date: '2017-08-29',
      time_precision: '1',
      date_start: '2017-08-29',
      date_end: '2017-08-29',
      event_type: 'airstrike',
      actor1: 'US-led coalition',
      actor2: '',
      location: 'al-Raqqa; الرَّقَّة',
      // The nested "three children" is not linked, so it is not counted twice.
      fatalities_low: '8',
      fatalities_best: '8',
      fatalities_high: '8',
      civilian_deaths: '8',
      injured_low: '12',
      injured_high: '15',
      weapon: 'airstrike',
      source_date: '2017-08-30',
      document_id: 'd0a1b2c3d4e5f6a7b',
    });
    // No time relation: the publication date, marked imprecise; the actor relation was drawn towards the event.
    expect(rows[1]).toMatchObject({ event_date: '2017-08-30', time_precision: '3', date_start: '', date_end: '', actor1: 'IS', fatalities_low: '' });
    // An ISO week: its Monday, precision 2, the whole week as the range; "dozens" gives no figure.
    expect(rows[2]).toMatchObject({ event_date: '2019-03-04', time_precision: '2', date_start: '2019-03-04', date_end: '2019-03-10', fatalities_low: '', fatalities_high: '' });
    // No date linked and no publication date: no date at all.
    expect(rows[3]).toMatchObject({ event_date: '', time_precision: '', source_date: '', fatalities_best: '5', civilian_deaths: '5' });
  });

  it('leaves out pending suggestions with the default choices, and writes them when they are included', () => {
    const withDefault = csvOf(defaultSelection(fixtureDocuments()));
    expect(withDefault).not.toContain(':a-pending');
    const everything = pythonRead(csvOf(fixtureDocuments()), fixtureDocuments()).rows;
    expect(everything).toHaveLength(5);
    expect(everything.find((r) => r.event_id.endsWith(':a-pending'))).toMatchObject({ event_text: 'reported', injured_low: '12', injured_high: '15' });
  });

  it('through the real export of a folder on disk: BOM bytes, pending left out, spans slice the CRLF article as Python reads it', async () => {
    const tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-events-')));
    const dir = path.join(tmp, 'corpus');
    const labels = LabelDef.array().parse(JSON.parse(readFileSync(path.join(here, '../../resources/labels.json'), 'utf8')));
    const docs = fixtureDocuments();
    for (const [i, doc] of docs.entries()) {
      const file = path.join(dir, ...doc.path.split('/'));
      await fsp.mkdir(path.dirname(file), { recursive: true });
      await fsp.writeFile(file, i === 0 ? doc.text.replace(/\n/g, '\r\n') : doc.text);
    }
    const opened = await Workspace.open(dir, { userDataDir: path.join(tmp, 'user'), defaultLabels: labels, author: 't', saveDelayMs: 0 });
    try {
      for (const doc of docs) {
        const entry = opened.view().documents.find((d) => d.path === doc.path)!;
        await opened.importDocument(entry.id, { annotations: doc.annotations, relations: doc.relations, status: doc.meta.status, dct: doc.meta.dct });
      }
      const out = path.join(tmp, 'out', 'events.csv');
      const summary = await exportWorkspace(opened, writer, out, { documents: 'all' });
      expect(summary.problems).toEqual([]);
      const bytes = await fsp.readFile(out);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const script = `
import csv, json, os, sys
corpus, out = sys.argv[1], sys.argv[2]
with open(out, encoding='utf-8-sig', newline='') as f:
    rows = list(csv.DictReader(f))
result = []
for r in rows:
    with open(os.path.join(corpus, r['document_path']), encoding='utf-8') as f:
        text = f.read()
    result.append([r['event_id'].split(':')[1], r['event_text'], text[int(r['start']):int(r['end'])]])
print(json.dumps(result))
`;
      const rows = JSON.parse(execFileSync(PYTHON, ['-c', script, dir, out], { encoding: 'utf8' })) as string[][];
      expect(rows).toEqual([
        ['a-ev1', 'airstrike', 'airstrike'],
        ['a-ev2', 'attacked', 'attacked'],
        ['b-ev1', 'Clashes', 'Clashes'],
        ['b-ev2', 'قُتِلَ', 'قُتِلَ'],
      ]);
    } finally {
      await opened.close();
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  });

  it('writes only the header when no document has an EVENT', () => {
    const [, empty] = fixtureDocuments();
    expect(csvOf([empty])).toBe('\uFEFF' + EVENT_COLUMNS.join(',') + '\r\n');
  });

  it('puts the first two actors in actor1/actor2 and the rest in other_actors, in the order they were linked', () => {
    const doc = docWith(
      'Hezbollah, the army, IS and the SDF fought in Deir ez-Zor.',
      [
        ['e', 'EVENT', 'fought', { type: 'battle' }],
        ['h', 'ORG', 'Hezbollah'],
        ['a', 'ORG', 'the army'],
        ['i', 'ORG', 'IS'],
        ['s', 'ORG', 'SDF'],
        ['l', 'LOCATION', 'Deir ez-Zor'],
      ],
      [['actor', 'e', 'i'], ['actor', 'e', 'h'], ['actor', 's', 'e'], ['actor', 'e', 'a'], ['place', 'e', 'l']],
    );
    const [row] = pythonRead(csvOf([doc]), [doc]).rows;
    expect(row).toMatchObject({ actor1: 'IS', actor2: 'Hezbollah', other_actors: 'SDF; the army', location: 'Deir ez-Zor', notes: doc.text });
  });

  it('reports a relation to the wrong kind of annotation and a DATE value that is no date, and goes on', () => {
    const doc = docWith(
      'Earlier this year, John Smith was shot in Raqqa.',
      [
        ['d', 'DATE', 'Earlier this year', { value: 'this year' }],
        ['p', 'PERSON', 'John Smith'],
        ['e', 'EVENT', 'shot'],
      ],
      [['time', 'e', 'd'], ['place', 'e', 'p']],
    );
    const run = runWriter(writer, [doc]);
    expect(run.problems).toEqual([
      { file: 'test.txt', reason: 'relation r1 (place) links EVENT e to a PERSON, not LOCATION; left out of events.csv' },
      { file: 'test.txt', reason: 'DATE d value "this year" is not a calendar date; EVENT e takes the publication date' },
    ]);
    const [row] = pythonRead(run.files.get('events.csv')!, [doc]).rows;
    expect(row).toMatchObject({ event_date: '2020-06-15', time_precision: '3', location: '', event_type: '' });
    // Vague references are expected, not problems.
    const vague = docWith('Earlier, a car bomb exploded.', [['d', 'DATE', 'Earlier', { value: 'PAST_REF' }], ['e', 'EVENT', 'exploded']], [['time', 'e', 'd']]);
    expect(runWriter(writer, [vague]).problems).toEqual([]);
  });

  it('keeps spreadsheet formulas from article text inert and quotes per RFC 4180', () => {
    const doc = docWith('=HYPERLINK("http://x.example","click") @attack, +1 and -2.', [['e', 'EVENT', '@attack']], []);
    const [row] = pythonRead(csvOf([doc]), [doc]).rows;
    expect(row.event_text).toBe("'@attack");
    expect(row.notes).toBe(`'${doc.text}`);
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('=SUM(A1,B1)')).toBe(`"'=SUM(A1,B1)"`);
    expect(csvRecord(['a', '', 'b'])).toBe('a,,b\r\n');
  });
});

describe('periodOf (TIMEX3 value -> days and ACLED time precision)', () => {
  it.each([
    ['2017-08-30', '2017-08-30', '2017-08-30', 1],
    ['2019-02-11TNI', '2019-02-11', '2019-02-11', 1],
    ['2019-02-11T14:30', '2019-02-11', '2019-02-11', 1],
    ['2020-02-29', '2020-02-29', '2020-02-29', 1],
    ['2017-W35', '2017-08-28', '2017-09-03', 2],
    ['2017-W34-WE', '2017-08-26', '2017-08-27', 2],
    ['2017-W35-3', '2017-08-30', '2017-08-30', 1],
    ['2019-W01', '2018-12-31', '2019-01-06', 2],
    ['2015-W53', '2015-12-28', '2016-01-03', 2],
    ['2017-08', '2017-08-01', '2017-08-31', 3],
    ['2016-02', '2016-02-01', '2016-02-29', 3],
    ['2017-Q3', '2017-07-01', '2017-09-30', 3],
    ['2017-H1', '2017-01-01', '2017-06-30', 3],
    ['2017', '2017-01-01', '2017-12-31', 3],
  ] as const)('%s is %s to %s, precision %i', (value, start, end, precision) => {
    expect(periodOf(value)).toEqual({ start, end, precision });
  });

  it.each(['PAST_REF', 'PRESENT_REF', '2017-SU', '2017-02-30', '2017-13', '2017-W53', '2017-W00', 'yesterday', ''])('%s is no period', (value) => {
    expect(periodOf(value)).toBeNull();
  });
});

describe('totals (casualty figures)', () => {
  const cas = (attrs: Record<string, unknown>): Annotation => ({ id: 'c', label: 'CASUALTIES', start: 0, end: 1, text: 'x', ...STAMP, attrs });

  it('sums lows and highs, a missing bound taking the other one', () => {
    expect(totals([cas({ low: 8, high: 8 }), cas({ low: 12, high: 15 })])).toEqual({ low: '20', high: '23' });
    expect(totals([cas({ low: 3, high: null }), cas({ low: null, high: 10 })])).toEqual({ low: '13', high: '13' });
    expect(totals([cas({ low: '7', high: '9' })])).toEqual({ low: '7', high: '9' });
  });

  it('keeps known lows as a lower bound when one figure is unknown ("dozens"), and is empty when none is known', () => {
    expect(totals([cas({ low: 5, high: 5 }), cas({ low: null, high: null })])).toEqual({ low: '5', high: '' });
    expect(totals([cas({ low: null, high: null })])).toEqual({ low: '', high: '' });
    expect(totals([])).toEqual({ low: '', high: '' });
    expect(totals([cas({ low: -1, high: 'many' })])).toEqual({ low: '', high: '' });
  });
});
