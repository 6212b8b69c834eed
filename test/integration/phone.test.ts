import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type {
  AgentStateRow,
  AgentStateView,
  CallLogEntry,
  PhoneCredentials,
  PhoneSettingsView,
} from '../../src/domain/call';
import type { SecretCodec } from '../../src/client/api/session-store';
import type { Sok } from '../../src/domain/sok';
import { methodNames } from '../../src/domain/bridge/contract';
import { AGENT, call, contractSamples, signInAs, useTestStack, validDraft } from '../support/stack';

const SIP_PASSWORD = 'gizli-sip-parolasi-153';
// Stands in for safeStorage: what reaches the disk is not the plain text.
const codec: SecretCodec = {
  encrypt: (plain) => Buffer.from(`enc:${Buffer.from(plain).toString('base64')}`),
  decrypt: (data) => Buffer.from(data.toString().replace(/^enc:/, ''), 'base64').toString(),
};
const logged: string[] = [];
const stack = useTestStack({
  secretCodec: codec,
  log: (m, e) => logged.push(`${m} ${String(e)}`),
});

const settings = {
  server: 'wss://santral.bursa.example:7443',
  sipUser: '1001',
  displayName: 'Ajan Bir',
  iceServers: [{ urls: 'stun:stun.bursa.example:3478' }],
};
const inbound = (overrides: Partial<Record<string, unknown>> = {}) => ({
  id: randomUUID(),
  sipCallId: `${randomUUID()}@alo153.test`,
  direction: 'inbound',
  number: '05321234567',
  startedAt: '2026-03-02T08:50:00.000Z',
  answeredAt: '2026-03-02T08:50:04.000Z',
  endedAt: '2026-03-02T08:51:04.000Z',
  outcome: 'answered',
  ...overrides,
});

/** Every file under the data folder, as text, to look for a leaked password. */
function everythingOnDisk(dir: string): string {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name)).toString('latin1'))
    .join('\n');
}

describe('phone settings', () => {
  it('stores the SIP password encrypted and apart, and hands it out only just in time', async () => {
    const core = stack.open('desk');
    await signInAs(core);
    const missing = await core.dispatch('phone.settings.save', { settings });
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'validation', fields: { password: 'SIP parolası gerekli.' } },
    });
    const noneYet = await core.dispatch('phone.credentials', {});
    expect(noneYet).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(!noneYet.ok && noneYet.error.message).toMatch(/Telefon ayarları yapılmamış/);

    const saved = await call<PhoneSettingsView>(core, 'phone.settings.save', {
      settings,
      password: SIP_PASSWORD,
    });
    expect(saved.hasPassword).toBe(true);
    // The page's CSP lets the softphone reach exactly the configured server.
    expect(core.phoneServers()).toEqual([settings.server]);
    expect(saved.settings).toMatchObject({ ...settings, autoAnswer: false, wrapUpSeconds: 30 });
    const read = await call<PhoneSettingsView>(core, 'phone.settings.get');
    expect(JSON.stringify(read)).not.toContain(SIP_PASSWORD);

    // Saving again without a password keeps the stored one.
    await call(core, 'phone.settings.save', { settings: { ...settings, autoAnswer: true } });
    const creds = await call<PhoneCredentials>(core, 'phone.credentials');
    expect(creds).toEqual({
      server: settings.server,
      user: '1001',
      authUser: null,
      password: SIP_PASSWORD,
      displayName: 'Ajan Bir',
      iceServers: settings.iceServers,
    });

    // No other method's answer carries it (every method of the contract is asked, except those
    // that would end this session), nothing on disk holds it in plain text, no log has it.
    const me = await call<{ user: { id: string } }>(core, 'auth.status');
    const samples = contractSamples({ sokId: randomUUID(), userId: me.user.id });
    const skip = new Set([
      'phone.credentials',
      'phone.settings.save',
      'auth.logout',
      'auth.changePassword',
      'auth.login',
    ]);
    const answers = [];
    for (const method of methodNames.filter((m) => !skip.has(m))) {
      answers.push(await core.dispatch(method, samples[method]));
    }
    expect(answers).toHaveLength(methodNames.length - skip.size);
    expect(JSON.stringify(answers)).not.toContain(SIP_PASSWORD);
    const dataDir = (await call<{ dataDir: string }>(core, 'app.info')).dataDir;
    expect(everythingOnDisk(dataDir)).not.toContain(SIP_PASSWORD);
    expect(logged.join('\n')).not.toContain(SIP_PASSWORD);
    // Still the same password, still handed out just in time.
    expect((await call<PhoneCredentials>(core, 'phone.credentials')).password).toBe(SIP_PASSWORD);
  });

  it('refuses a server that is not a WebSocket address, in Turkish', async () => {
    const core = stack.open('desk');
    await signInAs(core);
    const bad = await core.dispatch('phone.settings.save', {
      settings: { ...settings, server: 'http://santral' },
      password: 'x',
    });
    expect(bad).toMatchObject({
      ok: false,
      error: {
        code: 'validation',
        fields: { 'settings.server': expect.stringMatching(/wss:\/\/ ile başlamalı/) },
      },
    });
  });
});

