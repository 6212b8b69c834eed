// `npm start`: opens Alo 153 in Electron where its binary is installed; otherwise starts the
// browser host and opens it in a Chromium window in app mode under the shell policy (through
// playwright-core, as the end-to-end tests do), or prints the URL.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { applyChromiumPreferences, browserMessage, electronBinaryIn } from './browser-message.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    return electronBinaryIn(path.dirname(require.resolve('electron/package.json')));
  } catch {
    return null;
  }
}

function findChromium() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
  ].filter(Boolean);
  for (const c of candidates) if (fs.existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', 'command -v chromium || command -v google-chrome'], {
    encoding: 'utf8',
  });
  return which.status === 0 ? which.stdout.trim() : null;
}

const electron = process.env.ALO153_FORCE_BROWSER_HOST ? null : electronBinary();
if (electron) {
  console.log('Alo 153 Electron penceresinde açılıyor (Electron bulundu).');
  const child = spawn(electron, [root, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    'Electron ikili dosyası kurulu değil: Alo 153 tarayıcı modunda (Node + Chromium) başlatılıyor.',
  );
  const host = spawn(process.execPath, [path.join(root, 'dist', 'host.mjs'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let opened = false;
  host.stdout.setEncoding('utf8');
  host.stdout.on('data', (chunk) => {
    for (const line of chunk.split('\n')) {
      if (!line.startsWith('ALO153_READY ')) {
        if (line.trim()) console.log(line);
        continue;
      }
      if (opened) continue;
      opened = true;
      const { url, dataDir, chromiumPreferences } = JSON.parse(line.slice('ALO153_READY '.length));
      const noBrowser = Boolean(process.env.ALO153_NO_BROWSER);
      const chromium = noBrowser ? null : findChromium();
      const display =
        process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
      const plan = browserMessage({ url, noBrowser, chromium, display });
      console.log(plan.message);
      if (!plan.open || chromium === null) continue;
      const profile = path.join(dataDir, 'chromium-profile');
      // The shell policy, as Electron applies it (src/domain/shell-policy.ts): the profile's
      // content settings, then the same navigation, new-window and download rules as the
      // end-to-end tests' browser (src/host/browser-window.ts, built to dist/browser-window.mjs).
      if (chromiumPreferences) applyChromiumPreferences(profile, chromiumPreferences);
      void openWindow({ chromium, url, profile });
    }
  });
  /** @type {import('playwright-core').BrowserContext | null} */
  let appWindow = null;
  /** @param {{ chromium: string, url: string, profile: string }} opts */
  async function openWindow({ chromium, url, profile }) {
    try {
      const { openAppWindow } = await import(
        pathToFileURL(path.join(root, 'dist', 'browser-window.mjs')).href
      );
      appWindow = await openAppWindow({
        executablePath: chromium,
        url,
        profileDir: profile,
        downloadsDir: downloadsDir(),
        extraArgs: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
      });
      appWindow.on('close', () => host.kill('SIGTERM'));
    } catch (error) {
      console.log(`Chromium açılamadı (${String(error).split('\n')[0]}). Adres: ${url}`);
    }
  }
  host.on('exit', (code) => {
    void Promise.resolve(appWindow?.close()).finally(() => process.exit(code ?? 0));
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => host.kill('SIGTERM'));
}

/** The agent's downloads folder: the desktop's (xdg-user-dir, e.g. ~/İndirilenler), else ~/Downloads. */
function downloadsDir() {
  const xdg = spawnSync('xdg-user-dir', ['DOWNLOAD'], { encoding: 'utf8' });
  const dir = xdg.status === 0 ? xdg.stdout.trim() : '';
  // xdg-user-dir answers the home folder itself when no downloads folder is configured.
  return dir && dir !== os.homedir() ? dir : path.join(os.homedir(), 'Downloads');
}
