import websocket from '@fastify/websocket';
import rateLimit from '@fastify/rate-limit';
import Fastify, {
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { registerAdminRoutes } from './admin/routes';
import type { AppDeps } from './app-deps';
import { registerCallRoutes } from './calls/routes';
import { registerLineRoutes } from './line/routes';
import { installAuthentication, registerAuthRoutes } from './auth/routes';
import { PasswordHasher } from './auth/password';
import { AuthService } from './auth/service';
import { systemClock, type Clock } from './clock';
import type { ServerConfig } from './config';
import type { ServerDb } from './db/open';
import { checkContractResponses } from './http/contract-route';
import { installErrorHandling } from './http/error-handler';
import { ApiError } from './http/errors';
import { registerHealthRoute } from './http/health';
import { registerMailboxRoutes } from './mailbox/routes';
import { installRouteCatalogue } from './http/route-catalogue';
import { zodValidatorCompiler } from './http/validation';
import { t } from './i18n';
import type { ChangeNotifier } from './changefeed/notifier';
import { registerNotificationRoutes } from './notifications/routes';
import { unconfiguredChannels } from './notifications';
import { registerSetupRoutes } from './setup/routes';
import { readReferenceFile } from './reference-seed';
import { registerWorkflowRoutes } from './workflow/routes';
import { startCallbackSweeper } from './workflow/sweeper';
import { registerRoutingRoutes } from './routing/routes';
import { indexReference } from './sync/mutations';
import { registerSyncRoutes } from './sync/routes';
import { SeedStore, type SpawnSeedBuilder } from './sync/seeds';
import { registerOpen311Routes } from './open311/routes';
import { registerSupervisorRoutes } from './supervisor/routes';
import { registerUpdateFeed } from './updates';
import { registerKvkkRoutes } from './kvkk/routes';

export interface BuildAppOptions {
  db: ServerDb;
  notifier: ChangeNotifier;
  config: ServerConfig;
  clock?: Clock;
  /** Pino options for fastify's logger; default: level from config, secrets redacted. */
  logger?: FastifyServerOptions['logger'];
  /**
   * More routes (the sync protocol). Registered after the core, in the root context: they get
   * the error shape, the zod validator and authentication (mark public ones with
   * `config: { public: true }`). WebSocket routes: `{ websocket: true }`.
   */
  extraRoutes?: (app: FastifyInstance, deps: AppDeps) => void | Promise<void>;
  /**
   * Check every contract route's answer against its response schema (domain/api): a handler
   * that drifts from the contract answers 500. For tests; off in production.
   */
  checkResponses?: boolean;
  /**
   * Starts the seed builder (src/client/sync/seed-builder.ts, bundled as dist/seed-builder.mjs):
   * with it the API keeps first-sync seeds (src/server/sync/seeds.ts); without it desks pull
   * page by page.
   */
  seedBuilder?: SpawnSeedBuilder;
}

const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body.password',
  'req.body.currentPassword',
  'req.body.newPassword',
  'req.body.refreshToken',
  'req.body.api_key',
];

/**
 * What the log keeps of a request: method, path and caller, never the query string, which can
 * hold a citizen's phone or e-mail (a KVKK search, a filter). Personal data stays out of logs.
 */
function requestForLog(req: FastifyRequest) {
  return {
    method: req.method,
    url: req.url.split('?')[0],
    remoteAddress: req.ip,
  };
}

/**
 * Whose X-Forwarded-For fastify believes: the configured proxies' addresses, or a hop count (the
 * n addresses nearest the socket are proxies). Never `true`, which takes the left-most address
 * (the one the client writes) and would let anyone choose the address that rate limits key on.
 */
export function trustProxyOption(trust: ServerConfig['trustProxy']): false | string[] | TrustHops {
  if (trust === false || Array.isArray(trust)) return trust;
  return (_address: string, hop: number) => hop < trust;
}
type TrustHops = (address: string, hop: number) => boolean;

