import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Settings of the Alo-153 mailbox reader (docs/mailbox.md). Each mailbox is read by one API
 * instance at a time; its mail lands in the "E-posta" intake queue of `orgCode`.
 */
const seconds = (min: number, max: number) => z.number().int().min(min).max(max);
const MiB = 1024 * 1024;

/** Types an attachment may have, decided by its content (file-type), never by its name. */
export const DEFAULT_ATTACHMENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/heic',
  'image/heif',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'text/plain',
  'video/mp4',
  'video/quicktime',
  'audio/mpeg',
  'audio/mp4',
];

const isLoopback = (host: string) =>
  host === 'localhost' || (isIP(host) === 4 ? host.startsWith('127.') : host === '::1');

export const MailboxSchema = z
  .strictObject({
    /** Short name (e.g. `alo153`, `osmangazi`): the key of its checkpoint and lock. */
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, at most 40'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional(),
    /**
     * `implicit`: TLS from the first byte (imaps, port 993); `starttls`: plain connection that
     * must be upgraded (port 143), refused otherwise; `none`: only towards a loopback address.
     */
    tls: z.enum(['implicit', 'starttls', 'none']).default('implicit'),
    /** A PEM file of the CA that signed the server's certificate (default: the system's). */
    caFile: z.string().min(1).optional(),
    user: z.string().min(1),
    password: z.string(),
    folder: z.string().min(1).default('INBOX'),
    /** Whose intake queue the mail goes to (default: the call centre's, BİKOM). */
    orgCode: z.string().min(1).optional(),
  })
  .refine((m) => m.tls !== 'none' || isLoopback(m.host), {
    message: 'a mailbox without TLS is allowed only on a loopback address',
    path: ['tls'],
  });
export type MailboxSettings = z.output<typeof MailboxSchema>;

export const MailboxConfigSchema = z.strictObject({
  mailboxes: z
    .array(MailboxSchema)
    .max(50)
    .default([])
    .refine((list) => new Set(list.map((m) => m.name)).size === list.length, {
      message: 'mailbox names must be unique',
    }),
  /** Run the readers in this instance (several instances may: one reads each mailbox). */
  readerEnabled: z.boolean().default(true),
  /** IDLE tells of new mail at once; this full resync is the fallback. */
  resyncSeconds: seconds(1, 3600).default(60),
  /** First wait before reconnecting after the IMAP server went away; doubles up to the max. */
  reconnectSeconds: seconds(1, 300).default(5),
  reconnectMaxSeconds: seconds(1, 3600).default(300),
  /** How often an instance that does not hold a mailbox asks whether it is free. */
  lockRetrySeconds: seconds(1, 3600).default(30),
  /** SQLite: a reader's lease on its mailbox lasts this long unless renewed (a third of it). */
  leaseSeconds: seconds(3, 3600).default(30),
  /** Larger messages are quarantined without being downloaded. */
  maxMessageBytes: z
    .number()
    .int()
    .min(1024)
    .max(200 * MiB)
    .default(25 * MiB),
  maxHeaderBytes: z
    .number()
    .int()
    .min(1024)
    .max(MiB)
    .default(64 * 1024),
  /** Larger attachments are refused (the message itself is still taken). */
  maxAttachmentBytes: z
    .number()
    .int()
    .min(1024)
    .max(100 * MiB)
    .default(10 * MiB),
  /** Attachments after this many are refused. */
  maxAttachments: z.number().int().min(0).max(100).default(10),
  attachmentTypes: z
    .array(z.string().regex(/^[a-z]+\/[\w.+-]+$/))
    .default(DEFAULT_ATTACHMENT_TYPES),
  /** Longest description kept from a message's text (the rest is cut, with a note). */
  maxTextChars: z.number().int().min(1000).max(1_000_000).default(100_000),
});
export type MailboxConfig = z.output<typeof MailboxConfigSchema>;

/** Environment variables of the mailbox block (for error messages). */
export const MAILBOX_ENV_NAMES: Record<string, string> = {
  'mailbox.mailboxes': 'ALO153_MAILBOXES',
  'mailbox.readerEnabled': 'ALO153_MAILBOX_READER',
  'mailbox.resyncSeconds': 'ALO153_MAILBOX_RESYNC_SECONDS',
  'mailbox.reconnectSeconds': 'ALO153_MAILBOX_RECONNECT_SECONDS',
  'mailbox.reconnectMaxSeconds': 'ALO153_MAILBOX_RECONNECT_MAX_SECONDS',
  'mailbox.lockRetrySeconds': 'ALO153_MAILBOX_LOCK_RETRY_SECONDS',
  'mailbox.leaseSeconds': 'ALO153_MAILBOX_LEASE_SECONDS',
  'mailbox.maxMessageBytes': 'ALO153_MAIL_MAX_MESSAGE_BYTES',
  'mailbox.maxHeaderBytes': 'ALO153_MAIL_MAX_HEADER_BYTES',
  'mailbox.maxAttachmentBytes': 'ALO153_MAIL_MAX_ATTACHMENT_BYTES',
  'mailbox.maxAttachments': 'ALO153_MAIL_MAX_ATTACHMENTS',
  'mailbox.attachmentTypes': 'ALO153_MAIL_ATTACHMENT_TYPES',
  'mailbox.maxTextChars': 'ALO153_MAIL_MAX_TEXT_CHARS',
};

