import type { ClientCoreOptions } from './core';

/**
 * Desk settings from the environment, the same for both hosts (Electron and the browser host).
 * Unset or invalid values keep the defaults.
 */
export function clientSettingsFromEnv(
  env: NodeJS.ProcessEnv,
): Pick<ClientCoreOptions, 'duplicateWindowDays' | 'offlineSignInDays' | 'sync'> {
  const int = (name: string, min: number, max: number): number | undefined => {
    const value = Number(env[name]);
    return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
  };
  const days = int('ALO153_DUPLICATE_DAYS', 0, 365);
  const refill = int('ALO153_NUMBER_REFILL_THRESHOLD', 1, 10_000);
  const offlineDays = int('ALO153_OFFLINE_SIGNIN_DAYS', 0, 90);
  return {
    ...(offlineDays === undefined ? {} : { offlineSignInDays: offlineDays }),
    ...(days === undefined ? {} : { duplicateWindowDays: days }),
    ...(refill === undefined ? {} : { sync: { numberRefillThreshold: refill } }),
  };
}
