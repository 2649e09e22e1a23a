// End-to-end harness: a temporary copy of the seed corpus, `gloss serve` on a free port, and headless Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SEEDS_DIR = path.resolve(PROJECT_ROOT, '../shared/corpus/seeds');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Served {
  url: string;
  origin: string;
  token: string;
  folder: string;
  home: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Copy the seed articles (or the given files) into a new temporary folder. */
export async function tempCorpus(files?: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-e2e-'));
  if (files) {
    for (const [name, content] of Object.entries(files)) {
      await fsp.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await fsp.writeFile(path.join(dir, name), content);
    }
  } else {
    await fsp.cp(SEEDS_DIR, dir, { recursive: true });
  }
  return dir;
}

/** Start `gloss serve FOLDER --port 0` as a user would, and read the URL from its first line. */
export async function serve(folder: string, home?: string): Promise<Served> {
  const glossHome = home ?? (await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-home-')));
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'gloss.js'), 'serve', folder, '--port', '0'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, GLOSS_HOME: glossHome },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const firstLine = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        child.stdout!.off('data', onData);
        resolve(out.slice(0, nl));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`gloss serve exited (${code}): ${stderr}`)));
  });
  const url = new URL(firstLine);
  const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
  return {
    url: firstLine,
    origin: url.origin,
    token,
    folder,
    home: glossHome,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A new page on the app at `url`, its document list shown; uncaught page errors are pushed to `errors`. */
export async function openApp(browser: Browser, url: string, errors: string[], viewport = { width: 1400, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('.doclist');
  return page;
}

/** Launch Debian's Chromium headless. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * In-page script: select the n-th occurrence of a text in the reader, searching each block's whole text so
 * spans split by highlights are found too. A string, so the test runner's transforms cannot touch it.
 */
const SELECT_TEXT = `(({ text, occurrence }) => {
  const root = document.querySelector('.reader-text');
  for (const block of Array.from(root.children)) {
    const nodes = [];
    const w = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    while (w.nextNode()) nodes.push(w.currentNode);
    const full = nodes.map((n) => n.data).join('');
    let idx = -1;
    let from = 0;
    while ((idx = full.indexOf(text, from)) >= 0) {
      if (occurrence-- === 0) {
        const locate = (offset, end) => {
          let acc = 0;
          for (const n of nodes) {
            if (offset < acc + n.data.length || (end && offset === acc + n.data.length)) return [n, offset - acc];
            acc += n.data.length;
          }
          const last = nodes[nodes.length - 1];
          return [last, last.data.length];
        };
        const [sn, so] = locate(idx, false);
        const [en, eo] = locate(idx + text.length, true);
        const range = document.createRange();
        range.setStart(sn, so);
        range.setEnd(en, eo);
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        return true;
      }
      from = idx + 1;
    }
  }
  return false;
})`;

/** Select the n-th (0-based) occurrence of `text` inside the reader, as a mouse drag would. */
export async function selectText(page: Page, text: string, occurrence = 0): Promise<void> {
  const ok = await page.evaluate(`${SELECT_TEXT}(${JSON.stringify({ text, occurrence })})`);
  if (!ok) throw new Error(`"${text}" not found in the reader`);
  // Let ProseMirror read the DOM selection.
  await page.waitForTimeout(50);
}

/** Wait until the top bar says the store confirmed every change. */
export async function waitSaved(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent === 'Saved');
}
