// Fuzzing the API surface: malformed payloads on every channel of the contract, through GlossService.dispatch
// (what IPC reaches) and over HTTP to a real browser shell, plus raw HTTP garbage. Seeded: set
// GLOSS_FUZZ_SEED to replay or to explore another sequence; the seed is printed.
import http from 'node:http';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, type Result, type WorkspaceView } from '../annotations/api/contract.ts';
import { GlossService } from '../annotations/api/service.ts';
import { DocumentFile, WorkspaceFile, type Annotation } from '../annotations/model.ts';
import { MAX_BODY_BYTES, TOKEN_HEADER, startServer, type RunningServer } from '../web/server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEEDS = path.resolve(here, '../../shared/corpus/seeds');
const SEED = Number(process.env.GLOSS_FUZZ_SEED ?? 20_260_611) >>> 0;
/** Generated payloads per channel and per carrier. */
const CASES_PER_CHANNEL = 300;
const ERROR_CODES = ['invalid-input', 'not-found', 'conflict', 'unavailable', 'forbidden'];
/** Longest error message: an answer must not echo a huge payload back. */
const MAX_MESSAGE = 2000;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick };
}
type Rng = ReturnType<typeof prng>;

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const PATHS = ['../../etc/passwd', '/etc/passwd', '..\\..\\windows\\win.ini', 'C:\\Windows', '%2e%2e%2f%2e%2e%2fetc', 'file:///etc/passwd', '.gloss/workspace.json', 'docs/../../x.json', '\\\\server\\share'];
const NUMBERS = [0, -0, -1, 1, 0.5, -0.5, 1e308, -1e308, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1e-300, 3.000001];
const NUMBERISH = ['NaN', 'Infinity', '-Infinity', '-1', '0x10', '1e3', '', ' ', '0', '1.5', 'null', 'undefined', 'true'];
const UNICODE = ['\u0000', '\uD800', '\uDFFF', '\uD83D', '\u202E', '\u200B', '\uFEFF', '\uFFFF', '😀', 'é', '\u0301', '\r\n', '\u2028', '<script>alert(1)</script>', "'; DROP TABLE x; --", '${7*7}', '{{7*7}}'];

function unicodeGarbage(rng: Rng, max: number): string {
  let s = '';
  const n = rng.int(max) + 1;
  for (let i = 0; i < n; i++) s += rng.next() < 0.5 ? rng.pick(UNICODE) : String.fromCharCode(rng.int(0x10000));
  return s;
}

function hugeString(rng: Rng): string {
  return rng.pick(['a', '\u00e9', '😀', '\u0000', '/']).repeat(rng.pick([1_000, 70_000, 300_000]));
}

/** An object with an own property under `key`, even `__proto__` (as JSON.parse and structured clone make it). */
function withOwn(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
  return obj;
}

function deeplyNested(rng: Rng): unknown {
  let v: unknown = rng.pick([1, 'x', null, {}]);
  const depth = rng.pick([50, 500, 2_000]);
  for (let i = 0; i < depth; i++) v = rng.next() < 0.5 ? [v] : { a: v };
  return v;
}

