import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/server-app';

/**
 * The desks' update feed (ALO153_UPDATES_DIR): what electron-updater's generic provider asks
 * for, a release folder as electron-builder writes it, and nothing outside that folder.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-updates-'));
const installer = Buffer.from('MZ'.padEnd(4096, 'x'));
const sha512 = createHash('sha512').update(installer).digest('base64');
const latest = [
  'version: 0.2.0',
  'files:',
  '  - url: alo153-0.2.0-setup.exe',
  `    sha512: ${sha512}`,
  `    size: ${installer.length}`,
  'path: alo153-0.2.0-setup.exe',
  `sha512: ${sha512}`,
  'releaseDate: 2026-12-07T10:00:00.000Z',
  'stagingPercentage: 10',
  '',
].join('\n');
fs.writeFileSync(path.join(dir, 'latest.yml'), latest);
fs.writeFileSync(path.join(dir, 'alo153-0.2.0-setup.exe'), installer);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp('sqlite', { updatesDir: dir });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the update feed', () => {
  it('serves latest.yml, unchanged and never cached, without signing in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/updates/latest.yml' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/yaml');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toBe(latest);
    expect(res.body).toContain('stagingPercentage: 10');
  });

  it('serves the installer whole, with the bytes its sha512 in the feed describes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/updates/alo153-0.2.0-setup.exe' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(createHash('sha512').update(res.rawPayload).digest('base64')).toBe(sha512);
  });

  it('serves byte ranges, for differential downloads', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/updates/alo153-0.2.0-setup.exe',
      headers: { range: 'bytes=0-1' },
    });
    expect(res.statusCode).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 0-1/${installer.length}`);
    expect(res.body).toBe('MZ');
    const beyond = await t.app.inject({
      method: 'GET',
      url: '/updates/alo153-0.2.0-setup.exe',
      headers: { range: 'bytes=999999-' },
    });
    expect(beyond.statusCode).toBe(416);
  });

  it('serves nothing outside the release folder, and 404 for what is not there', async () => {
    for (const url of [
      '/updates/..%2Fsecret.txt',
      '/updates/%2E%2E%2Fsecret.txt',
      '/updates/.hidden',
      '/updates/latest-linux.yml',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
    }
  });

  it('is not there at all when no release folder is configured', async () => {
    const bare = await createTestApp('sqlite');
    try {
      const res = await bare.app.inject({ method: 'GET', url: '/updates/latest.yml' });
      expect(res.statusCode).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
