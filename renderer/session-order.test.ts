// Tests of DocumentSession.annotations kept in text order edit by edit: always what a full sort gives.
import { expect, it } from 'vitest';
import type { GlossApi, LoadedDocument } from '../annotations/api/contract.ts';
import type { Annotation } from '../annotations/model.ts';
import { DocumentSession } from './session.ts';

const TEXT = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau';

/** A back end that accepts everything and answers with the record it was sent. */
const api = new Proxy({}, {
  get: () => async (input: { annotation?: Annotation }) => input.annotation ?? { annotation: null, relations: [] },
}) as GlossApi;

/** A small seeded PRNG, so a failure repeats. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

it('keeps annotations in text order (ties in the order they were made) through creates, removes, relabels, undo and redo', async () => {
  const stored: Annotation[] = [0, 6, 6, 11].map((start, i) => ({
    id: `s${i}`,
    label: 'ORG',
    start,
    end: start + 4,
    text: TEXT.slice(start, start + 4),
    author: 'me',
    created: 't',
    modified: 't',
  }));
  const doc = {
    entry: { id: 'd1', path: 'a.txt', hash: 'h', size: 1, mtimeMs: 1, encoding: 'utf-8', title: 't', dct: null, dctSource: null, length: TEXT.length, annotationCount: 4 },
    text: TEXT,
    annotations: stored,
    relations: [],
    orphans: [],
  } satisfies LoadedDocument;
  const session = new DocumentSession(api, doc, 'me');
  // What sorting every annotation afresh gives (the list kept so far is dropped, then rebuilt).
  const fullSort = (): string[] => {
    const kept = session.annotations;
    (session as unknown as { sortedCache: Annotation[] | null }).sortedCache = null;
    const sorted = session.annotations.map((a) => a.id);
    (session as unknown as { sortedCache: Annotation[] | null }).sortedCache = kept;
    return sorted;
  };
  const random = rng(11);
  // Made before each edit, so the list is kept up to date rather than sorted afresh.
  expect(session.annotations.map((a) => a.id)).toEqual(['s0', 's1', 's2', 's3']);
  for (let step = 0; step < 300; step++) {
    const before = session.annotations;
    const r = random();
    if (r < 0.5 || before.length === 0) {
      // Few distinct spans, so many annotations share one.
      const start = Math.floor(random() * 6) * 5;
      session.create('ORG', start, start + 1 + Math.floor(random() * 3));
    } else if (r < 0.7) {
      session.remove(before[Math.floor(random() * before.length)].id);
    } else if (r < 0.8) {
      const a = before[Math.floor(random() * before.length)];
      session.relabel(a.id, a.label === 'ORG' ? 'PERSON' : 'ORG');
    } else if (r < 0.9) {
      session.undo();
    } else {
      session.redo();
    }
    expect(session.annotations.map((a) => a.id)).toEqual(fullSort());
    expect(session.annotations.length).toBe(new Set(session.annotations.map((a) => a.id)).size);
  }
  await session.settled();
  expect(session.annotations.map((a) => a.id)).toEqual(fullSort());
});
