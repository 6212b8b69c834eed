import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { ServerDb } from '../db/open';
import type { Database } from '../db/schema';
import { nextChangeSeq, withWriteLock } from '../db/write-lock';
import type { ParsedMessage } from './parse';

export interface Checkpoint {
  uidValidity: number;
  lastUid: number;
}

export async function readCheckpoint(
  db: Kysely<Database>,
  mailbox: string,
): Promise<Checkpoint | null> {
  const row = await db
    .selectFrom('mailbox_checkpoint')
    .select(['uid_validity', 'last_uid'])
    .where('mailbox', '=', mailbox)
    .executeTakeFirst();
  return row === undefined
    ? null
    : { uidValidity: Number(row.uid_validity), lastUid: Number(row.last_uid) };
}

export interface TakeInput {
  mailbox: string;
  orgCode: string;
  uidValidity: number;
  uid: number;
  parsed: ParsedMessage;
  /** Kept for quarantined messages only. */
  raw: Buffer | null;
  now: Date;
}

export type TakeOutcome =
  | { taken: true; itemId: string; changeSeq: number }
  | { taken: false; why: 'already-taken' | 'duplicate-message-id' };

export interface TakeHooks {
  /** Checked inside the transaction: false when this reader no longer holds the mailbox. */
  stillHolds?: (trx: Transaction<Database>) => Promise<boolean>;
  /** Runs inside the transaction after every write, before the commit (crash tests). */
  beforeCommit?: () => void | Promise<void>;
}

export class LockLostError extends Error {
  constructor(mailbox: string) {
    super(`the lock on mailbox ${mailbox} was lost`);
    this.name = 'LockLostError';
  }
}

/**
 * Takes one message into the intake queue, exactly once: in one transaction the checkpoint is
 * checked and advanced and the item (with its attachments) written. A message whose UID the
 * checkpoint already covers, or whose Message-ID the mailbox already has (a UIDVALIDITY reset,
 * the same mail delivered twice), only moves the checkpoint.
 */
