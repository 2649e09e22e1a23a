// The suggestion engines Gloss runs, and `suggest`, which runs them over one text and merges what they
// propose. Pure.
import { casualtiesEngine } from './casualties.ts';
import { datesEngine } from './dates.ts';
import { entityEngine } from './resources.ts';
import type { Suggestion, SuggestContext, SuggestionEngine } from './types.ts';

export type { KnownName, Suggestion, SuggestContext, SuggestionEngine } from './types.ts';

/**
 * Every engine, in the order their suggestions win ties. The entities engine (PERSON / ORG / LOCATION,
 * named "entities") is added here, after casualties.
 */
export const ENGINES: SuggestionEngine[] = [datesEngine, casualtiesEngine, entityEngine];

/** Prefer the longer span, then the higher score, then the earlier engine. */
function stronger(a: Suggestion, b: Suggestion): number {
  return b.end - b.start - (a.end - a.start) || b.score - a.score;
}

/**
 * Runs the engines over a text and merges their suggestions, sorted by start (then longer first). Exact
 * duplicates (same label and span) are dropped; of two overlapping suggestions with the same label only
 * the longer, else the higher-scored, is kept. Suggestions of different labels may overlap.
 */
export function suggest(text: string, ctx: SuggestContext, engines: readonly SuggestionEngine[] = ENGINES): Suggestion[] {
  const all = engines.flatMap((e) => e.suggest(text, ctx));
  const byLabel = new Map<string, Suggestion[]>();
  for (const s of all) {
    const list = byLabel.get(s.label);
    if (list) list.push(s);
    else byLabel.set(s.label, [s]);
  }
  const kept: Suggestion[] = [];
  for (const list of byLabel.values()) {
    // Strongest first (a stable sort keeps engine order on ties); each is kept unless it overlaps a kept one.
    const ordered = [...list].sort(stronger);
    const starts: number[] = [];
    const ends: number[] = [];
    for (const s of ordered) {
      // Kept spans never overlap, so sorted by start their ends are sorted too: one binary search finds
      // the first kept span ending after s starts.
      let lo = 0;
      let hi = ends.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ends[mid] <= s.start) lo = mid + 1;
        else hi = mid;
      }
      if (lo < starts.length && starts[lo] < s.end) continue;
      starts.splice(lo, 0, s.start);
      ends.splice(lo, 0, s.end);
      kept.push(s);
    }
  }
  return kept.sort((a, b) => a.start - b.start || b.end - a.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
