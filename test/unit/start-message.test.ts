import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyChromiumPreferences,
  browserMessage,
  electronBinaryIn,
} from '../../scripts/browser-message.mjs';
import { chromiumPreferences } from '../../src/domain/shell-policy';

describe('npm start: what it says when the browser host is ready', () => {
  const url = 'http://127.0.0.1:4000/?k=x';

  it('ALO153_NO_BROWSER: prints the URL without claiming Chromium is missing', () => {
    const plan = browserMessage({ url, noBrowser: true, chromium: null });
    expect(plan.open).toBe(false);
    expect(plan.message).not.toContain('bulunamadı');
    expect(plan.message).toContain('ALO153_NO_BROWSER');
    expect(plan.message).toContain(url);
  });

  it('no Chromium found: says so and prints the URL', () => {
    expect(browserMessage({ url, noBrowser: false, chromium: null })).toEqual({
      open: false,
      message: `Chromium bulunamadı. Uygulamayı tarayıcınızda açın: ${url}`,
    });
  });

  it('no screen (e.g. over SSH): prints the URL and keeps the host running, without a Chromium error', () => {
    const plan = browserMessage({
      url,
      noBrowser: false,
      chromium: '/usr/bin/chromium',
      display: false,
    });
    expect(plan.open).toBe(false);
    expect(plan.message).toContain('Ekran bulunamadı');
    expect(plan.message).toContain(url);
  });

  it('Chromium found: opens it', () => {
    expect(browserMessage({ url, noBrowser: false, chromium: '/usr/bin/chromium' }).open).toBe(
      true,
    );
  });
});

describe('npm start: is the Electron binary there?', () => {
  it('answers from the package directory without downloading anything', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-electron-'));
    try {
      // As npm installs it with allowScripts electron:false: no path.txt, no dist/.
      expect(electronBinaryIn(dir)).toBeNull();
      fs.writeFileSync(path.join(dir, 'path.txt'), 'electron');
      expect(electronBinaryIn(dir)).toBeNull();
      fs.mkdirSync(path.join(dir, 'dist'));
      fs.writeFileSync(path.join(dir, 'dist', 'electron'), '');
      expect(electronBinaryIn(dir)).toBe(path.join(dir, 'dist', 'electron'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the installed electron package has no binary here, and checking starts no download', () => {
    const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    expect(electronBinaryIn(dir)).toBeNull();
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });
});

describe('npm start: the app-mode Chromium profile under the shell policy', () => {
  it('blocks web notifications and allows the microphone to the page, keeping other preferences', () => {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-profile-'));
    try {
      const file = path.join(profile, 'Default', 'Preferences');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(
        file,
        JSON.stringify({
          profile: { name: 'Kişi 1', default_content_setting_values: { notifications: 1 } },
        }),
      );
      applyChromiumPreferences(profile, chromiumPreferences('http://127.0.0.1:4000'));
      const prefs = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect(prefs.profile.name).toBe('Kişi 1');
      expect(prefs.profile.default_content_setting_values.notifications).toBe(2);
      expect(prefs.profile.content_settings.exceptions.media_stream_mic).toEqual({
        'http://127.0.0.1:4000,*': { setting: 1 },
      });
    } finally {
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });
});
