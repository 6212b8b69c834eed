import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { isPermissionAllowed, WEB_PERMISSIONS } from '../src/domain/shell-policy';
import {
  applyDownloadPolicy,
  applyPermissionPolicy,
  blockForeignNavigation,
  contentSecurityPolicy,
  denyWindowOpen,
  hardenWebContents,
  isPermissionCheckGranted,
  isPermissionRequestGranted,
  mainWindowOptions,
  plaintextStorageWarning,
  secureWebPreferences,
  webPermissionOf,
  type DownloadLike,
} from './security';

const PRELOAD = '/opt/alo153/dist/electron/preload.cjs';

function navigation(url: string) {
  return { url, preventDefault: vi.fn() };
}

function directivesOf(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('window options', () => {
  it('turn on every renderer isolation flag and point at the preload', () => {
    const prefs = mainWindowOptions({ preloadPath: PRELOAD, devTools: false }).webPreferences;
    expect(prefs).toMatchObject({
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      devTools: false,
    });
  });

  it('allow DevTools only when asked (development builds)', () => {
    expect(secureWebPreferences({ preloadPath: PRELOAD, devTools: true }).devTools).toBe(true);
  });

  it('keep the window hidden until the page is ready to show', () => {
    expect(mainWindowOptions({ preloadPath: PRELOAD, devTools: false }).show).toBe(false);
  });
});

describe('contentSecurityPolicy', () => {
  const csp = directivesOf(contentSecurityPolicy());

  it('allows scripts and styles from our origin only, with no inline or eval', () => {
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('shuts plugins, base rewriting, forms, frames and framing', () => {
    for (const name of ['object-src', 'base-uri', 'form-action', 'frame-src', 'frame-ancestors']) {
      expect(csp.get(name)).toEqual(["'none'"]);
    }
  });

  it('allows blob: media for ringtones and connects only to ourselves by default', () => {
    expect(csp.get('media-src')).toEqual(["'self'", 'blob:']);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
  });

  it('adds exactly the configured SIP WebSocket origins to connect-src', () => {
    const withSip = directivesOf(
      contentSecurityPolicy({ sipServers: ['wss://santral.bursa.bel.tr:8089/ws'] }),
    );
    expect(withSip.get('connect-src')).toEqual(["'self'", 'wss://santral.bursa.bel.tr:8089']);
  });

  it.each(['ws://santral.bursa.bel.tr/ws', 'https://santral.bursa.bel.tr', 'wss:', "'self' *"])(
    'refuses %s as a SIP server',
    (url) => {
      expect(() => contentSecurityPolicy({ sipServers: [url] })).toThrow();
    },
  );
});

describe('navigation', () => {
  it.each(['https://evil.example/', 'file:///etc/passwd', 'http://alo153/', 'app://other/'])(
    'is prevented towards %s',
    (url) => {
      const event = navigation(url);
      expect(blockForeignNavigation(event)).toBe(true);
      expect(event.preventDefault).toHaveBeenCalled();
    },
  );

  it('is allowed within our own origin', () => {
    const event = navigation('app://alo153/index.html');
    expect(blockForeignNavigation(event)).toBe(false);
    expect(event.preventDefault).not.toHaveBeenCalled();
  });

  it('denies window.open for any URL, ours included', () => {
    expect(denyWindowOpen()).toEqual({ action: 'deny' });
  });
});

describe('hardenWebContents', () => {
  function fakeContents() {
    const listeners = new Map<string, (event: unknown) => void>();
    const contents = {
      on: vi.fn((name: string, listener: (event: unknown) => void) => {
        listeners.set(name, listener);
        return contents;
      }),
      setWindowOpenHandler: vi.fn(),
    };
    hardenWebContents(contents as unknown as Pick<WebContents, 'on' | 'setWindowOpenHandler'>);
    return { contents, fire: (name: string, event: unknown) => listeners.get(name)?.(event) };
  }

  it('blocks foreign navigations and redirects', () => {
    const { fire } = fakeContents();
    for (const name of ['will-navigate', 'will-redirect']) {
      const foreign = navigation('https://evil.example/');
      const ours = navigation('app://alo153/index.html');
      fire(name, foreign);
      fire(name, ours);
      expect(foreign.preventDefault, name).toHaveBeenCalled();
      expect(ours.preventDefault, name).not.toHaveBeenCalled();
    }
  });

  it('prevents attaching a <webview>', () => {
    const { fire } = fakeContents();
    const event = { preventDefault: vi.fn() };
    fire('will-attach-webview', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('installs a window-open handler that denies', () => {
    const { contents } = fakeContents();
    const handler = contents.setWindowOpenHandler.mock.calls[0]?.[0] as () => unknown;
    expect(handler()).toEqual({ action: 'deny' });
  });
});

describe('permission requests', () => {
  const ours = { isMainFrame: true, requestingUrl: 'app://alo153/index.html' };
  const mic = { ...ours, securityOrigin: 'app://alo153/', mediaTypes: ['audio'] };

  it('grant the microphone to our own page', () => {
    expect(isPermissionRequestGranted('media', mic)).toBe(true);
  });

  it('deny the camera, alone or together with the microphone', () => {
    expect(isPermissionRequestGranted('media', { ...mic, mediaTypes: ['video'] })).toBe(false);
    expect(isPermissionRequestGranted('media', { ...mic, mediaTypes: ['audio', 'video'] })).toBe(
      false,
    );
    expect(isPermissionRequestGranted('media', { ...mic, mediaTypes: [] })).toBe(false);
    expect(isPermissionRequestGranted('media', ours)).toBe(false);
  });

  it('deny the microphone to any other origin or to a sub-frame', () => {
    const evil = 'https://evil.example/';
    expect(isPermissionRequestGranted('media', { ...mic, requestingUrl: evil })).toBe(false);
    expect(isPermissionRequestGranted('media', { ...mic, securityOrigin: evil })).toBe(false);
    expect(isPermissionRequestGranted('media', { ...mic, isMainFrame: false })).toBe(false);
  });

  it.each([
    'display-capture',
    'geolocation',
    'notifications',
    'clipboard-read',
    'clipboard-sanitized-write',
    'midi',
    'midiSysex',
    'openExternal',
    'fullscreen',
    'pointerLock',
    'window-management',
    'fileSystem',
    'unknown',
  ])('deny %s, even to our own page', (permission) => {
    expect(isPermissionRequestGranted(permission, mic)).toBe(false);
  });

  it('deny notifications to another origin', () => {
    expect(
      isPermissionRequestGranted('notifications', {
        isMainFrame: true,
        requestingUrl: 'https://evil.example/',
      }),
    ).toBe(false);
  });
});

describe('permission checks', () => {
  const ours = { isMainFrame: true, securityOrigin: 'app://alo153', mediaType: 'audio' };

  it('report the microphone as granted to our page', () => {
    expect(isPermissionCheckGranted('media', 'app://alo153', ours)).toBe(true);
  });

  it('report camera, unknown media and other origins as denied', () => {
    expect(isPermissionCheckGranted('media', 'app://alo153', { ...ours, mediaType: 'video' })).toBe(
      false,
    );
    expect(
      isPermissionCheckGranted('media', 'app://alo153', { ...ours, mediaType: 'unknown' }),
    ).toBe(false);
    expect(isPermissionCheckGranted('media', 'https://evil.example', ours)).toBe(false);
    expect(isPermissionCheckGranted('media', 'file://', ours)).toBe(false);
    expect(isPermissionCheckGranted('media', 'app://alo153', { ...ours, isMainFrame: false })).toBe(
      false,
    );
  });

  it.each(['notifications', 'geolocation', 'hid', 'serial', 'usb', 'clipboard-read'])(
    'report %s as denied',
    (permission) => {
      expect(isPermissionCheckGranted(permission, 'app://alo153', { isMainFrame: true })).toBe(
        false,
      );
    },
  );
});

describe('applyPermissionPolicy', () => {
  it('installs request and check handlers that follow the same rules', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    applyPermissionPolicy(session as unknown as Session);

    type RequestHandler = (c: unknown, p: string, cb: (ok: boolean) => void, d: unknown) => void;
    const onRequest = session.setPermissionRequestHandler.mock.calls[0]?.[0] as RequestHandler;
    const granted = vi.fn();
    const details = { isMainFrame: true, requestingUrl: 'app://alo153/', mediaTypes: ['audio'] };
    onRequest(null, 'media', granted, details);
    onRequest(null, 'media', granted, { ...details, mediaTypes: ['video'] });
    onRequest(null, 'geolocation', granted, details);
    expect(granted.mock.calls).toEqual([[true], [false], [false]]);

    type CheckHandler = (c: unknown, p: string, origin: string, d: unknown) => boolean;
    const onCheck = session.setPermissionCheckHandler.mock.calls[0]?.[0] as CheckHandler;
    expect(onCheck(null, 'media', 'app://alo153', { isMainFrame: true, mediaType: 'audio' })).toBe(
      true,
    );
    expect(onCheck(null, 'notifications', 'app://alo153', { isMainFrame: true })).toBe(false);
  });
});

describe('plaintextStorageWarning', () => {
  it('warns on Linux when safeStorage fell back to basic_text', () => {
    expect(plaintextStorageWarning('linux', 'basic_text')).toMatch(/basic_text/);
  });

  it('is silent with a real keyring, before ready, and on other platforms', () => {
    expect(plaintextStorageWarning('linux', 'gnome_libsecret')).toBeNull();
    expect(plaintextStorageWarning('linux', 'kwallet6')).toBeNull();
    expect(plaintextStorageWarning('linux', undefined)).toBeNull();
    expect(plaintextStorageWarning('win32', 'basic_text')).toBeNull();
  });
});

describe('the shared shell policy in Electron', () => {
  it('maps Electron’s permission names onto the policy’s, so one list decides for both hosts', () => {
    expect(webPermissionOf('media', ['audio'])).toBe('microphone');
    expect(webPermissionOf('media', ['audio', 'video'])).toBe('camera');
    expect(webPermissionOf('notifications', undefined)).toBe('notifications');
    expect(webPermissionOf('clipboard-sanitized-write', undefined)).toBe('clipboard-write');
    expect(webPermissionOf('openExternal', undefined)).toBeNull();
    const granted = WEB_PERMISSIONS.filter(isPermissionAllowed);
    expect(granted).toEqual(['microphone']);
  });

  it('lets the page save its own exports and cancels every other download', () => {
    let listener: ((event: unknown, item: DownloadLike) => void) | null = null;
    applyDownloadPolicy({
      on: (_event, l) => {
        listener = l;
      },
    });
    const item = (url: string) => ({ getURL: () => url, cancel: vi.fn() });
    const ours = item('blob:app://alo153/0d9e2c4a-1111-4222-8333-944445555666');
    const foreign = item('https://evil.example/alo153-setup.exe');
    listener!({}, ours);
    listener!({}, foreign);
    expect(ours.cancel).not.toHaveBeenCalled();
    expect(foreign.cancel).toHaveBeenCalled();
  });
});
