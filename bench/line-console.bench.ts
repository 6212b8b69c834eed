/**
 * The call line's figures for supervisors on PostgreSQL (issue #20 item 6): the console's live
 * read (`GET /supervisor/line`, every second per open console) with a busy day on the line, and
 * the export of a month's calls (`report=line`, also what the monthly report reads).
 *
 *   npm run bench -- --only line-console
 *   (env: BENCH_LINE_CONSOLE_TODAY, default 5000 calls today, 20 of them waiting;
 *         BENCH_LINE_CONSOLE_MONTH, default 300000 calls in the month before)
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createTestApp, createUser, login } from '../test/support/server-app';
import { envCount } from '../src/domain/settings/env';
import {
  benchEnv,
  fmtInt,
  fmtMs,
  nowMs,
  progress,
  summarize,
  type Benchmark,
  type Figures,
} from './lib';
import type { TestApp } from '../test/support/server-app';

const STATES = ['ended', 'ended', 'ended', 'ended', 'abandoned', 'timed-out'] as const;

/** `count` finished calls arriving evenly between `from` and `to`, and `waiting` on the line. */
async function fill(t: TestApp, from: number, to: number, count: number, waiting = 0) {
  const step = (to - from) / Math.max(1, count);
  const iso = (ms: number) => new Date(ms).toISOString();
  for (let start = 0; start < count + waiting; start += 2000) {
    const rows = [];
    for (let i = start; i < Math.min(count + waiting, start + 2000); i++) {
      const arrived = i < count ? from + i * step : to - (count + waiting - i) * 1000;
      const state = i < count ? STATES[i % STATES.length]! : 'waiting';
      const wait = (i % 90) * 1000;
      rows.push({
        id: randomUUID(),
        line: '153',
        org_code: 'bikom',
        sip_call_id: randomUUID(),
        number: '+905321234567',
        state,
        arrived_at: iso(arrived),
        answered_at: state === 'ended' ? iso(arrived + wait) : null,
        ended_at: state === 'waiting' ? null : iso(arrived + wait + 120_000),
        last_seen_at: iso(arrived),
      });
    }
    await t.backend.db.insertInto('line_caller').values(rows).execute();
  }
}

const benchmark: Benchmark = {
  name: 'line-console',
  description: 'call line figures for supervisors on PostgreSQL: live read, a month’s export',
  async run(): Promise<Figures[]> {
    const env = benchEnv({
      today: envCount('BENCH_LINE_CONSOLE_TODAY'),
      month: envCount('BENCH_LINE_CONSOLE_MONTH'),
    });
    const today = env.today ?? 5000;
    const month = env.month ?? 300_000;
    const t = await createTestApp('postgres');
    try {
      await createUser(t, { username: 'sef', role: 'supervisor', orgCode: 'bikom' });
      const token = (await login(t, 'sef')).accessToken;
      const now = t.clock.now().getTime();
      progress(`line-console: ${fmtInt(today)} calls today, ${fmtInt(month)} last month`);
      // Today since Istanbul midnight (the clock stands at 12:00 Istanbul); February 2026.
      await fill(t, Date.parse('2026-03-01T21:00:00.000Z'), now, today, 20);
      await fill(
        t,
        Date.parse('2026-01-31T21:00:00.000Z'),
        Date.parse('2026-02-28T21:00:00.000Z'),
        month,
      );
      await sql`analyze line_caller`.execute(t.backend.db);
      const get = async (url: string) => {
        const started = nowMs();
        const res = await t.app.inject({
          method: 'GET',
          url,
          headers: { authorization: `Bearer ${token}` },
        });
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
        return nowMs() - started;
      };
      const liveMs: number[] = [];
      for (let i = 0; i < 60; i++) liveMs.push(await get('/supervisor/line'));
      const exportMs: number[] = [];
      for (let i = 0; i < 5; i++) {
        exportMs.push(
          await get('/supervisor/export?report=line&format=csv&from=2026-02-01&to=2026-02-28'),
        );
      }
      const live = summarize(liveMs.slice(10));
      const exp = summarize(exportMs);
      return [
        {
          title: 'Call line figures for supervisors on PostgreSQL (in-process requests)',
          columns: [
            { key: 'what', label: 'request', align: 'left' },
            { key: 'n', label: 'n' },
            { key: 'p50', label: 'p50' },
            { key: 'p95', label: 'p95' },
            { key: 'max', label: 'max' },
          ],
          rows: [
            {
              what: `GET /supervisor/line (${fmtInt(today)} calls today, 20 waiting)`,
              n: live.n,
              p50: fmtMs(live.p50),
              p95: fmtMs(live.p95),
              max: fmtMs(live.max),
            },
            {
              what: `export report=line, a month of ${fmtInt(month)} calls`,
              n: exp.n,
              p50: fmtMs(exp.p50),
              p95: fmtMs(exp.p95),
              max: fmtMs(exp.max),
            },
          ],
          notes: [
            'The console reads the line every second per open console; the export and the monthly report read the period once.',
          ],
        },
      ];
    } finally {
      await t.close();
    }
  },
};

export default benchmark;
