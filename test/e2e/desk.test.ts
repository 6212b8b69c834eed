import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPost, startApiProcess, type ApiProcess, setUpAdmin } from './api-process';
import { launchBrowser, repoRoot, startHost, tempDataDir, type RunningHost } from './support';
import { AGENT, deskBridge, login, logout, registerByKeyboard, syncState } from './ui';

/**
 * The desk as agents live in it, at the screen sizes of the municipality's PCs: signing in while
 * the central API is down, the phone dock beside (never over) the work, the ŞÖK detail in two
 * columns, joining a repeat caller to the open ŞÖK by keyboard, topic search and Turkish order,
 * and the small things (registration numbers, errors) of the callback forms.
 */
const DESK = { username: 'masa1', displayName: 'Deniz Masa', password: 'masa-parola-2026' };
const SCREENSHOTS = path.join(repoRoot, 'docs', 'screenshots');

let api: ApiProcess;
let browser: Browser;
let host: RunningHost;
let page: Page;
const root = tempDataDir();
/** BİKOM's mailbox: the desk's hand-off e-mail (decision told to the citizen) goes here. */
const BIKOM_MAILBOX = 'bikom-masa@bursa.example';

async function put(url: string, body: unknown, token: string): Promise<void> {
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  api = await startApiProcess({
    ALO153_SERVER_DB: path.join(root, 'server.sqlite'),
    ALO153_CALLING_HOURS: '00:00-24:00',
    ALO153_CALL_ON_HOLIDAYS: 'true',
    // The desk calls the citizen twice in a row (unanswered, then reached): no hour between.
    ALO153_CALLBACK_MIN_INTERVAL_MINUTES: '0',
  });
  const adminToken = await setUpAdmin(api.url, 'e2e-desk-admin');
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
  host = await startHost(path.join(root, 'desk'), { ALO153_API_URL: api.url });
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(host.url);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await browser?.close();
  await api?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

type Box = { x: number; y: number; width: number; height: number };
async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not on screen');
  return b;
}
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * What of the intake form spills out of its panel: every visible label and control must lie
 * inside the panel, no field row may scroll sideways, and each select must be wide enough for its
 * chosen option's text (a clipped "Telefon (Alo 153)" reads as another channel).
 */
async function intakeFormSpills(p: Page): Promise<string[]> {
  return p.locator('form.sok-form').evaluate((form) => {
    type El = {
      id: string;
      tagName: string;
      textContent: string | null;
      scrollWidth: number;
      clientWidth: number;
      closest(s: string): El | null;
      querySelectorAll(s: string): Iterable<El>;
      getBoundingClientRect(): { left: number; right: number; width: number; height: number };
      selectedOptions?: Iterable<El>;
    };
    const g = globalThis as unknown as {
      getComputedStyle(e: El): { font: string; paddingLeft: string; paddingRight: string };
      document: { createElement(t: string): { getContext(c: string): unknown } };
    };
    const f = form as unknown as El;
    const panel = f.closest('.panel')!.getBoundingClientRect();
    const name = (el: El) =>
      `${el.tagName.toLowerCase()}#${el.id} "${(el.textContent ?? '').trim().slice(0, 20)}"`;
    const spills: string[] = [];
    for (const el of f.querySelectorAll('label, input, select, textarea, .radio-row')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < panel.left - 0.5 || r.right > panel.right + 0.5)
        spills.push(`outside: ${name(el)}`);
    }
    for (const row of f.querySelectorAll('.row, .radio-row, .field')) {
      if (row.scrollWidth > row.clientWidth + 1) spills.push(`scrolls: ${name(row)}`);
    }
    const ctx = g.document.createElement('canvas').getContext('2d') as {
      font: string;
      measureText(t: string): { width: number };
    };
    for (const select of f.querySelectorAll('select')) {
      const style = g.getComputedStyle(select);
      ctx.font = style.font;
      const text = [...(select.selectedOptions ?? [])].map((o) => o.textContent ?? '').join('');
      // Room for the text, the padding and the arrow (about 20 px in Chromium).
      const needed =
        ctx.measureText(text).width +
        parseFloat(style.paddingLeft) +
        parseFloat(style.paddingRight) +
        20;
      if (select.clientWidth < needed) spills.push(`clipped: ${name(select)} ${text}`);
    }
    return spills;
  });
}

