import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClientCore } from '../client/core';
import { bundledStoreWorker } from '../client/sync/store-thread';
import { openDeskLog } from '../client/log-file';
import { clientSettingsFromEnv } from '../client/settings';
import { t } from '../domain/i18n/tr';
import { collectEnvErrors, EnvError } from '../domain/settings/env';
import { centralApiFor, centralApiSettingsFromEnv, type EmbeddedApi } from '../server/embedded';
import { argValue, resolveDataDir } from './data-dir';
import { startBrowserHost } from './server';
import { chromiumPreferences } from '../domain/shell-policy';

/**
 * `npm start -- --demo`: a month of demo data in the empty embedded API (POST /setup/demo, which
 * the server refuses once anyone has an account: then the existing data opens untouched).
 */
async function loadDemo(api: EmbeddedApi): Promise<void> {
  if (api.server === null) {
    console.error(
      '--demo yalnızca gömülü sunucuyla çalışır; ALO153_API_URL tanımlıyken kullanılamaz.',
    );
    process.exit(2);
  }
  console.log('Tanıtım verisi hazırlanıyor: Bursa’dan bir ay (bir iki dakika sürebilir)…');
  const res = await fetch(`${api.url}/setup/demo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (res.status === 409) {
    console.log(
      'Bu veri klasöründe zaten kullanıcılar var: tanıtım verisi yüklenmedi, mevcut veriler açılıyor.',
    );
    return;
  }
  if (!res.ok) {
    console.error(`Tanıtım verisi yüklenemedi (${res.status}): ${await res.text()}`);
    process.exit(1);
  }
  const made = (await res.json()) as { users: number; soks: number; calls: number };
  console.log(
    `Tanıtım verisi hazır: ${made.users} kullanıcı, ${made.soks} ŞÖK, ${made.calls} çağrı. ` +
      'Giriş: temsilci1, nilufer.masa, bikom.sup … parola demo-parola-153 (README: İlk beş dakika).',
  );
}

/**
 * Entry of the browser host (dist/host.mjs): the client core plus the renderer over loopback,
 * and, unless ALO153_API_URL points at a central API elsewhere, an embedded API on SQLite in
 * the data directory.
 */
const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const dataDir = resolveDataDir(argv, process.env);
const portArg = argValue(argv, '--port');
const resourcesDir = path.join(appRoot, 'resources');

// Every bad environment variable, the desk's and its embedded API's, in one Turkish message; the
// desk does not start on a bad value (npm start prints this and exits).
let deskSettings: ReturnType<typeof clientSettingsFromEnv>;
try {
  [deskSettings] = collectEnvErrors(t('settings.invalid'), 'tr', [
    () => clientSettingsFromEnv(process.env),
    () => centralApiSettingsFromEnv(process.env),
  ]);
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(error.message);
  process.exit(1);
}

// One rotating log file per PC, no personal data (src/client/log-file.ts), as in Electron.
const deskLog = openDeskLog(path.join(dataDir, 'logs'), {
  echo: (line) => console.error(`[host] ${line}`),
});
const api = await centralApiFor({ dataDir, resourcesDir, env: process.env });
if (argv.includes('--demo')) await loadDemo(api);

const core = createClientCore({
  dataDir,
  host: 'browser',
  version: process.env.npm_package_version ?? '0.0.0',
  resourcesDir,
  apiUrl: api.url,
  logFile: deskLog,
  log: deskLog.log,
  storeWorker: bundledStoreWorker(path.join(appRoot, 'dist', 'store-worker.mjs')),
  ...deskSettings,
});
const host = await startBrowserHost({
  core,
  rendererDir: path.join(appRoot, 'dist', 'renderer'),
  port: portArg === undefined ? 0 : Number(portArg),
  log: (m) => deskLog.log(m),
});

console.log(`Alo 153 tarayıcı sunucusu hazır. Veri klasörü: ${dataDir}`);
console.log(
  api.server
    ? `Gömülü merkezi sunucu (SQLite): ${api.url}`
    : `Merkezi sunucu: ${api.url} (ALO153_API_URL)`,
);
console.log(
  `ALO153_READY ${JSON.stringify({
    url: host.url,
    port: host.port,
    dataDir,
    apiUrl: api.url,
    // scripts/start.mjs writes these into the app-mode Chromium profile: the shell policy.
    chromiumPreferences: chromiumPreferences(`http://127.0.0.1:${host.port}`),
  })}`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await host.close();
  await core.close();
  await api.close();
  await deskLog.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
