/**
 * The call line through the real exchange (#20): Kamailio asking the central API, baresip agents,
 * citizens as baresip (latency) and sipp (fifty at once). Run inside the loopback namespace:
 *   test/sip/run-in-netns.sh npx tsx test/sip/bench-line.ts [--calls 30] [--waiting 50] [--json]
 *   npm run bench:sip -- --line
 * Figures:
 * - 153 dialled → the chosen agent's phone ringing (its INVITE arrived), p50/p95, with the API
 *   deciding (SQLite server database: the namespace has no PostgreSQL);
 * - `--waiting` callers dialling at once while every agent is on a break, then five agents
 *   freed: how many were answered, lost, and whether anyone was put through before a caller
 *   who arrived earlier (by more than one poll round).
 * Benchmarks report; they do not fail the run.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { apiPost, startApiProcess } from '../e2e/api-process';
import { tempDataDir } from '../e2e/support';
import { ADMIN } from '../e2e/ui';
import { Citizen } from './citizen';
import { callerScenario } from './sipp-caller';
import { freePort, sleep, startSipRig } from './rig';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) || fallback : fallback;
};
const CALLS = arg('--calls', 30);
const WAITING = arg('--waiting', 50);
const AGENTS = ['1001', '1002', '1003', '1004', '1005'];
const TARGET_P95_MS = 300;
/** How often the exchange asks about a waiting caller (LINE_POLL_MS): the tolerance for order. */
const POLL_ROUND_MS = 2000;