describe('call log', () => {
  it('writes a call and its outbox entry together, and the central API gets it', async () => {
    const core = stack.open('desk');
    await signInAs(core);
    const c = inbound();
    const entry = await call<CallLogEntry>(core, 'call.record', c);
    expect(entry).toMatchObject({ id: c.id, durationSeconds: 60, pending: true });
    const queued = core.db
      .prepare("SELECT kind FROM outbox WHERE entity_id = ? AND state = 'pending'")
      .pluck()
      .all(c.id);
    expect(queued).toEqual(['call.log']);

    const sok = await call<Sok>(core, 'sok.create', validDraft);
    const wrapped = await call<CallLogEntry>(core, 'call.wrapUp', {
      callId: c.id,
      disposition: 'sok-kaydedildi',
      sokId: sok.id,
    });
    expect(wrapped).toMatchObject({ disposition: 'sok-kaydedildi', sokId: sok.id });

    await core.sync.syncNow();
    const [mine] = await call<CallLogEntry[]>(core, 'call.list', {});
    expect(mine).toMatchObject({ id: c.id, pending: false });
    const row = await stack.api.server.db
      .selectFrom('call_log')
      .selectAll()
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      sip_call_id: c.sipCallId,
      disposition: 'sok-kaydedildi',
      sok_id: sok.id,
      org_code: 'bikom',
    });
  });

  it('keeps neither the call nor its mutation when the outbox write fails', async () => {
    const core = stack.open('desk');
    await signInAs(core);
    core.db.exec(
      "CREATE TEMP TRIGGER outbox_full BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    const c = inbound();
    const failed = await core.dispatch('call.record', c);
    expect(failed.ok).toBe(false);
    expect(core.db.prepare('SELECT count(*) FROM call_log').pluck().get()).toBe(0);
  });

  it('lists missed inbound calls apart and sends them as owing a callback', async () => {
    const core = stack.open('desk');
    await signInAs(core);
    const missed = inbound({ answeredAt: null, outcome: 'missed', endReason: 'Arayan kapattı' });
    await call(core, 'call.record', missed);
    await call(core, 'call.record', inbound());
    const list = await call<CallLogEntry[]>(core, 'call.list', { missedOnly: true });
    expect(list.map((x) => x.id)).toEqual([missed.id]);
    await core.sync.syncNow();
    const row = await stack.api.server.db
      .selectFrom('call_log')
      .select(['callback_state', 'outcome'])
      .where('id', '=', missed.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ callback_state: 'owed', outcome: 'missed' });
  });

  it('refuses a wrap-up without a disposition or for an unknown ŞÖK', async () => {
    const core = stack.open('desk');
    await signInAs(core);
    const c = inbound();
    await call(core, 'call.record', c);
    expect(await core.dispatch('call.wrapUp', { callId: c.id })).toMatchObject({
      ok: false,
      error: { fields: { disposition: 'Çağrı sonucunu seçin.' } },
    });
    expect(
      await core.dispatch('call.wrapUp', {
        callId: c.id,
        disposition: 'mevcut-sok',
        sokId: randomUUID(),
      }),
    ).toMatchObject({ ok: false, error: { fields: { sokId: 'Bağlanacak ŞÖK bulunamadı.' } } });
  });
});

