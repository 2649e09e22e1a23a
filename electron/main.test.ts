// The desktop shell, run against a recording stand-in for the electron module (the Electron binary cannot
// be installed here): window hardening, the app:// protocol, IPC sender checks, preload exposure.
import { promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, buildElectron, buildRenderer } from '../cli/build.ts';
import { channels } from '../annotations/api/contract.ts';

const realRequire = createRequire(import.meta.url);

/** Run a CommonJS bundle with `electron` replaced by `fake`. */
async function runBundle(file: string, fake: unknown): Promise<void> {
  const code = await fsp.readFile(file, 'utf8');
  const module = { exports: {} };
  const require = (id: string) => (id === 'electron' ? fake : realRequire(id));
  new Function('require', 'module', 'exports', '__dirname', '__filename', code)(
    require,
    module,
    module.exports,
    path.dirname(file),
    file,
  );
}

interface FakeWindow {
  options: { webPreferences: Record<string, unknown> };
  url: string;
  openHandler?: (d: { url: string }) => { action: string };
  listeners: Record<string, (...a: unknown[]) => void>;
  webContents: unknown;
}

function fakeElectron(userData: string) {
  let ready!: () => void;
  const whenReady = new Promise<void>((r) => (ready = r));
  const rec = {
    privileged: [] as unknown[],
    handlers: new Map<string, (event: unknown, input: unknown) => Promise<unknown>>(),
    protocolHandler: null as null | ((req: { url: string }) => Promise<Response>),
    windows: [] as FakeWindow[],
    menu: null as unknown,
    sent: [] as string[],
    ready: () => ready(),
  };
  class BrowserWindow {
    webContents: Record<string, unknown>;
    constructor(options: FakeWindow['options']) {
      const win: FakeWindow = { options, url: '', listeners: {}, webContents: null };
      this.webContents = {
        setWindowOpenHandler: (h: FakeWindow['openHandler']) => (win.openHandler = h),
        on: (name: string, l: (...a: unknown[]) => void) => (win.listeners[name] = l),
        session: { setPermissionRequestHandler: () => undefined },
        send: (channel: string) => rec.sent.push(channel),
      };
      win.webContents = this.webContents;
      rec.windows.push(win);
      (this as unknown as { win: FakeWindow }).win = win;
    }
    loadURL(url: string) {
      (this as unknown as { win: FakeWindow }).win.url = url;
      return Promise.resolve();
    }
    on() {}
    setTitle() {}
    isMinimized() {
      return false;
    }
    focus() {}
  }
  const electron = {
    app: {
      isPackaged: false,
      requestSingleInstanceLock: () => true,
      quit: () => undefined,
      on: () => undefined,
      whenReady: () => whenReady,
      getPath: () => userData,
      getVersion: () => '0.0.0',
    },
    BrowserWindow,
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (rec.menu = m) },
    dialog: { showErrorBox: (t: string, m: string) => { throw new Error(`${t}: ${m}`); }, showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
    ipcMain: { handle: (c: string, h: (e: unknown, i: unknown) => Promise<unknown>) => rec.handlers.set(c, h) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => rec.privileged.push(...s),
      handle: (_scheme: string, h: (req: { url: string }) => Promise<Response>) => (rec.protocolHandler = h),
    },
    shell: { openExternal: async () => undefined },
  };
  return { electron, rec };
}

/**
 * Build the app into a temporary tree shaped like the checkout (dist/, resources/, package.json), so
 * tests running at the same time keep reading the real dist/ undisturbed.
 */
