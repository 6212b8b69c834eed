import path from 'node:path';

/**
 * Where the desk's store thread's worker (dist/store-worker.mjs, src/client/sync/store-thread.ts)
 * is in the installed app. A worker thread cannot start from inside the asar archive, so the
 * file is unpacked beside it (electron-builder.yml, asarUnpack): `…/app.asar/dist/…` becomes
 * `…/app.asar.unpacked/dist/…`; an unpacked app (development) keeps its path.
 */
export function storeWorkerFile(appPath: string): string {
  const parts = path.join(appPath, 'dist', 'store-worker.mjs').split(path.sep);
  return parts.map((part) => (part === 'app.asar' ? 'app.asar.unpacked' : part)).join(path.sep);
}
