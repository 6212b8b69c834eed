import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { parseTurkishPhone } from '../../domain/phone';
import type { Database, NotificationChannel, NotificationTable, SokTable } from '../db/schema';
import { directWriter, type SyncWriter } from '../sync/batch';
import { formatIstanbulTime } from '../i18n';
import { NOT_CONFIGURED_ERROR } from './store';
import { loadTemplate, renderTemplate, type TemplateText, type TemplateValues } from './templates';
import { bumpCounter } from '../db/write-lock';

export interface ReceiptInput {
  sok: {
    id: string;
    regNo: string;
    citizenName: string;
    /** E.164, as stored on the ŞÖK. */
    citizenPhone: string;
    /** ISO-8601; the date the receipt states. */
    createdAt: string;
  };
  /** The topic as the citizen should read it (the reference data's name, not its code). */
  topicName: string;
  citizenEmail?: string | null | undefined;
  /** 'telefon' | 'sms' | 'e-posta' (the intake form's preferred contact). */
  preferredChannel?: string | null | undefined;
  /**
   * Consent to *extra* SMS (surveys, announcements). Not needed for a receipt and not consulted
   * here: informing the citizen of their request is part of handling it, a legal duty (3071
   * art. 7, Circular 2004/12; KVKK art. 5/2-ç), so KVKK does not make it depend on consent.
   */
  smsConsent?: boolean | null | undefined;
  now: Date;
  /**
   * What the message is about: the receipt of a new ŞÖK, or its referral to another body
   * (Law 3071 art. 5: the citizen is told where their request went, and why).
   */
  purpose?: 'receipt' | 'referral' | 'decision';
  referral?: { organisation: string; organisationPhone: string | null; reason: string };
  /** purpose 'decision': the evaluating organisation and the decision as the citizen reads it. */
  decision?: { organisation: string; text: string };
  /**
   * Channels this instance's worker cannot send (not configured): their rows get the visible
   * reason at once, as the worker's `markUnconfigured` would a moment later (one commit and one
   * poke less per ŞÖK). An instance that has the channel configured still sends them.
   */
  unsendable?: ReadonlySet<NotificationChannel> | undefined;
}

export interface EnqueuedReceipt {
  id: string;
  channel: NotificationChannel;
  recipient: string;
  seq: number;
}

export interface EnqueueResult {
  receipts: EnqueuedReceipt[];
  /** Channels not used, and why (for the log; not an error). */
  skipped: { channel: NotificationChannel; reason: string }[];
  /** Highest change sequence allocated (0 when nothing was enqueued): publish at least this. */
  lastSeq: number;
}

const EmailSchema = z.email();

/**
 * Decides which receipts a newly registered ŞÖK gets, renders them from the templates in force
 * and inserts them into the outbox **in the caller's transaction**, so a receipt exists exactly
 * when the ŞÖK is committed on the server (never for a ŞÖK the server refused).
 *
 * - SMS when the citizen's number is a Turkish mobile number (landlines cannot receive SMS),
 *   unless they asked to be contacted by e-mail and gave an address;
 * - e-mail when an address is given.
 *
 * Must run inside `withWriteLock` (it allocates change sequences). `writer` is where it reads
 * templates and writes (default: straight to `trx`; a push passes its batch).
 */
