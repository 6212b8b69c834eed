/**
 * The call line through the exchange (#20, docs/telephony.md): a citizen dials 153, Kamailio asks
 * the central API who to ring (POST /line/calls) and rings that agent's phone: the longest-idle
 * available agent of the line's organisation, not every registered phone.
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
const root = tempDataDir();
const serverDb = path.join(root, 'server.sqlite');

let agentIds: Record<keyof typeof AGENTS, string>;

/** Agents' states as their desks would have reported them: available, idle for so many seconds. */
function setIdle(idleSeconds: Record<keyof typeof AGENTS, number>) {
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
  agentIds = { '1001': idOf(AGENTS['1001'].username), '1002': idOf(AGENTS['1002'].username) };
  // Both agents available (their desks would say so); 1002 has been idle longest.
  setIdle({ '1001': 60, '1002': 600 });

  rig = await startSipRig({
    users: SIP_PASSWORDS,
    wss: false,
    line: { url: api.url, apiKey: key, number: '153' },
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
