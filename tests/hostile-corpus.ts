// The hostile-input corpus for tests: the committed fixtures of tests/fixtures/hostile, and the large or special cases generated beside them.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The committed fixture folder. */
export const HOSTILE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'hostile');
/** Files of the fixture folder that describe it rather than being part of it. */
const METADATA = new Set(['expected.json', '.gitattributes']);

/**
 * What a scan must make of a file. A skip `reason` is the exact reason, or a regular expression's
 * source when it starts with "^". An opened file may name its title, a phrase the reader must show and
 * its whole decoded text. 'ignored' files (hidden ones) are neither opened nor listed as skipped.
 */
export type Expectation =
  | { outcome: 'opens'; encoding: string; title?: string; phrase?: string; text?: string }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'ignored' };

/** Whether a skip reason is the one expected (exact, or a "^..." regular expression). */
export function reasonMatches(expected: string, actual: string): boolean {
  return expected.startsWith('^') ? new RegExp(expected, 'u').test(actual) : expected === actual;
}

/** The expectations of tests/fixtures/hostile/expected.json, by path relative to the folder. */
export async function loadExpected(): Promise<Record<string, Expectation>> {
  return JSON.parse(await fsp.readFile(path.join(HOSTILE_DIR, 'expected.json'), 'utf8'));
}

/** Every committed fixture file (hidden ones included), as '/'-separated paths relative to the folder. */
export async function listFixtures(): Promise<string[]> {
  const files: string[] = [];
  for (const rel of await fsp.readdir(HOSTILE_DIR, { recursive: true })) {
    const posix = rel.split(path.sep).join('/');
    if (!METADATA.has(posix) && (await fsp.lstat(path.join(HOSTILE_DIR, rel))).isFile()) files.push(posix);
  }
  return files.sort();
}

/** Copy the committed fixtures (without their metadata) into `dest`. */
export async function copyFixtures(dest: string): Promise<void> {
  await fsp.cp(HOSTILE_DIR, dest, {
    recursive: true,
    filter: (src) => !METADATA.has(path.relative(HOSTILE_DIR, src).split(path.sep).join('/')),
  });
}

const MB = 1024 * 1024;

/** The 5 MB single-line article: ASCII sentences, no newline anywhere; known first and last words. */
export function oneLineArticle(bytes = 5 * MB): string {
  const head = 'Start of a five megabyte line: a scraped page that never breaks its lines. ';
  const tail = ' This is where the single line finally ends, without a newline';
  const sentences = ['The convoy moved north at dawn. ', 'Witnesses counted seven trucks! ', 'Was the bridge still standing? ', 'Nobody could say for sure '];
  const parts = [head];
  let size = head.length + tail.length;
  for (let i = 0; size < bytes; i++) {
    const s = sentences[i % sentences.length];
    parts.push(s);
    size += s.length;
  }
  return (parts.join('') + tail).slice(0, bytes - tail.length) + tail;
}

/** What to generate: the big, deep and linked cases that are not committed. */
export interface GenerateOptions {
  /** Also write a 50 MB file, over the size limit. */
  huge?: boolean;
  /** A folder outside `root` for the target of a symlink that leads out of the corpus. */
  outsideDir: string;
}

/**
 * Writes the generated cases under `root/generated/` and returns their expectations, keyed by path
 * relative to `root`: the 5 MB single line, 60 levels of folders, symlinked folders that loop (a -> b
 * -> a, and a folder linked to its parent), a symlink cycle between two files, a symlink to a file
 * outside the folder and, optionally, a 50 MB file.
 */
export async function generateCases(root: string, options: GenerateOptions): Promise<Record<string, Expectation>> {
  const gen = path.join(root, 'generated');
  const expected: Record<string, Expectation> = {};
  await fsp.mkdir(gen, { recursive: true });

  await fsp.writeFile(path.join(gen, 'one-line-5mb.txt'), oneLineArticle());
  expected['generated/one-line-5mb.txt'] = { outcome: 'opens', encoding: 'utf-8', text: oneLineArticle() };

  if (options.huge) {
    // Real bytes rather than a sparse file: a data dump as a user would have it.
    await fsp.writeFile(path.join(gen, 'huge-50mb.txt'), Buffer.alloc(50 * MB, 'id,date,value\n2019-03-23,Baghouz,1\n'));
    expected['generated/huge-50mb.txt'] = { outcome: 'skipped', reason: 'too large (50 MB, limit 32 MB)' };
  }

  const levels = Array.from({ length: 60 }, (_, i) => `level-${i + 1}`);
  const deepRel = ['generated', 'deep', ...levels, 'bottom.txt'].join('/');
  await fsp.mkdir(path.dirname(path.join(root, deepRel)), { recursive: true });
  await fsp.writeFile(path.join(root, deepRel), 'Sixty folders down\n\nThe deepest article is still found.\n');
  expected[deepRel] = { outcome: 'opens', encoding: 'utf-8', title: 'Sixty folders down', phrase: 'still found' };

  await fsp.mkdir(path.join(gen, 'loop', 'a'), { recursive: true });
  await fsp.mkdir(path.join(gen, 'loop', 'b'), { recursive: true });
  await fsp.writeFile(path.join(gen, 'loop', 'a', 'in-a.txt'), 'Folder a\n\nReached once, not through a loop.\n');
  await fsp.symlink('../b', path.join(gen, 'loop', 'a', 'to-b'), 'dir');
  await fsp.symlink('../a', path.join(gen, 'loop', 'b', 'to-a'), 'dir');
  await fsp.symlink('..', path.join(gen, 'loop', 'a', 'up'), 'dir');
  expected['generated/loop/a/in-a.txt'] = { outcome: 'opens', encoding: 'utf-8', title: 'Folder a', phrase: 'not through a loop' };
  for (const link of ['loop/a/to-b', 'loop/b/to-a', 'loop/a/up']) {
    expected[`generated/${link}`] = { outcome: 'skipped', reason: 'symlinked folder not followed' };
  }

  await fsp.symlink('cycle-2.txt', path.join(gen, 'cycle-1.txt'));
  await fsp.symlink('cycle-1.txt', path.join(gen, 'cycle-2.txt'));
  expected['generated/cycle-1.txt'] = { outcome: 'skipped', reason: 'symlink loop' };
  expected['generated/cycle-2.txt'] = { outcome: 'skipped', reason: 'symlink loop' };

  const outside = path.join(options.outsideDir, 'secret.txt');
  await fsp.mkdir(options.outsideDir, { recursive: true });
  await fsp.writeFile(outside, 'A file outside the corpus folder\n');
  await fsp.symlink(outside, path.join(gen, 'outside-link.txt'));
  expected['generated/outside-link.txt'] = { outcome: 'skipped', reason: 'symlink points outside the folder' };

  return expected;
}
