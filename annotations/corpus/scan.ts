// Scans a corpus folder for articles (.txt, .md) and reads them: the file-system side of corpus import.
import { createHash } from 'node:crypto';
import fsSync, { promises as fs, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import type { DocumentEntry, SkippedFile } from '../model.ts';
import { decodeBytes } from './decode.ts';
import { detectPublicationDate, titleOf } from './metadata.ts';

/**
 * Larger files are not opened: an "article" of tens of megabytes is a data dump, not news, and the
 * reader could not show it comfortably.
 */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** File extensions (lowercase) of articles. */
export const ARTICLE_EXTENSIONS: ReadonlySet<string> = new Set(['.txt', '.md']);

/** A document entry as the scan produces it; the store adds the annotation count. */
export type ScannedDocument = Omit<DocumentEntry, 'annotationCount'>;

export interface ScanOptions {
  /** Entries of the previous scan by relative path; unchanged files (same size and mtime) are reused unread. */
  previous?: Map<string, DocumentEntry>;
  /** Name of the store folder at the root of the corpus, never scanned. Default '.gloss'. */
  storeDirName?: string;
}

export interface ScanResult {
  documents: ScannedDocument[];
  skipped: SkippedFile[];
}

const MB = 1024 * 1024;
/**
 * Longest the scan reads files without letting other work run, in ms. Synchronous reads of small files
 * cost a fifth of promise-based ones here (no thread-pool round trip per open, stat, read and close), so
 * the scan reads synchronously in slices this long.
 */
const SLICE_MS = 8;

/** Stable document id for a relative path: 'd' + the first 16 hex digits of its sha256. */
export function documentIdFor(relPath: string): string {
  return 'd' + createHash('sha256').update(relPath.replace(/\\/g, '/')).digest('hex').slice(0, 16);
}

/** sha256 (hex) of the UTF-8 bytes of a text. */
export function hashText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * A copy of `s` that does not point into a larger string. V8 keeps a slice (the title cut from the first
 * line) as a view of the whole text, so an index of 10,000 titles would keep 10,000 articles in memory.
 */
function detached(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** Number of Unicode code points of a (well-formed) string. */
function codePointLength(text: string): number {
  // Most articles have no character beyond the BMP; a regex finds that out faster than a loop.
  if (!/[\ud800-\udbff]/.test(text)) return text.length;
  let high = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) high++;
  }
  return text.length - high;
}

const naturalCollator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
/** Natural order of paths ('doc2' before 'doc10'), ties broken by code unit order. */
const comparePaths = (a: string, b: string): number => naturalCollator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

const errorCode = (err: unknown): string =>
  (err as NodeJS.ErrnoException)?.code ?? (err instanceof Error ? err.message : String(err));

/** Why a listed file could not be read: deleted or moved since the folder was listed, or another error. */
const unreadable = (err: unknown): string =>
  errorCode(err) === 'ENOENT' ? 'disappeared before it could be read' : `unreadable (${errorCode(err)})`;

const isInside = (dir: string, target: string): boolean => {
  const rel = path.relative(dir, target);
  return rel !== '' && !rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel);
};

const formatMB = (bytes: number): string => `${Math.round((bytes / MB) * 10) / 10} MB`;
const tooLarge = (size: number): string => `too large (${formatMB(size)}, limit ${formatMB(MAX_FILE_BYTES)})`;

/** Reads and decodes one file through one handle so that size, mtime and bytes belong together. */
function readDecodedSync(absPath: string) {
  const fd = fsSync.openSync(absPath, 'r');
  try {
    const stats = fsSync.fstatSync(fd);
    if (stats.size > MAX_FILE_BYTES) return { stats, result: { ok: false as const, reason: tooLarge(stats.size) } };
    return { stats, result: decodeBytes(fsSync.readFileSync(fd)) };
  } finally {
    fsSync.closeSync(fd);
  }
}

interface Candidate {
  relPath: string;
  absPath: string;
}

/**
 * Walks `root` recursively and returns its articles (.txt / .md, any case) in natural path order,
 * and the other files with the reason each was skipped. Hidden files and folders and the store folder
 * are left out silently. Symlinked files are followed only when they resolve inside the folder;
 * symlinked folders are never followed. A bad file never makes the scan fail.
 */
