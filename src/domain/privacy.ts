/**
 * KVKK (Law 6698): a citizen's contact details are shown in full only to the organisations that
 * need them to handle the request — the one that took it, the one evaluating it and the one that
 * owns its callback. Everyone else who may see the ŞÖK sees them masked. The server masks before
 * anything leaves it, so a masked value never reaches a desk's disk.
 */

import type { Role } from './session';

/**
 * Roles that see a citizen's contact details only on demand, even where their organisation may
 * see them in full: supervisors and administrators oversee and manage the work and rarely call a
 * citizen, so the desk shows them the name, phone and e-mail masked with a "Göster" action, and
 * each reveal is logged (docs/kvkk.md). Agents and desk staff, who answer and call the citizens,
 * see them in full (and each view is logged).
 */
export const CONTACT_ON_DEMAND_ROLES: ReadonlySet<Role> = new Set(['supervisor', 'admin']);

/** "+905321234567" → "+90 532 *** ** 67"; anything else keeps its last two digits. */
export function maskPhone(e164: string): string {
  if (e164 === '') return '';
  const digits = e164.replace(/\D/g, '');
  if (e164.startsWith('+90') && digits.length === 12) {
    return `+90 ${digits.slice(2, 5)} *** ** ${digits.slice(10)}`;
  }
  return `${'*'.repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
}

/** "hatice.yilmaz@example.com" → "h***@example.com" */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return email === '' ? '' : '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** "Hatice Yılmaz" → "H. Y." — enough to tell two callers apart on a screen, no more. */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${part.slice(0, 1).toLocaleUpperCase('tr-TR')}.`)
    .join(' ');
}

/** Whether a reader of organisation `orgCode` sees this ŞÖK's contact details in full. */
export function seesFullContact(
  orgCode: string,
  sok: { originOrg: string; targetOrg: string | null; callbackOwnerOrg: string | null },
): boolean {
  return orgCode === sok.originOrg || orgCode === sok.targetOrg || orgCode === sok.callbackOwnerOrg;
}
