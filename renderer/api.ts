// The renderer's one door to the back end: the typed API over Electron IPC (desktop) or HTTP (browser shell).
import {
  ApiError,
  channels,
  type Channel,
  type EventName,
  type EventPayloads,
  type GlossApi,
  type IpcBridge,
  type Result,
} from '../annotations/api/contract.ts';

declare global {
  interface Window {
    /** Set by the desktop shell's preload script. */
    gloss?: IpcBridge;
  }
}

/** The API plus back-end events. */
export interface Backend {
  api: GlossApi;
  /** Subscribe to a back-end event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.error.code, result.error.message);
}

/** The token the browser shell put in the address (#token=...), kept for reloads of this tab. */
function browserToken(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('gloss-token', fromHash);
    return fromHash;
  }
  return sessionStorage.getItem('gloss-token') ?? '';
}

/** Back-end events over one EventSource, opened on first use (it reconnects by itself). */
function eventSource(token: string): Backend['on'] {
  let source: EventSource | null = null;
  return (event, listener) => {
    source ??= new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    const handler = (e: Event) => {
      let payload: unknown = null;
      try {
        payload = JSON.parse((e as MessageEvent<string>).data);
      } catch {
        // A malformed event carries nothing.
      }
      (listener as (p: unknown) => void)(payload);
    };
    source.addEventListener(event, handler);
    return () => source?.removeEventListener(event, handler);
  };
}

/** Connect to whichever shell this page runs in. */
export function connect(): Backend {
  const bridge = window.gloss;
  const api = {} as Record<Channel, (input: unknown) => Promise<unknown>>;
  if (bridge) {
    for (const c of channels) {
      api[c] = async (input) => unwrap(await (bridge[c] as (i: unknown) => Promise<Result<unknown>>)(input));
    }
    return { api: api as GlossApi, on: (event, listener) => bridge.on(event, listener) };
  }
  const token = browserToken();
  for (const c of channels) {
    api[c] = async (input) => {
      let response: Response;
      try {
        response = await fetch(`/api/${c}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': token },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        throw new ApiError('unavailable', 'Gloss is not running (the `gloss serve` process stopped?)');
      }
      const body = (await response.json().catch(() => null)) as Result<unknown> | null;
      if (!body || typeof body !== 'object' || !('ok' in body)) {
        throw new ApiError('internal', `Unexpected answer from the server (HTTP ${response.status})`);
      }
      return unwrap(body);
    };
  }
  return { api: api as GlossApi, on: eventSource(token) };
}

