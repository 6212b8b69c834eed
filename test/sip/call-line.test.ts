/**
 * The call line through the exchange (#20, docs/telephony.md): a citizen dials 153, Kamailio asks
 * the central API who to ring (POST /line/calls) and rings that agent's phone: the longest-idle
 * available agent of the line's organisation, not every registered phone. With every agent busy
 * the callers wait in Kamailio's transaction layer and are put through in order of arrival; a
 * caller who gives up is a missed call owed a callback; with the API gone every agent rings.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPost, startApiProcess, type ApiProcess } from '../e2e/api-process';
import { tempDataDir } from '../e2e/support';
import { ADMIN } from '../e2e/ui';
import { Citizen } from './citizen';
import { sleep, startSipRig, type SipRig } from './rig';

const CITIZEN = '05321234567';
const SANTRAL = { username: 'santral', displayName: 'Santral', password: 'santral-parola-2026' };
const AGENTS = {
  '1001': {
    username: 'temsilci1001',
    displayName: 'Ayşe Temsilci',
    password: 'temsilci-parola-1001',
  },
  '1002': {
    username: 'temsilci1002',
    displayName: 'Mehmet Temsilci',
    password: 'temsilci-parola-1002',
  },
} as const;
const SIP_PASSWORDS = { '1001': 'parola-1001', '1002': 'parola-1002' };

let rig: SipRig;
let adminToken: string;
let api: ApiProcess;
let citizen: Citizen;
const phones: Record<string, Citizen> = {};
const callers: Citizen[] = [];
const root = tempDataDir();
const serverDb = path.join(root, 'server.sqlite');

let agentIds: Record<keyof typeof AGENTS, string>;
/** The exchange's API key (a service account's). */
let santralKey: string;

/** The phone was offered a call (baresip answering automatically reports the offer's SDP). */
const rang = (phone: Citizen) =>
  phone.events.some((e) => e.type === 'CALL_INCOMING' || e.type === 'CALL_REMOTE_SDP');

/** Agents on a break, as their desks would have reported it: the line offers them nothing. */
function setOnBreak(extensions: (keyof typeof AGENTS)[]) {
  const db = new Database(serverDb);
  const now = new Date().toISOString();
  for (const extension of extensions) {
    db.prepare(
      `UPDATE agent_state SET state = 'break', reason = 'mola', since = ?, updated_at = ? WHERE user_id = ?`,
    ).run(now, now, agentIds[extension]);
  }
  db.close();
}

async function lineLive(): Promise<{ waiting: number; today: Record<string, number> }> {
  const res = await fetch(`${api.url}/line/live?line=153`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  return ((await res.json()) as { lines: { waiting: number; today: Record<string, number> }[] })
    .lines[0]!;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}\n--- exchange ---\n${rig.logs().slice(-8000)}`);
    await sleep(100);
  }
}

/** Agents' states as their desks would have reported them: available, idle for so many seconds. */
function setIdle(idleSeconds: Partial<Record<keyof typeof AGENTS, number>>) {
  const db = new Database(serverDb);
  const now = Date.now();
  for (const [extension, idle] of Object.entries(idleSeconds)) {
    const since = new Date(now - idle * 1000).toISOString();
    db.prepare(
      `INSERT INTO agent_state (user_id, org_code, state, reason, since, updated_at)
       VALUES (?, 'bikom', 'available', NULL, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET state = 'available', reason = NULL, since = excluded.since,
       updated_at = excluded.updated_at`,
    ).run(agentIds[extension as keyof typeof AGENTS], since, since);
  }
  db.close();
}

beforeAll(async () => {
  fs.mkdirSync(root, { recursive: true });
  api = await startApiProcess({
    ALO153_SERVER_DB: serverDb,
    ALO153_LINES: JSON.stringify([{ number: '153', orgCode: 'bikom', ringTimeoutSeconds: 15 }]),
  });
  await apiPost(`${api.url}/setup/admin`, ADMIN);
  adminToken = (
    await apiPost(`${api.url}/auth/login`, {
      ...ADMIN,
      displayName: undefined,
      clientId: 'line-admin',
    })
  ).accessToken as string;
  await apiPost(
    `${api.url}/admin/users`,
    { ...SANTRAL, role: 'agent', orgCode: 'bikom' },
    adminToken,
  );
  for (const user of Object.values(AGENTS)) {
    await apiPost(
      `${api.url}/admin/users`,
      { ...user, role: 'agent', orgCode: 'bikom' },
      adminToken,
    );
  }
  const listed = await fetch(`${api.url}/admin/users`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const { users } = (await listed.json()) as { users: { id: string; username: string }[] };
  const idOf = (username: string) => users.find((u) => u.username === username)!.id;
  const { key } = (await apiPost(
    `${api.url}/admin/api-keys`,
    { name: 'SIP santrali', actingUserId: idOf(SANTRAL.username) },
    adminToken,
  )) as { key: string };
  for (const [extension, user] of Object.entries(AGENTS)) {
    const res = await fetch(`${api.url}/line/agents/${idOf(user.username)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ extension }),
    });
    expect(res.status, await res.text()).toBe(200);
  }
  santralKey = key;
  agentIds = { '1001': idOf(AGENTS['1001'].username), '1002': idOf(AGENTS['1002'].username) };
  // Both agents available (their desks would say so); 1002 has been idle longest.
  setIdle({ '1001': 60, '1002': 600 });

  rig = await startSipRig({
    users: SIP_PASSWORDS,
    wss: false,
    line: { url: api.url, apiKey: key, number: '153', announcement: true },
  });
  for (const [extension, password] of Object.entries(SIP_PASSWORDS)) {
    phones[extension] = await Citizen.start(rig.dir, extension, rig.udpPort, {
      domain: rig.domain,
      password,
    });
    await phones[extension].waitOutput(/200 OK .*\[1 binding\]/);
  }
  citizen = await Citizen.start(rig.dir, CITIZEN, rig.udpPort);
}, 120_000);

