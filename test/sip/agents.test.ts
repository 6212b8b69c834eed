import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, launchPhoneBrowser, serveHarness, type HarnessServer } from './browser';
import { sleep, startSipRig, type SipRig } from './rig';

const users = { '1001': 'parola-1001', '1002': 'parola-1002', '1003': 'parola-1003' };
let rig: SipRig;
let harness: HarnessServer;
let browser: Browser;
let a: Agent;
let b: Agent;
let c: Agent;

beforeAll(async () => {
  rig = await startSipRig({ users });
  harness = await serveHarness();
  browser = await launchPhoneBrowser();
  [a, b, c] = (await Promise.all(
    (['1001', '1002', '1003'] as const).map((u) =>
      Agent.open(browser, harness.url, u, {
        server: rig.wsUrl,
        user: `${u}@${rig.domain}`,
        password: users[u],
        displayName: `Temsilci ${u}`,
        iceServers: [],
      }),
    ),
  )) as [Agent, Agent, Agent];
  for (const x of [a, b, c]) await x.run('start');
  await Promise.all([a, b, c].map((x) => x.waitRegistered()));
});

afterAll(async () => {
  for (const x of [a, b, c]) await x?.close().catch(() => undefined);
  await browser?.close();
  await harness?.close();
  await rig?.stop();
});

/** `from` calls `to`, `to` answers; returns both sides' call ids once media flows both ways. */
async function connect(from: Agent, to: Agent) {
  const out = await from.call(to.name);
  const inc = await to.waitIncoming();
  await to.run('answer', inc.id);
  await from.waitCall(out.id, 'established');
  await from.waitStats(out.id, `media at ${from.name}`, (s) => s.inboundPackets > 10);
  await to.waitStats(inc.id, `media at ${to.name}`, (s) => s.inboundPackets > 10);
  return { out, inc };
}

/** Packets received on the call during `ms`. */
async function received(agent: Agent, id: string, ms = 600): Promise<number> {
  const before = (await agent.stats(id))!.inboundPackets;
  await sleep(ms);
  return (await agent.stats(id))!.inboundPackets - before;
}

