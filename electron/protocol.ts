import fs from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { APP_SCHEME, isAppUrl } from './origin';

/**
 * The UI is served from app://alo153/ rather than file://: a real origin for CSP 'self',
 * permission checks and the IPC sender check, and no access to the rest of the disk.
 * standard: relative URLs and storage work as on http; secure: treated like https (needed for
 * getUserMedia); supportFetchAPI: fetch() of our own assets. No bypassCSP, no CORS, no
 * service workers.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** Must run before app 'ready' (Electron allows it once). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

export type Resolution =
  /** spaFallback: the path looks like a client-side route (no extension); serve index.html if missing. */
  | { kind: 'file'; filePath: string; spaFallback: boolean }
  | { kind: 'rejected'; status: 400 | 404 };

type PathApi = Pick<typeof path, 'join' | 'relative' | 'isAbsolute' | 'extname'>;

/**
 * Maps a request URL to a file inside `rendererDir`, or rejects it. Pure: no file system access.
 * Each path segment is percent-decoded once and must then be a plain name, so `..`, `%2e%2e`,
 * `..%2f`, `..%5c` (a Windows separator) and NTFS stream names (`:`) cannot leave the folder;
 * the final containment check is a second lock. `pathApi` exists so tests can run Windows rules.
 */
export function resolveRendererPath(
  rendererDir: string,
  requestUrl: string,
  pathApi: PathApi = path,
): Resolution {
  if (!isAppUrl(requestUrl)) return { kind: 'rejected', status: 404 };
  const rawSegments = new URL(requestUrl).pathname.split('/').filter((s) => s !== '');
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { kind: 'rejected', status: 400 };
    }
    if (segment === '.' || segment === '..' || /[/\\:\0]/.test(segment)) {
      return { kind: 'rejected', status: 400 };
    }
    segments.push(segment);
  }
  if (segments.length === 0) segments.push('index.html');

  const filePath = pathApi.join(rendererDir, ...segments);
  const relative = pathApi.relative(rendererDir, filePath);
  const escapes = relative.split(/[\\/]/)[0] === '..' || pathApi.isAbsolute(relative);
  if (relative === '' || escapes) {
    return { kind: 'rejected', status: 400 };
  }
  const last = segments[segments.length - 1] ?? '';
  return { kind: 'file', filePath, spaFallback: pathApi.extname(last) === '' };
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.webm': 'audio/webm',
  '.wasm': 'application/wasm',
};

/** Module scripts are refused unless served with a JavaScript MIME type, so this must be exact. */
export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** Reads a file, or null when it is not there (missing, a directory, a file used as a folder). */
export async function readFileOrNull(filePath: string): Promise<Uint8Array | null> {
  try {
    return await fs.readFile(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return null;
    throw error;
  }
}

export interface RendererHandlerOptions {
  /** The built UI, i.e. dist/renderer. */
  rendererDir: string;
  /** Read on every response so a settings change (e.g. the SIP server) applies on reload. */
  contentSecurityPolicy: () => string;
  readFile?: (filePath: string) => Promise<Uint8Array | null>;
  log?: (message: string, error?: unknown) => void;
}

/** The `protocol.handle('app', …)` handler: static files from rendererDir, SPA fallback, CSP. */
export function createRendererHandler(
  options: RendererHandlerOptions,
): (request: Request) => Promise<Response> {
  const readFile = options.readFile ?? readFileOrNull;
  const indexPath = path.join(options.rendererDir, 'index.html');

  return async (request) => {
    const headers = {
      'Content-Security-Policy': options.contentSecurityPolicy(),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    };
    const plain = (status: number, text: string, extra: Record<string, string> = {}) =>
      new Response(request.method === 'HEAD' ? null : text, {
        status,
        headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8', ...extra },
      });

    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return plain(405, 'İzin verilmeyen istek yöntemi.', { Allow: 'GET, HEAD' });
    }
    const resolution = resolveRendererPath(options.rendererDir, request.url);
    if (resolution.kind === 'rejected') {
      return plain(
        resolution.status,
        resolution.status === 404 ? 'Bulunamadı.' : 'Geçersiz adres.',
      );
    }
    try {
      let filePath = resolution.filePath;
      let body = await readFile(filePath);
      if (body === null && resolution.spaFallback) {
        filePath = indexPath;
        body = await readFile(filePath);
      }
      if (body === null) return plain(404, 'Bulunamadı.');
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...headers, 'Content-Type': mimeTypeFor(filePath) },
      });
    } catch (error) {
      options.log?.(`app:// could not read ${resolution.filePath}`, error);
      return plain(500, 'Dosya okunamadı.');
    }
  };
}
