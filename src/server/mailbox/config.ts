import { isIP } from 'node:net';
import { z } from 'zod';
import {
  envBool,
  envInt,
  envList,
  type EnvProblem,
  type EnvRecord,
  type EnvSpec,
} from '../../domain/settings/env';

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

/** The mailbox block's fixed settings, read by the one environment parser. */
export const MAILBOX_ENV = {
  /** The names; each mailbox's own variables are read by {@link mailboxesFromEnv}. */
  mailboxes: envList('ALO153_MAILBOXES'),
  readerEnabled: envBool('ALO153_MAILBOX_READER'),
  resyncSeconds: envInt('ALO153_MAILBOX_RESYNC_SECONDS'),
  reconnectSeconds: envInt('ALO153_MAILBOX_RECONNECT_SECONDS'),
  reconnectMaxSeconds: envInt('ALO153_MAILBOX_RECONNECT_MAX_SECONDS'),
  lockRetrySeconds: envInt('ALO153_MAILBOX_LOCK_RETRY_SECONDS'),
  leaseSeconds: envInt('ALO153_MAILBOX_LEASE_SECONDS'),
  maxMessageBytes: envInt('ALO153_MAIL_MAX_MESSAGE_BYTES'),
  maxHeaderBytes: envInt('ALO153_MAIL_MAX_HEADER_BYTES'),
  maxAttachmentBytes: envInt('ALO153_MAIL_MAX_ATTACHMENT_BYTES'),
  maxAttachments: envInt('ALO153_MAIL_MAX_ATTACHMENTS'),
  attachmentTypes: envList('ALO153_MAIL_ATTACHMENT_TYPES'),
  maxTextChars: envInt('ALO153_MAIL_MAX_TEXT_CHARS'),
} satisfies EnvSpec;

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
export function mailboxesFromEnv(env: EnvRecord): {
  mailboxes: Record<string, unknown>[] | undefined;
  problems: EnvProblem[];
} {
  const problems: EnvProblem[] = [];
  const problem = (variable: string, reason: string) => problems.push({ variable, reason });
  const str = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
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
        problem(`${prefix}_URL`, 'required, e.g. imaps://user@imap.example.org:993/INBOX');
        return box;
      }
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        problem(`${prefix}_URL`, 'not a URL');
        return box;
      }
      const tls = { 'imaps:': 'implicit', 'imap:': 'starttls', 'imap+plain:': 'none' }[
        parsed.protocol
      ];
      if (tls === undefined) {
        problem(`${prefix}_URL`, 'must start with imaps://, imap:// or imap+plain://');
        return box;
      }
      if (parsed.password !== '') {
        problem(`${prefix}_URL`, `put the password in ${prefix}_PASSWORD, not in the URL`);
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
  return { mailboxes: mailboxes.length > 0 ? mailboxes : undefined, problems };
}