/** Any value at all, of any JSON type, sometimes hostile. */
function garbage(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 2 ? 9 : 12)) {
    case 0:
      return null;
    case 1:
      return rng.next() < 0.5;
    case 2:
      return rng.pick(NUMBERS);
    case 3:
      return rng.pick(NUMBERISH);
    case 4:
      return unicodeGarbage(rng, 40);
    case 5:
      return rng.pick(PATHS);
    case 6:
      return rng.pick(PROTO_KEYS);
    case 7:
      return rng.next() < 0.9 ? `${rng.pick(['d', 'a', 'x', ''])}${rng.int(1000)}` : hugeString(rng);
    case 8:
      return undefined;
    case 9:
      return Array.from({ length: rng.int(5) }, () => garbage(rng, depth + 1));
    case 10: {
      const obj: Record<string, unknown> = {};
      for (let i = rng.int(5); i > 0; i--) withOwn(obj, rng.next() < 0.4 ? rng.pick(PROTO_KEYS) : unicodeGarbage(rng, 8), garbage(rng, depth + 1));
      return obj;
    }
    default:
      return deeplyNested(rng);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every path to a value inside a payload. */
function paths(v: unknown, prefix: string[] = []): string[][] {
  if (!isPlainObject(v)) return [prefix];
  return [prefix, ...Object.keys(v).flatMap((k) => paths(v[k], [...prefix, k]))];
}

function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

/** A wrong offset: negative, fractional, huge, past the end, a string, NaN-like. */
function badOffset(rng: Rng): unknown {
  return rng.pick<unknown>([-1, -0, 0.5, 1.5, -(2 ** 31), 2 ** 31, 2 ** 53, 1e308, 10_000_000, '3', 'NaN', null, true, [], {}, Number.MAX_SAFE_INTEGER + 2]);
}

/** Mutate a valid payload into (usually) an invalid one. */
function mutate(rng: Rng, valid: unknown): { payload: unknown; how: string } {
  const payload = clone(valid);
  const roll = rng.int(10);
  if (roll === 0 || !isPlainObject(payload)) return { payload: garbage(rng), how: 'replaced by garbage' };
  const all = paths(payload).filter((p) => p.length > 0);
  const target = all.length ? rng.pick(all) : [];
  const parent = target.slice(0, -1).reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, payload);
  const key = target[target.length - 1];
  switch (roll) {
    case 1:
      if (key !== undefined) delete parent[key];
      return { payload, how: `without ${target.join('.')}` };
    case 2: {
      const extra = rng.next() < 0.5 ? rng.pick(PROTO_KEYS) : rng.pick(['path', 'folder', 'file', 'text', 'attrs', 'note', 'polluted', unicodeGarbage(rng, 6), hugeString(rng)]);
      withOwn(rng.next() < 0.5 ? payload : parent, extra, rng.next() < 0.5 ? { polluted: true } : garbage(rng));
      return { payload, how: `extra key ${JSON.stringify(extra).slice(0, 40)}` };
    }
    case 3:
    case 4:
      if (key !== undefined) parent[key] = /start|end/.test(key) ? badOffset(rng) : garbage(rng);
      return { payload, how: `${target.join('.')} = garbage` };
    case 5:
      if (key !== undefined) parent[key] = rng.pick([hugeString(rng), rng.pick(PATHS), unicodeGarbage(rng, 200)]);
      return { payload, how: `${target.join('.')} = long, path-like or odd string` };
    case 6:
      if (key !== undefined) parent[key] = rng.next() < 0.5 ? [parent[key]] : String(parent[key]);
      return { payload, how: `${target.join('.')} wrapped or stringified` };
    case 7:
      return { payload: rng.pick([[payload], JSON.stringify(payload), 42, 'x', true, null, []]), how: 'wrong payload type' };
    case 8: {
      // Offsets that are integers but wrong for the text: reversed, empty, past the end.
      const holder = [payload, payload.annotation, payload.changes].find((o) => isPlainObject(o) && 'start' in o) as Record<string, number> | undefined;
      if (holder) {
        const s = rng.int(5000);
        [holder.start, holder.end] = rng.pick([
          [s + 5, s],
          [s, s],
          [s, s + 10_000_000],
          [Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER],
        ]);
      }
      return { payload, how: 'integer offsets wrong for the text' };
    }
    default:
      if (key !== undefined) parent[key] = deeplyNested(rng);
      return { payload, how: `${target.join('.')} deeply nested` };
  }
}

/** What is wrong with an answer, or null when it is a clean Result. */
function problemWith(result: unknown): string | null {
  if (!isPlainObject(result)) return `not an object: ${String(result).slice(0, 80)}`;
  if (result.ok === true) return 'value' in result ? null : 'ok without a value';
  if (result.ok !== false) return `ok is ${String(result.ok)}`;
  const error = result.error;
  if (!isPlainObject(error)) return 'error is not an object';
  if (!ERROR_CODES.includes(error.code as string)) return `error code ${String(error.code)}: ${String(error.message).slice(0, 300)}`;
  if (typeof error.message !== 'string' || error.message.length === 0) return 'empty error message';
  if (error.message.length > MAX_MESSAGE) return `error message of ${error.message.length} characters`;
  return null;
}

