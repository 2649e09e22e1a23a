// The entity engine's bundled dictionaries (resources/*.json) and the engine made from them. Pure: the
// JSON files are static imports, so Node, the tests and any esbuild bundle load them the same way, once.
import actors from '../../resources/actors.json';
import demonyms from '../../resources/demonyms.json';
import gazetteer from '../../resources/gazetteer.json';
import people from '../../resources/people.json';
import placesExtra from '../../resources/places-extra.json';
import { ENTITY_ENGINE, ENTITY_ENGINE_VERSION, createEntityEngine, type ActorsFile, type DemonymsFile, type EntityDictionaries, type GazetteerFile, type PeopleFile, type PlacesExtraFile } from './entities.ts';
import type { SuggestionEngine } from './types.ts';

/** The dictionaries shipped with Gloss: actors, people, the GeoNames gazetteer, extra places, demonyms. */
export const BUNDLED_DICTIONARIES: EntityDictionaries = {
  actors: actors as ActorsFile,
  people: people as PeopleFile,
  gazetteer: gazetteer as unknown as GazetteerFile,
  placesExtra: placesExtra as PlacesExtraFile,
  demonyms: demonyms as DemonymsFile,
};

let compiled: SuggestionEngine | null = null;

/** The entity engine over the bundled dictionaries, compiled on first use (a few hundred milliseconds) and then reused. */
export function bundledEntityEngine(): SuggestionEngine {
  compiled ??= createEntityEngine(BUNDLED_DICTIONARIES);
  return compiled;
}

/** PERSON / ORG / LOCATION suggestions (engine "entities"): the bundled engine, compiled when it first runs. */
export const entityEngine: SuggestionEngine = {
  name: ENTITY_ENGINE,
  version: ENTITY_ENGINE_VERSION,
  suggest: (text, ctx) => bundledEntityEngine().suggest(text, ctx),
};
