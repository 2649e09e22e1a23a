// `gloss import`, `gloss export` and `gloss stats` run as a user would: the gold into an empty folder and out as
// brat (spans checked by Python), a lossless round trip, progress, bad input, and a folder open elsewhere.
import { execFileSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabelDef } from '../annotations/model.ts';
import { Workspace } from '../annotations/workspace.ts';
import { PROJECT_ROOT, runGloss, type GlossRun } from './cli-run.ts';

/** Exactly as the "done when" names it, relative to the project. */
const GOLD_ARG = '../shared/corpus/gold/dev.jsonl';
const GOLD = path.resolve(PROJECT_ROOT, GOLD_ARG);

/** Each run starts Node and tsx afresh: seconds on a busy machine. */
const TIMEOUT = 120_000;

let tmp: string;

/** `gloss ARGS` with this test's own user data folder. */
const gloss = (...args: string[]): Promise<GlossRun> => runGloss(args, path.join(tmp, 'home'));

interface GoldLine {
  doc: string;
  annotations: Array<{ label: string; start: number; end: number; text: string }>;
}
let gold: GoldLine[];

beforeAll(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-cli-formats-')));
  gold = (await fsp.readFile(GOLD, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
});

afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

/** Python (code points, as brat reads them) slices every text-bound span of every .ann and compares it to the quote. */
const SLICE_BRAT = `
import os, sys
root, n = sys.argv[1], 0
for name in sorted(os.listdir(root)):
    if not name.endswith('.ann'):
        continue
    text = open(os.path.join(root, name[:-4] + '.txt'), encoding='utf-8', newline='').read()
    for line in open(os.path.join(root, name), encoding='utf-8', newline=''):
        if not line.startswith('T'):
            continue
        tid, middle, quote = line.rstrip('\\n').split('\\t')
        label, spans = middle.split(' ', 1)
        frags = [tuple(int(x) for x in s.split()) for s in spans.split(';')]
        got = ' '.join(text[s:e] for s, e in frags)
        assert got == quote, (name, tid, got, quote)
        n += 1
print(n)
`;

describe('gloss import (gold) then gloss export --format brat', { timeout: TIMEOUT }, () => {
  let into: string;

  beforeAll(async () => {
    into = path.join(tmp, 'gold-into');
    await fsp.mkdir(into);
  });

  it('imports the gold into an empty folder, bringing the articles in from ../seeds', async () => {
    const { code, stdout, stderr } = await gloss('import', GOLD_ARG, '--into', into);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const total = gold.reduce((n, l) => n + l.annotations.length, 0);
    expect(stdout).toBe(`Imported 3 documents (3 new) with ${total} annotations from gold into ${into}.\n`);
    expect((await fsp.readdir(into)).filter((f) => !f.startsWith('.')).sort()).toEqual(gold.map((l) => l.doc).sort());
  });

  it('exports brat whose .ann spans slice (in Python, by code points) to the gold text', async () => {
    const { code, stdout, stderr } = await gloss('export', into, '--format', 'brat');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const location = /to (.+)\.\n$/.exec(stdout)![1];
    expect(location.startsWith(path.join(into, '.gloss', 'exports', 'brat-'))).toBe(true);
    const total = gold.reduce((n, l) => n + l.annotations.length, 0);
    expect(execFileSync('/usr/bin/python3', ['-c', SLICE_BRAT, location], { encoding: 'utf8' }).trim()).toBe(String(total));
    // And the spans are the gold's own: same labels, same offsets, same quotes.
    for (const line of gold) {
      const ann = await fsp.readFile(path.join(location, line.doc.replace(/\.txt$/, '.ann')), 'utf8');
      const spans = ann
        .split('\n')
        .filter((l) => l.startsWith('T'))
        .map((l) => {
          const [, middle, quote] = l.split('\t');
          const [label, start, end] = middle.split(' ');
          return `${label} ${start} ${end} ${quote}`;
        })
        .sort();
      expect(spans).toEqual(line.annotations.map((a) => `${a.label} ${a.start} ${a.end} ${a.text}`).sort());
    }
  });

  it('tells the numbers with gloss stats', async () => {
    const { code, stdout, stderr } = await gloss('stats', into);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const count = (label: string) => gold.reduce((n, l) => n + l.annotations.filter((a) => a.label === label).length, 0);
    const total = gold.reduce((n, l) => n + l.annotations.length, 0);
    expect(stdout.split('\n')).toEqual([
      'documents: 3 (new 3, in progress 0, done 0)',
      `annotations: ${total}`,
      `  PERSON      ${count('PERSON')}`,
      `  ORG         ${count('ORG')}`,
      `  LOCATION    ${count('LOCATION')}`,
      `  DATE        ${count('DATE')}`,
      `  CASUALTIES  ${count('CASUALTIES')}`,
      '  WEAPON      0',
      '  EVENT       0',
      'relations: 0',
      '',
    ]);
    const json = JSON.parse((await gloss('stats', into, '--json')).stdout);
    expect(json).toMatchObject({ documents: 3, annotations: total, pending: 0, status: { new: 3, 'in-progress': 0, done: 0 } });
  });

  it('round-trips through Gloss JSONL byte for byte, the format guessed on import', async () => {
    const first = path.join(tmp, 'first.jsonl');
    expect((await gloss('export', into, '--format', 'gloss', '--out', first)).code).toBe(0);
    const copy = path.join(tmp, 'copy', 'nested');
    const imported = await gloss('import', first, '--into', copy);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const second = path.join(tmp, 'second.jsonl');
    expect((await gloss('export', copy, '--format', 'gloss', '--out', second)).code).toBe(0);
    expect(await fsp.readFile(second, 'utf8')).toBe(await fsp.readFile(first, 'utf8'));
  });
});

describe('long runs', { timeout: TIMEOUT }, () => {
  it('print progress on stderr every 500 documents', async () => {
    const folder = path.join(tmp, 'many');
    await fsp.mkdir(folder);
    for (let i = 0; i < 501; i++) await fsp.writeFile(path.join(folder, `doc${i}.txt`), `Article number ${i} about Raqqa.\n`);
    const out = path.join(tmp, 'many.jsonl');
    const { code, stdout, stderr } = await gloss('export', folder, '--format', 'gloss', '--out', out);
    expect(code).toBe(0);
    expect(stderr).toBe('exported 500/501 documents\n');
    expect(stdout).toBe(`Exported 501 documents (0 annotations) as gloss to ${out}.\n`);
    expect((await fsp.readFile(out, 'utf8')).trimEnd().split('\n')).toHaveLength(501);
  });
});

describe('bad input', { timeout: TIMEOUT }, () => {
  it('refuses an unknown format, a missing folder, and a format it cannot guess, with one line and exit 1', async () => {
    const empty = path.join(tmp, 'empty');
    await fsp.mkdir(empty);
    const unknown = await gloss('export', empty, '--format', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^gloss: unknown export format nope \(known: gloss, [^\n]*\)\n$/);

    const missing = await gloss('export', path.join(tmp, 'no-such-folder'), '--format', 'gloss');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^gloss: cannot open .*no-such-folder: ENOENT\n$/);

    const odd = path.join(tmp, 'odd.jsonl');
    await fsp.writeFile(odd, '{"foo": 1}\n');
    const guess = await gloss('import', odd, '--into', empty);
    expect(guess.code).toBe(1);
    expect(guess.stderr).toMatch(/^gloss: Cannot tell the format of .*odd\.jsonl: name it with --format \([^\n]*\)\n$/);

    const badLabels = await gloss('export', empty, '--format', 'gloss', '--labels', 'PERSON,NOPE', '--out', path.join(tmp, 'x.jsonl'));
    expect(badLabels.code).toBe(1);
    expect(badLabels.stderr).toBe('gloss: Unknown label: NOPE\n');

    const usage = await gloss('export', empty);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('gloss export FOLDER --format NAME');
  });

  it('lists each refused document as file:line: reason, imports the rest, and exits 1', async () => {
    const input = path.join(tmp, 'mixed.jsonl');
    const doc = (p: string, text: string, annotations: unknown[]) => JSON.stringify({ path: p, text, offsetUnit: 'codepoint', annotations });
    await fsp.writeFile(
      input,
      [
        doc('good.txt', 'Fighters entered Raqqa.\n', [{ id: 'a', label: 'LOCATION', start: 17, end: 22, text: 'Raqqa' }]),
        'not json',
        doc('bad.txt', 'Short text.\n', [{ id: 'b', label: 'ORG', start: 0, end: 99 }]),
      ].join('\n') + '\n',
    );
    const into = path.join(tmp, 'mixed-into');
    const { code, stdout, stderr } = await gloss('import', input, '--format', 'gloss', '--into', into);
    expect(code).toBe(1);
    expect(stderr.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${input.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: malformed JSON`)),
      `${input}:3: annotation b (ORG 0-99): offset 99 is past the end of the text (12 characters)`,
      '',
    ]);
    expect(stdout).toBe(`Imported 1 document (1 new) with 1 annotation from gloss into ${into}; 2 refused (reasons above).\n`);
    expect((await fsp.readdir(into)).filter((f) => !f.startsWith('.'))).toEqual(['good.txt']);
  });

  it('refuses a folder open in another Gloss, with the lock message', async () => {
    const folder = path.join(tmp, 'locked');
    await fsp.mkdir(folder);
    await fsp.writeFile(path.join(folder, 'a.txt'), 'An article.\n');
    const labels = LabelDef.array().parse(JSON.parse(await fsp.readFile(path.join(PROJECT_ROOT, 'resources', 'labels.json'), 'utf8')));
    const ws = await Workspace.open(folder, { userDataDir: path.join(tmp, 'home'), defaultLabels: labels, author: 'other', shell: 'browser' });
    try {
      for (const args of [
        ['export', folder, '--format', 'gloss', '--out', path.join(tmp, 'locked.jsonl')],
        ['import', GOLD_ARG, '--into', folder],
      ]) {
        const { code, stdout, stderr } = await gloss(...args);
        expect(code, args[0]).toBe(1);
        expect(stdout).toBe('');
        expect(stderr).toMatch(new RegExp(`^gloss: This folder is open in another Gloss \\(pid ${process.pid}, since [^)]+\\)\\. Close it there first\\.\\n$`));
      }
    } finally {
      await ws.close();
    }
    expect((await gloss('stats', folder)).code).toBe(0);
  });
});
