// End to end: files that appear, change, are renamed or deleted while the app is open show up without a restart.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { documentIdFor } from '../../annotations/corpus/scan.ts';
import { launchBrowser, selectText, serve, tempCorpus, type Served, waitSaved } from './harness.ts';

let browser: Browser;
let served: Served;
let folder: string;
let page: Page;

const listed = (p: Page) => p.$$eval('.doclist button.doc', (els) => els.map((e) => e.getAttribute('data-path')));

beforeAll(async () => {
  browser = await launchBrowser();
  folder = await tempCorpus({
    'a.txt': 'Report A\n\nFighting near Baghouz on Monday.\n',
    'b.txt': 'Report B\n\nShelling in Hajin.\n',
  });
  served = await serve(folder);
  page = await browser.newPage();
  await page.goto(served.url);
  await page.waitForSelector('.reader-text');
});

afterAll(async () => {
  await served?.stop();
  await browser?.close();
});

it('lists a new article without a restart', async () => {
  await fsp.writeFile(path.join(folder, 'c.txt'), 'Report C\n\nClashes in Deir ez-Zor.\n');
  await expect.poll(() => listed(page), { timeout: 10_000 }).toEqual(['a.txt', 'b.txt', 'c.txt']);
});

it('drops a deleted article from the list', async () => {
  await fsp.rm(path.join(folder, 'c.txt'));
  await expect.poll(() => listed(page), { timeout: 10_000 }).toEqual(['a.txt', 'b.txt']);
});

it('re-reads the open article when its file changes', async () => {
  await page.click('button[data-path="a.txt"]');
  await page.waitForSelector(`.reader-host[data-doc="${documentIdFor('a.txt')}"]`);
  await selectText(page, 'Baghouz');
  await page.keyboard.press('3');
  await waitSaved(page);
  await fsp.writeFile(path.join(folder, 'a.txt'), 'Report A\n\nHeavy fighting near Baghouz on Monday night.\n');
  await expect.poll(() => page.textContent('.reader-text'), { timeout: 10_000 }).toContain('Heavy fighting near Baghouz');
  // The highlight followed its word to the new offsets, and the panel says so.
  expect(await page.$$eval('.reader-text .ann', (els) => els.map((e) => e.textContent))).toEqual(['Baghouz']);
  expect(await page.textContent('[data-testid=reanchored]')).toContain('1 annotation was moved');
});

it('keeps the annotations of a renamed article', async () => {
  await fsp.rename(path.join(folder, 'b.txt'), path.join(folder, 'b-renamed.txt'));
  await expect.poll(() => listed(page), { timeout: 10_000 }).toEqual(['a.txt', 'b-renamed.txt']);
  // Tag in the renamed file, rename it back, and the annotation follows the text.
  await page.click('button[data-path="b-renamed.txt"]');
  await page.waitForSelector(`.reader-host[data-doc="${documentIdFor('b-renamed.txt')}"]`);
  await selectText(page, 'Hajin');
  await page.keyboard.press('3');
  await waitSaved(page);
  await fsp.rename(path.join(folder, 'b-renamed.txt'), path.join(folder, 'b.txt'));
  await expect.poll(() => listed(page), { timeout: 10_000 }).toEqual(['a.txt', 'b.txt']);
  await page.click('button[data-path="b.txt"]');
  await page.waitForSelector(`.reader-host[data-doc="${documentIdFor('b.txt')}"]`);
  expect(await page.$$eval('.reader-text .ann', (els) => els.map((e) => e.textContent))).toEqual(['Hajin']);
  expect(await page.textContent('button[data-path="b.txt"] .count')).toBe('1');
});
