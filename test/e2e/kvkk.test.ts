import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { istanbulDay } from '../../src/domain/calendar/calendar';
import { subjectRequestDue } from '../../src/domain/kvkk';
import { formatShort, istanbulDayStart } from '../../renderer/src/i18n';
import { apiPost, startApiProcess, type ApiProcess } from './api-process';
import { launchBrowser, startHost, tempDataDir, type RunningHost } from './support';
import { ADMIN, AGENT, login, syncState } from './ui';

/**
 * Issue #19, end to end: BİKOM's administrator opens the KVKK screen, registers a citizen's
 * request that arrived ten days ago, and sees it in the open requests with its due date (thirty
 * days after it arrived); the access log and the retention schedule are on the same screen.
 */
let api: ApiProcess;
let browser: Browser;
let host: RunningHost;
let page: Page;
const root = tempDataDir();

beforeAll(async () => {
  api = await startApiProcess({ ALO153_SERVER_DB: path.join(root, 'server.sqlite') });
  await apiPost(`${api.url}/setup/admin`, ADMIN);
  browser = await launchBrowser();
  host = await startHost(path.join(root, 'admin'), { ALO153_API_URL: api.url });
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(host.url);
  await login(page, ADMIN);
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await browser?.close();
  await api?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('the KVKK screen', () => {
  it('registers a citizen’s request and lists it with its due date', async () => {
    await syncState(page, 'Çevrimiçi');
    await page.locator('button:text-is("KVKK")').click();
    await page.locator('text=Açık başvuru yok.').waitFor();
    await page.locator('h2:text-is("Saklama süreleri")').waitFor();
    await page.locator('h2:text-is("Kişisel veri erişim kaydı")').waitFor();

    const day = istanbulDay(new Date(Date.now() - 10 * 24 * 3600 * 1000));
    const form = page.locator('form[aria-label="Başvuruyu kaydet"]');
    await form.getByLabel('Başvuru türü').selectOption('erase');
    await form.getByLabel('Telefon').fill('0532 111 22 33');
    await form.getByLabel('Başvuru tarihi').fill(day);
    await form.getByLabel('Not').fill('Dilekçe ile geldi.');
    await form.locator('button[type="submit"]').click();
    await page.locator('text=Başvuru kaydedildi.').waitFor();

    const row = page.locator('table[aria-label="Başvurular (KVKK m. 11)"] tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Silme talebi');
    expect(text).toContain('+905321112233');
    expect(text).toContain('Dilekçe ile geldi.');
    const due = formatShort(subjectRequestDue(new Date(istanbulDayStart(day)!)).toISOString());
    expect(text).toContain(due);
    expect(text).not.toContain('Süresi geçti');

    // The answer's PDF and the access log's CSV come down as files.
    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      row.locator('button:text-is("Yanıt PDF’i")').click(),
    ]);
    expect(pdf.suggestedFilename()).toMatch(/^kvkk-yanit-.*\.pdf$/);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('button:text-is("CSV indir")').click(),
    ]);
    expect(csv.suggestedFilename()).toBe('erisim-kaydi.csv');
  });

  it('corrects, erases with the reason to keep, publishes a text and withdraws consent, by keyboard', async () => {
    // Two ŞÖKs of one citizen, registered by an agent through the API, with the survey consent.
    const token = async (user: { username: string; password: string }, clientId: string) =>
      (
        await apiPost(`${api.url}/auth/login`, {
          username: user.username,
          password: user.password,
          clientId,
        })
      ).accessToken as string;
    const adminToken = await token(ADMIN, 'e2e-kvkk-admin-api');
    await apiPost(
      `${api.url}/admin/users`,
      { ...AGENT, role: 'agent', orgCode: 'bikom' },
      adminToken,
    );
    const agentToken = await token(AGENT, 'e2e-kvkk-agent-api');
    const pushed = await apiPost(
      `${api.url}/sync/push`,
      {
        mutations: ['Görükle', 'Değirmenönü'].map((mahalle, i) => ({
          id: i + 1,
          kind: 'sok.create',
          payload: {
            id: randomUUID(),
            regNo: null,
            typeCode: 'sikayet',
            channelCode: 'telefon',
            topicCode: 'temizlik.cop-toplanmadi',
            districtCode: 'nilufer',
            mahalle,
            address: 'Eski Sokak No 1',
            description: 'Çöp konteyneri boşaltılmadı.',
            citizenName: 'Hasan Yanlış',
            citizenPhone: '+905334445566',
            kvkkNoticeGiven: true,
            smsConsent: true,
            registeredAt: new Date().toISOString(),
          },
        })),
      },
      agentToken,
    );
    expect(JSON.stringify(pushed)).not.toContain('rejected');
    const focused = (selector: string) =>
      page.locator(selector).evaluate((el) => el === el.ownerDocument.activeElement);
    const rows = page.locator('table[aria-label="Başvurular (KVKK m. 11)"] tbody tr');

    // A correction request, registered and worked on with the keyboard alone.
    const form = page.locator('form[aria-label="Başvuruyu kaydet"]');
    await form.getByLabel('Başvuru türü').focus();
    await page.keyboard.press('End'); // the last kind: erase
    await page.keyboard.press('ArrowUp'); // correct
    await form.getByLabel('Telefon').focus();
    await page.keyboard.type('0533 444 55 66');
    await page.keyboard.press('Enter');
    await page.locator('text=Başvuru kaydedildi.').waitFor();
    const correctRow = rows.filter({ hasText: 'Düzeltme talebi' });
    await correctRow.locator('button:text-is("İşle")').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused('#kvkk-work-title')).toBe(true);
    const found = page.locator('table[aria-label="Başvuranın ŞÖK’leri"] tbody tr');
    await expect.poll(() => found.count()).toBe(2);
    expect(await page.locator('.kvkk-work').textContent()).toContain('2 ŞÖK');
    await found.first().locator('button').focus();
    await page.keyboard.press('Enter');
    // The form opens on the name, which is replaced and saved with Enter.
    await expect.poll(() => focused('.kvkk-work form input >> nth=0')).toBe(true);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Hasan Doğru');
    await page.keyboard.press('Enter');
    await page.locator('text=düzeltildi; değişiklik bütün masalara gider').waitFor();
    await expect
      .poll(async () => (await found.allTextContents()).join(' | '))
      .toMatch(/Hasan Doğru.*\| .*Hasan Yanlış|Hasan Yanlış.*\| .*Hasan Doğru/);

    // An erasure request: both ŞÖKs are open, so both are kept, each with the legal reason, and
    // the administrator's own note is recorded on the request.
    await form.getByLabel('Başvuru türü').selectOption('erase');
    await form.getByLabel('Telefon').fill('0533 444 55 66');
    await form.getByLabel('Telefon').press('Enter');
    const eraseRow = rows.filter({ hasText: 'Silme talebi' }).filter({ hasText: '+905334445566' });
    await eraseRow.locator('button:text-is("İşle")').focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Saklama yükümlülüğü (varsa; başvuruya kaydedilir)').focus();
    await page.keyboard.type('Vatandaşın açık başvuruları sürüyor.');
    await page.locator('button:text-is("Sil / anonimleştir")').focus();
    await page.keyboard.press('Enter');
    const kept = page.locator('ul[aria-label="Saklanan ŞÖK’ler ve yasal gerekçeleri"] li');
    await expect.poll(() => kept.count()).toBe(2);
    expect(await kept.first().textContent()).toContain('vatandaşa dönüş');
    const requests = (await (
      await fetch(`${api.url}/kvkk/requests?state=all`, {
        headers: { authorization: `Bearer ${adminToken}` },
      })
    ).json()) as { requests: { kind: string; phone: string; outcome: Record<string, unknown> }[] };
    const byKind = (kind: string) =>
      requests.requests.find((r) => r.kind === kind && r.phone === '+905334445566')?.outcome;
    expect(byKind('erase')).toMatchObject({
      erase: { anonymised: [], reason: 'Vatandaşın açık başvuruları sürüyor.' },
    });
    expect(byKind('correct')).toMatchObject({ corrections: [{ fields: ['citizenName'] }] });

    // A new version of the notice.
    const texts = page.locator('form[aria-label="Yeni sürümü yayımla"]');
    await texts.getByLabel('Yeni sürümün metni').focus();
    await page.keyboard.type(
      'Aydınlatma metninin ikinci sürümü: kişisel verileriniz KVKK kapsamında işlenir.',
    );
    await texts.locator('button[type="submit"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('text=Aydınlatma metni: sürüm 2 yayımlandı.').waitFor();
    await expect
      .poll(() => page.locator('#kvkk-texts-in-force [data-kind="notice"]').textContent())
      .toContain('sürüm 2');

    // The citizen withdraws the survey consent: both ŞÖKs.
    const withdraw = page.locator('form[aria-label="SMS anketi onayını geri al"]');
    await withdraw.getByLabel('Telefon').focus();
    await page.keyboard.type('0533 444 55 66');
    await page.keyboard.press('Enter');
    await page.locator('text=2 ŞÖK’te SMS anketi onayı geri alındı.').waitFor();
  });
});
