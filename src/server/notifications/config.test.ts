import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_DELAYS_SECONDS,
  NOTIFICATION_ENV_NAMES,
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
    const { input, problems } = notificationConfigFromEnv({
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
    expect(problems).toEqual([]);
    const config = NotificationConfigSchema.parse(input);
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

  it('report a half-configured channel and unreadable values, naming the variable', () => {
    const { input, problems } = notificationConfigFromEnv({
      ALO153_SMS_USER: 'api',
      ALO153_NOTIFY_RETRY_DELAYS: '30,2m',
      ALO153_SMTP_PORT: 'yirmi beş',
    });
    expect(problems).toEqual([
      '  ALO153_SMTP_PORT: expected a whole number, got "yirmi beş"',
      '  ALO153_NOTIFY_RETRY_DELAYS: expected seconds separated by commas, got "30,2m"',
    ]);
    const result = NotificationConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    const keys = result.error?.issues.map((i) => `notifications.${i.path.join('.')}`) ?? [];
    expect(keys.map((k) => NOTIFICATION_ENV_NAMES[k])).toEqual(
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
