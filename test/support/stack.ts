import fs from 'node:fs';
import { afterEach, beforeEach } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClientCore, type ClientCore, type ClientCoreOptions } from '../../src/client/core';
import type { MethodName } from '../../src/domain/bridge/contract';
import type { Result } from '../../src/domain/errors';
import type { ServerConfigInput } from '../../src/server/config';
import type { SqlDialect } from '../../src/server/db/columns';
import { startServer, type RunningServer, type StartOptions } from '../../src/server/start';
import { createTestBackend } from './backends';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const resourcesDir = path.join(repoRoot, 'resources');

export const ADMIN = {
  username: 'yonetici',
  displayName: 'Sistem Yöneticisi',
  password: 'Yönetici-parola-2026',
};

export interface TestApi {
  server: RunningServer;
  url: string;
  close(): Promise<void>;
}

/** A real central API on a fresh database of the given kind, listening on loopback. */
export async function startTestApi(
  kind: SqlDialect = 'sqlite',
  port = 0,
  overrides: Partial<ServerConfigInput> = {},
  start: Pick<StartOptions, 'seedBuilder'> = {},
): Promise<TestApi> {
  const backend = await createTestBackend(kind);
  const config = { ...backend.config, ...overrides, port, host: '127.0.0.1' };
  const server = await startServer(config, { logger: false, checkResponses: true, ...start });
  return {
    server,
    url: server.url,
    close: async () => {
      await server.close();
      await backend.drop();
    },
  };
}

export function tempDir(prefix = 'alo153-it-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function openClient(
  dataDir: string,
  apiUrl: string,
  options: Partial<ClientCoreOptions> = {},
): ClientCore {
  return createClientCore({
    dataDir,
    host: 'browser',
    version: 'test',
    resourcesDir,
    apiUrl,
    log: () => undefined,
    sync: { backoffMinMs: 50, backoffMaxMs: 500, pollIntervalMs: 60_000 },
    ...options,
  });
}

/** Calls a bridge method and returns its value, or throws with the error the UI would show. */
export async function call<T = unknown>(
  core: ClientCore,
  method: string,
  input: unknown = {},
): Promise<T> {
  const result = await core.dispatch(method, input);
  if (!result.ok)
    throw new Error(
      `${method}: ${result.error.code}: ${result.error.message} ${JSON.stringify(result.error.fields ?? {})}`,
    );
  return result.value as T;
}

export const validDraft = {
  typeCode: 'sikayet',
  topicCode: 'temizlik.cop-toplanmadi',
  districtCode: 'yildirim',
  mahalle: 'Değirmenönü',
  address: 'Ihlamur Sokak No: 4',
  description: 'Çöp konteyneri üç gündür boşaltılmadı, kötü koku var.',
  citizenName: 'Ayşe Işık',
  citizenPhone: '0532 123 45 67',
};

/** Polls until `check` passes or the time is up (for effects that arrive asynchronously). */
export async function eventually(
  check: () => unknown | Promise<unknown>,
  timeoutMs = 5000,
): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export const AGENT = { username: 'ajan1', displayName: 'Ajan Bir', password: 'ajan-parola-2026' };

/**
 * Sets up the first admin through the app, creates a user with the given role and organisation,
 * and signs that user in (sign-in also leases registration numbers).
 */
export async function signInAs(
  core: ClientCore,
  user: {
    username: string;
    displayName: string;
    password: string;
    role: string;
    orgCode: string;
  } = {
    ...AGENT,
    role: 'agent',
    orgCode: 'bikom',
  },
): Promise<void> {
  const status = await call<{ needsSetup: boolean | null }>(core, 'auth.status');
  if (status.needsSetup) await call(core, 'auth.setup', ADMIN);
  else await call(core, 'auth.login', { username: ADMIN.username, password: ADMIN.password });
  await call(core, 'admin.users.create', user);
  await call(core, 'auth.logout', { force: true });
  await call(core, 'auth.login', { username: user.username, password: user.password });
  // Sign-in triggers a sync in the background; wait until it has leased numbers.
  await eventually(async () => {
    await core.sync.syncNow();
    const status = core.sync.getStatus();
    if (status.state !== 'online' || (user.role !== 'admin' && status.numbersLeft === 0)) {
      throw new Error(`not ready: ${JSON.stringify(status)}`);
    }
  }, 10_000);
}

