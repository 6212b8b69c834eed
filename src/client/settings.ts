import { z } from 'zod';
import { t } from '../domain/i18n/tr';
import { envBool, envInt, parseEnv, type EnvRecord } from '../domain/settings/env';
import type { ClientCoreOptions } from './core';

/** The desk's own settings as environment variables, with their limits. */
export const DESK_ENV = {
  duplicateWindowDays: envInt('ALO153_DUPLICATE_DAYS', z.number().int().min(0).max(365)),
  offlineSignInDays: envInt('ALO153_OFFLINE_SIGNIN_DAYS', z.number().int().min(0).max(90)),
  storeThread: envBool('ALO153_STORE_THREAD'),
  sync: {
    numberRefillThreshold: envInt(
      'ALO153_NUMBER_REFILL_THRESHOLD',
      z.number().int().min(1).max(10_000),
    ),
    seed: envBool('ALO153_FIRST_SYNC_SEED'),
  },
};

/**
 * Desk settings from the environment, the same for both hosts (Electron and the browser host).
 * Unset values keep the defaults; a bad value stops the desk with an EnvError naming every bad
 * variable in Turkish (the hosts show it and do not start).
 */
export function clientSettingsFromEnv(
  env: EnvRecord,
): Pick<ClientCoreOptions, 'duplicateWindowDays' | 'offlineSignInDays' | 'storeThread' | 'sync'> {
  return parseEnv(DESK_ENV, env, { title: t('settings.invalid'), lang: 'tr' });
}
