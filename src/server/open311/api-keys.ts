import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { contract } from '../../domain/api';
import { REGISTERING_ROLES } from '../../domain/session';
import type { Clock } from '../clock';
import { requireSystemAdmin } from '../admin/authority';
import { authOf, type AuthContext } from '../auth/context';
import type { ServerConfig } from '../config';
import { hashToken } from '../auth/tokens';
import { findUserById, toAuthUser } from '../auth/users';
import type { ServerDb } from '../db/open';
import type { Database } from '../db/schema';
import { contractRoute } from '../http/contract-route';
import { badRequest, notFound } from '../http/errors';

/**
 * API keys let a machine client (the municipality's web form) register ŞÖKs without a user
 * session. A key acts as a service account: the ŞÖKs it posts are created by that user, from the
 * organisation the key was issued for. Keys are shown once; only their SHA-256 is stored.
 */
const KEY_PREFIX = 'a153k_';
const KEY_FORMAT = /^a153k_[A-Za-z0-9_-]{43}$/;
/** How much of a key is kept for telling keys apart in lists: "a153k_Xy12ab". */
const DISPLAY_LENGTH = KEY_PREFIX.length + 6;

export function newApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export type KeyRefusal = 'missing' | 'malformed' | 'unknown' | 'revoked' | 'account-unusable';

export type KeyCheck =
  { ok: true; keyId: string; auth: AuthContext } | { ok: false; reason: KeyRefusal };

/**
 * The auth context a key acts with, or why it is refused. A key stops working when it is revoked,
 * and also when its service account is deactivated, loses a registering role or moves to another
 * organisation than the key was issued for (the admin then issues a new key).
 */
export async function checkApiKey(
  db: Kysely<Database>,
  key: string | undefined,
): Promise<KeyCheck> {
  if (key === undefined || key === '') return { ok: false, reason: 'missing' };
  if (!KEY_FORMAT.test(key)) return { ok: false, reason: 'malformed' };
  const row = await db
    .selectFrom('api_key')
    .select(['id', 'acting_user_id', 'org_code', 'revoked_at'])
    .where('key_hash', '=', hashToken(key))
    .executeTakeFirst();
  if (row === undefined) return { ok: false, reason: 'unknown' };
  if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
  const user = await findUserById(db, row.acting_user_id);
  if (
    user === undefined ||
    user.active !== 1 ||
    !REGISTERING_ROLES.has(user.role) ||
    user.org_code !== row.org_code
  ) {
    return { ok: false, reason: 'account-unusable' };
  }
  return {
    ok: true,
    keyId: row.id,
    auth: { user: toAuthUser(user), sessionId: `api-key:${row.id}`, clientId: `api-key:${row.id}` },
  };
}

export interface ApiKeyDto {
  id: string;
  name: string;
  keyPrefix: string;
  actingUserId: string;
  actingUsername: string;
  orgCode: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

function listApiKeys(db: Kysely<Database>, id?: string): Promise<ApiKeyDto[]> {
  let query = db
    .selectFrom('api_key')
    .innerJoin('app_user', 'app_user.id', 'api_key.acting_user_id')
    .select([
      'api_key.id as id',
      'api_key.name as name',
      'api_key.key_prefix as keyPrefix',
      'api_key.acting_user_id as actingUserId',
      'app_user.username as actingUsername',
      'api_key.org_code as orgCode',
      'api_key.created_by as createdBy',
      'api_key.created_at as createdAt',
      'api_key.revoked_at as revokedAt',
    ]);
  if (id !== undefined) query = query.where('api_key.id', '=', id);
  return query.orderBy('api_key.created_at', 'desc').orderBy('api_key.id').execute();
}

/** Admin endpoints: list, issue (the key is in the answer once) and revoke API keys. */
export function registerApiKeyRoutes(
  app: FastifyInstance,
  deps: { db: ServerDb; clock: Clock; config: Pick<ServerConfig, 'workflow'> },
): void {
  const { db, clock } = deps;
  // A key registers ŞÖKs from the internet for the whole city: system administrators only.
  const adminOnly = requireSystemAdmin(deps.config.workflow.callCentreOrg);

  contractRoute(app, contract.apiKeys.list, { onRequest: adminOnly }, async () => ({
    apiKeys: await listApiKeys(db),
  }));

  contractRoute(app, contract.apiKeys.issue, { onRequest: adminOnly }, async (request) => {
    const { name, actingUserId } = request.body;
    const user = await findUserById(db, actingUserId);
    if (user === undefined) {
      throw badRequest('No such user.', { actingUserId: 'Kullanıcı bulunamadı.' });
    }
    if (user.active !== 1) {
      throw badRequest('The acting user is deactivated.', {
        actingUserId: 'Kullanıcı devre dışı.',
      });
    }
    if (!REGISTERING_ROLES.has(user.role)) {
      throw badRequest('The acting user cannot register ŞÖKs.', {
        actingUserId: 'ŞÖK kaydedebilen bir rolde (temsilci, hizmet masası, süpervizör) olmalı.',
      });
    }
    const key = newApiKey();
    const id = randomUUID();
    await db
      .insertInto('api_key')
      .values({
        id,
        name,
        key_prefix: key.slice(0, DISPLAY_LENGTH),
        key_hash: hashToken(key),
        acting_user_id: user.id,
        org_code: user.org_code,
        created_by: authOf(request).user.id,
        created_at: clock().toISOString(),
        revoked_at: null,
      })
      .execute();
    request.log.info({ apiKeyId: id, actingUserId, by: authOf(request).user.id }, 'api key issued');
    const [apiKey] = await listApiKeys(db, id);
    return { apiKey: apiKey ?? null, key };
  });

  contractRoute(app, contract.apiKeys.revoke, { onRequest: adminOnly }, async (request, reply) => {
    const { id } = request.params;
    const result = await db
      .updateTable('api_key')
      .set({ revoked_at: clock().toISOString() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      // Revoking twice is fine; revoking nothing is not.
      const exists = await db
        .selectFrom('api_key')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (exists === undefined) throw notFound('No such API key.');
    } else {
      request.log.info({ apiKeyId: id, by: authOf(request).user.id }, 'api key revoked');
    }
    return reply.status(204).send();
  });
}