export const envKey = (name: string) => name.toUpperCase().replace(/-/g, '_');

/**
 * Reads the mailbox block from the environment:
 *
 *   ALO153_MAILBOXES=alo153,osmangazi
 *   ALO153_MAILBOX_ALO153_URL=imaps://alo153%40bursa.bel.tr@imap.bursa.bel.tr:993/INBOX
 *   ALO153_MAILBOX_ALO153_PASSWORD=…
 *   ALO153_MAILBOX_ALO153_ORG=bikom            (optional; default the call centre)
 *   ALO153_MAILBOX_ALO153_CA_FILE=/etc/…/ca.pem (optional)
 *
 * `imaps://` is TLS from the start, `imap://` must be upgraded with STARTTLS, and
 * `imap+plain://` (loopback only) has no TLS at all.
 */
export function mailboxConfigFromEnv(env: NodeJS.ProcessEnv): {
  input: Record<string, unknown>;
  problems: string[];
} {
  const problems: string[] = [];
  const str = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const int = (name: string) => {
    const value = str(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) {
      problems.push(`  ${name}: expected a whole number, got "${value}"`);
      return undefined;
    }
    return Number(value);
  };
  const bool = (name: string) => {
    const value = str(name)?.toLowerCase();
    if (value === undefined) return undefined;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    problems.push(`  ${name}: expected true or false, got "${value}"`);
    return undefined;
  };
  const mailboxes = (str('ALO153_MAILBOXES') ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean)
    .map((name) => {
      const prefix = `ALO153_MAILBOX_${envKey(name)}`;
      const url = str(`${prefix}_URL`);
      const box: Record<string, unknown> = { name, password: env[`${prefix}_PASSWORD`] ?? '' };
      if (url === undefined) {
        problems.push(`  ${prefix}_URL: required, e.g. imaps://user@imap.example.org:993/INBOX`);
        return box;
      }
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        problems.push(`  ${prefix}_URL: not a URL`);
        return box;
      }
      const tls = { 'imaps:': 'implicit', 'imap:': 'starttls', 'imap+plain:': 'none' }[
        parsed.protocol
      ];
      if (tls === undefined) {
        problems.push(`  ${prefix}_URL: must start with imaps://, imap:// or imap+plain://`);
        return box;
      }
      if (parsed.password !== '') {
        problems.push(`  ${prefix}_URL: put the password in ${prefix}_PASSWORD, not in the URL`);
      }
      const folder = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
      return {
        ...box,
        host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
        ...(parsed.port !== '' ? { port: Number(parsed.port) } : {}),
        tls,
        user: decodeURIComponent(parsed.username),
        ...(folder !== '' ? { folder } : {}),
        ...(str(`${prefix}_ORG`) !== undefined ? { orgCode: str(`${prefix}_ORG`) } : {}),
        ...(str(`${prefix}_CA_FILE`) !== undefined ? { caFile: str(`${prefix}_CA_FILE`) } : {}),
      };
    });
  const input = Object.fromEntries(
    Object.entries({
      mailboxes: mailboxes.length > 0 ? mailboxes : undefined,
      readerEnabled: bool('ALO153_MAILBOX_READER'),
      resyncSeconds: int('ALO153_MAILBOX_RESYNC_SECONDS'),
      reconnectSeconds: int('ALO153_MAILBOX_RECONNECT_SECONDS'),
      reconnectMaxSeconds: int('ALO153_MAILBOX_RECONNECT_MAX_SECONDS'),
      lockRetrySeconds: int('ALO153_MAILBOX_LOCK_RETRY_SECONDS'),
      leaseSeconds: int('ALO153_MAILBOX_LEASE_SECONDS'),
      maxMessageBytes: int('ALO153_MAIL_MAX_MESSAGE_BYTES'),
      maxHeaderBytes: int('ALO153_MAIL_MAX_HEADER_BYTES'),
      maxAttachmentBytes: int('ALO153_MAIL_MAX_ATTACHMENT_BYTES'),
      maxAttachments: int('ALO153_MAIL_MAX_ATTACHMENTS'),
      attachmentTypes: str('ALO153_MAIL_ATTACHMENT_TYPES')
        ?.split(',')
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
      maxTextChars: int('ALO153_MAIL_MAX_TEXT_CHARS'),
    }).filter(([, v]) => v !== undefined),
  );
  return { input, problems };
}
