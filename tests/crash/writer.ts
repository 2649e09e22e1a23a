// Crash-test child: opens a Workspace and edits annotations as fast as it can until it is killed.
// Prints `BEGIN <docId> <id> <op>` before each call and `ACK <docId> <id> <op>` once the call resolved
// (the change is durable). It starts on the line "go" on stdin, so the parent can spawn it ahead of time.
// Usage: node --import tsx writer.ts CORPUS USER_DATA TAG QUIET_MS MAX_MS
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { Workspace } from '../../annotations/workspace.ts';
import { STORE_DIR_NAME } from '../../annotations/store/store.ts';
import { listBackups } from '../../annotations/store/backup.ts';

const [corpus, userData, tag, quiet, max] = process.argv.slice(2);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const labels = JSON.parse(readFileSync(path.join(root, 'resources', 'labels.json'), 'utf8'));
const labelNames: string[] = labels.map((l: { name: string }) => l.name);
/** Concurrent edit streams: several saves in flight at once, as when a user edits faster than a save. */
const WORKERS = 4;
/** A document holding more annotations than this gets more deletes than creates, so the store stays small. */
const CROWDED = 60;

await new Promise<void>((resolve) => {
  const rl = createInterface({ input: process.stdin });
  rl.once('line', () => {
    rl.close();
    resolve();
  });
});

// Backups every few dozen changes: the backup clock runs a minute per reading, from the newest backup on
// (an earlier child's clock ran ahead of the real one), so opening does not make one every time.
const [newest] = await listBackups(path.join(corpus, STORE_DIR_NAME));
let clock = Math.max(Date.now(), newest ? Date.parse(newest.created) : 0);
const ws = await Workspace.open(corpus, {
  userDataDir: userData,
  defaultLabels: labels,
  author: 'crash-test',
  shell: 'crash-test',
  saveDelayMs: Number(quiet),
  maxSaveDelayMs: Number(max),
  backupClock: () => new Date((clock += 60_000)),
});

const docs = ws.view().documents.slice(0, 3);
const lengths = new Map<string, number>();
/** Ids per document that no call is working on. */
const idle = new Map<string, string[]>();
for (const d of docs) {
  const loaded = await ws.load(d.id);
  lengths.set(d.id, Array.from(loaded.text).length);
  idle.set(d.id, [...loaded.annotations, ...loaded.orphans].map((a) => a.id));
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
const takeRandom = (items: string[]): string => items.splice(Math.floor(Math.random() * items.length), 1)[0];

function span(docId: string): { start: number; end: number } {
  const length = lengths.get(docId)!;
  const start = Math.floor(Math.random() * (length - 1));
  return { start, end: Math.min(length, start + 1 + Math.floor(Math.random() * 12)) };
}

let counter = 0;
async function worker(): Promise<never> {
  for (;;) {
    const docId = pick(docs).id;
    const pool = idle.get(docId)!;
    const r = Math.random();
    if (pool.length > 0 && (r < 0.25 || (pool.length > CROWDED && r < 0.6))) {
      const id = takeRandom(pool);
      say(`BEGIN ${docId} ${id} delete`);
      await ws.remove(docId, id);
      say(`ACK ${docId} ${id} delete`);
    } else if (pool.length > 0 && r < 0.5) {
      const id = takeRandom(pool);
      say(`BEGIN ${docId} ${id} update`);
      await ws.update(docId, id, { label: pick(labelNames), ...span(docId) });
      say(`ACK ${docId} ${id} update`);
      pool.push(id);
    } else {
      const id = `${tag}-${counter++}`;
      say(`BEGIN ${docId} ${id} create`);
      await ws.create(docId, { id, label: pick(labelNames), ...span(docId) });
      say(`ACK ${docId} ${id} create`);
      pool.push(id);
    }
  }
}

try {
  await Promise.all(Array.from({ length: WORKERS }, worker));
} catch (err) {
  process.stderr.write(`writer failed: ${(err as Error).stack ?? err}\n`);
  process.exit(2);
}
