// One Gloss per store: a lock file naming the process that has the folder open. Node only.
// Two instances saving the same document files would silently undo each other's work.
import { constants as fsc, promises as fsp, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ApiError } from '../api/contract.ts';
import { TEMP_SUFFIX, syncDir, writeFileDurable } from './durable-file.ts';

/** Name of the lock file inside a store directory. */
export const LOCK_FILE_NAME = 'lock';

/** What a lock file holds. */
export const LockInfo = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  /** When the holder opened the folder (ISO time). */
  started: z.string(),
  /** Which shell holds it (electron, browser, ...), for the message. */
  shell: z.string(),
  /**
   * Random per process: a lock naming our pid but another token is a leftover of a dead process whose
   * pid was reused (common in containers), not ours.
   */
  token: z.string(),
  /** Random per acquisition: releasing one lock never deletes a later one of the same process. */
  instance: z.string(),
});
export type LockInfo = z.infer<typeof LockInfo>;

/** This process's token. */
const PROCESS_TOKEN = randomBytes(8).toString('hex');

/** Locks held by this process, released on exit even when nobody called release(). */
const held = new Map<string, LockInfo>();
let exitHookInstalled = false;

/** A held lock on a store directory. */
export class StoreLock {
  private released = false;

  constructor(
    readonly file: string,
    readonly info: LockInfo,
  ) {}

  /** Delete the lock file if it is still ours. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (held.get(this.file) === this.info) held.delete(this.file);
    const current = await readLock(this.file);
    if (current.kind === 'ok' && isSame(current.info, this.info)) {
      await fsp.rm(this.file, { force: true });
      await syncDir(path.dirname(this.file)).catch(() => undefined);
    }
  }
}

/**
 * Take the lock of `storeDir`: create `lock` exclusively; when one exists, refuse if it names a live
 * Gloss on this host (or any Gloss on another host, whose liveness we cannot check), else take it over.
 */
export async function acquireStoreLock(storeDir: string, shell: string, now: Date = new Date()): Promise<StoreLock> {
  const file = path.join(storeDir, LOCK_FILE_NAME);
  const info: LockInfo = {
    pid: process.pid,
    hostname: os.hostname(),
    started: now.toISOString(),
    shell,
    token: PROCESS_TOKEN,
    instance: randomBytes(6).toString('hex'),
  };
  const body = JSON.stringify(info) + '\n';
  if (await createExclusive(file, body)) return hold(file, info);

  const existing = await readLock(file);
  if (existing.kind === 'ok' && holderIsAlive(existing.info)) throw conflict(existing.info, file);
  if (existing.kind === 'missing') {
    // Released between our attempt and our read: try once more the normal way.
    if (await createExclusive(file, body)) return hold(file, info);
    const again = await readLock(file);
    if (again.kind === 'ok') throw conflict(again.info, file);
  }
  // Dead holder or unreadable file: take over, then read back in case another instance raced us.
  await writeFileDurable(file, body);
  const mine = await readLock(file);
  if (mine.kind === 'ok' && !isSame(mine.info, info)) throw conflict(mine.info, file);
  if (mine.kind !== 'ok') throw new ApiError('conflict', 'Another Gloss is opening this folder at this moment. Try again.');
  return hold(file, info);
}

/** Read a lock file: its content, or why it has none. */
export async function readLock(file: string): Promise<{ kind: 'ok'; info: LockInfo } | { kind: 'missing' } | { kind: 'garbage' }> {
  let raw: string;
  try {
    raw = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
  try {
    const parsed = LockInfo.safeParse(JSON.parse(raw));
    return parsed.success ? { kind: 'ok', info: parsed.data } : { kind: 'garbage' };
  } catch {
    return { kind: 'garbage' };
  }
}

/** Is the process a lock names still running? Other hosts cannot be asked, so they count as alive. */
function holderIsAlive(info: LockInfo): boolean {
  if (info.hostname !== os.hostname()) return true;
  if (info.pid === process.pid) return info.token === PROCESS_TOKEN;
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function conflict(info: LockInfo, file: string): ApiError {
  const since = formatLocalTime(info.started);
  if (info.hostname !== os.hostname()) {
    return new ApiError(
      'conflict',
      `This folder is open in another Gloss on ${info.hostname} (pid ${info.pid}, since ${since}). ` +
        `Close it there first, or delete ${file} if that Gloss is no longer running.`,
    );
  }
  return new ApiError('conflict', `This folder is open in another Gloss (pid ${info.pid}, since ${since}). Close it there first.`);
}

/** `YYYY-MM-DD HH:MM` in local time, or the raw string when it is not a date. */
function formatLocalTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/**
 * Create the file with `body` only if it does not exist; false when it exists. The content is written to
 * a temp file first and hard-linked into place, so no reader ever sees a half-written lock (which it
 * would take for garbage and take over). Nothing is fsynced: a lock only means something while its
 * holder runs, and a crash of the machine ends every holder (a lock lost or garbled by it is taken over).
 */
async function createExclusive(file: string, body: string): Promise<boolean> {
  const tmp = path.join(path.dirname(file), `.${LOCK_FILE_NAME}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  await writeNew(tmp, body, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL);
  try {
    await fsp.link(tmp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // File systems without hard links: create the lock itself exclusively.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
    try {
      await writeNew(file, body, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL);
    } catch (inner) {
      if ((inner as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw inner;
    }
  } finally {
    await fsp.rm(tmp, { force: true });
  }
  return true;
}

async function writeNew(file: string, body: string, flags: number): Promise<void> {
  const handle = await fsp.open(file, flags, 0o644);
  try {
    await handle.writeFile(body, 'utf8');
  } finally {
    await handle.close();
  }
}

function isSame(a: LockInfo, b: LockInfo): boolean {
  return a.pid === b.pid && a.token === b.token && a.instance === b.instance;
}

function hold(file: string, info: LockInfo): StoreLock {
  held.set(file, info);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', releaseAllSync);
  }
  return new StoreLock(file, info);
}

/** On exit only synchronous work runs: delete every lock file this process still holds. */
function releaseAllSync(): void {
  for (const [file, mine] of held) {
    try {
      const info = LockInfo.parse(JSON.parse(readFileSync(file, 'utf8')));
      if (isSame(info, mine)) rmSync(file, { force: true });
    } catch {
      // Best effort: a lock left behind names a dead process and is taken over on the next open.
    }
  }
  held.clear();
}
