import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { insertUser } from '../auth/users';
import { migrateTo } from '../db/migrate';
import { readReferenceFile, seedReferenceData } from '../reference-seed';
import {
  forEachBackend,
  useUnmigratedBackend,
  type TestBackend,
} from '../../../test/support/backends';

forEachBackend('migration 0009-agent-calls', (kind) => {
  let b: TestBackend;
  useUnmigratedBackend(kind, (backend) => (b = backend));

  it('adds the agents’ current calls to a database with states and a call log, keeping them, and goes back', async () => {
    const to = (name: string) => migrateTo(b.db, name);
    await to('0008-missed-calls');
    await seedReferenceData(b.db, readReferenceFile(b.config.referenceFile));
    const now = '2026-03-02T09:00:00.000Z';
    const userId = await insertUser(b.db, {
      username: 'ajan1',
      displayName: 'Ajan Bir',
      passwordHash: 'x',
      role: 'agent',
      orgCode: 'bikom',
      now,
    });
    const state = {
      user_id: userId,
      org_code: 'bikom',
      state: 'available',
      reason: null,
      since: '2026-03-02T08:00:00.000Z',
      updated_at: now,
    };
    await b.db.insertInto('agent_state').values(state).execute();
    const callId = randomUUID();
    await b.db
      .insertInto('call_log')
      .values({
        id: callId,
        org_code: 'bikom',
        agent_id: userId,
        client_id: 'masa-1',
        sip_call_id: 'abc@alo153',
        direction: 'inbound',
        number: '05321234567',
        started_at: '2026-03-02T08:50:00.000Z',
        answered_at: '2026-03-02T08:50:04.000Z',
        ended_at: '2026-03-02T08:52:04.000Z',
        duration_seconds: 120,
        outcome: 'answered',
        recorded_at: now,
      })
      .execute();

    await to('0009-agent-calls');
    expect(await b.db.selectFrom('agent_state').selectAll().execute()).toEqual([state]);
    expect(
      await b.db
        .selectFrom('call_log')
        .select(['id', 'duration_seconds'])
        .where('started_at', '>=', '2026-03-02T00:00:00.000Z')
        .execute(),
    ).toEqual([{ id: callId, duration_seconds: 120 }]);
    const call = {
      user_id: userId,
      org_code: 'bikom',
      session_id: 'oturum-1',
      call_id: randomUUID(),
      phase: 'talking' as const,
      direction: 'inbound' as const,
      started_at: '2026-03-02T08:58:00.000Z',
      answered_at: '2026-03-02T08:58:03.000Z',
      sok_id: null,
      at: '2026-03-02T08:58:03.000Z',
      updated_at: now,
    };
    await b.db.insertInto('agent_call').values(call).execute();
    // One row per agent: the newest report replaces it, a second row cannot appear.
    await expect(b.db.insertInto('agent_call').values(call).execute()).rejects.toThrow();
    // A desk with no call keeps the row, with nothing but the time of its report.
    await b.db
      .updateTable('agent_call')
      .set({
        call_id: null,
        phase: null,
        direction: null,
        started_at: null,
        answered_at: null,
        at: '2026-03-02T08:59:00.000Z',
      })
      .execute();
    expect(await b.db.selectFrom('agent_call').select(['phase', 'at']).execute()).toEqual([
      { phase: null, at: '2026-03-02T08:59:00.000Z' },
    ]);

    await to('0008-missed-calls');
    await expect(b.db.selectFrom('agent_call').selectAll().execute()).rejects.toThrow();
    expect(await b.db.selectFrom('call_log').select('id').execute()).toEqual([{ id: callId }]);
    await to('0009-agent-calls');
    expect(await b.db.selectFrom('agent_call').selectAll().execute()).toEqual([]);
  });
});
