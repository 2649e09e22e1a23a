// Watches an open corpus folder so new, changed, renamed and deleted articles show up without a restart.
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** How long the folder must be quiet before a change is reported (editors write files in bursts). */
export const WATCH_DEBOUNCE_MS = 300;

/**
 * Call `onChange` (debounced) whenever a file under `root` changes, ignoring the store folder and hidden
 * files. Returns a function that stops watching. Where recursive watching is not available the watcher
 * covers the top folder only.
 */
export function watchCorpus(
  root: string,
  onChange: () => void,
  options: { storeDirName?: string; debounceMs?: number } = {},
): () => void {
  const storeDir = options.storeDirName ?? '.gloss';
  const debounce = options.debounceMs ?? WATCH_DEBOUNCE_MS;
  let timer: NodeJS.Timeout | null = null;
  const fire = (file: string | null) => {
    if (file) {
      const parts = file.split(path.sep);
      if (parts[0] === storeDir || parts.some((p) => p.startsWith('.'))) return;
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      onChange();
    }, debounce);
  };
  let watcher: FSWatcher;
  try {
    watcher = watch(root, { recursive: true }, (_event, file) => fire(file ? String(file) : null));
  } catch {
    watcher = watch(root, (_event, file) => fire(file ? String(file) : null));
  }
  // A folder that disappears or becomes unreadable stops the watcher; the next rescan reports it.
  watcher.on('error', () => undefined);
  return () => {
    if (timer) clearTimeout(timer);
    watcher.close();
  };
}
