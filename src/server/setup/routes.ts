import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { text } from '../../domain/text-input';
import type { Clock } from '../clock';
import type { ServerConfig } from '../config';
import type { ServerDb } from '../db/open';
import type { Database } from '../db/schema';
import { withWriteLock } from '../db/write-lock';
import { NewPasswordSchema, passwordProblem, type PasswordHasher } from '../auth/password';
import {
  DisplayNameSchema,
  findUserById,
  insertUser,
  toUserDto,
  UsernameSchema,
} from '../auth/users';
import { ApiError, badRequest, conflict } from '../http/errors';
import { t } from '../i18n';
import type { ChangeNotifier } from '../changefeed/notifier';
import { DemoRefusedError, seedDemo, type DemoAppFactory } from '../demo/seed';

const SetupAdminBody = z.strictObject({
  username: UsernameSchema,
  displayName: DisplayNameSchema,
  password: NewPasswordSchema,
  setupToken: text({ max: 200, trim: false }).optional(),
});

const SetupDemoBody = z.strictObject({ setupToken: z.string().max(200).optional() });

async function userCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison is constant-time whatever the lengths.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * First start: there is no default password. Until a user exists, anyone who can reach the
 * server (or, with ALO153_SETUP_TOKEN set, who knows that token) can create the first admin;
 * afterwards setup answers 409.
 */
export function registerSetupRoutes(
  app: FastifyInstance,
  deps: {
    db: ServerDb;
    config: ServerConfig;
    clock: Clock;
    hasher: PasswordHasher;
    notifier: ChangeNotifier;
    /** The demo month is played against a second instance of the app (src/server/demo). */
    buildApp: DemoAppFactory;
  },
): void {
  const { db, config, clock, hasher } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/setup/status', { config: { public: true } }, async () => {
    const needsSetup = (await userCount(db)) === 0;
    return { needsSetup, demoAvailable: needsSetup && config.demoAllowed };
  });

  // The demo month (src/server/demo): only on a server that allows it (the embedded API) and
  // only while nobody has an account; seedDemo's own first step is /setup/admin, which refuses
  // under the write lock once a user exists, so two requests at once cannot both fill it.
  r.post(
    '/setup/demo',
    {
      schema: { body: SetupDemoBody },
      config: {
        public: true,
        rateLimit: {
          max: config.loginRateLimitMax,
          timeWindow: config.loginRateLimitWindowSeconds * 1000,
        },
      },
    },
    async (request, reply) => {
      if (!config.demoAllowed) {
        throw new ApiError(404, 'not-found', 'This server does not offer the demo.', {
          userMessage: t('setup.demoDisabled'),
        });
      }
      const refused = () =>
        conflict('setup-complete', 'The demo runs only on a server without users.', {
          userMessage: t('setup.demoRefused'),
        });
      const token = request.body.setupToken;
      if (config.setupToken !== undefined) {
        if (token === undefined || !sameSecret(token, config.setupToken)) {
          throw new ApiError(403, 'setup-token-invalid', 'Missing or wrong setupToken.', {
            userMessage: t('setup.tokenInvalid'),
          });
        }
      }
      if ((await userCount(db)) > 0) throw refused();
      try {
        const summary = await seedDemo({
          db,
          config,
          notifier: deps.notifier,
          buildApp: deps.buildApp,
          ...(request.body.setupToken !== undefined ? { setupToken: request.body.setupToken } : {}),
          log: (message) => request.log.info(message),
        });
        request.log.warn({ ...summary, rejected: summary.rejected.length }, 'demo data created');
        return await reply.status(201).send({
          users: summary.users,
          soks: summary.soks,
          calls: summary.calls,
        });
      } catch (error) {
        if (error instanceof DemoRefusedError) throw refused();
        throw error;
      }
    },
  );

  r.post(
    '/setup/admin',
    {
      schema: { body: SetupAdminBody },
      config: {
        public: true,
        rateLimit: {
          max: config.loginRateLimitMax,
          timeWindow: config.loginRateLimitWindowSeconds * 1000,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (config.setupToken !== undefined) {
        if (body.setupToken === undefined || !sameSecret(body.setupToken, config.setupToken)) {
          throw new ApiError(403, 'setup-token-invalid', 'Missing or wrong setupToken.', {
            userMessage: t('setup.tokenInvalid'),
          });
        }
      }
      const problem = passwordProblem(body.password, body.username);
      if (problem !== null) throw badRequest('The password is not allowed.', { password: problem });
      const setupDone = () =>
        conflict('setup-complete', 'Setup is already complete.', { userMessage: t('setup.done') });
      // Cheap refusal before spending scrypt work; the real check is under the write lock.
      if ((await userCount(db)) > 0) throw setupDone();
      const passwordHash = await hasher.hash(body.password);
      const now = clock();
      const id = await withWriteLock(db, async (trx) => {
        const existing = await trx.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
        if (existing !== undefined) return null;
        return insertUser(trx, {
          username: body.username,
          displayName: body.displayName,
          passwordHash,
          role: 'admin',
          // The call centre's admins are the system's (admin/authority.ts).
          orgCode: config.workflow.callCentreOrg,
          now: now.toISOString(),
        });
      });
      if (id === null) throw setupDone();
      const user = await findUserById(db, id);
      request.log.warn({ userId: id, username: body.username }, 'first administrator created');
      return reply.status(201).send({ user: user === undefined ? null : toUserDto(user, now) });
    },
  );
}
