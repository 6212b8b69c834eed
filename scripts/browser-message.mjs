// What `npm start` says and does once the browser host is ready (scripts/start.mjs).
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
