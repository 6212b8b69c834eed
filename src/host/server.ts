import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientCore } from '../client/core';
import { pageContentSecurityPolicy } from '../domain/shell-policy';
import {
  BRIDGE_PATH,
  BRIDGE_PROTOCOL,
  KEY_PROTOCOL_PREFIX,
  MAX_MESSAGE_BYTES,
} from '../domain/bridge/ws-protocol';
import { ClientMessageSchema, type ServerMessage } from './protocol';
import { readStatic } from './static-files';

export interface BrowserHostOptions {
  core: ClientCore;
  rendererDir: string;
  port?: number;
  log?: (message: string) => void;
}

export interface BrowserHost {
  /** The URL to open, with the per-launch secret in the fragment (never sent to the server). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The browser host: serves the built renderer and carries the bridge over a WebSocket bound to
 * 127.0.0.1. A per-launch secret (offered as a WebSocket subprotocol) plus Host and Origin checks
 * keep other local pages, and DNS-rebinding pages, from driving the client core.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { core, rendererDir } = options;
  const log = options.log ?? (() => undefined);
  const secret = randomBytes(32).toString('base64url');
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([...allowedHosts()].map((h) => `http://${h}`));

  const server = http.createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('misdirected');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    void readStatic(rendererDir, req.url ?? '/').then((file) => {
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('bulunamadı');
        return;
      }
      res.writeHead(200, {
        'content-type': file.type,
        'content-security-policy': pageContentSecurityPolicy({
          bridgeOrigins: [...allowedHosts()].map((h) => `ws://${h}`),
          sipServers: core.phoneServers(),
        }),
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    });
  });

  const expected = Buffer.from(KEY_PROTOCOL_PREFIX + secret);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has(BRIDGE_PROTOCOL) ? BRIDGE_PROTOCOL : false),
  });

  server.on('upgrade', (req, socket, head) => {
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const key = offered.find((p) => p.startsWith(KEY_PROTOCOL_PREFIX));
    const keyOk =
      key !== undefined &&
      key.length === expected.length &&
      timingSafeEqual(Buffer.from(key), expected);
    const ok =
      (req.url ?? '').split('?')[0] === BRIDGE_PATH &&
      allowedHosts().has(req.headers.host ?? '') &&
      allowedOrigins().has(req.headers.origin ?? '') &&
      offered.includes(BRIDGE_PROTOCOL) &&
      keyOk;
    if (!ok) {
      log(`refused a bridge connection from origin ${String(req.headers.origin)}`);
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveBridge(ws, core));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/#k=${secret}`,
    port,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serveBridge(ws: WebSocket, core: ClientCore): void {
  const send = (message: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = core.events.subscribe((event, payload) => send({ event, payload }));
  ws.on('close', unsubscribe);
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      ws.close(1003, 'text only');
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      ws.close(1007, 'invalid JSON');
      return;
    }
    const message = ClientMessageSchema.safeParse(parsed);
    if (!message.success) {
      ws.close(1007, 'invalid message');
      return;
    }
    const { id, method, input } = message.data;
    void core.dispatch(method, input).then((result) => send({ id, result }));
  });
}
