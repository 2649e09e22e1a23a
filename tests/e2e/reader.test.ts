// End to end: `gloss serve` on a copy of the seeds, driven in real Chromium by keyboard and mouse.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { documentIdFor } from '../../annotations/corpus/scan.ts';
import { launchBrowser, openApp, PROJECT_ROOT, selectText, serve, type Served, tempCorpus, waitSaved } from './harness.ts';

const DOC = '000_e55e6185f7ffecdf.txt';

let browser: Browser;
let folder: string;
let served: Served;
/** Uncaught errors in any page; the last test asserts there were none. */
const pageErrors: string[] = [];

interface StoredAnnotation {
  id: string;
  label: string;
  start: number;
  end: number;
  text: string;
  author: string;
  created: string;
  modified: string;
}

async function stored(doc = DOC): Promise<StoredAnnotation[]> {
  const file = path.join(folder, '.gloss', 'docs', `${documentIdFor(doc)}.json`);
  const raw = await fsp.readFile(file, 'utf8').catch(() => null);
  if (raw === null) return [];
  const data = JSON.parse(raw);
  expect(data.format).toBe('gloss-document');
  expect(data.offsetUnit).toBe('codepoint');
  return data.annotations;
}

async function openDoc(page: Page, doc = DOC): Promise<void> {
  await page.click(`button[data-path="${doc}"]`);
  await page.waitForSelector(`.reader-host[data-doc="${documentIdFor(doc)}"] .reader-text`);
}

async function highlights(page: Page, label?: string): Promise<string[]> {
  const sel = label ? `.reader-text .ann[data-label="${label}"]` : '.reader-text .ann';
  return page.$$eval(sel, (els) => els.map((e) => e.textContent ?? ''));
}

const newPage = (): Promise<Page> => openApp(browser, served.url, pageErrors, { width: 1360, height: 860 });

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await served?.stop();
  await browser?.close();
});

