// Tests of the browser shell: static files, the CSP, and the guards of the HTTP API (token, Host, Origin, body).
import http from 'node:http';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GlossService } from '../annotations/api/service.ts';
import type { Annotation } from '../annotations/model.ts';
import type { LoadedDocument, WorkspaceView } from '../annotations/api/contract.ts';
import { CONTENT_SECURITY_POLICY, MAX_BODY_BYTES, TOKEN_HEADER, startServer, type RunningServer } from './server.ts';
import { EventHub } from './events.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEEDS = path.resolve(here, '../../shared/corpus/seeds');
const INDEX_HTML = '<!doctype html><html><head><script src="app.js"></script></head><body>Gloss test</body></html>\n';
const APP_JS = 'console.log("gloss test app");\n';
const SECRET = 'top secret, outside the renderer folder';

let tmp: string;
let rendererDir: string;
let service: GlossService;
let server: RunningServer;
let base: string;

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with full control over the path and headers (fetch normalizes paths and forbids Host). */
function rawRequest(options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POST a call to the API with the token (unless overridden). */
function callApi(channel: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

beforeAll(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-server-')));
  rendererDir = path.join(tmp, 'renderer');
  await fsp.mkdir(path.join(rendererDir, 'sub'), { recursive: true });
  await fsp.writeFile(path.join(rendererDir, 'index.html'), INDEX_HTML);
  await fsp.writeFile(path.join(rendererDir, 'app.js'), APP_JS);
  await fsp.writeFile(path.join(rendererDir, 'sub', 'nested.js'), 'nested');
  await fsp.writeFile(path.join(tmp, 'secret.txt'), SECRET);
  await fsp.writeFile(path.join(tmp, 'package.json'), SECRET);
  service = new GlossService({ shell: 'browser', version: '0.0.0-test', userDataDir: path.join(tmp, 'user-data'), saveDelayMs: 10 });
  server = await startServer({ service, rendererDir, port: 0 });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  await service?.close();
  await fsp.rm(tmp, { recursive: true, force: true });
});

describe('startServer', () => {
  it('listens on 127.0.0.1 only, on the port it reports', () => {
    const address = server.server.address();
    expect(address).not.toBeNull();
    expect(typeof address).toBe('object');
    const info = address as { address: string; port: number; family: string };
    expect(info.address).toBe('127.0.0.1');
    expect(info.port).toBe(server.port);
    expect(server.port).toBeGreaterThan(0);
    expect(server.token.length).toBeGreaterThanOrEqual(24);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
  });

  it('refuses to start without a built renderer', async () => {
    await expect(startServer({ service, rendererDir: path.join(tmp, 'missing'), port: 0 })).rejects.toThrow(/not built/);
    const empty = path.join(tmp, 'empty-renderer');
    await fsp.mkdir(empty);
    await expect(startServer({ service, rendererDir: empty, port: 0 })).rejects.toThrow(/No index.html/);
  });

  it('uses a given token, and a new random one per launch otherwise', async () => {
    const fixed = await startServer({ service, rendererDir, port: 0, token: 'fixed-token' });
    const other = await startServer({ service, rendererDir, port: 0 });
    try {
      expect(fixed.token).toBe('fixed-token');
      expect(other.token).not.toBe(server.token);
      const res = await fetch(`http://127.0.0.1:${fixed.port}/api/workspace:get`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: 'fixed-token' },
        body: '{}',
      });
      expect(res.status).toBe(200);
    } finally {
      await fixed.close();
      await other.close();
    }
  });
});

