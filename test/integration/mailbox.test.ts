import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatRegNo } from '../../src/domain/regno';
import { PasswordHasher } from '../../src/server/auth/password';
import { insertUser } from '../../src/server/auth/users';
import { openServerDb, type ServerDb } from '../../src/server/db/open';
import { nextChangeSeq, withWriteLock } from '../../src/server/db/write-lock';
import {
  MailboxConfigSchema,
  type MailboxConfig,
  type MailboxSettings,
} from '../../src/server/mailbox/config';
import { MailboxReader, type ReaderHooks } from '../../src/server/mailbox/reader';
import { BOUNCE_ERROR } from '../../src/server/mailbox/store';
import { startServer } from '../../src/server/start';
import { forEachBackend } from '../support/backends';
import { startDovecot, type Dovecot } from '../support/dovecot';
import {
  createNotificationBackend,
  insertSok,
  type NotificationBackend,
} from '../support/notifications';

/**
 * The Alo-153 mailbox against a real Dovecot (test/support/dovecot.ts): mail is delivered over
 * LMTP, read by the reader over IMAP with TLS, and lands in the intake queue once.
 */
const USERS = Array.from({ length: 16 }, (_, i) => ({
  user: `kutu${i + 1}`,
  password: `sifre-${i + 1}`,
}));

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** The Turkish letters of ISO-8859-9 (the rest of the text is ASCII). */
const LATIN5: Record<string, number> = {
  ğ: 0xf0,
  Ğ: 0xd0,
  ı: 0xfd,
  İ: 0xdd,
  ş: 0xfe,
  Ş: 0xde,
  ç: 0xe7,
  Ç: 0xc7,
  ö: 0xf6,
  Ö: 0xd6,
  ü: 0xfc,
  Ü: 0xdc,
};

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 25_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

