import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { OrganisationKind } from '../../domain/reference';
import type { Database, Role } from '../db/schema';
import type { AuthUser } from './context';

/** How a login name is looked up: the same folding as on creation, without rejecting anything. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  org_code: string;
  active: number;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
  org_kind: OrganisationKind;
  district_code: string | null;
}

/** A user as admin endpoints return it: never the password hash. */
export interface UserDto {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  orgCode: string;
  orgKind: OrganisationKind;
  districtCode: string | null;
  active: boolean;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

function selectUsers(db: Kysely<Database>) {
  return db
    .selectFrom('app_user')
    .innerJoin('organisation', 'organisation.code', 'app_user.org_code')
    .selectAll('app_user')
    .select(['organisation.kind as org_kind', 'organisation.district_code as district_code']);
}

export function findUserByUsername(
  db: Kysely<Database>,
  username: string,
): Promise<UserRow | undefined> {
  return selectUsers(db).where('app_user.username', '=', username).executeTakeFirst();
}

export function findUserById(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return selectUsers(db).where('app_user.id', '=', id).executeTakeFirst();
}

/** Every user, or those of one organisation. */
export function listUsers(db: Kysely<Database>, orgCode?: string): Promise<UserRow[]> {
  let query = selectUsers(db);
  if (orgCode !== undefined) query = query.where('app_user.org_code', '=', orgCode);
  return query.orderBy('app_user.username').execute();
}

export async function organisationExists(db: Kysely<Database>, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('organisation')
    .select('code')
    .where('code', '=', code)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertUser(
  db: Kysely<Database>,
  user: {
    username: string;
    displayName: string;
    passwordHash: string;
    role: Role;
    orgCode: string;
    now: string;
  },
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('app_user')
    .values({
      id,
      username: user.username,
      display_name: user.displayName,
      password_hash: user.passwordHash,
      role: user.role,
      org_code: user.orgCode,
      active: 1,
      failed_logins: 0,
      locked_until: null,
      created_at: user.now,
      updated_at: user.now,
    })
    .execute();
  return id;
}

/** Active admins of one organisation (the call centre's are the system administrators). */
export async function countActiveAdmins(db: Kysely<Database>, orgCode: string): Promise<number> {
  const row = await db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .where('org_code', '=', orgCode)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function toAuthUser(row: UserRow): AuthUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    orgCode: row.org_code,
    orgKind: row.org_kind,
    districtCode: row.district_code,
  };
}

export function toUserDto(row: UserRow, now: Date): UserDto {
  return {
    ...toAuthUser(row),
    active: row.active === 1,
    lockedUntil:
      row.locked_until !== null && row.locked_until > now.toISOString() ? row.locked_until : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
