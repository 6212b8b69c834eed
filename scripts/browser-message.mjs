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
 * @param {{ url: string, noBrowser: boolean, chromium: string | null }} opts
 * @returns {{ open: boolean, message: string }}
 */
export function browserMessage({ url, noBrowser, chromium }) {
  if (noBrowser) {
    return {
      open: false,
      message: `Tarayıcı açılmadı (ALO153_NO_BROWSER). Uygulamanın adresi: ${url}`,
    };
  }
  if (chromium === null) {
    return { open: false, message: `Chromium bulunamadı. Uygulamayı tarayıcınızda açın: ${url}` };
  }
  return { open: true, message: `Chromium uygulama penceresi açılıyor: ${chromium}` };
}
