// End to end: a folder with a corrupt store file, a binary file posing as .txt, and hostile HTML in an article.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { documentIdFor } from '../../annotations/corpus/scan.ts';
import { SEEDS_DIR, launchBrowser, selectText, serve, tempCorpus, type Served, waitSaved } from './harness.ts';

const SEED = '001_0195c39c9476f768.txt';
const CORRUPT = '{"format": "gloss-document", "annotations": [';

let browser: Browser;
let served: Served;
let folder: string;

beforeAll(async () => {
  browser = await launchBrowser();
  folder = await tempCorpus({
    [SEED]: await fsp.readFile(path.join(SEEDS_DIR, SEED)),
    'image.txt': Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]),
    'notes.pdf': '%PDF-1.4',
    'sub/hostile.md':
      '# Hostile <script>window.__pwned = 1</script>\n\n<img src=x onerror="window.__pwned = 2"> [x](javascript:window.__pwned=3)\n',
    [`.gloss/docs/${documentIdFor(SEED)}.json`]: CORRUPT,
  });
  served = await serve(folder);
});

afterAll(async () => {
  await served?.stop();
  await browser?.close();
});

it('keeps a corrupt store file aside, says so, and goes on saving', async () => {
  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(served.url);
  await page.waitForSelector('.reader-text');
  const banner = await page.textContent('.banner.warning');
  expect(banner).toContain(`docs/${documentIdFor(SEED)}.json`);
  expect(banner).toContain('not valid JSON');
  const quarantined = await fsp.readdir(path.join(folder, '.gloss', 'quarantine'));
  expect(quarantined).toHaveLength(1);
  expect(await fsp.readFile(path.join(folder, '.gloss', 'quarantine', quarantined[0]), 'utf8')).toBe(CORRUPT);

  // Skipped files are listed with their reasons.
  await page.click('.skipped summary');
  const skipped = await page.textContent('.skipped');
  expect(skipped).toContain('2 files not opened');
  expect(skipped).toContain('image.txt: binary file (PNG image)');
  expect(skipped).toContain('notes.pdf: unsupported file type (.pdf)');

  // Tagging works and writes a new, valid store file.
  await page.click(`button[data-path="${SEED}"]`);
  await page.waitForSelector(`.reader-host[data-doc="${documentIdFor(SEED)}"]`);
  await selectText(page, 'Albu Kamal');
  await page.keyboard.press('3');
  await waitSaved(page);
  await expect
    .poll(async () => {
      const raw = await fsp.readFile(path.join(folder, '.gloss', 'docs', `${documentIdFor(SEED)}.json`), 'utf8');
      return (JSON.parse(raw) as { annotations: Array<{ text: string }> }).annotations.map((a) => a.text);
    })
    .toEqual(['Albu Kamal']);

  // Hostile markup in an article is shown as text and never runs.
  await page.click('button[data-path="sub/hostile.md"]');
  await page.waitForSelector(`.reader-host[data-doc="${documentIdFor('sub/hostile.md')}"]`);
  expect(await page.textContent('.reader-text h1')).toBe('# Hostile <script>window.__pwned = 1</script>');
  expect(await page.$$('.reader-text script, .reader-text img, .reader-text a')).toHaveLength(0);
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  await page.close();
});
