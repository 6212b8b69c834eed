import type { FastifyRequest } from 'fastify';
import type { Role } from '../db/schema';
import { authOf, type AuthUser } from '../auth/context';
import { ApiError } from '../http/errors';
import { t } from '../i18n';

/**
 * Who administers whom (SECURITY.md, "Roles and organisations"):
 *
 * - a **system administrator** is an admin of the call centre's organisation (BİKOM, config
 *   `workflow.callCentreOrg`): every user, and the city-wide settings (routing rules, API keys,
 *   the calendar, message templates, organisations' mailboxes);
 * - an **organisation administrator** (an admin of a district municipality, a unit, a company)
 *   manages the users of its own organisation only: it sees, creates, changes and unlocks them,
 *   grants at most its own role and never another organisation. System administrators are
 *   outside its reach because they belong to another organisation.
 */
export type AdminReach = { kind: 'system' } | { kind: 'organisation'; orgCode: string };

export function isSystemAdmin(user: Pick<AuthUser, 'role' | 'orgCode'>, callCentreOrg: string) {
  return user.role === 'admin' && user.orgCode === callCentreOrg;
}

export function adminReach(
  user: Pick<AuthUser, 'role' | 'orgCode'>,
  callCentreOrg: string,
): AdminReach {
  return isSystemAdmin(user, callCentreOrg)
    ? { kind: 'system' }
    : { kind: 'organisation', orgCode: user.orgCode };
}

/** Whether an admin with this reach may see and change a user of `orgCode`. */
export function reaches(reach: AdminReach, orgCode: string): boolean {
  return reach.kind === 'system' || reach.orgCode === orgCode;
}

/**
 * Why an admin may not give a user this role in this organisation (a Turkish field message by
 * field), or null. Roles are ordered by what they may do; an organisation admin's own role is
 * admin, so within its organisation it may grant any role, but never outside it.
 */
export function grantProblem(
  reach: AdminReach,
  grant: { role?: Role | undefined; orgCode?: string | undefined },
): Record<string, string> | null {
  if (reach.kind === 'system') return null;
  if (grant.orgCode !== undefined && grant.orgCode !== reach.orgCode) {
    return { orgCode: t('admin.ownOrgOnly') };
  }
  return null;
}

const forbidden = () =>
  new ApiError(403, 'forbidden', 'Requires a system administrator (an admin of the call centre).', {
    userMessage: t('auth.forbidden'),
  });

/** onRequest hook: only the call centre's admins (city-wide settings). */
export function requireSystemAdmin(
  callCentreOrg: string,
): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    if (!isSystemAdmin(authOf(request).user, callCentreOrg)) throw forbidden();
  };
}