/**
 * Waits until the desk is online with nothing left to send, clicking "Şimdi eşitle" while it is
 * not. The state is read before the click: read right after one, it would show the run that
 * click started ("Eşitleniyor…") rather than where the desk stands.
 */
async function syncedOnline(): Promise<void> {
  await expect
    .poll(
      async () => {
        const state = `${await page.locator('#sync-state').textContent()} ${await page.locator('#sync-pending').textContent()}`;
        if (state !== 'Çevrimiçi 0') {
          await page
            .locator('button:text-is("Şimdi eşitle")')
            .click({ timeout: 1000 })
            .catch(() => undefined);
        }
        return state;
      },
      { timeout: 40_000, interval: 1000 },
    )
    .toBe('Çevrimiçi 0');
}

describe('the desk as agents live in it (1366×768)', () => {
  it('signs in while the central API is down, registers a ŞÖK, and syncs it when the API is back', async () => {
    await login(page, AGENT);
    await syncState(page, 'Çevrimiçi');
    await logout(page);
    await api.stop();

    await login(page, AGENT);
    expect(await page.locator('#current-user').textContent()).toContain(AGENT.displayName);
    await syncState(page, 'Çevrimdışı');
    const regNo = await registerByKeyboard(page, {
      phone: '0532 700 00 01',
      name: 'Kemal Çevrimdışı',
      mahalle: 'Değirmenönü',
    });
    expect(regNo).toMatch(/\d{4}-\d{4}/);
    expect(Number(await page.locator('#sync-pending').textContent())).toBeGreaterThan(0);

    await api.restart();
    await syncedOnline();
    // The session is an online one now: no password typed again.
    expect(await deskBridge(page, 'auth.status', {})).toMatchObject({ offline: false });
  });

  it('"kaldırım" + Tab files the broken pavement; districts run in Turkish order; no rule codes', async () => {
    await page.keyboard.press('Alt+y');
    await page.locator('#sok-topicCode').click();
    await page.keyboard.type('kaldırım');
    await page.keyboard.press('Tab');
    expect(await page.locator('#sok-topicCode').inputValue()).toBe(
      'Yol / Asfalt / Kaldırım › Kırık / bozuk kaldırım',
    );

    // Tab has moved to the district, whose list opens on focus.
    await page.locator('#sok-districtCode').focus();
    await page.locator('.combo-menu.open .combo-item').first().waitFor();
    const names = (await page.locator('.combo-menu.open .combo-item').allTextContents()).map((t) =>
      t.trim(),
    );
    expect(names.indexOf('İnegöl')).toBe(names.indexOf('Harmancık') + 1);
    expect(names.indexOf('İznik')).toBe(names.indexOf('İnegöl') + 1);
    expect(names.at(-1)).toBe('Yıldırım');
    await page.keyboard.type('nilufer');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('#route-suggestion').textContent())
      .toContain('Gönderilecek');
    const why = (await page.locator('#route-explanation').textContent()) ?? '';
    expect(why).toContain('Kırık / bozuk kaldırım');
    // Internal codes such as yol.kaldirim or aydinlatma.sokak-lambasi are not for agents.
    expect(why).not.toMatch(/[a-z-]+\.[a-z-]+/);
    await page.keyboard.press('Alt+y');
  });

  it('offers the open ŞÖK in the form, where the agent is typing, and Alt+M adds the call to it', async () => {
    const regNo = await registerByKeyboard(page, {
      phone: '0532 700 00 02',
      name: 'Ayla Tekrar',
      mahalle: 'Mimarsinan',
    });
    await page.keyboard.press('Alt+y');
    await page.locator('#sok-topicCode').click();
    await page.keyboard.type('cop toplanmadi');
    await page.keyboard.press('Tab');
    await page.locator('#sok-districtCode').click();
    await page.keyboard.type('yildirim');
    await page.keyboard.press('Tab');
    await page.locator('#sok-mahalle').fill('Mimarsinan');
    await page.locator('#sok-citizenName').fill('Ayla Tekrar');
    await page.locator('#sok-citizenPhone').click();
    await page.keyboard.type('0532 700 00 02');
    const offer = page.locator('#duplicate-offer');
    await offer.waitFor({ timeout: 10_000 });
    expect(await offer.textContent()).toContain(regNo);
    // Right under the phone number just typed, in view; its button is the next Tab.
    const phone = await box(page.locator('#sok-citizenPhone'));
    const offered = await box(offer);
    expect(offered.y).toBeGreaterThan(phone.y);
    expect(offered.y - (phone.y + phone.height)).toBeLessThan(80);
    expect(offered.y + offered.height).toBeLessThan(768);
    await page.keyboard.press('Alt+m');
    await page.locator('#contact-added-regNo').waitFor();
    expect(await page.locator('#contact-added-regNo').textContent()).toContain(regNo);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desk-agent-screen.png') });
  });

  it('shows the ŞÖK detail in two columns with its timeline in view at once', async () => {
    await page.fill('#sok-search', 'Ayla Tekrar');
    await page.locator('.result').first().click();
    await page.locator('#sok-detail').waitFor();
    const facts = await box(page.locator('#sok-detail-facts'));
    const timeline = await box(page.locator('#sok-detail-timeline'));
    expect(timeline.x).toBeGreaterThanOrEqual(facts.x + facts.width);
    // The routing event says why in words; rule ids and codes are for administrators.
    const timelineText = (await page.locator('#sok-detail-timeline').textContent()) ?? '';
    expect(timelineText).toContain('Yıldırım Belediyesi');
    expect(timelineText).not.toMatch(/Kural|temizlik-ilce|konu temizlik/);
    const lastEvent = await box(page.locator('#sok-detail-timeline .timeline-item').last());
    expect(lastEvent.y + lastEvent.height).toBeLessThanOrEqual(768);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desk-sok-detail.png') });
    await page.keyboard.press('Escape');
    await page.locator('#sok-detail').waitFor({ state: 'detached' });
  });

  it('gives the phone dock its own column: nothing overlaps at 1366×768 and 1920×1080', async () => {
    // A phone whose exchange cannot be reached: the dial pad shows, with a SIP error.
    await deskBridge(page, 'phone.settings.save', {
      settings: { server: 'wss://127.0.0.1:9/ws', sipUser: '1001', iceServers: [] },
      password: 'sip-parola',
    });
    await page.reload();
    await page.locator('#current-user').waitFor();
    await page.locator('.phone-dock .softphone').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desk-agent-screen-phone.png') });
    for (const viewport of [
      { width: 1366, height: 768 },
      { width: 1920, height: 1080 },
    ]) {
      await page.setViewportSize(viewport);
      await page.fill('#sok-search', 'Tekrar');
      await page.locator('.result').first().waitFor();
      const dock = await box(page.locator('.phone-dock'));
      for (const selector of ['main.workspace', '#sok-search', '.result', '#caller-context']) {
        const content = await box(page.locator(selector).first());
        expect(overlaps(dock, content), `${selector} at ${viewport.width}`).toBe(false);
      }
      // The header keeps to its two rows, whatever the phone says.
      const header = await box(page.locator('.app-header'));
      expect(overlaps(dock, header)).toBe(false);
      const bar = await box(page.locator('.header-bar'));
      const tab = await box(page.locator('button.tab').first());
      expect(bar.height).toBeLessThan(tab.height * 1.8);
      // Beside the dock the intake form is narrower, yet nothing in it spills or is clipped.
      expect(await intakeFormSpills(page), `form at ${viewport.width}`).toEqual([]);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desk-agent-screen-phone.png') });
    await page.fill('#sok-search', '');
  });

  it('callback forms: one error shown once and gone when fixed; registration numbers on one line', async () => {
    await logout(page);
    await login(page, DESK);
    await syncState(page, 'Çevrimiçi');
    const regNo = await registerByKeyboard(page, {
      phone: '0532 700 00 03',
      name: 'Selim Masa',
      mahalle: 'Değirmenönü',
    });
    await page.fill('#sok-search', regNo);
    await page.locator('.result').first().click();
    await page.locator('#sok-workflow').waitFor();
    await page.locator('button:text-is("Değerlendirmeye al")').click({ timeout: 10_000 });
    await page.locator('button:text-is("Karar ver")').click({ timeout: 10_000 });
    await page.selectOption('#wf-kind', 'wont-do');
    await page.selectOption('#wf-reason', 'private');
    await page.fill('#wf-explanation', 'Konteyner sitenin özel alanında; site yönetimi boşaltır.');
    await page.locator('button:text-is("Kararı kaydet")').click();
    await page.locator('#wf-callback button:text-is("Üstlen")').click({ timeout: 10_000 });
    await page.locator('#wf-attempt').waitFor({ timeout: 10_000 });
    await page.selectOption('#wf-outcome', 'reached');
    await page.locator('#wf-attempt button[type="submit"]').click();
    const message = 'Vatandaşa ne söylendiğini yazın.';
    await expect.poll(() => page.locator('#sok-workflow').textContent()).toContain(message);
    const shown = ((await page.locator('#sok-workflow').textContent()) ?? '').split(message).length;
    expect(shown - 1).toBe(1);
    await page.locator('#wf-note').fill('Karar anlatıldı, vatandaş bilgilendirildi.');
    expect(await page.locator('#sok-workflow').textContent()).not.toContain(message);
    // Unanswered this time: the callback stays open, in the queue.
    await page.selectOption('#wf-outcome', 'no-answer');
    await page.locator('#wf-attempt button[type="submit"]').click();
    await expect.poll(() => page.locator('#sok-workflow').textContent()).toContain('1/3');

    await page.keyboard.press('Escape');
    await page.locator('#sok-detail').waitFor({ state: 'detached' });

    await page.locator('button.tab', { hasText: 'Geri aramalar' }).click();
    const cell = page.locator('table .reg-no', { hasText: regNo }).first();
    await cell.waitFor({ timeout: 15_000 });
    const style = await cell.evaluate(
      (el) =>
        (
          globalThis as unknown as { getComputedStyle(e: unknown): { whiteSpace: string } }
        ).getComputedStyle(el).whiteSpace,
    );
    expect(style).toBe('nowrap');

    // Reached this time: BİKOM (the other side) gets the hand-off e-mail, listed apart from
    // what was sent to the citizen.
    await page.locator('button.tab', { hasText: 'ŞÖK' }).first().click();
    await page.fill('#sok-search', regNo);
    await page.locator('.result').first().click();
    await page.locator('#wf-attempt').waitFor({ timeout: 10_000 });
    await page.selectOption('#wf-outcome', 'reached');
    await page.locator('#wf-note').fill('Karar anlatıldı, vatandaş bilgilendirildi.');
    await page.locator('#wf-attempt button[type="submit"]').click();
    await page.keyboard.press('Escape');
    await page.locator('#sok-detail').waitFor({ state: 'detached' });
    await syncedOnline();
    // The open detail follows what the sync brings (the hand-off e-mail is queued with the
    // attempt, and its sending state follows): no reopening, no "Şimdi eşitle" behind the dialog.
    await page.fill('#sok-search', regNo);
    await page.locator('.result').first().click();
    await page.locator('#detail-receipts-title').waitFor();
    await expect
      .poll(
        () =>
          page
            .locator('#sok-detail-org-mails')
            .textContent({ timeout: 500 })
            .catch(() => ''),
        { timeout: 40_000, interval: 500 },
      )
      .toContain(BIKOM_MAILBOX);
    expect(await page.locator('#sok-detail-org-mails').textContent()).toContain(
      'diğer tarafa bilgi e-postası',
    );
    const toCitizen =
      (await page.locator('#detail-receipts-title').locator('..').textContent()) ?? '';
    expect(toCitizen).not.toContain(BIKOM_MAILBOX);
    await page.keyboard.press('Escape');
  }, 150_000);
});
