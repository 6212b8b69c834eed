import { describe, expect, it } from 'vitest';
import { EnvError } from '../../domain/settings/env';
import {
  DEFAULT_RETRY_DELAYS_SECONDS,
  NotificationConfigSchema,
  notificationConfigFromEnv,
} from './config';

describe('notification settings', () => {
  it('default to a running worker with no channel configured', () => {
    const config = NotificationConfigSchema.parse({});
    expect(config).toEqual({
      workerEnabled: true,
      pollIntervalSeconds: 30,
      batchSize: 10,
      maxAttempts: 8,
      retryDelaysSeconds: DEFAULT_RETRY_DELAYS_SECONDS,
      claimTimeoutSeconds: 300,
    });
  });

  it('are read from the environment, channel by channel', () => {
    const config = notificationConfigFromEnv({
      ALO153_SMTP_URL: 'smtp://relay.example:587',
      ALO153_SMTP_USER: 'alo153',
      ALO153_SMTP_PASSWORD: 'şifre ',
      ALO153_SMTP_FROM: 'Alo 153 <alo153@example.org>',
      ALO153_SMS_URL: 'https://sms.example/api/send',
      ALO153_SMS_USER: 'api',
      ALO153_SMS_PASSWORD: 'gizli',
      ALO153_SMS_SENDER: 'BURSA BB',
      ALO153_SMS_FORMAT: 'form',
      ALO153_NOTIFY_RETRY_DELAYS: '10, 60,600',
      ALO153_NOTIFY_MAX_ATTEMPTS: '5',
      ALO153_NOTIFY_WORKER: 'off',
    });
    expect(config).toMatchObject({
      workerEnabled: false,
      maxAttempts: 5,
      retryDelaysSeconds: [10, 60, 600],
      smtp: {
        url: 'smtp://relay.example:587',
        user: 'alo153',
        password: 'şifre ',
        requireTls: false,
      },
      sms: { sender: 'BURSA BB', format: 'form', credentials: 'basic', numberFormat: 'e164' },
    });
  });

  it('report a half-configured channel and unreadable values, naming every variable', () => {
    let error: unknown;
    try {
      notificationConfigFromEnv({
        ALO153_SMS_USER: 'api',
        ALO153_NOTIFY_RETRY_DELAYS: '30,2m',
        ALO153_SMTP_PORT: 'yirmi beş',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems;
    expect(problems.slice(0, 2)).toEqual([
      {
        variable: 'ALO153_NOTIFY_RETRY_DELAYS',
        reason: 'expected integers separated by commas',
        value: '30,2m',
      },
      { variable: 'ALO153_SMTP_PORT', reason: 'expected an integer', value: 'yirmi beş' },
    ]);
    expect(problems.map((p) => p.variable)).toEqual(
      expect.arrayContaining(['ALO153_SMS_URL', 'ALO153_SMS_SENDER']),
    );
  });

  it('refuse an SMS sender name longer than 11 characters', () => {
    const result = NotificationConfigSchema.safeParse({
      sms: { url: 'https://sms.example/send', sender: 'BURSA BUYUKSEHIR' },
    });
    expect(result.error?.issues[0]?.path).toEqual(['sms', 'sender']);
  });
});
