import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { LineConfigSchema } from '../domain/call-queue';
import {
  envBool,
  EnvError,
  envInt,
  envJson,
  envList,
  envSecret,
  envString,
  envTrustProxy,
  parseEnv,
  problemsOf,
  readEnv,
  type EnvLanguage,
  type EnvProblem,
  type EnvRecord,
  type EnvSpec,
} from '../domain/settings/env';
import { NOTIFICATION_ENV, NotificationConfigSchema } from './notifications/config';
import { MAILBOX_ENV, MailboxConfigSchema, mailboxesFromEnv } from './mailbox/config';

/**
 * Server configuration. One zod schema serves both the embedded server (the host passes an
 * object) and the standalone one (read from the environment by `configFromEnv`), so defaults and
 * limits live in one place.
 */
const seconds = (min: number, max: number) => z.number().int().min(min).max(max);
const timeRange = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must look like 09:00-20:00')
  .refine((v) => v.slice(0, 5) < v.slice(6), 'the range must end after it starts');

export const WorkflowConfigSchema = z.strictObject({
  /** BİKOM's organisation code: where misrouted ŞÖKs return, whose supervisors get level 2. */
  callCentreOrg: z.string().min(1).default('bikom'),
  /** Working days from decision to callback due, for topics that set none. */
  callbackWorkingDays: z.number().int().min(0).max(60).default(2),
  minAttemptIntervalMinutes: z.number().int().min(0).max(10_080).default(60),
  maxAttempts: z.number().int().min(1).max(20).default(3),
  /** When citizens may be called (Europe/Istanbul). */
  callingHours: timeRange.default('09:00-20:00'),
  callOnWeekends: z.boolean().default(true),
  callOnHolidays: z.boolean().default(false),
  /** How long a claim holds before the callback returns to the pool. */
  claimMinutes: z.number().int().min(1).max(10_080).default(240),
  officeHours: timeRange.default('08:30-17:30'),
  /** How often overdue callbacks and lapsed claims are swept (0: never, for tests). */
  sweepIntervalSeconds: z.number().int().min(0).max(3600).default(60),
  /**
   * Working days an organisation outside the app has to answer a ŞÖK sent to it by e-mail
   * before it is reminded and BİKOM's queue gets an item (docs/mailbox.md).
   */
  externalReplyWorkingDays: z.number().int().min(1).max(60).default(3),
});
export type WorkflowConfig = z.output<typeof WorkflowConfigSchema>;

export const SupervisorConfigSchema = z
  .strictObject({
    /** Callback on-time and legal-limit rates at or above this are green … */
    slaGoodPercent: z.number().min(0).max(100).default(90),
    /** … at or above this amber, below it red. */
    slaWarnPercent: z.number().min(0).max(100).default(75),
    /** Who gets the monthly PDF report by e-mail (empty: nobody, nothing is scheduled). */
    monthlyReportTo: z.array(z.email()).max(50).default([]),
    /** How often the server checks whether last month's report still has to go out. */
    monthlyReportCheckSeconds: z.number().int().min(0).max(86_400).default(3600),
    /** A TrueType font with Turkish glyphs for the PDF (default: DejaVu Sans). */
    reportFont: z.string().min(1).optional(),
    /**
     * How often the monthly figures of settled months changed since are recomputed (0: never,
     * for tests; the console then reads those months from the ŞÖKs, correct but slower).
     */
    statsRefreshSeconds: z.number().int().min(0).max(86_400).default(30),
    /**
     * The "E-posta" queue's target: every e-mail handled by the close of business of this many
     * working days after the day it came in (0: the same working day).
     */
    mailTargetWorkingDays: z.number().int().min(0).max(30).default(1),
    /**
     * The call line's service level: the share of calls answered within this many seconds
     * (console, exports, monthly report). A line in `lines` may set its own.
     */
    lineServiceLevelSeconds: z.number().int().min(1).max(600).default(20),
  })
  .refine((c) => c.slaWarnPercent <= c.slaGoodPercent, {
    message: 'the amber threshold must not be above the green one',
    path: ['slaWarnPercent'],
  });
