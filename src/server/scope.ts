import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { AuthUser } from './auth/context';
import type { Role, SokTable } from './db/schema';

/**
 * Who may see which ŞÖK. One rule, used by every query on `sok` (pull, push, search), so a
 * screen and the sync feed can never disagree about what leaks:
 *
 * - the call centre (BİKOM, org kind `call-centre`): agents, supervisors and admins see all;
 * - everyone else (a district municipality's hizmet masası, a metropolitan unit, a company, an
 *   institution, or a call-centre user of another role): the ŞÖKs their organisation sent or
 *   was sent, i.e. whose `origin_org` or `target_org` is their organisation.
 */
export type ScopeUser = Pick<AuthUser, 'role' | 'orgCode' | 'orgKind'>;

export type Visibility = { kind: 'all' } | { kind: 'organisation'; orgCode: string };

const CALL_CENTRE_WIDE_ROLES: ReadonlySet<Role> = new Set(['agent', 'supervisor', 'admin']);

export function visibilityRule(user: ScopeUser): Visibility {
  if (user.orgKind === 'call-centre' && CALL_CENTRE_WIDE_ROLES.has(user.role)) {
    return { kind: 'all' };
  }
  return { kind: 'organisation', orgCode: user.orgCode };
}

// Column names checked against the table type, though referenced as raw SQL below so the
// filter fits any query that has `sok` in scope (joins included).
const TARGET: keyof SokTable = 'target_org';
const ORIGIN: keyof SokTable = 'origin_org';

/**
 * A where-expression limiting rows of the (unaliased) `sok` table to what `user` may see:
 *
 *   db.selectFrom('sok').selectAll().where(visibilityFor(user))
 */
export function visibilityFor(
  user: ScopeUser,
): <DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  const rule = visibilityRule(user);
  if (rule.kind === 'all') return () => sql<SqlBool>`1 = 1`;
  return (eb) =>
    eb.or([
      eb(sql.ref(`sok.${TARGET}`), '=', rule.orgCode),
      eb(sql.ref(`sok.${ORIGIN}`), '=', rule.orgCode),
    ]);
}

/** The same rule for one row already in memory (e.g. to decide whom to notify). */
export function canSee(user: ScopeUser, sok: { origin_org: string; target_org: string | null }) {
  const rule = visibilityRule(user);
  return rule.kind === 'all' || sok.origin_org === rule.orgCode || sok.target_org === rule.orgCode;
}
