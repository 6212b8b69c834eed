import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Mutation, PushResponse } from '../../domain/sync';
import { readReferenceFile } from '../reference-seed';
import { indexReference } from '../sync/reference-index';
import { MailboxConfigSchema } from '../mailbox/config';
import { parseMessage } from '../mailbox/parse';
import { takeMessage } from '../mailbox/store';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';
import { startSmtpProcess, testWorker } from '../../../test/support/notifications';
import { SmtpConfigSchema } from './config';
import { remindExternalOrgs } from './external';
import { SmtpEmailSender } from './senders/email';

/**
 * Organisations outside the app (UEDAŞ, Bursagaz: `external` in the reference data) get a ŞÖK
 * routed to them by e-mail through the outbox, answer by e-mail (the answer lands on the ŞÖK by
 * itself), and are reminded when they do not answer in time (docs/mailbox.md).
 */
forEachBackend('organisations outside the app', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let mutationId = 0;

  beforeEach(async () => {
    t = await createTestApp(kind);
    await createUser(t, { username: 'ajan', role: 'agent', orgCode: 'bikom' });
    tokens.ajan = (await login(t, 'ajan')).accessToken;
    await t.backend.db
      .updateTable('organisation')
      .set({ email: 'cagri@uedas.test' })
      .where('code', '=', 'uedas')
      .execute();
  });
  afterEach(() => t.close());

  const applied = async (kind: Mutation['kind'], payload: unknown) => {
    mutationId += 1;
    const res = await t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(tokens.ajan!),
      payload: { mutations: [{ id: mutationId, kind, payload }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<PushResponse>().results[0]!;
    expect(result, JSON.stringify(result)).toMatchObject({ status: 'applied' });
  };

  /** A ŞÖK registered by BİKOM and routed to UEDAŞ; returns its id and registration number. */
  const routedToUedas = async (description: string) => {
    const id = randomUUID();
    await applied('sok.create', {
      id,
      regNo: null,
      typeCode: 'sikayet',
      channelCode: 'telefon',
      topicCode: 'yol.cukur',
      districtCode: 'yildirim',
      mahalle: 'Değirmenönü',
      address: 'Çınar Sokak No 4',
      description,
      citizenName: 'Ayşe Işık',
      citizenPhone: '+905321234567',
      registeredAt: t.clock.now().toISOString(),
    });
    await applied('sok.route', {
      sokId: id,
      targetOrg: 'uedas',
      reason: 'Elektrik direği: UEDAŞ’ın görevi.',
    });
    const { reg_no } = await t.backend.db
      .selectFrom('sok')
      .select('reg_no')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return { id, regNo: reg_no };
  };

  const sendAll = async () => {
    const smtp = await startSmtpProcess();
    const worker = testWorker({
      db: t.backend.db,
      clock: t.clock.now,
      senders: {
        email: new SmtpEmailSender(
          SmtpConfigSchema.parse({
            host: smtp.host,
            port: smtp.port,
            from: 'Alo 153 <alo153@alo153.test>',
          }),
        ),
      },
    });
    return { smtp, worker };
  };

  const eventKinds = async (id: string) =>
    (
      await t.backend.db
        .selectFrom('sok_event')
        .select('kind')
        .where('sok_id', '=', id)
        .orderBy('change_seq')
        .execute()
    ).map((e) => e.kind);

  it('gets the ŞÖK by e-mail, and its reply lands on the ŞÖK as its answer', async () => {
    const sok = await routedToUedas('Sokaktaki elektrik direği yan yatmış, kablolar sarkıyor.');
    // Which organisation it went to is kept (the supervisor's answer-time figure counts by it).
    expect(
      await t.backend.db
        .selectFrom('notification')
        .select('to_org')
        .where('sok_id', '=', sok.id)
        .where('purpose', '=', 'external-request')
        .execute(),
    ).toEqual([{ to_org: 'uedas' }]);
    const { smtp, worker } = await sendAll();
    let messageId: string;
    try {
      await worker.runOnce();
      const mails = await smtp.messages();
      const request = mails.find((m) => m.envelope.to.includes('cagri@uedas.test'));
      expect(request, JSON.stringify(mails.map((m) => m.envelope))).toBeDefined();
      expect(request!.mail.subject).toContain(sok.regNo);
      const text = request!.mail.text ?? '';
      expect(text).toContain('elektrik direği yan yatmış');
      expect(text).toContain('Değirmenönü');
      expect(text).toContain('Çınar Sokak No 4');
      // No more personal data than needed: UEDAŞ answers Alo 153, not the citizen.
      expect(text).not.toContain('Ayşe');
      expect(text).not.toContain('532');
      messageId = request!.mail.messageId!;
    } finally {
      await worker.stop();
      await smtp.stop();
    }

    const raw = Buffer.from(
      [
        'From: "UEDAŞ Çağrı" <Cagri@uedas.test>',
        'To: alo153@bursa.test',
        `Subject: Re: Alo 153 başvurusu – Kayıt No: ${sok.regNo}`,
        `Message-ID: <r-${randomUUID()}@uedas.test>`,
        `In-Reply-To: ${messageId}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Ekibimiz direği yarın sabah düzeltecek.',
        '',
      ].join('\r\n'),
    );
    const outcome = await takeMessage(t.backend.db, {
      mailbox: 'alo153',
      orgCode: 'bikom',
      uidValidity: 1,
      uid: 1,
      parsed: await parseMessage(raw, MailboxConfigSchema.parse({})),
      raw,
      now: t.clock.now(),
    });
    expect(outcome.taken).toBe(true);
    const item = await t.backend.db
      .selectFrom('mail_item')
      .select(['state', 'sok_id', 'from_org_code'])
      .executeTakeFirstOrThrow();
    expect(item).toEqual({ state: 'linked', sok_id: sok.id, from_org_code: 'uedas' });
    const answer = await t.backend.db
      .selectFrom('sok_event')
      .select(['note', 'actor_org'])
      .where('sok_id', '=', sok.id)
      .where('kind', '=', 'organisation-email')
      .executeTakeFirstOrThrow();
    expect(answer).toEqual({
      note: expect.stringContaining('yarın sabah düzeltecek') as string,
      actor_org: 'uedas',
    });

    // Answered: no reminder, however late it gets.
    t.clock.advance(14 * 24 * 3600);
    const reference = indexReference(
      readReferenceFile(t.backend.config.referenceFile),
      t.backend.config.workflow,
    );
    expect(await remindExternalOrgs(t.backend.db, reference, t.clock.now())).toMatchObject({
      reminded: 0,
    });
  });

  it('a reply naming a ŞÖK not routed to that organisation waits in the queue', async () => {
    const sok = await routedToUedas('Direk yan yatmış.');
    const raw = Buffer.from(
      [
        'From: cagri@uedas.test',
        `Subject: Kayıt No: ${sok.regNo}`,
        `Message-ID: <x-${randomUUID()}@uedas.test>`,
        '',
        'Bilgi.',
        '',
      ].join('\r\n'),
    );
    await applied('sok.route', { sokId: sok.id, targetOrg: 'bursagaz', reason: 'Doğalgaz.' });
    await takeMessage(t.backend.db, {
      mailbox: 'alo153',
      orgCode: 'bikom',
      uidValidity: 1,
      uid: 1,
      parsed: await parseMessage(raw, MailboxConfigSchema.parse({})),
      raw,
      now: t.clock.now(),
    });
    const item = await t.backend.db
      .selectFrom('mail_item')
      .select(['state', 'sok_id'])
      .executeTakeFirstOrThrow();
    expect(item).toEqual({ state: 'new', sok_id: null });
    expect(await eventKinds(sok.id)).not.toContain('organisation-email');
  });

  it('the reply time is a setting: with one working day the reminder comes two days later', async () => {
    const sok = await routedToUedas('Sokak lambası yanmıyor.');
    const withReplyDays = (externalReplyWorkingDays: number) =>
      indexReference(readReferenceFile(t.backend.config.referenceFile), {
        ...t.backend.config.workflow,
        externalReplyWorkingDays,
      });
    // Two days later (the day after the next working day has ended).
    t.clock.advance(2 * 24 * 3600);
    // The default three working days have not passed…
    expect(await remindExternalOrgs(t.backend.db, withReplyDays(3), t.clock.now())).toMatchObject({
      reminded: 0,
    });
    // … one has.
    expect(await remindExternalOrgs(t.backend.db, withReplyDays(1), t.clock.now())).toMatchObject({
      reminded: 1,
    });
    expect(await eventKinds(sok.id)).toContain('external-overdue');
  });

  it('no answer within the working days: one reminder e-mail and an item for BİKOM', async () => {
    const sok = await routedToUedas('Trafo kutusunun kapağı açık.');
    const reference = indexReference(
      readReferenceFile(t.backend.config.referenceFile),
      t.backend.config.workflow,
    );
    // Monday 09:00 + 1 day: not yet.
    t.clock.advance(24 * 3600);
    expect(await remindExternalOrgs(t.backend.db, reference, t.clock.now())).toMatchObject({
      reminded: 0,
    });
    // A week later: late.
    t.clock.advance(6 * 24 * 3600);
    expect(await remindExternalOrgs(t.backend.db, reference, t.clock.now())).toMatchObject({
      reminded: 1,
    });
    // Once.
    expect(await remindExternalOrgs(t.backend.db, reference, t.clock.now())).toMatchObject({
      reminded: 0,
    });
    expect(await eventKinds(sok.id)).toContain('external-overdue');

    const { smtp, worker } = await sendAll();
    try {
      await worker.runOnce();
      const reminder = (await smtp.messages()).find((m) =>
        (m.mail.subject ?? '').startsWith('Hatırlatma'),
      );
      expect(reminder?.envelope.to).toEqual(['cagri@uedas.test']);
      expect(reminder?.mail.subject).toContain(sok.regNo);
      expect(reminder?.mail.text).toContain('Trafo kutusunun kapağı açık.');
    } finally {
      await worker.stop();
      await smtp.stop();
    }
  });
});
