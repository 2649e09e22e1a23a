// End to end: export from the browser shell's dialog, with progress and a summary, and check the files.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { documentIdFor } from '../../annotations/corpus/scan.ts';
import { launchBrowser, selectText, serve, tempCorpus, type Served, waitSaved } from './harness.ts';

const DOC = '000_e55e6185f7ffecdf.txt';
let browser: Browser;
let served: Served;
let folder: string;

beforeAll(async () => {
  browser = await launchBrowser();
  folder = await tempCorpus();
  served = await serve(folder);
});

afterAll(async () => {
  await served?.stop();
  await browser?.close();
});

it('exports the tagged corpus as brat from the dialog and shows where it went', async () => {
  const page = await browser.newPage();
  await page.goto(served.url);
  await page.click(`button[data-path="${DOC}"]`);
  await page.waitForSelector(`.reader-host[data-doc="${documentIdFor(DOC)}"]`);
  await selectText(page, 'Baghouz');
  await page.keyboard.press('3');
  await waitSaved(page);

  await page.click('[data-testid=open-export]');
  await page.waitForSelector('[data-testid=export-dialog] [data-testid=format] option[value=brat]', { state: 'attached' });
  await page.selectOption('[data-testid=format]', 'brat');
  await page.click('[data-testid=export-dialog] button[type=submit]');
  await page.waitForSelector('[data-testid=summary]');
  const summary = await page.textContent('[data-testid=summary]');
  expect(summary).toContain('Exported 1 annotations from 5 documents');
  const location = await page.textContent('[data-testid=summary] code');
  expect(location).toContain(path.join('.gloss', 'exports'));

  const ann = await fsp.readFile(path.join(location!, DOC.replace(/\.txt$/, '.ann')), 'utf8');
  const text = await fsp.readFile(path.join(location!, DOC), 'utf8');
  const [, span, quoted] = ann.split('\n')[0].split('\t');
  const [label, start, end] = span.split(' ');
  expect(label).toBe('LOCATION');
  expect(quoted).toBe('Baghouz');
  expect(Array.from(text).slice(Number(start), Number(end)).join('')).toBe('Baghouz');
  await page.click('[data-testid=close-summary]');
  await page.waitForSelector('[data-testid=export-dialog]', { state: 'detached' });
  await page.close();
});

it('explains that the browser shell imports from the command line', async () => {
  const page = await browser.newPage();
  await page.goto(served.url);
  await page.click('[data-testid=open-import]');
  await page.waitForSelector('[data-testid=import-dialog]');
  expect(await page.textContent('[data-testid=import-dialog]')).toContain('npx gloss import');
  expect(await page.isDisabled('[data-testid=import-dialog] button[type=submit]')).toBe(true);
  await page.close();
});
