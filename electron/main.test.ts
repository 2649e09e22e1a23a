// The desktop shell, run against a recording stand-in for the electron module (the Electron binary cannot
// be installed here): window hardening, the app:// protocol, IPC sender checks, preload exposure, the
// packaging fuses and the security lint.
import { promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, buildElectron, buildRenderer } from '../cli/build.ts';
import { channels } from '../annotations/api/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../web/server.ts';
import { ACCEPTED, judge, scanFolder, stageShell, type Finding } from './check-security.ts';

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

type Listener = (...a: unknown[]) => unknown;

interface FakeContents {
  listeners: Record<string, Listener>;
  openHandler?: (d: { url: string }) => { action: string };
  mainFrame: { url: string };
}

interface FakeWindow {
  options: { webPreferences: Record<string, unknown> };
  url: string;
  focused: number;
  webContents: FakeContents;
}

/** A navigation event as Electron 41 passes it: the details object carries the URL. */
function navigation(url: string) {
  const event = { url, prevented: false, preventDefault: () => (event.prevented = true) };
  return event;
}

function fakeElectron(userData: string, options: { singleInstance?: boolean } = {}) {
  let ready!: () => void;
  const whenReady = new Promise<void>((r) => (ready = r));
  const rec = {
    privileged: [] as unknown[],
    sandboxEnabled: false,
    whenReadyCalls: 0,
    quits: 0,
    appListeners: {} as Record<string, Listener[]>,
    handlers: new Map<string, (event: unknown, input: unknown) => Promise<unknown>>(),
    protocolHandler: null as null | ((req: Request) => Promise<Response>),
    windows: [] as FakeWindow[],
    menu: null as unknown,
    sent: [] as string[],
    permissionRequest: null as null | ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void),
    permissionCheck: null as null | ((wc: unknown, permission: string, origin: string) => boolean),
    devicePermission: null as null | ((details: unknown) => boolean),
    /** Message boxes shown, and the button the stand-in user clicks next. */
    messageBoxes: [] as Array<{ message: string; detail: string; buttons: string[]; cancelId: number }>,
    nextResponse: 0,
    opened: [] as string[],
    ready: () => ready(),
  };
  const emit = (name: string, ...args: unknown[]) => (rec.appListeners[name] ?? []).forEach((l) => l(...args));
  class BrowserWindow {
    webContents: FakeContents & Record<string, unknown>;
    private win: FakeWindow;
    constructor(options: FakeWindow['options']) {
      const contents = {
        listeners: {} as Record<string, Listener>,
        mainFrame: { url: '' },
        setWindowOpenHandler: (h: FakeContents['openHandler']) => (contents.openHandler = h),
        on: (name: string, l: Listener) => (contents.listeners[name] = l),
        send: (channel: string) => rec.sent.push(channel),
      } as FakeContents & Record<string, unknown>;
      this.webContents = contents;
      this.win = { options, url: '', focused: 0, webContents: contents };
      rec.windows.push(this.win);
      emit('web-contents-created', {}, contents);
    }
    loadURL(url: string) {
      this.win.url = url;
      this.webContents.mainFrame.url = url;
      return Promise.resolve();
    }
    on() {}
    setTitle() {}
    isMinimized() {
      return false;
    }
    focus() {
      this.win.focused++;
    }
  }
  const electron = {
    app: {
      isPackaged: false,
      enableSandbox: () => (rec.sandboxEnabled = true),
      requestSingleInstanceLock: () => options.singleInstance ?? true,
      quit: () => rec.quits++,
      on: (name: string, l: Listener) => (rec.appListeners[name] ??= []).push(l),
      whenReady: () => {
        rec.whenReadyCalls++;
        return whenReady;
      },
      getPath: () => userData,
      getVersion: () => '0.0.0',
    },
    BrowserWindow,
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (rec.menu = m) },
    dialog: {
      showErrorBox: (t: string, m: string) => {
        throw new Error(`${t}: ${m}`);
      },
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showMessageBox: async (...args: unknown[]) => {
        rec.messageBoxes.push(args[args.length - 1] as (typeof rec.messageBoxes)[number]);
        return { response: rec.nextResponse, checkboxChecked: false };
      },
    },
    ipcMain: { handle: (c: string, h: (e: unknown, i: unknown) => Promise<unknown>) => rec.handlers.set(c, h) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => rec.privileged.push(...s),
      handle: (_scheme: string, h: (req: Request) => Promise<Response>) => (rec.protocolHandler = h),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof rec.permissionRequest) => (rec.permissionRequest = h),
        setPermissionCheckHandler: (h: typeof rec.permissionCheck) => (rec.permissionCheck = h),
        setDevicePermissionHandler: (h: typeof rec.devicePermission) => (rec.devicePermission = h),
      },
    },
    shell: {
      openExternal: async (url: string) => {
        rec.opened.push(url);
      },
    },
  };
  return { electron, rec, emit };
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

