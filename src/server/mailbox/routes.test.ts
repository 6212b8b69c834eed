import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatRegNo } from '../../domain/regno';
import { forEachBackend } from '../../../test/support/backends';
import {
  apiError,
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import { startSmtpProcess, testWorker } from '../../../test/support/notifications';
import { nextChangeSeq, withWriteLock } from '../db/write-lock';
import { SmtpConfigSchema } from '../notifications/config';
import { SmtpEmailSender } from '../notifications/senders/email';
import { MailboxConfigSchema } from './config';
import { parseMessage } from './parse';
import { takeMessage } from './store';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const limits = MailboxConfigSchema.parse({});
let uid = 0;

/** Takes a raw message into `org`'s queue as the reader would. */
async function arrive(
  t: TestApp,
  org: string,
  subject: string,
  extra = '',
  from = '"Ayşe Yılmaz" <ayse@ornek.test>',
): Promise<string> {
  uid += 1;
  const raw = Buffer.from(
    [
      `From: ${from}`,
      'To: alo153@bursa.test',
      `Subject: ${subject}`,
      `Message-ID: <m${uid}-${randomUUID()}@ornek.test>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="S"',
      '',
      '--S',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Lamba yanmıyor. ${extra}`,
      '--S',
      'Content-Type: image/png; name="lamba.png"',
      'Content-Disposition: attachment; filename="lamba.png"',
      'Content-Transfer-Encoding: base64',
      '',
      PNG.toString('base64'),
      '--S--',
      '',
    ].join('\r\n'),
  );
  const outcome = await takeMessage(t.backend.db, {
    mailbox: `box-${org}`,
    orgCode: org,
    uidValidity: 1,
    uid,
    parsed: await parseMessage(raw, limits),
    raw,
    now: t.clock.now(),
  });
  if (!outcome.taken) throw new Error('not taken');
  return outcome.itemId;
}

interface Item {
  id: string;
  orgCode: string;
  state: string;
  subject: string;
  attachments: { id: string; type: string }[];
}

async function insertSokRow(t: TestApp, id: string, regNo: string): Promise<void> {
  const userId = (
    await t.backend.db
      .selectFrom('app_user')
      .select('id')
      .where('username', '=', 'temsilci')
      .executeTakeFirstOrThrow()
  ).id;
  await withWriteLock(t.backend.db, async (trx) =>
    trx
      .insertInto('sok')
      .values({
        id,
        reg_no: regNo,
        type_code: 'sikayet',
        channel_code: 'e-posta',
        topic_code: 'temizlik.cop-toplanmadi',
        district_code: 'yildirim',
        mahalle: 'Mimar Sinan',
        address: '',
        description: 'Çöp',
        citizen_name: 'Ayşe Yılmaz',
        citizen_phone: '+905321234567',
        citizen_email: 'ayse@ornek.test',
        status: 'registered',
        origin_org: 'bikom',
        target_org: null,
        created_by: userId,
        created_at: '2026-03-02T09:00:00.000Z',
        updated_at: '2026-03-02T09:00:00.000Z',
        change_seq: await nextChangeSeq(trx),
      })
      .execute(),
  );
}

forEachBackend('the E-posta intake queue over HTTP', (kind) => {
  let t: TestApp;
  let agent: string;
  let desk: string;
  let otherDesk: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await createUser(t, { username: 'temsilci' });
    await createUser(t, { username: 'masa', role: 'desk', orgCode: 'ilce.osmangazi' });
    await createUser(t, { username: 'nilufer', role: 'desk', orgCode: 'ilce.nilufer' });
    agent = (await login(t, 'temsilci')).accessToken;
    desk = (await login(t, 'masa')).accessToken;
    otherDesk = (await login(t, 'nilufer')).accessToken;
  });
  afterAll(async () => t?.close());

  const list = async (token: string, query = '') => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/mailbox/items${query}`,
      headers: bearer(token),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Item[] }>().items;
  };

  it('shows each organisation its own mail, and BİKOM all of it, oldest first', async () => {
    const first = await arrive(t, 'bikom', 'Lamba');
    const second = await arrive(t, 'ilce.osmangazi', 'Kaldırım');
    expect((await list(agent)).map((i) => i.id)).toEqual([first, second]);
    expect((await list(desk)).map((i) => i.id)).toEqual([second]);
    expect(await list(otherDesk)).toEqual([]);
    const figures = await t.app.inject({
      method: 'GET',
      url: '/mailbox/figures',
      headers: bearer(desk),
    });
    expect(figures.json()).toMatchObject({ unhandled: 1 });
  });

  it('serves an attachment only to those who may see its mail', async () => {
    const id = await arrive(t, 'ilce.osmangazi', 'Fotoğraflı');
    const [item] = (await list(desk, '?q=fotoğraflı')).filter((i) => i.id === id);
    const attachmentId = item!.attachments[0]!.id;
    const url = `/mailbox/attachments/${attachmentId}`;
    const ok = await t.app.inject({ method: 'GET', url, headers: bearer(desk) });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('image/png');
    expect(ok.headers['content-disposition']).toContain("filename*=UTF-8''lamba.png");
    expect(ok.rawPayload).toEqual(PNG);
    const refused = await t.app.inject({ method: 'GET', url, headers: bearer(otherDesk) });
    expect(refused.statusCode).toBe(404);
  });

  it('sets mail aside with a reason, where it stays findable', async () => {
    const id = await arrive(t, 'bikom', 'Teşekkürler');
    const url = `/mailbox/items/${id}/set-aside`;
    const bad = await t.app.inject({
      method: 'POST',
      url,
      headers: bearer(agent),
      payload: { reason: 'sıkıldım' },
    });
    expect(bad.statusCode).toBe(400);
    expect(apiError(bad).fields?.reason).toBe('Bir neden seçin.');
    const res = await t.app.inject({
      method: 'POST',
      url,
      headers: bearer(agent),
      payload: { reason: 'thanks', note: 'Teşekkür etmiş' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await list(agent)).some((i) => i.id === id)).toBe(false);
    const found = await list(agent, '?state=set_aside&q=te%C5%9Fekk%C3%BCrler');
    expect(found.map((i) => [i.id, i.state])).toEqual([[id, 'set_aside']]);
    const again = await t.app.inject({
      method: 'POST',
      url,
      headers: bearer(agent),
      payload: { reason: 'spam' },
    });
    expect(again.statusCode).toBe(409);
  });

  it('links a reply to its ŞÖK: the text lands on the ŞÖK’s timeline as the citizen’s message', async () => {
    const sokId = randomUUID();
    const regNo = formatRegNo(777);
    await insertSokRow(t, sokId, regNo);
    const id = await arrive(t, 'bikom', `Re: Başvurunuz ${regNo}`, 'Hâlâ yanmıyor.');
    const [item] = (await list(agent)).filter((i) => i.id === id);
    expect(item).toMatchObject({ mentionedRegNo: regNo, mentionedSokId: sokId });
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/mailbox/items/${id}/link`,
      headers: bearer(agent),
      payload: { regNo: formatRegNo(778) },
    });
    expect(unknown.statusCode).toBe(400);
    const res = await t.app.inject({
      method: 'POST',
      url: `/mailbox/items/${id}/link`,
      headers: bearer(agent),
      payload: { regNo },
    });
    expect(res.statusCode, res.body).toBe(200);
    const events = await t.backend.db
      .selectFrom('sok_event')
      .select(['kind', 'note', 'data'])
      .where('sok_id', '=', sokId)
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'citizen-email' });
    expect(events[0]?.note).toContain('Hâlâ yanmıyor.');
    expect(JSON.parse(events[0]!.data!)).toMatchObject({ mailItemId: id, from: 'ayse@ornek.test' });
    const linked = await list(agent, '?state=linked');
    expect(linked.map((i) => i.id)).toEqual([id]);
  });

  it('registers a mail as a ŞÖK whose e-mail receipt answers it in the citizen’s thread', async () => {
    const id = await arrive(t, 'bikom', 'Çöp toplanmadı');
    const [item] = (await list(agent)).filter((i) => i.id === id);
    const sokId = randomUUID();
    // The desk reserves the mail for the ŞÖK it creates, then pushes sok.create as for a call.
    const res = await t.app.inject({
      method: 'POST',
      url: `/mailbox/items/${id}/register`,
      headers: bearer(agent),
      payload: { sokId },
    });
    expect(res.statusCode, res.body).toBe(200);
    await insertSokRow(t, sokId, formatRegNo(900));
    const notificationId = randomUUID();
    await withWriteLock(t.backend.db, async (trx) =>
      trx
        .insertInto('notification')
        .values({
          id: notificationId,
          sok_id: sokId,
          channel: 'email',
          purpose: 'receipt',
          recipient: 'ayse@ornek.test',
          subject: 'Başvurunuz alındı',
          body: 'Kayıt numaranız …',
          state: 'pending',
          attempts: 0,
          next_attempt_at: '2026-03-02T09:00:00.000Z',
          last_error: null,
          provider_message_id: null,
          claim_token: null,
          claimed_until: null,
          created_at: '2026-03-02T09:00:00.000Z',
          updated_at: '2026-03-02T09:00:00.000Z',
          sent_at: null,
          change_seq: await nextChangeSeq(trx),
        })
        .execute(),
    );
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
    try {
      expect(await worker.runOnce()).toMatchObject({ sent: 1 });
      const [receipt] = await smtp.waitForMessages(1);
      const messageId = (
        await t.backend.db
          .selectFrom('mail_item')
          .select('message_id')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).message_id;
      expect(receipt?.inReplyTo).toBe(messageId);
      expect(receipt?.references).toEqual(messageId);
    } finally {
      await worker.stop();
      await smtp.stop();
    }
    expect((await list(agent, '?state=registered')).map((i) => i.id)).toContain(item!.id);
  });

  it('takes a reply from an outside organisation’s address as that organisation’s answer', async () => {
    await t.backend.db
      .updateTable('organisation')
      .set({ email: 'Cagri@Buski.test' })
      .where('code', '=', 'buski')
      .execute();
    const sokId = randomUUID();
    const regNo = formatRegNo(901);
    await insertSokRow(t, sokId, regNo);
    const id = await arrive(
      t,
      'bikom',
      `Re: ${regNo} su arızası`,
      'Ekibimiz arızayı giderdi.',
      'BUSKİ Çağrı <cagri@buski.test>',
    );
    const [item] = (await list(agent)).filter((i) => i.id === id) as (Item & {
      from: { orgCode: string | null };
      mentionedSokId: string | null;
    })[];
    expect(item?.from.orgCode).toBe('buski');
    expect(item?.mentionedSokId).toBe(sokId);
    const res = await t.app.inject({
      method: 'POST',
      url: `/mailbox/items/${id}/link`,
      headers: bearer(agent),
      payload: { regNo },
    });
    expect(res.statusCode, res.body).toBe(200);
    const event = await t.backend.db
      .selectFrom('sok_event')
      .select(['kind', 'note', 'data'])
      .where('sok_id', '=', sokId)
      .executeTakeFirstOrThrow();
    expect(event.kind).toBe('organisation-email');
    expect(JSON.parse(event.data!)).toMatchObject({ orgCode: 'buski' });
  });
});
