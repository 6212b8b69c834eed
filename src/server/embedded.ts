import path from 'node:path';
import { z } from 'zod';
import { t } from '../domain/i18n/tr';
import {
  collectEnvErrors,
  envInt,
  envString,
  parseEnv,
  type EnvRecord,
} from '../domain/settings/env';
import { configFromEnv, type ServerConfig } from './config';
import { startServer, type RunningServer } from './start';

export interface EmbeddedApi {
  url: string;
  /** The embedded server, or null when ALO153_API_URL points at a central one. */
  server: RunningServer | null;
  close(): Promise<void>;
}

/** Where the desk finds its central API. */
export const CENTRAL_API_ENV = {
  url: envString('ALO153_API_URL', z.url({ protocol: /^https?$/ })),
  embeddedPort: envInt('ALO153_EMBEDDED_API_PORT', z.number().int().min(0).max(65535)),
};

export type CentralApiSettings =
  { remoteUrl: string } | { remoteUrl: null; port: number; config: ServerConfig };

/**
 * The desk's central API settings from the environment: a deployed server's URL, or the
 * embedded one's port and the server settings it shares with the standalone server. Every bad
 * variable of both is reported together, in Turkish (an EnvError).
 */
export function centralApiSettingsFromEnv(env: EnvRecord): CentralApiSettings {
  const remote = (env.ALO153_API_URL ?? '').trim() !== '';
  const [api, config] = collectEnvErrors(t('settings.invalid'), 'tr', [
    () => parseEnv(CENTRAL_API_ENV, env, { title: '', lang: 'tr' }),
    () => (remote ? null : configFromEnv(env, 'tr')),
  ]);
  if (api.url !== undefined || config === null) {
    return { remoteUrl: (api.url ?? '').replace(/\/+$/, '') };
  }
  return { remoteUrl: null, port: api.embeddedPort ?? 0, config };
}

/**
 * The central API a desktop talks to: ALO153_API_URL when set (a deployed server), otherwise
 * one embedded in this process on SQLite in the data directory, on loopback only (a single-desk
 * install, a demo, a developer machine).
 */
export async function centralApiFor(options: {
  dataDir: string;
  resourcesDir: string;
  env: EnvRecord;
}): Promise<EmbeddedApi> {
  const settings = centralApiSettingsFromEnv(options.env);
  if (settings.remoteUrl !== null) {
    return { url: settings.remoteUrl, server: null, close: async () => {} };
  }
  // The API's other settings (SMTP and SMS for receipts, token lifetimes …) come from the same
  // environment variables as the standalone server's; where it keeps data and listens does not.
  const server = await startServer(
    {
      ...settings.config,
      databaseUrl: undefined,
      sqliteFile: path.join(options.dataDir, 'server.sqlite'),
      referenceFile: path.join(options.resourcesDir, 'reference', 'bursa.json'),
      routingFile: path.join(options.resourcesDir, 'routing', 'bursa.json'),
      port: settings.port,
      host: '127.0.0.1',
      logLevel: 'warn',
      // An empty embedded API may be filled with the demo month (first-run screen, --demo).
      demoAllowed: true,
    },
    { logger: { level: 'warn' } },
  );
  return { url: server.url, server, close: () => server.close() };
}
