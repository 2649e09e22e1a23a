// `npm run bench`: times each case on generated data against a baseline measured in the same run.
import { execFile } from 'node:child_process';
import { promises as fsp, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { LabelDef, type Annotation } from '../annotations/model.ts';
import { Workspace, type WorkspaceOptions } from '../annotations/workspace.ts';
import { writeFileDurable } from '../annotations/store/durable-file.ts';
import { suggest } from '../annotations/suggestions/index.ts';
import { loadSentences, makeArticle, rng, writeCorpus, writeStore } from './data.ts';
import { longArticleCase } from './browser.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const execFileAsync = promisify(execFile);
const SEEDS = path.resolve(here, '../../shared/corpus/seeds');
const LABELS = z.array(LabelDef).parse(JSON.parse(await fsp.readFile(path.resolve(here, '../resources/labels.json'), 'utf8')));

/** The data sizes of one run: `tiny` is the CI smoke run, `small` the default, `full` the sizes. */
const SIZES = {
  tiny: { runs: 3, articles: 50, annotatedDocs: 20, perDoc: 50, longChars: 20_000, longAnnotations: 1000, suggestChars: 50_000 },
  small: { runs: 5, articles: 500, annotatedDocs: 100, perDoc: 100, longChars: 100_000, longAnnotations: 5000, suggestChars: 1_000_000 },
  full: { runs: 3, articles: 10_000, annotatedDocs: 10_000, perDoc: 100, longChars: 1_000_000, longAnnotations: 50_000, suggestChars: 1_000_000 },
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
  // For reference: the scan reads synchronously (in slices), which costs far less per file than promises.
  const readSync = median(await timeRuns(cfg.runs, async () => names.forEach((n) => readFileSync(path.join(folder, n)))));
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
  const sync = `vs a synchronous read loop (${readSync.toFixed(1)} ms)`;
  report({ name: 'open-corpus', median: median(first), baseline, target: '<=2x', note: `${cfg.articles} articles, ${mb(sumBytes(texts))}; ${(median(first) / readSync).toFixed(1)}x ${sync}` });
  const again = await timeRuns(cfg.runs, openAndList);
  report({ name: 'reopen-corpus', median: median(again), baseline, target: '<=0.3x', note: `index reused by size+mtime; ${(median(again) / readSync).toFixed(2)}x ${sync}` });
}

const sumBytes = (texts: Map<string, string>): number => [...texts.values()].reduce((s, t) => s + Buffer.byteLength(t), 0);
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

async function bigWorkspaceCases(sentences: string[]): Promise<void> {
  const folder = path.join(tmp, 'big-workspace');
  const texts = await writeCorpus(folder, sentences, cfg.annotatedDocs, ARTICLE_CHARS, 2);
  const total = await writeStore(path.join(folder, '.gloss'), texts, cfg.perDoc, LABELS, 3);
  texts.clear();
  const ws = await Workspace.open(folder, options());
  try {
    const doc = ws.view().documents[Math.floor(cfg.annotatedDocs / 2)];
    const stored = await ws.stored(doc.id);
    // A word of the text not annotated yet: the new annotation is a real, valid one.
    const text = (await ws.load(doc.id)).text;
    const taken = new Set(stored.annotations.map((a) => a.start));
    const spot = [...text.matchAll(/[A-Za-z]{3,}/g)].find((m) => !taken.has(m.index))!;
    const create = (i: number) => ws.create(doc.id, { id: `new${i}`, label: 'PERSON', start: spot.index, end: spot.index + spot[0].length });
    // The first edit of a document reads its text and store file (and waits for the session's first
    // backup); the steady state is what is timed.
    await ws.remove(doc.id, (await create(-1)).id);
    const small = path.join(tmp, 'durable-1k.json');
    const kb = JSON.stringify({ pad: 'x'.repeat(1000) });
    // Saves and baseline writes take turns, so the disk's ups and downs (others' writes, writeback of the
    // generated store) weigh on both alike. Twice the runs: single fsyncs are the noisiest figure here.
    const saves: number[] = [];
    const writes: number[] = [];
    for (let i = 0; i < 2 * cfg.runs; i++) {
      if (i > 0) await ws.remove(doc.id, `new${i - 1}`);
      saves.push(...(await timeRuns(1, () => create(i))));
      writes.push(...(await timeRuns(1, () => writeFileDurable(small, kb))));
    }
    report({ name: 'save-one-change', median: median(saves), baseline: median(writes), target: '<=2x', note: `${total} annotations over ${cfg.annotatedDocs} docs` });
    await ws.remove(doc.id, `new${2 * cfg.runs - 1}`);
  } finally {
    await ws.close();
  }

  // Each format exports in a process of its own (opening the workspace, one untimed export, then `runs`
  // timed ones), so its peak RSS is what exporting this workspace needs, not what this process holds.
  const exports: Array<{ name: string; median: number; peak: number; opened: number }> = [];
  for (const [name, format] of [['export-jsonl', 'jsonl'], ['export-conll', 'conll']] as const) {
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'export-child.ts'), folder, format, path.join(tmp, 'exports', name), String(cfg.runs), path.join(tmp, 'user-data')],
      { cwd: path.resolve(here, '..'), maxBuffer: 1 << 20 },
    );
    const child = JSON.parse(stdout.trim().split('\n').pop()!) as { times: number[]; annotations: number; peak: number; opened: number };
    if (child.annotations !== total) throw new Error(`${name} exported ${child.annotations} annotations, not ${total}`);
    exports.push({ name, median: median(child.times), peak: child.peak, opened: child.opened });
  }
  // Baseline of the export: the same annotation objects, read from the store, as one JSON string written once.
  const ws2 = await Workspace.open(folder, options());
  try {
    const all: Annotation[][] = [];
    for (const d of ws2.view().documents) all.push((await ws2.stored(d.id)).annotations);
    const jsonOut = path.join(tmp, 'baseline.json');
    const baseline = median(await timeRuns(cfg.runs, () => fsp.writeFile(jsonOut, JSON.stringify(all))));
    for (const e of exports) {
      const rss = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
      report({ name: e.name, median: e.median, baseline, target: '<=2x', note: `peak RSS ${rss(e.peak)} (target < 500 MB; ${rss(e.opened)} once the workspace is open)` });
    }
  } finally {
    await ws2.close();
  }
}

