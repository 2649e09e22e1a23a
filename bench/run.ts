// `npm run bench`: times each case on generated data against a baseline measured in the same run.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { LabelDef, type Annotation } from '../annotations/model.ts';
import { Workspace, type WorkspaceOptions } from '../annotations/workspace.ts';
import { writeFileDurable } from '../annotations/store/durable-file.ts';
import { exportWorkspace } from '../annotations/formats/io.ts';
import { writer as glossJsonl } from '../annotations/formats/gloss-jsonl.ts';
import { writer as conll } from '../annotations/formats/conll.ts';
import { loadSentences, writeCorpus, writeStore } from './data.ts';
import { longArticleCase } from './browser.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEEDS = path.resolve(here, '../../shared/corpus/seeds');
const LABELS = z.array(LabelDef).parse(JSON.parse(await fsp.readFile(path.resolve(here, '../resources/labels.json'), 'utf8')));

/** The data sizes of one run: `tiny` is the CI smoke run, `small` the default, `full` the sizes. */
const SIZES = {
  tiny: { runs: 3, articles: 50, annotatedDocs: 20, perDoc: 50, longChars: 20_000, longAnnotations: 1000 },
  small: { runs: 5, articles: 500, annotatedDocs: 100, perDoc: 100, longChars: 100_000, longAnnotations: 5000 },
  full: { runs: 3, articles: 10_000, annotatedDocs: 10_000, perDoc: 100, longChars: 1_000_000, longAnnotations: 50_000 },
} as const;
type SizeName = keyof typeof SIZES;
/** About 3 kB per article: 10,000 of them make the 30 MB corpus. */
const ARTICLE_CHARS = 3000;

