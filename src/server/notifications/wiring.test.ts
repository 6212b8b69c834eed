import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSmsCapture, type SmsCapture } from '../../../test/support/sms-capture';
import type { PullResponse } from '../../domain/sync';
import { startServer, type RunningServer } from '../start';
import {
  createTestBackend,
  forEachBackend,
  type TestBackend,
} from '../../../test/support/backends';
import { startSmtpProcess, type SmtpProcess } from '../../../test/support/notifications';

forEachBackend('receipts of a pushed ŞÖK, end to end', (kind) => {
  let backend: TestBackend;
  let server: RunningServer;
  let capture: SmsCapture;
  let smtp: SmtpProcess;
  beforeAll(async () => {
    [backend, capture, smtp] = await Promise.all([
      createTestBackend(kind),
      startSmsCapture(),
      startSmtpProcess(),
    ]);
    server = await startServer(
      {
        ...backend.config,
        port: 0,
        notifications: {
          sms: { url: capture.url, sender: 'ALO 153' },
          smtp: { host: smtp.host, port: smtp.port, from: 'Alo 153 <alo153@bursa.example>' },
        },
      },
      { logger: false },
    );
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([capture?.close(), smtp?.stop()]);
    await backend?.drop();
  });

  const post = async (url: string, payload: object, token?: string) =>
    server.app.inject({
      method: 'POST',
      url,
      payload,
      ...(token !== undefined ? { headers: { authorization: `Bearer ${token}` } } : {}),
    });

  it('sends SMS and e-mail once the push commits, and pulls their delivery state', async () => {
    await post('/setup/admin', {
      username: 'admin',
      displayName: 'Yönetici',
      password: 'Yönetici-parola-1',
    });
    const admin = (
      await post('/auth/login', {
        username: 'admin',
        password: 'Yönetici-parola-1',
        clientId: randomUUID(),
      })
    ).json<{ accessToken: string }>();
    await post(
      '/admin/users',
      {
        username: 'ajan',
        displayName: 'Ajan',
        password: 'ajan-parola-2026',
        role: 'agent',
        orgCode: 'bikom',
      },
      admin.accessToken,
    );
    const agent = (
      await post('/auth/login', {
        username: 'ajan',
        password: 'ajan-parola-2026',
        clientId: randomUUID(),
      })
    ).json<{ accessToken: string }>();
    const id = randomUUID();
    const push = await post(
      '/sync/push',
      {
        mutations: [
          {
            id: 1,
            kind: 'sok.create',
            payload: {
              id,
              regNo: null,
              registeredAt: new Date().toISOString(),
              typeCode: 'sikayet',
              topicCode: 'temizlik.cop-toplanmadi',
              districtCode: 'yildirim',
              description: 'Çöp konteyneri üç gündür boşaltılmadı.',
              citizenName: 'Ayşe Işık',
              citizenPhone: '0532 123 45 67',
              citizenEmail: 'ayse@example.org',
              kvkkNoticeGiven: true,
            },
          },
        ],
      },
      agent.accessToken,
    );
    expect(push.json()).toMatchObject({ results: [{ status: 'applied' }] });

    const [sms] = await capture.waitForRequests(1, 5000);
    expect(sms?.fields).toMatchObject({ to: '+905321234567', sender: 'ALO 153' });
    expect(sms?.fields.text).toContain('Konu: Çöp toplanmadı');
    const [mail] = await smtp.waitForMessages(1, 5000);
    expect(mail?.text).toContain('Sayın Ayşe Işık,');

    let receipts: { channel: string; state: string }[] = [];
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const pull = await server.app.inject({
        method: 'GET',
        url: '/sync/pull?cursor=0',
        headers: { authorization: `Bearer ${agent.accessToken}` },
      });
      const page = pull.json<PullResponse>();
      const latest = new Map<string, { channel: string; state: string }>();
      for (const c of page.changes) if (c.op === 'receipt') latest.set(c.receipt.id, c.receipt);
      receipts = [...latest.values()];
      if (receipts.length === 2 && receipts.every((r) => r.state === 'sent')) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(receipts.map((r) => [r.channel, r.state]).sort()).toEqual([
      ['email', 'sent'],
      ['sms', 'sent'],
    ]);
  });
});
