// End to end: linking mentions to entities, merging "IS", "Islamic State" and "ISIS" in the entities view
// (and undoing it), tagging all occurrences across the corpus, and renaming a label in the schema view.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { documentIdFor } from '../../annotations/corpus/scan.ts';
import { launchBrowser, openApp, PROJECT_ROOT, serve, type Served, tempCorpus, waitSaved } from './harness.ts';

const DOCS = ['001_0195c39c9476f768.txt', '003_8798c921b24b83f5.txt'];
const NAMES: Record<string, string> = { IS: 'e:is', 'Islamic State': 'e:islamic-state', ISIS: 'e:isis' };

let browser: Browser;
let served: Served;
const pageErrors: string[] = [];

async function call<T>(channel: string, input: unknown): Promise<T> {
  const res = await fetch(`${served.origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': served.token },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${channel}: ${body.error?.message}`);
  return body.value;
}

interface StoredAnnotation {
  id: string;
  label: string;
  text: string;
  attrs?: Record<string, unknown>;
}

async function stored(doc: string): Promise<StoredAnnotation[]> {
  const raw = await fsp.readFile(path.join(served.folder, '.gloss', 'docs', `${documentIdFor(doc)}.json`), 'utf8').catch(() => null);
  return raw ? JSON.parse(raw).annotations : [];
}

const newPage = (): Promise<Page> => openApp(browser, served.url, pageErrors);

