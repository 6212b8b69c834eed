import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhoneConfig } from '../../renderer/src/phone/types';
import { Agent, launchPhoneBrowser, serveHarness, type HarnessServer } from './browser';
import { freePort, startSipRig, type SipRig } from './rig';

const users = { '2001': 'parola-2001', '2002': 'parola-2002' };
let rig: SipRig;
let harness: HarnessServer;
let browser: Browser;
const opened: Agent[] = [];

async function open(user: string, patch: Partial<PhoneConfig> = {}) {
  const agent = await Agent.open(browser, harness.url, user, {
    server: rig.wsUrl,
    user: `${user}@${rig.domain}`,
    password: users[user as keyof typeof users] ?? '',
    iceServers: [],
    reconnectDelayMs: { first: 300, max: 3000 },
    ...patch,
  });
  opened.push(agent);
  await agent.run('start');
  return agent;
}

beforeAll(async () => {
  rig = await startSipRig({ users });
  harness = await serveHarness();
  browser = await launchPhoneBrowser();
});

afterAll(async () => {
  for (const x of opened) await x.close().catch(() => undefined);
  await browser?.close();
  await harness?.close();
  await rig?.stop();
});

describe('registration', () => {
  it('shows a clear error for a wrong password, and does not retry it', async () => {
    const agent = await open('2001', { password: 'yanlis-parola' });
    const state = await agent.until('failure', async () => {
      const r = await agent.registration();
      return r.kind === 'failed' ? r : null;
    });
    expect(state.reason).toBe('credentials');
    expect(state.message).toMatch(/kullanıcı adı veya parola hatalı/);
    expect(state.kind === 'failed' && state.retryAt).toBeNull();
    const logs = (await agent.run('logs')).join('\n') + agent.console.join('\n');
    expect(logs).not.toContain('yanlis-parola');
    await agent.close();
  });

  it('shows the server as unreachable and keeps retrying', async () => {
    const closed = `ws://127.0.0.1:${await freePort()}`;
    const agent = await open('2002', { server: closed });
    const state = await agent.until('unreachable', async () => {
      const r = await agent.registration();
      return r.kind === 'failed' ? r : null;
    });
    expect(state.reason).toBe('unreachable');
    expect(state.message).toContain('SIP sunucusuna ulaşılamıyor');
    expect(state.kind === 'failed' && state.retryAt).toBeGreaterThan(0);
    await agent.close();
  });

  it('registers over WSS with the generated certificate', async () => {
    expect(rig.wssUrl).toMatch(/^wss:/);
    const agent = await open('2001', { server: rig.wssUrl! });
    await agent.waitRegistered();
    await agent.close();
  });

  it('re-registers by itself after the SIP server restarts, and takes calls again', async () => {
    const x = await open('2001');
    const y = await open('2002');
    await Promise.all([x.waitRegistered(), y.waitRegistered()]);
    const t0 = Date.now();
    await rig.restartKamailio(1000);
    await x.until('loss noticed', async () =>
      (await x.run('registrationHistory')).includes('failed'),
    );
    await Promise.all([x.waitRegistered(20_000), y.waitRegistered(20_000)]);
    console.log(`re-registered ${Date.now() - t0} ms after the restart began`);
    // The server forgot every binding: a call only connects because both re-registered.
    const out = await x.call('2002');
    const inc = await y.waitIncoming();
    await y.run('answer', inc.id);
    await x.waitStats(out.id, 'media after restart', (s) => s.inboundPackets > 10);
    await x.run('hangup', out.id);
    await y.waitCall(inc.id, 'ended');
  });
});
