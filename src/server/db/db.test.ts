import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  forEachBackend,
  createTestBackend,
  type TestBackend,
} from '../../../test/support/backends';
import { autoIncrementId, timestamp } from './migrations/columns';
import { migrateDownOne, migrateToLatest } from './migrate';
import { migrations } from './migrations';
import { bumpCounter, currentChangeSeq, nextChangeSeq, withWriteLock } from './write-lock';
import { sql, type Kysely } from 'kysely';

const TABLES = [
  'access_revocation',
  'app_user',
  'client',
  'counter',
  'district',
  'login_throttle',
  'mutation_log',
  'number_block',
  'organisation',
  'retired_refresh_token',
  'session',
  'sok',
];

forEachBackend('server database', (kind) => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await createTestBackend(kind);
  });
  afterAll(async () => {
    await backend?.drop();
  });

  it('creates every table of migration 0001 and migrating again changes nothing', async () => {
    const tables = (await backend.db.introspection.getTables()).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(TABLES));
    expect(await migrateToLatest(backend.db)).toEqual([]);
  });

  it('gives the sync layer the exact sok columns it expects', async () => {
    const sok = (await backend.db.introspection.getTables()).find((t) => t.name === 'sok');
    expect(sok?.columns.map((c) => c.name).sort()).toEqual(
      [
        'id',
        'reg_no',
        'type_code',
        'channel_code',
        'topic_code',
        'district_code',
        'mahalle',
        'address',
        'description',
        'citizen_name',
        'citizen_phone',
        'status',
        'origin_org',
        'target_org',
        'created_by',
        'created_at',
        'updated_at',
        'change_seq',
        'deleted',
        'citizen_email',
        'preferred_contact',
        'latitude',
        'longitude',
        'kvkk_notice_by',
        'kvkk_notice_at',
        'sms_consent',
        'route_rule_id',
        'route_reason',
        'accepted_by',
        'accepted_at',
        'decision',
        'callback',
        'callback_owner_org',
        'callback_state',
        'callback_due_at',
        'callback_closed_at',
        'claimed_by',
        'claim_until',
        'escalation_level',
        'anonymised_at',
        'kvkk_notice_version',
        'sms_consent_version',
        'sms_consent_withdrawn_at',
      ].sort(),
    );
  });

  it('starts both counters at zero and reads bigint values as numbers', async () => {
    expect(await currentChangeSeq(backend.db)).toBe(0);
    const regNo = await withWriteLock(backend.db, (trx) => bumpCounter(trx, 'reg_no', 100));
    expect(regNo).toEqual({ first: 1, last: 100 });
    // (SQLite also keeps the stats triggers' marking counter there, migration 0010.)
    const count = await backend.db
      .selectFrom('counter')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('name', 'in', ['change', 'reg_no'])
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(2);
  });

  it('rolls back the whole write when the callback throws', async () => {
    const before = await currentChangeSeq(backend.db);
    await expect(
      withWriteLock(backend.db, async (trx) => {
        await nextChangeSeq(trx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await currentChangeSeq(backend.db)).toBe(before);
  });

  it('enforces foreign keys and the 0/1 check on booleans', async () => {
    await expect(
      backend.db
        .insertInto('organisation')
        .values({
          code: 'x',
          name: 'X',
          short_name: 'X',
          kind: 'institution',
          district_code: 'no-such-district',
          public_phone: null,
          email: null,
        })
        .execute(),
    ).rejects.toThrow();
    await backend.db.insertInto('district').values({ code: 'd1', name: 'D1' }).execute();
    await backend.db
      .insertInto('organisation')
      .values({
        code: 'o1',
        name: 'O1',
        short_name: 'O1',
        kind: 'institution',
        district_code: 'd1',
        public_phone: null,
        email: null,
      })
      .execute();
    await expect(
      backend.db
        .insertInto('app_user')
        .values({
          id: randomUUID(),
          username: 'u',
          display_name: 'U',
          password_hash: 'x',
          role: 'agent',
          org_code: 'o1',
          active: 2,
          locked_until: null,
          created_at: 'now',
          updated_at: 'now',
        })
        .execute(),
    ).rejects.toThrow();
  });

  it('makes change sequences visible in commit order: a reader never sees a gap', async () => {
    const db = backend.db;
    const user = randomUUID();
    await db
      .insertInto('app_user')
      .values({
        id: user,
        username: `seq-${kind}`,
        display_name: 'Seq',
        password_hash: 'x',
        role: 'agent',
        org_code: 'o1',
        locked_until: null,
        created_at: 'now',
        updated_at: 'now',
      })
      .execute();
    const base = await currentChangeSeq(db);
    const writers = 24;
    let done = false;
    const gaps: number[][] = [];
    const reader = (async () => {
      while (!done) {
        const rows = await db
          .selectFrom('sok')
          .select('change_seq')
          .where('change_seq', '>', base)
          .orderBy('change_seq')
          .execute();
        const seqs = rows.map((r) => r.change_seq);
        if (seqs.some((s, i) => s !== base + i + 1)) gaps.push(seqs);
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        withWriteLock(db, async (trx) => {
          const seq = await nextChangeSeq(trx);
          // Hold the transaction open a little so commits would interleave without the lock.
          await new Promise((r) => setTimeout(r, (i * 7) % 5));
          await trx
            .insertInto('sok')
            .values({
              id: randomUUID(),
              reg_no: `seq-${seq}`,
              type_code: 'sikayet',
              channel_code: 'telefon',
              topic_code: 'x',
              district_code: 'd1',
              mahalle: '',
              address: '',
              description: 'sıra testi',
              citizen_name: 'Test',
              citizen_phone: '+905321234567',
              status: 'registered',
              origin_org: 'o1',
              target_org: null,
              created_by: user,
              created_at: 'now',
              updated_at: 'now',
              change_seq: seq,
            })
            .execute();
        }),
      ),
    );
    done = true;
    await reader;
    expect(gaps).toEqual([]);
    expect(await currentChangeSeq(db)).toBe(base + writers);
  });
});

forEachBackend('migrations', (kind) => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await createTestBackend(kind, {}, { migrate: false });
  });
  afterAll(async () => {
    await backend?.drop();
  });

  it('migrates up from empty, down to empty, and up again', async () => {
    const db = backend.db;
    expect((await migrateToLatest(db)).map((r) => r.migrationName)).toEqual(
      Object.keys(migrations),
    );
    for (let i = 0; i < Object.keys(migrations).length; i++) await migrateDownOne(db);
    const left = (await backend.db.introspection.getTables()).map((t) => t.name);
    // Every migration's down undoes its up: nothing is left but the migrator's own tables.
    expect(left.filter((t) => !/^(schema_migration|sqlite_sequence)/.test(t))).toEqual([]);
    await migrateToLatest(db);
  });

  it('refuses a database migrated by a newer server', async () => {
    await sql`insert into schema_migration (name, timestamp) values ('9999-future', 'x')`.execute(
      backend.db,
    );
    await expect(migrateToLatest(backend.db)).rejects.toThrow(
      /newer server version \(unknown migration 9999-future\)/,
    );
  });

  it('has one helper for auto-increment keys that works in both dialects', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const db = backend.db as unknown as Kysely<any>;
    await db.schema
      .createTable('helper_probe')
      .$call(autoIncrementId('id', kind))
      .$call(timestamp('at'))
      .execute();
    await db
      .insertInto('helper_probe')
      .values([{ at: 'a' }, { at: 'b' }])
      .execute();
    const rows = await db.selectFrom('helper_probe').select('id').orderBy('id').execute();
    expect(rows).toEqual([{ id: 1 }, { id: 2 }]);
    await db.schema.dropTable('helper_probe').execute();
  });
});
