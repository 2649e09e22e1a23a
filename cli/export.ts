// `gloss export FOLDER --format NAME [--out PATH] ...`: writes the folder's annotations as a dataset, the same code as File > Export.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writerFor, writers } from '../annotations/formats/index.ts';
import { defaultExportLocation, exportWorkspace } from '../annotations/formats/io.ts';
import type { ExportOptions } from '../annotations/formats/types.ts';
import type { Workspace } from '../annotations/workspace.ts';
import { openWorkspace, printable, progressPrinter } from './workspace.ts';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * Runs `gloss export` and returns the exit code: 0 when exported (what a format could not carry is listed
 * on stderr), 1 when the folder, the format, the labels or the output place are wrong or the folder is
 * open elsewhere, 2 for a usage error.
 */
export async function runExport(args: string[], usage: string): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        format: { type: 'string' },
        out: { type: 'string' },
        'done-only': { type: 'boolean' },
        labels: { type: 'string' },
        'include-pending': { type: 'boolean' },
      },
      allowPositionals: true,
    });
  } catch (err) {
    process.stderr.write(`gloss: ${(err as Error).message}\n\n${usage}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || values.format === undefined) {
    process.stderr.write(`gloss: export takes one folder and --format NAME (${Object.keys(writers).join(', ')})\n\n${usage}\n`);
    return 2;
  }
  const writer = writerFor(values.format);
  if (!writer) {
    process.stderr.write(`gloss: unknown export format ${printable(values.format)} (known: ${Object.keys(writers).join(', ')})\n`);
    return 1;
  }
  const folder = path.resolve(positionals[0]);
  const st = await fsp.stat(folder).catch((err: NodeJS.ErrnoException) => err);
  if (st instanceof Error || !st.isDirectory()) {
    process.stderr.write(`gloss: cannot open ${printable(folder)}: ${st instanceof Error ? (st.code ?? st.message) : 'not a folder'}\n`);
    return 1;
  }
  const options: ExportOptions = {
    documents: values['done-only'] ? 'done' : 'all',
    ...(values.labels !== undefined ? { labels: values.labels.split(',').map((l) => l.trim()).filter((l) => l !== '') } : {}),
    includePending: values['include-pending'] ?? false,
  };
  let ws: Workspace | undefined;
  try {
    ws = await openWorkspace(folder);
    const out = values.out !== undefined ? path.resolve(values.out) : await defaultExportLocation(ws, writer);
    const summary = await exportWorkspace(ws, writer, out, options, progressPrinter('exported'));
    for (const p of summary.problems) process.stderr.write(`${printable(p.file)}${p.line !== undefined ? `:${p.line}` : ''}: ${printable(p.reason)}\n`);
    process.stdout.write(
      `Exported ${plural(summary.documents, 'document', 'documents')} (${plural(summary.annotations, 'annotation', 'annotations')}) ` +
        `as ${writer.name} to ${printable(summary.location)}` +
        (summary.problems.length > 0 ? `; ${plural(summary.problems.length, 'problem', 'problems')} listed above.\n` : '.\n'),
    );
    return 0;
  } catch (err) {
    process.stderr.write(`gloss: ${printable((err as Error).message)}\n`);
    return 1;
  } finally {
    await ws?.close().catch(() => undefined);
  }
}