describe('two agents on the SIP rig', () => {
  it('call each other, answer, media flows both ways, hang up', async () => {
    const { out, inc } = await connect(a, b);
    expect(inc.number).toBe('1001');
    expect(inc.displayName).toBe('Temsilci 1001');
    expect(inc.sipCallId).toBe(out.sipCallId);
    expect(out.sipCallId).toMatch(/\S{6,}/);
    const sa = (await a.stats(out.id))!;
    const sb = (await b.stats(inc.id))!;
    expect(sa.currentDirection).toBe('sendrecv');
    expect(sb.currentDirection).toBe('sendrecv');
    expect(sa.inboundBytes).toBeGreaterThan(0);
    expect(await received(a, out.id)).toBeGreaterThan(10);
    expect(await received(b, inc.id)).toBeGreaterThan(10);
    await b.run('hangup', inc.id);
    const ended = await a.waitCall(out.id, 'ended');
    expect(ended.answeredAt).not.toBeNull();
    expect(ended.endedAt! - ended.answeredAt!).toBeGreaterThan(0);
  });

  it('rejects an incoming call', async () => {
    const out = await a.call('1002');
    const inc = await b.waitIncoming();
    await b.run('reject', inc.id);
    const ended = await a.waitCall(out.id, 'ended');
    expect(ended.endReason).toBe('Aranan numara meşgul.');
  });

  it('holds and resumes with the media direction renegotiated', async () => {
    const { out, inc } = await connect(a, b);
    await a.run('hold', out.id);
    await a.waitStats(out.id, 'sendonly at A', (s) => s.currentDirection === 'sendonly');
    await b.waitStats(inc.id, 'recvonly at B', (s) => s.currentDirection === 'recvonly');
    await b.until('remote hold seen by B', async () =>
      (await b.run('calls')).find((x) => x.id === inc.id && x.remoteHeld),
    );
    // B no longer sends: A receives nothing while holding.
    await sleep(200);
    expect(await received(a, out.id)).toBe(0);

    await a.run('resume', out.id);
    await a.waitStats(out.id, 'sendrecv at A', (s) => s.currentDirection === 'sendrecv');
    await b.waitStats(inc.id, 'sendrecv at B', (s) => s.currentDirection === 'sendrecv');
    expect(await received(a, out.id)).toBeGreaterThan(10);
    expect(await received(b, inc.id)).toBeGreaterThan(10);
    await a.run('hangup', out.id);
    await b.waitCall(inc.id, 'ended');
  });

  it('mutes, and sends DTMF by SIP INFO and RFC 4733', async () => {
    const { out, inc } = await connect(a, b);
    a.run('mute', out.id, true);
    expect((await a.run('calls')).find((x) => x.id === out.id)?.muted).toBe(true);
    a.run('mute', out.id, false);

    const before = await b.run('dtmf');
    await a.dtmf(out.id, '153#', 'info');
    await b.until('DTMF at B', async () => (await b.run('dtmf')) === `${before}153#`);
    // RFC 4733 goes in the media; the browser cannot observe received tones, but sending must
    // succeed on the negotiated telephone-event (the citizen test checks reception).
    await a.dtmf(out.id, '9', 'rfc4733');
    await a.run('hangup', out.id);
    await b.waitCall(inc.id, 'ended');
  });

  it('blind-transfers a caller to a third agent', async () => {
    const { out, inc } = await connect(a, b);
    // B (the agent who answered) sends the caller A on to C.
    const transferred = b.run('blindTransfer', inc.id, '1003');
    const atC = await c.waitIncoming();
    expect(atC.number).toBe('1001');
    await c.run('answer', atC.id);
    await transferred;
    await b.waitCall(inc.id, 'ended');
    await a.waitCall(out.id, 'ended');
    const newCall = await a.until('A on the new call', async () =>
      (await a.run('calls')).find(
        (x) => x.referredFromCallId === out.id && x.status === 'established',
      ),
    );
    expect(newCall.number).toBe('1003');
    await a.waitStats(newCall.id, 'media A←C', (s) => s.inboundPackets > 10);
    await c.waitStats(atC.id, 'media C←A', (s) => s.inboundPackets > 10);
    await c.run('hangup', atC.id);
    await a.waitCall(newCall.id, 'ended');
  });

  it('attended-transfers a caller after consulting the third agent', async () => {
    const { out: aOut, inc: bIn } = await connect(a, b);
    await b.run('hold', bIn.id);
    const { out: bConsult, inc: cIn } = await connect(b, c);
    await b.run('attendedTransfer', bIn.id, bConsult.id);

    // A's INVITE with Replaces reaches C, which takes it over in place of the consult call.
    const cNew = await c.until('C replaced call', async () =>
      (await c.run('calls')).find((x) => x.replacedCallId === cIn.id && x.status === 'established'),
    );
    expect(cNew.number).toBe('1001');
    await c.waitCall(cIn.id, 'ended');
    await b.waitCall(bIn.id, 'ended');
    await b.waitCall(bConsult.id, 'ended');
    await a.waitCall(aOut.id, 'ended');
    const aNew = await a.until('A on the new call', async () =>
      (await a.run('calls')).find((x) => x.status === 'established'),
    );
    await a.waitStats(aNew.id, 'media A←C', (s) => s.inboundPackets > 10);
    await c.waitStats(cNew.id, 'media C←A', (s) => s.inboundPackets > 10);
    expect((await b.run('calls')).length).toBe(0);
    await a.run('hangup', aNew.id);
    await c.waitCall(cNew.id, 'ended');
  });

  it('never logs a password', async () => {
    for (const x of [a, b, c]) {
      const all = [...(await x.run('logs')), ...x.console].join('\n');
      expect(all.length).toBeGreaterThan(0);
      for (const pw of Object.values(users)) expect(all).not.toContain(pw);
    }
  });
});
