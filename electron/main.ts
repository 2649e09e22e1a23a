// Main process of the desktop shell: a locked-down window on the app:// protocol, the API over IPC, the menu.
import {
  app,
  BrowserWindow,
  Menu,
  dialog,
  ipcMain,
  protocol,
  session,
  shell,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
  type Session,
  type WebContents,
} from 'electron';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { GlossService } from '../annotations/api/service.ts';
import { channels } from '../annotations/api/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../web/server.ts';

const SCHEME = 'app';
const HOST = 'gloss';
const ORIGIN = `${SCHEME}://${HOST}`;
/** Longest link the app offers to open in the browser; longer ones cannot be shown whole in the dialog. */
const MAX_EXTERNAL_URL = 2048;

protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } },
]);
// Every renderer is sandboxed, whatever its webPreferences say.
app.enableSandbox();

/** dist/ of the checkout or of the packaged app (main.cjs lives in dist/electron). */
const distDir = path.resolve(__dirname, '..');
const rendererDir = path.join(distDir, 'renderer');
const resourcesDir = app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.resolve(distDir, '..', 'resources');

let mainWindow: BrowserWindow | null = null;
let service: GlossService;

/** Is this URL a page of the app itself (app://gloss/…)? */
function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${SCHEME}:` && parsed.host === HOST;
  } catch {
    return false;
  }
}

/** Only the top frame of our own window, showing our own page, may call the API. */
function trustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return (
    mainWindow !== null &&
    event.sender === mainWindow.webContents &&
    frame !== null &&
    frame === event.sender.mainFrame &&
    isAppUrl(frame.url)
  );
}

function registerIpc(): void {
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!trustedSender(event)) return { ok: false, error: { code: 'forbidden', message: 'Untrusted sender' } };
      return service.dispatch(channel, input);
    });
  }
}

function serveApp(): void {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (request.method !== 'GET' || url.host !== HOST) return new Response('Not found', { status: 404 });
    const name = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = path.resolve(rendererDir, name);
    if (!file.startsWith(rendererDir + path.sep)) return new Response('Not found', { status: 404 });
    try {
      const body = await fsp.readFile(file);
      const type = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' }[
        path.extname(file)
      ];
      return new Response(body, {
        headers: {
          'Content-Type': type ?? 'application/octet-stream',
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

/**
 * Deny every permission the page could ask for or probe (camera, notifications, clipboard reads,
 * devices…): the reader needs none, and article text must never be able to reach them.
 */
function lockSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

let askingExternal = false;

/**
 * Offer to open a link in the system browser: only http(s), and only once the user has seen the
 * address and said yes. One question at a time, so a page cannot pile up dialogs.
 */
async function offerExternal(url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.href.length > MAX_EXTERNAL_URL || askingExternal) return;
  askingExternal = true;
  try {
    const options = {
      type: 'question' as const,
      title: 'Open link',
      message: `Open a page on ${parsed.host} in your web browser?`,
      detail: parsed.href,
      buttons: ['Cancel', 'Open in Browser'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    };
    const { response } = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
    if (response === 1) await shell.openExternal(parsed.href);
  } finally {
    askingExternal = false;
  }
}

/** Whatever a page tries, it stays on app://gloss: no navigation away, no new windows, no <webview>. */
function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    // Links in articles may open in the system browser, never in the app.
    void offerExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

app.on('web-contents-created', (_event, contents) => hardenContents(contents));

async function buildMenu(): Promise<void> {
  const recent = await service.handlers['workspace:recent']({});
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', click: () => void chooseAndOpen() },
        {
          label: 'Open Recent',
          submenu: recent.length
            ? recent.map((r) => ({ label: r.folder, click: () => void openAndNotify(r.folder) }))
            : [{ label: 'No recent folders', enabled: false }],
        },
        { label: 'Open Sample Corpus', click: () => void service.sampleCorpus().then(openAndNotify) },
        { type: 'separator' },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => mainWindow?.webContents.send('menu:dataset', 'export') },
        { label: 'Import…', accelerator: 'CmdOrCtrl+I', click: () => mainWindow?.webContents.send('menu:dataset', 'import') },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function chooseFolder(): Promise<string | null> {
  const result = mainWindow
    ? await dialog.showOpenDialog(mainWindow, { properties: ['openDirectory'] })
    : await dialog.showOpenDialog({ properties: ['openDirectory'] });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function chooseAndOpen(): Promise<void> {
  const folder = await chooseFolder();
  if (folder) await openAndNotify(folder);
}

async function openAndNotify(folder: string): Promise<void> {
  try {
    await service.openFolder(folder);
  } catch (err) {
    dialog.showErrorBox('Cannot open folder', (err as Error).message);
  }
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1360,
    height: 860,
    title: 'Gloss',
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
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
      safeDialogs: true,
      spellcheck: false,
    },
  });
  void mainWindow.loadURL(`${ORIGIN}/index.html`);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

async function start(): Promise<void> {
  lockSession(session.defaultSession);
  const pkg = JSON.parse(await fsp.readFile(path.resolve(distDir, '..', 'package.json'), 'utf8').catch(() => '{}'));
  service = new GlossService({
    shell: 'electron',
    version: pkg.version ?? app.getVersion(),
    userDataDir: app.getPath('userData'),
    resourcesDir,
    chooseFolder,
    onOpened: (ws) => {
      mainWindow?.setTitle(`${ws.view().name} — Gloss`);
      void buildMenu();
    },
    onEvent: (event, payload) => mainWindow?.webContents.send(event, payload),
    chooseExportTarget: async (writer) => {
      if (!mainWindow) return null;
      if (writer.defaultOutput.endsWith('/')) {
        const title = `Export as ${writer.name}: choose an empty folder`;
        const r = await dialog.showOpenDialog(mainWindow, { title, properties: ['openDirectory', 'createDirectory'] });
        return r.canceled ? null : (r.filePaths[0] ?? null);
      }
      const r = await dialog.showSaveDialog(mainWindow, { title: `Export as ${writer.name}`, defaultPath: writer.defaultOutput });
      return r.canceled ? null : (r.filePath ?? null);
    },
    chooseImportFile: async (reader) => {
      if (!mainWindow) return null;
      const title = `Import ${reader.name}: choose a file or folder`;
      const r = await dialog.showOpenDialog(mainWindow, { title, properties: ['openFile', 'openDirectory'] });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  });
  serveApp();
  registerIpc();
  const requested = process.argv.slice(app.isPackaged ? 1 : 2).find((a) => !a.startsWith('-') && a !== '.');
  try {
    await service.openFolder(requested ? path.resolve(requested) : await service.defaultFolder());
  } catch (err) {
    dialog.showErrorBox('Cannot open folder', (err as Error).message);
  }
  await buildMenu();
  createWindow();
}

// One instance: a second launch hands over to the first (which comes to the front) and quits.
if (app.requestSingleInstanceLock()) {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  void app.whenReady().then(start);
} else {
  app.quit();
}

let flushed = false;
app.on('before-quit', (event) => {
  if (flushed || !service) return;
  // Quitting waits for pending saves.
  event.preventDefault();
  void service.close().finally(() => {
    flushed = true;
    app.quit();
  });
});

app.on('window-all-closed', () => app.quit());
