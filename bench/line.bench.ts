/**
 * The call line's API on PostgreSQL (issue #20 targets, API side only — without Kamailio):
 * how long the API takes to decide "ring agent X" for a call to 153 (target for the whole path,
 * 153 dialled → phone ringing: p95 ≤ 300 ms), and 50 callers waiting at once, answered in arrival
 * order as agents free up, none lost.
 *
 *   npm run bench -- --only line        (env: BENCH_LINE_CALLS, default 300; BENCH_LINE_AGENTS, 20)
 *
 * Over HTTP on loopback, against a listening app, the way Kamailio would ask.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { issueKey } from '../test/support/open311';
import { createTestApp, createUser, login } from '../test/support/server-app';
import { envCount } from '../src/domain/settings/env';
import { benchEnv, fmtMs, nowMs, progress, summarize, type Benchmark, type Figures } from './lib';

type Decision = { action: string; offerId?: string; agentId?: string; position?: number };

const benchmark: Benchmark = {
  name: 'line',
  description: 'call line decisions on PostgreSQL: 153 → agent, 50 waiting callers in order',
  async run(): Promise<Figures[]> {
    const env = benchEnv({
      calls: envCount('BENCH_LINE_CALLS'),
      agents: envCount('BENCH_LINE_AGENTS'),
    });
    const calls = env.calls ?? 300;
    const agentCount = env.agents ?? 20;
    const t = await createTestApp('postgres');
    try {
      await createUser(t, { username: 'yonetici', role: 'admin', orgCode: 'bikom' });
      const admin = (await login(t, 'yonetici')).accessToken;
      const santral = await createUser(t, { username: 'santral', role: 'agent' });
      const key = (await issueKey(t, admin, santral, 'SIP santrali')).key;
      const agents: string[] = [];
      for (let i = 0; i < agentCount; i++) {
        const id = await createUser(t, { username: `t${i}`, role: 'agent' });
        agents.push(id);
        await t.backend.db
          .insertInto('line_agent')
          .values({
            user_id: id,
            extension: `${2000 + i}`,
            skills: '[]',
            updated_at: '2026-03-02T08:00:00.000Z',
          })
          .execute();
      }
      const setAll = async (state: string) => {
        for (const [i, id] of agents.entries()) {
          const row = {
            org_code: 'bikom',
            state,
            reason: null,
            since: `2026-03-02T08:${String(i).padStart(2, '0')}:00.000Z`,
            updated_at: '2026-03-02T08:00:00.000Z',
          };
          await t.backend.db
            .insertInto('agent_state')
            .values({ user_id: id, ...row })
            .onConflict((oc) => oc.column('user_id').doUpdateSet(row))
            .execute();
        }
      };
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      const post = async (url: string, body: unknown): Promise<Decision> => {
        const res = await fetch(base + url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': key },
          body: JSON.stringify(body),
        });
        if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
        return (await res.json()) as Decision;
      };

      // 1. Decision latency: a call arrives with agents free; it is answered and ended at once.
      await setAll('available');
      progress(`line: ${calls} arrivals with ${agentCount} agents free`);
      const ms: number[] = [];
      for (let i = 0; i < calls; i++) {
        const id = randomUUID();
        const started = nowMs();
        const d = await post('/line/calls', { line: '153', sipCallId: id, number: '05321234567' });
        ms.push(nowMs() - started);
        if (d.action !== 'ring') throw new Error(`arrival ${i}: ${JSON.stringify(d)}`);
        await post('/line/calls/answered', { sipCallId: id, offerId: d.offerId });
        await post('/line/calls/ended', { sipCallId: id });
      }
      const arrival = summarize(ms);

      // 2. Fifty callers wait with every agent on break; five agents come back; every waiting
      // caller is polled at once, round after round; each rung caller answers and hangs up.
      await setAll('break');
      const waiting = Array.from({ length: 50 }, () => randomUUID());
      for (const id of waiting) {
        await post('/line/calls', { line: '153', sipCallId: id, number: '05321234567' });
      }
      for (const id of agents.slice(0, 5)) {
        await t.backend.db
          .updateTable('agent_state')
          .set({ state: 'available' })
          .where('user_id', '=', id)
          .execute();
      }
      const answeredOrder: string[] = [];
      let rounds = 0;
      const pollMs: number[] = [];
      while (answeredOrder.length < waiting.length && rounds < 500) {
        rounds += 1;
        const left = waiting.filter((id) => !answeredOrder.includes(id));
        const decisions = await Promise.all(
          left.map(async (id) => {
            const started = nowMs();
            const d = await post('/line/calls/next', { sipCallId: id });
            pollMs.push(nowMs() - started);
            return [id, d] as const;
          }),
        );
        const rung = decisions.filter(([, d]) => d.action === 'ring');
        rung.sort((a, b) => waiting.indexOf(a[0]) - waiting.indexOf(b[0]));
        for (const [id, d] of rung) {
          await post('/line/calls/answered', { sipCallId: id, offerId: d.offerId });
          answeredOrder.push(id);
        }
        for (const [id] of rung) await post('/line/calls/ended', { sipCallId: id });
      }
      const inOrder = answeredOrder.every((id, i) => id === waiting[i]);
      const lost = waiting.length - answeredOrder.length;
      const poll = summarize(pollMs);
      return [
        {
          title: 'Call line API on PostgreSQL (HTTP on loopback)',
          columns: [
            { key: 'what', label: 'request', align: 'left' },
            { key: 'n', label: 'n' },
            { key: 'p50', label: 'p50' },
            { key: 'p95', label: 'p95' },
            { key: 'max', label: 'max' },
          ],
          rows: [
            {
              what: `POST /line/calls → ring (${agentCount} agents)`,
              n: arrival.n,
              p50: fmtMs(arrival.p50),
              p95: fmtMs(arrival.p95),
              max: fmtMs(arrival.max),
            },
            {
              what: 'POST /line/calls/next, 50 callers polled at once',
              n: poll.n,
              p50: fmtMs(poll.p50),
              p95: fmtMs(poll.p95),
              max: fmtMs(poll.max),
            },
          ],
          notes: [
            `Target (whole path 153 → ringing, Kamailio included): p95 ≤ 300 ms; the API's share p95 ${fmtMs(arrival.p95)} ${arrival.p95 <= 300 ? 'PASS' : 'FAIL'}.`,
            `50 waiting callers, 5 agents: answered ${answeredOrder.length}, lost ${lost}, in arrival order: ${inOrder ? 'yes' : 'NO'} (${rounds} polling rounds) — ${lost === 0 && inOrder ? 'PASS' : 'FAIL'}.`,
          ],
        },
      ];
    } finally {
      await t.close();
    }
  },
};

export default benchmark;
