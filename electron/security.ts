import type {
  BrowserWindowConstructorOptions,
  Session,
  WebContents,
  WebPreferences,
  WindowOpenHandlerResponse,
} from 'electron';
import {
  isAllowedDownload,
  isPermissionAllowed,
  type WebPermission,
} from '../src/domain/shell-policy';
import { APP_ORIGIN, isAppUrl } from './origin';

// The Electron security checklist (electronjs.org/docs/latest/tutorial/security) as small,
// separately tested functions. main.ts only wires them up.

export interface WindowSecurityOptions {
  preloadPath: string;
  /** Only in development builds; packaged builds ship without DevTools. */
  devTools: boolean;
}

export function secureWebPreferences({ preloadPath, devTools }: WindowSecurityOptions) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    // Chromium downloads spellcheck dictionaries from Google at runtime; not from a municipal
    // workstation. Revisit with a locally shipped Turkish dictionary if agents ask for it.
    spellcheck: false,
    devTools,
  } as const satisfies WebPreferences;
}

export function mainWindowOptions(options: WindowSecurityOptions): BrowserWindowConstructorOptions {
  return {
    title: 'Alo 153',
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    // Shown on 'ready-to-show' so the agent never sees a blank white window.
    show: false,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(options),
  };
}

export {
  pageContentSecurityPolicy as contentSecurityPolicy,
  type CspOptionsOfPolicy as CspOptions,
} from '../src/domain/shell-policy';

// --- Navigation and new windows ---------------------------------------------------------------

export interface NavigationEvent {
  readonly url: string;
  preventDefault(): void;
}

/** Keeps the window on our origin (sub-frames are shut by CSP). True when it was blocked. */
export function blockForeignNavigation(event: NavigationEvent): boolean {
  if (isAppUrl(event.url)) return false;
  event.preventDefault();
  return true;
}

/**
 * Every window.open / target=_blank is denied, including https links: opening the system
 * browser would need `shell.openExternal`, which must never see page-controlled input without
 * an allow-list. When the UI needs external links, add that allow-list here, in one place.
 */
export function denyWindowOpen(): WindowOpenHandlerResponse {
  return { action: 'deny' };
}

/** Applied from app 'web-contents-created' to every WebContents, ours or not. */
export function hardenWebContents(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>) {
  contents.on('will-navigate', (event) => blockForeignNavigation(event));
  contents.on('will-redirect', (event) => blockForeignNavigation(event));
  // webviewTag is off; this is the second lock in case a window is ever created without it.
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(denyWindowOpen);
}

// --- Permissions ------------------------------------------------------------------------------

export interface PermissionRequestDetails {
  readonly isMainFrame: boolean;
  readonly requestingUrl?: string;
  readonly securityOrigin?: string;
  readonly mediaTypes?: readonly string[];
}

/**
 * Electron's permission names as the shared shell policy's web permission names
 * (src/domain/shell-policy.ts), so one list decides for both hosts. 'media' is the microphone
 * only when nothing but audio is asked for; unknown names map to nothing and are denied.
 */
export function webPermissionOf(
  permission: string,
  mediaTypes: readonly string[] | undefined,
): WebPermission | null {
  switch (permission) {
    case 'media': {
      const types = mediaTypes ?? [];
      if (types.length === 0) return null;
      return types.every((type) => type === 'audio') ? 'microphone' : 'camera';
    }
    case 'notifications':
      return 'notifications';
    case 'geolocation':
      return 'geolocation';
    case 'clipboard-read':
      return 'clipboard-read';
    case 'clipboard-sanitized-write':
      return 'clipboard-write';
    case 'midi':
    case 'midiSysex':
      return 'midi';
    case 'display-capture':
      return 'display-capture';
    case 'idle-detection':
      return 'idle-detection';
    case 'window-management':
      return 'window-management';
    case 'storage-access':
    case 'top-level-storage-access':
      return 'storage-access';
    default:
      return null;
  }
}

/**
 * Grants what the shell policy grants (the microphone, for the softphone) to our own top-level
 * page, nothing else: camera, screen, geolocation, clipboard, MIDI, HID… are denied, and so are
 * web notifications — desktop notifications are the bridge event `app.notification`, raised by
 * the main process with Electron's Notification API (notify.ts), which needs no web permission.
 */
export function isPermissionRequestGranted(
  permission: string,
  details: PermissionRequestDetails,
): boolean {
  if (!details.isMainFrame) return false;
  if (!isAppUrl(details.requestingUrl)) return false;
  if (details.securityOrigin !== undefined && !isAppUrl(details.securityOrigin)) return false;
  const web = webPermissionOf(permission, details.mediaTypes);
  return web !== null && isPermissionAllowed(web);
}

export interface PermissionCheckDetails {
  readonly isMainFrame: boolean;
  readonly securityOrigin?: string;
  readonly mediaType?: string;
}

/** The synchronous "is it granted?" check (e.g. enumerateDevices labels); same rule as above. */
export function isPermissionCheckGranted(
  permission: string,
  requestingOrigin: string,
  details: PermissionCheckDetails,
): boolean {
  if (!details.isMainFrame) return false;
  if (!isAppUrl(requestingOrigin)) return false;
  if (details.securityOrigin !== undefined && !isAppUrl(details.securityOrigin)) return false;
  const web = webPermissionOf(permission, details.mediaType ? [details.mediaType] : undefined);
  return web !== null && isPermissionAllowed(web);
}

export function applyPermissionPolicy(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionRequestGranted(permission, details));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionCheckGranted(permission, requestingOrigin, details),
  );
}

// --- Downloads ----------------------------------------------------------------------------------

export interface DownloadLike {
  getURL(): string;
  cancel(): void;
}

/** The shell policy's downloads: our own exports (blob: URLs of our page), nothing else. */
export function applyDownloadPolicy(session: {
  on(event: 'will-download', listener: (event: unknown, item: DownloadLike) => void): unknown;
}): void {
  session.on('will-download', (_event, item) => {
    if (!isAllowedDownload(item.getURL(), APP_ORIGIN)) item.cancel();
  });
}

// --- Secret storage ---------------------------------------------------------------------------

/**
 * On Linux without a keyring, safeStorage "encrypts" with a fixed, public password. The SIP
 * password will live in safeStorage, so say so loudly. Returns the warning, or null.
 */
export function plaintextStorageWarning(
  platform: NodeJS.Platform,
  backend: string | undefined,
): string | null {
  if (platform !== 'linux' || backend !== 'basic_text') return null;
  return (
    'safeStorage selected the basic_text backend (no GNOME keyring or KWallet found). It only ' +
    'offers a fixed, public key, so secrets such as the SIP password cannot be stored safely ' +
    'on this machine. Install and unlock a keyring (gnome-keyring or KWallet).'
  );
}
