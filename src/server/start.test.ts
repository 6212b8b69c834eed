import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start';
import {
  createTestBackend,
  forEachBackend,
  testConfig,
  type TestBackend,
} from '../../test/support/backends';

forEachBackend('startServer', (kind) => {
  let backend: TestBackend;
  let server: RunningServer;
  beforeAll(async () => {
    // The backend only provides an empty database; startServer opens its own connection.
    backend = await createTestBackend(kind, {}, { migrate: false });
    server = await startServer(
      { ...backend.config, port: 0 },
      {
        extraRoutes: (app, deps) => {
          app.get('/live', { websocket: true }, (socket) => {
            const unsubscribe = deps.notifier.subscribe((cursor) =>
              socket.send(JSON.stringify({ cursor })),
            );
            socket.on('close', unsubscribe);
            socket.send('ready');
          });
        },
      },
    );
  });
  afterAll(async () => {
    await server?.close();
    await backend?.drop();
  });

  it('listens on the requested host and a real port, and reports health', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: kind });
  });

  it('has migrated and seeded the reference data, idempotently', async () => {
    const count = async () =>
      (
        await server.db
          .selectFrom('organisation')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const before = await count();
    expect(before).toBeGreaterThanOrEqual(30);
    const { readReferenceFile, seedReferenceData } = await import('./reference-seed');
    await seedReferenceData(server.db, readReferenceFile(server.config.referenceFile));
    expect(await count()).toBe(before);
  });

  it('goes from setup to an authenticated WebSocket that hears published changes', async () => {
    const post = (url: string, body: object) =>
      fetch(`${server.url}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect(
      (
        await post('/setup/admin', {
          username: 'kurucu',
          displayName: 'Kurucu',
          password: 'kurucu-parolasi-1',
        })
      ).status,
    ).toBe(201);
    const login = await post('/auth/login', {
      username: 'kurucu',
      password: 'kurucu-parolasi-1',
      clientId: 'install-start-1',
    });
    const { accessToken } = (await login.json()) as { accessToken: string };

    const refused = new WebSocket(`${server.url.replace('http', 'ws')}/live`);
    const status = await new Promise<number>((resolve) =>
      refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(401);

    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/live`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const messages: string[] = [];
    const ready = new Promise<void>((resolve) =>
      ws.on('message', (data: Buffer) => {
        messages.push(data.toString());
        if (data.toString() === 'ready') resolve();
      }),
    );
    await ready;
    await server.notifier.publish(77);
    await expect.poll(() => messages).toContain('{"cursor":77}');
    ws.close();
  });
});

describe('startServer failures', () => {
  it('refuses a bad config with a clear message and leaves nothing open', async () => {
    await expect(startServer({ port: -1 })).rejects.toThrow(
      /Invalid server configuration:\n {2}port/,
    );
    await expect(
      startServer({ ...testConfig(), referenceFile: '/nonexistent/bursa.json', port: 0 }),
    ).rejects.toThrow(/cannot read reference data/);
  });
});

describe('main.ts', () => {
  const exec = promisify(execFile);
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-main-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 1 with one readable line per bad environment variable', async () => {
    const run = exec(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: { PATH: process.env.PATH, PORT: 'abc', ALO153_SERVER_DB: path.join(dir, 'x.sqlite') },
    });
    const error = await run.then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(1);
    expect(error?.stderr).toBe(
      'Invalid server configuration:\n  PORT: expected an integer, got "abc"\n',
    );
  });
});