/** Whole-word, case-sensitive occurrences of `name` in a text (BMP only: UTF-16 offsets are code points). */
function occurrences(text: string, name: string): number[] {
  const out: number[] = [];
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${name}(?![\\p{L}\\p{N}])`, 'gu');
  for (const m of text.matchAll(re)) out.push(m.index!);
  return out;
}

let mentionCount = 0;

beforeAll(async () => {
  browser = await launchBrowser();
  served = await serve(await tempCorpus());
  await call('entities:apply', {
    batch: { upsert: Object.entries(NAMES).map(([name, id]) => ({ id, name, type: 'ORG', aliases: [] })), remove: [], relink: [] },
  });
  // Every mention of each name in two articles, linked to its own entity (before anyone merged them).
  const items = [];
  for (const doc of DOCS) {
    const text = (await fsp.readFile(path.join(served.folder, doc), 'utf8')).replace(/\r\n?/g, '\n');
    for (const [name, entity] of Object.entries(NAMES)) {
      for (const at of occurrences(text, name)) {
        items.push({ docId: documentIdFor(doc), annotation: { id: `m${items.length}`, label: 'ORG', start: at, end: at + name.length, attrs: { entity } } });
      }
    }
  }
  mentionCount = items.length;
  await call('annotations:createMany', { items });
});

afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

describe('entities', () => {
  it('merges IS, Islamic State and ISIS into one entity with all their mentions, and undoes it', async () => {
    const page = await newPage();
    await page.click('[data-view=entities]');
    await page.waitForSelector('[data-testid=entities-table] tr[data-entity="ISIS"]');
    const mentionsOf = (name: string) => page.textContent(`tr[data-entity="${name}"] td[data-col=mentions]`);
    const before = Number(await mentionsOf('IS')) + Number(await mentionsOf('Islamic State')) + Number(await mentionsOf('ISIS'));
    expect(before).toBe(mentionCount);
    expect(Number(await mentionsOf('ISIS'))).toBeGreaterThan(0);

    for (const name of Object.keys(NAMES)) await page.check(`[aria-label="Select ${name}"]`);
    await page.selectOption('[data-testid=merge-into]', NAMES['Islamic State']);
    await page.click('[data-testid=merge]');
    await page.waitForSelector('tr[data-entity="ISIS"]', { state: 'detached' });
    expect(await page.$$('[data-testid=entities-table] tbody tr')).toHaveLength(1);
    expect(Number(await mentionsOf('Islamic State'))).toBe(mentionCount);
    expect(await page.textContent('tr[data-entity="Islamic State"] .aliases')).toMatch(/IS.*ISIS|ISIS.*IS/);
    for (const doc of DOCS) {
      for (const a of await stored(doc)) expect(a.attrs?.entity).toBe(NAMES['Islamic State']);
    }
    if (process.env.GLOSS_UPDATE_DOCS) {
      await page.click('tr[data-entity="Islamic State"] button.linkish');
      await page.waitForSelector('[data-testid=entity-detail] .mentions li');
      await page.screenshot({ path: path.join(PROJECT_ROOT, 'docs', 'entities.png') });
    }

    await page.click('[data-testid=entities-undo]');
    await page.waitForSelector('tr[data-entity="ISIS"]');
    expect(await page.$$('[data-testid=entities-table] tbody tr')).toHaveLength(3);
    const links = (await Promise.all(DOCS.map(stored))).flat().map((a) => `${a.text}=${String(a.attrs?.entity)}`);
    expect(new Set(links)).toEqual(new Set(Object.entries(NAMES).map(([n, id]) => `${n}=${id}`)));
    await page.close();
  });

  it('links a new mention to a new entity from the editor, then tags every occurrence in the corpus with it', async () => {
    const page = await newPage();
    await page.click(`button[data-path="${DOCS[1]}"]`);
    await page.waitForSelector('.reader-text');
    await page.focus('.reader-text');
    await page.keyboard.press('/');
    await page.keyboard.type('Hizballah');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.keyboard.press('2');
    await page.waitForSelector('[data-testid=selected-annotation] [data-attr=entity]');
    await page.keyboard.press('e');
    // The entity field offers a new entity named after the text: Enter makes and links it.
    await page.waitForSelector('.entity-options li');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=linked-entity]');
    await waitSaved(page);
    const tagged = (await stored(DOCS[1])).find((a) => a.text === 'Hizballah')!;
    expect(tagged.attrs?.entity).toBe('e:hizballah');

    // Tag all: this article has one Hizballah (tagged); 001 has more. Corpus scope tags them all, same entity.
    await page.focus('.reader-text');
    await page.keyboard.press('a');
    await page.waitForSelector('[data-testid=occurrences]');
    await page.click('[data-testid=scope-corpus]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=occurrences] li').length > 1);
    const text001 = await fsp.readFile(path.join(served.folder, DOCS[0]), 'utf8');
    const expected001 = occurrences(text001, 'Hizballah').length;
    expect(expected001).toBeGreaterThan(0);
    await page.click('[data-testid=tag-all]');
    await page.waitForSelector('[data-testid=occurrences]', { state: 'detached' });
    await waitSaved(page);
    const in001 = (await stored(DOCS[0])).filter((a) => a.text === 'Hizballah');
    expect(in001).toHaveLength(expected001);
    for (const a of in001) expect(a).toMatchObject({ label: 'ORG', attrs: { entity: 'e:hizballah' } });
    await page.close();
  });
});

describe('schema', () => {
  it('renames a label with its annotations, and asks before removing a label in use', async () => {
    const page = await newPage();
    await page.click('[data-view=schema]');
    await page.waitForSelector('tr[data-label-row="ORG"]');
    await page.fill('tr[data-label-row="ORG"] [aria-label="Label name"]', 'GROUP');
    await page.click('[data-testid=schema-save]');
    await page.waitForSelector('text=Schema saved.');
    for (const doc of DOCS) {
      const labels = new Set((await stored(doc)).map((a) => a.label));
      expect(labels).toEqual(new Set(['GROUP']));
    }
    const entities = await call<Array<{ type: string }>>('entities:list', {});
    expect(new Set(entities.map((e) => e.type))).toEqual(new Set(['GROUP']));
    const ws = await call<{ relationTypes: Array<{ name: string; to: string[] }> }>('workspace:get', {});
    expect(ws.relationTypes.find((t) => t.name === 'actor')!.to).toContain('GROUP');

    // A reserved key is refused before anything is sent.
    await page.fill('tr[data-label-row="WEAPON"] [aria-label="Key"]', 'r');
    await page.waitForSelector('[data-testid=schema-problems]');
    expect(await page.isDisabled('[data-testid=schema-save]')).toBe(true);
    await page.fill('tr[data-label-row="WEAPON"] [aria-label="Key"]', '6');

    await page.click('[aria-label="Remove label GROUP"]');
    await page.click('[data-testid=schema-save]');
    await page.waitForSelector('[data-testid=schema-confirm]');
    expect(await page.textContent('[data-testid=schema-confirm]')).toMatch(/GROUP is used by \d+ annotations/);
    await page.click('text=Keep it');
    expect((await stored(DOCS[0])).length).toBeGreaterThan(0);
    if (process.env.GLOSS_UPDATE_DOCS) {
      await page.click('text=Revert');
      await page.click('tr[data-label-row="CASUALTIES"] button[aria-expanded]');
      await page.screenshot({ path: path.join(PROJECT_ROOT, 'docs', 'schema.png') });
    }
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
