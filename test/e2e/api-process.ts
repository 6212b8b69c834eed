import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './support';
import { ADMIN } from './ui';

/** The standalone central API (dist/server.mjs) as its own process, as `npm run server` runs it. */
export interface ApiProcess {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Starts it again on the same port and database (after `stop`). */
  restart(): Promise<void>;
}

export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const start = async () => {
    child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'server.mjs')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        ALO153_SCRYPT_LOG_N: '12',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const deadline = Date.now() + 20_000;
    while (
      (await fetch(`${url}/health`).then(
        (r) => r.status,
        () => 0,
      )) !== 200
    ) {
      if (Date.now() > deadline) throw new Error('the central API did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const c = child;
      if (!c || c.exitCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  await start();
  return { url, port, stop, restart: start };
}

export async function apiPost(
  url: string,
  body: unknown,
  token?: string,
): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** A fresh API's first start: sets up the first administrator (ui.ts's ADMIN) and signs in. */
export async function setUpAdmin(url: string, clientId: string): Promise<string> {
  await apiPost(`${url}/setup/admin`, ADMIN);
  const session = await apiPost(`${url}/auth/login`, {
    username: ADMIN.username,
    password: ADMIN.password,
    clientId,
  });
  return session.accessToken as string;
}
