// Tests of scanCorpus and readDocument on a temporary corpus folder.
import fsSync, { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DocumentEntry } from '../model.ts';
import { documentIdFor, hashText, MAX_FILE_BYTES, readDocument, scanCorpus } from './scan.ts';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const ARTICLE = 'Strikes block IS convoy\r\n\r\n4 min read\r\n30 August, 2017\r\nUS planes 🙂 struck a road.\r\n';
const ARTICLE_LF = ARTICLE.replace(/\r\n/g, '\n');

let tmp: string;
let root: string;

async function write(rel: string, data: string | Uint8Array): Promise<void> {
  const file = path.join(root, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, data);
}

const byPath = <T extends { path: string }>(docs: T[]): Map<string, T> => new Map(docs.map((d) => [d.path, d]));

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gloss-scan-'));
  root = path.join(tmp, 'corpus');
  await write('a.txt', ARTICLE);
  await write('doc2.txt', 'Doc two\n');
  await write('doc10.txt', 'Doc ten\n');
  await write('sub/nested/deep.md', Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('# Deep\n')]));
  await write('sub/UPPER.TXT', Uint8Array.from([0x93, 0x51, 0x94, 0x0a])); // “Q” in Windows-1252
  await write('.gloss/workspace.txt', 'store file');
  await write('.hidden/secret.txt', 'hidden');
  await write('.hidden-file.txt', 'hidden');
  await write('report.pdf', '%PDF-1.4\n');
  await write('image.txt', PNG);
  await write('empty.txt', '');
  await write('notes', 'no extension');
  const huge = await fs.open(path.join(root, 'huge.txt'), 'w');
  await huge.truncate(MAX_FILE_BYTES + 1024 * 1024); // sparse: nothing is really written
  await huge.close();
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('documentIdFor / hashText', () => {
  it('are stable', () => {
    expect(documentIdFor('sub/a.txt')).toMatch(/^d[0-9a-f]{16}$/);
    expect(documentIdFor('sub\\a.txt')).toBe(documentIdFor('sub/a.txt'));
    expect(documentIdFor('a.txt')).not.toBe(documentIdFor('b.txt'));
    expect(hashText('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('scanCorpus', () => {
  it('lists the articles in natural order with their metadata', async () => {
    const { documents } = await scanCorpus(root);
    expect(documents.map((d) => d.path)).toEqual(['a.txt', 'doc2.txt', 'doc10.txt', 'sub/nested/deep.md', 'sub/UPPER.TXT']);

    const stat = await fs.stat(path.join(root, 'a.txt'));
    expect(documents[0]).toEqual({
      id: documentIdFor('a.txt'),
      path: 'a.txt',
      hash: hashText(ARTICLE_LF),
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      encoding: 'utf-8',
      title: 'Strikes block IS convoy',
      dct: '2017-08-30',
      dctSource: 'detected',
      length: [...ARTICLE_LF].length,
    });
    const docs = byPath(documents);
    expect(docs.get('doc2.txt')).toMatchObject({ title: 'Doc two', dct: null, dctSource: null, length: 8 });
    expect(docs.get('sub/nested/deep.md')).toMatchObject({ encoding: 'utf-8 (BOM)', title: '# Deep', length: 7 });
    expect(docs.get('sub/UPPER.TXT')).toMatchObject({
      encoding: 'windows-1252 (fallback: invalid UTF-8)',
      title: '“Q”',
      hash: hashText('“Q”\n'),
    });
  });

  it('lists skipped files with a reason, and leaves hidden and store folders out silently', async () => {
    const { skipped } = await scanCorpus(root);
    expect(skipped).toEqual([
      { path: 'empty.txt', reason: 'empty file' },
      { path: 'huge.txt', reason: 'too large (33 MB, limit 32 MB)' },
      { path: 'image.txt', reason: 'binary file (PNG image)' },
      { path: 'notes', reason: 'unsupported file type (no extension)' },
      { path: 'report.pdf', reason: 'unsupported file type (.pdf)' },
    ]);
  });

  it('does not scan a store folder with another name', async () => {
    const { documents, skipped } = await scanCorpus(root, { storeDirName: 'sub' });
    expect(documents.map((d) => d.path)).toEqual(['a.txt', 'doc2.txt', 'doc10.txt']);
    expect(skipped.some((s) => s.path.startsWith('sub'))).toBe(false);
  });

  it('reuses unchanged entries of the previous scan and re-reads changed files', async () => {
    const first = byPath((await scanCorpus(root)).documents);
    const previous = new Map<string, DocumentEntry>();
    previous.set('a.txt', { ...first.get('a.txt')!, title: 'Kept from before', annotationCount: 3 });
    previous.set('doc2.txt', { ...first.get('doc2.txt')!, title: 'Stale', size: 1, annotationCount: 0 });
    previous.set('doc10.txt', { ...first.get('doc10.txt')!, title: 'Stale', mtimeMs: 1, dct: '2001-02-03', dctSource: 'user', annotationCount: 0 });

    const docs = byPath((await scanCorpus(root, { previous })).documents);
    expect(docs.get('a.txt')).toEqual({ ...first.get('a.txt'), title: 'Kept from before' });
    expect(docs.get('a.txt')).not.toHaveProperty('annotationCount');
    expect(docs.get('doc2.txt')).toEqual(first.get('doc2.txt'));
    expect(docs.get('doc10.txt')).toEqual({ ...first.get('doc10.txt'), dct: '2001-02-03', dctSource: 'user' });
  });

  it('notices a file changed since the previous scan', async () => {
    const previous = new Map<string, DocumentEntry>();
    for (const d of (await scanCorpus(root)).documents) previous.set(d.path, { ...d, annotationCount: 0 });
    await write('doc2.txt', 'Doc two, edited\n');
    const docs = byPath((await scanCorpus(root, { previous })).documents);
    expect(docs.get('doc2.txt')).toMatchObject({ title: 'Doc two, edited', hash: hashText('Doc two, edited\n'), size: 16 });
    await write('doc2.txt', 'Doc two\n');
  });

  it.skipIf(process.platform === 'win32')('follows symlinked files inside the folder only', async () => {
    const outside = path.join(tmp, 'outside.txt');
    await fs.writeFile(outside, 'Outside\n');
    await fs.mkdir(path.join(tmp, 'elsewhere'), { recursive: true });
    await fs.symlink(outside, path.join(root, 'outside-link.txt'));
    await fs.symlink(path.join(root, 'a.txt'), path.join(root, 'inside-link.txt'));
    await fs.symlink(path.join(tmp, 'elsewhere'), path.join(root, 'linked-folder'));
    await fs.symlink(path.join(root, 'missing.txt'), path.join(root, 'broken.txt'));
    try {
      const { documents, skipped } = await scanCorpus(root);
      expect(documents.map((d) => d.path)).toContain('inside-link.txt');
      expect(byPath(documents).get('inside-link.txt')).toMatchObject({ title: 'Strikes block IS convoy', id: documentIdFor('inside-link.txt') });
      expect(skipped).toEqual(
        expect.arrayContaining([
          { path: 'broken.txt', reason: 'broken symlink' },
          { path: 'linked-folder', reason: 'symlinked folder not followed' },
          { path: 'outside-link.txt', reason: 'symlink points outside the folder' },
        ]),
      );
      await expect(readDocument(root, 'outside-link.txt')).rejects.toThrow(/outside the corpus folder/);
    } finally {
      for (const link of ['outside-link.txt', 'inside-link.txt', 'linked-folder', 'broken.txt']) await fs.unlink(path.join(root, link));
    }
  });

  it('reports unreadable files without failing', async () => {
    const file = path.join(root, 'locked.txt');
    await fs.writeFile(file, 'locked\n');
    // Permissions cannot lock root out (CI runs as root), so the refusal is simulated at the fs layer.
    const realOpen = fsSync.openSync.bind(fsSync);
    const spy = vi.spyOn(fsSync, 'openSync').mockImplementation((p, ...rest) => {
      if (String(p) === file) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return realOpen(p, ...(rest as [string]));
    });
    try {
      const { documents, skipped } = await scanCorpus(root);
      expect(skipped).toContainEqual({ path: 'locked.txt', reason: 'unreadable (EACCES)' });
      expect(documents.length).toBeGreaterThan(0);
    } finally {
      spy.mockRestore();
      await fs.rm(file);
    }
  });

  it('fails when the folder itself does not exist', async () => {
    await expect(scanCorpus(path.join(tmp, 'nope'))).rejects.toThrow(/ENOENT/);
  });
});

describe('readDocument', () => {
  it('reads and decodes one article', async () => {
    const stat = await fs.stat(path.join(root, 'a.txt'));
    expect(await readDocument(root, 'a.txt')).toEqual({
      text: ARTICLE_LF,
      encoding: 'utf-8',
      hash: hashText(ARTICLE_LF),
      size: stat.size,
      mtimeMs: stat.mtimeMs,
    });
    expect((await readDocument(root, 'sub/UPPER.TXT')).text).toBe('“Q”\n');
  });

  it('refuses paths outside the folder and files that are not text', async () => {
    await fs.writeFile(path.join(tmp, 'sibling.txt'), 'x');
    await expect(readDocument(root, '../sibling.txt')).rejects.toThrow(/outside the corpus folder/);
    await expect(readDocument(root, path.join(tmp, 'sibling.txt'))).rejects.toThrow(/outside the corpus folder/);
    await expect(readDocument(root, 'image.txt')).rejects.toThrow('cannot open "image.txt": binary file (PNG image)');
    await expect(readDocument(root, 'empty.txt')).rejects.toThrow(/empty file/);
  });
});
