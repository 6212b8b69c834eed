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

forEachBackend('migration 0007-supervisor', (kind) => {
  let b: TestBackend;
  useUnmigratedBackend(kind, (backend) => (b = backend));

  it('adds the report record and indexes to a database with decided ŞÖKs, keeping them, and goes back', async () => {
    const to = (name: string) => migrateTo(b.db, name);
    await to('0005-callbacks');
    await seedReferenceData(b.db, readReferenceFile(b.config.referenceFile));
    const now = '2026-03-02T09:00:00.000Z';
    const userId = await insertUser(b.db, {
      username: 'masa',
      displayName: 'Deniz Masa',
      passwordHash: 'x',
      role: 'desk',
      orgCode: 'ilce.yildirim',
      now,
    });
    const sokId = randomUUID();
    await b.db
      .insertInto('sok')
      .values({
        id: sokId,
        reg_no: '0000-0042',
        type_code: 'sikayet',
        channel_code: 'telefon',
        topic_code: 'yol.cukur',
        district_code: 'yildirim',
        mahalle: '',
        address: '',
        description: 'Yolda derin bir çukur var.',
        citizen_name: 'Işıl Çağlar',
        citizen_phone: '+905321234567',
        status: 'decided',
        origin_org: 'bikom',
        target_org: 'ilce.yildirim',
        created_by: userId,
        created_at: now,
        updated_at: now,
        change_seq: 1,
        callback_owner_org: 'ilce.yildirim',
        callback_state: 'open',
        callback_due_at: '2026-03-04T14:30:00.000Z',
      })
      .execute();

    await to('0007-supervisor');
    expect(
      await b.db
        .selectFrom('sok')
        .select(['id', 'citizen_name', 'callback_state', 'callback_due_at'])
        .execute(),
    ).toEqual([
      {
        id: sokId,
        citizen_name: 'Işıl Çağlar',
        callback_state: 'open',
        callback_due_at: '2026-03-04T14:30:00.000Z',
      },
    ]);
    const row = {
      month: '2026-02',
      state: 'sent' as const,
      recipients: 'mudur@bursa.example',
      attempts: 1,
      last_error: null,
      claimed_until: now,
      updated_at: now,
      sent_at: now,
    };
    await b.db.insertInto('monthly_report').values(row).execute();
    // One row per month: a second instance cannot record the same month again.
    await expect(b.db.insertInto('monthly_report').values(row).execute()).rejects.toThrow();

    await to('0005-callbacks');
    expect(await b.db.selectFrom('sok').select('id').execute()).toEqual([{ id: sokId }]);
    await to('0007-supervisor');
    expect(await b.db.selectFrom('monthly_report').select('month').execute()).toEqual([]);
  });
});
