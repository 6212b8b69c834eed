import { z } from 'zod';
import {
  envBool,
  envInt,
  envIntList,
  envSecret,
  envString,
  parseEnv,
  type EnvRecord,
  type EnvSpec,
} from '../../domain/settings/env';

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

/**
 * The `notifications` section of the server config as environment variables (read by the
 * server's config with the domain's one environment parser). A channel section appears as soon
 * as one of its variables is set, so a half-configured channel is reported, not ignored.
 */
export const NOTIFICATION_ENV = {
  workerEnabled: envBool('ALO153_NOTIFY_WORKER'),
  pollIntervalSeconds: envInt('ALO153_NOTIFY_POLL_SECONDS'),
  batchSize: envInt('ALO153_NOTIFY_BATCH_SIZE'),
  maxAttempts: envInt('ALO153_NOTIFY_MAX_ATTEMPTS'),
  retryDelaysSeconds: envIntList('ALO153_NOTIFY_RETRY_DELAYS'),
  claimTimeoutSeconds: envInt('ALO153_NOTIFY_CLAIM_TIMEOUT_SECONDS'),
  smtp: {
    url: envString('ALO153_SMTP_URL'),
    host: envString('ALO153_SMTP_HOST'),
    port: envInt('ALO153_SMTP_PORT'),
    secure: envBool('ALO153_SMTP_SECURE'),
    requireTls: envBool('ALO153_SMTP_REQUIRE_TLS'),
    user: envString('ALO153_SMTP_USER'),
    password: envSecret('ALO153_SMTP_PASSWORD'),
    from: envString('ALO153_SMTP_FROM'),
    timeoutSeconds: envInt('ALO153_SMTP_TIMEOUT_SECONDS'),
  },
  sms: {
    url: envString('ALO153_SMS_URL'),
    user: envString('ALO153_SMS_USER'),
    password: envSecret('ALO153_SMS_PASSWORD'),
    credentials: envString('ALO153_SMS_CREDENTIALS'),
    sender: envString('ALO153_SMS_SENDER'),
    format: envString('ALO153_SMS_FORMAT'),
    numberFormat: envString('ALO153_SMS_NUMBER_FORMAT'),
    timeoutSeconds: envInt('ALO153_SMS_TIMEOUT_SECONDS'),
  },
} satisfies EnvSpec;

/** Reads the notification settings alone from the environment (tests, tools). */
export function notificationConfigFromEnv(env: EnvRecord): NotificationConfig {
  return parseEnv(NOTIFICATION_ENV, env, {
    title: 'Invalid notification configuration:',
    schema: NotificationConfigSchema,
  });
}

/** Parses the notification settings alone (tests, tools); the server parses them in its config. */
export function parseNotificationConfig(input: NotificationConfigInput = {}): NotificationConfig {
  return NotificationConfigSchema.parse(input);
}
