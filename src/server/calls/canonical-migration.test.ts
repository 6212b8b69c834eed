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

forEachBackend('migration 0015-canonical-call-numbers', (kind) => {
  let b: TestBackend;
  useUnmigratedBackend(kind, (backend) => (b = backend));

  it('stores every call-log number written before in E.164 (one form for matching callbacks)', async () => {
    await migrateTo(b.db, '0013-auth-throttle');
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
    const numbers = ['+905321234567', '05321234567', '5321234567', '02241234567', '1001'];
    for (const [i, number] of numbers.entries()) {
      await b.db
        .insertInto('call_log')
        .values({
          id: randomUUID(),
          org_code: 'bikom',
          agent_id: userId,
          client_id: 'masa-1',
          sip_call_id: `c${i}@alo153`,
          direction: 'inbound',
          number,
          started_at: `2026-03-02T08:5${i}:00.000Z`,
          answered_at: null,
          ended_at: `2026-03-02T08:5${i}:30.000Z`,
          duration_seconds: 0,
          outcome: 'missed',
          callback_state: 'owed',
          recorded_at: now,
        })
        .execute();
    }
    await migrateTo(b.db, '0015-canonical-call-numbers');
    const rows = await b.db
      .selectFrom('call_log')
      .select(['sip_call_id', 'number'])
      .orderBy('sip_call_id')
      .execute();
    expect(rows.map((r) => r.number)).toEqual([
      '+905321234567',
      '+905321234567',
      '+905321234567',
      '+902241234567',
      '1001',
    ]);
  });
});
