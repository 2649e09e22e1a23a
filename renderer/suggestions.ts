// The page's side of the suggestion worker: one worker, started on first use, answering one request at a time.
import type { KnownName, Suggestion } from '../annotations/suggestions/index.ts';
import type { SuggestRequest, SuggestResponse } from './suggest.worker.ts';

let worker: Worker | null = null;
let next = 1;
const waiting = new Map<number, { resolve: (s: Suggestion[]) => void; reject: (e: Error) => void }>();

/** Run the suggestion engines over a text in the worker. */
export function runSuggestions(text: string, dct: string | null, known: KnownName[]): Promise<Suggestion[]> {
  if (!worker) {
    // Beside app.js in both shells (dist/renderer/suggest-worker.js).
    worker = new Worker(new URL('suggest-worker.js', document.baseURI), { type: 'module', name: 'gloss-suggest' });
    worker.onmessage = (event: MessageEvent<SuggestResponse>) => {
      const w = waiting.get(event.data.id);
      if (!w) return;
      waiting.delete(event.data.id);
      if ('error' in event.data) w.reject(new Error(event.data.error));
      else w.resolve(event.data.suggestions);
    };
    worker.onerror = (event) => {
      for (const w of waiting.values()) w.reject(new Error(event.message || 'The suggestion worker stopped'));
      waiting.clear();
      worker = null;
    };
  }
  const id = next++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker!.postMessage({ id, text, dct, known } satisfies SuggestRequest);
  });
}
