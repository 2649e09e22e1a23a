// End to end: coding an event by keyboard (find, tag, edit values, link), attribute validation, and the
// events table (live, sortable, filterable, opening the article at its event), in real Chromium.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { documentIdFor } from '../../annotations/corpus/scan.ts';
import { launchBrowser, openApp, PROJECT_ROOT, serve, type Served, tempCorpus, waitSaved } from './harness.ts';

const DOC = '003_8798c921b24b83f5.txt';
const DOCS_DIR = path.join(PROJECT_ROOT, 'docs');

let browser: Browser;
let served: Served;
const pageErrors: string[] = [];

interface Stored {
  annotations: Array<{ id: string; label: string; text: string; attrs?: Record<string, unknown> }>;
  relations?: Array<{ id: string; type: string; from: string; to: string }>;
}

async function stored(): Promise<Stored> {
  return JSON.parse(await fsp.readFile(path.join(served.folder, '.gloss', 'docs', `${documentIdFor(DOC)}.json`), 'utf8'));
}

const newPage = (): Promise<Page> => openApp(browser, served.url, pageErrors);

/** Find `text` with the find bar and go back to the text with it selected, all by keyboard. */
async function find(page: Page, text: string): Promise<void> {
  await page.keyboard.press('/');
  await page.waitForSelector('[data-testid=find]');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=find]', { state: 'detached' });
}

/** Find `text` and tag it with the label on `key`; the new annotation is selected. */
async function tag(page: Page, text: string, key: string, label: string): Promise<void> {
  await find(page, text);
  await page.keyboard.press(key);
  await page.waitForFunction(
    ([t, l]) => {
      const card = document.querySelector('[data-testid=selected-annotation]');
      return !!card && card.textContent!.includes(t) && card.textContent!.includes(l);
    },
    [text, label],
  );
}

/** Focus the editor (E), then run `fill` on its fields; Esc goes back to the text. */
async function edit(page: Page, fill: () => Promise<void>): Promise<void> {
  await page.keyboard.press('e');
  await page.waitForFunction(() => document.activeElement?.closest('[data-testid=selected-annotation]'));
  await fill();
  await page.keyboard.press('Escape');
}

/** Press R and link to the nearest candidate with Enter; checks the banner named the expected type. */
async function link(page: Page, type: string, targetText: string): Promise<void> {
  await page.keyboard.press('r');
  const banner = await page.waitForSelector('[data-testid=link-banner]');
  const text = await banner.textContent();
  expect(text).toContain(targetText);
  expect(text).toContain(type);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=link-banner]', { state: 'detached' });
  await page.waitForSelector(`[data-testid=relations] [data-relation="${type}"]`);
}

beforeAll(async () => {
  browser = await launchBrowser();
  served = await serve(await tempCorpus());
});

afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

