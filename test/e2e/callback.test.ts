import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpProcess, type SmtpProcess } from '../support/notifications';
import { startSmsCapture, type SmsCapture } from '../support/sms-capture';
import { apiPost, startApiProcess, type ApiProcess, setUpAdmin } from './api-process';
import { launchBrowser, startHost, tempDataDir, type RunningHost } from './support';
import { ADMIN, AGENT, login, registerByKeyboard, syncState } from './ui';

/**
 * The mandated callback end to end, with two browser hosts (a BİKOM agent and Yıldırım's district
 * desk), one central API in its own process, a real SMTP server and the SMS provider's capture
 * server: register → routed → the desk sees it live and accepts → decision → attempts → the
 * citizen informed (or, after three unanswered calls, the decision by SMS) → BİKOM's mailbox gets
 * the outcome. Calling hours are opened to the whole day so the test runs at any hour.
 */
const DESK = { username: 'masa1', displayName: 'Deniz Masa', password: 'masa-parola-2026' };
const BIKOM_MAILBOX = 'bikom-geriarama@alo153.test';

let api: ApiProcess;
let smtp: SmtpProcess;
let sms: SmsCapture;
let browser: Browser;
const hosts: RunningHost[] = [];
let agent: Page;
let desk: Page;
const root = tempDataDir();

async function put(url: string, body: unknown, token: string): Promise<void> {
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  [smtp, sms] = await Promise.all([startSmtpProcess(), startSmsCapture()]);
  api = await startApiProcess({
    ALO153_SERVER_DB: path.join(root, 'server.sqlite'),
    ALO153_SMTP_HOST: smtp.host,
    ALO153_SMTP_PORT: String(smtp.port),
    ALO153_SMTP_FROM: 'Alo 153 <alo153@bursa.example>',
    ALO153_SMS_URL: sms.url,
    ALO153_SMS_SENDER: 'ALO 153',
    ALO153_NOTIFY_POLL_SECONDS: '1',
    ALO153_CALLBACK_MIN_INTERVAL_MINUTES: '0',
    ALO153_CALLING_HOURS: '00:00-24:00',
    ALO153_CALL_ON_HOLIDAYS: 'true',
  });
  const adminToken = await setUpAdmin(api.url, 'e2e-callback-admin');
  await apiPost(
    `${api.url}/admin/users`,
    { ...AGENT, role: 'agent', orgCode: 'bikom' },
    adminToken,
  );
  await apiPost(
    `${api.url}/admin/users`,
    { ...DESK, role: 'desk', orgCode: 'ilce.yildirim' },
    adminToken,
  );
  await put(`${api.url}/admin/organisations/bikom`, { email: BIKOM_MAILBOX }, adminToken);
  browser = await launchBrowser();
  const a = await startHost(path.join(root, 'agent'), { ALO153_API_URL: api.url });
  const b = await startHost(path.join(root, 'desk'), { ALO153_API_URL: api.url });
  hosts.push(a, b);
  agent = await browser.newPage({ viewport: { width: 1400, height: 950 } });
  desk = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await agent.goto(a.url);
  await desk.goto(b.url);
  await login(agent, AGENT);
  await login(desk, DESK);
}, 120_000);

/** Both desks online (expect.poll may only run inside a test). */
async function online(): Promise<void> {
  await syncState(agent, 'Çevrimiçi');
  await syncState(desk, 'Çevrimiçi');
}

afterAll(async () => {
  for (const h of hosts) await h.stop();
  await browser?.close();
  await api?.stop();
  await Promise.all([smtp?.stop(), sms?.close()]);
  fs.rmSync(root, { recursive: true, force: true });
});

/** The desk's inbox shows the ŞÖK by itself; open it. */
async function openFromInbox(regNo: string): Promise<void> {
  await desk.locator('button:text-is("Gelen ŞÖK’ler")').click();
  const link = desk.locator('#inbox button.link', { hasText: regNo });
  await link.waitFor({ timeout: 15_000 });
  await link.click();
  await desk.locator('#sok-workflow').waitFor();
}

