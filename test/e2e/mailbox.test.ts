import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDb, type ServerDb } from '../../src/server/db/open';
import { startDovecot, type Dovecot } from '../support/dovecot';
import { startSmtpProcess, type SmtpProcess } from '../support/notifications';
import { apiPost, startApiProcess, type ApiProcess, setUpAdmin } from './api-process';
import { launchBrowser, startHost, tempDataDir, type RunningHost } from './support';
import { AGENT, login, syncState } from './ui';

/**
 * The E-posta queue on the desk (issue #18, docs/mailbox.md), end to end: a citizen's mail is
 * delivered into a real Dovecot (over LMTP, test/support/dovecot.ts), the central API's own
 * reader takes it over IMAPS into BİKOM's queue, the agent registers it as a ŞÖK with the
 * keyboard (the intake form prefilled from the mail, its attachment carried over to the ŞÖK),
 * and the receipt reaches the citizen's thread: the SMTP test server captures it with
 * In-Reply-To/References naming the citizen's mail.
 */
let api: ApiProcess;
let dovecot: Dovecot;
let smtp: SmtpProcess;
let browser: Browser;
let host: RunningHost;
let page: Page;
let serverDb: ServerDb;
const root = tempDataDir();
const serverFile = path.join(root, 'server.sqlite');
const MAILBOX = { user: 'alo153', password: 'posta-sifresi-2026' };
const ALO153 = 'alo153@alo153.test';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
let firstRegNo = '';

/**
 * A citizen's mail (with a photo) is delivered to the Alo-153 mailbox; resolves once the API's
 * reader has taken it into the queue, with the item's id and the mail's Message-ID.
 */
async function arrive(
  from: string,
  subject: string,
  text: string,
): Promise<{ itemId: string; messageId: string }> {
  const messageId = await dovecot.send({
    from,
    to: ALO153,
    subject,
    text,
    attachments: [{ filename: 'lamba.png', content: PNG, contentType: 'image/png' }],
  });
  let item: { id: string } | undefined;
  await expect
    .poll(
      async () =>
        (item = await serverDb
          .selectFrom('mail_item')
          .select('id')
          .where('message_id', '=', messageId)
          .executeTakeFirst()),
      { timeout: 20_000 },
    )
    .toBeDefined();
  return { itemId: item!.id, messageId };
}

const focused = (selector: string) =>
  page.locator(selector).evaluate((el) => el === el.ownerDocument.activeElement);

beforeAll(async () => {
  [dovecot, smtp] = await Promise.all([startDovecot([MAILBOX]), startSmtpProcess()]);
  api = await startApiProcess({
    ALO153_SERVER_DB: serverFile,
    ALO153_SMTP_HOST: smtp.host,
    ALO153_SMTP_PORT: String(smtp.port),
    ALO153_SMTP_FROM: `Alo 153 <${ALO153}>`,
    ALO153_NOTIFY_POLL_SECONDS: '1',
    ALO153_MAILBOXES: 'alo153',
    ALO153_MAILBOX_ALO153_URL: `imaps://${MAILBOX.user}@${dovecot.host}:${dovecot.imapsPort}/INBOX`,
    ALO153_MAILBOX_ALO153_PASSWORD: MAILBOX.password,
    ALO153_MAILBOX_ALO153_CA_FILE: dovecot.caFile,
    ALO153_MAILBOX_RESYNC_SECONDS: '5',
  });
  serverDb = await openServerDb({ sqliteFile: serverFile }, { migrate: false });
  const adminToken = await setUpAdmin(api.url, 'e2e-mailbox-admin');
  await apiPost(
    `${api.url}/admin/users`,
    { ...AGENT, role: 'agent', orgCode: 'bikom' },
    adminToken,
  );
  browser = await launchBrowser();
  host = await startHost(path.join(root, 'desk'), { ALO153_API_URL: api.url });
  page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
  await page.goto(host.url);
}, 90_000);

afterAll(async () => {
  await host?.stop();
  await browser?.close();
  await serverDb?.close();
  await api?.stop();
  await Promise.all([dovecot?.close(), smtp?.stop()]);
  fs.rmSync(root, { recursive: true, force: true });
});

