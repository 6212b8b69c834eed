import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { centralApiFor, centralApiSettingsFromEnv, type EmbeddedApi } from './embedded';

const resourcesDir = path.resolve('resources');
let api: EmbeddedApi | null = null;
let dir = '';
afterEach(async () => {
  await api?.close();
  api = null;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the central API a desk talks to', () => {
  it('is a deployed one when ALO153_API_URL says so', async () => {
    api = await centralApiFor({
      dataDir: '/nonexistent',
      resourcesDir,
      env: { ALO153_API_URL: 'https://alo153.example/' },
    });
    expect(api).toMatchObject({ url: 'https://alo153.example', server: null });
  });

  it('is embedded on SQLite in the data directory otherwise, with SMTP/SMS settings from the environment', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-embedded-'));
    api = await centralApiFor({
      dataDir: dir,
      resourcesDir,
      env: {
        DATABASE_URL: 'postgres://ignored@127.0.0.1:1/none',
        ALO153_SMS_URL: 'http://127.0.0.1:9/sms',
        ALO153_SMS_SENDER: 'ALO 153',
      },
    });
    expect(api.server?.db.dialect).toBe('sqlite');
    expect(fs.existsSync(path.join(dir, 'server.sqlite'))).toBe(true);
    expect(api.server?.config.notifications.sms?.sender).toBe('ALO 153');
    const health = await fetch(`${api.url}/health`);
    expect(health.status).toBe(200);
  });

  it('refuses to start on bad settings, naming every bad variable in Turkish', () => {
    expect(() =>
      centralApiSettingsFromEnv({ ALO153_EMBEDDED_API_PORT: 'x', ALO153_SESSION_MAX_HOURS: '0' }),
    ).toThrow(
      /başlatılamadı.*\n {2}ALO153_EMBEDDED_API_PORT: tam sayı olmalı \(yazılan: "x"\)\n {2}ALO153_SESSION_MAX_HOURS: en az 1 olmalı$/,
    );
    expect(() => centralApiSettingsFromEnv({ ALO153_API_URL: 'alo153.example' })).toThrow(
      /ALO153_API_URL: biçimi geçersiz/,
    );
  });
});
