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

/** The organisation the first administrator belongs to: the call centre. */
export const SETUP_ORG_CODE = 'bikom';

const SetupAdminBody = z.strictObject({
  username: UsernameSchema,
  displayName: DisplayNameSchema,
  password: NewPasswordSchema,
  setupToken: text({ max: 200, trim: false }).optional(),
});

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
  deps: { db: ServerDb; config: ServerConfig; clock: Clock; hasher: PasswordHasher },
): void {
  const { db, config, clock, hasher } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/setup/status', { config: { public: true } }, async () => ({
    needsSetup: (await userCount(db)) === 0,
  }));

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
          orgCode: SETUP_ORG_CODE,
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
