import { describe, expect, it } from 'vitest';
import {
  chromiumPreferences,
  isAllowedDownload,
  isPermissionAllowed,
  pageContentSecurityPolicy,
  shellPolicy,
  WEB_PERMISSIONS,
} from './shell-policy';

describe('the shell policy', () => {
  it('grants the microphone and no other web permission', () => {
    expect(WEB_PERMISSIONS.filter(isPermissionAllowed)).toEqual(['microphone']);
    expect(isPermissionAllowed('notifications')).toBe(false);
    expect(isPermissionAllowed('clipboard-read')).toBe(false);
  });

  it('downloads only the exports the page made itself', () => {
    expect(isAllowedDownload('blob:app://alo153/6a0c…', 'app://alo153')).toBe(true);
    expect(isAllowedDownload('blob:http://127.0.0.1:5173/6a0c', 'http://127.0.0.1:5173')).toBe(
      true,
    );
    expect(isAllowedDownload('https://evil.example/x.exe', 'app://alo153')).toBe(false);
    expect(isAllowedDownload('blob:https://evil.example/x', 'app://alo153')).toBe(false);
  });

  it('gives Chromium the same rules: notifications, camera, pop-ups blocked, the microphone for the page', () => {
    const prefs = chromiumPreferences('http://127.0.0.1:41234') as {
      profile: {
        default_content_setting_values: Record<string, number>;
        content_settings: { exceptions: Record<string, Record<string, { setting: number }>> };
      };
    };
    expect(prefs.profile.default_content_setting_values).toMatchObject({
      notifications: 2,
      media_stream_camera: 2,
      geolocation: 2,
      clipboard: 2,
      popups: 2,
    });
    expect(prefs.profile.content_settings.exceptions.media_stream_mic).toEqual({
      'http://127.0.0.1:41234,*': { setting: 1 },
    });
  });

  it('serves one CSP, which keeps the page from framing, posting forms or loading foreign code', () => {
    const csp = pageContentSecurityPolicy();
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-src 'none'");
    expect(csp).toContain("form-action 'none'");
    expect(shellPolicy.newWindows).toBe('deny');
  });
});
