// Durable, atomic, coalesced JSON files: the lowdb adapter behind every store file of Gloss.
// lowdb's own writer (steno) renames a temp file into place but never fsyncs; this one does both.
import { promises as fsp, constants as fsc } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Adapter } from 'lowdb';
import type { z } from 'zod';

/** Suffix of temp files; a crash can leave one behind, and they are safe to delete. */
export const TEMP_SUFFIX = '.gloss-tmp';

/**
 * Write `data` to `file` so that after the promise resolves the new content is on disk and a crash at
 * any moment leaves either the old or the new file, never a mix: write a temp file beside it, fsync it,
 * rename it over the target, fsync the directory.
 */
export async function writeFileDurable(file: string, data: string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  const handle = await fsp.open(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL, 0o644);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/** fsync a directory so a rename inside it survives a power cut (a no-op where the OS refuses). */
export async function syncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    // Windows cannot open directories; EISDIR/EPERM/EINVAL there mean "not supported", not failure.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw err;
  } finally {
    await handle?.close();
  }
}

/**
 * Coalesces bursts of writes of one file: while a write runs, later requests wait and are served by one
 * more write of the latest data. Every promise resolves only after a write that includes its data is durable.
 */
export class CoalescingWriter {
  private pending: { data: () => string; waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> } | null =
    null;
  private draining: Promise<void> | null = null;

  constructor(private readonly file: string) {}

  /** Schedule a write; `data` is called when the write starts, so it serializes the latest state. */
  write(data: () => string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (!this.pending) this.pending = { data, waiters: [] };
      this.pending.data = data;
      this.pending.waiters.push({ resolve, reject });
      if (!this.draining) this.draining = this.drain();
    });
  }

  /** Resolves when every scheduled write has finished (successfully or not). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    // Yield first: if `data()` threw synchronously, this method would otherwise finish (and reset
    // `draining` to null) before write() stores its promise, leaving `draining` set forever.
    await Promise.resolve();
    while (this.pending) {
      const batch = this.pending;
      this.pending = null;
      try {
        await writeFileDurable(this.file, batch.data());
        for (const w of batch.waiters) w.resolve();
      } catch (err) {
        for (const w of batch.waiters) w.reject(err);
      }
    }
    this.draining = null;
  }
}

/** A store file that exists but cannot be used: not JSON, wrong shape, or a format version we do not know. */
export class StoreFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'StoreFileError';
  }
}

/**
 * lowdb adapter over one JSON file: reads and validates with a zod schema (null when the file does not
 * exist; StoreFileError when it is unusable), writes durably and coalesced.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  private readonly writer: CoalescingWriter;

  constructor(
    readonly file: string,
    private readonly schema: z.ZodType<T>,
  ) {
    this.writer = new CoalescingWriter(file);
  }

  async read(): Promise<T | null> {
    let raw: string;
    try {
      raw = await fsp.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new StoreFileError(this.file, raw.trim() === '' ? 'empty file' : `not valid JSON (${(err as Error).message})`);
    }
    const parsed = this.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new StoreFileError(this.file, `unexpected content at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
    }
    return parsed.data;
  }

  write(data: T): Promise<void> {
    return this.writer.write(() => JSON.stringify(data, null, 1) + '\n');
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }
}

/**
 * Move an unusable store file into `quarantineDir` under a new name so it is never overwritten.
 * Returns the new path.
 */
export async function quarantine(file: string, quarantineDir: string): Promise<string> {
  await fsp.mkdir(quarantineDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = path.join(quarantineDir, `${path.basename(file)}.${stamp}.${randomBytes(2).toString('hex')}`);
  await fsp.rename(file, target);
  await syncDir(path.dirname(file));
  await syncDir(quarantineDir);
  return target;
}
