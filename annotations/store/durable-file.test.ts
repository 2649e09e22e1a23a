// Tests of the durable, atomic, coalesced JSON files on a temporary folder.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { WorkspaceFile } from '../model.ts';
import {
  CoalescingWriter,
  DurableJsonFile,
  StoreFileError,
  TEMP_SUFFIX,
  WriterClosedError,
  quarantine,
  writeFileDurable,
} from './durable-file.ts';

let tmp: string;

beforeEach(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-durable-'));
});

afterEach(async () => {
  vi.restoreAllMocks();
  await fsp.rm(tmp, { recursive: true, force: true });
});

const tempFilesIn = async (dir: string): Promise<string[]> =>
  (await fsp.readdir(dir)).filter((name) => name.endsWith(TEMP_SUFFIX));

const validWorkspace = (): WorkspaceFile => ({
  format: 'gloss-workspace',
  version: 1,
  created: '2024-01-01T00:00:00.000Z',
  labels: [{ name: 'PERSON', key: '1', color: '#E69F00', description: 'People' }],
  documents: [],
  settings: {},
});

describe('writeFileDurable', () => {
  it('writes the content and leaves no temp file behind', async () => {
    const file = path.join(tmp, 'a.json');
    await writeFileDurable(file, '{"a":1}\n');
    expect(await fsp.readFile(file, 'utf8')).toBe('{"a":1}\n');
    expect(await tempFilesIn(tmp)).toEqual([]);
    expect(await fsp.readdir(tmp)).toEqual(['a.json']);
  });

  it('writes non-ASCII text as UTF-8', async () => {
    const file = path.join(tmp, 'u.json');
    const text = 'Raqqa الرَّقَّة 🚀 café\u0301';
    await writeFileDurable(file, text);
    expect(await fsp.readFile(file)).toEqual(Buffer.from(text, 'utf8'));
  });

  it('replaces an existing file by renaming a temp file from the same folder over it', async () => {
    const file = path.join(tmp, 'b.json');
    await fsp.writeFile(file, 'old');
    const rename = vi.spyOn(fsp, 'rename');
    await writeFileDurable(file, 'new');
    expect(await fsp.readFile(file, 'utf8')).toBe('new');
    expect(rename).toHaveBeenCalledTimes(1);
    const [from, to] = rename.mock.calls[0];
    expect(to).toBe(file);
    expect(path.dirname(String(from))).toBe(tmp);
    expect(String(from).endsWith(TEMP_SUFFIX)).toBe(true);
    expect(await tempFilesIn(tmp)).toEqual([]);
  });

  it('keeps the old file and removes the temp file when the rename fails', async () => {
    const file = path.join(tmp, 'c.json');
    await fsp.writeFile(file, 'old content');
    vi.spyOn(fsp, 'rename').mockRejectedValueOnce(Object.assign(new Error('simulated EIO'), { code: 'EIO' }));
    await expect(writeFileDurable(file, 'new content')).rejects.toThrow('simulated EIO');
    expect(await fsp.readFile(file, 'utf8')).toBe('old content');
    expect(await tempFilesIn(tmp)).toEqual([]);
  });

  it('keeps the old file and removes the temp file when writing the temp file fails', async () => {
    const file = path.join(tmp, 'd.json');
    await fsp.writeFile(file, 'old content');
    const realOpen = fsp.open.bind(fsp);
    vi.spyOn(fsp, 'open').mockImplementationOnce(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args);
      handle.writeFile = () => Promise.reject(Object.assign(new Error('simulated ENOSPC'), { code: 'ENOSPC' }));
      return handle;
    });
    await expect(writeFileDurable(file, 'new content')).rejects.toThrow('simulated ENOSPC');
    expect(await fsp.readFile(file, 'utf8')).toBe('old content');
    expect(await tempFilesIn(tmp)).toEqual([]);
  });

  it('rejects when the folder does not exist, and creates nothing', async () => {
    const file = path.join(tmp, 'missing', 'e.json');
    await expect(writeFileDurable(file, 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fsp.readdir(tmp)).toEqual([]);
  });

  it('rejects when the target is a folder, leaving the folder and its content intact', async () => {
    const target = path.join(tmp, 'dir.json');
    await fsp.mkdir(target);
    await fsp.writeFile(path.join(target, 'inside'), 'keep');
    await expect(writeFileDurable(target, 'x')).rejects.toThrow();
    expect(await fsp.readFile(path.join(target, 'inside'), 'utf8')).toBe('keep');
    expect(await tempFilesIn(tmp)).toEqual([]);
  });
});

