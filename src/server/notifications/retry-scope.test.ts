import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withWriteLock } from '../db/write-lock';
import type { NotificationState } from '../db/schema';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  type LoginTokens,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';
import { enqueueReceipts } from './enqueue';
import { seedNotificationTemplates } from './templates';
import { insertSok, type NotificationBackend } from '../../../test/support/notifications';

forEachBackend('retrying a failed notification, within the organisation', (kind) => {
  let t: TestApp;
  let nb: NotificationBackend;
  let niluferSupervisor: LoginTokens;
  let bikomSupervisor: LoginTokens;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await seedNotificationTemplates(t.backend.db, t.clock.now());
    const agentId = await createUser(t, { username: 'temsilci' });
    await createUser(t, { username: 'nil.sup', role: 'supervisor', orgCode: 'ilce.nilufer' });
    await createUser(t, { username: 'bikom.sup', role: 'supervisor', orgCode: 'bikom' });
    niluferSupervisor = await login(t, 'nil.sup');
    bikomSupervisor = await login(t, 'bikom.sup');
    nb = { ...t.backend, agentId };
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A ŞÖK of `originOrg` whose SMS receipt is in `state`; returns the notification's id. */
  const smsOf = async (originOrg: string, state: NotificationState = 'failed') => {
    const sok = await insertSok(nb, { originOrg, citizenPhone: '+905321234567' });
    const { receipts } = await withWriteLock(t.backend.db, (trx) =>
      enqueueReceipts(trx, { sok, topicName: 'Yol', now: t.clock.now() }),
    );
    const id = receipts.find((r) => r.channel === 'sms')?.id ?? '';
    await t.backend.db
      .updateTable('notification')
      .set({ state, attempts: 8, last_error: 'HTTP 400' })
      .where('id', '=', id)
      .execute();
    return id;
  };
  const retry = (id: string, token: string) =>
    t.app.inject({
      method: 'POST',
      url: `/admin/notifications/${id}/retry`,
      headers: bearer(token),
    });
  const stateOf = async (id: string) =>
    (
      await t.backend.db
        .selectFrom('notification')
        .select('state')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).state;

  it('answers another organisation’s notification exactly like one that does not exist, and leaves it alone', async () => {
    const missing = await retry(randomUUID(), niluferSupervisor.accessToken);
    expect(missing.statusCode).toBe(404);
    for (const org of ['bikom', 'ilce.osmangazi']) {
      const failed = await smsOf(org);
      const res = await retry(failed, niluferSupervisor.accessToken);
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe(missing.body);
      expect(res.body).not.toContain('532');
      expect(await stateOf(failed)).toBe('failed');
      // A state (409 for "not failed") is no hint either.
      const sent = await smsOf(org, 'sent');
      const other = await retry(sent, niluferSupervisor.accessToken);
      expect(other.statusCode).toBe(404);
      expect(other.body).toBe(missing.body);
    }
  });

  it('requeues its own organisation’s failed SMS, with the number in full', async () => {
    const id = await smsOf('ilce.nilufer');
    const res = await retry(id, niluferSupervisor.accessToken);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      receipt: { id, state: 'pending', recipient: '+905321234567' },
    });
  });

  it('masks the number for a reader who may see the ŞÖK but not its contact details', async () => {
    // BİKOM's supervisors oversee every ŞÖK, but this one was taken and is handled by Nilüfer.
    const id = await smsOf('ilce.nilufer');
    const res = await retry(id, bikomSupervisor.accessToken);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      receipt: { id, state: 'pending', recipient: '+90 532 *** ** 67' },
    });
    expect(res.body).not.toContain('5321234567');
  });
});