export async function takeMessage(
  db: ServerDb,
  input: TakeInput,
  hooks: TakeHooks = {},
): Promise<TakeOutcome> {
  const { mailbox, uidValidity, uid, parsed } = input;
  const nowIso = input.now.toISOString();
  const messageId = parsed.messageId ?? `<${uidValidity}.${uid}.${mailbox}@alo153.invalid>`;
  return withWriteLock(db, async (trx) => {
    if (hooks.stillHolds !== undefined && !(await hooks.stillHolds(trx))) {
      throw new LockLostError(mailbox);
    }
    const checkpoint = await readCheckpoint(trx, mailbox);
    if (checkpoint?.uidValidity === uidValidity && checkpoint.lastUid >= uid) {
      return { taken: false, why: 'already-taken' } as const;
    }
    const advance = async () => {
      if (checkpoint === null) {
        await trx
          .insertInto('mailbox_checkpoint')
          .values({ mailbox, uid_validity: uidValidity, last_uid: uid, updated_at: nowIso })
          .execute();
      } else {
        await trx
          .updateTable('mailbox_checkpoint')
          .set({ uid_validity: uidValidity, last_uid: uid, updated_at: nowIso })
          .where('mailbox', '=', mailbox)
          .execute();
      }
    };
    const existing = await trx
      .selectFrom('mail_item')
      .select('id')
      .where('mailbox', '=', mailbox)
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    if (existing !== undefined) {
      await advance();
      await hooks.beforeCommit?.();
      return { taken: false, why: 'duplicate-message-id' } as const;
    }

    const changeSeq = await nextChangeSeq(trx);
    const itemId = randomUUID();
    const mentionedSok =
      parsed.mentionedRegNo === null
        ? undefined
        : await trx
            .selectFrom('sok')
            .select(['id', 'target_org'])
            .where('reg_no', '=', parsed.mentionedRegNo)
            .where('deleted', '=', 0)
            .executeTakeFirst();
    // An organisation outside the app answers from its address (organisation.email).
    const fromOrg =
      parsed.kind === 'citizen' && parsed.fromAddress !== null
        ? await trx
            .selectFrom('organisation')
            .select('code')
            .where((eb) => eb(eb.fn('lower', ['email']), '=', parsed.fromAddress))
            .executeTakeFirst()
        : undefined;
    const bounced =
      parsed.kind === 'bounce' ? await markBouncedReceipts(trx, parsed, nowIso) : null;
    const automatic = parsed.kind !== 'citizen';
    // An organisation's answer naming a ŞÖK routed to it lands on that ŞÖK at once, as the
    // organisation's answer (docs/mailbox.md "Organisations outside the app"): nobody has to link it.
    const answer =
      !automatic &&
      fromOrg !== undefined &&
      mentionedSok !== undefined &&
      mentionedSok.target_org === fromOrg.code
        ? { sokId: mentionedSok.id, orgCode: fromOrg.code }
        : null;
    await trx
      .insertInto('mail_item')
      .values({
        id: itemId,
        mailbox,
        org_code: input.orgCode,
        uid_validity: uidValidity,
        uid,
        message_id: messageId,
        kind: parsed.kind,
        // Only a citizen's mail waits for an agent; the rest is set aside at once, findable.
        state: automatic ? 'set_aside' : answer !== null ? 'linked' : 'new',
        from_address: parsed.fromAddress,
        from_name: parsed.fromName,
        subject: parsed.subject,
        sent_at: parsed.sentAt,
        received_at: nowIso,
        body_text: parsed.text,
        in_reply_to: parsed.inReplyTo,
        refs: JSON.stringify(parsed.references),
        no_reply: automatic ? 1 : 0,
        from_org_code: fromOrg?.code ?? null,
        mentioned_reg_no: parsed.mentionedRegNo,
        mentioned_sok_id: mentionedSok?.id ?? null,
        quarantine_reason: parsed.quarantineReason,
        set_aside_reason: automatic ? parsed.kind : null,
        set_aside_note: null,
        bounced_notification_id: bounced,
        sok_id: answer?.sokId ?? null,
        handled_by: null,
        handled_at: automatic || answer !== null ? nowIso : null,
        raw_size: parsed.rawSize,
        raw: parsed.kind === 'quarantined' ? input.raw : null,
        change_seq: changeSeq,
      })
      .execute();
    let position = 0;
    for (const attachment of parsed.attachments) {
      await trx
        .insertInto('mail_attachment')
        .values({
          id: randomUUID(),
          item_id: itemId,
          position: position++,
          filename: attachment.filename,
          declared_type: attachment.declaredType,
          detected_type: attachment.detectedType,
          size: attachment.size,
          sha256: attachment.sha256,
          refused: attachment.refused,
          content: attachment.content,
        })
        .execute();
    }
    let lastSeq = changeSeq;
    if (answer !== null) {
      lastSeq = await nextChangeSeq(trx);
      await trx
        .insertInto('sok_event')
        .values({
          id: randomUUID(),
          sok_id: answer.sokId,
          change_seq: lastSeq,
          kind: 'organisation-email',
          actor_id: null,
          actor_org: answer.orgCode,
          at: nowIso,
          note: parsed.text,
          data: JSON.stringify({
            mailItemId: itemId,
            from: parsed.fromAddress,
            orgCode: answer.orgCode,
            fromName: parsed.fromName,
            subject: parsed.subject,
            receivedAt: nowIso,
            automatic: true,
          }),
        })
        .execute();
    }
    await advance();
    await hooks.beforeCommit?.();
    return { taken: true, itemId, changeSeq: lastSeq } as const;
  });
}

/** Our receipts carry Message-ID <notification id@domain> (notifications/senders/email.ts). */
export const BOUNCE_ERROR = 'E-posta geri döndü (alıcıya ulaşılamadı)';

async function markBouncedReceipts(
  trx: Transaction<Database>,
  parsed: ParsedMessage,
  nowIso: string,
): Promise<string | null> {
  let first: string | null = null;
  for (const messageId of parsed.bouncedMessageIds) {
    const row = await trx
      .selectFrom('notification')
      .select(['id', 'state'])
      .where('channel', '=', 'email')
      .where('provider_message_id', '=', messageId)
      .executeTakeFirst();
    if (row === undefined) continue;
    first ??= row.id;
    await trx
      .updateTable('notification')
      .set({
        state: 'failed',
        last_error: BOUNCE_ERROR,
        updated_at: nowIso,
        change_seq: await nextChangeSeq(trx),
      })
      .where('id', '=', row.id)
      .execute();
  }
  return first;
}
