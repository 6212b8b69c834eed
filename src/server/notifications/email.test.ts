import { afterAll, beforeAll, expect, it } from 'vitest';
import { withWriteLock } from '../db/write-lock';
import { forEachBackend } from '../../../test/support/backends';
import { parseNotificationConfig } from './config';
import { enqueueReceipts } from './enqueue';
import { SmtpEmailSender } from './senders/email';
import { deliveryStateFor, NOT_CONFIGURED_ERROR } from './store';
import {
  createNotificationBackend,
  insertSok,
  manualClock,
  startSmtpProcess,
  testWorker,
  type NotificationBackend,
  type SmtpProcess,
} from '../../../test/support/notifications';

forEachBackend('e-mail receipts over SMTP', (kind) => {
  let b: NotificationBackend;
  let smtp: SmtpProcess;
  beforeAll(async () => {
    [b, smtp] = await Promise.all([
      createNotificationBackend(kind),
      startSmtpProcess({ user: 'alo153', password: 'gizli-şifre', reject: '^reddet@' }),
    ]);
  });
  afterAll(async () => {
    await smtp?.stop();
    await b?.drop();
  });

  const smtpConfig = (overrides: { password?: string } = {}) =>
    parseNotificationConfig({
      smtp: {
        host: smtp.host,
        port: smtp.port,
        user: 'alo153',
        password: overrides.password ?? 'gizli-şifre',
        from: 'Alo 153 <alo153@bursa.example>',
        timeoutSeconds: 5,
      },
    }).smtp;

  const enqueueFor = async (email: string, now = new Date()) => {
    const sok = await insertSok(b, { citizenPhone: '+902242345678' });
    await withWriteLock(b.db, (trx) =>
      enqueueReceipts(trx, {
        sok,
        citizenEmail: email,
        topicName: 'Kırık / bozuk kaldırım',
        now,
      }),
    );
    return sok;
  };

  it('delivers the receipt to a real SMTP server with Turkish text intact', async () => {
    const sok = await enqueueFor('gul.sahin@example.org');
    const sender = new SmtpEmailSender(smtpConfig() ?? expect.fail('no smtp config'));
    const worker = testWorker({ db: b.db, senders: { email: sender } });
    try {
      expect(await worker.runOnce()).toMatchObject({ sent: 1, retried: 0, failed: 0 });
    } finally {
      await worker.stop();
    }
    const [received] = await smtp.messages();
    expect(received?.envelope).toMatchObject({ from: 'alo153@bursa.example' });
    const mail = received?.mail;
    expect(mail?.subject).toBe(`Alo 153 başvurunuz alındı – Kayıt No: ${sok.regNo}`);
    expect(mail?.from?.text).toBe('"Alo 153" <alo153@bursa.example>');
    expect(mail?.to).toMatchObject({ text: 'gul.sahin@example.org' });
    expect(mail?.text).toContain('Sayın Şükrü Öztürk,');
    expect(mail?.text).toContain(`Kayıt numarası: ${sok.regNo}`);
    expect(mail?.text).toContain('Konu: Kırık / bozuk kaldırım');
    expect(mail?.text).toContain('İletişim Koordinasyon Merkezi (BİKOM)');
    expect(mail?.headers.get('auto-submitted')).toBe('auto-generated');

    const [state] = (await deliveryStateFor(b.db, [sok.id])).get(sok.id) ?? [];
    expect(state).toMatchObject({ channel: 'email', state: 'sent', attempts: 1, lastError: null });
    expect(state?.sentAt).not.toBeNull();
    const row = await b.db
      .selectFrom('notification')
      .select('provider_message_id')
      .where('sok_id', '=', sok.id)
      .executeTakeFirstOrThrow();
    expect(row.provider_message_id).toBe(mail?.messageId);
  });

  it('gives up at once when the server refuses the mailbox, and says why', async () => {
    const sok = await enqueueFor('reddet@example.org');
    const worker = testWorker({
      db: b.db,
      senders: { email: new SmtpEmailSender(smtpConfig() ?? expect.fail('no smtp config')) },
    });
    try {
      expect(await worker.runOnce()).toMatchObject({ sent: 0, failed: 1 });
    } finally {
      await worker.stop();
    }
    const [state] = (await deliveryStateFor(b.db, [sok.id])).get(sok.id) ?? [];
    expect(state).toMatchObject({ state: 'failed', attempts: 1 });
    expect(state?.lastError).toMatch(/550/);
  });

  it('retries when the SMTP login is refused (a configuration problem, not the message’s)', async () => {
    const clock = manualClock(Date.now());
    const sok = await enqueueFor('ali@example.org', clock.now());
    const worker = testWorker({
      db: b.db,
      clock: clock.now,
      senders: {
        email: new SmtpEmailSender(smtpConfig({ password: 'yanlış' }) ?? expect.fail('no smtp')),
      },
    });
    try {
      expect(await worker.runOnce()).toMatchObject({ retried: 1 });
    } finally {
      await worker.stop();
    }
    const [state] = (await deliveryStateFor(b.db, [sok.id])).get(sok.id) ?? [];
    expect(state).toMatchObject({ state: 'pending', attempts: 1 });
    expect(state?.lastError).toContain('SMTP kimlik doğrulaması başarısız');
    // The next attempt is 30 s later (the first step, jitter pinned to the middle).
    expect(Date.parse(state?.nextAttemptAt ?? '')).toBe(clock.now().getTime() + 30_000);
  });

  it('keeps e-mail pending with a visible reason while e-mail is not configured', async () => {
    await b.db.deleteFrom('notification').execute();
    const sok = await enqueueFor('veli@example.org');
    const worker = testWorker({ db: b.db, senders: {} });
    try {
      expect(await worker.runOnce()).toMatchObject({ sent: 0, retried: 0, failed: 0 });
      await worker.runOnce();
    } finally {
      await worker.stop();
    }
    const [state] = (await deliveryStateFor(b.db, [sok.id])).get(sok.id) ?? [];
    expect(state).toMatchObject({
      state: 'pending',
      attempts: 0,
      lastError: NOT_CONFIGURED_ERROR.email,
    });
  });
});
