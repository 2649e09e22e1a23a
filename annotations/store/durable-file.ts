// Durable, atomic, coalesced JSON files: the lowdb adapter behind every store file of Gloss.
// lowdb's own writer (steno) renames a temp file into place but never fsyncs; this one does both.
import { promises as fsp, constants as fsc, closeSync, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
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
export async function writeFileDurable(file: string, data: string | Uint8Array): Promise<void> {
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

/** How long a writer waits before writing, so that a burst of changes costs one write. */
export interface WriteDelay {
  /** Write once no new data came for this long (0: at once, merging only what arrives meanwhile). */
  quietMs: number;
  /** ...but never later than this after the first data that is not on disk yet. */
  maxMs: number;
}

/** Write at once: bursts still merge while a write is in flight. */
export const NO_DELAY: WriteDelay = { quietMs: 0, maxMs: 0 };

/** Thrown to writers of a file whose writer was closed (the file was replaced underneath, e.g. restored). */
export class WriterClosedError extends Error {
  constructor(readonly file: string) {
    super(`${path.basename(file)} was replaced; reload it before changing it`);
    this.name = 'WriterClosedError';
  }
}

interface Batch {
  data: () => string;
  waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }>;
  /** When the first data of this batch arrived (ms since epoch). */
  since: number;
}

/**
 * Coalesces bursts of writes of one file: requests wait for `delay` (a quiet period, capped) and are served
 * by one write of the latest data; requests made while a write runs wait for the next one. Every promise
 * resolves only after a write that includes its data is durable.
 */
export class CoalescingWriter {
  private pending: Batch | null = null;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private closed = false;

  /**
   * `beforeWrite` runs before each write and is waited for (a store holds its first write until a backup
   * of what it found exists); a failure fails that write.
   */
  constructor(
    private readonly file: string,
    private readonly delay: WriteDelay = NO_DELAY,
    private readonly beforeWrite?: () => Promise<void> | void,
  ) {}

  /** Schedule a write; `data` is called when the write starts, so it serializes the latest state. */
  write(data: () => string): Promise<void> {
    if (this.closed) return Promise.reject(new WriterClosedError(this.file));
    return new Promise<void>((resolve, reject) => {
      if (!this.pending) this.pending = { data, waiters: [], since: Date.now() };
      this.pending.data = data;
      this.pending.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Is data waiting for its write (or being written)? */
  get busy(): boolean {
    return this.pending !== null || this.writing !== null;
  }

  /** Write whatever waits now, without waiting for quiet; resolves when every write has finished (well or not). */
  async flush(): Promise<void> {
    while (this.pending || this.writing) {
      if (!this.writing) this.start();
      await this.writing;
    }
  }

  /** Flush, then refuse every later write (the file is about to be replaced by someone else). */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /** Start the pending write when its delay has passed; a running write reschedules when it ends. */
  private schedule(): void {
    if (this.writing || !this.pending) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const wait = Math.min(this.delay.quietMs, this.pending.since + this.delay.maxMs - Date.now());
    if (wait <= 0) this.start();
    else this.timer = setTimeout(() => this.start(), wait);
  }

  private start(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.writing || !this.pending) return;
    this.writing = this.writeBatch().finally(() => {
      this.writing = null;
      this.schedule();
    });
  }

  private async writeBatch(): Promise<void> {
    // Yield first, so that requests made in the same tick join this write.
    await Promise.resolve();
    let held: unknown = null;
    // Requests made while the write is held join it too.
    await (async () => this.beforeWrite?.())().catch((err: unknown) => void (held = err ?? new Error('write refused')));
    const batch = this.pending;
    this.pending = null;
    if (!batch) return;
    try {
      if (held) throw held;
      await writeFileDurable(this.file, batch.data());
      for (const w of batch.waiters) w.resolve();
    } catch (err) {
      for (const w of batch.waiters) w.reject(err);
    }
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

function parseJsonOrNull<T>(raw: string): T | null {
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

/** Parse and validate the text of a store file; StoreFileError says what is wrong with it. */
export function parseStoreJson<T>(file: string, raw: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new StoreFileError(file, raw.trim() === '' ? 'empty file' : `not valid JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StoreFileError(file, `unexpected content at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

/**
 * lowdb adapter over one JSON file: reads and validates with a zod schema (null when the file does not
 * exist; StoreFileError when it is unusable), writes durably and coalesced.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  private readonly writer: CoalescingWriter;
  /** The text last read or written, to tell whether a save would change anything. */
  private lastText: string | null = null;

  /** `trusted(stats)`: is the file as it is now known valid (so it need not be validated again)? */
  constructor(
    readonly file: string,
    private readonly schema: z.ZodType<T>,
    delay: WriteDelay = NO_DELAY,
    beforeWrite?: () => Promise<void> | void,
    private readonly trusted?: (stats: Stats) => boolean,
  ) {
    this.writer = new CoalescingWriter(file, delay, beforeWrite);
  }

  /** Is data waiting for its write (or being written)? */
  get busy(): boolean {
    return this.writer.busy;
  }

  /** Was the file read (it existed and was valid) or written by this adapter? */
  get known(): boolean {
    return this.lastText !== null;
  }

  async read(): Promise<T | null> {
    let raw: string;
    let stats: Stats;
    try {
      // Synchronous: one file, read in a few ms at most, without a round trip per open, stat, read and close.
      const fd = openSync(this.file, 'r');
      try {
        stats = fstatSync(fd);
        raw = readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    // A file validated before and unchanged since (same size and times) is only parsed: validating a
    // document of thousands of annotations costs more than parsing it.
    const trusted = this.trusted?.(stats) ? parseJsonOrNull<T>(raw) : null;
    const parsed = trusted ?? parseStoreJson(this.file, raw, this.schema);
    this.lastText = raw;
    return parsed;
  }

  write(data: T): Promise<void> {
    // Of the requests one write serves, only the last serializes; its text is on disk once it resolves.
    let text: string | null = null;
    return this.writer
      .write(() => (text = JSON.stringify(data, null, 1) + '\n'))
      .then(() => {
        if (text !== null) this.lastText = text;
      });
  }

  /** Would writing `data` change the file as last read or written (or is a write of other data under way)? */
  differs(data: T): boolean {
    return this.writer.busy || JSON.stringify(data, null, 1) + '\n' !== this.lastText;
  }

  /** Write what waits now and resolve when it is durable. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Flush, then refuse later writes: the file is being replaced (a restore from a backup). */
  close(): Promise<void> {
    return this.writer.close();
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
