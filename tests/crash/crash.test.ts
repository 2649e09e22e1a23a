// Crash test: a child edits annotations as fast as it can and is killed with SIGKILL at a random moment,
// 200 times on one growing store. After each kill every store file must parse and validate, every
// acknowledged change must be on disk, and the next open must clean up and take the lock over.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { z } from 'zod';
import { DocumentFile, LabelDef, WorkspaceFile } from '../../annotations/model.ts';
import { Workspace } from '../../annotations/workspace.ts';
import { TEMP_SUFFIX } from '../../annotations/store/durable-file.ts';
import { LockInfo } from '../../annotations/store/lock.ts';
import { listBackups, readBackupFile } from '../../annotations/store/backup.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SEEDS = path.resolve(ROOT, '../shared/corpus/seeds');
const WRITER = path.join(ROOT, 'tests', 'crash', 'writer.ts');
const ITERATIONS = 200;
/** Writers started ahead of their turn. */
const AHEAD = 2;
const LABELS = z.array(LabelDef).parse(JSON.parse(await fsp.readFile(path.join(ROOT, 'resources', 'labels.json'), 'utf8')));

/** What the parent knows of an annotation from the child's lines. */
type Known = { docId: string; state: 'present' | 'absent' | 'unknown' };

const children = new Set<ChildProcess>();
let tmp: string | undefined;

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
});

/** Start a writer; it loads its modules now and opens the workspace when told "go". */
function spawnWriter(corpus: string, userData: string, iteration: number): ChildProcess {
  // Debounces from "at once" to a short quiet time, so kills land in every phase of a save.
  const quiet = [0, 2, 10][iteration % 3];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', WRITER, corpus, userData, `i${iteration}`, String(quiet), '30'],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Let the writer go, kill it 20–400 ms after its first acknowledgement, and return its complete output. */
async function runAndKill(child: ChildProcess): Promise<{ lines: string[]; pid: number }> {
  let out = '';
  let err = '';
  let killed = false;
  child.stderr!.on('data', (d) => (err += d));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const acked = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('ACK ')) resolve();
    });
    child.once('exit', () => {
      if (!killed) reject(new Error(`writer exited on its own: ${err}`));
    });
  });
  child.stdin!.end('go\n');
  await acked;
  await new Promise((r) => setTimeout(r, 20 + Math.random() * 380));
  killed = true;
  child.kill('SIGKILL');
  await closed;
  expect(child.signalCode).toBe('SIGKILL');
  // A line is one write(2) to a pipe, so it arrives whole or not at all; the last one may be cut by the kill.
  return { lines: out.split('\n').slice(0, -1), pid: child.pid! };
}

async function walk(dir: string): Promise<string[]> {
  const entries = await fsp.readdir(dir, { recursive: true });
  return entries.map((e) => path.join(dir, e));
}

