// End to end: an article with 100 stored annotations opens with every highlight painted.
// Prints the time from click to paint for the record; asserts only correctness.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { documentIdFor } from '../../annotations/corpus/scan.ts';
import { launchBrowser, serve, tempCorpus, type Served } from './harness.ts';

const DOC = '002_3307c211e658c20c.txt';
const COUNT = 100;
const LABELS = ['PERSON', 'ORG', 'LOCATION', 'DATE', 'CASUALTIES', 'WEAPON', 'EVENT'];

let browser: Browser;
let served: Served;

beforeAll(async () => {
  browser = await launchBrowser();
  const folder = await tempCorpus();
  served = await serve(folder);
  const text = await fsp.readFile(path.join(folder, DOC), 'utf8');
  // Tag the first 100 words of 4+ letters (BMP-only text: UTF-16 offsets equal code points).
  const words = [...text.matchAll(/\p{L}{4,}/gu)].slice(0, COUNT);
  expect(words).toHaveLength(COUNT);
  // All at once: saves wait for a quiet second, so the 100 calls share one write instead of taking 100 s.
  const results = await Promise.all(
    words.map(async (m, i) => {
      const res = await fetch(`${served.origin}/api/annotations:create`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': served.token },
        body: JSON.stringify({
          docId: documentIdFor(DOC),
          annotation: { id: `a${i}`, label: LABELS[i % LABELS.length], start: m.index!, end: m.index! + m[0].length },
        }),
      });
      return ((await res.json()) as { ok: boolean }).ok;
    }),
  );
  expect(results).toEqual(words.map(() => true));
});

afterAll(async () => {
  await served?.stop();
  await browser?.close();
});

it(`opens ${DOC} with its ${COUNT} annotations highlighted`, async () => {
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  await page.goto(served.url);
  await page.waitForSelector('.doclist');
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    // Alternate with another article so each run opens 002 afresh from the list.
    await page.click('button[data-path="000_e55e6185f7ffecdf.txt"]');
    await page.waitForSelector(`.reader-host[data-doc="${documentIdFor('000_e55e6185f7ffecdf.txt')}"]`);
    await page.evaluate(() => (window as unknown as { __t0: number }).__t0 = performance.now());
    await page.click(`button[data-path="${DOC}"]`);
    const ms = await page.evaluate(
      (count) =>
        new Promise<number>((resolve) => {
          const check = () => {
            const ids = new Set([...document.querySelectorAll('.reader-text .ann')].map((e) => e.getAttribute('data-ann')));
            if (ids.size >= count) requestAnimationFrame(() => resolve(performance.now() - (window as unknown as { __t0: number }).__t0));
            else requestAnimationFrame(check);
          };
          check();
        }),
      COUNT,
    );
    times.push(ms);
  }
  const ids = await page.$$eval('.reader-text .ann', (els) => new Set(els.map((e) => e.getAttribute('data-ann'))).size);
  expect(ids).toBe(COUNT);
  expect(await page.textContent(`button[data-path="${DOC}"] .count`)).toBe(String(COUNT));
  times.sort((a, b) => a - b);
  console.log(`open ${DOC} with ${COUNT} annotations, click to painted highlights: median ${times[2].toFixed(1)} ms (runs: ${times.map((t) => t.toFixed(1)).join(', ')})`);
  await page.close();
});
