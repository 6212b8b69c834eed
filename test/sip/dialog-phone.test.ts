/**
 * The phone is never blocked by a dialog: with a ŞÖK's detail dialog open, a citizen's call is
 * answered, held and hung up with the global shortcuts (Alt+A, Alt+B, Alt+K) and, on the next
 * call, with the mouse in the screen pop and the softphone; the wrap-up is filled in meanwhile.
 * The dialog stays open throughout, keeps the rest of the page inert and closes on Escape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, login, registerByKeyboard } from '../e2e/ui';
import { startAppRig, type AppRig } from './app-rig';
import { Citizen } from './citizen';
import { sleep } from './rig';

const SIP_PASSWORD = 'parola-1001';
const CITIZEN = '05321112233';

let app: AppRig;
let citizen: Citizen;
let regNo = '';

beforeAll(async () => {
  app = await startAppRig({
    users: { '1001': SIP_PASSWORD },
    appUsers: [{ ...AGENT, role: 'agent', orgCode: 'bikom' }],
  });
  await login(app.page, AGENT);
  await app.setUpPhone('1001', SIP_PASSWORD);
  citizen = await Citizen.start(app.rig.dir, CITIZEN, app.rig.udpPort);
}, 120_000);

afterAll(async () => {
  await citizen?.stop();
  await app?.stop();
});

async function citizenCalls() {
  citizen.events.length = 0;
  await citizen.command('dial', `sip:1001@${app.rig.domain}`);
  await app.page.locator('#screen-pop.ringing').waitFor();
}

const detailOpen = () => app.page.locator('#sok-detail[open]').count();
const call = () => app.page.locator('.phone-call').first();

async function wrapUp() {
  const { page } = app;
  await page.locator('#wrap-up').waitFor();
  await page.locator('#wrap-up select.wrapup-disposition').selectOption('bilgi-verildi');
  await page.locator('#wrap-up .wrapup-save').click();
  await page.locator('#wrap-up').waitFor({ state: 'detached' });
}

describe('the phone with a ŞÖK dialog open', () => {
  it('opens a ŞÖK in its dialog, which makes the page behind inert but not the phone', async () => {
    const { page } = app;
    regNo = await registerByKeyboard(page, {
      phone: '0532 111 22 33',
      name: 'Fatma Demir',
      mahalle: 'Değirmenönü',
    });
    await page.fill('#sok-search', regNo);
    await page.locator('.result').first().click();
    await page.locator('#sok-detail').waitFor();
    expect(await detailOpen()).toBe(1);
    // Focus is in the dialog; the search field behind it is inert, the phone dock is not.
    expect(
      await page.locator('#sok-detail').evaluate((d) => d.contains(d.ownerDocument.activeElement)),
    ).toBe(true);
    expect(await page.locator('#sok-search').evaluate((el) => el.closest('[inert]') !== null)).toBe(
      true,
    );
    expect(
      await page.locator('#open-call-log').evaluate((el) => el.closest('[inert]') !== null),
    ).toBe(false);
    // The shortcuts are documented in the dock and on the buttons.
    expect(await app.text('#phone-shortcuts')).toMatch(/Alt\+A.*Cevapla.*Alt\+K.*Alt\+B/s);
  });

  it('answers, holds, resumes and hangs up by keyboard while the dialog keeps focus', async () => {
    const { page } = app;
    await citizenCalls();
    expect(await page.locator('#screen-pop-answer').getAttribute('aria-keyshortcuts')).toBe(
      'Alt+A',
    );
    // Focus stays in the dialog (a field of the ŞÖK): the shortcut needs no click.
    await page.locator('#sok-detail').focus();
    await page.keyboard.press('Alt+A');
    await citizen.waitEvent('CALL_ESTABLISHED');
    await app.until('talking', async () => (await call().textContent())?.includes('Kapat'));
    await sleep(500);
    await page.keyboard.press('Alt+B');
    await app.until(
      'held',
      async () =>
        (await call().locator('button[aria-keyshortcuts="Alt+B"]').getAttribute('aria-pressed')) ===
        'true',
    );
    await page.keyboard.press('Alt+B');
    await app.until(
      'resumed',
      async () =>
        (await call().locator('button[aria-keyshortcuts="Alt+B"]').getAttribute('aria-pressed')) ===
        'false',
    );
    await page.keyboard.press('Alt+K');
    await citizen.waitEvent('CALL_CLOSED');
    // The wrap-up is filled in with the dialog still open behind it.
    await wrapUp();
    expect(await detailOpen()).toBe(1);
  });

  it('answers and hangs up with the mouse while the dialog is open', async () => {
    const { page } = app;
    await app.until(
      'available',
      async () => (await page.locator('#agent-state').inputValue()) === 'available',
    );
    await citizenCalls();
    // A real click: Playwright refuses it if the button is covered or inert.
    await page.locator('#screen-pop-answer').click();
    await citizen.waitEvent('CALL_ESTABLISHED');
    await call().locator('button:text-is("Kapat")').click();
    await citizen.waitEvent('CALL_CLOSED');
    await wrapUp();
    expect(await detailOpen()).toBe(1);
  });

  it('closes the dialog with Escape and gives the page back', async () => {
    const { page } = app;
    await page.locator('#sok-detail h2').click();
    await page.keyboard.press('Escape');
    await page.locator('#sok-detail').waitFor({ state: 'detached' });
    expect(await page.locator('[inert]').count()).toBe(0);
  });
});