describe('structured annotation', () => {
  it('codes the strike in 003 as one event with its relations, by keyboard, and shows it in the events table', async () => {
    const page = await newPage();
    await page.click(`button[data-path="${DOC}"]`);
    await page.waitForSelector(`.reader-host[data-doc="${documentIdFor(DOC)}"] .reader-text`);
    await page.focus('.reader-text');

    await tag(page, 'The US-led coalition', '2', 'ORG');
    await tag(page, 'Syrian desert', '3', 'LOCATION');
    await tag(page, 'August 29', '4', 'DATE');
    await edit(page, async () => {
      // The first field is the value.
      await page.keyboard.type('2017-08-29');
    });
    await tag(page, 'dozens of militants', '5', 'CASUALTIES');
    await edit(page, async () => {
      // low, high: empty ("dozens"); approx: Space; group: fighters; outcome: killed.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Tab');
      await page.keyboard.press('ArrowDown');
    });
    await tag(page, 'killed dozens of militants', '7', 'EVENT');
    await edit(page, async () => {
      await page.keyboard.press('ArrowDown'); // type: airstrike
    });
    // Nearest unlinked candidate first: the casualties inside the event, the coalition, the desert, the date.
    await link(page, 'victims', 'dozens of militants');
    await link(page, 'actor', 'The US-led coalition');
    await link(page, 'place', 'Syrian desert');
    await link(page, 'time', 'August 29');
    await waitSaved(page);

    // The related annotations are outlined in the text while the event is selected.
    expect(await page.$$eval('.reader-text .ann.is-related', (els) => new Set(els.map((e) => e.getAttribute('data-label'))).size)).toBe(4);
    // The casualty figure (next in text order) with its values, for the documentation.
    await page.keyboard.press(']');
    await page.waitForSelector('[data-testid=selected-annotation] [data-attr=low]');
    if (process.env.GLOSS_UPDATE_DOCS) await page.screenshot({ path: path.join(DOCS_DIR, 'attribute-editor.png') });
    await page.keyboard.press('[');

    const doc = await stored();
    const byText = new Map(doc.annotations.map((a) => [a.text, a]));
    const event = byText.get('killed dozens of militants')!;
    expect(event.label).toBe('EVENT');
    expect(event.attrs).toEqual({ type: 'airstrike' });
    expect(byText.get('August 29')!.attrs).toEqual({ value: '2017-08-29' });
    expect(byText.get('dozens of militants')!.attrs).toEqual({ approx: true, group: 'fighters', outcome: 'killed' });
    const rels = (doc.relations ?? []).map((r) => [r.type, doc.annotations.find((a) => a.id === r.from)!.text, doc.annotations.find((a) => a.id === r.to)!.text]);
    expect(rels.sort()).toEqual(
      [
        ['actor', 'killed dozens of militants', 'The US-led coalition'],
        ['place', 'killed dozens of militants', 'Syrian desert'],
        ['time', 'killed dozens of militants', 'August 29'],
        ['victims', 'killed dozens of militants', 'dozens of militants'],
      ].sort(),
    );

    // The events table.
    await page.click('[data-view=events]');
    const row = await page.waitForSelector(`[data-testid=events-table] tr[data-event="${event.id}"]`);
    const cell = async (col: string) => (await row.$eval(`td[data-col=${col}]`, (td) => td.textContent ?? '')).trim();
    expect(await cell('date')).toBe('2017-08-29');
    expect(await cell('type')).toBe('airstrike');
    expect(await cell('actors')).toBe('The US-led coalition');
    expect(await cell('place')).toBe('Syrian desert');
    expect(await cell('victims')).toBe('dozens of militants (? fighters killed, approx.)');
    expect(await cell('quote')).toContain('The US-led coalition has killed dozens of militants');
    if (process.env.GLOSS_UPDATE_DOCS) await page.screenshot({ path: path.join(DOCS_DIR, 'events-table.png') });

    // Rows update live: a second window changes the date; this table follows without being touched.
    const other = await newPage();
    await other.click(`button[data-path="${DOC}"]`);
    await other.waitForSelector(`.reader-host[data-doc="${documentIdFor(DOC)}"] .reader-text`);
    await other.click(`[data-ann-item="${byText.get('August 29')!.id}"]`);
    await other.fill('[data-attr=value]', '2017-08-30');
    await other.press('[data-attr=value]', 'Enter');
    await waitSaved(other);
    await page.waitForFunction(
      (id) => document.querySelector(`tr[data-event="${id}"] td[data-col=date]`)?.textContent?.trim() === '2017-08-30',
      event.id,
    );
    await other.close();

    // Filtering hides rows that do not match; clicking a row opens the article at its event.
    await page.fill('[data-testid=events-filter]', 'no-such-actor');
    expect(await page.$$('[data-testid=events-table] tbody tr')).toHaveLength(0);
    await page.fill('[data-testid=events-filter]', 'coalition desert');
    await page.click(`tr[data-event="${event.id}"]`);
    await page.waitForSelector(`.reader-text .ann.is-selected[data-ann="${event.id}"]`);
    expect(await page.isVisible('.reader-text')).toBe(true);

    // Undo takes back the last link (time), redo puts it back.
    await page.focus('.reader-text');
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => !document.querySelector('[data-testid=relations] [data-relation="time"]'));
    await waitSaved(page);
    expect((await stored()).relations!.map((r) => r.type).sort()).toEqual(['actor', 'place', 'victims']);
    await page.keyboard.press('Control+Shift+z');
    await page.waitForSelector('[data-testid=relations] [data-relation="time"]');
    await waitSaved(page);
    expect((await stored()).relations).toHaveLength(4);
    await page.close();
  });

  it('refuses attribute values that do not fit the schema, with a message, and stores none of them', async () => {
    const page = await newPage();
    await page.click(`button[data-path="${DOC}"]`);
    await page.waitForSelector('.reader-text');
    await page.focus('.reader-text');
    await tag(page, 'about 85 IS fighters', '5', 'CASUALTIES');
    await waitSaved(page);
    await edit(page, async () => {
      await page.keyboard.type('85');
      await page.keyboard.press('Tab');
      await page.keyboard.type('80');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid=attr-error]');
      expect(await page.textContent('[data-testid=attr-error]')).toContain('low (85) is greater than high (80)');
    });
    await waitSaved(page);
    // low alone was valid and saved when the field was left; the refused pair never reached the store.
    let a = (await stored()).annotations.find((x) => x.text === 'about 85 IS fighters')!;
    expect(a.attrs).toEqual({ low: 85 });

    // Fixed: both stored; the values show on hover.
    await page.fill('[data-attr=high]', '85');
    await page.press('[data-attr=high]', 'Enter');
    await page.waitForSelector('[data-testid=attr-error]', { state: 'detached' });
    await waitSaved(page);
    a = (await stored()).annotations.find((x) => x.text === 'about 85 IS fighters')!;
    expect(a.attrs).toEqual({ low: 85, high: 85 });
    const title = await page.getAttribute(`.reader-text .ann[data-ann="${a.id}"]`, 'title');
    expect(title).toContain('low: 85');

    // Relations by drag: the casualty figure dragged from the list onto an EVENT highlight links them.
    await page.focus('.reader-text');
    await tag(page, 'picked off', '7', 'EVENT');
    await waitSaved(page);
    const pickedOff = (await stored()).annotations.find((x) => x.text === 'picked off')!;
    await page.dragAndDrop(`[data-ann-item="${a.id}"]`, `.reader-text .ann[data-ann="${pickedOff.id}"]`);
    await page.waitForSelector('[data-testid=relations] [data-relation="victims"]');
    await waitSaved(page);
    expect((await stored()).relations).toContainEqual(expect.objectContaining({ type: 'victims', from: pickedOff.id, to: a.id }));
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
