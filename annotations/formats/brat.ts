// brat standoff (https://brat.nlplab.org/standoff.html): a .txt and an .ann per document, plus an
// annotation.conf and a visual.conf from the label schema. Offsets count code points of the .txt, as
// brat (Python) does. Pure: text in, text out.
import type { Annotation, LabelDef } from '../model.ts';
import { sliceCodePoints, type CodePointIndex } from '../offsets.ts';
import { SourceText, canonicalJson, derivedId, exportableAnnotations, labelProblem, quoteProblem, relationTypeProblem, spanProblem } from './source-text.ts';
import type { ExportContext, FormatProblem, FormatReader, FormatWriter, ImportedAnnotation, ImportedDocument, InputFile, OutputChunk } from './types.ts';

/** What an export run has seen so far, for the .conf files written at its end. */
interface BratRun {
  bases: Set<string>;
  labels: Set<string>;
  /** Relation type -> labels of its first and second arguments. */
  relations: Map<string, { from: Set<string>; to: Set<string> }>;
  /** Attribute name -> labels carrying it, values written, whether it was written bare (true). */
  attributes: Map<string, { labels: Set<string>; values: Set<string>; bare: boolean }>;
}

/** One run per export context, so two exports at once (app and command line) never share state. */
const runs = new WeakMap<ExportContext, BratRun>();

function runOf(ctx: ExportContext): BratRun {
  let run = runs.get(ctx);
  if (!run) {
    run = { bases: new Set(), labels: new Set(), relations: new Map(), attributes: new Map() };
    runs.set(ctx, run);
  }
  return run;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Order of the T lines: by span, then by content rather than by id, because ids do not survive a trip
 * through brat (T1, T2... are numbered anew) and the order must, for export -> import -> export to be stable.
 */
function compareForBrat(a: Annotation, b: Annotation): number {
  return (
    a.start - b.start ||
    a.end - b.end ||
    byCodeUnits(a.label, b.label) ||
    byCodeUnits(canonicalJson(a.attrs ?? {}), canonicalJson(b.attrs ?? {})) ||
    byCodeUnits(a.note ?? '', b.note ?? '') ||
    byCodeUnits(a.id, b.id)
  );
}

/** The span cut at its line breaks: brat text-bound fragments cannot hold a newline. */
function fragments(text: string, start: number, end: number, index: CodePointIndex): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = start;
  let cp = start;
  for (const ch of sliceCodePoints(text, start, end, index)) {
    if (ch === '\n') {
      if (cp > from) out.push([from, cp]);
      from = cp + 1;
    }
    cp++;
  }
  if (end > from) out.push([from, end]);
  return out;
}

/** `news/a.txt` -> `news/a`; a second document with the same base keeps its whole path instead. */
function uniqueBase(path: string, run: BratRun, report: (reason: string) => void): string {
  const stripped = path.replace(/(?<=[^/])\.[^./]*$/, '');
  let base = stripped;
  for (let n = 2; run.bases.has(base); n++) base = n === 2 ? path : `${path}-${n}`;
  if (base !== stripped) report(`another document is already written as ${stripped}.txt: this one is written as ${base}.txt`);
  run.bases.add(base);
  return base;
}

/** How one attribute value is written on an A line: bare (true), with a value, or not at all. */
type BratValue = { kind: 'bare' } | { kind: 'none' } | { kind: 'value'; value: string; changed: boolean } | { kind: 'lost'; reason: string };

function bratValue(value: unknown): BratValue {
  if (value === true) return { kind: 'bare' };
  // A brat binary attribute is true when present and false when absent; brat has no null.
  if (value === false || value === null || value === undefined) return { kind: 'none' };
  if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'value', value: String(value), changed: false };
  if (typeof value === 'string') {
    const cleaned = value.replace(/[\t\r\n]/g, ' ');
    if (cleaned.trim() === '') return { kind: 'lost', reason: 'an empty value has no brat form' };
    return { kind: 'value', value: cleaned, changed: cleaned !== value };
  }
  return { kind: 'lost', reason: 'a list or object value has no brat form' };
}

/** Values annotation.conf can list: brat separates them with | and ends the list at a comma or space. */
const listable = (value: string): boolean => !/[\s|,]/.test(value);

function compareValues(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  const numA = a !== '' && Number.isFinite(na);
  const numB = b !== '' && Number.isFinite(nb);
  if (numA && numB) return na - nb || byCodeUnits(a, b);
  if (numA !== numB) return numA ? -1 : 1;
  return byCodeUnits(a, b);
}

