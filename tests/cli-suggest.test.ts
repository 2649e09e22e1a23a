// `gloss suggest` run as a user would: over the gold file (texts from ../seeds), a folder and a Gloss JSONL
// file, and its output imported into a copy of the seeds as pending suggestions.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentIdFor } from '../annotations/corpus/scan.ts';
import { PROJECT_ROOT, runGloss, type GlossRun } from './cli-run.ts';

/** Exactly as the "done when" names it, relative to the project. */
const GOLD_ARG = '../shared/corpus/gold/dev.jsonl';
const SEEDS = path.resolve(PROJECT_ROOT, '../shared/corpus/seeds');

/** Each run starts Node and tsx afresh: seconds on a busy machine. */
const TIMEOUT = 120_000;

let tmp: string;

/** `gloss ARGS` with this test's own user data folder. */
const gloss = (...args: string[]): Promise<GlossRun> => runGloss(args, path.join(tmp, 'home'));

interface OutAnnotation {
  id: string;
  label: string;
  start: number;
  end: number;
  text: string;
  attrs?: Record<string, unknown>;
  source: string;
  pending: boolean;
  score: number;
  prefix: string;
}
interface OutLine {
  id: string;
  path: string;
  text: string;
  meta: { dct: string | null; title: string; status: string };
  offsetUnit: string;
  annotations: OutAnnotation[];
}

async function readOut(file: string): Promise<OutLine[]> {
  return (await fsp.readFile(file, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as OutLine);
}

/** Every annotation quotes its text at its code point offsets and is a pending suggestion with provenance. */
function checkSuggestions(line: OutLine): void {
  const chars = [...line.text];
  for (const a of line.annotations) {
    expect(chars.slice(a.start, a.end).join('')).toBe(a.text);
    expect(a.pending).toBe(true);
    expect(a.source).toMatch(/^suggest:(dates|casualties|entities)@\d+$/);
    expect(a.score).toBeGreaterThan(0);
    expect(a.score).toBeLessThanOrEqual(1);
  }
}

beforeAll(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-cli-suggest-')));
});

afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

