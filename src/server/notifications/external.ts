import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { bumpCounter, withWriteLock } from '../db/write-lock';
import type { ServerDb } from '../db/open';
import { formatIstanbulTime } from '../i18n';
import type { ReferenceIndex } from '../sync/reference-index';
import type { SokRow } from '../sync/sok-rows';
import { enqueueOrgMail } from './enqueue';
import type { TemplateValues } from './templates';

/**
 * Organisations outside the app (`organisation.external = 1`, docs/mailbox.md "Organisations
 * outside the app"): a ŞÖK routed to one is sent to its mailbox through the outbox (retried,
 * visible in the lists); its answer comes back through the mailbox (mailbox/store.ts); when no
 * answer came within the reply time (`ALO153_EXTERNAL_REPLY_WORKING_DAYS` working days, default 3,
 * `workflow.settings.externalReplyWorkingDays`) the organisation is reminded
 * once and BİKOM gets an `external-overdue` event on the ŞÖK's timeline.
 *
 * Personal data: the organisation gets what it needs to act — the registration number, the
 * topic, the place and the citizen's description — and not the citizen's name, phone or e-mail:
 * it answers Alo 153, and Alo 153 tells the citizen (the ordinary decision/callback path).
 */
export const EXTERNAL_REQUEST = 'external-request';
export const EXTERNAL_REMINDER = 'external-reminder';

export async function isExternalOrg(trx: Kysely<Database>, code: string): Promise<boolean> {
  const row = await trx
    .selectFrom('organisation')
    .select('external')
    .where('code', '=', code)
    .executeTakeFirst();
  return row?.external === 1;
}

async function requestValues(
  trx: Kysely<Database>,
  row: SokRow,
  reference: ReferenceIndex,
  org: string,
  replyBy: Date | null,
): Promise<TemplateValues> {
  const district = await trx
    .selectFrom('district')
    .select('name')
    .where('code', '=', row.district_code)
    .executeTakeFirst();
  const place = [district?.name ?? row.district_code, row.mahalle, row.address]
    .map((p) => (p ?? '').trim())
    .filter((p) => p !== '')
    .join(', ');
  return {
    regNo: row.reg_no,
    topic: reference.topicNames.get(row.topic_code) ?? row.topic_code,
    date: formatIstanbulTime(row.created_at),
    organisation: reference.orgNames.get(org) ?? org,
    place,
    request: row.description,
    replyBy: replyBy === null ? '' : formatIstanbulTime(replyBy.toISOString()),
  };
}

/**
 * Enqueues the request e-mail to an external organisation a ŞÖK was just routed to, in the
 * caller's transaction (under the write lock). Returns the change sequence allocated, and
 * whether it waits for the organisation's address.
 */
export async function enqueueExternalRequest(
  trx: Kysely<Database>,
  row: SokRow,
  org: string,
  reference: ReferenceIndex,
  now: Date,
): Promise<{ seq: number; id: string; waiting: boolean }> {
  const calendar = await reference.workflow.calendars.get(trx, now.getTime());
  const replyBy = calendar.addWorkingDays(
    now,
    reference.workflow.settings.externalReplyWorkingDays,
  );
  const email = await trx
    .selectFrom('organisation')
    .select('email')
    .where('code', '=', org)
    .executeTakeFirst();
  return enqueueOrgMail(trx, {
    sokId: row.id,
    org,
    orgName: reference.orgNames.get(org) ?? org,
    purpose: EXTERNAL_REQUEST,
    template: 'external-request.email',
    recipient: email?.email ?? null,
    values: await requestValues(trx, row, reference, org, replyBy),
    now,
  });
}

/**
 * The reminder pass (run by the callback sweeper): every ŞÖK still routed to an external
 * organisation whose latest request e-mail is older than the reply time in working days, with
 * no answer from that organisation since and no reminder yet, gets one reminder e-mail and an
 * `external-overdue` event for BİKOM. Returns how many were reminded and the last sequence.
 */
export async function remindExternalOrgs(
  db: ServerDb,
  reference: ReferenceIndex,
  now: Date,
  replyDays = reference.workflow.settings.externalReplyWorkingDays,
): Promise<{ reminded: number; lastSeq: number }> {
  const calendar = await reference.workflow.calendars.get(db, now.getTime());
  const candidates = await db
    .selectFrom('notification as n')
    .innerJoin('sok as s', 's.id', 'n.sok_id')
    .innerJoin('organisation as o', 'o.code', 's.target_org')
    .select(['s.id as sokId', 's.target_org as org', 'n.created_at as sentAt'])
    .where('n.purpose', '=', EXTERNAL_REQUEST)
    .where('o.external', '=', 1)
    .where('s.status', '=', 'routed')
    .where('s.deleted', '=', 0)
    .orderBy('n.created_at', 'desc')
    .execute();
  let reminded = 0;
  let lastSeq = 0;
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.sokId) || c.org === null) continue;
    seen.add(c.sokId); // the latest request counts (a ŞÖK routed there again starts afresh)
    if (calendar.addWorkingDays(new Date(c.sentAt), replyDays) > now) continue;
    const org = c.org;
    const seq = await withWriteLock(db, async (trx) => {
      const answered = await trx
        .selectFrom('sok_event')
        .select('id')
        .where('sok_id', '=', c.sokId)
        .where('kind', '=', 'organisation-email')
        .where('at', '>=', c.sentAt)
        .executeTakeFirst();
      const already = await trx
        .selectFrom('notification')
        .select('id')
        .where('sok_id', '=', c.sokId)
        .where('purpose', '=', EXTERNAL_REMINDER)
        .where('created_at', '>=', c.sentAt)
        .executeTakeFirst();
      const row = (await trx
        .selectFrom('sok')
        .selectAll()
        .where('id', '=', c.sokId)
        .executeTakeFirst()) as SokRow | undefined;
      if (answered || already || row === undefined || row.target_org !== org) return 0;
      const email = await trx
        .selectFrom('organisation')
        .select('email')
        .where('code', '=', org)
        .executeTakeFirst();
      const values = await requestValues(trx, row, reference, org, null);
      values.date = formatIstanbulTime(c.sentAt);
      const orgName = reference.orgNames.get(org) ?? org;
      const mail = await enqueueOrgMail(trx, {
        sokId: row.id,
        org,
        orgName,
        purpose: EXTERNAL_REMINDER,
        template: 'external-reminder.email',
        recipient: email?.email ?? null,
        values,
        now,
      });
      const { last } = await bumpCounter(trx, 'change');
      await trx
        .insertInto('sok_event')
        .values({
          id: randomUUID(),
          sok_id: row.id,
          change_seq: last,
          kind: 'external-overdue',
          actor_id: null,
          actor_org: null,
          at: now.toISOString(),
          note: `${orgName} ${replyDays} iş günü içinde yanıt vermedi; kuruma hatırlatma e-postası gönderildi. BİKOM takip etmeli.`,
          data: JSON.stringify({ org, notificationId: mail.id, requestedAt: c.sentAt }),
        })
        .execute();
      return Math.max(mail.seq, last);
    });
    if (seq > 0) {
      reminded += 1;
      lastSeq = Math.max(lastSeq, seq);
    }
  }
  return { reminded, lastSeq };
}
