// `gloss import FILE_OR_DIR [--format NAME] --into FOLDER`: brings a dataset's documents and annotations into a folder, the same code as File > Import.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readers } from '../annotations/formats/index.ts';
import { importFrom } from '../annotations/formats/import.ts';
import type { FormatProblem } from '../annotations/formats/types.ts';
import type { Workspace } from '../annotations/workspace.ts';
import { openWorkspace, printable, progressPrinter } from './workspace.ts';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * Runs `gloss import` and returns the exit code: 0 when everything was imported; 1 when any document,
 * line or file was refused (each listed on stderr as `file:line: reason`; the rest is imported all the
 * same), or the input, the format or the folder is wrong or open elsewhere; 2 for a usage error.
 */
export async function runImport(args: string[], usage: string): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { format: { type: 'string' }, into: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (err) {
    process.stderr.write(`gloss: ${(err as Error).message}\n\n${usage}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || values.into === undefined) {
    process.stderr.write(`gloss: import takes one file or folder and --into FOLDER\n\n${usage}\n`);
    return 2;
  }
  const input = positionals[0];
  const inputStat = await fsp.stat(input).catch((err: NodeJS.ErrnoException) => err);
  if (inputStat instanceof Error) {
    process.stderr.write(`gloss: cannot read ${printable(input)}: ${inputStat.code ?? inputStat.message}\n`);
    return 1;
  }
  if (values.format !== undefined && !Object.prototype.hasOwnProperty.call(readers, values.format)) {
    process.stderr.write(`gloss: unknown import format ${printable(values.format)} (known: ${Object.keys(readers).join(', ')})\n`);
    return 1;
  }
  const folder = path.resolve(values.into);
  let ws: Workspace | undefined;
  try {
    await fsp.mkdir(folder, { recursive: true });
    ws = await openWorkspace(folder);
    const summary = await importFrom(ws, input, values.format ?? null, { onProgress: progressPrinter('imported') });
    // Files are named relative to the input; a named file is shown as it was typed.
    const where = (p: FormatProblem) => {
      const file = inputStat.isDirectory() ? path.join(input, p.file) : p.file === path.basename(input) ? input : p.file;
      return `${printable(file)}${p.line !== undefined ? `:${p.line}` : ''}`;
    };
    for (const p of summary.problems) process.stderr.write(`${where(p)}: ${printable(p.reason)}\n`);
    for (const p of summary.notices) process.stderr.write(`${where(p)}: note: ${printable(p.reason)}\n`);
    process.stdout.write(
      `Imported ${plural(summary.documents, 'document', 'documents')} (${summary.created} new) with ` +
        `${plural(summary.annotations, 'annotation', 'annotations')} from ${summary.format} into ${printable(ws.root)}` +
        (summary.refused > 0 ? `; ${summary.refused} refused (reasons above).\n` : '.\n'),
    );
    return summary.refused > 0 ? 1 : 0;
  } catch (err) {
    process.stderr.write(`gloss: ${printable((err as Error).message)}\n`);
    return 1;
  } finally {
    await ws?.close().catch(() => undefined);
  }
}
