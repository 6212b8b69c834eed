import { describe, expect, it } from 'vitest';
import { EnvError } from '../domain/settings/env';
import { clientSettingsFromEnv } from './settings';

describe('clientSettingsFromEnv', () => {
  it('reads the duplicate window and the number refill threshold', () => {
    expect(
      clientSettingsFromEnv({ ALO153_DUPLICATE_DAYS: '30', ALO153_NUMBER_REFILL_THRESHOLD: '40' }),
    ).toEqual({
      duplicateWindowDays: 30,
      sync: { numberRefillThreshold: 40 },
    });
  });

  it('turns the first-sync seed off for diagnosis', () => {
    expect(clientSettingsFromEnv({ ALO153_FIRST_SYNC_SEED: '0' })).toEqual({
      sync: { seed: false },
    });
  });

  it('keeps the defaults for missing or empty values', () => {
    expect(clientSettingsFromEnv({})).toEqual({});
    expect(clientSettingsFromEnv({ ALO153_DUPLICATE_DAYS: ' ' })).toEqual({});
  });

  it('refuses bad values, naming every bad variable in Turkish', () => {
    const attempt = () =>
      clientSettingsFromEnv({
        ALO153_DUPLICATE_DAYS: 'on dört',
        ALO153_NUMBER_REFILL_THRESHOLD: '-3',
        ALO153_OFFLINE_SIGNIN_DAYS: '7',
      });
    expect(attempt).toThrow(EnvError);
    expect(attempt).toThrow(
      /geçersiz\. Düzeltip yeniden başlatın:\n {2}ALO153_DUPLICATE_DAYS: tam sayı olmalı \(yazılan: "on dört"\)\n {2}ALO153_NUMBER_REFILL_THRESHOLD: en az 1 olmalı$/,
    );
  });
});