export async function enqueueReceipts(
  trx: Kysely<Database>,
  input: ReceiptInput,
  writer: SyncWriter = directWriter(trx),
): Promise<EnqueueResult> {
  const result: EnqueueResult = { receipts: [], skipped: [], lastSeq: 0 };
  const purpose = input.purpose ?? 'receipt';
  const email = normaliseEmail(input.citizenEmail);
  const phone = parseTurkishPhone(input.sok.citizenPhone);
  const mobile = phone.ok && phone.kind === 'mobile' && phone.e164.startsWith('+90');

  const wanted: { channel: NotificationChannel; recipient: string; template: string }[] = [];
  if (!mobile) {
    result.skipped.push({ channel: 'sms', reason: 'not a Turkish mobile number' });
  } else if (input.preferredChannel === 'e-posta' && email !== null) {
    result.skipped.push({ channel: 'sms', reason: 'the citizen prefers e-mail' });
  } else if (phone.ok) {
    wanted.push({ channel: 'sms', recipient: phone.e164, template: `${purpose}.sms` });
  }
  if (email !== null) {
    wanted.push({ channel: 'email', recipient: email, template: `${purpose}.email` });
  } else if (input.citizenEmail != null && input.citizenEmail.trim() !== '') {
    result.skipped.push({ channel: 'email', reason: 'invalid e-mail address' });
  }
  if (wanted.length === 0) return result;

  const followUp = await writer.template('receipt.follow-up');
  const values: TemplateValues = {
    regNo: input.sok.regNo,
    topic: input.topicName,
    date: formatIstanbulTime(input.sok.createdAt),
    citizenName: input.sok.citizenName,
    ...(input.referral
      ? {
          organisation: input.referral.organisation,
          organisationPhone: input.referral.organisationPhone
            ? `İletişim: ${input.referral.organisationPhone}. `
            : '',
          reason: input.referral.reason,
        }
      : {}),
    ...(input.decision
      ? { organisation: input.decision.organisation, decision: input.decision.text }
      : {}),
  };
  values.followUp = renderTemplate(followUp.body, values).trim();
  const smsValues: TemplateValues =
    values.decision !== undefined && values.decision.length > SMS_DECISION_MAX
      ? {
          ...values,
          decision: `${values.decision.slice(0, SMS_DECISION_MAX - 40).trimEnd()}… Ayrıntı: Alo 153.`,
        }
      : values;

  const { first } = await writer.bump('change', wanted.length);
  const nowIso = input.now.toISOString();
  for (const [i, w] of wanted.entries()) {
    const template = await writer.template(w.template);
    const v = w.channel === 'sms' ? smsValues : values;
    const id = randomUUID();
    const seq = first + i;
    await writer.insertNotification(
      pendingRow({
        id,
        sokId: input.sok.id,
        channel: w.channel,
        purpose,
        recipient: w.recipient,
        template,
        values: v,
        lastError: input.unsendable?.has(w.channel) ? NOT_CONFIGURED_ERROR[w.channel] : null,
        nowIso,
        seq,
      }),
    );
    result.receipts.push({ id, channel: w.channel, recipient: w.recipient, seq });
    result.lastSeq = seq;
  }
  return result;
}

/** A notification row waiting in the outbox, its text rendered from `template`. */
function pendingRow(r: {
  id: string;
  sokId: string;
  channel: NotificationChannel;
  purpose: string;
  recipient: string;
  template: TemplateText;
  values: TemplateValues;
  lastError: string | null;
  nowIso: string;
  seq: number;
}): Insertable<NotificationTable> {
  return {
    id: r.id,
    sok_id: r.sokId,
    channel: r.channel,
    purpose: r.purpose,
    recipient: r.recipient,
    subject: r.template.subject === null ? null : renderTemplate(r.template.subject, r.values),
    body: renderTemplate(r.template.body, r.values),
    state: 'pending',
    attempts: 0,
    next_attempt_at: r.nowIso,
    last_error: r.lastError,
    provider_message_id: null,
    claim_token: null,
    claimed_until: null,
    created_at: r.nowIso,
    updated_at: r.nowIso,
    sent_at: null,
    change_seq: r.seq,
  };
}

/** Who a stored ŞÖK's messages go to, as enqueueReceipts takes it. */
export function recipientOf(
  row: Pick<
    Selectable<SokTable>,
    | 'id'
    | 'reg_no'
    | 'citizen_name'
    | 'citizen_phone'
    | 'created_at'
    | 'citizen_email'
    | 'preferred_contact'
  >,
): Pick<ReceiptInput, 'sok' | 'citizenEmail' | 'preferredChannel'> {
  return {
    sok: {
      id: row.id,
      regNo: row.reg_no,
      citizenName: row.citizen_name,
      citizenPhone: row.citizen_phone,
      createdAt: row.created_at,
    },
    citizenEmail: row.citizen_email,
    preferredChannel: row.preferred_contact,
  };
}

