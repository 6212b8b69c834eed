import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDb, type ServerDb } from '../../src/server/db/open';
import { MailboxConfigSchema } from '../../src/server/mailbox/config';
import { parseMessage } from '../../src/server/mailbox/parse';
import { takeMessage } from '../../src/server/mailbox/store';
import { apiPost, startApiProcess, type ApiProcess } from './api-process';
import { launchBrowser, startHost, tempDataDir, type RunningHost } from './support';
import { ADMIN, AGENT, login, syncState } from './ui';

/**
 * The E-posta queue on the desk (issue #18, docs/mailbox.md): mail taken into the central API's
 * queue (by the reader's own code, as from IMAP) shows on the agent's "E-posta" screen; the agent
 * registers it as a ŞÖK with the keyboard, the intake form prefilled from the mail, and the ŞÖK
 * reaches the central API with channel e-posta, the mail reserved for it.
 */
let api: ApiProcess;
let browser: Browser;
let host: RunningHost;
let page: Page;
let serverDb: ServerDb;
const root = tempDataDir();
const serverFile = path.join(root, 'server.sqlite');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
let uid = 0;
let firstRegNo = '';

/** A citizen's mail arrives in BİKOM's queue, taken as the IMAP reader takes it. */
async function arrive(from: string, subject: string, text: string): Promise<string> {
  uid += 1;
  const raw = Buffer.from(
    [
      `From: ${from}`,
      'To: alo153@bursa.test',
      `Subject: ${subject}`,
      `Message-ID: <e2e-${uid}-${Date.now()}@ornek.test>`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="S"',
      '',
      '--S',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      text,
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
  const outcome = await takeMessage(serverDb, {
    mailbox: 'alo153',
    orgCode: 'bikom',
    uidValidity: 1,
    uid,
    parsed: await parseMessage(raw, MailboxConfigSchema.parse({})),
    raw,
    now: new Date(),
  });
  if (!outcome.taken) throw new Error('mail not taken');
  return outcome.itemId;
}

const focused = (selector: string) =>
  page.locator(selector).evaluate((el) => el === el.ownerDocument.activeElement);

beforeAll(async () => {
  api = await startApiProcess({ ALO153_SERVER_DB: serverFile, ALO153_MAILBOX_READER: 'false' });
  serverDb = await openServerDb({ sqliteFile: serverFile }, { migrate: false });
  await apiPost(`${api.url}/setup/admin`, ADMIN);
  const adminToken = (
    await apiPost(`${api.url}/auth/login`, {
      username: ADMIN.username,
      password: ADMIN.password,
      clientId: 'e2e-mailbox-admin',
    })
  ).accessToken as string;
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
  fs.rmSync(root, { recursive: true, force: true });
});

describe('the E-posta queue on the desk', () => {
  it('an agent registers a mail as a ŞÖK with the keyboard; the ŞÖK has channel e-posta', async () => {
    const itemId = await arrive(
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

    // The queue no longer offers it.
    await page.locator('nav.tabs button:text-is("E-posta")').click();
    await page.locator('#mailbox-empty').waitFor();
    firstRegNo = regNo;
  });

  it('offers to add a mail naming a registration number to that ŞÖK, and sets one aside with a reason', async () => {
    const reply = await arrive(
      '"Mehmet Kaya" <mehmet.kaya@ornek.test>',
      `Re: Başvurum ${firstRegNo}`,
      'Lamba hâlâ yanmıyor, ilgilenen olmadı.',
    );
    const spam = await arrive(
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
