import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Protocol } from 'electron';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  APP_SCHEME_PRIVILEGES,
  createRendererHandler,
  mimeTypeFor,
  readFileOrNull,
  registerAppScheme,
  resolveRendererPath,
} from './protocol';

const DIR = '/opt/alo153/dist/renderer';
const resolve = (url: string) => resolveRendererPath(DIR, url);

describe('registerAppScheme', () => {
  it('registers app: as standard, secure and fetchable, without bypassing CSP', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn() };
    registerAppScheme(protocol as unknown as Protocol);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([APP_SCHEME_PRIVILEGES]);
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    });
    expect(APP_SCHEME_PRIVILEGES.privileges?.bypassCSP).toBeFalsy();
    expect(APP_SCHEME_PRIVILEGES.privileges?.corsEnabled).toBeFalsy();
    expect(APP_SCHEME_PRIVILEGES.privileges?.allowServiceWorkers).toBeFalsy();
  });
});

describe('resolveRendererPath', () => {
  it('serves index.html for the root, with or without a slash', () => {
    for (const url of ['app://alo153', 'app://alo153/', 'app://alo153/?x=1#top']) {
      expect(resolve(url)).toEqual({
        kind: 'file',
        filePath: `${DIR}/index.html`,
        spaFallback: false,
      });
    }
  });

  it('maps an asset path inside the renderer folder', () => {
    expect(resolve('app://alo153/assets/index-Bx1.js')).toEqual({
      kind: 'file',
      filePath: `${DIR}/assets/index-Bx1.js`,
      spaFallback: false,
    });
  });

  it('decodes percent-encoded names once (Turkish file names work)', () => {
    expect(resolve('app://alo153/assets/%C3%A7a%C4%9Fr%C4%B1.wav')).toMatchObject({
      filePath: `${DIR}/assets/çağrı.wav`,
    });
  });

  it('marks extension-less paths as client-side routes that may fall back to index.html', () => {
    expect(resolve('app://alo153/sok/123')).toMatchObject({ kind: 'file', spaFallback: true });
  });

  it.each([
    'app://alo153/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://alo153/assets/%2e%2e%2f%2e%2e%2fetc/passwd',
    'app://alo153/assets/..%5c..%5cwindows%5cwin.ini',
    'app://alo153/assets/%252e%252e/x/../..%2F',
    'app://alo153/index.html%00.js',
    'app://alo153/index.html::$DATA',
    'app://alo153/C:%5cWindows%5cwin.ini',
    'app://alo153/%E0%A4%A',
  ])('rejects the traversal or malformed path %s', (url) => {
    expect(resolve(url)).toEqual({ kind: 'rejected', status: 400 });
  });

  it.each([
    'app://alo153/../../../etc/passwd',
    'app://alo153/%2e%2e/%2e%2e/etc/passwd',
    'app://alo153/assets/%2E%2E/%2E%2E/%2E%2E/etc/passwd',
  ])('keeps %s inside the renderer folder (the URL parser drops the dot segments)', (url) => {
    const result = resolve(url);
    expect(result.kind).toBe('file');
    if (result.kind === 'file') expect(result.filePath.startsWith(`${DIR}/`)).toBe(true);
  });

  it('rejects other hosts and schemes with 404', () => {
    expect(resolve('app://evil/index.html')).toEqual({ kind: 'rejected', status: 404 });
    expect(resolve('file:///opt/alo153/dist/renderer/index.html')).toEqual({
      kind: 'rejected',
      status: 404,
    });
  });

  it('applies Windows path rules when running on Windows', () => {
    const dir = 'C:\\Program Files\\Alo 153\\resources\\app.asar\\dist\\renderer';
    expect(resolveRendererPath(dir, 'app://alo153/assets/a.js', path.win32)).toEqual({
      kind: 'file',
      filePath: `${dir}\\assets\\a.js`,
      spaFallback: false,
    });
    expect(resolveRendererPath(dir, 'app://alo153/..%5C..%5Cx.txt', path.win32)).toEqual({
      kind: 'rejected',
      status: 400,
    });
  });
});