async function buildApp(): Promise<string> {
  const app = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-app-'));
  await buildRenderer({ minify: false, outDir: path.join(app, 'dist', 'renderer') });
  await buildElectron({ outDir: path.join(app, 'dist', 'electron') });
  await fsp.symlink(path.join(PROJECT_ROOT, 'resources'), path.join(app, 'resources'));
  await fsp.copyFile(path.join(PROJECT_ROOT, 'package.json'), path.join(app, 'package.json'));
  return app;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('electron/main.ts', () => {
  let rec: ReturnType<typeof fakeElectron>['rec'];

  beforeAll(async () => {
    const app = await buildApp();
    const userData = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-electron-'));
    const fake = fakeElectron(userData);
    rec = fake.rec;
    await runBundle(path.join(app, 'dist', 'electron', 'main.cjs'), fake.electron);
    fake.rec.ready();
    await until(() => rec.windows.length === 1);
  }, 60_000);

  it('registers app:// as a standard, secure scheme', () => {
    expect(rec.privileged).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
  });

  it('opens one hardened window on app://gloss with the preload', () => {
    const [win] = rec.windows;
    expect(win.url).toBe('app://gloss/index.html');
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(win.options.webPreferences.preload)).toMatch(/dist[\\/]electron[\\/]preload\.cjs$/);
    expect(win.openHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    let prevented = false;
    win.listeners['will-navigate']({ preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
  });

  it('handles every channel of the contract over IPC, only for its own page', async () => {
    expect([...rec.handlers.keys()].sort()).toEqual([...channels].sort());
    const [win] = rec.windows;
    const trusted = { sender: win.webContents, senderFrame: { url: 'app://gloss/index.html' } };
    const result = (await rec.handlers.get('workspace:get')!(trusted, {})) as { ok: boolean; value: { documents: unknown[] } };
    expect(result.ok).toBe(true);
    // With no folder named and no recent one, the desktop app opens its copy of the sample corpus.
    expect(result.value.documents).toHaveLength(5);
    const invalid = (await rec.handlers.get('document:load')!(trusted, { docId: 42 })) as { ok: boolean; error: { code: string } };
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const foreign = { sender: win.webContents, senderFrame: { url: 'https://evil.example/' } };
    expect(await rec.handlers.get('workspace:get')!(foreign, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const otherContents = { sender: {}, senderFrame: { url: 'app://gloss/index.html' } };
    expect(await rec.handlers.get('workspace:get')!(otherContents, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('serves the built renderer with the CSP, and nothing outside it', async () => {
    const page = await rec.protocolHandler!({ url: 'app://gloss/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect(page.headers.get('Content-Security-Policy')).not.toContain('unsafe-eval');
    expect(await page.text()).toContain('<div id="root">');
    for (const url of ['app://gloss/../package.json', 'app://gloss/%2e%2e/package.json', 'app://other/index.html']) {
      expect((await rec.protocolHandler!({ url })).status).toBe(404);
    }
  });

  it('builds a File menu with Open Folder and Open Recent', () => {
    const menu = rec.menu as Array<{ label?: string; submenu?: Array<{ label?: string }> }>;
    const file = menu.find((m) => m.label === 'File');
    expect(file?.submenu?.map((i) => i.label)).toEqual(expect.arrayContaining(['Open Folder…', 'Open Recent']));
  });
});

describe('electron/preload.ts', () => {
  it('exposes exactly one function per channel, plus on(), and forwards to ipcRenderer.invoke', async () => {
    const app = await buildApp();
    const exposed: Record<string, Record<string, (...a: unknown[]) => unknown>> = {};
    const invoked: unknown[][] = [];
    const fake = {
      contextBridge: { exposeInMainWorld: (name: string, api: Record<string, (...a: unknown[]) => unknown>) => (exposed[name] = api) },
      ipcRenderer: {
        invoke: (...args: unknown[]) => {
          invoked.push(args);
          return Promise.resolve({ ok: true, value: null });
        },
        on: () => undefined,
        removeListener: () => undefined,
      },
    };
    await runBundle(path.join(app, 'dist', 'electron', 'preload.cjs'), fake);
    expect(Object.keys(exposed)).toEqual(['gloss']);
    expect(Object.keys(exposed.gloss).sort()).toEqual([...channels, 'on'].sort());
    await exposed.gloss['document:load']({ docId: 'd1' });
    expect(invoked).toEqual([['document:load', { docId: 'd1' }]]);
    expect(() => exposed.gloss.on('not-an-event', () => undefined)).toThrow(/Unknown event/);
    expect('ipcRenderer' in exposed.gloss).toBe(false);
  });
});
