// Bundles the renderer (for both shells) and the Electron main and preload scripts with esbuild.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

/** The project root (where package.json is). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the built renderer goes; both shells serve this folder. */
export const RENDERER_OUT = path.join(PROJECT_ROOT, 'dist', 'renderer');
const ELECTRON_OUT = path.join(PROJECT_ROOT, 'dist', 'electron');

/** Build the renderer bundle into dist/renderer (or `outDir`). */
export async function buildRenderer(options: { minify?: boolean; outDir?: string } = {}): Promise<void> {
  const outdir = options.outDir ?? RENDERER_OUT;
  await fsp.mkdir(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: {
      app: path.join(PROJECT_ROOT, 'renderer', 'main.tsx'),
      // The suggestion engines run in their own worker (with the bundled dictionaries).
      'suggest-worker': path.join(PROJECT_ROOT, 'renderer', 'suggest.worker.ts'),
    },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome120'],
    jsx: 'automatic',
    minify: options.minify ?? true,
    sourcemap: 'linked',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  await fsp.copyFile(path.join(PROJECT_ROOT, 'renderer', 'index.html'), path.join(outdir, 'index.html'));
}

/** Build electron/main.ts and electron/preload.ts into dist/electron (or `outDir`) as CommonJS. */
export async function buildElectron(options: { outDir?: string } = {}): Promise<void> {
  await esbuild.build({
    entryPoints: {
      main: path.join(PROJECT_ROOT, 'electron', 'main.ts'),
      preload: path.join(PROJECT_ROOT, 'electron', 'preload.ts'),
    },
    outdir: options.outDir ?? ELECTRON_OUT,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: ['node20'],
    external: ['electron'],
    sourcemap: 'linked',
    logLevel: 'warning',
    // The service finds resources/ through import.meta.url only in a checkout; Electron passes the path.
    logOverride: { 'empty-import-meta': 'silent' },
  });
}

/** Whether the renderer bundle is missing or older than any renderer or core source file. */
export async function rendererIsStale(): Promise<boolean> {
  const built = await fsp.stat(path.join(RENDERER_OUT, 'app.js')).catch(() => null);
  if (!built) return true;
  for (const dir of ['renderer', 'annotations', 'resources']) {
    const root = path.join(PROJECT_ROOT, dir);
    const entries = await fsp.readdir(root, { recursive: true }).catch(() => [] as string[]);
    for (const rel of entries) {
      const st = await fsp.stat(path.join(root, rel));
      if (st.isFile() && st.mtimeMs > built.mtimeMs) return true;
    }
  }
  return false;
}
