import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ApiError } from './http/errors';

/**
 * The desks' update feed (issue #21, build/README.md): GET /updates/<file> serves the release
 * folder IT fills with electron-builder's output (latest.yml / latest-linux.yml, the installers
 * and their .blockmap files), when ALO153_UPDATES_DIR is set. electron-updater's generic
 * provider reads the yml, downloads the installer (ranges for differential downloads) and
 * checks its sha512 from the yml before installing. Public: desks check before anyone signs
 * in, and the packages hold no secret. Only plain file names in that one folder are served.
 */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

const CONTENT_TYPES: Record<string, string> = {
  '.yml': 'text/yaml; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

export function registerUpdateFeed(app: FastifyInstance, updatesDir: string | undefined): void {
  if (updatesDir === undefined) return;
  const root = path.resolve(updatesDir);
  const handler = async (file: string, range: string | undefined, reply: FastifyReply) => {
    if (!FILE_NAME.test(file) || file.includes('..')) {
      throw new ApiError(404, 'not-found', 'No such update file.');
    }
    const full = path.join(root, file);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(full);
    } catch {
      throw new ApiError(404, 'not-found', 'No such update file.');
    }
    if (!stat.isFile()) throw new ApiError(404, 'not-found', 'No such update file.');
    const ext = path.extname(file).toLowerCase();
    // Like every answer of the API, never cached (app.ts sets no-store): a rollback reaches
    // desks at their next check.
    void reply
      .header('content-type', CONTENT_TYPES[ext] ?? 'application/octet-stream')
      .header('accept-ranges', 'bytes');
    const wanted = parseRange(range, stat.size);
    if (wanted === 'unsatisfiable') {
      return reply.code(416).header('content-range', `bytes */${stat.size}`).send();
    }
    if (wanted) {
      return reply
        .code(206)
        .header('content-range', `bytes ${wanted.start}-${wanted.end}/${stat.size}`)
        .header('content-length', wanted.end - wanted.start + 1)
        .send(fs.createReadStream(full, wanted));
    }
    return reply.header('content-length', stat.size).send(fs.createReadStream(full));
  };
  app.get<{ Params: { file: string } }>(
    '/updates/:file',
    { config: { public: true } },
    (request, reply) => handler(request.params.file, request.headers.range, reply),
  );
}

/** One "bytes=a-b" range (what electron-updater asks for one block); others get the file. */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | null {
  if (header === undefined) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'unsatisfiable';
  return { start, end };
}