describe('CoalescingWriter', () => {
  it('coalesces a burst of 20 writes into far fewer file writes, and every promise resolves', async () => {
    const file = path.join(tmp, 'burst.json');
    const writer = new CoalescingWriter(file);
    let calls = 0;
    let latest = 0;
    const promises: Promise<void>[] = [];
    for (let i = 1; i <= 20; i++) {
      latest = i;
      promises.push(
        writer.write(() => {
          calls++;
          return JSON.stringify({ n: latest });
        }),
      );
    }
    await expect(Promise.all(promises)).resolves.toHaveLength(20);
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(3);
    expect(JSON.parse(await fsp.readFile(file, 'utf8'))).toEqual({ n: 20 });
    expect(await tempFilesIn(tmp)).toEqual([]);
  });

  it('serves writes made while a write runs with one more write of the latest data', async () => {
    const file = path.join(tmp, 'during.json');
    const writer = new CoalescingWriter(file);
    const seen: string[] = [];
    const first = writer.write(() => {
      seen.push('first');
      return 'first';
    });
    // Let the first write start before the next ones arrive.
    await new Promise((r) => setTimeout(r, 0));
    const rest = ['second', 'third', 'fourth'].map((name) =>
      writer.write(() => {
        seen.push(name);
        return name;
      }),
    );
    await Promise.all([first, ...rest]);
    // The three later requests were served by one write, with the data of the last one.
    expect(seen).toEqual(['first', 'fourth']);
    expect(await fsp.readFile(file, 'utf8')).toBe('fourth');
  });

  it('resolves a promise only once its data is on disk', async () => {
    const file = path.join(tmp, 'ondisk.json');
    const writer = new CoalescingWriter(file);
    for (let i = 0; i < 5; i++) {
      await writer.write(() => `v${i}`);
      expect(await fsp.readFile(file, 'utf8')).toBe(`v${i}`);
    }
  });

  it('rejects the waiters of a failing write, and a later write still works', async () => {
    const dir = path.join(tmp, 'later');
    const file = path.join(dir, 'x.json');
    const writer = new CoalescingWriter(file);
    // The folder does not exist yet: the write fails.
    const failing = [writer.write(() => 'a'), writer.write(() => 'b')];
    for (const p of failing) await expect(p).rejects.toMatchObject({ code: 'ENOENT' });
    await writer.flush();
    await fsp.mkdir(dir);
    await expect(writer.write(() => 'c')).resolves.toBeUndefined();
    expect(await fsp.readFile(file, 'utf8')).toBe('c');
  });

  it('rejects when data() throws, and a later write still works (no stuck writer)', async () => {
    const file = path.join(tmp, 'throws.json');
    const writer = new CoalescingWriter(file);
    await expect(
      writer.write(() => {
        throw new Error('cannot serialize');
      }),
    ).rejects.toThrow('cannot serialize');
    const later = writer.write(() => 'fine');
    const timeout = new Promise<string>((r) => setTimeout(() => r('timed out'), 2000));
    await expect(Promise.race([later.then(() => 'written'), timeout])).resolves.toBe('written');
    await expect(Promise.race([writer.flush().then(() => 'flushed'), timeout])).resolves.toBe('flushed');
    expect(await fsp.readFile(file, 'utf8')).toBe('fine');
  });

  it('flush waits for every scheduled write', async () => {
    const file = path.join(tmp, 'flush.json');
    const writer = new CoalescingWriter(file);
    void writer.write(() => '1');
    void writer.write(() => '2');
    await writer.flush();
    expect(await fsp.readFile(file, 'utf8')).toBe('2');
    // Flushing an idle writer resolves at once.
    await expect(writer.flush()).resolves.toBeUndefined();
  });
});

