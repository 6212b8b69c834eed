/**
 * Chromium side of the SIP tests: bundles the harness page (test/sip/harness) with esbuild,
 * serves it on 127.0.0.1 (a secure context, so getUserMedia works) and drives one phone per page.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import type {
  CallInfo,
  DtmfMode,
  PhoneConfig,
  RegistrationState,
} from '../../renderer/src/phone/types';
import type { MediaStats, SipHarness } from './harness/api';
import { repoRoot, sleep } from './rig';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface HarnessServer {
  url: string;
  close(): Promise<void>;
}

export async function serveHarness(): Promise<HarnessServer> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-sip-harness-'));
  const harnessDir = path.join(repoRoot, 'test/sip/harness');
  await build({
    entryPoints: [path.join(harnessDir, 'harness.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    sourcemap: 'inline',
    outfile: path.join(out, 'harness.js'),
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(harnessDir, 'index.html'), path.join(out, 'index.html'));
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
  const server = http.createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0] === '/' ? 'index.html' : req.url!.slice(1);
    const file = path.join(out, path.basename(name));
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
        fs.rmSync(out, { recursive: true, force: true });
      }),
  };
}

export function launchPhoneBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      // Inside the loopback-only namespace ICE gathers nothing without this.
      '--allow-loopback-in-peer-connection',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
      // The rig's WSS certificate is self-signed.
      '--ignore-certificate-errors',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

type Api = SipHarness;
type Method = {
  [K in keyof Api]: Api[K] extends (...a: infer A) => infer R ? [A, Awaited<R>] : never;
};

/** One agent: a page holding one phone, driven through window.sipHarness. */
export class Agent {
  private constructor(
    readonly name: string,
    readonly page: Page,
  ) {}

  static async open(
    browser: Browser,
    harnessUrl: string,
    name: string,
    config: Omit<PhoneConfig, 'log'>,
  ): Promise<Agent> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const agent = new Agent(name, page);
    page.on('console', (m) => agent.console.push(m.text()));
    page.on('pageerror', (e) => agent.console.push(`pageerror: ${e.message}`));
    await page.goto(harnessUrl);
    await page.waitForFunction(() => 'sipHarness' in globalThis);
    await agent.run('create', config);
    return agent;
  }

  readonly console: string[] = [];

  run<K extends keyof Api>(method: K, ...args: Method[K][0]): Promise<Method[K][1]> {
    return this.page.evaluate(
      ([m, a]) => {
        const h = (
          globalThis as unknown as { sipHarness: Record<string, (...x: unknown[]) => unknown> }
        ).sipHarness;
        return h[m as string]!(...(a as unknown[]));
      },
      [method, args] as const,
    ) as Promise<Method[K][1]>;
  }

  registration(): Promise<RegistrationState> {
    return this.run('registration');
  }

  stats(callId: string): Promise<MediaStats | null> {
    return this.run('stats', callId);
  }

  call(number: string): Promise<CallInfo> {
    return this.run('call', number);
  }

  dtmf(callId: string, digits: string, mode: DtmfMode): Promise<void> {
    return this.run('sendDtmf', callId, digits, mode);
  }

  /** Polls `probe` until it returns a value (not null/undefined/false). */
  async until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 10_000) {
    const deadline = Date.now() + ms;
    let last: unknown;
    for (;;) {
      const v = await probe();
      if (v !== null && v !== undefined && v !== false) return v;
      last = v;
      if (Date.now() > deadline) {
        const logs = await this.run('logs').catch(() => [] as string[]);
        throw new Error(
          `${this.name}: timed out waiting for ${what} (last: ${JSON.stringify(last)})\n` +
            `--- phone log (tail) ---\n${logs.slice(-40).join('\n')}\n` +
            `--- console (tail) ---\n${this.console.slice(-20).join('\n')}`,
        );
      }
      await sleep(50);
    }
  }

  async waitRegistered(ms = 10_000): Promise<void> {
    await this.until(
      'registration',
      async () => (await this.registration()).kind === 'registered',
      ms,
    );
  }

  /** The first ringing incoming call (after `after` calls were seen). */
  async waitIncoming(ms = 10_000): Promise<CallInfo> {
    return this.until(
      'incoming call',
      async () => (await this.run('calls')).find((c) => c.status === 'ringing'),
      ms,
    );
  }

  async waitCall(id: string, status: CallInfo['status'], ms = 10_000): Promise<CallInfo> {
    return this.until(
      `call ${id} ${status}`,
      async () => (await this.run('history')).find((c) => c.id === id && c.status === status),
      ms,
    );
  }

  /** Waits until media statistics satisfy `ok`, polling getStats. */
  async waitStats(id: string, what: string, ok: (s: MediaStats) => boolean, ms = 10_000) {
    return this.until(
      what,
      async () => {
        const s = await this.stats(id);
        return s && ok(s) ? s : null;
      },
      ms,
    );
  }

  async close(): Promise<void> {
    await this.run('stop').catch(() => undefined);
    await this.page.context().close();
  }
}