function pct(values: number[], p: number): number {
  const s = [...values].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Waits for a baresip event, polling tightly (waitEvent sleeps 50 ms between looks). */
async function eventAt(phones: Citizen[], type: string, ms: number): Promise<Citizen> {
  const deadline = Date.now() + ms;
  for (;;) {
    const hit = phones.find((p) => p.events.some((e) => e.type === type));
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no ${type} within ${ms} ms`);
    await new Promise((r) => setImmediate(r));
  }
}

const root = tempDataDir();
fs.mkdirSync(root, { recursive: true });
const serverDb = path.join(root, 'server.sqlite');
const api = await startApiProcess({
  ALO153_SERVER_DB: serverDb,
  ALO153_LINES: JSON.stringify([
    { number: '153', orgCode: 'bikom', ringTimeoutSeconds: 15, maxWaitSeconds: 900 },
  ]),
});
const phones: Citizen[] = [];
let rig: Awaited<ReturnType<typeof startSipRig>> | null = null;
try {
  await apiPost(`${api.url}/setup/admin`, ADMIN);
  const admin = (
    await apiPost(`${api.url}/auth/login`, {
      ...ADMIN,
      displayName: undefined,
      clientId: 'bench-line',
    })
  ).accessToken as string;
  const users = ['santral', ...AGENTS.map((x) => `temsilci${x}`)];
  for (const username of users) {
    await apiPost(
      `${api.url}/admin/users`,
      {
        username,
        displayName: username,
        password: `${username}-parola-2026`,
        role: 'agent',
        orgCode: 'bikom',
      },
      admin,
    );
  }
  const listed = (await (
    await fetch(`${api.url}/admin/users`, { headers: { authorization: `Bearer ${admin}` } })
  ).json()) as { users: { id: string; username: string }[] };
  const idOf = (u: string) => listed.users.find((x) => x.username === u)!.id;
  const { key } = (await apiPost(
    `${api.url}/admin/api-keys`,
    { name: 'SIP santrali', actingUserId: idOf('santral') },
    admin,
  )) as { key: string };
  for (const ext of AGENTS) {
    await fetch(`${api.url}/line/agents/${idOf(`temsilci${ext}`)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ extension: ext }),
    });
  }
  const setStates = (state: 'available' | 'break') => {
    const db = new Database(serverDb);
    const now = new Date().toISOString();
    for (const ext of AGENTS) {
      db.prepare(
        `INSERT INTO agent_state (user_id, org_code, state, reason, since, updated_at)
         VALUES (?, 'bikom', ?, NULL, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, since = excluded.since,
         updated_at = excluded.updated_at`,
      ).run(idOf(`temsilci${ext}`), state, now, now);
    }
    db.close();
  };
  setStates('available');

  rig = await startSipRig({
    users: Object.fromEntries(AGENTS.map((x) => [x, `parola-${x}`])),
    wss: false,
    line: { url: api.url, apiKey: key, number: '153', announcement: true },
  });
  for (const ext of AGENTS) {
    const phone = await Citizen.start(rig.dir, ext, rig.udpPort, {
      domain: rig.domain,
      password: `parola-${ext}`,
    });
    await phone.waitOutput(/200 OK .*\[1 binding\]/);
    phones.push(phone);
  }

  // 1. 153 dialled → the chosen agent's phone gets the INVITE.
  const citizen = await Citizen.start(rig.dir, '05321234567', rig.udpPort);
  const ringing: number[] = [];
  for (let i = 0; i <= CALLS; i++) {
    for (const p of [citizen, ...phones]) p.events.length = 0;
    const t0 = performance.now();
    await citizen.command('dial', `sip:153@${rig.domain}`);
    await eventAt(phones, 'CALL_REMOTE_SDP', 10_000);
    if (i > 0) ringing.push(performance.now() - t0); // the first call warms up
    await citizen.waitEvent('CALL_ESTABLISHED');
    await citizen.command('hangup');
    await citizen.waitEvent('CALL_CLOSED');
    await sleep(150); // the exchange tells the API the call ended: the agent is free again
  }
  await citizen.stop();

  // 2. WAITING callers at once (sipp), every agent on a break; then all five agents come back
  // and hang up each call shortly after answering it.
  setStates('break');
  for (const p of phones) p.events.length = 0;
  const scenario = path.join(rig.dir, 'line-caller.xml');
  // A citizen's phone: dials, hears ringback (or the announcement) while waiting, is answered,
  // the agent hangs up.
  fs.writeFileSync(scenario, callerScenario('0532100[call_number]', '153', 'alo153.test'));
  const sippPort = await freePort();
  const started = performance.now();
  const sipp = spawn(
    'sipp',
    [
      `127.0.0.1:${rig.udpPort}`,
      '-sf',
      scenario,
      '-s',
      '153',
      '-i',
      '127.0.0.1',
      '-p',
      String(sippPort),
      '-m',
      String(WAITING),
      '-l',
      String(WAITING),
      '-r',
      '25',
      '-nostdin',
      '-timeout',
      '600s',
      '-trace_stat',
      '-stf',
      path.join(rig.dir, 'sipp-stat.csv'),
    ],
    { cwd: rig.dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let sippErr = '';
  sipp.stderr.on('data', (d: Buffer) => (sippErr += d.toString()));
  const sippDone = new Promise<number>((resolve) => sipp.once('exit', (c) => resolve(c ?? -1)));
  const live = async () =>
    (
      (await (
        await fetch(`${api.url}/line/live?line=153`, {
          headers: { authorization: `Bearer ${admin}` },
        })
      ).json()) as { lines: { waiting: number }[] }
    ).lines[0]!.waiting;
  let waitingNow = 0;
  const deadline = Date.now() + 60_000;
  while ((waitingNow = await live()) < WAITING && Date.now() < deadline) await sleep(200);
  const allWaitingMs = performance.now() - started;
  setStates('available');
  // Agents hang up 300 ms after answering, then take the next caller.
  let hungUp = 0;
  const handled = new Map<Citizen, number>();
  const agentLoop = (async () => {
    while (hungUp < WAITING) {
      for (const p of phones) {
        const n = p.events.filter((e) => e.type === 'CALL_ESTABLISHED').length;
        if (n > (handled.get(p) ?? 0)) {
          handled.set(p, n);
          setTimeout(() => {
            p.command('hangup').catch(() => undefined);
            hungUp++;
          }, 300);
        }
      }
      await sleep(20);
      if (performance.now() - started > 600_000) break;
    }
  })();
  const sippCode = await sippDone;
  await agentLoop;
  const drainedMs = performance.now() - started;
  const db = new Database(serverDb, { readonly: true });
  const rows = db
    .prepare(
      `SELECT c.seq, c.state, c.answered_at,
              (SELECT MIN(o.offered_at) FROM line_offer o WHERE o.caller_seq = c.seq) AS first_offer
       FROM line_caller c WHERE c.number LIKE '%532100%' ORDER BY c.seq`,
    )
    .all() as {
    seq: number;
    state: string;
    answered_at: string | null;
    first_offer: string | null;
  }[];
  db.close();
  const answered = rows.filter((x) => x.answered_at !== null).length;
  // Put through ahead of someone who arrived earlier, by more than one poll round.
  let overtakes = 0;
  let worstMs = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const a = Date.parse(rows[i]!.first_offer ?? '');
      const b = Date.parse(rows[j]!.first_offer ?? '');
      if (Number.isFinite(a) && Number.isFinite(b) && b < a) {
        worstMs = Math.max(worstMs, a - b);
        if (a - b > POLL_ROUND_MS) overtakes++;
      }
    }
  }
  const result = {
    ringing: {
      n: ringing.length,
      p50: r1(pct(ringing, 50)),
      p95: r1(pct(ringing, 95)),
      max: r1(Math.max(...ringing)),
    },
    waiting: {
      callers: WAITING,
      waitingAtOnce: waitingNow,
      allWaitingAfterMs: Math.round(allWaitingMs),
      answered,
      lost: WAITING - answered,
      sippExit: sippCode,
      overtakesBeyondOnePollRound: overtakes,
      worstInversionMs: worstMs,
      drainedAfterMs: Math.round(drainedMs),
    },
  };
  if (args.includes('--json')) console.log(JSON.stringify(result));
  else {
    console.log(
      `153 → agent ringing (ms): ${JSON.stringify(result.ringing)}  target p95 ≤ ${TARGET_P95_MS}: ${result.ringing.p95 <= TARGET_P95_MS ? 'met' : 'MISSED'}`,
    );
    console.log(`${WAITING} callers waiting at once: ${JSON.stringify(result.waiting)}`);
    if (sippCode !== 0) console.log(`sipp: ${sippErr.slice(-2000)}`);
  }
} finally {
  for (const p of phones) await p.stop();
  await api.stop();
  await rig?.stop();
  fs.rmSync(root, { recursive: true, force: true });
}
