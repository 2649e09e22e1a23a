// Opening a corpus folder for a command-line command, the way `gloss serve` does (same store, same lock).
import path from 'node:path';
import { checkoutResourcesDir, defaultAuthor, defaultUserDataDir, readDefaultSchema } from '../annotations/api/service.ts';
import { Workspace } from '../annotations/workspace.ts';

/**
 * Open `folder` as a workspace: its store (in the folder, else the user data folder), the bundled label
 * schema for a new one, and its lock, so a folder open in `gloss serve` or the app is refused. Saves are
 * written at once (no editing debounce). Close it with `ws.close()`.
 */
export async function openWorkspace(folder: string): Promise<Workspace> {
  const defaults = await readDefaultSchema(checkoutResourcesDir());
  return Workspace.open(path.resolve(folder), {
    userDataDir: defaultUserDataDir(),
    defaultLabels: defaults.labels,
    defaultRelationTypes: defaults.relationTypes,
    author: defaultAuthor(),
    shell: 'command line',
    saveDelayMs: 0,
  });
}

/** Control characters in paths and reasons would break the one-line-per-problem output: shown escaped. */
export const printable = (s: string): string =>
  s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** How often long runs print their progress on stderr (documents). */
export const PROGRESS_EVERY = 500;

/** A progress callback printing `verb N/TOTAL documents` every PROGRESS_EVERY documents, on stderr. */
export function progressPrinter(verb: string): (done: number, total: number) => void {
  return (done, total) => {
    if (done % PROGRESS_EVERY === 0 && done < total) process.stderr.write(`${verb} ${done}/${total} documents\n`);
  };
}
