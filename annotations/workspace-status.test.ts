// Tests of document review status: set through the API, saved in the index, kept across rescans and renames.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { GlossService } from './api/service.ts';
import { documentIdFor } from './corpus/scan.ts';
import type { WorkspaceFile } from './model.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEEDS = path.resolve(here, '../../shared/corpus/seeds');
const DOC = '001_0195c39c9476f768.txt';

let tmp: string;
let corpus: string;
let service: GlossService;

beforeEach(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-status-'));
  corpus = path.join(tmp, 'corpus');
  await fsp.cp(SEEDS, corpus, { recursive: true });
  service = new GlossService({ shell: 'browser', version: '0', userDataDir: path.join(tmp, 'user'), saveDelayMs: 0, watch: false });
  await service.openFolder(corpus);
});

afterEach(async () => {
  await service.close();
  await fsp.rm(tmp, { recursive: true, force: true });
});

const index = async () =>
  (JSON.parse(await fsp.readFile(path.join(corpus, '.gloss', 'workspace.json'), 'utf8')) as WorkspaceFile).documents;

it('marks a document done, durably, and back to new', async () => {
  const docId = documentIdFor(DOC);
  const done = await service.dispatch('document:setStatus', { docId, status: 'done' });
  expect(done).toMatchObject({ ok: true, value: { id: docId, status: 'done' } });
  expect((await index()).find((d) => d.id === docId)?.status).toBe('done');
  const fresh = await service.dispatch('document:setStatus', { docId, status: 'new' });
  expect(fresh.ok && 'status' in (fresh.value as object)).toBe(false);
  expect((await index()).find((d) => d.id === docId)?.status).toBeUndefined();
});

it('refuses an unknown status or document', async () => {
  expect(await service.dispatch('document:setStatus', { docId: documentIdFor(DOC), status: 'finished' })).toMatchObject({
    ok: false,
    error: { code: 'invalid-input' },
  });
  expect(await service.dispatch('document:setStatus', { docId: 'dnope', status: 'done' })).toMatchObject({
    ok: false,
    error: { code: 'not-found' },
  });
});

it('keeps the status across a rescan, a re-open and a rename', async () => {
  await service.dispatch('document:setStatus', { docId: documentIdFor(DOC), status: 'in-progress' });
  await service.current!.rescan();
  expect(service.current!.view().documents.find((d) => d.path === DOC)?.status).toBe('in-progress');
  await fsp.rename(path.join(corpus, DOC), path.join(corpus, 'renamed.txt'));
  await service.current!.rescan();
  expect(service.current!.view().documents.find((d) => d.path === 'renamed.txt')?.status).toBe('in-progress');
  await service.close();
  service = new GlossService({ shell: 'browser', version: '0', userDataDir: path.join(tmp, 'user'), saveDelayMs: 0, watch: false });
  await service.openFolder(corpus);
  expect(service.current!.view().documents.find((d) => d.path === 'renamed.txt')?.status).toBe('in-progress');
});
