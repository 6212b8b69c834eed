import fs from 'node:fs';
import path from 'node:path';
import {
  chromium,
  type BrowserContext,
  type Download,
  type Page,
  type Route,
} from 'playwright-core';
import { isAllowedDownload, shellPolicy } from '../domain/shell-policy';

/**
 * The shell policy (src/domain/shell-policy.ts) applied to Chromium through playwright-core, the
 * way electron/security.ts applies it to Electron (issue #21). One function for both places that
 * drive Chromium: `npm start` (scripts/start.mjs, through dist/browser-window.mjs) and the
 * end-to-end tests (test/e2e/support.ts launchBrowser()).
 *
 * Dev tooling only: the packaged app is Electron, and the browser host's bundle (dist/host.mjs)
 * never imports this module (playwright-core is a development dependency).
 */

/** The web permissions a context under the policy is created with (the microphone only). */
export const policyPermissions: string[] = [...shellPolicy.grantedPermissions];

/** Which URLs are the page's own; everything else is refused. */
export type OwnUrl = (url: URL) => boolean;

/** Only `origin` (scheme, host and port) is the page's own: what `npm start` uses. */
export function sameOriginAs(pageUrl: string): OwnUrl {
  const { origin } = new URL(pageUrl);
  return (url) => url.origin === origin;
}

/**
 * Any loopback server is the page's own: the end-to-end tests run several hosts (desks on other
 * ports) in one browser. Everything off this machine is still refused.
 */
export const loopbackOnly: OwnUrl = (url) =>
  url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';

export interface BrowserPolicyOptions {
  isOwnUrl: OwnUrl;
  /**
   * Where an allowed download (one of our exports) is saved, under its own file name. Unset, it
   * stays where playwright-core puts it (the tests read it from the `download` event).
   */
  downloadsDir?: string;
}

/**
 * Applies the policy's navigation, new-window and download rules to a context (its permissions
 * are given when the context is created: `policyPermissions`):
 * - a request, top-level navigation included, to anything but the page's own URLs is aborted
 *   (net::ERR_ABORTED: the page stays where it was, as with Electron's will-navigate);
 * - a window the page opens (window.open, target=_blank) is closed at once;
 * - a download that is not a blob: URL of the page's own origin is cancelled.
 */
export async function applyBrowserPolicy(
  context: BrowserContext,
  options: BrowserPolicyOptions,
): Promise<void> {
  const foreign = (url: URL) =>
    shellPolicy.navigation === 'same-origin' &&
    !options.isOwnUrl(url) &&
    url.protocol !== 'blob:' &&
    url.protocol !== 'data:';
  await context.route(foreign, (route: Route) => route.abort('aborted'));
  const watch = (page: Page) => {
    page.on('download', (download) => void handleDownload(page, download, options.downloadsDir));
    void page
      .opener()
      .then((opener) => (opener && shellPolicy.newWindows === 'deny' ? page.close() : undefined))
      .catch(() => undefined);
  };
  context.on('page', watch);
  for (const page of context.pages()) watch(page);
}

async function handleDownload(page: Page, download: Download, downloadsDir: string | undefined) {
  try {
    const pageOrigin = new URL(page.url()).origin;
    if (
      shellPolicy.downloads !== 'own-blobs-only' ||
      !isAllowedDownload(download.url(), pageOrigin)
    ) {
      // A small file may be complete already: cancel it, and drop what arrived either way.
      await download.cancel();
      await download.delete();
      return;
    }
    if (downloadsDir === undefined) return;
    fs.mkdirSync(downloadsDir, { recursive: true });
    await download.saveAs(freeName(downloadsDir, download.suggestedFilename()));
  } catch {
    // The page or the browser closed while the download ran: nothing left to save.
  }
}

/** `dir/name`, or `dir/name (2).ext`… when a file of that name is already there. */
function freeName(dir: string, name: string): string {
  const safe = path.basename(name) || 'indirilen-dosya';
  const ext = path.extname(safe);
  const stem = safe.slice(0, safe.length - ext.length);
  let candidate = path.join(dir, safe);
  for (let n = 2; fs.existsSync(candidate); n++) candidate = path.join(dir, `${stem} (${n})${ext}`);
  return candidate;
}

/** Flags both launches share: no calls home from a municipal workstation. */
export const CHROMIUM_ARGS = [
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export interface AppWindowOptions {
  /** The Chromium binary (Debian's /usr/bin/chromium). */
  executablePath: string;
  /** The browser host's page (its ALO153_READY url). */
  url: string;
  /** The desk's Chromium profile (its Preferences already hold `chromiumPreferences`). */
  profileDir: string;
  downloadsDir?: string;
  /** Tests only: `npm start` opens a window. */
  headless?: boolean;
  extraArgs?: readonly string[];
}

/**
 * What `npm start` opens for the browser host: the page in a Chromium app-mode window on the
 * desk's profile, under the shell policy. Resolves once the policy is in force.
 */
export async function openAppWindow(options: AppWindowOptions): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(options.profileDir, {
    executablePath: options.executablePath,
    headless: options.headless ?? false,
    args: [`--app=${options.url}`, ...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    // No "controlled by automated software" bar, no extra about:blank tab, and Chromium's own
    // pop-up blocker (the profile blocks pop-ups) stays on behind the policy's.
    ignoreDefaultArgs: ['--enable-automation', '--disable-popup-blocking', 'about:blank'],
    // The window's size is the page's, as in a normal browser window.
    viewport: null,
    permissions: policyPermissions,
    acceptDownloads: true,
  });
  await applyBrowserPolicy(context, {
    isOwnUrl: sameOriginAs(options.url),
    ...(options.downloadsDir === undefined ? {} : { downloadsDir: options.downloadsDir }),
  });
  return context;
}