/** One valid-looking input for every bridge method (used to prove each one is reachable). */
export function contractSamples(ids: {
  sokId: string;
  userId: string;
}): Record<MethodName, unknown> {
  return {
    'app.info': {},
    'reference.get': {},
    'sok.create': validDraft,
    'sok.get': { id: ids.sokId },
    'sok.search': { query: 'çöp' },
    'sok.list': { query: 'çöp', districtCode: 'yildirim', limit: 10 },
    'draft.get': { key: 'intake' },
    'draft.save': { key: 'intake', values: { description: 'yarım kalan' } },
    'draft.clear': { key: 'intake' },
    'routing.preview': { topicCode: 'temizlik.cop-toplanmadi', districtCode: 'yildirim' },
    'sok.route': {
      sokId: ids.sokId,
      targetOrg: 'bb.fen-isleri',
      reason: 'Ana yol, büyükşehirin işi.',
    },
    'sok.timeline': { id: ids.sokId },
    'sok.reveal': { id: ids.sokId },
    'sok.callerContext': { phone: '0532 123 45 67' },
    'sok.addContact': {
      sokId: ids.sokId,
      citizenName: 'Mehmet Kaya',
      citizenPhone: '05321112233',
      note: 'Aynı sorun',
    },
    'auth.status': {},
    'auth.setup': ADMIN,
    'auth.demo': {},
    'auth.login': { username: AGENT.username, password: AGENT.password },
    'auth.logout': { force: true },
    'auth.changePassword': { currentPassword: AGENT.password, newPassword: AGENT.password + '!' },
    'sync.status': {},
    'sync.now': {},
    'sync.rejected': {},
    'sync.resolve': { mutationId: 1, action: 'discard' },
    'admin.users.list': {},
    'admin.users.create': {
      username: 'masa1',
      displayName: 'Masa Bir',
      password: 'masa-parola-2026',
      role: 'desk',
      orgCode: 'ilce.nilufer',
    },
    'admin.users.update': { id: ids.userId, displayName: 'Yeni Ad' },
    'admin.users.unlock': { id: ids.userId },
    'workflow.settings': {},
    'admin.daysOff.list': {},
    'admin.daysOff.save': { daysOff: [{ date: '2026-12-31', kind: 'full', note: 'İdari izin' }] },
    'admin.organisations.list': {},
    'admin.organisations.setEmail': { code: 'bikom', email: 'bikom@alo153.test' },
    'admin.routing.get': {},
    'admin.routing.save': { rules: [] },
    'admin.routing.history': {},
    'admin.routing.version': { version: 1 },
    'admin.routing.rollback': { version: 1 },
    'admin.routing.test': { rules: [], topicCode: 'yol.cukur', districtCode: 'nilufer' },
    'sok.inbox': { state: 'new' },
    'sok.accept': { sokId: ids.sokId },
    'sok.return': { sokId: ids.sokId, reason: 'Konu bizim değil, BİKOM baksın.' },
    'sok.decide': {
      sokId: ids.sokId,
      kind: 'already-done',
      explanation: 'Ekip dün çukuru kapattı.',
    },
    'sok.close': { sokId: ids.sokId, note: 'İş tamamlandı.' },
    'sok.reopen': { sokId: ids.sokId, reason: 'Vatandaş yeniden aradı.' },
    'callback.list': { state: 'open' },
    'calls.missed': {},
    'supervisor.agents': {},
    'calls.settle': { id: 'yok', state: 'done' },
    'callback.claim': { sokId: ids.sokId },
    'callback.release': { sokId: ids.sokId },
    'callback.attempt': { sokId: ids.sokId, outcome: 'no-answer', note: '' },
    'phone.settings.get': {},
    'phone.settings.save': {
      settings: { server: 'wss://santral.example:7443', sipUser: '1001' },
      password: 'sip-parola',
    },
    'phone.credentials': {},
    'agent.state.get': {},
    'line.waiting': {},
    'agent.state.set': { state: 'break', reason: 'yemek' },
    'call.record': {
      id: '5b7f8e2a-8a45-4f0e-9a51-3f0d7c1b2a10',
      sipCallId: 'abc123@alo153',
      direction: 'inbound',
      number: '05321234567',
      startedAt: '2026-01-05T09:00:00.000Z',
      answeredAt: null,
      endedAt: '2026-01-05T09:00:20.000Z',
      outcome: 'missed',
    },
    'call.wrapUp': { callId: '5b7f8e2a-8a45-4f0e-9a51-3f0d7c1b2a10', disposition: 'diger' },
    'call.current': {
      call: {
        id: '0d3c1f7e-4b2a-4c8e-9f10-2a6b7c8d9e01',
        phase: 'ringing',
        direction: 'inbound',
        startedAt: '2026-01-05T09:00:00.000Z',
      },
    },
    'call.list': { missedOnly: true },
    'app.notify': {
      kind: 'incoming-call',
      key: 'call-1',
      title: 'Gelen arama',
      body: '0532 123 45 67',
    },
    'app.diagnostics': {},
    'app.supportBundle': { sip: { state: 'registered', message: 'Kayıtlı' } },
    'app.shellState': {
      agentState: 'available',
      registered: true,
      ringing: false,
      inCall: false,
      dueCallbacks: 0,
    },
    'app.updateAnswer': { answer: 'later' },
    'supervisor.queues': {},
    'supervisor.queueItems': { queue: 'overdue', org: 'bikom' },
    'supervisor.staff': { org: 'bikom' },
    'supervisor.assign': { sokId: ids.sokId, userId: ids.userId },
    'supervisor.escalate': { sokId: ids.sokId, reason: 'Vatandaş tekrar aradı.' },
    'supervisor.outlook': {},
    'supervisor.sla': { from: '2026-01-01', to: '2026-01-31' },
    'supervisor.volumes': { from: '2026-01-01', to: '2026-01-31' },
    'supervisor.mail': { from: '2026-01-01', to: '2026-01-31' },
    'supervisor.line': {},
    'supervisor.external': { from: '2026-01-01', to: '2026-01-31' },
    'supervisor.export': { report: 'queues', format: 'csv' },
    'supervisor.monthlyReport': { month: '2026-01' },
    'mailbox.list': { state: 'new' },
    'mailbox.get': { id: ids.sokId },
    'mailbox.attachment': { id: ids.sokId },
    'mailbox.sokAttachments': { sokId: ids.sokId },
    'mailbox.setAside': { id: ids.sokId, reason: 'spam' },
    'mailbox.link': { id: ids.sokId, regNo: '0000-0018' },
    'mailbox.register': { id: ids.sokId, draft: validDraft },
    'kvkk.accessLog': { from: '2026-01-01T00:00:00.000Z' },
    'kvkk.accessLogCsv': {},
    'kvkk.requests': { state: 'open' },
    'kvkk.registerRequest': { kind: 'access', phone: '0532 111 22 33' },
    'kvkk.requestPdf': { id: ids.sokId },
    'kvkk.answerRequest': { id: ids.sokId, note: 'Yanıt gönderildi.' },
    'kvkk.retention': {},
    'kvkk.setRetention': { closedSokYears: 2, callLogMonths: 12, deskClosedDays: 30 },
    'kvkk.findings': { id: ids.sokId },
    'kvkk.correct': { id: ids.sokId, sokId: ids.sokId, citizenName: 'Ayşe Işıkçı' },
    'kvkk.erase': { id: ids.sokId, reason: '' },
    'kvkk.texts': {},
    'kvkk.publishText': {
      kind: 'notice',
      text: 'Aydınlatma metninin yeni sürümü, yeterince uzun.',
    },
    'kvkk.withdrawConsent': { phone: '0532 111 22 33' },
  };
}