describe('gloss suggest', () => {
  it('suggests over the gold file, taking the texts from ../seeds and each date from the gold', async () => {
    const out = path.join(tmp, 'gold.jsonl');
    const run = await gloss('suggest', GOLD_ARG, '--out', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Suggested \d+ annotations \(.*PERSON \d+.*\) for 3 documents/);
    const lines = await readOut(out);
    expect(lines.map((l) => l.path)).toEqual(['001_0195c39c9476f768.txt', '002_3307c211e658c20c.txt', '003_8798c921b24b83f5.txt']);
    expect(lines.map((l) => l.id)).toEqual(lines.map((l) => documentIdFor(l.path)));
    expect(lines.map((l) => l.meta.dct)).toEqual(['2017-08-30', '2017-09-02', '2017-09-08']);
    for (const line of lines) checkSuggestions(line);
    const dillon = lines[0].annotations.find((a) => a.text === 'Ryan Dillon');
    expect(dillon).toMatchObject({ label: 'PERSON', source: 'suggest:entities@1', attrs: { entity: 'person:ryan-dillon' } });
    const labels = new Set(lines.flatMap((l) => l.annotations.map((a) => a.label)));
    expect([...labels].sort()).toEqual(['CASUALTIES', 'DATE', 'LOCATION', 'ORG', 'PERSON']);
  }, TIMEOUT);

  it('scans a folder as the app does and imports its output into a copy of the seeds as pending suggestions', async () => {
    const corpus = path.join(tmp, 'corpus');
    await fsp.cp(SEEDS, corpus, { recursive: true });
    const out = path.join(tmp, 'folder.jsonl');
    const run = await gloss('suggest', corpus, '--out', out, '--labels', 'PERSON,ORG,LOCATION');
    expect(run.code).toBe(0);
    const lines = await readOut(out);
    expect(lines.map((l) => l.path)).toEqual((await fsp.readdir(SEEDS)).sort());
    expect(lines.map((l) => l.id)).toEqual(lines.map((l) => documentIdFor(l.path)));
    expect(lines.find((l) => l.path.startsWith('001'))?.meta.dct).toBe('2017-08-30');
    for (const line of lines) {
      checkSuggestions(line);
      expect(line.annotations.every((a) => ['PERSON', 'ORG', 'LOCATION'].includes(a.label))).toBe(true);
    }
    const total = lines.reduce((n, l) => n + l.annotations.length, 0);

    const imported = await gloss('import', out, '--into', corpus);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const stats = JSON.parse((await gloss('stats', corpus, '--json')).stdout) as { annotations: number; pending: number };
    expect(stats).toMatchObject({ annotations: total, pending: total });
    // Stored with their provenance and context; importing again replaces instead of doubling.
    const first = lines[0];
    const stored = JSON.parse(await fsp.readFile(path.join(corpus, '.gloss', 'docs', `${first.id}.json`), 'utf8')) as { annotations: OutAnnotation[] };
    expect(stored.annotations.map((a) => [a.id, a.label, a.start, a.end, a.source, a.pending])).toEqual(
      first.annotations.map((a) => [a.id, a.label, a.start, a.end, a.source, true]),
    );
    expect(stored.annotations[0].prefix).toBe(first.annotations[0].prefix);
    expect((await gloss('import', out, '--into', corpus)).code).toBe(0);
    expect(JSON.parse((await gloss('stats', corpus, '--json')).stdout)).toMatchObject({ annotations: total, pending: total });
  }, TIMEOUT);

  it("keeps a Gloss JSONL document's id, path and date and learns the names the analyst tagged", async () => {
    const text = 'Liwa Fatemiyoun fighters reached the border on Monday. Later Liwa Fatemiyoun withdrew from Palmyra.\n';
    const input = {
      id: 'd-custom-1',
      path: 'reports/fatemiyoun.txt',
      text,
      meta: { dct: '2017-06-14', title: 'Report', status: 'in-progress' },
      offsetUnit: 'codepoint',
      annotations: [
        { id: 'a1', label: 'ORG', start: 0, end: 15, text: 'Liwa Fatemiyoun', author: 'me', created: '2017-06-14T00:00:00Z', modified: '2017-06-14T00:00:00Z' },
      ],
      relations: [],
      entities: [],
    };
    const file = path.join(tmp, 'in.jsonl');
    await fsp.writeFile(file, JSON.stringify(input) + '\n');
    const out = path.join(tmp, 'jsonl-out.jsonl');
    const run = await gloss('suggest', file, '--out', out);
    expect(run.code).toBe(0);
    const [line] = await readOut(out);
    expect(line).toMatchObject({ id: 'd-custom-1', path: 'reports/fatemiyoun.txt', meta: { dct: '2017-06-14' }, offsetUnit: 'codepoint' });
    checkSuggestions(line);
    const orgs = line.annotations.filter((a) => a.label === 'ORG').map((a) => [a.start, a.text]);
    // The tagged span is not proposed again; the other mention is learned from it.
    expect(orgs).toEqual([[61, 'Liwa Fatemiyoun']]);
    expect(line.annotations.find((a) => a.text === 'Palmyra')?.label).toBe('LOCATION');
    expect(line.annotations.find((a) => a.label === 'DATE' && a.text.includes('Monday'))?.attrs?.value).toBe('2017-06-12');
  }, TIMEOUT);

  it('--apply stores pending suggestions in the workspace, never twice and never a rejected one again', async () => {
    const corpus = path.join(tmp, 'apply');
    await fsp.cp(SEEDS, corpus, { recursive: true });
    const run = await gloss('suggest', corpus, '--apply');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Stored \d+ suggestions \(.*DATE \d+.*\) in 5 documents/);
    const stats = JSON.parse((await gloss('stats', corpus, '--json')).stdout) as { annotations: number; pending: number };
    expect(stats.pending).toBeGreaterThan(50);
    expect(stats.pending).toBe(stats.annotations);

    // Reject one suggestion the way the app does, then run again: nothing new, the rejected one stays out.
    const id = documentIdFor('001_0195c39c9476f768.txt');
    const { openWorkspace } = await import('../cli/workspace.ts');
    const ws = await openWorkspace(corpus);
    const [victim] = (await ws.stored(id)).annotations.filter((a) => a.label === 'DATE' && a.text !== '30 August, 2017');
    await ws.resolveSuggestions(id, [], [victim.id]);
    const date = (await ws.stored(id)).annotations.find((a) => a.text === '30 August, 2017')!;
    expect(date).toMatchObject({ pending: true, attrs: { value: '2017-08-30' } });
    expect(date.source).toMatch(/^suggest:dates@\d+$/);
    await ws.close();
    const again = await gloss('suggest', corpus, '--apply');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Stored 0 suggestions in 5 documents/);
    const after = JSON.parse((await gloss('stats', corpus, '--json')).stdout) as { annotations: number };
    expect(after.annotations).toBe(stats.annotations - 1);
  }, TIMEOUT);

  it('refuses a missing input, a missing --out and a file that is no Gloss or gold JSONL', async () => {
    expect((await gloss('suggest', path.join(tmp, 'nothing'), '--out', path.join(tmp, 'x.jsonl'))).code).toBe(1);
    const usage = await gloss('suggest', GOLD_ARG);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('gloss suggest INPUT --out FILE');
    expect((await gloss('suggest', GOLD_ARG, '--apply')).code).toBe(2);
    const notes = path.join(tmp, 'notes.jsonl');
    await fsp.writeFile(notes, '{"hello": "world"}\n');
    const bad = await gloss('suggest', notes, '--out', path.join(tmp, 'y.jsonl'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/neither a folder, a Gloss JSONL file nor a gold file/);
  }, TIMEOUT);
});
