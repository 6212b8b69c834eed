import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sok } from '../../src/domain/sok';
import type { ReceiptWire } from '../../src/domain/sync';
import { startSmtpProcess, type SmtpProcess } from '../support/notifications';
import { startSmsCapture, type SmsCapture } from '../support/sms-capture';
import {
  call,
  eventually,
  openClient,
  signInAs,
  startTestApi,
  tempDir,
  validDraft,
  type TestApi,
} from '../support/stack';

/**
 * The citizen's receipt: registered at a desk, sent by the central API over real SMTP and the
 * SMS provider's HTTP API once the ŞÖK reached the server, and its delivery state back on the
 * desk. (The SMS provider is the one fake: a loopback server that speaks its API.)
 */
describe('receipts to the citizen', () => {
  let api: TestApi;
  let smtp: SmtpProcess;
  let sms: SmsCapture;
  beforeAll(async () => {
    [smtp, sms] = await Promise.all([startSmtpProcess(), startSmsCapture()]);
    api = await startTestApi('sqlite', 0, {
      notifications: {
        sms: { url: sms.url, sender: 'ALO 153' },
        smtp: { host: smtp.host, port: smtp.port, from: 'Alo 153 <alo153@bursa.example>' },
      },
    });
  });
  afterAll(async () => {
    await api?.close();
    await Promise.all([smtp?.stop(), sms?.close()]);
  });

  it('go out by SMS and e-mail only after the ŞÖK reached the server, and the desk sees them sent', async () => {
    const desk = openClient(tempDir(), api.url, { sync: { auto: false } });
    try {
      await signInAs(desk);
      const sok = await call<Sok>(desk, 'sok.create', {
        ...validDraft,
        citizenPhone: '0532 111 22 33',
        citizenEmail: 'ayse.isik@ornek.com.tr',
      });
      // Not on the server yet: nothing may have been sent.
      await new Promise((r) => setTimeout(r, 300));
      expect(sms.requests).toHaveLength(0);
      expect(await smtp.messages()).toHaveLength(0);

      await desk.sync.syncNow();
      const [mail] = await smtp.waitForMessages(1, 10_000);
      expect(mail?.subject).toContain(sok.regNo ?? 'x');
      expect(mail?.text).toContain('Çöp toplanmadı');
      const [message] = await sms.waitForRequests(1, 10_000);
      expect(message?.status).toBe(200);
      expect(JSON.stringify(message?.fields)).toContain('ALO 153');
      expect(JSON.stringify(message?.fields)).toContain(sok.regNo ?? 'x');
      expect(JSON.stringify(message?.fields)).toContain('905321112233');

      await eventually(async () => {
        await desk.sync.syncNow();
        const { receipts } = await call<{ receipts: ReceiptWire[] }>(desk, 'sok.timeline', {
          id: sok.id,
        });
        expect(receipts.map((r) => `${r.channel}:${r.state}`).sort()).toEqual([
          'email:sent',
          'sms:sent',
        ]);
      }, 10_000);
    } finally {
      await desk.close();
    }
  });

  it('tell the citizen where their request went when it is re-routed (Law 3071 art. 5)', async () => {
    const desk = openClient(tempDir(), api.url, { sync: { auto: false } });
    try {
      await signInAs(desk, {
        username: 'ajan2',
        displayName: 'Ajan İki',
        password: 'ajan-iki-parola-2026',
        role: 'agent',
        orgCode: 'bikom',
      });
      const sok = await call<Sok>(desk, 'sok.create', {
        ...validDraft,
        topicCode: 'yol.cukur',
        citizenPhone: '0542 333 44 55',
        citizenEmail: 'can@ornek.com.tr',
      });
      await desk.sync.syncNow();
      await call(desk, 'sok.route', {
        sokId: sok.id,
        targetOrg: 'buski',
        reason: 'Çukur bir su borusu arızasından kaynaklanıyor.',
      });
      await desk.sync.syncNow();
      // The receipt mail may still be on its way: wait for the referral itself.
      let referral: Awaited<ReturnType<typeof smtp.messages>>[number]['mail'] | undefined;
      await eventually(async () => {
        referral = (await smtp.messages())
          .map((m) => m.mail)
          .find((m) => (m.subject ?? '').includes('iletildi'));
        if (!referral) throw new Error('no referral e-mail yet');
      }, 10_000);
      expect(referral?.subject).toContain(sok.regNo ?? 'x');
      expect(referral?.text).toContain('BUSKİ');
      expect(referral?.text).toContain('su borusu');
      expect(referral?.text).toContain('185');
      const texts = await sms.waitForRequests(3, 10_000);
      expect(texts.some((t) => JSON.stringify(t.fields).includes('iletildi'))).toBe(true);
    } finally {
      await desk.close();
    }
  });
});
