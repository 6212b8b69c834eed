import nodemailer from 'nodemailer';
import type { ServerConfig } from '../config';
import type { ServerDb } from '../db/open';
import { withWriteLock } from '../db/write-lock';
import { formatIstanbulTime } from '../i18n';
import { transportOptions } from '../notifications/senders/email';

/** The call centre's mailbox is told this many days before a request's 30 days run out. */
export const REMINDER_DAYS_BEFORE = 5;
const DAY_MS = 24 * 3600 * 1000;

const KIND_NAMES = {
  access: 'bilgi talebi (KVKK md. 11)',
  correct: 'düzeltme talebi',
  erase: 'silme talebi',
} as const;

type Reminder = 'due-soon' | 'overdue';
const COLUMN = { 'due-soon': 'due_soon_mailed_at', overdue: 'overdue_mailed_at' } as const;

export interface ReminderResult {
  /** 'disabled': no SMTP; 'no-mailbox': the call centre has no address yet (tried next run). */
  status: 'disabled' | 'no-mailbox' | 'done';
  sent: { id: string; reminder: Reminder }[];
  failed: { id: string; reminder: Reminder; error: string }[];
}

/**
 * KVKK art. 13: a citizen's request is answered within 30 days. Every open request due within
 * `REMINDER_DAYS_BEFORE` days gets one e-mail to the call centre's organisation mailbox, and one
 * more once it is overdue. Each reminder is claimed under the write lock before it is sent (so of
 * several instances one sends) and released again if the SMTP server refused it (tried at the
 * next run). A request first seen already overdue gets only the overdue mail. The mail names the
 * request, not the citizen: the mailbox does not need their contact details.
 */
export async function sendSubjectRequestReminders(deps: {
  db: ServerDb;
  config: ServerConfig;
  now: Date;
}): Promise<ReminderResult> {
  const { db, config, now } = deps;
  const result: ReminderResult = { status: 'done', sent: [], failed: [] };
  const smtp = config.notifications.smtp;
  if (smtp === undefined) return { ...result, status: 'disabled' };
  const org = await db
    .selectFrom('organisation')
    .select(['email', 'name'])
    .where('code', '=', config.workflow.callCentreOrg)
    .executeTakeFirst();
  const to = org?.email?.trim() ?? '';
  if (to === '') return { ...result, status: 'no-mailbox' };
  const nowIso = now.toISOString();
  const soonIso = new Date(now.getTime() + REMINDER_DAYS_BEFORE * DAY_MS).toISOString();

  const claimed = await withWriteLock(db, async (trx) => {
    const open = await trx
      .selectFrom('subject_request')
      .select(['id', 'kind', 'received_at', 'due_at', 'due_soon_mailed_at', 'overdue_mailed_at'])
      .where('state', '=', 'open')
      .where('due_at', '<=', soonIso)
      .orderBy('due_at')
      .execute();
    const picked: { row: (typeof open)[number]; reminder: Reminder }[] = [];
    for (const row of open) {
      const overdue = row.due_at <= nowIso;
      if (overdue && row.overdue_mailed_at === null) {
        // Already late: the "due soon" mail would say less than this one.
        await trx
          .updateTable('subject_request')
          .set({ overdue_mailed_at: nowIso, due_soon_mailed_at: row.due_soon_mailed_at ?? nowIso })
          .where('id', '=', row.id)
          .execute();
        picked.push({ row, reminder: 'overdue' });
      } else if (!overdue && row.due_soon_mailed_at === null) {
        await trx
          .updateTable('subject_request')
          .set({ due_soon_mailed_at: nowIso })
          .where('id', '=', row.id)
          .execute();
        picked.push({ row, reminder: 'due-soon' });
      }
    }
    return picked;
  });
  if (claimed.length === 0) return result;

  const transport = nodemailer.createTransport(transportOptions(smtp));
  try {
    for (const { row, reminder } of claimed) {
      const kind = KIND_NAMES[row.kind];
      const due = formatIstanbulTime(row.due_at);
      const subject =
        reminder === 'overdue'
          ? `KVKK başvurusu süresi geçti (son gün ${due})`
          : `KVKK başvurusu: süre ${REMINDER_DAYS_BEFORE} gün içinde doluyor (son gün ${due})`;
      const text = [
        reminder === 'overdue'
          ? 'Bir KVKK başvurusu 30 günlük yasal sürede (KVKK md. 13) yanıtlanmadı.'
          : `Bir KVKK başvurusunun 30 günlük yasal süresi (KVKK md. 13) ${REMINDER_DAYS_BEFORE} gün içinde doluyor.`,
        '',
        `Başvuru: ${kind}`,
        `Başvuru no: ${row.id}`,
        `Alındığı tarih: ${formatIstanbulTime(row.received_at)}`,
        `Son gün: ${due}`,
        '',
        'Başvuru, yönetim ekranındaki KVKK başvuruları listesinde yanıtlanır.',
        '',
      ].join('\n');
      try {
        await transport.sendMail({
          from: smtp.from,
          to,
          subject,
          text,
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
        result.sent.push({ id: row.id, reminder });
      } catch (error) {
        const message = String((error as Error).message).slice(0, 500);
        result.failed.push({ id: row.id, reminder, error: message });
        // Not sent: release the claim, the next run tries again.
        await withWriteLock(db, (trx) =>
          trx
            .updateTable('subject_request')
            .set(
              reminder === 'overdue'
                ? {
                    overdue_mailed_at: null,
                    due_soon_mailed_at: row.due_soon_mailed_at,
                  }
                : { [COLUMN[reminder]]: null },
            )
            .where('id', '=', row.id)
            .execute(),
        );
      }
    }
  } finally {
    transport.close();
  }
  return result;
}
