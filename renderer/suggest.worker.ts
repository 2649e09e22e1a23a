// A Web Worker that runs the suggestion engines, so tagging and scrolling never wait for them.
import { suggest, type KnownName, type Suggestion } from '../annotations/suggestions/index.ts';

/** What the page asks. */
export interface SuggestRequest {
  id: number;
  text: string;
  dct: string | null;
  known: KnownName[];
}

/** What the worker answers: the suggestions, or why there are none. */
export type SuggestResponse = { id: number; suggestions: Suggestion[]; ms: number } | { id: number; error: string };

self.onmessage = (event: MessageEvent<SuggestRequest>) => {
  const { id, text, dct, known } = event.data;
  const t0 = performance.now();
  try {
    const suggestions = suggest(text, { dct, known });
    self.postMessage({ id, suggestions, ms: performance.now() - t0 } satisfies SuggestResponse);
  } catch (err) {
    self.postMessage({ id, error: (err as Error).message } satisfies SuggestResponse);
  }
};