it(
  `keeps every acknowledged change through ${ITERATIONS} kills with SIGKILL`,
  async () => {
    const started = Date.now();
    tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-crash-')));
    const corpus = path.join(tmp, 'corpus');
    const userData = path.join(tmp, 'user-data');
    await fsp.cp(SEEDS, corpus, { recursive: true });
    const storeDir = path.join(corpus, '.gloss');
    const known = new Map<string, Known>();
    let acks = 0;
    let checks = 0;
    let acksVerified = 0;
    let tempFilesFound = 0;
    let incompleteBackupsFound = 0;
    const verifiedBackups = new Set<string>();

    // Starting node with tsx costs more than a whole iteration: the next children load their modules
    // while this one runs and is checked.
    const ready: ChildProcess[] = [];
    let spawned = 0;
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      while (ready.length < 1 + AHEAD && spawned < ITERATIONS) ready.push(spawnWriter(corpus, userData, spawned++));
      const child = ready.shift()!;
      const { lines, pid } = await runAndKill(child);
      const ackedNow = new Set<string>();

      for (const line of lines) {
        const [kind, docId, id, op] = line.split(' ');
        if (kind === 'BEGIN') {
          // Until acknowledged, a create or delete may or may not have reached the disk.
          if (op !== 'update') known.set(id, { docId, state: 'unknown' });
        } else if (kind === 'ACK') {
          acks++;
          ackedNow.add(id);
          known.set(id, { docId, state: op === 'delete' ? 'absent' : 'present' });
        } else {
          throw new Error(`unexpected line from the writer: ${line}`);
        }
      }

      // The store as the kill left it: every file parses and validates.
      const files = await walk(storeDir);
      tempFilesFound += files.filter((f) => f.endsWith(TEMP_SUFFIX)).length;
      const workspace = WorkspaceFile.parse(JSON.parse(await fsp.readFile(path.join(storeDir, 'workspace.json'), 'utf8')));
      expect(workspace.documents).toHaveLength(5);
      const onDisk = new Map<string, Set<string>>();
      for (const name of await fsp.readdir(path.join(storeDir, 'docs'))) {
        if (!name.endsWith('.json')) continue;
        const doc = DocumentFile.parse(JSON.parse(await fsp.readFile(path.join(storeDir, 'docs', name), 'utf8')));
        onDisk.set(doc.docId, new Set(doc.annotations.map((a) => a.id)));
      }
      // Every acknowledged create (not deleted since) is there; every acknowledged delete is gone; nothing else is.
      for (const [id, k] of known) {
        const present = onDisk.get(k.docId)?.has(id) ?? false;
        if (k.state === 'unknown') {
          k.state = present ? 'present' : 'absent';
          continue;
        }
        if (present !== (k.state === 'present')) {
          throw new Error(`iteration ${iteration}: ${id} in ${k.docId} should be ${k.state} but is not`);
        }
        checks++;
        if (ackedNow.has(id)) acksVerified++;
      }
      for (const [docId, ids] of onDisk) {
        for (const id of ids) if (known.get(id)?.docId !== docId) throw new Error(`unknown annotation ${id} in ${docId}`);
      }
      // The dead child's lock is still there.
      const lock = LockInfo.parse(JSON.parse(await fsp.readFile(path.join(storeDir, 'lock'), 'utf8')));
      expect(lock.pid).toBe(pid);
      const backupDirs = await fsp.readdir(path.join(storeDir, 'backups')).catch(() => [] as string[]);
      incompleteBackupsFound += backupDirs.length - (await listBackups(storeDir)).length;

      // The next open takes the lock over, removes temp files and interrupted backups, and finds nothing wrong.
      const ws = await Workspace.open(corpus, { userDataDir: userData, defaultLabels: LABELS, author: 'checker', saveDelayMs: 0 });
      try {
        expect(ws.view().problems).toEqual([]);
        expect(LockInfo.parse(JSON.parse(await fsp.readFile(path.join(storeDir, 'lock'), 'utf8'))).pid).toBe(process.pid);
        expect((await walk(storeDir)).filter((f) => f.endsWith(TEMP_SUFFIX))).toEqual([]);
        const backups = await listBackups(storeDir);
        expect(await fsp.readdir(path.join(storeDir, 'backups')).catch(() => [] as string[])).toHaveLength(backups.length);
        expect(backups.length).toBeLessThanOrEqual(20);
        // Each new complete backup holds good copies of what its manifest lists.
        for (const b of backups.filter((b) => !verifiedBackups.has(b.id))) {
          for (const f of b.manifest.files) await readBackupFile(storeDir, b.id, f.path);
          verifiedBackups.add(b.id);
        }
      } finally {
        await ws.close();
      }
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const backups = await listBackups(storeDir);
    console.log(
      `crash test: ${ITERATIONS} kills, ${acks} acknowledgements, ${acksVerified} acknowledged annotations checked ` +
        `right after the kill that followed (${checks} checks over all kills), ` +
        `${tempFilesFound} temp files and ${incompleteBackupsFound} interrupted backups left by kills and cleaned up, ` +
        `${verifiedBackups.size} backups verified (${backups.length} kept), ${seconds} s`,
    );
    expect(acks).toBeGreaterThanOrEqual(ITERATIONS);
    expect(acksVerified).toBeGreaterThanOrEqual(ITERATIONS);
  },
  600_000,
);