describe('the E-posta queue on the desk', () => {
  it('an agent registers a mail as a ŞÖK with the keyboard; the ŞÖK has channel e-posta', async () => {
    const { itemId, messageId } = await arrive(
      '"Mehmet Kaya" <mehmet.kaya@ornek.test>',
      'Sokak lambası yanmıyor',
      'Lale Sokak’taki sokak lambası bir haftadır yanmıyor, akşamları sokak çok karanlık.',
    );
    await login(page, AGENT);
    await syncState(page, 'Çevrimiçi');

    await page.locator('nav.tabs button:text-is("E-posta")').click();
    await page.locator('#mail-list').waitFor();
    expect(await page.locator('#mail-list').textContent()).toContain('Sokak lambası yanmıyor');
    expect(await page.locator('#mail-list').textContent()).toContain('1 ek');
    expect(await page.locator('#mail-detail-from').textContent()).toBe('Mehmet Kaya');
    expect(await page.locator('#mail-text').textContent()).toContain('bir haftadır yanmıyor');
    expect(await page.locator('#mail-detail').textContent()).toContain('lamba.png');

    // Keyboard only from here: the list has the focus, Alt+S opens the prefilled intake form.
    await page.locator('#mail-list').focus();
    await page.keyboard.press('Alt+s');
    await page.locator('#intake-from-mail').waitFor();
    await expect.poll(() => focused('#sok-typeCode')).toBe(true);
    expect(await page.locator('#sok-channelCode').inputValue()).toBe('e-posta');
    expect(await page.locator('#sok-citizenName').inputValue()).toBe('Mehmet Kaya');
    expect(await page.locator('#sok-citizenEmail').inputValue()).toBe('mehmet.kaya@ornek.test');
    expect(await page.locator('#sok-description').inputValue()).toContain(
      'sokak lambası bir haftadır yanmıyor',
    );

    const fields: [string, string][] = [
      ['#sok-typeCode', 'Şikayet'],
      ['#sok-topicCode', 'cop toplanmadi'],
      ['#sok-districtCode', 'yildirim'],
      ['#sok-mahalle', 'Değirmenönü'],
    ];
    for (const [selector, text] of fields) {
      for (let i = 0; i < 12 && !(await focused(selector)); i++) await page.keyboard.press('Tab');
      expect(await focused(selector), selector).toBe(true);
      await page.keyboard.type(text);
    }
    await page.keyboard.press('Control+Enter');
    await page.locator('#receipt-regNo').waitFor();
    const regNo = ((await page.locator('#receipt-regNo').textContent()) ?? '').trim();
    expect(regNo).toMatch(/\d{4}-\d{4}/);
    expect(await page.locator('#intake-from-mail').count()).toBe(0);

    // On the central API: the mail is reserved for the ŞÖK, which arrives with channel e-posta.
    await expect
      .poll(
        async () =>
          serverDb
            .selectFrom('mail_item as m')
            .leftJoin('sok as s', 's.id', 'm.sok_id')
            .select(['m.state', 's.reg_no', 's.channel_code', 's.citizen_email'])
            .where('m.id', '=', itemId)
            .executeTakeFirst(),
        { timeout: 20_000 },
      )
      .toEqual({
        state: 'registered',
        reg_no: regNo,
        channel_code: 'e-posta',
        citizen_email: 'mehmet.kaya@ornek.test',
      });

    // The receipt answers the citizen's mail in its thread.
    const [receipt] = await smtp.waitForMessages(1, 20_000);
    expect(receipt?.to).toMatchObject({ value: [{ address: 'mehmet.kaya@ornek.test' }] });
    expect(receipt?.subject).toContain(regNo);
    expect(receipt?.inReplyTo).toBe(messageId);
    expect([receipt?.references ?? []].flat()).toContain(messageId);

    // The photo came along: on the ŞÖK detail, downloadable.
    await page.keyboard.press('Control+k');
    await page.keyboard.type(regNo);
    await page.locator('.result').first().click();
    await page.locator('#sok-detail-attachments').waitFor();
    expect(await page.locator('#sok-detail-attachments').textContent()).toContain(
      'başvuru e-postasından',
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#sok-detail-attachments button:text-is("lamba.png")').click(),
    ]);
    expect(download.suggestedFilename()).toBe('lamba.png');
    expect(fs.readFileSync(await download.path())).toEqual(PNG);
    await page.keyboard.press('Escape');
    await page.locator('#sok-detail').waitFor({ state: 'detached' });

    // The queue no longer offers it.
    await page.locator('nav.tabs button:text-is("E-posta")').click();
    await page.locator('#mailbox-empty').waitFor();
    firstRegNo = regNo;
  });

  it('offers to add a mail naming a registration number to that ŞÖK, and sets one aside with a reason', async () => {
    const { itemId: reply } = await arrive(
      '"Mehmet Kaya" <mehmet.kaya@ornek.test>',
      `Re: Başvurum ${firstRegNo}`,
      'Lamba hâlâ yanmıyor, ilgilenen olmadı.',
    );
    const { itemId: spam } = await arrive(
      '<kampanya@reklam.test>',
      'Büyük indirim',
      'Bu fırsatı kaçırmayın, hemen tıklayın.',
    );
    await page.locator('button:text-is("Yenile")').click();
    await expect.poll(() => page.locator('#mail-list [role=option]').count()).toBe(2);
    // Oldest first: the reply is selected; it names the ŞÖK, which is offered.
    expect(await page.locator('#mail-mention').textContent()).toContain(firstRegNo);

    await page.locator('#mail-list').focus();
    await page.keyboard.press('Alt+e');
    await expect.poll(() => focused('#mail-link-regno')).toBe(true);
    expect(await page.locator('#mail-link-regno').inputValue()).toBe(firstRegNo);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('#mailbox-done').textContent())
      .toContain(`${firstRegNo} numaralı ŞÖK’e eklendi`);
    await expect.poll(() => focused('#mail-list')).toBe(true);

    // The advert: Alt+X, the arrow picks "İstenmeyen e-posta", Enter confirms.
    expect(await page.locator('#mail-detail-subject').textContent()).toBe('Büyük indirim');
    await page.keyboard.press('Alt+x');
    await expect.poll(() => focused('#mail-reason-not-a-request')).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('#mailbox-done').textContent())
      .toContain('İstenmeyen e-posta');
    await page.locator('#mailbox-empty').waitFor();

    const rows = await serverDb
      .selectFrom('mail_item')
      .select(['id', 'state', 'set_aside_reason'])
      .where('id', 'in', [reply, spam])
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, [r.state, r.set_aside_reason]]))).toEqual({
      [reply]: ['linked', null],
      [spam]: ['set_aside', 'spam'],
    });
  });
});