export type SupervisorConfig = z.output<typeof SupervisorConfigSchema>;

/** proxy-addr's names for address ranges, accepted in the trusted proxy list. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An IPv4/IPv6 address, a CIDR range of them, or one of proxy-addr's range names. */
export function isProxyAddress(value: string): boolean {
  if (PROXY_RANGE_NAMES.has(value)) return true;
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Which proxies' X-Forwarded-For to believe: none (false), the addresses or CIDR ranges of the
 * reverse proxies in front of the API, or a hop count (that many proxies always stand in front;
 * only safe when the API cannot be reached except through them). Never "any": the client writes
 * the left-most address itself.
 */
export const TrustProxySchema = z.union([
  z.literal(false),
  z.number().int().min(1).max(10),
  z
    .array(
      z
        .string()
        .refine(
          isProxyAddress,
          'must be an IP address, a CIDR range or loopback/linklocal/uniquelocal',
        ),
    )
    .min(1)
    .max(100),
]);

export const ServerConfigSchema = z.strictObject({
  /** postgres://… selects PostgreSQL; when absent the embedded SQLite file is used. */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  sqliteFile: z.string().min(1).default('./.data/server.sqlite'),
  pgPoolMax: z.number().int().min(2).max(200).default(10),
  port: z.number().int().min(0).max(65535).default(8153),
  host: z.string().min(1).default('127.0.0.1'),
  /** Whose X-Forwarded-For to believe (SECURITY.md, "TLS and the reverse proxy"). */
  trustProxy: TrustProxySchema.default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  bodyLimitBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(256 * 1024),
  accessTokenTtlSeconds: seconds(30, 24 * 3600).default(15 * 60),
  refreshTokenTtlSeconds: seconds(60, 90 * 24 * 3600).default(12 * 3600),
  /**
   * How long an authenticated session may be answered from memory (0 = ask the database every
   * request). Logouts and revocations drop it at once on every instance; this bounds only what
   * a lost notification could leave behind.
   */
  sessionCacheSeconds: seconds(0, 300).default(10),
  /**
   * Absolute session lifetime (ASVS 3.3.2): however often it is refreshed, a session ends this
   * many hours after its sign-in (default: a working shift) and the user signs in again.
   */
  sessionMaxHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  /**
   * Consecutive failed logins for one username from one address before that address is locked
   * out of it (others are not); from as many failures from all addresses on, the username's
   * attempts from unknown addresses are slowed down (auth/throttle.ts).
   */
  loginMaxFailures: z.number().int().min(1).max(100).default(5),
  loginLockoutSeconds: seconds(1, 24 * 3600).default(15 * 60),
  /** The longest wait the per-username back-off imposes (it doubles from 1 s). */
  loginBackoffMaxSeconds: seconds(1, 3600).default(60),
  /** Per-address limit on /auth/login and /auth/refresh (shared by instances) and /setup/admin. */
  loginRateLimitMax: z.number().int().min(1).max(100_000).default(20),
  loginRateLimitWindowSeconds: seconds(1, 3600).default(60),
  /**
   * scrypt cost. Stored with every hash, so raising it later re-hashes each password at its
   * owner's next login. logN 17 = N 131072 (128 MiB per hash), OWASP's minimum with r 8, p 1.
   */
  scrypt: z
    .strictObject({
      logN: z.number().int().min(10).max(20).default(17),
      r: z.number().int().min(1).max(16).default(8),
      p: z.number().int().min(1).max(16).default(1),
    })
    .default({ logN: 17, r: 8, p: 1 }),
  /** Registration numbers in one block leased to a desktop for offline registration. */
  numberBlockSize: z.number().int().min(1).max(10_000).default(50),
  /**
   * Number leasing (docs/sync.md, "The number plan"): most leased numbers one user may hold
   * unused, most blocks one user may lease per hour (both counted in the shared database), and
   * the numbers at the end of the space never leased, kept for ŞÖKs the server numbers.
   */
  numberLeaseMaxOutstanding: z.number().int().min(1).max(1_000_000).default(500),
  numberLeasesPerHour: z.number().int().min(1).max(100_000).default(30),
  numberReserve: z.number().int().min(0).max(9_999_999).default(100_000),
  /** Most changes one pull returns. */
  pullPageMax: z.number().int().min(10).max(5000).default(5000),
  /**
   * First-sync seeds (docs/sync.md, "A first sync from a seed"): where their files are kept
   * (default: a temporary directory of the process) and after how long, or how many changes
   * behind the head, a seed is brought up to date when a desk asks for it.
   */
  seeds: z
    .object({
      dir: z.string().min(1).optional(),
      refreshSeconds: z
        .number()
        .int()
        .min(1)
        .max(7 * 86_400)
        .default(600),
      staleChanges: z.number().int().min(1).max(10_000_000).default(5000),
    })
    .prefault({}),
  /** Open311: the endpoint's public URL for discovery (default: the request's own). */
  open311PublicUrl: z.url().optional(),
  /** Open311 POSTs allowed per API key and address each minute; GET look-ups per address. */
  open311PostsPerMinute: z.number().int().min(1).max(100_000).default(30),
  open311LookupsPerMinute: z.number().int().min(1).max(100_000).default(120),
  /** Routing rules seeded when the server has none (admins edit them afterwards). */
  routingFile: z.string().min(1).default('resources/routing/bursa.json'),
  /** Reference data (districts, organisations) seeded into the server at start. */
  referenceFile: z.string().min(1).default('resources/reference/bursa.json'),
  /**
   * When set, POST /setup/admin must present it: a server reachable by others should not hand
   * the first admin account to whoever asks first.
   */
  setupToken: z.string().min(16).max(200).optional(),
  /**
   * The desks' update feed (GET /updates/<file>): the folder holding electron-builder's
   * latest.yml and installers (build/README.md). Unset: no feed.
   */
  updatesDir: z.string().min(1).optional(),
  /**
   * `POST /setup/demo` may fill this server, while it has no user, with a month of demo data
   * (src/server/demo). Only the embedded API of `npm start` turns it on; never a deployed server.
   */
  demoAllowed: z.boolean().default(false),
  /** SMS and e-mail to citizens: channels, retries (src/server/notifications/README.md). */
  notifications: NotificationConfigSchema.prefault({}),
  /** The mandated callback: deadlines, attempts, calling hours (docs/callback.md). */
  workflow: WorkflowConfigSchema.prefault({}),
  /** The supervisor console: SLA colours, the monthly report (docs/supervisor.md). */
  supervisor: SupervisorConfigSchema.prefault({}),
  /** The Alo-153 mailbox(es) read over IMAP into the "E-posta" queue (docs/mailbox.md). */
  mailbox: MailboxConfigSchema.prefault({}),
  /**
   * The call lines the SIP front asks about (issue #20, docs/telephony.md): each number with the
   * organisation whose agents answer it, ring timeout, maximum wait, service-level threshold.
   */
  lines: z
    .array(LineConfigSchema)
    .max(100)
    .refine((lines) => new Set(lines.map((l) => l.number)).size === lines.length, {
      message: 'each line number once',
    })
    .default(() => [LineConfigSchema.parse({ number: '153', orgCode: 'bikom' })]),
});

export type ServerConfig = z.output<typeof ServerConfigSchema>;
export type ServerConfigInput = z.input<typeof ServerConfigSchema>;

/** Bad server settings: every bad variable (or an embedding host's key) with its reason. */
export class ConfigError extends EnvError {
  constructor(problems: readonly EnvProblem[], lang: EnvLanguage = 'en') {
    super('Invalid server configuration:', problems, lang);
    this.name = 'ConfigError';
  }
}

/** The environment variable behind each config key (the standalone server reads them all). */
export const SERVER_ENV = {
  databaseUrl: envString('DATABASE_URL'),
  sqliteFile: envString('ALO153_SERVER_DB'),
  pgPoolMax: envInt('ALO153_PG_POOL_MAX'),
  numberBlockSize: envInt('ALO153_NUMBER_BLOCK_SIZE'),
  numberLeaseMaxOutstanding: envInt('ALO153_NUMBER_LEASE_MAX_OUTSTANDING'),
  numberLeasesPerHour: envInt('ALO153_NUMBER_LEASES_PER_HOUR'),
  numberReserve: envInt('ALO153_NUMBER_RESERVE'),
  pullPageMax: envInt('ALO153_PULL_PAGE_MAX'),
  seeds: {
    dir: envString('ALO153_SEED_DIR'),
    refreshSeconds: envInt('ALO153_SEED_REFRESH_SECONDS'),
    staleChanges: envInt('ALO153_SEED_STALE_CHANGES'),
  },
  port: envInt('PORT'),
  host: envString('HOST'),
  trustProxy: envTrustProxy('ALO153_TRUST_PROXY'),
  logLevel: envString('LOG_LEVEL'),
  bodyLimitBytes: envInt('ALO153_BODY_LIMIT_BYTES'),
  accessTokenTtlSeconds: envInt('ALO153_ACCESS_TOKEN_TTL_SECONDS'),
  refreshTokenTtlSeconds: envInt('ALO153_REFRESH_TOKEN_TTL_SECONDS'),
  sessionCacheSeconds: envInt('ALO153_SESSION_CACHE_SECONDS'),
  sessionMaxHours: envInt('ALO153_SESSION_MAX_HOURS'),
  loginBackoffMaxSeconds: envInt('ALO153_LOGIN_BACKOFF_MAX_SECONDS'),
  loginMaxFailures: envInt('ALO153_LOGIN_MAX_FAILURES'),
  loginLockoutSeconds: envInt('ALO153_LOGIN_LOCKOUT_SECONDS'),
  loginRateLimitMax: envInt('ALO153_LOGIN_RATE_LIMIT_MAX'),
  loginRateLimitWindowSeconds: envInt('ALO153_LOGIN_RATE_LIMIT_WINDOW_SECONDS'),
  scrypt: { logN: envInt('ALO153_SCRYPT_LOG_N') },
  referenceFile: envString('ALO153_REFERENCE_FILE'),
  routingFile: envString('ALO153_ROUTING_FILE'),
  open311PublicUrl: envString('ALO153_OPEN311_PUBLIC_URL'),
  open311PostsPerMinute: envInt('ALO153_OPEN311_POSTS_PER_MINUTE'),
  open311LookupsPerMinute: envInt('ALO153_OPEN311_LOOKUPS_PER_MINUTE'),
  setupToken: envSecret('ALO153_SETUP_TOKEN'),
  updatesDir: envString('ALO153_UPDATES_DIR'),
  notifications: NOTIFICATION_ENV,
  mailbox: MAILBOX_ENV,
  lines: envJson('ALO153_LINES'),
  workflow: {
    callCentreOrg: envString('ALO153_CALL_CENTRE_ORG'),
    callbackWorkingDays: envInt('ALO153_CALLBACK_WORKING_DAYS'),
    minAttemptIntervalMinutes: envInt('ALO153_CALLBACK_MIN_INTERVAL_MINUTES'),
    maxAttempts: envInt('ALO153_CALLBACK_MAX_ATTEMPTS'),
    callingHours: envString('ALO153_CALLING_HOURS'),
    callOnWeekends: envBool('ALO153_CALL_ON_WEEKENDS'),
    callOnHolidays: envBool('ALO153_CALL_ON_HOLIDAYS'),
    claimMinutes: envInt('ALO153_CALLBACK_CLAIM_MINUTES'),
    officeHours: envString('ALO153_OFFICE_HOURS'),
    sweepIntervalSeconds: envInt('ALO153_WORKFLOW_SWEEP_SECONDS'),
    externalReplyWorkingDays: envInt('ALO153_EXTERNAL_REPLY_WORKING_DAYS'),
  },
  supervisor: {
    slaGoodPercent: envInt('ALO153_SLA_GOOD_PERCENT'),
    slaWarnPercent: envInt('ALO153_SLA_WARN_PERCENT'),
    monthlyReportTo: envList('ALO153_MONTHLY_REPORT_TO'),
    monthlyReportCheckSeconds: envInt('ALO153_MONTHLY_REPORT_CHECK_SECONDS'),
    reportFont: envString('ALO153_REPORT_FONT'),
    statsRefreshSeconds: envInt('ALO153_STATS_REFRESH_SECONDS'),
    mailTargetWorkingDays: envInt('ALO153_MAIL_TARGET_WORKING_DAYS'),
    lineServiceLevelSeconds: envInt('ALO153_LINE_SERVICE_LEVEL_SECONDS'),
  },
} satisfies EnvSpec;

/** Data files are resolved once, against the directory the server starts in. */
function resolvePaths(config: ServerConfig): ServerConfig {
  return {
    ...config,
    sqliteFile: path.resolve(config.sqliteFile),
    referenceFile: path.resolve(config.referenceFile),
  };
}

/**
 * Lines that do not set their own service-level threshold take the supervisor setting's
 * (`ALO153_LINE_SERVICE_LEVEL_SECONDS`): the line schema's default cannot tell "unset" apart.
 */
function withLineServiceLevel(config: ServerConfig, givenLines: unknown): ServerConfig {
  const inputs: unknown[] = Array.isArray(givenLines) ? givenLines : [];
  const own = (i: number) => {
    const line: unknown = inputs[i];
    return typeof line === 'object' && line !== null && 'serviceLevelSeconds' in line;
  };
  return {
    ...config,
    lines: config.lines.map((line, i) =>
      own(i) ? line : { ...line, serviceLevelSeconds: config.supervisor.lineServiceLevelSeconds },
    ),
  };
}

/** Parses a config object (the embedding host's) or throws a ConfigError naming every problem. */
export function parseServerConfig(input: unknown): ServerConfig {
  const result = ServerConfigSchema.safeParse(input);
  if (result.success) {
    return resolvePaths(
      withLineServiceLevel(result.data, (input as { lines?: unknown } | null)?.lines),
    );
  }
  throw new ConfigError(problemsOf(result.error, (key) => (key === '' ? '(config)' : key)));
}

/**
 * Reads the standalone server's configuration from environment variables; every bad variable
 * is reported (in `lang`: the desk's embedded API speaks Turkish).
 */
export function configFromEnv(env: EnvRecord, lang: EnvLanguage = 'en'): ServerConfig {
  // Each mailbox's own variables (ALO153_MAILBOX_<NAME>_URL …) follow from ALO153_MAILBOXES.
  const boxes = mailboxesFromEnv(env);
  const schema = z.preprocess((values) => {
    if (boxes.mailboxes === undefined || typeof values !== 'object' || values === null) {
      return values;
    }
    const v = values as { mailbox?: Record<string, unknown> };
    return { ...v, mailbox: { ...v.mailbox, mailboxes: boxes.mailboxes } };
  }, ServerConfigSchema);
  try {
    const config = parseEnv(SERVER_ENV, env, { title: '', lang, schema });
    if (boxes.problems.length > 0) throw new ConfigError(boxes.problems, lang);
    // Read once more only to see which lines set their own threshold (the parse above checked it).
    const { lines } = readEnv({ lines: SERVER_ENV.lines }, env).values;
    return resolvePaths(withLineServiceLevel(config, lines));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (error instanceof EnvError)
      throw new ConfigError([...error.problems, ...boxes.problems], lang);
    throw error;
  }
}