const sorted = (values: Iterable<string>, compare = byCodeUnits): string[] => [...values].sort(compare);

function annotationConf(labels: LabelDef[], run: BratRun, report: (reason: string) => void): string {
  const names = labels.map((l) => l.name);
  const extra = sorted([...run.labels].filter((l) => !names.includes(l)));
  const lines = ['# brat annotation.conf written by Gloss from its label schema; offsets in the .ann files are code points.', '[entities]', ...names, ...extra, '', '[relations]'];
  for (const [type, args] of [...run.relations].sort(([a], [b]) => byCodeUnits(a, b))) {
    lines.push(`${type}\tArg1:${sorted(args.from).join('|')}, Arg2:${sorted(args.to).join('|')}`);
  }
  // Gloss lets spans overlap and nest freely; brat refuses overlaps unless told otherwise.
  lines.push('<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>', '', '[events]', '', '[attributes]');
  for (const [name, attr] of [...run.attributes].sort(([a], [b]) => byCodeUnits(a, b))) {
    const values = sorted(attr.values, compareValues);
    const shown = values.filter(listable);
    if (shown.length < values.length) {
      report(`annotation.conf cannot list values of attribute ${name} that hold spaces, | or commas (${values.filter((v) => !listable(v)).map((v) => JSON.stringify(v)).join(', ')}); brat will flag them`);
    }
    if (attr.bare && values.length > 0) report(`attribute ${name} is true on some annotations and has values on others; brat expects one or the other`);
    lines.push(`${name}\tArg:${sorted(attr.labels).join('|')}${shown.length ? `, Value:${shown.join('|')}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

function visualConf(labels: LabelDef[]): string {
  const lines = ['# brat visual.conf written by Gloss: the colours of its labels.', '[labels]', ...labels.map((l) => l.name), '', '[drawing]'];
  for (const label of labels) lines.push(`${label.name}\tbgColor:${label.color}`);
  return `${lines.join('\n')}\n`;
}

/** Writes `<path without extension>.txt` and `.ann` per document; `annotation.conf` and `visual.conf` at the end. */
export const writer: FormatWriter = {
  name: 'brat',
  description: 'brat standoff: a .txt and an .ann per document, with annotation.conf and visual.conf (code point offsets)',
  defaultOutput: 'brat/',

  begin(ctx: ExportContext): OutputChunk[] {
    runs.delete(ctx);
    runOf(ctx);
    return [];
  },

  document(doc, _index, ctx): OutputChunk[] {
    const run = runOf(ctx);
    const report = (reason: string) => ctx.report({ file: doc.path, reason });
    const base = uniqueBase(doc.path, run, report);
    const { annotations, index } = exportableAnnotations(doc, report);
    const textBound: string[] = [];
    const attributes: string[] = [];
    const notes: string[] = [];
    const tIds = new Map<string, number>();

    for (const a of [...annotations].sort(compareForBrat)) {
      const frags = fragments(doc.text, a.start, a.end, index);
      if (frags.length === 0) {
        report(`annotation ${a.id} (${a.label}) left out: it holds nothing but line breaks, which brat cannot carry`);
        continue;
      }
      if (frags[0][0] !== a.start || frags[frags.length - 1][1] !== a.end) {
        report(`annotation ${a.id} (${a.label}) starts or ends with a line break, which brat cannot carry: written without it`);
      }
      const n = textBound.length + 1;
      tIds.set(a.id, n);
      run.labels.add(a.label);
      const spans = frags.map(([s, e]) => `${s} ${e}`).join(';');
      const quote = frags.map(([s, e]) => sliceCodePoints(doc.text, s, e, index)).join(' ');
      textBound.push(`T${n}\t${a.label} ${spans}\t${quote}`);

      for (const [key, value] of Object.entries(a.attrs ?? {}).sort(([x], [y]) => byCodeUnits(x, y))) {
        const name = key.replace(/\s+/g, '_');
        const written = bratValue(value);
        if (written.kind === 'none') continue;
        if (written.kind === 'lost' || name === '') {
          report(`annotation ${a.id}: attribute ${JSON.stringify(key)} left out: ${written.kind === 'lost' ? written.reason : 'an empty name has no brat form'}`);
          continue;
        }
        if (name !== key) report(`annotation ${a.id}: attribute ${JSON.stringify(key)} written as ${name} (brat names hold no spaces)`);
        if (written.kind === 'value' && written.changed) report(`annotation ${a.id}: tabs and line breaks in the value of attribute ${name} written as spaces`);
        const attr = run.attributes.get(name) ?? { labels: new Set<string>(), values: new Set<string>(), bare: false };
        run.attributes.set(name, attr);
        attr.labels.add(a.label);
        if (written.kind === 'bare') attr.bare = true;
        else attr.values.add(written.value);
        attributes.push(`A${attributes.length + 1}\t${name} T${n}${written.kind === 'value' ? ` ${written.value}` : ''}`);
      }

      if (a.note) {
        const note = a.note.replace(/[\t\r\n]/g, ' ');
        if (note !== a.note) report(`annotation ${a.id}: tabs and line breaks in its note written as spaces`);
        notes.push(`#${notes.length + 1}\tAnnotatorNotes T${n}\t${note}`);
      }
    }

    const labelOf = new Map(annotations.map((a) => [a.id, a.label]));
    const relations = doc.relations
      .flatMap((rel) => {
        const from = tIds.get(rel.from);
        const to = tIds.get(rel.to);
        if (from === undefined || to === undefined) {
          report(`relation ${rel.id} (${rel.type}) left out: one of its annotations is not exported`);
          return [];
        }
        const type = rel.type.replace(/\s+/g, '_');
        if (type !== rel.type) report(`relation ${rel.id}: type ${JSON.stringify(rel.type)} written as ${type} (brat types hold no spaces)`);
        return [{ type, from, to, fromLabel: labelOf.get(rel.from)!, toLabel: labelOf.get(rel.to)! }];
      })
      .sort((x, y) => x.from - y.from || x.to - y.to || byCodeUnits(x.type, y.type))
      .map((rel, i) => {
        const args = run.relations.get(rel.type) ?? { from: new Set<string>(), to: new Set<string>() };
        run.relations.set(rel.type, args);
        args.from.add(rel.fromLabel);
        args.to.add(rel.toLabel);
        return `R${i + 1}\t${rel.type} Arg1:T${rel.from} Arg2:T${rel.to}`;
      });

    const lines = [...textBound, ...attributes, ...relations, ...notes];
    return [
      { file: `${base}.txt`, data: doc.text },
      { file: `${base}.ann`, data: lines.length ? `${lines.join('\n')}\n` : '' },
    ];
  },

  end(ctx: ExportContext): OutputChunk[] {
    const run = runOf(ctx);
    runs.delete(ctx);
    const report = (reason: string) => ctx.report({ file: 'annotation.conf', reason });
    return [
      { file: 'annotation.conf', data: annotationConf(ctx.labels, run, report) },
      { file: 'visual.conf', data: visualConf(ctx.labels) },
    ];
  },
};

/** An attribute value as read: numbers written the way JavaScript writes them come back as numbers. */
function parseValue(text: string): string | number {
  const n = Number(text);
  return /^-?\d/.test(text) && Number.isFinite(n) && String(n) === text ? n : text;
}

/** A line of the .ann that refers to other annotations, kept until every text-bound one is known. */
interface DeferredLine {
  id: string;
  data: string;
  tail: string | undefined;
  line: number;
}

/**
 * Reads one .ann with its .txt into a document; every bad line becomes a problem with file and line.
 * brat counts a CRLF .txt's CRs or not depending on how its Python opened the file (binary codecs in
 * older versions, universal newlines in newer ones), so for such a text both readings are tried and the
 * one with fewer problems wins.
 */
function readDocument(ann: InputFile, txt: InputFile, problems: FormatProblem[]): ImportedDocument {
  const raw = readWith(ann, txt.path, new SourceText(txt.content));
  if (raw.problems.length > 0 && txt.content.includes('\r')) {
    const lf = readWith(ann, txt.path, new SourceText(txt.content.replace(/\r\n?/g, '\n')));
    if (lf.problems.length < raw.problems.length) {
      problems.push(...lf.problems);
      return lf.document;
    }
  }
  problems.push(...raw.problems);
  return raw.document;
}

/** One reading of an .ann against one version of its text; problems are kept apart so readings can be compared. */
function readWith(ann: InputFile, txtPath: string, source: SourceText): { document: ImportedDocument; problems: FormatProblem[] } {
  const problems: FormatProblem[] = [];
  const fail = (line: number, reason: string): void => void problems.push({ file: ann.path, line, reason });
  const ids = new Set<string>();
  const annotationIds = new Set<string>();
  const relationIds = new Set<string>();
  const textBound = new Map<string, ImportedAnnotation & { id: string }>();
  const events: DeferredLine[] = [];
  const others: DeferredLine[] = [];

  ann.content.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const tab = raw.indexOf('\t');
    if (tab < 0) return fail(line, 'no tab after the annotation id');
    const id = raw.slice(0, tab);
    const rest = raw.slice(tab + 1);
    const tab2 = rest.indexOf('\t');
    const data = tab2 < 0 ? rest : rest.slice(0, tab2);
    const tail = tab2 < 0 ? undefined : rest.slice(tab2 + 1);
    if (!/^([TRAEMN#]\S*|\*)$/.test(id)) return fail(line, `id ${JSON.stringify(id.slice(0, 40))}: brat ids start with T, R, E, A, M, N, # or *`);
    if (id !== '*') {
      if (ids.has(id)) return fail(line, `id ${id} is used twice`);
      ids.add(id);
    }
    if (id[0] === 'T') readTextBound(id, data, tail, line);
    else if (id[0] === 'E') events.push({ id, data, tail, line });
    else others.push({ id, data, tail, line });
  });

  function readTextBound(id: string, data: string, tail: string | undefined, line: number): void {
    const m = /^(\S+) (\d+ \d+(?:;\d+ \d+)*)\s*$/.exec(data);
    if (!m) return fail(line, `malformed text-bound annotation: expected "TYPE START END" after the id, found ${JSON.stringify(data.slice(0, 80))}`);
    const problem = labelProblem(m[1]);
    if (problem) return fail(line, problem);
    const frags = m[2].split(';').map((pair) => pair.split(' ').map(Number) as [number, number]);
    for (const [s, e] of frags) {
      const bad = spanProblem(s, e, source.length);
      if (bad) return fail(line, bad);
    }
    for (let k = 1; k < frags.length; k++) {
      const [prevStart, prevEnd] = frags[k - 1];
      const [s, e] = frags[k];
      if (s < prevEnd) return fail(line, `fragments ${prevStart}-${prevEnd} and ${s}-${e} overlap or are out of order`);
      if (!/^[\r\n]*$/.test(source.slice(prevEnd, s))) {
        return fail(line, `discontinuous span: the text between fragments ${prevStart}-${prevEnd} and ${s}-${e} is not a line break, and Gloss spans are contiguous`);
      }
    }
    const first = frags[0][0];
    const last = frags[frags.length - 1][1];
    if (tail !== undefined) {
      const bad = quoteProblem(tail, frags.map(([s, e]) => source.slice(s, e)).join(' '), first, last);
      if (bad) return fail(line, bad);
    }
    const start = source.toGloss(first);
    const end = source.toGloss(last);
    const label = m[1];
    textBound.set(id, { id: derivedId('brat', [label, start, end], annotationIds), label, start, end, text: sliceCodePoints(source.text, start, end) });
  }

  // Events: the trigger is the annotation (EVENT spans are T lines in Gloss), each argument a relation.
  const triggerOf = new Map<string, string>();
  const eventArgs: Array<{ trigger: string; args: string[]; line: number }> = [];
  for (const { id, data, line } of events) {
    const [head, ...args] = data.trim().split(/\s+/);
    const parts = head.split(':');
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      fail(line, `malformed event: expected "TYPE:TRIGGER ROLE:ID ..." after the id, found ${JSON.stringify(data.slice(0, 80))}`);
      continue;
    }
    const [type, trigger] = parts;
    const t = textBound.get(trigger);
    if (!t) fail(line, `event trigger ${trigger} is not a text-bound annotation of this file`);
    else if (t.label !== type) fail(line, `event type ${type} differs from the type ${t.label} of its trigger ${trigger}`);
    else {
      triggerOf.set(id, trigger);
      eventArgs.push({ trigger: t.id, args, line });
    }
  }
  /** The Gloss id of the annotation a T or E id names. */
  const resolve = (ref: string): string | undefined => textBound.get(triggerOf.get(ref) ?? ref)?.id;

  const relations: Array<{ id: string; type: string; from: string; to: string }> = [];
  for (const { trigger, args, line } of eventArgs) {
    args.forEach((arg) => {
      const colon = arg.lastIndexOf(':');
      const role = arg.slice(0, colon);
      const target = colon > 0 ? resolve(arg.slice(colon + 1)) : undefined;
      const bad = colon <= 0 ? `malformed event argument ${JSON.stringify(arg)}: expected ROLE:ID` : !target ? `event argument ${arg} refers to nothing in this file` : relationTypeProblem(role);
      if (bad) fail(line, bad);
      else relations.push({ id: derivedId('brat-rel', [role, trigger, target!], relationIds), type: role, from: trigger, to: target! });
    });
  }

  const attrs = new Map<string, Map<string, unknown>>();
  const notes = new Map<string, string[]>();
  for (const { id, data, tail, line } of others) {
    switch (id[0]) {
      case 'A':
      case 'M': {
        const [name, target, ...rest] = id[0] === 'M' ? data.trim().split(/\s+/) : data.split(' ');
        const valueText = rest.join(' ');
        if (!name || !target || (id[0] === 'M' && rest.length > 0)) {
          fail(line, `malformed attribute: expected "NAME TARGET [VALUE]" after the id, found ${JSON.stringify(data.slice(0, 80))}`);
          break;
        }
        const owner = resolve(target);
        if (!owner) {
          fail(line, `attribute ${name} is on ${target}, which is not a text-bound annotation or event of this file`);
          break;
        }
        const own = attrs.get(owner) ?? new Map<string, unknown>();
        attrs.set(owner, own);
        if (own.has(name)) fail(line, `attribute ${name} is set twice on ${target}`);
        else own.set(name, valueText.trim() === '' ? true : parseValue(valueText));
        break;
      }
      case 'R': {
        const parts = data.trim().split(/\s+/);
        const args = parts.slice(1).map((p) => {
          const colon = p.indexOf(':');
          return colon > 0 ? { role: p.slice(0, colon), ref: p.slice(colon + 1) } : null;
        });
        if (parts.length !== 3 || args.some((a) => a === null)) {
          fail(line, `malformed relation: expected "TYPE Arg1:ID Arg2:ID" after the id, found ${JSON.stringify(data.slice(0, 80))}`);
          break;
        }
        const [a1, a2] = args[0]!.role === 'Arg2' && args[1]!.role === 'Arg1' ? [args[1]!, args[0]!] : [args[0]!, args[1]!];
        const from = resolve(a1.ref);
        const to = resolve(a2.ref);
        const bad = relationTypeProblem(parts[0]) ?? (!from ? `relation argument ${a1.ref} refers to nothing in this file` : !to ? `relation argument ${a2.ref} refers to nothing in this file` : null);
        if (bad) fail(line, bad);
        else relations.push({ id: derivedId('brat-rel', [parts[0], from!, to!], relationIds), type: parts[0], from: from!, to: to! });
        break;
      }
      case '#': {
        const parts = data.trim().split(/\s+/);
        const target = parts.length === 2 ? resolve(parts[1]) : undefined;
        if (parts.length !== 2) fail(line, `malformed note: expected "AnnotatorNotes TARGET" after the id, found ${JSON.stringify(data.slice(0, 80))}`);
        else if (!target) fail(line, `note on ${parts[1]}: Gloss keeps notes on text-bound annotations and events only`);
        else notes.set(target, [...(notes.get(target) ?? []), tail ?? '']);
        break;
      }
      case 'N':
        fail(line, 'normalization (N) lines have no Gloss equivalent');
        break;
      default:
        fail(line, 'equivalence (*) lines have no Gloss equivalent');
    }
  }

  const annotations: ImportedAnnotation[] = [...textBound.values()].map((a) => {
    const own = attrs.get(a.id);
    const note = notes.get(a.id)?.join('\n');
    return { ...a, ...(own ? { attrs: Object.fromEntries(own) } : {}), ...(note ? { note } : {}) };
  });
  return { document: { path: txtPath, text: source.text, annotations, relations, origin: { file: ann.path } }, problems };
}

/**
 * Reads .ann + .txt pairs. Each document's `origin.file` is its .ann, and every problem about it has
 * that `file` (with the line of the bad .ann line): a document is sound only when no problem names its .ann.
 */
export const reader: FormatReader = {
  name: 'brat',
  description: 'brat standoff: .ann files with the .txt of the same name',
  accepts: (path) => /\.(ann|txt)$/.test(path),

  read(files) {
    const problems: FormatProblem[] = [];
    const documents: ImportedDocument[] = [];
    const byPath = new Map(files.map((f) => [f.path, f]));
    const paired = new Set<string>();
    for (const ann of files.filter((f) => f.path.endsWith('.ann')).sort((a, b) => byCodeUnits(a.path, b.path))) {
      const txtPath = `${ann.path.slice(0, -4)}.txt`;
      const txt = byPath.get(txtPath);
      if (!txt) {
        problems.push({ file: ann.path, reason: `no ${txtPath} next to it: brat keeps the text of a document in a .txt of the same name` });
        continue;
      }
      paired.add(txtPath);
      documents.push(readDocument(ann, txt, problems));
    }
    for (const f of files) {
      if (f.path.endsWith('.txt') && !paired.has(f.path)) problems.push({ file: f.path, reason: 'no .ann of the same name: not a brat document, not imported' });
    }
    return { documents, problems };
  },
};