forEachBackend('Alo-153 mailbox over IMAP', (kind) => {
  let dovecot: Dovecot;
  let backend: NotificationBackend;
  let nextUser = 0;
  const readers: MailboxReader[] = [];
  const extraDbs: ServerDb[] = [];

  beforeAll(async () => {
    [dovecot, backend] = await Promise.all([startDovecot(USERS), createNotificationBackend(kind)]);
  }, 60_000);
  afterEach(async () => {
    await Promise.all(readers.splice(0).map((r) => r.stop()));
    await Promise.all(extraDbs.splice(0).map((d) => d.close()));
  });
  afterAll(async () => {
    await dovecot?.close();
    await backend?.drop();
  });

  /** A mailbox of its own for each test: a Dovecot user and reader settings for it. */
  function newBox(orgCode?: string): { box: MailboxSettings; address: string } {
    const user = USERS[nextUser++];
    if (user === undefined) throw new Error('not enough test mailboxes');
    return {
      address: `${user.user}@alo153.test`,
      box: {
        name: `${user.user}-${kind}`,
        host: dovecot.host,
        port: dovecot.imapsPort,
        tls: 'implicit',
        caFile: dovecot.caFile,
        user: user.user,
        password: user.password,
        folder: 'INBOX',
        ...(orgCode !== undefined ? { orgCode } : {}),
      },
    };
  }

  const testConfig = (box: MailboxSettings): MailboxConfig =>
    MailboxConfigSchema.parse({
      mailboxes: [box],
      resyncSeconds: 5,
      reconnectSeconds: 1,
      reconnectMaxSeconds: 2,
      lockRetrySeconds: 1,
      leaseSeconds: 3,
      maxAttachmentBytes: 64 * 1024,
      maxAttachments: 3,
      maxHeaderBytes: 8 * 1024,
    });

  function startReader(
    box: MailboxSettings,
    options: { db?: ServerDb; hooks?: ReaderHooks } = {},
  ): MailboxReader {
    const reader = new MailboxReader({
      db: options.db ?? backend.db,
      mailbox: box,
      orgCode: box.orgCode ?? 'bikom',
      config: testConfig(box),
      ...(options.hooks !== undefined ? { hooks: options.hooks } : {}),
    }).start();
    readers.push(reader);
    return reader;
  }

  const items = (mailbox: string) =>
    backend.db
      .selectFrom('mail_item')
      .selectAll()
      .where('mailbox', '=', mailbox)
      .orderBy('uid')
      .execute();

  const itemsAtLeast = (mailbox: string, n: number) =>
    waitFor(`${n} mail(s) in ${mailbox}`, async () => {
      const rows = await items(mailbox);
      return rows.length >= n ? rows : undefined;
    });

  const attachmentsOf = (itemId: string) =>
    backend.db
      .selectFrom('mail_attachment')
      .selectAll()
      .where('item_id', '=', itemId)
      .orderBy('position')
      .execute();

  it('takes a plain Turkish e-mail into the owning organisation’s E-posta queue', async () => {
    const { box, address } = newBox();
    startReader(box);
    const messageId = await dovecot.send({
      from: '"Ayşe Yılmaz" <Ayse.Yilmaz@Ornek.test>',
      to: address,
      subject: 'Sokak lambası yanmıyor',
      text: 'İyi günler,\nÇınar Sokak’taki lamba üç gündür yanmıyor. Gereğini rica ederim.\n',
    });
    const [item] = await itemsAtLeast(box.name, 1);
    expect(item).toMatchObject({
      org_code: 'bikom',
      kind: 'citizen',
      state: 'new',
      from_address: 'ayse.yilmaz@ornek.test',
      from_name: 'Ayşe Yılmaz',
      subject: 'Sokak lambası yanmıyor',
      message_id: messageId,
      no_reply: 0,
    });
    expect(item?.body_text).toBe(
      'İyi günler,\nÇınar Sokak’taki lamba üç gündür yanmıyor. Gereğini rica ederim.',
    );
  });

  it('reads several mailboxes, each into its own organisation’s queue', async () => {
    const first = newBox();
    const second = newBox('ilce.osmangazi');
    startReader(first.box);
    startReader(second.box);
    await dovecot.send({ from: 'a@ornek.test', to: first.address, subject: 'Bir', text: 'bir' });
    await dovecot.send({ from: 'b@ornek.test', to: second.address, subject: 'İki', text: 'iki' });
    const [one] = await itemsAtLeast(first.box.name, 1);
    const [two] = await itemsAtLeast(second.box.name, 1);
    expect(one).toMatchObject({ org_code: 'bikom', subject: 'Bir' });
    expect(two).toMatchObject({ org_code: 'ilce.osmangazi', subject: 'İki' });
  });

  it('turns HTML-only mail into plain text, without markup, scripts or images', async () => {
    const { box, address } = newBox();
    startReader(box);
    await dovecot.send({
      from: 'vatandas@ornek.test',
      to: address,
      subject: 'HTML',
      html:
        '<html><head><style>p{color:red}</style></head><body>' +
        '<p>Merhaba, <b>çöp konteyneri</b> taşıyor.</p>' +
        '<script>alert("x")</script><img src="x" onerror="alert(1)">' +
        '<p><a href="https://kotu.example/">Fotoğraf</a></p></body></html>',
    });
    const [item] = await itemsAtLeast(box.name, 1);
    expect(item?.body_text).toContain('Merhaba, çöp konteyneri taşıyor.');
    expect(item?.body_text).toContain('Fotoğraf');
    for (const unwanted of ['<', 'alert', 'color:red', 'kotu.example', 'onerror']) {
      expect(item?.body_text).not.toContain(unwanted);
    }
  });

  it('decodes windows-1254 and iso-8859-9 mail', async () => {
    const { box, address } = newBox();
    startReader(box);
    await dovecot.deliver(
      address,
      [
        'From: =?windows-1254?Q?=DE=FCkr=FC_=D6zt=FCrk?= <sukru@ornek.test>',
        `To: ${address}`,
        'Subject: =?windows-1254?Q?Su_kesintisi_=FEikayeti?=',
        'Message-ID: <cp1254-1@ornek.test>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=windows-1254',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Mahallemizde =FC=E7 g=FCnd=FCr su yok =96 l=FCtfen ilgilenin.',
        '',
      ].join('\r\n'),
    );
    await dovecot.deliver(
      address,
      Buffer.concat([
        Buffer.from(
          [
            'From: Hatice <hatice@ornek.test>',
            `To: ${address}`,
            'Subject: =?iso-8859-9?Q?=C7=F6p_konteyneri_ta=FE=FDyor?=',
            'Message-ID: <latin5-1@ornek.test>',
            'MIME-Version: 1.0',
            'Content-Type: text/plain; charset=iso-8859-9',
            'Content-Transfer-Encoding: 8bit',
            '',
            '',
          ].join('\r\n'),
        ),
        // "Ağaç dalları kırıldı, İnönü Caddesi." in ISO-8859-9, eight bits as sent.
        Buffer.from(
          [...'Ağaç dalları kırıldı, İnönü Caddesi.\r\n'].map(
            (ch) => LATIN5[ch] ?? ch.charCodeAt(0),
          ),
        ),
      ]),
    );
    const [cp1254, latin5] = await itemsAtLeast(box.name, 2);
    expect(cp1254).toMatchObject({
      kind: 'citizen',
      from_name: 'Şükrü Öztürk',
      subject: 'Su kesintisi şikayeti',
      body_text: 'Mahallemizde üç gündür su yok – lütfen ilgilenin.',
    });
    expect(latin5).toMatchObject({
      kind: 'citizen',
      subject: 'Çöp konteyneri taşıyor',
      body_text: 'Ağaç dalları kırıldı, İnönü Caddesi.',
    });
  });

  it('keeps allowed attachments by their content and refuses disguised, oversized and surplus ones', async () => {
    const { box, address } = newBox();
    startReader(box);
    const bigPng = Buffer.concat([PNG, Buffer.alloc(70 * 1024)]);
    await dovecot.send({
      from: 'ekli@ornek.test',
      to: address,
      subject: 'Fotoğraflar',
      text: 'Ekte fotoğraflar var.',
      attachments: [
        { filename: 'cukur.png', content: PNG, contentType: 'image/png' },
        {
          filename: 'dilekce.pdf',
          content: Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'),
        },
        // A program dressed as a PDF: the name and the declared type lie, the bytes do not.
        {
          filename: 'fatura.pdf',
          content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]),
          contentType: 'application/pdf',
        },
        { filename: 'buyuk.png', content: bigPng, contentType: 'image/png' },
        { filename: 'not.txt', content: 'Kapı no 4', contentType: 'text/plain' },
        { filename: 'fazla.png', content: PNG, contentType: 'image/png' },
      ],
    });
    const [item] = await itemsAtLeast(box.name, 1);
    const stored = await attachmentsOf(item!.id);
    expect(
      stored.map((a) => ({ name: a.filename, type: a.detected_type, refused: a.refused })),
    ).toEqual([
      { name: 'cukur.png', type: 'image/png', refused: null },
      { name: 'dilekce.pdf', type: 'application/pdf', refused: null },
      { name: 'fatura.pdf', type: 'application/x-msdownload', refused: 'type' },
      { name: 'buyuk.png', type: 'image/png', refused: 'too-large' },
      { name: 'not.txt', type: 'text/plain', refused: null },
      { name: 'fazla.png', type: 'image/png', refused: 'too-many' },
    ]);
    expect(Buffer.from(stored[0]!.content!)).toEqual(PNG);
    expect(stored.filter((a) => a.refused !== null).every((a) => a.content === null)).toBe(true);
    expect(item?.body_text).toBe('Ekte fotoğraflar var.');
  });

  it('offers a reply naming a registration number for linking to that ŞÖK', async () => {
    const { box, address } = newBox();
    startReader(box);
    const sok = await insertSok(backend);
    const regNo = formatRegNo(4242);
    await backend.db.updateTable('sok').set({ reg_no: regNo }).where('id', '=', sok.id).execute();
    await dovecot.send({
      from: 'sukru@ornek.test',
      to: address,
      subject: `Re: Başvurunuz alındı — ${regNo}`,
      inReplyTo: '<receipt-1@alo153.test>',
      references: ['<receipt-1@alo153.test>'],
      text: 'Sorun hâlâ devam ediyor.',
    });
    await dovecot.send({
      from: 'sukru@ornek.test',
      to: address,
      subject: 'Bilgi',
      text: `Kayıt numaram ${regNo.replace('-', '')} idi, bir de şu var.`,
    });
    await dovecot.send({
      from: 'sukru@ornek.test',
      to: address,
      subject: 'Numara 1234-5678',
      text: 'Geçersiz bir numara.',
    });
    const [reply, inBody, invalid] = await itemsAtLeast(box.name, 3);
    expect(reply).toMatchObject({
      mentioned_reg_no: regNo,
      mentioned_sok_id: sok.id,
      in_reply_to: '<receipt-1@alo153.test>',
      refs: JSON.stringify(['<receipt-1@alo153.test>']),
    });
    expect(inBody).toMatchObject({ mentioned_reg_no: regNo, mentioned_sok_id: sok.id });
    expect(invalid).toMatchObject({ mentioned_reg_no: null, mentioned_sok_id: null });
  });

  it('puts an outside organisation’s reply on the ŞÖK routed to it, as that organisation’s answer', async () => {
    const { box, address } = newBox();
    startReader(box);
    const sok = await insertSok(backend);
    const regNo = formatRegNo(5151);
    await withWriteLock(backend.db, async (trx) => {
      await trx
        .updateTable('sok')
        .set({
          reg_no: regNo,
          status: 'routed',
          target_org: 'uedas',
          change_seq: await nextChangeSeq(trx),
        })
        .where('id', '=', sok.id)
        .execute();
      await trx
        .updateTable('organisation')
        .set({ email: `cagri-${kind}@uedas.test` })
        .where('code', '=', 'uedas')
        .execute();
    });
    try {
      await dovecot.send({
        from: `"UEDAŞ Çağrı Merkezi" <Cagri-${kind}@uedas.test>`,
        to: address,
        subject: `Re: Alo 153 başvurusu – Kayıt No: ${regNo}`,
        inReplyTo: `<istek-${kind}@alo153.test>`,
        text: 'Ekibimiz direği yarın sabah düzeltecek.',
      });
      const [item] = await itemsAtLeast(box.name, 1);
      // Nobody has to link it: it never waits in the queue.
      expect(item).toMatchObject({ state: 'linked', sok_id: sok.id, from_org_code: 'uedas' });
      const answer = await backend.db
        .selectFrom('sok_event')
        .select(['note', 'actor_org'])
        .where('sok_id', '=', sok.id)
        .where('kind', '=', 'organisation-email')
        .executeTakeFirstOrThrow();
      expect(answer).toEqual({
        note: 'Ekibimiz direği yarın sabah düzeltecek.',
        actor_org: 'uedas',
      });
    } finally {
      await backend.db
        .updateTable('organisation')
        .set({ email: null })
        .where('code', '=', 'uedas')
        .execute();
    }
  });

  it('never answers automatic mail and marks our bounced receipt failed', async () => {
    const { box, address } = newBox();
    startReader(box);
    const sok = await insertSok(backend);
    const notificationId = randomUUID();
    await withWriteLock(backend.db, async (trx) =>
      trx
        .insertInto('notification')
        .values({
          id: notificationId,
          sok_id: sok.id,
          channel: 'email',
          purpose: 'receipt',
          recipient: 'yok@ornek.test',
          subject: 'Başvurunuz alındı',
          body: 'Kayıt no …',
          state: 'sent',
          attempts: 1,
          next_attempt_at: '2026-03-02T09:00:00.000Z',
          last_error: null,
          provider_message_id: `<${notificationId}@alo153.test>`,
          claim_token: null,
          claimed_until: null,
          created_at: '2026-03-02T09:00:00.000Z',
          updated_at: '2026-03-02T09:00:00.000Z',
          sent_at: '2026-03-02T09:00:00.000Z',
          change_seq: await nextChangeSeq(trx),
        })
        .execute(),
    );
    await dovecot.send({
      from: 'tatil@ornek.test',
      to: address,
      subject: 'Otomatik yanıt: Başvurunuz',
      headers: { 'Auto-Submitted': 'auto-replied' },
      text: 'İzindeyim.',
    });
    await dovecot.send({
      from: 'bulten@ornek.test',
      to: address,
      subject: 'Bülten',
      headers: { Precedence: 'bulk' },
      text: 'Haftalık bülten.',
    });
    await dovecot.deliver(
      address,
      [
        'From: Mail Delivery System <MAILER-DAEMON@mx.ornek.test>',
        `To: ${address}`,
        'Subject: Undelivered Mail Returned to Sender',
        'Auto-Submitted: auto-replied',
        'Message-ID: <bounce-1@mx.ornek.test>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="SINIR"',
        '',
        '--SINIR',
        'Content-Type: text/plain; charset=us-ascii',
        '',
        'The mail could not be delivered.',
        '--SINIR',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.ornek.test',
        '',
        'Final-Recipient: rfc822; yok@ornek.test',
        'Action: failed',
        'Status: 5.1.1',
        '--SINIR',
        'Content-Type: text/rfc822-headers',
        '',
        `From: Alo 153 <${address}>`,
        'To: yok@ornek.test',
        'Subject: =?utf-8?Q?Ba=C5=9Fvurunuz_al=C4=B1nd=C4=B1?=',
        `Message-ID: <${notificationId}@alo153.test>`,
        '--SINIR--',
        '',
      ].join('\r\n'),
    );
    const [autoReply, bulk, bounce] = await itemsAtLeast(box.name, 3);
    for (const item of [autoReply, bulk]) {
      expect(item).toMatchObject({ kind: 'automatic', state: 'set_aside', no_reply: 1 });
    }
    expect(bounce).toMatchObject({
      kind: 'bounce',
      state: 'set_aside',
      no_reply: 1,
      bounced_notification_id: notificationId,
    });
    const receipt = await backend.db
      .selectFrom('notification')
      .select(['state', 'last_error'])
      .where('id', '=', notificationId)
      .executeTakeFirstOrThrow();
    expect(receipt).toEqual({ state: 'failed', last_error: BOUNCE_ERROR });
  });

  it('quarantines malformed mail with its reason and goes on reading', async () => {
    const { box, address } = newBox();
    startReader(box);
    await dovecot.deliver(
      address,
      [
        'From: garip@ornek.test',
        `To: ${address}`,
        'Subject: Tuhaf',
        'Message-ID: <klingon-1@ornek.test>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=x-klingon-9',
        '',
        'qapla',
        '',
      ].join('\r\n'),
    );
    const padding = Array.from({ length: 200 }, (_, i) => `X-Dolgu-${i}: ${'a'.repeat(60)}`);
    await dovecot.deliver(
      address,
      [
        'From: uzun@ornek.test',
        `To: ${address}`,
        'Subject: Uzun başlık',
        'Message-ID: <huge-headers-1@ornek.test>',
        ...padding,
        '',
        'gövde',
        '',
      ].join('\r\n'),
    );
    await dovecot.deliver(
      address,
      ['To: kimse@ornek.test', 'Subject: Göndereni yok', '', 'metin', ''].join('\r\n'),
    );
    await dovecot.send({ from: 'normal@ornek.test', to: address, subject: 'Sonra', text: 'ok' });
    const [charset, headers, noSender, after] = await itemsAtLeast(box.name, 4);
    expect(charset).toMatchObject({ kind: 'quarantined', state: 'set_aside', no_reply: 1 });
    expect(charset?.quarantine_reason).toBe('unknown-charset: x-klingon-9');
    expect(charset).toMatchObject({ subject: 'Tuhaf', from_address: 'garip@ornek.test' });
    expect(charset?.raw).not.toBeNull();
    expect(headers?.quarantine_reason).toMatch(/^headers-too-large: /);
    expect(noSender?.quarantine_reason).toMatch(/^no-sender/);
    expect(after).toMatchObject({ kind: 'citizen', state: 'new', subject: 'Sonra' });
  });

  it('takes a message exactly once when the API is killed between fetching and committing', async () => {
    const { box, address } = newBox();
    await dovecot.send({ from: 'c@ornek.test', to: address, subject: 'Çöküş', text: 'bir kez' });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/support/mailbox-crash-child.ts'],
      {
        env: {
          ...process.env,
          CRASH_CONFIG: JSON.stringify({
            database: {
              ...(backend.config.databaseUrl !== undefined
                ? { databaseUrl: backend.config.databaseUrl }
                : {}),
              sqliteFile: backend.config.sqliteFile,
            },
            mailbox: box,
            orgCode: 'bikom',
            config: { leaseSeconds: 3 },
          }),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, sig) => resolve(sig)),
    );
    expect(signal, stderr).toBe('SIGKILL');
    // Nothing half-written: no item, no attachment, no checkpoint.
    expect(await items(box.name)).toEqual([]);
    const checkpoint = await backend.db
      .selectFrom('mailbox_checkpoint')
      .selectAll()
      .where('mailbox', '=', box.name)
      .executeTakeFirst();
    expect(checkpoint).toBeUndefined();

    // After the restart the message is taken, once …
    const reader = startReader(box);
    const [item] = await itemsAtLeast(box.name, 1);
    expect(item).toMatchObject({ subject: 'Çöküş', body_text: 'bir kez' });
    // … and once more after another restart, with the mailbox now holding it as \Seen.
    await reader.stop();
    startReader(box);
    await dovecot.send({ from: 'c@ornek.test', to: address, subject: 'Sonraki', text: 'iki' });
    const after = await itemsAtLeast(box.name, 2);
    expect(after.map((i) => i.subject)).toEqual(['Çöküş', 'Sonraki']);
  });

  it('lets only one of two API instances read a mailbox, and the other take over', async () => {
    const { box, address } = newBox();
    for (let i = 1; i <= 4; i++) {
      await dovecot.send({
        from: 'd@ornek.test',
        to: address,
        subject: `İleti ${i}`,
        text: `${i}`,
      });
    }
    const otherDb = await openServerDb(backend.config, { migrate: false });
    extraDbs.push(otherDb);
    const a = startReader(box);
    const b = startReader(box, { db: otherDb });
    const taken = await itemsAtLeast(box.name, 4);
    expect(taken.map((i) => i.subject)).toEqual(['İleti 1', 'İleti 2', 'İleti 3', 'İleti 4']);
    expect([a.status.holdsLock, b.status.holdsLock].filter(Boolean)).toHaveLength(1);

    const [holder, other] = a.status.holdsLock ? [a, b] : [b, a];
    await holder.stop();
    await dovecot.send({ from: 'd@ornek.test', to: address, subject: 'İleti 5', text: '5' });
    const all = await itemsAtLeast(box.name, 5);
    expect(all.map((i) => i.subject)).toEqual([
      'İleti 1',
      'İleti 2',
      'İleti 3',
      'İleti 4',
      'İleti 5',
    ]);
    expect(other.status.holdsLock).toBe(true);
  });

  it('is read by the API server it is configured in, and shown in its E-posta queue', async () => {
    const { box, address } = newBox();
    const server = await startServer({
      ...backend.config,
      port: 0,
      mailbox: { mailboxes: [box], resyncSeconds: 5, reconnectSeconds: 1 },
    });
    try {
      await insertUser(backend.db, {
        username: `posta-${kind}`,
        displayName: 'Posta Temsilcisi',
        passwordHash: await new PasswordHasher(backend.config.scrypt).hash('doğru-parola-123'),
        role: 'agent',
        orgCode: 'bikom',
        now: new Date().toISOString(),
      });
      const login = await fetch(`${server.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: `posta-${kind}`,
          password: 'doğru-parola-123',
          clientId: randomUUID(),
        }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      await dovecot.send({
        from: '"Emine Kaya" <emine@ornek.test>',
        to: address,
        subject: 'Park bakımsız',
        text: 'Parktaki salıncak kırık.',
      });
      const items = await waitFor('the mail in the E-posta queue', async () => {
        const res = await fetch(`${server.url}/mailbox/items`, {
          headers: { authorization: `Bearer ${accessToken}` },
        });
        const body = (await res.json()) as { items: { subject: string; text: string }[] };
        return body.items.some((i) => i.subject === 'Park bakımsız') ? body.items : undefined;
      });
      expect(items.find((i) => i.subject === 'Park bakımsız')?.text).toBe(
        'Parktaki salıncak kırık.',
      );
    } finally {
      await server.close();
    }
  });

  it('carries a registered mail’s attachments over to its ŞÖK, served only to whoever may see the ŞÖK', async () => {
    const { box, address } = newBox();
    const server = await startServer({
      ...backend.config,
      port: 0,
      mailbox: { mailboxes: [box], resyncSeconds: 5, reconnectSeconds: 1 },
    });
    try {
      const hasher = new PasswordHasher(backend.config.scrypt);
      const passwordHash = await hasher.hash('doğru-parola-123');
      const tokenOf = async (username: string, role: 'agent' | 'desk', orgCode: string) => {
        await insertUser(backend.db, {
          username,
          displayName: username,
          passwordHash,
          role,
          orgCode,
          now: new Date().toISOString(),
        });
        const res = await fetch(`${server.url}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: 'doğru-parola-123', clientId: randomUUID() }),
        });
        return ((await res.json()) as { accessToken: string }).accessToken;
      };
      const agent = await tokenOf(`ek-temsilci-${kind}`, 'agent', 'bikom');
      const fen = await tokenOf(`ek-fen-${kind}`, 'desk', 'bb.fen-isleri');
      const park = await tokenOf(`ek-park-${kind}`, 'desk', 'bb.park-bahceler');
      const get = (url: string, token: string) =>
        fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${token}` } });

      await dovecot.send({
        from: '"Emine Kaya" <emine@ornek.test>',
        to: address,
        subject: 'Yolda çukur',
        text: 'Fotoğrafı ekledim.',
        attachments: [
          { filename: 'çukur.png', content: PNG, contentType: 'image/png' },
          {
            filename: 'fatura.pdf',
            content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]),
            contentType: 'application/pdf',
          },
        ],
      });
      const [item] = await itemsAtLeast(box.name, 1);
      const sokId = randomUUID();
      const register = await fetch(`${server.url}/mailbox/items/${item!.id}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${agent}` },
        body: JSON.stringify({ sokId }),
      });
      expect(register.status).toBe(200);
      // Until the ŞÖK itself arrives there is nothing to see it by.
      expect((await get(`/mailbox/soks/${sokId}/attachments`, agent)).status).toBe(404);

      // The ŞÖK arrives (as the create applier writes it) and is routed to Fen İşleri.
      await withWriteLock(backend.db, async (trx) => {
        await trx
          .insertInto('sok')
          .values({
            id: sokId,
            reg_no: formatRegNo(7777),
            type_code: 'sikayet',
            channel_code: 'e-posta',
            topic_code: 'temizlik.cop-toplanmadi',
            district_code: 'yildirim',
            mahalle: 'Mimar Sinan',
            address: '',
            description: 'Fotoğrafı ekledim.',
            citizen_name: 'Emine Kaya',
            citizen_phone: '',
            status: 'routed',
            origin_org: 'bikom',
            target_org: 'bb.fen-isleri',
            created_by: backend.agentId,
            created_at: new Date().toISOString(),
            updated_at: new Date().toISOString(),
            change_seq: await nextChangeSeq(trx),
          })
          .execute();
      });

      for (const token of [agent, fen]) {
        const list = await get(`/mailbox/soks/${sokId}/attachments`, token);
        expect(list.status).toBe(200);
        const { attachments } = (await list.json()) as {
          attachments: { id: string; filename: string; refused: string | null; via: string }[];
        };
        expect(attachments.map((a) => [a.filename, a.refused, a.via])).toEqual([
          ['çukur.png', null, 'registered'],
          ['fatura.pdf', 'type', 'registered'],
        ]);
        const file = await get(`/mailbox/attachments/${attachments[0]!.id}`, token);
        expect(file.status).toBe(200);
        expect(file.headers.get('content-type')).toBe('image/png');
        expect(file.headers.get('content-disposition')).toContain(
          `filename*=UTF-8''${encodeURIComponent('çukur.png')}`,
        );
        expect(Buffer.from(await file.arrayBuffer())).toEqual(PNG);
        // The refused one's bytes were never kept.
        expect((await get(`/mailbox/attachments/${attachments[1]!.id}`, token)).status).toBe(404);
      }
      // Fen İşleri sees the ŞÖK's attachments, not BİKOM's mail itself …
      expect((await get(`/mailbox/items/${item!.id}`, fen)).status).toBe(404);
      // … and a directorate the ŞÖK is not routed to sees neither.
      const stored = await attachmentsOf(item!.id);
      expect((await get(`/mailbox/soks/${sokId}/attachments`, park)).status).toBe(404);
      expect((await get(`/mailbox/attachments/${stored[0]!.id}`, park)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('reconnects after the IMAP server restarts', async () => {
    const { box, address } = newBox();
    const reader = startReader(box);
    await dovecot.send({ from: 'e@ornek.test', to: address, subject: 'Önce', text: '1' });
    await itemsAtLeast(box.name, 1);
    await dovecot.restart();
    await dovecot.send({ from: 'e@ornek.test', to: address, subject: 'Sonra', text: '2' });
    const all = await itemsAtLeast(box.name, 2);
    expect(all.map((i) => i.subject)).toEqual(['Önce', 'Sonra']);
    expect(reader.status.connections).toBeGreaterThanOrEqual(2);
  });
});

describe('mailbox settings from the environment', () => {
  it('reads several mailboxes with their TLS mode, organisation and CA', async () => {
    const { configFromEnv } = await import('../../src/server/config');
    const config = configFromEnv({
      ALO153_MAILBOXES: 'alo153,osmangazi',
      ALO153_MAILBOX_ALO153_URL: 'imaps://alo153%40bursa.bel.tr@imap.bursa.bel.tr/INBOX',
      ALO153_MAILBOX_ALO153_PASSWORD: 'gizli',
      ALO153_MAILBOX_OSMANGAZI_URL: 'imap://masa@imap.osmangazi.bel.tr:143/Gelen',
      ALO153_MAILBOX_OSMANGAZI_PASSWORD: 'gizli2',
      ALO153_MAILBOX_OSMANGAZI_ORG: 'ilce.osmangazi',
      ALO153_MAILBOX_OSMANGAZI_CA_FILE: '/etc/ssl/ca.pem',
    });
    expect(config.mailbox.mailboxes).toEqual([
      {
        name: 'alo153',
        host: 'imap.bursa.bel.tr',
        tls: 'implicit',
        user: 'alo153@bursa.bel.tr',
        password: 'gizli',
        folder: 'INBOX',
      },
      {
        name: 'osmangazi',
        host: 'imap.osmangazi.bel.tr',
        port: 143,
        tls: 'starttls',
        user: 'masa',
        password: 'gizli2',
        folder: 'Gelen',
        orgCode: 'ilce.osmangazi',
        caFile: '/etc/ssl/ca.pem',
      },
    ]);
  });

  it('refuses a mailbox without TLS unless it is on loopback, and a password in the URL', async () => {
    const { configFromEnv } = await import('../../src/server/config');
    expect(() =>
      configFromEnv({
        ALO153_MAILBOXES: 'a',
        ALO153_MAILBOX_A_URL: 'imap+plain://u@mail.example.org/INBOX',
      }),
    ).toThrow(/only on a loopback address/);
    expect(() =>
      configFromEnv({ ALO153_MAILBOXES: 'a', ALO153_MAILBOX_A_URL: 'imaps://u:p@h/INBOX' }),
    ).toThrow(/ALO153_MAILBOX_A_PASSWORD/);
  });
});
