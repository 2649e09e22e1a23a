// Synthetic benchmark data: articles and annotation stores built deterministically from the seed sentences.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { documentIdFor, hashText } from '../annotations/corpus/scan.ts';
import { contextOf } from '../annotations/anchors.ts';
import { CodePointIndex } from '../annotations/offsets.ts';
import {
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  OFFSET_UNIT,
  type Annotation,
  type DocumentFile,
  type LabelDef,
} from '../annotations/model.ts';

/** A small seeded PRNG (mulberry32): the same seed gives the same data on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The sentences of every seed article, in file order (headlines and boilerplate lines included). */
export async function loadSentences(seedsDir: string): Promise<string[]> {
  const names = (await fsp.readdir(seedsDir)).filter((n) => n.endsWith('.txt')).sort();
  const sentences: string[] = [];
  for (const name of names) {
    const text = (await fsp.readFile(path.join(seedsDir, name), 'utf8')).replace(/\r\n?/g, '\n');
    for (const line of text.split('\n')) {
      for (const s of line.split(/(?<=[.!?]["”’]?)\s+/)) if (s.trim().length > 0) sentences.push(s.trim());
    }
  }
  if (sentences.length === 0) throw new Error(`No seed sentences in ${seedsDir}`);
  return sentences;
}

/** One article of about `chars` characters: a title line, then paragraphs of 2-5 seed sentences. */
export function makeArticle(sentences: string[], random: () => number, index: number, chars: number): string {
  const pick = (): string => sentences[Math.floor(random() * sentences.length)];
  const parts: string[] = [`Article ${index}: ${pick().slice(0, 80)}`];
  let size = parts[0].length;
  while (size < chars) {
    const n = 2 + Math.floor(random() * 4);
    const para = Array.from({ length: n }, pick).join(' ');
    parts.push(para);
    size += para.length + 2;
  }
  return parts.join('\n\n') + '\n';
}

/** File name of article `i` (zero-padded, so natural and byte order agree). */
export const articleName = (i: number): string => `article-${String(i).padStart(6, '0')}.txt`;

/** Write `count` articles of about `chars` characters into `folder`; returns their texts by file name. */
export async function writeCorpus(folder: string, sentences: string[], count: number, chars: number, seed: number): Promise<Map<string, string>> {
  const random = rng(seed);
  const texts = new Map<string, string>();
  await fsp.mkdir(folder, { recursive: true });
  for (let i = 0; i < count; i++) texts.set(articleName(i), makeArticle(sentences, random, i, chars));
  const names = [...texts.keys()];
  // Bounded parallelism: fast on a big corpus without exhausting file handles.
  for (let i = 0; i < names.length; i += 64) {
    await Promise.all(names.slice(i, i + 64).map((n) => fsp.writeFile(path.join(folder, n), texts.get(n)!)));
  }
  return texts;
}

/** Spans of words of a text in code points (texts of the seeds may hold characters beyond the BMP). */
function wordSpans(text: string): Array<{ start: number; end: number; text: string }> {
  const spans: Array<{ start: number; end: number; text: string }> = [];
  const astral = /[\uD800-\uDBFF]/.test(text);
  const cp = (u16: number): number => (astral ? Array.from(text.slice(0, u16)).length : u16);
  for (const m of text.matchAll(/[A-Za-z][A-Za-z'-]{2,}/g)) {
    spans.push({ start: cp(m.index), end: cp(m.index + m[0].length), text: m[0] });
  }
  return spans;
}

/**
 * Store files (the DocumentFile format of annotations/model.ts) holding `perDoc` annotations on
 * distinct words of each text, with their context as Gloss saves it, written straight into
 * `<store>/docs/`: much faster than the API at 1M. Returns how many annotations were written.
 */
export async function writeStore(
  storeDir: string,
  texts: Map<string, string>,
  perDoc: number,
  labels: LabelDef[],
  seed: number,
): Promise<number> {
  const random = rng(seed);
  const docsDir = path.join(storeDir, 'docs');
  await fsp.mkdir(docsDir, { recursive: true });
  const stamp = '2024-01-01T00:00:00.000Z';
  let total = 0;
  let batch: Promise<void>[] = [];
  for (const [name, text] of texts) {
    const words = wordSpans(text);
    const index = new CodePointIndex(text);
    const step = Math.max(1, Math.floor(words.length / perDoc));
    const annotations: Annotation[] = [];
    for (let w = 0; w < words.length && annotations.length < perDoc; w += step) {
      const { start, end, text: quote } = words[w];
      annotations.push({
        id: `b${total + annotations.length}`,
        label: labels[Math.floor(random() * labels.length)].name,
        start,
        end,
        text: quote,
        // As Gloss saves them: with 32 code points of context either side.
        ...contextOf(text, start, end, index),
        author: 'bench',
        created: stamp,
        modified: stamp,
      });
    }
    total += annotations.length;
    const docId = documentIdFor(name);
    const file: DocumentFile = {
      format: DOCUMENT_FORMAT,
      version: DOCUMENT_VERSION,
      docId,
      path: name,
      hash: hashText(text),
      offsetUnit: OFFSET_UNIT,
      annotations,
    };
    batch.push(fsp.writeFile(path.join(docsDir, `${docId}.json`), JSON.stringify(file, null, 1) + '\n'));
    if (batch.length >= 64) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
  return total;
}