let tmp: string;

/** A corpus folder with copies of the seed articles. */
async function seedCorpus(name: string): Promise<string> {
  const folder = path.join(tmp, name);
  await fsp.mkdir(folder);
  for (const file of await fsp.readdir(SEEDS)) {
    await fsp.copyFile(path.join(SEEDS, file), path.join(folder, file));
    await fsp.chmod(path.join(folder, file), 0o644);
  }
  return folder;
}

/** Every store file of a corpus still parses and validates, and nothing was quarantined. */
async function expectStoreValid(folder: string): Promise<void> {
  const store = path.join(folder, '.gloss');
  WorkspaceFile.parse(JSON.parse(await fsp.readFile(path.join(store, 'workspace.json'), 'utf8')));
  const docs = await fsp.readdir(path.join(store, 'docs'));
  expect(docs.length).toBeGreaterThan(0);
  for (const name of docs) {
    if (name.endsWith('.json')) DocumentFile.parse(JSON.parse(await fsp.readFile(path.join(store, 'docs', name), 'utf8')));
  }
  const quarantined = await fsp.readdir(path.join(store, 'quarantine')).catch(() => []);
  expect(quarantined).toEqual([]);
}

interface Fixture {
  service: GlossService;
  folder: string;
  docId: string;
  /** Annotations that exist in the document, to aim updates and deletes at. */
  existing: Annotation[];
  recentId: string;
  /** An EVENT and a DATE of the document (not among `existing`), to aim relations at. */
  event: string;
  date: string;
  labels: WorkspaceView['labels'];
  relationTypes: WorkspaceView['relationTypes'];
}

async function fixture(name: string): Promise<Fixture> {
  const folder = await seedCorpus(name);
  // Saves without the editing debounce: the fuzzer's rare valid writes should not wait for quiet.
  const service = new GlossService({ shell: 'browser', version: 'fuzz', userDataDir: path.join(tmp, `${name}-user-data`), saveDelayMs: 0 });
  const ws = await service.openFolder(folder);
  const view = ws.view();
  const docId = view.documents[0].id;
  const existing: Annotation[] = [];
  for (let i = 0; i < 5; i++) {
    const result = await service.dispatch('annotations:create', { docId, annotation: { id: `seed${i}`, label: view.labels[0].name, start: i * 10, end: i * 10 + 4 } });
    if (!result.ok) throw new Error(result.error.message);
    existing.push(result.value as Annotation);
  }
  for (const [id, label, start] of [['fzevent', 'EVENT', 100], ['fzdate', 'DATE', 110]] as const) {
    const result = await service.dispatch('annotations:create', { docId, annotation: { id, label, start, end: start + 4 } });
    if (!result.ok) throw new Error(result.error.message);
  }
  const recent = (await service.dispatch('workspace:recent', {})) as Result<Array<{ id: string }>>;
  if (!recent.ok) throw new Error(recent.error.message);
  return { service, folder, docId, existing, recentId: recent.value[0].id, event: 'fzevent', date: 'fzdate', labels: view.labels, relationTypes: view.relationTypes };
}

