import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withWriteLock } from '../db/write-lock';
import {
  apiError,
  bearer,
  createTestApp,
  createUser,
  login,
  type LoginTokens,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';
import { enqueueReceipts } from './enqueue';
import type { TemplateDto } from './routes';
import { seedNotificationTemplates } from './templates';
import { insertSok, type NotificationBackend } from '../../../test/support/notifications';

forEachBackend('notification admin endpoints', (kind) => {
  let t: TestApp;
  let admin: LoginTokens;
  let agent: LoginTokens;
  let supervisor: LoginTokens;
  let adminId: string;
  let nb: NotificationBackend;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await seedNotificationTemplates(t.backend.db, t.clock.now());
    adminId = await createUser(t, { username: 'yonetici', role: 'admin' });
    const agentId = await createUser(t, { username: 'temsilci', role: 'agent' });
    await createUser(t, { username: 'supervizor', role: 'supervisor' });
    [admin, agent, supervisor] = await Promise.all([
      login(t, 'yonetici'),
      login(t, 'temsilci'),
      login(t, 'supervizor'),
    ]);
    nb = { ...t.backend, agentId };
  });
  afterAll(async () => {
    await t?.close();
  });

  const call = (method: 'GET' | 'PUT' | 'POST', url: string, token?: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      ...(token !== undefined ? { headers: bearer(token) } : {}),
      ...(payload !== undefined ? { payload } : {}),
    });
  const templates = async () =>
    (await call('GET', '/admin/templates', admin.accessToken)).json<{ templates: TemplateDto[] }>()
      .templates;

  it('are for admins only', async () => {
    for (const token of [agent.accessToken, supervisor.accessToken]) {
      const list = await call('GET', '/admin/templates', token);
      expect(list.statusCode).toBe(403);
      expect(apiError(list)).toMatchObject({
        code: 'forbidden',
        userMessage: 'Bu işlem için yetkiniz yok.',
      });
      const put = await call('PUT', '/admin/templates/receipt.sms', token, { body: 'x' });
      expect(put.statusCode).toBe(403);
    }
    expect((await call('GET', '/admin/templates')).statusCode).toBe(401);
  });

  it('list every template with its placeholders and a preview', async () => {
    const list = await templates();
    expect(list.map((x) => x.code)).toEqual([
      'receipt.sms',
      'receipt.email',
      'referral.sms',
      'referral.email',
      'decision.sms',
      'decision.email',
      'handoff.email',
      'escalation.email',
      'external-request.email',
      'external-reminder.email',
      'receipt.follow-up',
    ]);
    const sms = list[0];
    expect(sms).toMatchObject({
      channel: 'sms',
      hasSubject: false,
      placeholders: ['regNo', 'topic', 'date', 'followUp', 'citizenName'],
      required: ['regNo', 'topic', 'date'],
      updatedBy: null,
    });
    expect(sms?.body).toBe(sms?.defaultBody);
    expect(sms?.preview.body).toContain('Başvurunuz 0012-3454 numarasıyla kaydedildi');
    expect(sms?.preview.body).toContain("Alo 153'ü arayarak");
    expect(sms?.preview.sms).toMatchObject({ encoding: 'ucs2' });
    expect(list[1]?.preview.subject).toBe('Alo 153 başvurunuz alındı – Kayıt No: 0012-3454');
  });

  it('refuse an unknown placeholder with a Turkish field message', async () => {
    const res = await call('PUT', '/admin/templates/receipt.sms', admin.accessToken, {
      body: 'Kayıt {{regNo}}, {{topic}}, {{date}}. Adres: {{adres}}',
    });
    expect(res.statusCode).toBe(400);
    const error = apiError(res);
    expect(error.code).toBe('validation');
    expect(error.fields?.body).toMatch(
      /^Bilinmeyen yer tutucu: \{\{adres\}\}\. Kullanılabilenler:/,
    );

    const missing = await call('PUT', '/admin/templates/receipt.email', admin.accessToken, {
      subject: '',
      body: 'Merhaba',
    });
    expect(apiError(missing).fields).toEqual({
      subject: 'E-posta konusu zorunludur.',
      body: 'Alındı metninde {{regNo}}, {{topic}}, {{date}} bulunmalıdır (Genelge 2004/12: tarih, kayıt numarası ve konu).',
    });
    const extra = await call('PUT', '/admin/templates/receipt.sms', admin.accessToken, {
      body: '{{regNo}} {{topic}} {{date}}',
      locale: 'en',
    });
    expect(apiError(extra).fields).toEqual({ locale: 'Beklenmeyen alan: locale' });
    expect(
      (await call('PUT', '/admin/templates/yok', admin.accessToken, { body: 'x' })).statusCode,
    ).toBe(404);
    expect((await templates())[0]?.updatedBy).toBeNull();
  });

  it('store an admin’s text, use it for the next receipt, and keep it across re-seeding', async () => {
    const body = 'BBB Alo 153: {{regNo}} no.lu başvurunuz ({{topic}}, {{date}}) alındı.';
    const res = await call('PUT', '/admin/templates/receipt.sms', admin.accessToken, { body });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ template: TemplateDto }>().template).toMatchObject({
      body,
      updatedBy: adminId,
      updatedAt: t.clock.now().toISOString(),
    });
    await seedNotificationTemplates(t.backend.db, t.clock.now());
    expect((await templates())[0]?.body).toBe(body);

    const sok = await insertSok(nb);
    await withWriteLock(t.backend.db, (trx) =>
      enqueueReceipts(trx, { sok, topicName: 'Park / bahçe', now: t.clock.now() }),
    );
    const row = await t.backend.db
      .selectFrom('notification')
      .select('body')
      .where('sok_id', '=', sok.id)
      .executeTakeFirstOrThrow();
    expect(row.body).toBe(
      `BBB Alo 153: ${sok.regNo} no.lu başvurunuz (Park / bahçe, 02.03.2026 12:00) alındı.`,
    );
  });

  it('let a supervisor put a failed notification back in the queue', async () => {
    const sok = await insertSok(nb);
    const { receipts } = await withWriteLock(t.backend.db, (trx) =>
      enqueueReceipts(trx, { sok, topicName: 'Yol', now: t.clock.now() }),
    );
    const id = receipts[0]?.id ?? '';
    await t.backend.db
      .updateTable('notification')
      .set({ state: 'failed', attempts: 8, last_error: 'HTTP 400' })
      .where('id', '=', id)
      .execute();

    expect(
      (await call('POST', `/admin/notifications/${id}/retry`, agent.accessToken)).statusCode,
    ).toBe(403);
    const res = await call('POST', `/admin/notifications/${id}/retry`, supervisor.accessToken);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      receipt: { id, state: 'pending', attempts: 0, lastError: 'HTTP 400', sokId: sok.id },
    });
    const again = await call('POST', `/admin/notifications/${id}/retry`, admin.accessToken);
    expect(again.statusCode).toBe(409);
    expect(apiError(again).userMessage).toBe(
      'Yalnızca gönderilemeyen bir bildirim yeniden denenebilir.',
    );
    const unknown = await call(
      'POST',
      `/admin/notifications/${randomUUID()}/retry`,
      admin.accessToken,
    );
    expect(unknown.statusCode).toBe(404);
  });
});
