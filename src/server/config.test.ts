import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromEnv, ConfigError, parseServerConfig } from './config';

describe('server configuration', () => {
  it('has safe defaults: SQLite in ./.data, loopback, 15 min / 12 h tokens, 256 KB bodies', () => {
    const config = configFromEnv({});
    expect(config).toMatchObject({
      sqliteFile: path.resolve('.data/server.sqlite'),
      port: 8153,
      host: '127.0.0.1',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 43_200,
      bodyLimitBytes: 262_144,
      loginMaxFailures: 5,
      loginLockoutSeconds: 900,
      scrypt: { logN: 17, r: 8, p: 1 },
      trustProxy: false,
      sessionMaxHours: 12,
      loginBackoffMaxSeconds: 60,
    });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('reads the environment', () => {
    const config = configFromEnv({
      DATABASE_URL: 'postgres://app@db.internal:5432/alo153',
      PORT: '9000',
      HOST: '0.0.0.0',
      ALO153_ACCESS_TOKEN_TTL_SECONDS: '600',
      ALO153_LOGIN_LOCKOUT_SECONDS: '1800',
      ALO153_TRUST_PROXY: '1',
      ALO153_SESSION_MAX_HOURS: '10',
      ALO153_SCRYPT_LOG_N: '16',
      ALO153_SERVER_DB: '/var/lib/alo153/server.sqlite',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgres://app@db.internal:5432/alo153',
      port: 9000,
      host: '0.0.0.0',
      accessTokenTtlSeconds: 600,
      loginLockoutSeconds: 1800,
      trustProxy: 1,
      sessionMaxHours: 10,
      scrypt: { logN: 16, r: 8, p: 1 },
      sqliteFile: '/var/lib/alo153/server.sqlite',
    });
  });

  it('gives every line without its own service-level threshold the one set in the environment (default 20 s)', () => {
    expect(configFromEnv({}).lines).toEqual([
      expect.objectContaining({ number: '153', serviceLevelSeconds: 20 }),
    ]);
    const config = configFromEnv({
      ALO153_LINE_SERVICE_LEVEL_SECONDS: '30',
      ALO153_LINES: JSON.stringify([
        { number: '153', orgCode: 'bikom' },
        { number: '2245153', orgCode: 'ilce.gemlik', serviceLevelSeconds: 15 },
      ]),
    });
    expect(config.supervisor.lineServiceLevelSeconds).toBe(30);
    expect(config.lines.map((l) => [l.number, l.serviceLevelSeconds])).toEqual([
      ['153', 30],
      ['2245153', 15],
    ]);
    expect(configFromEnv({ ALO153_LINE_SERVICE_LEVEL_SECONDS: '30' }).lines).toEqual([
      expect.objectContaining({ number: '153', serviceLevelSeconds: 30 }),
    ]);
    expect(() => configFromEnv({ ALO153_LINE_SERVICE_LEVEL_SECONDS: '0' })).toThrow(
      /ALO153_LINE_SERVICE_LEVEL_SECONDS/,
    );
  });

  it('names the environment variable behind every problem', () => {
    const attempt = () =>
      configFromEnv({ PORT: '70000', DATABASE_URL: 'mysql://x', ALO153_SCRYPT_LOG_N: '4' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT: /);
    expect(attempt).toThrow(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(attempt).toThrow(/ALO153_SCRYPT_LOG_N: /);
  });

  it('rejects values that are not numbers or booleans before validating', () => {
    expect(() => configFromEnv({ PORT: 'eighty', ALO153_CALL_ON_WEEKENDS: 'maybe' })).toThrow(
      /PORT: expected an integer, got "eighty"\n {2}ALO153_CALL_ON_WEEKENDS: expected true or false/,
    );
  });

  it('reports unreadable and out-of-range variables together, each once', () => {
    let message = '';
    try {
      configFromEnv({
        PORT: 'eighty',
        ALO153_SESSION_MAX_HOURS: '0',
        ALO153_SMTP_PASSWORD: 'gizli',
        ALO153_SETUP_TOKEN: 'short',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /^Invalid server configuration:\n {2}PORT: expected an integer, got "eighty"\n/,
    );
    expect(message).toMatch(/ALO153_SESSION_MAX_HOURS: Too small/);
    expect(message).toMatch(/ALO153_SMTP_FROM: required/);
    // Secrets are never echoed.
    expect(message).toMatch(/ALO153_SETUP_TOKEN: /);
    expect(message).not.toMatch(/short|gizli/);
    expect(message.match(/PORT/g)).toHaveLength(1);
  });

  it('gives its reasons in Turkish for the desk', () => {
    expect(() => configFromEnv({ PORT: 'seksen', ALO153_CALL_ON_WEEKENDS: 'belki' }, 'tr')).toThrow(
      /PORT: tam sayı olmalı \(yazılan: "seksen"\)\n {2}ALO153_CALL_ON_WEEKENDS: true veya false/,
    );
  });

  it('trusts only the proxies it is told about: addresses, CIDR ranges or a hop count, never "any"', () => {
    expect(configFromEnv({ ALO153_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,::1' }).trustProxy).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      '::1',
    ]);
    expect(configFromEnv({ ALO153_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(configFromEnv({ ALO153_TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(() => configFromEnv({ ALO153_TRUST_PROXY: 'true' })).toThrow(
      /ALO153_TRUST_PROXY: "true" would believe any client's X-Forwarded-For/,
    );
    expect(() => configFromEnv({ ALO153_TRUST_PROXY: '10.0.0.5,proxy.example' })).toThrow(
      /ALO153_TRUST_PROXY: must be an IP address, a CIDR range/,
    );
    expect(() => configFromEnv({ ALO153_TRUST_PROXY: '10.0.0.0/33' })).toThrow(/CIDR/);
  });

  it('refuses unknown keys from an embedding host (typos must not be silent)', () => {
    expect(() => parseServerConfig({ prot: 1 })).toThrow(/Unrecognized key/);
  });
});