/** Mails to BİKOM's mailbox (not the citizen's receipts). */
async function bikomMails() {
  return (await smtp.messages()).filter((m) => m.envelope.to.includes(BIKOM_MAILBOX));
}

describe('the mandated callback, BİKOM agent and district desk', () => {
  it('three unanswered calls: the decision goes by SMS, the ŞÖK closes as unreachable, BİKOM gets the e-mail', async () => {
    await online();
    const regNo = await registerByKeyboard(agent, {
      phone: '0532 444 55 66',
      name: 'Hatice Yılmaz',
      mahalle: 'Değirmenönü',
    });
    await openFromInbox(regNo);
    await desk.locator('button:text-is("Değerlendirmeye al")').click();
    await expect
      .poll(() => desk.locator('#sok-detail .detail-tags').textContent())
      .toContain('Birimce kabul edildi');

    await desk.locator('button:text-is("Karar ver")').click();
    await desk.selectOption('#wf-kind', 'wont-do');
    await desk.selectOption('#wf-reason', 'private');
    await desk.fill(
      '#wf-explanation',
      'Konteyner site yönetiminin özel alanında; boşaltma site yönetiminin sorumluluğunda.',
    );
    await desk.locator('button:text-is("Kararı kaydet")').click();
    await desk.locator('#wf-script').waitFor();
    expect(await desk.locator('#wf-script').textContent()).toContain(regNo);
    expect(await desk.locator('#wf-due').textContent()).toMatch(/iş günü|bugün/);

    await desk.locator('#wf-callback button:text-is("Üstlen")').click();
    await expect.poll(() => desk.locator('#wf-claim').textContent()).toContain('Sizde');
    for (let i = 1; i <= 3; i += 1) {
      await desk.selectOption('#wf-outcome', 'no-answer');
      await desk.locator('button:text-is("Aramayı kaydet")').click();
      if (i < 3) {
        await expect
          .poll(() => desk.locator('#wf-callback').textContent())
          .toContain(`${i}/3 arama`);
      }
    }
    await expect
      .poll(() => desk.locator('#wf-callback-state').textContent(), { timeout: 10_000 })
      .toContain('Ulaşılamadı');
    expect(await desk.locator('#sok-detail .detail-tags').textContent()).toContain('Kapatıldı');

    // The decision reached the citizen's phone through the SMS provider …
    await expect
      .poll(
        () =>
          sms
            .accepted()
            .map((r) => r.fields.message ?? JSON.stringify(r.fields))
            .join('\n'),
        { timeout: 20_000 },
      )
      .toMatch(new RegExp(`${regNo}[\\s\\S]*ulaşamadık[\\s\\S]*site yönetiminin`));
    // … and BİKOM's mailbox got the outcome over real SMTP.
    await expect.poll(async () => (await bikomMails()).length, { timeout: 20_000 }).toBe(1);
    const [mail] = await bikomMails();
    expect(mail?.mail.subject).toContain(regNo);
    expect(mail?.mail.text).toContain('3 denemede ulaşılamadı');

    // The agent's desk sees the loop closed without a reload.
    await agent.fill('#sok-search', regNo);
    await agent.locator('.result').first().click();
    await expect
      .poll(() => agent.locator('#wf-callback-state').textContent(), { timeout: 15_000 })
      .toContain('Ulaşılamadı');
    await agent.keyboard.press('Escape');
    await desk.keyboard.press('Escape');
  });

  it('the happy path: the citizen is reached and told when it will be done; BİKOM is informed', async () => {
    await online();
    const regNo = await registerByKeyboard(agent, {
      phone: '0533 222 33 44',
      name: 'Mehmet Kaya',
      mahalle: 'Değirmenönü',
      description: 'Sokaktaki konteynerler iki gündür boşaltılmadı.',
    });
    await openFromInbox(regNo);
    await desk.locator('button:text-is("Karar ver")').click();
    const planned = new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    await desk.selectOption('#wf-kind', 'will-do');
    await desk.fill('#wf-planned', planned);
    await desk.fill('#wf-explanation', 'Temizlik ekibi programa aldı.');
    await desk.locator('button:text-is("Kararı kaydet")').click();
    await desk.locator('#wf-attempt').waitFor();
    await desk.selectOption('#wf-outcome', 'reached');
    await desk.fill('#wf-note', 'Vatandaşa tarih verildi, teşekkür etti.');
    await desk.locator('button:text-is("Aramayı kaydet")').click();
    await expect
      .poll(() => desk.locator('#wf-callback-state').textContent(), { timeout: 10_000 })
      .toContain('Tamamlandı');
    expect(await desk.locator('#sok-detail .detail-tags').textContent()).toContain(
      'Vatandaşa bilgi verildi',
    );
    await expect.poll(async () => (await bikomMails()).length, { timeout: 20_000 }).toBe(2);
    const mail = (await bikomMails())[1];
    expect(mail?.mail.subject).toContain(regNo);
    expect(mail?.mail.text).toContain('telefonla ulaşıldı');
    const [y, m, d] = planned.split('-');
    expect(mail?.mail.text).toContain(`${d}.${m}.${y}`);

    // The callback is in the desk's queue as done; the open queue no longer holds it.
    await desk.keyboard.press('Escape');
    await desk.locator('button:text-is("Geri aramalar")').click();
    await desk.locator('#callback-queue').waitFor();
    await expect.poll(() => desk.locator('#callback-queue').textContent()).not.toContain(regNo);
    await desk.selectOption('#cb-state', 'done');
    await expect.poll(() => desk.locator('#callback-queue').textContent()).toContain(regNo);
  });
});

