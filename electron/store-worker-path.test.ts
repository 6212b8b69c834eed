import { describe, expect, it } from 'vitest';
import { storeWorkerFile } from './store-worker-path';

describe('storeWorkerFile', () => {
  it('points into the unpacked copy of an installed app, where a worker thread can start', () => {
    expect(storeWorkerFile('/opt/Alo 153/resources/app.asar')).toBe(
      '/opt/Alo 153/resources/app.asar.unpacked/dist/store-worker.mjs',
    );
  });

  it('keeps the path of an app run from its folder (development)', () => {
    expect(storeWorkerFile('/work/alo153')).toBe('/work/alo153/dist/store-worker.mjs');
  });

  it('does not touch a folder that only starts like the archive', () => {
    expect(storeWorkerFile('/srv/app.asar-backup/app')).toBe(
      '/srv/app.asar-backup/app/dist/store-worker.mjs',
    );
  });
});