afterAll(async () => {
  await citizen?.stop();
  for (const c of callers) await c.stop();
  for (const phone of Object.values(phones)) await phone.stop();
  await api?.stop();
  await rig?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('a citizen dialling 153', () => {
  it('is put through to the longest-idle available agent the API chose', async () => {
    await citizen.command('dial', `sip:153@${rig.domain}`);
    await citizen.waitEvent('CALL_ESTABLISHED', 20_000).catch((e: Error) => {
      throw new Error(`${e.message}\n--- exchange ---\n${rig.logs().slice(-6000)}`);
    });
    const established = await phones['1002']!.waitEvent('CALL_ESTABLISHED');
    expect(established.peeruri).toContain(CITIZEN);
    // The other agent's phone never rang.
    await sleep(500);
    expect(phones['1001']!.events.filter((e) => e.type.startsWith('CALL_'))).toEqual([]);
    // The exchange told the API the agent answered: today's figures count it.
    const deadline = Date.now() + 10_000;
    let today: Record<string, unknown> = {};
    while (Date.now() < deadline) {
      const res = await fetch(`${api.url}/line/live?line=153`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      today = ((await res.json()) as { lines: { today: Record<string, unknown> }[] }).lines[0]!
        .today;
      if (today.answered === 1) break;
      await sleep(100);
    }
    expect(today.answered).toBe(1);
    await citizen.command('hangup');
    await citizen.waitEvent('CALL_CLOSED');
  });

  it("rings the next agent when the chosen agent's phone is switched off", async () => {
    // The first call ended (the exchange told the API): 1002 is free again, and the longest
    // idle; its phone is switched off now (it unregisters): the offer fails as unreachable.
    await phones['1002']!.stop();
    // An agent is idle since their last call ended: 1001 becomes available only now.
    await sleep(1000);
    setIdle({ '1001': 0, '1002': 600 });
    citizen.events.length = 0;
    await citizen.command('dial', `sip:153@${rig.domain}`);
    await citizen.waitEvent('CALL_ESTABLISHED', 20_000).catch((e: Error) => {
      throw new Error(`${e.message}\n--- exchange ---\n${rig.logs().slice(-6000)}`);
    });
    const established = await phones['1001']!.waitEvent('CALL_ESTABLISHED');
    expect(established.peeruri).toContain(CITIZEN);
    // 1002 was offered this call first (the first call was its only other offer) and missed it.
    expect(rig.logs().match(/line: \S+ rings 1002/g)).toHaveLength(2);
    await citizen.command('hangup');
    await citizen.waitEvent('CALL_CLOSED');
  });
});

describe('the line when every agent is busy', () => {
  it('keeps five callers waiting and puts them through in order of arrival as an agent frees up', async () => {
    // 1002's phone is back on; both agents are on a break: nobody can take a call.
    phones['1002'] = await Citizen.start(rig.dir, '1002', rig.udpPort, {
      domain: rig.domain,
      password: SIP_PASSWORDS['1002'],
    });
    await phones['1002'].waitOutput(/200 OK .*\[1 binding\]/);
    setOnBreak(['1001', '1002']);
    for (let i = 1; i <= 5; i++) {
      const caller = await Citizen.start(rig.dir, `0532555000${i}`, rig.udpPort);
      callers.push(caller);
      await caller.command('dial', `sip:153@${rig.domain}`);
      // The next one dials only once this one is in line: their order of arrival is known.
      await until(`caller ${i} never waited`, async () =>
        (await lineLive()).waiting === i ? true : undefined,
      );
    }
    // Waiting callers hold no Kamailio worker (there are two): a direct call still goes through.
    citizen.events.length = 0;
    phones['1002']!.events.length = 0;
    await citizen.command('dial', `sip:1002@${rig.domain}`);
    await citizen.waitEvent('CALL_ESTABLISHED', 10_000);
    await citizen.command('hangup');
    await citizen.waitEvent('CALL_CLOSED');
    expect(callers.every((c) => !c.events.some((e) => e.type === 'CALL_ESTABLISHED'))).toBe(true);

    // 1001 comes back from the break: the callers reach it one after the other, first come first.
    phones['1001']!.events.length = 0;
    phones['1002']!.events.length = 0;
    const before = [...phones['1001']!.log().matchAll(/packets:\s+\d+\s+\d+/g)].length;
    setIdle({ '1001': 0 });
    for (let i = 0; i < callers.length; i++) {
      await callers[i]!.waitEvent('CALL_ESTABLISHED', 30_000).catch((e: Error) => {
        throw new Error(`${e.message}\n--- exchange ---\n${rig.logs().slice(-8000)}`);
      });
      const later = callers
        .slice(i + 1)
        .filter((c) => c.events.some((e) => e.type === 'CALL_ESTABLISHED'));
      expect(later.map((c) => c.number)).toEqual([]);
      await sleep(1000); // a second of talk: the media path is checked below
      await callers[i]!.command('hangup');
      await callers[i]!.waitEvent('CALL_CLOSED');
    }
    // After the announcement the media goes through rtpengine: each caller reached the agent.
    const stats = await until('the agent printed no RTP stats for five calls', async () => {
      const all = [...phones['1001']!.log().matchAll(/packets:\s+(\d+)\s+(\d+)/g)];
      return all.length >= before + 5 ? all.slice(before).map((m) => Number(m[2])) : undefined;
    });
    expect(stats.every((received) => received > 20)).toBe(true);
    // ...and each caller, silent while the line spoke, talked once put through.
    for (const caller of callers) expect((await caller.lastCallPackets()).sent).toBeGreaterThan(20);
    const answeredAt = phones['1001']!.events.filter((e) => e.type === 'CALL_ESTABLISHED').map(
      (e) => e.peeruri,
    );
    expect(answeredAt).toHaveLength(5);
    callers.forEach((c, i) => expect(answeredAt[i]).toContain(c.number));
    expect(rang(phones['1002']!)).toBe(false);
  });

  it('records a caller who hung up while waiting as a missed call owed a callback, with the wait', async () => {
    setOnBreak(['1001', '1002']);
    const caller = await Citizen.start(rig.dir, '05326660001', rig.udpPort);
    callers.push(caller);
    await caller.command('dial', `sip:153@${rig.domain}`);
    await until('the caller never waited', async () =>
      (await lineLive()).waiting === 1 ? true : undefined,
    );
    // Long enough for the exchange to have asked the API again at least once.
    await sleep(4500);
    await caller.command('hangup');
    await caller.waitEvent('CALL_CLOSED');
    // While waiting the caller heard the announcement (early media from rtpengine), not silence.
    expect(caller.events.map((e) => e.type)).toContain('CALL_PROGRESS');
    const heard = await caller.lastCallPackets();
    expect(heard.received).toBeGreaterThan(100);
    const missed = await until('no missed call owed', async () => {
      const res = await fetch(`${api.url}/calls/missed?state=owed&limit=50`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      const { calls } = (await res.json()) as {
        calls: { number: string; endReason: string | null; callbackState: string }[];
      };
      return calls.find((c) => c.number.endsWith('5326660001'));
    });
    expect(missed.callbackState).toBe('owed');
    const waited = Number(/hat 153, bekleme (\d+) sn/.exec(missed.endReason ?? '')?.[1]);
    expect(missed.endReason).toContain('Arayan sırada beklerken kapattı');
    expect(waited).toBeGreaterThanOrEqual(4);
    expect(waited).toBeLessThan(30);
    expect((await lineLive()).waiting).toBe(0);
  });
});

describe('the maximum wait', () => {
  it('ends a wait that reached it politely, as a missed call owed a callback', async () => {
    setOnBreak(['1001', '1002']);
    const caller = await Citizen.start(rig.dir, '05326660002', rig.udpPort);
    callers.push(caller);
    await caller.command('dial', `sip:153@${rig.domain}`);
    await until('the caller never waited', async () =>
      (await lineLive()).waiting === 1 ? true : undefined,
    );
    // The caller has been waiting for the line's maximum (300 s by default), as far as the
    // line's clock goes: their next poll ends the wait.
    const db = new Database(serverDb);
    db.prepare(
      `UPDATE line_caller SET arrived_at = ? WHERE state = 'waiting' AND number LIKE '%5326660002'`,
    ).run(new Date(Date.now() - 301_000).toISOString());
    db.close();
    const closed = await caller.waitEvent('CALL_CLOSED', 10_000);
    expect(JSON.stringify(closed)).toContain('480');
    const missed = await until('no missed call owed', async () => {
      const res = await fetch(`${api.url}/calls/missed?state=owed&limit=50`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      const { calls } = (await res.json()) as {
        calls: { number: string; endReason: string | null }[];
      };
      return calls.find((c) => c.number.endsWith('5326660002'));
    });
    expect(missed.endReason).toMatch(/En uzun bekleme süresi doldu: hat 153, bekleme 30\d sn/);
    expect((await lineLive()).waiting).toBe(0);
  });
});

describe('two Kamailio instances on one line', () => {
  it('keep one order of arrival across both instances', async () => {
    // A second exchange on the same API; agent 1001's phone is registered with both.
    const rigB = await startSipRig({
      users: SIP_PASSWORDS,
      wss: false,
      line: { url: api.url, apiKey: santralKey, number: '153', announcement: true },
    });
    const phoneB = await Citizen.start(rigB.dir, '1001', rigB.udpPort, {
      domain: rigB.domain,
      password: SIP_PASSWORDS['1001'],
    });
    try {
      await phoneB.waitOutput(/200 OK .*\[1 binding\]/);
      setOnBreak(['1001', '1002']);
      const via = [rig, rigB, rig];
      const inLine: Citizen[] = [];
      for (const [i, exchange] of via.entries()) {
        const caller = await Citizen.start(exchange.dir, `053288800${i + 1}`, exchange.udpPort);
        callers.push(caller);
        inLine.push(caller);
        await caller.command('dial', `sip:153@${exchange.domain}`);
        await until(`caller ${i + 1} never waited`, async () =>
          (await lineLive()).waiting === i + 1 ? true : undefined,
        );
      }
      phones['1001']!.events.length = 0;
      setIdle({ '1001': 0 });
      for (let i = 0; i < inLine.length; i++) {
        await inLine[i]!.waitEvent('CALL_ESTABLISHED', 30_000).catch((e: Error) => {
          throw new Error(`${e.message}\n--- exchange B ---\n${rigB.logs().slice(-6000)}`);
        });
        const later = inLine
          .slice(i + 1)
          .filter((c) => c.events.some((e) => e.type === 'CALL_ESTABLISHED'));
        expect(later.map((c) => c.number)).toEqual([]);
        await inLine[i]!.command('hangup');
        await inLine[i]!.waitEvent('CALL_CLOSED');
      }
      // The second caller, waiting on exchange B, reached the agent through B's registration.
      const established = (p: Citizen) =>
        p.events.filter((e) => e.type === 'CALL_ESTABLISHED').map((e) => e.peeruri);
      expect(established(phoneB)).toEqual([expect.stringContaining('0532888002')]);
      expect(established(phones['1001']!)).toEqual([
        expect.stringContaining('0532888001'),
        expect.stringContaining('0532888003'),
      ]);
    } finally {
      await phoneB.stop();
      await rigB.stop();
    }
  });
});

describe('the line without its API', () => {
  it('rings every agent of the line, for a caller already waiting and for a new one', async () => {
    setOnBreak(['1001', '1002']);
    const waiting = await Citizen.start(rig.dir, '05327770001', rig.udpPort);
    callers.push(waiting);
    await waiting.command('dial', `sip:153@${rig.domain}`);
    await until('the caller never waited', async () =>
      (await lineLive()).waiting === 1 ? true : undefined,
    );
    for (const phone of Object.values(phones)) phone.events.length = 0;
    await api.stop();
    // Its next polls fail: the exchange rings every registered agent of the line instead.
    await waiting.waitEvent('CALL_ESTABLISHED', 30_000).catch((e: Error) => {
      throw new Error(`${e.message}\n--- exchange ---\n${rig.logs().slice(-8000)}`);
    });
    await until('not every agent rang', async () =>
      Object.values(phones).every(rang) ? true : undefined,
    );
    await waiting.command('hangup');
    await waiting.waitEvent('CALL_CLOSED');

    for (const phone of Object.values(phones)) phone.events.length = 0;
    const fresh = await Citizen.start(rig.dir, '05327770002', rig.udpPort);
    callers.push(fresh);
    await fresh.command('dial', `sip:153@${rig.domain}`);
    await fresh.waitEvent('CALL_ESTABLISHED', 20_000).catch((e: Error) => {
      throw new Error(`${e.message}\n--- exchange ---\n${rig.logs().slice(-8000)}`);
    });
    await until('not every agent rang', async () =>
      Object.values(phones).every(rang) ? true : undefined,
    );
    await fresh.command('hangup');
    await fresh.waitEvent('CALL_CLOSED');
  });
});
