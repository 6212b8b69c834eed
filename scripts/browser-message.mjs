// What `npm start` decides (scripts/start.mjs): Electron or the browser host, and what it says.
import fs from 'node:fs';
import path from 'node:path';

/**
 * The downloaded Electron binary in the installed `electron` package directory, or null. Never
 * `require('electron')` for this: Electron 45's index.js starts downloading the binary when it is
 * missing, and `npm start` must fall back to the browser host instead (README).
 * @param {string} dir
 * @returns {string | null}
 */
export function electronBinaryIn(dir) {
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}

/**
 * `display` false: no screen to open a window on (Linux without DISPLAY or WAYLAND_DISPLAY, e.g.
 * over SSH); the host keeps running and the URL is printed, as with ALO153_NO_BROWSER.
 * @param {{ url: string, noBrowser: boolean, chromium: string | null, display?: boolean }} opts
 * @returns {{ open: boolean, message: string }}
 */
export function browserMessage({ url, noBrowser, chromium, display = true }) {
  if (noBrowser) {
    return {
      open: false,
      message: `Tarayıcı açılmadı (ALO153_NO_BROWSER). Uygulamanın adresi: ${url}`,
    };
  }
  if (!display) {
    return {
      open: false,
      message: `Ekran bulunamadı (DISPLAY/WAYLAND_DISPLAY yok): tarayıcı açılmadı. Uygulamanın adresi: ${url}`,
    };
  }
  if (chromium === null) {
    return { open: false, message: `Chromium bulunamadı. Uygulamayı tarayıcınızda açın: ${url}` };
  }
  return { open: true, message: `Chromium uygulama penceresi açılıyor: ${chromium}` };
}

/**
 * Merges the shell policy's Chromium preferences (src/domain/shell-policy.ts
 * `chromiumPreferences`, handed over by the browser host in its ALO153_READY line) into the
 * app-mode profile before Chromium starts, so the browser host denies what Electron denies
 * (web notifications, camera, geolocation, clipboard, pop-ups…) and allows the microphone to
 * the page only. Other preferences Chromium keeps there are left alone.
 * @param {string} profileDir
 * @param {Record<string, unknown>} policyPrefs
 */
export function applyChromiumPreferences(profileDir, policyPrefs) {
  const file = path.join(profileDir, 'Default', 'Preferences');
  /** @type {Record<string, unknown>} */
  let current;
  try {
    current = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    current = {};
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(mergeDeep(current, policyPrefs)));
}

/**
 * @param {Record<string, unknown>} base
 * @param {Record<string, unknown>} over
 * @returns {Record<string, unknown>}
 */
function mergeDeep(base, over) {
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] =
      isPlainObject(prev) && isPlainObject(value)
        ? mergeDeep(/** @type {Record<string, unknown>} */ (prev), value)
        : value;
  }
  return out;
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
