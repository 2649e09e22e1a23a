// The layering rules of ARCHITECTURE.md, checked on the source: who may import what.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['annotations', 'renderer', 'electron', 'web', 'cli', 'bin', 'tests'];

async function sources(): Promise<Array<{ file: string; imports: string[] }>> {
  const out: Array<{ file: string; imports: string[] }> = [];
  for (const dir of SOURCE_DIRS) {
    const entries = await fsp.readdir(path.join(ROOT, dir), { recursive: true }).catch(() => [] as string[]);
    for (const rel of entries) {
      if (!/\.(ts|tsx|js|mjs)$/.test(rel)) continue;
      const file = path.join(dir, rel).split(path.sep).join('/');
      const text = await fsp.readFile(path.join(ROOT, file), 'utf8');
      const imports = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"\n]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
        (m) => m[1] ?? m[2] ?? m[3],
      );
      out.push({ file, imports });
    }
  }
  return out;
}

/** Core files that must run anywhere (the renderer uses them). */
const PURE = [
  'annotations/model.ts',
  'annotations/offsets.ts',
  'annotations/anchors.ts',
  'annotations/layout.ts',
  'annotations/schema.ts',
  'annotations/entities.ts',
  'annotations/corpus/decode.ts',
  'annotations/corpus/metadata.ts',
  'annotations/api/contract.ts',
];

/** Dataset format modules are pure too; only the file side (io.ts, import.ts) and test code use Node. */
function isPureFormat(file: string): boolean {
  return /^annotations\/formats\/[^/]+\.ts$/.test(file) && !/\/(io|import)\.ts$|\.(test|fixture)\.ts$/.test(file);
}

/** Suggestion engines are pure (they may run in a worker or the renderer); only their tests use Node. */
function isPureSuggestion(file: string): boolean {
  return /^annotations\/suggestions\/[^/]+\.ts$/.test(file) && !/\.test\.ts$/.test(file);
}

describe('layering', () => {
  it('finds the sources it checks', async () => {
    const files = (await sources()).map((s) => s.file);
    expect(files).toEqual(expect.arrayContaining(['electron/main.ts', 'renderer/App.tsx', ...PURE]));
  });

  it('imports electron only in electron/', async () => {
    const offenders = (await sources()).filter((s) => !s.file.startsWith('electron/') && s.imports.includes('electron'));
    expect(offenders.map((s) => s.file)).toEqual([]);
  });

  it('keeps the pure core free of node:*, React and the DOM libraries', async () => {
    const offenders = (await sources())
      .filter((s) => PURE.includes(s.file) || isPureFormat(s.file) || isPureSuggestion(s.file))
      .flatMap((s) => s.imports.filter((i) => i.startsWith('node:') || i === 'react' || i.startsWith('prosemirror')).map((i) => `${s.file}: ${i}`));
    expect(offenders).toEqual([]);
  });

  it('keeps the core free of React, ProseMirror and the renderer', async () => {
    const offenders = (await sources())
      .filter((s) => s.file.startsWith('annotations/'))
      .flatMap((s) => s.imports.filter((i) => /^(react|react-dom|prosemirror-)/.test(i) || i.includes('renderer/')).map((i) => `${s.file}: ${i}`));
    expect(offenders).toEqual([]);
  });

  it('lets the renderer reach the core only through pure modules and the API contract', async () => {
    const offenders = (await sources())
      .filter((s) => s.file.startsWith('renderer/'))
      .flatMap((s) =>
        s.imports
          .filter((i) => i.startsWith('node:') || i === 'electron' || (i.includes('annotations/') && !PURE.some((p) => i.endsWith(p.replace('annotations/', ''))) && !/annotations\/suggestions\/[^/]+\.ts$/.test(i)))
          .map((i) => `${s.file}: ${i}`),
      );
    expect(offenders).toEqual([]);
  });
});
