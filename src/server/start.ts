import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildAppOptions } from './app';
import { pruneExpiredSessions } from './auth/sessions';
import { systemClock } from './clock';
import { parseServerConfig, type ServerConfig, type ServerConfigInput } from './config';
import { openServerDb, type ServerDb } from './db/open';
import { startMailboxes } from './mailbox';
import { startNotifications } from './notifications';
import { createChangeNotifier } from './changefeed';
import type { ChangeNotifier, NotifierLog } from './changefeed/notifier';
import { readReferenceFile, seedReferenceData } from './reference-seed';
import { readRoutingFile, seedRoutingRules } from './routing/rules';

export interface RunningServer {
  /** http://host:port with the port actually bound (useful with port 0). */
  url: string;
  config: ServerConfig;
  app: FastifyInstance;
  db: ServerDb;
  notifier: ChangeNotifier;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: BuildAppOptions['logger'];
  extraRoutes?: BuildAppOptions['extraRoutes'];
  checkResponses?: BuildAppOptions['checkResponses'];
  seedBuilder?: BuildAppOptions['seedBuilder'];
}

const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Opens (and migrates) the database, seeds reference data, starts the change notifier and
 * listens. Used by main.ts (standalone) and by the desktop/browser host, which embeds the server
 * with SQLite in its data directory. The config is parsed here, so a partial one is fine:
 *
 *   const server = await startServer({ sqliteFile, referenceFile, port: 0 });
 */
export async function startServer(
  input: ServerConfig | ServerConfigInput,
  options: StartOptions = {},
): Promise<RunningServer> {
  const config = parseServerConfig(input);
  const reference = readReferenceFile(config.referenceFile);
  const db = await openServerDb(config);
  const cleanups: (() => Promise<void>)[] = [() => db.close()];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
  };
  try {
    await seedReferenceData(db, reference);
    await seedRoutingRules(db, readRoutingFile(config.routingFile), systemClock().toISOString());
    // The notifier starts before the app (which needs it); its log goes to the app's logger.
    let log: NotifierLog = () => undefined;
    const notifier = await createChangeNotifier(db, (level, message, error) =>
      log(level, message, error),
    );
    cleanups.push(() => notifier.close());
    const app = await buildApp({
      db,
      notifier,
      config,
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
      ...(options.extraRoutes !== undefined ? { extraRoutes: options.extraRoutes } : {}),
      ...(options.checkResponses !== undefined ? { checkResponses: options.checkResponses } : {}),
      ...(options.seedBuilder !== undefined ? { seedBuilder: options.seedBuilder } : {}),
    });
    cleanups.push(() => app.close());
    log = (level, message, error) => app.log[level]({ err: error }, message);
    // Seeds the message templates and starts the outbox worker; closed (in-flight attempts
    // finished) before the app, the notifier and the database.
    const notifications = await startNotifications({
      db,
      notifier,
      config: config.notifications,
      log: (level, message, details) => app.log[level](details ?? {}, message),
    });
    cleanups.push(() => notifications.close());
    // The Alo-153 mailbox readers (docs/mailbox.md); stopped before the database closes.
    const mailboxes = await startMailboxes({
      db,
      notifier,
      config: config.mailbox,
      callCentreOrg: config.workflow.callCentreOrg,
      log: (level, message, details) => app.log[level](details ?? {}, message),
    });
    cleanups.push(() => mailboxes.close());

    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;

    const prune = () =>
      pruneExpiredSessions(db, systemClock()).catch((error: unknown) =>
        app.log.warn({ err: error }, 'pruning expired sessions failed'),
      );
    await prune();
    const timer = setInterval(() => void prune(), PRUNE_INTERVAL_MS);
    timer.unref();
    cleanups.push(() => {
      clearInterval(timer);
      return Promise.resolve();
    });

    app.log.info({ database: db.dialect, url: `http://${host}:${port}` }, 'Alo 153 server ready');
    let closing: Promise<void> | null = null;
    return {
      url: `http://${host}:${port}`,
      config,
      app,
      db,
      notifier,
      close: () => (closing ??= cleanup()),
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