describe('mimeTypeFor', () => {
  it('gives module scripts, styles and pages their exact types', () => {
    expect(mimeTypeFor('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('/x/assets/index-1.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('/x/assets/index-1.CSS')).toBe('text/css; charset=utf-8');
    expect(mimeTypeFor('/x/a.svg')).toBe('image/svg+xml');
    expect(mimeTypeFor('/x/a.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('/x/zil.wav')).toBe('audio/wav');
  });

  it('falls back to octet-stream for unknown extensions', () => {
    expect(mimeTypeFor('/x/data.bin')).toBe('application/octet-stream');
    expect(mimeTypeFor('/x/LICENSE')).toBe('application/octet-stream');
  });
});

describe('the app:// request handler', () => {
  const files: Record<string, string> = {
    [`${DIR}/index.html`]: '<!doctype html><title>Alo 153</title>',
    [`${DIR}/assets/index-1.js`]: 'console.log(1)',
  };
  const readFile = vi.fn(async (filePath: string) => {
    const text = files[filePath];
    return text === undefined ? null : new TextEncoder().encode(text);
  });
  const csp = "default-src 'self'";
  const handler = createRendererHandler({
    rendererDir: DIR,
    contentSecurityPolicy: () => csp,
    readFile,
  });
  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

  it('serves index.html with the CSP header and the HTML type', async () => {
    const response = await get('app://alo153/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(csp);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Alo 153</title>');
  });

  it('serves a script as JavaScript', async () => {
    const response = await get('app://alo153/assets/index-1.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('serves index.html for an unknown client-side route', async () => {
    const response = await get('app://alo153/sok/123');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('Alo 153');
  });

  it('answers 404 for a missing asset rather than HTML posing as a script', async () => {
    const response = await get('app://alo153/assets/missing.js');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(csp);
  });

  it('answers 400 to traversal without touching the disk', async () => {
    readFile.mockClear();
    const response = await get('app://alo153/assets/..%2f..%2f..%2fetc%2fpasswd');
    expect(response.status).toBe(400);
    expect(readFile).not.toHaveBeenCalled();
  });

  it('allows only GET and HEAD', async () => {
    const post = await get('app://alo153/index.html', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await get('app://alo153/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 500 and logs when the disk fails', async () => {
    const log = vi.fn();
    const failing = createRendererHandler({
      rendererDir: DIR,
      contentSecurityPolicy: () => csp,
      readFile: async () => {
        throw new Error('EIO');
      },
      log,
    });
    const response = await failing(new Request('app://alo153/index.html'));
    expect(response.status).toBe(500);
    expect(log).toHaveBeenCalled();
  });

  it('asks for the CSP on every response, so settings changes apply on reload', async () => {
    let current = "default-src 'self'";
    const live = createRendererHandler({
      rendererDir: DIR,
      contentSecurityPolicy: () => current,
      readFile,
    });
    await live(new Request('app://alo153/'));
    current = "default-src 'none'";
    const response = await live(new Request('app://alo153/'));
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
  });
});

describe('readFileOrNull', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-protocol-'));
  fs.writeFileSync(path.join(dir, 'index.html'), 'merhaba');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads an existing file', async () => {
    const bytes = await readFileOrNull(path.join(dir, 'index.html'));
    expect(new TextDecoder().decode(bytes ?? undefined)).toBe('merhaba');
  });

  it('returns null for a missing file, a folder, or a file used as a folder', async () => {
    expect(await readFileOrNull(path.join(dir, 'missing.js'))).toBeNull();
    expect(await readFileOrNull(dir)).toBeNull();
    expect(await readFileOrNull(path.join(dir, 'index.html', 'x'))).toBeNull();
  });
});
