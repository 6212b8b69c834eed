import path from 'node:path';
import { configFromEnv } from './config';
import { startServer, type RunningServer } from './start';

export interface EmbeddedApi {
  url: string;
  /** The embedded server, or null when ALO153_API_URL points at a central one. */
  server: RunningServer | null;
  close(): Promise<void>;
}

/**
 * The central API a desktop talks to: ALO153_API_URL when set (a deployed server), otherwise
 * one embedded in this process on SQLite in the data directory, on loopback only (a single-desk
 * install, a demo, a developer machine).
 */
export async function centralApiFor(options: {
  dataDir: string;
  resourcesDir: string;
  env: NodeJS.ProcessEnv;
}): Promise<EmbeddedApi> {
  const remote = options.env.ALO153_API_URL;
  if (remote) return { url: remote.replace(/\/+$/, ''), server: null, close: async () => {} };
  // The API's other settings (SMTP and SMS for receipts, token lifetimes …) come from the same
  // environment variables as the standalone server's; where it keeps data and listens does not.
  const fromEnv = { ...configFromEnv(options.env), databaseUrl: undefined };
  const server = await startServer(
    {
      ...fromEnv,
      sqliteFile: path.join(options.dataDir, 'server.sqlite'),
      referenceFile: path.join(options.resourcesDir, 'reference', 'bursa.json'),
      routingFile: path.join(options.resourcesDir, 'routing', 'bursa.json'),
      port: Number(options.env.ALO153_EMBEDDED_API_PORT ?? 0),
      host: '127.0.0.1',
      logLevel: 'warn',
      // An empty embedded API may be filled with the demo month (first-run screen, --demo).
      demoAllowed: true,
    },
    { logger: { level: 'warn' } },
  );
  return { url: server.url, server, close: () => server.close() };
}
