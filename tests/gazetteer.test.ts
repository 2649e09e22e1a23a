// The committed gazetteer (resources/gazetteer.json) is what scripts/build-gazetteer.ts makes of GeoNames cities500, and holds what the entity engine relies on.
import { promises as fsp } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMON_WORDS } from '../annotations/suggestions/entity-words.ts';
import { nameKey } from '../annotations/suggestions/normalize.ts';
import { GAZETTEER, buildFromFiles, usableName, type Gazetteer } from '../scripts/build-gazetteer.ts';

/** Reading and filtering the 32 MB GeoNames file takes a few seconds on a busy machine. */
const TIMEOUT = 60_000;

describe('the gazetteer', () => {
  it('is what the build script produces (run `npm run build:gazetteer` after changing it or its inputs)', async () => {
    const committed = await fsp.readFile(GAZETTEER, 'utf8');
    expect(buildFromFiles() === committed).toBe(true);
  }, TIMEOUT);

  it('holds the places of the region with coordinates, countries with aliases, and stays small', async () => {
    const raw = await fsp.readFile(GAZETTEER, 'utf8');
    expect(raw.length).toBeLessThan(2_000_000);
    const g = JSON.parse(raw) as Gazetteer;
    const byId = new Map(g.places.map((p) => [p[0], p]));
    const deir = byId.get(170794)!;
    expect(deir[1]).toBe('Deir ez-Zor');
    expect(deir[3]).toBe('SY');
    expect(deir[4]).toBeCloseTo(35.336, 2);
    expect(deir[5]).toBeCloseTo(40.141, 2);
    expect(deir[7]).toBe(1);
    expect(deir[2]).toContain('Dayr al-Zawr');
    expect(byId.get(99072)?.[1]).toBe('Mosul');
    // Every place in the core countries, the small ones too; big cities and capitals elsewhere.
    expect(byId.get(172425)?.[1]).toBe('As Sukhnah');
    expect(byId.get(2643743)?.slice(6)).toEqual([expect.any(Number), 3, 1]);
    expect(g.places.some((p) => p[3] === 'US' && p[6] < 100_000 && p.length < 9)).toBe(false);
    const syria = g.countries.find((c) => c.cc === 'SY');
    expect(syria).toEqual({ cc: 'SY', name: 'Syria', aliases: ['Syrian Arab Republic'] });
    expect(g.countries.find((c) => c.cc === 'TR')?.name).toBe('Turkey');
    expect(g.places.length).toBeGreaterThan(5000);
  });

  it('keeps only names worth matching in English news', () => {
    const banned = new Set(['syrian'].map(nameKey));
    expect(usableName('Deir ez-Zor', banned)).toBe(true);
    expect(usableName('Ālbū Kamāl', banned)).toBe(true);
    expect(usableName('دير الزور', banned)).toBe(false);
    expect(usableName('DEZ', banned)).toBe(false);
    expect(usableName('mo su er', banned)).toBe(false);
    expect(usableName('Syrian', banned)).toBe(false);
    expect(usableName('Reading', banned)).toBe(false);
    expect(COMMON_WORDS.has('mobile')).toBe(true);
  });

  it('has no place named like a common English word', async () => {
    const g = JSON.parse(await fsp.readFile(GAZETTEER, 'utf8')) as Gazetteer;
    const bad = g.places.flatMap((p) => [p[1], ...p[2]]).filter((n) => COMMON_WORDS.has(nameKey(n)));
    expect(bad).toEqual([]);
  });
});
