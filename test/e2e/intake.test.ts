import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpProcess, type SmtpProcess } from '../support/notifications';
import { startSmsCapture, type SmsCapture } from '../support/sms-capture';
import { apiPost, startApiProcess, type ApiProcess, setUpAdmin } from './api-process';
import { launchBrowser, startHost, tempDataDir, type RunningHost } from './support';
import { AGENT, login, registerByKeyboard, syncState } from './ui';

/**
 * An agent registers ŞÖKs during calls with the keyboard alone, online and with the central API
 * down; the citizen's receipt reaches the real SMTP server and the SMS provider (capture server)
 * once the ŞÖK is on the server; routing is suggested and can be overridden; the web form posts
 * through Open311; bad input is refused with clear messages.
 */
let api: ApiProcess;
let smtp: SmtpProcess;
let sms: SmsCapture;
let browser: Browser;
let host: RunningHost;
let page: Page;
let adminToken: string;
const root = tempDataDir();

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
  });
  adminToken = await setUpAdmin(api.url, 'e2e-intake-admin');
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
  await api?.stop();
  await Promise.all([smtp?.stop(), sms?.close()]);
  fs.rmSync(root, { recursive: true, force: true });
});

describe('ŞÖK intake in the browser host', () => {
  it('registers a ŞÖK with the keyboard alone; the routing suggestion is used and the receipt reaches the citizen', async () => {
    await login(page, AGENT);
    await syncState(page, 'Çevrimiçi');
    const regNo = await registerByKeyboard(page, {
      phone: '0532 111 22 33',
      name: 'Ayşe Işık',
      email: 'ayse@ornek.com.tr',
      mahalle: 'Değirmenönü',
    });
    expect(regNo).toMatch(/\d{4}-\d{4}/);
    expect(await page.locator('#receipt-target').textContent()).toContain('Yıldırım Belediyesi');
    expect(await page.locator('#receipt-script').textContent()).toContain(regNo);

    const [mail] = await smtp.waitForMessages(1, 15_000);
    expect(mail?.subject).toContain(regNo);
    expect(mail?.to && JSON.stringify(mail.to)).toContain('ayse@ornek.com.tr');
    const [text] = await sms.waitForRequests(1, 15_000);
    expect(JSON.stringify(text?.fields)).toContain(regNo);

    // The delivery state reaches the desk by itself (the API tells the desk that something
    // changed) and shows on the open ŞÖK, without "Şimdi eşitle".
    await page.fill('#sok-search', regNo);
    await page.locator('.result').first().click();
    await page.locator('#sok-detail').waitFor();
    await expect
      .poll(
        () =>
          page
            .locator('#sok-detail-receipts')
            .textContent({ timeout: 500 })
            .catch(() => ''),
        { timeout: 20_000 },
      )
      .toMatch(
        /SMS.*gönderildi[\s\S]*E-posta.*gönderildi|E-posta.*gönderildi[\s\S]*SMS.*gönderildi/,
      );
    await page.keyboard.press('Escape');
  });

  it('shows where the ŞÖK will go and lets the agent send it elsewhere with a reason', async () => {
    await page.keyboard.press('Alt+y');
    await page.locator('#sok-topicCode').click();
    await page.keyboard.type('cukur');
    await page.keyboard.press('Enter');
    await page.locator('#sok-districtCode').click();
    await page.keyboard.type('nilufer');
    await page.keyboard.press('Enter');
    await page.fill('#sok-address', 'Fatih Sultan Mehmet Bulvarı');
    await expect
      .poll(() => page.locator('#route-suggestion').textContent())
      .toContain('Fen İşleri');
    await page.fill('#sok-address', 'Lale Sokak 4');
    await expect
      .poll(() => page.locator('#route-suggestion').textContent())
      .toContain('Nilüfer Belediyesi');

    await page.locator('#sok-typeCode').click();
    await page.keyboard.type('Şikayet');
    await page.keyboard.press('Enter');
    await page.fill('#sok-description', 'Yolda derin bir çukur var, araçlar zarar görüyor.');
    await page.fill('#sok-citizenName', 'Mehmet Kaya');
    await page.fill('#sok-citizenPhone', '0541 222 33 44');
    await page.locator('button:text-is("Başka bir kuruma gönder")').click();
    await page.locator('#sok-targetOrg').click();
    await page.keyboard.type('Fen İşleri');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(() => page.locator('#sok-routeReason-error').textContent())
      .toContain('nedenini');
    await page.fill(
      '#sok-routeReason',
      'Sokak aslında bulvarın servis yolu, büyükşehirin sorumluluğunda.',
    );
    await page.keyboard.press('Control+Enter');
    await page.locator('#receipt-regNo').waitFor();
    await expect.poll(() => page.locator('#receipt-target').textContent()).toContain('Fen İşleri');
  });

  it('gives the number at once with the central API down, and sends the receipt after sync', async () => {
    const mailsBefore = (await smtp.messages()).length;
    await api.stop();
    await syncState(page, 'Çevrimdışı');
    await page.keyboard.press('Alt+y');
    const regNo = await registerByKeyboard(page, {
      phone: '0533 444 55 66',
      name: 'Zeynep Çelik',
      email: 'zeynep@ornek.com.tr',
      mahalle: 'Mimarsinan',
    });
    expect(regNo).toMatch(/\d{4}-\d{4}/);
    await new Promise((r) => setTimeout(r, 500));
    expect(await smtp.messages()).toHaveLength(mailsBefore);

    await api.restart();
    await syncState(page, 'Çevrimiçi');
    const mails = await smtp.waitForMessages(mailsBefore + 1, 20_000);
    expect(mails.some((m) => (m.subject ?? '').includes(regNo))).toBe(true);
  });

  it('refuses bad input with Turkish messages and saves nothing', async () => {
    const before = await fetch(`${api.url}/sync/pull?cursor=0&limit=5000`, {
      headers: { authorization: `Bearer ${adminToken}` },
    }).then((r) => r.json() as Promise<{ changes: { op: string }[] }>);
    await page.keyboard.press('Alt+y');
    await page.fill('#sok-citizenPhone', '0532 12');
    await page.fill('#sok-description', 'x'.repeat(5000));
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(() => page.locator('#sok-citizenPhone-error').textContent())
      .toBe('Telefon numarası geçerli değil. Örnek: 0532 123 45 67');
    expect(await page.locator('#sok-description-error').textContent()).toBe(
      'En fazla 4000 karakter olabilir.',
    );
    await page.fill('#sok-description', '');
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(() => page.locator('#sok-description-error').textContent())
      .toBe('Bu alan zorunludur.');
    const after = await fetch(`${api.url}/sync/pull?cursor=0&limit=5000`, {
      headers: { authorization: `Bearer ${adminToken}` },
    }).then((r) => r.json() as Promise<{ changes: { op: string }[] }>);
    expect(after.changes.filter((c) => c.op === 'upsert')).toHaveLength(
      before.changes.filter((c) => c.op === 'upsert').length,
    );
  });

  it('takes a web-form request through Open311 into the call centre queue, readable in XML and JSON', async () => {
    const serviceUser = (await apiPost(
      `${api.url}/admin/users`,
      {
        username: 'web-form',
        displayName: 'Web formu',
        password: 'web-formu-parola-2026',
        role: 'agent',
        orgCode: 'bikom',
      },
      adminToken,
    )) as { user: { id: string } };
    const key = (await apiPost(
      `${api.url}/admin/api-keys`,
      { name: 'Web formu', actingUserId: serviceUser.user.id },
      adminToken,
    )) as {
      key: string;
    };
    const form = new URLSearchParams({
      api_key: key.key,
      service_code: 'temizlik.cop-toplanmadi',
      address_string: 'Osmangazi, Çekirge Caddesi No: 10',
      description: 'Web formundan: çöpler iki gündür toplanmadı.',
      first_name: 'Elif',
      last_name: 'Aydın',
      phone: '0535 987 65 43',
    });
    const posted = await fetch(`${api.url}/open311/v2/requests.json`, {
      method: 'POST',
      body: form,
    });
    expect(posted.status).toBe(201);
    const [created] = (await posted.json()) as { service_request_id: string }[];
    const id = created?.service_request_id ?? '';
    expect(id).toMatch(/\d{4}-\d{4}/);

    const json = (await (
      await fetch(`${api.url}/open311/v2/requests/${id}.json`)
    ).json()) as Record<string, unknown>[];
    expect(json[0]).toMatchObject({
      service_request_id: id,
      service_code: 'temizlik.cop-toplanmadi',
      status: 'open',
    });
    expect(JSON.stringify(json)).not.toContain('Elif');
    const xml = await (await fetch(`${api.url}/open311/v2/requests/${id}.xml`)).text();
    expect(xml).toContain(`<service_request_id>${id}</service_request_id>`);
    expect(xml).toContain('Osmangazi Belediyesi');

    // It is in the call centre's queue: the agent finds it by its number.
    await page.fill('#sok-search', id);
    await expect
      .poll(() => page.locator('.result').allTextContents(), { timeout: 15_000 })
      .toEqual([expect.stringContaining('Elif Aydın')]);

    const bad = await fetch(`${api.url}/open311/v2/requests.json`, {
      method: 'POST',
      body: new URLSearchParams({
        api_key: 'a153k_wrong',
        service_code: 'temizlik.cop-toplanmadi',
        address_string: 'Osmangazi',
      }),
    });
    expect(bad.status).toBe(403);
    // Over the spec's 4000 characters: refused with the reason (the 10 MB body is refused with
    // 413 before it is read: src/server/open311/requests.test.ts).
    const long = await fetch(`${api.url}/open311/v2/requests.json`, {
      method: 'POST',
      body: new URLSearchParams({
        api_key: key.key,
        service_code: 'temizlik.cop-toplanmadi',
        address_string: 'Osmangazi',
        description: 'x'.repeat(5000),
      }),
    });
    expect(long.status).toBe(400);
    expect(JSON.stringify(await long.json())).toContain('description');
    const unknown = await fetch(`${api.url}/open311/v2/requests.json`, {
      method: 'POST',
      body: new URLSearchParams({
        api_key: key.key,
        service_code: 'yok.boyle',
        address_string: 'Osmangazi',
        description: 'Bilinmeyen hizmet kodu denemesi.',
      }),
    });
    expect(unknown.status).toBe(400);
  });
});
