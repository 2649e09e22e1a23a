// End to end: suggestions in the reader. S runs the engines in a worker; suggestions are dashed; Tab moves
// through them, Enter/Space accepts, X rejects; accept-all per label; a rejected one never comes back and
// re-running never duplicates; the store keeps provenance. All by keyboard, in real Chromium.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { documentIdFor } from '../../annotations/corpus/scan.ts';
import { PROJECT_ROOT, launchBrowser, openApp, serve, tempCorpus, type Served, waitSaved } from './harness.ts';

const DOC = '001_0195c39c9476f768.txt';

let browser: Browser;
let served: Served;
const pageErrors: string[] = [];

interface Stored {
  annotations: Array<{ id: string; label: string; start: number; end: number; text: string; pending?: boolean; source?: string; score?: number; attrs?: Record<string, unknown> }>;
  rejected?: Array<{ label: string; start: number; end: number; text: string }>;
}

async function stored(): Promise<Stored> {
  return JSON.parse(await fsp.readFile(path.join(served.folder, '.gloss', 'docs', `${documentIdFor(DOC)}.json`), 'utf8'));
}

const selectedId = (page: Page) => page.$eval('.reader-text .ann.is-selected', (el) => el.getAttribute('data-ann')!);

beforeAll(async () => {
  browser = await launchBrowser();
  served = await serve(await tempCorpus());
});

afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

describe('suggestions', () => {
  it('proposes, accepts and rejects by keyboard; never duplicates; keeps provenance', async () => {
    const page = await openApp(browser, served.url, pageErrors);
    await page.click(`button[data-path="${DOC}"]`);
    await page.waitForSelector(`.reader-host[data-doc="${documentIdFor(DOC)}"] .reader-text`);
    await page.focus('.reader-text');

    await page.keyboard.press('s');
    await page.waitForSelector('.reader-text .ann.is-pending');
    await waitSaved(page);
    const first = await stored();
    const pending = first.annotations.filter((a) => a.pending);
    expect(pending.length).toBeGreaterThan(10);
    // Dates carry a normalised value against the article's date (2017-08-30), with provenance.
    const date = pending.find((a) => a.text === '30 August, 2017');
    expect(date).toMatchObject({ label: 'DATE', attrs: { value: '2017-08-30' } });
    expect(date!.source).toMatch(/^suggest:dates@\d+$/);
    expect(date!.score).toBeGreaterThan(0);
    // Names link to corpus entities (made from the bundled dictionaries when the corpus had none).
    const linked = pending.filter((a) => a.label === 'ORG' && typeof a.attrs?.entity === 'string');
    expect(linked.length).toBeGreaterThan(0);
    const entities = await page.evaluate(async () => {
      const token = new URLSearchParams(location.hash.slice(1)).get('token')!;
      const res = await fetch('/api/entities:list', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': token }, body: '{}' });
      return ((await res.json()) as { value: Array<{ id: string }> }).value.map((e) => e.id);
    });
    for (const a of linked) expect(entities).toContain(a.attrs!.entity);
    const labels = new Set(pending.map((a) => a.label));
    for (const l of ['DATE', 'CASUALTIES', 'ORG', 'LOCATION']) expect(labels).toContain(l);
    expect(await page.$$eval('.reader-text .ann.is-pending', (els) => getComputedStyle(els[0]).outlineStyle)).toBe('dashed');
    if (process.env.GLOSS_UPDATE_DOCS) await page.screenshot({ path: path.join(PROJECT_ROOT, 'docs', 'suggestions.png') });

    // The first suggestion is selected: Enter accepts it and moves on; X rejects the next; Space accepts.
    const a1 = await selectedId(page);
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.querySelector('.reader-text .ann.is-selected')?.getAttribute('data-ann') !== id, a1);
    const a2 = await selectedId(page);
    await page.keyboard.press('x');
    await page.waitForFunction((id) => !document.querySelector(`.reader-text .ann[data-ann="${id}"]`), a2);
    await page.keyboard.press('Tab');
    const a3 = await selectedId(page);
    await page.keyboard.press(' ');
    await waitSaved(page);
    let now = await stored();
    const byId = new Map(now.annotations.map((a) => [a.id, a]));
    expect(byId.get(a1)!.pending).toBeUndefined();
    expect(byId.get(a1)!.source).toMatch(/^suggest:/);
    expect(byId.has(a2)).toBe(false);
    const rejected = first.annotations.find((a) => a.id === a2)!;
    expect(now.rejected).toContainEqual({ label: rejected.label, start: rejected.start, end: rejected.end, text: rejected.text });
    expect(byId.get(a3)!.pending).toBeUndefined();

    // Undo takes back the last acceptance; redo does it again.
    await page.keyboard.press('Control+z');
    await waitSaved(page);
    expect((await stored()).annotations.find((a) => a.id === a3)!.pending).toBe(true);
    await page.keyboard.press('Control+Shift+z');
    await waitSaved(page);
    expect((await stored()).annotations.find((a) => a.id === a3)!.pending).toBeUndefined();

    // Accept all DATE suggestions at once.
    const dates = (await stored()).annotations.filter((a) => a.label === 'DATE' && a.pending).length;
    expect(dates).toBeGreaterThan(0);
    await page.click('[data-testid=accept-all-DATE]');
    await page.waitForSelector('[data-suggested=DATE]', { state: 'detached' });
    await waitSaved(page);
    now = await stored();
    expect(now.annotations.filter((a) => a.label === 'DATE' && a.pending)).toHaveLength(0);

    // Running again proposes nothing already there, and not the rejected one.
    const count = now.annotations.length;
    await page.focus('.reader-text');
    await page.keyboard.press('s');
    await page.waitForSelector('[data-testid=notice]:has-text("No new suggestions")');
    now = await stored();
    expect(now.annotations).toHaveLength(count);
    expect(now.annotations.some((a) => a.label === rejected.label && a.start === rejected.start && a.end === rejected.end)).toBe(false);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
