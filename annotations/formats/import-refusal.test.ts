// Imports store whole documents or nothing; what they store stays consistent (relations and their ends).
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { GlossService } from '../api/service.ts';
import { documentIdFor } from '../corpus/scan.ts';
import { importFrom } from './import.ts';

let tmp: string;
let service: GlossService;

beforeEach(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-refuse-'));
  await fsp.mkdir(path.join(tmp, 'corpus'));
  await fsp.mkdir(path.join(tmp, 'in'));
  await fsp.writeFile(path.join(tmp, 'in', 'good.txt'), 'Good report\n\nFighting in Baghouz.\n');
  await fsp.writeFile(path.join(tmp, 'in', 'good.ann'), 'T1\tLOCATION 25 32\tBaghouz\n');
  await fsp.writeFile(path.join(tmp, 'in', 'bad.txt'), 'Bad report\n\nShelling in Hajin and Susah.\n');
  // T1 is fine, T2 quotes the wrong text: the whole document must stay out.
  await fsp.writeFile(path.join(tmp, 'in', 'bad.ann'), 'T1\tLOCATION 24 29\tHajin\nT2\tLOCATION 34 39\tWrong\n');
  service = new GlossService({ shell: 'browser', version: '0', userDataDir: path.join(tmp, 'user'), saveDelayMs: 0, watch: false });
  await service.openFolder(path.join(tmp, 'corpus'));
});

afterEach(async () => {
  await service.close();
  await fsp.rm(tmp, { recursive: true, force: true });
});

it('refuses a brat document with a bad line whole, and imports the good one', async () => {
  const summary = await importFrom(service.current!, path.join(tmp, 'in'), 'brat');
  expect(summary.problems.some((p) => p.file.endsWith('bad.ann') && p.line === 2)).toBe(true);
  expect(summary.refused).toBeGreaterThanOrEqual(1);
  const paths = service.current!.view().documents.map((d) => d.path);
  expect(paths).toContain('good.txt');
  expect(paths).not.toContain('bad.txt');
  await expect(fsp.access(path.join(tmp, 'corpus', 'bad.txt'))).rejects.toThrow();
  const good = await service.current!.load(documentIdFor('good.txt'));
  expect(good.annotations.map((a) => a.text)).toEqual(['Baghouz']);
});

it('drops the relations of an annotation when it is removed', async () => {
  const ws = service.current!;
  await fsp.writeFile(path.join(tmp, 'corpus', 'r.txt'), 'Strike\n\nAn airstrike hit Baghouz.\n');
  await ws.rescan();
  const docId = documentIdFor('r.txt');
  const stamp = '2026-01-01T00:00:00.000Z';
  const base = { author: 't', created: stamp, modified: stamp };
  await ws.importDocument(docId, {
    annotations: [
      { id: 'e', label: 'EVENT', start: 11, end: 20, text: 'airstrike', ...base },
      { id: 'l', label: 'LOCATION', start: 25, end: 32, text: 'Baghouz', ...base },
    ],
    relations: [{ id: 'r1', type: 'place', from: 'e', to: 'l' }],
  });
  expect((await ws.stored(docId)).relations).toHaveLength(1);
  await ws.remove(docId, 'l');
  expect((await ws.stored(docId)).relations).toEqual([]);
});
