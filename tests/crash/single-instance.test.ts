// One Gloss per folder across processes: a second `gloss serve` on a folder being served exits at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SEEDS = path.resolve(ROOT, '../shared/corpus/seeds');
const children: ChildProcess[] = [];
let tmp: string | undefined;

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
});

function serve(folder: string, home: string): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'gloss.js'), 'serve', folder, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, GLOSS_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

it(
  'a second `gloss serve` on a folder already served exits 1 with a one-line message, and the first keeps it',
  async () => {
    tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-instance-')));
    const folder = path.join(tmp, 'corpus');
    await fsp.cp(SEEDS, folder, { recursive: true });
    const home = path.join(tmp, 'home');

    const first = serve(folder, home);
    let firstErr = '';
    first.stderr!.on('data', (d) => (firstErr += d));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      first.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
      first.once('exit', (code) => reject(new Error(`first gloss serve exited (${code}): ${firstErr}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);

    const second = serve(folder, home);
    let out = '';
    let err = '';
    second.stdout!.on('data', (d) => (out += d));
    second.stderr!.on('data', (d) => (err += d));
    expect(await exited(second)).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(
      new RegExp(`^gloss: This folder is open in another Gloss \\(pid ${first.pid}, since [^)]+\\)\\. Close it there first\\.\\n$`),
    );

    // The first one still holds the folder, and lets go of it when stopped.
    const lockFile = path.join(folder, '.gloss', 'lock');
    expect(JSON.parse(await fsp.readFile(lockFile, 'utf8')).pid).toBe(first.pid);
    first.kill('SIGTERM');
    expect(await exited(first)).toBe(0);
    await expect(fsp.access(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
  },
  60_000,
);
