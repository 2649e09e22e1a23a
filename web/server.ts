// The browser shell: serves the built renderer and the API over HTTP on 127.0.0.1, every API call
// guarded by a per-launch token, the Host header and the Origin header.
import http from 'node:http';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { GlossService } from '../annotations/api/service.ts';
import { isChannel } from '../annotations/api/contract.ts';
import type { EventHub } from './events.ts';

/** Content-Security-Policy of the app in both shells: no inline or eval'd script, no remote content. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // Highlights carry their label colour in a style attribute; styles cannot run code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Header that carries the token on every API call. */
export const TOKEN_HEADER = 'x-gloss-token';
/** Largest accepted request body. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface ServeOptions {
  service: GlossService;
  /** Folder with the built renderer (index.html, app.js, app.css). */
  rendererDir: string;
  /** Where the back end's events go out to pages (GET /api/events). */
  events?: EventHub;
  port: number;
  /** Per-launch secret; generated when omitted. */
  token?: string;
}

export interface RunningServer {
  server: http.Server;
  port: number;
  token: string;
  /** The address to open, token included. */
  url: string;
  close(): Promise<void>;
}

/** Start the browser shell on 127.0.0.1. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const files = await staticFiles(options.rendererDir);
  let port = 0;
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal', message: String(err) } });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    // DNS rebinding: only our own loopback names may address us.
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return send(res, 421, { ok: false, error: { code: 'forbidden', message: 'Unexpected Host header' } });
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname.startsWith('/api/')) return api(req, res, url.pathname.slice(5));
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    const file = files.get(name);
    if (!file) return send(res, 404, { error: 'not found' });
    const body = await fsp.readFile(file);
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(name)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** A request that names no origin (not sent by a browser page) or names our own. */
  function sameOrigin(req: http.IncomingMessage): boolean {
    const origin = req.headers.origin;
    return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  }

  async function api(req: http.IncomingMessage, res: http.ServerResponse, channel: string): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    if (channel === 'events' && req.method === 'GET') return eventStream(req, res);
    if (!tokenMatches(req.headers[TOKEN_HEADER], token)) {
      return send(res, 401, { ok: false, error: { code: 'forbidden', message: 'Missing or wrong token' } });
    }
    if (!sameOrigin(req)) {
      return send(res, 403, { ok: false, error: { code: 'forbidden', message: 'Cross-origin request refused' } });
    }
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'invalid-input', message: 'Use POST' } });
    if (!isChannel(channel)) {
      return send(res, 404, { ok: false, error: { code: 'not-found', message: `Unknown call ${channel}` } });
    }
    if (!isJsonType(req.headers['content-type'])) {
      return send(res, 415, { ok: false, error: { code: 'invalid-input', message: 'Send application/json' } });
    }
    let raw: string;
    try {
      raw = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      return send(res, 413, { ok: false, error: { code: 'invalid-input', message: (err as Error).message } });
    }
    let payload: unknown;
    try {
      payload = raw.trim() === '' ? {} : JSON.parse(raw);
    } catch {
      return send(res, 400, { ok: false, error: { code: 'invalid-input', message: 'Body is not valid JSON' } });
    }
    // Every payload of the contract is an object; anything else is a malformed request, not a call.
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return send(res, 400, { ok: false, error: { code: 'invalid-input', message: 'Body must be a JSON object' } });
    }
    const result = await options.service.dispatch(channel, payload);
    send(res, 200, result);
  }

  /** GET /api/events?token=…: EventSource cannot send headers, so this one stream takes the token in the query. */
  function eventStream(req: http.IncomingMessage, res: http.ServerResponse): void {
    const given = new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? undefined;
    if (!tokenMatches(given, token)) {
      return send(res, 401, { ok: false, error: { code: 'forbidden', message: 'Missing or wrong token' } });
    }
    if (!sameOrigin(req)) {
      return send(res, 403, { ok: false, error: { code: 'forbidden', message: 'Cross-origin request refused' } });
    }
    if (!options.events) return send(res, 404, { ok: false, error: { code: 'not-found', message: 'No events here' } });
    options.events.attach(req, res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        options.events?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function tokenMatches(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `application/json`, with parameters (charset) or not; look-alikes such as `application/json-patch+json` are not. */
function isJsonType(header: string | undefined): boolean {
  return (header ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(json);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit, keep reading but drop the data: destroying the request would also destroy the
    // socket, and the client would get a connection reset instead of the 413 answer. Far past it, stop.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit * 8) {
        reject(new Error(`Request body over ${limit} bytes`));
        req.destroy();
      } else if (size > limit) chunks.length = 0;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > limit) reject(new Error(`Request body over ${limit} bytes`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
    // A client that hangs up mid-body: settle instead of waiting for an end that never comes.
    req.on('close', () => {
      if (!req.complete) reject(new Error('Request body cut off'));
    });
  });
}

/** The files the server may send: exactly those in the renderer folder, by name (no path tricks). */
async function staticFiles(dir: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    throw new Error(`The renderer is not built (${dir} is missing): run \`npm run build\``);
  }
  for (const name of names) {
    const full = path.join(dir, name);
    if ((await fsp.stat(full)).isFile()) map.set(name, full);
  }
  if (!map.has('index.html')) throw new Error(`No index.html in ${dir}: run \`npm run build\``);
  return map;
}
