import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, isAppUrl } from './origin';

describe('isAppUrl', () => {
  it('accepts our origin, bare or with any path', () => {
    expect(APP_ORIGIN).toBe('app://alo153');
    expect(APP_ENTRY_URL).toBe('app://alo153/index.html');
    for (const url of [APP_ORIGIN, `${APP_ORIGIN}/`, APP_ENTRY_URL, 'app://alo153/a/b?c#d']) {
      expect(isAppUrl(url)).toBe(true);
    }
  });

  it.each([
    'https://evil.example/',
    'http://alo153/',
    'file:///index.html',
    'app://evil/',
    'app://alo153.evil/',
    'app://alo153:8080/',
    'app:///alo153/index.html',
    'app:alo153/index.html',
    'javascript:alert(1)',
    'not a url',
    '',
    null,
    undefined,
  ])('rejects %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});
