import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Updateable } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { insertUser } from '../auth/users';
import { migrateTo } from '../db/migrate';
import type { ServerDb } from '../db/open';
import type { SokTable } from '../db/schema';
import { readReferenceFile, seedReferenceData } from '../reference-seed';
import type { ScopeUser } from '../scope';
import { createTestApp, createUser, type TestApp } from '../../../test/support/server-app';
import {
  forEachBackend,
  useUnmigratedBackend,
  type TestBackend,
} from '../../../test/support/backends';
import { namesOf, slaFigures, volumeFigures, type FigureContext } from './figures';
import { addDays, istanbulDay, monthsOf } from './period';
import { planRange, usableMonths } from './stats';
import { refreshMonth, refreshSupervisorStats } from './stats-refresher';

/**
 * The monthly stats (migration 0010, ./stats.ts): the triggers mark what a write touches, the
 * refresher clears only what it computed from an unchanged month, and the figures read through
 * the stats equal the figures computed from `sok` alone.
 */

const DAY = 86_400_000;

interface SokInput {
  created: string;
  origin: string;
  target: string | null;
  topic: string;
  district: string;
  channel: string;
  deleted: 0 | 1;
  callback: {
    owner: string | null;
    state: string;
    due: string;
    closed: string | null;
  } | null;
}

/** A ŞÖK registered at BİKOM for Yıldırım, no callback (add `created`). */
const PLAIN: Omit<SokInput, 'created'> = {
  origin: 'bikom',
  target: 'ilce.yildirim',
  topic: 'yol.cukur',
  district: 'yildirim',
  channel: 'telefon',
  deleted: 0,
  callback: null,
};

let regNo = 0;
function sokRow(input: SokInput, createdBy: string): Record<keyof SokTable, unknown> {
  regNo += 1;
  return {
    id: randomUUID(),
    reg_no: `7000-${String(regNo).padStart(6, '0')}`,
    type_code: 'sikayet',
    channel_code: input.channel,
    topic_code: input.topic,
    district_code: input.district,
    mahalle: '',
    address: '',
    description: 'test',
    citizen_name: 'Ayşe Işık',
    citizen_phone: '+905321234567',
    status: input.callback ? 'decided' : 'routed',
    origin_org: input.origin,
    target_org: input.target,
    created_by: createdBy,
    created_at: input.created,
    updated_at: input.created,
    change_seq: regNo,
    deleted: input.deleted,
    citizen_email: null,
    preferred_contact: null,
    latitude: null,
    longitude: null,
    kvkk_notice_by: null,
    kvkk_notice_at: null,
    sms_consent: 0,
    route_rule_id: null,
    route_reason: null,
    accepted_by: null,
    accepted_at: null,
    decision: null,
    callback: null,
    callback_owner_org: input.callback?.owner ?? null,
    callback_state: input.callback?.state ?? null,
    callback_due_at: input.callback?.due ?? null,
    callback_closed_at: input.callback?.closed ?? null,
    claimed_by: null,
    claim_until: null,
    escalation_level: null,
    anonymised_at: null,
    kvkk_notice_version: null,
    sms_consent_version: null,
    sms_consent_withdrawn_at: null,
  };
}

const KVKK_COLUMNS = new Set([
  'anonymised_at',
  'kvkk_notice_version',
  'sms_consent_version',
  'sms_consent_withdrawn_at',
]);

async function insertSoks(db: ServerDb, inputs: SokInput[], createdBy: string): Promise<string[]> {
  const rows = inputs.map((i) => sokRow(i, createdBy));
  // Columns added after migration 0010 are left out (null by default), so the rows also fit the
  // schema the migration test builds.
  const fitting = rows.map((row) =>
    Object.fromEntries(Object.entries(row).filter(([k]) => !KVKK_COLUMNS.has(k))),
  );
  for (let i = 0; i < rows.length; i += 100) {
    await db
      .insertInto('sok')
      .values(fitting.slice(i, i + 100) as never)
      .execute();
  }
  return rows.map((r) => r.id as string);
}

async function markers(db: ServerDb): Promise<string[]> {
  const rows = await db.selectFrom('sok_stats_dirty').select(['basis', 'month']).execute();
  return rows.map((r) => `${r.basis}:${r.month}`).sort();
}