export async function scanCorpus(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const storeDirName = options.storeDirName ?? '.gloss';
  const realRoot = await fs.realpath(root);
  const documents: ScannedDocument[] = [];
  const skipped: SkippedFile[] = [];
  const candidates: Candidate[] = [];
  const skip = (relPath: string, reason: string): void => void skipped.push({ path: relPath, reason });

  const walk = async (absDir: string, relDir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = fsSync.readdirSync(absDir, { withFileTypes: true });
    } catch (err) {
      if (relDir === '') throw err; // the corpus folder itself cannot be read
      return skip(relDir, `unreadable folder (${errorCode(err)})`);
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || (relDir === '' && entry.name === storeDirName)) continue;
      const relPath = relDir ? `${relDir}/${entry.name}` : entry.name;
      try {
        const reason = await classify(entry, path.join(absDir, entry.name), relPath);
        if (reason) skip(relPath, reason);
      } catch (err) {
        skip(relPath, `unreadable (${errorCode(err)})`);
      }
    }
  };

  /** Recurses into a folder or queues an article; returns the reason when the entry is skipped. */
  const classify = async (entry: Dirent, absPath: string, relPath: string): Promise<string | null> => {
    if (entry.isDirectory()) {
      await walk(absPath, relPath);
      return null;
    }
    let stats: Stats | null = null;
    if (entry.isSymbolicLink()) {
      try {
        stats = await fs.stat(absPath);
      } catch (err) {
        const code = errorCode(err);
        if (code === 'ELOOP') return 'symlink loop';
        return code === 'ENOENT' ? 'broken symlink' : `unreadable symlink (${code})`;
      }
      if (stats.isDirectory()) return 'symlinked folder not followed';
    }
    const ext = path.extname(entry.name).toLowerCase();
    if (!ARTICLE_EXTENSIONS.has(ext)) return `unsupported file type (${ext || 'no extension'})`;
    if (stats && !isInside(realRoot, await fs.realpath(absPath))) return 'symlink points outside the folder';
    if (!(stats ?? entry).isFile()) return 'not a regular file';
    candidates.push({ relPath, absPath });
    return null;
  };
  await walk(root, '');

  let sliceStart = performance.now();
  for (const { relPath, absPath } of candidates) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    try {
      const prev = options.previous?.get(relPath);
      if (prev) {
        const stats = fsSync.statSync(absPath);
        if (stats.size > MAX_FILE_BYTES) {
          skip(relPath, tooLarge(stats.size));
          continue;
        }
        if (prev.size === stats.size && prev.mtimeMs === stats.mtimeMs) {
          const { annotationCount: _, ...reused } = prev;
          documents.push(reused);
          continue;
        }
      }
      const read = readDecodedSync(absPath);
      if (!read.result.ok) {
        skip(relPath, read.result.reason);
        continue;
      }
      const { text, encoding } = read.result;
      const userDct = prev?.dctSource === 'user';
      const dct = userDct ? prev.dct : detectPublicationDate(text);
      documents.push({
        id: documentIdFor(relPath),
        path: relPath,
        hash: hashText(text),
        size: read.stats.size,
        mtimeMs: read.stats.mtimeMs,
        encoding,
        title: detached(titleOf(text)),
        dct,
        dctSource: userDct ? 'user' : dct ? 'detected' : null,
        length: codePointLength(text),
      });
    } catch (err) {
      skip(relPath, unreadable(err));
    }
  }

  documents.sort((a, b) => comparePaths(a.path, b.path));
  skipped.sort((a, b) => comparePaths(a.path, b.path));
  return { documents, skipped };
}

/**
 * Reads and decodes one article of the corpus. Throws if the path resolves (after following symlinks)
 * outside `root`, if the file is too large, or if it cannot be decoded as text.
 */
export async function readDocument(
  root: string,
  relPath: string,
): Promise<{ text: string; encoding: string; hash: string; size: number; mtimeMs: number }> {
  // Synchronous, as the scan reads (see SLICE_MS): one article is read in well under a slice.
  const realRoot = fsSync.realpathSync.native(root);
  const realPath = fsSync.realpathSync.native(path.resolve(root, relPath));
  if (!isInside(realRoot, realPath)) throw new Error(`"${relPath}" is outside the corpus folder`);
  const { stats, result } = readDecodedSync(realPath);
  if (!result.ok) throw new Error(`cannot open "${relPath}": ${result.reason}`);
  return { text: result.text, encoding: result.encoding, hash: hashText(result.text), size: stats.size, mtimeMs: stats.mtimeMs };
}
