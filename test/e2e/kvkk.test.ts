import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { istanbulDay } from '../../src/domain/calendar/calendar';
import { subjectRequestDue } from '../../src/domain/kvkk';
import { formatShort, istanbulDayStart } from '../../renderer/src/i18n';
import { apiPost, startApiProcess, type ApiProcess } from './api-process';
import { launchBrowser, startHost, tempDataDir, type RunningHost } from './support';
import { ADMIN, login, syncState } from './ui';

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
});
