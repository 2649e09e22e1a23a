// `gloss check FOLDER` run as a user would, on a copy of the hostile fixtures: every file reported, skips with their reasons.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanCorpus } from '../annotations/corpus/scan.ts';
import { formatScan } from '../cli/check.ts';
import { copyFixtures, generateCases, loadExpected, reasonMatches, type Expectation } from './hostile-corpus.ts';
import { runGloss, type GlossRun } from './cli-run.ts';


/** `gloss ARGS`. */
const gloss = (...args: string[]): Promise<GlossRun> => runGloss(args);

let tmp: string;
let folder: string;
let expected: Record<string, Expectation>;

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-check-'));
  folder = path.join(tmp, 'corpus');
  await copyFixtures(folder);
  expected = { ...(await loadExpected()), ...(await generateCases(folder, { outsideDir: path.join(tmp, 'outside') })) };
  // A newline in a file name must not break the one-line-per-file report.
  await fsp.writeFile(path.join(folder, 'line\nbreak.txt'), 'Line break in the name\n');
});

afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

describe('gloss check', () => {
  it('prints one line per article and per skipped file, then a summary, and exits 0', async () => {
    const { code, stdout, stderr } = await gloss('check', folder);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.pop()).toBe('');

    const opened = Object.entries(expected).filter(([, e]) => e.outcome === 'opens');
    const skipped = Object.entries(expected).filter(([, e]) => e.outcome === 'skipped') as Array<[string, { reason: string }]>;
    for (const [p, e] of opened) {
      if (e.outcome !== 'opens') continue;
      const line = lines.find((l) => l.startsWith(`${p}  `));
      expect(line, p).toMatch(/  \d+ chars$/);
      expect(line!.slice(p.length + 2, line!.lastIndexOf('  '))).toBe(e.encoding);
      if (e.text !== undefined) expect(line).toBe(`${p}  ${e.encoding}  ${[...e.text].length} chars`);
    }
    for (const [p, e] of skipped) {
      const line = lines.find((l) => l.startsWith(`SKIPPED ${p}: `));
      expect(line, p).toBeDefined();
      expect(reasonMatches(e.reason, line!.slice(`SKIPPED ${p}: `.length)), line).toBe(true);
    }
    expect(lines).toContain('line\\u000abreak.txt  utf-8  23 chars');
    for (const [p, e] of Object.entries(expected)) {
      if (e.outcome === 'ignored') expect(lines.some((l) => l.includes(p)), p).toBe(false);
    }
    // One line per file, no more; articles first, both in natural order, as the scan gives them.
    expect(lines).toHaveLength(opened.length + skipped.length + 2);
    expect(lines[lines.length - 1]).toBe(`${opened.length + 1} articles, ${skipped.length} files skipped`);
    expect(lines).toEqual(formatScan(await scanCorpus(folder)));
  });

  it('reports an empty folder', async () => {
    const empty = await fsp.mkdtemp(path.join(tmp, 'empty-'));
    expect(await gloss('check', empty)).toEqual({ code: 0, stdout: '0 articles, 0 files skipped\n', stderr: '' });
  });

  it('exits 1 with a one-line reason when the folder itself cannot be read', async () => {
    for (const target of [path.join(tmp, 'no-such-folder'), path.join(folder, 'SHOUTING.TXT')]) {
      const { code, stdout, stderr } = await gloss('check', target);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^gloss: cannot read .+: (ENOENT|ENOTDIR)\b[^\n]*\n$/);
    }
  });

  it('says how to use it when the folder is missing', async () => {
    const { code, stderr } = await gloss('check');
    expect(code).toBe(2);
    expect(stderr).toContain('gloss check FOLDER');
  });
});
