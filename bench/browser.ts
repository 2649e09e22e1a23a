// The Chromium cases of the benchmark: open a long annotated article in `gloss serve` (against a bare ProseMirror view of its text) and tag in it.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { LabelDef } from '../annotations/model.ts';
import { documentIdFor } from '../annotations/corpus/scan.ts';
import { launchBrowser, serve, PROJECT_ROOT } from '../tests/e2e/harness.ts';
import { makeArticle, rng, writeStore } from './data.ts';

/** What the Chromium cases measured: medians in ms over the runs. */
export interface LongArticleResult {
  /** Click in the document list to the frame after every highlight is in the page. */
  openMs: number;
  /** The same text in a bare ProseMirror view, to the frame after its first layout. */
  bareMs: number;
  /** A label key on a selected word (one annotation added) to the end of the next frame. */
  addMs: number;
  /** Delete on the selected annotation (one removed) to the end of the next frame. */
  removeMs: number;
  /** A key that changes nothing, to the end of the next frame. */
  noopMs: number;
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

/**
 * In-page: milliseconds from `window.__t0` to the frame after `count` highlights are in the reader of
 * document `doc`. Counted cheaply each frame (which ones they are is checked once the time is taken).
 */
const WAIT_HIGHLIGHTS = `(doc, count) => new Promise((resolve) => {
  const check = () => {
    const host = document.querySelector('.reader-host[data-doc="' + doc + '"]');
    if (host && host.getElementsByClassName('ann').length >= count) requestAnimationFrame(() => resolve(performance.now() - window.__t0));
    else requestAnimationFrame(check);
  };
  check();
})`;

/** In-page: how many distinct annotations the reader shows. */
const DISTINCT_HIGHLIGHTS = `new Set(Array.from(document.querySelectorAll('.reader-text .ann'), (e) => e.getAttribute('data-ann'))).size`;

/**
 * In-page, once: record for every keydown the time from the event to the end of the next frame (a task
 * posted from that frame's requestAnimationFrame runs once it is painted) in window.__keyPaints.
 */
const TIME_KEYS = `(() => {
  window.__keyPaints = [];
  window.addEventListener('keydown', (event) => {
    const t0 = event.timeStamp;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => window.__keyPaints.push(performance.now() - t0);
      channel.port2.postMessage(null);
    });
  }, true);
})()`;

/**
 * In-page: select the `n`th word of 4+ letters that no highlight covers, in the paragraphs on screen, as a
 * drag would (the reader picks the selection up from the DOM); its text, or null.
 */
const SELECT_WORD = `(n) => {
  const paragraphs = Array.from(document.querySelectorAll('.reader-text p')).filter((p) => {
    const r = p.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight;
  });
  let seen = 0;
  for (const p of paragraphs) {
    for (const node of p.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE) continue;
      for (const m of node.data.matchAll(/[A-Za-z]{4,}/g)) {
        if (seen++ < n) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        return m[0];
      }
    }
  }
  return null;
}`;

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

/** A frame or two, and a little time: what the reader needs to take a DOM selection into its state. */
const SETTLE = `new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 30))))`;

/**
 * In `gloss serve` in headless Chromium, with an article of about `chars` characters holding `count`
 * annotations: open it `runs` times from the document list (click to the frame after every highlight is
 * in the page; baseline: the same text in a bare ProseMirror view), then tag a word and delete the new
 * annotation by keyboard `runs` times each, and press a key that changes nothing as many times (each
 * timed from the key event to the end of the next frame). Throws when a highlight is missing or a tag
 * or delete did not happen. `folder` must be a new empty temp folder.
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
      open.push((await page.evaluate(`(${WAIT_HIGHLIGHTS})(${JSON.stringify(documentIdFor(LONG))}, ${count})`)) as number);
      const shown = (await page.evaluate(DISTINCT_HIGHLIGHTS)) as number;
      if (shown !== count) throw new Error(`open-long-article showed ${shown} distinct highlights, not ${count}`);
    }

    // Tagging: the label key of the first label on a selected word, then Delete on the new (selected) one.
    await page.evaluate(TIME_KEYS);
    const paints = async (): Promise<number> => ((await page.evaluate('window.__keyPaints.length')) as number);
    const timeKey = async (key: string): Promise<number> => {
      const before = await paints();
      await page.keyboard.press(key);
      await page.waitForFunction((n) => (window as unknown as { __keyPaints: number[] }).__keyPaints.length > n, before);
      return (await page.evaluate(`window.__keyPaints[${before}]`)) as number;
    };
    const add: number[] = [];
    const remove: number[] = [];
    const noop: number[] = [];
    for (let run = 0; run < runs; run++) {
      const word = await page.evaluate(`(${SELECT_WORD})(${run * 3})`);
      if (!word) throw new Error('tag-in-long-article found no word to tag on screen');
      await page.evaluate(SETTLE);
      add.push(await timeKey(labels[0].key));
      if ((await page.evaluate(DISTINCT_HIGHLIGHTS)) !== count + 1) throw new Error(`tag-in-long-article: tagging "${word}" added no highlight`);
      await page.evaluate(SETTLE);
      remove.push(await timeKey('Delete'));
      if ((await page.evaluate(DISTINCT_HIGHLIGHTS)) !== count) throw new Error('tag-in-long-article: Delete removed no highlight');
      await page.evaluate(SETTLE);
      noop.push(await timeKey('q'));
    }
    await page.close();

    const bare = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    await bare.setContent(`<!doctype html><meta charset="utf-8"><div id="host"></div><script>${(await bareScript()).replace(/<\/script/gi, '<\\/script')}</script>`);
    const bareTimes: number[] = [];
    for (let run = 0; run < runs; run++) {
      bareTimes.push((await bare.evaluate(`(${TIME_BARE})(${JSON.stringify(text)})`)) as number);
    }
    await bare.close();
    return {
      openMs: median(open),
      bareMs: median(bareTimes),
      addMs: median(add),
      removeMs: median(remove),
      noopMs: median(noop),
      chars: text.length,
      annotations: count,
    };
  } finally {
    await served.stop();
    await browser.close();
    await fsp.rm(served.home, { recursive: true, force: true });
  }
}