/** Let pending promise callbacks (the dialog, then openExternal) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

let appDir: string;

beforeAll(async () => {
  appDir = await buildApp();
}, 60_000);

describe('electron/main.ts', () => {
  let rec: ReturnType<typeof fakeElectron>['rec'];
  let emit: ReturnType<typeof fakeElectron>['emit'];
  let win: FakeWindow;

  let userData: string;

  beforeAll(async () => {
    userData = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-electron-'));
    const fake = fakeElectron(userData);
    rec = fake.rec;
    emit = fake.emit;
    await runBundle(path.join(appDir, 'dist', 'electron', 'main.cjs'), fake.electron);
    expect(rec.sandboxEnabled).toBe(true);
    fake.rec.ready();
    await until(() => rec.windows.length === 1);
    win = rec.windows[0];
  }, 60_000);

  it('registers app:// as a standard, secure scheme that does not bypass the CSP', () => {
    expect(rec.privileged).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    const privileges = (rec.privileged[0] as { privileges: Record<string, unknown> }).privileges;
    expect(privileges.bypassCSP).toBeFalsy();
    expect(privileges.allowServiceWorkers).toBeFalsy();
  });

  it('sandboxes every renderer and opens one hardened window on app://gloss with the preload', () => {
    expect(rec.sandboxEnabled).toBe(true);
    expect(win.url).toBe('app://gloss/index.html');
    const prefs = win.options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
    expect(String(prefs.preload)).toMatch(/dist[\\/]electron[\\/]preload\.cjs$/);
  });

  it('hardens every web contents the app creates, not only the main window', () => {
    const other = { listeners: {} as Record<string, Listener>, openHandler: undefined as FakeContents['openHandler'] } as FakeContents & Record<string, unknown>;
    other.setWindowOpenHandler = (h: FakeContents['openHandler']) => (other.openHandler = h);
    other.on = (name: string, l: Listener) => (other.listeners[name] = l);
    emit('web-contents-created', {}, other);
    expect(other.openHandler?.({ url: 'app://gloss/index.html' })).toEqual({ action: 'deny' });
    expect(Object.keys(other.listeners).sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
  });

  it('denies navigation and redirects away from app://gloss, in every frame', () => {
    const away = ['https://evil.example/', 'http://127.0.0.1:7733/', 'file:///etc/passwd', 'app://other/index.html', 'javascript:alert(1)', 'data:text/html,x', 'not a url'];
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      for (const url of away) {
        const event = navigation(url);
        win.webContents.listeners[name](event);
        expect(event.prevented, `${name} ${url}`).toBe(true);
      }
      const home = navigation('app://gloss/index.html');
      win.webContents.listeners[name](home);
      expect(home.prevented, name).toBe(false);
    }
  });

  it('refuses to attach a <webview>', () => {
    const event = navigation('');
    win.webContents.listeners['will-attach-webview'](event);
    expect(event.prevented).toBe(true);
  });

  it('denies every new window; opens an http(s) link in the browser only after the user confirms', async () => {
    const open = (url: string) => win.webContents.openHandler!({ url });
    rec.messageBoxes.length = 0;
    rec.opened.length = 0;

    // Never anything but http(s): no dialog, no browser.
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'mailto:a@b.example', 'app://gloss/index.html', 'ms-msdt:x', 'garbage', `https://example.org/${'a'.repeat(3000)}`]) {
      expect(open(url)).toEqual({ action: 'deny' });
    }
    await settle();
    expect(rec.messageBoxes).toEqual([]);
    expect(rec.opened).toEqual([]);

    // The user cancels: nothing opens.
    rec.nextResponse = 0;
    expect(open('https://example.org/report?id=1')).toEqual({ action: 'deny' });
    await settle();
    expect(rec.messageBoxes).toHaveLength(1);
    expect(rec.messageBoxes[0].detail).toBe('https://example.org/report?id=1');
    expect(rec.messageBoxes[0].message).toContain('example.org');
    expect(rec.messageBoxes[0].buttons[rec.messageBoxes[0].cancelId]).toBe('Cancel');
    expect(rec.opened).toEqual([]);

    // The user confirms: exactly the address shown opens (the host as the URL parser reads it).
    rec.nextResponse = 1;
    expect(open('http://user@evil.example/x')).toEqual({ action: 'deny' });
    await settle();
    expect(rec.messageBoxes).toHaveLength(2);
    expect(rec.messageBoxes[1].message).toContain('evil.example');
    expect(rec.opened).toEqual([rec.messageBoxes[1].detail]);
    expect(rec.opened).toEqual(['http://user@evil.example/x']);
    rec.nextResponse = 0;
  });

  it('asks one question at a time, so a page cannot pile up dialogs', async () => {
    rec.messageBoxes.length = 0;
    for (let i = 0; i < 20; i++) win.webContents.openHandler!({ url: `https://example.org/${i}` });
    await settle();
    expect(rec.messageBoxes).toHaveLength(1);
  });

  it('denies every permission request and every permission check', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen', 'midiSysex']) {
      const answers: boolean[] = [];
      rec.permissionRequest!(win.webContents, permission, (granted) => answers.push(granted));
      expect(answers, permission).toEqual([false]);
      expect(rec.permissionCheck!(win.webContents, permission, 'app://gloss'), permission).toBe(false);
    }
    expect(rec.devicePermission!({ deviceType: 'usb', origin: 'app://gloss' })).toBe(false);
  });

  it('handles every channel of the contract over IPC, only for the top frame of its own page', async () => {
    expect([...rec.handlers.keys()].sort()).toEqual([...channels].sort());
    const trusted = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    const result = (await rec.handlers.get('workspace:get')!(trusted, {})) as { ok: boolean; value: { documents: unknown[] } };
    expect(result.ok).toBe(true);
    // With no folder named and no recent one, the desktop app opens its copy of the sample corpus.
    expect(result.value.documents).toHaveLength(5);
    const invalid = (await rec.handlers.get('document:load')!(trusted, { docId: 42 })) as { ok: boolean; error: { code: string } };
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const refused = [
      { sender: win.webContents, senderFrame: { url: 'https://evil.example/' } },
      { sender: win.webContents, senderFrame: { url: 'app://gloss/index.html' } }, // a sub-frame, even of our origin
      { sender: win.webContents, senderFrame: null },
      { sender: {}, senderFrame: win.webContents.mainFrame },
    ];
    for (const event of refused) {
      expect(await rec.handlers.get('workspace:get')!(event, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    win.webContents.mainFrame.url = 'https://evil.example/';
    try {
      expect(await rec.handlers.get('workspace:get')!(trusted, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      win.webContents.mainFrame.url = 'app://gloss/index.html';
    }
  });

  it('serves the built renderer with the CSP, and nothing outside it', async () => {
    const page = await rec.protocolHandler!(new Request('app://gloss/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(await page.text()).toContain('<div id="root">');
    for (const url of ['app://gloss/../package.json', 'app://gloss/%2e%2e/package.json', 'app://gloss/..%2fpackage.json', 'app://other/index.html']) {
      expect((await rec.protocolHandler!(new Request(url))).status, url).toBe(404);
    }
    expect((await rec.protocolHandler!(new Request('app://gloss/index.html', { method: 'POST', body: 'x' }))).status).toBe(404);
  });

  it('forwards back-end events to the window: a new file in the open folder is announced', async () => {
    await fsp.writeFile(path.join(userData, 'sample-corpus', 'new-report.txt'), 'New report\n\nShelling in Hajin.\n');
    await until(() => rec.sent.includes('corpus:changed'));
  });

  it('builds a File menu with Open Folder and Open Recent', () => {
    const menu = rec.menu as Array<{ label?: string; submenu?: Array<{ label?: string }> }>;
    const file = menu.find((m) => m.label === 'File');
    expect(file?.submenu?.map((i) => i.label)).toEqual(expect.arrayContaining(['Open Folder…', 'Open Recent']));
  });

  it('brings its window to the front when a second instance starts', () => {
    const before = win.focused;
    emit('second-instance', {}, [], '/');
    expect(win.focused).toBe(before + 1);
  });

  it('quits at once, without a window or the API, when another instance holds the lock', async () => {
    const userData = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-electron-second-'));
    const second = fakeElectron(userData, { singleInstance: false });
    await runBundle(path.join(appDir, 'dist', 'electron', 'main.cjs'), second.electron);
    second.rec.ready();
    await settle();
    expect(second.rec.quits).toBe(1);
    expect(second.rec.whenReadyCalls).toBe(0);
    expect(second.rec.windows).toEqual([]);
    expect(second.rec.handlers.size).toBe(0);
  });

  it('never loads remote content or the removed remote module', async () => {
    for (const file of ['main.cjs', 'preload.cjs']) {
      const code = await fsp.readFile(path.join(appDir, 'dist', 'electron', file), 'utf8');
      expect(code, file).not.toMatch(/@electron\/remote|enableRemoteModule|loadURL\(\s*["'`]https?:/);
    }
  });
});

describe('electron/preload.ts', () => {
  it('exposes exactly one function per channel, plus on(), and forwards to ipcRenderer.invoke', async () => {
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
    await runBundle(path.join(appDir, 'dist', 'electron', 'preload.cjs'), fake);
    expect(Object.keys(exposed)).toEqual(['gloss']);
    expect(Object.keys(exposed.gloss).sort()).toEqual([...channels, 'on'].sort());
    await exposed.gloss['document:load']({ docId: 'd1' });
    expect(invoked).toEqual([['document:load', { docId: 'd1' }]]);
    expect(() => exposed.gloss.on('not-an-event', () => undefined)).toThrow(/Unknown event/);
    expect('ipcRenderer' in exposed.gloss).toBe(false);
  });
});

describe('the page the shells load', () => {
  it("carries the shared CSP in its meta tag too (less frame-ancestors, which a meta tag cannot set)", async () => {
    const html = await fsp.readFile(path.join(PROJECT_ROOT, 'renderer', 'index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
    expect(meta).not.toBeNull();
    const expected = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors'));
    expect(meta![1].split('; ')).toEqual(expected);
  });
});

describe('electron-builder.yml', () => {
  it('is a valid electron-builder configuration that sets every security fuse', async () => {
    const builderRequire = createRequire(realRequire.resolve('electron-builder'));
    const yaml = builderRequire('js-yaml') as { load(text: string): Record<string, unknown> };
    const { validateConfiguration } = builderRequire('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const config = yaml.load(await fsp.readFile(path.join(PROJECT_ROOT, 'electron-builder.yml'), 'utf8'));
    await expect(validateConfiguration(config, { add: () => undefined, isEnabled: false })).resolves.toBeUndefined();
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    // The validator is real: a misspelt fuse is refused.
    const misspelt = { ...config, electronFuses: { ...(config.electronFuses as object), runAsNodes: false } };
    await expect(validateConfiguration(misspelt, { add: () => undefined, isEnabled: false })).rejects.toThrow(/electronFuses/);
  });
});

describe('electron/check-security.ts (npm run lint:security)', () => {
  const finding = (over: Partial<Finding>): Finding => ({
    id: 'X_CHECK',
    severity: 'MEDIUM',
    confidence: 'FIRM',
    file: 'electron/main.ts',
    line: 1,
    sample: '',
    description: '',
    ...over,
  });

  it('passes the shell as it is: no HIGH or MEDIUM finding that is not a reviewed exception', async () => {
    const stage = await stageShell();
    try {
      const verdict = judge(await scanFolder(stage));
      expect(verdict.blocking).toEqual([]);
      expect(verdict.stale).toEqual([]);
      expect(verdict.accepted.map((f) => f.id).sort()).toEqual(ACCEPTED.map((a) => a.id).sort());
    } finally {
      await fsp.rm(stage, { recursive: true, force: true });
    }
  }, 60_000);

  it('fails an insecure window: no isolation, no sandbox, no web security, remote content, no limits', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-insecure-'));
    try {
      await fsp.writeFile(path.join(dir, 'package.json'), JSON.stringify({ devDependencies: { electron: '^41.0.0' } }));
      await fsp.writeFile(
        path.join(dir, 'main.js'),
        [
          "const { app, BrowserWindow } = require('electron');",
          'app.whenReady().then(() => {',
          '  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });',
          "  win.loadURL('http://example.org/');",
          '});',
        ].join('\n'),
      );
      const verdict = judge(await scanFolder(dir));
      const ids = verdict.blocking.map((f) => f.id);
      expect(ids).toEqual(
        expect.arrayContaining([
          'CONTEXT_ISOLATION_JS_CHECK',
          'SANDBOX_JS_CHECK',
          'WEB_SECURITY_JS_CHECK',
          'HTTP_RESOURCES_JS_CHECK',
          'LIMIT_NAVIGATION_GLOBAL_CHECK',
          'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
        ]),
      );
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('accepts only the reviewed occurrence, and reports exceptions that no longer occur', () => {
    const accepted = [{ id: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/main.ts', sample: 'shell.openExternal(parsed.href)', why: 'reviewed' }];
    const reviewed = finding({ id: 'OPEN_EXTERNAL_JS_CHECK', sample: 'if (ok) await shell.openExternal(parsed.href);' });
    const another = finding({ id: 'OPEN_EXTERNAL_JS_CHECK', sample: 'shell.openExternal(url)' });
    const elsewhere = finding({ id: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/other.ts', sample: 'shell.openExternal(parsed.href)' });
    const low = finding({ id: 'CSP_GLOBAL_CHECK', severity: 'LOW' });
    const high = finding({ id: 'NODE_INTEGRATION_JS_CHECK', severity: 'HIGH' });
    const verdict = judge([reviewed, another, elsewhere, low, high], accepted);
    expect(verdict.accepted).toEqual([{ ...reviewed, why: 'reviewed' }]);
    expect(verdict.blocking).toEqual([another, elsewhere, high]);
    expect(verdict.other).toEqual([low]);
    expect(verdict.stale).toEqual([]);
    expect(judge([low], accepted).stale).toEqual(accepted);
  });
});
