// Child process of the benchmark's export cases: opens a workspace, exports it once untimed and then `runs`
// times in one format, and prints, as one JSON line, each run's time, the annotations exported and the
// process's peak RSS (so the memory figure is an export's own, not the benchmark's). Usage: export-child.ts FOLDER FORMAT OUT RUNS USER_DATA
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { LabelDef } from '../annotations/model.ts';
import { Workspace } from '../annotations/workspace.ts';
import { exportWorkspace } from '../annotations/formats/io.ts';
import { writer as glossJsonl } from '../annotations/formats/gloss-jsonl.ts';
import { writer as conll } from '../annotations/formats/conll.ts';

const [folder, format, out, runs, userDataDir] = process.argv.slice(2);
const writer = { jsonl: glossJsonl, conll }[format];
if (!writer) throw new Error(`export-child: unknown format ${format}`);
const here = path.dirname(fileURLToPath(import.meta.url));
const labels = z.array(LabelDef).parse(JSON.parse(await fsp.readFile(path.resolve(here, '../resources/labels.json'), 'utf8')));

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => void (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const ws = await Workspace.open(folder, { userDataDir, defaultLabels: labels, author: 'bench', saveDelayMs: 0 });
const opened = process.memoryUsage().rss;
const times: number[] = [];
let annotations = 0;
try {
  // A first export, untimed, warms the code up (the baseline it is compared with runs warm too).
  for (let i = -1; i < Number(runs); i++) {
    const t0 = performance.now();
    const result = await exportWorkspace(ws, writer, path.join(out, String(i + 1), writer.defaultOutput), { documents: 'all' });
    if (i >= 0) times.push(performance.now() - t0);
    annotations = result.annotations;
  }
} finally {
  await ws.close();
  clearInterval(sampler);
}
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(JSON.stringify({ times, annotations, peak, opened }) + '\n');
