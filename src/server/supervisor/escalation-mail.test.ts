import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseNotificationConfig } from '../notifications/config';
import { startNotifications } from '../notifications/index';
import { startSmtpProcess, type SmtpProcess } from '../../../test/support/notifications';
import { InProcessChangeNotifier } from '../changefeed/notifier';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';

/**
 * Issue #17 item 10: a supervisor raises a callback whose deadline has not passed. The e-mail the
 * organisation's supervisors receive (through a real SMTP server process) must not claim the
 * callback was late, and must carry who raised it and the reason.
 */
forEachBackend('manual escalation e-mail', (kind) => {
  let t: TestApp;
  let smtp: SmtpProcess;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    smtp = await startSmtpProcess();
    const smtpConfig = { host: smtp.host, port: smtp.port, from: 'Alo 153 <alo153@bursa.example>' };
    t = await createTestApp(kind, { notifications: { workerEnabled: false, smtp: smtpConfig } });
    for (const [username, role, orgCode] of [
      ['bsup', 'supervisor', 'bikom'],
      ['ajan', 'agent', 'bikom'],
      ['masa1', 'desk', 'ilce.yildirim'],
    ] as const) {
      await createUser(t, { username, role, orgCode });
      tokens[username] = (await login(t, username)).accessToken;
    }
    await t.backend.db
      .updateTable('organisation')
      .set({ email: 'yildirim-sup@bursa.example' })
      .where('code', '=', 'ilce.yildirim')
      .execute();
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  const push = async (user: string, id: number, kind: string, payload: unknown) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(tokens[user]!),
      payload: { mutations: [{ id, kind, payload }] },
    });
    expect(res.json<{ results: { status: string }[] }>().results[0]).toMatchObject({
      status: 'applied',
    });
  };

  it('says the deadline has not passed, and gives who raised it and why', async () => {
    const sokId = randomUUID();
    await push('ajan', 1, 'sok.create', {
      id: sokId,
      regNo: null,
      typeCode: 'sikayet',
      channelCode: 'telefon',
      topicCode: 'yol.cukur',
      districtCode: 'yildirim',
      mahalle: 'Değirmenönü',
      address: '',
      description: 'Sokakta derin bir çukur var.',
      citizenName: 'Ayşe Işık',
      citizenPhone: '+905321234567',
      registeredAt: t.clock.now().toISOString(),
    });
    await push('masa1', 1, 'sok.decide', {
      sokId,
      kind: 'already-done',
      explanation: 'Çukur dün kapatıldı.',
    });
    const sok = await t.backend.db
      .selectFrom('sok')
      .select(['callback_due_at', 'reg_no'])
      .where('id', '=', sokId)
      .executeTakeFirstOrThrow();
    expect(Date.parse(sok.callback_due_at!)).toBeGreaterThan(t.clock.now().getTime());
    const res = await t.app.inject({
      method: 'POST',
      url: '/supervisor/callbacks/escalate',
      headers: bearer(tokens.bsup!),
      payload: { sokId, reason: 'Vatandaş üçüncü kez aradı, muhtar da şikâyetçi' },
    });
    expect(res.statusCode, res.body).toBe(200);

    const running = await startNotifications({
      db: t.backend.db,
      notifier: new InProcessChangeNotifier(),
      config: parseNotificationConfig({
        smtp: { host: smtp.host, port: smtp.port, from: 'Alo 153 <alo153@bursa.example>' },
      }),
    });
    try {
      const [mail] = await smtp.waitForMessages(1, 15_000);
      expect((await smtp.messages())[0]!.envelope.to).toEqual(['yildirim-sup@bursa.example']);
      expect(mail!.subject).toContain(sok.reg_no);
      expect(mail!.subject).not.toMatch(/geciken/i);
      const text = mail!.text ?? '';
      expect(text).not.toContain('süresinde yapılmadı');
      expect(text).not.toContain('yapılmalıydı');
      expect(text).toContain('süresi henüz dolmadı');
      expect(text).toContain('Vatandaş üçüncü kez aradı, muhtar da şikâyetçi');
      expect(text).toContain('Test bsup');
    } finally {
      await running.close();
    }
  });
});
