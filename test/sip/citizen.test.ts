import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, launchPhoneBrowser, serveHarness, type HarnessServer } from './browser';
import { Citizen } from './citizen';
import { sleep, startSipRig, type SipRig } from './rig';

const LANDLINE = '02241234567';
const users = { '1001': 'parola-1001', [LANDLINE]: 'parola-sabit' };
const CITIZEN = '05321234567';
let rig: SipRig;
let harness: HarnessServer;
let browser: Browser;
let agent: Agent;
let citizen: Citizen;
let landline: Citizen;

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
  citizen = await Citizen.start(rig.dir, CITIZEN, rig.udpPort);
  landline = await Citizen.start(rig.dir, LANDLINE, rig.udpPort, {
    domain: rig.domain,
    password: users[LANDLINE],
  });
  await landline.waitOutput(/200 OK .*\[1 binding\]/);
});

afterAll(async () => {
  await citizen?.stop();
  await landline?.stop();
  await agent?.close().catch(() => undefined);
  await browser?.close();
  await harness?.close();
  await rig?.stop();
});

describe('a citizen on an ordinary SIP phone (UDP, G.711, media bridged by rtpengine)', () => {
  it('calls an agent and audio flows both ways', async () => {
    await citizen.command('dial', `sip:1001@${rig.domain}`);
    const inc = await agent.waitIncoming();
    expect(inc.number).toBe(CITIZEN);
    await agent.run('answer', inc.id);
    await citizen.waitEvent('CALL_ESTABLISHED');

    // The citizen's 440 Hz tone reaches the browser as sound, not just packets.
    const s = await agent.waitStats(
      inc.id,
      'citizen audio at the agent',
      (x) => x.inboundPackets > 50 && x.outboundPackets > 50 && x.inboundEnergy > 0,
    );
    expect(s.codec).toMatch(/PCM[UA]/);

    // RFC 4733 from the browser arrives as telephone-events at the plain phone.
    await agent.dtmf(inc.id, '42', 'rfc4733');
    await agent.until('DTMF at the citizen', async () => citizen.dtmfReceived() === '42');

    // Hold through the bridge: the re-INVITE is translated, the agent then receives nothing.
    await agent.run('hold', inc.id);
    await agent.waitStats(inc.id, 'sendonly', (x) => x.currentDirection === 'sendonly');
    await sleep(300);
    const held = (await agent.stats(inc.id))!.inboundPackets;
    await sleep(600);
    expect((await agent.stats(inc.id))!.inboundPackets - held).toBeLessThan(5);
    await agent.run('resume', inc.id);
    await agent.waitStats(inc.id, 'sendrecv', (x) => x.currentDirection === 'sendrecv');
    const resumed = (await agent.stats(inc.id))!.inboundPackets;
    await sleep(600);
    expect((await agent.stats(inc.id))!.inboundPackets - resumed).toBeGreaterThan(10);

    await agent.run('hangup', inc.id);
    await citizen.waitEvent('CALL_CLOSED');
    const { sent, received } = await citizen.lastCallPackets();
    expect(sent).toBeGreaterThan(50);
    expect(received).toBeGreaterThan(50);
  });

  it('is called back by an agent on a plain phone, with audio both ways', async () => {
    const out = await agent.call(LANDLINE);
    await agent.waitCall(out.id, 'established');
    await landline.waitEvent('CALL_ESTABLISHED');
    const s = await agent.waitStats(
      out.id,
      'landline audio at the agent',
      (x) => x.inboundPackets > 100 && x.outboundPackets > 100 && x.inboundEnergy > 0,
    );
    expect(s.currentDirection).toBe('sendrecv');
    await agent.run('hangup', out.id);
    await landline.waitEvent('CALL_CLOSED');
    const { sent, received } = await landline.lastCallPackets();
    expect(sent).toBeGreaterThan(50);
    expect(received).toBeGreaterThan(50);
  });

  it('gets a clear message when the number does not exist', async () => {
    const out = await agent.call('05559998877');
    const ended = await agent.waitCall(out.id, 'ended');
    expect(ended.endReason).toBe('Aranan numara bulunamadı.');
  });
});
