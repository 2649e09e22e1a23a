// Scoring of predicted spans against gold annotations: per label precision, recall and F1 with lenient
// span matching (overlap and same label, one to one), and the share of matched spans whose normalised
// values are right (DATE: value; CASUALTIES: low, high, group, outcome). Pure.

/** A gold annotation as the gold file writes it: values flat beside the span. */
export interface GoldSpan {
  label: string;
  start: number;
  end: number;
  text: string;
  [field: string]: unknown;
}

/** A predicted span: a suggestion's span and attributes, in the same offset unit as the gold. */
export interface PredictedSpan {
  label: string;
  start: number;
  end: number;
  text: string;
  attrs: Record<string, unknown>;
}

/** One mistake, for error analysis. */
export interface ScoreError {
  kind: 'false positive' | 'false negative' | 'wrong value';
  label: string;
  gold?: GoldSpan;
  predicted?: PredictedSpan;
}

/** Raw counts of one label. */
export interface LabelCounts {
  gold: number;
  predicted: number;
  tp: number;
  /** Matched pairs whose values were compared, and how many agreed. */
  valueChecked: number;
  valueCorrect: number;
}

/** The score of one document. */
export interface DocumentScore {
  counts: Map<string, LabelCounts>;
  errors: ScoreError[];
}

/** Per-label figures; ratios are null when undefined (nothing predicted, no gold, no value compared). */
export interface LabelScore extends LabelCounts {
  label: string;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  valueAccuracy: number | null;
}

/** The attributes whose agreement makes a value right, per label; labels not listed carry no values. */
export const VALUE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  DATE: ['value'],
  CASUALTIES: ['low', 'high', 'group', 'outcome'],
};

const norm = (v: unknown): unknown => (v === undefined ? null : v);

/**
 * Whether a matched prediction has the gold's values: the label's VALUE_FIELDS, plus a DATE's `mod`
 * when the gold states one. Null for labels without values.
 */
export function valueMatches(gold: GoldSpan, predicted: PredictedSpan): boolean | null {
  const fields = VALUE_FIELDS[gold.label];
  if (!fields) return null;
  const all = gold.label === 'DATE' && 'mod' in gold ? [...fields, 'mod'] : fields;
  return all.every((f) => norm(gold[f]) === norm(predicted.attrs[f]));
}

const overlap = (a: { start: number; end: number }, b: { start: number; end: number }): number =>
  Math.min(a.end, b.end) - Math.max(a.start, b.start);

function countsFor(map: Map<string, LabelCounts>, label: string): LabelCounts {
  let c = map.get(label);
  if (!c) {
    c = { gold: 0, predicted: 0, tp: 0, valueChecked: 0, valueCorrect: 0 };
    map.set(label, c);
  }
  return c;
}

/**
 * Scores one document. Spans whose text is one of the `ignore` surfaces are dropped on both sides before
 * matching, so they count neither way. Matching is one to one: overlapping pairs of the same label are
 * taken greedily, exact spans first, then by overlap, then those with the right value.
 */
export function scoreDocument(gold: readonly GoldSpan[], predicted: readonly PredictedSpan[], ignore: readonly string[] = []): DocumentScore {
  const ignored = new Set(ignore.map((s) => s.trim()));
  const golds = gold.filter((g) => !ignored.has(g.text.trim()));
  const preds = predicted.filter((p) => !ignored.has(p.text.trim()));
  const counts = new Map<string, LabelCounts>();
  for (const g of golds) countsFor(counts, g.label).gold++;
  for (const p of preds) countsFor(counts, p.label).predicted++;

  const pairs: Array<{ g: number; p: number; exact: boolean; size: number; right: boolean }> = [];
  const predsByStart = preds.map((p, i) => ({ p, i })).sort((a, b) => a.p.start - b.p.start);
  golds.forEach((g, gi) => {
    for (const { p, i } of predsByStart) {
      if (p.start >= g.end) break;
      if (p.label !== g.label || overlap(g, p) <= 0) continue;
      pairs.push({ g: gi, p: i, exact: p.start === g.start && p.end === g.end, size: overlap(g, p), right: valueMatches(g, p) === true });
    }
  });
  pairs.sort((a, b) => Number(b.exact) - Number(a.exact) || b.size - a.size || Number(b.right) - Number(a.right));
  const goldMatch = new Map<number, number>();
  const predMatched = new Set<number>();
  for (const pair of pairs) {
    if (goldMatch.has(pair.g) || predMatched.has(pair.p)) continue;
    goldMatch.set(pair.g, pair.p);
    predMatched.add(pair.p);
  }

  const errors: ScoreError[] = [];
  golds.forEach((g, gi) => {
    const c = countsFor(counts, g.label);
    const pi = goldMatch.get(gi);
    if (pi === undefined) {
      errors.push({ kind: 'false negative', label: g.label, gold: g });
      return;
    }
    c.tp++;
    const right = valueMatches(g, preds[pi]);
    if (right === null) return;
    c.valueChecked++;
    if (right) c.valueCorrect++;
    else errors.push({ kind: 'wrong value', label: g.label, gold: g, predicted: preds[pi] });
  });
  preds.forEach((p, pi) => {
    if (!predMatched.has(pi)) errors.push({ kind: 'false positive', label: p.label, predicted: p });
  });
  const at = (e: ScoreError): number => (e.gold ?? e.predicted)!.start;
  errors.sort((a, b) => at(a) - at(b));
  return { counts, errors };
}

/** Sums document scores into per-label figures, labels in alphabetical order. */
export function summarize(docs: readonly DocumentScore[]): LabelScore[] {
  const total = new Map<string, LabelCounts>();
  for (const d of docs) {
    for (const [label, c] of d.counts) {
      const t = countsFor(total, label);
      t.gold += c.gold;
      t.predicted += c.predicted;
      t.tp += c.tp;
      t.valueChecked += c.valueChecked;
      t.valueCorrect += c.valueCorrect;
    }
  }
  return [...total.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([label, c]) => {
      const precision = c.predicted > 0 ? c.tp / c.predicted : null;
      const recall = c.gold > 0 ? c.tp / c.gold : null;
      let f1: number | null = null;
      if (precision !== null && recall !== null) f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
      else if (c.gold > 0 || c.predicted > 0) f1 = 0;
      return { label, ...c, precision, recall, f1, valueAccuracy: c.valueChecked > 0 ? c.valueCorrect / c.valueChecked : null };
    });
}