/** A valid payload for a channel, built on the fixture's live data. */
function validPayload(rng: Rng, channel: string, f: Fixture): unknown {
  const a = rng.pick(f.existing);
  const start = rng.int(2000);
  switch (channel) {
    case 'workspace:openRecent':
      return { id: f.recentId };
    case 'document:load':
      return { docId: f.docId };
    case 'annotations:create':
      return { docId: f.docId, annotation: { id: `fz${rng.int(1e9)}`, label: 'PERSON', start, end: start + 1 + rng.int(20) } };
    case 'annotations:update':
      return rng.next() < 0.5
        ? { docId: f.docId, id: a.id, changes: { label: 'ORG', start: a.start, end: a.end } }
        : { docId: f.docId, id: a.id, changes: { attrs: { entity: null }, note: 'checked' } };
    case 'annotations:occurrences':
      return { docId: f.docId, text: rng.pick(['the', 'ISIS', 'Baghouz', 'fighters']), label: 'PERSON', scope: rng.pick(['document', 'corpus']) };
    case 'annotations:createMany':
      return { items: [{ docId: f.docId, annotation: { id: `fz${rng.int(1e9)}`, label: 'PERSON', start, end: start + 1 + rng.int(20) } }] };
    case 'relations:create':
      return { docId: f.docId, relation: { id: `fz${rng.int(1e9)}`, type: 'time', from: f.event, to: f.date } };
    case 'relations:delete':
      return { docId: f.docId, id: `fz${rng.int(1e9)}` };
    case 'document:setDate':
      return { docId: f.docId, dct: rng.pick(['2017-09-08', '2019-03-04', null]) };
    case 'schema:update':
      // The schema as it is: mutations rename, drop or break parts of it (a used label is refused).
      return { labels: f.labels, relationTypes: f.relationTypes };
    case 'entities:apply':
      return { batch: { upsert: [{ id: `e:fz${rng.int(1e9)}`, name: 'Fuzz', type: 'PERSON', aliases: ['F'] }], remove: [], relink: [] } };
    case 'entities:mentions':
      return { entityId: `e:fz${rng.int(1e9)}` };
    case 'annotations:delete':
      return { docId: f.docId, id: `fz${rng.int(1e9)}` };
    case 'annotations:restore':
      return { docId: f.docId, annotation: { ...a, id: `fz${rng.int(1e9)}` } };
    case 'backups:restore':
      return { id: `b${rng.int(1000)}`, file: 'workspace.json' };
    default:
      return {};
  }
}

const cases: Record<string, number> = { dispatch: 0, http: 0, httpRaw: 0 };
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-fuzz-')));
  process.on('unhandledRejection', onUnhandled);
  console.log(`fuzz seed ${SEED} (replay with GLOSS_FUZZ_SEED=${SEED})`);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  console.log(`fuzz cases: ${JSON.stringify(cases)}`);
  await fsp.rm(tmp, { recursive: true, force: true });
});

function expectUnpolluted(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
  const probe: Record<string, unknown> = {};
  expect(probe.polluted).toBeUndefined();
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
}