/** A decision is cut to this many characters in an SMS (the e-mail carries it whole). */
const SMS_DECISION_MAX = 300;

export interface OrgMailInput {
  sokId: string;
  /** The organisation the mail is for. */
  org: string;
  /** Its name as people read it (for the reason shown while the mail waits for an address). */
  orgName: string;
  /**
   * 'handoff' (the other side is informed) | 'escalation' (a callback is late) |
   * 'external-request' / 'external-reminder' (an organisation outside the app, external.ts).
   */
  purpose: 'handoff' | 'escalation' | 'external-request' | 'external-reminder';
  template:
    'handoff.email' | 'escalation.email' | 'external-request.email' | 'external-reminder.email';
  /** The organisation's mailbox; null when none is configured. */
  recipient: string | null;
  values: TemplateValues;
  now: Date;
}

/** The visible reason on a mail that waits for its organisation's address. */
export const awaitingAddressError = (orgName: string) =>
  `${orgName} için e-posta adresi tanımlı değil; yönetici adresi girince gönderilecek.`;

/**
 * An e-mail to an organisation's mailbox (not to a citizen), in the caller's transaction, through
 * the same outbox and worker as the citizens' messages. When the organisation has no mailbox the
 * mail is kept, not dropped: it waits as failed with the reason (visible in the lists, `waiting`)
 * and goes as soon as an administrator sets the address (`releaseAwaitingMail`).
 */
export async function enqueueOrgMail(
  trx: Kysely<Database>,
  input: OrgMailInput,
): Promise<{ seq: number; id: string; waiting: boolean }> {
  const recipient = normaliseEmail(input.recipient);
  const template = await loadTemplate(trx, input.template);
  const { last: seq } = await bumpCounter(trx, 'change');
  const id = randomUUID();
  const nowIso = input.now.toISOString();
  const row = pendingRow({
    id,
    sokId: input.sokId,
    channel: 'email',
    purpose: input.purpose,
    recipient: recipient ?? '',
    template,
    values: input.values,
    lastError: null,
    nowIso,
    seq,
  });
  await trx
    .insertInto('notification')
    .values(
      recipient === null
        ? {
            ...row,
            state: 'failed',
            last_error: awaitingAddressError(input.orgName),
            awaiting_org: input.org,
            to_org: input.org,
          }
        : { ...row, to_org: input.org },
    )
    .execute();
  return { seq, id, waiting: recipient === null };
}

/**
 * Sends the e-mails that waited for `org`'s mailbox to the address an administrator just set,
 * in the caller's transaction (under the write lock). Returns the change sequences allocated.
 */
export async function releaseAwaitingMail(
  trx: Kysely<Database>,
  org: string,
  address: string | null,
  now: Date,
): Promise<number[]> {
  const recipient = normaliseEmail(address);
  if (recipient === null) return [];
  const waiting = await trx
    .selectFrom('notification')
    .select('id')
    .where('awaiting_org', '=', org)
    .where('state', '=', 'failed')
    .orderBy('created_at')
    .execute();
  if (waiting.length === 0) return [];
  const { first } = await bumpCounter(trx, 'change', waiting.length);
  const nowIso = now.toISOString();
  const seqs: number[] = [];
  for (const [i, { id }] of waiting.entries()) {
    await trx
      .updateTable('notification')
      .set({
        recipient,
        state: 'pending',
        attempts: 0,
        last_error: null,
        next_attempt_at: nowIso,
        updated_at: nowIso,
        change_seq: first + i,
        awaiting_org: null,
      })
      .where('id', '=', id)
      .execute();
    seqs.push(first + i);
  }
  return seqs;
}

function normaliseEmail(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '' || trimmed.length > 254) return null;
  return EmailSchema.safeParse(trimmed).success ? trimmed : null;
}