function parseSize(argv: string[]): SizeName {
  const i = argv.findIndex((a) => a === '--size' || a.startsWith('--size='));
  if (i < 0) return 'small';
  const value = argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  if (value === 'tiny' || value === 'small' || value === 'full') return value;
  throw new Error(`--size must be tiny, small or full (got ${value ?? 'nothing'})`);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Milliseconds each of `runs` calls of `fn` took; `setup` runs untimed before each. */
async function timeRuns(runs: number, fn: (i: number) => Promise<unknown>, setup?: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await setup?.(i);
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  return times;
}

interface Row {
  name: string;
  median: number;
  baseline: number;
  target: string;
  note?: string;
}

const rows: Row[] = [];
function report(row: Row): void {
  rows.push(row);
  const ratio = row.median / row.baseline;
  console.log(
    [row.name.padEnd(22), row.median.toFixed(1).padStart(10), row.baseline.toFixed(1).padStart(12), `${ratio.toFixed(2)}x`.padStart(8), row.target.padEnd(8), row.note ?? ''].join('  ').trimEnd(),
  );
}

/** Peak resident memory while `fn` runs, sampled every 5 ms (and at start and end). */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => void (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

const size = parseSize(process.argv.slice(2));
const cfg = SIZES[size];
const tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-bench-')));
let clock = Date.UTC(2024, 0, 1);
const options = (extra: Partial<WorkspaceOptions> = {}): WorkspaceOptions => ({
  userDataDir: path.join(tmp, 'user-data'),
  defaultLabels: LABELS,
  author: 'bench',
  now: () => new Date((clock += 1000)),
  saveDelayMs: 0,
  ...extra,
});

async function openCorpusCases(sentences: string[]): Promise<void> {
  const folder = path.join(tmp, 'open-corpus');
  const texts = await writeCorpus(folder, sentences, cfg.articles, ARTICLE_CHARS, 1);
  const names = [...texts.keys()];
  const readAll = async (): Promise<void> => {
    for (let i = 0; i < names.length; i += 64) await Promise.all(names.slice(i, i + 64).map((n) => fsp.readFile(path.join(folder, n))));
  };
  // Warms the page cache, so neither side pays for the first read from disk.
  await readAll();
  const baseline = median(await timeRuns(cfg.runs, readAll));
  const openAndList = async (): Promise<void> => {
    const ws = await Workspace.open(folder, options());
    try {
      const n = ws.view().documents.length;
      if (n !== cfg.articles) throw new Error(`open-corpus listed ${n} documents, not ${cfg.articles}`);
    } finally {
      await ws.close();
    }
  };
  // A first open builds the index (and the first backup): the store goes before each run.
  const first = await timeRuns(cfg.runs, openAndList, () => fsp.rm(path.join(folder, '.gloss'), { recursive: true, force: true }));
  report({ name: 'open-corpus', median: median(first), baseline, target: '<=2x', note: `${cfg.articles} articles, ${mb(sumBytes(texts))}` });
  const again = await timeRuns(cfg.runs, openAndList);
  report({ name: 'reopen-corpus', median: median(again), baseline, target: '<=0.3x', note: 'index reused by size+mtime' });
}

const sumBytes = (texts: Map<string, string>): number => [...texts.values()].reduce((s, t) => s + Buffer.byteLength(t), 0);
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

async function bigWorkspaceCases(sentences: string[]): Promise<void> {
  const folder = path.join(tmp, 'big-workspace');
  const texts = await writeCorpus(folder, sentences, cfg.annotatedDocs, ARTICLE_CHARS, 2);
  const total = await writeStore(path.join(folder, '.gloss'), texts, cfg.perDoc, LABELS, 3);
  const ws = await Workspace.open(folder, options());
  try {
    const doc = ws.view().documents[Math.floor(cfg.annotatedDocs / 2)];
    const stored = await ws.stored(doc.id);
    // A word of the text not annotated yet: the new annotation is a real, valid one.
    const text = (await ws.load(doc.id)).text;
    const taken = new Set(stored.annotations.map((a) => a.start));
    const spot = [...text.matchAll(/[A-Za-z]{3,}/g)].find((m) => !taken.has(m.index))!;
    const create = (i: number) => ws.create(doc.id, { id: `new${i}`, label: 'PERSON', start: spot.index, end: spot.index + spot[0].length });
    // The first edit of a document reads its text and store file; the steady state is what is timed.
    await ws.remove(doc.id, (await create(-1)).id);
    const saves = await timeRuns(cfg.runs, create, (i) => (i > 0 ? ws.remove(doc.id, `new${i - 1}`) : Promise.resolve()));
    const small = path.join(tmp, 'durable-1k.json');
    const kb = JSON.stringify({ pad: 'x'.repeat(1000) });
    const writes = await timeRuns(cfg.runs, () => writeFileDurable(small, kb));
    report({ name: 'save-one-change', median: median(saves), baseline: median(writes), target: '<=2x', note: `${total} annotations over ${cfg.annotatedDocs} docs` });
    await ws.remove(doc.id, `new${cfg.runs - 1}`);
    await ws.flush();

    // The exports run before their baseline, so the peak memory they show is not the baseline's array.
    const exports: Array<{ name: string; median: number; peak: number }> = [];
    for (const [name, writer] of [['export-jsonl', glossJsonl], ['export-conll', conll]] as const) {
      const out = (i: number): string => path.join(tmp, 'exports', `${name}-${i}`, writer.defaultOutput ?? 'out');
      let peak = 0;
      const times = await timeRuns(cfg.runs, async (i) => {
        const { result, peak: p } = await withPeakRss(() => exportWorkspace(ws, writer, out(i), { documents: 'all' }));
        peak = Math.max(peak, p);
        if (result.annotations !== total) throw new Error(`${name} exported ${result.annotations} annotations, not ${total}`);
      });
      exports.push({ name, median: median(times), peak });
    }
    // Baseline of the export: the same annotation objects, read from the store, as one JSON string written once.
    const all: Annotation[][] = [];
    for (const d of ws.view().documents) all.push((await ws.stored(d.id)).annotations);
    const jsonOut = path.join(tmp, 'baseline.json');
    const baseline = median(await timeRuns(cfg.runs, () => fsp.writeFile(jsonOut, JSON.stringify(all))));
    for (const e of exports) {
      report({ name: e.name, median: e.median, baseline, target: '<=2x', note: `peak RSS ${(e.peak / 1e6).toFixed(0)} MB (target < 500 MB)` });
    }
  } finally {
    await ws.close();
  }
}

const started = performance.now();
try {
  console.log(`gloss bench --size ${size} (${cfg.runs} runs per case, median; node ${process.version}, ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? '?'})`);
  console.log(['case'.padEnd(22), 'median_ms'.padStart(10), 'baseline_ms'.padStart(12), 'ratio'.padStart(8), 'target'].join('  '));
  const sentences = await loadSentences(SEEDS);
  await openCorpusCases(sentences);
  await bigWorkspaceCases(sentences);
  const long = await longArticleCase(path.join(tmp, 'long-article'), sentences, LABELS, cfg.longChars, cfg.longAnnotations, cfg.runs);
  report({ name: 'open-long-article', median: long.openMs, baseline: long.bareMs, target: '<=1.5x', note: `${(long.chars / 1000).toFixed(0)} kB, ${long.annotations} annotations, click to painted vs bare ProseMirror` });
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s; not measured yet: tag-in-long-article, suggest`);
} finally {
  await fsp.rm(tmp, { recursive: true, force: true });
}
