// The Chromium case of the benchmark: open a long annotated article in `gloss serve` against a bare ProseMirror view of its text.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { LabelDef } from '../annotations/model.ts';
import { documentIdFor } from '../annotations/corpus/scan.ts';
import { launchBrowser, serve, PROJECT_ROOT } from '../tests/e2e/harness.ts';
import { makeArticle, rng, writeStore } from './data.ts';

/** What the case measured: medians in ms over the runs. */
export interface LongArticleResult {
  openMs: number;
  bareMs: number;
  chars: number;
  annotations: number;
}

/** A page script defining `window.__bare(text)`: a plain ProseMirror view of the text, one paragraph per block, no decorations. */
async function bareScript(): Promise<string> {
  const entry = `
import { Schema } from 'prosemirror-model';
import { EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
const schema = new Schema({ nodes: { doc: { content: 'paragraph+' }, paragraph: { content: 'text*', toDOM: () => ['p', 0] }, text: {} } });
window.__bare = (text) => {
  const host = document.getElementById('host');
  host.textContent = '';
  const paras = text.split(/\\n+/).filter((p) => p.length > 0).map((p) => schema.node('paragraph', null, [schema.text(p)]));
  new EditorView(host, { state: EditorState.create({ doc: schema.node('doc', null, paras) }), editable: () => false });
};`;
  const out = await build({ stdin: { contents: entry, resolveDir: PROJECT_ROOT, loader: 'js' }, bundle: true, write: false, format: 'iife', minify: true, logLevel: 'silent' });
  return out.outputFiles[0].text;
}

/** In-page: milliseconds from `window.__t0` to the frame after `count` distinct highlights are in the reader. */
const WAIT_HIGHLIGHTS = `(count) => new Promise((resolve) => {
  const check = () => {
    const ids = new Set(Array.from(document.querySelectorAll('.reader-text .ann'), (e) => e.getAttribute('data-ann')));
    if (ids.size >= count) requestAnimationFrame(() => resolve(performance.now() - window.__t0));
    else requestAnimationFrame(check);
  };
  check();
})`;

/** In-page: build the bare view and resolve at the frame after its first layout. */
const TIME_BARE = `(text) => new Promise((resolve) => {
  const t0 = performance.now();
  window.__bare(text);
  void document.getElementById('host').offsetHeight;
  requestAnimationFrame(() => resolve(performance.now() - t0));
})`;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Open an article of about `chars` characters holding `count` annotations in `gloss serve`, `runs` times,
 * from the click in the document list to the frame after every highlight is in the page; the baseline is
 * the same text in a bare ProseMirror view. `folder` must be a new empty temp folder.
 */
export async function longArticleCase(
  folder: string,
  sentences: string[],
  labels: LabelDef[],
  chars: number,
  count: number,
  runs: number,
): Promise<LongArticleResult> {
  const LONG = 'long-article.txt';
  const SHORT = 'short-article.txt';
  const random = rng(4);
  const text = makeArticle(sentences, random, 0, chars);
  await fsp.mkdir(folder, { recursive: true });
  await fsp.writeFile(path.join(folder, LONG), text);
  await fsp.writeFile(path.join(folder, SHORT), makeArticle(sentences, random, 1, 2000));
  const written = await writeStore(path.join(folder, '.gloss'), new Map([[LONG, text]]), count, labels, 5);
  if (written !== count) throw new Error(`the long article holds ${written} words to tag, not ${count}`);

  const browser = await launchBrowser();
  const served = await serve(folder);
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    await page.goto(served.url);
    await page.waitForSelector('.doclist');
    const open: number[] = [];
    for (let run = 0; run < runs; run++) {
      // Alternate with the short article, so each run opens the long one afresh from the list.
      await page.click(`button[data-path="${SHORT}"]`);
      await page.waitForSelector(`.reader-host[data-doc="${documentIdFor(SHORT)}"]`);
      await page.evaluate('window.__t0 = performance.now()');
      await page.click(`button[data-path="${LONG}"]`);
      open.push((await page.evaluate(`(${WAIT_HIGHLIGHTS})(${count})`)) as number);
    }
    await page.close();

    const bare = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    await bare.setContent(`<!doctype html><meta charset="utf-8"><div id="host"></div><script>${(await bareScript()).replace(/<\/script/gi, '<\\/script')}</script>`);
    const bareTimes: number[] = [];
    for (let run = 0; run < runs; run++) {
      bareTimes.push((await bare.evaluate(`(${TIME_BARE})(${JSON.stringify(text)})`)) as number);
    }
    await bare.close();
    return { openMs: median(open), bareMs: median(bareTimes), chars: text.length, annotations: count };
  } finally {
    await served.stop();
    await browser.close();
    await fsp.rm(served.home, { recursive: true, force: true });
  }
}
