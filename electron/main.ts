// The Electron main process: wiring only. The rules live in ipc.ts, protocol.ts, security.ts,
// tray.ts, updater.ts, window-state.ts and src/domain (shell-policy, shell, update-policy).
import os from 'node:os';
import path from 'node:path';
import {
  BrowserWindow,
  Menu,
  Notification,
  Tray,
  app,
  dialog,
  ipcMain,
  nativeImage,
  protocol,
  safeStorage,
  screen,
  session,
} from 'electron';
import { autoUpdater } from 'electron-updater';
import { createClientCore, type ClientCore } from '../src/client/core';
import { bundledStoreWorker } from '../src/client/sync/store-thread';
import { openDeskLog } from '../src/client/log-file';
import { clientSettingsFromEnv } from '../src/client/settings';
import { t } from '../src/domain/i18n/tr';
import { collectEnvErrors, EnvError } from '../src/domain/settings/env';
import { centralApiFor, centralApiSettingsFromEnv, type EmbeddedApi } from '../src/server/embedded';
import type { ShellPort } from '../src/client/shell-port';
import { closeAction, closeToTrayFromEnv, IDLE_SHELL_STATE } from '../src/domain/shell';
import type { ShellCommand, ShellState } from '../src/domain/shell';
import type { AuthStatus } from '../src/domain/session';
import { updateCheckHours, updateFeedUrl } from '../src/domain/update-policy';
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
import { createTrayController } from './tray';
import { trayIconPng } from './tray-icon';
import { startDeskUpdates } from './updater';
import { storeWorkerFile } from './store-worker-path';
import { bringForward } from './window';
import { LAST_USED, fileWindowStateStore, restoreBounds } from './window-state';

const dataDir = app.getPath('userData');

