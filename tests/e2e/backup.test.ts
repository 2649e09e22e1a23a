// End to end: a store file damaged between sessions is quarantined, and the UI restores the newest good backup.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { documentIdFor } from '../../annotations/corpus/scan.ts';
import { createBackup, listBackups } from '../../annotations/store/backup.ts';
import { launchBrowser, selectText, serve, tempCorpus, type Served, waitSaved } from './harness.ts';

const DOC = '000_e55e6185f7ffecdf.txt';
let browser: Browser;
let served: Served | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await served?.stop();
  await browser?.close();
});

it('offers the newest good backup of a damaged store file and restores it', async () => {
  const folder = await tempCorpus();
  served = await serve(folder);
  let page = await browser.newPage();
  await page.goto(served.url);
  await page.click(`button[data-path="${DOC}"]`);
  await page.waitForSelector(`.reader-host[data-doc="${documentIdFor(DOC)}"]`);
  await selectText(page, 'Mustafa Bali');
  await page.keyboard.press('1');
  await waitSaved(page);
  await page.close();
  await served.stop();

  // A backup holds the good file (Gloss made one after the change, or this makes it); then the file is
  // damaged while Gloss is closed.
  const storeDir = path.join(folder, '.gloss');
  await createBackup(storeDir, { now: new Date(), keep: 20 });
  const [newest] = await listBackups(storeDir);
  expect(newest.manifest.files.map((f) => f.path)).toContain(`docs/${documentIdFor(DOC)}.json`);
  const docFile = path.join(storeDir, 'docs', `${documentIdFor(DOC)}.json`);
  await fsp.writeFile(docFile, '{"format": "gloss-document", "annot');

  served = await serve(folder, served.home);
  page = await browser.newPage();
  await page.goto(served.url);
  await page.waitForSelector('.banner.warning');
  expect(await page.textContent('.banner.warning')).toContain(`docs/${documentIdFor(DOC)}.json`);
  await page.click('[data-testid=restore-backup]');
  await page.waitForSelector('.banner.warning', { state: 'detached' });
  await page.click(`button[data-path="${DOC}"]`);
  await page.waitForSelector(`.reader-host[data-doc="${documentIdFor(DOC)}"] .ann[data-label="PERSON"]`);
  expect(await page.$$eval('.reader-text .ann', (els) => els.map((e) => e.textContent))).toEqual(['Mustafa Bali']);
  const restored = JSON.parse(await fsp.readFile(docFile, 'utf8')) as { annotations: Array<{ text: string }> };
  expect(restored.annotations.map((a) => a.text)).toEqual(['Mustafa Bali']);
  // The damaged copy is kept in quarantine.
  const quarantined = await fsp.readdir(path.join(storeDir, 'quarantine'));
  expect(quarantined.some((f) => f.startsWith(`${documentIdFor(DOC)}.json`))).toBe(true);
  await page.close();
});