const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------------------------------------
// Random ŞÖKs: many months, organisations, topics and callback states, biased towards the
// edges where an off-by-one would show (Istanbul month starts, the 30-day legal limit, due time).

const ORIGINS = ['bikom', 'bikom', 'ilce.nilufer', 'ilce.yildirim'];
const ORGS = ['ilce.nilufer', 'ilce.yildirim', 'ilce.osmangazi', 'bb.fen-isleri'];
const FIRST = Date.parse('2024-10-01T00:00:00.000Z');
const NOW = Date.parse('2026-03-02T09:00:00.000Z');
const MONTH_STARTS = monthsOf('2024-10-01', '2026-03-31').map((m) => Date.parse(m.start));

const instant = fc.oneof(
  fc.integer({ min: FIRST, max: NOW }),
  fc
    .tuple(fc.constantFrom(...MONTH_STARTS), fc.constantFrom(-1, 0, 1))
    .map(([start, d]) => start + d),
);

const callbackArb = fc.record({
  owner: fc.constantFrom(null, ...ORGS),
  state: fc.constantFrom('open', 'done', 'unreachable', 'cancelled'),
  dueAfter: fc.integer({ min: 0, max: 45 * DAY }),
  closed: fc.oneof(
    fc.integer({ min: -5 * DAY, max: 5 * DAY }).map((d) => ({ from: 'due' as const, d })),
    fc.constantFrom(-1, 0, 1).map((d) => ({ from: 'legal' as const, d })),
  ),
});

const sokArb = fc
  .record({
    created: instant,
    origin: fc.constantFrom(...ORIGINS),
    target: fc.constantFrom(null, ...ORGS, ...ORGS),
    topic: fc.constantFrom('yol.cukur', 'temizlik.cop-toplanmadi', 'yol.kaldirim'),
    district: fc.constantFrom('nilufer', 'yildirim', 'osmangazi'),
    channel: fc.constantFrom('telefon', 'web'),
    deleted: fc.constantFrom<0 | 1>(0, 0, 0, 0, 0, 1),
    callback: fc.option(callbackArb, { freq: 2 }),
  })
  .map(({ created, callback, ...rest }): SokInput => {
    const due = created + (callback?.dueAfter ?? 0);
    const closed =
      callback === null || callback.state === 'open'
        ? null
        : callback.closed.from === 'due'
          ? due + callback.closed.d
          : created + 30 * DAY + callback.closed.d;
    return {
      ...rest,
      created: iso(created),
      callback:
        callback === null
          ? null
          : {
              owner: callback.owner,
              state: callback.state,
              due: iso(due),
              closed: closed === null ? null : iso(closed),
            },
    };
  });

