import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ClientCore } from '../client/core';
import { tempDir } from '../../test/support/client-fixtures';
import {
  answeredByHandler,
  contractSamples,
  openClient,
  signInAs,
  startTestApi,
  validDraft,
  type TestApi,
} from '../../test/support/stack';
import type { Result } from '../domain/errors';
import { methodNames } from '../domain/bridge/contract';
import { BRIDGE_PROTOCOL, KEY_PROTOCOL_PREFIX } from '../domain/bridge/ws-protocol';
import { startBrowserHost, type BrowserHost } from './server';

let tmp: ReturnType<typeof tempDir>;
let api: TestApi;
let core: ClientCore;
let host: BrowserHost;
let key: string;

beforeEach(async () => {
  tmp = tempDir();
  const rendererDir = path.join(tmp.dir, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Alo 153</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(tmp.dir, 'secret.txt'), 'outside the renderer');
  api = await startTestApi('sqlite');
  core = openClient(path.join(tmp.dir, 'data'), api.url);
  await signInAs(core);
  host = await startBrowserHost({ core, rendererDir });
  key = new URL(host.url).hash.replace('#k=', '');
});
afterEach(async () => {
  await host.close();
  await core.close();
  await api.close();
  tmp.cleanup();
});

function connect(
  opts: { key?: string; origin?: string; host?: string; path?: string } = {},
): Promise<WebSocket> {
  const protocols = [BRIDGE_PROTOCOL, KEY_PROTOCOL_PREFIX + (opts.key ?? key)];
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${opts.path ?? '/bridge'}`, protocols, {
    origin: opts.origin ?? `http://127.0.0.1:${host.port}`,
    headers: opts.host ? { host: opts.host } : {},
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function rpc(ws: WebSocket, id: number, method: string, input: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown };
      if (msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg.result);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, input }));
  });
}

describe('the browser host', () => {
  it('reaches every contract method over the bridge WebSocket', async () => {
    const ws = await connect();
    const created = (await rpc(ws, 1, 'sok.create', validDraft)) as {
      ok: boolean;
      value: { id: string };
    };
    expect(created.ok).toBe(true);
    const inputs = contractSamples({ sokId: created.value.id, userId: created.value.id });
    let id = 10;
    for (const method of methodNames) {
      const result = (await rpc(ws, id++, method, inputs[method])) as Result<unknown>;
      expect(answeredByHandler(result), `${method}: ${JSON.stringify(result)}`).toBe(true);
    }
    expect(await rpc(ws, id, 'app.info', {})).toMatchObject({ value: { host: 'browser' } });
    ws.close();
  });

  it('pushes events to connected pages', async () => {
    const ws = await connect();
    const event = new Promise((resolve) =>
      ws.on('message', (data: WebSocket.RawData) => {
        const msg = JSON.parse(data.toString()) as { event?: string };
        if (msg.event) resolve(msg);
      }),
    );
    await rpc(ws, 1, 'sok.create', validDraft);
    expect(await event).toMatchObject({
      event: 'sok.changed',
      payload: { id: expect.any(String) },
    });
    ws.close();
  });

  it('refuses a bridge connection without the launch key, from another origin or host', async () => {
    await expect(connect({ key: 'wrong' })).rejects.toThrow('HTTP 403');
    await expect(connect({ key: `${key.slice(0, -1)}x` })).rejects.toThrow('HTTP 403');
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect({ host: `evil.example:${host.port}` })).rejects.toThrow('HTTP 403');
    await expect(connect({ path: '/other' })).rejects.toThrow('HTTP 403');
  });

  it('closes the connection on a malformed message without touching the store', async () => {
    const ws = await connect();
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('{"id": "x", "method": 1}');
    expect(await closed).toBe(1007);
    expect(core.db.prepare('SELECT count(*) FROM sok').pluck().get()).toBe(0);
  });

  it('serves the renderer with a strict CSP and nothing outside it', async () => {
    const base = `http://127.0.0.1:${host.port}`;
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${base}/assets/app.js`)).headers.get('content-type')).toContain(
      'text/javascript',
    );
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${base}/..%2fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const http = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      http
        .get(
          { host: '127.0.0.1', port: host.port, path: '/', headers: { host: 'evil.example' } },
          (res) => resolve(res.statusCode ?? 0),
        )
        .end();
    });
    expect(status).toBe(421);
  });
});
