import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Mutation, PushResponse } from '../../domain/sync';
import { readReferenceFile, seedReferenceData } from '../reference-seed';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';

/**
 * An organisation's mailbox is the administrators' once they set it: a restart (which re-seeds
 * the reference data) never overwrites it. An e-mail to an organisation without a mailbox is
 * not lost: it waits, visibly, and goes as soon as the address is set.
 */
forEachBackend('organisation mailboxes survive restarts; mail waits for them', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let mutationId = 0;

  beforeEach(async () => {
    t = await createTestApp(kind, { workflow: { minAttemptIntervalMinutes: 0 } });
    for (const [username, role, orgCode] of [
      ['ajan', 'agent', 'bikom'],
      ['yonetici', 'admin', 'bikom'],
      ['masa1', 'desk', 'ilce.yildirim'],
    ] as const) {
      await createUser(t, { username, role, orgCode });
      tokens[username] = (await login(t, username)).accessToken;
    }
  });
  afterEach(() => t.close());

  const setMailbox = async (code: string, email: string | null) => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/admin/organisations/${code}`,
      headers: bearer(tokens.yonetici!),
      payload: { email },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const mailbox = async (code: string) =>
    (
      await t.backend.db
        .selectFrom('organisation')
        .select('email')
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    ).email;
  /** What the server does at every start (start.ts). */
  const restartSeed = () =>
    seedReferenceData(t.backend.db, readReferenceFile(t.backend.config.referenceFile));

  it('an address an administrator set (or cleared) is kept when the server restarts', async () => {
    await setMailbox('bikom', 'bikom@alo153.test');
    await restartSeed();
    expect(await mailbox('bikom')).toBe('bikom@alo153.test');

    // A later release ships addresses: a new organisation gets its shipped address …
    const shipped = readReferenceFile(t.backend.config.referenceFile);
    const bikom = shipped.organisations.find((o) => o.code === 'bikom')!;
    const withAddresses = {
      ...shipped,
      organisations: [
        ...shipped.organisations.map((o) =>
          o.code === 'ilce.yildirim' || o.code === 'bikom'
            ? { ...o, email: `shipped@${o.code}.test` }
            : o,
        ),
        { ...bikom, code: 'yeni.birim', name: 'Yeni Birim', email: 'yeni@birim.test' },
      ],
    };
    await setMailbox('ilce.yildirim', null);
    await seedReferenceData(t.backend.db, withAddresses);
    expect(await mailbox('yeni.birim')).toBe('yeni@birim.test');
    // … but never overwrites one an administrator set, nor one they deliberately cleared.
    expect(await mailbox('bikom')).toBe('bikom@alo153.test');
    expect(await mailbox('ilce.yildirim')).toBeNull();
  });

  const applied = async (user: string, kind: Mutation['kind'], payload: unknown) => {
    mutationId += 1;
    const res = await t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(tokens[user]!),
      payload: { mutations: [{ id: mutationId, kind, payload }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<PushResponse>().results[0]!;
    expect(result, JSON.stringify(result)).toMatchObject({ status: 'applied' });
  };

  it('the handoff e-mail to BİKOM waits for its address and goes once it is set', async () => {
    await setMailbox('bikom', 'bikom@alo153.test');
    await restartSeed();
    // The restart used to wipe it: the handoff below found no address and was dropped.
    await setMailbox('bikom', null);

    const id = randomUUID();
    await applied('ajan', 'sok.create', {
      id,
      regNo: null,
      typeCode: 'sikayet',
      channelCode: 'telefon',
      topicCode: 'yol.cukur',
      districtCode: 'yildirim',
      mahalle: 'Değirmenönü',
      address: 'Çınar Sokak',
      description: 'Sokakta derin bir çukur var.',
      citizenName: 'Ayşe Işık',
      citizenPhone: '+905321234567',
      registeredAt: t.clock.now().toISOString(),
    });
    await applied('masa1', 'sok.decide', {
      sokId: id,
      kind: 'wont-do',
      reasonCategory: 'private',
      explanation: 'Çukur özel otoparkın içinde; mülk sahibinin sorumluluğunda.',
    });
    await applied('masa1', 'callback.claim', { sokId: id });
    t.clock.advance(60);
    await applied('masa1', 'callback.attempt', {
      sokId: id,
      at: t.clock.now().toISOString(),
      outcome: 'reached',
      note: 'Kararı anlattım.',
    });

    const handoff = () =>
      t.backend.db
        .selectFrom('notification')
        .select(['state', 'recipient', 'last_error', 'body'])
        .where('sok_id', '=', id)
        .where('purpose', '=', 'handoff')
        .execute();
    // Waiting, visibly: failed with the reason, in the lists of failed messages.
    const waiting = await handoff();
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ state: 'failed' });
    expect(waiting[0]!.last_error).toContain('e-posta adresi tanımlı değil');
    const note = await t.backend.db
      .selectFrom('sok_event')
      .select('note')
      .where('sok_id', '=', id)
      .where('kind', '=', 'mail-not-sent')
      .executeTakeFirstOrThrow();
    expect(note.note).toContain('adres girilince gönderilecek');

    await setMailbox('bikom', 'bikom@alo153.test');
    const released = await handoff();
    expect(released).toHaveLength(1);
    expect(released[0]).toMatchObject({
      state: 'pending',
      recipient: 'bikom@alo153.test',
      last_error: null,
    });
    expect(released[0]!.body).toContain('mülk sahibinin sorumluluğunda');
  });
});
