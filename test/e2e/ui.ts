import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const ADMIN = {
  username: 'yonetici',
  displayName: 'Sistem Yöneticisi',
  password: 'Yönetici-parola-2026',
};
export const AGENT = { username: 'ajan1', displayName: 'Ayşe Ajan', password: 'ajan-parola-2026' };

/** First start: the app asks for the first administrator (there is no default password). */
export async function setupFirstAdmin(page: Page): Promise<void> {
  await page.locator('#setup-username').waitFor();
  await page.fill('#setup-username', ADMIN.username);
  await page.fill('#setup-displayName', ADMIN.displayName);
  await page.fill('#setup-password', ADMIN.password);
  // A mistyped repeat is caught before anything is sent, next to the repeat field.
  await page.fill('#setup-password2', `${ADMIN.password}x`);
  await page.locator('button:text-is("Kurulumu tamamla")').click();
  await expect.poll(() => page.locator('form').textContent()).toContain('Parolalar aynı değil.');
  await page.fill('#setup-password2', ADMIN.password);
  await page.locator('button:text-is("Kurulumu tamamla")').click();
  await expect.poll(() => page.locator('#current-user').textContent()).toContain(ADMIN.displayName);
}

export async function login(
  page: Page,
  user: { username: string; password: string },
): Promise<void> {
  await page.locator('#login-username').waitFor();
  await page.fill('#login-username', user.username);
  await page.fill('#login-password', user.password);
  await page.locator('button:text-is("Giriş yap")').click();
  await page.locator('#current-user').waitFor();
}

export async function logout(page: Page): Promise<void> {
  await page.locator('button:text-is("Çıkış")').click();
  const force = page.locator('button:text-is("Yine de çık")');
  await page.locator('#login-username').or(force).first().waitFor();
  if (await force.isVisible()) await force.click();
  await page.locator('#login-username').waitFor();
}

/** As an admin, creates a user on the Kullanıcılar screen. */
export async function createUser(
  page: Page,
  user: { username: string; displayName: string; password: string; role: string; orgName: string },
): Promise<void> {
  await page
    .locator('[role="tab"]:text-is("Kullanıcılar"), button:text-is("Kullanıcılar")')
    .first()
    .click();
  await page.fill('#user-username', user.username);
  await page.fill('#user-displayName', user.displayName);
  await page.fill('#user-password', user.password);
  await page.selectOption('#user-role', user.role);
  await page.locator('#user-orgCode').click();
  await page.keyboard.type(user.orgName);
  await page.keyboard.press('Enter');
  await page.locator('button:text-is("Kullanıcıyı oluştur")').click();
  await expect.poll(() => page.locator('body').textContent()).toContain(user.username);
}

/** The sync indicator's state text once it settles on the given value. */
export async function syncState(page: Page, text: string): Promise<void> {
  await expect
    .poll(() => page.locator('#sync-state').textContent(), { timeout: 15_000 })
    .toContain(text);
}

/** Types a call into the form with the keyboard alone and saves it with Ctrl+Enter. */
export async function registerByKeyboard(
  p: Page,
  call: { phone: string; name: string; email?: string; mahalle: string; description?: string },
) {
  await p.keyboard.press('Alt+y');
  await expect
    .poll(() => p.locator('#sok-typeCode').evaluate((el) => el === el.ownerDocument.activeElement))
    .toBe(true);
  const fields: [string, string][] = [
    ['#sok-typeCode', 'Şikayet'],
    ['#sok-topicCode', 'cop toplanmadi'],
    ['#sok-districtCode', 'yildirim'],
    ['#sok-mahalle', call.mahalle],
    ['#sok-description', call.description ?? 'Konteyner üç gündür boşaltılmadı, çevrede koku var.'],
    ['#sok-citizenName', call.name],
    ['#sok-citizenPhone', call.phone],
    ['#sok-citizenEmail', call.email ?? ''],
  ];
  for (const [selector, text] of fields) {
    // Tab until the field has focus: the form's order is the call's order.
    for (let i = 0; i < 12; i++) {
      if (await p.locator(selector).evaluate((el) => el === el.ownerDocument.activeElement)) break;
      await p.keyboard.press('Tab');
    }
    expect(
      await p.locator(selector).evaluate((el) => el === el.ownerDocument.activeElement),
      selector,
    ).toBe(true);
    if (text) await p.keyboard.type(text);
  }
  await p.keyboard.press('Control+Enter');
  await p.locator('#receipt-regNo').waitFor();
  return ((await p.locator('#receipt-regNo').textContent()) ?? '').trim();
}

/**
 * Calls a bridge method of the desk open in `page`, as its renderer would: over the page's own
 * bridge connection to the browser host (the per-launch key it keeps in sessionStorage). For
 * what a test cannot do through the screen, such as the softphone's reports without an
 * exchange to call through (the SIP rig's tests cover those).
 */
export async function deskBridge<T = unknown>(
  page: Page,
  method: string,
  input: unknown,
): Promise<T> {
  // A script rather than a function: the tests' TypeScript has no DOM types.
  const result = await page.evaluate<unknown>(`(async () => {
    const key = sessionStorage.getItem('alo153.hostKey');
    const ws = new WebSocket('ws://' + location.host + '/bridge', [
      'alo153.bridge',
      'alo153.key.' + key,
    ]);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error('bridge connection failed'));
    });
    const answer = await new Promise((resolve) => {
      ws.onmessage = (m) => {
        const data = JSON.parse(m.data);
        if (data.id === 1) resolve(data.result);
      };
      ws.send(JSON.stringify({ id: 1, method: ${JSON.stringify(method)}, input: ${JSON.stringify(input)} }));
    });
    ws.close();
    return answer;
  })()`);
  const r = result as { ok: true; value: T } | { ok: false; error: { message: string } };
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value;
}
