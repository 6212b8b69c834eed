import { z } from 'zod';

/**
 * Settings of the notification worker and its two channels. A channel that is not configured
 * is not an error: its notifications stay `pending` with a visible "yapılandırılmamış" reason
 * and go out once it is configured (see README.md).
 */
const seconds = (min: number, max: number) => z.number().int().min(min).max(max);

export const SmtpConfigSchema = z
  .strictObject({
    /** smtp://user:pass@host:587 or smtps://…:465; the fields below override its parts. */
    url: z
      .string()
      .regex(/^smtps?:\/\/[^/]+/, 'must be an smtp:// or smtps:// URL')
      .optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    /** Implicit TLS (port 465). Otherwise STARTTLS is used when the server offers it. */
    secure: z.boolean().optional(),
    /** Refuse to send unless the connection is upgraded with STARTTLS. */
    requireTls: z.boolean().default(false),
    user: z.string().min(1).optional(),
    password: z.string().optional(),
    /** The sender citizens see, e.g. `Alo 153 <alo153@example.org>`. */
    from: z.string({ error: 'required, e.g. "Alo 153 <alo153@example.org>"' }).min(3).max(200),
    /** Connection, greeting and socket timeout of one delivery. */
    timeoutSeconds: seconds(1, 300).default(30),
  })
  .refine((c) => c.url !== undefined || c.host !== undefined, {
    message: 'set url or host',
    path: ['host'],
  });
export type SmtpConfig = z.output<typeof SmtpConfigSchema>;

export const SmsConfigSchema = z.strictObject({
  /** The provider's send endpoint (HTTP POST). */
  url: z.url({
    protocol: /^https?$/,
    error: (issue) =>
      issue.input === undefined
        ? 'required: the provider’s send URL'
        : 'must be an http:// or https:// URL',
  }),
  user: z.string().min(1).optional(),
  password: z.string().optional(),
  /** How credentials travel: HTTP Basic auth, or `username`/`password` fields in the body. */
  credentials: z.enum(['basic', 'body']).default('basic'),
  /** The registered sender name (SMS başlığı), at most 11 characters. */
  sender: z.string({ error: 'required: the registered sender name' }).min(1).max(11),
  /** Request body encoding. */
  format: z.enum(['json', 'form']).default('json'),
  /** +905321234567 (e164), 905321234567 (digits) or 5321234567 (national). */
  numberFormat: z.enum(['e164', 'digits', 'national']).default('e164'),
  timeoutSeconds: seconds(1, 120).default(15),
});
export type SmsConfig = z.output<typeof SmsConfigSchema>;

export const DEFAULT_RETRY_DELAYS_SECONDS = [30, 120, 600, 3600, 6 * 3600];

export const NotificationConfigSchema = z.strictObject({
  /** Run the sending worker in this server instance (several instances may all run one). */
  workerEnabled: z.boolean().default(true),
  smtp: SmtpConfigSchema.optional(),
  sms: SmsConfigSchema.optional(),
  /** The worker also wakes when told (enqueue, change notifications); this is the fallback. */
  pollIntervalSeconds: seconds(1, 3600).default(30),
  /** Rows claimed (and sent concurrently) at a time. */
  batchSize: z.number().int().min(1).max(100).default(10),
  /** Attempts before a notification is marked `failed` (visible on the ŞÖK, never dropped). */
  maxAttempts: z.number().int().min(1).max(50).default(8),
  /** Delay after the 1st, 2nd … failed attempt (the last one repeats), each ±25 % jitter. */
  retryDelaysSeconds: z
    .array(seconds(1, 7 * 24 * 3600))
    .min(1)
    .max(20)
    .default(DEFAULT_RETRY_DELAYS_SECONDS),
  /** A claim still `sending` after this long (instance died) goes back to pending. */
  claimTimeoutSeconds: seconds(30, 24 * 3600).default(300),
});
export type NotificationConfig = z.output<typeof NotificationConfigSchema>;
export type NotificationConfigInput = z.input<typeof NotificationConfigSchema>;

