// Tests of the single-instance lock of a store: exclusive creation, refusal, take-over of stale locks, release.
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/contract.ts';
import { TEMP_SUFFIX } from './durable-file.ts';
import { LOCK_FILE_NAME, LockInfo, acquireStoreLock, readLock, type StoreLock } from './lock.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');

let tmp: string;
let lockFile: string;
const held: StoreLock[] = [];

beforeEach(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-lock-')));
  lockFile = path.join(tmp, LOCK_FILE_NAME);
});

afterEach(async () => {
  for (const lock of held.splice(0)) await lock.release();
  await fsp.rm(tmp, { recursive: true, force: true });
});

async function acquire(shell = 'test'): Promise<StoreLock> {
  const lock = await acquireStoreLock(tmp, shell);
  held.push(lock);
  return lock;
}

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe('conflict');
  return err as ApiError;
}

const readInfo = async (): Promise<LockInfo> => LockInfo.parse(JSON.parse(await fsp.readFile(lockFile, 'utf8')));

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

describe('acquireStoreLock', () => {
  it('creates the lock file with pid, hostname, start time and shell, and leaves no temp file', async () => {
    const lock = await acquire('browser');
    const info = await readInfo();
    expect(info).toEqual(lock.info);
    expect(info).toMatchObject({ pid: process.pid, hostname: os.hostname(), shell: 'browser' });
    expect(Number.isNaN(Date.parse(info.started))).toBe(false);
    expect((await fsp.readdir(tmp)).filter((n) => n.endsWith(TEMP_SUFFIX))).toEqual([]);
  });

  it('refuses a second lock in the same process with the message naming pid and time', async () => {
    await acquire();
    const err = await refusal(acquireStoreLock(tmp, 'test'));
    expect(err.message).toMatch(
      new RegExp(`^This folder is open in another Gloss \\(pid ${process.pid}, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\)\\. Close it there first\\.$`),
    );
  });

  it('can be taken again after release, and release deletes only its own lock file', async () => {
    const first = await acquire();
    await first.release();
    await expect(fsp.access(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
    const second = await acquire();
    // Releasing the first lock again must not delete the second one's file.
    await first.release();
    expect((await readInfo()).instance).toBe(second.info.instance);
  });

  it('takes over a lock whose process is dead', async () => {
    const pid = await deadPid();
    const stale: LockInfo = { pid, hostname: os.hostname(), started: '2020-01-01T00:00:00.000Z', shell: 'electron', token: 'x', instance: 'y' };
    await fsp.writeFile(lockFile, JSON.stringify(stale));
    const lock = await acquire();
    expect(await readInfo()).toEqual(lock.info);
    expect(lock.info.pid).toBe(process.pid);
  });

  it('takes over a lock naming this pid but another process token (a reused pid)', async () => {
    const reused: LockInfo = { pid: process.pid, hostname: os.hostname(), started: '2020-01-01T00:00:00.000Z', shell: 'browser', token: 'old', instance: 'z' };
    await fsp.writeFile(lockFile, JSON.stringify(reused));
    const lock = await acquire();
    expect((await readInfo()).token).toBe(lock.info.token);
    expect(lock.info.token).not.toBe('old');
  });

  it('takes over an empty or garbage lock file', async () => {
    for (const garbage of ['', '{"pid": "nope"', '{"pid": 1}']) {
      await fsp.writeFile(lockFile, garbage);
      const lock = await acquire();
      expect(await readInfo()).toEqual(lock.info);
      await lock.release();
    }
  });

  it('refuses a lock held by a live process, and one on another host (whose liveness is unknown)', async () => {
    // The parent of this process is alive.
    const live: LockInfo = { pid: process.ppid, hostname: os.hostname(), started: '2024-05-01T10:00:00.000Z', shell: 'electron', token: 't', instance: 'i' };
    await fsp.writeFile(lockFile, JSON.stringify(live));
    const err = await refusal(acquireStoreLock(tmp, 'test'));
    expect(err.message).toContain(`pid ${process.ppid}`);
    expect(await readInfo()).toEqual(live);

    const remote: LockInfo = { ...live, hostname: `${os.hostname()}-elsewhere` };
    await fsp.writeFile(lockFile, JSON.stringify(remote));
    const remoteErr = await refusal(acquireStoreLock(tmp, 'test'));
    expect(remoteErr.message).toContain(`on ${remote.hostname}`);
    expect(remoteErr.message).toContain(lockFile);
  });

  it('is released when the process exits without releasing it', async () => {
    const script = `import { acquireStoreLock } from ${JSON.stringify(path.join(here, 'lock.ts'))};
      await acquireStoreLock(${JSON.stringify(tmp)}, 'script');
      process.stdout.write('locked\\n');
      setTimeout(() => process.exit(3), 10);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(err).toBe('');
    expect(out).toBe('locked\n');
    expect(code).toBe(3);
    expect(await readLock(lockFile)).toEqual({ kind: 'missing' });
  });
});
