// Server-sent events for the browser shell: the back end's events (see `events` in the API contract)
// pushed to every open page.
import type http from 'node:http';
import type { EventName, EventPayloads } from '../annotations/api/contract.ts';

/** Keeps the open event streams and writes each event to all of them. */
export class EventHub {
  private readonly clients = new Set<http.ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    // A comment line now and then keeps idle connections from being dropped by anything in between.
    this.heartbeat = setInterval(() => {
      for (const res of this.clients) res.write(': keep-alive\n\n');
    }, 25_000);
    this.heartbeat.unref();
  }

  /** Turn a response into an event stream. */
  attach(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  /** Send an event and its payload (one line of JSON) to every page. */
  broadcast<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    const data = JSON.stringify(payload);
    for (const res of this.clients) res.write(`event: ${event}\ndata: ${data}\n\n`);
  }

  /** End every stream (the server is closing). */
  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  get size(): number {
    return this.clients.size;
  }
}