/**
 * True when a result came from the method's own handler: a success, or a refusal the handler
 * gave (forbidden, conflict …), never "unknown method" or an internal error.
 */
export function answeredByHandler(result: Result<unknown>): boolean {
  if (result.ok) return true;
  return result.error.code !== 'internal' && !result.error.message.startsWith('Bilinmeyen işlem');
}

/**
 * A fresh central API (SQLite unless `backend` says otherwise) and data folder for each test, and desks opened on it by name;
 * everything is closed and removed after the test.
 */
export function useTestStack(
  options: Partial<ClientCoreOptions> = {},
  backend: SqlDialect = 'sqlite',
) {
  const state = { api: null as TestApi | null, root: '', cores: [] as ClientCore[] };
  beforeEach(async () => {
    state.api = await startTestApi(backend);
    state.root = tempDir();
  });
  afterEach(async () => {
    while (state.cores.length) await state.cores.pop()?.close();
    await state.api?.close();
    fs.rmSync(state.root, { recursive: true, force: true });
  });
  return {
    get api(): TestApi {
      if (!state.api) throw new Error('the test stack is not running');
      return state.api;
    },
    /** Opens (or reopens) the desk with this name on the test API. */
    open(name = 'desk', extra: Partial<ClientCoreOptions> = {}): ClientCore {
      const core = openClient(path.join(state.root, name), this.api.url, { ...options, ...extra });
      state.cores.push(core);
      return core;
    },
    /** Closes a desk as a crash or a quit would (its data stays). */
    async close(core: ClientCore): Promise<void> {
      state.cores.splice(state.cores.indexOf(core), 1);
      await core.close();
    },
  };
}