/** Config key (as zod reports its path under `notifications.`) → environment variable. */
export const NOTIFICATION_ENV_NAMES: Record<string, string> = {
  'notifications.workerEnabled': 'ALO153_NOTIFY_WORKER',
  'notifications.pollIntervalSeconds': 'ALO153_NOTIFY_POLL_SECONDS',
  'notifications.batchSize': 'ALO153_NOTIFY_BATCH_SIZE',
  'notifications.maxAttempts': 'ALO153_NOTIFY_MAX_ATTEMPTS',
  'notifications.retryDelaysSeconds': 'ALO153_NOTIFY_RETRY_DELAYS',
  'notifications.claimTimeoutSeconds': 'ALO153_NOTIFY_CLAIM_TIMEOUT_SECONDS',
  'notifications.smtp.url': 'ALO153_SMTP_URL',
  'notifications.smtp.host': 'ALO153_SMTP_HOST',
  'notifications.smtp.port': 'ALO153_SMTP_PORT',
  'notifications.smtp.secure': 'ALO153_SMTP_SECURE',
  'notifications.smtp.requireTls': 'ALO153_SMTP_REQUIRE_TLS',
  'notifications.smtp.user': 'ALO153_SMTP_USER',
  'notifications.smtp.password': 'ALO153_SMTP_PASSWORD',
  'notifications.smtp.from': 'ALO153_SMTP_FROM',
  'notifications.smtp.timeoutSeconds': 'ALO153_SMTP_TIMEOUT_SECONDS',
  'notifications.sms.url': 'ALO153_SMS_URL',
  'notifications.sms.user': 'ALO153_SMS_USER',
  'notifications.sms.password': 'ALO153_SMS_PASSWORD',
  'notifications.sms.credentials': 'ALO153_SMS_CREDENTIALS',
  'notifications.sms.sender': 'ALO153_SMS_SENDER',
  'notifications.sms.format': 'ALO153_SMS_FORMAT',
  'notifications.sms.numberFormat': 'ALO153_SMS_NUMBER_FORMAT',
  'notifications.sms.timeoutSeconds': 'ALO153_SMS_TIMEOUT_SECONDS',
};

/**
 * Reads the `notifications` section of the server config from the environment. Returns the
 * input for NotificationConfigSchema (validated with the rest of the config) and the problems
 * found while reading (e.g. a non-number where a number belongs). A channel section appears as
 * soon as one of its variables is set, so a half-configured channel is reported, not ignored.
 */
export function notificationConfigFromEnv(env: NodeJS.ProcessEnv): {
  input: NotificationConfigInput;
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
  const list = (name: string) => {
    const value = str(name);
    if (value === undefined) return undefined;
    const parts = value.split(',').map((p) => p.trim());
    if (parts.some((p) => !/^\d+$/.test(p))) {
      problems.push(`  ${name}: expected seconds separated by commas, got "${value}"`);
      return undefined;
    }
    return parts.map(Number);
  };
  // Secrets are read verbatim (a password may end in a space).
  const secret = (name: string) =>
    env[name] === undefined || env[name] === '' ? undefined : env[name];

  const smtp = compact({
    url: str('ALO153_SMTP_URL'),
    host: str('ALO153_SMTP_HOST'),
    port: int('ALO153_SMTP_PORT'),
    secure: bool('ALO153_SMTP_SECURE'),
    requireTls: bool('ALO153_SMTP_REQUIRE_TLS'),
    user: str('ALO153_SMTP_USER'),
    password: secret('ALO153_SMTP_PASSWORD'),
    from: str('ALO153_SMTP_FROM'),
    timeoutSeconds: int('ALO153_SMTP_TIMEOUT_SECONDS'),
  });
  const sms = compact({
    url: str('ALO153_SMS_URL'),
    user: str('ALO153_SMS_USER'),
    password: secret('ALO153_SMS_PASSWORD'),
    credentials: str('ALO153_SMS_CREDENTIALS'),
    sender: str('ALO153_SMS_SENDER'),
    format: str('ALO153_SMS_FORMAT'),
    numberFormat: str('ALO153_SMS_NUMBER_FORMAT'),
    timeoutSeconds: int('ALO153_SMS_TIMEOUT_SECONDS'),
  });
  const input = compact({
    workerEnabled: bool('ALO153_NOTIFY_WORKER'),
    pollIntervalSeconds: int('ALO153_NOTIFY_POLL_SECONDS'),
    batchSize: int('ALO153_NOTIFY_BATCH_SIZE'),
    maxAttempts: int('ALO153_NOTIFY_MAX_ATTEMPTS'),
    retryDelaysSeconds: list('ALO153_NOTIFY_RETRY_DELAYS'),
    claimTimeoutSeconds: int('ALO153_NOTIFY_CLAIM_TIMEOUT_SECONDS'),
    smtp: Object.keys(smtp).length > 0 ? smtp : undefined,
    sms: Object.keys(sms).length > 0 ? sms : undefined,
  });
  // The schema reports wrong types and missing fields with the key's path and env name.
  return { input: input as NotificationConfigInput, problems };
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** Parses the notification settings alone (tests, tools); the server parses them in its config. */
export function parseNotificationConfig(input: NotificationConfigInput = {}): NotificationConfig {
  return NotificationConfigSchema.parse(input);
}
