/**
 * Callbacks that settle, through the real app on the SIP rig:
 * - a citizen whose caller ID comes as +90… misses the agent; the missed-calls panel shows the
 *   number as agents read it; "Ara" dials the national form, the citizen answers, and the missed
 *   call is settled (numbers are stored and compared in one form, E.164);
 * - a district desk calls a citizen from a ŞÖK's callback task: the attempt is proposed from the
 *   call's real result (the number not reachable → unreachable; answered → reached) with the
 *   call-log row attached as evidence, and the desk confirms it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, login, logout, registerByKeyboard } from '../e2e/ui';
import { startAppRig, type AppRig } from './app-rig';
import { Citizen } from './citizen';
import { sleep } from './rig';

const SIP_PASSWORD = 'parola-1001';
const DESK = {
  username: 'masa1',
  displayName: 'Deniz Masa',
  password: 'masa-parola-2026',
};
// The citizen of the missed call: presented as +90…, reachable at home as 0532… (registered).
const CALLER = '+905321234567';
const CALLER_HOME = '05321234567';
// The citizen of the ŞÖK whose callback the desk makes.
const SOK_CITIZEN = '05327654321';
const CITIZEN_PASSWORD = 'vatandas-parola';

let app: AppRig;
const citizens: Citizen[] = [];
let regNo = '';
let agentToken = '';

beforeAll(async () => {
  app = await startAppRig({
    users: {
      '1001': SIP_PASSWORD,
      [CALLER_HOME]: CITIZEN_PASSWORD,
      [SOK_CITIZEN]: CITIZEN_PASSWORD,
    },
    apiEnv: {
      ALO153_CALLBACK_MIN_INTERVAL_MINUTES: '0',
      ALO153_CALLING_HOURS: '00:00-24:00',
      ALO153_CALL_ON_HOLIDAYS: 'true',
    },
    appUsers: [
      { ...AGENT, role: 'agent', orgCode: 'bikom' },
      { ...DESK, role: 'desk', orgCode: 'ilce.yildirim' },
    ],
  });
  agentToken = await app.token(AGENT);
  await login(app.page, AGENT);
  await app.setUpPhone('1001', SIP_PASSWORD);
}, 120_000);

afterAll(async () => {
  for (const c of citizens) await c.stop();
  await app?.stop();
});

async function citizen(number: string, register = false): Promise<Citizen> {
  const c = await Citizen.start(
    app.rig.dir,
    number,
    app.rig.udpPort,
    register ? { domain: app.rig.domain, password: CITIZEN_PASSWORD } : undefined,
  );
  citizens.push(c);
  // Registered phones answer by themselves once Kamailio has their binding.
  if (register) await c.waitOutput(/200 OK/, 15_000);
  return c;
}

type Missed = { id: string; number: string; callbackState: string };
const owed = async () =>
  (await app.getJson<{ calls: Missed[] }>(`${app.api.url}/calls/missed?state=owed`, agentToken))
    .calls;

async function hangUpAndWrapUp() {
  const { page } = app;
  await page.locator('.phone-call button:text-is("Kapat")').first().click();
  await page.locator('#wrap-up').waitFor();
  await page.locator('#wrap-up select.wrapup-disposition').selectOption('bilgi-verildi');
  await page.locator('#wrap-up .wrapup-save').click();
  await page.locator('#wrap-up').waitFor({ state: 'detached' });
}

describe('callbacks that settle', () => {
  it('calls back a missed +90 caller from the missed-calls panel, and the missed call settles', async () => {
    const { page } = app;
    // The ŞÖK of the second test, registered by BİKOM and routed to Yıldırım's desk.
    regNo = await registerByKeyboard(page, {
      phone: '0532 765 43 21',
      name: 'Hasan Kaya',
      mahalle: 'Değirmenönü',
    });

    const caller = await citizen(CALLER);
    await caller.command('dial', `sip:1001@${app.rig.domain}`);
    await app.until('screen pop', async () =>
      (await app.text('#screen-pop'))?.includes('0532 123 45 67'),
    );
    await sleep(300);
    await caller.command('hangup');
    await page.locator('#screen-pop').waitFor({ state: 'detached' });
    const [missed] = await app.until('missed call on the API', async () => {
      const calls = await owed();
      return calls.length > 0 ? calls : null;
    });
    // Stored in E.164, whatever the exchange presented.
    expect(missed).toMatchObject({ number: '+905321234567', callbackState: 'owed' });

    await page.locator('button.tab:text-is("Geri aramalar")').click();
    const row = page.locator(`#missed-calls tr[data-call-id="${missed!.id}"]`);
    await row.waitFor();
    // Shown as agents read it, not raw.
    expect(await row.textContent()).toContain('0532 123 45 67');
    expect(await row.textContent()).not.toContain('905321234567');

    const home = await citizen(CALLER_HOME, true);
    await row.locator('button[aria-label="0532 123 45 67 numarasını ara"]').click();
    await home.waitEvent('CALL_ESTABLISHED');
    await sleep(1000);
    await hangUpAndWrapUp();

    await app.until('missed call settled', async () => (await owed()).length === 0);
    const rows = app.serverRows('call_log');
    expect(rows.find((r) => r.id === missed!.id)).toMatchObject({ callback_state: 'done' });
    expect(rows.find((r) => r.direction === 'outbound')).toMatchObject({
      number: '+905321234567',
      outcome: 'answered',
    });
    // The panel no longer lists it.
    await page.locator('button.tab:text-is("ŞÖK")').click();
    await page.locator('button.tab:text-is("Geri aramalar")').click();
    await page.locator('#missed-calls').waitFor();
    await app.until('row gone', async () => (await row.count()) === 0);
    await logout(page);
  });

  it('proposes each callback attempt from the real call’s result, with the call as evidence', async () => {
    const { page } = app;
    await login(page, DESK);
    await app.setUpPhone('1001', SIP_PASSWORD);
    await page.locator('button.tab:text-is("Gelen ŞÖK’ler")').click();
    const link = page.locator('#inbox button.link', { hasText: regNo });
    await link.waitFor({ timeout: 20_000 });
    await link.click();
    await page.locator('#sok-workflow').waitFor();
    await page.locator('button:text-is("Karar ver")').click();
    await page.selectOption('#wf-kind', 'wont-do');
    await page.selectOption('#wf-reason', 'private');
    await page.fill('#wf-explanation', 'Alan site yönetimine ait; bakım site yönetiminin işi.');
    await page.locator('button:text-is("Kararı kaydet")').click();
    await page.locator('#wf-callback').waitFor();
    // By hand, nothing is proposed.
    expect(await page.locator('#wf-outcome').inputValue()).toBe('');
    const callButton = page.locator(
      '#wf-callback button[aria-label="0532 765 43 21 numarasını ara"]',
    );

    // 1. The citizen's phone is not on the exchange: the call fails, "unreachable" is proposed.
    await callButton.click();
    await page.locator('#wf-attempt-call').waitFor();
    expect(await page.locator('#wf-outcome').inputValue()).toBe('unreachable');
    expect(await app.text('#wf-attempt-call')).toContain('0532 765 43 21');
    const failedId = await page.locator('#wf-attempt-call').getAttribute('data-call-id');
    await page.locator('#wf-attempt button[type="submit"]').click();
    await page.locator('#wf-attempt-call').waitFor({ state: 'detached' });
    await app.until('first attempt', async () =>
      (await app.text('#wf-callback'))?.includes('1/3 arama'),
    );

    // 2. The citizen answers: "reached" is proposed; the desk writes what was said and confirms.
    const home = await citizen(SOK_CITIZEN, true);
    await callButton.click();
    await home.waitEvent('CALL_ESTABLISHED');
    await sleep(1000);
    await hangUpAndWrapUp();
    await page.locator('#wf-attempt-call').waitFor();
    expect(await page.locator('#wf-outcome').inputValue()).toBe('reached');
    const answeredId = await page.locator('#wf-attempt-call').getAttribute('data-call-id');
    expect(answeredId).not.toBe(failedId);
    await page.fill('#wf-note', 'Kararı anlattım, vatandaş anladı.');
    await page.locator('#wf-attempt button[type="submit"]').click();
    await app.until('callback done', async () =>
      (await app.text('#wf-callback-state'))?.includes('Tamamlandı'),
    );

    // On the central API, each attempt names its call and that call's SIP Call-ID.
    const calls = app.serverRows('call_log');
    const attempts = await app.until('attempts on the API', async () => {
      const events = app
        .serverRows('sok_event')
        .filter((e) => e.kind === 'attempt')
        .map((e) => JSON.parse(String(e.data)) as Record<string, unknown>);
      return events.length === 2 ? events : null;
    });
    const sipOf = (id: string | null) => calls.find((c) => c.id === id)?.sip_call_id;
    expect(attempts).toEqual([
      expect.objectContaining({
        outcome: 'unreachable',
        callId: failedId,
        sipCallId: sipOf(failedId),
      }),
      expect.objectContaining({
        outcome: 'reached',
        callId: answeredId,
        sipCallId: sipOf(answeredId),
      }),
    ]);
    expect(sipOf(answeredId)).toEqual(expect.any(String));
  });
});
