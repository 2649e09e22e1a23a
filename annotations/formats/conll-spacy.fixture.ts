// A document for the token exports' edge cases, exported after the shared fixture: a span inside a word, a
// span across a sentence break, one with a space at its edge, one of only whitespace, a title abbreviation,
// a ZWJ emoji sequence, and three spans that overlap in a chain (so two extra CoNLL layers).
import type { Annotation } from '../model.ts';
import { spanOf } from './events-w3c.fixture.ts';
import type { ExportDocument } from './types.ts';

const STAMP = { author: 'Analyst Two', created: '2024-06-01T08:00:00.000Z', modified: '2024-06-01T08:00:00.000Z' };

const EDGE = 'Hizballah fighters met Mr. Smith in Beirut. They left.\nGeneral J. Doe said the Hizb\u2019s chief 👨‍👩‍👧 fled.\n   \n';

function at(id: string, label: string, quote: string, nth = 0): Annotation {
  return { id, label, ...spanOf(EDGE, quote, nth), text: quote, ...STAMP };
}

/** The edge-case document, annotations sorted as the store sorts them. */
export function edgeDocument(): ExportDocument {
  const annotations: Annotation[] = [
    at('e-hizb', 'ORG', 'Hizb'),
    at('e-smith', 'PERSON', 'Mr. Smith'),
    at('e-cross', 'EVENT', 'in Beirut. They left'),
    at('e-beirut', 'LOCATION', ' Beirut'),
    at('e-blank', 'LOCATION', '   '),
    at('e-doe', 'PERSON', 'J. Doe'),
    at('e-org', 'ORG', 'the Hizb\u2019s chief'),
    at('e-family', 'PERSON', 'chief 👨‍👩‍👧 fled'),
    at('e-chief', 'PERSON', 'chief'),
  ].sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1));
  return {
    id: 'dedge000000000001',
    path: 'edge/hizb.txt',
    text: EDGE,
    meta: { title: 'Edge cases', dct: null, status: 'done' },
    annotations,
    relations: [],
  };
}
