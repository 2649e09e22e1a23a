// End to end: the hostile fixture corpus (plus a 5 MB single line and symlink traps) served and read in real Chromium.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { documentIdFor } from '../../annotations/corpus/scan.ts';
import { snapToWords, splitBlocks } from '../../annotations/layout.ts';
import { copyFixtures, generateCases, loadExpected, oneLineArticle, reasonMatches, type Expectation } from '../hostile-corpus.ts';
import { launchBrowser, selectText, serve, type Served, waitSaved } from './harness.ts';

const ONE_LINE = 'generated/one-line-5mb.txt';
/** A file name that is markup: the document list must show it as text. */
const MARKUP_NAME = '<img src=x onerror="window.__pwned=\'name\'">.txt';
const TAGGED = 'arabic-rtl.txt';
const WORD = 'الرَّقَّةِ';

let browser: Browser;
let served: Served;
let folder: string;
let tmp: string;
let expected: Record<string, Expectation>;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];

/** The reader's text for a text: its non-blank lines (or pieces of lines) one after another. */
const shownText = (text: string): string => splitBlocks(text).map((b) => text.slice(b.from, b.to)).join('');

const selectorFor = (p: string): string => `button[data-path="${p.replace(/["\\]/g, '\\$&')}"]`;

async function openArticle(p: string): Promise<void> {
  await page.click(selectorFor(p));
  await page.waitForSelector(`.reader-host[data-doc="${documentIdFor(p)}"] .reader-text`);
}

async function storeFiles(): Promise<Map<string, string>> {
  const dir = path.join(folder, '.gloss', 'docs');
  const out = new Map<string, string>();
  for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
    const file = path.join(dir, name);
    out.set(name, `${(await fsp.stat(file)).mtimeMs} ${await fsp.readFile(file, 'utf8')}`);
  }
  return out;
}

beforeAll(async () => {
  browser = await launchBrowser();
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-e2e-hostile-'));
  folder = path.join(tmp, 'corpus');
  await copyFixtures(folder);
  expected = { ...(await loadExpected()), ...(await generateCases(folder, { outsideDir: path.join(tmp, 'outside') })) };
  await fsp.writeFile(path.join(folder, MARKUP_NAME), 'Markup in a file name\n\nThe name is shown as text.\n');
  expected[MARKUP_NAME] = { outcome: 'opens', encoding: 'utf-8', title: 'Markup in a file name', text: 'Markup in a file name\n\nThe name is shown as text.\n' };
  served = await serve(folder);
  page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(served.url);
  await page.waitForSelector('.doclist');
});

afterAll(async () => {
  await served?.stop();
  await browser?.close();
  if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
});

