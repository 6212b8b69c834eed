// The Electron main process: wiring only. The rules live in ipc.ts, protocol.ts and security.ts.
import path from 'node:path';
import {
  BrowserWindow,
  Notification,
  app,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
} from 'electron';
import { createClientCore, type ClientCore } from '../src/client/core';
import { clientSettingsFromEnv } from '../src/client/settings';
import { centralApiFor, type EmbeddedApi } from '../src/server/embedded';
import { desktopNotifier } from './notify';
import { safeStorageCodec } from './secret-codec';
import { forwardEvents, isTrustedSender, registerBridge } from './ipc';
import { APP_ENTRY_URL, APP_SCHEME } from './origin';
import { createRendererHandler, registerAppScheme } from './protocol';
import {
  applyDownloadPolicy,
  applyPermissionPolicy,
  contentSecurityPolicy,
  hardenWebContents,
  mainWindowOptions,
  plaintextStorageWarning,
} from './security';

const log = (message: string, error?: unknown): void =>
  console.error(`[alo153] ${message}`, error ?? '');

// These take effect only before 'ready'.
app.enableSandbox();
registerAppScheme(protocol);
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the database; it is told (via 'second-instance') to come forward.
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  let core: ClientCore | null = null;
  let unregisterBridge = (): void => {};

  const createMainWindow = (clientCore: ClientCore): BrowserWindow => {
    const window = new BrowserWindow(
      mainWindowOptions({
        preloadPath: path.join(app.getAppPath(), 'dist', 'electron', 'preload.cjs'),
        devTools: !app.isPackaged,
      }),
    );
    const stopEvents = forwardEvents(clientCore.events, window.webContents);
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      stopEvents();
      mainWindow = null;
    });
    void window.loadURL(APP_ENTRY_URL);
    return window;
  };

  let api: EmbeddedApi | null = null;

  const start = async (): Promise<void> => {
    if (process.platform === 'linux') {
      safeStorage.isEncryptionAvailable(); // initialises the backend before we ask which it is
      const warning = plaintextStorageWarning(
        process.platform,
        safeStorage.getSelectedStorageBackend?.(),
      );
      if (warning) console.warn(`[alo153] ${warning}`);
    }

    const appPath = app.getAppPath();
    protocol.handle(
      APP_SCHEME,
      createRendererHandler({
        rendererDir: path.join(appPath, 'dist', 'renderer'),
        contentSecurityPolicy: () =>
          contentSecurityPolicy({ sipServers: core?.phoneServers() ?? [] }),
        log,
      }),
    );
    applyPermissionPolicy(session.defaultSession);
    applyDownloadPolicy(session.defaultSession);

    const dataDir = app.getPath('userData');
    const resourcesDir = app.isPackaged
      ? path.join(process.resourcesPath, 'resources')
      : path.join(appPath, 'resources');
    api = await centralApiFor({ dataDir, resourcesDir, env: process.env });
    core = createClientCore({
      dataDir,
      host: 'electron',
      version: app.getVersion(),
      resourcesDir,
      apiUrl: api.url,
      secretCodec: safeStorageCodec(safeStorage, log),
      desktopNotify: desktopNotifier(
        (options) => new Notification(options),
        () => Notification.isSupported(),
        () => mainWindow,
      ),
      log,
      ...clientSettingsFromEnv(process.env),
    });
    unregisterBridge = registerBridge(ipcMain, core.dispatch, isTrustedSender);
    mainWindow = createMainWindow(core);
  };

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => app.quit());

  app.on('will-quit', () => {
    unregisterBridge();
    void core?.close();
    void api?.close();
    core = null;
  });

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log('startup failed', error);
      dialog.showErrorBox(
        'Alo 153 başlatılamadı',
        'Uygulama açılırken bir hata oluştu. Lütfen bilgi işlem birimine haber verin.\n\n' +
          String(error instanceof Error ? error.message : error),
      );
      app.exit(1);
    });
}
