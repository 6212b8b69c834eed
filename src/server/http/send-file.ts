import type { FastifyReply } from 'fastify';

/** Sends a download, its Turkish file name kept for browsers that read RFC 6266's filename*. */
export function sendFile(reply: FastifyReply, filename: string, type: string, body: Buffer) {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_');
  void reply
    .header('content-type', type)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    );
  return reply.send(body);
}
