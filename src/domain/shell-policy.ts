import { contentSecurityPolicy, type CspOptions } from './csp';

/**
 * What the page may do, once, for both hosts (issue #21). electron/security.ts applies it to
 * the Electron shell; the browser host applies the same data to Chromium through one function,
 * src/host/browser-window.ts applyBrowserPolicy, for `npm start`'s window (whose profile also
 * gets `chromiumPreferences`) and every end-to-end browser context, and serves the page with the
 * same CSP. A rule that differs between the hosts is a defect that the tests,
 * which only ever run on the browser host, would not see.
 */

/** The web permissions the page may hold, by their W3C Permissions API names. */
export const WEB_PERMISSIONS = [
  'microphone',
  'camera',
  'notifications',
  'geolocation',
  'clipboard-read',
  'clipboard-write',
  'midi',
  'display-capture',
  'idle-detection',
  'window-management',
  'storage-access',
] as const;
export type WebPermission = (typeof WEB_PERMISSIONS)[number];

export const shellPolicy = {
  /**
   * Only the microphone, for the softphone. Everything else is denied without a prompt:
   * notably the web Notification API — desktop notifications go through the bridge event
   * `app.notification` (see `DesktopNotification`), never through `new Notification()`.
   * The clipboard too: the page has no copy button; add 'clipboard-write' here when it gets one.
   */
  grantedPermissions: ['microphone'] as const satisfies readonly WebPermission[],
  /** The page stays on its own origin; every other top-level navigation is cancelled. */
  navigation: 'same-origin',
  /** window.open and target=_blank are refused (no shell.openExternal with page input). */
  newWindows: 'deny',
  /**
   * Downloads: only the exports the page makes itself from data the client core fetched
   * (supervisor CSV/XLSX/PDF, the support bundle), i.e. blob: URLs of our own origin.
   */
  downloads: 'own-blobs-only',
  /** How desktop notifications reach the agent: a bridge event, shown by each host. */
  notifications: 'bridge-event',
} as const;

export function isPermissionAllowed(permission: string): boolean {
  return (shellPolicy.grantedPermissions as readonly string[]).includes(permission);
}

/** True when a download from `url` is one of our exports (a blob: URL made by our page). */
export function isAllowedDownload(url: string, pageOrigin: string): boolean {
  if (!url.startsWith('blob:')) return false;
  const inner = url.slice('blob:'.length);
  // Custom schemes (app://alo153) serialise their origin as "null" in Node: compare the prefix.
  return inner.startsWith(`${pageOrigin}/`);
}

export type CspOptionsOfPolicy = CspOptions;

/** The page's Content-Security-Policy, the same in both hosts. */
export function pageContentSecurityPolicy(options: CspOptions = {}): string {
  return contentSecurityPolicy(options);
}

/**
 * Chromium content settings for the browser host's profile (`Default/Preferences`,
 * `profile.default_content_setting_values`): 1 allow, 2 block, 3 ask. The microphone stays
 * "ask" by default and is allowed for the page's own origin by `chromiumPreferences`.
 */
const CHROMIUM_CONTENT_SETTINGS: Record<string, 1 | 2 | 3> = {
  notifications: 2,
  geolocation: 2,
  media_stream_camera: 2,
  media_stream_mic: 3,
  clipboard: 2,
  midi_sysex: 2,
  popups: 2,
  idle_detection: 2,
  window_placement: 2,
  automatic_downloads: 2,
  sensors: 2,
  usb_guard: 2,
  serial_guard: 2,
  hid_guard: 2,
  bluetooth_guard: 2,
};

/** The Preferences the browser host's Chromium profile gets before each launch (merged in). */
export function chromiumPreferences(pageOrigin: string): Record<string, unknown> {
  return {
    profile: {
      default_content_setting_values: CHROMIUM_CONTENT_SETTINGS,
      content_settings: {
        exceptions: {
          media_stream_mic: { [`${pageOrigin},*`]: { setting: 1 } },
        },
      },
    },
    download: { prompt_for_download: true },
  };
}

// --- Desktop notifications --------------------------------------------------------------------

export const NOTIFICATION_KINDS = [
  'incoming-call',
  'callback-due',
  'callback-escalated',
  'sync-rejected',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** One desktop notification, as the bridge event `app.notification` carries it. */
export interface DesktopNotification {
  kind: NotificationKind;
  /** Same key, same notification: it is raised once (e.g. a callback and its due time). */
  key: string;
  title: string;
  body: string;
  /** Raised at (ISO). */
  at: string;
}

/** Incoming calls need the agent now: the shell marks them critical and flashes the taskbar. */
export function isUrgent(kind: NotificationKind): boolean {
  return kind === 'incoming-call';
}