describe('hostile input in the browser shell', () => {
  it('lists every skipped file with its reason under "files not opened"', async () => {
    const skipped = Object.entries(expected).filter(([, e]) => e.outcome === 'skipped') as Array<[string, { reason: string }]>;
    await page.click('.skipped summary');
    expect(await page.textContent('.skipped summary')).toBe(`${skipped.length} files not opened`);
    const items = await page.$$eval('.skipped li', (lis) => lis.map((li) => [li.querySelector('code')?.textContent ?? '', li.textContent ?? '']));
    const shown = new Map(items.map(([p, all]) => [p, all.slice(p.length + 2)]));
    expect(shown.size).toBe(skipped.length);
    for (const [p, e] of skipped) {
      expect(shown.has(p), p).toBe(true);
      expect(reasonMatches(e.reason, shown.get(p)!), `${p}: ${shown.get(p)}`).toBe(true);
    }
  });

  it('opens every article of the list in turn and shows its text', async () => {
    const opened = Object.entries(expected).filter(([p, e]) => e.outcome === 'opens' && p !== ONE_LINE);
    const listed = await page.$$eval('.doclist button[data-path]', (bs) => bs.map((b) => b.getAttribute('data-path')));
    expect([...listed].sort()).toEqual([...opened.map(([p]) => p), ONE_LINE].sort());
    for (const [p, e] of opened) {
      if (e.outcome !== 'opens') continue;
      await openArticle(p);
      const text = (await page.textContent('.reader-text')) ?? '';
      if (e.text !== undefined) expect(text, p).toBe(shownText(e.text));
      if (e.phrase !== undefined) expect(text, p).toContain(e.phrase);
      if (e.title !== undefined) expect(text, p).toContain(e.title);
      expect(await page.textContent('.doc-header'), p).toContain(e.encoding);
    }
    // The markup file name is text in the list, not an element.
    expect(await page.$$('.doclist img, .doclist script')).toHaveLength(0);
  });

  it('shows the hostile Markdown as literal text and runs none of it', async () => {
    await openArticle('hostile.md');
    const e = expected['hostile.md'];
    expect(e.outcome === 'opens' && e.text).toBeTruthy();
    const source = e.outcome === 'opens' ? e.text! : '';
    expect(await page.textContent('.reader-text h1')).toBe(source.split('\n')[0]);
    const blocks = await page.$$eval('.reader-text > *', (els) => els.map((el) => el.textContent));
    expect(blocks).toEqual(source.split('\n').filter((l) => /\S/.test(l)));
    const dangerous = 'script, img, iframe, a, style, svg, object, embed, meta, math, details, link, form, input';
    expect(await page.$$(`.reader-text :is(${dangerous})`)).toHaveLength(0);
    expect(await page.$$('iframe, object, embed')).toHaveLength(0);
  });

  it('opens the 5 MB single-line article and shows its first and last characters', async () => {
    const text = oneLineArticle();
    const started = performance.now();
    await openArticle(ONE_LINE);
    const [first, last] = [text.slice(0, 40), text.slice(-40)];
    const seen = await page.evaluate(
      ({ first, last }) => {
        const t = document.querySelector('.reader-text')?.textContent ?? '';
        return { length: t.length, starts: t.startsWith(first), ends: t.endsWith(last), blocks: document.querySelectorAll('.reader-text > p').length };
      },
      { first, last },
    );
    const ms = performance.now() - started;
    console.info(`5 MB single-line article shown in ${Math.round(ms)} ms (${seen.blocks} blocks)`);
    expect(seen).toEqual({ length: text.length, starts: true, ends: true, blocks: splitBlocks(text).length });
    expect(seen.blocks).toBeGreaterThan(500);
  });

  it('tags a span across the seam between two blocks of the long line', async () => {
    const text = oneLineArticle();
    const [b0, b1] = splitBlocks(text);
    expect(b0.to).toBe(b1.from);
    // A drag from the last words of the first block into the first words of the second.
    await page.evaluate(() => {
      const [p0, p1] = Array.from(document.querySelectorAll('.reader-text > p'));
      const range = document.createRange();
      range.setStart(p0.firstChild!, p0.textContent!.length - 12);
      range.setEnd(p1.firstChild!, 10);
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
    });
    await page.waitForTimeout(50);
    await page.keyboard.press('7');
    await waitSaved(page);
    const span = snapToWords(text, b0.to - 12, b1.from + 10)!;
    const want = text.slice(span.from, span.to);
    expect(want.length).toBeGreaterThan(22);
    const pieces = await page.$$eval('.reader-text .ann[data-label="EVENT"]', (els) => els.map((e) => e.textContent ?? ''));
    expect(pieces).toHaveLength(2);
    expect(pieces.join('')).toBe(want);
    await expect
      .poll(async () => {
        const raw = await fsp.readFile(path.join(folder, '.gloss', 'docs', `${documentIdFor(ONE_LINE)}.json`), 'utf8').catch(() => '{"annotations":[]}');
        return (JSON.parse(raw) as { annotations: Array<{ start: number; end: number; text: string }> }).annotations.map(({ start, end, text }) => ({ start, end, text }));
      })
      .toEqual([{ start: span.from, end: span.to, text: want }]);
  });

  it('tags a word by keyboard in one article and leaves the other articles\' store files alone', async () => {
    await openArticle(TAGGED);
    const before = await storeFiles();
    await selectText(page, WORD);
    await page.keyboard.press('3');
    await waitSaved(page);
    expect(await page.$$eval('.reader-text .ann[data-label="LOCATION"]', (els) => els.map((e) => e.textContent))).toEqual([WORD]);

    const source = expected[TAGGED].outcome === 'opens' ? (expected[TAGGED] as { text: string }).text : '';
    const start = [...source.slice(0, source.indexOf(WORD))].length;
    const own = `${documentIdFor(TAGGED)}.json`;
    await expect
      .poll(async () => {
        const raw = await fsp.readFile(path.join(folder, '.gloss', 'docs', own), 'utf8').catch(() => '{"annotations":[]}');
        return (JSON.parse(raw) as { annotations: Array<{ label: string; start: number; end: number; text: string }> }).annotations.map(
          ({ label, start, end, text }) => ({ label, start, end, text }),
        );
      })
      .toEqual([{ label: 'LOCATION', start, end: start + [...WORD].length, text: WORD }]);

    const after = await storeFiles();
    const changed = [...after.keys()].filter((name) => after.get(name) !== before.get(name));
    expect(changed).toEqual([own]);
    expect([...before.keys()].filter((name) => !after.has(name))).toEqual([]);
  });

  it('never opened a dialog, ran a fixture\'s script or raised a page error', async () => {
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });
});
