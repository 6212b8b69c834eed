import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../auth/context';
import { NewPasswordSchema, passwordProblem, type PasswordHasher } from '../auth/password';
import { revokeUserSessions, type RevokeReason } from '../auth/sessions';
import {
  countActiveAdmins,
  DisplayNameSchema,
  findUserById,
  findUserByUsername,
  insertUser,
  listUsers,
  organisationExists,
  OrgCodeSchema,
  RoleSchema,
  toUserDto,
  UsernameSchema,
} from '../auth/users';
import type { Clock } from '../clock';
import type { ServerDb } from '../db/open';
import type { AppUserTable } from '../db/schema';
import { withWriteLock } from '../db/write-lock';
import { badRequest, conflict, notFound } from '../http/errors';
import { t } from '../i18n';
import type { Updateable } from 'kysely';

const CreateUserBody = z.strictObject({
  username: UsernameSchema,
  displayName: DisplayNameSchema,
  password: NewPasswordSchema,
  role: RoleSchema,
  orgCode: OrgCodeSchema,
});

const UpdateUserBody = z.strictObject({
  displayName: DisplayNameSchema.optional(),
  role: RoleSchema.optional(),
  orgCode: OrgCodeSchema.optional(),
  active: z.boolean().optional(),
  /** A new password set by the admin (reset); ends the user's sessions and lockout. */
  password: NewPasswordSchema.optional(),
});

const UserParams = z.strictObject({ id: z.uuid() });

const unknownOrg = () =>
  badRequest('Unknown organisation code.', { orgCode: t('user.unknownOrg') });

/** User administration; every route here is for role `admin` only. */
export function registerAdminRoutes(
  app: FastifyInstance,
  deps: {
    db: ServerDb;
    clock: Clock;
    hasher: PasswordHasher;
    /** Drops cached sessions everywhere (AuthService.sessionsChanged). */
    sessionsChanged: () => Promise<void>;
  },
): void {
  const { db, clock, hasher } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const adminOnly = requireRole('admin');

  r.get('/admin/users', { onRequest: adminOnly }, async () => {
    const now = clock();
    return { users: (await listUsers(db)).map((u) => toUserDto(u, now)) };
  });

  r.post(
    '/admin/users',
    { onRequest: adminOnly, schema: { body: CreateUserBody } },
    async (request, reply) => {
      const body = request.body;
      const problem = passwordProblem(body.password, body.username);
      if (problem !== null) throw badRequest('The password is not allowed.', { password: problem });
      if (!(await organisationExists(db, body.orgCode))) throw unknownOrg();
      const passwordHash = await hasher.hash(body.password);
      const now = clock();
      const id = await withWriteLock(db, async (trx) => {
        if ((await findUserByUsername(trx, body.username)) !== undefined) return null;
        return insertUser(trx, {
          username: body.username,
          displayName: body.displayName,
          role: body.role,
          orgCode: body.orgCode,
          passwordHash,
          now: now.toISOString(),
        });
      });
      if (id === null) {
        throw conflict('username-taken', `Username ${body.username} is taken.`, {
          fields: { username: t('user.usernameTaken') },
          userMessage: t('user.usernameTaken'),
        });
      }
      const user = await findUserById(db, id);
      request.log.info({ userId: id, by: request.auth?.user.id }, 'user created');
      return reply.status(201).send({ user: user === undefined ? null : toUserDto(user, now) });
    },
  );

  r.patch(
    '/admin/users/:id',
    { onRequest: adminOnly, schema: { params: UserParams, body: UpdateUserBody } },
    async (request) => {
      const body = request.body;
      if (Object.values(body).every((v) => v === undefined)) {
        throw badRequest('Nothing to change.', { _: t('user.nothingToChange') });
      }
      const target = await findUserById(db, request.params.id);
      if (target === undefined) throw notFound('No such user.');
      if (body.orgCode !== undefined && !(await organisationExists(db, body.orgCode))) {
        throw unknownOrg();
      }
      if (body.password !== undefined) {
        const problem = passwordProblem(body.password, target.username);
        if (problem !== null) {
          throw badRequest('The password is not allowed.', { password: problem });
        }
      }
      const passwordHash =
        body.password === undefined ? undefined : await hasher.hash(body.password);
      const now = clock();
      const nowIso = now.toISOString();

      const revoked = await withWriteLock(db, async (trx) => {
        const current = await findUserById(trx, target.id);
        if (current === undefined) throw notFound('No such user.');
        const roleChanged = body.role !== undefined && body.role !== current.role;
        const orgChanged = body.orgCode !== undefined && body.orgCode !== current.org_code;
        const deactivating = body.active === false && current.active === 1;
        const reactivating = body.active === true && current.active === 0;
        const losesAdmin =
          current.role === 'admin' && current.active === 1 && (roleChanged || deactivating);
        if (losesAdmin && (await countActiveAdmins(trx)) <= 1) {
          throw conflict('last-admin', 'Cannot demote or deactivate the last active admin.', {
            userMessage: t('user.lastAdmin'),
          });
        }
        const changes: Updateable<AppUserTable> = { updated_at: nowIso };
        if (body.displayName !== undefined) changes.display_name = body.displayName;
        if (body.role !== undefined) changes.role = body.role;
        if (body.orgCode !== undefined) changes.org_code = body.orgCode;
        if (body.active !== undefined) changes.active = body.active ? 1 : 0;
        if (passwordHash !== undefined) changes.password_hash = passwordHash;
        if (passwordHash !== undefined || reactivating) {
          changes.failed_logins = 0;
          changes.locked_until = null;
        }
        await trx.updateTable('app_user').set(changes).where('id', '=', current.id).execute();

        // Access follows role and organisation: a session must not outlive either.
        const reason: RevokeReason | null = deactivating
          ? 'user-deactivated'
          : roleChanged || orgChanged
            ? 'user-changed'
            : passwordHash !== undefined
              ? 'password-reset'
              : null;
        return reason === null ? 0 : revokeUserSessions(trx, current.id, reason, now);
      });
      // Cached sessions carry the user's name, role and organisation.
      await deps.sessionsChanged();

      const user = await findUserById(db, target.id);
      request.log.info(
        { userId: target.id, by: request.auth?.user.id, revokedSessions: revoked },
        'user updated',
      );
      return { user: user === undefined ? null : toUserDto(user, now), revokedSessions: revoked };
    },
  );
}