// These take effect only before 'ready'.
app.enableSandbox();
registerAppScheme(protocol);
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the database (and the log); it is told (via 'second-instance') to
  // come forward.
  app.quit();
} else {
  // One rotating log file per PC (in the user's data folder), no personal data (log-file.ts).
  const deskLog = openDeskLog(path.join(dataDir, 'logs'), {
    echo: (line) => console.error(`[alo153] ${line}`),
  });
  const log = (message: string, error?: unknown): void => deskLog.log(message, error);
  let mainWindow: BrowserWindow | null = null;
  let core: ClientCore | null = null;
  let unregisterBridge = (): void => {};
  let quitting = false;
  let shellState: ShellState = IDLE_SHELL_STATE;
  let userId = LAST_USED;
  const closeToTray = closeToTrayFromEnv(process.env.ALO153_CLOSE_TO_TRAY);
  const windowStates = fileWindowStateStore(dataDir);
  const command = (c: ShellCommand) => core?.events.emit('shell.command', c);

  const saveBounds = (window: BrowserWindow) => {
    if (window.isDestroyed() || window.isMinimized()) return;
    const bounds = window.isMaximized() ? window.getNormalBounds() : window.getBounds();
    windowStates.save(userId, { ...bounds, maximized: window.isMaximized() });
  };
  const applyBounds = (window: BrowserWindow, id: string) => {
    const saved = windowStates.load(id);
    if (!saved) return;
    const { bounds, maximized } = restoreBounds(
      saved,
      screen.getAllDisplays().map((d) => d.workArea),
    );
    window.setBounds(bounds);
    if (maximized) window.maximize();
  };

  const createMainWindow = (clientCore: ClientCore): BrowserWindow => {
    const restored = restoreBounds(
      windowStates.load(LAST_USED),
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const window = new BrowserWindow({
      ...mainWindowOptions({
        preloadPath: path.join(app.getAppPath(), 'dist', 'electron', 'preload.cjs'),
        devTools: !app.isPackaged,
      }),
      ...restored.bounds,
    });
    if (restored.maximized) window.maximize();
    const stopEvents = forwardEvents(clientCore.events, window.webContents);
    window.once('ready-to-show', () => window.show());
    let saveTimer: ReturnType<typeof setTimeout> | null = null;
    const saveSoon = () => {
      if (saveTimer) clearTimeout(saveTimer);
      saveTimer = setTimeout(() => saveBounds(window), 1000);
    };
    window.on('resize', saveSoon);
    window.on('move', saveSoon);
    window.on('close', (event) => {
      saveBounds(window);
      const action = closeAction({
        closeToTray,
        hasTray: tray !== null,
        quitting,
        state: shellState,
      });
      if (action === 'hide') {
        // A registered phone keeps running in the tray, so no call is missed.
        event.preventDefault();
        window.hide();
      }
    });
    window.on('closed', () => {
      stopEvents();
      mainWindow = null;
    });
    void window.loadURL(APP_ENTRY_URL);
    return window;
  };

  // The user signs in: their own window size and position.
  const followUser = (clientCore: ClientCore) =>
    clientCore.events.subscribe((event) => {
      if (event !== 'auth.changed') return;
      void clientCore.dispatch('auth.status', {}).then((result) => {
        const user = result.ok ? (result.value as AuthStatus).user : null;
        userId = user?.id ?? LAST_USED;
        if (user && mainWindow) applyBounds(mainWindow, user.id);
      });
    });

  let tray: ReturnType<typeof createTrayController> | null = null;
  const startTray = () => {
    try {
      const trayIcon = new Tray(nativeImage.createFromBuffer(trayIconPng('unregistered', 0)));
      tray = createTrayController({
        tray: trayIcon,
        setMenu: (template) => trayIcon.setContextMenu(Menu.buildFromTemplate(template)),
        icon: (state, due) => nativeImage.createFromBuffer(trayIconPng(state, due)),
        setBadge: (count) => app.setBadgeCount(count),
        actions: {
          setAgentState: (state, reason) => command({ command: 'agent.state', state, reason }),
          showWindow: () => bringForward(mainWindow),
          openDiagnostics: () => {
            bringForward(mainWindow);
            command({ command: 'diagnostics.open' });
          },
          quit: () => {
            quitting = true;
            app.quit();
          },
        },
      });
    } catch (error) {
      // Some Linux desktops have no tray: then closing the window closes the app.
      log('no tray on this desktop', error);
      tray = null;
    }
  };

  const updates = startDeskUpdates({
    updater: autoUpdater,
    feedUrl: app.isPackaged ? updateFeedUrl(process.env) : null,
    installId: os.hostname(),
    everyHours: updateCheckHours(process.env.ALO153_UPDATE_CHECK_HOURS),
    ask: (version) => {
      bringForward(mainWindow);
      command({ command: 'update.ready', version });
    },
    log,
  });

  const shell: ShellPort = {
    onState(state) {
      shellState = state;
      tray?.update(state);
      updates.onShellState(state);
    },
    updateAnswer(answer) {
      updates.answer(answer);
      return true;
    },
    diagnostics: () => ({
      Güncelleme: updates.status(),
      'Pencere kapatılınca': closeToTray ? 'simge durumunda çalışmaya devam' : 'uygulama kapanır',
    }),
  };

  let api: EmbeddedApi | null = null;

  const start = async (): Promise<void> => {
    if (process.platform === 'linux') {
      safeStorage.isEncryptionAvailable(); // initialises the backend before we ask which it is
      const warning = plaintextStorageWarning(
        process.platform,
        safeStorage.getSelectedStorageBackend?.(),
      );
      if (warning) log(warning);
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

    const resourcesDir = resourcesDirOf();
    // Every bad environment variable, the desk's and its embedded API's, at once (in Turkish).
    const [deskSettings] = collectEnvErrors(t('settings.invalid'), 'tr', [
      () => clientSettingsFromEnv(process.env),
      () => centralApiSettingsFromEnv(process.env),
    ]);
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
      logFile: deskLog,
      shell,
      log,
      storeWorker: bundledStoreWorker(storeWorkerFile(appPath)),
      ...deskSettings,
    });
    log(`Alo 153 ${app.getVersion()} started (Electron ${process.versions.electron})`);
    unregisterBridge = registerBridge(ipcMain, core.dispatch, isTrustedSender);
    followUser(core);
    startTray();
    mainWindow = createMainWindow(core);
  };

  function resourcesDirOf(): string {
    return app.isPackaged
      ? path.join(process.resourcesPath, 'resources')
      : path.join(app.getAppPath(), 'resources');
  }

  app.on('second-instance', () => bringForward(mainWindow));

  app.on('before-quit', () => {
    quitting = true;
  });

  app.on('window-all-closed', () => app.quit());

  app.on('will-quit', () => {
    updates.stop();
    tray?.destroy();
    unregisterBridge();
    void core?.close();
    void api?.close();
    void deskLog.close();
    core = null;
  });

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log('startup failed', error);
      if (error instanceof EnvError) {
        // A bad setting is the installer's to fix: say which, and nothing else.
        dialog.showErrorBox('Alo 153 başlatılamadı', error.message);
        app.exit(1);
        return;
      }
      dialog.showErrorBox(
        'Alo 153 başlatılamadı',
        'Uygulama açılırken bir hata oluştu. Lütfen bilgi işlem birimine haber verin.\n\n' +
          String(error instanceof Error ? error.message : error),
      );
      app.exit(1);
    });
}
