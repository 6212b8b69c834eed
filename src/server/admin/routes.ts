import type { FastifyInstance, FastifyRequest } from 'fastify';
import { contract } from '../../domain/api';
import { authOf, requireRole } from '../auth/context';
import { passwordProblem, type PasswordHasher } from '../auth/password';
import { revokeUserSessions, type RevokeReason } from '../auth/sessions';
import { activeBlocksByUsername, clearUserThrottle } from '../auth/throttle';
import {
  countActiveAdmins,
  findUserById,
  findUserByUsername,
  insertUser,
  listUsers,
  organisationExists,
  toUserDto,
  type UserDto,
  type UserRow,
} from '../auth/users';
import type { Clock } from '../clock';
import type { ServerDb } from '../db/open';
import type { AppUserTable, Database } from '../db/schema';
import { withWriteLock } from '../db/write-lock';
import { contractRoute } from '../http/contract-route';
import { ApiError, badRequest, conflict, notFound } from '../http/errors';
import { t } from '../i18n';
import type { Kysely, Updateable } from 'kysely';
import { adminReach, grantProblem, isSystemAdmin, reaches } from './authority';

const unknownOrg = () =>
  badRequest('Unknown organisation code.', { orgCode: t('error.unknownOrganisation') });

const noSuchUser = () => notFound('No such user.');

const beyondReach = (fields: Record<string, string>) =>
  new ApiError(403, 'forbidden', 'An organisation admin manages its own organisation only.', {
    fields,
    userMessage: t('admin.ownOrgOnly'),
  });

/**
 * User administration, for role `admin`, within the admin's reach (admin/authority.ts): the call
 * centre's admins manage everybody, other admins their own organisation's users. A user beyond
 * reach is answered exactly like one that does not exist.
 */
export function registerAdminRoutes(
  app: FastifyInstance,
  deps: {
    db: ServerDb;
    clock: Clock;
    hasher: PasswordHasher;
    /** The call centre's organisation: its admins are the system administrators. */
    callCentreOrg: string;
    /** Drops cached sessions everywhere (AuthService.sessionsChanged). */
    sessionsChanged: () => Promise<void>;
    /** Security events worth a log line (unlocks). */
    audit: (event: string, details: Record<string, unknown>) => void;
  },
): void {
  const { db, clock, hasher, callCentreOrg } = deps;
  const adminOnly = requireRole('admin');
  const reachOf = (request: FastifyRequest) => adminReach(authOf(request).user, callCentreOrg);
  /** The user `id` if the caller may administer them, else undefined (as if absent). */
  const findReachable = async (request: FastifyRequest, id: string, trx: Kysely<Database> = db) => {
    const user = await findUserById(trx, id);
    return user !== undefined && reaches(reachOf(request), user.org_code) ? user : undefined;
  };
  const toDtos = async (rows: UserRow[], now: Date): Promise<UserDto[]> => {
    const blocks = await activeBlocksByUsername(
      db,
      now,
      rows.length > 200 ? undefined : rows.map((u) => u.username),
    );
    return rows.map((u) => ({ ...toUserDto(u, now), lockedUntil: blocks.get(u.username) ?? null }));
  };

  contractRoute(app, contract.admin.listUsers, { onRequest: adminOnly }, async (request) => {
    const now = clock();
    const reach = reachOf(request);
    const rows = await listUsers(db, reach.kind === 'system' ? undefined : reach.orgCode);
    return { users: await toDtos(rows, now) };
  });

  contractRoute(app, contract.admin.createUser, { onRequest: adminOnly }, async (request) => {
    const body = request.body;
    const grant = grantProblem(reachOf(request), body);
    if (grant !== null) throw beyondReach(grant);
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
    return { user: user === undefined ? null : ((await toDtos([user], now))[0] ?? null) };
  });

  contractRoute(app, contract.admin.updateUser, { onRequest: adminOnly }, async (request) => {
    const body = request.body;
    if (Object.values(body).every((v) => v === undefined)) {
      throw badRequest('Nothing to change.', { _: t('user.nothingToChange') });
    }
    const target = await findReachable(request, request.params.id);
    if (target === undefined) throw noSuchUser();
    const grant = grantProblem(reachOf(request), body);
    if (grant !== null) throw beyondReach(grant);
    if (body.orgCode !== undefined && !(await organisationExists(db, body.orgCode))) {
      throw unknownOrg();
    }
    if (body.password !== undefined) {
      const problem = passwordProblem(body.password, target.username);
      if (problem !== null) {
        throw badRequest('The password is not allowed.', { password: problem });
      }
    }
    const passwordHash = body.password === undefined ? undefined : await hasher.hash(body.password);
    const now = clock();
    const nowIso = now.toISOString();

    const revoked = await withWriteLock(db, async (trx) => {
      const current = await findReachable(request, target.id, trx);
      if (current === undefined) throw noSuchUser();
      const roleChanged = body.role !== undefined && body.role !== current.role;
      const orgChanged = body.orgCode !== undefined && body.orgCode !== current.org_code;
      const deactivating = body.active === false && current.active === 1;
      const reactivating = body.active === true && current.active === 0;
      // The system must keep an administrator: the call centre's last active admin stays one.
      const losesAdmin =
        isSystemAdmin({ role: current.role, orgCode: current.org_code }, callCentreOrg) &&
        current.active === 1 &&
        (roleChanged || deactivating || orgChanged);
      if (losesAdmin && (await countActiveAdmins(trx, callCentreOrg)) <= 1) {
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
      await trx.updateTable('app_user').set(changes).where('id', '=', current.id).execute();
      if (passwordHash !== undefined || reactivating) {
        await clearUserThrottle(trx, current.username, now);
      }

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
    return {
      user: user === undefined ? null : ((await toDtos([user], now))[0] ?? null),
      revokedSessions: revoked,
    };
  });

  contractRoute(app, contract.admin.unlockUser, { onRequest: adminOnly }, async (request) => {
    const target = await findReachable(request, request.params.id);
    if (target === undefined) throw noSuchUser();
    const now = clock();
    const lifted = await clearUserThrottle(db, target.username, now);
    deps.audit('login unlocked by an administrator', {
      userId: target.id,
      username: target.username,
      by: authOf(request).user.id,
      liftedBlocks: lifted,
    });
    const [user] = await toDtos([target], now);
    return { user: user ?? null, liftedBlocks: lifted };
  });
}