type Change =
  | { kind: 'target'; at: number; to: string | null }
  | { kind: 'topic'; at: number; to: string }
  | { kind: 'close'; at: number; state: string; after: number }
  | { kind: 'move-due'; at: number; by: number }
  | { kind: 'deleted'; at: number }
  | { kind: 'hard-delete'; at: number }
  | { kind: 'insert'; sok: SokInput };

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    kind: fc.constant('target' as const),
    at: fc.nat(),
    to: fc.constantFrom(null, ...ORGS),
  }),
  fc.record({ kind: fc.constant('topic' as const), at: fc.nat(), to: fc.constant('yol.kaldirim') }),
  fc.record({
    kind: fc.constant('close' as const),
    at: fc.nat(),
    state: fc.constantFrom('done', 'unreachable', 'open', 'cancelled'),
    after: fc.integer({ min: -3 * DAY, max: 40 * DAY }),
  }),
  fc.record({
    kind: fc.constant('move-due' as const),
    at: fc.nat(),
    by: fc.integer({ min: -40 * DAY, max: 40 * DAY }),
  }),
  fc.record({ kind: fc.constant('deleted' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('hard-delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), sok: sokArb }),
);

async function applyChange(
  db: ServerDb,
  ids: string[],
  change: Change,
  createdBy: string,
): Promise<void> {
  if (change.kind === 'insert') {
    ids.push(...(await insertSoks(db, [change.sok], createdBy)));
    return;
  }
  const id = ids[change.at % ids.length]!;
  const row = await db
    .selectFrom('sok')
    .select(['created_at', 'callback_due_at', 'deleted'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (row === undefined) return;
  const update = db.updateTable('sok').where('id', '=', id);
  switch (change.kind) {
    case 'target':
      await update.set({ target_org: change.to }).execute();
      break;
    case 'topic':
      await update.set({ topic_code: change.to }).execute();
      break;
    case 'close': {
      const due = row.callback_due_at ?? row.created_at;
      await update
        .set({
          callback_state: change.state,
          callback_due_at: due,
          callback_owner_org: 'ilce.yildirim',
          callback_closed_at:
            change.state === 'open' ? null : iso(Date.parse(row.created_at) + change.after),
        })
        .execute();
      break;
    }
    case 'move-due':
      if (row.callback_due_at !== null) {
        await update
          .set({ callback_due_at: iso(Date.parse(row.callback_due_at) + change.by) })
          .execute();
      }
      break;
    case 'deleted':
      await update.set({ deleted: row.deleted === 1 ? 0 : 1 }).execute();
      break;
    case 'hard-delete':
      await db.deleteFrom('sok').where('id', '=', id).execute();
      break;
  }
}

const SUPERVISORS: Record<string, ScopeUser> = {
  bikom: { role: 'supervisor', orgKind: 'call-centre', orgCode: 'bikom' },
  nilufer: { role: 'supervisor', orgKind: 'district-municipality', orgCode: 'ilce.nilufer' },
  fen: { role: 'supervisor', orgKind: 'metropolitan-unit', orgCode: 'bb.fen-isleri' },
};

function periodsAt(now: Date): { from: string; to: string }[] {
  const today = istanbulDay(now);
  return [
    { from: addDays(today, -364), to: today },
    { from: addDays(today, -29), to: today },
    { from: '2025-01-10', to: '2025-06-20' },
    { from: '2025-01-01', to: '2025-12-31' },
    { from: '2025-06-01', to: '2025-06-30' },
  ];
}

forEachBackend('supervisor stats', (kind) => {
  let t: TestApp;
  let db: ServerDb;
  let createdBy: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    db = t.backend.db;
    createdBy = await createUser(t, { username: 'ajan' });
  });
  afterAll(() => t?.close());
  beforeEach(async () => {
    await db.deleteFrom('sok').execute();
    await db.deleteFrom('sok_stats').execute();
    await db.deleteFrom('sok_stats_dirty').execute();
  });

  const names = () => namesOf(readReferenceFile(t.backend.config.referenceFile));

  /** Every SLA and volume figure, read through the stats and from `sok` alone, compared. */
  async function expectSameFigures(now: Date): Promise<void> {
    const thresholds = { goodPercent: 90, warnPercent: 75 };
    for (const [who, user] of Object.entries(SUPERVISORS)) {
      for (const period of periodsAt(now)) {
        const ctx = (useStats: boolean): FigureContext => ({
          db,
          user,
          now,
          names: names(),
          useStats,
        });
        const label = `${who} ${period.from}…${period.to}`;
        expect(await slaFigures(ctx(true), period, thresholds), `SLA ${label}`).toEqual(
          await slaFigures(ctx(false), period, thresholds),
        );
        expect(await volumeFigures(ctx(true), period), `volumes ${label}`).toEqual(
          await volumeFigures(ctx(false), period),
        );
      }
    }
  }

  it('figures read through the monthly stats equal those computed from the ŞÖKs alone', async () => {
    const now = t.clock.now();
    await fc.assert(
      fc.asyncProperty(
        fc.array(sokArb, { minLength: 40, maxLength: 150 }),
        fc.array(changeArb, { minLength: 5, maxLength: 30 }),
        async (soks, changes) => {
          await db.deleteFrom('sok').execute();
          await db.deleteFrom('sok_stats').execute();
          await db.deleteFrom('sok_stats_dirty').execute();
          const ids = await insertSoks(db, soks, createdBy);
          const first = await refreshSupervisorStats(db, now);
          expect(first.busy).toBe(false);
          // Not vacuous: the year before is read from the stats.
          const usable = await usableMonths(db, now);
          const year = { start: '2025-01-31T21:00:00.000Z', end: '2025-12-31T21:00:00.000Z' };
          expect(planRange(year, usable.legal).months).toHaveLength(11);
          await expectSameFigures(now);

          // Writes after the refresh: their months turn dirty and are read live.
          for (const change of changes) await applyChange(db, ids, change, createdBy);
          await expectSameFigures(now);
          await refreshSupervisorStats(db, now);
          await expectSameFigures(now);
          // Time passes: more months are over and settle, some of them refreshed only now.
          const later = new Date(now.getTime() + 45 * DAY);
          await expectSameFigures(later);
          await refreshSupervisorStats(db, later);
          await expectSameFigures(later);
        },
      ),
      // No shrinking: every run rebuilds a database, so a shrink would outlast the timeout; the
      // assertion's label names the supervisor and period that differ.
      { numRuns: kind === 'postgres' ? 6 : 8, endOnFailure: true },
    );
  }, 180_000);

  it('a write marks the months it touches, and a refresh clears them', async () => {
    const now = t.clock.now();
    const [id] = await insertSoks(
      db,
      [
        {
          created: '2025-06-30T21:30:00.000Z', // 1 July, 00:30 in Istanbul
          origin: 'bikom',
          target: 'ilce.nilufer',
          topic: 'yol.cukur',
          district: 'nilufer',
          channel: 'telefon',
          deleted: 0,
          callback: {
            owner: 'ilce.nilufer',
            state: 'open',
            due: '2025-07-04T11:30:00.000Z',
            closed: null,
          },
        },
      ],
      createdBy,
    );
    expect(await markers(db)).toEqual(['created:2025-07', 'due:2025-07']);
    expect(await refreshSupervisorStats(db, now)).toMatchObject({ refreshed: 2, changed: 0 });
    expect(await markers(db)).toEqual([]);
    const viewers = await db
      .selectFrom('sok_stats')
      .select(['viewer', 'basis', 'dim', 'key', 'n'])
      .where('dim', 'in', ['org', 'flow'])
      .execute();
    const order = (r: (typeof viewers)[number]) => `${r.basis} ${r.viewer} ${r.dim}`;
    // Counted for everyone ('*'), the sender and the receiver: who may see it.
    expect(viewers.sort((a, b) => (order(a) < order(b) ? -1 : 1))).toEqual([
      { viewer: '*', basis: 'created', dim: 'flow', key: 'bikom>ilce.nilufer', n: 1 },
      { viewer: '*', basis: 'created', dim: 'org', key: 'ilce.nilufer', n: 1 },
      { viewer: 'bikom', basis: 'created', dim: 'flow', key: 'bikom>ilce.nilufer', n: 1 },
      { viewer: 'bikom', basis: 'created', dim: 'org', key: 'ilce.nilufer', n: 1 },
      { viewer: 'ilce.nilufer', basis: 'created', dim: 'flow', key: 'bikom>ilce.nilufer', n: 1 },
      { viewer: 'ilce.nilufer', basis: 'created', dim: 'org', key: 'ilce.nilufer', n: 1 },
      { viewer: '*', basis: 'due', dim: 'org', key: 'ilce.nilufer', n: 1 },
      { viewer: 'bikom', basis: 'due', dim: 'org', key: 'ilce.nilufer', n: 1 },
      { viewer: 'ilce.nilufer', basis: 'due', dim: 'org', key: 'ilce.nilufer', n: 1 },
    ]);

    // Nothing the figures read changed: no marker.
    await db.updateTable('sok').set({ description: 'daha uzun', status: 'decided' }).execute();
    await db.updateTable('sok').set({ topic_code: 'yol.cukur' }).execute();
    expect(await markers(db)).toEqual([]);

    // Each column the figures read marks the months that count it: the registration month
    // (volumes, legal limit) and/or the due month (callback SLA) — the old and the new one when
    // either moves.
    const both = ['created:2025-07', 'due:2025-07'];
    const steps: [string, Updateable<SokTable>, string[]][] = [
      ['receiver', { target_org: 'ilce.yildirim' }, both],
      ['receiver: none', { target_org: null }, both],
      ['sender', { origin_org: 'ilce.yildirim' }, both],
      ['topic', { topic_code: 'yol.kaldirim' }, both],
      ['district', { district_code: 'yildirim' }, both],
      ['channel (volumes only)', { channel_code: 'web' }, ['created:2025-07']],
      ['callback owner (SLA only)', { callback_owner_org: 'ilce.yildirim' }, ['due:2025-07']],
      ['deleted', { deleted: 1 }, both],
      ['restored', { deleted: 0 }, both],
      [
        'due moves',
        { callback_due_at: '2025-08-01T08:00:00.000Z' },
        ['due:2025-07', 'due:2025-08'],
      ],
      [
        'ended',
        { callback_state: 'done', callback_closed_at: '2025-07-30T08:00:00.000Z' },
        ['created:2025-07', 'due:2025-08'],
      ],
      [
        'ended later',
        { callback_closed_at: '2025-08-30T08:00:00.000Z' },
        ['created:2025-07', 'due:2025-08'],
      ],
      [
        'registered earlier',
        { created_at: '2025-06-10T08:00:00.000Z' },
        ['created:2025-06', 'created:2025-07'],
      ],
    ];
    for (const [label, changes, expected] of steps) {
      await db.updateTable('sok').set(changes).execute();
      expect(await markers(db), label).toEqual(expected);
      expect(await refreshSupervisorStats(db, now), label).toMatchObject({
        refreshed: expected.length,
      });
      expect(await markers(db), label).toEqual([]);
    }

    await db.deleteFrom('sok').where('id', '=', id!).execute();
    expect(await markers(db)).toEqual(['created:2025-06', 'due:2025-08']);
    await refreshSupervisorStats(db, now);
    expect(await db.selectFrom('sok_stats').selectAll().execute()).toEqual([]);
  });

  it('the current month stays dirty until it is over; its legal limit is read live 30 days more', async () => {
    await insertSoks(db, [{ ...PLAIN, created: '2026-03-01T08:00:00.000Z' }], createdBy);
    expect(await refreshSupervisorStats(db, t.clock.now())).toMatchObject({
      refreshed: 0,
      pending: 1,
    });
    expect(await markers(db)).toEqual(['created:2026-03']);
    // March ends 31 March 21:00 UTC (midnight in Istanbul).
    const over = new Date('2026-03-31T21:00:00.000Z');
    expect(await refreshSupervisorStats(db, over)).toMatchObject({ refreshed: 1, pending: 0 });
    expect(await markers(db)).toEqual([]);
    const at = async (now: Date) => {
      const usable = await usableMonths(db, now);
      return { volumes: usable.volumes('2026-03'), legal: usable.legal('2026-03') };
    };
    expect(await at(over)).toEqual({ volumes: true, legal: false });
    expect(await at(new Date(over.getTime() + 30 * DAY - 1))).toEqual({
      volumes: true,
      legal: false,
    });
    expect(await at(new Date(over.getTime() + 30 * DAY))).toEqual({ volumes: true, legal: true });
  });

  it('a month that fails stays dirty and does not hold the others back', async () => {
    const base = PLAIN;
    await insertSoks(
      db,
      [
        { ...base, created: '2025-05-05T08:00:00.000Z' },
        { ...base, created: '2025-06-05T08:00:00.000Z' },
      ],
      createdBy,
    );
    let calls = 0;
    const result = await refreshSupervisorStats(db, t.clock.now(), {
      afterRecompute: () => {
        calls += 1;
        // Newest first: June fails, May still goes through.
        return calls === 1 ? Promise.reject(new Error('disk full')) : Promise.resolve();
      },
    });
    expect(result).toMatchObject({
      refreshed: 1,
      failed: [{ basis: 'created', month: '2025-06' }],
    });
    expect(await markers(db)).toEqual(['created:2025-06']);
    expect(
      await db
        .selectFrom('sok_stats')
        .select('month')
        .distinct()
        .where('basis', '=', 'created')
        .execute(),
    ).toEqual([{ month: '2025-05' }]);
  });

  it('a write during the refresh keeps the month dirty', async () => {
    const [id] = await insertSoks(
      db,
      [{ ...PLAIN, created: '2025-05-05T08:00:00.000Z' }],
      createdBy,
    );
    const before = await db.selectFrom('sok_stats_dirty').select('seq').executeTakeFirstOrThrow();
    // On SQLite the refresh holds the write lock, so the write can only come from inside it.
    const outcome = await refreshMonth(db, 'created', '2025-05', {
      afterRecompute: async (trx) => {
        await (kind === 'sqlite' ? trx : db)
          .updateTable('sok')
          .set({ target_org: 'ilce.nilufer' })
          .where('id', '=', id!)
          .execute();
      },
    });
    expect(outcome).toBe('changed');
    const after = await db.selectFrom('sok_stats_dirty').select('seq').executeTakeFirstOrThrow();
    expect(after.seq).not.toBe(before.seq);
    expect(await markers(db)).toEqual(['created:2025-05']);
    // The next pass sees the receiver as it is now.
    expect(await refreshMonth(db, 'created', '2025-05')).toBe('refreshed');
    expect(
      await db
        .selectFrom('sok_stats')
        .select('key')
        .where('viewer', '=', '*')
        .where('dim', '=', 'org')
        .execute(),
    ).toEqual([{ key: 'ilce.nilufer' }]);
    expect(await refreshMonth(db, 'created', '2025-05')).toBe('clean');
  });

  if (kind === 'postgres') {
    it('a writer still uncommitted when the refresher clears the marker wins (PostgreSQL)', async () => {
      const [id] = await insertSoks(
        db,
        [{ ...PLAIN, created: '2025-04-05T08:00:00.000Z' }],
        createdBy,
      );
      let updated!: () => void;
      const wrote = new Promise<void>((resolve) => (updated = resolve));
      let release!: () => void;
      const commitGate = new Promise<void>((resolve) => (release = resolve));
      let writer: Promise<void> | undefined;
      const outcome = await refreshMonth(db, 'created', '2025-04', {
        afterRecompute: async () => {
          // Another connection writes and holds its transaction open: the marker's row lock
          // makes the refresher's delete wait, then PostgreSQL re-checks the seq.
          writer = db.transaction().execute(async (w) => {
            await w
              .updateTable('sok')
              .set({ topic_code: 'yol.kaldirim' })
              .where('id', '=', id!)
              .execute();
            updated();
            await commitGate;
          });
          await wrote;
          setTimeout(release, 300);
        },
      });
      await writer;
      expect(outcome).toBe('changed');
      expect(await markers(db)).toEqual(['created:2025-04']);
    });

    it('two instances never refresh at once: the second finds the lock taken (PostgreSQL)', async () => {
      await insertSoks(
        db,
        [
          {
            created: '2025-03-05T08:00:00.000Z',
            origin: 'bikom',
            target: null,
            topic: 'yol.cukur',
            district: 'yildirim',
            channel: 'telefon',
            deleted: 0,
            callback: null,
          },
        ],
        createdBy,
      );
      let inner: Awaited<ReturnType<typeof refreshSupervisorStats>> | undefined;
      const outcome = await refreshMonth(db, 'created', '2025-03', {
        afterRecompute: async () => {
          inner = await refreshSupervisorStats(db, t.clock.now());
        },
      });
      expect(outcome).toBe('refreshed');
      expect(inner).toMatchObject({ busy: true, refreshed: 0 });
    });
  }
});

forEachBackend('migration 0010-supervisor-stats', (kind) => {
  let b: TestBackend;
  useUnmigratedBackend(kind, (backend) => (b = backend));

  it('marks every month of the ŞÖKs already there dirty, and goes back', async () => {
    const to = (name: string) => migrateTo(b.db, name);
    await to('0008-missed-calls');
    await seedReferenceData(b.db, readReferenceFile(b.config.referenceFile));
    const userId = await insertUser(b.db, {
      username: 'ajan',
      displayName: 'Ajan',
      passwordHash: 'x',
      role: 'agent',
      orgCode: 'bikom',
      now: '2026-03-02T09:00:00.000Z',
    });
    const base = PLAIN;
    await insertSoks(
      b.db,
      [
        { ...base, created: '2025-01-31T21:00:00.000Z', callback: null },
        {
          ...base,
          created: '2025-03-10T08:00:00.000Z',
          callback: {
            owner: 'ilce.yildirim',
            state: 'open',
            due: '2025-04-01T08:00:00.000Z',
            closed: null,
          },
        },
      ],
      userId,
    );
    await to('0010-supervisor-stats');
    expect(await markers(b.db)).toEqual(['created:2025-02', 'created:2025-03', 'due:2025-04']);
    expect(await refreshSupervisorStats(b.db, new Date('2026-03-02T09:00:00.000Z'))).toMatchObject({
      refreshed: 3,
    });
    await to('0008-missed-calls');
    // The triggers went with the tables: writes work as before.
    await insertSoks(
      b.db,
      [{ ...base, created: '2025-05-01T08:00:00.000Z', callback: null }],
      userId,
    );
    await to('0010-supervisor-stats');
    expect(await markers(b.db)).toEqual([
      'created:2025-02',
      'created:2025-03',
      'created:2025-05',
      'due:2025-04',
    ]);
  });
});
