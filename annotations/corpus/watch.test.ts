// Tests of the folder watcher: changes anywhere in the corpus are reported, the store's own writes are not.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { watchCorpus } from './watch.ts';

let root: string;
let stop: () => void = () => undefined;
let calls = 0;

const settle = (ms = 250) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-watch-'));
  await fsp.mkdir(path.join(root, '.gloss', 'docs'), { recursive: true });
  await fsp.mkdir(path.join(root, 'sub'));
  calls = 0;
  stop = watchCorpus(root, () => calls++, { debounceMs: 50 });
  await settle(100);
});

afterEach(async () => {
  stop();
  await fsp.rm(root, { recursive: true, force: true });
});

it('reports a new article at the top and in a subfolder, once per burst', async () => {
  await fsp.writeFile(path.join(root, 'a.txt'), 'A');
  await fsp.writeFile(path.join(root, 'sub', 'b.txt'), 'B');
  await settle();
  expect(calls).toBe(1);
});

it('watches folders created after it started', async () => {
  await fsp.mkdir(path.join(root, 'later'));
  await settle();
  const before = calls;
  await fsp.writeFile(path.join(root, 'later', 'c.txt'), 'C');
  await settle();
  expect(before).toBeGreaterThan(0);
  expect(calls).toBe(before + 1);
});

it('ignores writes inside the store folder and hidden files', async () => {
  await fsp.writeFile(path.join(root, '.gloss', 'docs', 'd1.json'), '{}');
  await fsp.writeFile(path.join(root, '.gloss', 'workspace.json'), '{}');
  await fsp.writeFile(path.join(root, '.hidden.txt'), 'x');
  await settle();
  expect(calls).toBe(0);
});

it('stops reporting once stopped', async () => {
  stop();
  await fsp.writeFile(path.join(root, 'a.txt'), 'A');
  await settle();
  expect(calls).toBe(0);
});
