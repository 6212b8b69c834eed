import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  ANONYMISED,
  scrubPersonalData,
  DEFAULT_RETENTION,
  RetentionScheduleSchema,
  retentionCutoffs,
  type RetentionSchedule,
} from '../../domain/kvkk';
import type { Clock } from '../clock';
import type { ServerDb } from '../db/open';
import type { Database } from '../db/schema';
import { bumpCounter, withWriteLock } from '../db/write-lock';

/** ŞÖKs anonymised per transaction: short transactions keep desks' pushes flowing meanwhile. */
const BATCH = 500;

export async function readRetention(db: Kysely<Database>): Promise<RetentionSchedule> {
  const row = await db
    .selectFrom('kvkk_setting')
    .select('value')
    .where('key', '=', 'retention')
    .executeTakeFirst();
  if (row === undefined) return DEFAULT_RETENTION;
  const parsed = RetentionScheduleSchema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : DEFAULT_RETENTION;
}

export async function writeRetention(
  db: ServerDb,
  schedule: RetentionSchedule,
  userId: string,
  now: Date,
): Promise<void> {
  const value = JSON.stringify(schedule);
  const updatedAt = now.toISOString();
  await db
    .insertInto('kvkk_setting')
    .values({ key: 'retention', value, updated_by: userId, updated_at: updatedAt })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value, updated_by: userId, updated_at: updatedAt }),
    )
    .execute();
}

export interface DestructionCounts {
  sokCount: number;
  callCount: number;
  notificationCount: number;
}

/**
 * Destroys (anonymises) the personal data of the given ŞÖKs in one transaction under the write
 * lock: the citizen's name, phone, e-mail, address text and coordinates; the recipients and texts
 * of the messages sent to them; the numbers of the calls linked to them. Everything the figures
 * and reports count (registration number, topic, district, organisations, dates, decisions,
 * callback times) stays. Each ŞÖK gets a new change sequence, so every desk that holds it
 * receives the anonymised row with its next pull, including desks that were offline meanwhile.
 */
export async function anonymiseSoks(
  trx: Kysely<Database>,
  sokIds: readonly string[],
  now: Date,
): Promise<DestructionCounts> {
  if (sokIds.length === 0) return { sokCount: 0, callCount: 0, notificationCount: 0 };
  const nowIso = now.toISOString();
  const { first } = await bumpCounter(trx, 'change', sokIds.length);
  let seq = first;
  const rows = await trx
    .selectFrom('sok')
    .select(['id', 'citizen_name', 'citizen_phone', 'citizen_email', 'description'])
    .where('id', 'in', sokIds)
    .execute();
  for (const row of rows) {
    await trx
      .updateTable('sok')
      .set({
        citizen_name: ANONYMISED.citizenName,
        citizen_phone: ANONYMISED.citizenPhone,
        citizen_email: ANONYMISED.citizenEmail,
        address: ANONYMISED.address,
        latitude: ANONYMISED.latitude,
        longitude: ANONYMISED.longitude,
        description: scrubPersonalData(row.description, {
          name: row.citizen_name,
          phone: row.citizen_phone,
          email: row.citizen_email ?? null,
        }),
        anonymised_at: nowIso,
        change_seq: seq++,
      })
      .where('id', '=', row.id)
      .execute();
  }
  const notifications = await trx
    .updateTable('notification')
    .set({ recipient: '', body: '', subject: null })
    .where('sok_id', 'in', sokIds)
    .where('recipient', '!=', '')
    .executeTakeFirst();
  const calls = await trx
    .updateTable('call_log')
    .set({ number: '', anonymised_at: nowIso })
    .where('sok_id', 'in', sokIds)
    .where('anonymised_at', 'is', null)
    .executeTakeFirst();
  return {
    sokCount: sokIds.length,
    callCount: Number(calls.numUpdatedRows),
    notificationCount: Number(notifications.numUpdatedRows),
  };
}

export interface DestructionRun extends DestructionCounts {
  id: string;
  startedAt: string;
  finishedAt: string;
}

/**
 * The periodic destruction (KVKK destruction regulation art. 11: at most every six months; this
 * runs daily): closed ŞÖKs whose last change is older than the schedule's period, and logged
 * call numbers older than theirs. Open ŞÖKs are never touched, whatever their age: the work on
 * them is the purpose the data is kept for. Recorded in `destruction_run` even when nothing was
 * due, so the record shows the job ran.
 */
export async function runRetention(db: ServerDb, clock: Clock): Promise<DestructionRun> {
  const now = clock();
  const schedule = await readRetention(db);
  const cut = retentionCutoffs(schedule, now);
  const startedAt = now.toISOString();
  const totals: DestructionCounts = { sokCount: 0, callCount: 0, notificationCount: 0 };
  for (;;) {
    const done = await withWriteLock(db, async (trx) => {
      const ids = await trx
        .selectFrom('sok')
        .select('id')
        .where('status', '=', 'closed')
        .where('anonymised_at', 'is', null)
        .where('updated_at', '<', cut.closedSok.toISOString())
        .orderBy('updated_at')
        .limit(BATCH)
        .execute();
      const counts = await anonymiseSoks(
        trx,
        ids.map((r) => r.id),
        now,
      );
      totals.sokCount += counts.sokCount;
      totals.callCount += counts.callCount;
      totals.notificationCount += counts.notificationCount;
      return ids.length < BATCH;
    });
    if (done) break;
  }
  // Calls not linked to any ŞÖK (a missed call returned without one, a wrong number …).
  const calls = await db
    .updateTable('call_log')
    .set({ number: '', anonymised_at: now.toISOString() })
    .where('anonymised_at', 'is', null)
    .where('ended_at', '<', cut.callLog.toISOString())
    .where((eb) => eb.or([eb('callback_state', 'is', null), eb('callback_state', '!=', 'owed')]))
    .executeTakeFirst();
  totals.callCount += Number(calls.numUpdatedRows);
  const run: DestructionRun = {
    id: randomUUID(),
    startedAt,
    finishedAt: clock().toISOString(),
    ...totals,
  };
  await db
    .insertInto('destruction_run')
    .values({
      id: run.id,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      trigger: 'periodic',
      started_by: null,
      rule: JSON.stringify({
        schedule,
        closedSokBefore: cut.closedSok.toISOString(),
        callLogBefore: cut.callLog.toISOString(),
      }),
      sok_count: run.sokCount,
      call_count: run.callCount,
      notification_count: run.notificationCount,
    })
    .execute();
  return run;
}