/**
 * Suggestions (annotations/suggestions: every engine, merged) over one generated article with a known
 * publication date. The baseline is the time 1 MB/s allows for that text, so the ratio is at most 1 when
 * the target is met. The first call (building the engines' dictionaries) is not timed.
 */
function suggestCase(sentences: string[]): void {
  const text = makeArticle(sentences, rng(6), 0, cfg.suggestChars);
  const bytes = Buffer.byteLength(text);
  const ctx = { dct: '2017-09-08' };
  const found = suggest(text.slice(0, 2000), ctx).length + suggest(text, ctx).length;
  if (found === 0) throw new Error('suggest proposed nothing over the generated article');
  const times: number[] = [];
  for (let i = 0; i < cfg.runs; i++) {
    const t0 = performance.now();
    suggest(text, ctx);
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  report({ name: 'suggest', median: ms, baseline: bytes / 1e3, target: '<=1x', note: `${mb(bytes)} at ${(bytes / 1e6 / (ms / 1000)).toFixed(2)} MB/s (target >= 1 MB/s)` });
}

const started = performance.now();
try {
  console.log(`gloss bench --size ${size} (${cfg.runs} runs per case, median; node ${process.version}, ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? '?'})`);
  console.log(['case'.padEnd(22), 'median_ms'.padStart(10), 'baseline_ms'.padStart(12), 'ratio'.padStart(8), 'target'].join('  '));
  const sentences = await loadSentences(SEEDS);
  await openCorpusCases(sentences);
  await bigWorkspaceCases(sentences);
  const long = await longArticleCase(path.join(tmp, 'long-article'), sentences, LABELS, cfg.longChars, cfg.longAnnotations, cfg.runs);
  const article = `${(long.chars / 1000).toFixed(0)} kB, ${long.annotations} annotations`;
  report({ name: 'open-long-article', median: long.openMs, baseline: long.bareMs, target: '<=1.5x', note: `${article}, click to painted vs bare ProseMirror` });
  report({ name: 'tag-in-long-article', median: long.addMs, baseline: long.noopMs, target: '<=2x', note: `${article}: label key to next paint vs a key doing nothing (target also <= 16 ms)` });
  report({ name: 'untag-in-long-article', median: long.removeMs, baseline: long.noopMs, target: '<=2x', note: 'Delete of the new annotation to next paint vs a key doing nothing (target also <= 16 ms)' });
  suggestCase(sentences);
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await fsp.rm(tmp, { recursive: true, force: true });
}