describe('static files', () => {
  it('serves index.html at / with a strict Content-Security-Policy', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(INDEX_HTML);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy');
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    const directives = new Map(
      csp!.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    const scriptSrc = directives.get('script-src');
    expect(scriptSrc).toBeDefined();
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(scriptSrc).not.toContain('*');
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('serves the other files of the renderer folder with their type', async () => {
    const res = await fetch(`${base}/app.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(APP_JS);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${base}/index.html`)).status).toBe(200);
  });

  it('answers HEAD without a body', async () => {
    const res = await rawRequest({ method: 'HEAD', path: '/app.js', headers: { host: `127.0.0.1:${server.port}` } });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
  });

  it('refuses other methods on static paths', async () => {
    expect((await fetch(`${base}/`, { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await fetch(`${base}/app.js`, { method: 'DELETE' })).status).toBe(405);
  });

  it('answers 404 for unknown files and files in subfolders', async () => {
    expect((await fetch(`${base}/nope.js`)).status).toBe(404);
    expect((await fetch(`${base}/sub/nested.js`)).status).toBe(404);
    expect((await fetch(`${base}/sub`)).status).toBe(404);
  });

  const traversals = [
    '/../package.json',
    '/%2e%2e/package.json',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/sub/../../secret.txt',
    '/%2Fetc%2Fpasswd',
    '/etc/passwd',
  ];
  for (const p of traversals) {
    it(`never serves a file outside the renderer folder: ${p}`, async () => {
      const res = await rawRequest({ path: p, headers: { host: `127.0.0.1:${server.port}` } });
      expect(res.status).toBe(404);
      expect(res.body).not.toContain(SECRET);
    });
  }

  it('never leaks a file for a protocol-relative request target', async () => {
    // '//secret.txt' parses as a URL with host 'secret.txt' and path '/': whatever is answered, it is
    // never the file outside the renderer folder.
    const res = await rawRequest({ path: '//secret.txt', headers: { host: `127.0.0.1:${server.port}` } });
    expect(res.body).not.toContain(SECRET);
    expect([200, 404]).toContain(res.status);
    if (res.status === 200) expect(res.body).toBe(INDEX_HTML);
  });

  it('answers 404 to fetch-normalized traversal paths too', async () => {
    for (const p of ['/../package.json', '/%2e%2e/package.json']) {
      const res = await fetch(`${base}${p}`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain(SECRET);
    }
  });
});

describe('Host header (DNS rebinding)', () => {
  it('accepts 127.0.0.1 and localhost with our port', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) {
      const res = await rawRequest({ path: '/', headers: { host } });
      expect(res.status).toBe(200);
    }
  });

  for (const host of ['evil.example', 'evil.example:80', '127.0.0.1', 'localhost', '127.0.0.1:1', '[::1]']) {
    it(`answers 421 to Host: ${host}`, async () => {
      const page = await rawRequest({ path: '/', headers: { host } });
      expect(page.status).toBe(421);
      expect(page.body).not.toContain('Gloss test');
      const api = await rawRequest({
        method: 'POST',
        path: '/api/workspace:get',
        headers: { host: host.replace(':1', `:${server.port + 1}`), 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
        body: '{}',
      });
      expect(api.status).toBe(421);
      expect(JSON.parse(api.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    });
  }
});

describe('API guards', () => {
  it('answers 401 without the token', async () => {
    const res = await fetch(`${base}/api/workspace:get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 401 with a wrong token, of the same or another length', async () => {
    const sameLength = server.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    for (const token of [sameLength, 'short', server.token + 'x', '']) {
      const res = await callApi('workspace:get', {}, { [TOKEN_HEADER]: token });
      expect(res.status).toBe(401);
    }
  });

  it('answers 200 { ok: true } with the token', async () => {
    const res = await callApi('workspace:get', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ ok: true, value: null });
  });

  it('accepts our own origin and refuses another site with 403', async () => {
    expect((await callApi('workspace:get', {}, { origin: base })).status).toBe(200);
    expect((await callApi('workspace:get', {}, { origin: `http://localhost:${server.port}` })).status).toBe(200);
    for (const origin of ['http://evil.example', `http://127.0.0.1:${server.port + 1}`, `https://127.0.0.1:${server.port}`, 'null']) {
      const res = await callApi('workspace:get', {}, { origin });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('refuses the event stream to another site, even with the token', async () => {
    const hub = new EventHub();
    const withEvents = await startServer({ service, rendererDir, port: 0, events: hub });
    const status = (origin: string | undefined) =>
      new Promise<number>((resolve, reject) => {
        const headers: Record<string, string> = { host: `127.0.0.1:${withEvents.port}` };
        if (origin) headers.origin = origin;
        const req = http.request(
          { host: '127.0.0.1', port: withEvents.port, path: `/api/events?token=${withEvents.token}`, headers, agent: false },
          (res) => {
            resolve(res.statusCode ?? 0);
            req.destroy();
          },
        );
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await status('http://evil.example')).toBe(403);
      expect(await status(`http://127.0.0.1:${withEvents.port}`)).toBe(200);
      expect(await status(undefined)).toBe(200);
    } finally {
      await withEvents.close();
    }
  });

  it('answers 404 for an unknown channel', async () => {
    const res = await callApi('workspace:format', {});
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect((await callApi('__proto__', {})).status).toBe(404);
  });

  it('answers 405 to GET on the API', async () => {
    const res = await fetch(`${base}/api/workspace:get`, { headers: { [TOKEN_HEADER]: server.token } });
    expect(res.status).toBe(405);
  });

  it('answers 415 to a body that is not declared as JSON', async () => {
    const res = await callApi('workspace:get', '{}', { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    for (const type of ['application/json-patch+json', 'application/jsonp', 'text/json']) {
      expect((await callApi('workspace:get', '{}', { 'content-type': type })).status, type).toBe(415);
    }
    for (const type of ['application/json; charset=utf-8', 'Application/JSON']) {
      expect((await callApi('workspace:get', '{}', { 'content-type': type })).status, type).toBe(200);
    }
  });

  it('answers 400 to a JSON body that is not an object', async () => {
    for (const body of ['[]', '[{}]', '"workspace:get"', '42', 'null', 'true']) {
      const res = await callApi('workspace:get', body);
      expect(res.status, body).toBe(400);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
  });

  it('answers 400 to a body that is not JSON', async () => {
    for (const body of ['{not json', 'undefined', '{"a":1']) {
      const res = await callApi('workspace:get', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
  });

  it('treats an empty body as an empty payload', async () => {
    const res = await callApi('workspace:get', '');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, value: null });
  });

  it('accepts a body of exactly MAX_BODY_BYTES, and answers 413 to one byte more', async () => {
    const exact = '{}' + ' '.repeat(MAX_BODY_BYTES - 2);
    expect(Buffer.byteLength(exact)).toBe(MAX_BODY_BYTES);
    const ok = await callApi('workspace:get', exact);
    expect(ok.status).toBe(200);

    const over = await callApi('workspace:get', exact + ' ');
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    const wayOver = await callApi('workspace:get', 'x'.repeat(MAX_BODY_BYTES * 3));
    expect(wayOver.status).toBe(413);

    // The server is still fine afterwards.
    expect((await callApi('workspace:get', {})).status).toBe(200);
  });

  it('returns invalid payloads as { ok: false } with status 200', async () => {
    const res = await callApi('document:load', { docId: 'd1', extra: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const none = await callApi('annotations:create', { docId: 'd1', annotation: { id: 'a', label: 'ORG', start: 0, end: 1 } });
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});

describe('API calls over HTTP with a folder open', () => {
  it('loads a document and creates, deletes and restores an annotation', async () => {
    const corpus = path.join(tmp, 'corpus');
    await fsp.mkdir(corpus);
    for (const name of await fsp.readdir(SEEDS)) {
      await fsp.copyFile(path.join(SEEDS, name), path.join(corpus, name));
      await fsp.chmod(path.join(corpus, name), 0o644);
    }
    await service.openFolder(corpus);

    const view = ((await (await callApi('workspace:get', {})).json()) as { value: WorkspaceView }).value;
    expect(view.folder).toBe(corpus);
    const docId = view.documents[0].id;
    const loaded = ((await (await callApi('document:load', { docId })).json()) as { value: LoadedDocument }).value;
    const start = Array.from(loaded.text.slice(0, loaded.text.indexOf('Baghouz'))).length;

    const created = await (
      await callApi('annotations:create', { docId, annotation: { id: 'h1', label: 'LOCATION', start, end: start + 7 } })
    ).json();
    expect(created).toMatchObject({ ok: true, value: { id: 'h1', text: 'Baghouz', start, end: start + 7 } });

    const deleted = (await (await callApi('annotations:delete', { docId, id: 'h1' })).json()) as { ok: true; value: { annotation: Annotation; relations: unknown[] } };
    expect(deleted.ok).toBe(true);
    expect(deleted.value.relations).toEqual([]);
    const restored = await (await callApi('annotations:restore', { docId, annotation: deleted.value.annotation })).json();
    expect(restored).toEqual({ ok: true, value: deleted.value.annotation });

    const stored = JSON.parse(await fsp.readFile(path.join(corpus, '.gloss', 'docs', `${docId}.json`), 'utf8'));
    expect(stored.annotations).toEqual([deleted.value.annotation]);
  });
});
