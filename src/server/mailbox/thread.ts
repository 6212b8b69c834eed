import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** Headers that put our e-mail into the citizen's thread (RFC 5322 §3.6.4). */
export interface ThreadHeaders {
  inReplyTo: string;
  references: string[];
}

/**
 * The thread an e-mail about ŞÖK `sokId` answers: the citizen's mail it was registered from,
 * unless that mail must never be answered (automatic mail, bounces, quarantine). Null when the
 * ŞÖK was not born from a mail.
 */
export async function threadOfSok(
  db: Kysely<Database>,
  sokId: string,
): Promise<ThreadHeaders | null> {
  const mail = await db
    .selectFrom('mail_item')
    .select(['message_id', 'refs', 'no_reply'])
    .where('sok_id', '=', sokId)
    .where('state', '=', 'registered')
    .orderBy('received_at')
    .executeTakeFirst();
  if (mail === undefined || Number(mail.no_reply) === 1) return null;
  const refs = (JSON.parse(mail.refs) as string[]).filter((r) => r !== mail.message_id);
  // References: the parent's references then the parent itself, kept to a sane length.
  return { inReplyTo: mail.message_id, references: [...refs.slice(-20), mail.message_id] };
}