describe(`GlossService.dispatch under fuzzing (seed ${SEED})`, () => {
  let f: Fixture;

  beforeAll(async () => {
    f = await fixture('dispatch-corpus');
  }, 60_000);

  afterAll(async () => {
    await f?.service.close();
  });

  it(`answers ${CASES_PER_CHANNEL} malformed payloads per channel with clean Results`, async () => {
    const rng = prng(SEED);
    const failures: string[] = [];
    for (const channel of channels) {
      for (let i = 0; i < CASES_PER_CHANNEL; i++) {
        const { payload, how } = mutate(rng, validPayload(rng, channel, f));
        cases.dispatch++;
        let result: unknown;
        try {
          result = await f.service.dispatch(channel, payload);
        } catch (err) {
          failures.push(`${channel} #${i} (${how}): threw ${String(err)}`);
          continue;
        }
        const problem = problemWith(result);
        if (problem) failures.push(`${channel} #${i} (${how}): ${problem}`);
      }
    }
    expect(failures.slice(0, 20), `seed ${SEED}`).toEqual([]);
    expectUnpolluted();
    expect(unhandled).toEqual([]);

    // Still working, and the store on disk is intact.
    const loaded = await f.service.dispatch('document:load', { docId: f.docId });
    expect(loaded.ok).toBe(true);
    expect((await f.service.dispatch('workspace:flush', {})).ok).toBe(true);
    await expectStoreValid(f.folder);
  }, 300_000);

  it('refuses a restore with attrs nested thousands deep or oversized fields, and the document stays writable', async () => {
    const base = { ...f.existing[0], id: 'deep1' };
    await f.service.dispatch('annotations:delete', { docId: f.docId, id: 'deep1' });
    let deep = '1';
    for (let i = 0; i < 20_000; i++) deep = `{"a":${deep}}`;
    const hostile = [
      { ...base, attrs: JSON.parse(`{"x":${deep}}`) },
      { ...base, attrs: { list: Array.from({ length: 5000 }, (_, i) => i) } },
      { ...base, attrs: JSON.parse('{"__proto__":{"polluted":true},"x":1}'), author: 'a'.repeat(1_000_000) },
      { ...base, note: 'n'.repeat(1_000_000) },
      { ...base, created: 'c'.repeat(10_000) },
    ];
    for (const annotation of hostile) {
      const result = await f.service.dispatch('annotations:restore', { docId: f.docId, annotation });
      expect(problemWith(result)).toBeNull();
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    // Reasonable attrs still go through, and later saves of the document still work.
    const fine = await f.service.dispatch('annotations:restore', { docId: f.docId, annotation: { ...base, attrs: { source: 'wire', tags: ['a', 'b'], score: 0.5 } } });
    expect(fine).toMatchObject({ ok: true, value: { id: 'deep1', attrs: { source: 'wire', tags: ['a', 'b'], score: 0.5 } } });
    const after = await f.service.dispatch('annotations:create', { docId: f.docId, annotation: { id: 'deep2', label: 'PERSON', start: 200, end: 204 } });
    expect(after.ok).toBe(true);
    expectUnpolluted();
    await expectStoreValid(f.folder);
  });
});

describe(`the HTTP API under fuzzing (seed ${SEED})`, () => {
  let f: Fixture;
  let server: RunningServer;

  /** POST raw bytes with full control of the headers. */
  function post(channel: string, body: string | Buffer, headers: http.OutgoingHttpHeaders | Array<[string, string]>): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        // A fresh connection each time: a kept-alive socket can be reset by the server's idle timeout just as it is reused.
        { host: '127.0.0.1', port: server.port, method: 'POST', path: `/api/${channel}`, headers: headers as http.OutgoingHttpHeaders, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  const goodHeaders = () => ({ host: `127.0.0.1:${server.port}`, 'content-type': 'application/json', [TOKEN_HEADER]: server.token });

  beforeAll(async () => {
    f = await fixture('http-corpus');
    const rendererDir = path.join(tmp, 'renderer');
    await fsp.mkdir(rendererDir, { recursive: true });
    await fsp.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>fuzz</title>');
    server = await startServer({ service: f.service, rendererDir, port: 0 });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await f?.service.close();
  });

  it(`answers ${CASES_PER_CHANNEL} malformed payloads per channel with clean Results`, async () => {
    const rng = prng(SEED ^ 0x5eed);
    const failures: string[] = [];
    for (const channel of channels) {
      for (let i = 0; i < CASES_PER_CHANNEL; i++) {
        const { payload, how } = mutate(rng, validPayload(rng, channel, f));
        const body = JSON.stringify(payload) ?? '';
        cases.http++;
        const res = await post(channel, body, goodHeaders());
        if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
          if (res.status !== 413) failures.push(`${channel} #${i} (${how}): status ${res.status} for an oversized body`);
          continue;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(res.body);
        } catch {
          failures.push(`${channel} #${i} (${how}): status ${res.status}, body not JSON: ${res.body.slice(0, 80)}`);
          continue;
        }
        if (res.status === 400) {
          // Only a body that is not a JSON object is refused before the service.
          if (isPlainObject(payload) || body === '' || problemWith(parsed)) failures.push(`${channel} #${i} (${how}): 400 for ${body.slice(0, 80)}`);
          continue;
        }
        if (res.status !== 200) failures.push(`${channel} #${i} (${how}): status ${res.status}`);
        const problem = problemWith(parsed);
        if (problem) failures.push(`${channel} #${i} (${how}): ${problem}`);
      }
    }
    expect(failures.slice(0, 20), `seed ${SEED}`).toEqual([]);
    expectUnpolluted();
    expect(unhandled).toEqual([]);

    const res = await post('document:load', JSON.stringify({ docId: f.docId }), goodHeaders());
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true });
    expect((await f.service.dispatch('workspace:flush', {})).ok).toBe(true);
    await expectStoreValid(f.folder);
  }, 300_000);

  it('answers raw HTTP garbage with a clean 4xx, and keeps serving', async () => {
    const h = goodHeaders();
    const garbageRequests: Array<{ name: string; channel?: string; body: string | Buffer; headers: http.OutgoingHttpHeaders | Array<[string, string]>; status: number }> = [
      { name: 'invalid JSON', body: '{"docId": ', headers: h, status: 400 },
      { name: 'JSON with a trailing comma', body: '{"docId": "x",}', headers: h, status: 400 },
      { name: 'a JSON array body', body: '[]', headers: h, status: 400 },
      { name: 'a JSON array of a payload', body: JSON.stringify([{ docId: 'x' }]), headers: h, status: 400 },
      { name: 'a JSON string body', body: '"document:load"', headers: h, status: 400 },
      { name: 'a JSON number body', body: '42', headers: h, status: 400 },
      { name: 'a JSON null body', body: 'null', headers: h, status: 400 },
      { name: 'a byte-order mark before the JSON', body: '\uFEFF{}', headers: h, status: 400 },
      { name: 'invalid UTF-8', body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), headers: h, status: 400 },
      { name: 'JSON nested 100 000 deep', body: `{"docId":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, headers: h, status: 200 },
      { name: 'a 3 MB body', body: `{"docId":"${'x'.repeat(3 * 1024 * 1024)}"}`, headers: h, status: 413 },
      { name: 'text/plain', body: '{}', headers: { ...h, 'content-type': 'text/plain' }, status: 415 },
      { name: 'a JSON look-alike type', body: '{}', headers: { ...h, 'content-type': 'application/json-patch+json' }, status: 415 },
      { name: 'form data', body: 'docId=x', headers: { ...h, 'content-type': 'application/x-www-form-urlencoded' }, status: 415 },
      { name: 'multipart', body: '--b\r\n\r\n{}\r\n--b--', headers: { ...h, 'content-type': 'multipart/form-data; boundary=b' }, status: 415 },
      { name: 'no content type', body: '{}', headers: { host: h.host, [TOKEN_HEADER]: server.token }, status: 415 },
      { name: 'no token', body: '{}', headers: { host: h.host, 'content-type': 'application/json' }, status: 401 },
      {
        name: 'the token header twice',
        body: '{}',
        headers: [
          ['host', h.host],
          ['content-type', 'application/json'],
          [TOKEN_HEADER, server.token],
          [TOKEN_HEADER, server.token],
        ],
        status: 401,
      },
      { name: 'the token in another case', body: '{}', headers: { ...h, [TOKEN_HEADER]: server.token.toUpperCase() === server.token ? server.token.toLowerCase() : server.token.toUpperCase() }, status: 401 },
      { name: 'the token cut short', body: '{}', headers: { ...h, [TOKEN_HEADER]: server.token.slice(0, -1) }, status: 401 },
      { name: 'an unknown channel', channel: 'workspace:format', body: '{}', headers: h, status: 404 },
      { name: 'a prototype key as channel', channel: 'constructor', body: '{}', headers: h, status: 404 },
      { name: 'a path as channel', channel: '..%2f..%2fetc%2fpasswd', body: '{}', headers: h, status: 404 },
    ];
    for (const g of garbageRequests) {
      cases.httpRaw++;
      const res = await post(g.channel ?? 'document:load', g.body, g.headers);
      expect(res.status, g.name).toBe(g.status);
      const answer = JSON.parse(res.body);
      expect(answer, g.name).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
      expect(problemWith(answer), g.name).toBeNull();
    }

    // A body cut off mid-way: the connection drops, the server does not.
    await new Promise<void>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/document:load', headers: { ...h, 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('{"docId":');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 20);
    });
    cases.httpRaw++;

    const res = await post('document:load', JSON.stringify({ docId: f.docId }), h);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true });
    expect(unhandled).toEqual([]);
  }, 60_000);
});
