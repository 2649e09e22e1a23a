// `gloss stats FOLDER [--json]`: how far a folder's annotation has got: documents by status, annotations by label.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DocumentStatus } from '../annotations/model.ts';
import type { Workspace } from '../annotations/workspace.ts';
import { openWorkspace, printable } from './workspace.ts';

/** The numbers `gloss stats` prints. */
export interface FolderStats {
  documents: number;
  status: Record<DocumentStatus, number>;
  annotations: number;
  /** Suggestions never accepted (counted in `annotations` and `labels` too). */
  pending: number;
  relations: number;
  /** Annotations per label: every label of the schema (in its order), then any other label in use. */
  labels: Record<string, number>;
}

/** Count a workspace's documents and stored annotations (reading the store only, not the texts). */
export async function folderStats(ws: Workspace): Promise<FolderStats> {
  const view = ws.view();
  const stats: FolderStats = { documents: view.documents.length, status: { new: 0, 'in-progress': 0, done: 0 }, annotations: 0, pending: 0, relations: 0, labels: {} };
  for (const l of view.labels) stats.labels[l.name] = 0;
  for (const entry of view.documents) {
    stats.status[entry.status ?? 'new']++;
    const { annotations, relations } = await ws.stored(entry.id);
    stats.annotations += annotations.length;
    stats.relations += relations.length;
    for (const a of annotations) {
      stats.labels[a.label] = (stats.labels[a.label] ?? 0) + 1;
      if (a.pending) stats.pending++;
    }
  }
  return stats;
}

/** The report, one fact per line, aligned. */
export function formatStats(stats: FolderStats): string[] {
  const width = Math.max(0, ...Object.keys(stats.labels).map((l) => l.length));
  return [
    `documents: ${stats.documents} (new ${stats.status.new}, in progress ${stats.status['in-progress']}, done ${stats.status.done})`,
    `annotations: ${stats.annotations}${stats.pending > 0 ? ` (${stats.pending} pending suggestions)` : ''}`,
    ...Object.entries(stats.labels).map(([label, n]) => `  ${printable(label).padEnd(width)}  ${n}`),
    `relations: ${stats.relations}`,
  ];
}

/** Runs `gloss stats` and returns the exit code: 0, 1 when the folder cannot be opened, 2 for a usage error. */
export async function runStats(args: string[], usage: string): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true });
  } catch (err) {
    process.stderr.write(`gloss: ${(err as Error).message}\n\n${usage}\n`);
    return 2;
  }
  if (parsed.positionals.length !== 1) {
    process.stderr.write(`gloss: stats takes one folder\n\n${usage}\n`);
    return 2;
  }
  const folder = path.resolve(parsed.positionals[0]);
  const st = await fsp.stat(folder).catch((err: NodeJS.ErrnoException) => err);
  if (st instanceof Error || !st.isDirectory()) {
    process.stderr.write(`gloss: cannot open ${printable(folder)}: ${st instanceof Error ? (st.code ?? st.message) : 'not a folder'}\n`);
    return 1;
  }
  let ws: Workspace | undefined;
  try {
    ws = await openWorkspace(folder);
    const stats = await folderStats(ws);
    process.stdout.write(parsed.values.json ? JSON.stringify(stats) + '\n' : formatStats(stats).join('\n') + '\n');
    return 0;
  } catch (err) {
    process.stderr.write(`gloss: ${printable((err as Error).message)}\n`);
    return 1;
  } finally {
    await ws?.close().catch(() => undefined);
  }
}
