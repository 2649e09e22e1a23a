// Main process of the desktop shell: a locked-down window on the app:// protocol, the API over IPC, the menu.
import { app, BrowserWindow, Menu, dialog, ipcMain, protocol, shell, type IpcMainInvokeEvent, type MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { GlossService } from '../annotations/api/service.ts';
import { channels } from '../annotations/api/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../web/server.ts';

const SCHEME = 'app';
const ORIGIN = `${SCHEME}://gloss`;

protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } },
]);

/** dist/ of the checkout or of the packaged app (main.cjs lives in dist/electron). */
const distDir = path.resolve(__dirname, '..');
const rendererDir = path.join(distDir, 'renderer');
const resourcesDir = app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.resolve(distDir, '..', 'resources');

let mainWindow: BrowserWindow | null = null;
let service: GlossService;

if (!app.requestSingleInstanceLock()) {
  dialog.showErrorBox('Gloss is already running', 'Another Gloss window is open; use that one.');
  app.quit();
}

app.on('second-instance', () => {
  if (mainWindow?.isMinimized()) mainWindow.restore();
  mainWindow?.focus();
});

/** Only our own page may call the API. */
function trustedSender(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return event.sender === mainWindow?.webContents && url.startsWith(`${ORIGIN}/`);
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
    const name = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = path.resolve(rendererDir, name);
    if (url.host !== 'gloss' || !file.startsWith(rendererDir + path.sep)) return new Response('Not found', { status: 404 });
    try {
      const body = await fsp.readFile(file);
      const type = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' }[
        path.extname(file)
      ];
      return new Response(body, {
        headers: { 'Content-Type': type ?? 'application/octet-stream', 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

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
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  const contents = mainWindow.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    // Links in articles open in the system browser, never in the app.
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  void mainWindow.loadURL(`${ORIGIN}/index.html`);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

app.whenReady().then(async () => {
  const pkg = JSON.parse(await fsp.readFile(path.resolve(distDir, '..', 'package.json'), 'utf8').catch(() => '{}'));
  service = new GlossService({
    shell: 'electron',
    version: pkg.version ?? app.getVersion(),
    userDataDir: app.getPath('userData'),
    resourcesDir,
    chooseFolder,
    onOpened: (ws) => {
      mainWindow?.setTitle(`${ws.view().name} — Gloss`);
      mainWindow?.webContents.send('workspace:opened');
      void buildMenu();
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
});

let flushed = false;
app.on('before-quit', (event) => {
  if (flushed) return;
  // Quitting waits for pending saves.
  event.preventDefault();
  void service.close().finally(() => {
    flushed = true;
    app.quit();
  });
});

app.on('window-all-closed', () => app.quit());
