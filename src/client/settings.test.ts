import { describe, expect, it } from 'vitest';
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

  it('keeps the defaults for missing or invalid values', () => {
    expect(clientSettingsFromEnv({})).toEqual({});
    expect(
      clientSettingsFromEnv({
        ALO153_DUPLICATE_DAYS: 'on dört',
        ALO153_NUMBER_REFILL_THRESHOLD: '-3',
      }),
    ).toEqual({});
  });
});
