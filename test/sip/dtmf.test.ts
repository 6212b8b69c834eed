/**
 * DTMF from the agent's keypad reaches an ordinary SIP phone exactly as pressed, whatever codec
 * that phone picks. A phone that offers opus first (linphone, most modern phones) gets the
 * agent's opus audio unchanged, and the keys as RFC 4733 telephone-events at the rate it
 * negotiated; a G.711 phone is covered by citizen.test.ts.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, launchPhoneBrowser, serveHarness, type HarnessServer } from './browser';
import { Citizen } from './citizen';
import type { SipHarness } from './harness/api';
import { sleep, startSipRig, type SipRig } from './rig';

const DESK = '02241234567';
const users = { '1001': 'parola-1001', [DESK]: 'parola-masa' };
const CITIZEN = '05321234567';
let rig: SipRig;
let harness: HarnessServer;
let browser: Browser;
let agent: Agent;
let citizen: Citizen;
let desk: Citizen;

beforeAll(async () => {
  rig = await startSipRig({ users });
  harness = await serveHarness();
  browser = await launchPhoneBrowser();
  agent = await Agent.open(browser, harness.url, '1001', {
    server: rig.wsUrl,
    user: `1001@${rig.domain}`,
    password: users['1001'],
    iceServers: [],
  });
  await agent.run('start');
  await agent.waitRegistered();
  citizen = await Citizen.start(rig.dir, CITIZEN, rig.udpPort, undefined, {
    codecs: ['opus', 'PCMU', 'PCMA'],
  });
  desk = await Citizen.start(
    rig.dir,
    DESK,
    rig.udpPort,
    { domain: rig.domain, password: users[DESK] },
    { codecs: ['opus', 'PCMU'] },
  );
  await desk.waitOutput(/200 OK .*\[1 binding\]/);
});

afterAll(async () => {
  await citizen?.stop();
  await desk?.stop();
  await agent?.close().catch(() => undefined);
  await browser?.close();
  await harness?.close();
  await rig?.stop();
});

/** Sends `digits` from the agent and waits until the phone got them (and nothing more after). */
async function keysArrive(phone: Citizen, callId: string, digits: string) {
  await agent.dtmf(callId, digits, 'rfc4733');
  // Each key lasts 100 ms with 70 ms between keys; then give stray repeats time to show.
  await agent.until(
    `DTMF ${digits} at ${phone.number}`,
    async () => phone.dtmfReceived().length >= digits.length,
    5000,
  );
  await sleep(1000);
  return phone.dtmfReceived();
}

describe('DTMF to a phone that offers opus first', () => {
  it('reaches a citizen who called in, exactly as pressed', async () => {
    await citizen.command('dial', `sip:1001@${rig.domain}`);
    const inc = await agent.waitIncoming();
    await agent.run('answer', inc.id);
    await citizen.waitEvent('CALL_ESTABLISHED');
    const s = await agent.waitStats(
      inc.id,
      'citizen audio at the agent',
      (x) => x.inboundPackets > 50 && x.inboundEnergy > 0,
    );
    // The bridge keeps an 8 kHz RTP clock on both legs (see resources/sip/kamailio.cfg).
    expect(s.codec).toMatch(/PCM[UA]/);

    expect(await keysArrive(citizen, inc.id, '153#')).toBe('153#');

    await agent.run('hangup', inc.id);
    await citizen.waitEvent('CALL_CLOSED');
  });

  it('reaches a desk phone the agent calls, exactly as pressed', async () => {
    const out = await agent.call(DESK);
    await agent.waitCall(out.id, 'established');
    await desk.waitEvent('CALL_ESTABLISHED');
    expect(await keysArrive(desk, out.id, '0*9')).toBe('0*9');
    await agent.run('hangup', out.id);
    await desk.waitEvent('CALL_CLOSED');
  });

  it('can be sent the moment the call is answered, before media flows', async () => {
    desk.events.length = 0;
    // In the page: dial, and press a key in the same task that sees the call established (ICE
    // and DTLS are then still connecting). The key waits for the media path instead of failing.
    const result = await agent.page.evaluate(async (number) => {
      const h = (globalThis as unknown as { sipHarness: SipHarness }).sipHarness;
      const call = await h.call(number);
      for (;;) {
        const now = h.history().find((c) => c.id === call.id);
        if (now?.status === 'established') break;
        if (now?.status === 'ended') return `ended: ${now.endReason}`;
        await new Promise((r) => setTimeout(r, 1));
      }
      try {
        await h.sendDtmf(call.id, '7', 'rfc4733');
        return call.id;
      } catch (e) {
        return `error: ${e instanceof Error ? e.message : String(e)}`;
      }
    }, DESK);
    expect(result).not.toMatch(/^(error|ended)/);
    await agent.until('DTMF 7 at the desk phone', async () => desk.dtmfReceived() === '7', 5000);
    await agent.run('hangup', result);
    await desk.waitEvent('CALL_CLOSED');
  });
});
