import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
} from 'playwright-core';
import { shellPolicy } from '../../src/domain/shell-policy';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface RunningHost {
  url: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the built browser host (dist/host.mjs) as its own process, as `npm start` does. */
export async function startHost(
  dataDir: string,
  env: NodeJS.ProcessEnv = {},
  options: { args?: string[]; readyTimeoutMs?: number } = {},
): Promise<RunningHost> {
  const entry = path.join(repoRoot, 'dist', 'host.mjs');
  if (!fs.existsSync(entry)) throw new Error('dist/host.mjs is missing: run `npm run build` first');
  const child = spawn(process.execPath, [entry, '--data-dir', dataDir, ...(options.args ?? [])], {
    // A cheap password hash keeps sign-ins quick on a loaded test machine (the production cost,
    // 2^17, is proven by src/server/auth/lifetime.test.ts).
    env: { ALO153_SCRYPT_LOG_N: '12', ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`host did not start: ${stderr}`)),
      options.readyTimeoutMs ?? 20_000,
    );
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('ALO153_READY '));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line.slice('ALO153_READY '.length)) as { url: string }).url);
      }
    });
    child.once('exit', (code) => reject(new Error(`host exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    dataDir,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Chromium as the browser host runs it, under the shell policy the Electron shell applies
 * (src/domain/shell-policy.ts), so a test fails where the shell would: every context (also
 * the implicit one of `browser.newPage`) holds only the policy's permissions (the microphone;
 * web notifications, clipboard, camera… denied without a prompt), new windows are closed at
 * once and navigation away from the loopback host is refused.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const newContext = browser.newContext.bind(browser);
  const underPolicy = async (options: BrowserContextOptions = {}) => {
    const context = await newContext({
      ...options,
      permissions: [...shellPolicy.grantedPermissions],
    });
    await applyShellPolicy(context);
    return context;
  };
  browser.newContext = underPolicy;
  browser.newPage = async (options: BrowserContextOptions = {}) => {
    const context = await underPolicy(options);
    const page = await context.newPage();
    page.once('close', () => void context.close().catch(() => undefined));
    return page;
  };
  return browser;
}

/** The policy's navigation and new-window rules, as Electron's security.ts applies them. */
async function applyShellPolicy(context: BrowserContext): Promise<void> {
  const ownHost = (url: URL) => url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  await context.route(
    (url) => !ownHost(url) && url.protocol !== 'blob:' && url.protocol !== 'data:',
    (route) => route.abort('blockedbyclient'),
  );
  context.on('page', (page) => {
    void page
      .opener()
      .then((opener) => (opener && shellPolicy.newWindows === 'deny' ? page.close() : undefined))
      .catch(() => undefined);
  });
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-e2e-'));
}
