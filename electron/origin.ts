/**
 * The one origin our UI runs on. Everything that decides "is this us?" (IPC sender, permissions,
 * navigation, the protocol handler) asks `isAppUrl`, so the answer cannot drift between checks.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'alo153';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `url` (a full URL or a bare origin such as `app://alo153`) belongs to our origin.
 * Compares scheme and host rather than `URL.origin`: Node serialises the origin of a custom
 * scheme as "null", while Chromium, which knows `app:` as a standard scheme, does not.
 */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host.toLowerCase() === APP_HOST;
}
