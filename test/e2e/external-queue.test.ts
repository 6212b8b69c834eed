import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpProcess, type SmtpProcess } from '../support/notifications';
import { apiPost, startApiProcess, type ApiProcess, setUpAdmin } from './api-process';
import { launchBrowser, startHost, tempDataDir, type RunningHost } from './support';
import { AGENT, login, registerByKeyboard, syncState } from './ui';

/**
 * BİKOM's "Dış kurumda" inbox state end to end (docs/mailbox.md "Organisations outside the
 * app"): a BİKOM agent on a browser host routes two ŞÖKs to UEDAŞ (outside the app); both are
 * listed with the organisation and the date sent. The server's request e-mail of the second is
 * then made two weeks old in the central API's database — the API process keeps the real clock,
 * so the test moves the request back rather than the clock forward — and the API's own sweeper
 * (every second here) reminds UEDAŞ over real SMTP and marks the ŞÖK overdue; the desk's list,
 * fed by sync, shows it first and highlighted, and opens it.
 */
const UEDAS_MAILBOX = 'cagri@uedas.test';

let api: ApiProcess;
let smtp: SmtpProcess;
let browser: Browser;
let host: RunningHost;
let agent: Page;
const root = tempDataDir();
const serverDb = path.join(root, 'server.sqlite');

beforeAll(async () => {
  smtp = await startSmtpProcess();
  api = await startApiProcess({
    ALO153_SERVER_DB: serverDb,
    ALO153_SMTP_HOST: smtp.host,
    ALO153_SMTP_PORT: String(smtp.port),
    ALO153_SMTP_FROM: 'Alo 153 <alo153@bursa.example>',
    ALO153_NOTIFY_POLL_SECONDS: '1',
    ALO153_WORKFLOW_SWEEP_SECONDS: '1',
  });
  const adminToken = await setUpAdmin(api.url, 'e2e-external-admin');
  await apiPost(
    `${api.url}/admin/users`,
    { ...AGENT, role: 'agent', orgCode: 'bikom' },
    adminToken,
  );
  const res = await fetch(`${api.url}/admin/organisations/uedas`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ email: UEDAS_MAILBOX }),
  });
  if (!res.ok) throw new Error(`UEDAŞ mailbox: ${res.status} ${await res.text()}`);
  browser = await launchBrowser();
  host = await startHost(path.join(root, 'agent'), { ALO153_API_URL: api.url });
  agent = await browser.newPage({ viewport: { width: 1400, height: 950 } });
  await agent.goto(host.url);
  await login(agent, AGENT);
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await browser?.close();
  await api?.stop();
  await smtp?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Opens the ŞÖK from the search and routes it to UEDAŞ through the detail's route form. */
async function routeToUedas(regNo: string): Promise<void> {
  await agent.fill('#sok-search', regNo);
  await agent.locator('.result').first().click();
  await agent.locator('#sok-detail').waitFor();
  await agent.locator('#sok-detail button:text-is("Yönlendir")').click();
  await agent.locator('#route-targetOrg').click();
  await agent.keyboard.type('UEDAŞ');
  await agent.keyboard.press('Enter');
  await agent.fill('#route-reason', 'Sokak aydınlatması UEDAŞ’ın görevi.');
  await agent.locator('button:text-is("Yönlendirmeyi kaydet")').click();
  await expect
    .poll(() => agent.locator('#sok-detail-timeline').textContent())
    .toContain('Sokak aydınlatması UEDAŞ’ın görevi.');
  await agent.keyboard.press('Escape');
}

/** Makes the external request e-mail of this ŞÖK `days` old in the central API's database. */
function ageRequest(regNo: string, days: number): number {
  const db = new Database(serverDb);
  try {
    db.pragma('busy_timeout = 5000');
    const at = new Date(Date.now() - days * 24 * 3600 * 1000).toISOString();
    return db
      .prepare(
        `UPDATE notification SET created_at = ?
         WHERE purpose = 'external-request' AND sok_id = (SELECT id FROM sok WHERE reg_no = ?)`,
      )
      .run(at, regNo).changes;
  } finally {
    db.close();
  }
}

const row = (regNo: string) => agent.locator('#inbox-external tr', { hasText: regNo });

describe('BİKOM’s list of ŞÖKs waiting for an organisation outside the app', () => {
  it('lists ŞÖKs routed to UEDAŞ, and after the reminder pass shows the late one first as overdue', async () => {
    await syncState(agent, 'Çevrimiçi');
    const first = await registerByKeyboard(agent, {
      phone: '0532 111 22 33',
      name: 'Hatice Yılmaz',
      mahalle: 'Değirmenönü',
      description: 'Sokak lambası bir haftadır yanmıyor.',
    });
    await routeToUedas(first);
    const late = await registerByKeyboard(agent, {
      phone: '0533 444 55 66',
      name: 'Mehmet Kaya',
      mahalle: 'Değirmenönü',
      description: 'Elektrik direği yan yatmış, kablolar sarkıyor.',
    });
    await routeToUedas(late);

    await agent.locator('button:text-is("Gelen ŞÖK’ler")').click();
    await agent.locator('#inbox button:text-is("Dış kurumda")').click();
    await row(late).waitFor({ timeout: 15_000 });
    for (const regNo of [first, late]) {
      const text = await row(regNo).textContent();
      expect(text).toContain('UEDAŞ');
      expect(text).toContain('Bekleniyor');
    }
    // Both waiting: the first sent comes first.
    const order = () =>
      agent
        .locator('#inbox-external tbody tr .reg-no')
        .evaluateAll((els) => els.map((e) => e.textContent?.trim() ?? ''));
    expect(await order()).toEqual([first, late]);

    // The request reached the server (synced), and is made two weeks old there.
    await expect.poll(() => ageRequest(late, 14), { timeout: 15_000 }).toBe(1);
    // The API's sweeper reminds UEDAŞ over SMTP …
    await expect
      .poll(
        async () =>
          (await smtp.messages())
            .filter((m) => m.envelope.to.includes(UEDAS_MAILBOX))
            .map((m) => m.mail.subject ?? '')
            .filter((s) => s.includes(late)).length,
        { timeout: 20_000 },
      )
      .toBe(2); // the request and the reminder
    // … and the desk, by sync alone, shows the ŞÖK overdue, first and highlighted.
    await expect
      .poll(() => row(late).getAttribute('data-overdue'), { timeout: 20_000 })
      .toBe('true');
    expect(await row(late).textContent()).toContain('Süresi geçti');
    expect(await row(first).getAttribute('data-overdue')).toBe('false');
    expect(await order()).toEqual([late, first]);

    // From there BİKOM opens the ŞÖK: the timeline says the organisation did not answer.
    await row(late).locator('.reg-no').click();
    await expect
      .poll(() => agent.locator('#sok-detail-timeline').textContent())
      .toContain('Kurum süresinde yanıt vermedi');

    // UEDAŞ answers (by phone or e-mail): BİKOM records its decision where the ŞÖK stands and
    // gets the callback script; the ŞÖK leaves the list.
    await agent.locator('button:text-is("Karar ver")').click();
    await agent.selectOption('#wf-kind', 'already-done');
    await agent.fill('#wf-explanation', 'UEDAŞ ekibi direği yeniledi, kablolar toplandı.');
    await agent.locator('button:text-is("Kararı kaydet")').click();
    await agent.locator('#wf-script').waitFor();
    expect(await agent.locator('#wf-script').textContent()).toContain(late);
    await agent.keyboard.press('Escape');
    await row(late).waitFor({ state: 'detached', timeout: 15_000 });
    expect(await order()).toEqual([first]);
  });
});
