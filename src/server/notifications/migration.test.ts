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

forEachBackend('migration 0002-notifications', (kind) => {
  let b: TestBackend;
  useUnmigratedBackend(kind, (backend) => (b = backend));

  it('adds the outbox and templates to a database with ŞÖKs, keeping them, and goes back', async () => {
    const to = (name: string) => migrateTo(b.db, name);
    await to('0001-initial');
    await seedReferenceData(b.db, readReferenceFile(b.config.referenceFile));
    const now = new Date().toISOString();
    const userId = await insertUser(b.db, {
      username: 'eski',
      displayName: 'Eski Kullanıcı',
      passwordHash: 'x',
      role: 'agent',
      orgCode: 'bikom',
      now,
    });
    const sokId = randomUUID();
    // Untyped: the table as it was in 0001.
    await b.db
      .insertInto('sok')
      .values({
        id: sokId,
        reg_no: '0000-0018',
        type_code: 'sikayet',
        channel_code: 'telefon',
        topic_code: 'yol.cukur',
        district_code: 'nilufer',
        mahalle: '',
        address: '',
        description: 'Yolda derin bir çukur var.',
        citizen_name: 'Işıl Çağlar',
        citizen_phone: '+905321234567',
        status: 'registered',
        origin_org: 'bikom',
        target_org: null,
        created_by: userId,
        created_at: now,
        updated_at: now,
        change_seq: 1,
      })
      .execute();

    await to('0002-notifications');
    const sok = await b.db.selectFrom('sok').select(['id', 'citizen_name']).executeTakeFirst();
    expect(sok).toEqual({ id: sokId, citizen_name: 'Işıl Çağlar' });
    await b.db
      .insertInto('notification')
      .values({
        id: randomUUID(),
        sok_id: sokId,
        channel: 'sms',
        purpose: 'receipt',
        recipient: '+905321234567',
        subject: null,
        body: 'Başvurunuz alındı.',
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
        last_error: null,
        provider_message_id: null,
        claim_token: null,
        claimed_until: null,
        created_at: now,
        updated_at: now,
        sent_at: null,
        change_seq: 2,
      })
      .execute();
    // The checks hold on both backends.
    await expect(
      b.db
        .updateTable('notification')
        .set({ state: 'lost' as 'sent' })
        .execute(),
    ).rejects.toThrow();
    await expect(
      b.db
        .insertInto('notification_template')
        .values([
          { code: 'x', locale: 'tr', subject: null, body: 'a', updated_by: null, updated_at: now },
          { code: 'x', locale: 'tr', subject: null, body: 'b', updated_by: null, updated_at: now },
        ])
        .execute(),
    ).rejects.toThrow();

    await b.db.deleteFrom('notification').execute();
    await to('0001-initial');
    expect(await b.db.selectFrom('sok').select('id').execute()).toEqual([{ id: sokId }]);
    await to('0002-notifications');
    expect(await b.db.selectFrom('notification').select('id').execute()).toEqual([]);
  });
});
