// `gloss check FOLDER`: scans a folder as Gloss would and tells, file by file, what opens and why the rest does not.
import path from 'node:path';
import { scanCorpus, type ScanResult } from '../annotations/corpus/scan.ts';

/** Control characters in a file name would break the one-line-per-file output: they are shown escaped. */
const printable = (s: string): string =>
  s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * The report of a scan: one line per article (`path  encoding  N chars`, N in code points), one per
 * skipped file (`SKIPPED path: reason`), then a summary line.
 */
export function formatScan(result: ScanResult): string[] {
  return [
    ...result.documents.map((d) => `${printable(d.path)}  ${d.encoding}  ${d.length} chars`),
    ...result.skipped.map((s) => `SKIPPED ${printable(s.path)}: ${s.reason}`),
    `${plural(result.documents.length, 'article', 'articles')}, ${plural(result.skipped.length, 'file', 'files')} skipped`,
  ];
}

/**
 * Runs `gloss check` with its arguments and returns the exit code: 0 once the folder was scanned,
 * whatever its files hold; 1 when the folder itself cannot be read; 2 for a usage error.
 */
export async function check(args: string[], usage: string): Promise<number> {
  if (args.length !== 1 || args[0].startsWith('-')) {
    process.stderr.write(`gloss: check takes one folder\n\n${usage}\n`);
    return 2;
  }
  const folder = path.resolve(args[0]);
  let result: ScanResult;
  try {
    result = await scanCorpus(folder);
  } catch (err) {
    process.stderr.write(`gloss: cannot read ${printable(folder)}: ${printable((err as Error).message)}\n`);
    return 1;
  }
  process.stdout.write(formatScan(result).join('\n') + '\n');
  return 0;
}
