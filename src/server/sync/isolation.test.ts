import { Writable } from 'node:stream';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { PushResponse } from '../../domain/sync';
import { forEachBackend } from '../../../test/support/backends';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  sokDraft,
  type TestApp,
} from '../../../test/support/server-app';
import type * as Enqueue from '../notifications/enqueue';

/** A citizen name that makes the receipt step of `sok.create` throw (a bug in one applier). */
const THROWS = 'Hata Atan';

vi.mock('../notifications/enqueue', async (importOriginal) => {
  const original = await importOriginal<typeof Enqueue>();
  return {
    ...original,
    enqueueReceipts: (...args: Parameters<typeof original.enqueueReceipts>) => {
      if (args[1].sok.citizenName === THROWS) throw new TypeError('applier bug for the test');
      return original.enqueueReceipts(...args);
    },
  };
});

forEachBackend('one bad mutation is refused alone', (kind) => {
  let t: TestApp;
  let agent: string;
  let other: string;

  let logLines: { level: number; msg: string; err?: { message: string }; mutationId?: number }[];

  beforeEach(async () => {
    logLines = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(JSON.parse(chunk.toString()) as (typeof logLines)[number]);
        done();
      },
    });
    t = await createTestApp(kind, {}, { logger: { level: 'info', stream } });
    await createUser(t, { username: 'ajan1', role: 'agent', orgCode: 'bikom' });
    await createUser(t, { username: 'ajan2', role: 'agent', orgCode: 'bikom' });
    agent = (await login(t, 'ajan1')).accessToken;
    other = (await login(t, 'ajan2')).accessToken;
  });
  afterEach(() => t.close());

  const push = (token: string, mutations: unknown[]) =>
    t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(token),
      payload: { mutations },
    });
  const storedText = async (id: string) =>
    (
      await t.backend.db
        .selectFrom('sok')
        .select('description')
        .where('id', '=', id)
        .executeTakeFirst()
    )?.description;
  const logged = async () =>
    (
      await t.backend.db
        .selectFrom('mutation_log')
        .select(['mutation_id', 'status'])
        .orderBy('mutation_id')
        .execute()
    ).map((r) => [Number(r.mutation_id), r.status]);

  it('a mutation that throws in its applier is refused; the rest of the batch is stored', async () => {
    const before = sokDraft();
    const bad = sokDraft({ citizenName: THROWS });
    const after = sokDraft();
    const res = await push(agent, [
      { id: 1, kind: 'sok.create', payload: before },
      { id: 2, kind: 'sok.create', payload: bad },
      { id: 3, kind: 'sok.create', payload: after },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<PushResponse>();
    expect(body.lastMutationId).toBe(3);
    expect(body.results).toEqual([
      { id: 1, status: 'applied' },
      {
        id: 2,
        status: 'rejected',
        error: { code: 'validation', message: expect.stringContaining('saklayamadı') },
        entity: null,
      },
      { id: 3, status: 'applied' },
    ]);
    expect(await storedText(before.id)).toBe(before.description);
    expect(await storedText(after.id)).toBe(after.description);
    expect(await storedText(bad.id)).toBeUndefined();
    // The server's log says what failed (the desk gets only a generic reason).
    expect(logLines).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: 'mutation failed; refused',
        mutationId: 2,
        err: expect.objectContaining({ message: 'applier bug for the test' }),
      }),
    );
    // Nothing of the refused mutation stays (its number, events and receipts rolled back).
    const events = await t.backend.db
      .selectFrom('sok_event')
      .select('sok_id')
      .where('sok_id', '=', bad.id)
      .execute();
    expect(events).toEqual([]);
    // Recorded: the desk's resend gets the same answer, and its queue goes on.
    const again = await push(agent, [
      { id: 2, kind: 'sok.create', payload: bad },
      { id: 4, kind: 'sok.create', payload: sokDraft() },
    ]);
    expect(again.json<PushResponse>().results.map((r) => r.status)).toEqual([
      'rejected',
      'applied',
    ]);
    expect(await logged()).toEqual([
      [1, 'applied'],
      [2, 'rejected'],
      [3, 'applied'],
      [4, 'applied'],
    ]);
  });

  it('a text with U+0000 never fails the push; the valid ŞÖK beside it is stored', async () => {
    const nul = sokDraft({ description: 'Çöp\u0000 alınmadı.' });
    const valid = sokDraft();
    const res = await push(agent, [
      { id: 1, kind: 'sok.create', payload: nul },
      { id: 2, kind: 'sok.create', payload: valid },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const [first, second] = res.json<PushResponse>().results;
    expect(second).toEqual({ id: 2, status: 'applied' });
    expect(await storedText(valid.id)).toBe(valid.description);
    if (kind === 'postgres') {
      // PostgreSQL cannot store it: refused with a reason, nothing of it written.
      expect(first).toMatchObject({ id: 1, status: 'rejected', error: { code: 'validation' } });
    }
    if (first?.status === 'rejected') expect(await storedText(nul.id)).toBeUndefined();
    else expect(await storedText(nul.id)).toBe(nul.description);
  });

  it("one desk's bad push in a group does not fail another desk's push", async () => {
    const mine = sokDraft();
    const theirs = sokDraft();
    const [a, b] = await Promise.all([
      push(agent, [
        { id: 1, kind: 'sok.create', payload: sokDraft({ citizenName: THROWS }) },
        { id: 2, kind: 'sok.create', payload: mine },
      ]),
      push(other, [{ id: 1, kind: 'sok.create', payload: theirs }]),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json<PushResponse>().results.map((r) => r.status)).toEqual(['rejected', 'applied']);
    expect(b.json<PushResponse>().results).toEqual([{ id: 1, status: 'applied' }]);
    expect(await storedText(mine.id)).toBeDefined();
    expect(await storedText(theirs.id)).toBeDefined();
  });

  it('an unknown kind or a malformed payload is refused alone, not the whole batch', async () => {
    const valid = sokDraft();
    const res = await push(agent, [
      { id: 1, kind: 'sok.explode', payload: {} },
      { id: 2, kind: 'sok.create', payload: { id: 42, description: ['x'] } },
      { id: 3, kind: 'sok.create', payload: valid },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<PushResponse>().results).toEqual([
      {
        id: 1,
        status: 'rejected',
        error: { code: 'validation', message: expect.stringContaining('sok.explode') },
        entity: null,
      },
      expect.objectContaining({
        id: 2,
        status: 'rejected',
        error: expect.objectContaining({ code: 'validation' }),
      }),
      { id: 3, status: 'applied' },
    ]);
    expect(await storedText(valid.id)).toBe(valid.description);
  });

  it('a malformed envelope is still a 400 that writes nothing', async () => {
    const res = await push(agent, [{ id: 'bir', kind: 'sok.create', payload: sokDraft() }]);
    expect(res.statusCode).toBe(400);
    expect(await logged()).toEqual([]);
  });
});