describe('CoalescingWriter with a delay', () => {
  const fakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });

  it('waits for a quiet period, restarted by every write, then serves the burst with one write', async () => {
    fakeClock();
    try {
      const file = path.join(tmp, 'quiet.json');
      const writer = new CoalescingWriter(file, { quietMs: 1000, maxMs: 3000 });
      let calls = 0;
      let latest = '';
      const data = () => {
        calls++;
        return latest;
      };
      latest = 'a';
      const a = writer.write(data);
      await vi.advanceTimersByTimeAsync(600);
      latest = 'b';
      const b = writer.write(data);
      await vi.advanceTimersByTimeAsync(600);
      // 1200 ms after the first write, but only 600 ms of quiet: nothing written yet.
      expect(calls).toBe(0);
      expect(writer.busy).toBe(true);
      await vi.advanceTimersByTimeAsync(400);
      await Promise.all([a, b]);
      expect(calls).toBe(1);
      expect(await fsp.readFile(file, 'utf8')).toBe('b');
      expect(writer.busy).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes no later than maxMs after the first unwritten data, however busy the writing', async () => {
    fakeClock();
    try {
      const file = path.join(tmp, 'capped.json');
      const writer = new CoalescingWriter(file, { quietMs: 1000, maxMs: 3000 });
      let calls = 0;
      const promises: Promise<void>[] = [];
      for (let i = 0; i < 6; i++) {
        promises.push(
          writer.write(() => {
            calls++;
            return `v${i}`;
          }),
        );
        // A write every 500 ms: never a quiet second.
        if (i < 5) await vi.advanceTimersByTimeAsync(500);
      }
      expect(calls).toBe(0);
      await vi.advanceTimersByTimeAsync(500);
      await Promise.all(promises);
      expect(calls).toBe(1);
      expect(await fsp.readFile(file, 'utf8')).toBe('v5');
    } finally {
      vi.useRealTimers();
    }
  });

  it('flush writes at once what waits for quiet, and resolves its waiters', async () => {
    const file = path.join(tmp, 'flushed.json');
    const writer = new CoalescingWriter(file, { quietMs: 3_600_000, maxMs: 3_600_000 });
    let resolved = false;
    const pending = writer.write(() => 'now').then(() => (resolved = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(resolved).toBe(false);
    await expect(fsp.access(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await writer.flush();
    await pending;
    expect(resolved).toBe(true);
    expect(await fsp.readFile(file, 'utf8')).toBe('now');
  });

  it('close writes what waits, then refuses later writes without touching the file', async () => {
    const file = path.join(tmp, 'closed.json');
    const writer = new CoalescingWriter(file, { quietMs: 3_600_000, maxMs: 3_600_000 });
    const pending = writer.write(() => 'last');
    await writer.close();
    await expect(pending).resolves.toBeUndefined();
    await expect(writer.write(() => 'late')).rejects.toBeInstanceOf(WriterClosedError);
    expect(await fsp.readFile(file, 'utf8')).toBe('last');
    expect(await tempFilesIn(tmp)).toEqual([]);
  });
});

describe('DurableJsonFile', () => {
  it('returns null for a missing file', async () => {
    const db = new DurableJsonFile(path.join(tmp, 'none.json'), WorkspaceFile);
    await expect(db.read()).resolves.toBeNull();
  });

  it('round-trips valid data through write and read', async () => {
    const file = path.join(tmp, 'workspace.json');
    const db = new DurableJsonFile(file, WorkspaceFile);
    const data = validWorkspace();
    await db.write(data);
    await db.flush();
    expect(await db.read()).toEqual(data);
    expect((await fsp.readFile(file, 'utf8')).endsWith('\n')).toBe(true);
    expect(await new DurableJsonFile(file, WorkspaceFile).read()).toEqual(data);
  });

  const readError = async (content: string): Promise<StoreFileError> => {
    const file = path.join(tmp, 'bad.json');
    await fsp.writeFile(file, content);
    const err = await new DurableJsonFile(file, WorkspaceFile).read().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreFileError);
    expect((err as StoreFileError).file).toBe(file);
    return err as StoreFileError;
  };

  it('throws StoreFileError for an empty file', async () => {
    expect((await readError('')).reason).toBe('empty file');
    expect((await readError('  \n\t ')).reason).toBe('empty file');
  });

  it('throws StoreFileError for truncated JSON', async () => {
    const full = JSON.stringify(validWorkspace(), null, 1);
    const err = await readError(full.slice(0, Math.floor(full.length / 2)));
    expect(err.reason).toMatch(/^not valid JSON/);
    expect(err.message).toContain('bad.json');
  });

  it('throws StoreFileError for garbage bytes', async () => {
    expect((await readError('\u0000\u0001garbage\uFFFD')).reason).toMatch(/^not valid JSON/);
  });

  it('throws StoreFileError for JSON of the wrong shape', async () => {
    expect((await readError('[1, 2, 3]')).reason).toMatch(/^unexpected content/);
    expect((await readError('null')).reason).toMatch(/^unexpected content/);
    const noLabels: Record<string, unknown> = { ...validWorkspace() };
    delete noLabels.labels;
    expect((await readError(JSON.stringify(noLabels))).reason).toMatch(/unexpected content at labels/);
  });

  it('throws StoreFileError for an unknown format version or format name', async () => {
    const v2 = await readError(JSON.stringify({ ...validWorkspace(), version: 2 }));
    expect(v2.reason).toMatch(/unexpected content at version/);
    const other = await readError(JSON.stringify({ ...validWorkspace(), format: 'gloss-document' }));
    expect(other.reason).toMatch(/unexpected content at format/);
  });

  it('rethrows other read errors as they are (not as StoreFileError)', async () => {
    const dir = path.join(tmp, 'adir.json');
    await fsp.mkdir(dir);
    const err = await new DurableJsonFile(dir, z.object({})).read().catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(StoreFileError);
    expect((err as NodeJS.ErrnoException).code).toBe('EISDIR');
  });
});

describe('quarantine', () => {
  it('moves the file into the quarantine folder under a new name, byte for byte', async () => {
    const file = path.join(tmp, 'workspace.json');
    const bytes = Buffer.from([0x7b, 0x22, 0xff, 0x00, 0xe2, 0x82, 0xac, 0x0a, 0x7d]);
    await fsp.writeFile(file, bytes);
    const qdir = path.join(tmp, 'quarantine');
    const movedTo = await quarantine(file, qdir);
    expect(path.dirname(movedTo)).toBe(qdir);
    expect(path.basename(movedTo)).not.toBe('workspace.json');
    expect(path.basename(movedTo).startsWith('workspace.json.')).toBe(true);
    expect(await fsp.readFile(movedTo)).toEqual(bytes);
    await expect(fsp.access(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fsp.readdir(qdir)).toEqual([path.basename(movedTo)]);
  });

  it('never overwrites an earlier quarantined file of the same name', async () => {
    const file = path.join(tmp, 'doc.json');
    const qdir = path.join(tmp, 'q');
    await fsp.writeFile(file, 'first');
    const a = await quarantine(file, qdir);
    await fsp.writeFile(file, 'second');
    const b = await quarantine(file, qdir);
    expect(a).not.toBe(b);
    expect(await fsp.readFile(a, 'utf8')).toBe('first');
    expect(await fsp.readFile(b, 'utf8')).toBe('second');
  });
});