/**
 * The central API as a fastify instance, not yet listening: `startServer` listens, tests use
 * `app.inject`. Every input is validated by a zod schema, every error has the shape of
 * http/errors.ts, and every route needs a bearer token unless it is marked public.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { db, notifier, config } = options;
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: REDACT,
            serializers: { req: requestForLog },
            ...(typeof options.logger === 'object' ? options.logger : {}),
          },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: trustProxyOption(config.trustProxy),
    return503OnClosing: true,
  });
  if (options.checkResponses === true) checkContractResponses(app);
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installRouteCatalogue(app);
  // JSON only: anything else is 415 rather than a string that fails validation oddly.
  app.removeContentTypeParser('text/plain');

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new ApiError(429, 'rate-limited', `Too many requests; retry in ${context.after}.`, {
        userMessage: t('auth.rateLimited'),
        retryAt: new Date(clock().getTime() + context.ttl).toISOString(),
      }),
  });
  await app.register(websocket, { options: { maxPayload: config.bodyLimitBytes } });

  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('cache-control', 'no-store');
    void reply.header('x-content-type-options', 'nosniff');
    return payload;
  });

  const hasher = new PasswordHasher(config.scrypt);
  const auth = new AuthService({
    db,
    config,
    clock,
    hasher,
    audit: (event, details) => app.log.warn(details, event),
    publishAuthChange: () => notifier.publishAuthChange(),
  });
  const unsubscribeAuth = notifier.subscribeAuthChange(() => auth.dropCachedSessions());
  app.addHook('onClose', () => unsubscribeAuth());
  installAuthentication(app, auth);

  registerHealthRoute(app, db, {
    reserve: config.numberReserve,
    blockSize: config.numberBlockSize,
  });
  registerSetupRoutes(app, { db, config, clock, hasher, notifier, buildApp });
  registerAuthRoutes(app, { auth, config, db, clock });
  registerAdminRoutes(app, {
    db,
    clock,
    hasher,
    callCentreOrg: config.workflow.callCentreOrg,
    sessionsChanged: () => auth.sessionsChanged(),
    audit: (event, details) => app.log.warn(details, event),
  });
  registerNotificationRoutes(app, { db, clock, notifier, config });
  const deps: AppDeps = { db, notifier, config, clock, hasher, auth };
  const reference = indexReference(readReferenceFile(config.referenceFile), config.workflow);
  registerRoutingRoutes(app, deps, reference);
  const seeds =
    options.seedBuilder === undefined
      ? null
      : new SeedStore(db, {
          spawn: options.seedBuilder,
          dir: config.seeds.dir,
          refreshMs: config.seeds.refreshSeconds * 1000,
          staleChanges: config.seeds.staleChanges,
          pageSize: config.pullPageMax,
          log: (level, message, details) => app.log[level](details ?? {}, message),
        });
  if (seeds !== null) {
    app.addHook('onClose', () => seeds.close());
    // The call centre's agents share one scope, the biggest: its seed is built as the API
    // starts, so BİKOM's first desk after a start (seeds are not kept across starts) has it too.
    seeds.prepare({
      role: 'agent',
      orgKind: 'call-centre',
      orgCode: config.workflow.callCentreOrg,
    });
  }
  registerSyncRoutes(app, deps, reference, {
    seeds,
    numberBlockSize: config.numberBlockSize,
    pullPageMax: config.pullPageMax,
    // What this instance's notification worker would mark as not configured.
    unsendableChannels: config.notifications.workerEnabled
      ? unconfiguredChannels(config.notifications)
      : [],
  });
  registerWorkflowRoutes(app, deps, reference);
  registerSupervisorRoutes(app, deps, reference);
  const sweeper = startCallbackSweeper({
    db,
    reference,
    notifier,
    clock,
    intervalSeconds: config.workflow.sweepIntervalSeconds,
    log: (message, error) => app.log.error({ err: error }, message),
  });
  app.addHook('onClose', () => sweeper.close());
  registerCallRoutes(app, deps);
  registerMailboxRoutes(app, deps);
  registerKvkkRoutes(app, deps);
  registerLineRoutes(app, deps);
  registerOpen311Routes(app, deps, reference, {
    postRateLimit: { max: config.open311PostsPerMinute, timeWindowMs: 60_000 },
    getRateLimit: { max: config.open311LookupsPerMinute, timeWindowMs: 60_000 },
    ...(config.open311PublicUrl ? { publicUrl: config.open311PublicUrl } : {}),
  });
  registerUpdateFeed(app, config.updatesDir);
  if (options.extraRoutes !== undefined) {
    await options.extraRoutes(app, deps);
  }
  return app;
}
