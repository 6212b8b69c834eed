import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachBackend } from '../../../test/support/backends';
import { enqueueReceipts, type ReceiptInput } from './enqueue';
import { withWriteLock, currentChangeSeq } from '../db/write-lock';
import { deliveryStateFor, receiptChangesSince } from './store';
import {
  createNotificationBackend,
  insertSok,
  T0,
  type NotificationBackend,
} from '../../../test/support/notifications';

forEachBackend('enqueueing receipts', (kind) => {
  let b: NotificationBackend;
  beforeAll(async () => {
    b = await createNotificationBackend(kind);
  });
  afterAll(async () => {
    await b?.drop();
  });

  const enqueue = (input: Omit<ReceiptInput, 'now' | 'topicName'> & { topicName?: string }) =>
    withWriteLock(b.db, (trx) =>
      enqueueReceipts(trx, { topicName: 'Çöp toplanmadı', now: new Date(T0), ...input }),
    );

  it('renders a Turkish SMS and e-mail with the registration number, topic and date', async () => {
    const sok = await insertSok(b);
    const before = await currentChangeSeq(b.db);
    const result = await enqueue({ sok, citizenEmail: ' sukru@example.com.tr ' });
    expect(result.receipts.map((r) => [r.channel, r.recipient])).toEqual([
      ['sms', '+905321234567'],
      ['email', 'sukru@example.com.tr'],
    ]);
    expect(result.lastSeq).toBe(before + 2);
    expect(await currentChangeSeq(b.db)).toBe(before + 2);

    const rows = await b.db
      .selectFrom('notification')
      .selectAll()
      .where('sok_id', '=', sok.id)
      .orderBy('channel', 'desc')
      .execute();
    const [sms, email] = rows;
    expect(sms?.state).toBe('pending');
    expect(sms?.subject).toBeNull();
    expect(sms?.body).toBe(
      `Alo 153: Başvurunuz ${sok.regNo} numarasıyla kaydedildi. Konu: Çöp toplanmadı, ` +
        "02.03.2026 12:00. Başvurunuzun durumunu Alo 153'ü arayarak bu numarayla sorabilirsiniz.",
    );
    expect(email?.subject).toBe(`Alo 153 başvurunuz alındı – Kayıt No: ${sok.regNo}`);
    expect(email?.body).toContain('Sayın Şükrü Öztürk,');
    expect(email?.body).toContain(`Kayıt numarası: ${sok.regNo}`);
    expect(email?.body).toContain('Kayıt tarihi: 02.03.2026 12:00');
    expect(email?.body).toContain("Alo 153'ü arayarak bu numarayla sorabilirsiniz");
    expect(email?.next_attempt_at).toBe(new Date(T0).toISOString());
  });

  it('sends no SMS to a landline and no e-mail without a valid address', async () => {
    const sok = await insertSok(b, { citizenPhone: '+902242345678' });
    const result = await enqueue({ sok, citizenEmail: 'not-an-address' });
    expect(result.receipts).toEqual([]);
    expect(result.lastSeq).toBe(0);
    expect(result.skipped.map((s) => s.channel)).toEqual(['sms', 'email']);
  });

  it('sends only the e-mail when the citizen prefers e-mail, whatever the SMS consent', async () => {
    const sok = await insertSok(b);
    const result = await enqueue({
      sok,
      citizenEmail: 'ayse@example.org',
      preferredChannel: 'e-posta',
      smsConsent: true,
    });
    expect(result.receipts.map((r) => r.channel)).toEqual(['email']);
    // A receipt is part of handling the request: no consent is needed for it.
    const noConsent = await enqueue({ sok: await insertSok(b), smsConsent: false });
    expect(noConsent.receipts.map((r) => r.channel)).toEqual(['sms']);
  });

  it('shows the delivery state per ŞÖK and feeds it to the pull within the caller’s scope', async () => {
    const sok = await insertSok(b);
    const other = await insertSok(b, { originOrg: 'ilce.nilufer' });
    const cursor = await currentChangeSeq(b.db);
    await enqueue({ sok, citizenEmail: 'a@example.org' });
    await enqueue({ sok: other });

    const states = await deliveryStateFor(b.db, [sok.id, other.id, 'none']);
    expect(states.get(sok.id)?.map((r) => [r.channel, r.state, r.attempts])).toEqual([
      ['email', 'pending', 0],
      ['sms', 'pending', 0],
    ]);
    expect(states.get('none')).toEqual([]);

    const all = { role: 'agent', orgCode: 'bikom', orgKind: 'call-centre' } as const;
    const desk = {
      role: 'desk',
      orgCode: 'ilce.nilufer',
      orgKind: 'district-municipality',
    } as const;
    const forAgent = await receiptChangesSince(b.db, all, cursor, 100);
    expect(forAgent.map((c) => c.receipt.sokId)).toEqual([sok.id, sok.id, other.id]);
    expect(forAgent.map((c) => c.seq)).toEqual([cursor + 1, cursor + 2, cursor + 3]);
    const forDesk = await receiptChangesSince(b.db, desk, cursor, 100);
    expect(forDesk.map((c) => c.receipt.sokId)).toEqual([other.id]);
    expect(forDesk[0]).toMatchObject({ op: 'receipt', receipt: { channel: 'sms', sentAt: null } });
  });

  it('writes nothing when the caller’s transaction rolls back', async () => {
    const sok = await insertSok(b);
    await expect(
      withWriteLock(b.db, async (trx) => {
        await enqueueReceipts(trx, { sok, topicName: 'x', now: new Date(T0) });
        throw new Error('ŞÖK refused');
      }),
    ).rejects.toThrow('ŞÖK refused');
    expect((await deliveryStateFor(b.db, [sok.id])).get(sok.id)).toEqual([]);
  });
});
