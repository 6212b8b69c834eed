import path from 'node:path';
import { z } from 'zod';
import {
  NOTIFICATION_ENV_NAMES,
  NotificationConfigSchema,
  notificationConfigFromEnv,
} from './notifications/config';

/**
 * Server configuration. One zod schema serves both the embedded server (the host passes an
 * object) and the standalone one (read from the environment by `configFromEnv`), so defaults and
 * limits live in one place.
 */
const seconds = (min: number, max: number) => z.number().int().min(min).max(max);

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
  /** Trust X-Forwarded-For (only behind a reverse proxy you control). */
  trustProxy: z.boolean().default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  bodyLimitBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(256 * 1024),
  accessTokenTtlSeconds: seconds(30, 24 * 3600).default(15 * 60),
  refreshTokenTtlSeconds: seconds(60, 90 * 24 * 3600).default(12 * 3600),
  /** Consecutive failed logins for one username before it is locked. */
  loginMaxFailures: z.number().int().min(1).max(100).default(5),
  loginLockoutSeconds: seconds(1, 24 * 3600).default(15 * 60),
  /** Per-IP limit on /auth/login, /auth/refresh and /setup/admin. */
  loginRateLimitMax: z.number().int().min(1).max(100_000).default(20),
  loginRateLimitWindowSeconds: seconds(1, 3600).default(60),
  /**
   * scrypt cost. Stored with every hash, so raising it later re-hashes each password at its
   * owner's next login. logN 15 = N 32768 (32 MiB, ~50–100 ms).
   */
  scrypt: z
    .strictObject({
      logN: z.number().int().min(10).max(20).default(15),
      r: z.number().int().min(1).max(16).default(8),
      p: z.number().int().min(1).max(16).default(1),
    })
    .default({ logN: 15, r: 8, p: 1 }),
  /** Registration numbers in one block leased to a desktop for offline registration. */
  numberBlockSize: z.number().int().min(1).max(10_000).default(50),
  /** Most changes one pull returns. */
  pullPageMax: z.number().int().min(10).max(5000).default(5000),
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
  /** SMS and e-mail to citizens: channels, retries (src/server/notifications/README.md). */
  notifications: NotificationConfigSchema.prefault({}),
});

export type ServerConfig = z.output<typeof ServerConfigSchema>;
export type ServerConfigInput = z.input<typeof ServerConfigSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Environment variable behind each config key, for error messages and `configFromEnv`. */
const ENV_NAMES: Record<string, string> = {
  databaseUrl: 'DATABASE_URL',
  sqliteFile: 'ALO153_SERVER_DB',
  pgPoolMax: 'ALO153_PG_POOL_MAX',
  numberBlockSize: 'ALO153_NUMBER_BLOCK_SIZE',
  pullPageMax: 'ALO153_PULL_PAGE_MAX',
  routingFile: 'ALO153_ROUTING_FILE',
  open311PublicUrl: 'ALO153_OPEN311_PUBLIC_URL',
  open311PostsPerMinute: 'ALO153_OPEN311_POSTS_PER_MINUTE',
  open311LookupsPerMinute: 'ALO153_OPEN311_LOOKUPS_PER_MINUTE',
  port: 'PORT',
  host: 'HOST',
  trustProxy: 'ALO153_TRUST_PROXY',
  logLevel: 'LOG_LEVEL',
  bodyLimitBytes: 'ALO153_BODY_LIMIT_BYTES',
  accessTokenTtlSeconds: 'ALO153_ACCESS_TOKEN_TTL_SECONDS',
  refreshTokenTtlSeconds: 'ALO153_REFRESH_TOKEN_TTL_SECONDS',
  loginMaxFailures: 'ALO153_LOGIN_MAX_FAILURES',
  loginLockoutSeconds: 'ALO153_LOGIN_LOCKOUT_SECONDS',
  loginRateLimitMax: 'ALO153_LOGIN_RATE_LIMIT_MAX',
  loginRateLimitWindowSeconds: 'ALO153_LOGIN_RATE_LIMIT_WINDOW_SECONDS',
  'scrypt.logN': 'ALO153_SCRYPT_LOG_N',
  referenceFile: 'ALO153_REFERENCE_FILE',
  setupToken: 'ALO153_SETUP_TOKEN',
  ...NOTIFICATION_ENV_NAMES,
};

/** Parses a config object (the embedding host's) or throws a ConfigError naming every problem. */
export function parseServerConfig(
  input: unknown,
  describeKey = (key: string) => key,
): ServerConfig {
  const result = ServerConfigSchema.safeParse(input);
  if (result.success) {
    const config = result.data;
    return {
      ...config,
      sqliteFile: path.resolve(config.sqliteFile),
      referenceFile: path.resolve(config.referenceFile),
    };
  }
  const lines = result.error.issues.map((issue) => {
    const key = issue.path.join('.');
    return `  ${key === '' ? '(config)' : describeKey(key)}: ${issue.message}`;
  });
  return fail(`Invalid server configuration:\n${lines.join('\n')}`);
}

function fail(message: string): never {
  throw new ConfigError(message);
}

/** Reads the standalone server's configuration from environment variables. */
export function configFromEnv(env: NodeJS.ProcessEnv): ServerConfig {
  const problems: string[] = [];
  const str = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const int = (name: string) => {
    const value = str(name);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value)) {
      problems.push(`  ${name}: expected an integer, got "${value}"`);
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
  const logN = int('ALO153_SCRYPT_LOG_N');
  const notifications = notificationConfigFromEnv(env);
  problems.push(...notifications.problems);
  const input = dropUndefined({
    databaseUrl: str('DATABASE_URL'),
    sqliteFile: str('ALO153_SERVER_DB'),
    pgPoolMax: int('ALO153_PG_POOL_MAX'),
    numberBlockSize: int('ALO153_NUMBER_BLOCK_SIZE'),
    pullPageMax: int('ALO153_PULL_PAGE_MAX'),
    port: int('PORT'),
    host: str('HOST'),
    trustProxy: bool('ALO153_TRUST_PROXY'),
    logLevel: str('LOG_LEVEL'),
    bodyLimitBytes: int('ALO153_BODY_LIMIT_BYTES'),
    accessTokenTtlSeconds: int('ALO153_ACCESS_TOKEN_TTL_SECONDS'),
    refreshTokenTtlSeconds: int('ALO153_REFRESH_TOKEN_TTL_SECONDS'),
    loginMaxFailures: int('ALO153_LOGIN_MAX_FAILURES'),
    loginLockoutSeconds: int('ALO153_LOGIN_LOCKOUT_SECONDS'),
    loginRateLimitMax: int('ALO153_LOGIN_RATE_LIMIT_MAX'),
    loginRateLimitWindowSeconds: int('ALO153_LOGIN_RATE_LIMIT_WINDOW_SECONDS'),
    scrypt: logN === undefined ? undefined : { logN },
    referenceFile: str('ALO153_REFERENCE_FILE'),
    routingFile: str('ALO153_ROUTING_FILE'),
    open311PublicUrl: str('ALO153_OPEN311_PUBLIC_URL'),
    open311PostsPerMinute: int('ALO153_OPEN311_POSTS_PER_MINUTE'),
    open311LookupsPerMinute: int('ALO153_OPEN311_LOOKUPS_PER_MINUTE'),
    setupToken: str('ALO153_SETUP_TOKEN'),
    notifications: notifications.input,
  });
  if (problems.length > 0) fail(`Invalid server configuration:\n${problems.join('\n')}`);
  return parseServerConfig(input, (key) => ENV_NAMES[key] ?? key);
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
