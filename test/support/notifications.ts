import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser, type ParsedMail } from 'mailparser';
import { insertUser } from '../../src/server/auth/users';
import type { SqlDialect } from '../../src/server/db/columns';
import { nextChangeSeq, withWriteLock } from '../../src/server/db/write-lock';
import { readReferenceFile, seedReferenceData } from '../../src/server/reference-seed';
import { createTestBackend, type TestBackend } from './backends';
import { parseNotificationConfig } from '../../src/server/notifications/config';
import { seedNotificationTemplates } from '../../src/server/notifications/templates';
import {
  NotificationWorker,
  type NotificationWorkerOptions,
} from '../../src/server/notifications/worker';

/** Test helpers for the notification module (not used by the server itself). */

export const T0 = Date.parse('2026-03-02T09:00:00.000Z');

/** A clock the test moves by hand. */
export function manualClock(start = T0) {
  let ms = start;
  return {
    now: () => new Date(ms),
    advance: (seconds: number) => {
      ms += seconds * 1000;
    },
  };
}

export interface NotificationBackend extends TestBackend {
  agentId: string;
}

/** A fresh backend with reference data, the shipped templates and one agent. */
export async function createNotificationBackend(kind: SqlDialect): Promise<NotificationBackend> {
  const backend = await createTestBackend(kind);
  await seedReferenceData(backend.db, readReferenceFile(backend.config.referenceFile));
  await seedNotificationTemplates(backend.db, new Date(T0));
  const agentId = await insertUser(backend.db, {
    username: `agent-${randomUUID().slice(0, 8)}`,
    displayName: 'Test Temsilci',
    passwordHash: 'x',
    role: 'agent',
    orgCode: 'bikom',
    now: new Date(T0).toISOString(),
  });
  return { ...backend, agentId };
}

let regSeq = 100;

/** Inserts a ŞÖK as the create applier would (under the write lock, with a change seq). */
export async function insertSok(
  b: NotificationBackend,
  overrides: { citizenPhone?: string; citizenName?: string; originOrg?: string } = {},
): Promise<{
  id: string;
  regNo: string;
  citizenName: string;
  citizenPhone: string;
  createdAt: string;
}> {
  const id = randomUUID();
  regSeq += 1;
  const regNo = `0000-${String(regSeq).padStart(4, '0')}`;
  const sok = {
    id,
    regNo,
    citizenName: overrides.citizenName ?? 'Şükrü Öztürk',
    citizenPhone: overrides.citizenPhone ?? '+905321234567',
    createdAt: '2026-03-02T09:00:00.000Z',
  };
  await withWriteLock(b.db, async (trx) => {
    await trx
      .insertInto('sok')
      .values({
        id,
        reg_no: regNo,
        type_code: 'sikayet',
        channel_code: 'telefon',
        topic_code: 'temizlik.cop-toplanmadi',
        district_code: 'yildirim',
        mahalle: 'Mimar Sinan',
        address: 'Çınar Sokak 4',
        description: 'Çöpler üç gündür toplanmadı.',
        citizen_name: sok.citizenName,
        citizen_phone: sok.citizenPhone,
        status: 'registered',
        origin_org: overrides.originOrg ?? 'bikom',
        target_org: null,
        created_by: b.agentId,
        created_at: sok.createdAt,
        updated_at: sok.createdAt,
        change_seq: await nextChangeSeq(trx),
      })
      .execute();
  });
  return sok;
}

/** A worker with test defaults (policy overridable), not started. */
export function testWorker(
  options: Omit<NotificationWorkerOptions, 'policy'> & {
    policy?: Partial<NotificationWorkerOptions['policy']>;
  },
): NotificationWorker {
  return new NotificationWorker({
    random: () => 0.5,
    ...options,
    policy: { ...parseNotificationConfig({}), ...options.policy },
  });
}

const SMTP_SERVER_SCRIPT = fileURLToPath(new URL('./smtp-server.mjs', import.meta.url));

export interface SmtpProcess {
  host: string;
  port: number;
  /** Messages received so far, parsed, in arrival order. */
  messages(): Promise<{ mail: ParsedMail; envelope: { from: string; to: string[] } }[]>;
  waitForMessages(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  stop(): Promise<void>;
}

/**
 * Starts test/support/smtp-server.mjs as a separate Node process on loopback and waits (at most
 * `timeoutMs`) for it to report its port.
 */
export async function startSmtpProcess(
  options: { user?: string; password?: string; reject?: string; timeoutMs?: number } = {},
): Promise<SmtpProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-smtp-'));
  const args = [SMTP_SERVER_SCRIPT, dir];
  if (options.user !== undefined) args.push('--user', options.user);
  if (options.password !== undefined) args.push('--password', options.password);
  if (options.reject !== undefined) args.push('--reject', options.reject);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let port: number;
  try {
    port = await readyPort(child, options.timeoutMs ?? 10_000);
  } catch (error) {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const messages = async () => {
    const names = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.eml'))
      .sort();
    return Promise.all(
      names.map(async (name) => ({
        mail: await simpleParser(fs.readFileSync(path.join(dir, name))),
        envelope: JSON.parse(
          fs.readFileSync(path.join(dir, name.replace(/\.eml$/, '.json')), 'utf8'),
        ) as { from: string; to: string[] },
      })),
    );
  };
  return {
    host: '127.0.0.1',
    port,
    messages,
    waitForMessages: async (count, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const count_ = fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).length;
        if (count_ >= count) return (await messages()).map((m) => m.mail);
        if (Date.now() > deadline) throw new Error(`expected ${count} e-mails, got ${count_}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readyPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`SMTP test server did not start in ${timeoutMs} ms: ${err}`)),
      timeoutMs,
    );
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (!out.includes('\n') || line === undefined) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`SMTP test server exited (${code}): ${err}`));
    });
  });
}
