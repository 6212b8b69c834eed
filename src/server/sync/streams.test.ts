import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Mutation, PushResponse } from '../../domain/sync';
import { forEachBackend } from '../../../test/support/backends';
import {
  apiError,
  bearer,
  createTestApp,
  createUser,
  login,
  sokDraft,
  type TestApp,
} from '../../../test/support/server-app';

forEachBackend('a sync stream belongs to the user who created it', (kind) => {
  let t: TestApp;
  const clientId = 'masa-ayse-0001';

  beforeEach(async () => {
    t = await createTestApp(kind);
    await createUser(t, { username: 'ayse', role: 'agent', orgCode: 'bikom' });
    await createUser(t, { username: 'bora', role: 'agent', orgCode: 'bikom' });
  });
  afterEach(() => t.close());

  const push = (token: string, mutations: Mutation[]) =>
    t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(token),
      payload: { mutations },
    });
  const stored = async (id: string) =>
    (await t.backend.db.selectFrom('sok').select('id').where('id', '=', id).executeTakeFirst()) !==
    undefined;

  it("another user's sign-in with the same clientId cannot make Ayşe's work vanish", async () => {
    const ayse = (await login(t, 'ayse', undefined, clientId)).accessToken;
    const first = sokDraft();
    expect((await push(ayse, [{ id: 1, kind: 'sok.create', payload: first }])).statusCode).toBe(
      200,
    );

    // Bora signs in with Ayşe's clientId and pushes ids 2–4 of his own.
    const bora = (await login(t, 'bora', undefined, clientId)).accessToken;
    const his = [2, 3, 4].map((id) => ({
      id,
      kind: 'sok.create' as const,
      payload: sokDraft({ citizenName: 'Bora Kaya' }),
    }));
    const borasPush = await push(bora, his);
    expect(borasPush.statusCode, borasPush.body).toBe(200);
    for (const m of his) expect(await stored(m.payload.id)).toBe(true);

    // Ayşe's real mutation 2 arrives: stored, not answered from Bora's log.
    const second = sokDraft({ citizenName: 'Ayşe Işık' });
    const res = await push(ayse, [{ id: 2, kind: 'sok.create', payload: second }]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<PushResponse>()).toEqual({
      results: [{ id: 2, status: 'applied' }],
      lastMutationId: 2,
    });
    expect(await stored(second.id)).toBe(true);

    // The stream stays Ayşe's; Bora's sessions write to one of his own, the same at every sign-in.
    const streams = await t.backend.db
      .selectFrom('client')
      .innerJoin('app_user', 'app_user.id', 'client.user_id')
      .select(['client.id', 'app_user.username'])
      .orderBy('app_user.username')
      .execute();
    expect(streams.find((s) => s.id === clientId)?.username).toBe('ayse');
    const borasStream = streams.find((s) => s.username === 'bora')?.id;
    expect(borasStream).toBeDefined();
    const again = (await login(t, 'bora', undefined, clientId)).accessToken;
    const resent = await push(again, his);
    expect(resent.json<PushResponse>().lastMutationId).toBe(4);
    expect(
      await t.backend.db.selectFrom('client').select('id').where('id', '=', borasStream!).execute(),
    ).toHaveLength(1);
  });

  it('refuses a push on a stream that belongs to someone else, writing nothing', async () => {
    const ayse = (await login(t, 'ayse', undefined, clientId)).accessToken;
    // A session from before streams were bound: its stream has since become Bora's.
    const bora = await t.backend.db
      .selectFrom('app_user')
      .select('id')
      .where('username', '=', 'bora')
      .executeTakeFirstOrThrow();
    await t.backend.db
      .updateTable('client')
      .set({ user_id: bora.id })
      .where('id', '=', clientId)
      .execute();
    const draft = sokDraft();
    const res = await push(ayse, [{ id: 1, kind: 'sok.create', payload: draft }]);
    expect(res.statusCode).toBe(403);
    expect(apiError(res)).toMatchObject({
      code: 'forbidden',
      message: 'This sync stream belongs to another user.',
    });
    expect(await stored(draft.id)).toBe(false);
  });
});
