import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions } from 'playwright-core';
import {
  applyBrowserPolicy,
  CHROMIUM_ARGS,
  loopbackOnly,
  policyPermissions,
} from '../../src/host/browser-window';

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
 * (src/domain/shell-policy.ts), through the same function as `npm start`'s window
 * (src/host/browser-window.ts applyBrowserPolicy), so a test fails where the shell would: every
 * context (also the implicit one of `browser.newPage`) holds only the policy's permissions (the
 * microphone; web notifications, clipboard, camera… denied without a prompt), new windows are
 * closed at once, navigation off this machine is refused and downloads other than the page's own
 * exports are cancelled. (`npm start` allows only the page's own origin; the tests run several
 * hosts, on several loopback ports, in one browser.)
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', ...CHROMIUM_ARGS],
  });
  const newContext = browser.newContext.bind(browser);
  const underPolicy = async (options: BrowserContextOptions = {}) => {
    const context = await newContext({ ...options, permissions: policyPermissions });
    await applyBrowserPolicy(context, { isOwnUrl: loopbackOnly });
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

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-e2e-'));
}
