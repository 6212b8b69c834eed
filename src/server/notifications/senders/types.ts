import type { NotificationChannel } from '../../db/schema';

/** One message as a channel adapter sends it. */
export interface OutgoingMessage {
  /** The notification id: also an idempotency key for providers that support one. */
  id: string;
  /** E.164 phone number (SMS) or e-mail address. */
  recipient: string;
  subject: string | null;
  body: string;
  /** E-mail only: the citizen's mail this answers (a ŞÖK registered from the mailbox). */
  thread?: { inReplyTo: string; references: string[] } | null;
}

/**
 * What a delivery attempt came to. `permanent` failures are not retried (the same request would
 * be refused again: a bad number, a rejected mailbox); the others are retried with backoff.
 */
export type SendResult =
  { ok: true; providerMessageId: string | null } | { ok: false; permanent: boolean; error: string };

export interface ChannelSender {
  readonly channel: NotificationChannel;
  /** Never throws for a delivery failure; returns it. (A throw is treated as transient.) */
  send(message: OutgoingMessage): Promise<SendResult>;
  close?(): Promise<void>;
}

/** Shortens provider text kept in `last_error` (shown on the ŞÖK). */
export function clip(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}