describe('agent state', () => {
  it('reports state changes to the central API, which keeps the current one and the history', async () => {
    const core = stack.open('desk');
    await signInAs(core);
    expect((await call<AgentStateView>(core, 'agent.state.get')).state).toBe('offline');
    await call(core, 'agent.state.set', { state: 'available' });
    const onBreak = await call<AgentStateView>(core, 'agent.state.set', {
      state: 'break',
      reason: 'yemek',
    });
    expect(onBreak).toMatchObject({ state: 'break', reason: 'yemek' });
    expect(await call<AgentStateView>(core, 'agent.state.get')).toMatchObject({ state: 'break' });
    expect(await core.dispatch('agent.state.set', { state: 'break' })).toMatchObject({
      ok: false,
      error: { message: 'Mola için bir neden seçin.' },
    });
    await core.sync.syncNow();
    const db = stack.api.server.db;
    expect(await db.selectFrom('agent_state').select(['state', 'reason']).execute()).toEqual([
      { state: 'break', reason: 'yemek' },
    ]);
    expect(await db.selectFrom('agent_state_history').select('state').execute()).toHaveLength(2);
  });
});

describe('the call in progress', () => {
  // Syncs only when the test says so: in between the desk is as good as offline.
  const manual = {
    sync: { auto: false, backoffMinMs: 50, backoffMaxMs: 500, pollIntervalMs: 60_000 },
  };
  const SUPERVISOR = {
    username: 'sup1',
    displayName: 'Süpervizör Bir',
    password: 'sup-parola-2026',
    role: 'supervisor',
    orgCode: 'bikom',
  };

  it('reports the call a desk is on to the supervisors’ board once per change, queued until it syncs, and over after a crash', async () => {
    const supervisor = stack.open('supervisor', manual);
    await signInAs(supervisor, SUPERVISOR);
    let desk = stack.open('desk', manual);
    await signInAs(desk);
    const board = () => call<AgentStateRow[]>(supervisor, 'supervisor.agents');

    await call(desk, 'agent.state.set', { state: 'available' });
    const callId = randomUUID();
    const ringing = {
      id: callId,
      phase: 'ringing',
      direction: 'inbound',
      startedAt: new Date().toISOString(),
    };
    expect(await call(desk, 'call.current', { call: ringing })).toEqual({ queued: true });
    // The softphone reports on every change of its calls; the same call again is no news.
    expect(await call(desk, 'call.current', { call: ringing })).toEqual({ queued: false });
    // Not synced yet: queued like any change of an offline desk.
    expect(await board()).toEqual([]);
    expect(desk.sync.getStatus().pending).toBe(2);

    await desk.sync.syncNow();
    expect(await board()).toEqual([
      expect.objectContaining({
        displayName: AGENT.displayName,
        state: 'available',
        call: {
          phase: 'ringing',
          direction: 'inbound',
          startedAt: ringing.startedAt,
          answeredAt: null,
          regNo: null,
        },
      }),
    ]);

    // Answered; during the call the agent registers the caller's ŞÖK and the phone links it.
    const sok = await call<Sok>(desk, 'sok.create', validDraft);
    const talking = {
      ...ringing,
      phase: 'talking',
      answeredAt: new Date().toISOString(),
      sokId: sok.id,
    };
    expect(await call(desk, 'call.current', { call: talking })).toEqual({ queued: true });
    await desk.sync.syncNow();
    const [agent] = await board();
    expect(agent!.call).toMatchObject({ phase: 'talking', regNo: sok.regNo });
    // KVKK: the caller's number does not reach the supervisor.
    expect(JSON.stringify(await board())).not.toMatch(/532\s?123\s?45\s?67/);

    // The desk crashes mid-call. Restarted, its phone has no call: the board's one is over.
    await stack.close(desk);
    desk = stack.open('desk', manual);
    expect(await call(desk, 'call.current', { call: null })).toEqual({ queued: true });
    expect(await call(desk, 'call.current', { call: null })).toEqual({ queued: false });
    await desk.sync.syncNow();
    expect(await board()).toEqual([expect.objectContaining({ state: 'available', call: null })]);
  });
});
