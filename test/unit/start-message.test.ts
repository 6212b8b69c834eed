import { describe, expect, it } from 'vitest';
import { browserMessage } from '../../scripts/browser-message.mjs';

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

  it('Chromium found: opens it', () => {
    expect(browserMessage({ url, noBrowser: false, chromium: '/usr/bin/chromium' }).open).toBe(
      true,
    );
  });
});
