// Hostile and broken input: the fixture corpus of tests/fixtures/hostile plus generated cases, scanned as a user's folder.
import fsSync, { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  HOSTILE_DIR,
  copyFixtures,
  generateCases,
  listFixtures,
  loadExpected,
  reasonMatches,
  type Expectation,
} from '../../tests/hostile-corpus.ts';
import { MAX_BLOCK_UNITS, TextMapping } from '../layout.ts';
import { decodeBytes } from './decode.ts';
import { hashText, readDocument, scanCorpus, type ScanResult } from './scan.ts';

let tmp: string;
let root: string;
let expected: Record<string, Expectation>;
let result: ScanResult;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gloss-hostile-'));
  root = path.join(tmp, 'corpus');
  await copyFixtures(root);
  expected = { ...(await loadExpected()), ...(await generateCases(root, { huge: true, outsideDir: path.join(tmp, 'outside') })) };

  // Two failures no permission bit can make under root: a refusal to open, and a file deleted between
  // listing and reading (deleted for real, at the last moment, so the error is the system's own).
  const locked = path.join(root, 'generated', 'locked.txt');
  const vanishing = path.join(root, 'generated', 'vanishing.txt');
  await fs.writeFile(locked, 'Locked\n\nNobody may read this.\n');
  await fs.writeFile(vanishing, 'Vanishing\n\nDeleted while the folder is scanned.\n');
  expected['generated/locked.txt'] = { outcome: 'skipped', reason: 'unreadable (EACCES)' };
  expected['generated/vanishing.txt'] = { outcome: 'skipped', reason: 'disappeared before it could be read' };
  const realOpen = fsSync.openSync.bind(fsSync);
  const spy = vi.spyOn(fsSync, 'openSync').mockImplementation((p, ...rest) => {
    if (String(p) === locked) throw Object.assign(new Error(`EACCES: permission denied, open '${locked}'`), { code: 'EACCES' });
    if (String(p) === vanishing) fsSync.rmSync(vanishing);
    return realOpen(p, ...(rest as [string]));
  });
  try {
    result = await scanCorpus(root);
  } finally {
    spy.mockRestore();
  }
}, 120_000);

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

const opened = (): Array<[string, Extract<Expectation, { outcome: 'opens' }>]> =>
  Object.entries(expected).flatMap(([p, e]) => (e.outcome === 'opens' ? [[p, e] as [string, typeof e]] : []));

describe('the hostile fixture corpus', () => {
  it('lists every fixture in expected.json, and every listing is a fixture', async () => {
    const fixtures = await listFixtures();
    const listed = Object.keys(await loadExpected()).sort();
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
    expect(listed.filter((p) => !fixtures.includes(p))).toEqual([]);
    expect(fixtures.filter((p) => !listed.includes(p))).toEqual([]);
  });

  it('gives every file its expected outcome, and no file an unexpected one', () => {
    const docs = new Map(result.documents.map((d) => [d.path, d]));
    const skips = new Map(result.skipped.map((s) => [s.path, s.reason]));
    for (const [p, e] of Object.entries(expected)) {
      const where = `${p}: ${JSON.stringify({ opened: docs.get(p)?.encoding, skipped: skips.get(p) })}`;
      if (e.outcome === 'opens') {
        expect(docs.get(p), where).toMatchObject({ encoding: e.encoding, ...(e.title === undefined ? {} : { title: e.title }) });
      } else if (e.outcome === 'skipped') {
        expect(docs.has(p), where).toBe(false);
        expect(reasonMatches(e.reason, skips.get(p) ?? '(not listed)'), `${where}, expected "${e.reason}"`).toBe(true);
      } else {
        expect(docs.has(p) || skips.has(p), where).toBe(false);
      }
    }
    const unexpected = [...docs.keys(), ...skips.keys()].filter((p) => !(p in expected));
    expect(unexpected).toEqual([]);
  });

  it('lists the articles in natural path order', () => {
    const paths = result.documents.map((d) => d.path);
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    expect(paths).toEqual([...paths].sort((a, b) => collator.compare(a, b) || (a < b ? -1 : 1)));
    const deep = ['generated/deep', ...Array.from({ length: 60 }, (_, k) => `level-${k + 1}`), 'bottom.txt'].join('/');
    expect(paths).toContain(deep);
  });

  it('decodes every opened file to the expected text, without CR, matching the index entry', async () => {
    const docs = new Map(result.documents.map((d) => [d.path, d]));
    for (const [p, e] of opened()) {
      const doc = await readDocument(root, p);
      expect(doc.text.includes('\r'), p).toBe(false);
      expect(doc.encoding, p).toBe(e.encoding);
      if (e.text !== undefined) expect(doc.text, p).toBe(e.text);
      if (e.phrase !== undefined) expect(doc.text, p).toContain(e.phrase);
      expect(docs.get(p), p).toMatchObject({ hash: hashText(doc.text), length: [...doc.text].length });
    }
  });

  it('shows the 5 MB single line as consecutive blocks of at most 10,000 units', async () => {
    const { text } = await readDocument(root, 'generated/one-line-5mb.txt');
    expect(text.length).toBe(5 * 1024 * 1024);
    const m = new TextMapping(text);
    expect(m.blocks.length).toBeGreaterThanOrEqual(text.length / MAX_BLOCK_UNITS);
    expect(m.blocks[0].from).toBe(0);
    expect(m.blocks[m.blocks.length - 1].to).toBe(text.length);
    for (let i = 1; i < m.blocks.length; i++) expect(m.blocks[i].from).toBe(m.blocks[i - 1].to);
    expect(m.blocks.every((b) => b.to - b.from <= MAX_BLOCK_UNITS)).toBe(true);
    // The sentences give a sentence end to cut after in every window.
    expect(m.blocks.slice(0, -1).every((b) => /[.!?] $/.test(text.slice(b.to - 2, b.to)))).toBe(true);
  });

  it('decodes every committed fixture without throwing, and every skipped text file fails to open with its reason', async () => {
    for (const rel of await listFixtures()) {
      const bytes = await fs.readFile(path.join(HOSTILE_DIR, rel));
      const decoded = decodeBytes(bytes);
      expect(typeof decoded.ok, rel).toBe('boolean');
    }
    for (const s of result.skipped) {
      if (!/\.(txt|md)$/i.test(s.path) || s.reason.startsWith('symlink') || s.path.startsWith('generated/')) continue;
      await expect(readDocument(root, s.path), s.path).rejects.toThrow(s.reason);
    }
  });
});

describe('a folder of 10,000 tiny files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gloss-many-'));
    // Written in a scrambled order, so that the scan's order cannot come from creation order.
    const order = Array.from({ length: 10_000 }, (_, i) => ((i * 7_919) % 10_000) + 1);
    for (let i = 0; i < order.length; i += 200) {
      await Promise.all(order.slice(i, i + 200).map((n) => fs.writeFile(path.join(dir, `note-${n}.txt`), `Note ${n}\n`)));
    }
  }, 120_000);

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('scans them all, in natural order', async () => {
    const started = performance.now();
    const { documents, skipped } = await scanCorpus(dir);
    const ms = performance.now() - started;
    console.info(`scanned 10,000 tiny files in ${Math.round(ms)} ms`);
    expect(skipped).toEqual([]);
    expect(documents).toHaveLength(10_000);
    expect(documents.map((d) => d.path)).toEqual(Array.from({ length: 10_000 }, (_, i) => `note-${i + 1}.txt`));
    expect(documents[9_999]).toMatchObject({ title: 'Note 10000', encoding: 'utf-8' });
  }, 120_000);
});
