import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { subjectRequestDue } from '../../domain/kvkk';
import { forEachBackend } from '../../../test/support/backends';
import { startSmtpProcess, type SmtpProcess } from '../../../test/support/notifications';
import { createTestApp, type TestApp } from '../../../test/support/server-app';
import { sendSubjectRequestReminders } from './reminders';

const addDays = (at: Date, days: number) => new Date(at.getTime() + days * 24 * 3600 * 1000);

/**
 * KVKK art. 13: the call centre's mailbox hears of an open citizen's request five days before
 * its 30 days run out, and again once it is overdue; each reminder once, whatever the instances
 * or runs; nothing for an answered request.
 */
forEachBackend('KVKK request reminders', (kind) => {
  let t: TestApp;
  let smtp: SmtpProcess;
  beforeAll(async () => {
    smtp = await startSmtpProcess({ reject: '@red\\.example$' });
    t = await createTestApp(kind, {
      notifications: {
        workerEnabled: false,
        smtp: { host: smtp.host, port: smtp.port, from: 'Alo 153 <alo153@bursa.example>' },
      },
    });
    await t.backend.db
      .updateTable('organisation')
      .set({ email: 'bikom@bursa.example' })
      .where('code', '=', 'bikom')
      .execute();
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  const request = async (receivedAt: Date, state: 'open' | 'answered' = 'open') => {
    const id = randomUUID();
    await t.backend.db
      .insertInto('subject_request')
      .values({
        id,
        kind: 'access',
        subject_phone: '+905321234567',
        subject_email: null,
        note: '',
        received_at: receivedAt.toISOString(),
        due_at: subjectRequestDue(receivedAt).toISOString(),
        registered_by: randomUUID(),
        state,
        answered_at: state === 'answered' ? receivedAt.toISOString() : null,
        answered_by: null,
        outcome: null,
      })
      .execute();
    return id;
  };

  it('mails the call centre once when a request is due within 5 days and once when overdue', async () => {
    const deps = { db: t.backend.db, config: t.backend.config };
    const start = new Date('2026-03-02T09:00:00.000Z');
    const id = await request(start);
    await request(start, 'answered');

    // Day 20: 10 days left, nothing to say.
    let run = await sendSubjectRequestReminders({ ...deps, now: addDays(start, 20) });
    expect(run.sent).toEqual([]);
    // Day 26: 4 days left.
    run = await sendSubjectRequestReminders({ ...deps, now: addDays(start, 26) });
    expect(run.sent).toEqual([{ id, reminder: 'due-soon' }]);
    run = await sendSubjectRequestReminders({ ...deps, now: addDays(start, 27) });
    expect(run.sent).toEqual([]);
    // Day 31: overdue.
    run = await sendSubjectRequestReminders({ ...deps, now: addDays(start, 31) });
    expect(run.sent).toEqual([{ id, reminder: 'overdue' }]);
    run = await sendSubjectRequestReminders({ ...deps, now: addDays(start, 40) });
    expect(run.sent).toEqual([]);

    const mails = await smtp.waitForMessages(2);
    const all = await smtp.messages();
    expect(all).toHaveLength(2);
    expect(all.map((m) => m.envelope.to)).toEqual([
      ['bikom@bursa.example'],
      ['bikom@bursa.example'],
    ]);
    expect(mails[0]!.subject).toContain('5 gün içinde doluyor');
    expect(mails[1]!.subject).toContain('süresi geçti');
    expect(mails[1]!.text).toContain(id);
    // The mailbox is told which request, not who asked.
    expect(mails[0]!.text).not.toContain('5321234567');

    const row = await t.backend.db
      .selectFrom('subject_request')
      .select(['due_soon_mailed_at', 'overdue_mailed_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.due_soon_mailed_at).toBe(addDays(start, 26).toISOString());
    expect(row.overdue_mailed_at).toBe(addDays(start, 31).toISOString());
  });

  it('waits for the mailbox and tries again after a refusal; nothing is recorded unsent', async () => {
    const deps = { db: t.backend.db, config: t.backend.config };
    const start = new Date('2026-06-01T09:00:00.000Z');
    const setMailbox = (email: string | null) =>
      t.backend.db.updateTable('organisation').set({ email }).where('code', '=', 'bikom').execute();
    const id = await request(start);
    const marks = () =>
      t.backend.db
        .selectFrom('subject_request')
        .select(['due_soon_mailed_at', 'overdue_mailed_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();

    await setMailbox(null);
    const none = await sendSubjectRequestReminders({ ...deps, now: addDays(start, 31) });
    expect(none.status).toBe('no-mailbox');
    expect(await marks()).toEqual({ due_soon_mailed_at: null, overdue_mailed_at: null });

    await setMailbox('kvkk@red.example');
    const refused = await sendSubjectRequestReminders({ ...deps, now: addDays(start, 31) });
    expect(refused.failed.map((f) => [f.id, f.reminder])).toEqual([[id, 'overdue']]);
    expect(await marks()).toEqual({ due_soon_mailed_at: null, overdue_mailed_at: null });

    // Already overdue when first mailed: only the overdue reminder, once.
    await setMailbox('bikom@bursa.example');
    const sent = await sendSubjectRequestReminders({ ...deps, now: addDays(start, 32) });
    expect(sent.sent.filter((s) => s.id === id)).toEqual([{ id, reminder: 'overdue' }]);
    expect((await marks()).overdue_mailed_at).toBe(addDays(start, 32).toISOString());
    const again = await sendSubjectRequestReminders({ ...deps, now: addDays(start, 33) });
    expect(again.sent.filter((s) => s.id === id)).toEqual([]);
  });
});
