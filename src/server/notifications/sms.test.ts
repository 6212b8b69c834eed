import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSmsCapture, type SmsCapture } from '../../../test/support/sms-capture';
import { withWriteLock } from '../db/write-lock';
import { forEachBackend } from '../../../test/support/backends';
import { parseNotificationConfig, type SmsConfig } from './config';
import { enqueueReceipts } from './enqueue';
import { formatNumber, HttpSmsSender, interpretSmsResponse } from './senders/sms';
import { smsSegments } from './senders/sms-segments';
import { deliveryStateFor } from './store';
import {
  createNotificationBackend,
  insertSok,
  manualClock,
  testWorker,
  type NotificationBackend,
} from '../../../test/support/notifications';

describe('SMS provider adapter', () => {
  it('tells a permanent refusal from a retryable failure', () => {
    expect(interpretSmsResponse(200, '{"messageId":"a1"}')).toEqual({
      ok: true,
      providerMessageId: 'a1',
    });
    expect(interpretSmsResponse(202, '17283')).toEqual({ ok: true, providerMessageId: '17283' });
    expect(interpretSmsResponse(400, '{"error":"Geçersiz numara"}')).toMatchObject({
      ok: false,
      permanent: true,
      error: 'SMS sağlayıcısı mesajı reddetti (HTTP 400): Geçersiz numara',
    });
    for (const status of [401, 403, 408, 429, 500, 502, 503]) {
      expect(interpretSmsResponse(status, ''), String(status)).toMatchObject({ permanent: false });
    }
  });

  it('writes the number as the provider wants it', () => {
    expect(formatNumber('+905321234567', 'e164')).toBe('+905321234567');
    expect(formatNumber('+905321234567', 'digits')).toBe('905321234567');
    expect(formatNumber('+905321234567', 'national')).toBe('5321234567');
  });

  it('counts SMS parts: 160/153 in the GSM alphabet, 70/67 with Turkish letters', () => {
    expect(smsSegments('Basvurunuz 0012-3454 ile alindi.')).toMatchObject({
      encoding: 'gsm7',
      segments: 1,
    });
    expect(smsSegments('a'.repeat(161)).segments).toBe(2);
    expect(smsSegments('{'.repeat(81)).units).toBe(162);
    expect(smsSegments('Başvurunuz alındı.')).toMatchObject({ encoding: 'ucs2', segments: 1 });
    expect(smsSegments('ş'.repeat(71)).segments).toBe(2);
    expect(smsSegments('ş'.repeat(134)).segments).toBe(2);
    expect(smsSegments('ş'.repeat(135)).segments).toBe(3);
  });

  it('reports an unreachable provider and a slow one as retryable', async () => {
    const base = {
      sender: 'ALO 153',
      credentials: 'basic',
      format: 'json',
      numberFormat: 'e164',
      timeoutSeconds: 1,
    } as const;
    const message = { id: 'n1', recipient: '+905321234567', subject: null, body: 'x' };
    const down = new HttpSmsSender({ ...base, url: 'http://127.0.0.1:9/sms' });
    expect(await down.send(message)).toMatchObject({
      ok: false,
      permanent: false,
      error: expect.stringContaining('SMS sağlayıcısına ulaşılamadı') as string,
    });
    const capture = await startSmsCapture();
    try {
      capture.script({ status: 200, delayMs: 2000 });
      const slow = new HttpSmsSender({ ...base, url: capture.url });
      expect(await slow.send(message)).toMatchObject({
        ok: false,
        permanent: false,
        error: 'SMS sağlayıcısı 1 saniyede yanıt vermedi.',
      });
    } finally {
      await capture.close();
    }
  });
});

