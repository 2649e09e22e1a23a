// `npm run eval`: scores the suggestion engines against the gold annotations of the dev set and prints,
// per label, precision / recall / F1 (lenient span matching) and value accuracy, against the targets.
// Options: --gold PATH (a gold JSONL file), --texts FOLDER (where that gold's documents are; default: the seeds),
// --check (exit 1 when a target is missed), --errors (list every false positive, false negative and wrong value),
// --label DATE,CASUALTIES (errors of those only).
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodePointIndex } from '../annotations/offsets.ts';
import { ENGINES, suggest } from '../annotations/suggestions/index.ts';
import { scoreDocument, summarize, type DocumentScore, type GoldSpan, type LabelScore, type PredictedSpan, type ScoreError } from '../annotations/suggestions/score.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface GoldDocument {
  doc: string;
  dct: string | null;
  ignore?: string[];
  annotations: GoldSpan[];
}

/** The issue's targets: minimum F1 and, for labels with values, minimum value accuracy. */
const TARGETS: Record<string, { f1: number; value?: number }> = {
  DATE: { f1: 0.95, value: 0.93 },
  CASUALTIES: { f1: 0.85, value: 0.85 },
  PERSON: { f1: 0.9 },
  ORG: { f1: 0.9 },
  LOCATION: { f1: 0.9 },
};
/** Which engine proposes each label; a label whose engine is not in ENGINES shows its numbers unchecked. */
const LABEL_ENGINE: Record<string, string> = { DATE: 'dates', CASUALTIES: 'casualties', PERSON: 'entities', ORG: 'entities', LOCATION: 'entities' };

function option(argv: string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(name.length + 1) : argv[i + 1];
}

async function readText(doc: string, goldPath: string, textsDir: string | undefined): Promise<string> {
  // An explicit folder is the only place looked in, so a held-out document never falls back to a seed of the same name.
  const candidates = textsDir ? [path.resolve(textsDir, doc)] : [
    path.resolve(path.dirname(goldPath), '..', 'seeds', doc),
    path.resolve(repoRoot, '..', 'shared', 'corpus', 'seeds', doc),
    path.resolve(repoRoot, 'resources', 'corpus', doc),
  ];
  for (const file of candidates) {
    try {
      return (await fsp.readFile(file, 'utf8')).replace(/\r\n?/g, '\n');
    } catch {
      // try the next place
    }
  }
  throw new Error(`no text for ${doc} (looked in ${candidates.join(', ')})`);
}

const fmt = (x: number | null): string => (x === null ? '   -' : x.toFixed(2));
const pad = (s: string | number, w: number): string => String(s).padStart(w);

function verdict(s: LabelScore, engines: ReadonlySet<string>): { text: string; missed: boolean } {
  const target = TARGETS[s.label];
  if (!target) return { text: '', missed: false };
  const want = `F1>=${target.f1}${target.value !== undefined ? `, value>=${target.value}` : ''}`;
  if (!engines.has(LABEL_ENGINE[s.label])) return { text: `${want}  (no engine yet)`, missed: false };
  const ok = (s.f1 ?? 0) >= target.f1 && (target.value === undefined || (s.valueAccuracy ?? 0) >= target.value);
  return { text: `${want}  ${ok ? 'met' : 'NOT MET'}`, missed: !ok };
}

function describe(e: ScoreError): string {
  const g = e.gold;
  const p = e.predicted;
  const values = (o: Record<string, unknown>): string => {
    const { label: _l, start: _s, end: _e, text: _t, ...rest } = o;
    return JSON.stringify(rest);
  };
  const gs = g ? `gold ${g.start}-${g.end} ${JSON.stringify(g.text)} ${values(g)}` : '';
  const ps = p ? `predicted ${p.start}-${p.end} ${JSON.stringify(p.text)} ${JSON.stringify(p.attrs)}` : '';
  return `${e.kind.padEnd(14)} ${e.label.padEnd(10)} ${[gs, ps].filter(Boolean).join('  |  ')}`;
}

async function main(argv: string[]): Promise<number> {
  const goldPath = path.resolve(option(argv, '--gold') ?? path.resolve(repoRoot, '..', 'shared', 'corpus', 'gold', 'dev.jsonl'));
  const lines = (await fsp.readFile(goldPath, 'utf8')).split('\n').filter((l) => l.trim());
  const docs = lines.map((l) => JSON.parse(l) as GoldDocument);
  const textsOption = option(argv, '--texts');
  const textsDir = textsOption ? path.resolve(textsOption) : undefined;
  const labelOption = option(argv, '--label');
  const labels = labelOption ? new Set(labelOption.split(',').map((l) => l.trim().toUpperCase())) : null;
  const scores: DocumentScore[] = [];
  const errorLines: string[] = [];
  for (const d of docs) {
    const text = await readText(d.doc, goldPath, textsDir);
    for (const a of d.annotations) {
      if (text.slice(a.start, a.end) !== a.text) console.warn(`warning: ${d.doc}: gold ${a.label} ${a.start}-${a.end} is ${JSON.stringify(text.slice(a.start, a.end))}, not ${JSON.stringify(a.text)}`);
    }
    // Gold offsets count UTF-16 units; suggestions count code points.
    const index = new CodePointIndex(text);
    const predicted: PredictedSpan[] = suggest(text, { dct: d.dct }).map((s) => ({
      label: s.label, start: index.toUtf16(s.start), end: index.toUtf16(s.end), text: s.text, attrs: s.attrs,
    }));
    const score = scoreDocument(d.annotations, predicted, d.ignore ?? []);
    scores.push(score);
    const shown = labels ? score.errors.filter((e) => labels.has(e.label)) : score.errors;
    if (shown.length) errorLines.push(`${d.doc} (dct ${d.dct ?? 'none'})`, ...shown.map((e) => `  ${describe(e)}`));
  }

  const engines = new Set(ENGINES.map((e) => e.name));
  const rows = summarize(scores);
  for (const label of Object.keys(TARGETS)) if (!rows.some((r) => r.label === label)) rows.push({ label, gold: 0, predicted: 0, tp: 0, valueChecked: 0, valueCorrect: 0, precision: null, recall: null, f1: null, valueAccuracy: null });
  console.log(`Gold: ${path.relative(process.cwd(), goldPath) || goldPath} (${docs.length} documents); engines: ${[...engines].join(', ')}`);
  console.log('');
  console.log(`${'label'.padEnd(11)}${pad('gold', 5)}${pad('pred', 6)}${pad('TP', 5)}${pad('P', 7)}${pad('R', 7)}${pad('F1', 7)}${pad('value', 8)}   target`);
  let missed = false;
  for (const r of rows) {
    const v = verdict(r, engines);
    missed ||= v.missed;
    const value = r.valueChecked > 0 ? `${fmt(r.valueAccuracy)}` : '   -';
    console.log(`${r.label.padEnd(11)}${pad(r.gold, 5)}${pad(r.predicted, 6)}${pad(r.tp, 5)}${pad(fmt(r.precision), 7)}${pad(fmt(r.recall), 7)}${pad(fmt(r.f1), 7)}${pad(value, 8)}   ${v.text}`);
  }
  console.log('');
  console.log('value: share of matched spans with the right value (DATE: value; CASUALTIES: low, high, group, outcome).');
  if (argv.includes('--errors')) {
    console.log('');
    console.log(errorLines.length ? errorLines.join('\n') : 'No errors.');
  }
  if (argv.includes('--check') && missed) {
    console.log('\nA target is not met.');
    return 1;
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(`eval: ${e instanceof Error ? e.message : String(e)}`);
  return 2;
});