describe('the administrator’s workflow settings', () => {
  it('declares an idari izin day and an organisation mailbox from the app', async () => {
    const host = await startHost(path.join(root, 'admin'), { ALO153_API_URL: api.url });
    hosts.push(host);
    const page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
    await page.goto(host.url);
    await login(page, ADMIN);
    await page.locator('button:text-is("Takvim ve kurumlar")').click();
    await page.locator('#admin-days-off').waitFor();
    await page.fill('#dayoff-date', '2026-12-31');
    await page.selectOption('#dayoff-kind', 'full');
    await page.fill('#dayoff-note', 'Yılbaşı öncesi idari izin (genelge)');
    await page.locator('#admin-days-off button:text-is("Ekle")').click();
    await expect.poll(() => page.locator('#admin-days-off').textContent()).toContain('31.12.2026');
    // A note too short is refused with the reason, and nothing is saved.
    await page.fill('#dayoff-date', '2027-01-04');
    await page.fill('#dayoff-note', 'x');
    await page.locator('#admin-days-off button:text-is("Ekle")').click();
    await page.locator('#admin-days-off .form-error').waitFor();
    expect(await page.locator('#admin-days-off tbody tr').count()).toBe(1);

    await page.getByLabel('Yıldırım Belediyesi e-posta adresi').fill('masa@yildirim.test');
    await page
      .locator('#admin-mailboxes tr', { hasText: 'Yıldırım Belediyesi' })
      .locator('button:text-is("Kaydet")')
      .click();
    await expect
      .poll(() => page.locator('#admin-mailboxes').textContent())
      .toContain('e-posta adresi kaydedildi');

    const token = (
      await apiPost(`${api.url}/auth/login`, {
        username: ADMIN.username,
        password: ADMIN.password,
        clientId: 'e2e-callback-admin-check',
      })
    ).accessToken as string;
    const settings = (await (
      await fetch(`${api.url}/workflow/settings`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { calendar: { daysOff: { date: string }[] } };
    expect(settings.calendar.daysOff.map((d) => d.date)).toEqual(['2026-12-31']);
  });
});
