import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { formatRegNo } from '../../domain/regno';
import type { Mutation, PullResponse, PushResponse } from '../../domain/sync';
import { forEachBackend } from '../../../test/support/backends';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  PASSWORD,
  type TestApp,
  sokDraft,
} from '../../../test/support/server-app';

const draft = sokDraft;

/** Pushes that arrive together are written in groups (push.ts); each keeps its own answer. */
forEachBackend('push group commit', (kind) => {
  let t: TestApp;
  const desks: { token: string; clientId: string }[] = [];

  beforeEach(async () => {
    t = await createTestApp(kind);
    desks.length = 0;
    for (let i = 0; i < 6; i++) {
      await createUser(t, { username: `ajan${i}`, role: 'agent', orgCode: 'bikom' });
      const clientId = randomUUID();
      desks.push({ token: (await login(t, `ajan${i}`, PASSWORD, clientId)).accessToken, clientId });
    }
  });
  afterEach(() => t.close());

  const push = (token: string, mutations: Mutation[]) =>
    t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(token),
      payload: { mutations },
    });

  it('answers concurrent pushes each on their own, with gap-free sequences in commit order', async () => {
    const lease = await t.app.inject({
      method: 'POST',
      url: '/sync/number-blocks',
      headers: bearer(desks[0]?.token ?? ''),
      payload: {},
    });
    const block = lease.json<{ start: number }>();
    const shared = draft();
    const rounds = await Promise.all(
      desks.map((desk, i) =>
        push(desk.token, [
          // Desk 0 uses a leased number; desks 1 and 2 both send the same ŞÖK (one wins).
          {
            id: 1,
            kind: 'sok.create',
            payload:
              i === 0 ? draft({ regNo: formatRegNo(block.start) }) : i < 3 ? shared : draft(),
          },
          { id: 2, kind: 'sok.create', payload: draft({ citizenName: `Vatandaş ${i}` }) },
          // Another desk's number: refused, the rest of the push still applies.
          { id: 3, kind: 'sok.create', payload: draft({ regNo: formatRegNo(block.start + 1) }) },
        ]),
      ),
    );
    const answers = rounds.map((r) => {
      expect(r.statusCode, r.body).toBe(200);
      return r.json<PushResponse>();
    });
    answers.forEach((a, i) => {
      expect(a.lastMutationId).toBe(3);
      expect(a.results[1]).toEqual({ id: 2, status: 'applied' });
      // block.start + 1 is leased to desk 0: its own to use, nobody else's.
      expect(a.results[2]?.status).toBe(i === 0 ? 'applied' : 'rejected');
    });
    const sharedResults = answers.slice(1, 3).map((a) => a.results[0]?.status);
    expect(sharedResults.sort()).toEqual(['applied', 'rejected']);

    // Re-sent pushes are answered as the first time, also when they arrive together.
    const again = await Promise.all(
      desks.map((desk) => push(desk.token, [{ id: 3, kind: 'sok.create', payload: draft() }])),
    );
    again.forEach((r, i) =>
      expect(r.json<PushResponse>().results[0]?.status).toBe(i === 0 ? 'applied' : 'rejected'),
    );

    // The feed: every change once, in increasing order, up to the counter.
    const res = await t.app.inject({
      method: 'GET',
      url: '/sync/pull?cursor=0&limit=5000',
      headers: bearer(desks[0]?.token ?? ''),
    });
    const page = res.json<PullResponse>();
    const seqs = page.changes.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const soks = page.changes.filter((c) => c.op === 'upsert');
    // Mutation 1: desk 0, the shared one, desks 3–5; mutation 2: all six; mutation 3: desk 0.
    expect(soks).toHaveLength(5 + 6 + 1);
    const counter = await t.backend.db
      .selectFrom('counter')
      .select('value')
      .where('name', '=', 'change')
      .executeTakeFirstOrThrow();
    expect(page.cursor).toBe(Number(counter.value));
    expect(Math.max(...seqs)).toBe(Number(counter.value));
  });

  it('fails a push that breaks alone, without taking the others of its group down', async () => {
    // Desk 5's stream disappears (as if the database lost it): its push cannot be recorded.
    await t.backend.db
      .deleteFrom('client')
      .where('id', '=', desks[5]?.clientId ?? '')
      .execute();
    const rounds = await Promise.all(
      desks.map((desk) => push(desk.token, [{ id: 1, kind: 'sok.create', payload: draft() }])),
    );
    expect(rounds.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 500]);
    for (const r of rounds.slice(0, 5)) {
      expect(r.json<PushResponse>().results).toEqual([{ id: 1, status: 'applied' }]);
    }
    const n = await t.backend.db
      .selectFrom('sok')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(5);
  });
});