describe('tagging an article in the browser shell', () => {
  beforeAll(async () => {
    folder = await tempCorpus();
    served = await serve(folder);
  });

  it('prints the URL first and refuses API calls without the token', async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{20,}$/);
    const anon = await fetch(`${served.origin}/api/workspace:get`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(anon.status).toBe(401);
    const ok = await fetch(`${served.origin}/api/workspace:get`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': served.token },
      body: '{}',
    });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { value: { documents: Array<{ path: string }> } };
    expect(body.value.documents.map((d) => d.path)).toEqual([
      '000_e55e6185f7ffecdf.txt',
      '001_0195c39c9476f768.txt',
      '002_3307c211e658c20c.txt',
      '003_8798c921b24b83f5.txt',
      '004_507c155912e6639c.txt',
    ]);
  });

  it('selects "Baghouz", presses 3, and the LOCATION survives a reload and a restart', async () => {
    const page = await newPage();
    await openDoc(page);
    await selectText(page, 'Baghouz');
    await page.keyboard.press('3');
    await waitSaved(page);
    expect(await highlights(page, 'LOCATION')).toEqual(['Baghouz']);

    const text = await fsp.readFile(path.join(folder, DOC), 'utf8');
    const start = text.indexOf('Baghouz');
    await expect.poll(stored).toEqual([
      expect.objectContaining({ label: 'LOCATION', text: 'Baghouz', start, end: start + 'Baghouz'.length }),
    ]);
    const [saved] = await stored();
    expect(saved.author).not.toBe('');
    expect(Date.parse(saved.created)).not.toBeNaN();

    await page.reload();
    await openDoc(page);
    expect(await highlights(page, 'LOCATION')).toEqual(['Baghouz']);
    // The document list counts it.
    expect(await page.textContent(`button[data-path="${DOC}"] .count`)).toBe('1');

    if (process.env.GLOSS_UPDATE_DOCS !== '1') await page.close();
    // Close the app and open it again on the same folder.
    await served.stop();
    served = await serve(folder, served.home);
    const again = await newPage();
    await openDoc(again);
    expect(await highlights(again, 'LOCATION')).toEqual(['Baghouz']);
    await again.close();
  });

  it('undoes and redoes with Ctrl+Z and Ctrl+Shift+Z, saving each step', async () => {
    const page = await newPage();
    await openDoc(page);
    await selectText(page, 'Mustafa Bali');
    await page.keyboard.press('1');
    await waitSaved(page);
    expect(await highlights(page, 'PERSON')).toEqual(['Mustafa Bali']);
    await expect.poll(async () => (await stored()).map((a) => a.text)).toContain('Mustafa Bali');

    await page.keyboard.press('Control+z');
    await waitSaved(page);
    expect(await highlights(page, 'PERSON')).toEqual([]);
    await expect.poll(async () => (await stored()).map((a) => a.text)).not.toContain('Mustafa Bali');

    await page.keyboard.press('Control+Shift+z');
    await waitSaved(page);
    expect(await highlights(page, 'PERSON')).toEqual(['Mustafa Bali']);
    await expect.poll(async () => (await stored()).map((a) => a.text)).toContain('Mustafa Bali');
    await page.close();
  });

  it('clicking a highlight selects it; Delete removes it, and undo brings it back', async () => {
    const page = await newPage();
    await openDoc(page);
    await page.click('.reader-text .ann[data-label="PERSON"]');
    await page.waitForSelector('.reader-text .ann.is-selected[data-label="PERSON"]');
    expect(await page.textContent('[data-testid=selected-annotation]')).toContain('Mustafa Bali');
    await page.keyboard.press('Delete');
    await waitSaved(page);
    expect(await highlights(page, 'PERSON')).toEqual([]);
    await expect.poll(async () => (await stored()).map((a) => a.label)).toEqual(['LOCATION']);

    await page.keyboard.press('Control+z');
    await waitSaved(page);
    expect(await highlights(page, 'PERSON')).toEqual(['Mustafa Bali']);
    await expect.poll(async () => (await stored()).map((a) => a.label).sort()).toEqual(['LOCATION', 'PERSON']);
    await page.close();
  });

  it('shows nested and crossing spans, and stores them all', async () => {
    const page = await newPage();
    await openDoc(page);
    // Nested: "Syrian" (LOCATION) inside "US-backed Syrian forces" (ORG).
    await selectText(page, 'US-backed Syrian forces');
    await page.keyboard.press('2');
    await selectText(page, 'Syrian');
    await page.keyboard.press('3');
    // Crossing: "Syrian Democratic Forces" (ORG) and "Forces surrounded ISIS" (EVENT) share "Forces".
    await selectText(page, 'Syrian Democratic Forces');
    await page.keyboard.press('2');
    await selectText(page, 'Forces surrounded ISIS');
    await page.keyboard.press('7');
    await waitSaved(page);

    const nested = await page.$$eval('.reader-text .ann[data-label="ORG"] .ann[data-label="LOCATION"]', (els) =>
      els.map((e) => e.textContent),
    );
    expect(nested).toEqual(['Syrian']);
    // Each span is reassembled from its pieces: every character inside both spans shows both.
    const byId = await page.$$eval('.reader-text .ann', (els) => {
      const m: Record<string, string> = {};
      for (const e of els) m[e.getAttribute('data-ann')!] = (m[e.getAttribute('data-ann')!] ?? '') + e.textContent;
      return Object.values(m).sort();
    });
    expect(byId).toEqual(
      expect.arrayContaining(['Forces surrounded ISIS', 'Syrian', 'Syrian Democratic Forces', 'US-backed Syrian forces']),
    );
    await expect
      .poll(async () => (await stored()).map((a) => `${a.label}:${a.text}`).sort())
      .toEqual(
        expect.arrayContaining([
          'EVENT:Forces surrounded ISIS',
          'LOCATION:Syrian',
          'ORG:Syrian Democratic Forces',
          'ORG:US-backed Syrian forces',
        ]),
      );

    // Clicking an entry in the side panel selects the annotation.
    await page.click('.ann-item:has-text("Syrian Democratic Forces")');
    await page.waitForSelector('.reader-text .ann.is-selected[data-label="ORG"]');

    if (process.env.GLOSS_UPDATE_DOCS === '1') {
      await page.screenshot({ path: path.join(PROJECT_ROOT, 'docs', 'reader.png') });
    }
    await page.close();
  });

  it('snaps a sloppy selection to whole words', async () => {
    const page = await newPage();
    await openDoc(page);
    await selectText(page, 'ivilians handing themselves in were taken to camps away from the frontl');
    await page.keyboard.press('7');
    await waitSaved(page);
    expect(await highlights(page, 'EVENT')).toContain('Civilians handing themselves in were taken to camps away from the frontlines');
    await page.close();
  });

  it('marks an article done, shows the corpus progress, and keeps it after a reload', async () => {
    const page = await newPage();
    await openDoc(page);
    expect(await page.textContent('[data-testid=progress]')).toContain('0 of 5 done');
    await page.selectOption('[data-testid=doc-status]', 'done');
    await page.waitForSelector(`button[data-path="${DOC}"] .status-done`);
    expect(await page.textContent('[data-testid=progress]')).toContain('1 of 5 done');
    await page.reload();
    await openDoc(page);
    expect(await page.inputValue('[data-testid=doc-status]')).toBe('done');
    expect(await page.textContent('[data-testid=progress]')).toContain('1 of 5 done');
    await page.close();
  });

  it('raised no uncaught error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