forEachBackend('SMS receipts over the HTTP provider adapter', (kind) => {
  let b: NotificationBackend;
  let capture: SmsCapture;
  beforeAll(async () => {
    [b, capture] = await Promise.all([
      createNotificationBackend(kind),
      startSmsCapture({ user: 'bbb-api', password: 'p@ss:wörd' }),
    ]);
  });
  afterAll(async () => {
    await capture?.close();
    await b?.drop();
  });
  beforeEach(async () => {
    await b.db.deleteFrom('notification').execute();
    capture.requests.length = 0;
  });

  const smsConfig = (overrides: Partial<SmsConfig> = {}): SmsConfig => ({
    ...(parseNotificationConfig({
      sms: { url: capture.url, user: 'bbb-api', password: 'p@ss:wörd', sender: 'BURSABB' },
    }).sms as SmsConfig),
    ...overrides,
  });

  const enqueue = async (now: Date, phone = '+905321234567') => {
    const sok = await insertSok(b, { citizenPhone: phone });
    await withWriteLock(b.db, (trx) =>
      enqueueReceipts(trx, { sok, topicName: 'Çöp toplanmadı', now }),
    );
    return sok;
  };
  const stateOf = async (sokId: string) =>
    ((await deliveryStateFor(b.db, [sokId])).get(sokId) ?? [])[0];

  it('posts the sender, the E.164 number and the Turkish text, with credentials', async () => {
    const clock = manualClock();
    const sok = await enqueue(clock.now(), '0 (532) 765 43 21');
    const worker = testWorker({
      db: b.db,
      clock: clock.now,
      senders: { sms: new HttpSmsSender(smsConfig()) },
    });
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    await worker.stop();

    const [request] = capture.requests;
    expect(request).toMatchObject({
      status: 200,
      contentType: 'application/json;charset=UTF-8',
      user: 'bbb-api',
      password: 'p@ss:wörd',
      fields: { sender: 'BURSABB', to: '+905327654321' },
    });
    expect(request?.fields.text).toContain(`Başvurunuz ${sok.regNo} numarasıyla kaydedildi`);
    expect(request?.fields.text).toContain("Alo 153'ü arayarak bu numarayla sorabilirsiniz");
    const state = await stateOf(sok.id);
    expect(state).toMatchObject({ channel: 'sms', state: 'sent', attempts: 1, lastError: null });
    expect(request?.idempotencyKey).toBe(state?.id);
    const row = await b.db
      .selectFrom('notification')
      .select('provider_message_id')
      .where('id', '=', state?.id ?? '')
      .executeTakeFirstOrThrow();
    expect(row.provider_message_id).toBe('cap-1');
  });

  it('can send form fields with the credentials in the body', async () => {
    const clock = manualClock();
    await enqueue(clock.now());
    const sender = new HttpSmsSender(
      smsConfig({ format: 'form', credentials: 'body', numberFormat: 'national' }),
    );
    const worker = testWorker({ db: b.db, clock: clock.now, senders: { sms: sender } });
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    await worker.stop();
    expect(capture.requests[0]).toMatchObject({
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
      user: 'bbb-api',
      password: 'p@ss:wörd',
      fields: { to: '5321234567', sender: 'BURSABB' },
    });
    expect(capture.requests[0]?.fields.text).toContain('Başvurunuz');
  });

  it('retries a 5xx with backoff (30 s, then 2 min) and then succeeds', async () => {
    const clock = manualClock();
    const sok = await enqueue(clock.now());
    capture.script({ status: 503, body: { error: 'Bakımdayız' } }, { status: 500 });
    const worker = testWorker({
      db: b.db,
      clock: clock.now,
      senders: { sms: new HttpSmsSender(smsConfig()) },
    });
    try {
      expect(await worker.runOnce()).toMatchObject({ retried: 1 });
      let state = await stateOf(sok.id);
      expect(state).toMatchObject({ state: 'pending', attempts: 1 });
      expect(state?.lastError).toBe('SMS sağlayıcısı hatası (HTTP 503): Bakımdayız');
      expect(state?.nextAttemptAt).toBe(new Date(clock.now().getTime() + 30_000).toISOString());

      clock.advance(29);
      expect(await worker.runOnce()).toMatchObject({ sent: 0, retried: 0 });
      clock.advance(1);
      expect(await worker.runOnce()).toMatchObject({ retried: 1 });
      state = await stateOf(sok.id);
      expect(state).toMatchObject({ state: 'pending', attempts: 2 });
      expect(state?.nextAttemptAt).toBe(new Date(clock.now().getTime() + 120_000).toISOString());

      clock.advance(120);
      expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    } finally {
      await worker.stop();
    }
    expect(await stateOf(sok.id)).toMatchObject({ state: 'sent', attempts: 3, lastError: null });
    expect(capture.requests.map((r) => r.status)).toEqual([503, 500, 200]);
    // Every attempt carried the same idempotency key.
    expect(new Set(capture.requests.map((r) => r.idempotencyKey)).size).toBe(1);
  });

  it('ends failed after the first permanent 4xx, with the provider’s reason', async () => {
    const clock = manualClock();
    const sok = await enqueue(clock.now());
    capture.script({ status: 422, body: { error: 'Numara kara listede' } });
    const worker = testWorker({
      db: b.db,
      clock: clock.now,
      senders: { sms: new HttpSmsSender(smsConfig()) },
    });
    expect(await worker.runOnce()).toMatchObject({ failed: 1 });
    clock.advance(24 * 3600);
    expect(await worker.runOnce()).toMatchObject({ sent: 0, failed: 0 });
    await worker.stop();
    expect(await stateOf(sok.id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: 'SMS sağlayıcısı mesajı reddetti (HTTP 422): Numara kara listede',
      nextAttemptAt: null,
    });
    expect(capture.requests).toHaveLength(1);
  });

  it('ends failed, visibly, when the attempts run out', async () => {
    const clock = manualClock();
    const sok = await enqueue(clock.now());
    capture.script({ status: 502 }, { status: 502 }, { status: 502 });
    const worker = testWorker({
      db: b.db,
      clock: clock.now,
      policy: { maxAttempts: 3, retryDelaysSeconds: [10] },
      senders: { sms: new HttpSmsSender(smsConfig()) },
    });
    for (let i = 0; i < 3; i++) {
      await worker.runOnce();
      clock.advance(10);
    }
    await worker.stop();
    const state = await stateOf(sok.id);
    expect(state).toMatchObject({ state: 'failed', attempts: 3 });
    expect(state?.lastError).toBe(
      'SMS sağlayıcısı hatası (HTTP 502): (açıklama yok) (3 denemeden sonra vazgeçildi)',
    );
  });

  it('retries while the provider refuses our credentials', async () => {
    const clock = manualClock();
    const sok = await enqueue(clock.now());
    const worker = testWorker({
      db: b.db,
      clock: clock.now,
      senders: { sms: new HttpSmsSender(smsConfig({ password: 'eski' })) },
    });
    expect(await worker.runOnce()).toMatchObject({ retried: 1 });
    await worker.stop();
    const state = await stateOf(sok.id);
    expect(state).toMatchObject({ state: 'pending', attempts: 1 });
    expect(state?.lastError).toContain('kimlik bilgilerini veya başlığı kabul etmedi (HTTP 401)');
  });
});
