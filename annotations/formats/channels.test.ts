// The export:run and import:run channels through GlossService.dispatch: where exports go, dialogs, refusals.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportRunResult, ImportRunResult } from '../api/contract.ts';
import { GlossService } from '../api/service.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEEDS = path.resolve(here, '../../../shared/corpus/seeds');
const GOLD = path.resolve(here, '../../../shared/corpus/gold/dev.jsonl');

let tmp: string;
const services: GlossService[] = [];

beforeAll(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-channels-')));
});

afterAll(async () => {
  for (const s of services) await s.close();
  await fsp.rm(tmp, { recursive: true, force: true });
});

async function serviceOn(name: string, options: Partial<ConstructorParameters<typeof GlossService>[0]> = {}) {
  const folder = path.join(tmp, name);
  await fsp.cp(SEEDS, folder, { recursive: true });
  const service = new GlossService({ shell: 'browser', version: 'test', userDataDir: path.join(tmp, `${name}-home`), watch: false, saveDelayMs: 0, ...options });
  services.push(service);
  await service.openFolder(folder);
  return { service, folder };
}

describe('export:run', () => {
  it('without a dialog (browser shell), writes a new folder inside the store and says where', async () => {
    const { service, folder } = await serviceOn('browser-export');
    const result = await service.dispatch('export:run', { format: 'gloss', options: { documents: 'all' } });
    expect(result.ok).toBe(true);
    const value = (result as { value: ExportRunResult }).value;
    expect(value).toMatchObject({ documents: 5, annotations: 0, problems: [] });
    expect(value.location).toMatch(new RegExp(`^${path.join(folder, '.gloss', 'exports', 'gloss-').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\d{8}-\\d{6}Z/corpus\\.jsonl$`));
    expect((await fsp.readFile(value.location, 'utf8')).trimEnd().split('\n')).toHaveLength(5);
  });

  it('writes where the desktop dialog says, answers null when it is cancelled, and checks its input strictly', async () => {
    const target = path.join(tmp, 'chosen.jsonl');
    let answer: string | null = target;
    const { service } = await serviceOn('desktop-export', { chooseExportTarget: async (writer) => (writer.name === 'gloss' ? answer : null) });
    const done = await service.dispatch('export:run', { format: 'gloss', options: { documents: 'done', labels: ['ORG'], includePending: true } });
    expect(done).toEqual({ ok: true, value: { documents: 0, annotations: 0, problems: [], location: target } });
    answer = null;
    expect(await service.dispatch('export:run', { format: 'gloss', options: { documents: 'all' } })).toEqual({ ok: true, value: null });
    for (const bad of [
      { format: 'gloss', options: { documents: 'all' }, extra: 1 },
      { format: 'gloss', options: { documents: 'all', out: '/etc/x' } },
      { format: '../x', options: { documents: 'all' } },
      { format: 'gloss', options: { documents: 'some' } },
    ]) {
      expect(await service.dispatch('export:run', bad)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    expect(await service.dispatch('export:run', { format: 'nope', options: { documents: 'all' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: 'Unknown export format nope' },
    });
  });
});

describe('import:run', () => {
  it('is unavailable in the browser shell and says to use gloss import', async () => {
    const { service } = await serviceOn('browser-import');
    expect(await service.dispatch('import:run', { format: 'gold' })).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringContaining('gloss import FILE --format gold --into FOLDER') },
    });
    expect(await service.dispatch('import:run', { format: 'gold', path: GOLD })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('imports the file the desktop dialog picks into the open folder and tells the UI', async () => {
    const events: string[] = [];
    const progress: unknown[] = [];
    const { service } = await serviceOn('desktop-import', {
      chooseImportFile: async (reader) => (reader.name === 'gold' ? GOLD : null),
      onEvent: (e) => events.push(e),
      onProgress: (p) => progress.push(p),
    });
    const result = await service.dispatch('import:run', { format: 'gold' });
    expect(result.ok).toBe(true);
    expect((result as { value: ImportRunResult }).value).toMatchObject({ format: 'gold', documents: 3, created: 0, refused: 0, problems: [], notices: [] });
    expect(events).toContain('corpus:changed');
    expect(progress).toEqual([1, 2, 3].map((done) => ({ task: 'import', done, total: 3 })));
    expect(await service.dispatch('import:run', { format: 'gloss' })).toEqual({ ok: true, value: null });
  });
});
